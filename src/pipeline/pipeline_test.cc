#include "storyline/pipeline/pipeline.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <numeric>
#include <random>
#include <sstream>

#include "pipeline/stages.h"
#include "pipeline/test_seeds.h"
#include "pipeline/thread_pool.h"
#include "storyline/dedup/sketch.h"
#include "storyline/store/digest_json.h"

namespace storyline::pipeline {
namespace {

namespace fs = std::filesystem;

Article Make(const std::string& id, const std::string& text, const std::string& published) {
  Article a;
  a.id = id;
  a.title = text.substr(0, text.find('\n'));
  a.text = text;
  a.published = published;
  a.lang = "en";
  return a;
}

// One report used by the tests below, its copies differing only in title.
const std::string kQuayReport =
    "The harbour authority of Portmere said on Tuesday that the northern quay will close for "
    "six weeks of repairs after storm damage, moving ferry departures to the southern pier "
    "while divers inspect the foundations and engineers replace the damaged mooring posts.";

// A store file in the temporary folder, removed (with its WAL files) before
// and after the test.
struct TempDb {
  explicit TempDb(const std::string& name)
      : path(fs::temp_directory_path() / (name + "_" + std::to_string(::getpid()) + ".db")) {
    Remove();
  }
  ~TempDb() { Remove(); }
  void Remove() const {
    fs::remove(path);
    fs::remove(path.string() + "-wal");
    fs::remove(path.string() + "-shm");
  }
  fs::path path;
};

TEST(PipelineTest, SeedsGiveOnePartialPairAndOneStoryline) {
  std::vector<Article> seeds = ReadSeeds();
  if (seeds.size() != 5) GTEST_SKIP() << "seeds not found";
  Result<std::unique_ptr<Pipeline>> p = Pipeline::Open({.db_path = ":memory:"});
  ASSERT_TRUE(p) << p.error().message;
  Result<BatchReport> r = (*p)->IngestBatch(seeds);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->inserted, 5);
  store::Store& st = (*p)->store();
  std::vector<store::DuplicateRecord> pairs;
  ASSERT_TRUE(st.ForEachDuplicate([&](const store::DuplicateRecord& d) -> Status {
    pairs.push_back(d);
    return Ok();
  }));
  ASSERT_EQ(pairs.size(), 1u);
  std::set<std::string> ids = {pairs[0].a, pairs[0].b};
  EXPECT_TRUE(ids.count("000_a3f1629fa6950c37") && ids.count("001_4e33e988acec6516"));
  EXPECT_TRUE(pairs[0].relation == "partial" || pairs[0].relation == "near") << pairs[0].relation;
  EXPECT_FALSE(pairs[0].evidence.empty());
  // Every seed is analysed: French, a body, line roles, a story.
  std::set<std::string> stories;
  ASSERT_TRUE(st.ForEachArticle([&](const store::StoredArticle& a) -> Status {
    EXPECT_EQ(a.analysis.lang, "fr") << a.article.id;
    EXPECT_GT(a.analysis.body.size(), 500u) << a.article.id;
    EXPECT_FALSE(a.analysis.lines.empty());
    EXPECT_FALSE(a.analysis.story.empty());
    stories.insert(a.analysis.story);
    return Ok();
  }));
  auto s0 = *st.GetArticle("000_a3f1629fa6950c37");
  auto s1 = *st.GetArticle("001_4e33e988acec6516");
  EXPECT_EQ(s0->analysis.story, s1->analysis.story) << "a copy joins its original's story";
  EXPECT_EQ(s0->analysis.dup_group, s1->analysis.dup_group);
  EXPECT_FALSE(s0->analysis.dup_group.empty());
}

// A copy joins its original's story even when the clusterer has frozen that
// story (the stream's clock moved on past the story window), whether the
// original came in the same batch or an earlier one, and it takes the
// story's storyline with it.
TEST(PipelineTest, ACopyJoinsItsOriginalsFrozenStoryWithItsStoryline) {
  const std::vector<std::string> later = {
      "Council votes on library hours\nThe town council of Aldbury voted on Monday to keep the "
      "central library open on Sunday afternoons, after a petition signed by more than two "
      "thousand residents asked for longer opening hours during the winter months.",
      "Orchard harvest ends early\nGrowers in the Vale of Linton finished the apple harvest "
      "two weeks early this year, saying a dry summer and a warm September ripened the fruit "
      "before the first frosts, and cider makers expect a strong vintage.",
      "Bridge repairs finished\nEngineers reopened the old stone bridge at Millford on "
      "Thursday after three months of repairs to its arches, ending a long detour for buses "
      "and delivery lorries between the market square and the railway station."};
  for (bool same_batch : {true, false}) {
    SCOPED_TRACE(same_batch ? "original in the same batch" : "original in an earlier batch");
    Result<std::unique_ptr<Pipeline>> p = Pipeline::Open({.db_path = ":memory:"});
    ASSERT_TRUE(p) << p.error().message;
    std::vector<Article> batch = {
        Make("orig", "Quay closes\n" + kQuayReport, "2024-02-06T09:00:00Z")};
    for (std::size_t i = 0; i < later.size(); ++i) {
      batch.push_back(Make("later" + std::to_string(i), later[i], "2024-03-20T09:00:00Z"));
    }
    if (!same_batch) {
      ASSERT_TRUE((*p)->IngestBatch(batch));
      batch.clear();
    }
    // Undated, so it comes after every dated article of its batch.
    batch.push_back(Make("copy", "Quay to shut for repairs\n" + kQuayReport, ""));
    ASSERT_TRUE((*p)->IngestBatch(batch));
    store::Store& st = (*p)->store();
    auto orig = *st.GetArticle("orig");
    auto copy = *st.GetArticle("copy");
    ASSERT_TRUE(orig && copy);
    EXPECT_EQ(copy->analysis.copy_of, "orig");
    EXPECT_EQ(copy->analysis.story, orig->analysis.story);
    EXPECT_FALSE(copy->analysis.storyline.empty());
    EXPECT_EQ(copy->analysis.storyline, orig->analysis.storyline);
  }
}

// Each stage takes its options from PipelineOptions: a clusterer option out
// of range fails Open with its name, and the digest's summary length is the
// one asked for.
TEST(PipelineTest, StagesTakeTheirOptionsFromPipelineOptions) {
  PipelineOptions bad{.db_path = ":memory:"};
  bad.cluster.storyline_threshold = 5;
  Result<std::unique_ptr<Pipeline>> refused = Pipeline::Open(bad);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(refused.error().message.find("storyline_threshold"), std::string::npos)
      << refused.error().message;

  std::vector<Article> seeds = ReadSeeds();
  if (seeds.size() != 5) GTEST_SKIP() << "seeds not found";
  for (std::size_t sentences : {std::size_t{1}, std::size_t{5}}) {
    PipelineOptions options{.db_path = ":memory:"};
    options.digest.min_summary_sentences = 1;
    options.digest.max_summary_sentences = sentences;
    Result<std::unique_ptr<Pipeline>> p = Pipeline::Open(options);
    ASSERT_TRUE(p) << p.error().message;
    ASSERT_TRUE((*p)->IngestBatch(seeds));
    auto original = *(*p)->store().GetArticle("000_a3f1629fa6950c37");
    ASSERT_TRUE(original);
    auto story = *(*p)->store().GetStory(original->analysis.story);
    ASSERT_TRUE(story);
    if (sentences == 1) {
      EXPECT_EQ(story->digest.summary.size(), 1u);
    } else {
      EXPECT_GT(story->digest.summary.size(), 1u);
    }
  }
}

TEST(PipelineTest, BatchesAreIdempotentAndStateSurvivesReopen) {
  const TempDb temp("storyline_pipeline");
  const fs::path& db = temp.path;
  {
    auto p = Pipeline::Open({.db_path = db.string()});
    ASSERT_TRUE(p) << p.error().message;
    std::vector<Article> batch = {
        Make("a1", "Quay closes\n" + kQuayReport, "2024-02-06T09:00:00Z")};
    ASSERT_TRUE((*p)->IngestBatch(batch));
    Result<BatchReport> again = (*p)->IngestBatch(batch);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->unchanged, 1);
  }
  auto p = Pipeline::Open({.db_path = db.string()});
  ASSERT_TRUE(p) << p.error().message;
  // A copy arriving after a restart is still found and joins the story.
  std::vector<Article> batch = {
      Make("a2", "Portmere quay to close\n" + kQuayReport, "2024-02-06T11:00:00Z")};
  Result<BatchReport> r = (*p)->IngestBatch(batch);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->duplicate_pairs, 1);
  auto a1 = *(*p)->store().GetArticle("a1");
  auto a2 = *(*p)->store().GetArticle("a2");
  EXPECT_EQ(a2->analysis.copy_of, "a1");
  EXPECT_EQ(a1->analysis.story, a2->analysis.story);
  // a2 is corrected into another report: it is no longer a copy of a1.
  batch = {Make("a2",
                "Portmere ferry fares\nFerry operators at Portmere announced on Wednesday "
                "that winter fares will rise by four per cent from March, citing fuel "
                "costs and the new crew agreement signed with the seafarers union.",
                "2024-02-07T11:00:00Z")};
  r = (*p)->IngestBatch(batch);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->updated, 1);
  EXPECT_EQ(r->duplicate_pairs, 0);
  Result<std::vector<store::DuplicateRecord>> left = (*p)->store().DuplicatesOf("a1");
  ASSERT_TRUE(left);
  EXPECT_TRUE(left->empty());
  EXPECT_EQ((*(*p)->store().GetArticle("a1"))->analysis.dup_group, "");
  EXPECT_EQ((*(*p)->store().GetArticle("a2"))->analysis.copy_of, "");
  p->reset();
}

