// The persistent embedded store: one SQLite database file.
//
//   Result<std::unique_ptr<Store>> store = Store::Open("storyline.db");
//   if (!store) return Fail(store.error());
//   Result<std::vector<PutOutcome>> put = (*store)->PutArticles(batch);  // one transaction
//   (*store)->ForEachArticle([](const StoredArticle& a) { ...; return Ok(); });
//
// The database runs in WAL mode: readers (the server, `export`) keep working
// while one writer ingests. Every write method is one transaction: it either
// commits whole or leaves the store as it was; a process killed at any moment
// leaves a store that opens and holds every committed batch. The schema is
// versioned (PRAGMA user_version) and migrated forward on Open.
//
// A Store object is not thread-safe: use one per thread (several processes
// or threads may open the same file).
#ifndef STORYLINE_STORE_STORE_H_
#define STORYLINE_STORE_STORE_H_

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storyline/core/article.h"
#include "storyline/core/result.h"

namespace storyline::store {

struct StoreOptions {
  // read_only (false): open without creating or migrating; writes fail.
  bool read_only = false;
  // busy_timeout_ms (10000): how long to wait for another writer's lock.
  int busy_timeout_ms = 10000;
  // synchronous_full (false): fsync at every commit (survives power loss, not
  // only process death). The default NORMAL keeps committed batches across a
  // killed process, which is what acknowledgement promises.
  bool synchronous_full = false;
};

// What PutArticles did with one article.
enum class PutOutcome {
  kInserted,   // new id
  kUnchanged,  // same id and same content: nothing written
  kUpdated,    // same id, changed content: replaced, revision incremented
};

// What the analysis stages produced for one article. Strings are empty when
// a stage has not run (or found nothing: an article that copies nothing has
// an empty copy_of).
//
// The role cleaning gave one line of the article's text.
struct LineRole {
  int n = 0;           // 1-based line number in Article::text
  std::string role;    // clean::RoleName: "title", "body", "boilerplate", ...
  std::string reason;  // why, in words
};

struct ArticleAnalysis {
  std::string id;
  std::int64_t revision = 0;  // the article revision this analysis is of
  std::string lang;           // detected when the input gave none
  double lang_confidence = 0;
  std::string published;  // inferred publication date when the input gave none
  bool published_inferred = false;
  std::string body;             // body and heading lines, '\n'-joined
  std::vector<LineRole> lines;  // one per line of the text, in order
  std::string sketch;           // the duplicate stage's serialised sketch (bytes)
  std::string dup_group;
  std::string copy_of;
  std::string story;
  std::string storyline;
};

// An article as stored, with its store bookkeeping.
struct StoredArticle {
  Article article;
  std::int64_t key = 0;       // internal row number, stable for the article's life
  std::int64_t revision = 1;  // 1 on insert, +1 on every content change
  std::uint64_t content_hash = 0;
  ArticleAnalysis analysis;  // analysis.revision == 0: not analysed yet
};

// A line of an article as the views show it: its text as given and the
// role cleaning gave it ("" and "" before the article is analysed).
struct ArticleLine {
  int n = 0;
  std::string role;
  std::string reason;
  std::string text;
};
// The lines of `a`'s text (split at '\n', a trailing '\r' dropped; a final
// '\n' opens no line) with their roles from its analysis: what the CLI, the
// server and the Python package show for an article.
std::vector<ArticleLine> LinesOf(const StoredArticle& a);

// One verified duplicate pair (see docs/contract.md, "Words").
//
// The pipeline writes a pair as it found it (a = the article being added);
// the store reads it back oriented by OrientDuplicate(), so that every view
// of duplicates (API, export, page) reads the copy direction from one place:
// the articles' copy_of.
struct DuplicateRecord {
  std::string a;         // the copy
  std::string b;         // the article it matches
  std::string relation;  // exact | near | partial
  double jaccard = 0;
  double containment = 0;
  std::vector<std::string> evidence;  // shared passages, quoted from a's body
  // Set when read: a's copy_of is b, i.e. this pair is the link an article's
  // "copy of" badge shows. False for a pair between two articles that match
  // each other but each copy a third (or for pairs not read from a store).
  bool copy_link = false;
  // What a writer may give instead of `evidence`: the passages as byte
  // ranges [begin, end) of a's cleaned body (as stored with a's analysis).
  // The store keeps the ranges and quotes them from the body on reading,
  // rather than storing each passage's text again; reading fills
  // `evidence` and leaves these empty.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> evidence_spans;
};

// Orients `pair` by the copy_of of its two articles (`copy_of_a` of pair->a,
// `copy_of_b` of pair->b), the one rule for copy direction:
//  - b's copy_of is a: swapped, so a copies b as the article list says;
//  - neither copies the other: an article with no copy_of (its group's
//    original) is never put as the copy; otherwise the order stays;
//  - each copies the other (the duplicate index can write such a pair, see
//    DuplicateIndex::CopyOf's fallback): the order stays.
// Sets pair->copy_link when, after orienting, a's copy_of is b.
void OrientDuplicate(DuplicateRecord* pair, std::string_view copy_of_a, std::string_view copy_of_b);

// A story's digest: the fields of docs/contract.md's story object that the
// digests stage computes. Stored as that JSON object in one column (the
// store's search reads it there); read back into this record, so that the
// CLI, the server and Python see fields, not text (digest_json.h maps it
// to and from JSON).
struct Digest {
  struct Entity {
    std::string name{};
    std::string type{};  // person, organization, location, other
    std::int64_t mentions = 0;
  };
  struct TimelineEntry {
    std::string date{};  // YYYY-MM-DD
    bool inferred = false;
    std::string text{};
    std::string article{};                // the earliest article reporting it
    std::vector<std::string> articles{};  // all articles reporting it
    std::vector<std::string> sources{};
  };
  struct Quote {
    std::string speaker{};
    std::string text{};
    std::string article{};
  };
  struct Source {
    std::string source{};
    std::vector<std::string> articles{};
    std::optional<std::int64_t> first_published{};  // Unix seconds
    bool first_published_inferred = false;
  };
  struct Copy {
    std::string article{};
    std::string copy_of{};
  };
  struct Wire {
    std::string agency{};
    std::int64_t articles = 0;  // articles whose dateline credits it
    std::vector<std::string> outlets{};
    std::int64_t cut_versions = 0;
  };
  std::string title{};
  std::string lang{};  // the language most articles are written in; "" unknown
  std::vector<std::string> summary{};
  std::vector<Entity> entities{};
  std::vector<TimelineEntry> timeline{};
  std::vector<Quote> quotes{};
  std::vector<Source> sources{};  // by first publication
  std::string first_source{};     // "" unknown
  std::vector<Copy> copies{};
  std::optional<Wire> wire{};
  // The story's first / last day comes from an inferred publication date.
  bool first_published_inferred = false;
  bool last_published_inferred = false;
};

// A story and its digest.
struct StoryRecord {
  std::string id;
  std::string storyline;
  std::string title;
  std::int64_t size = 0;                        // articles
  std::optional<std::int64_t> first_published;  // Unix seconds
  std::optional<std::int64_t> last_published;
  Digest digest{};
  // Set by FindStories with order "rising" only: the story's articles
  // published since StoryFilter::rising_since (its size before is size - gained).
  std::int64_t gained = 0;
};

struct StorylineRecord {
  std::string id;
  std::string title;
  std::int64_t size = 0;  // stories
  // Set when read (ListStorylines, GetStoryline): the earliest first and the
  // latest last publication of its stories, Unix seconds; ignored on write.
  std::optional<std::int64_t> first_published{};
  std::optional<std::int64_t> last_published{};
};

// How a list of stories is ordered: recent = last_published desc, then
// size desc; largest = size desc; rising = the stories with articles
// published since StoryFilter::rising_since, most such articles first, then
// the larger share of the story they make (a story that doubled before one
// that grew by a tenth), then recent.
enum class StoryOrder { kRecent, kLargest, kRising };

// "recent", "largest" or "rising"; nullopt for any other name.
std::optional<StoryOrder> ParseStoryOrder(std::string_view name);
std::string_view StoryOrderName(StoryOrder order);

// Which stories ListStories returns, and in what order.
struct StoryQuery {
  std::string storyline{};                 // only this storyline's stories, when set
  StoryOrder order = StoryOrder::kRecent;  // recent or largest (rising needs FindStories)
  std::int64_t limit = 100;
  std::int64_t offset = 0;
};

// Which stories FindStories returns: ListStories' query plus filters. Every
// filter left empty matches everything.
struct StoryFilter {
  // text (""): full-text query (see SearchQuery::text); a story matches when
  // its own title, summary, entities or quotes match, or one of its articles'
  // title or body does.
  std::string text;
  // A story's text match looks at the newest 2,000 matching articles and
  // stories (TextFilterTruncated tells when more match).
  // lang (""): stories with at least one article in this language.
  std::string lang;
  // source (""): stories with at least one article from this source.
  std::string source;
  // since / until (none): Unix seconds; stories whose [first, last]
  // publication span overlaps [since, until].
  std::optional<std::int64_t> since;
  std::optional<std::int64_t> until;
  // storyline (""): only this storyline's stories.
  std::string storyline;
  // order (recent): see StoryOrder.
  StoryOrder order = StoryOrder::kRecent;
  // rising_since (none): Unix seconds, the start of the window "rising"
  // counts articles in; required by that order (see LatestPublished()).
  std::optional<std::int64_t> rising_since;
  std::int64_t limit = 50;
  std::int64_t offset = 0;
};

// Articles per time bucket of one story or storyline (ArticleVolume()).
struct TimeCount {
  std::int64_t start = 0;  // Unix seconds, a multiple of bucket_seconds (UTC)
  std::int64_t count = 0;
};
struct ArticleVolume {
  // bucket_seconds (0 when no article is dated): 3600 when the dated
  // articles span under two days, else 86400 times the fewest days that keep
  // the buckets within kMaxVolumeBuckets.
  std::int64_t bucket_seconds = 0;
  // Every bucket from the first dated article's to the last one's, ascending,
  // empty ones included (count 0); at most kMaxVolumeBuckets + 1.
  std::vector<TimeCount> buckets;
  std::int64_t undated = 0;  // articles without a publication time
};
inline constexpr std::int64_t kMaxVolumeBuckets = 400;

// The bucket width ArticleVolume() uses for dated articles spanning
// `span_seconds` (last minus first): see ArticleVolume::bucket_seconds.
std::int64_t VolumeBucketSeconds(std::int64_t span_seconds);

// A full-text query over articles (title, body) and stories (title, summary,
// entities, quotes), ranked by bm25.
struct SearchQuery {
  // text: words are ANDed; "double quotes" make a phrase; a trailing * on a
  // word matches it as a prefix. Any other punctuation is ignored, so no
  // input is a syntax error. Matching ignores case and diacritics.
  std::string text;
  // limit (20) / offset (0): per kind (articles and stories page separately).
  std::int64_t limit = 20;
  std::int64_t offset = 0;
};

// Markers around matched terms in SearchHit::snippet.
inline constexpr char kMatchBegin = '\x02';
inline constexpr char kMatchEnd = '\x03';

// One search result.
struct SearchHit {
  std::string id;  // article or story id
  std::string title;
  // A passage around the best match, matched terms between kMatchBegin and
  // kMatchEnd, cut ends marked with "…".
  std::string snippet;
  double score = 0;       // -bm25: higher is more relevant
  std::string story;      // the article's story (articles only)
  std::string source;     // articles only
  std::string published;  // articles only
  std::string lang;       // articles only
  std::int64_t size = 0;  // stories only: articles
  // Articles only: the matching articles of this hit's duplicate group (it
  // and its copies, listed once), 1 for an article without copies.
  std::int64_t copies = 1;
};

struct SearchResults {
  std::vector<SearchHit> stories;
  std::vector<SearchHit> articles;
  // Hits beyond the page: stories, and articles with copies counted once.
  // A search ranks the newest 2,000 matches of each kind; when more match,
  // the total counts the hits among those and is not exact (a lower bound).
  std::int64_t total_stories = 0;
  std::int64_t total_articles = 0;
  bool total_stories_exact = true;
  bool total_articles_exact = true;
};

// A value and how many articles have it (facet counts).
struct ValueCount {
  std::string value;
  std::int64_t count = 0;
};

class Store {
 public:
  // Schema version this build writes (see migrations in store.cc).
  static constexpr int kSchemaVersion = 9;

