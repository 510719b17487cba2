#include "storyline/core/date.h"

#include <chrono>
#include <cstdio>

namespace storyline {
namespace {

// Reads exactly `n` ASCII digits at `pos`; returns -1 when they are not there.
int ReadDigits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return -1;
  int value = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    value = value * 10 + (s[i] - '0');
  }
  return value;
}

class SystemClockImpl final : public Clock {
 public:
  Timestamp Now() const override {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

}  // namespace

// Days from civil, after H. Hinnant's "chrono-compatible low-level date
// algorithms" (the era/day-of-era decomposition of the Gregorian cycle).
std::int64_t DaysFromCivil(CivilDate date) {
  const std::int64_t y = date.year - (date.month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t m = date.month;
  const std::int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + date.day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate CivilFromDays(std::int64_t days) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const std::int64_t doe = days - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return CivilDate{static_cast<int>(y), static_cast<int>(m), static_cast<int>(d)};
}

bool IsValidDate(CivilDate date) {
  if (date.month < 1 || date.month > 12 || date.day < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int max_day = kDays[date.month - 1];
  const bool leap = (date.year % 4 == 0 && date.year % 100 != 0) || date.year % 400 == 0;
  if (date.month == 2 && leap) max_day = 29;
  return date.day <= max_day;
}

int Weekday(CivilDate date) {
  // 1970-01-01 was a Thursday (index 3 with Monday = 0).
  const std::int64_t days = DaysFromCivil(date);
  return static_cast<int>(((days % 7) + 7 + 3) % 7);
}

Result<Timestamp> ParseIso8601(std::string_view text) {
  auto fail = [&] {
    return MakeError(ErrorCode::kInvalidInput,
                     "not an ISO 8601 date or date-time: '" + std::string(text) + "'");
  };
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  const int year = ReadDigits(text, 0, 4);
  if (year < 0 || text.size() < 10 || text[4] != '-' || text[7] != '-') return fail();
  const int month = ReadDigits(text, 5, 2);
  const int day = ReadDigits(text, 8, 2);
  CivilDate date{year, month, day};
  if (month < 0 || day < 0 || !IsValidDate(date)) return fail();
  Timestamp t = DaysFromCivil(date) * 86400;
  if (text.size() == 10) return t;
  if (text[10] != 'T' && text[10] != 't' && text[10] != ' ') return fail();
  const int hour = ReadDigits(text, 11, 2);
  if (hour < 0 || hour > 23 || text.size() < 16 || text[13] != ':') return fail();
  const int minute = ReadDigits(text, 14, 2);
  if (minute < 0 || minute > 59) return fail();
  size_t pos = 16;
  int second = 0;
  if (pos < text.size() && text[pos] == ':') {
    second = ReadDigits(text, pos + 1, 2);
    if (second < 0 || second > 60) return fail();
    pos += 3;
    if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
      ++pos;
      const size_t start = pos;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
      if (pos == start) return fail();
    }
  }
  t += hour * 3600 + minute * 60 + second;
  if (pos == text.size()) return t;
  if (text[pos] == 'Z' || text[pos] == 'z') {
    return pos + 1 == text.size() ? Result<Timestamp>(t) : fail();
  }
  if (text[pos] != '+' && text[pos] != '-') return fail();
  const int sign = text[pos] == '+' ? 1 : -1;
  const int oh = ReadDigits(text, pos + 1, 2);
  if (oh < 0 || oh > 23) return fail();
  size_t mpos = pos + 3;
  if (mpos < text.size() && text[mpos] == ':') ++mpos;
  int om = 0;
  if (mpos < text.size()) {
    om = ReadDigits(text, mpos, 2);
    if (om < 0 || om > 59 || mpos + 2 != text.size()) return fail();
  }
  return t - sign * (oh * 3600 + om * 60);
}

CivilDate ToCivilDate(Timestamp t) {
  std::int64_t days = t / 86400;
  if (t % 86400 < 0) --days;
  return CivilFromDays(days);
}

Timestamp FromCivilDate(CivilDate date) { return DaysFromCivil(date) * 86400; }

std::string FormatDate(CivilDate date) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", date.year, date.month, date.day);
  return buf;
}

std::string FormatTimestamp(Timestamp t) {
  const CivilDate d = ToCivilDate(t);
  std::int64_t secs = t % 86400;
  if (secs < 0) secs += 86400;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", d.year, d.month, d.day,
                static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60),
                static_cast<int>(secs % 60));
  return buf;
}

const Clock& SystemClock() {
  static const SystemClockImpl clock;
  return clock;
}

}  // namespace storyline
