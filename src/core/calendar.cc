#include "core/calendar.h"

#include <string_view>
#include <unordered_map>

namespace storyline::internal {
namespace {

constexpr std::uint8_t kEn = kMonthEn;
constexpr std::uint8_t kFr = kMonthFr;
constexpr std::uint8_t kEs = kMonthEs;
constexpr std::uint8_t kDe = kMonthDe;
constexpr std::uint8_t kIt = kMonthIt;
constexpr std::uint8_t kPt = kMonthPt;
constexpr std::uint8_t kNl = kMonthNl;

// By month; a spelling shared by languages is one entry with their bits.
constexpr MonthWord kMonthTable[] = {
    {"january", 1, kEn, false},
    {"jan", 1, kEn | kDe | kNl, true},
    {"janvier", 1, kFr, false},
    {"janv", 1, kFr, true},
    {"enero", 1, kEs, false},
    {"ene", 1, kEs, true},
    {"januar", 1, kDe, false},
    {"jänner", 1, kDe, false},
    {"jaenner", 1, kDe, false},
    {"gennaio", 1, kIt, false},
    {"janeiro", 1, kPt, false},
    {"januari", 1, kNl, false},

    {"february", 2, kEn, false},
    {"feb", 2, kEn | kDe | kNl, true},
    {"février", 2, kFr, false},
    {"fevrier", 2, kFr, false},
    {"févr", 2, kFr, true},
    {"fevr", 2, kFr, true},
    {"fév", 2, kFr | kPt, true},
    {"fev", 2, kFr | kPt, true},
    {"febrero", 2, kEs, false},
    {"februar", 2, kDe, false},
    {"febbraio", 2, kIt, false},
    {"fevereiro", 2, kPt, false},
    {"februari", 2, kNl, false},

    {"march", 3, kEn, false},
    {"mar", 3, kEn | kEs | kIt | kPt, true},
    {"mars", 3, kFr, false},
    {"marzo", 3, kEs | kIt, false},
    {"märz", 3, kDe, false},
    {"marz", 3, kDe, false},
    {"maerz", 3, kDe, false},
    {"março", 3, kPt, false},
    {"marco", 3, kPt, false},
    {"maart", 3, kNl, false},

    {"april", 4, kEn | kDe | kNl, false},
    {"apr", 4, kEn | kDe | kNl | kIt, true},
    {"avril", 4, kFr, false},
    {"avr", 4, kFr, true},
    {"abril", 4, kEs | kPt, false},
    {"abr", 4, kEs | kPt, true},
    {"aprile", 4, kIt, false},

    {"may", 5, kEn, false},
    {"mai", 5, kFr | kDe, false},
    {"mayo", 5, kEs, false},
    {"maggio", 5, kIt, false},
    {"maio", 5, kPt, false},
    {"mei", 5, kNl, false},

    {"june", 6, kEn, false},
    {"jun", 6, kEn | kEs | kPt, true},
    {"juin", 6, kFr, false},
    {"junio", 6, kEs, false},
    {"juni", 6, kDe | kNl, false},
    {"giugno", 6, kIt, false},
    {"junho", 6, kPt, false},

    {"july", 7, kEn, false},
    {"jul", 7, kEn | kEs | kDe | kPt, true},
    {"juillet", 7, kFr, false},
    {"juil", 7, kFr, true},
    {"julio", 7, kEs, false},
    {"juli", 7, kDe | kNl, false},
    {"luglio", 7, kIt, false},
    {"julho", 7, kPt, false},

    {"august", 8, kEn | kDe, false},
    {"aug", 8, kEn | kDe | kNl, true},
    {"août", 8, kFr, false},
    {"aout", 8, kFr, false},
    {"agosto", 8, kEs | kIt | kPt, false},
    {"ago", 8, kEs | kIt | kPt, true},
    {"augustus", 8, kNl, false},

    {"september", 9, kEn | kDe | kNl, false},
    {"sep", 9, kEn | kDe | kNl | kEs, true},
    {"sept", 9, kEn | kFr, true},
    {"septembre", 9, kFr, false},
    {"septiembre", 9, kEs, false},
    {"setiembre", 9, kEs, false},
    {"settembre", 9, kIt, false},
    {"setembro", 9, kPt, false},
    {"set", 9, kIt | kPt, true},

    {"october", 10, kEn, false},
    {"oct", 10, kEn | kFr | kEs, true},
    {"octobre", 10, kFr, false},
    {"octubre", 10, kEs, false},
    {"oktober", 10, kDe | kNl, false},
    {"okt", 10, kDe | kNl, true},
    {"ottobre", 10, kIt, false},
    {"outubro", 10, kPt, false},

    {"november", 11, kEn | kDe | kNl, false},
    {"nov", 11, kEn | kFr | kEs | kDe | kIt | kPt | kNl, true},
    {"novembre", 11, kFr | kIt, false},
    {"noviembre", 11, kEs, false},
    {"novembro", 11, kPt, false},

    {"december", 12, kEn | kNl, false},
    {"dec", 12, kEn | kNl, true},
    {"décembre", 12, kFr, false},
    {"decembre", 12, kFr, false},
    {"déc", 12, kFr, true},
    {"diciembre", 12, kEs, false},
    {"dic", 12, kEs | kIt, true},
    {"dezember", 12, kDe, false},
    {"dez", 12, kDe | kPt, true},
    {"dicembre", 12, kIt, false},
    {"dezembro", 12, kPt, false},
};

const std::unordered_map<std::string_view, const MonthWord*>& Index() {
  static const auto* const index = [] {
    auto* m = new std::unordered_map<std::string_view, const MonthWord*>();
    for (const MonthWord& w : kMonthTable) m->emplace(w.word, &w);
    return m;
  }();
  return *index;
}

const MonthWord* Find(std::string_view word, std::uint8_t languages) {
  const auto& index = Index();
  const auto it = index.find(word);
  if (it == index.end() || (it->second->languages & languages) == 0) return nullptr;
  return it->second;
}

}  // namespace

std::span<const MonthWord> MonthWords() { return kMonthTable; }

int MonthOfWord(std::string_view word, std::uint8_t languages) {
  const MonthWord* w = Find(word, languages);
  return w == nullptr ? 0 : w->month;
}

bool IsMonthAbbreviationWord(std::string_view word, std::uint8_t languages) {
  const MonthWord* w = Find(word, languages);
  return w != nullptr && w->abbreviation;
}

}  // namespace storyline::internal