  // Opens or creates the database at `path` (":memory:" for a private
  // in-memory store) and migrates it to kSchemaVersion. Errors: kStore with
  // SQLite's message naming the file; kUnsupported when the file was written
  // by a newer storyline.
  static Result<std::unique_ptr<Store>> Open(const std::string& path,
                                             const StoreOptions& options = {});

  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Runs fn(0) ... fn(n - 1) in any order, possibly on several threads at
  // once, and returns once all have run. The store gives a caller's threads
  // the part of a write that needs no database: compressing the texts.
  using ParallelFor =
      std::function<void(std::size_t n, const std::function<void(std::size_t)>& fn)>;

  // Inserts or updates `articles` in one transaction; the outcome of each, in
  // order. On error nothing of the batch is written. `parallel` (may be
  // empty: this thread) compresses their texts.
  Result<std::vector<PutOutcome>> PutArticles(std::span<const Article> articles,
                                              const ParallelFor& parallel = {});

  // The article with `id`, or nullopt.
  Result<std::optional<StoredArticle>> GetArticle(const std::string& id);

  // The key and revision of the article with `id`, or nullopt: what a writer
  // needs of an article it has just put, without reading its text back.
  struct ArticleKey {
    std::int64_t key = 0;
    std::int64_t revision = 0;
  };
  Result<std::optional<ArticleKey>> GetArticleKey(const std::string& id);

