// Page metadata: what a page states about its article outside the body text.
//
// The DOM walk in extract.cc gathers raw values (RawMetadata) without judging
// them; ResolveMetadata then picks, in order of trust, the title, date,
// author, site name, canonical URL and language. Keeping the choice here, on
// plain strings, lets tests exercise it without a parser. Pure functions.
#ifndef STORYLINE_HTML_METADATA_H_
#define STORYLINE_HTML_METADATA_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storyline/html/extract.h"

namespace storyline::html {

struct RawMetadata {
  std::string html_lang;
  std::string title_tag;
  // <meta> key (name, property, itemprop or http-equiv, lower-cased) and content.
  std::vector<std::pair<std::string, std::string>> metas;
  std::string canonical_link;
  // Bodies of <script type="application/ld+json">.
  std::vector<std::string> json_ld;
  // datetime attributes of <time> elements marked as the publication date
  // (itemprop=datePublished or pubdate), then of all others, in page order.
  std::vector<std::string> marked_times;
  std::vector<std::string> times;
  // Text of elements marked as author (rel=author, itemprop=author).
  std::vector<std::string> author_texts;
};

// What the page's schema.org JSON-LD says about its article: the first
// object typed Article or a subtype (NewsArticle, BlogPosting, ...), found
// at top level, in arrays or in @graph.
struct StructuredArticle {
  std::string headline;
  std::string body;  // articleBody
  std::string date_published;
  std::string author;
  std::string publisher;
  std::string url;
};

// Parses each script leniently (raw control characters inside strings, as
// some sites emit, are tolerated). Unparseable scripts are ignored.
StructuredArticle ParseJsonLd(const std::vector<std::string>& scripts);

// `text` as an ISO 8601 string: kept as written when ParseIso8601 accepts
// it; otherwise the date it names ("2019/11/19", "Tue, 19 Nov 2019 10:00
// GMT", "November 19, 2019", "19 janvier 2022") as "YYYY-MM-DD"; "" when
// none.
std::string NormalizeDate(std::string_view text);

// A date in a URL path (/2022/01/08/, /2022-01-08/, /20220108/) as
// "YYYY-MM-DD", or "" when none.
std::string DateFromUrl(std::string_view url);

// `title` without a trailing or leading " | Site Name" / " - Site Name"
// part when that part is the site name, or a short tail after the last
// separator when no site name is known.
std::string StripSiteSuffix(std::string_view title, std::string_view site_name);

// Fills title, published, author, site_name, canonical_url, lang and
// headlines of `page`. `h1` is the main heading the DOM walk found (may be
// empty).
void ResolveMetadata(const RawMetadata& raw, const StructuredArticle& structured,
                     std::string_view h1, const ExtractOptions& options, ExtractedPage* page);

// Collapses runs of whitespace (and NBSP) to one space and trims.
std::string CollapseWhitespace(std::string_view text);

}  // namespace storyline::html

#endif  // STORYLINE_HTML_METADATA_H_
