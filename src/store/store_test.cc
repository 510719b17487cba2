#include "storyline/store/store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <array>
#include <filesystem>
#include <map>
#include <set>

#include "store/body_text.h"
#include "store/fts_rank.h"
#include "store/fts_tokenizer.h"
#include "storyline/core/date.h"
#include "storyline/store/digest_json.h"

namespace storyline::store {
namespace {

Article MakeArticle(const std::string& id, const std::string& text) {
  Article a;
  a.id = id;
  a.title = "Title of " + id;
  a.text = text;
  a.url = "https://example.org/" + id;
  a.source = "example.org";
  a.published = "2022-01-08T10:00:00Z";
  a.lang = "fr";
  a.origin = "test.jsonl:1";
  return a;
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        std::filesystem::temp_directory_path() / ("storyline_store_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "s.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<Store> OpenStore() {
    Result<std::unique_ptr<Store>> s = Store::Open(path_);
    EXPECT_TRUE(s) << s.error().message;
    return std::move(*s);
  }
  void RawExec(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    sqlite3_close(db);
  }

  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(StoreTest, RoundTripsEveryField) {
  auto store = OpenStore();
  Article a = MakeArticle("a1", "L’Ukraine\n\n« citation » — fin.\n");
  a.html = "<p>x</p>";
  a.published_inferred = true;
  ASSERT_TRUE(store->PutArticles({&a, 1}));
  Result<std::optional<StoredArticle>> got = store->GetArticle("a1");
  ASSERT_TRUE(got && got->has_value());
  const Article& b = (*got)->article;
  EXPECT_EQ(b.id, a.id);
  EXPECT_EQ(b.title, a.title);
  EXPECT_EQ(b.text, a.text);
  EXPECT_EQ(b.html, a.html);
  EXPECT_EQ(b.url, a.url);
  EXPECT_EQ(b.source, a.source);
  EXPECT_EQ(b.published, a.published);
  EXPECT_TRUE(b.published_inferred);
  EXPECT_EQ(b.lang, a.lang);
  EXPECT_EQ(b.origin, a.origin);
  EXPECT_EQ((*got)->revision, 1);
  EXPECT_FALSE(store->GetArticle("nope")->has_value());
}

TEST_F(StoreTest, IngestIsIdempotentAndUpdatesChangedContent) {
  auto store = OpenStore();
  std::vector<Article> batch = {MakeArticle("a", "one"), MakeArticle("b", "two")};
  EXPECT_EQ(*store->PutArticles(batch),
            (std::vector<PutOutcome>{PutOutcome::kInserted, PutOutcome::kInserted}));
  EXPECT_EQ(*store->PutArticles(batch),
            (std::vector<PutOutcome>{PutOutcome::kUnchanged, PutOutcome::kUnchanged}));
  batch[1].text = "two, corrected";
  EXPECT_EQ(*store->PutArticles(batch),
            (std::vector<PutOutcome>{PutOutcome::kUnchanged, PutOutcome::kUpdated}));
  EXPECT_EQ((*store->GetArticle("b"))->revision, 2);
  EXPECT_EQ((*store->GetArticle("b"))->article.text, "two, corrected");
  EXPECT_EQ(*store->CountArticles(), 2);
}

TEST_F(StoreTest, FailedBatchWritesNothing) {
  OpenStore();
  RawExec(
      "CREATE TRIGGER refuse BEFORE INSERT ON articles WHEN NEW.id = 'boom' "
      "BEGIN SELECT RAISE(ABORT, 'refused'); END;");
  auto store = OpenStore();
  std::vector<Article> batch = {MakeArticle("ok1", "x"), MakeArticle("boom", "y"),
                                MakeArticle("ok2", "z")};
  Result<std::vector<PutOutcome>> put = store->PutArticles(batch);
  ASSERT_FALSE(put);
  EXPECT_NE(put.error().message.find("boom"), std::string::npos) << put.error().message;
  EXPECT_EQ(*store->CountArticles(), 0);
  // The store stays usable after the rollback.
  ASSERT_TRUE(store->PutArticles({&batch[0], 1}));
  EXPECT_EQ(*store->CountArticles(), 1);
}

TEST_F(StoreTest, PersistsAcrossReopenAndChecksIntegrity) {
  {
    auto store = OpenStore();
    std::vector<Article> batch;
    for (int i = 0; i < 100; ++i) batch.push_back(MakeArticle("id" + std::to_string(i), "t"));
    ASSERT_TRUE(store->PutArticles(batch));
  }
  auto store = OpenStore();
  EXPECT_EQ(*store->CountArticles(), 100);
  EXPECT_EQ(*store->IntegrityCheck(), "ok");
  EXPECT_EQ(*store->SchemaVersion(), Store::kSchemaVersion);
  std::int64_t last_key = 0;
  int seen = 0;
  ASSERT_TRUE(store->ForEachArticle([&](const StoredArticle& a) -> Status {
    EXPECT_GT(a.key, last_key);
    last_key = a.key;
    ++seen;
    return Ok();
  }));
  EXPECT_EQ(seen, 100);
}

TEST_F(StoreTest, RefusesNewerSchemaAndReadOnlyWrites) {
  OpenStore();
  {
    Result<std::unique_ptr<Store>> ro = Store::Open(path_, StoreOptions{.read_only = true});
    ASSERT_TRUE(ro);
    Article a = MakeArticle("x", "y");
    EXPECT_FALSE((*ro)->PutArticles({&a, 1}));
  }
  RawExec("PRAGMA user_version = 99");
  Result<std::unique_ptr<Store>> s = Store::Open(path_);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kUnsupported);
}

TEST_F(StoreTest, AnalysisStoriesDuplicatesAndStateRoundTrip) {
  auto store = OpenStore();
  std::vector<Article> batch = {MakeArticle("a", "one"), MakeArticle("b", "two"),
                                MakeArticle("c", "three")};
  batch[2].published.clear();
  ASSERT_TRUE(store->PutArticles(batch));
  ASSERT_TRUE(store->BeginWrite());
  std::vector<ArticleAnalysis> an(3);
  for (int i = 0; i < 3; ++i) {
    an[i].id = batch[i].id;
    an[i].revision = 1;
    an[i].lang = "fr";
    an[i].body = "body " + batch[i].id;
    an[i].lines = {{1, "body", ""}, {2, "boilerplate", "call to action"}};
    an[i].sketch = std::string("\0\1\2", 3);
    an[i].story = i < 2 ? "s1" : "s2";
    an[i].storyline = "l1";
  }
  an[2].published = "2022-01-09";
  an[2].published_inferred = true;
  ASSERT_TRUE(store->PutAnalyses(an));
  const std::vector<DuplicateRecord> dups = {
      {"b", "a", "partial", 0.34, 0.7, {"x y z", "a \"quoted\" passage"}, false, {}},
      // Evidence given as ranges of c's body, and one range past its end.
      {"c", "b", "near", 0.9, 0.95, {}, false, {{0, 4}, {5, 6}, {5, 60}}}};
  ASSERT_TRUE(store->PutDuplicates(dups));
  const std::vector<StoryRecord> stories = {
      {"s1", "l1", "First", 2, 100, 200, {}},
      {"s2", "l1", "Second", 1, std::nullopt, std::nullopt, {}}};
  ASSERT_TRUE(store->PutStories(stories));
  const std::vector<StorylineRecord> lines = {{"l1", "Line", 2}};
  ASSERT_TRUE(store->PutStorylines(lines));
  ASSERT_TRUE(store->PutState("chrome", std::string("\xff\x00bytes", 7)));
  ASSERT_TRUE(store->Commit());

  auto c = *store->GetArticle("c");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->analysis.revision, 1);
  EXPECT_EQ(c->analysis.body, "body c");
  EXPECT_EQ(c->analysis.sketch.size(), 3u);
  EXPECT_EQ(c->article.published, "2022-01-09");
  EXPECT_TRUE(c->article.published_inferred);
  EXPECT_EQ((*store->ArticlesOfStory("s1")).size(), 2u);
  EXPECT_EQ((*store->DuplicatesOf("a")).size(), 1u);
  EXPECT_EQ((*store->DuplicatesOf("a"))[0].containment, 0.7);
  EXPECT_EQ((*store->DuplicatesOf("a"))[0].evidence,
            (std::vector<std::string>{"x y z", "a \"quoted\" passage"}));
  ASSERT_EQ((*store->DuplicatesOf("c")).size(), 1u);
  EXPECT_EQ((*store->DuplicatesOf("c"))[0].evidence, (std::vector<std::string>{"body", "c"}));
  EXPECT_TRUE((*store->DuplicatesOf("c"))[0].evidence_spans.empty());
  // The line roles come back as written, and LinesOf pairs them with the
  // text's lines.
  ASSERT_EQ(c->analysis.lines.size(), 2u);
  EXPECT_EQ(c->analysis.lines[1].role, "boilerplate");
  EXPECT_EQ(c->analysis.lines[1].reason, "call to action");
  EXPECT_EQ(*store->GetState("chrome"), std::string("\xff\x00bytes", 7));
  EXPECT_FALSE((*store->GetState("nothing")).has_value());
  std::vector<StoryRecord> listed = *store->ListStories({});
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].id, "s1");  // dated stories first, newest first
  EXPECT_EQ(store->ListStories({.order = StoryOrder::kLargest})->front().id, "s1");
  // A storyline as its stories make it: their count, the largest one's title.
  Result<StorylineRecord> of_stories = store->StorylineOfStories("l1");
  ASSERT_TRUE(of_stories) << of_stories.error().message;
  EXPECT_EQ(of_stories->size, 2);
  EXPECT_EQ(of_stories->title, "First");
  EXPECT_EQ(store->StorylineOfStories("l-none")->size, 0);
  EXPECT_EQ(store->StorylineOfStories("l-none")->title, "");
  // "rising" needs FindStories' window: refused here, not listed as recent.
  Result<std::vector<StoryRecord>> rising = store->ListStories({.order = StoryOrder::kRising});
  ASSERT_FALSE(rising);
  EXPECT_EQ(rising.error().code, ErrorCode::kInvalidArgument);

