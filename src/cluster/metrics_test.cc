#include "storyline/cluster/metrics.h"

#include <gtest/gtest.h>

namespace storyline::cluster {
namespace {

struct ScoreCase {
  const char* why;
  std::vector<std::string> predicted;
  std::vector<std::string> gold;
  double bcubed_p, bcubed_r, pair_p, pair_r;
};

TEST(ScoreTest, KnownValues) {
  const ScoreCase cases[] = {
      {"perfect", {"x", "x", "y"}, {"a", "a", "b"}, 1, 1, 1, 1},
      {"all singletons", {"1", "2", "3", "4"}, {"a", "a", "b", "b"}, 1, 0.5, 1, 0},
      {"one cluster", {"x", "x", "x", "x"}, {"a", "a", "b", "b"}, 0.5, 1, 2.0 / 6, 1},
      // Items 1-3 in x (gold a, a, b), item 4 in y (gold b):
      // precision (2/3 + 2/3 + 1/3 + 1)/4, recall (1 + 1 + 1/2 + 1/2)/4;
      // predicted pairs 3 (1 correct), gold pairs 2 (1 found).
      {"mixed",
       {"x", "x", "x", "y"},
       {"a", "a", "b", "b"},
       (2.0 / 3 + 2.0 / 3 + 1.0 / 3 + 1) / 4,
       0.75,
       1.0 / 3,
       0.5},
      {"unlabelled items left out", {"x", "x", "x"}, {"a", "", "a"}, 1, 1, 1, 1},
      {"label names do not matter", {"b", "a"}, {"a", "b"}, 1, 1, 1, 1},
  };
  for (const ScoreCase& c : cases) {
    SCOPED_TRACE(c.why);
    Result<ClusterScores> s = Score(c.predicted, c.gold);
    ASSERT_TRUE(s.has_value());
    EXPECT_NEAR(s->bcubed.precision, c.bcubed_p, 1e-12);
    EXPECT_NEAR(s->bcubed.recall, c.bcubed_r, 1e-12);
    EXPECT_NEAR(s->pairwise.precision, c.pair_p, 1e-12);
    EXPECT_NEAR(s->pairwise.recall, c.pair_r, 1e-12);
    const double f1 =
        c.bcubed_p + c.bcubed_r > 0 ? 2 * c.bcubed_p * c.bcubed_r / (c.bcubed_p + c.bcubed_r) : 0;
    EXPECT_NEAR(s->bcubed.f1, f1, 1e-12);
  }
}

TEST(ScoreTest, CountsClusters) {
  Result<ClusterScores> s = Score({"x", "x", "y", "z"}, {"a", "b", "b", ""});
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->items, 3u);
  EXPECT_EQ(s->predicted_clusters, 2u);
  EXPECT_EQ(s->gold_clusters, 2u);
}

TEST(ScoreTest, RefusesDifferentLengths) {
  Result<ClusterScores> s = Score({"x"}, {"a", "b"});
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
}

TEST(ScoreTest, EmptyInputScoresNothing) {
  Result<ClusterScores> s = Score({}, {});
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->items, 0u);
}

}  // namespace
}  // namespace storyline::cluster
