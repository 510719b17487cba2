#include "cluster/features.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace storyline::cluster::internal {
namespace {

TEST(FoldNameTest, SpellingsAcrossLanguagesMeet) {
  struct Case {
    const char* word;  // case-folded, as the tokenizer gives it
    const char* key;
    const char* why;
  };
  const Case cases[] = {
      {"genève", "geneve", "accents folded"},
      {"geneva", "geneve", "English exonym, from the table"},
      {"genf", "geneve", "German exonym, from the table"},
      {"путин", "putin", "Cyrillic transliterated"},
      {"poutine", "putin", "French spelling, from the table"},
      {"échirolles", "echirolles", "accents folded"},
      {"saona", "saone", "Spanish river name"},
      {"москва", "moskva", "Cyrillic city"},
      {"moscou", "moskva", "French exonym"},
      {"łódź", "lodz", "Polish letters without decomposition"},
      {"cuxhaven", "cuxhaven", "ASCII untouched"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.why);
    EXPECT_EQ(FoldName(c.word), c.key) << c.word;
  }
}

TEST(NormalizeNumberTest, SeparatorsAgreeAcrossLanguages) {
  struct Case {
    const char* number;
    const char* normal;
  };
  const Case cases[] = {
      {"2,3", "2.3"},    {"2.3", "2.3"},
      {"1.200", "1200"}, {"1,200", "1200"},
      {"1200", "1200"},  {"12.500.000", "12500000"},
      {"87", "87"},      {"5", ""},
      {"5,1", "5.1"},    {"2022-2023", "2022-2023"},
  };
  for (const Case& c : cases) EXPECT_EQ(NormalizeNumber(c.number), c.normal) << c.number;
}

bool Has(const ExtractedArticle& x, Field field, std::string_view text) {
  const std::uint64_t term = TermHash(field, text);
  const SparseVector& v = x.fields[field];
  return std::any_of(v.begin(), v.end(), [&](const TermWeight& t) { return t.term == term; });
}

TEST(FeatureExtractorTest, NamesAreCapitalisedWordsAwayFromSentenceStarts) {
  FeatureExtractor extractor;
  ExtractedArticle x = extractor.Extract(
      "Talks", "Yesterday the president met Vladimir Poutine in Genève. Officials said little.",
      "en");
  EXPECT_TRUE(Has(x, kNames, "putin"));
  EXPECT_TRUE(Has(x, kNames, "vladimir"));
  EXPECT_TRUE(Has(x, kNames, "geneve"));
  EXPECT_FALSE(Has(x, kNames, "yesterday")) << "sentence start";
  EXPECT_FALSE(Has(x, kNames, "officials")) << "sentence start";
  EXPECT_FALSE(Has(x, kNames, "president")) << "lower case";
}

TEST(FeatureExtractorTest, DatesAreOneFeatureInEveryLanguage) {
  FeatureExtractor extractor;
  struct Case {
    const char* body;
    const char* lang;
  };
  const Case cases[] = {
      {"La barge a heurté la passerelle le 12 mars à Lyon.", "fr"},
      {"The barge hit the footbridge on March 12th in Lyon.", "en"},
      {"La barcaza chocó el 12 de marzo en Lyon.", "es"},
      {"Der Lastkahn rammte am 12. März die Brücke in Lyon.", "de"},
  };
  for (const Case& c : cases) {
    ExtractedArticle x = extractor.Extract("", c.body, c.lang);
    EXPECT_TRUE(Has(x, kNumbers, "date:03-12")) << c.body;
    EXPECT_TRUE(Has(x, kNames, "lyon")) << c.body;
  }
}

TEST(FeatureExtractorTest, NumbersAreQuantitiesNotDaysOfDates) {
  FeatureExtractor extractor;
  struct Case {
    const char* body;
    const char* lang;
    const char* has;
    const char* lacks;
    const char* why;
  };
  const Case cases[] = {
      {"Les pourparlers auront lieu le 12 janvier.", "fr", "date:01-12", "12",
       "the day belongs to the date"},
      {"Talks open on January 12 in Geneva.", "en", "date:01-12", "12", "day after the month"},
      {"Il y a 12 soldats et 40 blindés.", "fr", "12", "date:01-12", "a quantity stays"},
      {"Quelque 10 000 soldats sont rentrés.", "fr", "10000", "000", "space-grouped thousands"},
      {"Quelque 1\u00a0200\u00a0000 euros.", "fr", "1200000", "200", "no-break space groups"},
      {"Il a 10 ans, 000 n'est pas un nombre ici.", "fr", "10", "10000", "punctuation between"},
  };
  for (const Case& c : cases) {
    ExtractedArticle x = extractor.Extract("", c.body, c.lang);
    EXPECT_TRUE(Has(x, kNumbers, c.has)) << c.why << ": " << c.body;
    EXPECT_FALSE(Has(x, kNumbers, c.lacks)) << c.why << ": " << c.body;
  }
}

TEST(FeatureExtractorTest, StopwordsAndStemming) {
  FeatureExtractor extractor;
  ExtractedArticle x = extractor.Extract("Firefighters fought the fires", "", "en");
  EXPECT_TRUE(Has(x, kBody, "fire"));
  EXPECT_TRUE(Has(x, kTitle, "fire"));
  EXPECT_FALSE(Has(x, kBody, "the"));
  EXPECT_EQ(x.lang, "en");
}

TEST(FeatureExtractorTest, UntranslatedWordsStandForThemselvesInThePivot) {
  // No dictionaries at all: the names of a Portuguese and a Spanish title
  // still meet the English title's pivot (stemmed as English), Cyrillic
  // titles in Latin letters.
  FeatureExtractor extractor;
  ExtractedArticle en = extractor.Extract("Kevin Love withdraws from Olympics", "", "en");
  ExtractedArticle pt = extractor.Extract("Kevin Love desiste das Olimpíadas", "", "pt");
  ExtractedArticle es = extractor.Extract("Kevin Love no estará en Tokio", "", "es");
  for (const ExtractedArticle* x : {&en, &pt, &es}) {
    EXPECT_TRUE(Has(*x, kPivot, "kevin"));
    EXPECT_TRUE(Has(*x, kPivot, "love"));
  }
  ExtractedArticle ru = extractor.Extract("Кевин Лав", "", "ru");
  EXPECT_FALSE(ru.fields[kPivot].empty());
}

TEST(FeatureExtractorTest, DetectsLanguageAndSurvivesBadBytes) {
  FeatureExtractor extractor;
  ExtractedArticle x =
      extractor.Extract("Incendie",
                        "Un incendie a détruit l'entrepôt de la société pendant la nuit, selon les "
                        "pompiers qui sont restés sur place jusqu'au matin.\xff",
                        "");
  EXPECT_EQ(x.lang, "fr");
  EXPECT_FALSE(x.fields[kBody].empty());
}

TEST(FeatureExtractorTest, TermHashIsStable) {
  // The serialised state depends on these values; changing the hash breaks
  // stored states.
  EXPECT_EQ(TermHash(kNames, "lyon"), TermHash(kNames, "lyon"));
  EXPECT_NE(TermHash(kNames, "lyon"), TermHash(kBody, "lyon"));
}

}  // namespace
}  // namespace storyline::cluster::internal
