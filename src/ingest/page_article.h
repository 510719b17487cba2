// Turning web pages into Articles: the pieces shared by the .html, WARC and
// JSONL-with-html paths of the InputReader. Private to the ingest module.
//
// All functions are pure and thread-safe.
#ifndef STORYLINE_INGEST_PAGE_ARTICLE_H_
#define STORYLINE_INGEST_PAGE_ARTICLE_H_

#include <string>
#include <string_view>

#include "storyline/core/article.h"
#include "storyline/core/result.h"

namespace storyline::ingest {

// The publishing site named by a URL: its host, lower-case, without
// userinfo, port and a leading "www.". "" when the URL has no host
// ("/a/b", "mailto:x", "").
std::string SiteOfUrl(std::string_view url);

// `value` when storyline::ParseIso8601 accepts it; else its first ten bytes
// when they are a valid YYYY-MM-DD date ("2022-01-08T14:05 GMT" ->
// "2022-01-08"); else "".
std::string ValidIsoDate(std::string_view value);

// `declared` (a primary language subtag such as "fr") when CLD2 reads the
// first few kilobytes of `title` and `text` as that language; "" when
// `declared` is empty, CLD2 is unsure, or it reads another language.
std::string AgreedLanguage(std::string_view declared, std::string_view title,
                           std::string_view text);

// Extracts `utf8_html` (already UTF-8) with html::ExtractPage and fills the
// fields of `article` that are empty: text, title, url (canonical),
// source, published, lang, as documented for ParseHtmlArticle. `article->url`,
// when set, is passed to the extractor as the page's address. Leaves
// `article->html` alone. Errors: kInvalidInput when extraction fails or
// finds no article text; `article` is then partly filled.
Status FillFromPage(std::string_view utf8_html, Article* article);

}  // namespace storyline::ingest

#endif  // STORYLINE_INGEST_PAGE_ARTICLE_H_
