#include "html/metadata.h"

#include <gtest/gtest.h>

namespace storyline::html {
namespace {

TEST(MetadataTest, NormalizeDateTable) {
  const struct {
    const char* text;
    const char* expected;
    const char* why;
  } rows[] = {
      {"2022-01-08T14:05:00+01:00", "2022-01-08T14:05:00+01:00", "ISO 8601 kept as written"},
      {" 2022-01-08 ", "2022-01-08", "trimmed"},
      {"2019-11-19T10:30:00.000-0500", "2019-11-19T10:30:00.000-0500", "fraction, compact zone"},
      {"2019-11-19T10:30:00 EST", "2019-11-19", "unknown zone: the date only"},
      {"2019/11/19", "2019-11-19", "slashes"},
      {"20191119", "2019-11-19", "compact"},
      {"Tue, 19 Nov 2019 10:00:00 GMT", "2019-11-19", "RFC 1123"},
      {"November 19, 2019", "2019-11-19", "English words"},
      {"8 janvier 2022", "2022-01-08", "French words"},
      {"mardi 8 février 2022", "2022-02-08", "French weekday not taken for March"},
      {"2019-02-30", "", "no such day"},
      {"yesterday", "", "not a date"},
  };
  for (const auto& row : rows) EXPECT_EQ(NormalizeDate(row.text), row.expected) << row.why;
}

TEST(MetadataTest, DateFromUrlTable) {
  const struct {
    const char* url;
    const char* expected;
  } rows[] = {
      {"https://a.example/2022/01/08/story.html", "2022-01-08"},
      {"https://a.example/news/2022-01-08/story", "2022-01-08"},
      {"https://a.example/20220108/story", "2022-01-08"},
      {"https://a.example/2022/01/story", ""},
      {"https://a.example/story?id=20220108", ""},
      {"https://2022.example/2022/13/40/x", ""},
  };
  for (const auto& row : rows) EXPECT_EQ(DateFromUrl(row.url), row.expected) << row.url;
}

TEST(MetadataTest, StripSiteSuffixTable) {
  const struct {
    const char* title;
    const char* site;
    const char* expected;
  } rows[] = {
      {"Council approves bridge | Riverside Gazette", "Riverside Gazette", "Council approves bridge"},
      {"Council approves bridge - Riverside Gazette", "", "Council approves bridge"},
      {"Riverside Gazette | Council approves bridge", "Riverside Gazette", "Council approves bridge"},
      {"Left - right politics explained in a long headline", "", "Left - right politics explained in a long headline"},
      {"Plain title", "Site", "Plain title"},
  };
  for (const auto& row : rows) EXPECT_EQ(StripSiteSuffix(row.title, row.site), row.expected) << row.title;
}

TEST(MetadataTest, ParseJsonLdFindsArticleInGraphAndArrays) {
  StructuredArticle a = ParseJsonLd({
      "not json at all",
      R"([{"@type":"BreadcrumbList"},{"@type":["Thing","NewsArticle"],"headline":" A  headline ",
          "articleBody":"Line one.
Line two.","datePublished":"2022-01-08",
          "author":[{"name":"Ann"},"Bob"],"publisher":{"@type":"Organization","name":"Daily"}}])",
  });
  EXPECT_EQ(a.headline, "A headline");
  EXPECT_EQ(a.body, "Line one. Line two.");  // raw newline inside a string tolerated
  EXPECT_EQ(a.date_published, "2022-01-08");
  EXPECT_EQ(a.author, "Ann, Bob");
  EXPECT_EQ(a.publisher, "Daily");

  StructuredArticle graph = ParseJsonLd({R"({"@context":"https://schema.org","@graph":[
      {"@type":"WebPage","name":"page"},
      {"@type":"BlogPosting","headline":"In graph","author":{"@type":"Person","name":"Cy"}}]})"});
  EXPECT_EQ(graph.headline, "In graph");
  EXPECT_EQ(graph.author, "Cy");

  StructuredArticle none = ParseJsonLd({R"({"@type":"Organization","name":"x"})"});
  EXPECT_EQ(none.headline, "");
}

TEST(MetadataTest, LanguageIsPrimarySubtag) {
  RawMetadata raw;
  ExtractedPage page;
  raw.html_lang = "pt-BR";
  ResolveMetadata(raw, {}, "", {}, &page);
  EXPECT_EQ(page.lang, "pt");
  raw.html_lang = "";
  raw.metas = {{"og:locale", "fr_FR"}};
  page = {};
  ResolveMetadata(raw, {}, "", {}, &page);
  EXPECT_EQ(page.lang, "fr");
  raw.metas = {};
  raw.html_lang = "{{lang}}";
  page = {};
  ResolveMetadata(raw, {}, "", {}, &page);
  EXPECT_EQ(page.lang, "");
}

}  // namespace
}  // namespace storyline::html
