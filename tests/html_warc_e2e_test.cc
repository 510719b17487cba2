// End-to-end: web pages in a WARC archive through `storyline ingest` and
// back out of `storyline export`. The archive is written here, one gzip
// member per record, from the test pages in tests/data/ingest (English and
// French, UTF-8 and windows-1252), with the records crawlers add around
// pages (warcinfo, request, an image).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_runner.h"
#include "ingest/warc_test_builder.h"
#include "storyline/ingest/reader.h"

namespace storyline {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::CliResult;
using testing::ReadFileOrEmpty;
using testing::RunCli;
using namespace storyline::ingest::testing;

std::string TestPage(const std::string& name) {
  const char* root = std::getenv("STORYLINE_SOURCE");
  const std::string path = std::string(root != nullptr ? root : ".") + "/tests/data/ingest/" + name;
  const std::string bytes = ReadFileOrEmpty(path);
  EXPECT_FALSE(bytes.empty()) << "missing " << path;
  return bytes;
}

// One page of the archive and what the store must hold for it.
struct Page {
  std::string file;         // under tests/data/ingest
  std::string id;           // WARC-Record-ID without the angle brackets
  std::string uri;          // WARC-Target-URI
  std::string content_type;
  std::string warc_date;
  // Expected export fields.
  std::string source, title, published, lang;
  bool published_inferred = false;
  std::string body_sentence;  // a sentence of the article body
};

const std::vector<Page>& Pages() {
  static const std::vector<Page> pages = {
      {"en_bridge.html", "urn:uuid:6f1c2a9e-0001-4c3b-9a51-1a2b3c4d5e01",
       "https://www.harbourtimes.example/2023/03/14/bridge-reopens", "text/html; charset=utf-8",
       "2023-03-16T10:00:00Z", "harbourtimes.example",
       "Harbour bridge reopens after six months of repairs", "2023-03-14T08:30:00Z", "en", false,
       "The swing bridge across the old harbour reopened to traffic on Tuesday morning"},
      {"fr_market_cp1252.html", "urn:uuid:6f1c2a9e-0002-4c3b-9a51-1a2b3c4d5e02",
       "https://www.gazette-du-lac.example.fr/region/marche-couvert", "text/html",
       "2023-03-16T10:00:02Z", "gazette-du-lac.example.fr",
       "Le marché couvert rouvre ses portes après les travaux", "2023-03-15", "fr", false,
       "Les quarante-deux étals ont tous trouvé preneur"},
      {"en_library_nodate.html", "urn:uuid:6f1c2a9e-0003-4c3b-9a51-1a2b3c4d5e03",
       "http://valley-courier.example/local/library-hours", "text/html; charset=UTF-8",
       "2023-05-02T17:45:10Z", "valley-courier.example",
       "Village library doubles its opening hours", "2023-05-02", "en", true,
       "Forty residents have signed up for training"},
      {"fr_declared_en.html", "urn:uuid:6f1c2a9e-0004-4c3b-9a51-1a2b3c4d5e04",
       "https://velo.example.org/2023/04/02/piste-canal", "text/html; charset=utf-8",
       "2023-04-03T06:00:00Z", "velo.example.org", "La piste cyclable du canal est enfin terminée",
       "2023-04-02", "fr", false,  // 'hier soir' is no date; the URL path gives one
       "Les associations de cyclistes réclamaient cet aménagement depuis plus de dix ans"},
  };
  return pages;
}

// The archive's records, in order: warcinfo, then per page a request and
// its response, with an image response after the first page.
std::vector<std::string> ArchiveRecords() {
  std::vector<std::string> records = {WarcInfo("urn:uuid:6f1c2a9e-0000-4c3b-9a51-1a2b3c4d5e00")};
  int n = 0;
  for (const Page& p : Pages()) {
    records.push_back(WarcRequest("urn:uuid:6f1c2a9e-10" + std::to_string(n) + "0-4c3b-9a51-1a2b3c4d5e00", p.uri));
    records.push_back(WarcResponse(p.id, p.uri, p.warc_date, HttpOk(p.content_type, TestPage(p.file))));
    if (n == 0) {
      records.push_back(WarcResponse("urn:uuid:6f1c2a9e-0099-4c3b-9a51-1a2b3c4d5e99",
                                     "https://www.harbourtimes.example/static/logo.png",
                                     "2023-03-16T10:00:01Z",
                                     HttpOk("image/png", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16))));
    }
    ++n;
  }
  return records;
}

