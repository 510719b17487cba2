// What `storyline dedup` (CorpusDeduplicator) and the partitioned dedup job
// share (private to the pipeline): the document numbering, the intake of a
// batch, the per-article analysis and the results. Sharing them is what
// makes both give ingest's groups.
#ifndef STORYLINE_PIPELINE_DEDUP_COMMON_H_
#define STORYLINE_PIPELINE_DEDUP_COMMON_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "pipeline/thread_pool.h"
#include "pipeline/work.h"
#include "storyline/pipeline/deduplicator.h"
#include "storyline/text/shingles.h"

namespace storyline::pipeline {

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

// The articles of a corpus seen so far: their numbers and content hashes.
struct DedupIntake {
  IdTable ids;
  std::vector<std::uint64_t> content_hashes;  // per document

  // Credits each article of `batch` to its URL's host when it names no
  // source, and returns a work record (article, position, number, id) for
  // each new or changed one, in ingest's analysis order; `replaced` gets the
  // numbers of changed ones (already indexed under an older content).
  std::vector<ArticleWork> Admit(std::vector<Article>& batch, std::vector<dedup::DocId>* replaced);
};

// The stages' models for dedup: the classifier, one shingler per thread of
// `threads`, the sketcher. kInvalidArgument for bad options.
Status BuildDedupState(const DedupOptions& options, std::size_t threads, PipelineState* state);

// Language, body (lines classified against `chrome`, which has observed the
// batch) and sketch of every article of `work`, on `pool`: what the index
// is given, in ingest's way.
Status SketchForDedup(PipelineState& state, const clean::ChromeModel& chrome, ThreadPool& pool,
                      std::vector<ArticleWork>& work);

// Calls `fn` with the result of every document of `ids`, in number order:
// its group's canonical (when the group has two members or more) and the
// article it copies, from `index`.
Status ForEachDedupResult(const dedup::DuplicateIndex& index, const IdTable& ids,
                          const std::function<Status(const DedupResult&)>& fn);

}  // namespace storyline::pipeline

#endif  // STORYLINE_PIPELINE_DEDUP_COMMON_H_
