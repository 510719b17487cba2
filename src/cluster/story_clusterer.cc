#include "storyline/cluster/story_clusterer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <queue>
#include <set>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "cluster/bilingual.h"
#include "cluster/cluster_codec.h"
#include "cluster/cluster_index.h"
#include "cluster/cluster_types.h"
#include "cluster/features.h"
#include "core/byte_codec.h"
#include "cluster/story_model.h"
#include "cluster/story_scorer.h"
#include "cluster/term_space.h"
#include "cluster/training.h"

namespace storyline::cluster {

using internal::ByteWriter;
using internal::CentroidField;
using internal::Cluster;
using internal::Doc;
using internal::DocLookups;
using internal::DocTerm;
using internal::DocVector;
using internal::ExtractedArticle;
using internal::FeatureExtractor;
using internal::FormatId;
using internal::kBody;
using internal::kFieldCount;
using internal::kNames;
using internal::kNumbers;
using internal::kPivot;
using internal::kSecondsPerDay;
using internal::kTitle;
using internal::Level;
using internal::SparseVector;
using internal::StoryModel;
using internal::TermSpace;
using internal::TermWeight;

namespace {

constexpr std::size_t kLabelsPerStory = 12;
// Stories scored against each changed story by the repair pass (4 and 24
// give the same ECB+ and examples/ results).
constexpr std::size_t kRepairCandidates = 4;
constexpr std::size_t kRepairCrossCandidates = 4;
// Members a story keeps a sketch of (its first article and the latest
// ones), and the body terms kept per sketch: the model's member inputs.
// 8 rather than 6: ECB+ 0.927 -> 0.931 (8 -> 7 stories mixing a topic's
// two events), headlines 0.634 -> 0.633, French titles 0.788 -> 0.786;
// 12 and 20 gave the headline feed larger stories (118, 132).
constexpr std::size_t kSamples = 8;
constexpr std::size_t kSampleTerms = 12;

}  // namespace

struct StoryClusterer::State {
  explicit State(const ClusterOptions& o)
      : options(o),
        lexicon(internal::BilingualLexicon::Shared(o.dictionary_dir)),
        extractor(lexicon),
        space(static_cast<std::uint64_t>(o.df_halving_docs)),
        scorer(options, &space, &lookups),
        indexer(static_cast<std::size_t>(o.pivot_index_terms),
                static_cast<std::size_t>(o.max_posting)) {}

  ClusterOptions options;
  // Sees every scored candidate when set (model fitting only).
  internal::TrainingObserver* observer = nullptr;
  std::shared_ptr<const internal::BilingualLexicon> lexicon;
  FeatureExtractor extractor;
  std::vector<FeatureExtractor> batch_extractors;

  // Online IDF and the centroids' geometry.
  TermSpace space;
  // The arriving article's terms, for scoring it against candidates.
  DocLookups lookups;
  // The model's inputs and margins over `space` and `lookups`.
  internal::StoryScorer scorer;
  // The levels' term indexes.
  internal::ClusterIndexer indexer;

  Level stories;
  Level storylines;
  std::unordered_map<std::string, std::uint32_t> article_story;  // live stories only

  std::uint64_t seq = 0;  // articles added
  std::optional<Timestamp> clock;
  // The clusters as last saved (SerializeSince).
  internal::SavedMark saved;
  std::vector<StoryMerge> merges;
  std::vector<StorylineMerge> storyline_merges;
  std::vector<FrozenStory> frozen;
  // Stories changed since the last repair pass, as (serial, slot); entries
  // of stories since released are skipped. The pass visits these instead of
  // every live story, so its cost follows the stream, not the window.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> repair_queue;
  struct Recheck {
    std::uint64_t due;
    std::uint64_t serial;
    std::uint32_t slot;
    bool operator>(const Recheck& o) const {
      return std::tie(due, serial, slot) > std::tie(o.due, o.serial, o.slot);
    }
  };
  std::priority_queue<Recheck, std::vector<Recheck>, std::greater<Recheck>> recheck;
  std::uint64_t RecheckDue(const Cluster& c) const {
    return static_cast<std::uint64_t>(
               static_cast<double>(std::max<std::uint64_t>(c.repair_seq, 1)) *
               options.recheck_growth) +
           1;
  }

  // Scratch for samples and candidate retrieval.
  std::vector<std::pair<float, std::uint64_t>> rank_scratch;
  std::vector<std::uint32_t> story_candidates;
  std::vector<std::uint32_t> line_candidates;
  std::vector<std::uint32_t> repair_candidates;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> repair_shared;
  std::vector<std::pair<std::uint64_t, std::string>> labels_scratch;

