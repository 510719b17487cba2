#include "pipeline/state.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "pipeline/stages.h"

namespace storyline::pipeline {
namespace {

// The models saved in steps: the whole state under the name, change
// records under the name + "/" + a number of 20 digits (name order is the
// order written).
constexpr const char* kChromeState = "clean.chrome_model";
constexpr const char* kClusterState = "cluster.state";
constexpr const char* kClockState = "pipeline.clock";
// Stored sketches go into the duplicate index this many at a time.
constexpr std::size_t kLoadChunk = 4096;

std::string ChangesPrefix(const char* name) { return std::string(name) + "/"; }

// A model saved in steps as stored: its whole state (none for a new store)
// and the change records after it, read at once; `saved` is set to match.
struct SteppedRows {
  std::optional<std::string> whole;
  std::vector<std::string> changes;
};

Result<SteppedRows> ReadStepped(store::Store& store, const char* name,
                                PipelineState::Stepped& saved) {
  Result<std::vector<std::pair<std::string, std::string>>> rows = store.GetStates(name);
  if (!rows) return Fail(rows.error());
  const std::string prefix = ChangesPrefix(name);
  saved = PipelineState::Stepped{};
  SteppedRows out;
  for (auto& [row_name, value] : *rows) {
    if (row_name == name) {
      saved.whole_bytes = value.size();
      out.whole = std::move(value);
    } else if (row_name.starts_with(prefix)) {
      const std::string_view number = std::string_view(row_name).substr(prefix.size());
      std::uint64_t n = 0;
      const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), n);
      if (ec != std::errc() || end != number.data() + number.size()) {
        return MakeError(ErrorCode::kInvalidInput,
                         "stored state '" + row_name + "': a change record without its number");
      }
      saved.change_bytes += value.size();
      saved.next_change = std::max(saved.next_change, n + 1);
      out.changes.push_back(std::move(value));
    }
  }
  if (!out.whole && !out.changes.empty()) {
    return MakeError(
        ErrorCode::kInvalidInput,
        std::string("stored state '") + name + "': change records without the state they follow");
  }
  return out;
}

// The room left for change records before the whole state is written
// again: once the records since the whole state would add up to more than
// it, it is (so the store holds at most about twice the state, and every
// byte of the state is written at most about twice). None before the first
// whole state.
std::size_t Room(const PipelineState::Stepped& saved) {
  return saved.whole_bytes > saved.change_bytes ? saved.whole_bytes - saved.change_bytes : 0;
}

// Stores `bytes` of model `name`: a change record after the others, or the
// whole state in place of the old one and its records.
// `bytes` is the record's size before the store's compression: the room
// is counted in the model's own bytes.
Status WriteStepped(store::Store& store, const char* name, const store::Store::EncodedState& value,
                    std::size_t bytes, bool whole, PipelineState::Stepped& saved) {
  if (!whole) {
    std::string digits = std::to_string(saved.next_change);
    digits.insert(0, 20 - std::min<std::size_t>(digits.size(), 20), '0');
    if (Status s = store.PutEncodedState(ChangesPrefix(name) + digits, value); !s) return s;
    saved.change_bytes += bytes;
    ++saved.next_change;
    return Ok();
  }
  if (Status s = store.DeleteStates(ChangesPrefix(name)); !s) return s;
  if (Status s = store.PutEncodedState(name, value); !s) return s;
  saved = PipelineState::Stepped{.whole_bytes = bytes};
  return Ok();
}

// The line classifier from the options and the chrome model as stored.
Status LoadCleaning(store::Store& store, const PipelineOptions& options, PipelineState& state) {
  Result<clean::LineClassifier> c = clean::LineClassifier::Create(options.clean);
  if (!c) return Fail(c.error());
  state.classifier.emplace(std::move(*c));
  Result<SteppedRows> rows = ReadStepped(store, kChromeState, state.chrome_saved);
  if (!rows) return Fail(rows.error());
  if (!rows->whole) {
    state.chrome.emplace();
    return Ok();
  }
  Result<clean::ChromeModel> m = clean::ChromeModel::Deserialize(*rows->whole, rows->changes);
  if (!m) return Fail(Error{m.error().code, "stored chrome model: " + m.error().message});
  state.chrome.emplace(std::move(*m));
  return Ok();
}