  ASSERT_TRUE(store->RelabelStory("s2", "s1", "l1"));
  EXPECT_EQ((*store->ArticlesOfStory("s1")).size(), 3u);
  EXPECT_FALSE((*store->GetStory("s2")).has_value());

  // An analysis for an unknown article is refused, and a rolled-back write
  // scope leaves nothing behind.
  ASSERT_TRUE(store->BeginWrite());
  ASSERT_TRUE(store->PutState("chrome", "changed"));
  ArticleAnalysis ghost;
  ghost.id = "ghost";
  EXPECT_EQ(store->PutAnalyses({&ghost, 1}).error().code, ErrorCode::kNotFound);
  store->Rollback();
  EXPECT_EQ(*store->GetState("chrome"), std::string("\xff\x00bytes", 7));
}

// Writes articles (id, story, published) with stories s1.. and their sizes,
// as the pipeline would: PutArticles, then analyses naming the story.
void PutStoryArticles(Store& store, const std::vector<std::array<std::string, 3>>& rows) {
  std::vector<Article> batch;
  std::vector<ArticleAnalysis> an;
  std::map<std::string, std::int64_t> sizes;
  for (const auto& [id, story, published] : rows) {
    batch.push_back(MakeArticle(id, "text of " + id));
    ArticleAnalysis a;
    a.id = id;
    a.revision = 1;
    a.published = published;
    a.story = story;
    a.storyline = "l-" + story.substr(0, 1);
    an.push_back(a);
    ++sizes[story];
  }
  ASSERT_TRUE(store.PutArticles(batch));
  ASSERT_TRUE(store.PutAnalyses(an));
  std::vector<StoryRecord> stories;
  for (const auto& [id, size] : sizes) {
    stories.push_back({id, "l-" + id.substr(0, 1), "Story " + id, size, 0, 0, {}});
  }
  ASSERT_TRUE(store.PutStories(stories));
}

struct BucketRow {
  std::int64_t span;
  std::int64_t want;
  const char* why;
};

// States saved in parts are read and removed by name prefix, in name
// order, and nothing outside the prefix is touched.
TEST_F(StoreTest, StatesByPrefix) {
  auto store = OpenStore();
  for (const char* name : {"m", "m/02", "m/01", "m0", "ma", "l/01", "m/\xff"}) {
    ASSERT_TRUE(store->PutState(name, std::string("v ") + name));
  }
  Result<std::vector<std::pair<std::string, std::string>>> parts = store->GetStates("m/");
  ASSERT_TRUE(parts) << parts.error().message;
  std::vector<std::string> names;
  for (const auto& [name, value] : *parts) {
    names.push_back(name);
    EXPECT_EQ(value, "v " + name);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"m/01", "m/02", "m/\xff"}));
  EXPECT_EQ(store->GetStates("m")->size(), 6U);
  EXPECT_EQ(store->GetStates("")->size(), 7U);
  ASSERT_TRUE(store->DeleteStates("m/"));
  EXPECT_TRUE(store->GetStates("m/")->empty());
  EXPECT_EQ(store->GetStates("")->size(), 4U);
  EXPECT_TRUE(store->GetState("m")->has_value());
  EXPECT_TRUE(store->GetState("m0")->has_value());
}

TEST(VolumeBucketTest, HoursUnderTwoDaysThenDaysThenWiderDays) {
  const BucketRow rows[] = {
      {0, 3600, "one moment: hours"},
      {2 * 86400 - 1, 3600, "just under two days: 48 hourly buckets"},
      {2 * 86400, 86400, "two days: daily"},
      {300 * 86400, 86400, "300 days fit in the bucket cap"},
      {398 * 86400, 86400, "398 days + 2 partial = 400 buckets"},
      {399 * 86400, 2 * 86400, "beyond the cap: two-day buckets"},
      {3650 * 86400, 10 * 86400, "ten years: ten-day buckets"},
  };
  for (const BucketRow& r : rows) {
    const std::int64_t b = VolumeBucketSeconds(r.span);
    EXPECT_EQ(b, r.want) << r.why;
    EXPECT_LE(r.span / b + 2, kMaxVolumeBuckets + 1) << r.why;
  }
}

