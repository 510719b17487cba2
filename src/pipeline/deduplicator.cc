// CorpusDeduplicator: ingest's language, clean and duplicates stages over a
// stream of batches, with no store behind them.
#include "storyline/pipeline/deduplicator.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <span>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "pipeline/dedup_common.h"
#include "pipeline/stages.h"
#include "pipeline/thread_pool.h"
#include "pipeline/work.h"
#include "storyline/core/source.h"
#include "storyline/pipeline/pending_batch.h"
#include "storyline/store/store.h"

namespace storyline::pipeline {
namespace {

// The shingle fingerprints of every indexed document in an unlinked
// temporary file, read back when the index verifies a candidate: the
// verification data is then on disk (in the page cache while it fits) and
// the process keeps 12 bytes per document. Appends are buffered; a fetch of
// a document still in the buffer is served from it.
class FingerprintSpill final : public dedup::ShingleSource {
 public:
  static Result<std::unique_ptr<FingerprintSpill>> Create(const std::string& dir) {
    std::string path = (std::filesystem::path(dir) / "storyline-dedup-XXXXXX").string();
    const int fd = ::mkstemp(path.data());
    if (fd < 0) {
      return MakeError(ErrorCode::kIo,
                       "cannot make a spill file in " + dir + ": " + std::strerror(errno));
    }
    ::unlink(path.c_str());  // gone when closed, even after a crash
    return std::unique_ptr<FingerprintSpill>(new FingerprintSpill(fd));
  }
  ~FingerprintSpill() override { ::close(fd_); }
  FingerprintSpill(const FingerprintSpill&) = delete;
  FingerprintSpill& operator=(const FingerprintSpill&) = delete;

  // Records `fingerprints` as document `id`'s, replacing what it had.
  Status Put(dedup::DocId id, std::span<const std::uint32_t> fingerprints) {
    if (id >= offsets_.size()) {
      offsets_.resize(id + 1, 0);
      counts_.resize(id + 1, 0);
    }
    offsets_[id] = flushed_ + buffer_.size();
    counts_[id] = static_cast<std::uint32_t>(fingerprints.size());
    buffer_.insert(buffer_.end(), fingerprints.begin(), fingerprints.end());
    return buffer_.size() >= kBufferWords ? Flush() : Ok();
  }

  bool Fetch(dedup::DocId id, std::vector<std::uint32_t>& out) const override {
    if (id >= offsets_.size()) return false;
    const std::uint64_t at = offsets_[id];
    const std::uint32_t n = counts_[id];
    out.resize(n);
    if (n == 0) return true;
    if (at >= flushed_) {
      const std::size_t from = static_cast<std::size_t>(at - flushed_);
      std::memcpy(out.data(), buffer_.data() + from, n * sizeof(std::uint32_t));
      return true;
    }
    const std::size_t bytes = n * sizeof(std::uint32_t);
    std::size_t done = 0;
    while (done < bytes) {
      const ssize_t r = ::pread(fd_, reinterpret_cast<char*>(out.data()) + done, bytes - done,
                                static_cast<off_t>(at * sizeof(std::uint32_t) + done));
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) {
        // The index skips a candidate it cannot fetch; the failure is kept
        // so that the deduplicator stops instead of missing pairs silently.
        if (error_.empty()) {
          error_ = r < 0 ? std::strerror(errno) : std::string("unexpected end of file");
        }
        return false;
      }
      done += static_cast<std::size_t>(r);
    }
    return true;
  }

  // The first read failure since the start, as a Status.
  Status status() const {
    if (error_.empty()) return Ok();
    return MakeError(ErrorCode::kIo, "reading the dedup spill file: " + error_);
  }

  std::uint64_t bytes() const { return (flushed_ + buffer_.size()) * sizeof(std::uint32_t); }
  std::size_t table_bytes() const {
    return offsets_.capacity() * sizeof(std::uint64_t) +
           counts_.capacity() * sizeof(std::uint32_t) + buffer_.capacity() * sizeof(std::uint32_t);
  }

 private:
  static constexpr std::size_t kBufferWords = 1u << 18;  // 1 MiB

  explicit FingerprintSpill(int fd) : fd_(fd) { buffer_.reserve(kBufferWords + 4096); }

  Status Flush() {
    const char* p = reinterpret_cast<const char*>(buffer_.data());
    std::size_t left = buffer_.size() * sizeof(std::uint32_t);
    while (left > 0) {
      const ssize_t w = ::write(fd_, p, left);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) {
        return MakeError(ErrorCode::kIo, std::string("writing the dedup spill file: ") +
                                             (w < 0 ? std::strerror(errno) : "no space"));
      }
      p += w;
      left -= static_cast<std::size_t>(w);
    }
    flushed_ += buffer_.size();
    buffer_.clear();
    return Ok();
  }

  int fd_;
  std::vector<std::uint64_t> offsets_;  // per document, in 32-bit words
  std::vector<std::uint32_t> counts_;   // per document
  std::vector<std::uint32_t> buffer_;   // appended, not yet written
  std::uint64_t flushed_ = 0;           // words written to the file
  mutable std::string error_;
};

}  // namespace

struct CorpusDeduplicator::Impl {
  DedupOptions options;
  std::unique_ptr<ThreadPool> pool;
  PipelineState state;
  std::unique_ptr<FingerprintSpill> spill;  // null: fingerprints in the index
  DedupIntake intake;
  PendingBatch pending;
  std::function<Status(const DedupPair&)> sink;
  std::optional<Error> failed;

