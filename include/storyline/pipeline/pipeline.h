// The ingest pipeline: takes batches of articles as read from input, runs
// every analysis stage on them and commits each batch to the store in one
// transaction.
//
//   Result<std::unique_ptr<Pipeline>> p = Pipeline::Open({.db_path = "storyline.db"});
//   Result<BatchReport> r = (*p)->IngestBatch(std::move(articles));
//   // once r is ok, the batch is durable: a crash after this loses nothing of it
//
// A Pipeline owns its store connection and is not thread-safe.
#ifndef STORYLINE_PIPELINE_PIPELINE_H_
#define STORYLINE_PIPELINE_PIPELINE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "storyline/core/article.h"
#include "storyline/core/result.h"
#include "storyline/store/store.h"

namespace storyline::pipeline {

struct PipelineOptions {
  // db_path ("storyline.db"): the store file; ":memory:" for a private one.
  std::string db_path = "storyline.db";
};

// What one IngestBatch call did.
struct BatchReport {
  std::int64_t inserted = 0;
  std::int64_t updated = 0;
  std::int64_t unchanged = 0;

  BatchReport& operator+=(const BatchReport& o) {
    inserted += o.inserted;
    updated += o.updated;
    unchanged += o.unchanged;
    return *this;
  }
};

class Pipeline {
 public:
  static Result<std::unique_ptr<Pipeline>> Open(const PipelineOptions& options);

  // Processes and commits `batch` atomically. On error nothing of the batch
  // is stored and the pipeline stays usable.
  Result<BatchReport> IngestBatch(std::vector<Article> batch);

  store::Store& store() { return *store_; }

 private:
  explicit Pipeline(std::unique_ptr<store::Store> store) : store_(std::move(store)) {}
  std::unique_ptr<store::Store> store_;
};

}  // namespace storyline::pipeline

#endif  // STORYLINE_PIPELINE_PIPELINE_H_