// A story's article heads come in publication order (undated last), either
// way, cut to the limit, without their texts.
TEST_F(StoreTest, ArticleHeadsOfStoryAreOrderedAndLimited) {
  auto store = OpenStore();
  PutStoryArticles(*store, {{"late", "s1", "2022-01-08T13:00:00Z"},
                            {"undated", "s1", ""},
                            {"early", "s1", "2022-01-08T10:05:00Z"},
                            {"middle", "s1", "2022-01-08T11:00:00Z"},
                            {"other", "s2", "2022-01-08T12:00:00Z"}});
  auto ids = [&](std::int64_t limit, bool newest_first) {
    Result<std::vector<StoredArticle>> r = store->ArticleHeadsOfStory("s1", limit, newest_first);
    EXPECT_TRUE(r) << r.error().message;
    std::vector<std::string> out;
    if (r) {
      for (const StoredArticle& a : *r) {
        EXPECT_TRUE(a.article.text.empty());
        EXPECT_EQ(a.analysis.story, "s1");
        out.push_back(a.article.id);
      }
    }
    return out;
  };
  using Ids = std::vector<std::string>;
  EXPECT_EQ(ids(10, false), (Ids{"early", "middle", "late", "undated"}));
  EXPECT_EQ(ids(10, true), (Ids{"late", "middle", "early", "undated"}));
  EXPECT_EQ(ids(2, true), (Ids{"late", "middle"}));
  EXPECT_EQ(*store->CountArticlesOfStory("s1"), 4);
  EXPECT_EQ(*store->CountArticlesOfStory("none"), 0);
}

TEST_F(StoreTest, ArticleVolumeCountsPerHourOrDayWithEmptyBuckets) {
  auto store = OpenStore();
  PutStoryArticles(*store, {{"h1", "s1", "2022-01-08T10:05:00Z"},
                            {"h2", "s1", "2022-01-08T10:55:00Z"},
                            {"h3", "s1", "2022-01-08T13:00:00Z"},
                            {"h4", "s1", ""},
                            {"d1", "s2", "2022-01-01T09:00:00Z"},
                            {"d2", "s2", "2022-01-04T23:00:00Z"},
                            {"d3", "s2", "2022-01-04T01:00:00Z"}});
  Result<ArticleVolume> hours = store->ArticleVolumeOf("s1", false);
  ASSERT_TRUE(hours) << hours.error().message;
  EXPECT_EQ(hours->bucket_seconds, 3600);
  EXPECT_EQ(hours->undated, 1);
  ASSERT_EQ(hours->buckets.size(), 4u);  // 10h, 11h, 12h (empty), 13h
  EXPECT_EQ(hours->buckets[0].start, *ParseIso8601("2022-01-08T10:00:00Z"));
  const std::int64_t want_hours[] = {2, 0, 0, 1};
  for (int i = 0; i < 4; ++i) EXPECT_EQ(hours->buckets[i].count, want_hours[i]) << i;

  Result<ArticleVolume> days = store->ArticleVolumeOf("s2", false);
  ASSERT_TRUE(days);
  EXPECT_EQ(days->bucket_seconds, 86400);
  ASSERT_EQ(days->buckets.size(), 4u);  // 1, 2, 3, 4 January
  const std::int64_t want_days[] = {1, 0, 0, 2};
  for (int i = 0; i < 4; ++i) EXPECT_EQ(days->buckets[i].count, want_days[i]) << i;

  // A storyline's volume spans all of its stories (both are in l-s).
  Result<ArticleVolume> line = store->ArticleVolumeOf("l-s", true);
  ASSERT_TRUE(line);
  std::int64_t total = 0;
  for (const TimeCount& c : line->buckets) total += c.count;
  EXPECT_EQ(total, 6);
  EXPECT_EQ(line->undated, 1);

  Result<ArticleVolume> none = store->ArticleVolumeOf("no-such-story", false);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->bucket_seconds, 0);
  EXPECT_TRUE(none->buckets.empty());
}

TEST_F(StoreTest, RisingOrdersByArticlesGainedInTheWindow) {
  auto store = OpenStore();
  // s1: large, one article in the window; s2: small, two of its three in
  // the window; s3: nothing in the window.
  PutStoryArticles(*store, {{"a1", "s1", "2022-01-01T00:00:00Z"},
                            {"a2", "s1", "2022-01-01T01:00:00Z"},
                            {"a3", "s1", "2022-01-02T01:00:00Z"},
                            {"a4", "s1", "2022-01-10T08:00:00Z"},
                            {"b1", "s2", "2022-01-05T00:00:00Z"},
                            {"b2", "s2", "2022-01-10T02:00:00Z"},
                            {"b3", "s2", "2022-01-10T09:00:00Z"},
                            {"c1", "s3", "2022-01-03T00:00:00Z"}});
  Result<std::optional<std::int64_t>> latest = store->LatestPublished();
  ASSERT_TRUE(latest && *latest);
  EXPECT_EQ(**latest, *ParseIso8601("2022-01-10T09:00:00Z"));
  StoryFilter f;
  f.order = StoryOrder::kRising;
  f.rising_since = **latest - 86400;
  Result<std::vector<StoryRecord>> rising = store->FindStories(f);
  ASSERT_TRUE(rising) << rising.error().message;
  ASSERT_EQ(rising->size(), 2u);
  EXPECT_EQ((*rising)[0].id, "s2");
  EXPECT_EQ((*rising)[0].gained, 2);
  EXPECT_EQ((*rising)[1].id, "s1");
  EXPECT_EQ((*rising)[1].gained, 1);
  EXPECT_EQ(*store->CountStoriesMatching(f), 2);
  f.rising_since.reset();
  EXPECT_EQ(store->FindStories(f).error().code, ErrorCode::kInvalidArgument);
}

TEST_F(StoreTest, StorylinesCarryTheirStoriesSpan) {
  auto store = OpenStore();
  const std::vector<StoryRecord> stories = {{"s1", "l1", "First", 2, 100, 200, {}},
                                            {"s2", "l1", "Second", 1, 50, 150, {}},
                                            {"s3", "l2", "Third", 1, 300, 400, {}}};
  ASSERT_TRUE(store->PutStories(stories));
  const std::vector<StorylineRecord> lines = {{"l1", "Line one", 2}, {"l2", "Line two", 1}};
  ASSERT_TRUE(store->PutStorylines(lines));
  std::vector<StorylineRecord> listed = *store->ListStorylines(10, 0);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].id, "l2");  // latest story first
  EXPECT_EQ(listed[1].first_published, 50);
  EXPECT_EQ(listed[1].last_published, 200);
  EXPECT_EQ((*store->GetStoryline("l1"))->first_published, 50);
  EXPECT_EQ(*store->CountStorylines(), 2);
}

