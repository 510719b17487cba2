// What tools/story_model_fit needs of the clusterer to fit the "same
// story?" model: the model inputs of each article against each candidate
// story, labelled with the truth, on a stream whose stories are the gold
// ones (teacher forcing: each article then joins its gold story, so every
// row sees the stories a perfect clusterer would have built so far).
// Not part of the public API.
#ifndef STORYLINE_SRC_CLUSTER_TRAINING_H_
#define STORYLINE_SRC_CLUSTER_TRAINING_H_

#include <array>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cluster/story_model.h"
#include "storyline/cluster/story_clusterer.h"
#include "storyline/core/result.h"

namespace storyline::cluster::internal {

struct TrainingRow {
  std::array<double, kModelInputs> x{};
  bool same = false;        // the candidate is the article's gold story
  std::size_t article = 0;  // index in the stream (0 for OnPolicy merge rows)
};

// Sees the decisions of a running clusterer: every candidate scored for an
// arriving article, and every pair of stories scored by the repair pass,
// with the model inputs behind the score.
class TrainingObserver {
 public:
  virtual ~TrainingObserver() = default;
  virtual void Join(std::string_view article, const std::vector<std::string>& story,
                    const std::array<double, kModelInputs>& x) = 0;
  // `smaller` is scored as one article against `larger`.
  virtual void Merge(const std::vector<std::string>& smaller,
                     const std::vector<std::string>& larger,
                     const std::array<double, kModelInputs>& x) = 0;
};

struct OnPolicyRows {
  std::vector<TrainingRow> join;   // article against candidate story
  std::vector<TrainingRow> merge;  // story against story (multi-article pairs)
};

struct TrainingAccess {
  // Streams `articles` through a clusterer with `options` as Add would and
  // labels each scored candidate: an article and a story are the same when
  // the article's gold story is the story's most frequent gold story; two
  // stories when their most frequent gold stories agree. The rows show
  // the model the stories it really meets (fragments, mixtures), which
  // teacher forcing never builds.
  static Result<OnPolicyRows> OnPolicy(const ClusterOptions& options,
                                       std::span<const ArticleFeatures> articles,
                                       std::span<const std::string> gold);

  // `gold[i]` is the story of `articles[i]` (empty: unknown, taken as a
  // story of its own). Candidates are retrieved as Add retrieves them.
  // Errors: kInvalidArgument for mismatched sizes or bad options/ids.
  static Result<std::vector<TrainingRow>> TeacherForced(const ClusterOptions& options,
                                                        std::span<const ArticleFeatures> articles,
                                                        std::span<const std::string> gold);
};

}  // namespace storyline::cluster::internal

#endif  // STORYLINE_SRC_CLUSTER_TRAINING_H_
