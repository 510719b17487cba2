// The stories stage: each article's story and storyline from the online
// clusterer, in publication order.
//
// The clusterer extracts features on several threads when it is given a
// run of articles at once (StoryClusterer::AddBatch) and decides on each
// in order, exactly as one Add per article would. The batch is therefore
// cut into runs of articles to add, and a run is handed over before any
// article whose handling depends on what the run does:
//  - an article the clusterer already holds (a changed article keeps its
//    story, unless that story was frozen or merged meanwhile: asked at its
//    turn, after the run before it);
//  - a copy whose original is in the run (it needs the story the original
//    got, should the clusterer freeze that story before the copy arrives).
#include <algorithm>
#include <iterator>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "pipeline/stages.h"

namespace storyline::pipeline {
namespace {

// Runs of fewer articles are clustered on the calling thread alone.
// AddBatch starts its threads per call and splits a run between them in
// fixed shares, so a run waits for its slowest thread: on a busy machine
// (the 3,330-article synth corpus, runs of about 60 articles, one core
// taken by another process) two threads cost 1.5 s more than one, while on
// an idle one they saved 0.1 s of 2 s; long runs (bench ingest: 256) gain
// more, 4.9 -> 4.2 s.
constexpr std::size_t kMinParallelRun = 64;
// Longer runs are cut: the clusterer holds the extracted features of a
// whole run until it has decided on each.
constexpr std::size_t kMaxRun = 256;

class StoryAssigner {
 public:
  explicit StoryAssigner(BatchContext& batch) : batch_(batch) {}

  Status Run() {
    cluster::StoryClusterer& clusterer = *batch_.state.clusterer;
    for (std::size_t k : ClusterOrder()) {
      ArticleWork& w = batch_.work[k];
      if (clusterer.StoryOf(w.analysis.id)) {
        if (Status s = Flush(); !s) return s;
        if (std::optional<std::string> story = clusterer.StoryOf(w.analysis.id)) {
          KeepStory(w, *story);
          continue;
        }
      }
      const std::string& copy_of = w.analysis.copy_of;
      if (!copy_of.empty() && run_ids_.contains(copy_of)) {
        if (Status s = Flush(); !s) return s;
      }
      if (Status s = Queue(k); !s) return s;
      if (run_.size() >= kMaxRun) {
        if (Status s = Flush(); !s) return s;
      }
    }
    return Flush();
  }

 private:
  // The batch in the order the clusterer takes it: by publication time,
  // undated articles last in their order. The work records come in the
  // order of the input's own dates, so an article whose date only its text
  // gives would arrive after the whole batch, when the story of its day may
  // be frozen already; it is placed by its inferred date instead, after the
  // articles the input timed within that day (they tell better which story
  // of the day it belongs to). Only near the input's own dates (within a
  // story window of one): elsewhere no story the order could keep live is
  // at stake, and an inferred date is the less sure the further it lies
  // from any given one (a text that names no year takes it from its
  // neighbours). A batch the input dates nowhere keeps its order.
  std::vector<std::size_t> ClusterOrder() const {
    const std::vector<ArticleWork>& work = batch_.work;
    std::vector<std::optional<Timestamp>> when(work.size());
    std::vector<Timestamp> given;  // the input's dates, sorted
    for (std::size_t k = 0; k < work.size(); ++k) {
      const store::ArticleAnalysis& an = work[k].analysis;
      when[k] = TimeOf(an.published);
      if (!when[k]) continue;
      // A day without a time of day: its last second.
      if (an.published.size() == 10) *when[k] += 86400 - 1;
      if (!an.published_inferred) given.push_back(*when[k]);
    }
    std::sort(given.begin(), given.end());
    const auto window = static_cast<Timestamp>(batch_.options.cluster.story_window_days * 86400);
    for (std::size_t k = 0; k < work.size(); ++k) {
      if (!when[k] || !work[k].analysis.published_inferred) continue;
      const auto next = std::lower_bound(given.begin(), given.end(), *when[k]);
      const bool near = (next != given.end() && *next - *when[k] <= window) ||
                        (next != given.begin() && *when[k] - *std::prev(next) <= window);
      if (!near) when[k].reset();
    }
    std::vector<std::size_t> order(work.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
      if (when[x].has_value() != when[y].has_value()) return when[x].has_value();
      return when[x] && *when[x] < *when[y];
    });
    return order;
  }

  // A changed article keeps its story (and that story's storyline).
  void KeepStory(ArticleWork& w, const std::string& story) {
    w.analysis.story = story;
    w.analysis.storyline = batch_.state.clusterer->StorylineOf(story).value_or("");
    batch_.touched_stories.insert(story);
  }