TEST(PipelineTest, SketchesOfOtherOptionsAreRecomputedOnOpen) {
  const TempDb temp("storyline_resketch");
  const fs::path& db = temp.path;
  {
    auto p = Pipeline::Open({.db_path = db.string()});
    ASSERT_TRUE(p) << p.error().message;
    std::vector<Article> batch = {
        Make("a1", "Quay closes\n" + kQuayReport, "2024-02-06T09:00:00Z")};
    ASSERT_TRUE((*p)->IngestBatch(batch));
    // Replace the stored sketch by one made with other options, as an
    // older build would have written it.
    store::Store& st = (*p)->store();
    store::ArticleAnalysis an = (*st.GetArticle("a1"))->analysis;
    const dedup::Sketcher old_sketcher = *dedup::Sketcher::Create({.num_bands = 7});
    std::vector<std::uint64_t> hashes(40);
    std::iota(hashes.begin(), hashes.end(), 1);
    dedup::DocumentInput in;
    in.id = 1;
    in.shingles = hashes;
    an.sketch = old_sketcher.Serialize(*old_sketcher.Sketch(in));
    ASSERT_TRUE(st.BeginWrite());
    ASSERT_TRUE(st.PutAnalyses(std::span<const store::ArticleAnalysis>(&an, 1)));
    ASSERT_TRUE(st.Commit());
  }
  auto p = Pipeline::Open({.db_path = db.string()});
  ASSERT_TRUE(p) << p.error().message;
  const dedup::Sketcher sketcher = *dedup::Sketcher::Create({});
  EXPECT_TRUE(sketcher.Compatible((*(*p)->store().GetArticle("a1"))->analysis.sketch));
  // The recomputed sketch finds the copy that arrives next.
  std::vector<Article> batch = {
      Make("a2", "Portmere quay to close\n" + kQuayReport, "2024-02-06T11:00:00Z")};
  Result<BatchReport> r = (*p)->IngestBatch(batch);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->duplicate_pairs, 1);
  p->reset();
}

