// DuplicateIndex: the in-memory, incremental duplicate engine.
//
//   Result<Sketcher> sketcher = Sketcher::Create(SketchOptions{});
//   Result<DuplicateIndex> index = DuplicateIndex::Create(IndexOptions{}, SketchOptions{});
//   for (each article) {
//     Result<DocumentSketch> s = sketcher->Sketch(input);     // any thread
//     store.Put(input.id, sketcher->Serialize(*s));            // optional
//     Result<AddOutcome> out = index->Add(*std::move(s));      // one writer
//     for (const DuplicatePair& p : out->pairs) {
//       // p.relation, p.jaccard, p.containment; evidence text:
//       for (const Passage& e : p.evidence)
//         Join(tokens_of(p.doc), e.begin_token, e.end_token);
//     }
//     GroupInfo g = *index->Group(input.id);   // canonical + members
//   }
//   // At start-up: index->Add(*sketcher->Load(blob)) for every stored blob,
//   // in any order: the same pairs and groups come back (without evidence).
//
// How a pair is found and decided (see duplicate_index.cc for the why):
//  1. Exact: equal non-zero body hashes (a table body_hash -> documents).
//  2. Candidates, in time sub-linear in the corpus size:
//     a. MinHash LSH: one table entry per band (SketchOptions: 20 bands of 2
//        rows, recall >= 0.99 for Jaccard >= 0.5);
//     b. containment: postings of winnowed anchors (Schleimer et al. 2003).
//        A short copy cut from a long original has a low Jaccard (0.3 for a
//        copy cut at 40%) but shares whole passages, and every shared passage
//        of >= anchor_window shingles shares an anchor. Postings longer than
//        max_posting (boilerplate, stock phrases) are ignored.
//  3. Verification of every candidate on the exact shingle sets: Jaccard and
//     containment |A n B| / min(|A|, |B|). Unverified candidates never link
//     documents.
//  4. Groups: union-find over verified pairs. The canonical member is the
//     most complete one (largest body_length), then the earliest (known
//     timestamps before unknown), then the smallest id.
//
// Exact twins (equal body hashes) are a class: a new twin takes one exact
// pair with its best-ranked live twin and skips the candidate search (its
// shingles, so its other relations, are its twins'), which keeps a story
// republished verbatim by hundreds of sites linear.
//
// Determinism: candidate generation is symmetric (a pair is found when the
// later of its two documents is added, whichever that is), verification is
// exact and the canonical rule is a total order, so the groups, canonicals
// and CopyOf() (which reasons over twin classes), and the set of pairs
// between non-twins, do not depend on insertion order or on the thread
// count used to sketch. The exceptions are floods: a posting list that
// reaches max_posting gets no new entries, max_candidates and max_pairs
// truncate one Add(); they only bite on stock phrases or on stories copied
// hundreds of times. The evidence of a pair refers to the document added
// later; AddBatch() sorts by (timestamp, id) so that it is deterministic too.
//
// Memory: the index proper (band tables, anchor postings, exact and id maps,
// per-document metadata, pairs) is ~0.9 KB per document with the defaults
// (measured by bench/dedup/dedup_scale). Exact verification also needs every
// document's shingle fingerprints (~4 bytes per distinct shingle, ~2.6 KB
// for a 650-shingle article): by default they live in an arena inside the
// index, reported apart in MemoryUsage::shingle_bytes; a pipeline that
// keeps them in its store instead passes a ShingleSource and the index keeps
// none (every candidate check then costs one Fetch).
//
// Thread safety: one writer (Add, AddBatch, EvictOlderThan, Remove) at a time;
// const methods may run concurrently with each other but not with a writer.
#ifndef STORYLINE_DEDUP_DUPLICATE_INDEX_H_
#define STORYLINE_DEDUP_DUPLICATE_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "storyline/core/result.h"
#include "storyline/dedup/sketch.h"

