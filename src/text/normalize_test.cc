#include "storyline/text/normalize.h"

#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace storyline::text {
namespace {

struct Row {
  std::string_view input;
  std::string_view expected;
  std::string_view why;
};

std::string NormalizeOrDie(std::string_view in, NormalizeOptions options = {}) {
  Result<NormalizedText> n = Normalize(in, options);
  EXPECT_TRUE(n.has_value()) << (n ? "" : n.error().ToString());
  return n ? n->text : std::string();
}

TEST(NormalizeTest, Table) {
  const Row rows[] = {
      {"", "", "empty stays empty"},
      {"  \t\n ", "", "whitespace only becomes empty"},
      {"Hello   World", "hello world", "ASCII lower-cased, spaces collapsed"},
      {"  Le   Monde \n", "le monde", "no space at either end"},
      {"L’OTAN", "l'otan", "French curly apostrophe unified"},
      {"l‘État", "l'état", "left single quote used as apostrophe"},
      {"«\u00a0Non\u00a0»", "\" non \"", "guillemets and NBSP"},
      {"“Yes,” she said", "\"yes,\" she said", "English curly quotes"},
      {"„Nein“, sagte er", "\"nein\", sagte er", "German low-high quotes"},
      {"‹ oui ›", "\" oui \"", "single guillemets are quotation marks"},
      {"Paris – Berlin — Rome − 3", "paris - berlin - rome - 3",
       "en dash, em dash and minus sign become hyphen-minus"},
      {"1\u202f000\u00a0euros", "1 000 euros", "narrow NBSP and NBSP are spaces"},
      {"zero\u200bwidth\u200djoin\u2060er", "zerowidthjoiner",
       "zero-width space, joiner and word joiner removed"},
      {"soft\u00adhyphen", "softhyphen", "soft hyphen removed"},
      {"bell\x07" "char\x1b", "bellchar", "C0 control characters removed"},
      {"c1\u0085line", "c1 line", "NEL is a line break, hence a space"},
      {"\ufeffBOM first", "bom first", "byte order mark removed"},
      {"Straße", "strasse", "German sharp s case-folds to ss"},
      {"STRASSE", "strasse", "capital form meets the folded sharp s"},
      {"ﬁnance", "finance", "NFKC expands the fi ligature"},
      {"ＡＢＣ１２３", "abc123", "fullwidth Latin and digits become ASCII"},
      {"İstanbul", "istanbul", "Turkish dotted capital I folds to plain i"},
      {"I\u0307stanbul", "istanbul", "the same name with İ in NFD"},
      {"ılık", "ılık", "Turkish dotless i is a letter of its own"},
      {"DİYARBAKIR", "diyarbakir",
       "language-independent folding: capital I becomes i, not ı"},
      {"e\u0301te\u0301", "été", "NFD French composes to NFC"},
      {"été", "été", "NFC French unchanged"},
      {"Crème Brûlée", "crème brûlée", "accents kept by Normalize"},
      {"São Paulo", "são paulo", "Portuguese tilde"},
      {"Ljubljana, Šiška in Črnuče", "ljubljana, šiška in črnuče",
       "Slovenian carons lower-cased"},
      {"ПРЕЗИДЕНТ России", "президент россии", "Cyrillic lower-cased"},
      {"Ёлка", "ёлка", "Cyrillic yo kept"},
      {"Ὀδυσσεύς", "ὀδυσσεύσ",
       "Greek: breathing and accent kept, final sigma folds to sigma"},
      {"\u200fمرحبا\u200e بالعالم", "مرحبا بالعالم",
       "right-to-left text kept in logical order, bidi marks removed"},
      {"北京\u3000欢迎你", "北京 欢迎你", "ideographic space is a space"},
      {"ｶﾀｶﾅ", "カタカナ", "halfwidth katakana become fullwidth"},
      {"Je t’aime 😀👍🏽", "je t'aime 😀👍🏽", "emoji and skin-tone modifier kept"},
      {"❤\ufe0f", "❤", "emoji variation selector removed"},
      {"x²", "x2", "NFKC maps superscript two"},
      {"line1\r\nline2", "line1 line2", "CRLF is whitespace by default"},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(NormalizeOrDie(row.input), row.expected) << row.why;
    Result<std::string> line = NormalizeLine(row.input);
    ASSERT_TRUE(line.has_value()) << row.why;
    EXPECT_EQ(*line, row.expected) << "NormalizeLine: " << row.why;
  }
}

TEST(NormalizeTest, OptionsTable) {
  struct OptionRow {
    std::string_view input;
    NormalizeOptions options;
    std::string_view expected;
    std::string_view why;
  };
  const OptionRow rows[] = {
      {"Hello World", {.case_fold = false}, "Hello World", "case kept"},
      {"İstanbul", {.case_fold = false}, "İstanbul", "no folding, no dot loss"},
      {"ﬁ L’OTAN", {.case_fold = false}, "fi L'OTAN",
       "NFKC and punctuation unification still apply"},
      {"a \n\n b\r\nc", {.keep_newlines = true}, "a\nb\nc",
       "line breaks kept, runs collapsed"},
      {"a \t b", {.keep_newlines = true}, "a b", "spaces still collapse"},
      {"\n\na\n\n", {.keep_newlines = true}, "a", "no newline at either end"},
  };
  for (const OptionRow& row : rows) {
    EXPECT_EQ(NormalizeOrDie(row.input, row.options), row.expected) << row.why;
  }
}

TEST(NormalizeTest, NfcAndNfdGiveTheSameText) {
  const std::string_view pairs[][2] = {
      {"Genève, Zürich, Malmö", "Gene\u0300ve, Zu\u0308rich, Malmo\u0308"},
      {"Señor Peña", "Sen\u0303or Pen\u0303a"},
      {"Čeprav je Žiga", "C\u030ceprav je Z\u030ciga"},
      {"Йошкар-Ола", "И\u0306ошкар-Ола"},
      {"İzmir", "I\u0307zmir"},
      {"Ἀθῆναι", "Α\u0313θη\u0342ναι"},
  };
  for (const auto& pair : pairs) {
    EXPECT_EQ(NormalizeOrDie(pair[0]), NormalizeOrDie(pair[1])) << pair[0];
  }
}

TEST(NormalizeTest, OffsetsMapBackToTheOriginal) {
  const std::string input = "  L’OTAN\u00a0et  «\u00a0Genève\u00a0»";
  Result<NormalizedText> n = Normalize(input);
  ASSERT_TRUE(n.has_value());
  ASSERT_EQ(n->text, "l'otan et \" genève \"");
  ASSERT_EQ(n->source.size(), n->text.size() + 1);
  EXPECT_EQ(n->source.back(), input.size());

  struct SpanRow {
    std::string_view normalized;
    std::string_view original;
  };
  const SpanRow rows[] = {
      {"l'otan", "L’OTAN"},
      {"et", "et"},
      {"genève", "Genève"},
      {"l'otan et", "L’OTAN\u00a0et"},
      {"\"", "«"},
  };
  for (const SpanRow& row : rows) {
    const std::size_t at = n->text.find(row.normalized);
    ASSERT_NE(at, std::string::npos) << row.normalized;
    const ByteSpan span = n->ToOriginal(at, at + row.normalized.size());
    EXPECT_EQ(input.substr(span.begin, span.size()), row.original)
        << row.normalized;
  }
}

TEST(NormalizeTest, OffsetsOfNfdAndExpansions) {
  const std::string input = "Cafe\u0301 ½ ﬁn";
  Result<NormalizedText> n = Normalize(input);
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->text, "café 1⁄2 fin");
  const ByteSpan cafe = n->ToOriginal(0, 5);  // "café" is 5 bytes
  EXPECT_EQ(input.substr(cafe.begin, cafe.size()), "Cafe\u0301");
  const std::size_t one = n->text.find('1');
  const ByteSpan half = n->ToOriginal(one, one + 1);
  EXPECT_EQ(input.substr(half.begin, half.size()), "½")
      << "a span inside an expansion covers its whole source character";
  const std::size_t f = n->text.find("fin");
  const ByteSpan fin = n->ToOriginal(f, f + 3);
  EXPECT_EQ(input.substr(fin.begin, fin.size()), "ﬁn");
}

