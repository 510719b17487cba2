#include "json_views.h"

#include "storyline/core/date.h"

namespace storyline::cli {

using nlohmann::json;

namespace {

json OrNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json ParseOr(const std::string& text, json fallback) {
  if (text.empty()) return fallback;
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  return j.is_discarded() ? fallback : j;
}

}  // namespace

std::string Dump(const json& j, int indent) {
  return j.dump(indent, ' ', false, json::error_handler_t::replace);
}

json ArticleView(const store::StoredArticle& s, bool with_lines, bool with_text) {
  const Article& a = s.article;
  const store::ArticleAnalysis& an = s.analysis;
  json j;
  j["id"] = a.id;
  j["title"] = a.title;
  j["lang"] = OrNull(an.lang.empty() ? a.lang : an.lang);
  j["published"] = OrNull(a.published);
  j["published_inferred"] = a.published_inferred;
  j["source"] = OrNull(a.source);
  j["url"] = OrNull(a.url);
  if (an.revision > 0) j["body"] = an.body;
  if (with_lines && an.revision > 0) {
    json lines = json::array();
    for (const store::ArticleLine& l : store::LinesOf(s)) {
      lines.push_back({{"n", l.n}, {"role", l.role}, {"reason", l.reason}, {"text", l.text}});
    }
    j["lines"] = std::move(lines);
  }
  if (with_text) j["text"] = a.text;
  j["dup_group"] = OrNull(an.dup_group);
  j["copy_of"] = OrNull(an.copy_of);
  j["story"] = OrNull(an.story);
  j["storyline"] = OrNull(an.storyline);
  return j;
}

json DuplicateView(const store::DuplicateRecord& d) {
  json j;
  j["a"] = d.a;
  j["b"] = d.b;
  j["relation"] = d.relation;
  j["jaccard"] = d.jaccard;
  j["containment"] = d.containment;
  j["evidence"] = d.evidence;
  j["copy_link"] = d.copy_link;
  return j;
}

json StoryView(const store::StoryRecord& s, const std::vector<std::string>& articles) {
  json digest = ParseOr(s.digest_json, json::object());
  json j;
  j["id"] = s.id;
  j["storyline"] = OrNull(s.storyline);
  j["title"] = s.title;
  j["articles"] = articles;
  j["size"] = s.size;
  json sources = json::array();
  if (digest.contains("sources")) {
    for (const json& e : digest["sources"]) sources.push_back(e.value("source", ""));
  }
  j["sources"] = std::move(sources);
  j["first_published"] =
      s.first_published ? json(FormatTimestamp(*s.first_published)) : json(nullptr);
  j["last_published"] = s.last_published ? json(FormatTimestamp(*s.last_published)) : json(nullptr);
  // Whether those days were inferred from texts rather than given (false in
  // stores written before the digest kept the flags).
  for (const char* flag : {"first_published_inferred", "last_published_inferred"}) {
    j[flag] = digest.is_object() && digest.contains(flag) && digest[flag].is_boolean() &&
              digest[flag].get<bool>();
  }
  for (const char* field : {"summary", "entities", "timeline", "quotes", "copies"}) {
    j[field] = digest.contains(field) ? digest[field] : json::array();
  }
  j["lang"] = digest.contains("lang") ? digest["lang"] : json(nullptr);
  j["first_source"] = digest.contains("first_source") ? digest["first_source"] : json(nullptr);
  j["wire"] = digest.contains("wire") ? digest["wire"] : json(nullptr);
  j["source_details"] = digest.contains("sources") ? digest["sources"] : json::array();
  return j;
}

}  // namespace storyline::cli
