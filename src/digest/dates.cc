#include "storyline/digest/dates.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <span>

#include "digest/dates_internal.h"
#include "digest/document.h"
#include "digest/lexicon.h"

namespace storyline::digest {
namespace internal {
namespace {

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return c >= '0' && c <= '9';
  });
}

int ToInt(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

// 1..31 for "7", "07", "1er", "1st", "22nd", "3rd", "10th"; else 0.
int DayNumber(const Word& w) {
  std::string_view s = w.lower;
  for (std::string_view suffix : {"er", "re", "st", "nd", "rd", "th"}) {
    if (s.size() > suffix.size() && s.ends_with(suffix)) {
      s.remove_suffix(suffix.size());
      break;
    }
  }
  if (!AllDigits(s) || s.size() > 2) return 0;
  const int d = ToInt(s);
  return d >= 1 && d <= 31 ? d : 0;
}

int YearNumber(const Word& w) {
  if (w.lower.size() != 4 || !AllDigits(w.lower)) return 0;
  const int y = ToInt(w.lower);
  return y >= 1900 && y <= 2100 ? y : 0;
}

std::int64_t Days(CivilDate d) { return DaysFromCivil(d); }
CivilDate AddDays(CivilDate d, std::int64_t n) {
  return CivilFromDays(Days(d) + n);
}

// The year that puts month/day nearest to the reference.
std::optional<CivilDate> NearestYear(int month, int day, CivilDate ref) {
  std::optional<CivilDate> best;
  std::int64_t best_gap = 0;
  for (int y = ref.year - 1; y <= ref.year + 1; ++y) {
    CivilDate c{y, month, day};
    if (!IsValidDate(c)) continue;
    const std::int64_t gap = std::llabs(Days(c) - Days(ref));
    if (!best || gap < best_gap) {
      best = c;
      best_gap = gap;
    }
  }
  return best;
}

// A French participle ending ("déclaré", "amorcées"): a past cue of
// TenseCue only through its suffix.
bool IsParticipleLike(std::string_view w) {
  return w.size() >= 6 &&
         (w.ends_with("é") || w.ends_with("és") || w.ends_with("ée") || w.ends_with("ées"));
}

// Whether one of the two words before words[at] is a French auxiliary.
bool AuxiliaryBefore(std::span<const Word> words, std::size_t at) {
  static constexpr std::string_view kAuxiliaries[] = {
      "a",    "ont",   "avait",   "avaient", "avons", "avez",   "ai", "as",     "est",
      "sont", "était", "étaient", "été",     "fut",   "furent", "eu", "sommes", "êtes"};
  for (std::size_t back = 1; back <= 2 && back <= at; ++back) {
    const std::string_view w = words[at - back].lower;
    if (std::find(std::begin(kAuxiliaries), std::end(kAuxiliaries), w) != std::end(kAuxiliaries)) {
      return true;
    }
  }
  return false;
}

// Past (-1) or future (+1) reading of a weekday at words[at], from the
// nearest tense cues of its sentence; ties and silence read as past.
int TenseAround(std::span<const Word> words, std::size_t at,
                std::string_view lang) {
  double score = 0;
  for (std::size_t j = 0; j < words.size(); ++j) {
    if (j == at) continue;
    const std::string_view w = words[j].lower;
    int cue = TenseCue(w);
    // Auxiliaries count as past only before a participle-looking word, so
    // that the English article "a" or Spanish "ha" alone do not vote.
    if (w == "a" || w == "ha" || w == "han" || w == "hat") {
      cue = 0;
      if (j + 1 < words.size()) {
        const std::string_view next = words[j + 1].lower;
        const bool participle =
            next.ends_with("é") || next.ends_with("ée") ||
            next.ends_with("és") || next.ends_with("it") ||
            next.ends_with("is") || next.ends_with("u") ||
            next.ends_with("ado") || next.ends_with("ido") ||
            next.starts_with("ge");
        if (participle && (w != "a" || lang != "en")) cue = -1;
      }
    }
    // A bare French participle is mostly an adjective ("la décrue
    // amorcée", "le pic annoncé"); it tells the past only after an
    // auxiliary within two words ("a déclaré", "a ensuite déclaré").
    if (cue < 0 && IsParticipleLike(w) && !AuxiliaryBefore(words, j)) cue = 0;
    // "au mieux jeudi" (at best Thursday) hedges a date still to come.
    if (w == "mieux" && j > 0 && words[j - 1].lower == "au") cue = 1;
    if (cue == 0) continue;
    const double distance = static_cast<double>(j > at ? j - at : at - j);
    score += cue / (1.0 + distance);
  }
  return score > 0 ? 1 : -1;
}

// The day named `weekday` nearest to `ref` ahead (tense > 0) or back. The
// reference's own weekday is the reference day, unless `strict` (a
// direction word: "jeudi prochain" said on a Thursday is a week ahead).
CivilDate ResolveWeekday(int weekday, int tense, CivilDate ref, bool strict) {
  const int r = Weekday(ref);
  const int ahead = (weekday - r + 7) % 7;
  const int back = (r - weekday + 7) % 7;
  if (tense > 0) return AddDays(ref, ahead == 0 && strict ? 7 : ahead);
  return AddDays(ref, -(back == 0 && strict ? 7 : back));
}

class SentenceScanner {
 public:
  SentenceScanner(const Document& doc, const Sentence& sentence,
                  const DateOptions& options, bool resolve_relative,
                  std::vector<DateMention>* out)
      : doc_(doc),
        sentence_(sentence),
        words_(doc.WordsOf(sentence)),
        options_(options),
        resolve_relative_(resolve_relative && options.reference.has_value()),
        out_(out) {}

  void Run() {
    for (std::size_t i = 0; i < words_.size();) {
      const std::size_t used = TryAt(i);
      i += used == 0 ? 1 : used;
    }
  }

 private:
  const Word* At(std::size_t i) const {
    return i < words_.size() ? &words_[i] : nullptr;
  }

  void Emit(CivilDate date, DateGranularity g, std::size_t first,
            std::size_t last, bool relative, bool year_inferred) {
    if (!IsValidDate(date)) return;
    DateMention m;
    m.date = date;
    m.granularity = g;
    m.relative = relative;
    m.year_inferred = year_inferred;
    m.begin = words_[first].outer_begin;
    m.end = words_[last].end;
    m.sentence_begin = sentence_.begin;
    m.sentence_end = sentence_.end;
    m.in_caption = !doc_.IsBody(sentence_);
    if (options_.reference) {
      const CivilDate ref = *options_.reference;
      if (g == DateGranularity::kYear) {
        m.historical = date.year < ref.year;
      } else if (g == DateGranularity::kDay) {
        m.historical = Days(ref) - Days(date) >= options_.historical_days;
      } else if (g == DateGranularity::kMonth) {
        m.historical = Days(ref) - Days(date) >= options_.historical_days + 31;
      }
    }
    out_->push_back(m);
  }

  // Emits a day given month/day and an optional year; returns false when
  // the year is missing and cannot be inferred.
  bool EmitDay(int year, int month, int day, std::size_t first,
               std::size_t last) {
    if (year != 0) {
      Emit(CivilDate{year, month, day}, DateGranularity::kDay, first, last,
           false, false);
      return true;
    }
    if (!options_.reference) return false;
    std::optional<CivilDate> d = NearestYear(month, day, *options_.reference);
    if (!d) return false;
    Emit(*d, DateGranularity::kDay, first, last, false, true);
    return true;
  }

  // Month word at words_[i] (with its capital rule); 0 when none.
  int MonthAt(std::size_t i) const {
    const Word* w = At(i);
    if (w == nullptr) return 0;
    bool ambiguous = false;
    const int m = MonthNumber(w->lower, &ambiguous);
    if (m == 0) return 0;
    // "may", "march": only with a capital in English ("May 3"); short
    // forms only with their dot ("sept" is also French "seven").
    if (ambiguous && options_.lang == "en" && !w->capitalized) return 0;
    if (IsMonthAbbreviation(w->lower) && !w->period_after) return 0;
    return m;
  }

  // Returns the number of words consumed (0 = nothing here).
  std::size_t TryAt(std::size_t i) {
    const Word& w = words_[i];
    if (w.has_digit) {
      if (std::size_t n = TryNumeric(i)) return n;
      if (std::size_t n = TryDayMonth(i)) return n;
      if (std::size_t n = TryBareYear(i)) return n;
      return 0;
    }
    if (const int month = MonthAt(i) != 0 ? MonthAt(i) : UndottedMonthAt(i)) {
      if (std::size_t n = TryMonthDay(i, month)) return n;
    }
    if (!resolve_relative_) return 0;
    const int weekday = WeekdayNumber(w.lower);
    if (weekday >= 0) return TryWeekday(i, weekday);
    if (std::optional<int> offset = RelativeDayOffset(w.lower)) {
      return TryDeictic(i, *offset);
    }
    if (const int period = PeriodDays(w.lower)) return TryPeriod(i, period);
    return 0;
  }

  // "2022-01-10", "10/01/2022", "10.01.22".
  std::size_t TryNumeric(std::size_t i) {
    const std::string_view s = words_[i].lower;
    char sep = 0;
    for (char c : s) {
      if (c == '-' || c == '/' || c == '.') {
        sep = c;
        break;
      }
    }
    if (sep == 0) return 0;
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    for (std::size_t k = 0; k <= s.size(); ++k) {
      if (k == s.size() || s[k] == sep) {
        parts.push_back(s.substr(start, k - start));
        start = k + 1;
      }
    }
    if (parts.size() != 3) return 0;
    for (std::string_view p : parts) {
      if (!AllDigits(p)) return 0;
    }
    int year = 0;
    int month = 0;
    int day = 0;
    if (parts[0].size() == 4) {  // ISO order
      year = ToInt(parts[0]);
      month = ToInt(parts[1]);
      day = ToInt(parts[2]);
    } else if (parts[2].size() == 4 || parts[2].size() == 2) {
      year = ToInt(parts[2]);
      if (parts[2].size() == 2) year += 2000;
      int a = ToInt(parts[0]);
      int b = ToInt(parts[1]);
      const bool month_first = options_.lang == "en" &&
                               options_.english_month_first && a <= 12;
      if (month_first || b > 12) std::swap(a, b);
      day = a;
      month = b;
    } else {
      return 0;
    }
    if (sep == '-' && parts[0].size() != 4) return 0;  // a score "3-1-2"
    if (month < 1 || month > 12 || year < 1900 || year > 2100) return 0;
    Emit(CivilDate{year, month, day}, DateGranularity::kDay, i, i, false,
         false);
    return 1;
  }

  // "10 janvier [2022]", "7 December 2021", "10 de enero de 2022",
  // "10. Januar".
  std::size_t TryDayMonth(std::size_t i) {
    const int day = DayNumber(words_[i]);
    if (day == 0) return 0;
    std::size_t j = i + 1;
    if (At(j) != nullptr && (At(j)->lower == "de" || At(j)->lower == "of")) {
      ++j;
    }
    const int month = MonthAt(j);
    if (month == 0) return 0;
    std::size_t last = j;
    int year = 0;
    std::size_t k = j + 1;
    if (At(k) != nullptr && At(k)->lower == "de") ++k;
    if (const Word* y = At(k); y != nullptr && YearNumber(*y) != 0) {
      year = YearNumber(*y);
      last = k;
    }
    if (!EmitDay(year, month, day, i, last)) return last - i + 1;
    return last - i + 1;
  }

  // A capitalised month abbreviation without its dot that opens a full
  // date ("Mar 3, 2025", as web pages stamp articles): the day and the
  // year after it leave no other reading. 0 when that is not the case.
  int UndottedMonthAt(std::size_t i) const {
    const Word* w = At(i);
    const Word* day = At(i + 1);
    const Word* year = At(i + 2);
    if (w == nullptr || day == nullptr || year == nullptr) return 0;
    if (!w->capitalized || w->period_after || !IsMonthAbbreviation(w->lower)) {
      return 0;
    }
    if (DayNumber(*day) == 0 || YearNumber(*year) == 0) return 0;
    return MonthNumber(w->lower, nullptr);
  }

  // "January 10", "Dec. 7, 2021", "janvier 2022" (a month).
  std::size_t TryMonthDay(std::size_t i, int month) {
    const Word* next = At(i + 1);
    if (next == nullptr) return 0;
    if (YearNumber(*next) != 0) {
      Emit(CivilDate{YearNumber(*next), month, 1}, DateGranularity::kMonth, i,
           i + 1, false, false);
      return 2;
    }
    const int day = DayNumber(*next);
    if (day == 0) return 0;
    // "January 10 000" is no date; "mai 10" in French is unusual but kept.
    std::size_t last = i + 1;
    int year = 0;
    if (const Word* y = At(i + 2); y != nullptr && YearNumber(*y) != 0) {
      year = YearNumber(*y);
      last = i + 2;
    }
    EmitDay(year, month, day, i, last);
    return last - i + 1;
  }

  // "en 2014", "a 1987 treaty", "au début de 2022".
  std::size_t TryBareYear(std::size_t i) {
    const int year = YearNumber(words_[i]);
    if (year == 0 || i == 0) return 0;
    static constexpr std::string_view kCues[] = {
        "en",    "in",     "depuis", "since", "de",    "du",   "of",
        "année", "year",   "années", "el",    "im",    "seit", "après",
        "after", "before", "avant",  "until", "a",     "the",  "au",
        "dès",   "für",    "von",    "bis",   "desde", "hasta", "año",
        "fin",   "début",  "jahr",   "del",   "d'ici", "by"};
    const std::string_view prev = words_[i - 1].lower;
    if (std::find(std::begin(kCues), std::end(kCues), prev) ==
        std::end(kCues)) {
      return 0;
    }
    Emit(CivilDate{year, 1, 1}, DateGranularity::kYear, i, i, false, false);
    return 1;
  }

  std::size_t TryWeekday(std::size_t i, int weekday) {
    // "lundi 10 janvier": the weekday belongs to the absolute date.
    for (std::size_t k = i + 1; k <= i + 2 && k < words_.size(); ++k) {
      if (DayNumber(words_[k]) != 0 || MonthAt(k) != 0) return 1;
    }
    // A weekday with a capital in the middle of a French or Spanish
    // sentence is a name ("Vendredi", a film) rather than a day.
    const Word& w = words_[i];
    if (w.capitalized && !w.sentence_initial &&
        (options_.lang == "fr" || options_.lang == "es")) {
      return 1;
    }
    const CivilDate ref = *options_.reference;
    // A direction word next to the weekday settles it in every language
    // ("jeudi prochain", "el próximo jueves", "next Thursday"; "jeudi
    // dernier", "el jueves pasado", "last Thursday"); else the tense of
    // the sentence does.
    int tense = 0;
    bool strict = true;
    std::size_t first = i;
    std::size_t last = i;
    if (const Word* n = At(i + 1); n != nullptr && PeriodDirection(n->lower)) {
      tense = PeriodDirection(n->lower);
      last = i + 1;
    } else if (i > 0 && PeriodDirection(words_[i - 1].lower)) {
      tense = PeriodDirection(words_[i - 1].lower);
      first = i - 1;
    } else {
      tense = TenseAround(words_, i, options_.lang);
      strict = false;
    }
    Emit(ResolveWeekday(weekday, tense, ref, strict), DateGranularity::kDay, first, last, true,
         false);
    return last - i + 1;
  }

  std::size_t TryDeictic(std::size_t i, int offset) {
    const Word& w = words_[i];
    const std::string_view prev =
        i > 0 ? std::string_view(words_[i - 1].lower) : std::string_view();
    // "por la mañana" is "in the morning"; "heute Morgen" / "der Morgen"
    // is "this morning".
    if (w.lower == "mañana" &&
        (prev == "la" || prev == "esta" || prev == "por")) {
      return 1;
    }
    if (w.lower == "morgen" && (w.capitalized && !w.sentence_initial)) {
      return 1;
    }
    Emit(AddDays(*options_.reference, offset), DateGranularity::kDay, i, i,
         true, false);
    return 1;
  }

  // "la semaine dernière", "last week", "el mes próximo", "nächste Woche".
  std::size_t TryPeriod(std::size_t i, int period) {
    int direction = 0;
    std::size_t first = i;
    std::size_t last = i;
    if (const Word* n = At(i + 1); n != nullptr && PeriodDirection(n->lower)) {
      direction = PeriodDirection(n->lower);
      last = i + 1;
    } else if (i > 0 && PeriodDirection(words_[i - 1].lower)) {
      direction = PeriodDirection(words_[i - 1].lower);
      first = i - 1;
    }
    if (direction == 0) return 0;
    const CivilDate ref = *options_.reference;
    if (period == 7) {
      const CivilDate d = AddDays(ref, 7 * direction);
      Emit(AddDays(d, -Weekday(d)), DateGranularity::kWeek, first, last, true,
           false);
    } else {
      int y = ref.year;
      int m = ref.month + direction;
      if (m == 0) {
        m = 12;
        --y;
      } else if (m == 13) {
        m = 1;
        ++y;
      }
      Emit(CivilDate{y, m, 1}, DateGranularity::kMonth, first, last, true,
           false);
    }
    return last - i + 1;
  }

  const Document& doc_;
  const Sentence& sentence_;
  std::span<const Word> words_;
  const DateOptions& options_;
  const bool resolve_relative_;
  std::vector<DateMention>* out_;
};

bool IsFilePhoto(std::string_view paragraph) {
  for (std::string_view marker :
       {"File Photo", "FILE", "DOSSIER", "dossier", "ARCHIV", "archiv"}) {
    if (paragraph.find(marker) != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace

std::vector<DateMention> FindDates(const Document& doc,
                                   const DateOptions& options,
                                   bool resolve_relative) {
  std::vector<DateMention> out;
  for (const Sentence& s : doc.sentences) {
    if (doc.paragraphs[s.paragraph].role == ParagraphRole::kChrome) continue;
    SentenceScanner(doc, s, options, resolve_relative, &out).Run();
  }
  return out;
}

std::optional<CivilDate> LatestFullDate(const Document& doc,
                                        std::string_view lang) {
  DateOptions options;
  options.lang = std::string(lang);
  std::optional<CivilDate> body;
  std::optional<CivilDate> caption;
  for (const DateMention& m : FindDates(doc, options, false)) {
    if (m.granularity != DateGranularity::kDay || m.year_inferred) continue;
    if (!m.in_caption) {
      body = std::max(body.value_or(m.date), m.date);
    } else {
      const std::size_t p = doc.sentences.empty() ? 0 : [&] {
        for (const Sentence& s : doc.sentences) {
          if (s.begin <= m.begin && m.begin < s.end) return s.paragraph;
        }
        return std::uint32_t{0};
      }();
      const Paragraph& para = doc.paragraphs[p];
      if (!IsFilePhoto(doc.Slice(para.begin, para.end))) {
        caption = std::max(caption.value_or(m.date), m.date);
      }
    }
  }
  return body ? body : caption;
}

std::optional<CivilDate> OwnYearAnchor(const Document& doc, std::string_view lang,
                                       std::string_view url) {
  std::optional<CivilDate> own = LatestFullDate(doc, lang);
  for (std::string_view where : {doc.text, url}) {
    if (std::optional<CivilDate> d = LatestUrlDate(where)) {
      own = std::max(own.value_or(*d), *d);
    }
  }
  return own;
}

Result<InferredDate> InferFromDocument(const Document& doc, std::string_view lang,
                                       std::optional<CivilDate> anchor, std::string_view url) {
  // The article's own full dates place its year-less ones; the caller's
  // anchor (a guess from other articles) only when it has none.
  const std::optional<CivilDate> own = OwnYearAnchor(doc, lang, url);
  DateOptions options;
  options.lang = std::string(lang);
  options.reference = own ? own : anchor;
  const InferredDate::YearSource guessed =
      own ? InferredDate::YearSource::kArticle : InferredDate::YearSource::kAnchor;
  auto year_source = [&](const DateMention& m) {
    return m.year_inferred ? guessed : InferredDate::YearSource::kWritten;
  };
  std::vector<DateMention> dates = FindDates(doc, options, false);
  // The dateline's day wins over any other day the text names ("ballot
  // closing on April 11" in a "March 31" dateline story).
  for (const DateMention& m : dates) {
    if (m.begin >= doc.dateline_end) break;
    if (m.granularity == DateGranularity::kDay && !m.in_caption &&
        doc.InDateline(static_cast<std::uint32_t>(m.begin))) {
      return InferredDate{m.date, InferredDate::Basis::kDateline, year_source(m)};
    }
  }
  // Without a dateline the article's days are weaker evidence: a day more
  // than a year before the latest year the article writes ("born on April
  // 22, 1923" in an obituary that mentions 2005) is background too.
  int latest_year = 0;
  for (const DateMention& m : dates) {
    if (!m.in_caption && !m.year_inferred) {
      latest_year = std::max(latest_year, m.date.year);
    }
  }
  const std::int64_t floor = latest_year != 0 ? Days(CivilDate{latest_year, 1, 1}) : 0;
  struct Count {
    int n = 0;
    bool written = false;  // one mention wrote the year
  };
  std::map<CivilDate, Count> counts;
  for (const DateMention& m : dates) {
    if (m.granularity == DateGranularity::kDay && !m.in_caption && !m.historical &&
        (latest_year == 0 || floor - Days(m.date) < options.historical_days)) {
      Count& c = counts[m.date];
      ++c.n;
      c.written = c.written || !m.year_inferred;
    }
  }
  if (counts.empty()) {
    return MakeError(ErrorCode::kNotFound, "no dateline or dated day in text");
  }
  auto best = counts.begin();
  for (auto it = counts.begin(); it != counts.end(); ++it) {
    if (it->second.n >= best->second.n) best = it;  // later dates win ties
  }
  return InferredDate{best->first, InferredDate::Basis::kTextDates,
                      best->second.written ? InferredDate::YearSource::kWritten : guessed};
}

}  // namespace internal

Result<std::vector<DateMention>> ExtractDates(std::string_view text,
                                              const DateOptions& options) {
  Result<internal::Document> doc = internal::AnalyzeDocument(text, options.lang);
  if (!doc) return Fail(doc.error());
  return internal::FindDates(*doc, options, true);
}

Result<InferredDate> InferPublicationDate(std::string_view text, std::string_view lang,
                                          std::optional<CivilDate> anchor, std::string_view url) {
  Result<internal::Document> doc = internal::AnalyzeDocument(text, lang);
  if (!doc) return Fail(doc.error());
  return internal::InferFromDocument(*doc, lang, anchor, url);
}

std::optional<CivilDate> LatestUrlDate(std::string_view text) {
  // Each URL runs from "http" or "www." to the next space; inside it, a
  // year, month and day of 4, 2 and 2 digits joined by '/' or '-' and not
  // part of a longer number.
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  auto number = [&](std::string_view s, std::size_t at, std::size_t len) {
    int v = 0;
    for (std::size_t k = at; k < at + len; ++k) {
      if (!digit(s[k])) return -1;
      v = v * 10 + (s[k] - '0');
    }
    return v;
  };
  std::optional<CivilDate> latest;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t begin = std::min(text.find("http", pos), text.find("www.", pos));
    if (begin == std::string_view::npos) break;
    std::size_t end = begin;
    while (end < text.size() && text[end] != ' ' && text[end] != '\n' && text[end] != '\t' &&
           text[end] != '"' && text[end] != '<') {
      ++end;
    }
    const std::string_view u = text.substr(begin, end - begin);
    for (std::size_t k = 0; k + 10 <= u.size(); ++k) {
      if (k > 0 && digit(u[k - 1])) continue;
      if (k + 10 < u.size() && digit(u[k + 10])) continue;
      const char sep = u[k + 4];
      if ((sep != '/' && sep != '-') || u[k + 7] != sep) continue;
      const CivilDate c{number(u, k, 4), number(u, k + 5, 2), number(u, k + 8, 2)};
      if (c.year < 1990 || c.year > 2100 || !IsValidDate(c)) continue;
      latest = std::max(latest.value_or(c), c);
    }
    pos = end + 1;
  }
  return latest;
}

}  // namespace storyline::digest
