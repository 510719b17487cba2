#include "server/views.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "storyline/core/date.h"

namespace storyline::server {
namespace {

using json = nlohmann::json;

std::string TimeOrEmpty(const std::optional<std::int64_t>& t) {
  return t ? FormatTimestamp(*t) : std::string();
}

json StringOrNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

}  // namespace

StoryListItem ToStoryListItem(const store::StoryRecord& s, std::vector<std::string> langs) {
  StoryListItem v;
  v.id = s.id;
  v.storyline = s.storyline;
  v.title = s.title;
  v.size = s.size;
  v.first_published = TimeOrEmpty(s.first_published);
  v.last_published = TimeOrEmpty(s.last_published);
  v.langs = std::move(langs);
  if (s.gained > 0) v.gained = s.gained;
  const store::Digest& d = s.digest;
  v.first_published_inferred = d.first_published_inferred;
  v.last_published_inferred = d.last_published_inferred;
  for (const store::Digest::Source& src : d.sources) v.sources.push_back(src.source);
  if (!d.summary.empty()) v.lead = d.summary.front();
  if (v.title.empty()) v.title = d.title;
  return v;
}

ArticleRef ToArticleRef(const store::StoredArticle& a) {
  ArticleRef v;
  v.id = a.article.id;
  v.title = a.article.title;
  v.source = a.article.source;
  v.url = a.article.url;
  v.published = a.article.published;
  v.published_inferred = a.article.published_inferred;
  v.lang = a.article.lang;
  v.dup_group = a.analysis.dup_group;
  v.copy_of = a.analysis.copy_of;
  return v;
}

DuplicateView ToDuplicateView(const store::DuplicateRecord& d) {
  DuplicateView v;
  v.article = d.a;
  v.copy_of = d.b;
  v.relation = d.relation;
  v.jaccard = d.jaccard;
  v.containment = d.containment;
  v.copy_link = d.copy_link;
  v.evidence = d.evidence;
  return v;
}

json SnippetSegments(const std::string& snippet) {
  json out = json::array();
  std::string cur;
  bool match = false;
  auto flush = [&] {
    if (!cur.empty()) out.push_back({{"text", cur}, {"match", match}});
    cur.clear();
  };
  for (char c : snippet) {
    if (c == store::kMatchBegin || c == store::kMatchEnd) {
      flush();
      match = c == store::kMatchBegin;
    } else {
      cur += c;
    }
  }
  flush();
  return out;
}

json ToJson(const StoryListItem& v) {
  json out = {{"id", v.id},
              {"storyline", StringOrNull(v.storyline)},
              {"title", v.title},
              {"size", v.size},
              {"first_published", StringOrNull(v.first_published)},
              {"last_published", StringOrNull(v.last_published)},
              {"first_published_inferred", v.first_published_inferred},
              {"last_published_inferred", v.last_published_inferred},
              {"sources", v.sources},
              {"langs", v.langs},
              {"lead", v.lead}};
  if (v.gained >= 0) out["gained"] = v.gained;
  return out;
}

json ToJson(const ArticleRef& v) {
  return {{"id", v.id},
          {"title", v.title},
          {"source", StringOrNull(v.source)},
          {"url", StringOrNull(v.url)},
          {"published", StringOrNull(v.published)},
          {"published_inferred", v.published_inferred},
          {"lang", StringOrNull(v.lang)},
          {"dup_group", StringOrNull(v.dup_group)},
          {"copy_of", StringOrNull(v.copy_of)}};
}

json ToJson(const DuplicateView& v) {
  return {{"article", v.article},    {"copy_of", v.copy_of},         {"relation", v.relation},
          {"jaccard", v.jaccard},    {"containment", v.containment}, {"evidence", v.evidence},
          {"copy_link", v.copy_link}};
}

json ToJson(const StoryView& v) {
  json story = v.digest.is_object() ? v.digest : json::object();
  json head = ToJson(v.head);
  for (auto it = head.begin(); it != head.end(); ++it) {
    // The digest's own fields (title, sources with counts) win over the
    // list item's flattened ones.
    if (!story.contains(it.key())) story[it.key()] = it.value();
  }
  json articles = json::array();
  for (const ArticleRef& a : v.articles) articles.push_back(ToJson(a));
  json copies = json::array();
  for (const DuplicateView& d : v.copies) copies.push_back(ToJson(d));
  return {{"story", std::move(story)},
          {"storyline", {{"id", StringOrNull(v.head.storyline)}, {"title", v.storyline_title}}},
          {"articles", std::move(articles)},
          {"articles_total", v.articles_total},
          {"copies", std::move(copies)},
          {"volume", ToJson(v.volume)}};
}

json ToJson(const ArticleView& v) {
  json article = ToJson(v.ref);
  article["story"] = StringOrNull(v.story);
  article["storyline"] = StringOrNull(v.storyline);
  article["lang_confidence"] = v.lang_confidence;
  article["body"] = v.body;
  json lines = json::array();
  for (const LineView& l : v.lines) {
    lines.push_back({{"n", l.n}, {"role", l.role}, {"reason", l.reason}, {"text", l.text}});
  }
  article["lines"] = std::move(lines);
  json dups = json::array();
  for (const DuplicateView& d : v.duplicates) dups.push_back(ToJson(d));
  return {{"article", std::move(article)},
          {"story", {{"id", StringOrNull(v.story)}, {"title", v.story_title}}},
          {"duplicates", std::move(dups)}};
}

json ToJson(const store::StorylineRecord& v) {
  return {{"id", v.id},
          {"title", v.title},
          {"size", v.size},
          {"first_published", StringOrNull(TimeOrEmpty(v.first_published))},
          {"last_published", StringOrNull(TimeOrEmpty(v.last_published))}};
}

json ToJson(const store::ArticleVolume& v) {
  json bucket = nullptr;
  if (v.bucket_seconds == 3600) {
    bucket = "hour";
  } else if (v.bucket_seconds == 86400) {
    bucket = "day";
  } else if (v.bucket_seconds > 0) {
    bucket = std::to_string(v.bucket_seconds / 86400) + " days";
  }
  json buckets = json::array();
  for (const store::TimeCount& c : v.buckets) {
    buckets.push_back({{"start", FormatTimestamp(c.start)}, {"count", c.count}});
  }
  return {{"bucket", std::move(bucket)},
          {"bucket_seconds", v.bucket_seconds},
          {"buckets", std::move(buckets)},
          {"undated", v.undated}};
}

json ToJson(const store::SearchResults& r, const std::string& query) {
  json stories = json::array();
  for (const store::SearchHit& h : r.stories) {
    stories.push_back({{"id", h.id},
                       {"title", h.title},
                       {"size", h.size},
                       {"score", h.score},
                       {"snippet", SnippetSegments(h.snippet)}});
  }
  json articles = json::array();
  for (const store::SearchHit& h : r.articles) {
    articles.push_back({{"id", h.id},
                        {"title", h.title},
                        {"story", StringOrNull(h.story)},
                        {"source", StringOrNull(h.source)},
                        {"published", StringOrNull(h.published)},
                        {"lang", StringOrNull(h.lang)},
                        {"score", h.score},
                        {"copies", h.copies},
                        {"snippet", SnippetSegments(h.snippet)}});
  }
  return {{"query", query},
          {"stories", std::move(stories)},
          {"articles", std::move(articles)},
          {"total_stories", r.total_stories},
          {"total_articles", r.total_articles},
          {"total_stories_exact", r.total_stories_exact},
          {"total_articles_exact", r.total_articles_exact}};
}

namespace {

// Appends `text` XML-escaped, dropping control characters XML 1.0 forbids
// (the search snippets' match markers among them).
void AppendXml(std::string_view text, std::string* out) {
  for (const char c : text) {
    switch (c) {
      case '&':
        *out += "&amp;";
        break;
      case '<':
        *out += "&lt;";
        break;
      case '>':
        *out += "&gt;";
        break;
      case '"':
        *out += "&quot;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') break;
        *out += c;
    }
  }
}

void AppendElement(const char* name, std::string_view text, std::string* out) {
  *out += '<';
  *out += name;
  *out += '>';
  AppendXml(text, out);
  *out += "</";
  *out += name;
  *out += ">\n";
}

}  // namespace

std::string AtomFeed(const std::string& feed_id, const std::string& title, const std::string& self,
                     const std::vector<FeedEntry>& entries) {
  // RFC 3339 times in UTC (a day alone is its midnight), so that they also
  // compare as strings.
  std::vector<std::string> times;
  std::string newest;
  for (const FeedEntry& e : entries) {
    Result<Timestamp> t = ParseIso8601(e.published);
    times.push_back(t ? FormatTimestamp(*t) : std::string());
    newest = std::max(newest, times.back());
  }
  const std::string fallback = newest.empty() ? "1970-01-01T00:00:00Z" : newest;
  std::string out =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
      "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n";
  AppendElement("id", feed_id, &out);
  AppendElement("title", title, &out);
  AppendElement("updated", fallback, &out);
  out += "<link rel=\"self\" href=\"";
  AppendXml(self, &out);
  out += "\"/>\n<generator>storyline</generator>\n";
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const FeedEntry& e = entries[i];
    const std::string& published = times[i];
    out += "<entry>\n";
    AppendElement("id", "urn:storyline:article:" + e.id, &out);
    AppendElement("title", e.title.empty() ? e.id : e.title, &out);
    AppendElement("updated", published.empty() ? fallback : published, &out);
    if (!published.empty()) AppendElement("published", published, &out);
    out += "<link href=\"";
    AppendXml(e.link, &out);
    out += "\"/>\n";
    if (!e.source.empty()) {
      out += "<author>";
      AppendElement("name", e.source, &out);
      out += "</author>\n";
    }
    if (!e.summary.empty()) AppendElement("summary", e.summary, &out);
    out += "</entry>\n";
  }
  out += "</feed>\n";
  return out;
}

}  // namespace storyline::server
