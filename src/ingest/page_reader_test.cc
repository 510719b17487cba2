// Web-page inputs of the InputReader: .html files, JSONL records with html
// only, and WARC archives (plain, gzip per record, damaged), plus the
// reader's throughput on the shared extraction benchmark wrapped in a WARC.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>
#include <vector>

#include "dev/html_corpus.h"
#include "ingest/page_article.h"
#include "ingest/warc_test_builder.h"
#include "storyline/core/date.h"
#include "storyline/ingest/reader.h"

namespace storyline::ingest {
namespace {

namespace fs = std::filesystem;
using namespace storyline::ingest::testing;

std::string DataPath(const std::string& name) {
  const char* root = std::getenv("STORYLINE_SOURCE");
  return std::string(root != nullptr ? root : ".") + "/tests/data/ingest/" + name;
}

std::string ReadData(const std::string& name) {
  std::ifstream in(DataPath(name), std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_FALSE(ss.str().empty()) << "missing test page " << name;
  return ss.str();
}

bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// ---------------------------------------------------------------- helpers

TEST(SiteOfUrlTest, Table) {
  struct Row {
    std::string url, want, why;
  };
  const Row rows[] = {
      {"https://www.example.com/a/b", "example.com", "www. stripped"},
      {"http://News.Example.CO.UK:8080/x?y#z", "news.example.co.uk", "case and port"},
      {"https://user:pw@www.example.org", "example.org", "userinfo, no path"},
      {"//cdn.example.net/x", "cdn.example.net", "scheme-relative"},
      {"https://example.com./a", "example.com", "trailing dot"},
      {"https://[2001:db8::1]:443/", "[2001:db8::1]", "IPv6 literal"},
      {"https://www/", "www", "a host that is only www is kept"},
      {"/2023/03/14/bridge", "", "relative path: no host"},
      {"mailto:desk@example.com", "", "no authority"},
      {"not a url://x", "", "invalid scheme"},
      {"", "", "empty"},
  };
  for (const Row& row : rows) EXPECT_EQ(SiteOfUrl(row.url), row.want) << row.why;
}

TEST(ValidIsoDateTest, Table) {
  struct Row {
    std::string in, want, why;
  };
  const Row rows[] = {
      {"2023-03-14", "2023-03-14", "date"},
      {"2023-03-14T08:30:00Z", "2023-03-14T08:30:00Z", "date-time kept as written"},
      {" 2023-03-14T08:30:00+01:00 ", "2023-03-14T08:30:00+01:00", "trimmed"},
      {"2023-03-14T08:30:00 GMT", "2023-03-14", "unparsable zone: date part"},
      {"2023-02-30", "", "no such day"},
      {"hier soir", "", "words"},
      {"14/03/2023", "", "not ISO"},
      {"", "", "empty"},
  };
  for (const Row& row : rows) {
    const std::string got = ValidIsoDate(row.in);
    EXPECT_EQ(got, row.want) << row.why;
    if (!got.empty()) {
      EXPECT_TRUE(ParseIso8601(got)) << row.why;
    }
  }
}

TEST(AgreedLanguageTest, DeclaredLanguageMustMatchTheText) {
  const std::string fr =
      "Les associations de cyclistes réclamaient cet aménagement depuis plus de dix ans, et "
      "elles demandent maintenant des arceaux de stationnement près de la gare.";
  const std::string en =
      "Council workers removed the last barriers shortly after seven o'clock, and a queue of "
      "delivery vans and cyclists crossed within minutes.";
  EXPECT_EQ(AgreedLanguage("fr", "", fr), "fr");
  EXPECT_EQ(AgreedLanguage("en", "Title", en), "en");
  EXPECT_EQ(AgreedLanguage("en", "", fr), "") << "declared English, written in French";
  EXPECT_EQ(AgreedLanguage("", "", en), "") << "nothing declared";
  EXPECT_EQ(AgreedLanguage("en", "", "ok"), "") << "too short to confirm";
  // A sample cut inside a multi-byte character must not make CLD2 fail.
  std::string long_fr;
  while (long_fr.size() < 5000) long_fr += "été ";
  EXPECT_NO_FATAL_FAILURE(AgreedLanguage("fr", "", long_fr));
}

// ---------------------------------------------------------------- pages

// One row per test page: what ParseHtmlArticle must make of it.
struct PageRow {
  std::string file;
  std::string title;
  std::string url;
  std::string source;
  std::string published;
  std::string lang;
  std::vector<std::string> text_has;    // substrings of the extracted text
  std::vector<std::string> text_lacks;  // chrome that must be left out
  std::string why;
};

TEST(ParseHtmlArticleTest, Table) {
  const PageRow rows[] = {
      {"en_bridge.html",
       "Harbour bridge reopens after six months of repairs",
       "https://www.harbourtimes.example/2023/03/14/bridge-reopens",
       "harbourtimes.example",
       "2023-03-14T08:30:00Z",
       "en",
       {"The swing bridge across the old harbour reopened",
        "Shopkeepers on the quay said trade had fallen sharply"},
       {"Subscribe", "Lifeboat crew honoured", "All rights reserved"},
       "canonical URL gives url and source; og:title; article:published_time"},
      {"fr_market_cp1252.html",
       "Le marché couvert rouvre ses portes après les travaux",
       "",
       "La Gazette du Lac",
       "2023-03-15",
       "fr",
       {"Après dix-huit mois de travaux, le marché couvert",
        "« C’est un lieu de rencontre autant qu’un marché »"},
       {"S’abonner", "Tous droits réservés"},
       "windows-1252 decoded; no URL: og:site_name is the source; <time> date"},
      {"en_library_nodate.html",
       "Village library doubles its opening hours",
       "",
       "",
       "",
       "en",
       {"The library on Mill Lane will open six days a week"},
       {"Newsletter", "School choir wins regional prize"},
       "no URL, no site name, no date: left empty, never invented"},
      {"fr_declared_en.html",
       "La piste cyclable du canal est enfin terminée",
       "https://velo.example.org/2023/04/02/piste-canal",
       "velo.example.org",
       "",
       "",
       {"Les derniers kilomètres de la piste cyclable"},
       {},
       "lang=en contradicted by French text: empty; 'hier soir' is no date"},
  };
  for (const PageRow& row : rows) {
    SCOPED_TRACE(row.file + ": " + row.why);
    PageSource page;
    page.id = "page-id";
    page.origin = row.file;
    Result<Article> a = ParseHtmlArticle(ReadData(row.file), page);
    ASSERT_TRUE(a) << a.error().message;
    EXPECT_EQ(a->id, "page-id");
    EXPECT_EQ(a->title, row.title);
    EXPECT_EQ(a->url, row.url);
    EXPECT_EQ(a->source, row.source);
    EXPECT_EQ(a->published, row.published);
    EXPECT_FALSE(a->published_inferred);
    EXPECT_EQ(a->lang, row.lang);
    EXPECT_EQ(a->origin, row.file);
    for (const std::string& s : row.text_has)
      EXPECT_TRUE(Contains(a->text, s)) << s << "\n" << a->text;
    for (const std::string& s : row.text_lacks)
      EXPECT_FALSE(Contains(a->text, s)) << s << "\n" << a->text;
    EXPECT_FALSE(a->text.starts_with(row.title)) << "title is not prepended:\n" << a->text;
    // The page itself, whole and in UTF-8.
    EXPECT_TRUE(Contains(a->html, "</html>"));
    EXPECT_TRUE(Contains(a->html, row.title));
  }
}

TEST(ParseHtmlArticleTest, FallbackDateIsInferredAndHttpCharsetIsUsed) {
  PageSource page;
  page.id = "x";
  page.url = "https://valley.example/library";
  page.fallback_date = "2023-05-02T17:45:10Z";
  Result<Article> a = ParseHtmlArticle(ReadData("en_library_nodate.html"), page);
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->published, "2023-05-02");
  EXPECT_TRUE(a->published_inferred);
  EXPECT_EQ(a->source, "valley.example");
  EXPECT_EQ(a->url, "https://valley.example/library");

  // A page date beats the fallback.
  Result<Article> b = ParseHtmlArticle(ReadData("en_bridge.html"), page);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->published, "2023-03-14T08:30:00Z");
  EXPECT_FALSE(b->published_inferred);
  EXPECT_EQ(b->url, "https://valley.example/library") << "the fetch URL is kept";

