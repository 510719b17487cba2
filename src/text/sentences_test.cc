#include "storyline/text/sentences.h"

#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace storyline::text {
namespace {

struct Row {
  std::string_view input;
  std::string_view lang;
  std::string_view expected;  // sentences joined by '|'
  std::string_view why;
};

std::string Split(std::string_view input, std::string_view lang) {
  Result<std::vector<ByteSpan>> spans = SplitSentences(input, lang);
  EXPECT_TRUE(spans.has_value()) << input;
  std::string out;
  if (!spans) return out;
  for (const ByteSpan& s : *spans) {
    if (!out.empty()) out += '|';
    out += input.substr(s.begin, s.size());
  }
  return out;
}

TEST(SplitSentencesTest, Table) {
  const Row rows[] = {
      {"", "", "", "empty text"},
      {"  \n ", "", "", "blank text"},
      {"Il pleut. Le match est reporté.", "fr",
       "Il pleut.|Le match est reporté.", "two plain sentences"},
      {"M. Dupont a parlé. Mme Durand aussi.", "fr",
       "M. Dupont a parlé.|Mme Durand aussi.", "French M. title"},
      {"Selon Mme. Roux, rien. Fin.", "fr", "Selon Mme. Roux, rien.|Fin.",
       "Mme with a dot"},
      {"Le 3 janv. Paris a voté. Puis le 5 déc. Lyon aussi.", "fr",
       "Le 3 janv. Paris a voté.|Puis le 5 déc. Lyon aussi.",
       "French month abbreviations"},
      {"Il est arrivé à 9 h. Il a parlé.", "fr",
       "Il est arrivé à 9 h.|Il a parlé.",
       "lower-case single letter is not an initial"},
      {"Mr. Smith met Mrs. Jones. They left.", "en",
       "Mr. Smith met Mrs. Jones.|They left.", "English titles"},
      {"Dr. Lee and Gen. Hart spoke in St. Louis. It rained.", "en",
       "Dr. Lee and Gen. Hart spoke in St. Louis.|It rained.",
       "Dr., Gen., St."},
      {"Talks began Jan. 8 and end Dec. 12. More soon.", "en",
       "Talks began Jan. 8 and end Dec. 12.|More soon.", "English months"},
      {"J. Smith and A. B. Jones wrote it. Done.", "en",
       "J. Smith and A. B. Jones wrote it.|Done.", "initials"},
      {"The U.S. Senate voted. Then it adjourned.", "en",
       "The U.S. Senate voted.|Then it adjourned.", "acronym U.S."},
      {"Growth was 3.5 percent. Prices rose.", "en",
       "Growth was 3.5 percent.|Prices rose.", "decimal number"},
      {"Die Wahl ist am 8. Januar. Sie wird knapp.", "de",
       "Die Wahl ist am 8. Januar.|Sie wird knapp.", "German ordinal day"},
      {"Das gilt z.B. Montags. Sonst nicht.", "de",
       "Das gilt z.B. Montags.|Sonst nicht.", "z.B. acronym"},
      {"El Sr. García llegó. La Sra. Pérez no.", "es",
       "El Sr. García llegó.|La Sra. Pérez no.", "Spanish titles"},
      {"O Dr. Silva falou. A reunião acabou.", "pt",
       "O Dr. Silva falou.|A reunião acabou.", "Portuguese title"},
      {"В 2022 г. Москва ответила. Переговоры продолжатся.", "ru",
       "В 2022 г. Москва ответила.|Переговоры продолжатся.",
       "Russian year abbreviation"},
      {"Seja je vodil dr. Novak. Sklep je bil sprejet.", "sl",
       "Seja je vodil dr. Novak.|Sklep je bil sprejet.", "Slovenian dr."},
      {"Začel se je 25. Festival slovenskega filma. Trajal bo teden dni.",
       "sl",
       "Začel se je 25. Festival slovenskega filma.|Trajal bo teden dni.",
       "Slovenian ordinal before a capitalised title"},
      {"Titre sans point\nPremière phrase du texte.", "fr",
       "Titre sans point|Première phrase du texte.",
       "a line break ends a title"},
      {"Signé M.\nSuite du texte.", "fr", "Signé M.|Suite du texte.",
       "no merge across a line break"},
      {"« Nous partons. » Il est parti.", "fr",
       "« Nous partons. »|Il est parti.", "closing guillemet stays"},
      {"قال الرئيس إن المحادثات ستستمر. وأضاف أن الاتفاق قريب.", "ar",
       "قال الرئيس إن المحادثات ستستمر.|وأضاف أن الاتفاق قريب.",
       "Arabic, right-to-left"},
      {"会议今天开始。双方都表示乐观。", "zh", "会议今天开始。|双方都表示乐观。",
       "Chinese full stop"},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(Split(row.input, row.lang), row.expected) << row.why;
  }
}

TEST(SplitSentencesTest, OrdinalRuleOnlyForLanguagesThatUseIt) {
  EXPECT_EQ(Split("We won 2. Then we lost.", "en"), "We won 2.|Then we lost.");
  EXPECT_EQ(Split("Am 8. Januar. Dann.", ""), "Am 8.|Januar.|Dann.");
}

TEST(SplitSentencesTest, BrokenUtf8IsAnError) {
  Result<std::vector<ByteSpan>> r = SplitSentences("Il pleut.\xc3");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
}

}  // namespace
}  // namespace storyline::text
