#include "cluster/term_space.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace storyline::cluster::internal {
namespace {

// N is taken with its 7 leading bits only (steps under 1%), so that IDF
// values for the common small df can be tabled for a whole step instead of
// calling log() hundreds of times per article; N_eff is a function of N
// alone, so results stay a function of the stream.
std::uint64_t EffectiveDocs(std::uint64_t n) {
  const int bits = std::bit_width(n);
  return bits <= 7 ? n : n & ~((std::uint64_t{1} << (bits - 7)) - 1);
}

}  // namespace

double TermSpace::IdfOfCount(std::uint32_t count) const {
  const std::uint32_t n = std::max<std::uint32_t>(count, 1);
  const std::uint64_t docs_eff = EffectiveDocs(docs_);
  if (docs_eff != idf_table_docs_) {
    idf_table_docs_ = docs_eff;
    idf_table_.assign(kIdfTableSize, -1.0f);
  }
  if (n < kIdfTableSize) {
    float& cached = idf_table_[n];
    if (cached < 0) {
      cached = static_cast<float>(std::log(1.0 + static_cast<double>(docs_eff) / n));
    }
    return cached;
  }
  return static_cast<float>(std::log(1.0 + static_cast<double>(docs_eff) / n));
}

Doc TermSpace::MakeDoc(ExtractedArticle x) {
  if (halving_docs_ > 0 && counted_ > 0 && counted_ % halving_docs_ == 0) {
    df_.Halve();
    docs_ /= 2;
  }
  ++docs_;
  ++counted_;
  // One table access per term, the whole article's prefetched first.
  for (const SparseVector& field : x.fields) {
    for (const TermWeight& t : field) df_.Prefetch(t.term);
  }
  Doc doc;
  doc.headline = x.headline;
  doc.lang = std::move(x.lang);
  doc.labels = std::move(x.labels);
  for (int f = 0; f < kFieldCount; ++f) {
    DocVector& v = doc.fields[f];
    const SparseVector& tf = x.fields[f];
    double tf_norm = 0;
    for (const TermWeight& t : tf) tf_norm += double{t.weight} * t.weight;
    tf_norm = std::sqrt(tf_norm);
    v.terms.reserve(tf.size());
    double norm = 0;
    for (const TermWeight& t : tf) {
      const double idf = IdfOfCount(df_.Increment(t.term));
      const double unit = t.weight / tf_norm;
      v.terms.push_back({t.term, static_cast<float>(unit), static_cast<float>(unit * idf),
                         static_cast<float>(idf)});
      norm += unit * idf * unit * idf;
    }
    v.norm = std::sqrt(norm);
  }
  return doc;
}

void TermSpace::RefreshNorms(Cluster* c) {
  // IDF drifts as documents arrive; each centroid term caches its IDF, and
  // the cache and the norm are refreshed when the corpus grew by
  // 1/kRefreshDiv since (a term's IDF moves by at most ln(1 + 1/12) ≈ 0.08
  // in between). Terms an article brings get that article's current IDF.
  for (const CentroidField& field : c->centroid) {
    for (const TermWeight& t : field.terms) df_.Prefetch(t.term);
  }
  auto refresh = [this](CentroidField& field) {
    double norm = 0;
    for (TermWeight& t : field.terms) {
      t.idf = static_cast<float>(Idf(t.term));
      const double w = double{t.weight} * t.idf;
      norm += w * w;
    }
    field.norm = std::sqrt(norm);
  };
  for (CentroidField& field : c->centroid) refresh(field);
  for (CentroidField& field : c->samples) refresh(field);
  c->norm_docs = counted_;
}

void TermSpace::MergeInto(CentroidField* field, const SparseVector& add, std::size_t keep) {
  // Built in a reused buffer, then copied: the centroid keeps a tight
  // allocation (memory per live story) and steady state allocates little.
  SparseVector& merged = merge_scratch_;
  merged.clear();
  merged.reserve(field->terms.size() + add.size());
  auto a = field->terms.begin();
  auto b = add.begin();
  while (a != field->terms.end() && b != add.end()) {
    if (a->term < b->term) {
      merged.push_back(*a++);
    } else if (b->term < a->term) {
      merged.push_back(*b++);
    } else {
      merged.push_back({a->term, a->weight + b->weight, b->idf});
      ++a;
      ++b;
    }
  }
  merged.insert(merged.end(), a, field->terms.end());
  merged.insert(merged.end(), b, add.end());
  if (merged.size() > keep) {
    std::vector<std::pair<float, std::uint64_t>>& ranked = rank_scratch_;
    ranked.clear();
    for (const TermWeight& t : merged) ranked.emplace_back(t.weight * t.idf, t.term);
    auto heavier = [](const auto& x, const auto& y) {
      return x.first != y.first ? x.first > y.first : x.second < y.second;
    };
    std::nth_element(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(keep - 1),
                     ranked.end(), heavier);
    const auto cut = ranked[keep - 1];  // the lightest term kept
    std::size_t out = 0;
    for (const TermWeight& t : merged) {
      if (!heavier(cut, std::pair<float, std::uint64_t>(t.weight * t.idf, t.term))) {
        merged[out++] = t;
      }
    }
    merged.resize(out);
  }
  double norm = 0;
  for (const TermWeight& t : merged) {
    const double w = double{t.weight} * t.idf;
    norm += w * w;
  }
  field->norm = std::sqrt(norm);
  field->terms.assign(merged.begin(), merged.end());
}

const SparseVector& TermSpace::TfOf(const DocVector& v) {
  tf_scratch_.clear();
  for (const DocTerm& t : v.terms) tf_scratch_.push_back({t.term, t.tf, t.idf});
  return tf_scratch_;
}

void DocLookups::Build(const Doc& doc) {
  for (int f = 0; f < kFieldCount; ++f) {
    const DocVector& v = doc.fields[f];
    Table& t = tables_[f];
    std::size_t size = 16;
    while (size < v.terms.size() * 2) size *= 2;
    t.slots.assign(size, DocTerm{0, 0.0f, 0.0f, 0.0f});
    t.mask = size - 1;
    t.usable = true;
    for (const DocTerm& d : v.terms) {
      if (d.term == 0) t.usable = false;
      std::size_t i = static_cast<std::size_t>(d.term) & t.mask;
      while (t.slots[i].term != 0) i = (i + 1) & t.mask;
      t.slots[i] = d;
    }
  }
}

}  // namespace storyline::cluster::internal
