#include "storyline/html/extract.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "dev/html_corpus.h"
#include "html/html_parse.h"

namespace storyline::html {
namespace {

using tools::html_dev::ExtractionExample;
using tools::html_dev::LoadExtractionCorpus;
using tools::html_dev::ScoreTokens;

std::string TestDataPath(const std::string& name) {
  return std::string(STORYLINE_HTML_TESTDATA) + "/" + name;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream ss(text);
  std::string line;
  while (std::getline(ss, line)) lines.push_back(line);
  return lines;
}

bool HasLine(const std::string& text, const std::string& line) {
  for (const std::string& l : Lines(text)) {
    if (l == line) return true;
  }
  return false;
}

struct PageRow {
  const char* file;
  const char* url;
  const char* title;
  const char* published;
  const char* lang;
  const char* site_name;
  const char* author;
  const char* canonical_url;
  std::vector<const char*> lines;   // each must be a whole line of text
  std::vector<const char*> absent;  // none may occur anywhere in text
  const char* why;
};

TEST(ExtractPageTest, PagesTable) {
  const PageRow rows[] = {
      {"fr_article_jsonld.html",
       "",
       "Séisme au Japon : les secours mobilisés",
       "2022-01-08T14:05:00+01:00",
       "fr",
       "Le Quotidien du Test",
       "Claire Dupont, Marc Petit",
       "https://quotidien.example.fr/monde/2022/01/08/seisme-japon",
       {"Un séisme de magnitude 6,8 a frappé samedi la côte nord-est du Japon, a annoncé "
        "l’agence météorologique japonaise, sans faire de victime selon les premiers bilans.",
        "Pas d’alerte au tsunami",
        "« Nous restons mobilisés toute la nuit », a déclaré le porte-parole du gouvernement "
        "lors d’une conférence de presse, en précisant que les centrales nucléaires de la "
        "région fonctionnaient normalement."},
       {"Séisme au Japon", "Partager", "volcan", "typhon", "familles touchées", "commentaires",
        "Mentions", "Monde", "Claire Dupont", "Photo AFP"},
       "French page: JSON-LD @graph, comments, related cards, share bar, caption"},
      {"en_opengraph_br.html",
       "https://gazette.example.com/2021/11/18/council-bridge",
       "Council approves new bridge over the Elm River",
       "2021-11-19T09:30:00Z",
       "en",
       "Riverside Gazette",
       "Sam Rivera",
       "https://gazette.example.com/news/council-bridge",
       {"The city council voted 7-2 on Tuesday night to build a new bridge over the Elm River, "
        "ending a debate that has lasted more than a decade.",
        "Voting for the project:", "Mayor Ellen Park", "Councilmember Ana Ortiz",
        "The state has promised to cover half of the cost, the mayor said, and the rest will "
        "come from a bond approved by voters in 2019."},
       {"cookies", "Most read", "Storm closes", "newsletter", "Council delays", "Main Street",
        "Council approves"},
       "English page: Open Graph, <br> lines, sidebar, newsletter box, related list"},
  };
  for (const PageRow& row : rows) {
    SCOPED_TRACE(row.why);
    ExtractOptions options;
    options.url = row.url;
    Result<ExtractedPage> page = ExtractPage(ReadFile(TestDataPath(row.file)), options);
    ASSERT_TRUE(page) << page.error().ToString();
    EXPECT_EQ(page->title, row.title);
    EXPECT_EQ(page->published, row.published);
    EXPECT_EQ(page->lang, row.lang);
    EXPECT_EQ(page->site_name, row.site_name);
    EXPECT_EQ(page->author, row.author);
    EXPECT_EQ(page->canonical_url, row.canonical_url);
    EXPECT_FALSE(page->text_from_structured_data);
    for (const char* line : row.lines) {
      EXPECT_TRUE(HasLine(page->text, line)) << "missing line: " << line << "\n---\n" << page->text;
    }
    for (const char* absent : row.absent) {
      EXPECT_EQ(page->text.find(absent), std::string::npos) << "unexpected: " << absent << "\n---\n"
                                                            << page->text;
    }
  }
}

struct DateRow {
  const char* html;
  const char* url;
  const char* published;
  const char* why;
};

TEST(ExtractPageTest, PublicationDateSources) {
  const char* body =
      "<p>The committee met on Monday to discuss the budget for the coming year, and agreed "
      "on most of the items after a long debate.</p>";
  const DateRow rows[] = {
      {"<time datetime=\"2020-03-04T10:00:00Z\">March 4</time>", "", "2020-03-04T10:00:00Z",
       "<time datetime>"},
      {"<meta name=\"pubdate\" content=\"2020-03-05\">", "", "2020-03-05", "meta pubdate"},
      {"<meta name=\"date\" content=\"Tue, 19 Nov 2019 10:00:00 GMT\">", "", "2019-11-19",
       "RFC 1123 date in meta"},
      {"", "https://news.example.com/2022/01/08/story.html", "2022-01-08", "date in the URL"},
      {"", "https://news.example.com/story-20220108.html", "", "digits glued to a word"},
      {"", "", "", "no date anywhere"},
  };
  for (const DateRow& row : rows) {
    SCOPED_TRACE(row.why);
    std::string html =
        std::string("<html><head>") + row.html + "</head><body>" + body + "</body></html>";
    if (std::string(row.html).starts_with("<time")) {
      html = std::string("<html><body>") + row.html + body + "</body></html>";
    }
    ExtractOptions options;
    options.url = row.url;
    Result<ExtractedPage> page = ExtractPage(html, options);
    ASSERT_TRUE(page) << page.error().ToString();
    EXPECT_EQ(page->published, row.published);
  }
}

TEST(ExtractPageTest, StructuredBodyReplacesThinDom) {
  std::string long_body;
  for (int i = 0; i < 30; ++i) long_body += "This sentence is part of the full article body. ";
  std::string html =
      "<html><head><script type=\"application/ld+json\">{\"@type\":\"NewsArticle\","
      "\"headline\":\"Full story\",\"articleBody\":\"" +
      long_body +
      "\"}</script></head><body><article><p>Subscribe to read the rest of this article, "
      "only one dollar for the first month.</p></article></body></html>";
  Result<ExtractedPage> page = ExtractPage(html);
  ASSERT_TRUE(page);
  EXPECT_TRUE(page->text_from_structured_data);
  EXPECT_NE(page->text.find("part of the full article body"), std::string::npos);

  ExtractOptions dom_only;
  dom_only.use_structured_body = false;
  page = ExtractPage(html, dom_only);
  ASSERT_TRUE(page);
  EXPECT_FALSE(page->text_from_structured_data);
}

struct CharsetRow {
  std::string bytes;
  std::string http_charset;
  const char* expected_line;
  const char* why;
};

TEST(ExtractPageTest, DecodesLegacyCharsets) {
  const std::string para =
      " Le conseil municipal s\x92"
      "est r\xE9uni lundi pour discuter du budget de l\x92"
      "ann\xE9"
      "e prochaine, et a adopt\xE9 la plupart des mesures.";
  const std::string utf8_para =
      "Le conseil municipal s’est réuni lundi pour discuter du budget de l’année prochaine, "
      "et a adopté la plupart des mesures.";
  const std::string latin1 =
      " Le d\xE9put\xE9 a rappel\xE9 que la r\xE9"
      "forme \xE9tait attendue depuis longtemps par les \xE9lus de la r\xE9gion.";
  const CharsetRow rows[] = {
      {"<html><head><meta charset=\"windows-1252\"></head><body><p>" + para + "</p></body></html>",
       "", utf8_para.c_str(), "<meta charset> windows-1252 with curly apostrophes"},
      {"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; "
       "charset=ISO-8859-1\"></head><body><p>" +
           latin1 + "</p></body></html>",
       "",
       "Le député a rappelé que la réforme était attendue depuis longtemps par les élus de la "
       "région.",
       "http-equiv ISO-8859-1"},
      {"<html><body><p>" + para + "</p></body></html>", "windows-1252", utf8_para.c_str(),
       "charset from the HTTP header"},
      {"<html><body><p>" + para + "</p></body></html>", "", utf8_para.c_str(),
       "no declaration: detected"},
      {"<html><head><meta charset=\"iso-8859-1\"></head><body><p>" + utf8_para +
           "</p></body></html>",
       "", utf8_para.c_str(), "UTF-8 bytes mislabelled as Latin-1"},
  };
  for (const CharsetRow& row : rows) {
    SCOPED_TRACE(row.why);
    ExtractOptions options;
    options.http_charset = row.http_charset;
    Result<ExtractedPage> page = ExtractPage(row.bytes, options);
    ASSERT_TRUE(page) << page.error().ToString();
    EXPECT_EQ(page->text, row.expected_line);
  }
}

TEST(ExtractPageTest, MalformedInputNeverCrashes) {
  EXPECT_FALSE(ExtractPage(""));
  EXPECT_FALSE(ExtractPage("<html><head></head><body><script>var x = 1;</script></body>"));
  std::string binary;
  for (int i = 0; i < 5000; ++i) binary += static_cast<char>((i * 7919) % 256);
  (void)ExtractPage(binary);  // any result, no crash
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "<div>";
  deep += "<p>Deep text in a page nested far beyond what any call stack would survive.</p>";
  Result<ExtractedPage> page = ExtractPage(deep);
  ASSERT_TRUE(page);
  EXPECT_NE(page->text.find("Deep text"), std::string::npos);
  ExtractOptions small;
  small.max_input_bytes = 10;
  Result<ExtractedPage> refused = ExtractPage("<p>more than ten bytes</p>", small);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidInput);
  // Unclosed tags, stray end tags and unterminated comments.
  page = ExtractPage(
      "<p>First paragraph of a broken page that still has some text in it.<p>Second one, "
      "also long enough to count as a sentence of the article. "
      "</span></div><!-- never closed");
  ASSERT_TRUE(page);
  EXPECT_NE(page->text.find("Second one"), std::string::npos);
}

struct StripRow {
  const char* html;
  const char* expected;
  const char* why;
};

TEST(StripRawTextTest, Table) {
  const StripRow rows[] = {
      {"<p>a</p><script>if (a < b) x = '</p>';</script><p>b</p>",
       "<p>a</p><script></script><p>b</p>",
       "script content dropped, markup-like text inside it ignored"},
      {"<script type=\"application/ld+json\">{\"a\":1}</script>",
       "<script type=\"application/ld+json\">{\"a\":1}</script>", "JSON-LD kept"},
      {"<STYLE>p{}</STYLE >x", "<STYLE></STYLE >x", "case-insensitive style"},
      {"a<!-- <p>hidden</p> -->b", "ab", "comments dropped"},
      {"<div class=\"x\" data-x=\"1 > 0\" onclick='f()'>t</div>", "<div class=\"x\">t</div>",
       "'>' inside a quoted attribute; unused attributes dropped"},
      {"<p>1 < 2 and 3 > 2</p>", "<p>1 < 2 and 3 > 2</p>", "bare '<' is text"},
      {"<svg><path d=\"M0 0\"/></svg>ok", "ok", "closed svg dropped"},
      {"<script>never closed <p>text", "<script>", "unterminated script runs to the end"},
      {"<a href=\"/x\" class=y>link</a><link rel=canonical href=\"/c\">",
       "<a class=y>link</a><link rel=canonical href=\"/c\">", "href kept only on <link>"},
  };
  for (const StripRow& row : rows) {
    EXPECT_EQ(StripRawText(row.html), row.expected) << row.why;
  }
}

// The quality bar on both development sets, when they are present: news
// pages and CleanEval's pages of every kind, with one configuration. The
// figures the evaluation tool reports are a little higher; these floors
// catch regressions.
TEST(ExtractPageTest, DevelopmentSetF1Floor) {
  const char* shared = std::getenv("STORYLINE_SHARED");
  struct Floor {
    const char* file;
    double f1;
  };
  for (const Floor& floor :
       {Floor{"scrapinghub-aeb.jsonl.gz", 0.965}, Floor{"cleaneval-dev.jsonl.gz", 0.89}}) {
    SCOPED_TRACE(floor.file);
    std::string path = std::string(shared == nullptr ? "" : shared) + "/data/" + floor.file;
    if (shared == nullptr || !std::filesystem::exists(path)) {
      GTEST_SKIP() << "no development set at " << path;
    }
    Result<std::vector<ExtractionExample>> corpus = LoadExtractionCorpus(path);
    ASSERT_TRUE(corpus) << corpus.error().ToString();
    ASSERT_FALSE(corpus->empty());
    double f1 = 0;
    for (const ExtractionExample& row : *corpus) {
      ExtractOptions options;
      options.url = row.url;
      Result<ExtractedPage> page = ExtractPage(row.html, options);
      ASSERT_TRUE(page) << row.id << ": " << page.error().ToString();
      f1 += ScoreTokens(page->text, row.gold_text).f1;
    }
    f1 /= static_cast<double>(corpus->size());
    EXPECT_GE(f1, floor.f1);
  }
}

// Page layouts beyond news templates, each written small enough to read.
struct LayoutRow {
  std::string html;
  std::vector<const char*> present;  // each must occur in the text
  std::vector<const char*> absent;   // none may occur in the text
  const char* why;
};

TEST(ExtractPageTest, LayoutsBeyondNewsTemplates) {
  // A column of links long enough to outweigh any one paragraph, so that a
  // container holding both scores below the paragraph alone.
  std::string menu = "<table><tr><td>";
  for (int i = 0; i < 24; ++i) {
    menu += "<a href=/s" + std::to_string(i) + ">Section number " + std::to_string(i) +
            " of the catalogue</a><br>";
  }
  menu += "</td></tr></table>";
  // Teasers of other pages: a linked title and a linked summary each.
  std::string listing;
  for (const char* summary :
       {"The lighthouse keeper's daughter tells of forty winters on the rock, in letters found "
        "after her death.",
        "A year in the orchards of the valley, from pruning in the frost to the last apples of "
        "October.",
        "Memories of the river's last ferryman, who carried cars and cattle across for fifty "
        "years.",
        "A guide to the castles of the north coast, with maps, opening times and the stories "
        "of their sieges.",
        "Recipes from a fishing village, gathered over a summer of cooking with the families of "
        "the harbour.",
        "Letters from a country doctor, who crossed the hills on horseback to his patients for "
        "thirty years.",
        "An account of the great flood of the valley, from the first warnings to the rebuilding "
        "of the bridge.",
        "The history of the town's first railway, told through the diaries of the men who built "
        "it."}) {
    listing += "<div class=teaser><h3><a href=/r>Review</a></h3><p><a href=/r>" +
               std::string(summary) + "</a></p></div>";
  }
  const LayoutRow rows[] = {
      {("<html><body>" + menu +
        "<p>The first annual report describes how the society grew from twelve members to "
        "more than two hundred in its first year of meetings.</p>"
        "<p>Its second part lists the lectures given at the town hall, from the history of "
        "the canal to the birds of the marshes, with their speakers.</p>"
        "<p>The third part accounts for the money raised, spent on books for the library "
        "and on the hire of rooms, and what was left at the close of the year.</p>"
        "</body></html>"),
       {"twelve members", "birds of the marshes", "hire of rooms"},
       {"catalogue"},
       "paragraphs directly under <body> all join, not only the longest"},
      {"<html><body><div class=nav><a href=/>Home</a> <a href=/x>Directory</a></div><div>" + menu +
           "<table class=entry><tr><td><b>Harbour Golf Club</b></td></tr><tr><td>A nine-hole "
           "course on the cliffs above the harbour, open to visitors every day of the week from "
           "spring to the end of autumn.</td></tr></table>"
           "<table class=entry><tr><td><b>Pine Valley Links</b></td></tr><tr><td>Eighteen holes "
           "between old pine woods and the river, with a driving range, lessons for beginners and "
           "a small restaurant.</td></tr></table>"
           "<table class=entry><tr><td><b>Meadow Park Course</b></td></tr><tr><td>A short "
           "family course in the town park, with reduced green fees for juniors and for players "
           "over sixty-five.</td></tr></table></div></body></html>",
       {"cliffs above the harbour", "old pine woods", "reduced green fees"},
       {"Directory", "catalogue"},
       "the entries of a directory, one template each, all join"},
      {"<html><body><div>Menu</div><div><a href=/1>Archive one</a> <a href=/2>Archive "
       "two</a></div><div>\xC2\xA9 2006 Example Media, Inc. All rights reserved.</div>"
       "</body></html>",
       {},
       {"rights reserved", "2006"},
       "a copyright line is never the content of a page"},
      {"<html><body><article><h1>Storm closes the coast road</h1><p>The coast road was closed "
       "on Monday after a storm brought down trees and power lines near the harbour, the "
       "county said.</p><p>Crews expect to reopen one lane by Wednesday.</p></article>"
       "<div id=comments><ul>"
       "<li>I drove that road every day for twenty years and it has never been this bad, the "
       "council should have cut those trees back long ago when we asked.</li>"
       "<li>Thanks to the crews working through the night, they do a job nobody else wants "
       "to do in weather like this and they deserve our thanks.</li>"
       "<li>Does anyone know whether the bus to the harbour is still running on the old "
       "route or has it been diverted through the hills until Wednesday?</li>"
       "<li>We lost power for six hours on Monday night and the phone lines were down too, "
       "so nobody could even call to report it to the company.</li>"
       "</ul></div></body></html>",
       {"brought down trees", "reopen one lane"},
       {"twenty years", "bus to the harbour"},
       "the article wins over a longer comment thread below it"},
      {"<html><body><article><p>The museum reopened on Saturday after two years of repairs to "
       "its roof and galleries, with a new wing for the collection of maps.</p><p>Visitors "
       "queued from early morning, and the first thousand were let in free of charge.</p>"
       "</article><div class=\"author-bio\"><h3><a href=/a/jane>Jane Roe</a></h3><p>Jane Roe "
       "writes about museums, libraries and the arts for the paper, and lives in the old "
       "town with two cats.</p></div></body></html>",
       {"collection of maps", "free of charge"},
       {"two cats"},
       "the box about the author is not the article"},
      {"<html><head><title>Books</title></head><body>" + menu + "<div id=main>" + listing +
           "</div></body></html>",
       {"lighthouse keeper's daughter", "orchards of the valley", "the river's last ferryman"},
       {"catalogue"},
       "a page of teasers and nothing else is a listing: the summaries are its text"},
      {"<html><head><meta property=\"og:type\" content=\"article\"></head><body>"
       "<div class=story><p>The library will close early on Friday for the staff "
       "training day.</p></div><div id=more>" +
           listing + "</div></body></html>",
       {"close early on Friday"},
       {"lighthouse keeper's daughter", "orchards of the valley"},
       "a short article beside teasers stays the article"},
      {"<html><body>" + menu + "</body></html>",
       {},
       {"catalogue"},
       "a page of navigation links alone has no text"},
  };
  for (const LayoutRow& row : rows) {
    SCOPED_TRACE(row.why);
    Result<ExtractedPage> page = ExtractPage(row.html, ExtractOptions{});
    ASSERT_TRUE(page) << page.error().ToString();
    for (const char* want : row.present) {
      EXPECT_NE(page->text.find(want), std::string::npos) << "missing: " << want << "\n---\n"
                                                          << page->text;
    }
    for (const char* unwanted : row.absent) {
      EXPECT_EQ(page->text.find(unwanted), std::string::npos)
          << "unexpected: " << unwanted << "\n---\n"
          << page->text;
    }
  }
}

}  // namespace
}  // namespace storyline::html
