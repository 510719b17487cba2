// The orchestrator: opens the store, owns each batch's transaction and runs
// the stages (stages.h) in order, timing each.
#include "storyline/pipeline/pipeline.h"

#include <memory>
#include <utility>
#include <vector>

#include "pipeline/stage_timer.h"
#include "pipeline/stages.h"
#include "pipeline/state.h"
#include "pipeline/thread_pool.h"
#include "pipeline/work.h"

namespace storyline::pipeline {
namespace {

// The analysis stages, in the order they run on a batch (after the store
// stage), with the names their times are reported under.
struct Stage {
  const char* name;
  Status (*run)(BatchContext&);
};
constexpr Stage kStages[] = {
    {"language", DetectLanguages},  {"clean", CleanArticles},    {"dates", DateArticles},
    {"duplicates", FindDuplicates}, {"stories", ClusterStories}, {"digests", UpdateDigests},
    {"state", SaveState},
};

}  // namespace

struct Pipeline::Impl {
  PipelineOptions options;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<ThreadPool> pool;
  PipelineState state;
  std::int64_t reloads = 0;

  Status Load(bool in_write) { return LoadState(*store, options, pool->size(), in_write, state); }

  // Runs every stage on `batch` inside the caller's write transaction.
  Result<BatchReport> Process(std::vector<Article>& batch) {
    BatchReport report;
    StageTimer timer;
    Result<std::vector<ArticleWork>> work =
        StoreArticles(*store, *pool, options.analyse, batch, report);
    if (!work) return Fail(work.error());
    timer.Lap("store", report);
    if (work->empty()) return report;
    BatchContext context{.store = *store,
                         .options = options,
                         .state = state,
                         .pool = *pool,
                         .report = report,
                         .work = *work};
    for (const Stage& stage : kStages) {
      if (Status s = stage.run(context); !s) return Fail(s.error());
      timer.Lap(stage.name, report);
    }
    return report;
  }
};

Pipeline::Pipeline(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Pipeline::~Pipeline() = default;
store::Store& Pipeline::store() { return *impl_->store; }

Result<std::unique_ptr<Pipeline>> Pipeline::Open(const PipelineOptions& options) {
  if (options.duplicate_window_days < 0) {
    return MakeError(ErrorCode::kInvalidArgument, "the duplicate window must be >= 0 days");
  }
  if (options.busy_timeout_ms < 0) {
    return MakeError(ErrorCode::kInvalidArgument, "the busy timeout must be >= 0 ms");
  }
  if (options.threads < 0) {
    return MakeError(ErrorCode::kInvalidArgument, "the thread count must be >= 0");
  }
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  Result<std::unique_ptr<store::Store>> s =
      store::Store::Open(options.db_path, {.busy_timeout_ms = options.busy_timeout_ms});
  if (!s) return Fail(s.error());
  impl->store = std::move(*s);
  impl->pool = std::make_unique<ThreadPool>(ResolveThreads(options.threads));
  if (options.analyse) {
    if (Status st = impl->Load(false); !st) return Fail(st.error());
  }
  return std::unique_ptr<Pipeline>(new Pipeline(std::move(impl)));
}

std::int64_t Pipeline::reloads() const { return impl_->reloads; }

std::size_t Pipeline::threads() const { return impl_->pool->size(); }

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
    } else if (*v != im.state.data_version) {
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

}  // namespace storyline::pipeline
