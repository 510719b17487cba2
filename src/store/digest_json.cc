#include "storyline/store/digest_json.h"

#include <utility>

#include "storyline/core/date.h"

namespace storyline::store {
namespace {

using nlohmann::json;

json TextOrNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

// Field `key` of object `j` when it has type T; `fallback` otherwise.
template <typename T>
T Get(const json& j, const char* key, T fallback = T()) {
  auto it = j.find(key);
  if (it == j.end()) return fallback;
  if constexpr (std::is_same_v<T, std::string>) {
    return it->is_string() ? it->get<std::string>() : fallback;
  } else if constexpr (std::is_same_v<T, bool>) {
    return it->is_boolean() ? it->get<bool>() : fallback;
  } else {
    return it->is_number() ? it->get<T>() : fallback;
  }
}

std::vector<std::string> Strings(const json& j, const char* key) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return out;
  for (const json& e : *it) {
    if (e.is_string()) out.push_back(e.get<std::string>());
  }
  return out;
}

// The objects of array `key` of `j`, each read by `read`.
template <typename T, typename Read>
std::vector<T> Objects(const json& j, const char* key, Read read) {
  std::vector<T> out;
  auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return out;
  for (const json& e : *it) {
    if (e.is_object()) out.push_back(read(e));
  }
  return out;
}

Digest::Source ReadSource(const json& e) {
  Digest::Source s;
  s.source = Get<std::string>(e, "source");
  s.articles = Strings(e, "articles");
  if (Result<Timestamp> t = ParseIso8601(Get<std::string>(e, "first_published"))) {
    s.first_published = *t;
  }
  s.first_published_inferred = Get<bool>(e, "first_published_inferred");
  return s;
}

json SourcesJson(const std::vector<Digest::Source>& sources) {
  json out = json::array();
  for (const Digest::Source& s : sources) {
    json e = {{"source", s.source}, {"articles", s.articles}};
    e["first_published"] =
        s.first_published ? json(FormatTimestamp(*s.first_published)) : json(nullptr);
    e["first_published_inferred"] = s.first_published_inferred;
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

json DigestJson(const Digest& d) {
  json j;
  j["title"] = d.title;
  j["lang"] = TextOrNull(d.lang);
  j["summary"] = d.summary;
  json entities = json::array();
  for (const Digest::Entity& e : d.entities) {
    entities.push_back({{"name", e.name}, {"type", e.type}, {"mentions", e.mentions}});
  }
  j["entities"] = std::move(entities);
  json timeline = json::array();
  for (const Digest::TimelineEntry& t : d.timeline) {
    timeline.push_back({{"date", t.date},
                        {"inferred", t.inferred},
                        {"text", t.text},
                        {"article", t.article},
                        {"articles", t.articles},
                        {"sources", t.sources}});
  }
  j["timeline"] = std::move(timeline);
  json quotes = json::array();
  for (const Digest::Quote& q : d.quotes) {
    quotes.push_back({{"speaker", q.speaker}, {"text", q.text}, {"article", q.article}});
  }
  j["quotes"] = std::move(quotes);
  j["sources"] = SourcesJson(d.sources);
  j["first_source"] = TextOrNull(d.first_source);
  json copies = json::array();
  for (const Digest::Copy& c : d.copies) {
    copies.push_back({{"article", c.article}, {"copy_of", c.copy_of}});
  }
  j["copies"] = std::move(copies);
  if (d.wire) {
    j["wire"] = {{"agency", d.wire->agency},
                 {"articles", d.wire->articles},
                 {"outlets", d.wire->outlets},
                 {"cut_versions", d.wire->cut_versions}};
  } else {
    j["wire"] = nullptr;
  }
  j["first_published_inferred"] = d.first_published_inferred;
  j["last_published_inferred"] = d.last_published_inferred;
  return j;
}

Digest DigestFromJson(const json& j) {
  Digest d;
  if (!j.is_object()) return d;
  d.title = Get<std::string>(j, "title");
  d.lang = Get<std::string>(j, "lang");
  d.summary = Strings(j, "summary");
  d.entities = Objects<Digest::Entity>(j, "entities", [](const json& e) {
    return Digest::Entity{Get<std::string>(e, "name"), Get<std::string>(e, "type"),
                          Get<std::int64_t>(e, "mentions")};
  });
  d.timeline = Objects<Digest::TimelineEntry>(j, "timeline", [](const json& e) {
    return Digest::TimelineEntry{Get<std::string>(e, "date"), Get<bool>(e, "inferred"),
                                 Get<std::string>(e, "text"), Get<std::string>(e, "article"),
                                 Strings(e, "articles"),      Strings(e, "sources")};
  });
  d.quotes = Objects<Digest::Quote>(j, "quotes", [](const json& e) {
    return Digest::Quote{Get<std::string>(e, "speaker"), Get<std::string>(e, "text"),
                         Get<std::string>(e, "article")};
  });
  if (auto it = j.find("sources"); it != j.end() && it->is_array()) {
    for (const json& e : *it) {
      // Objects; bare strings in stores written before digests had counts.
      if (e.is_string()) d.sources.push_back(Digest::Source{e.get<std::string>(), {}, {}, false});
      if (e.is_object()) d.sources.push_back(ReadSource(e));
    }
  }
  d.first_source = Get<std::string>(j, "first_source");
  d.copies = Objects<Digest::Copy>(j, "copies", [](const json& e) {
    return Digest::Copy{Get<std::string>(e, "article"), Get<std::string>(e, "copy_of")};
  });
  if (auto it = j.find("wire"); it != j.end() && it->is_object()) {
    d.wire = Digest::Wire{Get<std::string>(*it, "agency"), Get<std::int64_t>(*it, "articles"),
                          Strings(*it, "outlets"), Get<std::int64_t>(*it, "cut_versions")};
  }
  d.first_published_inferred = Get<bool>(j, "first_published_inferred");
  d.last_published_inferred = Get<bool>(j, "last_published_inferred");
  return d;
}

}  // namespace storyline::store