  // Latin-1 bytes without any <meta>: the HTTP charset decides.
  std::string latin1 = "<html><body><article><p>";
  for (int i = 0; i < 4; ++i)
    latin1 += "Le conseil municipal a vot\xE9 le budget de l'ann\xE9\x65 prochaine. ";
  latin1 += "</p></article></body></html>";
  page.http_charset = "iso-8859-1";
  Result<Article> c = ParseHtmlArticle(latin1, page);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_TRUE(Contains(c->text, "a voté le budget de l'année")) << c->text;
}

TEST(ParseHtmlArticleTest, PagesWithoutArticleTextAreErrors) {
  PageSource page;
  page.id = "x";
  const std::pair<std::string, std::string> rows[] = {
      {ReadData("chrome_only.html"), "navigation and script only"},
      {"", "empty file"},
      {"<html><head><title>t</title></head><body></body></html>", "markup only"},
  };
  for (const auto& [bytes, why] : rows) {
    Result<Article> a = ParseHtmlArticle(bytes, page);
    ASSERT_FALSE(a) << why;
    EXPECT_EQ(a.error().code, ErrorCode::kInvalidInput) << why;
  }
}

// ---------------------------------------------------------------- JSONL

std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += c;
    }
  }
  return out + "\"";
}

TEST(ParseJsonArticleTest, HtmlOnlyRecordsAreExtracted) {
  const std::string page = ReadData("en_bridge.html");
  struct Row {
    std::string extra_fields;  // JSON members added to {"id","html"}
    std::string title, url, source, published, why;
  };
  const Row rows[] = {
      {"", "Harbour bridge reopens after six months of repairs",
       "https://www.harbourtimes.example/2023/03/14/bridge-reopens", "harbourtimes.example",
       "2023-03-14T08:30:00Z", "everything from the page"},
      {R"(,"text":"  ")", "Harbour bridge reopens after six months of repairs",
       "https://www.harbourtimes.example/2023/03/14/bridge-reopens", "harbourtimes.example",
       "2023-03-14T08:30:00Z", "blank text counts as missing"},
      {R"(,"title":"Given title","source":"Given source","published":"2023-03-20")", "Given title",
       "https://www.harbourtimes.example/2023/03/14/bridge-reopens", "Given source", "2023-03-20",
       "explicit fields win"},
      {R"(,"url":"https://mirror.example/b")", "Harbour bridge reopens after six months of repairs",
       "https://mirror.example/b", "mirror.example", "2023-03-14T08:30:00Z",
       "explicit url gives the source"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.why);
    const std::string json = R"({"id":"j1","html":)" + JsonString(page) + row.extra_fields + "}";
    Result<Article> a = ParseJsonArticle(json, "pages.jsonl", 4);
    ASSERT_TRUE(a) << a.error().message;
    EXPECT_EQ(a->id, "j1");
    EXPECT_EQ(a->html, page) << "html is kept as given";
    EXPECT_TRUE(Contains(a->text, "The swing bridge across the old harbour reopened")) << a->text;
    EXPECT_FALSE(Contains(a->text, "Lifeboat crew honoured"));
    EXPECT_EQ(a->title, row.title);
    EXPECT_EQ(a->url, row.url);
    EXPECT_EQ(a->source, row.source);
    EXPECT_EQ(a->published, row.published);
    EXPECT_EQ(a->origin, "pages.jsonl:4");
  }
  // Text given: the html is kept but not extracted.
  Result<Article> kept = ParseJsonArticle(
      R"({"id":"j2","text":"Own text.","html":)" + JsonString(page) + "}", "p.jsonl", 1);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->text, "Own text.");
  EXPECT_EQ(kept->title, "");
  // A page without article text is a bad record.
  Result<Article> bad = ParseJsonArticle(
      R"({"id":"j3","html":)" + JsonString(ReadData("chrome_only.html")) + "}", "p.jsonl", 2);
  ASSERT_FALSE(bad);
  EXPECT_TRUE(Contains(bad.error().message, "field 'html': no article text"))
      << bad.error().message;
}

