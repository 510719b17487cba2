#include "storyline/pipeline/pipeline.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <unordered_map>

#include "pipeline/stage_timer.h"
#include "pipeline/stories.h"
#include "storyline/clean/chrome_model.h"
#include "storyline/clean/line_classifier.h"
#include "storyline/cluster/story_clusterer.h"
#include "storyline/core/date.h"
#include "storyline/core/source.h"
#include "storyline/dedup/duplicate_index.h"
#include "storyline/dedup/sketch.h"
#include "storyline/text/language.h"
#include "storyline/text/normalize.h"
#include "storyline/text/shingles.h"

namespace storyline::pipeline {
namespace {

using nlohmann::json;

constexpr const char* kChromeState = "clean.chrome_model";
constexpr const char* kClusterState = "cluster.state";
constexpr const char* kClockState = "pipeline.clock";
constexpr std::size_t kLanguageSample = 3000;
// Input positions on each side whose dates anchor the year of an article
// that writes none of its own (see step 3 of Process).
constexpr std::size_t kNeighbours = 5;

// The body's hash for exact duplicates: normalised (case, quotes, dashes,
// spacing folded) so that re-encodings of one text compare equal.
std::uint64_t BodyHash(std::string_view body) {
  if (body.empty()) return 0;
  Result<std::string> norm = text::NormalizeLine(body);
  const std::uint64_t h = text::Hash64(norm ? std::string_view(*norm) : body);
  return h == 0 ? 1 : h;
}

std::string LinesJson(const clean::CleanedArticle& c) {
  json lines = json::array();
  for (const clean::Line& l : c.lines) {
    lines.push_back({{"n", l.n}, {"role", clean::RoleName(l.role)}, {"reason", l.reason}});
  }
  return lines.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::optional<Timestamp> TimeOf(const std::string& published) {
  if (published.empty()) return std::nullopt;
  Result<Timestamp> t = ParseIso8601(published);
  if (!t) return std::nullopt;
  return *t;
}

}  // namespace

struct Pipeline::Impl {
  PipelineOptions options;
  std::unique_ptr<store::Store> store;
  std::optional<clean::LineClassifier> classifier;
  std::optional<clean::ChromeModel> chrome;
  std::optional<text::Shingler> shingler;
  std::optional<dedup::Sketcher> sketcher;
  std::optional<dedup::DuplicateIndex> index;
  std::optional<cluster::StoryClusterer> clusterer;
  // Duplicate-index document numbers are store keys; their article ids.
  std::unordered_map<dedup::DocId, std::string> id_of_doc;
  // Newest publication time seen (a year hint for dates written without one),
  // given by the input and inferred from texts.
  std::optional<Timestamp> latest_published;
  std::optional<Timestamp> latest_inferred;
  // The store's data version when the state above was last in step with
  // the committed store (see Store::DataVersion).
  std::int64_t data_version = -1;
  std::int64_t reloads = 0;

