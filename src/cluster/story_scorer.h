// The evidence behind the clusterer's decisions: the "same story?" model's
// inputs for an article, or a whole story, against a candidate story, the
// margins over the join and repair boundaries, and the storyline scores.
//
//   StoryScorer scorer(options, &space, &lookups);
//   lookups.Build(doc);
//   double margin, p;
//   if (scorer.StoryMarginAbove(doc, published, &story, best, &margin, &p)) ...
//
// Reads the term space and the clusters it is given and refreshes their
// cached norms; decides nothing. Not part of the public API; one writer.
#ifndef STORYLINE_SRC_CLUSTER_STORY_SCORER_H_
#define STORYLINE_SRC_CLUSTER_STORY_SCORER_H_

#include <array>
#include <limits>
#include <optional>

#include "cluster/cluster_types.h"
#include "cluster/story_model.h"
#include "cluster/term_space.h"
#include "storyline/cluster/story_clusterer.h"

namespace storyline::cluster::internal {

class StoryScorer {
 public:
  using Inputs = std::array<double, kModelInputs>;

  // `space` and `lookups` are the clusterer's and outlive the scorer; the
  // lookups hold the article being scored (DocLookups::Build).
  StoryScorer(const ClusterOptions& options, TermSpace* space, const DocLookups* lookups);

  // The model that decides for a headline alone (`headline`) or a full text.
  const StoryModel& ModelFor(bool headline) const { return headline ? headline_model_ : model_; }
  double join_logit() const { return join_logit_; }
  double merge_logit() const { return merge_logit_; }
  // The model and boundary for merging two stories with no language in
  // common.
  const StoryModel& cross_model() const { return cross_model_; }
  double cross_logit() const { return cross_logit_; }

  // The model's inputs for article `doc` against story `c`. With a `beat`,
  // returns nullopt without finishing when the margin over the join
  // boundary cannot exceed it: the cheap inputs come first, and the costly
  // ones are only computed when their largest contribution could still
  // matter. Exact: a candidate given up on could not have been chosen.
  std::optional<Inputs> ArticleInputs(const Doc& doc, std::optional<Timestamp> published,
                                      Cluster* c,
                                      double beat = -std::numeric_limits<double>::infinity());

  // The margin of `doc` over the join boundary for story `c` and the
  // model's probability behind it; false when it cannot exceed `beat`.
  bool StoryMarginAbove(const Doc& doc, std::optional<Timestamp> published, Cluster* c, double beat,
                        double* margin, double* probability);

  // The inputs for story `x` taken as one article against story `y`.
  // With `m` and `beat`, stops before the costly inputs (the member sketch
  // cosines) and returns nullopt when the log-odds under `m` minus
  // `boundary` cannot exceed `beat` (see ArticleInputs).
  std::optional<Inputs> StoryInputs(Cluster* x, Cluster* y, const StoryModel* m = nullptr,
                                    double boundary = 0.0, double beat = 0.0);

  // How well article `doc` fits storyline `l`: names and body cosines with
  // its centroid, less a penalty for the days apart.
  double StorylineScore(const Doc& doc, std::optional<Timestamp> published, Cluster* l);
  // StorylineScore with story `story`'s centroid in place of an article.
  double StoryStorylineScore(Cluster* story, std::optional<Timestamp> published, Cluster* l);

 private:
  double TimePenalty(std::optional<double> days, double sigma, double weight) const;
  Inputs MakeInputs(const double* cos, double member_max, double seed, std::optional<double> days,
                    bool new_lang, bool headline, bool no_numbers, bool no_names) const;

  const ClusterOptions& options_;
  TermSpace* space_;
  const DocLookups* lookups_;
  StoryModel model_;           // full texts
  StoryModel headline_model_;  // headlines alone
  StoryModel cross_model_;     // stories in different languages
  double join_logit_;
  double merge_logit_;
  double cross_logit_;
};

}  // namespace storyline::cluster::internal

#endif  // STORYLINE_SRC_CLUSTER_STORY_SCORER_H_