namespace storyline::dedup {

// How two articles are related. Numeric order is strength order.
enum class Relation : uint8_t {
  kExact,    // same normalised body (equal body_hash)
  kNear,     // Jaccard >= IndexOptions::near_jaccard
  kPartial,  // containment >= IndexOptions::partial_containment
};

// "exact" | "near" | "partial", as in the product's JSON.
std::string_view RelationName(Relation relation);

// A passage shared by both documents of a pair, as a token range [begin_token,
// end_token) of DuplicatePair::doc (tokens as numbered by shingle_starts).
struct Passage {
  uint32_t begin_token = 0;
  uint32_t end_token = 0;
  uint32_t shingles = 0;  // consecutive shared shingles in the run
};

// One verified pair.
struct DuplicatePair {
  DocId doc = kNoDoc;    // the document being added; evidence refers to it
  DocId other = kNoDoc;  // the indexed document it matches
  Relation relation = Relation::kNear;
  double jaccard = 0;
  double containment = 0;  // of the smaller set in the larger one
  uint32_t shared_shingles = 0;
  // The longest runs of consecutive shared shingles of `doc`, at most
  // IndexOptions::max_passages, in document order. Empty when the sketch
  // came from Sketcher::Load (no shingle order is kept).
  std::vector<Passage> evidence;
};

// What Add() found.
struct AddOutcome {
  // Verified pairs of the new document, by increasing `other`.
  std::vector<DuplicatePair> pairs;
  // Canonical of the new document's group after the add (itself if alone).
  DocId canonical = kNoDoc;
  // Candidates that were verified (a cost measure; >= pairs.size()).
  uint32_t candidates_checked = 0;
};

// A dup group: every document linked to `canonical` by verified pairs.
struct GroupInfo {
  DocId canonical = kNoDoc;
  std::vector<DocId> members;  // sorted by id; includes the canonical
};

// The article a copy copies: its best-matching member that ranks before it by
// the canonical rule (strongest relation, then highest containment, then
// highest Jaccard, then canonical rank); if no neighbour ranks before it, its
// best-matching neighbour.
struct CopyLink {
  DocId source = kNoDoc;
  Relation relation = Relation::kNear;
  double jaccard = 0;
  double containment = 0;
};

// What the canonical rule reads of a document.
struct CanonicalRank {
  DocId id = kNoDoc;
  uint32_t body_length = 0;
  int64_t timestamp = 0;  // 0 = unknown
};
// The canonical rule as a strict total order: does `a` rank before `b`?
// The more complete first (larger body_length), then the earlier (known
// timestamps before unknown ones), then the smaller id.
bool RanksBefore(const CanonicalRank& a, const CanonicalRank& b);

// Bytes held, split as described in the file comment.
struct MemoryUsage {
  size_t documents = 0;
  size_t index_bytes = 0;    // band tables + anchor postings + maps + metadata
  size_t pair_bytes = 0;     // verified pairs and their adjacency
  size_t shingle_bytes = 0;  // fingerprint arena (0 with a ShingleSource)
};

// Where verification gets a document's shingle fingerprints when the index
// does not keep them. Implementations must return exactly
// DocumentSketch::shingles of that document (e.g. from Sketcher::Load of the
// stored blob) and be callable from the writer's thread.
class ShingleSource {
 public:
  virtual ~ShingleSource() = default;
  // Replaces `out` with the sorted fingerprints of `id`; false if unknown
  // (the candidate is then skipped).
  virtual bool Fetch(DocId id, std::vector<uint32_t>& out) const = 0;
};

struct IndexOptions {
  // near_jaccard (0.6): a pair is `near` at or above this Jaccard.
  double near_jaccard = 0.6;
  // partial_containment (0.5): a pair is `partial` at or above this
  // containment of the smaller shingle set in the larger. Wire copies cut to
  // 40% and lightly re-worded keep 0.6-0.9; different outlets' reports of
  // one event stay below 0.1 (they share quotes, not prose).
  double partial_containment = 0.5;
  // min_shared_shingles (10): near and partial pairs must also share this
  // many shingles, so that two short texts sharing one stock sentence are
  // not called copies. Exact pairs are exempt.
  uint32_t min_shared_shingles = 10;
  // max_posting (400): an anchor already held by this many documents is
  // treated as boilerplate: no candidates from it, no new entries. A band
  // key or body hash held by this many gets no new entries either (its
  // documents are a flood of copies, already well represented).
  uint32_t max_posting = 400;
  // min_anchor_fraction (0.2): a candidate found only through anchors (no
  // LSH band in common) is verified only if it shares at least this
  // fraction of the smaller document's anchors (and at least one). The
  // fraction estimates the containment (a copy at the 0.5 threshold shares
  // ~half); different articles sharing a boilerplate line or a quote share
  // one or two anchors in thirty, and skipping them is what keeps the
  // verification cost per article flat as the corpus grows.
  double min_anchor_fraction = 0.2;
  // max_candidates (1000): at most this many candidates are verified per
  // Add(), those with the most band/anchor hits first.
  uint32_t max_candidates = 1000;
  // max_pairs (32): at most this many verified pairs are kept per Add()
  // (the strongest: relation, then containment, then Jaccard), with their
  // evidence; only kept pairs link groups. It bounds the work and memory of
  // a story republished, each time with its own chrome, by hundreds of
  // sites: every copy still links to its 32 best matches.
  uint32_t max_pairs = 32;
  // max_passages (3): evidence passages reported per pair.
  uint32_t max_passages = 3;
  // window_seconds (0 = off): when > 0, documents whose timestamp is older
  // than the newest timestamp seen minus this window are evicted (checked
  // as time advances by 1/8 of the window). Documents without a timestamp
  // count as added at the newest timestamp seen when they arrive.
  int64_t window_seconds = 0;
  // shingle_source (null): when set, the index keeps no fingerprint sets and
  // fetches candidates' sets from it; not owned, must outlive the index.
  const ShingleSource* shingle_source = nullptr;
};

// The relation a verified overlap makes under `options` (exact when
// `same_body`: equal non-zero body hashes; then near, then partial, each
// with at least min_shared_shingles shared), or nullopt when the two
// documents are not copies.
std::optional<Relation> RelationOf(const Overlap& overlap, bool same_body,
                                   const IndexOptions& options);

class DuplicateIndex {
 public:
  // Validates the options (thresholds in (0, 1], max_posting,
  // max_candidates and max_pairs >= 1) and the SketchOptions the sketches will be made
  // with. kInvalidArgument otherwise.
  static Result<DuplicateIndex> Create(const IndexOptions& options,
                                       const SketchOptions& sketch_options);