// The shinglers, the sketcher and an empty duplicate index, from the options.
Status MakeDuplicateModels(const PipelineOptions& options, std::size_t threads,
                           PipelineState& state) {
  state.shinglers.clear();
  for (std::size_t w = 0; w < threads; ++w) {
    Result<text::Shingler> sh = text::Shingler::Create(options.shingles);
    if (!sh) return Fail(sh.error());
    state.shinglers.push_back(std::move(*sh));
  }
  Result<dedup::Sketcher> sk = dedup::Sketcher::Create(options.sketch);
  if (!sk) return Fail(sk.error());
  state.sketcher.emplace(*sk);
  dedup::IndexOptions index_options = options.index;
  index_options.window_seconds = std::int64_t{options.duplicate_window_days} * 86400;
  Result<dedup::DuplicateIndex> ix =
      dedup::DuplicateIndex::Create(index_options, state.sketcher->options());
  if (!ix) return Fail(ix.error());
  state.index.emplace(std::move(*ix));
  state.id_of_doc.clear();
  return Ok();
}

// Recomputes the stored sketch of article `id` (store key `key`) and queues
// its analysis, with the new sketch, in `out` for writing back.
Result<dedup::DocumentSketch> Resketch(store::Store& store, PipelineState& state, std::int64_t key,
                                       const std::string& id,
                                       std::vector<store::ArticleAnalysis>& out) {
  Result<std::optional<store::StoredArticle>> stored = store.GetArticle(id);
  if (!stored) return Fail(stored.error());
  if (!stored->has_value()) return MakeError(ErrorCode::kNotFound, "article vanished");
  store::ArticleAnalysis an = (*stored)->analysis;
  text::ShingleSet shingles;
  Result<dedup::DocumentSketch> sk = SketchArticle(*state.sketcher, state.shinglers.front(),
                                                   static_cast<dedup::DocId>(key), an, shingles);
  if (!sk) return sk;
  an.sketch = state.sketcher->Serialize(*sk);
  out.push_back(std::move(an));
  return sk;
}

// Writes the recomputed sketches back: in the caller's write transaction
// when it holds one, else in a transaction of their own.
Status WriteResketched(store::Store& store, bool in_write,
                       const std::vector<store::ArticleAnalysis>& resketched) {
  if (resketched.empty()) return Ok();
  if (in_write) return store.PutAnalyses(resketched);
  if (Status st = store.BeginWrite(); !st) return st;
  Status st = store.PutAnalyses(resketched);
  if (st) st = store.Commit();
  if (!st) store.Rollback();
  return st;
}

// The first store key whose sketch the duplicate index may still hold: with
// a window, the index keeps no article published before the newest time
// seen less the window (it evicts in steps of an eighth of the window), so
// the stream is replayed from the first article published after that, and
// the index evicts what it replays out of order. Without a window, or with
// no time seen, every sketch counts. The cost of opening a store then
// follows the window, not the store.
Result<std::int64_t> FirstLiveSketchKey(store::Store& store, const PipelineOptions& options,
                                        const PipelineState& state) {
  const std::int64_t window = std::int64_t{options.duplicate_window_days} * 86400;
  if (window <= 0 || !state.latest_published) return 0;
  Result<std::optional<std::int64_t>> key =
      store.FirstKeyPublishedSince(*state.latest_published - window - window / 8);
  if (!key) return Fail(key.error());
  // No article since then: none of the stored sketches is live.
  return key->value_or(std::numeric_limits<std::int64_t>::max());
}

// Rebuilds the duplicate index from the stored sketches of its window
// (FirstLiveSketchKey). Sketches stored by a build with other sketch
// options (a store written before an upgrade) are recomputed from the
// stored bodies and written back.
Status LoadDuplicateIndex(store::Store& store, const PipelineOptions& options, bool in_write,
                          PipelineState& state) {
  Result<std::int64_t> from_key = FirstLiveSketchKey(store, options, state);
  if (!from_key) return Fail(from_key.error());
  std::vector<dedup::DocumentSketch> sketches;
  std::vector<store::ArticleAnalysis> resketched;
  auto add_pending = [&]() -> Status {
    Result<std::vector<dedup::AddOutcome>> r = state.index->AddBatch(std::move(sketches));
    sketches.clear();
    if (!r) return Fail(r.error());
    return Ok();
  };
  Status s = store.ForEachSketch(
      [&](std::int64_t key, std::string_view id, std::string_view blob) -> Status {
        Result<dedup::DocumentSketch> d =
            state.sketcher->Compatible(blob)
                ? state.sketcher->Load(blob)
                : Resketch(store, state, key, std::string(id), resketched);
        if (!d)
          return Fail(Error{d.error().code,
                            "stored sketch of '" + std::string(id) + "': " + d.error().message});
        state.id_of_doc[static_cast<dedup::DocId>(key)] = std::string(id);
        sketches.push_back(std::move(*d));
        return sketches.size() >= kLoadChunk ? add_pending() : Ok();
      },
      *from_key);
  if (!s) return s;
  if (!sketches.empty()) {
    if (Status st = add_pending(); !st) return st;
  }
  return WriteResketched(store, in_write, resketched);
}