TEST(PipelineTest, DuplicateWindowBoundsHowFarBackCopiesAreSought) {
  for (int window : {0, 30}) {
    auto p = Pipeline::Open({.db_path = ":memory:", .duplicate_window_days = window});
    ASSERT_TRUE(p) << p.error().message;
    std::vector<Article> first = {
        Make("old", "Quay closes\n" + kQuayReport, "2024-01-02T09:00:00Z")};
    ASSERT_TRUE((*p)->IngestBatch(first));
    // Something else 40 days later moves the window on, then the copy comes.
    std::vector<Article> later = {
        Make("other",
             "Ferry fares\nFerry operators at Portmere announced that winter fares "
             "will rise by four per cent from March, citing fuel costs.",
             "2024-02-11T09:00:00Z"),
        Make("copy", "Portmere quay to close\n" + kQuayReport, "2024-02-11T10:00:00Z")};
    Result<BatchReport> r = (*p)->IngestBatch(later);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->duplicate_pairs, window == 0 ? 1 : 0) << "window " << window;
  }
  EXPECT_FALSE(Pipeline::Open({.db_path = ":memory:", .duplicate_window_days = -1}));
}

}  // namespace
}  // namespace storyline::pipeline

namespace storyline::pipeline {
namespace {

// Two pipelines on one store take turns, as two processes would: each
// batch continues from the other's commits (story ids, duplicate index),
// so copies are found across writers and no story id is given twice.
TEST(PipelineTest, ReopeningReadsOnlyTheSketchesOfTheDuplicateWindow) {
  const TempDb temp("storyline_window_reopen");
  const std::string db = temp.path.string();
  const std::string ferry =
      "Ferry fares\nFerry operators at Portmere announced that winter fares will rise by four "
      "per cent from March, citing fuel costs and the new harbour dues.";
  // An older build's sketch for every stored article: those the index
  // reads on opening are recomputed, the others stay as they are.
  const dedup::Sketcher old_sketcher = *dedup::Sketcher::Create({.num_bands = 7});
  const dedup::Sketcher sketcher = *dedup::Sketcher::Create({});
  {
    auto p = Pipeline::Open({.db_path = db, .duplicate_window_days = 30});
    ASSERT_TRUE(p) << p.error().message;
    std::vector<Article> first = {
        Make("old", "Quay closes\n" + kQuayReport, "2024-01-02T09:00:00Z")};
    ASSERT_TRUE((*p)->IngestBatch(first));
    std::vector<Article> later = {Make("recent", ferry, "2024-02-11T09:00:00Z")};
    ASSERT_TRUE((*p)->IngestBatch(later));
    store::Store& st = (*p)->store();
    std::vector<std::uint64_t> hashes(40);
    std::iota(hashes.begin(), hashes.end(), 1);
    dedup::DocumentInput in;
    in.id = 1;
    in.shingles = hashes;
    std::vector<store::ArticleAnalysis> ans;
    for (const char* id : {"old", "recent"}) {
      ans.push_back((*st.GetArticle(id))->analysis);
      ans.back().sketch = old_sketcher.Serialize(*old_sketcher.Sketch(in));
    }
    ASSERT_TRUE(st.BeginWrite());
    ASSERT_TRUE(st.PutAnalyses(ans));
    ASSERT_TRUE(st.Commit());
  }
  auto p = Pipeline::Open({.db_path = db, .duplicate_window_days = 30});
  ASSERT_TRUE(p) << p.error().message;
  auto sketch_of = [&](const char* id) { return (*(*p)->store().GetArticle(id))->analysis.sketch; };
  // 40 days before the newest article: outside the window, not read.
  EXPECT_FALSE(sketcher.Compatible(sketch_of("old")));
  EXPECT_TRUE(sketcher.Compatible(sketch_of("recent")));
  // The index holds what an uninterrupted run's would: a copy of the
  // recent article is found, one of the old article is not.
  std::vector<Article> copies = {
      Make("copy-old", "Portmere quay to close\n" + kQuayReport, "2024-02-11T10:00:00Z"),
      Make("copy-recent", "Fares up\n" + ferry.substr(ferry.find('\n') + 1),
           "2024-02-11T11:00:00Z")};
  Result<BatchReport> r = (*p)->IngestBatch(copies);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->duplicate_pairs, 1);
  EXPECT_EQ((*(*p)->store().GetArticle("copy-recent"))->analysis.copy_of, "recent");
  EXPECT_EQ((*(*p)->store().GetArticle("copy-old"))->analysis.copy_of, "");
  p->reset();
}

TEST(PipelineTest, TwoWritersContinueFromEachOthersCommits) {
  TempDb db("pipeline_two_writers");
  auto a = Pipeline::Open({.db_path = db.path.string()});
  auto b = Pipeline::Open({.db_path = db.path.string()});
  ASSERT_TRUE(a && b);
  std::vector<Article> first = {Make("q1", "Quay closes\n" + kQuayReport, "2022-01-04T08:00:00Z")};
  ASSERT_TRUE((*a)->IngestBatch(first));
  const std::string unrelated =
      "Orchestra season\nThe city orchestra announced a winter season of twelve concerts, opening "
      "with a "
      "programme of Sibelius symphonies and closing in March with a choral premiere written "
      "for the restored concert hall.";
  std::vector<Article> second = {
      Make("q2", "Portmere quay to close\n" + kQuayReport, "2022-01-04T09:00:00Z"),
      Make("o1", unrelated, "2022-01-04T09:30:00Z")};
  Result<BatchReport> rb = (*b)->IngestBatch(second);
  ASSERT_TRUE(rb) << rb.error().ToString();
  EXPECT_EQ((*b)->reloads(), 1);
  EXPECT_EQ(rb->duplicate_pairs, 1) << "b did not see a's article";
  std::vector<Article> third = {Make("o2", unrelated, "2022-01-04T10:00:00Z")};
  ASSERT_TRUE((*a)->IngestBatch(third));
  EXPECT_EQ((*a)->reloads(), 1);
  store::Store& s = (*a)->store();
  auto story = [&s](const std::string& id) { return (*s.GetArticle(id))->analysis.story; };
  EXPECT_EQ(story("q1"), story("q2"));
  EXPECT_EQ(story("o1"), story("o2"));
  EXPECT_NE(story("q1"), story("o1")) << "two writers gave one story id to different stories";
}

}  // namespace
}  // namespace storyline::pipeline

