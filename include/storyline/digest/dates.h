// Dates in news text: absolute, relative, datelines and publication dates.
//
//   DateOptions options;
//   options.lang = "fr";
//   options.reference = CivilDate{2022, 1, 8};       // publication day
//   Result<std::vector<DateMention>> dates = ExtractDates(
//       "Les pourparlers doivent commencer lundi à Genève. Le 12 janvier, "
//       "le conseil se réunira à Bruxelles.", options);
//   // (*dates)[0]: 2022-01-10, "lundi", relative (future context)
//   // (*dates)[1]: 2022-01-12, "12 janvier", year inferred
//
//   Result<InferredDate> d = InferPublicationDate(
//       "WASHINGTON, 8 janvier (Reuters) – Les États-Unis...", "fr",
//       CivilDate{2022, 1, 20});
//   // d->date == 2022-01-08, d->basis == InferredDate::Basis::kDateline
//
// Recognised, in French, English, Spanish and German:
//  * absolute dates: "10 janvier 2022", "le 1er mars", "January 10, 2022",
//    "Dec. 7", "7 December 2021", "el 10 de enero de 2022", "am 10. Januar",
//    "2022-01-10", "10/01/2022" and "10.01.2022" (day first, except English
//    where month first is the default: DateOptions::english_month_first);
//    a weekday before a date ("lundi 10 janvier") belongs to it;
//  * deictic words: hier/aujourd'hui/demain, yesterday/today/tomorrow,
//    ayer/hoy/mañana, gestern/heute/morgen (and the day before/after);
//  * weekdays: "lundi", "Monday", "el lunes", "am Montag". A weekday next
//    to a direction word resolves that way ("jeudi prochain", "el próximo
//    jueves", "next Thursday" ahead; "jeudi dernier", "el jueves pasado",
//    "last Thursday" back). Otherwise it resolves to the most recent such
//    day before the reference in a past context ("a déclaré samedi", "said
//    on Monday") and to the next one in a future context ("doivent commencer
//    lundi", "will meet on Monday", "ne pourra être dégagée qu'au mieux
//    jeudi", "posiblemente el jueves"), judged from the tense cues of the
//    sentence, nearest first, the same way in every language. A bare French
//    participle ("la décrue amorcée") is an adjective, not a past cue,
//    unless an auxiliary precedes it ("a déclaré"). Without a cue the
//    past is chosen (news mostly reports what happened). A weekday equal to
//    the reference's weekday is the reference day itself (wire copy names
//    the dateline's day by its weekday);
//  * periods: "la semaine dernière", "next month", "el mes pasado",
//    "nächste Woche" (week or month granularity);
//  * bare years: "en 2014", "a 1987 treaty" (year granularity, marked
//    historical when before the reference year).
// Years missing from a date are taken nearest to the reference (so
// "7 décembre" read on 2022-01-10 is 2021-12-07). Without a reference,
// relative expressions and year-less dates are not returned.
//
// Functions here are pure and thread-safe.
#ifndef STORYLINE_DIGEST_DATES_H_
#define STORYLINE_DIGEST_DATES_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storyline/core/date.h"
#include "storyline/core/result.h"

namespace storyline::digest {

// How precise a DateMention is.
enum class DateGranularity {
  kDay,    // one day
  kWeek,   // a week; `date` is its Monday
  kMonth,  // a month; `date` is its first day
  kYear,   // a year; `date` is its 1 January
};

struct DateMention {
  CivilDate date;
  DateGranularity granularity = DateGranularity::kDay;
  // Resolved against the reference (weekday, "hier", "next week").
  bool relative = false;
  // The year was not written and was inferred from the reference.
  bool year_inferred = false;
  // Background rather than news: a bare year before the reference year, or
  // a day more than DateOptions::historical_days before the reference.
  bool historical = false;
  // Inside a photo caption or credit line (kept out of timelines).
  bool in_caption = false;
  // Bytes of the expression and of its sentence in the input text.
  std::size_t begin = 0;
  std::size_t end = 0;
  std::size_t sentence_begin = 0;
  std::size_t sentence_end = 0;
};

struct DateOptions {
  // lang (""): ISO 639-1 code of the text. Only changes the reading of
  // numeric dates ("en": month first) and sentence splitting.
  std::string lang;
  // reference (none): the day the text speaks from (publication date or
  // dateline). Needed for relative expressions and year inference.
  std::optional<CivilDate> reference;
  // english_month_first (true): "01/10/2022" in English text is January 10
  // (US usage) unless the first number is above 12.
  bool english_month_first = true;
  // historical_days (365): a dated day this many days or more before the
  // reference is background, not news.
  int historical_days = 365;
};

// All date expressions of `text` in order. Errors: kInvalidInput for
// ill-formed UTF-8, kInvalidArgument for texts of 2 GiB or more.
Result<std::vector<DateMention>> ExtractDates(std::string_view text,
                                              const DateOptions& options);

// A publication date found in the text itself.
struct InferredDate {
  enum class Basis {
    kDateline,      // "WASHINGTON, 8 janvier (Reuters) –"
    kTextDates,     // the most frequent, then latest, explicit day in the body
  };
  // Where the year of `date` came from.
  enum class YearSource {
    kWritten,  // written in the date itself ("8 janvier 2022")
    kArticle,  // the article's own latest full date (its text or its URL)
    kAnchor,   // the caller's anchor: the article gave no year of its own
  };
  CivilDate date;
  Basis basis = Basis::kDateline;
  YearSource year_source = YearSource::kWritten;
};

// Infers when an article without `published` was written, from the
// article's own context only:
//  1. the dateline ("PORTSMOUTH, England, March 31 (Wire) —", found in the
//     first paragraphs after a headline, bylines and chrome): a dateline is
//     never overridden by other days named in the text;
//  2. else the most frequent (ties: the latest) explicit, non-historical day
//     outside captions; a day more than DateOptions::historical_days before
//     the latest year the article writes is background ("born on April 22,
//     1923" in an obituary that mentions 2005).
// A date written without a year takes the year nearest to the article's own
// latest full date (written with its year in the text outside file-photo
// captions, or in a URL of the text or `url`: ".../2021/12/21/...",
// "...-2021-12-21"); only when the article gives none is `anchor` used (the
// caller's year anchor: the article's source or its neighbours in time).
// The caller marks the result as inferred. Errors: kNotFound when the text
// gives no usable date; kInvalidInput for ill-formed UTF-8.
Result<InferredDate> InferPublicationDate(std::string_view text, std::string_view lang,
                                          std::optional<CivilDate> anchor = std::nullopt,
                                          std::string_view url = {});

// The latest day written with its year in a URL inside `text` (or `text`
// itself when it is a URL), as news sites put publication days in paths:
// ".../2021/12/21/...", "...-2021-12-21/". Eight digits in a row
// ("20211221") are not read: too often an id. nullopt when there is none.
std::optional<CivilDate> LatestUrlDate(std::string_view text);

}  // namespace storyline::digest

#endif  // STORYLINE_DIGEST_DATES_H_
