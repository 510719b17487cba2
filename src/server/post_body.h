// The body of POST /api/articles: a JSON object, a JSON array of objects, or
// JSONL (one object per line), each parsed as storyline::ingest reads a
// JSONL record.
#ifndef STORYLINE_SERVER_POST_BODY_H_
#define STORYLINE_SERVER_POST_BODY_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "storyline/core/article.h"
#include "storyline/core/result.h"

namespace storyline::server {

struct PostBodyLimits {
  // max_articles: more records are an error.
  std::size_t max_articles = 2000;
  // max_text_bytes: a record whose text (given or extracted from its html)
  // is longer is an error naming the record.
  std::size_t max_text_bytes = 1u << 20;
};

// Parses `body`. `origin` stands for the file name in default ids and
// origins. Errors (kInvalidInput) name the element or line: empty body,
// invalid JSON, a non-object element, a bad record, too many records, a text
// over the limit, an id given twice.
Result<std::vector<Article>> ParsePostBody(std::string_view body, const std::string& origin,
                                           const PostBodyLimits& limits);

}  // namespace storyline::server

#endif  // STORYLINE_SERVER_POST_BODY_H_