TEST(Utf8Test, BrokenInputIsRejectedWithItsOffset) {
  struct BadRow {
    std::string_view input;
    std::size_t offset;
    std::string_view why;
  };
  const BadRow rows[] = {
      {"abc\xc3(", 3, "truncated two-byte sequence"},
      {"\xff", 0, "byte that never occurs in UTF-8"},
      {"ok \xc0\xaf", 3, "overlong encoding of '/'"},
      {"é\xed\xa0\x80", 2, "UTF-16 surrogate encoded in UTF-8"},
      {"\xf4\x90\x80\x80", 0, "beyond U+10FFFF"},
      {"long ascii prefix here \x80", 23, "lone continuation byte"},
      {"tail \xe2\x82", 5, "truncated at end of text"},
  };
  for (const BadRow& row : rows) {
    EXPECT_EQ(FindInvalidUtf8(row.input), row.offset) << row.why;
    Status v = ValidateUtf8(row.input);
    ASSERT_FALSE(v.has_value()) << row.why;
    EXPECT_EQ(v.error().code, ErrorCode::kInvalidInput);
    EXPECT_NE(v.error().message.find("byte " + std::to_string(row.offset)),
              std::string::npos)
        << v.error().message;
    Result<NormalizedText> n = Normalize(row.input);
    ASSERT_FALSE(n.has_value()) << row.why;
    EXPECT_EQ(n.error().code, ErrorCode::kInvalidInput);
    EXPECT_FALSE(NormalizeLine(row.input).has_value()) << row.why;
  }
  EXPECT_EQ(ValidateUtf8("abc\xc3(").error().message,
            "invalid UTF-8 at byte 3 (0xc3 0x28)");
  EXPECT_TRUE(ValidateUtf8("Ljubljana 北京 😀 مرحبا").has_value());
}

