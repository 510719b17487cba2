#include "cluster/cluster_index.h"

#include <algorithm>
#include <iterator>

namespace storyline::cluster::internal {

const std::vector<std::uint64_t>& ClusterIndexer::TopTerms(const Cluster& c, std::size_t n) {
  std::vector<std::pair<double, std::uint64_t>>& ranked = top_scratch_;
  ranked.clear();
  for (int f : {kNames, kNumbers, kBody}) {
    const CentroidField& field = c.centroid[f];
    if (field.norm <= 0) continue;
    for (const TermWeight& t : field.terms) {
      ranked.emplace_back(double{t.weight} * t.idf / field.norm, t.term);
    }
  }
  const std::size_t k = std::min(n, ranked.size());
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(k), ranked.end(),
                    [](const auto& x, const auto& y) {
                      return x.first != y.first ? x.first > y.first : x.second < y.second;
                    });
  std::vector<std::uint64_t>& out = terms_scratch_;
  out.clear();
  for (std::size_t i = 0; i < k; ++i) out.push_back(ranked[i].second);
  // And its top English pivot terms, ranked apart (for an English story
  // they repeat its body words): a report in another language shares
  // few words with the story but its pivot, and would otherwise never
  // retrieve it.
  const auto pivot_terms = pivot_terms_;
  if (pivot_terms > 0 && c.centroid[kPivot].norm > 0) {
    ranked.clear();
    const CentroidField& field = c.centroid[kPivot];
    for (const TermWeight& t : field.terms) {
      ranked.emplace_back(double{t.weight} * t.idf / field.norm, t.term);
    }
    const std::size_t kp = std::min<std::size_t>(pivot_terms, ranked.size());
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(kp),
                      ranked.end(), [](const auto& x, const auto& y) {
                        return x.first != y.first ? x.first > y.first : x.second < y.second;
                      });
    for (std::size_t i = 0; i < kp; ++i) out.push_back(ranked[i].second);
  }
  std::sort(out.begin(), out.end());
  return out;
}

void ClusterIndexer::Reindex(Level* level, std::uint32_t slot,
                             const std::vector<std::uint64_t>& terms) {
  Cluster& c = level->slots[slot];
  std::vector<std::uint64_t>& gone = gone_scratch_;
  std::vector<std::uint64_t>& added = added_scratch_;
  gone.clear();
  added.clear();
  std::set_difference(c.indexed.begin(), c.indexed.end(), terms.begin(), terms.end(),
                      std::back_inserter(gone));
  std::set_difference(terms.begin(), terms.end(), c.indexed.begin(), c.indexed.end(),
                      std::back_inserter(added));
  for (std::uint64_t t : gone) level->index.Erase(t, slot);
  for (std::uint64_t t : added) level->index.Insert(t, slot);
  c.indexed.assign(terms.begin(), terms.end());
}

void ClusterIndexer::Candidates(Level* level, const Doc& doc, std::size_t query_terms,
                                std::size_t max_candidates, bool with_pivot,
                                std::vector<std::uint32_t>* out) {
  std::vector<std::pair<double, std::uint64_t>>& query = query_scratch_;
  query.clear();
  for (int f : {kNames, kNumbers, kBody}) {
    const DocVector& v = doc.fields[f];
    if (v.norm <= 0) continue;
    for (const DocTerm& t : v.terms) query.emplace_back(t.weight / v.norm, t.term);
  }
  std::size_t k = std::min(query_terms, query.size());
  std::partial_sort(query.begin(), query.begin() + static_cast<std::ptrdiff_t>(k), query.end(),
                    [](const auto& x, const auto& y) {
                      return x.first != y.first ? x.first > y.first : x.second < y.second;
                    });
  // Then its top pivot terms, as stories are indexed (TopTerms).
  const auto pivot_terms = pivot_terms_;
  if (pivot_terms > 0 && with_pivot && doc.fields[kPivot].norm > 0) {
    query.resize(k);
    const DocVector& v = doc.fields[kPivot];
    for (const DocTerm& t : v.terms) query.emplace_back(t.weight / v.norm, t.term);
    const std::size_t kp = std::min<std::size_t>(pivot_terms, query.size() - k);
    std::partial_sort(query.begin() + static_cast<std::ptrdiff_t>(k),
                      query.begin() + static_cast<std::ptrdiff_t>(k + kp), query.end(),
                      [](const auto& x, const auto& y) {
                        return x.first != y.first ? x.first > y.first : x.second < y.second;
                      });
    k += kp;
  }
  if (hit_score_.size() < level->slots.size()) hit_score_.resize(level->slots.size(), 0.0f);
  touched_.clear();
  for (std::size_t i = 0; i < k; ++i) {
    const std::vector<std::uint32_t>* list = level->index.Find(query[i].second);
    if (list == nullptr) continue;
    if (list->size() > max_posting_) continue;
    for (std::uint32_t slot : *list) {
      if (hit_score_[slot] == 0.0f) touched_.push_back(slot);
      hit_score_[slot] += static_cast<float>(query[i].first);
    }
  }
  std::vector<std::pair<float, std::uint32_t>>& ranked = hit_scratch_;
  ranked.clear();
  for (std::uint32_t slot : touched_) {
    ranked.emplace_back(hit_score_[slot], slot);
    hit_score_[slot] = 0.0f;
  }
  const std::size_t m = std::min(max_candidates, ranked.size());
  const auto& slots = level->slots;
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(m), ranked.end(),
                    [&](const auto& x, const auto& y) {
                      return x.first != y.first ? x.first > y.first
                                                : slots[x.second].serial < slots[y.second].serial;
                    });
  out->clear();
  for (std::size_t i = 0; i < m; ++i) out->push_back(ranked[i].second);
}

}  // namespace storyline::cluster::internal
