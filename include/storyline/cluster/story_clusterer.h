// Online story and storyline clustering of a news stream.
//
//   ClusterOptions options;                        // the tuned defaults below
//   Result<StoryClusterer> c = StoryClusterer::Create(options);
//   for (const ArticleFeatures& a : stream) {      // in publication order
//     Result<Assignment> r = c->Add(a);
//     // r->story "s00000012", r->storyline "l00000007", r->new_story ...
//   }
//   for (const StoryMerge& m : c->TakeMerges()) { /* relabel m.from -> m.into */ }
//   for (const FrozenStory& f : c->TakeFrozen()) { /* final; memory freed */ }
//   Result<std::string> state = c->Serialize();   // store it; after a restart:
//   Result<StoryClusterer> again = StoryClusterer::Restore(options, *state);
//   // or, saving in steps: per batch store c->SerializeSince(limit, &whole)
//   // (a change record, or the whole state), then Restore(options, state,
//   // changes since it).
//
// A *story* is one happening; a *storyline* links the stories of one ongoing
// subject over weeks. Every article gets exactly one story and every story
// exactly one storyline.
//
// Method (after Miranda, Znotiņš, Cohen, Barzdins, EMNLP 2018, "Multilingual
// Clustering of Streaming News"). Each arriving article is turned into five
// sparse TF-IDF sub-vectors: title words, body words (title included;
// stopwords removed, Snowball-stemmed), name-like words (capitalised words
// away from the start of a sentence, accent-folded and transliterated to
// Latin, then mapped through a small table of cross-language spellings, so
// "Poutine", "Putin" and "Путин" are one feature), numbers (normalised:
// "2,3"/"2.3", "1.200"/"1,200"; day+month dates in any of seven languages
// become one "date:03-12" feature) and an English pivot of the content words
// (other languages translated through Debian's FreeDict dictionaries, see
// `dictionary_dir`). Document frequencies are learned online and halved
// every `df_halving_docs` articles, so the table follows the recent stream
// and stays bounded on an endless one.
// Candidate stories come from an inverted index over each live story's top
// centroid terms, and apart from them its top English pivot terms (so that
// a report in another language finds the story), never a scan of all
// stories. For each candidate a logistic model (src/cluster/story_model.h)
// turns the five cosines with the story's centroid, the best cosine with a
// few sampled members and the cosine with the story's first article, the
// time gap, whether the story has the article's language, and interactions
// of these into the probability that both report one happening. Full
// texts and headlines alone (an empty body) have models of their own: a
// few title words are other evidence than a full report, and a headline
// feed of one theme chains under a full-text boundary.
// tools/story_model_fit fits both on every development corpus at once
// (full texts, a multilingual headline feed, examples/) and tunes them on
// the stream's F1. The article joins
// the likeliest story when that probability reaches `join_probability`,
// else opens a new story. The member inputs keep a headline story from
// growing by drift: a big story's centroid matches any title of its theme,
// but joining also needs a member that reads like the article. A copy
// (copy_of) always joins its original's story. Centroids keep the top
// `centroid_terms` terms of each sub-vector. Every `repair_every` articles
// a repair pass merges live stories the model of the smaller story's kind
// finds to be one, scoring its centroid and members as if they were an
// article, at `merge_probability` (a one-article story at
// `join_probability`); a story is looked at again whenever the stream
// doubled since its last check (its IDF was learned on far fewer documents
// then). Two stories that share no language are scored apart (their few
// best candidates are kept beside the same-language ones) by a third
// model, over names, numbers, the English pivot and time alone, at
// `cross_merge_probability`: the reports of one event in two languages
// meet once each language has its story.
// A new story joins the best live storyline by names and body vocabulary
// (longer time scale), or opens one.
//
// Measured with the defaults (cluster_eval, articles in `published` order;
// the README has the figures through the whole pipeline):
//   ECB+ (982 articles, 86 stories, two look-alike events per topic):
//     BCubed F1 0.931 (P 0.936 R 0.925), 112 stories, 7 mix a topic's two
//     events.
//   OG2021 headline feed (5,177 titles, 9 languages, 734 stories):
//     BCubed F1 0.637 (P 0.784 R 0.536), largest story 103 headlines; its
//     French titles alone 0.788.
//   examples/ (41 articles, fr/en/es/de): stories BCubed F1 0.914.
// Scoring a candidate computes the cheap inputs first and skips the costly
// ones (pivot cosine, member sketches) when even their largest possible
// contribution could not make the candidate the best: the same decisions,
// at a fraction of the cost.
//
// Determinism: results depend only on the sequence of articles given to
// Add/AddBatch (not on batch boundaries, nor on AddBatch's thread count:
// threads only extract features; decisions are sequential). Ids are
// numbered in creation order.
//
// Memory is bounded by the time window (and the document-frequency table by
// the vocabulary of the last `df_halving_docs` articles or so; throughput
// and memory at 1M articles: README, bench/cluster/cluster_scale): a story with no new article for
// `story_window_days` (on the stream's clock, the latest publication time
// seen), or beyond the `max_live_stories` most recently updated ones, is
// frozen: removed from the candidate index and from memory, and handed out
// by TakeFrozen(). Storylines likewise after `storyline_window_days`.
//
// Persistence: Serialize() writes the state needed to continue exactly as if
// no restart happened (IDF table, live stories and storylines with their
// centroids and article ids, counters); the pipeline stores these bytes
// next to its own commit. Frozen stories are not part of it. A long stream
// saves in steps instead: one whole state, then per batch a change record
// (SerializeSince: the counts that moved, the stories and storylines
// added, changed or gone), so that what a batch writes follows the batch,
// not the size of the window; Restore applies the records in order.
//
// Thread safety: a StoryClusterer is not thread-safe; one thread at a time.
#ifndef STORYLINE_CLUSTER_STORY_CLUSTERER_H_
#define STORYLINE_CLUSTER_STORY_CLUSTERER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storyline/core/date.h"
#include "storyline/core/result.h"