  // Takes the strings of `add` (left empty or moved-from).
  void MergeLabels(Cluster* c, std::vector<std::pair<std::uint64_t, std::string>>* add) {
    // Keep display strings only for terms still in the names/title centroid.
    auto in_centroid = [&](std::uint64_t term) {
      for (int f : {kNames, kTitle}) {
        const SparseVector& v = c->centroid[f].terms;
        auto it = std::lower_bound(v.begin(), v.end(), term,
                                   [](const TermWeight& t, std::uint64_t x) { return t.term < x; });
        if (it != v.end() && it->term == term) return true;
      }
      return false;
    };
    std::vector<std::pair<std::uint64_t, std::string>>& merged = labels_scratch;
    merged.clear();
    std::merge(std::make_move_iterator(c->labels.begin()), std::make_move_iterator(c->labels.end()),
               std::make_move_iterator(add->begin()), std::make_move_iterator(add->end()),
               std::back_inserter(merged),
               [](const auto& x, const auto& y) { return x.first < y.first; });
    merged.erase(std::unique(merged.begin(), merged.end(),
                             [](const auto& x, const auto& y) { return x.first == y.first; }),
                 merged.end());
    std::erase_if(merged, [&](const auto& l) { return !in_centroid(l.first); });
    c->labels.assign(std::make_move_iterator(merged.begin()),
                     std::make_move_iterator(merged.end()));
  }

  // Storylines are looked up with four times an article's query terms: the
  // top terms of a follow-up event are its own new names (a ministry, a
  // spokeswoman), and the place and the object it shares with its
  // storyline (the wind farm, the blade) rank lower. Only a new or young
  // story asks, so the wider lookup costs little.
  std::size_t StorylineQueryTerms() const {
    return static_cast<std::size_t>(options.query_terms) * 4;
  }

  // --- updates ---

  void Touch(Level* level, std::uint32_t slot) {
    Cluster& c = level->slots[slot];
    level->lru.erase({c.last_seq, c.serial, slot});
    c.last_seq = seq;
    c.last_clock = clock.value_or(0);
    level->lru.insert({c.last_seq, c.serial, slot});
    if (level == &stories && !c.queued) {
      c.queued = true;
      repair_queue.emplace_back(c.serial, slot);
    }
  }

  void AddDocTo(Level* level, std::uint32_t slot, const Doc& doc,
                std::optional<Timestamp> published, const int* fields, std::size_t field_count) {
    Cluster& c = level->slots[slot];
    // Storylines are only compared with a story's first article, on names
    // and broad vocabulary: half the terms serve them.
    const std::size_t keep = static_cast<std::size_t>(
        level == &stories ? options.centroid_terms : std::max(8, options.centroid_terms / 2));
    for (std::size_t i = 0; i < field_count; ++i) {
      space.MergeInto(&c.centroid[fields[i]], space.TfOf(doc.fields[fields[i]]), keep);
    }
    c.span.Add(published);
    if (doc.lang != "und" &&
        std::find(c.languages.begin(), c.languages.end(), doc.lang) == c.languages.end()) {
      c.languages.push_back(doc.lang);
    }
    indexer.Reindex(level, slot,
                    indexer.TopTerms(c, static_cast<std::size_t>(options.index_terms)));
    Touch(level, slot);
  }

  std::uint32_t NewCluster(Level* level, char prefix) {
    const std::uint32_t slot = level->Allocate();
    Cluster& c = level->slots[slot];
    c = Cluster();
    c.serial = level->next_serial++;
    c.id = FormatId(prefix, c.serial);
    c.alive = true;
    c.last_seq = seq;
    c.norm_docs = space.counted();  // empty: nothing cached yet to go stale
    level->by_id.emplace(c.id, slot);
    level->lru.insert({c.last_seq, c.serial, slot});
    ++level->live;
    return slot;
  }

  void Release(Level* level, std::uint32_t slot) {
    Cluster& c = level->slots[slot];
    indexer.Reindex(level, slot, std::vector<std::uint64_t>());
    level->lru.erase({c.last_seq, c.serial, slot});
    level->by_id.erase(c.id);
    c = Cluster();
    level->free.push_back(slot);
    --level->live;
  }

  // Keeps a sketch of the article's body words: the first article's for
  // good, then the latest ones in turn.
  void AddSample(Cluster* c, const DocVector& v) {
    CentroidField sample;
    std::vector<std::pair<float, std::uint64_t>>& ranked = rank_scratch;
    ranked.clear();
    for (const DocTerm& t : v.terms) ranked.emplace_back(t.weight, t.term);
    const std::size_t k = std::min(kSampleTerms, ranked.size());
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(k), ranked.end(),
                      [](const auto& x, const auto& y) {
                        return x.first != y.first ? x.first > y.first : x.second < y.second;
                      });
    ranked.resize(k);
    std::sort(ranked.begin(), ranked.end(),
              [](const auto& x, const auto& y) { return x.second < y.second; });
    double norm = 0;
    for (const auto& [w, term] : ranked) {
      auto it = std::lower_bound(v.terms.begin(), v.terms.end(), term,
                                 [](const DocTerm& d, std::uint64_t t) { return d.term < t; });
      sample.terms.push_back({term, it->tf, it->idf});
      norm += double{it->weight} * it->weight;
    }
    sample.norm = std::sqrt(norm);
    if (c->samples.size() < kSamples) {
      c->samples.push_back(std::move(sample));
    } else {
      // Slots 1..kSamples-1 in turn; slot 0 keeps the first article.
      c->samples[1 + (c->articles.size() % (kSamples - 1))] = std::move(sample);
    }
  }

