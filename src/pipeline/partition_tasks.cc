// The worker tasks of the partitioned dedup job (see
// storyline/pipeline/partitioned_dedup.h): pure functions of their inputs.
#include <algorithm>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "core/hash.h"
#include "pipeline/dedup_common.h"
#include "pipeline/partition_codec.h"
#include "storyline/pipeline/partitioned_dedup.h"

namespace storyline::pipeline {
namespace {

using partition::BatchOf;
using partition::Candidate;
using partition::DocMeta;
using partition::Hit;
using partition::HitKind;
using partition::KeyKind;
using partition::KeyRecord;
using partition::OrderedSketch;

// A batch's sketches (SketchBatch's output), decoded with the options'
// sketcher; `batch` gets the batch's number.
Result<std::vector<OrderedSketch>> SketchesOf(std::string_view sketches,
                                              const DedupOptions& options, std::uint32_t* batch) {
  Result<dedup::Sketcher> sketcher = dedup::Sketcher::Create(options.sketch);
  if (!sketcher) return Fail(sketcher.error());
  return partition::DecodeSketches(sketches, *sketcher, batch);
}

// A shard for a key: its high bits after a multiplicative mix, so that
// band keys, anchors and body hashes spread evenly whatever their low bits.
std::uint32_t ShardOf(std::uint64_t key, std::uint32_t shards) {
  return static_cast<std::uint32_t>((storyline::internal::Mix64(key) >> 32) % shards);
}

dedup::CanonicalRank RankOf(const KeyRecord& k) {
  return dedup::CanonicalRank{k.doc, k.body_length, k.timestamp};
}

// The hits of one key's documents (`members`, in add order), replaying the
// index's posting rules: a key's table holds its first max_posting
// documents; a document sees the ones before it there. A band still gives
// candidates once full; an anchor seen full gives none; a body hash gives
// the best-ranked twin before it.
void HitsOfKey(std::span<const KeyRecord> members, std::uint32_t cap,
               std::vector<std::vector<Hit>>& out) {
  const KeyKind kind = members.front().kind;
  for (std::size_t p = 1; p < members.size(); ++p) {
    const KeyRecord& later = members[p];
    std::vector<Hit>& sink = out[BatchOf(later.order)];
    const std::size_t seen = std::min<std::size_t>(p, cap);
    if (kind == KeyKind::kExact) {
      std::size_t best = 0;
      for (std::size_t q = 1; q < seen; ++q) {
        if (dedup::RanksBefore(RankOf(members[q]), RankOf(members[best]))) best = q;
      }
      sink.push_back(Hit{later.doc, members[best].doc, members[best].order, HitKind::kTwin, 0});
      continue;
    }
    if (kind == KeyKind::kAnchor && p >= cap) break;  // capped: boilerplate
    const HitKind hit = kind == KeyKind::kBand ? HitKind::kBand : HitKind::kAnchor;
    for (std::size_t q = 0; q < seen; ++q) {
      sink.push_back(Hit{later.doc, members[q].doc, members[q].order, hit, members[q].anchors});
    }
  }
}

// The candidates of one document from its hits (sorted by `other`), as
// DuplicateIndex selects them: its twin alone when it has one; otherwise
// every document sharing a band, and those sharing only anchors when they
// share enough of the smaller document's anchors; the max_candidates with
// the most hits.
void SelectOne(std::span<const Hit> hits, std::uint32_t my_anchors,
               const dedup::IndexOptions& options, std::vector<Candidate>& out) {
  const dedup::DocId doc = hits.front().doc;
  for (const Hit& h : hits) {
    if (h.kind == HitKind::kTwin) {
      out.push_back(Candidate{doc, h.other, h.other_order});
      return;
    }
  }
  struct Counted {
    Candidate c;
    std::uint32_t hits;
  };
  std::vector<Counted> chosen;
  for (std::size_t i = 0; i < hits.size();) {
    std::size_t j = i;
    std::uint32_t band = 0, anchor = 0;
    for (; j < hits.size() && hits[j].other == hits[i].other; ++j) {
      (hits[j].kind == HitKind::kBand ? band : anchor)++;
    }
    const Hit& h = hits[i];
    i = j;
    if (band == 0) {
      const std::uint32_t fewer = std::min(my_anchors, h.other_anchors);
      if (anchor < std::max<double>(1.0, options.min_anchor_fraction * fewer)) continue;
    }
    chosen.push_back(Counted{Candidate{doc, h.other, h.other_order}, band + anchor});
  }
  if (chosen.size() > options.max_candidates) {
    std::nth_element(chosen.begin(), chosen.begin() + options.max_candidates, chosen.end(),
                     [](const Counted& x, const Counted& y) {
                       if (x.hits != y.hits) return x.hits > y.hits;
                       return x.c.other < y.c.other;
                     });
    chosen.resize(options.max_candidates);
  }
  for (const Counted& c : chosen) out.push_back(c.c);
}

}  // namespace

Result<std::string> ObserveBatch(std::string_view batch) {
  Result<partition::Batch> b = partition::DecodeBatch(batch);
  if (!b) return Fail(b.error());
  std::vector<clean::LineObservation> observations;
  observations.reserve(b->articles.size());
  for (const partition::BatchArticle& a : b->articles) {
    observations.push_back(clean::ChromeModel::Observation(a.article));
  }
  return partition::EncodeObservations(b->number, observations);
}

Result<SketchedBatch> SketchBatch(std::string_view batch, std::string_view chrome,
                                  const DedupOptions& options) {
  Result<partition::Batch> b = partition::DecodeBatch(batch);
  if (!b) return Fail(b.error());
  Result<clean::ChromeModel> model = clean::ChromeModel::Deserialize(chrome);
  if (!model) return Fail(model.error());
  if (options.threads < 0) {
    return MakeError(ErrorCode::kInvalidArgument, "the thread count must be >= 0");
  }
  ThreadPool pool(ResolveThreads(options.threads));
  PipelineState state;
  if (Status s = BuildDedupState(options, pool.size(), &state); !s) return Fail(s.error());
  std::vector<ArticleWork> work(b->articles.size());
  for (std::size_t k = 0; k < work.size(); ++k) {
    work[k].article = &b->articles[k].article;
    work[k].position = k;
    work[k].doc = b->articles[k].doc;
    work[k].analysis.id = b->articles[k].article.id;
  }
  if (Status s = SketchForDedup(state, *model, pool, work); !s) return Fail(s.error());
  std::vector<OrderedSketch> sketches(work.size());
  std::vector<DocMeta> meta(work.size());
  for (std::size_t k = 0; k < work.size(); ++k) {
    dedup::DocumentSketch& s = *work[k].sketch;
    meta[k] = DocMeta{s.id, b->articles[k].order, s.body_hash, s.timestamp, s.body_length};
    sketches[k] = OrderedSketch{b->articles[k].order, std::move(s)};
  }
  SketchedBatch out;
  out.sketches = partition::EncodeSketches(b->number, sketches, *state.sketcher);
  out.meta = partition::EncodeMeta(b->number, meta);
  return out;
}

Result<std::vector<std::string>> RouteKeys(std::string_view sketches, std::string_view superseded,
                                           std::uint32_t shards, const DedupOptions& options) {
  if (shards == 0) return MakeError(ErrorCode::kInvalidArgument, "shards must be >= 1");
  std::uint32_t batch = 0;
  Result<std::vector<OrderedSketch>> docs = SketchesOf(sketches, options, &batch);
  if (!docs) return Fail(docs.error());
  Result<std::vector<dedup::DocId>> gone = partition::DecodeDocs(superseded);
  if (!gone) return Fail(gone.error());
  const std::unordered_set<dedup::DocId> skip(gone->begin(), gone->end());
  std::vector<std::vector<KeyRecord>> out(shards);
  for (const OrderedSketch& o : *docs) {
    const dedup::DocumentSketch& s = o.sketch;
    if (skip.contains(s.id)) continue;
    KeyRecord k;
    k.order = o.order;
    k.doc = s.id;
    k.anchors = static_cast<std::uint32_t>(s.anchors.size());
    k.body_length = s.body_length;
    k.timestamp = s.timestamp;
    auto route = [&](KeyKind kind, std::uint64_t key) {
      k.kind = kind;
      k.key = key;
      out[ShardOf(key, shards)].push_back(k);
    };
    for (std::uint32_t key : s.band_keys) route(KeyKind::kBand, key);
    for (std::uint32_t key : s.anchors) route(KeyKind::kAnchor, key);
    if (s.body_hash != 0) route(KeyKind::kExact, s.body_hash);
  }
  std::vector<std::string> encoded;
  encoded.reserve(shards);
  for (const std::vector<KeyRecord>& shard : out) encoded.push_back(partition::EncodeKeys(shard));
  return encoded;
}

Result<std::vector<std::string>> FindCandidates(std::span<const std::string> shard_parts,
                                                std::uint32_t batches,
                                                const DedupOptions& options) {
  std::vector<KeyRecord> keys;
  for (const std::string& part : shard_parts) {
    if (Status s = partition::DecodeKeys(part, &keys); !s) return Fail(s.error());
  }
  for (const KeyRecord& k : keys) {
    if (BatchOf(k.order) >= batches) {
      return MakeError(ErrorCode::kInvalidInput, "partitioned dedup: a key record of batch " +
                                                     std::to_string(BatchOf(k.order)) +
                                                     " in a job of " + std::to_string(batches) +
                                                     " batches");
    }
  }
  // One key's documents side by side, in add order.
  std::sort(keys.begin(), keys.end(), [](const KeyRecord& a, const KeyRecord& b) {
    if (a.kind != b.kind) return a.kind < b.kind;
    if (a.key != b.key) return a.key < b.key;
    return a.order < b.order;
  });
  std::vector<std::vector<Hit>> hits(batches);
  const std::uint32_t cap = options.index.max_posting;
  for (std::size_t i = 0; i < keys.size();) {
    std::size_t j = i + 1;
    while (j < keys.size() && keys[j].kind == keys[i].kind && keys[j].key == keys[i].key) ++j;
    if (j - i > 1) HitsOfKey(std::span<const KeyRecord>(keys.data() + i, j - i), cap, hits);
    i = j;
  }
  std::vector<std::string> out;
  out.reserve(batches);
  for (const std::vector<Hit>& h : hits) out.push_back(partition::EncodeHits(h));
  return out;
}

Result<CandidateSelection> SelectCandidates(std::string_view sketches,
                                            std::span<const std::string> hit_parts,
                                            std::uint32_t batches, const DedupOptions& options) {
  std::uint32_t batch = 0;
  Result<std::vector<OrderedSketch>> docs = SketchesOf(sketches, options, &batch);
  if (!docs) return Fail(docs.error());
  std::unordered_map<dedup::DocId, std::uint32_t> anchors;
  for (const OrderedSketch& o : *docs) {
    anchors[o.sketch.id] = static_cast<std::uint32_t>(o.sketch.anchors.size());
  }
  std::vector<Hit> hits;
  for (const std::string& part : hit_parts) {
    if (Status s = partition::DecodeHits(part, &hits); !s) return Fail(s.error());
  }
  std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
    if (a.doc != b.doc) return a.doc < b.doc;
    return a.other < b.other;
  });
  std::vector<Candidate> chosen;
  for (std::size_t i = 0; i < hits.size();) {
    std::size_t j = i + 1;
    while (j < hits.size() && hits[j].doc == hits[i].doc) ++j;
    const auto mine = anchors.find(hits[i].doc);
    if (mine == anchors.end()) {
      return MakeError(ErrorCode::kInvalidInput,
                       "partitioned dedup: hits of document " + std::to_string(hits[i].doc) +
                           ", which batch " + std::to_string(batch) + " does not hold");
    }
    SelectOne(std::span<const Hit>(hits.data() + i, j - i), mine->second, options.index, chosen);
    i = j;
  }
  std::vector<std::vector<dedup::DocId>> wanted(batches);
  for (const Candidate& c : chosen) {
    const std::uint32_t t = BatchOf(c.other_order);
    if (t >= batches) return MakeError(ErrorCode::kInvalidInput, "partitioned dedup: bad batch");
    if (t != batch) wanted[t].push_back(c.other);
  }
  CandidateSelection out;
  out.selected = partition::EncodeSelection(chosen);
  for (std::vector<dedup::DocId>& w : wanted) {
    std::sort(w.begin(), w.end());
    w.erase(std::unique(w.begin(), w.end()), w.end());
    out.wanted.push_back(partition::EncodeDocs(w));
  }
  return out;
}

