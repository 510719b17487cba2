// The clusterer's TF-IDF geometry: document frequencies learned online
// from the stream, an arriving article's scoring vectors, and the
// centroids' cosines, merges and cached IDF.
//
//   TermSpace space(options.df_halving_docs);
//   Doc doc = space.MakeDoc(extractor.Extract(title, body, lang));
//   space.MaybeRefreshNorms(&story);
//   DocLookups lookups;  lookups.Build(doc);
//   double title = lookups.Cosine(doc, kTitle, story.centroid[kTitle]);
//   space.MergeInto(&story.centroid[kTitle], space.TfOf(doc.fields[kTitle]), 64);
//
// IDF = ln(1 + N / df). Every result is a function of the stream alone:
// the IDF table steps with N's leading bits, and centroid caches refresh at
// fixed growth points. Not part of the public API; one writer.
#ifndef STORYLINE_SRC_CLUSTER_TERM_SPACE_H_
#define STORYLINE_SRC_CLUSTER_TERM_SPACE_H_

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "cluster/cluster_types.h"
#include "cluster/features.h"
#include "cluster/flat_counter.h"

namespace storyline::cluster::internal {

class TermSpace {
 public:
  // Document frequencies and N are halved every `halving_docs` documents
  // (0: never), so that old vocabulary fades on an endless stream.
  explicit TermSpace(std::uint64_t halving_docs) : halving_docs_(halving_docs) {}

  // Counts the article's terms into the document frequencies (it is one of
  // the N documents its own IDF is computed over), then builds its scoring
  // vectors from the counts just written.
  Doc MakeDoc(ExtractedArticle x);

  double Idf(std::uint64_t term) const { return IdfOfCount(df_.Get(term)); }

  // Refreshes the cached IDF of every centroid and sample term of `c` and
  // their norms; MaybeRefreshNorms does so once the corpus grew by about 8%
  // since the last refresh.
  void RefreshNorms(Cluster* c);
  void MaybeRefreshNorms(Cluster* c) {
    if (c->norm_docs == 0 || counted_ > c->norm_docs + c->norm_docs / kRefreshDiv) {
      RefreshNorms(c);
    }
  }

  // field += add, then keeps the `keep` heaviest terms by weight * idf (the
  // bounded centroid: old, rare words give way to the story's core terms)
  // and sets the field's norm. Each term keeps its cached IDF; a term of
  // `add` (an article's, or another centroid's) brings its own.
  void MergeInto(CentroidField* field, const SparseVector& add, std::size_t keep);

  // The unit TF vector of `v` with its IDF, as MergeInto adds it (valid
  // until the next call).
  const SparseVector& TfOf(const DocVector& v);

  // Documents counted over the whole stream (never halved): the clock of
  // the centroids' IDF caches.
  std::uint64_t counted() const { return counted_; }

  // The counts as saved and restored with the clusterer's state.
  const FlatCounter& df() const { return df_; }
  std::uint64_t docs() const { return docs_; }
  void Restore(std::uint64_t docs, std::uint64_t counted) {
    docs_ = docs;
    counted_ = counted;
  }
  void SetCount(std::uint64_t term, std::uint32_t count) { df_.Set(term, count); }
  void ClearCounts() { df_.Clear(); }
  // The counts changed since the last call, for saving in steps (see
  // FlatCounter::TakeChanged).
  std::vector<std::pair<std::uint64_t, std::uint32_t>> TakeChangedCounts(bool* whole) {
    return df_.TakeChanged(whole);
  }

 private:
  double IdfOfCount(std::uint32_t count) const;

