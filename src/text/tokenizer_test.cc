#include "storyline/text/tokenizer.h"

#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace storyline::text {
namespace {

struct Row {
  std::string_view input;
  std::string_view expected;  // token texts joined by '|'
  std::string_view why;
};

std::string Join(Tokenizer& tokenizer, std::string_view input) {
  Result<std::span<const Token>> tokens = tokenizer.Tokenize(input);
  EXPECT_TRUE(tokens.has_value()) << input;
  std::string out;
  if (!tokens) return out;
  for (const Token& t : *tokens) {
    if (!out.empty()) out += '|';
    out += t.text;
  }
  return out;
}

TEST(TokenizerTest, Table) {
  const Row rows[] = {
      {"", "", "empty text"},
      {"Hello, World!", "hello|world", "ASCII, punctuation skipped"},
      {"L’OTAN a tranché", "l'|otan|a|tranché", "elision with curly apostrophe"},
      {"qu'il parte d'Ukraine", "qu'|il|parte|d'|ukraine", "qu' and d'"},
      {"jusqu’à l’aube, lorsqu’elle", "jusqu'|à|l'|aube|lorsqu'|elle",
       "longer French elided conjunctions"},
      {"aujourd’hui", "aujourd'hui", "inner apostrophe of one word kept"},
      {"dell'anno e un'altra", "dell'|anno|e|un'|altra", "Italian elision"},
      {"Biden's plan, don't", "biden|'s|plan|don't",
       "English possessive split, contraction kept"},
      {"le porte-parole Jean-Yves", "le|porte-parole|jean-yves",
       "hyphenated compounds are one token"},
      {"a-t-il dit", "a-t-il|dit", "French inverted question"},
      {"Paris – Berlin", "paris|berlin", "a dash between spaces is punctuation"},
      {"3,5 % et 1.200 morts en 2022", "3,5|et|1.200|morts|en|2022",
       "decimal comma, thousands dot, year"},
      {"1 200 habitants", "1|200|habitants", "space never joins digits"},
      {"en 2022, puis", "en|2022|puis", "trailing comma is not decimal"},
      {"covid-19 à 10h30", "covid-19|à|10h30", "letter-digit words"},
      {"the U.S. said", "the|u.s|said", "acronym keeps inner dots"},
      {"M.Dupont", "m|dupont", "single letter + dot + word is not an acronym"},
      {"Straße in München", "strasse|in|münchen", "German folding"},
      {"El Niño llegó", "el|niño|llegó", "Spanish"},
      {"Não há acordo", "não|há|acordo", "Portuguese"},
      {"Vlada je v petek sprejela", "vlada|je|v|petek|sprejela", "Slovenian"},
      {"Президент России заявил", "президент|россии|заявил", "Cyrillic"},
      {"قال الرئيس إن", "قال|الرئيس|إن", "Arabic, right-to-left"},
      {"İSTANBUL’da", "istanbul'da", "Turkish suffix after apostrophe stays"},
      {"e\u0301te\u0301 été", "été|été", "NFD and NFC give the same token"},
      {"zero\u200bwidth", "zerowidth", "zero-width space does not split"},
      {"北京欢迎你", "北京|欢迎|你", "Chinese segmented by dictionary"},
      {"東京都に住んでいます", "東京|都|に|住|んで|い|ます",
       "Japanese kanji and hiragana; ICU's dictionary segmentation is not a "
       "morphological analyser, so inflected verbs split oddly but stably"},
      {"コーヒーを飲む", "コーヒー|を|飲む", "katakana with prolonged sound mark"},
      {"ภาษาไทยง่ายนิดเดียว", "ภาษา|ไทย|ง่าย|นิด|เดียว", "Thai"},
      {"Tokyo東京2020年", "tokyo|東京|2020|年", "mixed scripts split at changes"},
      {"great 😀 news", "great|news", "emoji is punctuation, skipped"},
      {"news😀, l'😀", "news|l", "emoji right after a word is not a connector"},
  };
  Tokenizer tokenizer;
  for (const Row& row : rows) {
    EXPECT_EQ(Join(tokenizer, row.input), row.expected) << row.why;
  }
}

TEST(TokenizerTest, OptionsTable) {
  struct OptionRow {
    std::string_view input;
    TokenizerOptions options;
    std::string_view expected;
    std::string_view why;
  };
  const OptionRow rows[] = {
      {"Oui, non !", {.skip_punct = false}, "oui|,|non|!", "punct kept"},
      {"« Oui »", {.skip_punct = false}, "\"|oui|\"", "guillemets unified"},
      {"great 😀", {.skip_punct = false}, "great|😀", "emoji kept as punct"},
      {"porte-parole", {.split_hyphens = true}, "porte|parole",
       "hyphen split (and skipped as punct)"},
      {"porte-parole", {.skip_punct = false, .split_hyphens = true},
       "porte|-|parole", "hyphen split and kept"},
      {"l'OTAN et Biden's", {.split_elision = false}, "l'otan|et|biden's",
       "no elision split"},
  };
  for (const OptionRow& row : rows) {
    Tokenizer tokenizer(row.options);
    EXPECT_EQ(Join(tokenizer, row.input), row.expected) << row.why;
  }
}

TEST(TokenizerTest, KindsAndSpans) {
  const std::string input = "«\u00a0L’OTAN\u00a0» compte 32 membres ; 3,5 %";
  Tokenizer tokenizer({.skip_punct = false});
  Result<std::span<const Token>> tokens = tokenizer.Tokenize(input);
  ASSERT_TRUE(tokens.has_value());
  struct Expect {
    std::string_view text;
    std::string_view original;
    TokenKind kind;
  };
  const Expect expected[] = {
      {"\"", "«", TokenKind::kPunct},
      {"l'", "L’", TokenKind::kWord},
      {"otan", "OTAN", TokenKind::kWord},
      {"\"", "»", TokenKind::kPunct},
      {"compte", "compte", TokenKind::kWord},
      {"32", "32", TokenKind::kNumber},
      {"membres", "membres", TokenKind::kWord},
      {";", ";", TokenKind::kPunct},
      {"3,5", "3,5", TokenKind::kNumber},
      {"%", "%", TokenKind::kPunct},
  };
  ASSERT_EQ(tokens->size(), std::size(expected));
  for (std::size_t k = 0; k < tokens->size(); ++k) {
    const Token& t = (*tokens)[k];
    EXPECT_EQ(t.text, expected[k].text) << k;
    EXPECT_EQ(input.substr(t.span.begin, t.span.size()), expected[k].original)
        << k;
    EXPECT_EQ(t.kind, expected[k].kind) << k;
    EXPECT_FALSE(t.no_space_script) << k;
  }
}

TEST(TokenizerTest, NoSpaceScriptSpansPointIntoTheInput) {
  const std::string input = "新闻：北京欢迎你";
  Tokenizer tokenizer;
  Result<std::span<const Token>> tokens = tokenizer.Tokenize(input);
  ASSERT_TRUE(tokens.has_value());
  ASSERT_FALSE(tokens->empty());
  std::string rebuilt;
  for (const Token& t : *tokens) {
    EXPECT_TRUE(t.no_space_script) << t.text;
    rebuilt += input.substr(t.span.begin, t.span.size());
  }
  EXPECT_EQ(rebuilt, "新闻北京欢迎你") << "fullwidth colon skipped";
}

TEST(TokenizerTest, BrokenUtf8IsRejectedAndTokensCleared) {
  Tokenizer tokenizer;
  ASSERT_TRUE(tokenizer.Tokenize("un deux").has_value());
  Result<std::span<const Token>> bad = tokenizer.Tokenize("un \xe9t\xe9");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(bad.error().message.find("byte 3"), std::string::npos)
      << bad.error().message;
}

TEST(TokenizerTest, ReuseGivesTheSameTokens) {
  Tokenizer tokenizer;
  const std::string first = Join(tokenizer, "Le Parlement européen a voté.");
  Join(tokenizer, "Something entirely different and much longer than before.");
  EXPECT_EQ(Join(tokenizer, "Le Parlement européen a voté."), first);
}

}  // namespace
}  // namespace storyline::text
