#include "storyline/dedup/duplicate_index.h"

#include <algorithm>
#include <cassert>
#include <limits>
#include <string>
#include <utility>

#include "dedup/flat_multimap.h"
#include "dedup/hashing.h"

// Design notes.
//
// Two candidate paths, because wire copies fail Jaccard. A copy cut to 40%
// of a 650-shingle original shares ~260 shingles: Jaccard 0.4, or ~0.3 once
// a few words are changed, below any LSH threshold that keeps false
// candidates rare, while its containment stays 0.6-0.9.
//  - MinHash LSH (Broder 1997; banding as in Leskovec, Rajaraman & Ullman,
//    "Mining of Massive Datasets", ch. 3) finds high-Jaccard pairs; the b.r
//    choice and its S-curve are documented in sketch.h.
//  - For containment we chose winnowed anchors (Schleimer, Wilkerson & Aiken
//    2003) over LSH Ensemble (Zhu et al., VLDB 2016). LSH Ensemble
//    partitions the corpus by set size and tunes (b, r) per partition for a
//    containment threshold; it answers "is Q contained in some X" well but
//    needs the partitions fixed in advance (awkward for an endless stream)
//    and still yields unverified, probabilistic candidates. Winnowing gives
//    a deterministic guarantee instead: any shared passage of >= w
//    consecutive shingles (36 words) produces a shared anchor, and copies
//    share many such passages. Plain "hash mod M == 0" sampling has the same
//    density but no guarantee (a short copy can share no sampled shingle).
//    Anchors are postings; postings longer than max_posting are boilerplate.
// Every candidate is then verified on the exact fingerprint sets, so the
// candidate paths only decide cost and recall, never precision.
//
// Memory. An index entry is 8 bytes (32-bit key, 32-bit doc id) in a Robin
// Hood table at 53-80% load (flat_multimap.h): 20 band entries and ~40
// anchors per 650-shingle article, plus 48 bytes of metadata and the id and
// exact-hash maps, ~0.75 KB per article. Tables hold document ids, not
// slots, so eviction only has to forget the id: lookups skip unknown ids,
// and a sweep drops their entries once they may be a fifth of the tables.

namespace storyline::dedup {
namespace {

using internal::FlatMultiMap;

// Tables are split in shards by key so that growing one (a copy of the
// shard) is a short pause and a small transient peak, not a copy of
// hundreds of megabytes.
constexpr uint32_t kShards = 64;
constexpr uint32_t kNoSlot = 0xFFFFFFFFu;

uint32_t ShardOf(uint32_t key) { return key & (kShards - 1); }

struct Doc {
  DocId id = kNoDoc;  // kNoDoc: free slot
  uint32_t body_length = 0;
  int64_t timestamp = 0;
  int64_t evict_time = 0;
  uint64_t body_hash = 0;
  uint32_t parent = kNoSlot;  // union-find
  uint32_t next = kNoSlot;    // circular list of the group's members
  uint32_t canon = kNoSlot;   // at a root: the group's canonical slot
  uint32_t anchors = 0;       // number of winnowed anchors
};

struct StoredPair {
  DocId a;
  DocId b;
  float jaccard;
  float containment;
  uint32_t shared;
  Relation relation;
};

// Fingerprint sets in 4 MB blocks: appending never moves the sets already
// stored (no copy and no 2x peak as with one growing vector), and the slack
// is at most one set per block.
class FingerprintArena {
 public:
  struct Extent {
    uint32_t block = 0;
    uint32_t offset = 0;
    uint32_t length = 0;
  };

  Extent Append(std::span<const uint32_t> set) {
    if (blocks_.empty() || blocks_.back().size() + set.size() > blocks_.back().capacity()) {
      blocks_.emplace_back();
      blocks_.back().reserve(std::max(kBlock, set.size()));
    }
    std::vector<uint32_t>& b = blocks_.back();
    const Extent e{static_cast<uint32_t>(blocks_.size() - 1), static_cast<uint32_t>(b.size()),
                   static_cast<uint32_t>(set.size())};
    b.insert(b.end(), set.begin(), set.end());
    used_ += set.size();
    return e;
  }
  std::span<const uint32_t> View(const Extent& e) const {
    if (e.length == 0) return {};
    return std::span<const uint32_t>(blocks_[e.block].data() + e.offset, e.length);
  }
  size_t used() const { return used_; }
  size_t MemoryBytes() const {
    size_t n = blocks_.capacity() * sizeof(std::vector<uint32_t>);
    for (const auto& b : blocks_) n += b.capacity() * sizeof(uint32_t);
    return n;
  }