  std::uint64_t halving_docs_;
  FlatCounter df_;          // document frequency per field-tagged term hash
  std::uint64_t docs_ = 0;  // N of the IDF: halved with the counts
  std::uint64_t counted_ = 0;
  static constexpr std::uint32_t kIdfTableSize = 4096;
  // A centroid's cached IDF and norm are refreshed once the corpus grew by
  // 1/kRefreshDiv (about 8%) since: a refresh looks every centroid term up
  // in the document-frequency table, a cache miss each on a large stream.
  // ECB+ F1 moves by under 0.002 from 1/40 to 1/5; examples/ keeps its
  // figures up to 1/16 and loses 0.02 story F1 at 1/10 (a 41-article
  // corpus is refreshed every few articles either way).
  static constexpr std::uint64_t kRefreshDiv = 12;
  mutable std::vector<float> idf_table_;
  mutable std::uint64_t idf_table_docs_ = ~std::uint64_t{0};
  std::vector<std::pair<float, std::uint64_t>> rank_scratch_;
  SparseVector merge_scratch_;
  SparseVector tf_scratch_;
};

// Cosines of TF-IDF vectors (each side's IDF as cached on its terms).
// Inline: they run for every candidate the clusterer scores.
inline double Cosine(const DocVector& d, const CentroidField& c) {
  if (d.norm <= 0 || c.norm <= 0) return 0.0;
  double dot = 0;
  auto a = d.terms.begin();
  auto b = c.terms.begin();
  const auto a_end = d.terms.end();
  const auto b_end = c.terms.end();
  // A branch-free merge: which side advances is data-dependent and
  // mispredicted half the time; adding 0 for a non-match leaves the sum
  // exactly as the branchy form computes it.
  while (a != a_end && b != b_end) {
    const std::uint64_t x = a->term;
    const std::uint64_t y = b->term;
    dot += double{a->weight} * b->weight * a->idf * static_cast<double>(x == y);
    a += x <= y;
    b += y <= x;
  }
  return std::min(1.0, dot / (d.norm * c.norm));
}

inline double Cosine(const CentroidField& x, const CentroidField& y) {
  if (x.norm <= 0 || y.norm <= 0) return 0.0;
  double dot = 0;
  auto a = x.terms.begin();
  auto b = y.terms.begin();
  while (a != x.terms.end() && b != y.terms.end()) {
    if (a->term < b->term) {
      ++a;
    } else if (b->term < a->term) {
      ++b;
    } else {
      dot += double{a->weight} * b->weight * a->idf * b->idf;
      ++a;
      ++b;
    }
  }
  return std::min(1.0, dot / (x.norm * y.norm));
}

// The article being scored, its field terms in small open-addressing tables
// (built once per article): scoring a candidate then walks the centroid's
// terms with independent lookups instead of a merge whose every step waits
// on the previous one. Matches are added in ascending term order, as the
// merge adds them, so the sums are the same bits.
class DocLookups {
 public:
  void Build(const Doc& doc);
  // Cosine(doc.fields[f], c), `doc` being the article last built.
  double Cosine(const Doc& doc, int f, const CentroidField& c) const;

 private:
  struct Table {
    std::vector<DocTerm> slots;  // term 0 = empty
    std::size_t mask = 0;
    bool usable = false;  // false when a term hashes to 0 (then: merge)
  };
  std::array<Table, kFieldCount> tables_;
};

inline double DocLookups::Cosine(const Doc& doc, int f, const CentroidField& c) const {
  const DocVector& d = doc.fields[f];
  if (d.norm <= 0 || c.norm <= 0) return 0.0;
  const Table& t = tables_[f];
  if (!t.usable) return internal::Cosine(d, c);
  const DocTerm* slots = t.slots.data();
  double dot = 0;
  for (const TermWeight& b : c.terms) {
    std::size_t i = static_cast<std::size_t>(b.term) & t.mask;
    while (slots[i].term != b.term && slots[i].term != 0) i = (i + 1) & t.mask;
    // An empty slot has weight 0: it adds +0, as a non-match does in the
    // merge.
    const DocTerm& a = slots[i];
    dot += double{a.weight} * b.weight * a.idf;
  }
  return std::min(1.0, dot / (d.norm * c.norm));
}

}  // namespace storyline::cluster::internal

#endif  // STORYLINE_SRC_CLUSTER_TERM_SPACE_H_
