#include "clean/line_text.h"

#include <gtest/gtest.h>

namespace storyline::clean::internal {
namespace {

struct SameKeyRow {
  const char* a;
  const char* b;
  const char* why;
};

TEST(LineTextTest, FoldedVariantsShareAKey) {
  const SameKeyRow rows[] = {
      {"S’inscrire", "s'inscrire", "curly vs straight apostrophe, case"},
      {"À LIRE AUSSI", "a lire aussi", "accents and capitals"},
      {"Cafe\xcc\x81 Genève", "café geneve", "NFD combining accent vs NFC"},
      {"  Leave   a comment ", "Leave a comment", "spacing"},
      {"« Non »,\u00a0dit-il.", "\"Non\", dit il", "quotes, NBSP, hyphen"},
      {"Straße", "strase", "ß folds to one letter (consistency, not spelling)"},
      {"ПУТИН", "путин", "Cyrillic capitals"},
  };
  for (const SameKeyRow& row : rows) {
    LineScan a, b;
    ScanLine(row.a, &a);
    ScanLine(row.b, &b);
    EXPECT_EQ(a.key, b.key) << row.why;
    EXPECT_NE(a.key, 0u) << row.why;
  }
}

TEST(LineTextTest, BlankAndShape) {
  LineScan s;
  ScanLine(" \u00a0\t\u200b", &s);
  EXPECT_TRUE(s.blank);
  EXPECT_EQ(s.key, 0u);
  ScanLine("----", &s);
  EXPECT_FALSE(s.blank);
  EXPECT_TRUE(s.words.empty());
  ScanLine("« C'est fini », a-t-il dit.", &s);
  EXPECT_TRUE(s.ends_sentence);
  ScanLine("Il a dit : « c'est fini »", &s);
  EXPECT_TRUE(s.ends_quote);
  ScanLine("Nom *", &s);
  EXPECT_TRUE(s.ends_star);
  ScanLine("237online.com", &s);
  EXPECT_TRUE(s.domain_only);
  ScanLine("World › Europe", &s);
  EXPECT_EQ(s.separators, 1);
  ScanLine("• A bulleted item", &s);
  EXPECT_EQ(s.separators, 0);
}

TEST(LineTextTest, WordFlags) {
  LineScan s;
  ScanLine("REUTERS/Anton Vaganov (Photo: AFP)", &s);
  ASSERT_EQ(s.words.size(), 5u);
  EXPECT_TRUE(s.words[0].flags & kAllUpper);
  EXPECT_TRUE(s.words[0].flags & kSlashNear);
  EXPECT_TRUE(s.words[1].flags & kSlashNear);
  EXPECT_TRUE(s.words[3].flags & kParenBefore);
  EXPECT_TRUE(s.words[3].flags & kColonAfter);
  EXPECT_EQ(s.words[0].hash, HashWord("reuters"));
}

TEST(LineTextTest, IllFormedBytesDoNotCrash) {
  LineScan s;
  ScanLine(std::string_view("ab\xff\xc3(cd\xe2\x82", 9), &s);
  EXPECT_EQ(s.words.size(), 2u);
}

}  // namespace
}  // namespace storyline::clean::internal