namespace storyline::pipeline {
namespace {

// Ingests `batch` into a fresh store and reads back each article's
// publication date, " inferred" appended where the pipeline inferred it.
void IngestAndReadDates(const std::vector<Article>& batch,
                        std::map<std::string, std::string>* published) {
  Result<std::unique_ptr<Pipeline>> p = Pipeline::Open({.db_path = ":memory:"});
  ASSERT_TRUE(p) << p.error().message;
  ASSERT_TRUE((*p)->IngestBatch(batch));
  for (const Article& in : batch) {
    Result<std::optional<store::StoredArticle>> a = (*p)->store().GetArticle(in.id);
    ASSERT_TRUE(a && a->has_value()) << in.id;
    (*published)[in.id] =
        (*a)->article.published + ((*a)->article.published_inferred ? " inferred" : "");
  }
}

// Regression (issue 16): an article's year-less dateline took a year voted
// over the whole batch (2012 from a corpus of 2012 texts for a 2022
// article). Its own full dates come first, then its source's, then its
// neighbours' in input order.
TEST(PipelineDatesTest, YearFromTheArticlesOwnContextNotTheBatch) {
  std::vector<Article> batch;
  auto add = [&](const std::string& id, const std::string& text, const std::string& source) {
    Article a = Make(id, text, "");
    a.lang = "fr";
    a.source = source;
    batch.push_back(std::move(a));
  };
  auto add_old = [&](int i) {
    add("old" + std::to_string(i),
        "Titre " + std::to_string(i) + "\n\nLe conseil municipal numéro " + std::to_string(i) +
            " a voté le budget le " + std::to_string(10 + i) + " mars 2012 après un long débat.",
        "");
  };
  for (int i = 0; i < 3; ++i) add_old(i);
  // Nothing of its own nor of its source: its neighbours (2012 texts) date it.
  add("neighbour", "Un débat animé\n\nROMA, 8 janvier (Agence) – Le débat a repris au conseil.",
      "");
  for (int i = 3; i < 6; ++i) add_old(i);
  // Its own full date (the vote of 3 December 2021) places "8 janvier".
  add("own",
      "Les pourparlers reprennent\n\nOSLO, 8 janvier (Agence) – Les délégations se retrouvent "
      "après l'échec du vote du 3 décembre 2021 à Genève.",
      "");
  // No year of its own: its source's other article (5 January 2022) does,
  // although its neighbours in the batch are from 2012.
  add("source",
      "Les discussions se poursuivent\n\nMADRID, 8 janvier (Agence) – Les ministres poursuivent "
      "leurs discussions.",
      "madrid.example");
  add("sibling",
      "Un accord en vue\n\nLes ministres ont annoncé le 5 janvier 2022 un accord de principe.",
      "madrid.example");

  std::map<std::string, std::string> published;
  ASSERT_NO_FATAL_FAILURE(IngestAndReadDates(batch, &published));
  EXPECT_EQ(published["old0"], "2012-03-10 inferred");
  EXPECT_EQ(published["own"], "2022-01-08 inferred");
  EXPECT_EQ(published["source"], "2022-01-08 inferred");
  EXPECT_EQ(published["sibling"], "2022-01-05 inferred");
  // Within five places: six 2012 texts and "own" (2022).
  EXPECT_EQ(published["neighbour"], "2012-01-08 inferred");
}

// Inputs given together are often unrelated (a folder of 2022 articles read
// after a 2025 feed): an article that writes no year takes it from its
// neighbours read from the same file or folder before any others.
TEST(PipelineDatesTest, YearFromNeighboursOfTheSameInputFirst) {
  std::vector<Article> batch;
  auto add = [&](const std::string& id, const std::string& text, const std::string& origin) {
    Article a = Make(id, text, "");
    a.lang = "fr";
    a.origin = origin;
    batch.push_back(std::move(a));
  };
  for (int i = 0; i < 4; ++i) {
    add("feed" + std::to_string(i),
        "Titre " + std::to_string(i) + "\n\nLe conseil a voté le budget le " +
            std::to_string(10 + i) + " mars 2025.",
        "feed.jsonl:" + std::to_string(i + 1));
  }
  add("first", "Un accord en vue\n\nLes ministres ont annoncé le 5 janvier 2022 un accord.",
      "dossier/a.txt");
  add("second", "Les pourparlers reprennent\n\nROMA, 8 janvier (Agence) – Les délégations.",
      "dossier/b.txt");
  // Further from its own folder's only dated article than from the feed's.
  add("third", "Un débat animé\n\nOSLO, 9 janvier (Agence) – Le débat a repris.", "dossier/c.txt");
  add("feed4", "Titre 4\n\nLe conseil a voté le budget le 14 mars 2025.", "feed.jsonl:5");
  add("feed5", "Titre 5\n\nLe conseil a voté le budget le 15 mars 2025.", "feed.jsonl:6");

  std::map<std::string, std::string> published;
  ASSERT_NO_FATAL_FAILURE(IngestAndReadDates(batch, &published));
  EXPECT_EQ(published["feed0"], "2025-03-10 inferred");
  EXPECT_EQ(published["second"], "2022-01-08 inferred");
  EXPECT_EQ(published["third"], "2022-01-09 inferred");
}

}  // namespace
}  // namespace storyline::pipeline