 private:
  static constexpr size_t kBlock = size_t{1} << 20;
  std::vector<std::vector<uint32_t>> blocks_;
  size_t used_ = 0;
};
using Extent = FingerprintArena::Extent;

// A distinct candidate id of Add() with its hits, before it is resolved.
struct Candidate {
  DocId id;
  uint32_t band_hits;
  uint32_t anchor_hits;
  uint32_t slot;
};

// A candidate of Add(): its slot and its band + anchor hits.
struct Hit {
  uint32_t slot;
  uint32_t hits;
};

// A verified candidate of Add().
struct Verified {
  uint32_t slot;
  Relation relation;
  Overlap overlap;
};

}  // namespace

bool RanksBefore(const CanonicalRank& a, const CanonicalRank& b) {
  if (a.body_length != b.body_length) return a.body_length > b.body_length;
  const bool ak = a.timestamp != 0, bk = b.timestamp != 0;
  if (ak != bk) return ak;
  if (a.timestamp != b.timestamp) return a.timestamp < b.timestamp;
  return a.id < b.id;
}

std::optional<Relation> RelationOf(const Overlap& overlap, bool same_body,
                                   const IndexOptions& options) {
  if (same_body) return Relation::kExact;
  if (overlap.shared < options.min_shared_shingles) return std::nullopt;
  if (overlap.jaccard >= options.near_jaccard) return Relation::kNear;
  if (overlap.containment >= options.partial_containment) return Relation::kPartial;
  return std::nullopt;
}

std::string_view RelationName(Relation relation) {
  switch (relation) {
    case Relation::kExact:
      return "exact";
    case Relation::kNear:
      return "near";
    case Relation::kPartial:
      return "partial";
  }
  return "unknown";
}

struct DuplicateIndex::Impl {
  IndexOptions options;
  SketchOptions sketch_options;
  uint32_t signature_size = 0;

  std::vector<Doc> docs;  // by slot
  std::vector<uint32_t> free_slots;
  FlatMultiMap id_to_slot;            // id -> slot
  FlatMultiMap exact;                 // low 32 bits of body_hash -> id
  std::vector<FlatMultiMap> bands;    // band key -> id, sharded
  std::vector<FlatMultiMap> anchors;  // anchor -> id, sharded
  size_t live = 0;
  size_t evicted_since_sweep = 0;

  // Fingerprint arena (unused with a ShingleSource).
  FingerprintArena arena;
  std::vector<Extent> extents;  // by slot
  size_t arena_garbage = 0;

  std::vector<StoredPair> pairs;
  FlatMultiMap pairs_of;  // id -> index in `pairs` (both directions)

  int64_t newest_time = std::numeric_limits<int64_t>::min();
  int64_t last_cutoff = std::numeric_limits<int64_t>::min();

  // Scratch reused across Add() calls.
  std::vector<uint8_t> band_capped, anchor_capped;
  std::vector<Candidate> distinct;
  std::vector<Hit> hits;
  std::vector<Verified> verified;
  std::vector<uint64_t> cand;  // id << 1 | (1 for an anchor hit, 0 for a band hit)
  std::vector<uint32_t> fetched;
  std::vector<uint32_t> shared;

  uint32_t SlotOf(DocId id) const {
    uint32_t slot = kNoSlot;
    id_to_slot.ForEach(id, [&](uint32_t s) {
      if (docs[s].id == id) {
        slot = s;
        return false;
      }
      return true;
    });
    return slot;
  }

  // The canonical rule (RanksBefore) on slots: does slot a precede b?
  bool Precedes(uint32_t a, uint32_t b) const {
    const Doc& x = docs[a];
    const Doc& y = docs[b];
    return RanksBefore({x.id, x.body_length, x.timestamp}, {y.id, y.body_length, y.timestamp});
  }

  uint32_t Find(uint32_t s) {
    while (docs[s].parent != s) {
      docs[s].parent = docs[docs[s].parent].parent;  // path halving
      s = docs[s].parent;
    }
    return s;
  }
  uint32_t FindConst(uint32_t s) const {
    while (docs[s].parent != s) s = docs[s].parent;
    return s;
  }

  void Union(uint32_t a, uint32_t b) {
    uint32_t ra = Find(a), rb = Find(b);
    if (ra == rb) return;
    // The root with the better canonical stays root: deterministic, and
    // random enough (canonicals are in no particular order) for short trees.
    if (Precedes(docs[rb].canon, docs[ra].canon)) std::swap(ra, rb);
    docs[rb].parent = ra;
    std::swap(docs[ra].next, docs[rb].next);  // splice the member cycles
  }

  std::span<const uint32_t> SetOf(uint32_t slot) {
    if (options.shingle_source != nullptr) {
      if (!options.shingle_source->Fetch(docs[slot].id, fetched)) fetched.clear();
      return fetched;
    }
    return arena.View(extents[slot]);
  }

  void StorePair(const StoredPair& p) {
    const uint32_t idx = static_cast<uint32_t>(pairs.size());
    pairs.push_back(p);
    pairs_of.Insert(p.a, idx);
    pairs_of.Insert(p.b, idx);
  }

