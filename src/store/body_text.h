// An article's cleaned body, derived from its text and its line roles
// instead of stored beside them.
//
// The body is the text's body and heading lines, each trimmed of spaces,
// tabs and carriage returns, joined by '\n' (clean::CleanedArticle::body):
// a function of the text and the roles the store keeps anyway. A stored
// analysis whose body is exactly that keeps NULL in the `body` column, and
// readers derive it, in C++ (ReadArticle) and in SQL through
// storyline_body(text, lines) (the search index's view, snippets, story
// heads):
//
//   SELECT coalesce(body, storyline_body(text, lines)) FROM articles;
//
// The writer compares before it drops a body (Store::PutAnalyses), so a
// body that the roles do not reproduce (an analysis that kept no roles, a
// cleaner that trims otherwise) is stored as before.
#ifndef STORYLINE_STORE_BODY_TEXT_H_
#define STORYLINE_STORE_BODY_TEXT_H_

#include <sqlite3.h>

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "storyline/core/result.h"
#include "storyline/store/store.h"

namespace storyline::store {

// The body of `text` by `lines`; nullopt when there are no roles (the
// article was not analysed, or its analysis kept none).
std::optional<std::string> DerivedBody(std::string_view text, std::span<const LineRole> lines);

// Registers storyline_body(text, lines) on `db`: DerivedBody with `lines`
// in the store's JSON form, NULL when either is NULL or there are no
// roles; and storyline_text(text), the article text (or HTML) as plain text.
// Both read the text column in either stored form (compressed.h). Every
// connection that reads or writes the articles' search index must register
// them (the index reads bodies through storyline_body).
Status RegisterBodyFunction(sqlite3* db);

}  // namespace storyline::store

#endif  // STORYLINE_STORE_BODY_TEXT_H_
