// CorpusDeduplicator: ingest's language, clean and duplicates stages over a
// stream of batches, with no store behind them.
#include "storyline/pipeline/deduplicator.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <span>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

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

// The ids of the documents, numbered in order of first appearance, in one
// arena, with a lookup by id.
class IdTable {
 public:
  IdTable() : lookup_(16, Hasher{this}, Equal{this}) {}
  IdTable(const IdTable&) = delete;
  IdTable& operator=(const IdTable&) = delete;

  std::string_view Id(dedup::DocId d) const {
    return std::string_view(arena_).substr(starts_[d], starts_[d + 1] - starts_[d]);
  }
  std::optional<dedup::DocId> Find(std::string_view id) const {
    const auto it = lookup_.find(id);
    if (it == lookup_.end()) return std::nullopt;
    return *it;
  }
  // Adds `id` (not yet present) as the next document number.
  dedup::DocId Append(std::string_view id) {
    const auto d = static_cast<dedup::DocId>(starts_.size() - 1);
    arena_.append(id);
    starts_.push_back(arena_.size());
    lookup_.insert(d);
    return d;
  }
  std::size_t size() const { return starts_.size() - 1; }
  std::size_t bytes() const {
    // Each node of the lookup holds a pointer, the number and its hash.
    return arena_.capacity() + starts_.capacity() * sizeof(std::uint64_t) +
           lookup_.bucket_count() * sizeof(void*) + lookup_.size() * 32;
  }

 private:
  struct Hasher {
    using is_transparent = void;
    const IdTable* table;
    std::size_t operator()(std::string_view id) const { return text::Hash64(id); }
    std::size_t operator()(dedup::DocId d) const { return text::Hash64(table->Id(d)); }
  };
  struct Equal {
    using is_transparent = void;
    const IdTable* table;
    std::string_view View(std::string_view id) const { return id; }
    std::string_view View(dedup::DocId d) const { return table->Id(d); }
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return View(a) == View(b);
    }
  };

  std::string arena_;
  std::vector<std::uint64_t> starts_{0};  // id d is arena_[starts_[d], starts_[d + 1])
  std::unordered_set<dedup::DocId, Hasher, Equal> lookup_;
};

}  // namespace

struct CorpusDeduplicator::Impl {
  DedupOptions options;
  std::unique_ptr<ThreadPool> pool;
  PipelineState state;
  std::unique_ptr<FingerprintSpill> spill;  // null: fingerprints in the index
  IdTable ids;
  std::vector<std::uint64_t> content_hashes;  // per document
  PendingBatch pending;
  std::function<Status(const DedupPair&)> sink;
  std::optional<Error> failed;

  // Runs the stages on the pending batch.
  Status Process() {
    std::vector<Article> batch = pending.Take();
    if (batch.empty()) return Ok();
    // Which articles are new or changed, and their document numbers: new
    // ids are numbered in input order, as the store numbers them for ingest
    // (the canonical rule's last tie-break).
    std::vector<std::size_t> changed;
    std::vector<dedup::DocId> doc_of(batch.size(), dedup::kNoDoc);
    std::vector<dedup::DocId> replaced;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      Article& a = batch[i];
      FillSourceFromUrl(&a);
      const std::uint64_t hash = store::Store::ContentHash(a);
      if (std::optional<dedup::DocId> d = ids.Find(a.id)) {
        if (content_hashes[*d] == hash) continue;  // unchanged: nothing to do
        content_hashes[*d] = hash;
        replaced.push_back(*d);
        doc_of[i] = *d;
      } else {
        doc_of[i] = ids.Append(a.id);
        content_hashes.push_back(hash);
      }
      changed.push_back(i);
    }
    if (changed.empty()) return Ok();
    std::vector<ArticleWork> work;
    for (std::size_t i : AnalysisOrder(batch, changed)) {
      ArticleWork w;
      w.article = &batch[i];
      w.position = i;
      w.doc = doc_of[i];
      w.analysis.id = batch[i].id;
      work.push_back(std::move(w));
    }
    if (Status s = DetectWorkLanguages(*pool, work); !s) return s;
    if (Status s = CleanWork(state, *pool, work, /*body_only=*/true); !s) return s;
    for (ArticleWork& w : work) {
      // What the dates stage keeps of a given date: the sketch's timestamp
      // reads a publication time the input gave only.
      w.analysis.published = w.article->published;
      w.analysis.published_inferred = w.article->published_inferred;
    }
    if (Status s = SketchWork(state, *pool, work, /*serialize=*/false); !s) return s;
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
        pair.b = std::string(ids.Id(p.other));
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
  Result<clean::LineClassifier> classifier = clean::LineClassifier::Create(options.clean);
  if (!classifier) return Fail(classifier.error());
  state.classifier.emplace(std::move(*classifier));
  state.chrome.emplace();
  for (std::size_t w = 0; w < impl->pool->size(); ++w) {
    Result<text::Shingler> sh = text::Shingler::Create(options.shingles);
    if (!sh) return Fail(sh.error());
    state.shinglers.push_back(std::move(*sh));
  }
  Result<dedup::Sketcher> sketcher = dedup::Sketcher::Create(options.sketch);
  if (!sketcher) return Fail(sketcher.error());
  state.sketcher.emplace(*sketcher);
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
  const dedup::DuplicateIndex& index = *im.state.index;
  const std::size_t n = im.ids.size();
  // Group sizes by canonical, so that an article alone gets no group.
  std::vector<std::uint32_t> size(n, 0);
  std::vector<dedup::DocId> canonical(n, dedup::kNoDoc);
  for (dedup::DocId d = 0; d < n; ++d) {
    canonical[d] = index.CanonicalOf(d);
    if (canonical[d] < n) ++size[canonical[d]];
  }
  DedupResult r;
  for (dedup::DocId d = 0; d < n; ++d) {
    r.id = std::string(im.ids.Id(d));
    r.dup_group.clear();
    r.copy_of.clear();
    r.relation.reset();
    r.jaccard = 0;
    r.containment = 0;
    if (canonical[d] < n && size[canonical[d]] > 1) {
      r.dup_group = std::string(im.ids.Id(canonical[d]));
      if (std::optional<dedup::CopyLink> link = index.CopyOf(d)) {
        r.copy_of = std::string(im.ids.Id(link->source));
        r.relation = link->relation;
        r.jaccard = link->jaccard;
        r.containment = link->containment;
      }
    }
    if (Status s = fn(r); !s) return s;
  }
  return Ok();
}

std::size_t CorpusDeduplicator::articles() const { return impl_->ids.size(); }

std::size_t CorpusDeduplicator::threads() const { return impl_->pool->size(); }

DedupMemory CorpusDeduplicator::Memory() const {
  const Impl& im = *impl_;
  const dedup::MemoryUsage m = im.state.index->Memory();
  DedupMemory out;
  out.articles = im.ids.size();
  out.index_bytes = m.index_bytes + m.pair_bytes;
  out.shingle_bytes = m.shingle_bytes;
  out.article_bytes = im.ids.bytes() + im.content_hashes.capacity() * sizeof(std::uint64_t) +
                      (im.spill ? im.spill->table_bytes() : 0);
  out.spilled_bytes = im.spill ? im.spill->bytes() : 0;
  return out;
}

}  // namespace storyline::pipeline