  // Live documents with the same (non-zero) body hash as `slot`, itself
  // included.
  std::vector<uint32_t> TwinsOf(uint32_t slot) const {
    std::vector<uint32_t> out{slot};
    const uint64_t h = docs[slot].body_hash;
    if (h == 0) return out;
    exact.ForEach(static_cast<uint32_t>(h), [&](uint32_t id) {
      const uint32_t s = SlotOf(id);
      if (s != kNoSlot && s != slot && docs[s].body_hash == h) out.push_back(s);
      return true;
    });
    return out;
  }

  std::vector<Passage> Evidence(const DocumentSketch& s, std::span<const uint32_t> other);
  std::vector<uint8_t> rank_shared;  // Evidence() scratch
  Result<AddOutcome> Add(DocumentSketch sketch);
  Result<AddOutcome> AddVerified(const DocumentSketch& sketch,
                                 std::span<const DuplicatePair> pairs);
  // The steps of Add, in order.
  Status Check(const DocumentSketch& sketch) const;
  // Advances the newest time seen and evicts what fell out of the window;
  // the time the new document is evicted by.
  int64_t AdvanceWindow(const DocumentSketch& sketch);
  // The best-ranked live exact twin's slot (kNoSlot when none); how many
  // entries of the body-hash run were read.
  uint32_t FindTwin(const DocumentSketch& sketch, size_t* exact_seen);
  // Band and anchor hits into `cand`, and which keys are capped.
  void CollectCandidates(const DocumentSketch& sketch, uint32_t twin);
  // The candidates worth verifying into `hits`, most hits first.
  void SelectHits(const DocumentSketch& sketch, uint32_t twin);
  // A slot for the new document, its metadata set; a group of its own.
  uint32_t InsertDoc(const DocumentSketch& sketch, int64_t evict_time);
  // Verifies `hits` on the exact sets into `verified`, then links them.
  void VerifyAndLink(const DocumentSketch& sketch, uint32_t slot, AddOutcome* out);
  // Keeps the max_pairs strongest of `verified`, stores and unions them,
  // and reports them in `out` (with evidence when `evidence`).
  void KeepAndLink(const DocumentSketch& sketch, uint32_t slot, bool evidence, AddOutcome* out);
  // Enters the new document in the id map, exact, band and anchor tables
  // and the fingerprint arena.
  void IndexDoc(const DocumentSketch& sketch, uint32_t slot, size_t exact_seen);
  size_t Evict(int64_t cutoff);
  size_t RemoveSlots(const std::vector<uint32_t>& slots);
  void RebuildGroups();
  void CompactArena();
};

std::vector<Passage> DuplicateIndex::Impl::Evidence(const DocumentSketch& s,
                                                    std::span<const uint32_t> other) {
  std::vector<Passage> runs;
  if (s.sequence_ranks.empty()) return runs;
  // One merge marks which fingerprints of the new document are shared, one
  // scan of its shingles in document order finds the runs.
  rank_shared.assign(s.shingles.size(), 0);
  for (size_t i = 0, j = 0; i < s.shingles.size() && j < other.size();) {
    const uint32_t x = s.shingles[i], y = other[j];  // branch-light, as ComputeOverlap
    rank_shared[i] |= static_cast<uint8_t>(x == y);
    i += x <= y;
    j += y <= x;
  }
  // Runs of consecutive shingles of the new document that the other one
  // also has: the shared passages. The caller turns token ranges into text.
  const size_t n = s.sequence_ranks.size();
  size_t i = 0;
  while (i < n) {
    if (!rank_shared[s.sequence_ranks[i]]) {
      ++i;
      continue;
    }
    size_t j = i + 1;
    while (j < n && rank_shared[s.sequence_ranks[j]]) ++j;
    Passage p;
    p.begin_token = s.sequence_starts[i];
    p.end_token = s.sequence_starts[j - 1] + sketch_options.shingle_words;
    p.shingles = static_cast<uint32_t>(j - i);
    runs.push_back(p);
    i = j;
  }
  const size_t keep = std::min<size_t>(runs.size(), options.max_passages);
  std::stable_sort(runs.begin(), runs.end(),
                   [](const Passage& a, const Passage& b) { return a.shingles > b.shingles; });
  runs.resize(keep);
  std::sort(runs.begin(), runs.end(),
            [](const Passage& a, const Passage& b) { return a.begin_token < b.begin_token; });
  return runs;
}

Result<AddOutcome> DuplicateIndex::Impl::Add(DocumentSketch sketch) {
  if (Status s = Check(sketch); !s) return Fail(s.error());
  // Window eviction happens before the query so evicted documents are never
  // matched; documents without a time take the newest time seen.
  const int64_t evict_time = AdvanceWindow(sketch);
  // 1. Exact twins: a document whose normalised body is already indexed
  // takes one `exact` pair with its best-ranked live twin and skips the
  // candidate search, since its shingles, hence its near and partial
  // relations, are its twins'. This keeps a story republished verbatim by
  // hundreds of sites linear instead of quadratic (CopyOf() reasons over
  // the whole twin class, so the result does not depend on which twin
  // carries which pair).
  size_t exact_seen = 0;
  const uint32_t twin = FindTwin(sketch, &exact_seen);
  // 2. Candidates: LSH bands and anchors. A key held by max_posting
  // documents gets no new entries (an insert would walk the whole run); a
  // capped anchor is boilerplate and yields no candidates, a capped band
  // still does (it is a flood of near-identical copies, which must match).
  CollectCandidates(sketch, twin);
  SelectHits(sketch, twin);
  // Insert the document (it needs a slot before it can be unioned).
  const uint32_t slot = InsertDoc(sketch, evict_time);
  // 3. Verify every candidate on the exact sets; link the strongest.
  AddOutcome out;
  VerifyAndLink(sketch, slot, &out);
  IndexDoc(sketch, slot, exact_seen);
  out.canonical = docs[docs[Find(slot)].canon].id;
  return out;
}

Result<AddOutcome> DuplicateIndex::Impl::AddVerified(const DocumentSketch& sketch,
                                                     std::span<const DuplicatePair> given) {
  if (sketch.id == kNoDoc || SlotOf(sketch.id) != kNoSlot) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "document " + std::to_string(sketch.id) + " is already indexed or invalid");
  }
  // Only the metadata and the exact table: no candidate search will find
  // it, but its twins (CopyOf) and the canonical rule see it.
  DocumentSketch meta;
  meta.id = sketch.id;
  meta.body_hash = sketch.body_hash;
  meta.timestamp = sketch.timestamp;
  meta.body_length = sketch.body_length;
  const int64_t evict_time = AdvanceWindow(meta);
  size_t exact_seen = 0;
  FindTwin(meta, &exact_seen);
  band_capped.clear();
  anchor_capped.clear();
  const uint32_t slot = InsertDoc(meta, evict_time);
  verified.clear();
  for (const DuplicatePair& p : given) {
    const uint32_t other = SlotOf(p.other);
    if (other == kNoSlot || other == slot) continue;
    Overlap ov;
    ov.shared = p.shared_shingles;
    ov.jaccard = p.jaccard;
    ov.containment = p.containment;
    verified.push_back(Verified{other, p.relation, ov});
  }
  AddOutcome out;
  out.candidates_checked = static_cast<uint32_t>(verified.size());
  KeepAndLink(meta, slot, /*evidence=*/false, &out);
  IndexDoc(meta, slot, exact_seen);
  out.canonical = docs[docs[Find(slot)].canon].id;
  return out;
}

