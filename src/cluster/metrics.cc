#include "storyline/cluster/metrics.h"

#include <string_view>
#include <unordered_map>
#include <utility>

namespace storyline::cluster {
namespace {

struct PairHash {
  std::size_t operator()(const std::pair<std::size_t, std::size_t>& p) const {
    return std::hash<std::size_t>()(p.first * 0x9e3779b97f4a7c15ULL ^ p.second);
  }
};

double F1(double p, double r) { return p + r > 0 ? 2 * p * r / (p + r) : 0.0; }

// Dense ids for labels, in order of first appearance.
std::size_t Intern(std::string_view label, std::unordered_map<std::string_view, std::size_t>* ids) {
  return ids->try_emplace(label, ids->size()).first->second;
}

}  // namespace

Result<ClusterScores> Score(const std::vector<std::string>& predicted,
                            const std::vector<std::string>& gold) {
  if (predicted.size() != gold.size()) {
    return MakeError(ErrorCode::kInvalidArgument, "Score: " + std::to_string(predicted.size()) +
                                                      " predicted labels for " +
                                                      std::to_string(gold.size()) + " gold labels");
  }
  std::unordered_map<std::string_view, std::size_t> pred_ids;
  std::unordered_map<std::string_view, std::size_t> gold_ids;
  std::vector<std::pair<std::size_t, std::size_t>> items;  // (predicted, gold)
  for (std::size_t i = 0; i < gold.size(); ++i) {
    if (gold[i].empty()) continue;
    items.emplace_back(Intern(predicted[i], &pred_ids), Intern(gold[i], &gold_ids));
  }
  ClusterScores scores;
  scores.items = items.size();
  scores.predicted_clusters = pred_ids.size();
  scores.gold_clusters = gold_ids.size();
  if (items.empty()) return scores;

  // Sizes of predicted clusters, gold clusters and their intersections are
  // all BCubed and pairwise scores need: an item in cell (p, g) has
  // precision |p∩g|/|p| and recall |p∩g|/|g| (Bagga & Baldwin 1998), and
  // same-cluster pairs are sums of n(n-1)/2 over cells and clusters.
  std::vector<double> pred_size(pred_ids.size(), 0.0);
  std::vector<double> gold_size(gold_ids.size(), 0.0);
  std::unordered_map<std::pair<std::size_t, std::size_t>, double, PairHash> cell;
  for (const auto& item : items) {
    pred_size[item.first] += 1;
    gold_size[item.second] += 1;
    cell[item] += 1;
  }
  double precision_sum = 0.0;
  double recall_sum = 0.0;
  double both_pairs = 0.0;
  for (const auto& [key, n] : cell) {
    precision_sum += n * n / pred_size[key.first];
    recall_sum += n * n / gold_size[key.second];
    both_pairs += n * (n - 1) / 2;
  }
  const double count = static_cast<double>(items.size());
  scores.bcubed.precision = precision_sum / count;
  scores.bcubed.recall = recall_sum / count;
  scores.bcubed.f1 = F1(scores.bcubed.precision, scores.bcubed.recall);

  double pred_pairs = 0.0;
  for (double n : pred_size) pred_pairs += n * (n - 1) / 2;
  double gold_pairs = 0.0;
  for (double n : gold_size) gold_pairs += n * (n - 1) / 2;
  scores.pairwise.precision = pred_pairs > 0 ? both_pairs / pred_pairs : 1.0;
  scores.pairwise.recall = gold_pairs > 0 ? both_pairs / gold_pairs : 1.0;
  scores.pairwise.f1 = F1(scores.pairwise.precision, scores.pairwise.recall);
  return scores;
}

}  // namespace storyline::cluster