// Every page of the storyline list equals the same slice of the whole
// order: latest story first, then more stories, then id; storylines without
// a dated story last, largest first.
TEST_F(StoreTest, StorylinePagesFollowTheWholeOrder) {
  auto store = OpenStore();
  std::vector<StoryRecord> stories = {{"a1", "la", "", 1, 10, 500, {}},
                                      {"a2", "la", "", 1, 10, 100, {}},
                                      {"b1", "lb", "", 1, 10, 500, {}},
                                      {"c1", "lc", "", 1, 10, 300, {}},
                                      {"d1", "ld", "", 1, 10, 300, {}},
                                      {"e1", "le", "", 1, 10, 900, {}},
                                      {"f1", "lf", "", 1, std::nullopt, std::nullopt, {}}};
  ASSERT_TRUE(store->PutStories(stories));
  const std::vector<StorylineRecord> lines = {{"la", "", 2}, {"lb", "", 1}, {"lc", "", 1},
                                              {"ld", "", 3}, {"le", "", 1}, {"lf", "", 1},
                                              {"lg", "", 5}};
  ASSERT_TRUE(store->PutStorylines(lines));
  const std::vector<std::string> want = {"le", "la", "lb", "ld", "lc", "lg", "lf"};
  for (std::int64_t limit = 1; limit <= 8; ++limit) {
    for (std::int64_t offset = 0; offset <= 7; ++offset) {
      Result<std::vector<StorylineRecord>> page = store->ListStorylines(limit, offset);
      ASSERT_TRUE(page) << page.error().message;
      std::vector<std::string> got;
      for (const StorylineRecord& r : *page) got.push_back(r.id);
      const auto from = want.begin() + std::min<std::int64_t>(offset, 7);
      const auto to = want.begin() + std::min<std::int64_t>(offset + limit, 7);
      EXPECT_EQ(got, std::vector<std::string>(from, to)) << "limit " << limit << " offset " << offset;
    }
  }
  EXPECT_FALSE(store->ListStorylines(-1, 0));
}

struct OrientRow {
  const char* a;
  const char* b;
  const char* copy_of_a;
  const char* copy_of_b;
  const char* want_a;
  bool copy_link;
  const char* why;
};

TEST(OrientDuplicateTest, DirectionFollowsTheArticlesCopyOf) {
  const OrientRow rows[] = {
      {"x", "y", "y", "", "x", true, "a copies b: kept"},
      {"x", "y", "", "x", "y", true, "b copies a: swapped"},
      {"x", "y", "", "z", "y", false, "the original is never the copy"},
      {"x", "y", "z", "", "x", false, "a copies a third, b is the original"},
      {"x", "y", "z", "z", "x", false, "both copy a third: stored order"},
      {"x", "y", "", "", "x", false, "nothing known: stored order"},
      {"x", "y", "y", "x", "x", true, "each copies the other: stored order"},
  };
  for (const OrientRow& row : rows) {
    DuplicateRecord d;
    d.a = row.a;
    d.b = row.b;
    OrientDuplicate(&d, row.copy_of_a, row.copy_of_b);
    EXPECT_EQ(d.a, row.want_a) << row.why;
    EXPECT_EQ(d.b, d.a == row.a ? row.b : row.a) << row.why;
    EXPECT_EQ(d.copy_link, row.copy_link) << row.why;
  }
}

// Regression: the pipeline stores a pair as found (the later-added article
// first), which on ECB+ pointed 41 of 124 story copies the other way
// from the articles' copy_of; reads now orient it by copy_of.
TEST_F(StoreTest, DuplicatesAreReadInTheDirectionOfCopyOf) {
  auto store = OpenStore();
  std::vector<Article> batch = {MakeArticle("orig", "one"), MakeArticle("copy", "two")};
  ASSERT_TRUE(store->PutArticles(batch));
  ASSERT_TRUE(store->BeginWrite());
  // Found when "orig" was added after "copy" (an undated copy came first).
  std::vector<DuplicateRecord> dups(1);
  dups[0].a = "orig";
  dups[0].b = "copy";
  dups[0].relation = "near";
  ASSERT_TRUE(store->PutDuplicates(dups));
  const std::vector<std::array<std::string, 3>> groups = {{"orig", "orig", ""},
                                                          {"copy", "orig", "orig"}};
  ASSERT_TRUE(store->SetDupGroups(groups));
  ASSERT_TRUE(store->Commit());
  for (const std::string id : {"orig", "copy"}) {
    Result<std::vector<DuplicateRecord>> of = store->DuplicatesOf(id);
    ASSERT_TRUE(of);
    ASSERT_EQ(of->size(), 1u);
    EXPECT_EQ((*of)[0].a, "copy") << id;
    EXPECT_EQ((*of)[0].b, "orig") << id;
    EXPECT_TRUE((*of)[0].copy_link) << id;
  }
  std::vector<DuplicateRecord> all;
  ASSERT_TRUE(store->ForEachDuplicate([&](const DuplicateRecord& d) -> Status {
    all.push_back(d);
    return Ok();
  }));
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].a, "copy");
  EXPECT_EQ(all[0].b, "orig");
}

TEST(StoreMemoryTest, InMemoryStoreWorks) {
  Result<std::unique_ptr<Store>> s = Store::Open(":memory:");
  ASSERT_TRUE(s);
  Article a = MakeArticle("m", "text");
  ASSERT_TRUE((*s)->PutArticles({&a, 1}));
  EXPECT_EQ(*(*s)->CountArticles(), 1);
}

}  // namespace
}  // namespace storyline::store