Status DuplicateIndex::Impl::Check(const DocumentSketch& sketch) const {
  if (sketch.id == kNoDoc) {
    return MakeError(ErrorCode::kInvalidArgument, "document id 0xFFFFFFFF is reserved");
  }
  if (SlotOf(sketch.id) != kNoSlot) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "document " + std::to_string(sketch.id) + " is already indexed");
  }
  if (!sketch.signature.empty() && sketch.signature.size() != signature_size) {
    return MakeError(ErrorCode::kInvalidArgument, "sketch signature size does not match options");
  }
  if (sketch.band_keys.size() != (sketch.signature.empty() ? 0 : sketch_options.num_bands)) {
    return MakeError(ErrorCode::kInvalidArgument, "sketch band count does not match options");
  }
  if (sketch.sequence_starts.size() != sketch.sequence_ranks.size()) {
    return MakeError(ErrorCode::kInvalidArgument, "sketch sequence_starts size mismatch");
  }
  return Ok();
}

int64_t DuplicateIndex::Impl::AdvanceWindow(const DocumentSketch& sketch) {
  if (sketch.timestamp != 0) newest_time = std::max(newest_time, sketch.timestamp);
  const int64_t evict_time = sketch.timestamp != 0                                ? sketch.timestamp
                             : newest_time == std::numeric_limits<int64_t>::min() ? 0
                                                                                  : newest_time;
  if (options.window_seconds > 0 && newest_time != std::numeric_limits<int64_t>::min()) {
    const int64_t cutoff = newest_time - options.window_seconds;
    const int64_t step = std::max<int64_t>(1, options.window_seconds / 8);
    if (last_cutoff == std::numeric_limits<int64_t>::min() || cutoff >= last_cutoff + step) {
      Evict(cutoff);
    }
  }
  return evict_time;
}