namespace storyline::cluster {

namespace internal {
struct TrainingAccess;  // src/cluster/training.h: the model fit's view
class TrainingObserver;
struct SavedState;  // src/cluster/cluster_codec.h
}  // namespace internal

// What the clusterer needs of one article.
struct ArticleFeatures {
  // Unique, non-empty.
  std::string id;
  // Publication time; std::nullopt when unknown (then time is neutral).
  std::optional<Timestamp> published;
  // ISO 639-1 code; empty to detect it from the text (CLD2); "und" when
  // the caller's detector found none (not detected again).
  std::string lang;
  std::string title;
  // The cleaned body (without site chrome); may be empty (then the title
  // alone describes the article).
  std::string body;
  // Id of the article this one is a copy of (from the duplicate stage).
  // A copy joins its original's story.
  std::optional<std::string> copy_of;
  // The original's story when the caller knows it and the clusterer may not
  // (the original's story was frozen, or clustered before a restart without
  // state). Used only when copy_of names an article the clusterer no
  // longer holds.
  std::optional<std::string> copy_of_story;
};

struct ClusterOptions {
  // --- story decision ---
  // story_model: the "same story?" model of full texts, bias first, then
  // one weight per input in the order src/cluster/story_model.h lists them;
  // empty (the default) for the weights fitted on every development corpus
  // by tools/story_model_fit. A vector of another length is refused.
  std::vector<double> story_model;
  // headline_model: the same for headline-only articles (no body), and for
  // merging a story most of whose articles are such; empty for the fitted
  // default. Headlines and full texts are scored by models of their own:
  // a few words of a title are other evidence than a full report.
  std::vector<double> headline_model;
  // join_probability (0.7): an article joins the candidate story the model
  // finds likeliest when that probability is at least this, else it opens
  // a new story (chosen with the model by tools/story_model_fit).
  double join_probability = 0.7;
  // time_sigma_days (3.0): the time input is 1 − exp(−d²/2σ²) with d the
  // distance in days from the story's first..last publication span.
  double time_sigma_days = 3.0;
  // headline_time_sigma_days (0.5): σ of the time input for headlines
  // alone. A feed of titles reports an event within hours, and its titles
  // share few words, so the hours between them say more than for full
  // texts.
  double headline_time_sigma_days = 0.5;
  // dictionary_dir: where the bilingual dictionaries are (FreeDict, dictd
  // format; Debian's dict-freedict-* packages install them here). Words of
  // other languages are translated to English through them, so reports of
  // one event in two languages share vocabulary. A folder without them
  // leaves names and numbers as the only cross-language evidence.
  std::string dictionary_dir = "/usr/share/dictd";

