// Clustering scores against gold labels: BCubed (Bagga & Baldwin 1998) and
// pairwise precision, recall and F1.
//
//   std::vector<std::string> predicted = {"s1", "s1", "s2"};
//   std::vector<std::string> gold      = {"a",  "b",  "b"};
//   Result<ClusterScores> s = Score(predicted, gold);
//   // s->bcubed.precision == 2/3, s->bcubed.recall == 2/3, s->pairwise...
//
// Labels are given per item, in the same order in both vectors. An item
// whose gold label is empty is left out entirely (its predicted cluster is
// judged only on the labelled items), so partially labelled corpora can be
// scored. Pure functions, thread-safe.
#ifndef STORYLINE_CLUSTER_METRICS_H_
#define STORYLINE_CLUSTER_METRICS_H_

#include <cstddef>
#include <string>
#include <vector>

#include "storyline/core/result.h"

namespace storyline::cluster {

struct PrecisionRecall {
  double precision = 0.0;
  double recall = 0.0;
  double f1 = 0.0;  // harmonic mean of precision and recall; 0 when both are 0
};

struct ClusterScores {
  // BCubed: for each item, the share of its predicted cluster that shares
  // its gold label (precision) and the share of its gold cluster that shares
  // its predicted cluster (recall), averaged over items. Items count as
  // their own pair, so singletons everywhere score precision 1.
  PrecisionRecall bcubed;
  // Pairwise: over unordered pairs of distinct items, precision is the share
  // of same-predicted pairs that are same-gold, recall the share of
  // same-gold pairs that are same-predicted. With no predicted (or gold)
  // pairs at all, precision (or recall) is 1.
  PrecisionRecall pairwise;
  std::size_t items = 0;              // labelled items scored
  std::size_t predicted_clusters = 0;  // distinct predicted labels among them
  std::size_t gold_clusters = 0;       // distinct gold labels among them
};

// Scores `predicted` against `gold`. Runs in O(n) time over the items.
// Errors: kInvalidArgument when the two vectors differ in length.
Result<ClusterScores> Score(const std::vector<std::string>& predicted,
                            const std::vector<std::string>& gold);

}  // namespace storyline::cluster

#endif  // STORYLINE_CLUSTER_METRICS_H_