  // Adds article k to the run, with its original's story when it is a
  // copy: from this batch (not stored yet) or from the store, for when the
  // clusterer has frozen that story.
  Status Queue(std::size_t k) {
    ArticleWork& w = batch_.work[k];
    cluster::ArticleFeatures f;
    f.id = w.analysis.id;
    // Only dates the input gave: an inferred date (from a dateline or the
    // most frequent date in the text) is too noisy for the time feature and
    // split ECB+ stories whose texts mention different days.
    if (!w.analysis.published_inferred) f.published = TimeOf(w.analysis.published);
    f.lang = w.analysis.lang;
    f.title = w.article->title;
    f.body = std::move(w.cluster_text);
    std::string copy_storyline;
    if (const std::string& copy_of = w.analysis.copy_of; !copy_of.empty()) {
      f.copy_of = copy_of;
      if (const auto it = batch_story_.find(copy_of); it != batch_story_.end()) {
        f.copy_of_story = it->second.first;
        copy_storyline = it->second.second;
      } else {
        Result<std::optional<store::StoredArticle>> orig = batch_.store.GetArticle(copy_of);
        if (!orig) return Fail(orig.error());
        if (orig->has_value() && !(*orig)->analysis.story.empty()) {
          f.copy_of_story = (*orig)->analysis.story;
          copy_storyline = (*orig)->analysis.storyline;
        }
      }
    }
    run_ids_.insert(f.id);
    run_.push_back(k);
    features_.push_back(std::move(f));
    copy_storylines_.push_back(std::move(copy_storyline));
    return Ok();
  }

  // Clusters the run and records where each of its articles went.
  Status Flush() {
    if (run_.empty()) return Ok();
    const int threads = run_.size() < kMinParallelRun ? 1 : static_cast<int>(batch_.pool.size());
    Result<std::vector<cluster::Assignment>> as =
        batch_.state.clusterer->AddBatch(features_, threads);
    if (!as) return Fail(as.error());
    for (std::size_t r = 0; r < run_.size(); ++r) {
      store::ArticleAnalysis& an = batch_.work[run_[r]].analysis;
      const cluster::Assignment& a = (*as)[r];
      an.story = a.story;
      // A copy that joined its original's frozen story keeps that story's
      // storyline, which the clusterer no longer holds.
      an.storyline = a.storyline.empty() ? copy_storylines_[r] : a.storyline;
      batch_story_[an.id] = {an.story, an.storyline};
      if (a.new_story) ++batch_.report.new_stories;
      batch_.touched_stories.insert(a.story);
    }
    run_.clear();
    run_ids_.clear();
    features_.clear();
    copy_storylines_.clear();
    return Ok();
  }

  BatchContext& batch_;
  // The run: work indices, their ids, features and copies' storylines.
  std::vector<std::size_t> run_;
  std::unordered_set<std::string> run_ids_;
  std::vector<cluster::ArticleFeatures> features_;
  std::vector<std::string> copy_storylines_;
  // Article id -> story and storyline, for copies of articles of this batch.
  std::unordered_map<std::string, std::pair<std::string, std::string>> batch_story_;
};

// Stores the analyses, then relabels the stories and storylines the
// clusterer merged (the batch's articles included).
Status StoreAndRelabel(BatchContext& batch) {
  std::vector<store::ArticleAnalysis> analyses;
  analyses.reserve(batch.work.size());
  for (ArticleWork& w : batch.work) analyses.push_back(std::move(w.analysis));
  if (Status s = batch.store.PutAnalyses(analyses); !s) return s;
  cluster::StoryClusterer& clusterer = *batch.state.clusterer;
  for (const cluster::StoryMerge& m : clusterer.TakeMerges()) {
    const std::string storyline = clusterer.StorylineOf(m.into).value_or(m.into_storyline);
    if (Status s = batch.store.RelabelStory(m.from, m.into, storyline); !s) return s;
    batch.touched_stories.erase(m.from);
    batch.touched_stories.insert(m.into);
  }
  for (const cluster::StorylineMerge& m : clusterer.TakeStorylineMerges()) {
    if (Status s = batch.store.RelabelStoryline(m.from, m.into); !s) return s;
  }
  // Frozen stories need nothing more: their articles are stored.
  clusterer.TakeFrozen();
  return Ok();
}

}  // namespace

Status ClusterStories(BatchContext& batch) {
  StoryAssigner assigner(batch);
  if (Status s = assigner.Run(); !s) return s;
  return StoreAndRelabel(batch);
}

}  // namespace storyline::pipeline