// ---------------------------------------------------------------- WARC

class WarcInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("storyline_warc_input_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& bytes) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  // The archive of the tests: pages, chrome and records that are not pages.
  static std::vector<std::string> Records() {
    const std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
    return {
        WarcInfo("urn:uuid:00000000-0000-4000-8000-000000000000"),
        WarcRequest("urn:uuid:00000000-0000-4000-8000-000000000001",
                    "https://www.harbourtimes.example/2023/03/14/bridge-reopens"),
        WarcResponse("urn:uuid:00000000-0000-4000-8000-000000000002",
                     "https://www.harbourtimes.example/2023/03/14/bridge-reopens",
                     "2023-03-16T10:00:00Z",
                     HttpOk("text/html; charset=utf-8", ReadData("en_bridge.html"))),
        WarcResponse("urn:uuid:00000000-0000-4000-8000-000000000003",
                     "https://www.harbourtimes.example/logo.png", "2023-03-16T10:00:01Z",
                     HttpOk("image/png", png)),
        WarcResponse("urn:uuid:00000000-0000-4000-8000-000000000004",
                     "https://gazette.example.fr/marche", "2023-03-16T10:00:02Z",
                     HttpOk("text/html; charset=windows-1252", ReadData("fr_market_cp1252.html"))),
        WarcRecord("metadata", "urn:uuid:00000000-0000-4000-8000-000000000005",
                   "https://gazette.example.fr/marche", "2023-03-16T10:00:02Z",
                   "application/warc-fields", "outlink: https://gazette.example.fr/\r\n"),
        WarcResponse("urn:uuid:00000000-0000-4000-8000-000000000006",
                     "https://gazette.example.fr/missing", "2023-03-16T10:00:03Z",
                     HttpMessage(404, "text/html", ReadData("chrome_only.html"))),
        WarcResponse("urn:uuid:00000000-0000-4000-8000-000000000007",
                     "https://valley.example/empty", "2023-03-16T10:00:04Z",
                     HttpOk("text/html", ReadData("chrome_only.html"))),
        WarcResponse("urn:uuid:00000000-0000-4000-8000-000000000008",
                     "https://valley.example/broken", "2023-03-16T10:00:05Z",
                     "HTTP/1.1 OK maybe\r\nContent-Type: text/html\r\n\r\n<p>x</p>"),
        WarcResponse("urn:uuid:00000000-0000-4000-8000-000000000009",
                     "https://www.valley.example/library", "2023-05-02T17:45:10Z",
                     HttpOk("text/html", ReadData("en_library_nodate.html"))),
    };
  }

  struct Outcome {
    std::vector<Article> articles;
    std::vector<BadRecord> bad;
    std::vector<std::uint64_t> progress_bytes;
    ReadStats stats;
    Status status;
  };

  Outcome ReadPaths(const std::vector<std::string>& paths) {
    Outcome out;
    InputReader reader;
    reader.set_progress([&](const ReadStats& s) { out.progress_bytes.push_back(s.bytes_read); });
    out.status = reader.Read(
        paths,
        [&](Article&& a) {
          out.articles.push_back(std::move(a));
          return Ok();
        },
        [&](const BadRecord& b) { out.bad.push_back(b); });
    out.stats = reader.stats();
    return out;
  }

  fs::path dir_;
};

