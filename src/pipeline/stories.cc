#include "pipeline/stories.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "storyline/core/date.h"
#include "storyline/digest/dates.h"
#include "storyline/digest/digest.h"

namespace storyline::pipeline {

using nlohmann::json;

std::optional<digest::InferredDate> InferPublished(const Article& article, const std::string& body,
                                                   std::optional<CivilDate> anchor) {
  // The raw text keeps the dateline even when cleaning called it a byline.
  const std::string& source = article.text.empty() ? body : article.text;
  Result<digest::InferredDate> d =
      digest::InferPublicationDate(source, article.lang, anchor, article.url);
  if (!d) return std::nullopt;
  return *d;
}

namespace {

// The story object of PRODUCT.md's export (without "id", "storyline" and
// "articles", which the store keeps in columns and rows).
json DigestJson(const digest::StoryDigest& d) {
  json j;
  j["title"] = d.title;
  j["summary"] = d.summary;
  json entities = json::array();
  for (const digest::Entity& e : d.entities) {
    entities.push_back({{"name", e.name},
                        {"type", std::string(digest::EntityTypeName(e.type))},
                        {"mentions", e.mentions}});
  }
  j["entities"] = std::move(entities);
  json timeline = json::array();
  for (const digest::TimelineEntry& t : d.timeline) {
    timeline.push_back({{"date", FormatDate(t.date)},
                        {"inferred", t.inferred},
                        {"text", t.text},
                        {"article", t.article},
                        {"articles", t.articles},
                        {"sources", t.sources}});
  }
  j["timeline"] = std::move(timeline);
  json quotes = json::array();
  for (const digest::DigestQuote& q : d.quotes) {
    quotes.push_back({{"speaker", q.speaker}, {"text", q.text}, {"article", q.article}});
  }
  j["quotes"] = std::move(quotes);
  json sources = json::array();
  for (const digest::SourceEntry& s : d.sources) {
    json e = {{"source", s.source}, {"articles", s.articles}};
    e["first_published"] =
        s.first_published ? json(FormatTimestamp(*s.first_published)) : json(nullptr);
    e["first_published_inferred"] = s.first_published_inferred;
    sources.push_back(std::move(e));
  }
  j["sources"] = std::move(sources);
  j["first_source"] = d.first_source.empty() ? json(nullptr) : json(d.first_source);
  json copies = json::array();
  for (const digest::CopyRelation& c : d.copies) {
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
  // The story's first and last days come from inferred publication dates
  // (the store's columns hold the times; these flags travel with them).
  j["first_published_inferred"] = d.first_published_inferred;
  j["last_published_inferred"] = d.last_published_inferred;
  return j;
}

}  // namespace

Status UpdateStories(store::Store& store, const std::set<std::string>& stories, const Clock& clock,
                     const digest::DigestOptions& digest_options) {
  std::set<std::string> storylines;
  for (const std::string& id : stories) {
    Result<std::vector<store::StoredArticle>> arts = store.ArticlesOfStory(id);
    if (!arts) return Fail(arts.error());
    if (arts->empty()) {
      if (Status s = store.DeleteStory(id); !s) return s;
      continue;
    }
    std::vector<digest::DigestArticle> inputs;
    inputs.reserve(arts->size());
    for (const store::StoredArticle& a : *arts) {
      digest::DigestArticle in;
      in.id = a.article.id;
      in.title = a.article.title;
      in.body = a.analysis.body;
      if (!a.article.published.empty()) {
        if (Result<Timestamp> t = ParseIso8601(a.article.published)) {
          in.published = *t;
          in.published_inferred = a.article.published_inferred;
        }
      }
      in.lang = a.analysis.lang;
      in.source = a.article.source;
      if (!a.analysis.copy_of.empty()) in.copy_of = a.analysis.copy_of;
      inputs.push_back(std::move(in));
      storylines.insert(a.analysis.storyline);
    }
    digest::DigestOptions options = digest_options;
    options.clock = &clock;
    Result<digest::StoryDigest> d = digest::BuildDigest(inputs, options);
    if (!d) {
      return Fail(Error{d.error().code, "digest of story " + id + ": " + d.error().message});
    }
    store::StoryRecord rec;
    rec.id = id;
    rec.storyline = arts->front().analysis.storyline;
    rec.size = static_cast<std::int64_t>(arts->size());
    rec.title = d->title.empty() ? arts->front().article.title : d->title;
    rec.first_published = d->first_published;
    rec.last_published = d->last_published;
    rec.digest_json = DigestJson(*d).dump(-1, ' ', false, json::error_handler_t::replace);
    const std::vector<store::StoryRecord> one = {rec};
    if (Status s = store.PutStories(one); !s) return s;
  }
  for (const std::string& line : storylines) {
    if (line.empty()) continue;
    Result<std::vector<store::StoryRecord>> members =
        store.ListStories({.storyline = line, .order = "largest", .limit = 1000000});
    if (!members) return Fail(members.error());
    store::StorylineRecord rec;
    rec.id = line;
    rec.size = static_cast<std::int64_t>(members->size());
    if (!members->empty()) rec.title = members->front().title;
    const std::vector<store::StorylineRecord> one = {rec};
    if (Status s = store.PutStorylines(one); !s) return s;
  }
  return Ok();
}

}  // namespace storyline::pipeline
