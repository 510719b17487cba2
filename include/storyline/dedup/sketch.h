// Per-document sketches for duplicate detection: what the duplicate index
// needs to know about one article, computed once from its shingle hashes.
//
//   Result<Sketcher> sketcher = Sketcher::Create(SketchOptions{});
//   DocumentInput in;
//   in.id = 42;                       // caller's dense document number
//   in.body_hash = normalised_body_hash;
//   in.shingles = shingle_hashes;     // 5-word shingles, in document order
//   in.shingle_starts = first_tokens; // optional: token index of each shingle
//   in.timestamp = published_unix_seconds;
//   in.body_length = body.size();
//   Result<DocumentSketch> sketch = sketcher->Sketch(in);
//   std::string blob = sketcher->Serialize(*sketch);   // store it (SQLite)
//   ...
//   Result<DocumentSketch> again = sketcher->Load(blob);  // at start-up
//
// A sketch holds three things derived from the shingle hashes:
//   - `shingles`: the sorted set of 32-bit shingle fingerprints, used to
//     verify candidates with exact Jaccard and containment;
//   - `signature`: a MinHash signature (Broder 1997) of K = bands x rows
//     values computed by one-permutation hashing with optimal densification
//     (Li, Owen & Zhang 2012; Shrivastava 2017), and its LSH `band_keys`;
//   - `anchors`: the winnowed fingerprints (Schleimer, Wilkerson & Aiken
//     2003), which find a short copy inside a long original.
// See duplicate_index.h for how they are used and why.
//
// Thread safety: a Sketcher is immutable after Create; Sketch, Serialize and
// Load may be called from any number of threads at once. Sketching is a pure
// function of (options, input), so the thread count never changes a result.
#ifndef STORYLINE_DEDUP_SKETCH_H_
#define STORYLINE_DEDUP_SKETCH_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storyline/core/result.h"

namespace storyline::dedup {

// The caller's document number. Ids need not be dense, but must be unique
// among the documents alive in one index. 0xFFFFFFFF is reserved.
using DocId = uint32_t;
inline constexpr DocId kNoDoc = 0xFFFFFFFFu;

// What the pipeline knows about one article. Spans are only read during
// Sketcher::Sketch; the sketch owns copies of what it keeps.
struct DocumentInput {
  DocId id = kNoDoc;
  // 64-bit hash of the normalised body; equal non-zero hashes make an
  // `exact` pair. 0 means "not supplied".
  uint64_t body_hash = 0;
  // Hashes of the body's word shingles (5 words by default) in document
  // order; repeats allowed. Any decent 64-bit hash will do: they are re-mixed.
  std::span<const uint64_t> shingles;
  // Optional, same length as `shingles`: index of the first token of each
  // shingle, so evidence can be reported as token ranges. Empty means
  // shingle i starts at token i.
  std::span<const uint32_t> shingle_starts;
  // Publication time, Unix seconds; 0 when unknown (sorts after any known
  // time when choosing a canonical article).
  int64_t timestamp = 0;
  // Completeness of the article, e.g. the body length in characters: the
  // canonical member of a group is the one with the largest value.
  uint32_t body_length = 0;
};

// Everything the duplicate index needs about one document. A plain value.
struct DocumentSketch {
  DocId id = kNoDoc;
  uint64_t body_hash = 0;
  int64_t timestamp = 0;
  uint32_t body_length = 0;
  // Sorted, unique 32-bit fingerprints of the shingles. Two different
  // shingles share a fingerprint with probability 2^-32, so for two
  // 650-shingle articles the expected number of spurious shared shingles is
  // 650*650/2^32 ~ 1e-4: the Jaccard and containment computed on them are
  // exact for every practical purpose, at half the memory of 64-bit hashes.
  std::vector<uint32_t> shingles;
  // K = num_bands * rows_per_band MinHash values; empty when the document
  // has no shingles.
  std::vector<uint32_t> signature;
  // One 32-bit key per LSH band (hash of the band's rows and its index);
  // empty when `signature` is.
  std::vector<uint32_t> band_keys;
  // Winnowed fingerprints, sorted and unique.
  std::vector<uint32_t> anchors;
  // Not serialised, kept from Sketch() so that Add() can report evidence
  // passages: for each shingle in document order, the index of its
  // fingerprint in `shingles`, and its first token. Empty in a sketch
  // produced by Load().
  std::vector<uint32_t> sequence_ranks;
  std::vector<uint32_t> sequence_starts;
};

struct SketchOptions {
  // num_bands (20) and rows_per_band (2): the MinHash signature has
  // K = 40 values cut into 20 bands of 2 rows. A pair of Jaccard s shares at
  // least one band with probability P(s) = 1 - (1 - s^2)^20 (the b.r
  // S-curve):
  //     s    0.02   0.05   0.1    0.2    0.3    0.4    0.5    0.6
  //   P(s)  0.008  0.049  0.182  0.558  0.848  0.969  0.997 0.9999
  // i.e. recall >= 0.99 for Jaccard >= 0.5, one step below the `near`
  // threshold (0.6), while unrelated reports of one event (5-shingle
  // Jaccard < 0.02) become candidates < 1% of the time, and are then
  // rejected by exact verification. LSH only has to find `near` pairs:
  // partial copies, whose Jaccard can be 0.3, come through the anchors
  // below. More rows sharpen the curve but push the 0.99-recall point up
  // (r=3, b=32: 0.99 only from s=0.52); every band costs one 8-byte index
  // entry per document and one table insert per Add: 32 bands (recall 0.99
  // from s=0.4) cost 12 more entries per article, and 20% more insert time,
  // for pairs the anchors find anyway.
  uint32_t num_bands = 20;
  uint32_t rows_per_band = 2;
  // anchor_window (32): winnowing window w, in shingles. Any passage of at
  // least w consecutive shared shingles (w + 4 words with 5-word shingles)
  // is guaranteed to yield a shared anchor; the expected anchor density is
  // 2/(w+1), ~39 anchors for a 650-shingle article.
  uint32_t anchor_window = 32;
  // shingle_words (5): words per shingle, used only to turn shingle runs into
  // token ranges for evidence.
  uint32_t shingle_words = 5;
  // seed: seeds every hash. Sketches made with different seeds (or any
  // other option) are incompatible; Load() refuses them.
  uint64_t seed = 0x2f1d6b9a5c3e8407ULL;
};

// Computes sketches; see the file comment.
class Sketcher {
 public:
  // Validates the options: bands and rows >= 1, K = bands*rows <= 4096,
  // anchor_window >= 1, shingle_words >= 1. kInvalidArgument otherwise.
  static Result<Sketcher> Create(const SketchOptions& options);

