#include "storyline/text/stemmer.h"

#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "storyline/text/tokenizer.h"

namespace storyline::text {
namespace {

struct StemRow {
  std::string_view lang;
  std::string_view word;
  std::string_view stem;
  std::string_view why;
};

TEST(StemmerCacheTest, Table) {
  const StemRow rows[] = {
      {"en", "elections", "elect", "English plural and suffix"},
      {"en", "running", "run", "English -ing with doubled consonant"},
      {"fr", "négociations", "négoci", "French"},
      {"fr", "présidentielles", "présidentiel", "French feminine plural"},
      {"de", "verhandlungen", "verhandl", "German, case-folded input"},
      {"es", "negociaciones", "negoci", "Spanish"},
      {"pt", "negociações", "negoc", "Portuguese"},
      {"it", "negoziati", "negoz", "Italian"},
      {"ru", "переговоры", "переговор", "Russian"},
      {"nl", "onderhandelingen", "onderhandel", "Dutch"},
      {"sl", "pogajanja", "pogajanja", "no Slovenian Snowball stemmer: unchanged"},
      {"zh", "北京", "北京", "no Chinese stemmer: unchanged"},
      {"", "elections", "elections", "no language: unchanged"},
  };
  StemmerCache stems;
  for (const StemRow& row : rows) {
    EXPECT_EQ(stems.Stem(row.lang, row.word), row.stem) << row.why;
  }
  // The same instance, asked again, reuses its stemmers.
  EXPECT_EQ(stems.Stem("fr", "négociations"), "négoci");
}

TEST(StemmerCacheTest, HasStemmer) {
  for (std::string_view lang : {"en", "fr", "de", "es", "it", "pt", "nl", "ru",
                                "ar", "tr", "sv"}) {
    EXPECT_TRUE(HasStemmer(lang)) << lang;
  }
  for (std::string_view lang : {"sl", "zh", "ja", "und", ""}) {
    EXPECT_FALSE(HasStemmer(lang)) << lang;
  }
}

struct StopRow {
  std::string_view lang;
  std::string_view word;
  bool stopword;
  std::string_view why;
};

TEST(StopwordTest, Table) {
  const StopRow rows[] = {
      {"en", "the", true, "English article"},
      {"en", "'s", true, "English possessive token"},
      {"en", "election", false, "content word"},
      {"fr", "les", true, "French article"},
      {"fr", "l'", true, "French elided article as the tokenizer emits it"},
      {"fr", "qu'", true, "French elided conjunction"},
      {"fr", "été", true, "French auxiliary, NFC"},
      {"fr", "gouvernement", false, "frequent but a content word"},
      {"de", "dass", true, "German conjunction"},
      {"de", "über", true, "German preposition with umlaut"},
      {"de", "regierung", false, "German noun"},
      {"es", "también", true, "Spanish adverb"},
      {"it", "dell'", true, "Italian elided preposition"},
      {"pt", "não", true, "Portuguese negation"},
      {"nl", "het", true, "Dutch article"},
      {"ru", "что", true, "Russian conjunction"},
      {"ru", "президент", false, "Russian noun"},
      {"sl", "ki", true, "Slovenian relative pronoun"},
      {"sl", "že", true, "Slovenian adverb with caron"},
      {"sl", "vlada", false, "Slovenian noun"},
      {"zh", "的", false, "no Chinese list"},
      {"fr", "the", false, "lists are per language"},
  };
  for (const StopRow& row : rows) {
    EXPECT_EQ(IsStopword(row.lang, row.word), row.stopword) << row.why;
  }
  for (std::string_view lang :
       {"en", "fr", "de", "es", "it", "pt", "nl", "ru", "sl"}) {
    EXPECT_TRUE(HasStopwords(lang)) << lang;
  }
}

TEST(StopwordTest, TokenizerOutputMatchesTheLists) {
  Tokenizer tokenizer;
  auto tokens = tokenizer.Tokenize("Qu’il DÉCLARE l’état d’urgence");
  ASSERT_TRUE(tokens.has_value());
  std::string kept;
  for (const Token& t : *tokens) {
    if (IsStopword("fr", t.text)) continue;
    if (!kept.empty()) kept += ' ';
    kept += t.text;
  }
  EXPECT_EQ(kept, "déclare état urgence");
}

}  // namespace
}  // namespace storyline::text