// What every complete reading of Records() must give.
void ExpectFullArchive(const std::vector<Article>& got, const std::string& origin_prefix) {
  ASSERT_EQ(got.size(), 3u);
  struct Want {
    std::string id, url, source, title, published, lang, text;
    bool inferred;
  };
  const Want want[] = {
      {"urn:uuid:00000000-0000-4000-8000-000000000002",
       "https://www.harbourtimes.example/2023/03/14/bridge-reopens", "harbourtimes.example",
       "Harbour bridge reopens after six months of repairs", "2023-03-14T08:30:00Z", "en",
       "The swing bridge across the old harbour reopened", false},
      {"urn:uuid:00000000-0000-4000-8000-000000000004", "https://gazette.example.fr/marche",
       "gazette.example.fr", "Le marché couvert rouvre ses portes après les travaux", "2023-03-15",
       "fr", "le marché couvert de la place du Château a rouvert", false},
      {"urn:uuid:00000000-0000-4000-8000-000000000009", "https://www.valley.example/library",
       "valley.example", "Village library doubles its opening hours", "2023-05-02", "en",
       "The library on Mill Lane will open six days a week", true},
  };
  for (std::size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(want[i].id);
    EXPECT_EQ(got[i].id, want[i].id);
    EXPECT_EQ(got[i].url, want[i].url);
    EXPECT_EQ(got[i].source, want[i].source);
    EXPECT_EQ(got[i].title, want[i].title);
    EXPECT_EQ(got[i].published, want[i].published);
    EXPECT_EQ(got[i].published_inferred, want[i].inferred);
    EXPECT_EQ(got[i].lang, want[i].lang);
    EXPECT_TRUE(Contains(got[i].text, want[i].text)) << got[i].text;
    EXPECT_TRUE(got[i].origin.starts_with(origin_prefix + "@")) << got[i].origin;
    EXPECT_FALSE(got[i].html.empty());
  }
}