uint32_t DuplicateIndex::Impl::FindTwin(const DocumentSketch& sketch, size_t* exact_seen) {
  const uint32_t exact_key = static_cast<uint32_t>(sketch.body_hash);
  uint32_t twin = kNoSlot;
  *exact_seen = 0;
  if (sketch.body_hash != 0) {
    exact.ForEach(exact_key, [&](uint32_t id) {
      const uint32_t s = SlotOf(id);
      if (s != kNoSlot && docs[s].body_hash == sketch.body_hash &&
          (twin == kNoSlot || Precedes(s, twin))) {
        twin = s;
      }
      return ++*exact_seen < options.max_posting;
    });
  }
  return twin;
}

void DuplicateIndex::Impl::CollectCandidates(const DocumentSketch& sketch, uint32_t twin) {
  for (uint32_t key : sketch.band_keys) bands[ShardOf(key)].Prefetch(key);
  for (uint32_t key : sketch.anchors) anchors[ShardOf(key)].Prefetch(key);
  cand.clear();
  band_capped.assign(sketch.band_keys.size(), 0);
  anchor_capped.assign(sketch.anchors.size(), 0);
  for (size_t b = 0; b < sketch.band_keys.size(); ++b) {
    const uint32_t key = sketch.band_keys[b];
    size_t count = 0;
    bands[ShardOf(key)].ForEach(key, [&](uint32_t id) {
      if (twin == kNoSlot) cand.push_back(uint64_t{id} << 1);
      return ++count < options.max_posting;
    });
    band_capped[b] = count >= options.max_posting;
  }
  for (size_t a = 0; a < sketch.anchors.size(); ++a) {
    const uint32_t key = sketch.anchors[a];
    const size_t before = cand.size();
    size_t count = 0;
    anchors[ShardOf(key)].ForEach(key, [&](uint32_t id) {
      if (twin == kNoSlot) cand.push_back(uint64_t{id} << 1 | 1);
      return ++count < options.max_posting;
    });
    if (count >= options.max_posting) {
      cand.resize(before);
      anchor_capped[a] = 1;
    }
  }
}

void DuplicateIndex::Impl::SelectHits(const DocumentSketch& sketch, uint32_t twin) {
  // Count hits per candidate. A candidate found only through anchors must
  // share enough of them: shared anchors / anchors of the smaller document
  // estimates the containment (winnowing keeps a fixed density of each
  // shared passage), and a document sharing one boilerplate or stock-phrase
  // anchor with thousands of others would otherwise be verified against
  // each of them. Band hits (an LSH estimate of Jaccard) always qualify.
  std::sort(cand.begin(), cand.end());
  hits.clear();
  if (twin != kNoSlot) hits.push_back(Hit{twin, 1});
  const uint32_t my_anchors = static_cast<uint32_t>(sketch.anchors.size());
  // Distinct candidates with their hit counts. Resolving one costs two
  // dependent cache misses (id -> slot, then the slot's metadata) and most
  // are rejected (a single shared anchor), so the misses of all candidates
  // are overlapped: prefetch every id's table line, then every slot's.
  distinct.clear();
  for (size_t i = 0; i < cand.size();) {
    const uint32_t id = static_cast<uint32_t>(cand[i] >> 1);
    Candidate c{id, 0, 0, kNoSlot};
    size_t j = i;
    for (; j < cand.size() && (cand[j] >> 1) == id; ++j)
      (cand[j] & 1 ? c.anchor_hits : c.band_hits)++;
    i = j;
    id_to_slot.Prefetch(id);
    distinct.push_back(c);
  }
  for (Candidate& c : distinct) {
    c.slot = SlotOf(c.id);
    if (c.slot != kNoSlot) __builtin_prefetch(&docs[c.slot]);
  }
  for (const Candidate& c : distinct) {
    if (c.slot == kNoSlot) continue;
    if (c.band_hits == 0) {
      const uint32_t fewer = std::min(my_anchors, docs[c.slot].anchors);
      if (c.anchor_hits < std::max<double>(1.0, options.min_anchor_fraction * fewer)) continue;
    }
    hits.push_back(Hit{c.slot, c.band_hits + c.anchor_hits});
  }
  if (hits.size() > options.max_candidates) {
    std::nth_element(hits.begin(), hits.begin() + options.max_candidates, hits.end(),
                     [&](const Hit& x, const Hit& y) {
                       if (x.hits != y.hits) return x.hits > y.hits;
                       return docs[x.slot].id < docs[y.slot].id;
                     });
    hits.resize(options.max_candidates);
  }
}

uint32_t DuplicateIndex::Impl::InsertDoc(const DocumentSketch& sketch, int64_t evict_time) {
  uint32_t slot;
  if (!free_slots.empty()) {
    slot = free_slots.back();
    free_slots.pop_back();
  } else {
    slot = static_cast<uint32_t>(docs.size());
    docs.emplace_back();
    if (options.shingle_source == nullptr) extents.emplace_back();
  }
  Doc& d = docs[slot];
  d.id = sketch.id;
  d.body_length = sketch.body_length;
  d.timestamp = sketch.timestamp;
  d.evict_time = evict_time;
  d.body_hash = sketch.body_hash;
  d.anchors = static_cast<uint32_t>(sketch.anchors.size());
  d.parent = slot;
  d.next = slot;
  d.canon = slot;
  ++live;
  return slot;
}

