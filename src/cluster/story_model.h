// The "same story?" model: a logistic model over what an article (or a
// story) and a candidate story share. The clusterer computes the inputs
// below for each candidate; the model turns them into the probability that
// both are one happening. Full texts and headlines alone each have one.
//
//   std::array<double, kModelInputs> x = ...;  // filled by the clusterer
//   double p = StoryProbability(kFittedStoryModel, x);
//
// Inputs, each in [0, 1] unless said otherwise (cosines are TF-IDF cosines
// against the story's centroid, see features.h for the fields):
//   title, body, names, numbers, pivot   the five field cosines
//   time          1 - exp(-d²/2σ²), d the days between the article and the
//                 story's publication span (0 when either is undated)
//   new_lang      the story has no article in the article's language
//   no_numbers, no_names   the article has no numbers / no names (the
//                 matching cosine is 0 for lack of evidence, not because
//                 of disagreement)
//   member_max    the best cosine of the article's body words with those
//                 of one of the story's sampled members (its first article
//                 and the latest ones): a story that drifted from a theme's
//                 centroid still needs one member that reads like the
//                 article (average- and single-link evidence beside the
//                 centroid's)
//   seed          the cosine with the story's first article: stories may
//                 not wander away from what opened them
//   headline      the article is a headline alone (no body)
//   headline×(title, body, names, numbers, pivot, member_max, seed)
//                 the same inputs again for headlines only: a headline's
//                 few words are weaker evidence than a full text's, and a
//                 big story's centroid matches any headline of its theme
//   new_lang×(names, numbers, pivot)
//                 evidence across languages, where the word cosines are 0
//   time×seed     the time gap again, scaled by the cosine with the story's
//                 first article: a headline that reads like the one that
//                 opened the story may come a day or two later (a feed
//                 repeats an event's news over days), while the look-alikes
//                 of a theme, which match the story's start less, keep the
//                 whole time penalty and cannot chain it across the days
//
// The weights are fitted by tools/story_model_fit on every development
// corpus at once (see story_model.cc for the command and the figures);
// ClusterOptions::story_model and headline_model can replace them.
#ifndef STORYLINE_SRC_CLUSTER_STORY_MODEL_H_
#define STORYLINE_SRC_CLUSTER_STORY_MODEL_H_

#include <array>
#include <cmath>
#include <span>

namespace storyline::cluster::internal {

enum ModelInput : int {
  kInTitle,
  kInBody,
  kInNames,
  kInNumbers,
  kInPivot,
  kInTime,
  kInNewLang,
  kInNoNumbers,
  kInNoNames,
  kInMemberMax,
  kInSeed,
  kInHeadline,
  kInHeadTitle,
  kInHeadBody,
  kInHeadNames,
  kInHeadNumbers,
  kInHeadPivot,
  kInHeadMemberMax,
  kInHeadSeed,
  kInNewLangNames,
  kInNewLangNumbers,
  kInNewLangPivot,
  kInTimeSeed,
  kModelInputs
};

// Names of the inputs, in ModelInput order (for tools and reports).
extern const std::array<const char*, kModelInputs> kModelInputNames;

// Bias first, then one weight per input.
using StoryModel = std::array<double, kModelInputs + 1>;

// The fitted defaults: for full texts, and for headlines alone (an article
// with no body; a story most of whose articles are such). Each decides for
// its own kind of article: an article joining a story, and the repair
// pass merging a story into another.
extern const StoryModel kFittedStoryModel;
extern const StoryModel kFittedHeadlineModel;
// Merging two stories that share no language (the repair pass): their
// word cosines are 0, so only names, numbers, the pivot and time count.
extern const StoryModel kFittedCrossModel;

// The model's log-odds for inputs `x`.
inline double StoryLogit(const StoryModel& m, const std::array<double, kModelInputs>& x) {
  double z = m[0];
  for (int i = 0; i < kModelInputs; ++i)
    z += m[static_cast<std::size_t>(i) + 1] * x[static_cast<std::size_t>(i)];
  return z;
}

// What was measured between an article (or a story taken as one) and a
// candidate story, from which MakeModelInputs forms the inputs above.
struct InputEvidence {
  // Cosines per field, in features.h's field order (title, body, names,
  // numbers, pivot).
  std::array<double, 5> cos{};
  double member_max = 0;
  double seed = 0;
  double time = 0;  // 1 - exp(-d²/2σ²), 0 when undated
  bool new_lang = false;
  bool headline = false;
  bool no_numbers = false;
  bool no_names = false;
};

std::array<double, kModelInputs> MakeModelInputs(const InputEvidence& e);

// The largest the costly inputs (pivot cosine, member sketches) can add to
// the log-odds of `m` given the cheap inputs `x` (those left at 0): each
// lies in [0, 1]. Lets the clusterer give up on a candidate before
// computing them, exactly.
double CostlyBound(const StoryModel& m, const std::array<double, kModelInputs>& x);

inline double StoryProbability(const StoryModel& m, const std::array<double, kModelInputs>& x) {
  return 1.0 / (1.0 + std::exp(-StoryLogit(m, x)));
}

}  // namespace storyline::cluster::internal

#endif  // STORYLINE_SRC_CLUSTER_STORY_MODEL_H_
