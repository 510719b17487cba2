// Main-content extraction from a news web page.
//
//   ExtractOptions options;
//   options.url = "https://example.com/2022/01/08/quake.html";
//   Result<ExtractedPage> page = ExtractPage(raw_bytes, options);
//   if (!page) return page.error();
//   article.title = page->title;
//   article.text = page->text;          // one paragraph per line
//   article.published = page->published;
//
// ExtractPage decodes the bytes to UTF-8 (see charset.h), parses them as a
// browser would (HTML5 tree construction, so unclosed tags and stray markup
// give the same tree a reader sees), reads the page's structured metadata
// (schema.org JSON-LD, Open Graph, <meta>, <time>, the URL) and finds the
// article body from DOM evidence: text and link density of each block,
// paragraph structure, semantic elements, class/id words and position.
//
// Functions here are pure and thread-safe; each call owns its parse tree.
#ifndef STORYLINE_HTML_EXTRACT_H_
#define STORYLINE_HTML_EXTRACT_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "storyline/core/result.h"

namespace storyline::html {

struct ExtractOptions {
  // url (""): where the page was fetched. Used for dates in the path
  // (/2022/01/08/) and as canonical_url when the page names none.
  std::string url;
  // http_charset (""): the charset parameter of the HTTP Content-Type header,
  // when known (see CharsetFromContentType). It outranks <meta> declarations.
  std::string http_charset;
  // use_structured_body (true): when the DOM yields much less text than the
  // page's schema.org `articleBody`, return the articleBody instead. Turn off
  // to see what the DOM evidence alone gives.
  bool use_structured_body = true;
  // max_input_bytes (16 MiB): larger inputs are refused with kInvalidInput;
  // no news page is that large and parse trees cost ~10x their input.
  std::size_t max_input_bytes = 16 * 1024 * 1024;
};

// A title the page offers, with where it came from.
struct HeadlineCandidate {
  std::string text;
  // One of "json-ld", "og:title", "twitter:title", "h1", "title".
  std::string source;
};

// What a page says about its article. Fields the page does not give are
// empty, never invented.
struct ExtractedPage {
  // The best headline: og:title, JSON-LD headline, the main <h1>, or <title>
  // without its " | Site" suffix, in that order of trust.
  std::string title;
  // The article content as lines: one line per paragraph, heading, list
  // item, quote or table cell, joined by '\n'; a <br> inside a paragraph
  // also starts a line. The title is not repeated at the top unless the body
  // itself repeats it further down. Site chrome (navigation, sharing,
  // comments, related-article teasers, newsletter prompts) is left out, and
  // so are photo captions and credits (<figcaption>, <figure> without a
  // table or quote, caption/credit/gallery classes): extraction benchmarks
  // do not count them as body text.
  std::string text;
  // Publication date as ISO 8601 ("2022-01-08" or "2022-01-08T14:05:00Z"
  // style, as the page wrote it when it is valid ISO 8601).
  std::string published;
  std::string author;
  std::string site_name;
  std::string canonical_url;
  // Primary language subtag of <html lang> (or Content-Language), lower-case:
  // "fr" for lang="fr-FR". Empty when the page does not say.
  std::string lang;
  // Every headline the page offers, best first, without duplicates.
  std::vector<HeadlineCandidate> headlines;
  // True when `text` came from the JSON-LD articleBody rather than the DOM.
  bool text_from_structured_data = false;
};

// Extracts title, body text and metadata from one page.
//
// `html` may be in any charset (see DecodeToUtf8); it is decoded first.
// Errors: kInvalidInput when the input is larger than
// options.max_input_bytes or holds no text at all (empty, or markup only).
// A page whose body cannot be found still succeeds, with empty `text`.
Result<ExtractedPage> ExtractPage(std::string_view html, const ExtractOptions& options = {});

}  // namespace storyline::html

#endif  // STORYLINE_HTML_EXTRACT_H_