namespace storyline::store {
namespace {

TEST_F(StoreTest, DataVersionMovesOnlyForOtherConnectionsCommits) {
  std::unique_ptr<Store> a = OpenStore();
  std::unique_ptr<Store> b = OpenStore();
  const std::int64_t v0 = *a->DataVersion();
  ASSERT_TRUE(a->PutArticles(std::vector<Article>{MakeArticle("own", "Own write.")}));
  EXPECT_EQ(*a->DataVersion(), v0) << "a connection's own commit";
  ASSERT_TRUE(b->PutArticles(std::vector<Article>{MakeArticle("other", "Other write.")}));
  EXPECT_NE(*a->DataVersion(), v0) << "another connection's commit";
}

TEST_F(StoreTest, SecondWriterGetsBusyAfterItsTimeout) {
  std::unique_ptr<Store> a = OpenStore();
  Result<std::unique_ptr<Store>> b = Store::Open(path_, {.busy_timeout_ms = 50});
  ASSERT_TRUE(b);
  ASSERT_TRUE(a->BeginWrite());
  Status s = (*b)->BeginWrite();
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kBusy);
  EXPECT_NE(s.error().message.find("another process is writing"), std::string::npos);
  a->Rollback();
  EXPECT_TRUE((*b)->BeginWrite());
  (*b)->Rollback();
}

TEST_F(StoreTest, InterruptCheckStopsStatementsWithCancelled) {
  std::unique_ptr<Store> s = OpenStore();
  std::vector<Article> batch;
  for (int i = 0; i < 5000; ++i) batch.push_back(MakeArticle("a" + std::to_string(i), "Words."));
  ASSERT_TRUE(s->PutArticles(batch));
  int checks = 0;
  s->SetInterruptCheck([&checks] { return ++checks >= 2; });
  std::int64_t seen = 0;
  Status walk = s->ForEachArticle([&seen](const StoredArticle&) {
    ++seen;
    return Ok();
  });
  ASSERT_FALSE(walk);
  EXPECT_EQ(walk.error().code, ErrorCode::kCancelled);
  EXPECT_LT(seen, 5000);
  s->SetInterruptCheck(nullptr);
  EXPECT_EQ(*s->IntegrityCheck(), "ok");
  EXPECT_EQ(*s->CountArticles(), 5000);
}

TEST_F(StoreTest, SearchSnippetsComeFromTheStartOfLongArticles) {
  std::unique_ptr<Store> s = OpenStore();
  std::string text = "Opening words here.";
  for (int i = 0; i < 5000; ++i) text += " filler";
  text += " needle at the far end.";
  Article far = MakeArticle("far", text);
  Article near = MakeArticle("near", "The needle is near the start of this one.");
  ASSERT_TRUE(s->PutArticles(std::vector<Article>{far, near}));
  std::vector<ArticleAnalysis> an(2);
  an[0].id = "far";
  an[0].revision = 1;
  an[0].body = text;
  an[1].id = "near";
  an[1].revision = 1;
  an[1].body = near.text;
  ASSERT_TRUE(s->PutAnalyses(an));
  Result<SearchResults> r = s->Search({.text = "needle"});
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->articles.size(), 2u);
  for (const SearchHit& h : r->articles) {
    if (h.id == "near") {
      EXPECT_NE(h.snippet.find(std::string(1, kMatchBegin) + "needle"), std::string::npos);
    } else {
      // The match lies beyond the characters snippets are cut from: the
      // start of the body stands in.
      EXPECT_EQ(h.snippet.rfind("Opening words here.", 0), 0u) << h.snippet;
    }
  }
}

// Stores articles whose analysed body is their text, with a duplicate
// group when one is given.
struct Analysed {
  std::string id;
  std::string body;
  std::string dup_group = {};
  std::string lang = {};
};

void PutAnalysed(Store& s, const std::vector<Analysed>& docs) {
  std::vector<Article> articles;
  std::vector<ArticleAnalysis> an;
  for (const Analysed& d : docs) {
    articles.push_back(MakeArticle(d.id, d.body));
    ArticleAnalysis a;
    a.id = d.id;
    a.revision = 1;
    a.body = d.body;
    a.dup_group = d.dup_group;
    a.lang = d.lang;
    an.push_back(a);
  }
  ASSERT_TRUE(s.PutArticles(articles));
  ASSERT_TRUE(s.PutAnalyses(an));
}

// The ids of the articles a search for `q` finds (its first page).
std::set<std::string> SearchIds(Store& s, const std::string& q) {
  Result<SearchResults> r = s.Search({.text = q});
  EXPECT_TRUE(r) << q << ": " << r.error().message;
  std::set<std::string> out;
  if (r) {
    for (const SearchHit& h : r->articles) out.insert(h.id);
  }
  return out;
}

// Search understands OR between terms and a leading minus, and any other
// text stays plain words (never an FTS5 syntax error).
TEST_F(StoreTest, SearchTakesOrAndExclusions) {
  std::unique_ptr<Store> s = OpenStore();
  PutAnalysed(*s, {{"ferry-strike", "Ferry crews strike over pay on Monday."},
                   {"ferry-deal", "Ferry crews accept a pay deal."},
                   {"bus-strike", "Bus drivers strike in the city."},
                   {"rail", "Rail works close the line for a week."}});
  auto ids = [&](const std::string& q) { return SearchIds(*s, q); };
  using Ids = std::set<std::string>;
  EXPECT_EQ(ids("ferry OR bus"), (Ids{"ferry-strike", "ferry-deal", "bus-strike"}));
  EXPECT_EQ(ids("ferry strike OR rail"), (Ids{"ferry-strike", "rail"}));
  EXPECT_EQ(ids("ferry -deal"), (Ids{"ferry-strike"}));
  EXPECT_EQ(ids("strike -\"bus drivers\""), (Ids{"ferry-strike"}));
  EXPECT_EQ(ids("strike OR -deal"), (Ids{"ferry-strike", "bus-strike"}));
  EXPECT_EQ(ids("-ferry"), Ids{}) << "only exclusions: nothing to look for";
  EXPECT_EQ(ids("ferry or bus"), Ids{}) << "lower-case or is a word";
  EXPECT_EQ(ids("OR ferry OR"), (Ids{"ferry-strike", "ferry-deal"})) << "a dangling OR is dropped";
  EXPECT_EQ(ids("pay-deal"), (Ids{"ferry-deal"})) << "a hyphen inside a word is no exclusion";
  EXPECT_EQ(ids("NOT NEAR AND"), Ids{}) << "FTS5 keywords are plain words";
}

// The copies of one wire story are one search hit, counted once.
TEST_F(StoreTest, SearchListsCopiesOfOneStoryAsOneHit) {
  std::unique_ptr<Store> s = OpenStore();
  const std::string wire = "Ferry crews strike over pay on Monday, the union said.";
  PutAnalysed(*s, {{"original", wire, "original"},
                   {"copy-1", wire, "original"},
                   {"copy-2", wire + " More to follow.", "original"},
                   {"other", "A ferry timetable for the summer."}});
  Result<SearchResults> r = s->Search({.text = "ferry"});
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->articles.size(), 2u);
  EXPECT_EQ(r->total_articles, 2);
  for (const SearchHit& h : r->articles) {
    EXPECT_EQ(h.copies, h.id == "other" ? 1 : 3) << h.id;
  }
}