TEST(Utf8Test, SanitizeReplacesMaximalSubparts) {
  const Row rows[] = {
      {"valid é", "valid é", "valid text unchanged"},
      {"a\xffz", "a\uFFFDz", "one bad byte, one replacement"},
      {"a\xe2\x82z", "a\uFFFDz", "truncated sequence is one maximal subpart"},
      {"\xc0\xaf", "\uFFFD\uFFFD", "overlong: each byte replaced"},
      {"\xed\xa0\x80", "\uFFFD\uFFFD\uFFFD", "surrogate: each byte replaced"},
  };
  for (const Row& row : rows) {
    const std::string out = SanitizeUtf8(row.input);
    EXPECT_EQ(out, row.expected) << row.why;
    EXPECT_TRUE(ValidateUtf8(out).has_value()) << row.why;
  }
}

TEST(FoldAccentsTest, Table) {
  const Row rows[] = {
      {"Genève", "geneve", "French grave accent"},
      {"Gene\u0300ve", "geneve", "same in NFD"},
      {"Dvořák", "dvorak", "Czech caron and acute"},
      {"Łódź", "lodz", "Polish stroke l has no decomposition"},
      {"Øresund", "oresund", "Danish slashed o"},
      {"Đoković", "dokovic", "Serbian Latin d with stroke"},
      {"Ağrı", "agri", "Turkish breve g and dotless i"},
      {"Straße", "strasse", "sharp s"},
      {"Œuvre", "oeuvre", "oe ligature"},
      {"Šoštanj", "sostanj", "Slovenian carons"},
      {"São João", "sao joao", "Portuguese tilde"},
      {"Ёлкин", "елкин", "Cyrillic diaeresis removed too"},
      {"مُحَمَّد", "محمد", "Arabic harakat removed"},
      {"กรุงเทพ", "กรุงเทพ", "Thai vowel signs kept: they spell sounds"},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(FoldAccents(row.input), row.expected) << row.why;
  }
}

TEST(ToLatinTest, Table) {
  const Row rows[] = {
      {"Путин", "putin", "Russian name"},
      {"Зеленский", "zelenskij", "ICU's ISO 9-like Cyrillic rules"},
      {"Αθήνα", "athena", "Greek with accent"},
      {"Genève", "geneve", "Latin input only loses accents"},
      {"Tokyo 東京", "tokyo dong jing", "Han read as Mandarin pinyin"},
  };
  for (const Row& row : rows) {
    Result<std::string> out = ToLatin(row.input);
    ASSERT_TRUE(out.has_value()) << row.why;
    EXPECT_EQ(*out, row.expected) << row.why;
  }
  EXPECT_FALSE(ToLatin("\xff").has_value());
}

}  // namespace
}  // namespace storyline::text
