// Scores on the development data, as floors just under what the defaults
// reach (see ClusterOptions), so that a change that loses quality fails.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "dev/cluster_corpus.h"

namespace storyline::cluster {
namespace {

using tools::cluster_dev::ApplyGold;
using tools::cluster_dev::ApplyLineRoles;
using tools::cluster_dev::DevArticle;
using tools::cluster_dev::DevRun;
using tools::cluster_dev::LinkCopiesFromGold;
using tools::cluster_dev::LoadJsonl;
using tools::cluster_dev::LoadTxtDir;
using tools::cluster_dev::RunClusterer;
using tools::cluster_dev::SortForStream;

// Measured with the defaults (README, "Quality and performance"): ECB+
// 0.931 with 7 mixed stories, the headline feed 0.633 (French titles
// 0.786, largest story 100, pairs of titles in two languages of one story
// found together 0.063), examples/ 0.914.
constexpr double kEcbPlusFloor = 0.925;
constexpr std::size_t kEcbPlusMixedCeiling = 7;
constexpr double kHeadlinesFloor = 0.625;
constexpr double kHeadlinesFrenchFloor = 0.775;
constexpr double kHeadlinesAcrossLanguagesFloor = 0.05;
constexpr std::size_t kHeadlinesLargestCeiling = 120;
constexpr double kExamplesStoryFloor = 0.90;
constexpr double kExamplesStorylineFloor = 0.85;

std::string EnvPath(const char* var, const char* rest) {
  const char* base = std::getenv(var);
  if (base == nullptr) return {};
  return std::string(base) + "/" + rest;
}

// A development file of ../shared in stream order; kNotFound when the
// shared data is absent (the test is then skipped).
Result<std::vector<DevArticle>> LoadSharedStream(const char* rest) {
  const std::string path = EnvPath("STORYLINE_SHARED", rest);
  if (path.empty() || !std::filesystem::exists(path)) {
    return MakeError(ErrorCode::kNotFound, std::string("no ") + rest);
  }
  Result<std::vector<DevArticle>> articles = LoadJsonl(path);
  if (articles) SortForStream(&*articles);
  return articles;
}

TEST(DevDataTest, EcbPlusStories) {
  Result<std::vector<DevArticle>> articles = LoadSharedStream("data/ecbplus.jsonl");
  if (!articles && articles.error().code == ErrorCode::kNotFound) GTEST_SKIP();
  ASSERT_TRUE(articles.has_value()) << articles.error().ToString();
  Result<DevRun> run = RunClusterer(ClusterOptions(), *articles);
  ASSERT_TRUE(run.has_value());
  EXPECT_GE(run->story_scores.bcubed.f1, kEcbPlusFloor);
  EXPECT_LE(run->mixed_topic_stories, kEcbPlusMixedCeiling);
  // Regression: the reports that open the stream (one event, decided while
  // IDF rests on a handful of documents) were once 13 one-article stories;
  // the recheck pass must gather them into a few (9 with the defaults).
  std::map<std::string, std::size_t> opening;
  for (std::size_t i = 0; i < articles->size(); ++i) {
    if ((*articles)[i].story == (*articles)[0].story) ++opening[run->story[i]];
  }
  EXPECT_LE(opening.size(), 10u) << opening.size() << " stories hold the opening event";
}

// The multilingual headline feed: titles alone, one theme, fine-grained
// stories. Chaining shows as one huge story; the French titles alone show
// monolingual quality.
TEST(DevDataTest, HeadlineFeedStories) {
  Result<std::vector<DevArticle>> articles = LoadSharedStream("data/og2021-headlines-dev.jsonl");
  if (!articles && articles.error().code == ErrorCode::kNotFound) GTEST_SKIP();
  ASSERT_TRUE(articles.has_value()) << articles.error().ToString();
  Result<DevRun> run = RunClusterer(ClusterOptions(), *articles);
  ASSERT_TRUE(run.has_value());
  EXPECT_GE(run->story_scores.bcubed.f1, kHeadlinesFloor);
  std::map<std::string, std::size_t> size;
  std::size_t largest = 0;
  for (const std::string& s : run->story) largest = std::max(largest, ++size[s]);
  EXPECT_LE(largest, kHeadlinesLargestCeiling);
  // Reports of one story in two languages: the share of such pairs of
  // titles put in one story.
  std::map<std::string, std::vector<std::size_t>> gold;
  for (std::size_t i = 0; i < articles->size(); ++i) gold[(*articles)[i].story].push_back(i);
  std::size_t across = 0;
  std::size_t found = 0;
  for (const auto& [unused, members] : gold) {
    for (std::size_t x = 0; x < members.size(); ++x) {
      for (std::size_t y = x + 1; y < members.size(); ++y) {
        const std::size_t i = members[x];
        const std::size_t j = members[y];
        if ((*articles)[i].features.lang == (*articles)[j].features.lang) continue;
        ++across;
        found += run->story[i] == run->story[j];
      }
    }
  }
  ASSERT_GT(across, 0u);
  EXPECT_GE(static_cast<double>(found) / static_cast<double>(across),
            kHeadlinesAcrossLanguagesFloor);

  std::vector<DevArticle> french;
  for (const DevArticle& a : *articles) {
    if (a.features.lang == "fr") french.push_back(a);
  }
  ASSERT_GT(french.size(), 100u);
  Result<DevRun> fr = RunClusterer(ClusterOptions(), french);
  ASSERT_TRUE(fr.has_value());
  EXPECT_GE(fr->story_scores.bcubed.f1, kHeadlinesFrenchFloor);
}

TEST(DevDataTest, ExamplesStoriesAndStorylines) {
  const std::string root = EnvPath("STORYLINE_SOURCE", "examples");
  if (root.empty() || !std::filesystem::exists(root + "/news.jsonl")) GTEST_SKIP();
  Result<std::vector<DevArticle>> articles = LoadJsonl(root + "/news.jsonl");
  ASSERT_TRUE(articles.has_value());
  ASSERT_TRUE(LoadTxtDir(root + "/txt", &*articles).has_value());
  ASSERT_TRUE(ApplyGold(root + "/gold.jsonl", &*articles).has_value());
  ASSERT_TRUE(ApplyLineRoles(root + "/lines.jsonl", &*articles).has_value());
  SortForStream(&*articles);
  LinkCopiesFromGold(&*articles);
  Result<DevRun> run = RunClusterer(ClusterOptions(), *articles);
  ASSERT_TRUE(run.has_value());
  EXPECT_EQ(run->story_scores.items, 41u);
  EXPECT_GE(run->story_scores.bcubed.f1, kExamplesStoryFloor);
  EXPECT_GE(run->storyline_scores.bcubed.f1, kExamplesStorylineFloor);
  // Hard negatives from examples/README.md stay apart.
  std::map<std::string, std::string> story;
  for (std::size_t i = 0; i < articles->size(); ++i)
    story[(*articles)[i].features.id] = run->story[i];
  EXPECT_NE(story["echo-recyclalp-incendie"], story["nervion-zorrotza-humo"]);
  EXPECT_NE(story["messager-saone-alerte"], story["confluence-garonne-vigilance"]);
}

}  // namespace
}  // namespace storyline::cluster