  // (Re)loads every stage's state from the store. `in_write`: the caller
  // holds the write transaction (the reload of a writer that finds another
  // writer's commits), so sketches recomputed here are written in it.
  Status Load(bool in_write) {
    Result<clean::LineClassifier> c = clean::LineClassifier::Create(options.clean);
    if (!c) return Fail(c.error());
    classifier.emplace(std::move(*c));
    Result<std::optional<std::string>> chrome_bytes = store->GetState(kChromeState);
    if (!chrome_bytes) return Fail(chrome_bytes.error());
    if (chrome_bytes->has_value()) {
      Result<clean::ChromeModel> m = clean::ChromeModel::Deserialize(**chrome_bytes);
      if (!m) return Fail(Error{m.error().code, "stored chrome model: " + m.error().message});
      chrome.emplace(std::move(*m));
    } else {
      chrome.emplace();
    }

    Result<text::Shingler> sh = text::Shingler::Create(options.shingles);
    if (!sh) return Fail(sh.error());
    shingler.emplace(std::move(*sh));
    Result<dedup::Sketcher> sk = dedup::Sketcher::Create(options.sketch);
    if (!sk) return Fail(sk.error());
    sketcher.emplace(*sk);
    dedup::IndexOptions index_options = options.index;
    index_options.window_seconds = std::int64_t{options.duplicate_window_days} * 86400;
    Result<dedup::DuplicateIndex> ix =
        dedup::DuplicateIndex::Create(index_options, sketcher->options());
    if (!ix) return Fail(ix.error());
    index.emplace(std::move(*ix));
    id_of_doc.clear();
    std::vector<dedup::DocumentSketch> sketches;
    // Sketches stored by a build with other sketch options (a store written
    // before an upgrade) are recomputed from the stored bodies and written
    // back, in one transaction, once the index is loaded.
    std::vector<store::ArticleAnalysis> resketched;
    Status s = store->ForEachSketch(
        [&](std::int64_t key, std::string_view id, std::string_view blob) -> Status {
          Result<dedup::DocumentSketch> d = sketcher->Compatible(blob)
                                                ? sketcher->Load(blob)
                                                : Resketch(key, std::string(id), resketched);
          if (!d)
            return Fail(Error{d.error().code,
                              "stored sketch of '" + std::string(id) + "': " + d.error().message});
          id_of_doc[static_cast<dedup::DocId>(key)] = std::string(id);
          sketches.push_back(std::move(*d));
          if (sketches.size() >= 4096) {
            Result<std::vector<dedup::AddOutcome>> r = index->AddBatch(std::move(sketches));
            sketches.clear();
            if (!r) return Fail(r.error());
          }
          return Ok();
        });
    if (!s) return s;
    if (!sketches.empty()) {
      Result<std::vector<dedup::AddOutcome>> r = index->AddBatch(std::move(sketches));
      if (!r) return Fail(r.error());
    }
    if (!resketched.empty()) {
      if (in_write) {
        if (Status st = store->PutAnalyses(resketched); !st) return st;
      } else {
        if (Status st = store->BeginWrite(); !st) return st;
        Status st = store->PutAnalyses(resketched);
        if (st) st = store->Commit();
        if (!st) {
          store->Rollback();
          return st;
        }
      }
    }

    Result<std::optional<std::string>> cluster_bytes = store->GetState(kClusterState);
    if (!cluster_bytes) return Fail(cluster_bytes.error());
    Result<cluster::StoryClusterer> cl =
        cluster_bytes->has_value()
            ? cluster::StoryClusterer::Restore(options.cluster, **cluster_bytes)
            : cluster::StoryClusterer::Create(options.cluster);
    if (!cl) return Fail(Error{cl.error().code, "stored clusterer: " + cl.error().message});
    clusterer.emplace(std::move(*cl));

    Result<std::optional<std::string>> clock_bytes = store->GetState(kClockState);
    if (!clock_bytes) return Fail(clock_bytes.error());
    latest_published.reset();
    latest_inferred.reset();
    if (clock_bytes->has_value()) {
      const nlohmann::json j = nlohmann::json::parse(**clock_bytes, nullptr, false);
      if (j.is_object()) {
        if (j.contains("published") && j["published"].is_number_integer()) {
          latest_published = j["published"].get<Timestamp>();
        }
        if (j.contains("inferred") && j["inferred"].is_number_integer()) {
          latest_inferred = j["inferred"].get<Timestamp>();
        }
      }
    }
    Result<std::int64_t> v = store->DataVersion();
    if (!v) return Fail(v.error());
    data_version = *v;
    return Ok();
  }

  // The newest publication times seen, as stored state (JSON).
  std::string ClockState() const {
    nlohmann::json j = nlohmann::json::object();
    if (latest_published) j["published"] = *latest_published;
    if (latest_inferred) j["inferred"] = *latest_inferred;
    return j.dump();
  }