class HtmlWarcE2eTest : public testing::CliFixture {
 protected:
  HtmlWarcE2eTest() : CliFixture("storyline_warc_e2e") {}
  std::map<std::string, json> ExportById() {
    CliResult r = Run({"export", "--db", db_, "--format", "json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::map<std::string, json> out;
    const json all = json::parse(r.out);
    for (const json& a : all["articles"]) out[a["id"]] = a;
    return out;
  }
  // What the reader itself extracts from the page: the stored text must be
  // exactly this.
  static std::string ExtractedText(const Page& p) {
    ingest::PageSource source;
    source.id = p.id;
    source.url = p.uri;
    Result<Article> a = ingest::ParseHtmlArticle(TestPage(p.file), source);
    EXPECT_TRUE(a) << p.file;
    return a ? a->text : std::string();
  }
  void ExpectStored(const std::map<std::string, json>& got, const Page& p) {
    SCOPED_TRACE(p.file);
    ASSERT_TRUE(got.count(p.id)) << p.id;
    const json& a = got.at(p.id);
    EXPECT_EQ(a["url"], p.uri);
    EXPECT_EQ(a["source"], p.source);
    EXPECT_EQ(a["title"], p.title);
    EXPECT_EQ(a["published"], p.published);
    EXPECT_EQ(a["published_inferred"], p.published_inferred);
    EXPECT_EQ(a["lang"], p.lang);
    // The export gives the article text as "text", or only its cleaned
    // "body" (the lines the classifier keeps): either way every stored line
    // is a line the reader extracted, and the body is there.
    const std::string extracted = ExtractedText(p);
    if (a.contains("text")) {
      EXPECT_EQ(a["text"], extracted);
    }
    const std::string stored = StoredText(a);
    EXPECT_NE(stored.find(p.body_sentence), std::string::npos) << stored;
    EXPECT_EQ(stored.find('<'), std::string::npos) << "no markup in the text";
    std::size_t pos = 0;
    while (pos < stored.size()) {
      std::size_t end = stored.find('\n', pos);
      if (end == std::string::npos) end = stored.size();
      const std::string line = stored.substr(pos, end - pos);
      EXPECT_NE(extracted.find(line), std::string::npos) << "not extracted: " << line;
      pos = end + 1;
    }
  }
  // The stored text (or cleaned body) of an exported article.
  static std::string StoredText(const json& a) {
    return a.contains("text") ? a["text"].get<std::string>() : a.value("body", std::string());
  }
};

TEST_F(HtmlWarcE2eTest, IngestsTheHtmlResponsesOfAGzipPerRecordArchive) {
  const std::string warc = Write("crawl.warc.gz", WarcGzip(ArchiveRecords()));
  CliResult r = Run({"ingest", "--progress", "never", "--db", db_, warc});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("ingested 4 articles"), std::string::npos) << r.err;
  std::map<std::string, json> got = ExportById();
  EXPECT_EQ(got.size(), Pages().size()) << "the image, request and warcinfo records are not articles";
  for (const Page& p : Pages()) ExpectStored(got, p);
  // Spot checks of the text itself, independent of the reader.
  const std::string en = StoredText(got[Pages()[0].id]);
  EXPECT_NE(en.find("The swing bridge across the old harbour reopened to traffic"), std::string::npos);
  EXPECT_EQ(en.find("Lifeboat crew honoured"), std::string::npos) << "chrome left out";
  const std::string fr = StoredText(got[Pages()[1].id]);
  EXPECT_NE(fr.find("Les quarante-deux étals ont tous trouvé preneur"), std::string::npos)
      << "windows-1252 decoded";

  // Ingesting the same archive again changes nothing.
  r = Run({"ingest", "--progress", "never", "--db", db_, warc});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("4 unchanged"), std::string::npos) << r.err;
}

TEST_F(HtmlWarcE2eTest, TruncatedArchiveKeepsEarlierPagesAndExitsThree) {
  const std::vector<std::string> records = ArchiveRecords();
  std::string bytes;
  std::size_t last_member = 0;
  for (const std::string& r : records) {
    last_member = bytes.size();
    bytes += GzipMember(r);
  }
  // Cut the last record (the fourth page) in the middle of its gzip member.
  const std::size_t cut = last_member + (bytes.size() - last_member) / 2;
  const std::string warc = Write("cut.warc.gz", bytes.substr(0, cut));
  CliResult r = Run({"ingest", "--progress", "never", "--db", db_, warc});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find(warc + ": truncated gzip member starting at file byte " +
                       std::to_string(last_member)),
            std::string::npos)
      << r.err;
  std::map<std::string, json> got = ExportById();
  EXPECT_EQ(got.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) ExpectStored(got, Pages()[i]);
  EXPECT_EQ(got.count(Pages()[3].id), 0u);
}

TEST_F(HtmlWarcE2eTest, HtmlFilesAndAPageWithoutText) {
  fs::create_directories(dir_ / "pages");
  Write("pages/en_bridge.html", TestPage("en_bridge.html"));
  Write("pages/fr_market_cp1252.htm", TestPage("fr_market_cp1252.html"));
  const std::string empty = Write("pages/chrome_only.html", TestPage("chrome_only.html"));
  CliResult r = Run({"ingest", "--progress", "never", "--db", db_, (dir_ / "pages").string()});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find(empty + ": no article text found in the page"), std::string::npos) << r.err;
  std::map<std::string, json> got = ExportById();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got["en_bridge"]["url"], "https://www.harbourtimes.example/2023/03/14/bridge-reopens");
  EXPECT_EQ(got["en_bridge"]["source"], "harbourtimes.example");
  EXPECT_EQ(got["fr_market_cp1252"]["source"], "La Gazette du Lac");
  EXPECT_EQ(got["fr_market_cp1252"]["published"], "2023-03-15");
  EXPECT_EQ(got["fr_market_cp1252"]["url"], nullptr);
}

}  // namespace
}  // namespace storyline
