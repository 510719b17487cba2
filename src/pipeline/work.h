// What the pipeline's stages share within one batch (private to the
// pipeline): the state carried from batch to batch, one work record per
// article, and the batch context every stage runs with.
#ifndef STORYLINE_PIPELINE_WORK_H_
#define STORYLINE_PIPELINE_WORK_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "pipeline/thread_pool.h"
#include "storyline/clean/chrome_model.h"
#include "storyline/clean/line_classifier.h"
#include "storyline/cluster/story_clusterer.h"
#include "storyline/core/article.h"
#include "storyline/core/date.h"
#include "storyline/dedup/duplicate_index.h"
#include "storyline/dedup/sketch.h"
#include "storyline/pipeline/pipeline.h"
#include "storyline/store/store.h"
#include "storyline/text/shingles.h"

namespace storyline::pipeline {

// The models and counters that carry over from one batch to the next,
// loaded from the store on Open (and after another writer's commits) and
// saved with every batch (see state.h).
struct PipelineState {
  std::optional<clean::LineClassifier> classifier{};
  std::optional<clean::ChromeModel> chrome{};
  // One shingler per pool thread (a Shingler keeps scratch between calls).
  std::vector<text::Shingler> shinglers{};
  std::optional<dedup::Sketcher> sketcher{};
  std::optional<dedup::DuplicateIndex> index{};
  std::optional<cluster::StoryClusterer> clusterer{};
  // The chrome model and the clusterer are stored whole, then as change
  // records after it (state.cc): what the store holds of each.
  struct Stepped {
    std::size_t whole_bytes = 0;   // the whole state's
    std::size_t change_bytes = 0;  // the records' since, together
    std::uint64_t next_change = 1;
  };
  Stepped chrome_saved{};
  Stepped cluster_saved{};
  // Duplicate-index document numbers are store keys; their article ids.
  std::unordered_map<dedup::DocId, std::string> id_of_doc{};
  // Newest publication time seen (a year hint for dates written without
  // one), given by the input and inferred from texts.
  std::optional<Timestamp> latest_published{};
  std::optional<Timestamp> latest_inferred{};
  // The store's data version when the state above was last in step with
  // the committed store (see Store::DataVersion).
  std::int64_t data_version = -1;
};

// One new or changed article of a batch as it passes the stages, which fill
// in its analysis; the stories stage stores it.
struct ArticleWork {
  // The batch's record. The language stage fills in a language the input
  // did not give, the clean stage a title it found.
  Article* article = nullptr;
  // Its position in the batch as given (input order).
  std::size_t position = 0;
  // Its store key, which is also its duplicate-index number.
  dedup::DocId doc = 0;
  store::ArticleAnalysis analysis{};
  // Clean: the body and byline lines the clusterer reads.
  std::string cluster_text{};
  // Clean: the title cleaning found replaced the input's (to be stored).
  bool title_found = false;
  // Duplicates: the sketch, until the index takes it, and the byte span in
  // the body of every token the sketch numbers (to quote a pair's evidence).
  std::optional<dedup::DocumentSketch> sketch{};
  std::vector<std::pair<std::uint32_t, std::uint32_t>> token_spans{};
};

// What the stages of one batch run with.
struct BatchContext {
  store::Store& store;
  const PipelineOptions& options;
  PipelineState& state;
  ThreadPool& pool;
  BatchReport& report;
  // The new and changed articles, in publication order (see StoreArticles).
  std::vector<ArticleWork>& work;
  // Stories: the stories the batch changed, whose digests are rebuilt.
  std::set<std::string> touched_stories{};
};

// A publication time given as ISO 8601, or nullopt.
inline std::optional<Timestamp> TimeOf(const std::string& published) {
  if (published.empty()) return std::nullopt;
  Result<Timestamp> t = ParseIso8601(published);
  if (!t) return std::nullopt;
  return *t;
}

}  // namespace storyline::pipeline

#endif  // STORYLINE_PIPELINE_WORK_H_
