#include "json_views.h"

#include "storyline/core/date.h"
#include "storyline/store/digest_json.h"

namespace storyline::cli {

using nlohmann::json;

namespace {

json OrNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

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
  const store::Digest& d = s.digest;
  json digest = store::DigestJson(d);
  json j;
  j["id"] = s.id;
  j["storyline"] = OrNull(s.storyline);
  j["title"] = s.title;
  j["articles"] = articles;
  j["size"] = s.size;
  json sources = json::array();
  for (const store::Digest::Source& e : d.sources) sources.push_back(e.source);
  j["sources"] = std::move(sources);
  j["first_published"] =
      s.first_published ? json(FormatTimestamp(*s.first_published)) : json(nullptr);
  j["last_published"] = s.last_published ? json(FormatTimestamp(*s.last_published)) : json(nullptr);
  // Whether those days were inferred from texts rather than given.
  j["first_published_inferred"] = d.first_published_inferred;
  j["last_published_inferred"] = d.last_published_inferred;
  for (const char* field :
       {"summary", "entities", "timeline", "quotes", "copies", "lang", "first_source", "wire"}) {
    j[field] = std::move(digest[field]);
  }
  j["source_details"] = std::move(digest["sources"]);
  return j;
}

}  // namespace storyline::cli