Result<std::string> TakeShingles(std::string_view sketches, std::string_view wanted,
                                 const DedupOptions& options) {
  std::uint32_t batch = 0;
  Result<std::vector<OrderedSketch>> docs = SketchesOf(sketches, options, &batch);
  if (!docs) return Fail(docs.error());
  Result<std::vector<dedup::DocId>> want = partition::DecodeDocs(wanted);
  if (!want) return Fail(want.error());
  const std::unordered_set<dedup::DocId> wanted_set(want->begin(), want->end());
  std::vector<partition::Shingles> out;
  for (OrderedSketch& o : *docs) {
    if (!wanted_set.contains(o.sketch.id)) continue;
    out.push_back(
        partition::Shingles{o.sketch.id, o.sketch.body_hash, std::move(o.sketch.shingles)});
  }
  return partition::EncodeShingles(out);
}

Result<std::string> VerifyCandidates(std::string_view sketches, std::string_view selected,
                                     std::span<const std::string> taken,
                                     const DedupOptions& options) {
  std::uint32_t batch = 0;
  Result<std::vector<OrderedSketch>> docs = SketchesOf(sketches, options, &batch);
  if (!docs) return Fail(docs.error());
  Result<std::vector<Candidate>> candidates = partition::DecodeSelection(selected);
  if (!candidates) return Fail(candidates.error());
  std::vector<partition::Shingles> others;
  for (const std::string& part : taken) {
    if (Status s = partition::DecodeShingles(part, &others); !s) return Fail(s.error());
  }
  // Every document's set and body hash by number: this batch's, then the
  // other batches' taken for it.
  struct SetRef {
    std::uint64_t body_hash;
    const std::vector<std::uint32_t>* shingles;
  };
  std::unordered_map<dedup::DocId, SetRef> sets;
  for (const OrderedSketch& o : *docs) {
    sets[o.sketch.id] = SetRef{o.sketch.body_hash, &o.sketch.shingles};
  }
  for (const partition::Shingles& s : others) sets[s.doc] = SetRef{s.body_hash, &s.shingles};
  const dedup::IndexOptions& opt = options.index;
  std::vector<dedup::DuplicatePair> pairs;
  for (const Candidate& c : *candidates) {
    const auto a = sets.find(c.doc);
    const auto b = sets.find(c.other);
    if (a == sets.end() || b == sets.end()) {
      return MakeError(ErrorCode::kInvalidInput,
                       "partitioned dedup: the shingles of document " +
                           std::to_string(a == sets.end() ? c.doc : c.other) + " are missing");
    }
    const dedup::Overlap ov = dedup::ComputeOverlap(*a->second.shingles, *b->second.shingles);
    const bool same_body = a->second.body_hash != 0 && a->second.body_hash == b->second.body_hash;
    const std::optional<dedup::Relation> rel = dedup::RelationOf(ov, same_body, opt);
    if (!rel) continue;
    dedup::DuplicatePair p;
    p.doc = c.doc;
    p.other = c.other;
    p.relation = *rel;
    p.jaccard = ov.jaccard;
    p.containment = ov.containment;
    p.shared_shingles = ov.shared;
    pairs.push_back(std::move(p));
  }
  return partition::EncodePairs(pairs);
}

}  // namespace storyline::pipeline