  static constexpr int kStoryFields[] = {kTitle, kBody, kNames, kNumbers, kPivot};
  // A story of at most this many articles may still move to another
  // storyline (RehomeYoungStory).
  static constexpr std::size_t kYoungStoryArticles = 3;
  static constexpr int kStorylineFields[] = {kBody, kNames};

  void JoinStory(std::uint32_t slot, const ArticleFeatures& a, Doc& doc) {
    AddDocTo(&stories, slot, doc, a.published, kStoryFields, std::size(kStoryFields));
    Cluster& s = stories.slots[slot];
    if (doc.headline) ++s.headlines;
    AddSample(&s, doc.fields[kBody]);
    MergeLabels(&s, &doc.labels);
    s.articles.push_back(a.id);
    article_story.emplace(a.id, slot);
    AddDocTo(&storylines, s.parent, doc, a.published, kStorylineFields, 2);
  }

  // `force_new`: open a new story whatever the candidates (model fitting).
  Assignment AddDoc(const ArticleFeatures& a, Doc& doc, bool force_new = false) {
    ++seq;
    if (a.published) clock = clock ? std::max(*clock, *a.published) : *a.published;
    Assignment result;

    std::optional<std::uint32_t> target;
    if (a.copy_of) {
      auto it = article_story.find(*a.copy_of);
      if (it != article_story.end()) {
        target = it->second;
        result.score = 1.0;
      } else if (a.copy_of_story) {
        auto live = stories.by_id.find(*a.copy_of_story);
        if (live != stories.by_id.end()) {
          target = live->second;
          result.score = 1.0;
        } else {
          // The original's story is frozen: the copy belongs to it all the
          // same; the caller keeps that story's storyline.
          result.story = *a.copy_of_story;
          result.score = 1.0;
          Maintain();
          return result;
        }
      }
    }
    if (!target && !force_new) {
      lookups.Build(doc);
      double best_margin = -1e9;
      std::optional<std::uint32_t> best;
      indexer.Candidates(&stories, doc, static_cast<std::size_t>(options.query_terms),
                         static_cast<std::size_t>(options.max_candidates), true, &story_candidates);
      for (std::uint32_t slot : story_candidates) {
        if (observer != nullptr) {
          Cluster* c = &stories.slots[slot];
          observer->Join(a.id, c->articles, *scorer.ArticleInputs(doc, a.published, c));
        }
        double margin = 0;
        double score = 0;
        if (!scorer.StoryMarginAbove(doc, a.published, &stories.slots[slot], best_margin, &margin,
                              &score)) {
          continue;
        }
        if (margin > best_margin ||
            (margin == best_margin && stories.slots[slot].serial < stories.slots[*best].serial)) {
          best_margin = margin;
          best = slot;
          result.score = score;
        }
      }
      if (best && best_margin >= 0) target = best;
    }

    if (!target) {
      // A new story; it joins the best storyline, or opens one.
      const std::uint32_t slot = NewCluster(&stories, 's');
      double best_score = -1e9;
      std::optional<std::uint32_t> best_line;
      indexer.Candidates(&storylines, doc, StorylineQueryTerms(),
                         static_cast<std::size_t>(options.max_candidates), false, &line_candidates);
      for (std::uint32_t line : line_candidates) {
        const double score = scorer.StorylineScore(doc, a.published, &storylines.slots[line]);
        if (score > best_score ||
            (score == best_score &&
             storylines.slots[line].serial < storylines.slots[*best_line].serial)) {
          best_score = score;
          best_line = line;
        }
      }
      std::uint32_t line;
      if (best_line && best_score >= options.storyline_threshold) {
        line = *best_line;
      } else {
        line = NewCluster(&storylines, 'l');
        result.new_storyline = true;
      }
      storylines.slots[line].members++;
      stories.slots[slot].parent = line;
      result.new_story = true;
      target = slot;
    }
    JoinStory(*target, a, doc);
    if (!result.new_story && !a.copy_of) RehomeYoungStory(*target, doc, a.published);
    const Cluster& s = stories.slots[*target];
    result.story = s.id;
    result.storyline = storylines.slots[s.parent].id;
    Maintain();
    return result;
  }

