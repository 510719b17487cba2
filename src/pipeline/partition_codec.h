// The records the partitioned dedup tasks exchange, and their byte forms
// (private to the pipeline; see storyline/pipeline/partitioned_dedup.h).
// Every string starts with a 4-byte tag naming its kind and format version,
// so that a task given the wrong string fails with kInvalidInput.
#ifndef STORYLINE_PIPELINE_PARTITION_CODEC_H_
#define STORYLINE_PIPELINE_PARTITION_CODEC_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/byte_codec.h"
#include "storyline/clean/chrome_model.h"
#include "storyline/core/article.h"
#include "storyline/core/result.h"
#include "storyline/dedup/duplicate_index.h"
#include "storyline/dedup/sketch.h"

namespace storyline::pipeline::partition {

// A document's place in the stream: its batch in the high 32 bits, its
// position in the batch's analysis order in the low ones. The index adds
// documents in this order.
using Order = std::uint64_t;
inline std::uint32_t BatchOf(Order order) { return static_cast<std::uint32_t>(order >> 32); }

enum class Kind : std::uint32_t {
  kBatch = 0x31424c53,         // "SLB1"
  kObservations = 0x314f4c53,  // "SLO1"
  kSketches = 0x31534c53,      // "SLS1"
  kMeta = 0x314d4c53,          // "SLM1"
  kDocs = 0x31444c53,          // "SLD1": superseded or wanted documents
  kKeys = 0x314b4c53,          // "SLK1"
  kHits = 0x31484c53,          // "SLH1"
  kSelection = 0x31434c53,     // "SLC1"
  kShingles = 0x31464c53,      // "SLF1"
  kPairs = 0x31504c53,         // "SLP1"
};

// A writer that starts with the tag of `kind`.
inline internal::ByteWriter Writer(Kind kind) {
  internal::ByteWriter w;
  w.U32(static_cast<std::uint32_t>(kind));
  return w;
}

// A reader past the tag, or kInvalidInput when `bytes` are of another kind.
inline Result<internal::ByteReader> Reader(std::string_view bytes, Kind kind,
                                           std::string_view what) {
  internal::ByteReader r(bytes);
  std::uint32_t tag = 0;
  if (!r.U32(&tag) || tag != static_cast<std::uint32_t>(kind)) {
    return MakeError(ErrorCode::kInvalidInput,
                     "partitioned dedup: not " + std::string(what) + " (wrong tag)");
  }
  return r;
}

inline Error Truncated(std::string_view what) {
  return Error{ErrorCode::kInvalidInput,
               "partitioned dedup: " + std::string(what) + " cut short or corrupt"};
}

// One article of a batch, with its document number and order.
struct BatchArticle {
  dedup::DocId doc = dedup::kNoDoc;
  Order order = 0;
  Article article;
};
struct Batch {
  std::uint32_t number = 0;
  std::vector<BatchArticle> articles;
};
std::string EncodeBatch(const Batch& batch);
Result<Batch> DecodeBatch(std::string_view bytes);

// The chrome model's observations of a batch's articles, in order.
std::string EncodeObservations(std::uint32_t batch,
                               const std::vector<clean::LineObservation>& observations);
Result<std::vector<clean::LineObservation>> DecodeObservations(std::string_view bytes,
                                                               std::uint32_t* batch);

// A batch's sketches, in order (Sketcher::Serialize: no evidence order).
struct OrderedSketch {
  Order order = 0;
  dedup::DocumentSketch sketch;
};
std::string EncodeSketches(std::uint32_t batch, const std::vector<OrderedSketch>& sketches,
                           const dedup::Sketcher& sketcher);
Result<std::vector<OrderedSketch>> DecodeSketches(std::string_view bytes,
                                                  const dedup::Sketcher& sketcher,
                                                  std::uint32_t* batch);

// A document's metadata: what the driver's index and the canonical rule
// read, and its order.
struct DocMeta {
  dedup::DocId doc = dedup::kNoDoc;
  Order order = 0;
  std::uint64_t body_hash = 0;
  std::int64_t timestamp = 0;
  std::uint32_t body_length = 0;
};
std::string EncodeMeta(std::uint32_t batch, const std::vector<DocMeta>& meta);
Result<std::vector<DocMeta>> DecodeMeta(std::string_view bytes, std::uint32_t* batch);

// A list of document numbers (superseded, wanted).
std::string EncodeDocs(const std::vector<dedup::DocId>& docs);
Result<std::vector<dedup::DocId>> DecodeDocs(std::string_view bytes);

// A key a document holds, routed to the shard of its key.
enum class KeyKind : std::uint8_t { kBand = 0, kAnchor = 1, kExact = 2 };
struct KeyRecord {
  KeyKind kind = KeyKind::kBand;
  std::uint64_t key = 0;
  Order order = 0;
  dedup::DocId doc = dedup::kNoDoc;
  std::uint32_t anchors = 0;  // the document's anchor count
  std::uint32_t body_length = 0;
  std::int64_t timestamp = 0;
};
std::string EncodeKeys(const std::vector<KeyRecord>& keys);
Status DecodeKeys(std::string_view bytes, std::vector<KeyRecord>* out);  // appends

// A candidate hit of a later document on an earlier one.
enum class HitKind : std::uint8_t { kBand = 0, kAnchor = 1, kTwin = 2 };
struct Hit {
  dedup::DocId doc = dedup::kNoDoc;  // the later document
  dedup::DocId other = dedup::kNoDoc;
  Order other_order = 0;
  HitKind kind = HitKind::kBand;
  std::uint32_t other_anchors = 0;
};
std::string EncodeHits(const std::vector<Hit>& hits);
Status DecodeHits(std::string_view bytes, std::vector<Hit>* out);  // appends

// A pair to verify.
struct Candidate {
  dedup::DocId doc = dedup::kNoDoc;
  dedup::DocId other = dedup::kNoDoc;
  Order other_order = 0;
};
std::string EncodeSelection(const std::vector<Candidate>& candidates);
Result<std::vector<Candidate>> DecodeSelection(std::string_view bytes);

// A document's shingle set and body hash, sent to another batch's verifier.
struct Shingles {
  dedup::DocId doc = dedup::kNoDoc;
  std::uint64_t body_hash = 0;
  std::vector<std::uint32_t> shingles;
};
std::string EncodeShingles(const std::vector<Shingles>& sets);
Status DecodeShingles(std::string_view bytes, std::vector<Shingles>* out);  // appends

// A verified pair (doc, the later, and other, the earlier).
std::string EncodePairs(const std::vector<dedup::DuplicatePair>& pairs);
Status DecodePairs(std::string_view bytes, std::vector<dedup::DuplicatePair>* out);  // appends

}  // namespace storyline::pipeline::partition

#endif  // STORYLINE_PIPELINE_PARTITION_CODEC_H_