TEST_F(WarcInputTest, GzipPerRecordArchive) {
  const std::vector<std::string> records = Records();
  const std::string bytes = WarcGzip(records);
  const std::string path = Write("crawl.warc.gz", bytes);
  Outcome out = ReadPaths({path});
  ASSERT_TRUE(out.status) << out.status.error().message;
  ExpectFullArchive(out.articles, path);

  // Origins point at the gzip member of each record.
  std::size_t member_start = 0;
  std::map<std::string, std::size_t> offset_of;
  for (const std::string& r : records) {
    const std::size_t id_at = r.find("urn:uuid:");
    offset_of[r.substr(id_at, 45)] = member_start;
    member_start += GzipMember(r).size();
  }
  for (const Article& a : out.articles) {
    EXPECT_EQ(a.origin, path + "@" + std::to_string(offset_of[a.id])) << a.id;
  }
  // Two bad records, each naming its record; the rest skipped and counted.
  ASSERT_EQ(out.bad.size(), 2u);
  EXPECT_EQ(out.bad[0].offset,
            static_cast<std::int64_t>(offset_of["urn:uuid:00000000-0000-4000-8000-000000000007"]));
  EXPECT_TRUE(
      Contains(out.bad[0].ToString(),
               "@" + std::to_string(out.bad[0].offset) +
                   ": record urn:uuid:00000000-0000-4000-8000-000000000007: no article text"))
      << out.bad[0].ToString();
  EXPECT_TRUE(Contains(out.bad[1].error.message, "urn:uuid:00000000-0000-4000-8000-000000000008"))
      << out.bad[1].ToString();
  EXPECT_EQ(out.stats.articles, 3);
  EXPECT_EQ(out.stats.bad_records, 2);
  EXPECT_EQ(out.stats.skipped_records, 5) << "warcinfo, request, png, metadata, 404";
  // Progress advances within the file and ends at its size.
  ASSERT_EQ(out.progress_bytes.size(), 3u);
  EXPECT_LT(out.progress_bytes[0], out.progress_bytes[1]);
  EXPECT_LT(out.progress_bytes[1], out.progress_bytes[2]);
  EXPECT_LT(out.progress_bytes[2], bytes.size());
  EXPECT_EQ(out.stats.bytes_read, bytes.size());
  EXPECT_EQ(out.stats.bytes_total, bytes.size());
}

TEST_F(WarcInputTest, PlainAndWholeFileGzipArchivesReadTheSame) {
  const std::string plain = Write("crawl.warc", WarcPlain(Records()));
  Outcome a = ReadPaths({plain});
  ASSERT_TRUE(a.status);
  ExpectFullArchive(a.articles, plain);
  EXPECT_EQ(a.bad.size(), 2u);
  EXPECT_EQ(a.stats.skipped_records, 5);
  // Plain archives: the offset is the record's own file position.
  const std::string bytes = WarcPlain(Records());
  EXPECT_EQ(a.articles[0].origin,
            plain + "@" + std::to_string(bytes.find("WARC/1.1\r\nWARC-Type: response")));

  const std::string whole = Write("whole.warc.gz", GzipMember(WarcPlain(Records())));
  Outcome b = ReadPaths({whole});
  ASSERT_TRUE(b.status);
  ExpectFullArchive(b.articles, whole);
  EXPECT_EQ(b.bad.size(), 2u);
}

// A WARC from a named pipe without extension: recognised by its content
// and streamed, with offsets in the stream as read.
TEST_F(WarcInputTest, ArchiveFromANamedPipeIsSniffedAndStreamed) {
  const std::string fifo = (dir_ / "crawl-pipe").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const std::string bytes = WarcGzip(Records());
  std::thread writer([&] { std::ofstream(fifo, std::ios::binary) << bytes; });
  Outcome out = ReadPaths({fifo});
  writer.join();
  ASSERT_TRUE(out.status) << out.status.error().message;
  ExpectFullArchive(out.articles, fifo);
  EXPECT_EQ(out.bad.size(), 2u);
  EXPECT_EQ(out.stats.skipped_records, 5);
}

