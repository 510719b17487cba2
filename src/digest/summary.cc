#include "digest/summary.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "digest/lexicon.h"

namespace storyline::digest::internal {

TermVector TermSpace::Count(std::span<const Word> words) {
  std::map<int, float> counts;
  for (const Word& w : words) {
    if (!w.has_letter || w.lower.size() < 3 || IsStopword(w.lower)) continue;
    std::string term = w.lower;
    // Light plural strip, so that "sanctions" and "sanction" meet; a stemmer
    // would do better but this keeps the digest free of language models.
    if (term.size() > 4 && (term.back() == 's' || term.back() == 'x')) {
      term.pop_back();
    }
    auto [it, inserted] = ids_.emplace(term, static_cast<int>(terms_.size()));
    if (inserted) terms_.push_back(term);
    counts[it->second] += 1.0F;
  }
  TermVector v;
  v.weights.assign(counts.begin(), counts.end());
  return v;
}

void TermSpace::Weight(TermVector* v, const std::vector<int>& df,
                       std::size_t n) const {
  double norm = 0;
  for (auto& [id, weight] : v->weights) {
    const double idf = std::log((1.0 + static_cast<double>(n)) /
                                (1.0 + df[static_cast<std::size_t>(id)])) +
                       1.0;
    weight = static_cast<float>(weight * idf);
    norm += static_cast<double>(weight) * weight;
  }
  v->norm = static_cast<float>(std::sqrt(norm));
}

double Cosine(const TermVector& a, const TermVector& b) {
  if (a.norm == 0 || b.norm == 0) return 0;
  double dot = 0;
  auto i = a.weights.begin();
  auto j = b.weights.begin();
  while (i != a.weights.end() && j != b.weights.end()) {
    if (i->first < j->first) {
      ++i;
    } else if (j->first < i->first) {
      ++j;
    } else {
      dot += static_cast<double>(i->second) * j->second;
      ++i;
      ++j;
    }
  }
  return dot / (static_cast<double>(a.norm) * b.norm);
}

// LexRank (Erkan & Radev 2004): sentences are nodes, linked when their
// cosine similarity passes a threshold; the stationary distribution of a
// random walk over this graph scores centrality. The teleport vector leans
// towards the first sentences of each article (news puts the substance in
// the lead), as in topic-sensitive PageRank, instead of being uniform.
std::vector<double> LexRank(const std::vector<TermVector>& vectors,
                            const std::vector<std::size_t>& position,
                            double threshold) {
  const std::size_t n = vectors.size();
  std::vector<double> score(n, n == 0 ? 0.0 : 1.0 / static_cast<double>(n));
  if (n < 2) return score;
  std::vector<std::vector<std::size_t>> links(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      if (Cosine(vectors[i], vectors[j]) > threshold) {
        links[i].push_back(j);
        links[j].push_back(i);
      }
    }
  }
  std::vector<double> teleport(n);
  double total = 0;
  for (std::size_t i = 0; i < n; ++i) {
    teleport[i] = 1.0 / (1.0 + 0.3 * static_cast<double>(position[i]));
    total += teleport[i];
  }
  for (double& t : teleport) t /= total;
  constexpr double kDamping = 0.85;
  std::vector<double> next(n);
  for (int iteration = 0; iteration < 100; ++iteration) {
    for (std::size_t i = 0; i < n; ++i) next[i] = (1 - kDamping) * teleport[i];
    double dangling = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (links[i].empty()) {
        dangling += score[i];
        continue;
      }
      const double share =
          kDamping * score[i] / static_cast<double>(links[i].size());
      for (std::size_t j : links[i]) next[j] += share;
    }
    for (std::size_t i = 0; i < n; ++i) next[i] += kDamping * dangling * teleport[i];
    double delta = 0;
    for (std::size_t i = 0; i < n; ++i) delta += std::fabs(next[i] - score[i]);
    score.swap(next);
    if (delta < 1e-7) break;
  }
  return score;
}

// Maximal marginal relevance (Carbonell & Goldstein 1998): repeatedly take
// the sentence that maximises lambda * centrality - (1 - lambda) * its
// highest similarity to the sentences already chosen, so that the summary
// does not repeat the wire copy every article starts with.
std::vector<std::size_t> SelectSummary(const std::vector<TermVector>& vectors,
                                       const std::vector<std::size_t>& position,
                                       const SummaryOptions& options) {
  std::vector<double> score = LexRank(vectors, position, options.threshold);
  const double top = score.empty()
                         ? 1.0
                         : *std::max_element(score.begin(), score.end());
  for (double& s : score) s /= top > 0 ? top : 1.0;
  std::vector<std::size_t> chosen;
  std::vector<double> max_sim(vectors.size(), 0.0);
  std::vector<bool> used(vectors.size(), false);
  while (chosen.size() < options.max_sentences) {
    std::size_t best = vectors.size();
    double best_value = -1e9;
    for (std::size_t i = 0; i < vectors.size(); ++i) {
      if (used[i] || max_sim[i] > 0.5) continue;  // near-repeat
      const double value = options.mmr_lambda * score[i] -
                           (1 - options.mmr_lambda) * max_sim[i];
      if (value > best_value) {
        best_value = value;
        best = i;
      }
    }
    if (best == vectors.size()) break;
    if (chosen.size() >= options.min_sentences && best_value <= 0) break;
    used[best] = true;
    chosen.push_back(best);
    for (std::size_t i = 0; i < vectors.size(); ++i) {
      if (!used[i]) {
        max_sim[i] = std::max(max_sim[i], Cosine(vectors[i], vectors[best]));
      }
    }
  }
  return chosen;
}

}  // namespace storyline::digest::internal