// Search matches the word forms of the article's language (Snowball
// stems), keeps the exact words, and never lets one language's stem of a
// query word match another language's articles.
TEST_F(StoreTest, SearchMatchesWordFormsInTheArticlesLanguage) {
  std::unique_ptr<Store> s = OpenStore();
  PutAnalysed(*s, {{"en", "Two ferries crossed the strait at dawn.", "", "en"},
                   {"fr", "Les négociations reprennent à Genève.", "", "fr"},
                   {"de", "Der Hafen und die Stadt warten.", "", "de"},
                   {"sl", "Trajekti so prepeljali potnike.", "", "sl"},
                   {"plain", "Ferry timetables, language unknown.", "", ""}});
  auto ids = [&](const std::string& q) { return SearchIds(*s, q); };
  using Ids = std::set<std::string>;
  EXPECT_EQ(ids("ferry"), (Ids{"en", "plain"})) << "plural in English, the exact word elsewhere";
  EXPECT_EQ(ids("ferries"), (Ids{"en"}));
  EXPECT_EQ(ids("crossing"), (Ids{"en"}));
  EXPECT_EQ(ids("\"ferry crosses\""), (Ids{"en"})) << "phrases match word forms too";
  EXPECT_EQ(ids("négocier"), (Ids{"fr"}));
  EXPECT_EQ(ids("negociation"), (Ids{"fr"})) << "accents are optional";
  EXPECT_EQ(ids("ferr*"), (Ids{"en", "plain"}));
  EXPECT_EQ(ids("cross*"), (Ids{"en"})) << "a prefix meets inflected words";
  EXPECT_EQ(ids("und"), (Ids{"de"}));
  EXPECT_EQ(ids("under"), Ids{}) << "German stems 'under' to its stopword 'und'";
  EXPECT_EQ(ids("trajekti"), (Ids{"sl"})) << "a language without a stemmer: exact words";
  EXPECT_EQ(ids("trajekt"), Ids{});
  EXPECT_EQ(ids("timetable"), Ids{}) << "no stems for an article of unknown language";

  // A story's digest is stemmed in its "lang".
  ASSERT_TRUE(s->PutStories(std::vector<StoryRecord>{
      {"story-en", "", "Crossings", 1, 0, 0,
       Digest{.lang = "en", .summary = {"Both ferries crossed at dawn."}}},
      {"story-plain", "", "Crossings", 1, 0, 0, Digest{.summary = {"Both ferries crossed."}}}}));
  Result<SearchResults> r = s->Search({.text = "ferry"});
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->stories.size(), 1u);
  EXPECT_EQ(r->stories[0].id, "story-en");
  EXPECT_NE(r->stories[0].snippet.find(std::string(1, kMatchBegin) + "ferries"),
            std::string::npos)
      << r->stories[0].snippet;
  EXPECT_EQ(r->stories[0].snippet.find('\x01'), std::string::npos);
  for (const SearchHit& h : r->articles) {
    if (h.id != "en") continue;
    EXPECT_NE(h.snippet.find(std::string(1, kMatchBegin) + "ferries"), std::string::npos)
        << h.snippet;
    EXPECT_EQ(h.snippet.find('\x01'), std::string::npos) << "no language marker in snippets";
  }
}

// A search ranks the newest 2,000 matches; when more match, the totals say
// they are a lower bound, and the oldest matches are not among the hits.
TEST_F(StoreTest, SearchRanksTheNewestMatchesWithALowerBoundTotal) {
  std::unique_ptr<Store> s = OpenStore();
  std::vector<Analysed> docs;
  for (int i = 0; i < 2100; ++i) {
    docs.push_back({"a" + std::to_string(10000 + i), "Ferry news number " + std::to_string(i)});
  }
  PutAnalysed(*s, docs);
  Result<SearchResults> all = s->Search({.text = "ferry", .limit = 100, .offset = 0});
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_EQ(all->total_articles, 2000);
  EXPECT_FALSE(all->total_articles_exact);
  for (const SearchHit& h : all->articles) EXPECT_GE(h.id, "a10100") << "an old match ranked";
  Result<SearchResults> few = s->Search({.text = "\"number 7\""});
  ASSERT_TRUE(few) << few.error().message;
  EXPECT_EQ(few->total_articles, 1);
  EXPECT_TRUE(few->total_articles_exact);
  Result<SearchResults> past = s->Search({.text = "ferry", .limit = 10, .offset = 5000});
  ASSERT_TRUE(past) << past.error().message;
  EXPECT_TRUE(past->articles.empty());
  EXPECT_EQ(past->total_articles, 2000) << "a page past the end still has the totals";
  EXPECT_FALSE(past->total_articles_exact);
  auto truncated = [&](const std::string& text) {
    StoryFilter f;
    f.text = text;
    Result<bool> r = s->TextFilterTruncated(f);
    EXPECT_TRUE(r) << r.error().message;
    return r && *r;
  };
  EXPECT_TRUE(truncated("ferry"));
  EXPECT_FALSE(truncated("\"number 7\""));
  EXPECT_FALSE(truncated(""));
}

// With exact document counts storyline_rank is FTS5's bm25() (negated),
// row for row; Search ranks a title match above a body match.
TEST_F(StoreTest, RankIsBm25GivenTheDocumentCounts) {
  std::unique_ptr<Store> s = OpenStore();
  PutAnalysed(*s, {{"a", "Ferry crews strike over pay. The ferry stays in port.", "", "en"},
                   {"b", "A long report on harbour works, with a ferry mentioned once near "
                         "the end of a long paragraph about cranes and quays and tides.",
                    "", "en"},
                   {"c", "Strike at the port: ferries cancelled, strike to go on.", "", "en"},
                   {"d", "Nothing to see here.", "", "en"}});
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_TRUE(RegisterStemmingTokenizer(db));
  ASSERT_TRUE(RegisterRankFunction(db));
  ASSERT_TRUE(RegisterBodyFunction(db));
  const std::pair<const char*, const char*> queries[] = {
      {"\"ferry\"", "3"}, {"\"ferry\" OR \"strike\"", "3, 2"}, {"\"strike\"", "2"}};
  for (const auto& [match, counts] : queries) {
    const std::string sql = std::string("SELECT rowid, -bm25(articles_fts, 4.0, 1.0), ") +
                            "storyline_rank(articles_fts, 4.0, 1.0, " + counts +
                            ") FROM articles_fts WHERE articles_fts MATCH ?1";
    sqlite3_stmt* st = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
    int rows = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
      ++rows;
      EXPECT_NEAR(sqlite3_column_double(st, 1), sqlite3_column_double(st, 2), 1e-9)
          << match << " row " << sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    EXPECT_GT(rows, 0) << match;
  }
  sqlite3_close(db);

  PutAnalysed(*s, {{"Ferry news", "Port works go on.", "", "en"}});
  Result<SearchResults> r = s->Search({.text = "ferry"});
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_FALSE(r->articles.empty());
  EXPECT_EQ(r->articles.front().id, "Ferry news") << "the title match ranks first";
  for (std::size_t i = 1; i < r->articles.size(); ++i) {
    EXPECT_GE(r->articles[i - 1].score, r->articles[i].score);
  }
}

// Every line of the text once (a final newline opens none, a '\r' before
// it is dropped), with the role its analysis gave it, "" where it gave none.
TEST(LinesOfTest, PairsTheTextsLinesWithTheirRoles) {
  StoredArticle a;
  a.article.text = "Title\r\n\nBody line\n";
  a.analysis.lines = {{1, "title", "first line"}, {3, "body", ""}, {9, "body", "no such line"}};
  const std::vector<ArticleLine> lines = LinesOf(a);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].text, "Title");
  EXPECT_EQ(lines[0].role, "title");
  EXPECT_EQ(lines[0].reason, "first line");
  EXPECT_EQ(lines[1].text, "");
  EXPECT_EQ(lines[1].role, "");
  EXPECT_EQ(lines[2].n, 3);
  EXPECT_EQ(lines[2].role, "body");
}

TEST(StoryOrderTest, NamesRoundTripAndUnknownNamesAreRefused) {
  for (StoryOrder o : {StoryOrder::kRecent, StoryOrder::kLargest, StoryOrder::kRising}) {
    EXPECT_EQ(ParseStoryOrder(StoryOrderName(o)), o);
  }
  EXPECT_FALSE(ParseStoryOrder("Largest").has_value());
  EXPECT_FALSE(ParseStoryOrder("").has_value());
}