TEST_F(WarcInputTest, TruncatedArchiveKeepsEarlierPagesAndReportsTheOffset) {
  const std::vector<std::string> records = Records();
  std::string bytes;
  std::size_t cut = 0;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const std::string member = GzipMember(records[i]);
    if (i == 9) cut = bytes.size() + member.size() / 2;  // inside the last page
    bytes += member;
  }
  const std::string path = Write("cut.warc.gz", bytes.substr(0, cut));
  Outcome out = ReadPaths({path, Write("after.txt", "Another file.\nStill read.\n")});
  ASSERT_TRUE(out.status) << out.status.error().message;
  ASSERT_EQ(out.articles.size(), 3u) << "two pages before the damage, then the next file";
  EXPECT_EQ(out.articles[0].id, "urn:uuid:00000000-0000-4000-8000-000000000002");
  EXPECT_EQ(out.articles[1].id, "urn:uuid:00000000-0000-4000-8000-000000000004");
  EXPECT_EQ(out.articles[2].id, "after");
  ASSERT_EQ(out.bad.size(), 3u);
  const std::string last_member = std::to_string(cut - GzipMember(records[9]).size() / 2);
  EXPECT_TRUE(Contains(out.bad[2].ToString(),
                       path + ": truncated gzip member starting at file byte " + last_member))
      << out.bad[2].ToString();

  // The same damage in a plain archive.
  const std::string plain = WarcPlain(records);
  const std::string plain_path = Write("cut.warc", plain.substr(0, plain.size() - 200));
  Outcome p = ReadPaths({plain_path});
  ASSERT_TRUE(p.status);
  EXPECT_EQ(p.articles.size(), 2u);
  ASSERT_FALSE(p.bad.empty());
  EXPECT_TRUE(Contains(p.bad.back().error.message, "truncated record")) << p.bad.back().ToString();
  EXPECT_TRUE(Contains(p.bad.back().error.message,
                       "byte " + std::to_string(plain.size() - records[9].size())))
      << p.bad.back().ToString();
}

TEST_F(WarcInputTest, NotAnArchiveAndEmptyArchive) {
  Outcome junk = ReadPaths({Write("junk.warc", "this is not a web archive\n")});
  ASSERT_TRUE(junk.status);
  EXPECT_TRUE(junk.articles.empty());
  ASSERT_EQ(junk.bad.size(), 1u);
  EXPECT_TRUE(Contains(junk.bad[0].error.message, "expected a WARC/1.x version line"));

  Outcome empty = ReadPaths({Write("empty.warc.gz", "")});
  ASSERT_TRUE(empty.status);
  EXPECT_TRUE(empty.articles.empty());
  EXPECT_TRUE(empty.bad.empty());

  Outcome missing = ReadPaths({(dir_ / "nope.warc.gz").string()});
  EXPECT_FALSE(missing.status);
}

TEST_F(WarcInputTest, ReadWarcBytesMatchesReadingTheFile) {
  InputReader reader;
  std::vector<Article> got;
  std::int64_t bad = 0;
  Status s = reader.ReadWarcBytes(
      WarcGzip(Records()), "mem.warc.gz",
      [&](Article&& a) {
        got.push_back(std::move(a));
        return Ok();
      },
      [&](const BadRecord&) { ++bad; });
  ASSERT_TRUE(s);
  ExpectFullArchive(got, "mem.warc.gz");
  EXPECT_EQ(bad, 2);
  // The article callback's error stops reading and comes back unchanged.
  InputReader stopping;
  Status stop = stopping.ReadWarcBytes(
      WarcGzip(Records()), "mem.warc.gz",
      [](Article&&) { return Status(MakeError(ErrorCode::kStore, "disk full")); }, nullptr);
  ASSERT_FALSE(stop);
  EXPECT_EQ(stop.error().message, "disk full");
}