  // Calls `fn` for every article in key order; stops at the first error `fn`
  // returns and returns it.
  Status ForEachArticle(const std::function<Status(const StoredArticle&)>& fn);

  Result<std::int64_t> CountArticles();

  // Runs PRAGMA integrity_check; "ok" when the file is sound.
  Result<std::string> IntegrityCheck();

  // Write scope spanning several calls: everything between BeginWrite() and
  // Commit() is one transaction; Rollback() (or destroying the store)
  // discards it. Calls are not nestable.
  Status BeginWrite();
  Status Commit();
  void Rollback();

  // Sets the title of articles (id, title): the headline cleaning found for
  // an article whose input gave none or only a guess. The content hash is
  // left as computed from the input, so re-reading the same input leaves the
  // article unchanged.
  Status SetTitles(std::span<const std::pair<std::string, std::string>> titles);

  // Replaces the analysis columns of the articles named by `analyses[i].id`.
  // kNotFound when an id is not stored. A body that the article's text and
  // line roles give again is not stored twice: readers derive it.
  Status PutAnalyses(std::span<const ArticleAnalysis> analyses);

  // Inserts or replaces duplicate pairs (keyed by a, b).
  Status PutDuplicates(std::span<const DuplicateRecord> pairs);
  // Removes every pair that involves `id` (before re-analysing it).
  Status DeleteDuplicatesOf(const std::string& id);
  // Every pair, oriented by OrientDuplicate(), in the order of the stored
  // (a, b).
  Status ForEachDuplicate(const std::function<Status(const DuplicateRecord&)>& fn);
  // Pairs that involve `id`, oriented by OrientDuplicate().
  Result<std::vector<DuplicateRecord>> DuplicatesOf(const std::string& id);

