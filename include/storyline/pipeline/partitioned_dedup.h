// The duplicate search of `storyline dedup` cut into tasks over partitions,
// for a distributed engine (python3 -m storyline.distributed runs them on
// Dask) to schedule: the same groups and copy links as CorpusDeduplicator
// on the same input, with the per-article work and the candidate search
// spread over workers.
//
// The tasks exchange opaque byte strings (versioned, little-endian), so an
// engine can move them between processes and machines. One job:
//
//   driver                          workers
//   ------                          -------
//   DedupPlanner::Add(article)...
//   TakeBatch() -> batch b    --->  ObserveBatch(batch)        -> observations
//   LearnChrome(observations) --->  SketchBatch(batch, chrome) -> sketches, meta
//     (in batch order; the only sequential step over texts' keys)
//   Superseded(b)             --->  RouteKeys(sketches, superseded, P)  -> P key shards
//                                   FindCandidates(shard p of every batch) -> hits per batch
//                                   SelectCandidates(sketches b, hits for b) -> selection
//                                   TakeShingles(sketches t, wanted of t)
//                                   VerifyCandidates(sketches b, selection, taken) -> pairs
//   Link(meta b, pairs b) for every b, in order
//   ForEachResult(...)
//
// Why the result equals CorpusDeduplicator's:
//  - batches are cut and numbered by the same intake (DedupPlanner), and
//    each article is analysed by the same code (language, body, sketch);
//  - the chrome model is order-dependent, so it stays on the driver, which
//    counts each batch's line keys in order (a few integers per line, no
//    text) and sends back the model restricted to the batch's own lines:
//    the classifier's lookups then read exactly what the whole model holds;
//  - candidates: every pair sharing a band key, an anchor or a body hash
//    meets in one shard. A shard replays the index's posting rules in add
//    order (a key holds its first max_posting documents; a capped anchor
//    gives no candidates; an exact twin replaces the candidate search);
//    the later document's batch then applies the anchor-fraction and
//    max_candidates rules over its hits from every shard;
//  - verification is exact on the shingle sets, and the driver adds each
//    document's verified pairs to a DuplicateIndex in add order
//    (AddVerified), which keeps the max_pairs strongest and applies the
//    canonical rule, as Add() does.
// What differs: entries a removed (changed) article leaves in the index's
// tables until they are swept still count towards max_posting there, and
// not here; so only a key shared by about max_posting articles, some of
// them changed in a later batch, can tell the two apart.
//
// Data moved per article (defaults): its text once to a worker, ~8 bytes
// per distinct line to the driver and ~40 back, ~60 key records of 37 bytes
// in the shuffle, ~24 bytes per candidate hit, the shingle set of every
// candidate from another batch, ~40 bytes per verified pair and ~28 bytes of
// metadata to the driver.
#ifndef STORYLINE_PIPELINE_PARTITIONED_DEDUP_H_
#define STORYLINE_PIPELINE_PARTITIONED_DEDUP_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storyline/core/article.h"
#include "storyline/core/result.h"
#include "storyline/pipeline/deduplicator.h"

namespace storyline::pipeline {

// The driver's side: the intake, the chrome model, and the final linking.
// Not thread-safe.
class DedupPlanner {
 public:
  // Validates the options as CorpusDeduplicator::Create does (threads and
  // spill_dir are the workers' concern and are ignored here).
  static Result<std::unique_ptr<DedupPlanner>> Create(const DedupOptions& options);
  ~DedupPlanner();

  // Queues `article`, in stream order. Returns the origin of the record it
  // replaces in the pending batch, as CorpusDeduplicator::Add does.
  std::optional<std::string> Add(Article article);
  // Whether the pending batch is full (take it before adding more).
  bool Full() const;
  // The pending batch's new and changed articles, numbered and ordered as
  // CorpusDeduplicator processes them, encoded for ObserveBatch and
  // SketchBatch; nullopt when it changed nothing (no batch number is used).
  // Batches are numbered 0, 1, ... in the order they are taken.
  std::optional<std::string> TakeBatch();

  // Counts the observations of the batch taken last (ObserveBatch's
  // output) into the chrome model and returns the model restricted to that
  // batch's lines, for SketchBatch. Call once per batch, in batch order.
  // kInvalidInput for bytes that are not observations of that batch.
  Result<std::string> LearnChrome(std::string_view observations);

  // Once every batch is taken: the documents of batch `batch` that a later
  // batch changed (their old version takes no part), for RouteKeys.
  std::string Superseded(std::uint32_t batch) const;

  // Adds batch `batch`'s documents (SketchBatch's `meta`) with their
  // verified pairs (VerifyCandidates's output for that batch, any number of
  // parts) to the driver's index. Call for every batch, in batch order,
  // after all are verified. kInvalidInput for bytes of another kind.
  Status Link(std::uint32_t batch, std::string_view meta, std::span<const std::string> pairs);

  // As CorpusDeduplicator::ForEachResult, once every batch is linked.
  Status ForEachResult(const std::function<Status(const DedupResult&)>& fn) const;

  std::uint32_t batches() const;  // batches taken
  std::size_t articles() const;   // distinct articles
  // The model's size now (entries), for reports.
  std::size_t chrome_lines() const;

 private:
  struct Impl;
  explicit DedupPlanner(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// --- Worker tasks: pure functions of their inputs and the options ---------

// The chrome model's observation of every article of a batch.
Result<std::string> ObserveBatch(std::string_view batch);

struct SketchedBatch {
  std::string sketches;  // the batch's sketches, for the tasks below
  std::string meta;      // per document: number, order, body hash, time, length
};
// Language, body and sketch of every article of a batch, its lines
// classified against `chrome` (LearnChrome's output for the batch).
// options.threads threads (1 when 0 is resolved to the cores here too).
Result<SketchedBatch> SketchBatch(std::string_view batch, std::string_view chrome,
                                  const DedupOptions& options);

// The band keys, anchors and body hashes of a batch's documents (less the
// superseded ones), cut into `shards` by key. kInvalidArgument for 0 shards.
Result<std::vector<std::string>> RouteKeys(std::string_view sketches, std::string_view superseded,
                                           std::uint32_t shards, const DedupOptions& options);

// The candidate hits of one key shard (its part from every batch), sorted
// into one string per batch of the later document (`batches` of them).
Result<std::vector<std::string>> FindCandidates(std::span<const std::string> shard_parts,
                                                std::uint32_t batches, const DedupOptions& options);

struct CandidateSelection {
  std::string selected;             // the pairs to verify
  std::vector<std::string> wanted;  // per batch: the documents whose shingles they need
};
// The candidates of a batch's documents, from their hits in every shard,
// as the index selects them.
Result<CandidateSelection> SelectCandidates(std::string_view sketches,
                                            std::span<const std::string> hits,
                                            std::uint32_t batches, const DedupOptions& options);

// The shingle sets (and body hashes) of the `wanted` documents of a batch.
Result<std::string> TakeShingles(std::string_view sketches, std::string_view wanted,
                                 const DedupOptions& options);

// Verifies the selected pairs of a batch's documents on the exact shingle
// sets; `taken` holds TakeShingles's outputs for the other batches.
Result<std::string> VerifyCandidates(std::string_view sketches, std::string_view selected,
                                     std::span<const std::string> taken,
                                     const DedupOptions& options);

}  // namespace storyline::pipeline

#endif  // STORYLINE_PIPELINE_PARTITIONED_DEDUP_H_