void DuplicateIndex::Impl::VerifyAndLink(const DocumentSketch& sketch, uint32_t slot,
                                         AddOutcome* out) {
  verified.clear();
  for (const Hit& h : hits) {
    const Doc& o = docs[h.slot];
    const Overlap ov = ComputeOverlap(sketch.shingles, SetOf(h.slot));
    ++out->candidates_checked;
    const std::optional<Relation> rel =
        RelationOf(ov, sketch.body_hash != 0 && sketch.body_hash == o.body_hash, options);
    if (!rel) continue;
    verified.push_back(Verified{h.slot, *rel, ov});
  }
  KeepAndLink(sketch, slot, /*evidence=*/true, out);
}

void DuplicateIndex::Impl::KeepAndLink(const DocumentSketch& sketch, uint32_t slot, bool evidence,
                                       AddOutcome* out) {
  // Keep the max_pairs strongest (relation, containment, Jaccard, rank).
  auto stronger = [&](const Verified& x, const Verified& y) {
    if (x.relation != y.relation) return x.relation < y.relation;
    if (x.overlap.containment != y.overlap.containment) {
      return x.overlap.containment > y.overlap.containment;
    }
    if (x.overlap.jaccard != y.overlap.jaccard) return x.overlap.jaccard > y.overlap.jaccard;
    return Precedes(x.slot, y.slot);
  };
  if (verified.size() > options.max_pairs) {
    std::nth_element(verified.begin(), verified.begin() + options.max_pairs, verified.end(),
                     stronger);
    verified.resize(options.max_pairs);
  }
  std::sort(verified.begin(), verified.end(), [&](const Verified& x, const Verified& y) {
    return docs[x.slot].id < docs[y.slot].id;
  });
  for (const Verified& v : verified) {
    const Overlap& ov = v.overlap;
    DuplicatePair p;
    p.doc = sketch.id;
    p.other = docs[v.slot].id;
    p.relation = v.relation;
    p.jaccard = ov.jaccard;
    p.containment = ov.containment;
    p.shared_shingles = ov.shared;
    if (evidence) p.evidence = Evidence(sketch, SetOf(v.slot));
    StorePair(StoredPair{sketch.id, p.other, static_cast<float>(ov.jaccard),
                         static_cast<float>(ov.containment), ov.shared, v.relation});
    Union(slot, v.slot);
    out->pairs.push_back(std::move(p));
  }
}

void DuplicateIndex::Impl::IndexDoc(const DocumentSketch& sketch, uint32_t slot,
                                    size_t exact_seen) {
  id_to_slot.Insert(sketch.id, slot);
  if (sketch.body_hash != 0 && exact_seen < options.max_posting) {
    exact.Insert(static_cast<uint32_t>(sketch.body_hash), sketch.id);
  }
  for (size_t b = 0; b < sketch.band_keys.size(); ++b) {
    if (!band_capped[b]) {
      const uint32_t key = sketch.band_keys[b];
      bands[ShardOf(key)].Insert(key, sketch.id);
    }
  }
  for (size_t a = 0; a < sketch.anchors.size(); ++a) {
    if (!anchor_capped[a]) {
      const uint32_t key = sketch.anchors[a];
      anchors[ShardOf(key)].Insert(key, sketch.id);
    }
  }
  if (options.shingle_source == nullptr) {
    extents[slot] = arena.Append(sketch.shingles);
  }
}

void DuplicateIndex::Impl::RebuildGroups() {
  for (uint32_t s = 0; s < docs.size(); ++s) {
    if (docs[s].id == kNoDoc) continue;
    docs[s].parent = s;
    docs[s].next = s;
    docs[s].canon = s;
  }
  for (const StoredPair& p : pairs) Union(SlotOf(p.a), SlotOf(p.b));
}

void DuplicateIndex::Impl::CompactArena() {
  FingerprintArena packed;
  for (uint32_t s = 0; s < docs.size(); ++s) {
    extents[s] = docs[s].id == kNoDoc ? Extent{} : packed.Append(arena.View(extents[s]));
  }
  arena = std::move(packed);
  arena_garbage = 0;
}

size_t DuplicateIndex::Impl::Evict(int64_t cutoff) {
  last_cutoff = std::max(last_cutoff, cutoff);
  std::vector<uint32_t> slots;
  for (uint32_t s = 0; s < docs.size(); ++s) {
    if (docs[s].id != kNoDoc && docs[s].evict_time < cutoff) slots.push_back(s);
  }
  return RemoveSlots(slots);
}