  DuplicateIndex(DuplicateIndex&&) noexcept;
  DuplicateIndex& operator=(DuplicateIndex&&) noexcept;
  ~DuplicateIndex();

  // Finds and verifies the new document's pairs among the indexed documents,
  // then indexes it (no rebuild). kInvalidArgument, with the index left
  // untouched, when the id is already indexed or the sketch does not fit the
  // SketchOptions (signature or band count).
  Result<AddOutcome> Add(DocumentSketch sketch);

  // Adds documents in (timestamp, id) order: the result, evidence included,
  // does not depend on the order of `sketches`. Outcomes are returned in
  // that sorted order. Stops at the first error; earlier documents stay
  // added.
  Result<std::vector<AddOutcome>> AddBatch(std::vector<DocumentSketch> sketches);

  // Adds a document whose pairs were found and verified elsewhere (the
  // partitioned dedup job): `sketch` gives its id, body_hash, timestamp and
  // body_length (its shingles, signature and anchors are not indexed, so
  // later Add()s never find it), and `pairs` its verified pairs with
  // indexed documents (`other`; `doc` is ignored; unknown others are
  // skipped). The max_pairs strongest are kept and linked as Add() keeps
  // them, so documents added in the order Add() would have seen them, with
  // the pairs Add() would have verified, give Add()'s groups and CopyOf().
  // kInvalidArgument, with the index untouched, when the id is already
  // indexed.
  Result<AddOutcome> AddVerified(const DocumentSketch& sketch,
                                 std::span<const DuplicatePair> pairs);

  // Removes every document whose timestamp (see window_seconds for unknown
  // ones) is < cutoff, with its pairs; groups are recomputed over the
  // remaining pairs, so a group held together only by an evicted document
  // splits. Returns the number removed.
  size_t EvictOlderThan(int64_t cutoff);

  // Removes the documents `ids` (unknown ids are skipped), with their pairs,
  // and recomputes the groups as EvictOlderThan does; e.g. before adding the
  // new version of a changed article under the same id. Costs one pass over
  // the pairs, so remove a batch's documents in one call. Returns the number
  // removed.
  size_t Remove(std::span<const DocId> ids);

  bool Contains(DocId id) const;
  size_t size() const;

  // The group of `id`, or nullopt when it is not indexed.
  std::optional<GroupInfo> Group(DocId id) const;
  // Canonical of `id`'s group; kNoDoc when it is not indexed.
  DocId CanonicalOf(DocId id) const;
  // What `id` copies: its best neighbour ranked before it. nullopt when it
  // is not indexed, has no pairs, is its group's canonical, or no neighbour
  // ranks before it (so no two documents copy each other).
  std::optional<CopyLink> CopyOf(DocId id) const;
  // Verified pairs of `id` (doc == id, without evidence), by `other`.
  std::vector<DuplicatePair> PairsOf(DocId id) const;

  MemoryUsage Memory() const;

 private:
  struct Impl;
  explicit DuplicateIndex(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace storyline::dedup

#endif  // STORYLINE_DEDUP_DUPLICATE_INDEX_H_