  // --- centroids and the candidate index ---
  // centroid_terms (128): terms kept per sub-vector in a story centroid.
  int centroid_terms = 128;
  // index_terms (16): a story is indexed under its top terms by TF-IDF
  // weight (names, numbers and body together).
  int index_terms = 16;
  // query_terms (16): an article looks up its top terms by TF-IDF weight.
  int query_terms = 16;
  // pivot_index_terms (4; 0 = none): a story is also indexed under its top
  // terms of the English pivot (ranked apart from the others), and an
  // article looks up as many of its own: the way a report in one language
  // finds a story told so far in others, with which it shares few words
  // but their translations and names.
  int pivot_index_terms = 4;
  // max_candidates (12): stories scored per article, those sharing the most
  // query terms first (8, 12 and 24 give the same ECB+ and examples/
  // results; 12 keeps a margin, at half the scoring cost of 24).
  int max_candidates = 12;
  // max_posting (4096): index terms shared by more live stories than this
  // are skipped at query time (they do not discriminate).
  int max_posting = 4096;

  // --- document frequencies ---
  // df_halving_docs (100000; 0 = never): after every this many articles,
  // every document frequency and the document count are halved (rounding
  // down) and terms left at zero are forgotten. IDF = ln(1 + N/df) keeps
  // its value (N and df halve together) up to the rounding of odd counts,
  // while the table stays bounded by the vocabulary of the recent stream
  // instead of growing with the corpus, and IDF follows the recent stream
  // (news vocabulary shifts). A term seen once before a halving and again
  // after gets the IDF it would have had anyway (df 1 of N/2, not 2 of N).
  // Streams shorter than this (ECB+, examples/) are unaffected.
  int df_halving_docs = 100000;

  // --- window ---
  // story_window_days (10): a story without a new article for this long on
  // the stream's clock is frozen.
  double story_window_days = 10.0;
  // max_live_stories (100000): at most this many stories stay live; the
  // least recently updated are frozen first. Bounds memory for undated
  // streams.
  int max_live_stories = 100000;

  // --- repair ---
  // repair_every (5; 0 = never): run the merge pass after every this many
  // articles (counted over the whole stream, so batch sizes do not matter).
  // A pass only visits the stories changed since the previous one.
  int repair_every = 5;
  // merge_probability (0.99): the repair pass merges two live stories of
  // several articles each when the model, applied to the smaller story's
  // centroid and members as if they were an article, gives at least this.
  // Centroids are smoother than single articles, and two big stories of
  // one theme share much vocabulary, hence a boundary far above
  // join_probability. A one-article story merges at join_probability (the
  // decision Add makes for an article).
  double merge_probability = 0.99;
  // cross_merge_probability (0.95): the repair pass merges two live stories
  // that share no language when the cross-language model (cross_model;
  // empty = the fitted default) gives at least this. Their word cosines
  // say nothing, so that model reads names, numbers, the English pivot and
  // the days between them.
  double cross_merge_probability = 0.95;
  std::vector<double> cross_model;
  // recheck_growth (2.0; 0 = never): a story is checked by the repair pass
  // again once the stream has grown by this factor since its last check,
  // changed or not. IDF learned on the first articles of a stream is poor,
  // so the stories decided then (the 13 first ECB+ reports of one event
  // were 13 stories) are otherwise never compared again once they stop
  // growing; each story is rechecked at most log_g(stream length) times
  // and, once the stream is longer than a window, not at all.
  double recheck_growth = 2.0;

  // --- storylines ---
  // storyline_names_weight (0.6), storyline_body_weight (0.4),
  // storyline_threshold (0.16): a new story joins the best live storyline
  // whose score is at least the threshold; while young, it moves to another
  // storyline its latest article, or its centroid, scores that much on.
  // examples/ (the one storyline gold) keeps storyline precision 1.0 from
  // 0.15 to 0.25 and needs 0.16 for a follow-up event (a barge hitting a
  // footbridge in the flood) to meet the flood's storyline.
  double storyline_names_weight = 0.6;
  double storyline_body_weight = 0.4;
  double storyline_threshold = 0.16;
  // storyline_sigma_days (14): time scale of the storyline penalty, whose
  // largest value is storyline_time_weight (0.2).
  double storyline_sigma_days = 14.0;
  double storyline_time_weight = 0.2;
  // storyline_window_days (45): a storyline without a new story for this
  // long is frozen.
  double storyline_window_days = 45.0;

