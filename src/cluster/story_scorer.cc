#include "cluster/story_scorer.h"

#include <algorithm>
#include <cmath>

namespace storyline::cluster::internal {
namespace {

double Logit(double p) { return std::log(p / (1.0 - p)); }

StoryModel ToModel(const std::vector<double>& v, const StoryModel& fallback) {
  if (v.empty()) return fallback;
  StoryModel m{};
  std::copy(v.begin(), v.end(), m.begin());
  return m;
}

}  // namespace

StoryScorer::StoryScorer(const ClusterOptions& options, TermSpace* space, const DocLookups* lookups)
    : options_(options),
      space_(space),
      lookups_(lookups),
      model_(ToModel(options.story_model, kFittedStoryModel)),
      headline_model_(ToModel(options.headline_model, kFittedHeadlineModel)),
      cross_model_(ToModel(options.cross_model, kFittedCrossModel)),
      join_logit_(Logit(options.join_probability)),
      merge_logit_(Logit(options.merge_probability)),
      cross_logit_(Logit(options.cross_merge_probability)) {}

double StoryScorer::TimePenalty(std::optional<double> days, double sigma, double weight) const {
  if (!days) return 0.0;  // an undated side is neutral
  return weight * (1.0 - Gaussian(*days, sigma));
}

std::optional<StoryScorer::Inputs> StoryScorer::ArticleInputs(const Doc& doc,
                                                              std::optional<Timestamp> published,
                                                              Cluster* c, double beat) {
  space_->MaybeRefreshNorms(c);
  double cos[kFieldCount];
  for (int f : {kTitle, kBody, kNames, kNumbers}) cos[f] = lookups_->Cosine(doc, f, c->centroid[f]);
  cos[kPivot] = 0.0;
  const bool new_lang = doc.lang != "und" && std::find(c->languages.begin(), c->languages.end(),
                                                       doc.lang) == c->languages.end();
  const std::optional<double> days = c->span.DistanceDays(published);
  const bool no_numbers = doc.fields[kNumbers].norm <= 0;
  const bool no_names = doc.fields[kNames].norm <= 0;
  const StoryModel& m = ModelFor(doc.headline);
  const Inputs cheap =
      MakeInputs(cos, 0.0, 0.0, days, new_lang, doc.headline, no_numbers, no_names);
  if (StoryLogit(m, cheap) + CostlyBound(m, cheap) - join_logit_ < beat) return std::nullopt;
  cos[kPivot] = lookups_->Cosine(doc, kPivot, c->centroid[kPivot]);
  double member_max = 0;
  double seed = 0;
  for (std::size_t i = 0; i < c->samples.size(); ++i) {
    const double v = lookups_->Cosine(doc, kBody, c->samples[i]);
    member_max = std::max(member_max, v);
    if (i == 0) seed = v;
  }
  return MakeInputs(cos, member_max, seed, days, new_lang, doc.headline, no_numbers, no_names);
}

bool StoryScorer::StoryMarginAbove(const Doc& doc, std::optional<Timestamp> published, Cluster* c,
                                   double beat, double* margin, double* probability) {
  const std::optional<Inputs> x = ArticleInputs(doc, published, c, beat);
  if (!x) return false;
  const double z = StoryLogit(ModelFor(doc.headline), *x);
  *margin = z - join_logit_;
  *probability = 1.0 / (1.0 + std::exp(-z));
  return true;
}

std::optional<StoryScorer::Inputs> StoryScorer::StoryInputs(Cluster* x, Cluster* y,
                                                            const StoryModel* m, double boundary,
                                                            double beat) {
  space_->MaybeRefreshNorms(x);
  space_->MaybeRefreshNorms(y);
  double cos[kFieldCount];
  for (int f = 0; f < kFieldCount; ++f) cos[f] = Cosine(x->centroid[f], y->centroid[f]);
  const bool new_lang = LanguagesDisjoint(*x, *y);
  const std::optional<double> days = x->span.DistanceDays(y->span);
  const bool headline = 2 * x->headlines > x->articles.size();
  const bool no_numbers = x->centroid[kNumbers].norm <= 0;
  const bool no_names = x->centroid[kNames].norm <= 0;
  if (m != nullptr) {
    double cheap[kFieldCount];
    std::copy(std::begin(cos), std::end(cos), std::begin(cheap));
    cheap[kPivot] = 0.0;
    const Inputs partial =
        MakeInputs(cheap, 0.0, 0.0, days, new_lang, headline, no_numbers, no_names);
    if (StoryLogit(*m, partial) + CostlyBound(*m, partial) - boundary < beat) return std::nullopt;
  }
  double member_max = 0;
  for (const CentroidField& a : x->samples) {
    for (const CentroidField& b : y->samples) member_max = std::max(member_max, Cosine(a, b));
  }
  const double seed =
      x->samples.empty() || y->samples.empty() ? 0.0 : Cosine(x->samples[0], y->samples[0]);
  return MakeInputs(cos, member_max, seed, days, new_lang, headline, no_numbers, no_names);
}

StoryScorer::Inputs StoryScorer::MakeInputs(const double* cos, double member_max, double seed,
                                            std::optional<double> days, bool new_lang,
                                            bool headline, bool no_numbers, bool no_names) const {
  InputEvidence e;
  std::copy(cos, cos + kFieldCount, e.cos.begin());
  e.member_max = member_max;
  e.seed = seed;
  const double sigma = headline ? options_.headline_time_sigma_days : options_.time_sigma_days;
  e.time = days ? 1.0 - Gaussian(*days, sigma) : 0.0;
  e.new_lang = new_lang;
  e.headline = headline;
  e.no_numbers = no_numbers;
  e.no_names = no_names;
  return MakeModelInputs(e);
}

double StoryScorer::StorylineScore(const Doc& doc, std::optional<Timestamp> published, Cluster* l) {
  const ClusterOptions& o = options_;
  space_->MaybeRefreshNorms(l);
  const double names = lookups_->Cosine(doc, kNames, l->centroid[kNames]);
  const double body = lookups_->Cosine(doc, kBody, l->centroid[kBody]);
  return o.storyline_names_weight * names + o.storyline_body_weight * body -
         TimePenalty(l->span.DistanceDays(published), o.storyline_sigma_days,
                     o.storyline_time_weight);
}

double StoryScorer::StoryStorylineScore(Cluster* story, std::optional<Timestamp> published,
                                        Cluster* l) {
  const ClusterOptions& o = options_;
  space_->MaybeRefreshNorms(story);
  space_->MaybeRefreshNorms(l);
  const double names = Cosine(story->centroid[kNames], l->centroid[kNames]);
  const double body = Cosine(story->centroid[kBody], l->centroid[kBody]);
  return o.storyline_names_weight * names + o.storyline_body_weight * body -
         TimePenalty(l->span.DistanceDays(published), o.storyline_sigma_days,
                     o.storyline_time_weight);
}

}  // namespace storyline::cluster::internal