  // A story's storyline is chosen by its first article alone. While the
  // story is young and its storyline holds nothing else, a later article
  // that matches another storyline over the same boundary moves it there
  // (its storyline folds into that one): a first report too thin to place
  // does not leave its story on its own for good.
  void RehomeYoungStory(std::uint32_t slot, const Doc& doc, std::optional<Timestamp> published) {
    const Cluster& s = stories.slots[slot];
    if (s.articles.size() > kYoungStoryArticles) return;
    const std::uint32_t line = s.parent;
    if (storylines.slots[line].members != 1) return;
    indexer.Candidates(&storylines, doc, StorylineQueryTerms(),
                       static_cast<std::size_t>(options.max_candidates), false, &line_candidates);
    double best_score = -1e9;
    std::optional<std::uint32_t> best;
    for (std::uint32_t other : line_candidates) {
      if (other == line) continue;
      // The article's own evidence, or the story's so far, whichever is
      // the stronger: a story's second and third reports add what its
      // first lacked.
      Cluster* l = &storylines.slots[other];
      const double score = std::max(scorer.StorylineScore(doc, published, l),
                                    scorer.StoryStorylineScore(&stories.slots[slot], published, l));
      if (score > best_score || (score == best_score &&
                                 storylines.slots[other].serial < storylines.slots[*best].serial)) {
        best_score = score;
        best = other;
      }
    }
    if (!best || best_score < options.storyline_threshold) return;
    MergeStorylines(line, *best, slot);
  }

  // Folds storyline `from`, which holds only story `story`, into `into`.
  void MergeStorylines(std::uint32_t from, std::uint32_t into, std::uint32_t story) {
    Cluster& f = storylines.slots[from];
    Cluster& t = storylines.slots[into];
    storyline_merges.push_back({f.id, t.id});
    const std::size_t keep = static_cast<std::size_t>(std::max(8, options.centroid_terms / 2));
    for (const int field : kStorylineFields) {
      space.MergeInto(&t.centroid[field], f.centroid[field].terms, keep);
    }
    t.span.Add(f.span);
    for (const std::string& lang : f.languages) {
      if (std::find(t.languages.begin(), t.languages.end(), lang) == t.languages.end()) {
        t.languages.push_back(lang);
      }
    }
    t.members += f.members;
    stories.slots[story].parent = into;
    indexer.Reindex(&storylines, into,
                    indexer.TopTerms(t, static_cast<std::size_t>(options.index_terms)));
    Touch(&storylines, into);
    Release(&storylines, from);
  }

  // --- repair, freezing ---

  void Maintain() {
    if (options.repair_every > 0 && seq % static_cast<std::uint64_t>(options.repair_every) == 0) {
      Repair();
    }
    FreezeStale();
  }

  void MergeStories(std::uint32_t from_slot, std::uint32_t into_slot) {
    Cluster& from = stories.slots[from_slot];
    Cluster& into = stories.slots[into_slot];
    merges.push_back({from.id, into.id, storylines.slots[into.parent].id});
    const std::size_t keep = static_cast<std::size_t>(options.centroid_terms);
    for (int f = 0; f < kFieldCount; ++f) {
      space.MergeInto(&into.centroid[f], from.centroid[f].terms, keep);
    }
    into.span.Add(from.span);
    into.headlines += from.headlines;
    for (CentroidField& sample : from.samples) {
      if (into.samples.size() >= kSamples) break;
      into.samples.push_back(std::move(sample));
    }
    for (const std::string& lang : from.languages) {
      if (std::find(into.languages.begin(), into.languages.end(), lang) == into.languages.end()) {
        into.languages.push_back(lang);
      }
    }
    MergeLabels(&into, &from.labels);
    for (std::string& id : from.articles) {
      article_story[id] = into_slot;
      into.articles.push_back(std::move(id));
    }
    from.articles.clear();
    indexer.Reindex(&stories, into_slot,
                    indexer.TopTerms(into, static_cast<std::size_t>(options.index_terms)));
    Touch(&stories, into_slot);
    ReleaseStory(from_slot);
  }

  void ReleaseStory(std::uint32_t slot) {
    const std::uint32_t line = stories.slots[slot].parent;
    Release(&stories, slot);
    --storylines.slots[line].members;
  }

  // The margin of merging stories x and y over the repair boundary, in
  // log-odds: the smaller story is scored as one article against the
  // larger, and a one-article story merges at the boundary Add uses.
  // nullopt when the margin cannot exceed `beat` (then it was not computed
  // in full).
  std::optional<double> MergeMargin(Cluster* x, Cluster* y, double beat) {
    if (x->articles.size() > y->articles.size() ||
        (x->articles.size() == y->articles.size() && x->serial < y->serial)) {
      std::swap(x, y);
    }
    const bool single = x->articles.size() <= 1;
    const bool cross = internal::LanguagesDisjoint(*x, *y);
    const StoryModel& m =
        cross ? scorer.cross_model() : scorer.ModelFor(2 * x->headlines > x->articles.size());
    const double boundary =
        cross ? scorer.cross_logit() : (single ? scorer.join_logit() : scorer.merge_logit());
    const bool prune = observer == nullptr;
    const std::optional<internal::StoryScorer::Inputs> in =
        scorer.StoryInputs(x, y, prune ? &m : nullptr, boundary, beat);
    if (!in) return std::nullopt;
    if (!single && observer != nullptr) observer->Merge(x->articles, y->articles, *in);
    return internal::StoryLogit(m, *in) - boundary;
  }

