// The digests stage: the records and digests of the stories a batch
// touched, and of their storylines.
#include <algorithm>
#include <map>
#include <optional>

#include "pipeline/stages.h"
#include "storyline/core/date.h"
#include "storyline/digest/digest.h"

namespace storyline::pipeline {
namespace {

// Stories read from the store at a time: their articles are held in memory
// while their digests are built on the pool.
constexpr std::size_t kStoriesPerChunk = 64;

// The store's record of digest `d` (docs/contract.md's story object, without
// "id", "storyline" and "articles", which the store keeps in columns and rows).
store::Digest StoreDigestOf(digest::StoryDigest&& d, const std::string& lang) {
  store::Digest out;
  out.title = std::move(d.title);
  out.lang = lang;
  out.summary = std::move(d.summary);
  for (digest::Entity& e : d.entities) {
    out.entities.push_back(
        {std::move(e.name), std::string(digest::EntityTypeName(e.type)), e.mentions});
  }
  for (digest::TimelineEntry& t : d.timeline) {
    out.timeline.push_back({FormatDate(t.date), t.inferred, std::move(t.text), std::move(t.article),
                            std::move(t.articles), std::move(t.sources)});
  }
  for (digest::DigestQuote& q : d.quotes) {
    out.quotes.push_back({std::move(q.speaker), std::move(q.text), std::move(q.article)});
  }
  for (digest::SourceEntry& s : d.sources) {
    out.sources.push_back({std::move(s.source), std::move(s.articles), s.first_published,
                           s.first_published_inferred});
  }
  out.first_source = std::move(d.first_source);
  for (digest::CopyRelation& c : d.copies) {
    out.copies.push_back({std::move(c.article), std::move(c.copy_of)});
  }
  if (d.wire) {
    out.wire = store::Digest::Wire{
        std::move(d.wire->agency), static_cast<std::int64_t>(d.wire->articles),
        std::move(d.wire->outlets), static_cast<std::int64_t>(d.wire->cut_versions)};
  }
  // The story's first and last days come from inferred publication dates
  // (the store's columns hold the times; these flags travel with them).
  out.first_published_inferred = d.first_published_inferred;
  out.last_published_inferred = d.last_published_inferred;
  return out;
}

// The digest inputs of a story's stored articles.
std::vector<digest::DigestArticle> DigestInputs(const std::vector<store::StoredArticle>& arts) {
  std::vector<digest::DigestArticle> inputs;
  inputs.reserve(arts.size());
  for (const store::StoredArticle& a : arts) {
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
  }
  return inputs;
}

// The language most of `arts` are written in (the first met among equals),
// "" when none is known: the language the story's search entry is stemmed
// in.
std::string MainLanguage(const std::vector<store::StoredArticle>& arts) {
  std::vector<std::pair<std::string, int>> counts;
  for (const store::StoredArticle& a : arts) {
    const std::string& lang = a.analysis.lang;
    if (lang.empty() || lang == "und") continue;
    auto it = std::find_if(counts.begin(), counts.end(),
                           [&](const auto& c) { return c.first == lang; });
    if (it == counts.end()) {
      counts.emplace_back(lang, 1);
    } else {
      ++it->second;
    }
  }
  std::string best;
  int most = 0;
  for (const auto& [lang, n] : counts) {
    if (n > most) {
      best = lang;
      most = n;
    }
  }
  return best;
}

// The record of story `id`, its digest built from its articles `arts`.
Result<store::StoryRecord> StoryRecordOf(const std::string& id,
                                         const std::vector<store::StoredArticle>& arts,
                                         const digest::DigestOptions& options) {
  Result<digest::StoryDigest> d = digest::BuildDigest(DigestInputs(arts), options);
  if (!d) {
    return MakeError(d.error().code, "digest of story " + id + ": " + d.error().message);
  }
  store::StoryRecord rec;
  rec.id = id;
  rec.storyline = arts.front().analysis.storyline;
  rec.size = static_cast<std::int64_t>(arts.size());
  rec.title = d->title.empty() ? arts.front().article.title : d->title;
  rec.first_published = d->first_published;
  rec.last_published = d->last_published;
  rec.digest = StoreDigestOf(std::move(*d), MainLanguage(arts));
  return rec;
}

// Rebuilds the stories `ids`: their articles are read here, their digests
// built on the pool, then each record added to `records` (or the story
// deleted when it has no articles left). Their storylines join
// `storylines`.
Status UpdateChunk(store::Store& store, const std::vector<std::string>& ids,
                   const digest::DigestOptions& options, ThreadPool& pool,
                   std::set<std::string>& storylines, std::vector<store::StoryRecord>& out) {
  std::vector<std::vector<store::StoredArticle>> arts(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    Result<std::vector<store::StoredArticle>> a = store.ArticlesOfStory(ids[i]);
    if (!a) return Fail(a.error());
    arts[i] = std::move(*a);
    for (const store::StoredArticle& x : arts[i]) storylines.insert(x.analysis.storyline);
  }
  std::vector<std::optional<store::StoryRecord>> records(ids.size());
  Status built = pool.ParallelFor(ids.size(), [&](std::size_t i, std::size_t) -> Status {
    if (arts[i].empty()) return Ok();
    Result<store::StoryRecord> rec = StoryRecordOf(ids[i], arts[i], options);
    if (!rec) return Fail(rec.error());
    records[i] = std::move(*rec);
    return Ok();
  });
  if (!built) return built;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (!records[i]) {
      if (Status s = store.DeleteStory(ids[i]); !s) return s;
      continue;
    }
    out.push_back(std::move(*records[i]));
  }
  return Ok();
}

// Rewrites the records of `storylines` from their stories' records.
Status UpdateStorylines(store::Store& store, const std::set<std::string>& storylines) {
  for (const std::string& line : storylines) {
    if (line.empty()) continue;
    Result<store::StorylineRecord> rec = store.StorylineOfStories(line);
    if (!rec) return Fail(rec.error());
    const std::vector<store::StorylineRecord> one = {std::move(*rec)};
    if (Status s = store.PutStorylines(one); !s) return s;
  }
  return Ok();
}

}  // namespace

Status UpdateStories(store::Store& store, const std::set<std::string>& stories, const Clock& clock,
                     const digest::DigestOptions& digest_options, ThreadPool& pool) {
  digest::DigestOptions options = digest_options;
  options.clock = &clock;
  std::set<std::string> storylines;
  std::vector<std::string> chunk;
  // The records are written together (one statement: see Store::PutStories).
  std::vector<store::StoryRecord> records;
  for (auto it = stories.begin(); it != stories.end();) {
    chunk.clear();
    for (; it != stories.end() && chunk.size() < kStoriesPerChunk; ++it) chunk.push_back(*it);
    if (Status s = UpdateChunk(store, chunk, options, pool, storylines, records); !s) return s;
  }
  if (Status s = store.PutStories(records); !s) return s;
  return UpdateStorylines(store, storylines);
}

Status UpdateDigests(BatchContext& batch) {
  // "Today", for stories whose texts give no date, is the newest
  // publication seen in the stream when there is one, so results do not
  // depend on when the corpus is ingested.
  const PipelineState& state = batch.state;
  const std::optional<Timestamp> anchor =
      state.latest_published ? state.latest_published : state.latest_inferred;
  const FixedClock stream_clock(anchor.value_or(0));
  const Clock& clock = anchor ? static_cast<const Clock&>(stream_clock) : SystemClock();
  return UpdateStories(batch.store, batch.touched_stories, clock, batch.options.digest, batch.pool);
}

}  // namespace storyline::pipeline
