// Calendar dates and ISO 8601 timestamps, in UTC.
//
//   Result<Timestamp> t = ParseIso8601("2022-01-08T14:05:00+01:00");
//   CivilDate d = ToCivilDate(*t);          // {2022, 1, 8}
//   std::string s = FormatDate(d);           // "2022-01-08"
//
// A Timestamp is seconds since the Unix epoch. Dates without a time are taken
// at 00:00 UTC. Functions here are pure and thread-safe.
#ifndef STORYLINE_CORE_DATE_H_
#define STORYLINE_CORE_DATE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "storyline/core/result.h"

namespace storyline {

using Timestamp = std::int64_t;  // seconds since 1970-01-01T00:00:00Z

struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31

  friend bool operator==(const CivilDate&, const CivilDate&) = default;
  friend auto operator<=>(const CivilDate&, const CivilDate&) = default;
};

// Days since 1970-01-01 for a proleptic Gregorian date (negative before).
std::int64_t DaysFromCivil(CivilDate date);
CivilDate CivilFromDays(std::int64_t days);

// True when year/month/day name a real day.
bool IsValidDate(CivilDate date);

// 0 = Monday ... 6 = Sunday.
int Weekday(CivilDate date);

// Accepts "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.fff]]" with "Z", "+HH:MM",
// "+HHMM" or no zone (taken as UTC); a space may replace "T".
// Errors: kInvalidInput naming the text.
Result<Timestamp> ParseIso8601(std::string_view text);

CivilDate ToCivilDate(Timestamp t);
Timestamp FromCivilDate(CivilDate date);

// "YYYY-MM-DD".
std::string FormatDate(CivilDate date);
// "YYYY-MM-DDTHH:MM:SSZ".
std::string FormatTimestamp(Timestamp t);

// Source of "now" for code that needs it, so tests can fix it.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp Now() const = 0;
};

// The system clock.
const Clock& SystemClock();

// A clock that always answers the same time (tests, reproducible runs).
class FixedClock final : public Clock {
 public:
  explicit FixedClock(Timestamp now) : now_(now) {}
  Timestamp Now() const override { return now_; }

 private:
  Timestamp now_;
};

}  // namespace storyline

#endif  // STORYLINE_CORE_DATE_H_
