// Candidate retrieval by shared terms: each live cluster is indexed under
// its heaviest terms, and an arriving article meets only the clusters that
// share its own heaviest terms (Miranda et al. 2018 retrieve candidate
// clusters by shared features instead of comparing with every cluster).
//
//   ClusterIndexer indexer(pivot_terms, max_posting);
//   indexer.Reindex(&level, slot, indexer.TopTerms(level.slots[slot], 32));
//   indexer.Candidates(&level, doc, 16, 12, true, &candidates);
//
// Not part of the public API; one writer.
#ifndef STORYLINE_SRC_CLUSTER_CLUSTER_INDEX_H_
#define STORYLINE_SRC_CLUSTER_CLUSTER_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "cluster/cluster_types.h"

namespace storyline::cluster::internal {

class ClusterIndexer {
 public:
  // `pivot_terms`: English pivot terms added to the index terms and the
  // query (ClusterOptions::pivot_index_terms); `max_posting`: a term held
  // by more clusters than this retrieves none (ClusterOptions::max_posting).
  ClusterIndexer(std::size_t pivot_terms, std::size_t max_posting)
      : pivot_terms_(pivot_terms), max_posting_(max_posting) {}

  // The `n` heaviest name, number and body terms of `c` and its top pivot
  // terms, sorted (valid until the next call).
  const std::vector<std::uint64_t>& TopTerms(const Cluster& c, std::size_t n);

  // Indexes cluster `slot` of `level` under `terms` (sorted) instead of the
  // terms it was indexed under.
  void Reindex(Level* level, std::uint32_t slot, const std::vector<std::uint64_t>& terms);

  // The live clusters of `level` sharing the `query_terms` heaviest terms of
  // `doc` (and its top pivot terms when `with_pivot`), at most
  // `max_candidates`, most shared weight first, into *out.
  void Candidates(Level* level, const Doc& doc, std::size_t query_terms, std::size_t max_candidates,
                  bool with_pivot, std::vector<std::uint32_t>* out);

 private:
  std::size_t pivot_terms_;
  std::size_t max_posting_;
  std::vector<std::pair<double, std::uint64_t>> top_scratch_;
  std::vector<std::uint64_t> terms_scratch_;
  std::vector<std::uint64_t> gone_scratch_;
  std::vector<std::uint64_t> added_scratch_;
  std::vector<std::pair<double, std::uint64_t>> query_scratch_;
  std::vector<float> hit_score_;
  std::vector<std::uint32_t> touched_;
  std::vector<std::pair<float, std::uint32_t>> hit_scratch_;
};

}  // namespace storyline::cluster::internal

#endif  // STORYLINE_SRC_CLUSTER_CLUSTER_INDEX_H_
