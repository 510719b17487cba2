#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "cluster/story_model.h"
#include "storyline/cluster/story_clusterer.h"

namespace storyline::cluster {

Status ClusterOptions::Validate() const {
  const ClusterOptions& o = *this;
  auto bad = [](const char* name) {
    return MakeError(ErrorCode::kInvalidArgument,
                     std::string("ClusterOptions.") + name + " is out of range");
  };
  const std::pair<const char*, const std::vector<double>*> models[] = {
      {"story_model", &o.story_model},
      {"headline_model", &o.headline_model},
      {"cross_model", &o.cross_model}};
  for (const auto& [name, m] : models) {
    if (!m->empty() && m->size() != internal::StoryModel().size()) return bad(name);
    for (double w : *m) {
      if (!std::isfinite(w) || std::abs(w) > 1e4) return bad(name);
    }
  }
  const std::pair<const char*, double> weights[] = {
      {"storyline_names_weight", o.storyline_names_weight},
      {"storyline_body_weight", o.storyline_body_weight},
      {"storyline_time_weight", o.storyline_time_weight},
  };
  for (const auto& [name, w] : weights) {
    if (!(w >= 0 && w <= 10)) return bad(name);
  }
  const std::pair<const char*, double> probabilities[] = {
      {"join_probability", o.join_probability},
      {"merge_probability", o.merge_probability},
      {"cross_merge_probability", o.cross_merge_probability},
  };
  for (const auto& [name, p] : probabilities) {
    if (!(p > 0 && p < 1)) return bad(name);
  }
  if (!(o.storyline_threshold >= 0 && o.storyline_threshold <= 2)) {
    return bad("storyline_threshold");
  }
  const std::pair<const char*, double> positives[] = {
      {"time_sigma_days", o.time_sigma_days},
      {"headline_time_sigma_days", o.headline_time_sigma_days},
      {"story_window_days", o.story_window_days},
      {"storyline_sigma_days", o.storyline_sigma_days},
      {"storyline_window_days", o.storyline_window_days},
  };
  for (const auto& [name, v] : positives) {
    if (!(v > 0)) return bad(name);
  }
  const std::pair<const char*, int> counts[] = {
      {"centroid_terms", o.centroid_terms}, {"index_terms", o.index_terms},
      {"query_terms", o.query_terms},       {"max_candidates", o.max_candidates},
      {"max_posting", o.max_posting},       {"max_live_stories", o.max_live_stories},
  };
  for (const auto& [name, v] : counts) {
    if (v <= 0) return bad(name);
  }
  if (o.pivot_index_terms < 0) return bad("pivot_index_terms");
  if (o.repair_every < 0) return bad("repair_every");
  if (o.df_halving_docs < 0) return bad("df_halving_docs");
  if (!(o.recheck_growth == 0 || (o.recheck_growth > 1 && o.recheck_growth <= 1e6))) {
    return bad("recheck_growth");
  }
  return Ok();
}

}  // namespace storyline::cluster
