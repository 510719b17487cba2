#include "storyline/html/charset.h"

#include <gtest/gtest.h>

namespace storyline::html {
namespace {

TEST(CharsetTest, FromContentType) {
  const struct {
    const char* value;
    const char* expected;
  } rows[] = {
      {"text/html; charset=UTF-8", "utf-8"},
      {"text/html;charset=\"ISO-8859-1\"", "iso-8859-1"},
      {"text/html; Charset = windows-1252 ; q=1", "windows-1252"},
      {"text/html", ""},
      {"", ""},
  };
  for (const auto& row : rows) EXPECT_EQ(CharsetFromContentType(row.value), row.expected) << row.value;
}

TEST(CharsetTest, SniffMetaCharset) {
  const struct {
    const char* html;
    const char* expected;
    const char* why;
  } rows[] = {
      {"<html><head><meta charset=\"windows-1252\">", "windows-1252", "meta charset"},
      {"<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=ISO-8859-1\">", "iso-8859-1",
       "http-equiv, upper case"},
      {"<meta charset='shift_jis'/>", "shift_jis", "single quotes"},
      {"<meta name=\"description\" content=\"about charsets\">", "", "no declaration"},
      {"<p>charset=utf-8</p>", "", "text outside <meta> is not a declaration"},
  };
  for (const auto& row : rows) EXPECT_EQ(SniffMetaCharset(row.html), row.expected) << row.why;
}

TEST(CharsetTest, Utf8Validation) {
  EXPECT_TRUE(IsValidUtf8("plain ascii, long enough for the eight-byte fast path"));
  EXPECT_TRUE(IsValidUtf8("café 東京 😀"));
  EXPECT_FALSE(IsValidUtf8("caf\xE9"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_EQ(RepairUtf8("caf\xE9!"), "caf\xEF\xBF\xBD!");
  EXPECT_EQ(RepairUtf8("ok"), "ok");
}

struct DecodeRow {
  std::string bytes;
  std::string declared;
  std::string expected;
  const char* why;
};

TEST(CharsetTest, DecodeToUtf8Table) {
  const DecodeRow rows[] = {
      {"d\xE9j\xE0 vu", "iso-8859-1", "déjà vu", "Latin-1"},
      {"l\x92" "\xE9t\xE9 \x93" "chaud\x94", "latin1", "l’été “chaud”",
       "Latin-1 label read as windows-1252, like browsers"},
      {"d\xE9j\xE0 vu", "windows-1252", "déjà vu", "windows-1252"},
      {"déjà vu", "iso-8859-1", "déjà vu", "UTF-8 bytes with a Latin-1 label"},
      {"déjà vu", "", "déjà vu", "UTF-8, no label"},
      {"\xEF\xBB\xBF" "déjà", "windows-1252", "déjà", "UTF-8 BOM beats the label"},
      {std::string("\xFF\xFE" "h\0i\0", 6), "", "hi", "UTF-16LE BOM"},
      {"\x93\xFA\x96\x7B", "shift_jis", "日本", "Shift_JIS"},
      {"d\xE9j\xE0 vu", "no-such-charset", "déjà vu", "unknown label: detection"},
      {"a\x82", "shift_jis", "a\xEF\xBF\xBD", "cut double-byte character becomes U+FFFD"},
      {"ok \xFF\xFE\xFD", "utf-8", "ok ÿþý", "declared UTF-8 but invalid: detection"},
  };
  for (const DecodeRow& row : rows) {
    Result<std::string> got = DecodeToUtf8(row.bytes, row.declared);
    ASSERT_TRUE(got) << row.why;
    EXPECT_EQ(*got, row.expected) << row.why;
    EXPECT_TRUE(IsValidUtf8(*got)) << row.why;
  }
}

TEST(CharsetTest, DetectsUndeclaredLegacyText) {
  std::string text;
  for (int i = 0; i < 20; ++i) {
    text += "Le d\xE9put\xE9 a rappel\xE9 que la r\xE9" "forme \xE9tait attendue depuis longtemps. ";
  }
  Result<std::string> got = DecodeToUtf8(text, "");
  ASSERT_TRUE(got);
  EXPECT_NE(got->find("député a rappelé"), std::string::npos) << *got;
}

}  // namespace
}  // namespace storyline::html