  const SketchOptions& options() const { return options_; }
  uint32_t signature_size() const { return options_.num_bands * options_.rows_per_band; }

  // Sketches one document. kInvalidArgument when id is kNoDoc or
  // shingle_starts is non-empty with a length other than shingles'. A
  // document without shingles is valid: it can only take part in `exact`
  // pairs.
  Result<DocumentSketch> Sketch(const DocumentInput& input) const;

  // Compact encoding of everything but `sequence_ranks` and
  // `sequence_starts` (format 3): a 48-byte little-endian header, then the
  // sorted fingerprints as Rice-coded gaps (about 25 bits each for a
  // 450-shingle article, against 32), the signature as positions among
  // them and the anchors as a bitmap over them (both are fingerprints of
  // the document). A sketch whose signature or anchors are not among its
  // fingerprints (not one Sketch made) is written in format 2: 4 bytes per
  // fingerprint, signature value and anchor.
  std::string Serialize(const DocumentSketch& sketch) const;

  // Inverse of Serialize (formats 2 and 3). kInvalidInput when the bytes
  // are truncated, corrupt, or were made with other SketchOptions. Band keys
  // are recomputed from the signature.
  Result<DocumentSketch> Load(std::string_view bytes) const;

  // Whether `bytes` start like a sketch of this format made with these
  // options; false for sketches of other options or another format version
  // (which a store upgraded across such a change must recompute from the
  // article body), and for anything that is not a sketch.
  bool Compatible(std::string_view bytes) const;

  // Band keys of a signature of signature_size() values.
  std::vector<uint32_t> BandKeys(std::span<const uint32_t> signature) const;

 private:
  explicit Sketcher(const SketchOptions& options);
  uint32_t OptionsFingerprint() const;

  SketchOptions options_;
};

// Exact overlap of two sorted, unique fingerprint sets.
struct Overlap {
  uint32_t shared = 0;     // |A n B|
  double jaccard = 0;      // |A n B| / |A u B|; 0 when both are empty
  double containment = 0;  // |A n B| / min(|A|, |B|); 0 when one is empty
};
Overlap ComputeOverlap(std::span<const uint32_t> a, std::span<const uint32_t> b);

}  // namespace storyline::dedup

#endif  // STORYLINE_DEDUP_SKETCH_H_