  // Errors: kInvalidArgument naming the first field out of range.
  Status Validate() const;
};

// Where one article went.
struct Assignment {
  std::string story;      // "s00000012"
  std::string storyline;  // "l00000007"
  bool new_story = false;
  bool new_storyline = false;
  // Score of the decision: the best candidate's score (joined or not);
  // 1 for a copy joining its original; 0 when there was no candidate.
  double score = 0.0;
};

// A live story, for display and digests.
struct StoryView {
  std::string id;
  std::string storyline;
  std::vector<std::string> articles;  // in arrival order
  std::optional<Timestamp> first_published;
  std::optional<Timestamp> last_published;
  std::vector<std::string> languages;  // in order of first appearance
  // Heaviest centroid terms by TF-IDF: names (folded keys) and body stems.
  std::vector<std::string> top_names;
  std::vector<std::string> top_terms;
};

// A story leaving memory: no article can join it any more.
struct FrozenStory {
  std::string id;
  std::string storyline;
  std::vector<std::string> articles;
};

// Two live stories found to be one by the repair pass: every article of
// `from` now belongs to `into` (and to `into`'s storyline).
struct StoryMerge {
  std::string from;
  std::string into;
  // The storyline `into` belonged to at the merge (it may be frozen by the
  // time the caller reads the merge).
  std::string into_storyline;
};

// A storyline folded into another: a young story whose storyline held it
// alone found, with a later article, the storyline it belongs to.
struct StorylineMerge {
  std::string from;
  std::string into;
};

class StoryClusterer {
 public:
  // Errors: kInvalidArgument naming the first option out of range
  // (negative weights, thresholds outside [0, 2], non-positive sigmas,
  // windows or term counts).
  static Result<StoryClusterer> Create(const ClusterOptions& options);

  // Continues from Serialize() output. `options` should be those the state
  // was made with. Errors: kInvalidArgument for bad options, kInvalidInput
  // for bytes that are not a state of this version.
  static Result<StoryClusterer> Restore(const ClusterOptions& options, std::string_view state);
  // The same, then each of `changes` (SerializeSince() records, in the
  // order written since `state`) applied. Errors as Restore, and
  // kInvalidInput for a record that is not a change record.
  static Result<StoryClusterer> Restore(const ClusterOptions& options, std::string_view state,
                                        std::span<const std::string> changes);

  StoryClusterer(StoryClusterer&&) noexcept;
  StoryClusterer& operator=(StoryClusterer&&) noexcept;
  ~StoryClusterer();

  // Clusters one article. Errors: kInvalidArgument for an empty id or an id
  // already given (the state is then unchanged). Invalid UTF-8 is repaired,
  // not refused.
  Result<Assignment> Add(const ArticleFeatures& article);

  // As Add for each article in order; features are extracted on `threads`
  // threads (1 = this thread), results are identical for any thread count.
  // On an error, articles before the bad one are added, none after.
  Result<std::vector<Assignment>> AddBatch(std::span<const ArticleFeatures> articles,
                                           int threads = 1);

  // Runs the repair pass now (Add runs it every options.repair_every).
  void Repair();

  // The story of an article still held (its story is live); nullopt else.
  std::optional<std::string> StoryOf(std::string_view article_id) const;
  // The storyline of a live story; nullopt else.
  std::optional<std::string> StorylineOf(std::string_view story_id) const;
  // Live stories, oldest first.
  std::vector<StoryView> Stories() const;
  std::size_t live_stories() const;
  std::size_t articles_seen() const;

  // Merges done by the repair pass since the last call, in order.
  std::vector<StoryMerge> TakeMerges();
  // Storyline merges since the last call, in order; the caller relabels
  // `from` as `into`.
  std::vector<StorylineMerge> TakeStorylineMerges();
  // Stories frozen since the last call, in order.
  std::vector<FrozenStory> TakeFrozen();
  // Freezes every live story (end of a corpus) so TakeFrozen returns all.
  void FreezeAll();

  // The state as bytes (see the header comment). Errors: none today; kept a
  // Result so a future format can refuse.
  Result<std::string> Serialize() const;

  // Saving in steps. SerializeSince() returns a change record from the
  // state as last saved (by SerializeSince, MarkSaved, Create or Restore)
  // to the state as it is, or, when that record would take more than
  // `max_change_bytes`, the whole state (Serialize()'s bytes; `*whole` set),
  // and counts the state as saved. A caller whose save then fails must
  // Restore from what it did store. MarkSaved() counts the state as it is
  // saved (after storing Serialize()).
  Result<std::string> SerializeSince(std::size_t max_change_bytes, bool* whole);
  void MarkSaved();

  // Rough bytes of memory held (centroids, index, IDF table), for the scale
  // benchmark.
  std::size_t ApproximateMemoryBytes() const;

 private:
  friend struct internal::TrainingAccess;
  struct State;
  // Shows every scored candidate to `observer` (model fitting only).
  void SetObserver(internal::TrainingObserver* observer);
  // Puts a decoded state in place in a new clusterer (Restore).
  Status Rebuild(internal::SavedState saved);
  explicit StoryClusterer(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace storyline::cluster

#endif  // STORYLINE_CLUSTER_STORY_CLUSTERER_H_