TEST(DigestJsonTest, RoundTripsEveryField) {
  Digest d;
  d.title = "Talks in Geneva";
  d.lang = "fr";
  d.summary = {"First sentence.", "Second sentence."};
  d.entities = {{"Vladimir Poutine", "person", 4}, {"Genève", "location", 2}};
  d.timeline = {{"2022-01-10", true, "Talks opened.", "a", {"a", "b"}, {"x.fr"}}};
  d.quotes = {{"Wendy Sherman", "We were firm.", "b"}};
  d.sources = {{"x.fr", {"a"}, 1641800000, false}, {"y.fr", {"b"}, std::nullopt, true}};
  d.first_source = "x.fr";
  d.copies = {{"b", "a"}};
  d.wire = Digest::Wire{"Reuters", 2, {"x.fr", "y.fr"}, 1};
  d.first_published_inferred = true;
  const nlohmann::json j = DigestJson(d);
  EXPECT_EQ(j["sources"][0]["first_published"], "2022-01-10T07:33:20Z");
  EXPECT_TRUE(j["sources"][1]["first_published"].is_null());
  EXPECT_EQ(DigestJson(DigestFromJson(j)), j);
  EXPECT_EQ(DigestJson(DigestFromJson(nlohmann::json::parse(j.dump()))).dump(), j.dump());

  // Empty text and no wire are written as null.
  const nlohmann::json empty = DigestJson(Digest{});
  EXPECT_TRUE(empty["lang"].is_null());
  EXPECT_TRUE(empty["first_source"].is_null());
  EXPECT_TRUE(empty["wire"].is_null());
  EXPECT_EQ(empty["summary"], nlohmann::json::array());
}

TEST(DigestJsonTest, ReadsDigestsOfEarlierStoresLeniently) {
  // Sources as bare strings, entities without mentions, a mistyped title.
  const Digest d = DigestFromJson(nlohmann::json::parse(
      R"({"title": 7, "summary": ["One.", 3], "sources": ["x.fr", {"source": "y.fr"}],
          "entities": [{"name": "Genève", "type": "location"}], "wire": "none"})"));
  EXPECT_EQ(d.title, "");
  EXPECT_EQ(d.summary, std::vector<std::string>{"One."});
  ASSERT_EQ(d.sources.size(), 2u);
  EXPECT_EQ(d.sources[0].source, "x.fr");
  EXPECT_EQ(d.sources[1].source, "y.fr");
  ASSERT_EQ(d.entities.size(), 1u);
  EXPECT_EQ(d.entities[0].mentions, 0);
  EXPECT_FALSE(d.wire.has_value());
  EXPECT_TRUE(DigestFromJson(nlohmann::json()).summary.empty());
  EXPECT_TRUE(DigestFromJson(nlohmann::json::array({1, 2})).sources.empty());
}

// A body the text's line roles give again is stored as NULL and derived on
// reading; one they do not give is stored. Either way readers, search and
// the full-text index see the same body, also after the text changes.
TEST_F(StoreTest, BodyDerivedFromLineRolesIsNotStoredTwice) {
  std::unique_ptr<Store> s = OpenStore();
  const std::string text =
      "Site menu\n  Ferry crews strike over pay.\t\r\nShare this\nThe port "
      "stays closed on Monday.\n";
  std::vector<Article> articles = {MakeArticle("derived", text), MakeArticle("kept", text)};
  ASSERT_TRUE(s->PutArticles(articles));
  const std::vector<LineRole> roles = {{1, "boilerplate", ""},
                                       {2, "body", ""},
                                       {3, "boilerplate", ""},
                                       {4, "heading", ""},
                                       {5, "blank", ""}};
  const std::string body = "Ferry crews strike over pay.\nThe port stays closed on Monday.";
  ArticleAnalysis derived;
  derived.id = "derived";
  derived.revision = 1;
  derived.lang = "en";
  derived.body = body;
  derived.lines = roles;
  ArticleAnalysis kept = derived;
  kept.id = "kept";
  kept.body = "A body the roles do not give: ferry.";
  ASSERT_TRUE(s->PutAnalyses(std::vector<ArticleAnalysis>{derived, kept}));
  EXPECT_EQ(DerivedBody(text, roles), body);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  auto stored_null = [&](const char* id) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(
        sqlite3_prepare_v2(db, "SELECT body IS NULL FROM articles WHERE id = ?1", -1, &st, nullptr),
        SQLITE_OK);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    EXPECT_EQ(sqlite3_step(st), SQLITE_ROW);
    const bool null = sqlite3_column_int(st, 0) != 0;
    sqlite3_finalize(st);
    return null;
  };
  EXPECT_TRUE(stored_null("derived"));
  EXPECT_FALSE(stored_null("kept"));
  auto read_body = [&](const std::string& id) {
    Result<std::optional<StoredArticle>> a = s->GetArticle(id);
    EXPECT_TRUE(a && *a);
    return a && *a ? (*a)->analysis.body : std::string();
  };
  EXPECT_EQ(read_body("derived"), body);
  EXPECT_EQ(read_body("kept"), kept.body);
  EXPECT_EQ(SearchIds(*s, "Monday"), (std::set<std::string>{"derived"}));
  EXPECT_EQ(SearchIds(*s, "ferry"), (std::set<std::string>{"derived", "kept"}));
  // New text under the old analysis: the derived body is kept as it was
  // until the article is analysed again.
  articles[0].text = "Other menu\nNothing about boats.\n";
  ASSERT_TRUE(s->PutArticles(std::vector<Article>{articles[0]}));
  EXPECT_EQ(read_body("derived"), body);
  EXPECT_EQ(SearchIds(*s, "Monday"), (std::set<std::string>{"derived"}));
  derived.revision = 2;
  derived.body = "Nothing about boats.";
  derived.lines = {{1, "boilerplate", ""}, {2, "body", ""}, {3, "blank", ""}};
  ASSERT_TRUE(s->PutAnalyses(std::vector<ArticleAnalysis>{derived}));
  EXPECT_TRUE(stored_null("derived"));
  EXPECT_EQ(read_body("derived"), derived.body);
  EXPECT_EQ(SearchIds(*s, "Monday"), std::set<std::string>{});
  EXPECT_EQ(SearchIds(*s, "boats"), (std::set<std::string>{"derived"}));
  // The index the triggers kept is the one its content gives.
  ASSERT_TRUE(RegisterStemmingTokenizer(db));
  ASSERT_TRUE(RegisterBodyFunction(db));
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(db,
                         "INSERT INTO articles_fts(articles_fts, rank) "
                         "VALUES('integrity-check', 1)",
                         nullptr, nullptr, &err),
            SQLITE_OK)
      << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(db);
}

// A repetitive text long enough to compress, with one line per sentence.
std::string LongText(const std::string& word, int lines) {
  std::string text;
  for (int i = 0; i < lines; ++i) {
    text += "The " + word + " talks went on for day " + std::to_string(i) + " in Geneva.\n";
  }
  return text;
}

