#include "core/calendar.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace storyline::internal {
namespace {

TEST(CalendarTest, MonthNamesAndAbbreviationsOfEachLanguage) {
  EXPECT_EQ(MonthOfWord("janvier"), 1);
  EXPECT_EQ(MonthOfWord("février"), 2);
  EXPECT_EQ(MonthOfWord("fevrier"), 2);
  EXPECT_EQ(MonthOfWord("märz"), 3);
  EXPECT_EQ(MonthOfWord("maerz"), 3);
  EXPECT_EQ(MonthOfWord("août"), 8);
  EXPECT_EQ(MonthOfWord("dezember"), 12);
  EXPECT_EQ(MonthOfWord("gennaio"), 1);
  EXPECT_EQ(MonthOfWord("outubro"), 10);
  EXPECT_EQ(MonthOfWord("mei"), 5);
  EXPECT_EQ(MonthOfWord("sept"), 9);
  EXPECT_EQ(MonthOfWord("monday"), 0);
  EXPECT_EQ(MonthOfWord("March"), 0) << "lower case only";
  EXPECT_EQ(MonthOfWord(""), 0);
}

TEST(CalendarTest, LanguagesNarrowTheTable) {
  EXPECT_EQ(MonthOfWord("gennaio", kMonthsEnFrEsDe), 0);
  EXPECT_EQ(MonthOfWord("gennaio", kMonthIt), 1);
  EXPECT_EQ(MonthOfWord("mai", kMonthDe), 5);
  EXPECT_EQ(MonthOfWord("mai", kMonthEn), 0);
  // "set" and "ago" are English words: months only in the languages that
  // abbreviate so.
  EXPECT_EQ(MonthOfWord("set", kMonthsEnFrEsDe), 0);
  EXPECT_EQ(MonthOfWord("set", kMonthPt), 9);
  EXPECT_EQ(MonthOfWord("ago", kMonthEn), 0);
}

TEST(CalendarTest, AbbreviationsAreMarked) {
  EXPECT_TRUE(IsMonthAbbreviationWord("janv"));
  EXPECT_TRUE(IsMonthAbbreviationWord("déc"));
  EXPECT_TRUE(IsMonthAbbreviationWord("okt"));
  EXPECT_FALSE(IsMonthAbbreviationWord("janvier"));
  EXPECT_FALSE(IsMonthAbbreviationWord("may"));
  EXPECT_FALSE(IsMonthAbbreviationWord("okt", kMonthFr));
}

TEST(CalendarTest, EverySpellingOnceAndEveryMonthInEveryLanguage) {
  std::set<std::string> seen;
  for (const MonthWord& w : MonthWords()) {
    EXPECT_TRUE(seen.insert(std::string(w.word)).second) << w.word;
    EXPECT_GE(w.month, 1);
    EXPECT_LE(w.month, 12);
    EXPECT_NE(w.languages, 0) << w.word;
  }
  for (std::uint8_t lang = 1; lang < kMonthsAll; lang <<= 1) {
    for (int month = 1; month <= 12; ++month) {
      bool named = false;
      for (const MonthWord& w : MonthWords()) {
        named |= w.month == month && (w.languages & lang) != 0 && !w.abbreviation;
      }
      EXPECT_TRUE(named) << "month " << month << " language bit " << int{lang};
    }
  }
}

}  // namespace
}  // namespace storyline::internal
