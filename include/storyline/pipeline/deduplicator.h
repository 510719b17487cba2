// CorpusDeduplicator: exact, near and partial copies in a stream of articles,
// without a store: what `storyline dedup` runs.
//
//   DedupOptions options;
//   options.threads = 2;
//   options.spill_dir = "/tmp";   // fingerprints on disk; "" keeps them in memory
//   Result<std::unique_ptr<CorpusDeduplicator>> d = CorpusDeduplicator::Create(options);
//   (*d)->set_pair_sink([](const DedupPair& p) -> Status { Write(p); return Ok(); });
//   for (Article& a : articles) {
//     Result<std::optional<std::string>> replaced = (*d)->Add(std::move(a));
//     if (!replaced) return replaced.error();   // a stage failed
//   }
//   Status s = (*d)->Finish();
//   s = (*d)->ForEachResult([](const DedupResult& r) -> Status { Print(r); return Ok(); });
//
// The articles go through ingest's own stages on batches cut as ingest cuts
// them (options.batch_articles, batch_bytes): the source credited from the
// URL, the language detected when the input gave none, the site chrome
// learned in publication order over the batch and every batch before it,
// each article's lines classified and its body sketched, then the sketches
// added to a DuplicateIndex with the pipeline's options, in publication
// order. So the groups, their canonical articles and each copy's `copy_of`
// are the ones `storyline ingest` stores for the same inputs (a test holds
// them equal). Dates are not inferred: only a publication time the input
// gives orders copies, in ingest as here.
//
// Repeated ids follow ingest too: within a batch the later record takes the
// earlier one's place (Add returns the earlier origin, for the caller to
// report); in a later batch a record with the same content is ignored and
// one with other content replaces the article (its old pairs are dropped).
//
// Memory: per article, its id, a content hash and the duplicate index's
// entries (~1 KB in all; see DuplicateIndex's memory note). The shingle
// fingerprints that verify candidates (~4 bytes per distinct shingle) spill
// to an unlinked temporary file in options.spill_dir unless it is empty,
// when the index keeps them in memory. The texts of one batch at a time.
//
// Not thread-safe: one caller; the per-article work runs on its own pool of
// options.threads threads, and no result depends on their number.
#ifndef STORYLINE_PIPELINE_DEDUPLICATOR_H_
#define STORYLINE_PIPELINE_DEDUPLICATOR_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "storyline/clean/line_classifier.h"
#include "storyline/core/article.h"
#include "storyline/core/result.h"
#include "storyline/dedup/duplicate_index.h"
#include "storyline/dedup/sketch.h"
#include "storyline/text/shingles.h"

namespace storyline::pipeline {

struct DedupOptions {
  // threads (1; 0 = std::thread::hardware_concurrency()): threads for the
  // per-article work (language, cleaning, sketches), the caller's included.
  // kInvalidArgument from Create when negative.
  int threads = 1;
  // batch_articles (2000) and batch_bytes (32 MiB of text and HTML): a batch
  // is processed once it reaches either, as `storyline ingest` commits its
  // batches; the chrome model learns a whole batch before its articles are
  // classified, so equal batches give ingest's exact results. Both >= 1.
  std::size_t batch_articles = 2000;
  std::size_t batch_bytes = 32u << 20;
  // spill_dir ("" = keep in memory): a folder for the temporary file that
  // holds the shingle fingerprints candidates are verified on; it is
  // unlinked on creation, so nothing is left behind. kIo from Create when
  // no file can be made there.
  std::string spill_dir;
  // evidence (false): quote the shared passages of each verified pair
  // (DedupPair::evidence); costs keeping each article's token spans until
  // it is indexed.
  bool evidence = false;
  // The stages' options, as in PipelineOptions (defaults: the tuned ones).
  clean::CleanOptions clean{};
  text::ShingleOptions shingles{};
  dedup::SketchOptions sketch{};
  dedup::IndexOptions index{};
};

// The duplicate status of one article once the stream is finished.
struct DedupResult {
  std::string id;
  // The id of its dup group's canonical article (the most complete, then
  // the earliest, then the first read: DuplicateIndex's rule); empty when
  // the article is in no group.
  std::string dup_group;
  // The article it copies (DuplicateIndex::CopyOf) and how; empty and
  // nullopt for a canonical article and one in no group.
  std::string copy_of;
  std::optional<dedup::Relation> relation;
  double jaccard = 0;
  double containment = 0;
};

// The result as one line of JSON (docs/schema/dedup.schema.json, without
// the newline): what `storyline dedup` and the distributed job write.
std::string DedupResultLine(const DedupResult& result);

// One verified pair, reported when the later of its articles is indexed.
struct DedupPair {
  std::string a;  // the article indexed later (the evidence is its text)
  std::string b;  // the earlier one
  dedup::Relation relation = dedup::Relation::kNear;
  double jaccard = 0;
  double containment = 0;
  std::vector<std::string> evidence;  // shared passages, with options.evidence
};

// Bytes held, for reports: the index's own accounting plus the deduplicator's
// per-article tables and the spill file's size.
struct DedupMemory {
  std::size_t articles = 0;
  std::size_t index_bytes = 0;      // DuplicateIndex: tables, metadata, pairs
  std::size_t shingle_bytes = 0;    // fingerprints kept in memory (0 when spilled)
  std::size_t article_bytes = 0;    // ids, content hashes, lookup table, spill offsets
  std::uint64_t spilled_bytes = 0;  // fingerprints in the spill file
};

class CorpusDeduplicator {
 public:
  // Validates the options and builds the stages. kInvalidArgument for bad
  // options, kIo when the spill file cannot be made.
  static Result<std::unique_ptr<CorpusDeduplicator>> Create(const DedupOptions& options);
  ~CorpusDeduplicator();

  // Called with every verified pair as it is found (before Add or Finish
  // returns); an error it returns stops the batch and is returned.
  void set_pair_sink(std::function<Status(const DedupPair&)> sink);

  // Queues `article` (in stream order) and processes the batch once it is
  // full. Returns the origin of the record it replaces when the pending
  // batch holds one with its id, else nullopt. An error (a stage failing,
  // the spill file failing) leaves the deduplicator unusable.
  Result<std::optional<std::string>> Add(Article article);

  // Processes the pending batch. Call once at the end of the stream, before
  // ForEachResult.
  Status Finish();

  // Calls `fn` with the result of every distinct article, in the order the
  // ids first appeared; stops at and returns the first error.
  Status ForEachResult(const std::function<Status(const DedupResult&)>& fn) const;

  // Distinct articles indexed so far.
  std::size_t articles() const;
  // The threads the per-article work runs on (options.threads resolved).
  std::size_t threads() const;
  DedupMemory Memory() const;

 private:
  struct Impl;
  explicit CorpusDeduplicator(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace storyline::pipeline

#endif  // STORYLINE_PIPELINE_DEDUPLICATOR_H_