TEST_F(StoreTest, TextAndHtmlAreCompressedWhereThatPays) {
  std::unique_ptr<Store> s = OpenStore();
  Article long_one = MakeArticle("long", LongText("ferry", 40));
  long_one.html = "<html><body>" + LongText("<p>ferry</p>", 40) + "</body></html>";
  Article short_one = MakeArticle("short", "A ferry strike.\n");
  ASSERT_TRUE(s->PutArticles(std::vector<Article>{long_one, short_one}));
  // Readers get the text back, whatever its stored form.
  for (const Article* a : {&long_one, &short_one}) {
    Result<std::optional<StoredArticle>> got = s->GetArticle(a->id);
    ASSERT_TRUE(got && *got) << a->id;
    EXPECT_EQ((*got)->article.text, a->text);
    EXPECT_EQ((*got)->article.html, a->html);
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_TRUE(RegisterBodyFunction(db));
  auto one = [&](const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sql;
    std::string out;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != nullptr) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    return out;
  };
  EXPECT_EQ(one("SELECT typeof(text) || ' ' || typeof(html) FROM articles WHERE id = 'long'"),
            "blob blob");
  EXPECT_LT(std::stoul(one("SELECT length(text) FROM articles WHERE id = 'long'")),
            long_one.text.size() / 2);
  EXPECT_EQ(one("SELECT typeof(text) || ' ' || typeof(html) FROM articles WHERE id = 'short'"),
            "text null");
  EXPECT_EQ(one("SELECT storyline_text(text) FROM articles WHERE id = 'long'"), long_one.text);
  EXPECT_EQ(one("SELECT storyline_text(text) FROM articles WHERE id = 'short'"), short_one.text);
  // Put again unchanged, the article is left as it was; changed, its new
  // text is compressed too.
  Result<std::vector<PutOutcome>> again = s->PutArticles(std::vector<Article>{long_one});
  ASSERT_TRUE(again);
  EXPECT_EQ((*again)[0], PutOutcome::kUnchanged);
  Article changed = long_one;
  changed.id = "changed";
  ASSERT_TRUE(s->PutArticles(std::vector<Article>{changed}));
  changed.text = LongText("harbour", 40);
  again = s->PutArticles(std::vector<Article>{changed});
  ASSERT_TRUE(again);
  EXPECT_EQ((*again)[0], PutOutcome::kUpdated);
  EXPECT_EQ(one("SELECT typeof(text) FROM articles WHERE id = 'changed'"), "blob");
  EXPECT_EQ(one("SELECT storyline_text(text) FROM articles WHERE id = 'changed'"), changed.text);
  EXPECT_EQ((*s->GetArticle("changed"))->article.text, changed.text);
  // The body derived from compressed text reaches the search index.
  ArticleAnalysis an;
  an.id = "long";
  an.revision = 1;
  an.lang = "en";
  an.body = long_one.text.substr(0, long_one.text.size() - 1);
  for (int i = 1; i <= 40; ++i) an.lines.push_back({i, "body", ""});
  ASSERT_TRUE(s->PutAnalyses(std::vector<ArticleAnalysis>{an}));
  EXPECT_EQ(one("SELECT body IS NULL FROM articles WHERE id = 'long'"), "1");
  EXPECT_EQ(SearchIds(*s, "Geneva"), (std::set<std::string>{"long"}));
  Result<std::optional<StoredArticle>> got = s->GetArticle("long");
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->analysis.body, an.body);
  // A damaged frame is an error naming the article, not a wrong text (the
  // search index's trigger, which would refuse it, is dropped first).
  ASSERT_EQ(sqlite3_exec(db,
                         "DROP TRIGGER articles_fts_au; "
                         "UPDATE articles SET text = x'28b52ffd0000' WHERE id = 'long'",
                         nullptr, nullptr, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_close(db);
  got = s->GetArticle("long");
  ASSERT_FALSE(got);
  EXPECT_NE(got.error().message.find("article 'long', text"), std::string::npos)
      << got.error().message;
}

TEST_F(StoreTest, StateIsCompressedAndReadsAsPut) {
  std::unique_ptr<Store> s = OpenStore();
  const std::string big = LongText("state", 200);
  ASSERT_TRUE(s->PutState("big", big));
  ASSERT_TRUE(s->PutState("small", "v"));
  EXPECT_EQ(*s->GetState("big"), big);
  EXPECT_EQ(*s->GetState("small"), "v");
  Result<std::vector<std::pair<std::string, std::string>>> all = s->GetStates("");
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2U);
  EXPECT_EQ((*all)[0].second, big);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT encoding, length(value) FROM state WHERE name = 'big'",
                               -1, &st, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(st, 0), 1);
  EXPECT_LT(static_cast<std::size_t>(sqlite3_column_int(st, 1)), big.size() / 4);
  sqlite3_finalize(st);
  // A value whose encoding this build does not know is refused by name.
  ASSERT_EQ(sqlite3_exec(db, "UPDATE state SET encoding = 7 WHERE name = 'small'", nullptr, nullptr,
                         nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  Result<std::optional<std::string>> bad = s->GetState("small");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("'small'"), std::string::npos) << bad.error().message;
}

TEST_F(StoreTest, SketchesAreReadFromAKeyAndKeysFoundByPublicationTime) {
  std::unique_ptr<Store> s = OpenStore();
  std::vector<Article> articles = {MakeArticle("a", "x"), MakeArticle("b", "y"),
                                   MakeArticle("c", "z"), MakeArticle("undated", "w")};
  articles[0].published = "2024-01-01T00:00:00Z";
  articles[1].published = "2024-03-01T00:00:00Z";
  articles[2].published = "2024-02-01T00:00:00Z";
  articles[3].published = "";
  ASSERT_TRUE(s->PutArticles(articles));
  std::vector<ArticleAnalysis> ans;
  for (const Article& a : articles) {
    ArticleAnalysis an;
    an.id = a.id;
    an.revision = 1;
    an.published = a.published;
    an.sketch = "sketch of " + a.id;
    ans.push_back(an);
  }
  ASSERT_TRUE(s->PutAnalyses(ans));
  auto key = [&](const char* id) { return (*s->GetArticleKey(id))->key; };
  EXPECT_EQ((*s->GetArticleKey("a"))->revision, 1);
  EXPECT_FALSE(s->GetArticleKey("none")->has_value());
  // Published on 1 February or later: b and c; keys follow the order of
  // storing, so b's is the smaller.
  Result<std::optional<std::int64_t>> since = s->FirstKeyPublishedSince(1706745600);
  ASSERT_TRUE(since && *since);
  EXPECT_EQ(**since, key("b"));
  EXPECT_FALSE(s->FirstKeyPublishedSince(1800000000)->has_value());
  std::vector<std::string> read;
  ASSERT_TRUE(s->ForEachSketch(
      [&](std::int64_t, std::string_view id, std::string_view sketch) -> Status {
        EXPECT_EQ(sketch, "sketch of " + std::string(id));
        read.emplace_back(id);
        return Ok();
      },
      key("b")));
  EXPECT_EQ(read, (std::vector<std::string>{"b", "c", "undated"}));
}

}  // namespace
}  // namespace storyline::store