  void Repair() {
    // Stories changed since the last pass, oldest first: the order of an
    // online clusterer's early decisions can split one happening in two
    // (the second report arrived before the first had gathered its
    // vocabulary); their centroids converge later, and are merged here.
    std::vector<std::pair<std::uint64_t, std::uint32_t>> changed = std::exchange(repair_queue, {});
    // Stories due for a second look because the corpus grew by
    // `recheck_growth` since their last check: IDF learned on the first few
    // articles of a stream is poor, and stories decided then are
    // otherwise never compared again once they stop changing.
    while (!recheck.empty() && recheck.top().due <= seq) {
      const Recheck r = recheck.top();
      recheck.pop();
      Cluster& c = stories.slots[r.slot];
      if (!c.alive || c.serial != r.serial) continue;
      const std::uint64_t due = RecheckDue(c);
      if (due > seq) {
        recheck.push({due, r.serial, r.slot});
        continue;
      }
      c.recheck_pending = false;
      c.repair_seq = 0;  // forces a check below
      if (!c.queued) {
        c.queued = true;
        changed.emplace_back(r.serial, r.slot);
      }
    }
    std::erase_if(changed, [&](const std::pair<std::uint64_t, std::uint32_t>& e) {
      Cluster& c = stories.slots[e.second];
      if (!c.alive || c.serial != e.first) return true;
      c.queued = false;
      return c.last_seq <= c.repair_seq;
    });
    std::sort(changed.begin(), changed.end());
    for (const auto& [serial, slot] : changed) {
      Cluster& c = stories.slots[slot];
      if (!c.alive || c.serial != serial) continue;
      c.repair_seq = seq;
      if (options.recheck_growth > 1 && !c.recheck_pending) {
        c.recheck_pending = true;
        recheck.push({RecheckDue(c), serial, slot});
      }
      std::optional<std::uint32_t> best;
      double best_score = 0.0;
      std::vector<std::uint32_t>& candidates = repair_candidates;
      candidates.clear();
      for (std::uint64_t term : c.indexed) {
        const std::vector<std::uint32_t>* list = stories.index.Find(term);
        if (list == nullptr) continue;
        if (list->size() > static_cast<std::size_t>(options.max_posting)) continue;
        candidates.insert(candidates.end(), list->begin(), list->end());
      }
      // Only the few stories sharing the most index terms are scored: two
      // fragments of one happening share most of their top terms, a pass
      // runs every few articles, and scoring every story that shares one
      // common term would cost more than the rest of the clusterer on a
      // large stream.
      std::sort(candidates.begin(), candidates.end());
      std::vector<std::pair<std::uint32_t, std::uint32_t>>& shared =
          repair_shared;  // (~count, slot)
      shared.clear();
      for (std::size_t i = 0; i < candidates.size();) {
        std::size_t j = i;
        while (j < candidates.size() && candidates[j] == candidates[i]) ++j;
        if (candidates[i] != slot) {
          shared.emplace_back(~static_cast<std::uint32_t>(j - i), candidates[i]);
        }
        i = j;
      }
      const auto by_count = [&](const auto& x, const auto& y) {
        return x.first != y.first ? x.first < y.first
                                  : stories.slots[x.second].serial < stories.slots[y.second].serial;
      };
      // Stories in other languages share fewer index terms (their pivot
      // and name terms only) and would rarely make the few kept below:
      // the best of them are kept apart, so reports of one happening in
      // two languages meet once each has a story.
      auto cross_end = std::partition(shared.begin(), shared.end(), [&](const auto& e) {
        return internal::LanguagesDisjoint(c, stories.slots[e.second]);
      });
      const std::size_t cross = static_cast<std::size_t>(cross_end - shared.begin());
      const std::size_t keep_cross = std::min(cross, kRepairCrossCandidates);
      std::partial_sort(shared.begin(), shared.begin() + static_cast<std::ptrdiff_t>(keep_cross),
                        cross_end, by_count);
      const std::size_t keep_same = std::min(shared.size() - cross, kRepairCandidates);
      std::partial_sort(cross_end, cross_end + static_cast<std::ptrdiff_t>(keep_same), shared.end(),
                        by_count);
      std::move(cross_end, cross_end + static_cast<std::ptrdiff_t>(keep_same),
                shared.begin() + static_cast<std::ptrdiff_t>(keep_cross));
      shared.resize(keep_cross + keep_same);
      for (const auto& [unused, other] : shared) {
        const std::optional<double> margin =
            MergeMargin(&stories.slots[slot], &stories.slots[other], best_score);
        if (!margin) continue;
        const double score = *margin;
        if (score > best_score || (best && score == best_score &&
                                   stories.slots[other].serial < stories.slots[*best].serial)) {
          best_score = score;
          best = other;
        }
      }
      if (!best) continue;
      // The older story survives, so ids already handed out mostly stay.
      std::uint32_t from = slot;
      std::uint32_t into = *best;
      if (stories.slots[from].serial < stories.slots[into].serial) std::swap(from, into);
      MergeStories(from, into);
    }
  }

