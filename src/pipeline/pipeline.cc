#include "storyline/pipeline/pipeline.h"

namespace storyline::pipeline {

Result<std::unique_ptr<Pipeline>> Pipeline::Open(const PipelineOptions& options) {
  Result<std::unique_ptr<store::Store>> s = store::Store::Open(options.db_path);
  if (!s) return Fail(s.error());
  return std::unique_ptr<Pipeline>(new Pipeline(std::move(*s)));
}

Result<BatchReport> Pipeline::IngestBatch(std::vector<Article> batch) {
  Result<std::vector<store::PutOutcome>> put = store_->PutArticles(batch);
  if (!put) return Fail(put.error());
  BatchReport report;
  for (store::PutOutcome o : *put) {
    switch (o) {
      case store::PutOutcome::kInserted: ++report.inserted; break;
      case store::PutOutcome::kUpdated: ++report.updated; break;
      case store::PutOutcome::kUnchanged: ++report.unchanged; break;
    }
  }
  return report;
}

}  // namespace storyline::pipeline