TEST_F(WarcInputTest, HtmlFilesInADirectory) {
  fs::create_directories(dir_ / "site");
  for (const std::string name : {"en_bridge.html", "fr_market_cp1252.html", "chrome_only.html"}) {
    Write("site/" + name, ReadData(name));
  }
  Write("site/fr_market_cp1252.htm", ReadData("fr_market_cp1252.html"));
  Outcome out = ReadPaths({(dir_ / "site").string()});
  ASSERT_TRUE(out.status);
  ASSERT_EQ(out.articles.size(), 3u);
  EXPECT_EQ(out.articles[0].id, "en_bridge");
  EXPECT_EQ(out.articles[1].id, "fr_market_cp1252");
  EXPECT_EQ(out.articles[2].id, "fr_market_cp1252");
  EXPECT_EQ(out.articles[0].source, "harbourtimes.example");
  EXPECT_EQ(out.articles[1].source, "La Gazette du Lac");
  EXPECT_TRUE(Contains(out.articles[1].html, "Après dix-huit mois")) << "decoded to UTF-8";
  EXPECT_EQ(out.articles[0].origin, (dir_ / "site" / "en_bridge.html").string());
  ASSERT_EQ(out.bad.size(), 1u);
  EXPECT_EQ(out.bad[0].file, (dir_ / "site" / "chrome_only.html").string());
  EXPECT_TRUE(Contains(out.bad[0].error.message, "no article text"));
}

// Throughput of the reader on real pages: the 181 pages of the shared
// extraction benchmark wrapped in a per-record-gzip WARC. Prints pages/s and
// checks that the reader's text is the extractor's (token F1 against gold).
TEST_F(WarcInputTest, ThroughputOnTheDevelopmentPages) {
  const char* shared = std::getenv("STORYLINE_SHARED");
  const std::string corpus_path =
      std::string(shared != nullptr ? shared : "") + "/data/scrapinghub-aeb.jsonl.gz";
  if (shared == nullptr || !fs::exists(corpus_path)) GTEST_SKIP() << "no " << corpus_path;
  Result<std::vector<tools::html_dev::ExtractionExample>> corpus =
      tools::html_dev::LoadExtractionCorpus(corpus_path);
  ASSERT_TRUE(corpus) << corpus.error().message;
  std::map<std::string, std::string> gold;
  std::vector<std::string> records = {WarcInfo("urn:uuid:bench-info")};
  std::size_t html_bytes = 0;
  for (std::size_t i = 0; i < corpus->size(); ++i) {
    const tools::html_dev::ExtractionExample& ex = (*corpus)[i];
    const std::string id = "urn:uuid:bench-" + std::to_string(i);
    gold[id] = ex.gold_text;
    html_bytes += ex.html.size();
    records.push_back(WarcRequest("urn:uuid:req-" + std::to_string(i), ex.url));
    records.push_back(WarcResponse(id, ex.url, "2020-01-01T00:00:00Z",
                                   HttpOk("text/html; charset=utf-8", ex.html)));
  }
  const std::string path = Write("bench.warc.gz", WarcGzip(records));
  const int kRounds = 3;
  double best = 1e30;
  Outcome out;
  for (int round = 0; round < kRounds; ++round) {
    const auto t0 = std::chrono::steady_clock::now();
    out = ReadPaths({path});
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    best = std::min(best, secs);
  }
  ASSERT_TRUE(out.status);
  EXPECT_EQ(out.stats.articles + out.stats.bad_records, static_cast<std::int64_t>(corpus->size()));
  EXPECT_GE(out.stats.articles, static_cast<std::int64_t>(corpus->size()) - 2);
  double f1 = 0;
  for (const Article& a : out.articles) f1 += tools::html_dev::ScoreTokens(a.text, gold[a.id]).f1;
  f1 /= static_cast<double>(corpus->size());
  std::printf(
      "[ ingest ] %zu pages (%.1f MB of HTML, %.1f MB gzipped WARC) in %.3f s: "
      "%.0f pages/s, %.1f MB/s of HTML; mean token F1 %.3f\n",
      corpus->size(), static_cast<double>(html_bytes) / 1e6,
      static_cast<double>(fs::file_size(path)) / 1e6, best,
      static_cast<double>(corpus->size()) / best, static_cast<double>(html_bytes) / 1e6 / best, f1);
  EXPECT_GE(f1, 0.90) << "the reader's text should be the extractor's";
}

}  // namespace
}  // namespace storyline::ingest