  void Freeze(std::uint32_t slot) {
    Cluster& s = stories.slots[slot];
    for (const std::string& id : s.articles) article_story.erase(id);
    frozen.push_back({s.id, storylines.slots[s.parent].id, std::move(s.articles)});
    ReleaseStory(slot);
  }

  void FreezeStale() {
    const std::int64_t window =
        static_cast<std::int64_t>(options.story_window_days * kSecondsPerDay);
    while (!stories.lru.empty()) {
      const std::uint32_t slot = std::get<2>(*stories.lru.begin());
      const Cluster& c = stories.slots[slot];
      const bool too_many = stories.live > static_cast<std::size_t>(options.max_live_stories);
      const bool stale = clock && c.last_clock != 0 && c.last_clock < *clock - window;
      if (!too_many && !stale) break;
      Freeze(slot);
    }
    // A storyline stays a candidate for new stories while in its (longer)
    // window, even when all its stories are frozen; it is released once out
    // of the window with no live story left. (Its live stories update it, so
    // a storyline with live stories is never the stalest.)
    const std::int64_t line_window =
        static_cast<std::int64_t>(options.storyline_window_days * kSecondsPerDay);
    while (!storylines.lru.empty()) {
      const std::uint32_t slot = std::get<2>(*storylines.lru.begin());
      const Cluster& l = storylines.slots[slot];
      const bool too_many = storylines.live > static_cast<std::size_t>(options.max_live_stories);
      const bool stale = clock && l.last_clock != 0 && l.last_clock < *clock - line_window;
      if ((!too_many && !stale) || l.members > 0) break;
      Release(&storylines, slot);
    }
  }
};

// --- public API ---

StoryClusterer::StoryClusterer(std::unique_ptr<State> state) : state_(std::move(state)) {}
StoryClusterer::StoryClusterer(StoryClusterer&&) noexcept = default;
StoryClusterer& StoryClusterer::operator=(StoryClusterer&&) noexcept = default;
StoryClusterer::~StoryClusterer() = default;

Result<StoryClusterer> StoryClusterer::Create(const ClusterOptions& options) {
  if (Status s = options.Validate(); !s) return Fail(s.error());
  auto state = std::make_unique<State>(options);
  return StoryClusterer(std::move(state));
}

Result<Assignment> StoryClusterer::Add(const ArticleFeatures& article) {
  if (article.id.empty()) return MakeError(ErrorCode::kInvalidArgument, "article with empty id");
  if (state_->article_story.contains(article.id)) {
    return MakeError(ErrorCode::kInvalidArgument, "article " + article.id + " was already added");
  }
  ExtractedArticle x = state_->extractor.Extract(article.title, article.body, article.lang);
  Doc doc = state_->space.MakeDoc(std::move(x));
  return state_->AddDoc(article, doc);
}

Result<std::vector<Assignment>> StoryClusterer::AddBatch(std::span<const ArticleFeatures> articles,
                                                         int threads) {
  State& s = *state_;
  std::vector<ExtractedArticle> extracted(articles.size());
  const std::size_t workers = std::clamp<std::size_t>(
      static_cast<std::size_t>(std::max(threads, 1)), 1, articles.size() + 1);
  if (workers <= 1 || articles.size() < 2) {
    for (std::size_t i = 0; i < articles.size(); ++i) {
      extracted[i] = s.extractor.Extract(articles[i].title, articles[i].body, articles[i].lang);
    }
  } else {
    // Extraction is a pure function of each article, so splitting it over
    // threads cannot change any decision; decisions stay sequential below.
    while (s.batch_extractors.size() < workers) s.batch_extractors.emplace_back(s.lexicon);
    std::vector<std::thread> pool;
    for (std::size_t w = 0; w < workers; ++w) {
      pool.emplace_back([&, w] {
        for (std::size_t i = w; i < articles.size(); i += workers) {
          extracted[i] =
              s.batch_extractors[w].Extract(articles[i].title, articles[i].body, articles[i].lang);
        }
      });
    }
    for (std::thread& t : pool) t.join();
  }
  std::vector<Assignment> out;
  out.reserve(articles.size());
  for (std::size_t i = 0; i < articles.size(); ++i) {
    const ArticleFeatures& a = articles[i];
    if (a.id.empty()) return MakeError(ErrorCode::kInvalidArgument, "article with empty id");
    if (s.article_story.contains(a.id)) {
      return MakeError(ErrorCode::kInvalidArgument, "article " + a.id + " was already added");
    }
    Doc doc = s.space.MakeDoc(std::move(extracted[i]));
    out.push_back(s.AddDoc(a, doc));
  }
  return out;
}

void StoryClusterer::Repair() { state_->Repair(); }

void StoryClusterer::SetObserver(internal::TrainingObserver* observer) {
  state_->observer = observer;
}

std::optional<std::string> StoryClusterer::StoryOf(std::string_view article_id) const {
  auto it = state_->article_story.find(std::string(article_id));
  if (it == state_->article_story.end()) return std::nullopt;
  return state_->stories.slots[it->second].id;
}

