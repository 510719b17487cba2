#include "storyline/core/date.h"

#include <gtest/gtest.h>

namespace storyline {
namespace {

struct IsoRow {
  const char* text;
  const char* expected;  // FormatTimestamp of the result, or nullptr for an error
  const char* why;
};

TEST(DateTest, ParsesIso8601Table) {
  const IsoRow rows[] = {
      {"2022-01-08", "2022-01-08T00:00:00Z", "date only"},
      {"2022-01-08T14:05:00Z", "2022-01-08T14:05:00Z", "UTC"},
      {"2022-01-08T14:05Z", "2022-01-08T14:05:00Z", "no seconds"},
      {"2022-01-08 14:05:09", "2022-01-08T14:05:09Z", "space, no zone"},
      {"2022-01-08T14:05:00.123+01:00", "2022-01-08T13:05:00Z", "fraction and offset"},
      {"2022-01-01T00:30:00-0130", "2022-01-01T02:00:00Z", "negative compact offset"},
      {"2024-02-29", "2024-02-29T00:00:00Z", "leap day"},
      {"2023-02-29", nullptr, "not a leap year"},
      {"2022-13-01", nullptr, "month 13"},
      {"08/01/2022", nullptr, "not ISO"},
      {"2022-01-08T25:00", nullptr, "hour 25"},
      {"2022-01-08Tfoo", nullptr, "garbage time"},
      {"", nullptr, "empty"},
  };
  for (const IsoRow& row : rows) {
    Result<Timestamp> t = ParseIso8601(row.text);
    if (row.expected == nullptr) {
      EXPECT_FALSE(t) << row.why;
    } else {
      ASSERT_TRUE(t) << row.why << ": " << t.error().message;
      EXPECT_EQ(FormatTimestamp(*t), row.expected) << row.why;
    }
  }
}

TEST(DateTest, CivilRoundTripAndWeekday) {
  for (std::int64_t d = -800000; d < 800000; d += 997) {
    EXPECT_EQ(DaysFromCivil(CivilFromDays(d)), d);
  }
  EXPECT_EQ(Weekday({2022, 1, 10}), 0);  // a Monday
  EXPECT_EQ(Weekday({2021, 12, 7}), 1);  // a Tuesday
  EXPECT_EQ(Weekday({1970, 1, 1}), 3);   // a Thursday
  EXPECT_EQ(FormatDate(ToCivilDate(FromCivilDate({1999, 12, 31}) + 86399)), "1999-12-31");
  EXPECT_EQ(FormatDate(ToCivilDate(-1)), "1969-12-31");
}

TEST(DateTest, FixedClockAnswersItsTime) {
  FixedClock clock(1641600000);
  EXPECT_EQ(clock.Now(), 1641600000);
  EXPECT_GT(SystemClock().Now(), 1600000000);
}

}  // namespace
}  // namespace storyline
