// The unit every stage passes along: one news article as read from input.
//
// An Article is a plain value type. Readers fill what the input gives; fields
// the input does not give stay empty (never invented). Later stages attach
// their results (line roles, duplicates, stories) in their own structures
// keyed by Article::id.
#ifndef STORYLINE_CORE_ARTICLE_H_
#define STORYLINE_CORE_ARTICLE_H_

#include <optional>
#include <string>

namespace storyline {

struct Article {
  // Stable identifier: the JSONL `id`, the file name without extension for
  // .txt, the WARC-Record-ID for WARC. Never empty once read.
  std::string id;
  // Title as given by the input (JSONL `title`, <title>/og:title of a
  // page), or a first guess (the first non-empty line of a .txt file, with
  // title_inferred set) that cleaning replaces by the headline line it finds
  // (see clean::ArticleTitle). May be empty.
  std::string title;
  bool title_inferred = false;
  // The article text exactly as given (UTF-8, '\n' line breaks), including
  // any site chrome; cleaning decides what of it is the body.
  std::string text;
  // Original HTML when the input was a page; empty otherwise.
  std::string html;
  std::string url;
  // Publishing site as the input names it; empty when nothing tells it.
  // The pipeline fills an empty one from the URL's host before storing
  // (storyline/core/source.h), so stored articles with a URL have a source.
  std::string source;
  // ISO 8601 date or date-time as given, or inferred (see published_inferred).
  std::string published;
  bool published_inferred = false;
  // ISO 639-1 language code as given by the input, or detected; "und" when unknown.
  std::string lang;
  // Where the article came from, for messages: "news.jsonl:12".
  std::string origin;
};

}  // namespace storyline

#endif  // STORYLINE_CORE_ARTICLE_H_