size_t DuplicateIndex::Impl::RemoveSlots(const std::vector<uint32_t>& slots) {
  size_t removed = 0;
  for (uint32_t s : slots) {
    Doc& d = docs[s];
    if (d.id == kNoDoc) continue;
    id_to_slot.Erase(d.id, s);
    if (d.body_hash != 0) exact.Erase(static_cast<uint32_t>(d.body_hash), d.id);
    if (options.shingle_source == nullptr) {
      arena_garbage += extents[s].length;
      extents[s] = Extent{};
    }
    d = Doc{};
    free_slots.push_back(s);
    ++removed;
  }
  if (removed == 0) return 0;
  live -= removed;
  evicted_since_sweep += removed;

  // Pairs touching a removed document go; groups are rebuilt from the rest.
  std::vector<StoredPair> kept;
  kept.reserve(pairs.size());
  for (const StoredPair& p : pairs) {
    if (SlotOf(p.a) != kNoSlot && SlotOf(p.b) != kNoSlot) kept.push_back(p);
  }
  pairs.clear();
  pairs_of = FlatMultiMap();
  for (const StoredPair& p : kept) StorePair(p);
  RebuildGroups();

  // Band and anchor entries of removed documents are dropped lazily (a
  // lookup skips ids that are no longer indexed) and swept once they may
  // make up a fifth of the tables. Entries of an id removed and added again
  // (a changed article) stay until then as well: they only yield candidates
  // that verification rejects.
  if (evicted_since_sweep * 4 > live) {
    auto dead = [&](uint32_t, uint32_t id) { return SlotOf(id) == kNoSlot; };
    for (FlatMultiMap& t : bands) t.EraseIf(dead);
    for (FlatMultiMap& t : anchors) t.EraseIf(dead);
    evicted_since_sweep = 0;
  }
  if (options.shingle_source == nullptr && arena_garbage * 2 > arena.used()) CompactArena();
  return removed;
}

DuplicateIndex::DuplicateIndex(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DuplicateIndex::DuplicateIndex(DuplicateIndex&&) noexcept = default;
DuplicateIndex& DuplicateIndex::operator=(DuplicateIndex&&) noexcept = default;
DuplicateIndex::~DuplicateIndex() = default;

Result<DuplicateIndex> DuplicateIndex::Create(const IndexOptions& options,
                                              const SketchOptions& sketch_options) {
  Result<Sketcher> sketcher = Sketcher::Create(sketch_options);
  if (!sketcher) return tl::unexpected(sketcher.error());
  auto in_unit = [](double v) { return v > 0 && v <= 1; };
  if (!in_unit(options.near_jaccard) || !in_unit(options.partial_containment)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "near_jaccard and partial_containment must be in (0, 1]");
  }
  if (options.max_posting < 1 || options.max_candidates < 1 || options.max_pairs < 1) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "max_posting, max_candidates and max_pairs must be >= 1");
  }
  if (options.min_anchor_fraction < 0 || options.min_anchor_fraction > 1) {
    return MakeError(ErrorCode::kInvalidArgument, "min_anchor_fraction must be in [0, 1]");
  }
  if (options.window_seconds < 0) {
    return MakeError(ErrorCode::kInvalidArgument, "window_seconds must be >= 0");
  }
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->sketch_options = sketch_options;
  impl->signature_size = sketcher->signature_size();
  impl->bands.resize(kShards);
  impl->anchors.resize(kShards);
  return DuplicateIndex(std::move(impl));
}

Result<AddOutcome> DuplicateIndex::Add(DocumentSketch sketch) {
  return impl_->Add(std::move(sketch));
}

Result<AddOutcome> DuplicateIndex::AddVerified(const DocumentSketch& sketch,
                                               std::span<const DuplicatePair> pairs) {
  return impl_->AddVerified(sketch, pairs);
}

Result<std::vector<AddOutcome>> DuplicateIndex::AddBatch(std::vector<DocumentSketch> sketches) {
  std::sort(sketches.begin(), sketches.end(), [](const DocumentSketch& a, const DocumentSketch& b) {
    if (a.timestamp != b.timestamp) return a.timestamp < b.timestamp;
    return a.id < b.id;
  });
  std::vector<AddOutcome> outcomes;
  outcomes.reserve(sketches.size());
  for (DocumentSketch& s : sketches) {
    Result<AddOutcome> r = impl_->Add(std::move(s));
    if (!r) return tl::unexpected(r.error());
    outcomes.push_back(*std::move(r));
  }
  return outcomes;
}

size_t DuplicateIndex::EvictOlderThan(int64_t cutoff) { return impl_->Evict(cutoff); }

size_t DuplicateIndex::Remove(std::span<const DocId> ids) {
  std::vector<uint32_t> slots;
  for (DocId id : ids) {
    const uint32_t s = impl_->SlotOf(id);
    if (s != kNoSlot) slots.push_back(s);
  }
  std::sort(slots.begin(), slots.end());
  slots.erase(std::unique(slots.begin(), slots.end()), slots.end());
  return impl_->RemoveSlots(slots);
}