  // The sketch of document `doc` from its analysis (body, language, dates).
  // `shingles` is scratch; the shingler's tokens are those of the body.
  Result<dedup::DocumentSketch> SketchOf(dedup::DocId doc, const store::ArticleAnalysis& an,
                                         text::ShingleSet& shingles) {
    if (Status s = shingler->Shingle(an.body, an.lang, &shingles); !s) {
      return MakeError(s.error().code,
                       "article '" + an.id + "': shingling its body: " + s.error().message);
    }
    dedup::DocumentInput in;
    in.id = doc;
    in.body_hash = BodyHash(an.body);
    in.shingles = shingles.hashes;
    in.shingle_starts = shingles.starts;
    // Only a publication time the input gave orders copies: an inferred date
    // is a day at midnight and would rank a copy before its dated original.
    in.timestamp = an.published_inferred ? 0 : TimeOf(an.published).value_or(0);
    in.body_length = static_cast<std::uint32_t>(an.body.size());
    return sketcher->Sketch(in);
  }

  // Recomputes the stored sketch of article `id` (store key `key`) and queues
  // its analysis, with the new sketch, in `out` for writing back.
  Result<dedup::DocumentSketch> Resketch(std::int64_t key, const std::string& id,
                                         std::vector<store::ArticleAnalysis>& out) {
    Result<std::optional<store::StoredArticle>> stored = store->GetArticle(id);
    if (!stored) return tl::unexpected(stored.error());
    if (!stored->has_value()) return MakeError(ErrorCode::kNotFound, "article vanished");
    store::ArticleAnalysis an = (*stored)->analysis;
    text::ShingleSet shingles;
    Result<dedup::DocumentSketch> sk = SketchOf(static_cast<dedup::DocId>(key), an, shingles);
    if (!sk) return sk;
    an.sketch = sketcher->Serialize(*sk);
    out.push_back(std::move(an));
    return sk;
  }