namespace storyline::pipeline {
namespace {

// A generated corpus with copies: reports on a dozen topics (each with its
// own invented vocabulary) from several sites over a month, some undated
// with a year-less dateline, and full and cut copies of a third of them on
// other sites, with site chrome, some of the copies undated (so they come
// after their originals' batch neighbours). Deterministic.
std::vector<Article> GeneratedCorpus() {
  std::mt19937 rng(20240607);
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  const std::vector<std::string> syllables = {"ka",  "lo",  "mi", "ren", "tu",  "sa", "vo",
                                              "bel", "dri", "po", "nak", "she", "gu", "ta"};
  auto word = [&] {
    std::string w;
    for (std::size_t n = 2 + pick(2); n > 0; --n) w += syllables[pick(syllables.size())];
    return w;
  };
  const std::vector<std::string> common = {"the", "said",      "on",    "and",  "of",   "in",
                                           "a",   "officials", "after", "with", "that", "was"};
  std::vector<Article> out;
  for (int topic = 0; topic < 12; ++topic) {
    std::vector<std::string> vocab;
    for (int i = 0; i < 40; ++i) vocab.push_back(word());
    for (int report = 0; report < 6; ++report) {
      std::string text;
      for (int para = 0; para < 4; ++para) {
        for (int i = 0; i < 28; ++i) {
          text += (i ? " " : "") + (pick(3) ? vocab[pick(vocab.size())] : common[pick(12)]);
        }
        text += ".\n";
      }
      const std::string day = std::to_string(10 + (topic * 2 + report) % 18);
      Article a = Make(
          "t" + std::to_string(topic) + "r" + std::to_string(report),
          "Report on " + vocab[report] + " " + vocab[report + 1] + "\n" + text,
          report % 4 == 3 ? "" : "2024-03-" + day + "T0" + std::to_string(report % 10) + ":00:00Z");
      if (a.published.empty()) a.text = "LONDON, March " + day + " (Wire) - " + a.text;
      a.source = "site" + std::to_string(pick(5)) + ".example";
      out.push_back(a);
      if (report % 3 != 0) continue;
      Article full = a;
      full.id += "-copy";
      full.source = "mirror" + std::to_string(pick(3)) + ".example";
      full.text = "Home | World | Sport\n" + a.text + "Share this article\nSubscribe today\n";
      if (topic % 2 == 1) full.published.clear();
      out.push_back(full);
      Article cut = a;
      cut.id += "-cut";
      cut.text = a.text.substr(0, a.text.size() * 6 / 10);
      cut.source = "mirror" + std::to_string(pick(3)) + ".example";
      out.push_back(cut);
    }
  }
  // Input order is not publication order.
  for (std::size_t i = out.size(); i > 1; --i) std::swap(out[i - 1], out[pick(i)]);
  return out;
}

// The first `n` articles of the ECB+ development corpus, when present.
std::vector<Article> EcbSlice(std::size_t n) {
  std::vector<Article> out;
  const char* shared = std::getenv("STORYLINE_SHARED");
  if (shared == nullptr) return out;
  std::ifstream in(fs::path(shared) / "data" / "ecbplus.jsonl");
  std::string line;
  while (out.size() < n && std::getline(in, line)) {
    const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_object()) continue;
    Article a;
    a.id = "ecb-" + j.value("id", std::string());
    a.title = j.value("title", std::string());
    a.text = j.value("text", std::string());
    a.lang = j.value("lang", std::string());
    out.push_back(std::move(a));
  }
  return out;
}

// Everything the analysis stages decide, as text per article, pair, story
// and storyline, in id order.
std::vector<std::string> Snapshot(store::Store& st) {
  std::vector<std::string> rows;
  EXPECT_TRUE(st.ForEachArticle([&](const store::StoredArticle& a) -> Status {
    const store::ArticleAnalysis& an = a.analysis;
    rows.push_back("article " + a.article.id + " title=" + a.article.title + " lang=" + an.lang +
                   " published=" + an.published + " dup_group=" + an.dup_group +
                   " copy_of=" + an.copy_of + " story=" + an.story + " storyline=" + an.storyline +
                   " body=" + std::to_string(std::hash<std::string>{}(an.body)) +
                   " sketch=" + std::to_string(std::hash<std::string>{}(an.sketch)));
    return Ok();
  }));
  EXPECT_TRUE(st.ForEachDuplicate([&](const store::DuplicateRecord& d) -> Status {
    std::string row = "pair " + d.a + " " + d.b + " " + d.relation;
    for (const std::string& e : d.evidence) row += " | " + e;
    rows.push_back(std::move(row));
    return Ok();
  }));
  Result<std::vector<store::StoryRecord>> stories =
      st.ListStories({.order = store::StoryOrder::kLargest, .limit = 1000000});
  EXPECT_TRUE(stories);
  if (stories) {
    for (const store::StoryRecord& s : *stories) {
      rows.push_back("story " + s.id + " storyline=" + s.storyline +
                     " size=" + std::to_string(s.size) + " title=" + s.title +
                     " digest=" + store::DigestJson(s.digest).dump());
    }
  }
  Result<std::vector<store::StorylineRecord>> lines = st.ListStorylines(1000000, 0);
  EXPECT_TRUE(lines);
  if (lines) {
    for (const store::StorylineRecord& l : *lines) {
      rows.push_back("storyline " + l.id + " size=" + std::to_string(l.size) + " " + l.title);
    }
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

// Ingests `corpus` in batches of 200 (long enough for the clusterer to
// extract features on several threads), then again in batches of 60 with
// every fifth article changed, on `threads` threads; the store's snapshot.
std::vector<std::string> IngestWithThreads(const std::vector<Article>& corpus, int threads) {
  Result<std::unique_ptr<Pipeline>> p = Pipeline::Open({.db_path = ":memory:", .threads = threads});
  EXPECT_TRUE(p) << p.error().message;
  if (!p) return {};
  EXPECT_EQ((*p)->threads(), static_cast<std::size_t>(threads));
  for (int pass = 0; pass < 2; ++pass) {
    const std::size_t batch_size = pass == 0 ? 200 : 60;
    for (std::size_t from = 0; from < corpus.size(); from += batch_size) {
      std::vector<Article> batch;
      for (std::size_t i = from; i < std::min(corpus.size(), from + batch_size); ++i) {
        if (pass == 1 && i % 5 != 0) continue;
        batch.push_back(corpus[i]);
        if (pass == 1) batch.back().text += "\nThis report was updated.";
      }
      Result<BatchReport> r = (*p)->IngestBatch(std::move(batch));
      EXPECT_TRUE(r) << r.error().message;
    }
  }
  return Snapshot((*p)->store());
}

// The thread count changes no result: every article's language, date, body,
// sketch, dup group, copy link, story and storyline, every pair with its
// evidence, and every story's record and digest are the same with 1 and 4
// threads (over several batches, with changed articles re-analysed).
// Without the shared data (seeds, ECB+) the generated corpus alone is used.
TEST(PipelineThreadsTest, FourThreadsGiveWhatOneThreadGives) {
  std::vector<Article> corpus = GeneratedCorpus();
  for (Article& a : ReadSeeds()) corpus.push_back(std::move(a));
  for (Article& a : EcbSlice(150)) corpus.push_back(std::move(a));
  const std::vector<std::string> one = IngestWithThreads(corpus, 1);
  const std::vector<std::string> four = IngestWithThreads(corpus, 4);
  ASSERT_EQ(one.size(), four.size());
  for (std::size_t i = 0; i < one.size(); ++i) EXPECT_EQ(one[i], four[i]);
  // The corpus exercises what could differ: copies, shared stories.
  auto count = [&](const std::string& what) {
    return std::count_if(one.begin(), one.end(),
                         [&](const std::string& r) { return r.find(what) != std::string::npos; });
  };
  EXPECT_GT(count("pair "), 20);
  EXPECT_GT(count("copy_of=t"), 20);
  EXPECT_GT(count("story s"), 10);
}

// The clusterer's state is stored whole, then as change records; a
// pipeline opened anew for every batch restores it from them and decides
// exactly as one that never stopped.
TEST(PipelineStateTest, ReopeningBetweenBatchesChangesNothing) {
  std::vector<Article> corpus = GeneratedCorpus();
  for (Article& a : ReadSeeds()) corpus.push_back(std::move(a));
  for (Article& a : EcbSlice(150)) corpus.push_back(std::move(a));
  constexpr std::size_t kBatch = 5;
  const TempDb one_db("storyline_state_one");
  const TempDb reopened_db("storyline_state_reopened");
  Result<std::unique_ptr<Pipeline>> one = Pipeline::Open({.db_path = one_db.path.string()});
  ASSERT_TRUE(one) << one.error().message;
  std::size_t with_records = 0;
  for (std::size_t from = 0; from < corpus.size(); from += kBatch) {
    const std::vector<Article> batch(
        corpus.begin() + static_cast<std::ptrdiff_t>(from),
        corpus.begin() + static_cast<std::ptrdiff_t>(std::min(corpus.size(), from + kBatch)));
    ASSERT_TRUE((*one)->IngestBatch(batch));
    Result<std::unique_ptr<Pipeline>> p = Pipeline::Open({.db_path = reopened_db.path.string()});
    ASSERT_TRUE(p) << p.error().message;
    Result<BatchReport> r = (*p)->IngestBatch(batch);
    ASSERT_TRUE(r) << r.error().message;
    Result<std::vector<std::pair<std::string, std::string>>> records =
        (*p)->store().GetStates("cluster.state/");
    ASSERT_TRUE(records);
    with_records += !records->empty();
  }
  Result<std::unique_ptr<Pipeline>> reopened =
      Pipeline::Open({.db_path = reopened_db.path.string()});
  ASSERT_TRUE(reopened) << reopened.error().message;
  EXPECT_EQ(Snapshot((*one)->store()), Snapshot((*reopened)->store()));
  // Many batches added a record instead of writing the state whole (on so
  // small a corpus most clusters change with every batch).
  const std::size_t batches = (corpus.size() + kBatch - 1) / kBatch;
  EXPECT_GT(with_records * 3, batches) << with_records << " of " << batches;
}

TEST(PipelineThreadsTest, ThreadPoolReportsTheFirstFailureInLoopOrder) {
  for (std::size_t threads : {1u, 3u}) {
    ThreadPool pool(threads);
    EXPECT_EQ(pool.size(), threads);
    std::vector<int> seen(1000, 0);
    Status s = pool.ParallelFor(seen.size(), [&](std::size_t i, std::size_t worker) -> Status {
      EXPECT_LT(worker, threads);
      seen[i] = 1;
      if (i == 700 || i == 300) return MakeError(ErrorCode::kInvalidInput, std::to_string(i));
      return Ok();
    });
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().message, "300");
    // Every iteration before the failure ran.
    EXPECT_EQ(std::accumulate(seen.begin(), seen.begin() + 300, 0), 300);
    Status ok = pool.ParallelFor(50, [&](std::size_t, std::size_t) -> Status { return Ok(); });
    EXPECT_TRUE(ok);
  }
}

// The language stage reads the text's prose, not a long site menu above
// it in another language (3 KB of English menu entries, then a French
// report), and a text with no such prose by its first bytes.
TEST(LanguageStageTest, ReadsProseNotTheMenuAboveIt) {
  std::string menu;
  const char* entries[] = {"Home",           "World news",      "Business and markets",
                           "Sign in",        "Subscribe today", "Weather forecast",
                           "Sports results", "Latest videos",   "Contact us",
                           "Terms of use"};
  for (int i = 0; menu.size() < 3200; ++i) menu += std::string(entries[i % 10]) + "\n";
  const std::string report =
      "Les pompiers ont lutté toute la nuit contre un incendie qui a ravagé un entrepôt "
      "dans la zone industrielle, sans faire de victimes selon la préfecture.\n"
      "Les habitants des rues voisines ont été invités à garder leurs fenêtres fermées "
      "en raison de la fumée, a indiqué la mairie dans un communiqué publié dans la matinée.\n"
      "Une enquête a été ouverte pour déterminer les causes du sinistre, a précisé le parquet.\n";
  Article page;
  page.id = "page";
  page.text = menu + report;
  Article table;  // no line of prose: the first bytes decide
  table.id = "table";
  table.text =
      "Die Feuerwehr hat in der Nacht einen Brand in einer Lagerhalle im Industriegebiet "
      "gelöscht. Verletzt wurde nach Angaben der Polizei niemand, die Ursache ist noch unklar.";
  std::vector<Article> articles = {page, table};
  std::vector<ArticleWork> work(2);
  for (std::size_t k = 0; k < 2; ++k) work[k].article = &articles[k];
  ThreadPool pool(1);
  ASSERT_TRUE(DetectWorkLanguages(pool, work));
  EXPECT_EQ(work[0].analysis.lang, "fr");
  EXPECT_EQ(work[1].analysis.lang, "de");
}

}  // namespace
}  // namespace storyline::pipeline
