// Month names and their abbreviations in the languages the text core reads
// (English, French, Spanish, German, Italian, Portuguese, Dutch): the one
// table the cleaner's date cues, the clusterer's date features and the
// digest's date reader share. Private to the libraries.
//
//   int m = MonthOfWord("février");              // 2
//   int n = MonthOfWord("gennaio", kMonthsEnFrEsDe);  // 0: Italian left out
#ifndef STORYLINE_SRC_CORE_CALENDAR_H_
#define STORYLINE_SRC_CORE_CALENDAR_H_

#include <cstdint>
#include <span>
#include <string_view>

namespace storyline::internal {

// Languages a month word belongs to, as bits.
enum MonthLanguage : std::uint8_t {
  kMonthEn = 1,
  kMonthFr = 2,
  kMonthEs = 4,
  kMonthDe = 8,
  kMonthIt = 16,
  kMonthPt = 32,
  kMonthNl = 64,
};
inline constexpr std::uint8_t kMonthsAll = 127;
inline constexpr std::uint8_t kMonthsEnFrEsDe = kMonthEn | kMonthFr | kMonthEs | kMonthDe;

struct MonthWord {
  std::string_view word;  // lower case; accented spellings also folded
  int month = 0;          // 1..12
  std::uint8_t languages = 0;
  bool abbreviation = false;  // "janv", "sept", "dez": a dot usually follows
};

// Every entry of the table.
std::span<const MonthWord> MonthWords();

// 1..12 when the lower-case `word` is a month name or abbreviation of one
// of `languages`; 0 otherwise.
int MonthOfWord(std::string_view word, std::uint8_t languages = kMonthsAll);

// Whether the lower-case `word` is a month abbreviation of one of
// `languages`.
bool IsMonthAbbreviationWord(std::string_view word, std::uint8_t languages = kMonthsAll);

}  // namespace storyline::internal

#endif  // STORYLINE_SRC_CORE_CALENDAR_H_
