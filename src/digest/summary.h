// Private: sentence centrality and headline choice for BuildDigest.
//
// Sentences and titles are compared as bags of content words: lower-case
// words that are not function words, with a light plural strip ("sanctions"
// ~ "sanction"), weighted by TF-IDF over the story's candidate sentences.
#ifndef STORYLINE_SRC_DIGEST_SUMMARY_H_
#define STORYLINE_SRC_DIGEST_SUMMARY_H_

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "digest/document.h"

namespace storyline::digest::internal {

// A sparse vector of term ids and weights, sorted by id.
struct TermVector {
  std::vector<std::pair<int, float>> weights;
  float norm = 0;
};

// Maps content words to ids; builds term vectors.
class TermSpace {
 public:
  // Raw term frequencies of the content words in `words`.
  TermVector Count(std::span<const Word> words);
  // Turns counts into TF-IDF given document frequencies over `n` texts.
  void Weight(TermVector* v, const std::vector<int>& df, std::size_t n) const;
  std::size_t size() const { return ids_.size(); }
  const std::string& TermOf(int id) const { return terms_[static_cast<std::size_t>(id)]; }

 private:
  std::unordered_map<std::string, int> ids_;
  std::vector<std::string> terms_;
};

double Cosine(const TermVector& a, const TermVector& b);

struct SummaryOptions {
  std::size_t min_sentences = 3;
  std::size_t max_sentences = 5;
  double mmr_lambda = 0.7;
  double threshold = 0.1;
};

// Picks summary sentences among `vectors` (TF-IDF weighted): LexRank
// scores with a lead-biased teleport (`position[i]` = index of the sentence
// in its article), then MMR. Returns indices in selection order.
std::vector<std::size_t> SelectSummary(const std::vector<TermVector>& vectors,
                                       const std::vector<std::size_t>& position,
                                       const SummaryOptions& options);

// LexRank scores alone (for tests and the title's top terms).
std::vector<double> LexRank(const std::vector<TermVector>& vectors,
                            const std::vector<std::size_t>& position,
                            double threshold);

}  // namespace storyline::digest::internal

#endif  // STORYLINE_SRC_DIGEST_SUMMARY_H_
