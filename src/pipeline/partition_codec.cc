// Byte forms of the partitioned dedup records (partition_codec.h).
#include "pipeline/partition_codec.h"

#include <utility>

namespace storyline::pipeline::partition {
namespace {

using internal::ByteReader;
using internal::ByteWriter;

// Reads the tag and a count of items of at least `min_item` bytes.
Result<ByteReader> Open(std::string_view bytes, Kind kind, std::string_view what, std::uint64_t* n,
                        std::size_t min_item, std::uint32_t* batch = nullptr) {
  Result<ByteReader> r = Reader(bytes, kind, what);
  if (!r) return r;
  std::uint32_t b = 0;
  if (batch != nullptr && !r->U32(&b)) return Fail(Truncated(what));
  if (batch != nullptr) *batch = b;
  if (!r->Count(n, min_item)) return Fail(Truncated(what));
  return r;
}

Status Close(const ByteReader& r, std::string_view what) {
  if (!r.AtEnd()) return Fail(Truncated(what));
  return Ok();
}

}  // namespace

std::string EncodeBatch(const Batch& batch) {
  ByteWriter w = Writer(Kind::kBatch);
  w.U32(batch.number);
  w.U64(batch.articles.size());
  for (const BatchArticle& b : batch.articles) {
    const Article& a = b.article;
    w.U32(b.doc);
    w.U64(b.order);
    w.Str(a.id);
    w.Str(a.title);
    w.Str(a.text);
    w.Str(a.url);
    w.Str(a.source);
    w.Str(a.published);
    w.Str(a.lang);
    w.Str(a.origin);
    w.U8(static_cast<std::uint8_t>((a.title_inferred ? 1 : 0) | (a.published_inferred ? 2 : 0)));
  }
  return w.Take();
}

Result<Batch> DecodeBatch(std::string_view bytes) {
  std::uint64_t n = 0;
  Batch batch;
  Result<ByteReader> r = Open(bytes, Kind::kBatch, "a batch", &n, 77, &batch.number);
  if (!r) return Fail(r.error());
  batch.articles.resize(static_cast<std::size_t>(n));
  for (BatchArticle& b : batch.articles) {
    Article& a = b.article;
    std::uint8_t flags = 0;
    if (!(r->U32(&b.doc) && r->U64(&b.order) && r->Str(&a.id) && r->Str(&a.title) &&
          r->Str(&a.text) && r->Str(&a.url) && r->Str(&a.source) && r->Str(&a.published) &&
          r->Str(&a.lang) && r->Str(&a.origin) && r->U8(&flags))) {
      return Fail(Truncated("a batch"));
    }
    a.title_inferred = (flags & 1) != 0;
    a.published_inferred = (flags & 2) != 0;
  }
  if (Status s = Close(*r, "a batch"); !s) return Fail(s.error());
  return batch;
}

std::string EncodeObservations(std::uint32_t batch,
                               const std::vector<clean::LineObservation>& observations) {
  ByteWriter w = Writer(Kind::kObservations);
  w.U32(batch);
  w.U64(observations.size());
  for (const clean::LineObservation& o : observations) {
    w.U64(o.source_key);
    w.U8(o.source_known ? 1 : 0);
    w.U64(o.story_key);
    w.U64(o.line_keys.size());
    for (std::uint64_t k : o.line_keys) w.U64(k);
  }
  return w.Take();
}

Result<std::vector<clean::LineObservation>> DecodeObservations(std::string_view bytes,
                                                               std::uint32_t* batch) {
  std::uint64_t n = 0;
  Result<ByteReader> r = Open(bytes, Kind::kObservations, "observations", &n, 25, batch);
  if (!r) return Fail(r.error());
  std::vector<clean::LineObservation> out(static_cast<std::size_t>(n));
  for (clean::LineObservation& o : out) {
    std::uint8_t known = 0;
    std::uint64_t keys = 0;
    if (!(r->U64(&o.source_key) && r->U8(&known) && r->U64(&o.story_key) && r->Count(&keys, 8))) {
      return Fail(Truncated("observations"));
    }
    o.source_known = known != 0;
    o.line_keys.resize(static_cast<std::size_t>(keys));
    for (std::uint64_t& k : o.line_keys) r->U64(&k);
  }
  if (Status s = Close(*r, "observations"); !s) return Fail(s.error());
  return out;
}

std::string EncodeSketches(std::uint32_t batch, const std::vector<OrderedSketch>& sketches,
                           const dedup::Sketcher& sketcher) {
  ByteWriter w = Writer(Kind::kSketches);
  w.U32(batch);
  w.U64(sketches.size());
  for (const OrderedSketch& s : sketches) {
    w.U64(s.order);
    w.Str(sketcher.Serialize(s.sketch));
  }
  return w.Take();
}

Result<std::vector<OrderedSketch>> DecodeSketches(std::string_view bytes,
                                                  const dedup::Sketcher& sketcher,
                                                  std::uint32_t* batch) {
  std::uint64_t n = 0;
  Result<ByteReader> r = Open(bytes, Kind::kSketches, "sketches", &n, 16, batch);
  if (!r) return Fail(r.error());
  std::vector<OrderedSketch> out(static_cast<std::size_t>(n));
  std::string blob;
  for (OrderedSketch& s : out) {
    if (!r->U64(&s.order) || !r->Str(&blob)) return Fail(Truncated("sketches"));
    Result<dedup::DocumentSketch> sk = sketcher.Load(blob);
    if (!sk) return Fail(sk.error());
    s.sketch = std::move(*sk);
  }
  if (Status s = Close(*r, "sketches"); !s) return Fail(s.error());
  return out;
}

std::string EncodeMeta(std::uint32_t batch, const std::vector<DocMeta>& meta) {
  ByteWriter w = Writer(Kind::kMeta);
  w.U32(batch);
  w.U64(meta.size());
  for (const DocMeta& m : meta) {
    w.U32(m.doc);
    w.U64(m.order);
    w.U64(m.body_hash);
    w.I64(m.timestamp);
    w.U32(m.body_length);
  }
  return w.Take();
}

Result<std::vector<DocMeta>> DecodeMeta(std::string_view bytes, std::uint32_t* batch) {
  std::uint64_t n = 0;
  Result<ByteReader> r = Open(bytes, Kind::kMeta, "document metadata", &n, 32, batch);
  if (!r) return Fail(r.error());
  std::vector<DocMeta> out(static_cast<std::size_t>(n));
  for (DocMeta& m : out) {
    r->U32(&m.doc);
    r->U64(&m.order);
    r->U64(&m.body_hash);
    r->I64(&m.timestamp);
    r->U32(&m.body_length);
  }
  if (Status s = Close(*r, "document metadata"); !s) return Fail(s.error());
  return out;
}

std::string EncodeDocs(const std::vector<dedup::DocId>& docs) {
  ByteWriter w = Writer(Kind::kDocs);
  w.U64(docs.size());
  for (dedup::DocId d : docs) w.U32(d);
  return w.Take();
}

Result<std::vector<dedup::DocId>> DecodeDocs(std::string_view bytes) {
  std::uint64_t n = 0;
  Result<ByteReader> r = Open(bytes, Kind::kDocs, "a document list", &n, 4);
  if (!r) return Fail(r.error());
  std::vector<dedup::DocId> out(static_cast<std::size_t>(n));
  if (n > 0) r->U32s(out.data(), out.size());
  if (Status s = Close(*r, "a document list"); !s) return Fail(s.error());
  return out;
}

std::string EncodeKeys(const std::vector<KeyRecord>& keys) {
  ByteWriter w = Writer(Kind::kKeys);
  w.Reserve(12 + keys.size() * 37);
  w.U64(keys.size());
  for (const KeyRecord& k : keys) {
    w.U8(static_cast<std::uint8_t>(k.kind));
    w.U64(k.key);
    w.U64(k.order);
    w.U32(k.doc);
    w.U32(k.anchors);
    w.U32(k.body_length);
    w.I64(k.timestamp);
  }
  return w.Take();
}

Status DecodeKeys(std::string_view bytes, std::vector<KeyRecord>* out) {
  std::uint64_t n = 0;
  Result<ByteReader> r = Open(bytes, Kind::kKeys, "key records", &n, 37);
  if (!r) return Fail(r.error());
  out->reserve(out->size() + static_cast<std::size_t>(n));
  for (std::uint64_t i = 0; i < n; ++i) {
    KeyRecord k;
    std::uint8_t kind = 0;
    r->U8(&kind);
    if (kind > 2) return Fail(Truncated("key records"));
    k.kind = static_cast<KeyKind>(kind);
    r->U64(&k.key);
    r->U64(&k.order);
    r->U32(&k.doc);
    r->U32(&k.anchors);
    r->U32(&k.body_length);
    r->I64(&k.timestamp);
    out->push_back(k);
  }
  return Close(*r, "key records");
}

std::string EncodeHits(const std::vector<Hit>& hits) {
  ByteWriter w = Writer(Kind::kHits);
  w.Reserve(12 + hits.size() * 21);
  w.U64(hits.size());
  for (const Hit& h : hits) {
    w.U32(h.doc);
    w.U32(h.other);
    w.U64(h.other_order);
    w.U8(static_cast<std::uint8_t>(h.kind));
    w.U32(h.other_anchors);
  }
  return w.Take();
}

Status DecodeHits(std::string_view bytes, std::vector<Hit>* out) {
  std::uint64_t n = 0;
  Result<ByteReader> r = Open(bytes, Kind::kHits, "candidate hits", &n, 21);
  if (!r) return Fail(r.error());
  out->reserve(out->size() + static_cast<std::size_t>(n));
  for (std::uint64_t i = 0; i < n; ++i) {
    Hit h;
    std::uint8_t kind = 0;
    r->U32(&h.doc);
    r->U32(&h.other);
    r->U64(&h.other_order);
    r->U8(&kind);
    r->U32(&h.other_anchors);
    if (kind > 2) return Fail(Truncated("candidate hits"));
    h.kind = static_cast<HitKind>(kind);
    out->push_back(h);
  }
  return Close(*r, "candidate hits");
}

std::string EncodeSelection(const std::vector<Candidate>& candidates) {
  ByteWriter w = Writer(Kind::kSelection);
  w.U64(candidates.size());
  for (const Candidate& c : candidates) {
    w.U32(c.doc);
    w.U32(c.other);
    w.U64(c.other_order);
  }
  return w.Take();
}

Result<std::vector<Candidate>> DecodeSelection(std::string_view bytes) {
  std::uint64_t n = 0;
  Result<ByteReader> r = Open(bytes, Kind::kSelection, "a candidate selection", &n, 16);
  if (!r) return Fail(r.error());
  std::vector<Candidate> out(static_cast<std::size_t>(n));
  for (Candidate& c : out) {
    r->U32(&c.doc);
    r->U32(&c.other);
    r->U64(&c.other_order);
  }
  if (Status s = Close(*r, "a candidate selection"); !s) return Fail(s.error());
  return out;
}

std::string EncodeShingles(const std::vector<Shingles>& sets) {
  ByteWriter w = Writer(Kind::kShingles);
  w.U64(sets.size());
  for (const Shingles& s : sets) {
    w.U32(s.doc);
    w.U64(s.body_hash);
    w.U64(s.shingles.size());
    for (std::uint32_t f : s.shingles) w.U32(f);
  }
  return w.Take();
}

Status DecodeShingles(std::string_view bytes, std::vector<Shingles>* out) {
  std::uint64_t n = 0;
  Result<ByteReader> r = Open(bytes, Kind::kShingles, "shingle sets", &n, 20);
  if (!r) return Fail(r.error());
  for (std::uint64_t i = 0; i < n; ++i) {
    Shingles s;
    std::uint64_t count = 0;
    if (!(r->U32(&s.doc) && r->U64(&s.body_hash) && r->Count(&count, 4))) {
      return Fail(Truncated("shingle sets"));
    }
    s.shingles.resize(static_cast<std::size_t>(count));
    if (count > 0) r->U32s(s.shingles.data(), s.shingles.size());
    out->push_back(std::move(s));
  }
  return Close(*r, "shingle sets");
}

std::string EncodePairs(const std::vector<dedup::DuplicatePair>& pairs) {
  ByteWriter w = Writer(Kind::kPairs);
  w.U64(pairs.size());
  for (const dedup::DuplicatePair& p : pairs) {
    w.U32(p.doc);
    w.U32(p.other);
    w.U8(static_cast<std::uint8_t>(p.relation));
    w.F64(p.jaccard);
    w.F64(p.containment);
    w.U32(p.shared_shingles);
  }
  return w.Take();
}

Status DecodePairs(std::string_view bytes, std::vector<dedup::DuplicatePair>* out) {
  std::uint64_t n = 0;
  Result<ByteReader> r = Open(bytes, Kind::kPairs, "verified pairs", &n, 29);
  if (!r) return Fail(r.error());
  for (std::uint64_t i = 0; i < n; ++i) {
    dedup::DuplicatePair p;
    std::uint8_t relation = 0;
    r->U32(&p.doc);
    r->U32(&p.other);
    r->U8(&relation);
    r->F64(&p.jaccard);
    r->F64(&p.containment);
    r->U32(&p.shared_shingles);
    if (relation > 2) return Fail(Truncated("verified pairs"));
    p.relation = static_cast<dedup::Relation>(relation);
    out->push_back(std::move(p));
  }
  return Close(*r, "verified pairs");
}

}  // namespace storyline::pipeline::partition