std::optional<std::string> StoryClusterer::StorylineOf(std::string_view story_id) const {
  auto it = state_->stories.by_id.find(std::string(story_id));
  if (it == state_->stories.by_id.end()) return std::nullopt;
  return state_->storylines.slots[state_->stories.slots[it->second].parent].id;
}

std::vector<StoryView> StoryClusterer::Stories() const {
  State& s = *state_;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> order;
  for (std::uint32_t slot = 0; slot < s.stories.slots.size(); ++slot) {
    if (s.stories.slots[slot].alive) order.emplace_back(s.stories.slots[slot].serial, slot);
  }
  std::sort(order.begin(), order.end());
  std::vector<StoryView> out;
  out.reserve(order.size());
  for (const auto& [serial, slot] : order) {
    const Cluster& c = s.stories.slots[slot];
    StoryView v;
    v.id = c.id;
    v.storyline = s.storylines.slots[c.parent].id;
    v.articles = c.articles;
    v.first_published = c.span.first;
    v.last_published = c.span.last;
    v.languages = c.languages;
    for (int f : {kNames, kTitle}) {
      std::vector<std::pair<double, const std::string*>> ranked;
      for (const auto& [term, label] : c.labels) {
        const SparseVector& field = c.centroid[f].terms;
        auto it = std::lower_bound(field.begin(), field.end(), term,
                                   [](const TermWeight& t, std::uint64_t x) { return t.term < x; });
        if (it != field.end() && it->term == term) {
          ranked.emplace_back(-it->weight * s.space.Idf(term), &label);
        }
      }
      std::sort(ranked.begin(), ranked.end(), [](const auto& x, const auto& y) {
        return x.first != y.first ? x.first < y.first : *x.second < *y.second;
      });
      auto& dest = f == kNames ? v.top_names : v.top_terms;
      for (std::size_t i = 0; i < ranked.size() && i < kLabelsPerStory; ++i) {
        dest.push_back(*ranked[i].second);
      }
    }
    out.push_back(std::move(v));
  }
  return out;
}

std::size_t StoryClusterer::live_stories() const { return state_->stories.live; }
std::size_t StoryClusterer::articles_seen() const { return state_->seq; }

std::vector<StoryMerge> StoryClusterer::TakeMerges() { return std::exchange(state_->merges, {}); }

std::vector<StorylineMerge> StoryClusterer::TakeStorylineMerges() {
  return std::exchange(state_->storyline_merges, {});
}
std::vector<FrozenStory> StoryClusterer::TakeFrozen() { return std::exchange(state_->frozen, {}); }

void StoryClusterer::FreezeAll() {
  State& s = *state_;
  while (!s.stories.lru.empty()) s.Freeze(std::get<2>(*s.stories.lru.begin()));
}

// --- model fitting ---

Result<std::vector<internal::TrainingRow>> internal::TrainingAccess::TeacherForced(
    const ClusterOptions& options, std::span<const ArticleFeatures> articles,
    std::span<const std::string> gold) {
  if (articles.size() != gold.size()) {
    return MakeError(ErrorCode::kInvalidArgument, "articles and gold labels differ in number");
  }
  ClusterOptions o = options;
  o.repair_every = 0;  // the gold stories are never merged
  Result<StoryClusterer> made = StoryClusterer::Create(o);
  if (!made) return Fail(made.error());
  StoryClusterer::State& s = *made->state_;
  std::unordered_map<std::string, std::string> first_of_story;  // gold -> an article id
  std::unordered_map<std::uint64_t, std::string> story_gold;    // serial -> gold
  std::vector<TrainingRow> rows;
  for (std::size_t i = 0; i < articles.size(); ++i) {
    const ArticleFeatures& a = articles[i];
    if (a.id.empty() || s.article_story.contains(a.id)) {
      return MakeError(ErrorCode::kInvalidArgument, "empty or repeated article id " + a.id);
    }
    Doc doc = s.space.MakeDoc(s.extractor.Extract(a.title, a.body, a.lang));
    s.lookups.Build(doc);
    s.indexer.Candidates(&s.stories, doc, static_cast<std::size_t>(o.query_terms),
                         static_cast<std::size_t>(o.max_candidates), true, &s.story_candidates);
    for (std::uint32_t slot : s.story_candidates) {
      Cluster& c = s.stories.slots[slot];
      TrainingRow row;
      row.x = *s.scorer.ArticleInputs(doc, a.published, &c);
      row.same = !gold[i].empty() && story_gold[c.serial] == gold[i];
      row.article = i;
      rows.push_back(row);
    }
    ArticleFeatures forced = a;
    forced.copy_of.reset();
    forced.copy_of_story.reset();
    bool force_new = true;
    if (!gold[i].empty()) {
      auto it = first_of_story.find(gold[i]);
      if (it != first_of_story.end() && s.article_story.contains(it->second)) {
        forced.copy_of = it->second;
        force_new = false;
      }
    }
    const Assignment r = s.AddDoc(forced, doc, force_new);
    if (!gold[i].empty()) {
      first_of_story[gold[i]] = a.id;
      auto live = s.stories.by_id.find(r.story);
      if (live != s.stories.by_id.end()) story_gold[s.stories.slots[live->second].serial] = gold[i];
    }
  }
  return rows;
}

