#include "dev/html_corpus.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace storyline::tools::html_dev {
namespace {

TEST(ScoreTokensTest, Table) {
  EXPECT_DOUBLE_EQ(ScoreTokens("", "").f1, 1.0);
  EXPECT_DOUBLE_EQ(ScoreTokens("", "gold").f1, 0.0);
  EXPECT_DOUBLE_EQ(ScoreTokens("The cat, the HAT!", "the cat the hat").f1, 1.0);
  TokenScore s = ScoreTokens("a b c d", "a b");
  EXPECT_DOUBLE_EQ(s.precision, 0.5);
  EXPECT_DOUBLE_EQ(s.recall, 1.0);
  EXPECT_EQ(EvalTokens("L’OTAN a dit: «Non»"),
            (std::vector<std::string>{"l", "otan", "a", "dit", "non"}));
}

}  // namespace
}  // namespace storyline::tools::html_dev