  // Sets the dup_group and copy_of of articles: (id, group, copy_of).
  Status SetDupGroups(std::span<const std::array<std::string, 3>> rows);

  // Inserts or replaces stories / storylines; deletes them.
  Status PutStories(std::span<const StoryRecord> stories);
  Status DeleteStory(const std::string& id);
  Status PutStorylines(std::span<const StorylineRecord> storylines);
  // Moves every article of story `from` to story `into` (a merge).
  Status RelabelStory(const std::string& from, const std::string& into,
                      const std::string& into_storyline);
  // Moves every article and story of storyline `from` to `into`.
  Status RelabelStoryline(const std::string& from, const std::string& into);

  Result<std::optional<StoryRecord>> GetStory(const std::string& id);
  Result<std::vector<StoryRecord>> ListStories(const StoryQuery& query);
  Result<std::optional<StorylineRecord>> GetStoryline(const std::string& id);
  // Storylines, the one with the latest story first, with their dates.
  Result<std::vector<StorylineRecord>> ListStorylines(std::int64_t limit, std::int64_t offset);
  Result<std::int64_t> CountStorylines();
  // How many articles of a story (or, with `storyline` true, of every story
  // of a storyline) were published in each bucket of time, counted in SQL
  // over the story's articles: the cost is that of reading its articles'
  // rows once, twice (span, then counts).
  Result<ArticleVolume> ArticleVolumeOf(const std::string& id, bool storyline);
  // The latest publication time of any article (the stream's clock, from
  // the published_ts index), or nullopt for a store without dated articles.
  Result<std::optional<std::int64_t>> LatestPublished();
  // The articles of a story, by publication time then key.
  Result<std::vector<StoredArticle>> ArticlesOfStory(const std::string& story);
  // A story's articles without their texts, for listing them: text, html,
  // lines and sketch left empty, analysis.body cut to its first `lead_chars`
  // characters; by publication time then key (newest first when
  // `newest_first`), at most `limit`. The cost follows `limit`, not the
  // story's size.
  Result<std::vector<StoredArticle>> ArticleHeadsOfStory(const std::string& story,
                                                         std::int64_t limit,
                                                         bool newest_first = false,
                                                         std::int64_t lead_chars = 0);
  // How many articles a story has (an index count).
  Result<std::int64_t> CountArticlesOfStory(const std::string& story);
  Result<std::int64_t> CountStories();
  // The record of storyline `id` as its stories make it: their count, and
  // the title of the first of them in ListStories' "largest" order (""
  // when it has none). Reads no digest: the digests stage calls it for
  // every storyline a batch touches.
  Result<StorylineRecord> StorylineOfStories(const std::string& id);

