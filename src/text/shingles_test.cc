#include "storyline/text/shingles.h"

#include <algorithm>
#include <set>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace storyline::text {
namespace {

// Small verbs so that each test reads as prose.
class ShinglesTest : public ::testing::Test {
 protected:
  ShingleSet ShingleOf(std::string_view text, std::string_view lang = "",
                       ShingleOptions options = {}) {
    ShingleSet set;
    Status s = Shingle(text, lang, options, &set);
    EXPECT_TRUE(s.has_value()) << (s ? "" : s.error().ToString());
    return set;
  }

  static std::set<std::uint64_t> AsSet(const ShingleSet& s) {
    return {s.hashes.begin(), s.hashes.end()};
  }

  static double Jaccard(const ShingleSet& a, const ShingleSet& b) {
    const auto sa = AsSet(a);
    const auto sb = AsSet(b);
    std::size_t shared = 0;
    for (std::uint64_t h : sa) shared += sb.count(h);
    const std::size_t all = sa.size() + sb.size() - shared;
    return all == 0 ? 1.0 : static_cast<double>(shared) / static_cast<double>(all);
  }
};

TEST_F(ShinglesTest, Hash64IsXxh3AndStable) {
  // Published XXH3-64 test vector for empty input, seed 0: stored hashes
  // must never change with the library or platform.
  EXPECT_EQ(Hash64(""), 0x2D06800538D394C2ull);
  EXPECT_EQ(Hash64("storyline"), Hash64("storyline"));
  EXPECT_NE(Hash64("storyline"), Hash64("storyline", 1));
}

TEST_F(ShinglesTest, WindowCountsTable) {
  struct Row {
    std::string_view input;
    int n;
    std::size_t expected;
    std::string_view why;
  };
  const Row rows[] = {
      {"", 5, 0, "no words, no shingles"},
      {"!!! ... ???", 5, 0, "punctuation only"},
      {"un deux trois", 5, 1, "shorter than a window: one shingle"},
      {"un deux trois quatre cinq", 5, 1, "exactly one window"},
      {"un deux trois quatre cinq six sept", 5, 3, "n-k+1 windows"},
      {"un, deux; trois! quatre? cinq: six", 5, 2, "punctuation skipped"},
      {"un deux trois", 1, 3, "unigrams"},
  };
  for (const Row& row : rows) {
    ShingleOptions options;
    options.word_n = row.n;
    const ShingleSet s = ShingleOf(row.input, "fr", options);
    EXPECT_EQ(s.hashes.size(), row.expected) << row.why;
    EXPECT_EQ(s.starts.size(), row.expected) << row.why;
    EXPECT_EQ(s.ends.size(), row.expected) << row.why;
    EXPECT_FALSE(s.by_chars) << row.why;
  }
}

TEST_F(ShinglesTest, TypographyDoesNotChangeShingles) {
  struct Row {
    std::string_view a;
    std::string_view b;
    std::string_view why;
  };
  const Row rows[] = {
      {"L’OTAN a dit « non » à l’Ukraine aujourd’hui.",
       "l'OTAN a dit \"non\" à l'Ukraine aujourd'hui",
       "curly vs straight quotes, case, final period"},
      {"Le président a parlé à Genève mardi soir.",
       "Le pre\u0301sident a parle\u0301 a\u0300 Gene\u0300ve mardi soir",
       "NFC vs NFD"},
      {"Le porte\u2011parole a démenti hier soir",
       "Le porte-parole a démenti  hier\u00a0soir",
       "non-breaking hyphen and spaces"},
      {"ZERO\u200bWIDTH joiners never split words here",
       "zerowidth joiners never split words here", "zero-width space"},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(ShingleOf(row.a, "fr").hashes, ShingleOf(row.b, "fr").hashes)
        << row.why;
  }
}

TEST_F(ShinglesTest, OneChangedWordChangesOnlyItsWindows) {
  const std::string base =
      "les ministres des finances de la zone euro se sont réunis lundi à "
      "bruxelles pour discuter du budget";
  std::string changed = base;
  changed.replace(changed.find("lundi"), 5, "mardi");
  const ShingleSet a = ShingleOf(base, "fr");
  const ShingleSet b = ShingleOf(changed, "fr");
  ASSERT_EQ(a.hashes.size(), b.hashes.size());
  std::size_t differing = 0;
  for (std::size_t k = 0; k < a.hashes.size(); ++k) {
    differing += a.hashes[k] != b.hashes[k];
  }
  EXPECT_EQ(differing, static_cast<std::size_t>(kDefaultShingleWords));
}

TEST_F(ShinglesTest, CopyWithExtraParagraphKeepsHighContainment) {
  const std::string wire =
      "Le gouvernement a présenté mercredi un projet de loi sur l'énergie "
      "qui prévoit la construction de six nouveaux réacteurs d'ici à 2035, "
      "a annoncé la ministre lors d'une conférence de presse à Paris.";
  const std::string copy =
      wire + " Les associations écologistes ont aussitôt dénoncé un choix "
             "qu'elles jugent coûteux et dangereux pour les générations futures.";
  const ShingleSet a = ShingleOf(wire, "fr");
  const ShingleSet b = ShingleOf(copy, "fr");
  const auto sb = AsSet(b);
  for (std::uint64_t h : a.hashes) {
    EXPECT_TRUE(sb.count(h)) << "every shingle of the wire text is in the copy";
  }
  EXPECT_GT(Jaccard(a, b), 0.4);
  EXPECT_LT(Jaccard(a, b), 0.8);
}

TEST_F(ShinglesTest, StartsAndEndsMapBackToTheOriginal) {
  const std::string text = "Alpha, bravo charlie delta echo foxtrot.";
  Result<Shingler> shingler = Shingler::Create({.word_n = 3});
  ASSERT_TRUE(shingler.has_value());
  ShingleSet set;
  ASSERT_TRUE(shingler->Shingle(text, "en", &set).has_value());
  ASSERT_EQ(set.hashes.size(), 4u);
  const auto tokens = shingler->tokens();
  auto quote = [&](std::size_t k) {
    const std::uint32_t b = tokens[set.starts[k]].span.begin;
    const std::uint32_t e = tokens[set.ends[k] - 1].span.end;
    return text.substr(b, e - b);
  };
  EXPECT_EQ(quote(0), "Alpha, bravo charlie");
  EXPECT_EQ(quote(3), "delta echo foxtrot");
}

TEST_F(ShinglesTest, ModeChoiceTable) {
  struct Row {
    std::string_view input;
    std::string_view lang;
    bool by_chars;
    std::string_view why;
  };
  const Row rows[] = {
      {"北京欢迎你们的到来", "", true, "Chinese detected from the script"},
      {"北京欢迎你们的到来", "zh", true, "Chinese by language code"},
      {"東京都に住んでいます", "ja", true, "Japanese"},
      {"ภาษาไทยง่ายนิดเดียว", "und", true, "Thai, undetermined language"},
      {"Le sommet de Pékin 北京", "", false, "mostly Latin words"},
      {"Le sommet de Pékin", "fr", false, "French"},
      {"Президент России заявил", "ru", false, "Russian"},
      {"قال الرئيس إن المحادثات ستستمر", "ar", false, "Arabic"},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(ShingleOf(row.input, row.lang).by_chars, row.by_chars) << row.why;
  }
}

TEST_F(ShinglesTest, CharShinglesIgnoreSegmentationAndPunctuation) {
  const ShingleSet a = ShingleOf("北京欢迎你们", "zh");
  const ShingleSet b = ShingleOf("北京 欢迎，你们！", "zh");
  EXPECT_EQ(a.hashes, b.hashes);
  EXPECT_EQ(a.hashes.size(), 3u) << "six characters, windows of four";
  const ShingleSet short_text = ShingleOf("你好", "zh");
  EXPECT_EQ(short_text.hashes.size(), 1u);
}

TEST_F(ShinglesTest, ExplicitModesAndFreeFunctions) {
  Tokenizer tokenizer;
  auto tokens = tokenizer.Tokenize("abc de");
  ASSERT_TRUE(tokens.has_value());
  ShingleSet chars;
  ASSERT_TRUE(CharShingles(*tokens, {.char_n = 2}, &chars).has_value());
  EXPECT_EQ(chars.hashes.size(), 4u) << "ab bc cd de";
  EXPECT_EQ(chars.hashes[0], Hash64("ab"));
  EXPECT_EQ(chars.starts[2], 0u) << "'cd' starts in token 0";
  EXPECT_EQ(chars.ends[2], 2u) << "and ends in token 1";
  ShingleSet words;
  ASSERT_TRUE(WordShingles(*tokens, {.word_n = 2}, &words).has_value());
  EXPECT_EQ(words.hashes.size(), 1u);
  EXPECT_EQ(ShingleOf("abc de", "fr", {.char_n = 2, .mode = ShingleMode::kChars})
                .hashes,
            chars.hashes);
}

TEST_F(ShinglesTest, BadOptionsAndInputAreErrors) {
  EXPECT_FALSE(Shingler::Create({.word_n = 0}).has_value());
  EXPECT_EQ(Shingler::Create({.char_n = -1}).error().code,
            ErrorCode::kInvalidArgument);
  ShingleSet set;
  set.hashes.push_back(1);
  Status s = Shingle("ok \xff", "fr", {}, &set);
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidInput);
  EXPECT_TRUE(set.hashes.empty()) << "output cleared on error";
}

}  // namespace
}  // namespace storyline::text