// The clusterer as stored (its whole state and the change records after
// it), or a new one.
Status LoadClusterer(store::Store& store, const PipelineOptions& options, PipelineState& state) {
  Result<SteppedRows> rows = ReadStepped(store, kClusterState, state.cluster_saved);
  if (!rows) return Fail(rows.error());
  Result<cluster::StoryClusterer> cl =
      rows->whole ? cluster::StoryClusterer::Restore(options.cluster, *rows->whole, rows->changes)
                  : cluster::StoryClusterer::Create(options.cluster);
  if (!cl) return Fail(Error{cl.error().code, "stored clusterer: " + cl.error().message});
  state.clusterer.emplace(std::move(*cl));
  return Ok();
}

// The stream's clock as stored (JSON; see ClockState).
Status LoadClock(store::Store& store, PipelineState& state) {
  Result<std::optional<std::string>> bytes = store.GetState(kClockState);
  if (!bytes) return Fail(bytes.error());
  state.latest_published.reset();
  state.latest_inferred.reset();
  if (!bytes->has_value()) return Ok();
  const nlohmann::json j = nlohmann::json::parse(**bytes, nullptr, false);
  if (!j.is_object()) return Ok();
  if (j.contains("published") && j["published"].is_number_integer()) {
    state.latest_published = j["published"].get<Timestamp>();
  }
  if (j.contains("inferred") && j["inferred"].is_number_integer()) {
    state.latest_inferred = j["inferred"].get<Timestamp>();
  }
  return Ok();
}

// The newest publication times seen, as stored state (JSON).
std::string ClockState(const PipelineState& state) {
  nlohmann::json j = nlohmann::json::object();
  if (state.latest_published) j["published"] = *state.latest_published;
  if (state.latest_inferred) j["inferred"] = *state.latest_inferred;
  return j.dump();
}

}  // namespace

Status LoadState(store::Store& store, const PipelineOptions& options, std::size_t threads,
                 bool in_write, PipelineState& state) {
  if (Status s = LoadCleaning(store, options, state); !s) return s;
  if (Status s = MakeDuplicateModels(options, threads, state); !s) return s;
  // The clock first: the duplicate index's window is counted from it.
  if (Status s = LoadClock(store, state); !s) return s;
  if (Status s = LoadDuplicateIndex(store, options, in_write, state); !s) return s;
  if (Status s = LoadClusterer(store, options, state); !s) return s;
  Result<std::int64_t> v = store.DataVersion();
  if (!v) return Fail(v.error());
  state.data_version = *v;
  return Ok();
}

Status SaveState(BatchContext& batch) {
  PipelineState& state = batch.state;
  // The two models serialise and compress side by side (they share
  // nothing); the store is written on this thread.
  std::size_t chrome_bytes = 0;
  store::Store::EncodedState chrome;
  bool chrome_whole = false;
  std::size_t cluster_bytes = 0;
  store::Store::EncodedState clusterer;
  bool cluster_whole = false;
  std::optional<Error> cluster_error;
  Status s = batch.pool.ParallelFor(2, [&](std::size_t i, std::size_t) -> Status {
    if (i == 0) {
      const std::string bytes =
          state.chrome->SerializeSince(Room(state.chrome_saved), &chrome_whole);
      chrome_bytes = bytes.size();
      chrome = store::Store::EncodeState(bytes);
    } else {
      Result<std::string> bytes =
          state.clusterer->SerializeSince(Room(state.cluster_saved), &cluster_whole);
      if (!bytes) {
        cluster_error = bytes.error();
        return Ok();
      }
      cluster_bytes = bytes->size();
      clusterer = store::Store::EncodeState(*bytes);
    }
    return Ok();
  });
  if (!s) return s;
  if (cluster_error) return Fail(*cluster_error);
  const std::string clock = ClockState(state);
  batch.report.state_bytes +=
      static_cast<std::int64_t>(chrome_bytes + clock.size() + cluster_bytes);
  if (Status st = WriteStepped(batch.store, kChromeState, chrome, chrome_bytes, chrome_whole,
                               state.chrome_saved);
      !st) {
    return st;
  }
  if (Status st = batch.store.PutState(kClockState, clock); !st) return st;
  return WriteStepped(batch.store, kClusterState, clusterer, cluster_bytes, cluster_whole,
                      state.cluster_saved);
}

}  // namespace storyline::pipeline
