#include "storyline/digest/dates.h"

#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace storyline::digest {
namespace {

// A Saturday: "lundi" is 2022-01-03 in the past and 2022-01-10 ahead.
constexpr CivilDate kSaturday{2022, 1, 8};

struct Row {
  std::string_view lang;
  std::string_view text;
  // Mentions joined by ' ': the date, then 'r' relative, 'y' year inferred,
  // 'h' historical, 'c' in a caption; 'W', 'M', 'Y' for week, month and
  // year granularity.
  std::string_view expected;
  std::string_view why;
};

std::string Describe(std::string_view lang, std::string_view text,
                     std::optional<CivilDate> reference) {
  DateOptions options;
  options.lang = std::string(lang);
  options.reference = reference;
  Result<std::vector<DateMention>> dates = ExtractDates(text, options);
  EXPECT_TRUE(dates.has_value()) << text;
  std::string out;
  if (!dates) return out;
  for (const DateMention& m : *dates) {
    if (!out.empty()) out += ' ';
    out += FormatDate(m.date);
    if (m.relative) out += 'r';
    if (m.year_inferred) out += 'y';
    if (m.historical) out += 'h';
    if (m.in_caption) out += 'c';
    switch (m.granularity) {
      case DateGranularity::kDay: break;
      case DateGranularity::kWeek: out += 'W'; break;
      case DateGranularity::kMonth: out += 'M'; break;
      case DateGranularity::kYear: out += 'Y'; break;
    }
  }
  return out;
}

TEST(ExtractDatesTest, AbsoluteDates) {
  const Row rows[] = {
      {"fr", "La réunion a eu lieu le 10 janvier 2022 à Lyon.", "2022-01-10",
       "French day month year"},
      {"fr", "Le sommet se tiendra le 1er mars.", "2022-03-01y",
       "French 1er, year nearest to the reference"},
      {"fr", "Les deux hommes s'étaient parlé le 7 décembre.", "2021-12-07y",
       "December read in January is the previous December"},
      {"en", "The ministers met on January 10, 2022 in Oslo.", "2022-01-10",
       "English month day, year"},
      {"en", "Officials first spoke on Dec. 7 by video link.", "2021-12-07y",
       "abbreviated month with a dot"},
      {"en", "The agreement was signed on 7 December 2021 in Rome.",
       "2021-12-07", "British order"},
      {"es", "Los ministros se reunieron el 10 de enero de 2022 en Madrid.",
       "2022-01-10", "Spanish de ... de"},
      {"de", "Die Gespräche beginnen am 10. Januar in Genf.", "2022-01-10y",
       "German ordinal day"},
      {"fr", "Le texte a été publié le 10/01/2022.", "2022-01-10",
       "numeric day first in French"},
      {"en", "The filing is dated 01/10/2022.", "2022-01-10",
       "numeric month first in English"},
      {"en", "The filing is dated 25/12/2021.", "2021-12-25",
       "a first number above 12 can only be a day"},
      {"de", "Die Frist endete am 10.01.2022.", "2022-01-10",
       "German dotted numeric date"},
      {"en", "Data released 2022-01-10 shows a rise.", "2022-01-10", "ISO"},
      {"fr", "Le vote est prévu lundi 10 janvier.", "2022-01-10y",
       "a weekday before a date belongs to it"},
      {"en", "Shares may fall in March.", "", "bare month names are no day"},
      {"en", "They may 10 times more.", "", "lower-case 'may' is a verb"},
      {"fr", "Les recettes de janvier 2022 sont en hausse.", "2022-01-01M",
       "a month with its year"},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(Describe(row.lang, row.text, kSaturday), row.expected)
        << row.why << ": " << row.text;
  }
}

TEST(ExtractDatesTest, RelativeDates) {
  const Row rows[] = {
      {"fr", "Les pourparlers doivent commencer lundi à Genève.",
       "2022-01-10r", "future context: next Monday"},
      {"fr", "Le ministre a déclaré lundi que rien n'était décidé.",
       "2022-01-03r", "past context: last Monday"},
      {"fr", "Un responsable a déclaré samedi que l'offre tenait.",
       "2022-01-08r", "the reference's own weekday is the reference day"},
      {"fr", "Les discussions impliqueront l'alliance mercredi à Bruxelles.",
       "2022-01-12r", "French simple future"},
      {"fr", "Il est arrivé hier, elle part demain.", "2022-01-07r 2022-01-09r",
       "hier and demain"},
      {"fr", "Aujourd'hui, le calme est revenu.", "2022-01-08r",
       "aujourd'hui at a sentence start"},
      {"fr", "Les experts se retrouveront la semaine prochaine.",
       "2022-01-10rW", "next week starts on Monday 10"},
      {"fr", "Le traité sera discuté le mois prochain.", "2022-02-01rM",
       "next month"},
      {"en", "The two sides will meet on Monday in Geneva.", "2022-01-10r",
       "English future"},
      {"en", "The minister said on Monday that talks had failed.",
       "2022-01-03r", "English past"},
      {"en", "Prices rose yesterday and fell last week.",
       "2022-01-07r 2021-12-27rW", "yesterday and last week"},
      {"es", "El ministro dijo el lunes que no habrá acuerdo.", "2022-01-03r",
       "Spanish past"},
      {"es", "Ayer llegó la delegación; por la mañana hubo reuniones.",
       "2022-01-07r", "ayer, and 'la mañana' is the morning"},
      {"de", "Der Minister sagte am Montag, es gebe keine Einigung.",
       "2022-01-03r", "German past"},
      {"de", "Die Delegation wird am Montag in Wien erwartet.", "2022-01-10r",
       "German future"},
      {"de", "Gestern sprach er, heute Morgen schwieg er.",
       "2022-01-07r 2022-01-08r", "'heute Morgen' is this morning"},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(Describe(row.lang, row.text, kSaturday), row.expected)
        << row.why << ": " << row.text;
  }
}

// Regression (issue 16): in an article of Wednesday 12 March, French and
// Spanish weekdays read backwards (to 6 March) where English read forwards.
// Every language now follows the same cues: the tense of the sentence, and
// a direction word next to the weekday before anything else.
TEST(ExtractDatesTest, WeekdaysResolveAlikeInEveryLanguage) {
  constexpr CivilDate kWednesday{2025, 3, 12};
  const Row rows[] = {
      {"en", "A tug will try to free the barge, possibly on Thursday.",
       "2025-03-13r", "English future"},
      {"fr",
       "Le bateau ne pourra être retiré qu'une fois la crue passée, au mieux "
       "jeudi.",
       "2025-03-13r",
       "French future 'pourra', 'au mieux'; the bare participle 'passée' is "
       "no past cue"},
      {"fr", "Le retrait n'est pas attendu avant jeudi.", "2025-03-13r",
       "'attendu' looks ahead"},
      {"es",
       "Las autoridades prevén retirar el barco cuando baje el agua, "
       "posiblemente el jueves.",
       "2025-03-13r", "Spanish 'prevén', 'posiblemente'"},
      {"en", "The minister said on Thursday that the bridge stays shut.",
       "2025-03-06r", "English past"},
      {"fr", "Le ministre a annoncé jeudi la fermeture du pont.",
       "2025-03-06r", "French passé composé"},
      {"es", "El ministro anunció el jueves el cierre del puente.",
       "2025-03-06r", "Spanish preterite"},
      {"fr", "Une réunion se tient jeudi prochain.", "2025-03-13r",
       "'prochain' after the weekday"},
      {"es", "La reunión fue el jueves pasado.", "2025-03-06r",
       "'pasado' after the weekday"},
      {"es", "Habrá una reunión el próximo jueves.", "2025-03-13r",
       "'próximo' before the weekday"},
      {"fr", "Il sera jugé jeudi dernier, disent-ils.", "2025-03-06r",
       "'dernier' beats the tense"},
      {"en", "They meet next Wednesday.", "2025-03-19r",
       "'next' on the same weekday is a week ahead"},
      {"en", "They met last Wednesday.", "2025-03-05r",
       "'last' on the same weekday is a week back"},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(Describe(row.lang, row.text, kWednesday), row.expected)
        << row.why << ": " << row.text;
  }
}

TEST(ExtractDatesTest, UndottedAbbreviationBeforeADayAndAYear) {
  EXPECT_EQ(Describe("en", "Example Wire | Mar 3, 2025 04:55 PM UTC",
                     std::nullopt),
            "2025-03-03");
  EXPECT_EQ(Describe("es", "El mar estaba en calma.", kSaturday), "");
}

TEST(LatestUrlDateTest, Table) {
  struct UrlRow {
    std::string_view text;
    std::string_view expected;  // "" for none
    std::string_view why;
  };
  const UrlRow rows[] = {
      {"See https://www.example.com/world/talks-2021-12-21/ for more.",
       "2021-12-21", "a dashed date at the end of a slug"},
      {"https://example.org/2019/03/05/story.html", "2019-03-05",
       "a dated path"},
      {"http://a.example/2019/03/05/x and www.b.example/2020-01-02-y",
       "2020-01-02", "the latest of several URLs"},
      {"Released 2021-12-21 by the ministry.", "", "not inside a URL"},
      {"https://example.com/id/20211221/x", "", "eight digits are an id"},
      {"https://example.com/2021/13/40/x", "", "no such day"},
  };
  for (const UrlRow& row : rows) {
    std::optional<CivilDate> d = LatestUrlDate(row.text);
    EXPECT_EQ(d ? FormatDate(*d) : std::string(), row.expected)
        << row.why << ": " << row.text;
  }
}

TEST(ExtractDatesTest, BackgroundAndCaptions) {
  const Row rows[] = {
      {"fr", "Le pays s'est retiré en 2019 du traité de 1987.",
       "2019-01-01hY 1987-01-01hY", "bare years are historical"},
      {"en", "It walked out of a 1987 treaty.", "1987-01-01hY",
       "a 1987 treaty"},
      {"fr", "Les 2000 soldats sont rentrés.", "",
       "a count is no year without a cue"},
      {"fr", "La crise de 2014 avait commencé le 27 février 2014.",
       "2014-01-01hY 2014-02-27h", "an old full date is background"},
      {"fr",
       "Le président parle à la tribune.\n"
       "Des manifestants à Kiev, Ukraine, le 10 janvier 2022.",
       "2022-01-10c", "a caption that ends on a place and a date"},
      {"en",
       "Talks went on.\nA view of the city on May 2, 2019. REUTERS/John Doe",
       "2019-05-02hc", "a caption with a photo credit"},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(Describe(row.lang, row.text, kSaturday), row.expected)
        << row.why << ": " << row.text;
  }
}

TEST(ExtractDatesTest, NoReferenceKeepsOnlyFullDates) {
  EXPECT_EQ(Describe("fr", "Il est parti lundi, le 7 décembre, puis le "
                           "10 janvier 2022.", std::nullopt),
            "2022-01-10");
}

TEST(InferPublicationDateTest, Table) {
  struct InferRow {
    std::string_view lang;
    std::string_view text;
    std::optional<CivilDate> hint;
    std::string_view expected;  // date, or "" for kNotFound
    InferredDate::Basis basis;
    std::string_view why;
  };
  const InferRow rows[] = {
      {"fr",
       "MADRID, 8 janvier (Agence) – Le gouvernement a présenté son plan.",
       CivilDate{2022, 1, 20}, "2022-01-08", InferredDate::Basis::kDateline,
       "French dateline, year from the hint"},
      {"en", "LONDON, Jan. 8, 2022 (Wire) - Markets fell sharply.",
       std::nullopt, "2022-01-08", InferredDate::Basis::kDateline,
       "dateline with a year"},
      {"fr",
       "OSLO, 8 janvier (Agence) – Le vote aura lieu le 12 janvier 2022.",
       std::nullopt, "2022-01-08", InferredDate::Basis::kDateline,
       "year taken from a full date in the body"},
      {"fr",
       "Le scrutin du 3 mai 2021 a été annulé. La Cour a revu le scrutin du "
       "3 mai 2021 puis celui du 9 mai 2021.",
       std::nullopt, "2021-05-03", InferredDate::Basis::kTextDates,
       "the most frequent date"},
      {"fr", "Rien ne permet de dater ce texte.", std::nullopt, "",
       InferredDate::Basis::kTextDates, "no date: not found"},
      // Regression (issue 16): the dateline is found under a headline and a
      // byline, and no later day of the text overrides it.
      {"en",
       "Ferry strike called off after pay deal\n\nBy Example Wire\n\n"
       "DOVER, England, March 31 (Example Wire) — Crews accepted the offer."
       "\n\nMembers vote in a ballot closing on April 11. The ballot closes "
       "on April 11.",
       CivilDate{2025, 3, 20}, "2025-03-31", InferredDate::Basis::kDateline,
       "dateline below a headline beats a day named twice"},
      {"en",
       "Crews vote to strike\n\nDOVER, England, March 3 (Example Wire) — "
       "Crews voted to strike.\n\nA first strike is planned from March 17.",
       CivilDate{2025, 3, 20}, "2025-03-03", InferredDate::Basis::kDateline,
       "dateline beats a later day on a tie"},
      {"en",
       "UK ferry crews vote to strike\n\nCrews voted to strike on March 3."
       "\n\nA first strike is planned from March 17.",
       CivilDate{2025, 3, 20}, "2025-03-17", InferredDate::Basis::kTextDates,
       "a headline in capitals without a dash is no dateline"},
      {"en",
       "She was born on April 22, 1923, in Nashville. A film told her story "
       "in 2005.",
       std::nullopt, "", InferredDate::Basis::kTextDates,
       "a birth date long before the latest year written is background"},
  };
  for (const InferRow& row : rows) {
    Result<InferredDate> d = InferPublicationDate(row.text, row.lang, row.hint);
    if (row.expected.empty()) {
      ASSERT_FALSE(d.has_value()) << row.why;
      EXPECT_EQ(d.error().code, ErrorCode::kNotFound);
      continue;
    }
    ASSERT_TRUE(d.has_value()) << row.why << ": " << d.error().ToString();
    EXPECT_EQ(FormatDate(d->date), row.expected) << row.why;
    EXPECT_EQ(d->basis, row.basis) << row.why;
  }
}

// Regression (issue 16): the year of a year-less dateline came from an
// anchor voted over the whole batch even when the article dated itself.
// The article's own full dates and URLs come first; the anchor only when
// the article writes no year.
TEST(InferPublicationDateTest, YearFromTheArticleBeforeTheAnchor) {
  struct YearRow {
    std::string_view text;
    std::string_view url;
    std::optional<CivilDate> anchor;
    std::string_view expected;
    InferredDate::YearSource source;
    std::string_view why;
  };
  constexpr CivilDate k2012{2012, 6, 1};
  const YearRow rows[] = {
      {"OSLO, 8 janvier (Agence) – Les pourparlers continuent.\n\n"
       "https://www.example.com/monde/pourparlers-2021-12-21/",
       "", k2012, "2022-01-08", InferredDate::YearSource::kArticle,
       "a dated link in the text beats the anchor"},
      {"OSLO, 8 janvier (Agence) – Les pourparlers continuent.",
       "https://example.com/2022/01/08/pourparlers", k2012, "2022-01-08",
       InferredDate::YearSource::kArticle, "the article's URL"},
      {"OSLO, 8 janvier (Agence) – Le vote du 3 décembre 2021 est contesté.",
       "", k2012, "2022-01-08", InferredDate::YearSource::kArticle,
       "a full date in the body"},
      {"OSLO, 8 janvier (Agence) – Les pourparlers continuent.", "", k2012,
       "2012-01-08", InferredDate::YearSource::kAnchor,
       "no year of its own: the anchor"},
      {"OSLO, 8 janvier 2022 (Agence) – Les pourparlers continuent.", "",
       k2012, "2022-01-08", InferredDate::YearSource::kWritten,
       "a dateline with its year"},
  };
  for (const YearRow& row : rows) {
    Result<InferredDate> d =
        InferPublicationDate(row.text, "fr", row.anchor, row.url);
    ASSERT_TRUE(d.has_value()) << row.why << ": " << d.error().ToString();
    EXPECT_EQ(FormatDate(d->date), row.expected) << row.why;
    EXPECT_EQ(d->year_source, row.source) << row.why;
  }
  EXPECT_FALSE(InferPublicationDate(
                   "OSLO, 8 janvier (Agence) – Les pourparlers continuent.",
                   "fr")
                   .has_value())
      << "no year anywhere and no anchor: not found";
}

TEST(ExtractDatesTest, InvalidUtf8IsAnError) {
  Result<std::vector<DateMention>> dates =
      ExtractDates("bad \xC3\x28 bytes", DateOptions{});
  ASSERT_FALSE(dates.has_value());
  EXPECT_EQ(dates.error().code, ErrorCode::kInvalidInput);
}

}  // namespace
}  // namespace storyline::digest
