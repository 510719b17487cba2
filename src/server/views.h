// View structs of the HTTP API: what the server answers, mapped from store
// records. The store and the analysis modules know nothing of the web; this
// file is the one place that decides the JSON shapes the page and other
// clients read (documented in README.md, "HTTP API"). Pure functions, no I/O.
#ifndef STORYLINE_SERVER_VIEWS_H_
#define STORYLINE_SERVER_VIEWS_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "storyline/store/digest_json.h"
#include "storyline/store/store.h"

namespace storyline::server {

// A story in a list: enough to show size, sources and dates at a glance.
struct StoryListItem {
  std::string id;
  std::string storyline;
  std::string title;
  std::int64_t size = 0;
  std::string first_published;  // "YYYY-MM-DDTHH:MM:SSZ" or ""
  std::string last_published;
  // The days above were inferred from texts (a dateline, dates in the text)
  // rather than given by the input; from the stored digest.
  bool first_published_inferred = false;
  bool last_published_inferred = false;
  std::vector<std::string> sources;  // from the digest, first publisher first
  std::vector<std::string> langs;    // article languages, most frequent first
  std::string lead;                  // the summary's first sentence
  // Order "rising" only (else -1, left out of the JSON): articles published
  // in the window (store::StoryRecord::gained).
  std::int64_t gained = -1;
};

// An article as listed under a story.
struct ArticleRef {
  std::string id;
  std::string title;
  std::string source;
  std::string url;
  std::string published;
  bool published_inferred = false;
  std::string lang;
  std::string dup_group;
  std::string copy_of;
};

// One verified duplicate pair, oriented as the store reads it (see
// store::OrientDuplicate): `article` copies `copy_of` in the same direction
// as the articles' copy_of fields.
struct DuplicateView {
  std::string article;   // the copy
  std::string copy_of;   // the article it matches
  std::string relation;  // exact | near | partial
  double jaccard = 0;
  double containment = 0;
  std::vector<std::string> evidence;
  bool copy_link = false;  // article's copy_of is copy_of (its badge's link)
};

// A line of an article with its role (the store's one line view).
using LineView = store::ArticleLine;

struct StoryView {
  StoryListItem head;
  nlohmann::json digest;  // store::DigestJson of the story's digest (docs/contract.md)
  std::string storyline_title;
  std::vector<ArticleRef> articles;
  std::int64_t articles_total = 0;
  std::vector<DuplicateView> copies;  // pairs among the story's articles
  store::ArticleVolume volume;        // articles over time
};

struct ArticleView {
  ArticleRef ref;
  std::string story;
  std::string story_title;
  std::string storyline;
  double lang_confidence = 0;
  std::string body;
  std::vector<LineView> lines;
  std::vector<DuplicateView> duplicates;
};

StoryListItem ToStoryListItem(const store::StoryRecord& story, std::vector<std::string> langs);
ArticleRef ToArticleRef(const store::StoredArticle& article);
DuplicateView ToDuplicateView(const store::DuplicateRecord& pair);
// Splits a search snippet at store::kMatchBegin / kMatchEnd into
// [{"text": "...", "match": bool}, ...].
nlohmann::json SnippetSegments(const std::string& snippet);

nlohmann::json ToJson(const StoryListItem& v);
nlohmann::json ToJson(const ArticleRef& v);
nlohmann::json ToJson(const DuplicateView& v);
nlohmann::json ToJson(const StoryView& v);
nlohmann::json ToJson(const ArticleView& v);
nlohmann::json ToJson(const store::StorylineRecord& v);
// {"bucket": "hour" | "day" | "N days" | null, "bucket_seconds",
//  "buckets": [{"start": ISO time, "count"}], "undated"}: the page's
// articles-over-time chart.
nlohmann::json ToJson(const store::ArticleVolume& v);
nlohmann::json ToJson(const store::SearchResults& v, const std::string& query);

// One entry of an Atom feed (RFC 4287).
struct FeedEntry {
  std::string id;  // the article id
  std::string title;
  std::string link;       // the article's page, relative to the server
  std::string published;  // ISO 8601, "" when unknown
  std::string source;     // the outlet, as the entry's author; "" when unknown
  std::string summary;    // plain text
};

// An Atom feed document: `feed_id` names the feed for readers ("urn:..."),
// `self` is its own path. Entries without a date take the newest entry's
// date as <updated> (Atom requires one), or the epoch when none is dated.
// Text is XML-escaped and stripped of characters XML 1.0 does not allow.
std::string AtomFeed(const std::string& feed_id, const std::string& title, const std::string& self,
                     const std::vector<FeedEntry>& entries);

}  // namespace storyline::server

#endif  // STORYLINE_SERVER_VIEWS_H_