// --- state ---

Result<std::string> StoryClusterer::Serialize() const {
  const State& s = *state_;
  ByteWriter w;
  internal::EncodeState(s.space, s.seq, s.clock, s.storylines, s.stories, &w);
  return w.Take();
}

Result<std::string> StoryClusterer::SerializeSince(std::size_t max_change_bytes, bool* whole) {
  State& s = *state_;
  ByteWriter w;
  *whole = internal::EncodeSave(&s.space, s.seq, s.clock, s.storylines, s.stories, &s.saved,
                                max_change_bytes, &w);
  return w.Take();
}

void StoryClusterer::MarkSaved() {
  State& s = *state_;
  internal::MarkState(&s.space, s.storylines, s.stories, &s.saved);
}

Result<StoryClusterer> StoryClusterer::Restore(const ClusterOptions& options,
                                               std::string_view bytes) {
  return Restore(options, bytes, {});
}

Result<StoryClusterer> StoryClusterer::Restore(const ClusterOptions& options,
                                               std::string_view bytes,
                                               std::span<const std::string> changes) {
  Result<StoryClusterer> made = Create(options);
  if (!made) return made;
  StoryClusterer::State& s = *made->state_;
  Result<internal::SavedState> saved = internal::DecodeState(bytes, &s.space);
  if (!saved) return Fail(saved.error());
  for (const std::string& record : changes) {
    if (Status st = internal::ApplyChanges(record, &*saved, &s.space); !st) return Fail(st.error());
  }
  if (Status st = made->Rebuild(std::move(*saved)); !st) return Fail(st.error());
  made->MarkSaved();
  return made;
}

Status StoryClusterer::Rebuild(internal::SavedState saved_state) {
  State& s = *state_;
  const ClusterOptions& options = s.options;
  internal::SavedState* saved = &saved_state;
  s.seq = saved->seq;
  s.clock = saved->clock;
  std::unordered_map<std::uint64_t, std::uint32_t> line_slot;  // serial -> slot
  for (Level* level : {&s.storylines, &s.stories}) {
    const bool is_story = level == &s.stories;
    internal::SavedLevel& from = is_story ? saved->stories : saved->storylines;
    level->next_serial = from.next_serial;
    for (internal::SavedCluster& saved_cluster : from.clusters) {
      Cluster& c = saved_cluster.cluster;
      if (is_story) {
        auto it = line_slot.find(saved_cluster.parent_serial);
        if (it == line_slot.end()) {
          return MakeError(ErrorCode::kInvalidInput, "not a story clusterer state");
        }
        c.parent = it->second;
      }
      c.alive = true;
      c.id = FormatId(is_story ? 's' : 'l', c.serial);
      const std::uint32_t slot = level->Allocate();
      std::vector<std::uint64_t> indexed = std::move(c.indexed);
      level->slots[slot] = std::move(c);
      Cluster& placed = level->slots[slot];
      level->by_id.emplace(placed.id, slot);
      level->lru.insert({placed.last_seq, placed.serial, slot});
      ++level->live;
      for (std::uint64_t t : indexed) level->index.Insert(t, slot);
      placed.indexed = std::move(indexed);
      if (is_story) {
        for (const std::string& a : placed.articles) s.article_story.emplace(a, slot);
        if (placed.last_seq > placed.repair_seq) {
          placed.queued = true;
          s.repair_queue.emplace_back(placed.serial, slot);
        }
        // A story checked before has its recheck pending (see Repair).
        if (placed.repair_seq > 0 && options.recheck_growth > 1) {
          placed.recheck_pending = true;
          s.recheck.push({s.RecheckDue(placed), placed.serial, slot});
        }
      } else {
        line_slot.emplace(placed.serial, slot);
      }
    }
  }
  return Ok();
}

std::size_t StoryClusterer::ApproximateMemoryBytes() const {
  const State& s = *state_;
  std::size_t bytes = s.space.df().capacity_bytes() + s.article_story.size() * 64;
  for (const Level* level : {&s.stories, &s.storylines}) {
    bytes += level->slots.capacity() * sizeof(Cluster) + level->lru.size() * 48 +
             level->by_id.size() * 64;
    for (const Cluster& c : level->slots) {
      for (const CentroidField& f : c.centroid) bytes += f.terms.capacity() * sizeof(TermWeight);
      bytes += c.indexed.capacity() * 8 + c.labels.size() * 48;
      for (const std::string& a : c.articles) bytes += sizeof(std::string) + a.capacity();
    }
    bytes += level->index.capacity_bytes();
  }
  return bytes;
}

}  // namespace storyline::cluster
