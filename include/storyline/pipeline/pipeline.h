// The ingest pipeline: takes batches of articles as read from input, runs
// every analysis stage on them and commits each batch to the store in one
// transaction.
//
//   Result<std::unique_ptr<Pipeline>> p = Pipeline::Open({.db_path = "storyline.db"});
//   Result<BatchReport> r = (*p)->IngestBatch(std::move(articles));
//   // once r is ok, the batch is durable: a crash after this loses nothing of it
//
// Stages, per batch (after storing it: new and changed articles only; each
// in its own file in src/pipeline, over one work record per article):
//   1. language (CLD2) when the input gave none;
//   2. line roles and body (clean), site chrome learned from every article
//      seen so far, this batch included;
//   3. publication date inferred from the text when the input gave none;
//   4. duplicates: shingles -> sketch -> the incremental duplicate index;
//      verified pairs with evidence, dup groups and copy links;
//   5. stories and storylines (online clustering; copies join their
//      original's story);
//   6. story digests for every story the batch touched;
//   7. the stages' state, stored with the batch.
// Work that is independent per article (language detection, cleaning,
// dates, shingles and sketches, the clusterer's feature extraction, digests)
// runs on `threads` threads; what depends on the order of articles (the
// chrome model learning, the duplicate index, clustering decisions) runs in
// publication order on the calling thread, so every result is the same for
// any thread count.
// The stages' models (chrome statistics, clusterer state) are stored with
// the batch, and the duplicate index is rebuilt from the stored sketches on
// Open, so a restarted pipeline continues where the last committed batch
// left off. When a batch fails, the store rolls back and the in-memory
// models are reloaded from it.
//
// Several writers (two `ingest` runs, an ingest beside `serve`) may share a
// store: each batch takes the store's write lock first (waiting up to
// busy_timeout_ms for another writer's batch to commit), and when another
// writer has committed since this pipeline last wrote, the stages' state is
// reloaded inside that write transaction before the batch is processed. So
// batches of different writers interleave but each sees the models, story
// ids and duplicate index of every batch committed before it.
//
// A Pipeline owns its store connection and is not thread-safe.
#ifndef STORYLINE_PIPELINE_PIPELINE_H_
#define STORYLINE_PIPELINE_PIPELINE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "storyline/clean/line_classifier.h"
#include "storyline/cluster/story_clusterer.h"
#include "storyline/core/article.h"
#include "storyline/core/result.h"
#include "storyline/dedup/duplicate_index.h"
#include "storyline/dedup/sketch.h"
#include "storyline/digest/digest.h"
#include "storyline/store/store.h"
#include "storyline/text/shingles.h"

namespace storyline::pipeline {

struct PipelineOptions {
  // db_path ("storyline.db"): the store file; ":memory:" for a private one.
  std::string db_path = "storyline.db";
  // analyse (true): run the analysis stages; false stores articles only
  // (for measuring the store alone).
  bool analyse = true;
  // duplicate_window_days (0 = no window): when > 0, the duplicate index
  // keeps only articles published within this many days of the newest one
  // (undated ones count as published when they arrive), so its memory is
  // bounded by the window, not by the store; a copy is then found only when
  // it appears within the window of its original. Pairs already found stay
  // in the store; a group whose older members left the window is relabelled
  // after its newest canonical when a new copy joins it. kInvalidArgument
  // from Open when negative.
  int duplicate_window_days = 0;
  // busy_timeout_ms (60000): how long a batch waits for another writer's
  // batch to commit before IngestBatch fails with kBusy.
  int busy_timeout_ms = 60000;
  // threads (0 = std::thread::hardware_concurrency()): threads that run the
  // per-article work of a batch, the caller's included; results do not
  // depend on it. kInvalidArgument from Open when negative.
  int threads = 0;

  // Each stage's own options; their defaults are the tuned ones, and Open
  // fails with the stage's kInvalidArgument when one is out of range.
  // `sketch` should stay what the store's sketches were made with: stored
  // sketches of other options are recomputed on open. The index's window
  // comes from duplicate_window_days; the digest's clock is the stream's.
  clean::CleanOptions clean{};
  text::ShingleOptions shingles{};
  dedup::SketchOptions sketch{};
  dedup::IndexOptions index{};
  cluster::ClusterOptions cluster{};
  digest::DigestOptions digest{};
};

// Wall-clock and CPU time of one stage, summed over the batches of a
// report. CPU time is the whole process's (every thread's) while the stage
// ran; stages run one after another, so it is the stage's own.
struct StageTime {
  std::string stage;  // "language", "clean", ... in the order they run
  double wall_seconds = 0;
  double cpu_seconds = 0;
};

// What one IngestBatch call did.
struct BatchReport {
  std::int64_t inserted = 0;
  std::int64_t updated = 0;
  std::int64_t unchanged = 0;
  std::int64_t duplicate_pairs = 0;  // verified pairs found
  std::int64_t new_stories = 0;
  // Bytes of model state (chrome model, clusterer, clock) written.
  std::int64_t state_bytes = 0;
  // Time per stage, in the order the stages ran (the store's commit last).
  std::vector<StageTime> stages{};

  // Adds `wall` and `cpu` seconds to the entry of `stage`, appending it
  // when it is new.
  void AddStageTime(const std::string& stage, double wall, double cpu) {
    for (StageTime& t : stages) {
      if (t.stage == stage) {
        t.wall_seconds += wall;
        t.cpu_seconds += cpu;
        return;
      }
    }
    stages.push_back({stage, wall, cpu});
  }

  BatchReport& operator+=(const BatchReport& o) {
    inserted += o.inserted;
    updated += o.updated;
    unchanged += o.unchanged;
    duplicate_pairs += o.duplicate_pairs;
    new_stories += o.new_stories;
    state_bytes += o.state_bytes;
    for (const StageTime& t : o.stages) AddStageTime(t.stage, t.wall_seconds, t.cpu_seconds);
    return *this;
  }
};

class Pipeline {
 public:
  // Opens (or creates) the store and loads the stages' state from it.
  static Result<std::unique_ptr<Pipeline>> Open(const PipelineOptions& options);
  ~Pipeline();

  // Processes and commits `batch` atomically. On error nothing of the batch
  // is stored and the pipeline stays usable.
  Result<BatchReport> IngestBatch(std::vector<Article> batch);

  // How many times the stages' state was reloaded because another writer
  // had committed (for tests and logs).
  std::int64_t reloads() const;

  // The threads a batch's per-article work runs on (options.threads resolved).
  std::size_t threads() const;

  store::Store& store();

 private:
  struct Impl;
  explicit Pipeline(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace storyline::pipeline

#endif  // STORYLINE_PIPELINE_PIPELINE_H_