  // Runs the stages on the pending batch.
  Status Process() {
    std::vector<Article> batch = pending.Take();
    if (batch.empty()) return Ok();
    std::vector<dedup::DocId> replaced;
    std::vector<ArticleWork> work = intake.Admit(batch, &replaced);
    if (work.empty()) return Ok();
    // The model learns the whole batch, in order, before any article of it
    // is classified (as ingest's clean stage does).
    for (const ArticleWork& w : work) state.chrome->Observe(*w.article);
    if (Status s = SketchForDedup(state, *state.chrome, *pool, work); !s) return s;
    state.index->Remove(replaced);
    for (ArticleWork& w : work) {
      if (Status s = AddToIndex(w); !s) return s;
    }
    return Ok();
  }

  // Indexes one sketched article and reports its verified pairs.
  Status AddToIndex(ArticleWork& w) {
    if (spill) {
      if (Status s = spill->Put(w.doc, w.sketch->shingles); !s) return s;
    }
    Result<dedup::AddOutcome> out = state.index->Add(std::move(*w.sketch));
    w.sketch.reset();
    if (!out) return Fail(out.error());
    if (spill) {
      if (Status s = spill->status(); !s) return s;
    }
    if (sink) {
      for (const dedup::DuplicatePair& p : out->pairs) {
        DedupPair pair;
        pair.a = w.analysis.id;
        pair.b = std::string(intake.ids.Id(p.other));
        pair.relation = p.relation;
        pair.jaccard = p.jaccard;
        pair.containment = p.containment;
        if (options.evidence) pair.evidence = EvidenceTexts(w, p);
        if (Status s = sink(pair); !s) return s;
      }
    }
    w.token_spans = {};
    w.analysis.body = {};
    return Ok();
  }

  // Keeps the first failure: the stages' state may hold part of a batch.
  Status Check(Status s) {
    if (!s) failed = s.error();
    return s;
  }
};

CorpusDeduplicator::CorpusDeduplicator(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CorpusDeduplicator::~CorpusDeduplicator() = default;

Result<std::unique_ptr<CorpusDeduplicator>> CorpusDeduplicator::Create(
    const DedupOptions& options) {
  if (options.threads < 0) {
    return MakeError(ErrorCode::kInvalidArgument, "the thread count must be >= 0");
  }
  if (options.batch_articles == 0 || options.batch_bytes == 0) {
    return MakeError(ErrorCode::kInvalidArgument, "the batch limits must be >= 1");
  }
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->pool = std::make_unique<ThreadPool>(ResolveThreads(options.threads));
  PipelineState& state = impl->state;
  if (Status s = BuildDedupState(options, impl->pool->size(), &state); !s) return Fail(s.error());
  state.chrome.emplace();
  if (!options.spill_dir.empty()) {
    Result<std::unique_ptr<FingerprintSpill>> spill = FingerprintSpill::Create(options.spill_dir);
    if (!spill) return Fail(spill.error());
    impl->spill = std::move(*spill);
  }
  dedup::IndexOptions index_options = options.index;
  index_options.window_seconds = 0;  // every article of the corpus is a candidate
  index_options.shingle_source = impl->spill.get();
  Result<dedup::DuplicateIndex> index =
      dedup::DuplicateIndex::Create(index_options, state.sketcher->options());
  if (!index) return Fail(index.error());
  state.index.emplace(std::move(*index));
  return std::unique_ptr<CorpusDeduplicator>(new CorpusDeduplicator(std::move(impl)));
}

void CorpusDeduplicator::set_pair_sink(std::function<Status(const DedupPair&)> sink) {
  impl_->sink = std::move(sink);
}

Result<std::optional<std::string>> CorpusDeduplicator::Add(Article article) {
  Impl& im = *impl_;
  if (im.failed) return Fail(*im.failed);
  std::optional<std::string> replaced = im.pending.Add(std::move(article));
  if (im.pending.Full(im.options.batch_articles, im.options.batch_bytes)) {
    if (Status s = im.Check(im.Process()); !s) return Fail(s.error());
  }
  return replaced;
}

Status CorpusDeduplicator::Finish() {
  Impl& im = *impl_;
  if (im.failed) return Fail(*im.failed);
  return im.Check(im.Process());
}

Status CorpusDeduplicator::ForEachResult(
    const std::function<Status(const DedupResult&)>& fn) const {
  const Impl& im = *impl_;
  if (im.failed) return Fail(*im.failed);
  return ForEachDedupResult(*im.state.index, im.intake.ids, fn);
}

std::string DedupResultLine(const DedupResult& r) {
  using nlohmann::json;
  auto or_null = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
  json j;
  j["id"] = r.id;
  j["dup_group"] = or_null(r.dup_group);
  j["copy_of"] = or_null(r.copy_of);
  if (r.relation) {
    j["relation"] = std::string(dedup::RelationName(*r.relation));
    j["jaccard"] = r.jaccard;
    j["containment"] = r.containment;
  } else {
    j["relation"] = nullptr;
    j["jaccard"] = nullptr;
    j["containment"] = nullptr;
  }
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::size_t CorpusDeduplicator::articles() const { return impl_->intake.ids.size(); }

std::size_t CorpusDeduplicator::threads() const { return impl_->pool->size(); }

DedupMemory CorpusDeduplicator::Memory() const {
  const Impl& im = *impl_;
  const dedup::MemoryUsage m = im.state.index->Memory();
  DedupMemory out;
  out.articles = im.intake.ids.size();
  out.index_bytes = m.index_bytes + m.pair_bytes;
  out.shingle_bytes = m.shingle_bytes;
  out.article_bytes = im.intake.ids.bytes() +
                      im.intake.content_hashes.capacity() * sizeof(std::uint64_t) +
                      (im.spill ? im.spill->table_bytes() : 0);
  out.spilled_bytes = im.spill ? im.spill->bytes() : 0;
  return out;
}

}  // namespace storyline::pipeline