  Result<BatchReport> Process(std::vector<Article>& batch);
};

Pipeline::Pipeline(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Pipeline::~Pipeline() = default;
store::Store& Pipeline::store() { return *impl_->store; }

Result<std::unique_ptr<Pipeline>> Pipeline::Open(const PipelineOptions& options) {
  if (options.duplicate_window_days < 0) {
    return MakeError(ErrorCode::kInvalidArgument, "the duplicate window must be >= 0 days");
  }
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  if (options.busy_timeout_ms < 0) {
    return MakeError(ErrorCode::kInvalidArgument, "the busy timeout must be >= 0 ms");
  }
  Result<std::unique_ptr<store::Store>> s =
      store::Store::Open(options.db_path, {.busy_timeout_ms = options.busy_timeout_ms});
  if (!s) return Fail(s.error());
  impl->store = std::move(*s);
  if (options.analyse) {
    if (Status st = impl->Load(false); !st) return Fail(st.error());
  }
  return std::unique_ptr<Pipeline>(new Pipeline(std::move(impl)));
}

std::int64_t Pipeline::reloads() const { return impl_->reloads; }

Result<BatchReport> Pipeline::IngestBatch(std::vector<Article> batch) {
  Impl& im = *impl_;
  if (Status s = im.store->BeginWrite(); !s) return Fail(s.error());
  Result<BatchReport> r = BatchReport{};
  if (im.options.analyse) {
    // Another writer committed since this pipeline's state was current:
    // continue from the committed state, which the write lock now freezes.
    Result<std::int64_t> v = im.store->DataVersion();
    if (!v) {
      r = Fail(v.error());
    } else if (*v != im.data_version) {
      ++im.reloads;
      if (Status s = im.Load(true); !s) r = Fail(s.error());
    }
  }
  if (r) r = im.Process(batch);
  if (r) {
    StageTimer timer;
    if (Status s = im.store->Commit(); !s) r = Fail(s.error());
    if (r) timer.Lap("commit", *r);
  }
  if (!r) {
    im.store->Rollback();
    // The models may hold part of the failed batch: reload what was committed.
    if (im.options.analyse) {
      if (Status s = im.Load(false); !s) {
        return Fail(Error{r.error().code, r.error().message +
                                              "; and reloading the pipeline "
                                              "state failed: " +
                                              s.error().message});
      }
    }
  }
  return r;
}

Result<BatchReport> Pipeline::Impl::Process(std::vector<Article>& batch) {
  BatchReport report;
  StageTimer timer;
  // Every way in (JSONL, text, pages, WARC, POST) passes here: an article
  // whose input names no publisher is credited to its URL's host, the name
  // the chrome model already groups it under.
  for (Article& a : batch) FillSourceFromUrl(&a);
  Result<std::vector<store::PutOutcome>> put = store->PutArticles(batch);
  if (!put) return Fail(put.error());
  std::vector<std::size_t> todo;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    switch ((*put)[i]) {
      case store::PutOutcome::kInserted:
        ++report.inserted;
        todo.push_back(i);
        break;
      case store::PutOutcome::kUpdated:
        ++report.updated;
        todo.push_back(i);
        break;
      case store::PutOutcome::kUnchanged:
        ++report.unchanged;
        break;
    }
  }
  if (!options.analyse || todo.empty()) {
    timer.Lap("store", report);
    return report;
  }

  // A later record of the same id in one batch supersedes an earlier one.
  {
    std::map<std::string, std::size_t> last;
    for (std::size_t i : todo) last[batch[i].id] = i;
    todo.clear();
    for (const auto& [id, i] : last) todo.push_back(i);
  }
  // Publication order (undated articles keep input order, after dated ones),
  // the order a stream would have brought them in.
  std::stable_sort(todo.begin(), todo.end(), [&](std::size_t x, std::size_t y) {
    const std::optional<Timestamp> tx = TimeOf(batch[x].published);
    const std::optional<Timestamp> ty = TimeOf(batch[y].published);
    if (tx.has_value() != ty.has_value()) return tx.has_value();
    if (tx && *tx != *ty) return *tx < *ty;
    return x < y;
  });

  std::vector<store::ArticleAnalysis> analyses;
  std::vector<dedup::DocId> docs;  // duplicate-index numbers: the store keys
  analyses.reserve(todo.size());
  for (std::size_t i : todo) {
    Result<std::optional<store::StoredArticle>> stored = store->GetArticle(batch[i].id);
    if (!stored) return Fail(stored.error());
    store::ArticleAnalysis an;
    an.id = batch[i].id;
    an.revision = (*stored)->revision;
    analyses.push_back(std::move(an));
    docs.push_back(static_cast<dedup::DocId>((*stored)->key));
  }

  timer.Lap("store", report);

  // 1. Language.
  for (std::size_t k = 0; k < todo.size(); ++k) {
    Article& a = batch[todo[k]];
    store::ArticleAnalysis& an = analyses[k];
    if (!a.lang.empty()) {
      an.lang = a.lang;
      an.lang_confidence = 1.0;
      continue;
    }
    // A few kilobytes decide the language as well as the whole text, and
    // CLD2's cost grows with the input.
    std::string sample = a.title.empty() ? a.text.substr(0, kLanguageSample)
                                         : a.title + "\n" + a.text.substr(0, kLanguageSample);
    while (!sample.empty() && (static_cast<unsigned char>(sample.back()) & 0xC0) == 0x80) {
      sample.pop_back();
    }
    if (!sample.empty() && static_cast<unsigned char>(sample.back()) >= 0xC0) sample.pop_back();
    Result<text::LanguageGuess> g = text::DetectLanguage(sample);
    an.lang = g ? g->code : std::string(text::kUndetermined);
    an.lang_confidence = g ? g->confidence : 0.0;
    a.lang = an.lang;
  }

  timer.Lap("language", report);

  // 2. Line roles: observe the whole batch first so that a site's chrome in
  // this batch already counts, then classify.
  for (std::size_t i : todo) chrome->Observe(batch[i]);
  // The clusterer also reads byline lines: dates and datelines there tell
  // two happenings of the same kind apart (on ECB+, leaving them out costs
  // 0.024 BCubed F1). Chrome, captions (often dated photos of other days)
  // and repeated lines stay out.
  std::vector<std::string> cluster_text(todo.size());
  std::vector<std::pair<std::string, std::string>> titles;  // (id, title) to store
  for (std::size_t k = 0; k < todo.size(); ++k) {
    const clean::CleanedArticle c = classifier->Classify(batch[todo[k]], &*chrome);
    if (Article& a = batch[todo[k]]; a.title.empty() || a.title_inferred) {
      // The headline cleaning found replaces a guessed title, in the store
      // and for the stages below.
      std::string title = clean::ArticleTitle(a, c);
      if (title != a.title) {
        a.title = std::move(title);
        a.title_inferred = false;
        titles.push_back({a.id, a.title});
      }
    }
    analyses[k].body = c.body;
    analyses[k].lines_json = LinesJson(c);
    for (const clean::Line& l : c.lines) {
      if (clean::IsBodyRole(l.role) || l.role == clean::Role::kByline) {
        cluster_text[k].append(l.text);
        cluster_text[k] += '\n';
      }
    }
  }

  if (Status s = store->SetTitles(titles); !s) return Fail(s.error());
  timer.Lap("clean", report);

  // 3. Publication date, from each article's own context only: its
  // dateline, else its own dates; a date written without a year ("8
  // janvier") takes the year of the article's own full dates (in its text
  // or URLs). Only an article that writes no year of its own borrows a year
  // anchor, nearest evidence first: the articles of its source in this
  // batch, else its neighbours in input order (a stream delivers articles
  // about when they were written), else the newest publication time the
  // input gave. No year is ever voted over the whole batch: a corpus of
  // 2012 articles does not move a 2022 article's "8 janvier".
  for (std::size_t i : todo) {
    if (std::optional<Timestamp> t = TimeOf(batch[i].published)) {
      if (!latest_published || *t > *latest_published) latest_published = *t;
    }
  }
  for (std::size_t k = 0; k < todo.size(); ++k) {
    analyses[k].published = batch[todo[k]].published;
    analyses[k].published_inferred = batch[todo[k]].published_inferred;
  }
  // Days known from the article itself, by batch position: given, or
  // inferred with a year of the article's own.
  std::map<std::size_t, CivilDate> settled;
  std::vector<std::size_t> unsettled;  // indices into todo
  auto set_inferred = [&](std::size_t k, const digest::InferredDate& d) {
    analyses[k].published = FormatDate(d.date);
    analyses[k].published_inferred = true;
  };
  for (std::size_t k = 0; k < todo.size(); ++k) {
    const Article& a = batch[todo[k]];
    if (!a.published.empty()) {
      if (std::optional<Timestamp> t = TimeOf(a.published)) settled[todo[k]] = ToCivilDate(*t);
      continue;
    }
    if (std::optional<digest::InferredDate> d = InferPublished(a, analyses[k].body, std::nullopt)) {
      set_inferred(k, *d);
      settled[todo[k]] = d->date;
    } else {
      unsettled.push_back(k);
    }
  }
  if (!unsettled.empty()) {
    std::map<std::string, std::vector<CivilDate>> by_source;
    for (const auto& [i, day] : settled) {
      if (!batch[i].source.empty()) by_source[batch[i].source].push_back(day);
    }
    auto median = [](std::vector<CivilDate> v) {
      std::sort(v.begin(), v.end());
      return v[v.size() / 2];
    };
    for (std::size_t k : unsettled) {
      const std::size_t i = todo[k];
      const Article& a = batch[i];
      std::optional<CivilDate> anchor;
      if (auto it = by_source.find(a.source); !a.source.empty() && it != by_source.end()) {
        anchor = median(it->second);
      }
      if (!anchor) {
        std::vector<CivilDate> near;
        const std::size_t from = i >= kNeighbours ? i - kNeighbours : 0;
        for (auto it = settled.lower_bound(from);
             it != settled.end() && it->first <= i + kNeighbours; ++it) {
          near.push_back(it->second);
        }
        if (!near.empty()) anchor = median(near);
      }
      if (!anchor && latest_published) anchor = ToCivilDate(*latest_published);
      if (!anchor) continue;  // nothing to date it by: left undated
      if (std::optional<digest::InferredDate> d = InferPublished(a, analyses[k].body, anchor)) {
        set_inferred(k, *d);
      }
    }
  }
  for (std::size_t k = 0; k < todo.size(); ++k) {
    if (!analyses[k].published_inferred || !batch[todo[k]].published.empty()) continue;
    if (std::optional<Timestamp> t = TimeOf(analyses[k].published)) {
      if (!latest_inferred || *t > *latest_inferred) latest_inferred = *t;
    }
  }

  timer.Lap("dates", report);

  // 4. Duplicates.
  text::ShingleSet shingles;
  std::set<dedup::DocId> touched_docs;
  std::vector<store::DuplicateRecord> pairs;
  // Changed articles leave the index with their old pairs before their new
  // version is added; the rest of their old group is relabelled below.
  {
    std::vector<dedup::DocId> changed;
    for (std::size_t k = 0; k < todo.size(); ++k) {
      if (!index->Contains(docs[k])) continue;
      changed.push_back(docs[k]);
      if (std::optional<dedup::GroupInfo> g = index->Group(docs[k])) {
        touched_docs.insert(g->members.begin(), g->members.end());
      }
      if (Status s = store->DeleteDuplicatesOf(batch[todo[k]].id); !s) return Fail(s.error());
    }
    index->Remove(changed);
  }
  for (std::size_t k = 0; k < todo.size(); ++k) {
    const Article& a = batch[todo[k]];
    store::ArticleAnalysis& an = analyses[k];
    const dedup::DocId doc = docs[k];
    Result<dedup::DocumentSketch> sk = SketchOf(doc, an, shingles);
    if (!sk) return Fail(sk.error());
    an.sketch = sketcher->Serialize(*sk);
    Result<dedup::AddOutcome> out = index->Add(std::move(*sk));
    if (!out) return Fail(out.error());
    id_of_doc[doc] = a.id;
    touched_docs.insert(doc);
    const std::span<const text::Token> tokens = shingler->tokens();
    for (const dedup::DuplicatePair& p : out->pairs) {
      store::DuplicateRecord rec;
      rec.a = a.id;
      rec.b = id_of_doc[p.other];
      rec.relation = std::string(dedup::RelationName(p.relation));
      rec.jaccard = p.jaccard;
      rec.containment = p.containment;
      json evidence = json::array();
      for (const dedup::Passage& e : p.evidence) {
        if (e.begin_token >= tokens.size() || e.end_token == 0) continue;
        const std::size_t last = std::min<std::size_t>(e.end_token, tokens.size()) - 1;
        const std::size_t b = tokens[e.begin_token].span.begin;
        const std::size_t end = tokens[last].span.end;
        if (b < end && end <= an.body.size()) evidence.push_back(an.body.substr(b, end - b));
      }
      rec.evidence_json = evidence.dump(-1, ' ', false, json::error_handler_t::replace);
      pairs.push_back(std::move(rec));
      touched_docs.insert(p.other);
    }
  }
  report.duplicate_pairs = static_cast<std::int64_t>(pairs.size());
  if (Status s = store->PutDuplicates(pairs); !s) return Fail(s.error());

  // Groups of every document whose group may have changed: label = the
  // canonical article's id; copy_of = the member each copy copies.
  std::map<std::string, std::string> copy_of_new;  // for articles of this batch
  {
    std::set<dedup::DocId> members;
    for (dedup::DocId d : touched_docs) {
      if (std::optional<dedup::GroupInfo> g = index->Group(d)) {
        members.insert(g->members.begin(), g->members.end());
      }
    }
    std::vector<std::array<std::string, 3>> rows;
    for (dedup::DocId d : members) {
      std::optional<dedup::GroupInfo> g = index->Group(d);
      if (!g) continue;
      std::array<std::string, 3> row;
      row[0] = id_of_doc[d];
      if (g->members.size() > 1) row[1] = id_of_doc[g->canonical];
      if (std::optional<dedup::CopyLink> link = index->CopyOf(d)) row[2] = id_of_doc[link->source];
      copy_of_new[row[0]] = row[2];
      rows.push_back(std::move(row));
    }
    for (store::ArticleAnalysis& an : analyses) {
      const auto it = copy_of_new.find(an.id);
      if (it != copy_of_new.end()) {
        an.copy_of = it->second;
        for (const auto& row : rows) {
          if (row[0] == an.id) an.dup_group = row[1];
        }
      }
    }
    if (Status s = store->SetDupGroups(rows); !s) return Fail(s.error());
  }

  timer.Lap("duplicates", report);

  // 5. Stories.
  std::set<std::string> touched_stories;
  // Article id -> story and storyline, for copies of articles of this batch.
  std::unordered_map<std::string, std::pair<std::string, std::string>> batch_story;
  for (std::size_t k = 0; k < todo.size(); ++k) {
    const Article& a = batch[todo[k]];
    store::ArticleAnalysis& an = analyses[k];
    if (clusterer->StoryOf(a.id)) {
      // A changed article keeps its story.
      an.story = *clusterer->StoryOf(a.id);
      an.storyline = clusterer->StorylineOf(an.story).value_or("");
      touched_stories.insert(an.story);
      continue;
    }
    cluster::ArticleFeatures f;
    f.id = a.id;
    // Only dates the input gave: an inferred date (from a dateline or the
    // most frequent date in the text) is too noisy for the time feature and
    // split ECB+ stories whose texts mention different days.
    if (!an.published_inferred) f.published = TimeOf(an.published);
    f.lang = an.lang;
    f.title = a.title;
    f.body = cluster_text[k];
    std::string copy_storyline;
    if (!an.copy_of.empty()) {
      f.copy_of = an.copy_of;
      // The original's story, for when the clusterer has frozen it: from
      // this batch (not stored yet) or from the store.
      if (const auto it = batch_story.find(an.copy_of); it != batch_story.end()) {
        f.copy_of_story = it->second.first;
        copy_storyline = it->second.second;
      } else {
        Result<std::optional<store::StoredArticle>> orig = store->GetArticle(an.copy_of);
        if (!orig) return Fail(orig.error());
        if (orig->has_value() && !(*orig)->analysis.story.empty()) {
          f.copy_of_story = (*orig)->analysis.story;
          copy_storyline = (*orig)->analysis.storyline;
        }
      }
    }
    Result<cluster::Assignment> as = clusterer->Add(f);
    if (!as) return Fail(as.error());
    an.story = as->story;
    // A copy that joined its original's frozen story keeps that story's
    // storyline, which the clusterer no longer holds.
    an.storyline = as->storyline.empty() ? copy_storyline : as->storyline;
    batch_story[a.id] = {an.story, an.storyline};
    if (as->new_story) ++report.new_stories;
    touched_stories.insert(as->story);
  }
  if (Status s = store->PutAnalyses(analyses); !s) return Fail(s.error());
  for (const cluster::StoryMerge& m : clusterer->TakeMerges()) {
    const std::string storyline = clusterer->StorylineOf(m.into).value_or(m.into_storyline);
    if (Status s = store->RelabelStory(m.from, m.into, storyline); !s) return Fail(s.error());
    touched_stories.erase(m.from);
    touched_stories.insert(m.into);
  }
  for (const cluster::StorylineMerge& m : clusterer->TakeStorylineMerges()) {
    if (Status s = store->RelabelStoryline(m.from, m.into); !s) return Fail(s.error());
  }
  clusterer->TakeFrozen();

  timer.Lap("stories", report);

  // 6. Digests of the touched stories, then their storylines.
  // "Today", for stories whose texts give no date, is the newest publication
  // seen in the stream when there is one, so results do not depend on when
  // the corpus is ingested.
  const std::optional<Timestamp> anchor = latest_published ? latest_published : latest_inferred;
  const FixedClock stream_clock(anchor.value_or(0));
  const Clock& clock = anchor ? static_cast<const Clock&>(stream_clock) : SystemClock();
  if (Status s = UpdateStories(*store, touched_stories, clock, options.digest); !s) {
    return Fail(s.error());
  }

  timer.Lap("digests", report);

  if (Status s = store->PutState(kChromeState, chrome->Serialize()); !s) return Fail(s.error());
  if (Status s = store->PutState(kClockState, ClockState()); !s) return Fail(s.error());
  Result<std::string> cstate = clusterer->Serialize();
  if (!cstate) return Fail(cstate.error());
  if (Status s = store->PutState(kClusterState, *cstate); !s) return Fail(s.error());
  timer.Lap("state", report);
  return report;
}

}  // namespace storyline::pipeline