  // Calls `fn(key, id, sketch)` for every analysed article with a sketch and
  // a key >= `from_key`, in key order (start-up of the duplicate index).
  Status ForEachSketch(
      const std::function<Status(std::int64_t, std::string_view, std::string_view)>& fn,
      std::int64_t from_key = 0);
  // The smallest key of an article published at or after `time` (Unix
  // seconds), or nullopt when there is none; read from the publication-time
  // index, so it costs the articles after `time`, not the store.
  Result<std::optional<std::int64_t>> FirstKeyPublishedSince(std::int64_t time);

  // Named opaque state of the pipeline's stages (models, indexes).
  Status PutState(const std::string& name, std::string_view value);
  // A state value as the store keeps it (compressed when that pays), made
  // by EncodeState on any thread (a state of many megabytes compresses off
  // the writer's thread) and written by PutEncodedState as PutState would.
  struct EncodedState {
    std::string bytes;
    bool compressed = false;
  };
  static EncodedState EncodeState(std::string_view value);
  Status PutEncodedState(const std::string& name, const EncodedState& value);
  Result<std::optional<std::string>> GetState(const std::string& name);
  // Every state whose name starts with `prefix`, as (name, value) in name
  // order, read at once (a state saved in parts is read consistently).
  Result<std::vector<std::pair<std::string, std::string>>> GetStates(std::string_view prefix);
  // Removes every state whose name starts with `prefix`.
  Status DeleteStates(std::string_view prefix);

  // Installs a check that SQLite calls while statements run (every few
  // thousand steps, about a millisecond apart); when it returns true, the
  // running statement stops and its call fails with kCancelled (a write
  // then leaves the store as it was). An empty function removes it.
  void SetInterruptCheck(std::function<bool()> check);

  // The schema version of the open database.
  Result<int> SchemaVersion();

  // SQLite's PRAGMA data_version: changes when another connection (of this
  // or another process) has committed since this connection last looked,
  // never for this connection's own commits. Read inside BeginWrite() it
  // tells a writer whether its in-memory models are still those of the
  // committed state.
  Result<std::int64_t> DataVersion();

  // Content hash used to decide kUnchanged vs kUpdated (XXH3 over the fields
  // that come from the input).
  static std::uint64_t ContentHash(const Article& article);

  // --- Search and listing (schema version 3: FTS5 indexes kept by triggers).

  // Stories matching `filter`, in its order and page. kInvalidArgument for an
  // unknown order or a negative limit/offset.
  Result<std::vector<StoryRecord>> FindStories(const StoryFilter& filter);
  // How many stories match `filter` (limit and offset ignored), counting no
  // further than `cap`: a filtered count visits every candidate story, so
  // callers bound its cost.
  Result<std::int64_t> CountStoriesMatching(const StoryFilter& filter,
                                            std::int64_t cap = INT64_MAX);
  // True when the filter's text matches more articles or stories than a
  // text filter looks at (the newest 2,000 of each), so that more stories
  // may match than FindStories and CountStoriesMatching see.
  Result<bool> TextFilterTruncated(const StoryFilter& filter);
  // Full-text search: stories and articles ranked by relevance, with snippets.
  // An empty query (no words) gives empty results.
  Result<SearchResults> Search(const SearchQuery& query);
  // The languages of each story's articles, most frequent first:
  // story id -> [lang, ...] for the given ids (ids without articles absent).
  Result<std::vector<std::pair<std::string, std::vector<std::string>>>> LanguagesOfStories(
      std::span<const std::string> story_ids);
  // Article counts by language and by source, most frequent first (for filters).
  Result<std::vector<ValueCount>> CountArticlesByLanguage();
  Result<std::vector<ValueCount>> CountArticlesBySource(std::int64_t limit);

 private:
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl);
  // Deletes a storyline record (RelabelStoryline, once it is emptied).
  Status DeleteStoryline(const std::string& id);
  std::unique_ptr<Impl> impl_;
};

}  // namespace storyline::store

#endif  // STORYLINE_STORE_STORE_H_