bool DuplicateIndex::Contains(DocId id) const { return impl_->SlotOf(id) != kNoSlot; }

size_t DuplicateIndex::size() const { return impl_->live; }

std::optional<GroupInfo> DuplicateIndex::Group(DocId id) const {
  const uint32_t slot = impl_->SlotOf(id);
  if (slot == kNoSlot) return std::nullopt;
  GroupInfo g;
  g.canonical = impl_->docs[impl_->docs[impl_->FindConst(slot)].canon].id;
  uint32_t s = slot;
  do {
    g.members.push_back(impl_->docs[s].id);
    s = impl_->docs[s].next;
  } while (s != slot);
  std::sort(g.members.begin(), g.members.end());
  return g;
}

DocId DuplicateIndex::CanonicalOf(DocId id) const {
  const uint32_t slot = impl_->SlotOf(id);
  if (slot == kNoSlot) return kNoDoc;
  return impl_->docs[impl_->docs[impl_->FindConst(slot)].canon].id;
}

std::optional<CopyLink> DuplicateIndex::CopyOf(DocId id) const {
  const Impl& m = *impl_;
  const uint32_t slot = m.SlotOf(id);
  if (slot == kNoSlot) return std::nullopt;
  if (m.docs[m.FindConst(slot)].canon == slot) return std::nullopt;
  // Exact twins form one class: a twin ranked before `id` is what it copies.
  const std::vector<uint32_t> twins = m.TwinsOf(slot);
  uint32_t best_twin = kNoSlot;
  for (uint32_t t : twins) {
    if (t != slot && m.Precedes(t, slot) && (best_twin == kNoSlot || m.Precedes(t, best_twin))) {
      best_twin = t;
    }
  }
  if (best_twin != kNoSlot) return CopyLink{m.docs[best_twin].id, Relation::kExact, 1.0, 1.0};
  // Otherwise the best neighbour of the class ranked before `id`; the pairs
  // of every twin count, since twins share shingles. A member none of whose
  // neighbours ranks before it copies nothing: it is the first of its own
  // copies, joined to the group's canonical through another member. (Taking
  // a later neighbour would let two members copy each other.)
  std::optional<CopyLink> best;
  uint32_t best_slot = kNoSlot;
  for (uint32_t t : twins) {
    m.pairs_of.ForEach(m.docs[t].id, [&](uint32_t idx) {
      const StoredPair& p = m.pairs[idx];
      const DocId other = p.a == m.docs[t].id ? p.b : p.a;
      const uint32_t os = m.SlotOf(other);
      if (os == kNoSlot || std::find(twins.begin(), twins.end(), os) != twins.end()) return true;
      if (!m.Precedes(os, slot)) return true;
      bool better;
      if (!best) {
        better = true;
      } else if (p.relation != best->relation) {
        better = p.relation < best->relation;
      } else if (p.containment != best->containment) {
        better = p.containment > best->containment;
      } else if (p.jaccard != best->jaccard) {
        better = p.jaccard > best->jaccard;
      } else {
        better = m.Precedes(os, best_slot);
      }
      if (better) {
        best = CopyLink{other, p.relation, p.jaccard, p.containment};
        best_slot = os;
      }
      return true;
    });
  }
  return best;
}

std::vector<DuplicatePair> DuplicateIndex::PairsOf(DocId id) const {
  std::vector<DuplicatePair> out;
  impl_->pairs_of.ForEach(id, [&](uint32_t idx) {
    const StoredPair& p = impl_->pairs[idx];
    DuplicatePair d;
    d.doc = id;
    d.other = p.a == id ? p.b : p.a;
    d.relation = p.relation;
    d.jaccard = p.jaccard;
    d.containment = p.containment;
    d.shared_shingles = p.shared;
    out.push_back(std::move(d));
    return true;
  });
  std::sort(out.begin(), out.end(),
            [](const DuplicatePair& a, const DuplicatePair& b) { return a.other < b.other; });
  return out;
}

MemoryUsage DuplicateIndex::Memory() const {
  const Impl& m = *impl_;
  MemoryUsage u;
  u.documents = m.live;
  size_t index = m.docs.capacity() * sizeof(Doc) + m.free_slots.capacity() * sizeof(uint32_t) +
                 m.id_to_slot.MemoryBytes() + m.exact.MemoryBytes();
  for (const FlatMultiMap& t : m.bands) index += t.MemoryBytes();
  for (const FlatMultiMap& t : m.anchors) index += t.MemoryBytes();
  u.index_bytes = index;
  u.pair_bytes = m.pairs.capacity() * sizeof(StoredPair) + m.pairs_of.MemoryBytes();
  u.shingle_bytes = m.arena.MemoryBytes() + m.extents.capacity() * sizeof(Extent);
  return u;
}

}  // namespace storyline::dedup
