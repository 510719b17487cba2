#include "storyline/ingest/reader.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "compress_test_util.h"
#include "storyline/ingest/byte_source.h"

namespace storyline::ingest {
namespace {

struct JsonRow {
  std::string json;
  std::string error;  // substring of the expected error, empty for success
  std::string why;
};

TEST(ParseJsonArticleTest, Table) {
  const JsonRow rows[] = {
      {R"({"id":"a1","title":"T","text":"Body"})", "", "minimal"},
      {R"({"id":7,"text":"Body"})", "", "numeric id"},
      {R"({"html":"<article><p>The council voted on Tuesday to keep the harbour ferry running through the winter months.</p></article>"})",
       "", "html only: text extracted"},
      {R"({"html":"<p>x</p>"})", "field 'html': no article text", "html without article text"},
      {R"({"id":"a","text":"Body","published":null,"lang":null})", "", "nulls are absent"},
      {R"({"id":"a","title":"T"})", "missing field 'text'", "no text"},
      {R"({"id":"a","text":"   \n  "})", "empty article", "blank text"},
      {R"({"id":"a","title":"Headline only","text":""})", "", "title-only article is kept"},
      {R"({"id":"a","title":" ","text":""})", "empty article", "blank title and text"},
      {R"({"id":"a","text":42})", "'text' must be a string", "wrong type"},
      {R"({"id":"a","text":"x","published":"yesterday"})", "'published' is not ISO 8601",
       "bad date"},
      {R"({"id":"a","text":"x")", "invalid JSON", "truncated"},
      {R"(["a"])", "must be a JSON object", "array"},
      {"{\"id\":\"a\",\"text\":\"caf\xC3\"}", "invalid UTF-8", "broken UTF-8"},
  };
  for (const JsonRow& row : rows) {
    Result<Article> a = ParseJsonArticle(row.json, "f.jsonl", 3);
    if (row.error.empty()) {
      EXPECT_TRUE(a) << row.why << ": " << a.error().message;
    } else {
      ASSERT_FALSE(a) << row.why;
      EXPECT_NE(a.error().message.find(row.error), std::string::npos)
          << row.why << ": got '" << a.error().message << "'";
    }
  }
}

TEST(ParseJsonArticleTest, KeepsEveryFieldAndDefaultsTheId) {
  Result<Article> a = ParseJsonArticle(
      R"({"title":"Titre","text":"L’été\nà Genève","url":"https://x.example/a","source":"x.example","published":"2022-01-08","lang":"fr"})",
      "dir/news.jsonl.gz", 12);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->id, "news:12");
  EXPECT_EQ(a->title, "Titre");
  EXPECT_EQ(a->text, "L’été\nà Genève");
  EXPECT_EQ(a->url, "https://x.example/a");
  EXPECT_EQ(a->source, "x.example");
  EXPECT_EQ(a->published, "2022-01-08");
  EXPECT_EQ(a->lang, "fr");
  EXPECT_EQ(a->origin, "dir/news.jsonl.gz:12");
}

TEST(ParseTextArticleTest, TitleIsFirstNonEmptyLine) {
  Result<Article> a =
      ParseTextArticle("\xEF\xBB\xBF\n\n  Headline here \nBody.\n", "x/017_abc.txt");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->id, "017_abc");
  EXPECT_EQ(a->title, "Headline here");
  EXPECT_EQ(a->text, "\n\n  Headline here \nBody.\n");
  EXPECT_FALSE(ParseTextArticle("\xFF\xFE", "bad.txt"));
  EXPECT_FALSE(ParseTextArticle(" \n\t\n", "blank.txt"));
}

class InputReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        std::filesystem::temp_directory_path() / ("storyline_reader_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_ / "sub");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& bytes) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
  // What one Read() of `inputs` gave.
  struct Outcome {
    Status status = Ok();
    std::vector<Article> articles;
    std::vector<std::string> bad;  // BadRecord::ToString()
    ReadStats stats;
  };
  static Outcome ReadAll(const std::vector<std::string>& inputs) {
    Outcome out;
    InputReader reader;
    out.status = reader.Read(
        inputs,
        [&](Article&& a) {
          out.articles.push_back(std::move(a));
          return Ok();
        },
        [&](const BadRecord& b) { out.bad.push_back(b.ToString()); });
    out.stats = reader.stats();
    return out;
  }
  // `n` JSONL records with ids r0, r1...
  static std::string Records(int n) {
    std::string jsonl;
    for (int i = 0; i < n; ++i) {
      jsonl += "{\"id\":\"r" + std::to_string(i) + "\",\"title\":\"Record " + std::to_string(i) +
               "\",\"text\":\"Body of record " + std::to_string(i) +
               ", long enough to take some room in the compressed stream: " +
               std::string(static_cast<std::size_t>(i % 97) + 40, static_cast<char>('a' + i % 26)) +
               "\"}\n";
    }
    return jsonl;
  }
  static int CountLines(const std::string& s) {
    return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
  }
  std::filesystem::path dir_;
};

// Regression: a truncated .jsonl.gz of 1,497 records gave 1,222 articles and
// a bad record without an offset; every complete record before the damage
// must come through, and the damage be one bad record naming its offset.
TEST_F(InputReaderTest, TruncatedGzipKeepsEveryCompleteRecordAndNamesTheOffset) {
  const std::string gz = testing::Gzip(Records(1497));
  const std::string cut = gz.substr(0, gz.size() / 2);
  const std::string readable = testing::GunzipPrefix(cut);
  const int complete = CountLines(readable);
  ASSERT_GT(complete, 600);
  const std::string path = Write("cut.jsonl.gz", cut);
  Outcome r = ReadAll({path});
  ASSERT_TRUE(r.status);
  EXPECT_EQ(static_cast<int>(r.articles.size()), complete);
  EXPECT_EQ(r.articles.back().id, "r" + std::to_string(complete - 1));
  ASSERT_EQ(r.bad.size(), 1u);
  // The cut line is the bad record, with the compressed offset of the damage.
  EXPECT_EQ(r.bad[0].rfind(path + ":" + std::to_string(complete + 1) +
                               ": record cut short by damaged input: truncated gzip data: "
                               "input ends at byte " +
                               std::to_string(cut.size()),
                           0),
            0u)
      << r.bad[0];
}

TEST_F(InputReaderTest, TruncatedZstdKeepsEveryCompleteRecordAndNamesTheOffset) {
  const std::string zst = testing::Zstd(Records(3000));
  const std::string cut = zst.substr(0, zst.size() / 2);
  const int complete = CountLines(testing::UnzstdPrefix(cut));
  ASSERT_GT(complete, 1000);
  const std::string path = Write("cut.jsonl.zst", cut);
  Outcome r = ReadAll({path});
  ASSERT_TRUE(r.status);
  EXPECT_EQ(static_cast<int>(r.articles.size()), complete);
  ASSERT_EQ(r.bad.size(), 1u);
  EXPECT_NE(r.bad[0].find("truncated zstd data: input ends at byte " + std::to_string(cut.size())),
            std::string::npos)
      << r.bad[0];
}

// The same on a real file written by gzip(1), from the shared data.
TEST_F(InputReaderTest, TruncatedSharedGzipKeepsEveryCompleteRecord) {
  const char* shared = std::getenv("STORYLINE_SHARED");
  const std::filesystem::path data =
      std::filesystem::path(shared ? shared : "../shared") / "data" / "scrapinghub-aeb.jsonl.gz";
  if (!std::filesystem::exists(data)) GTEST_SKIP() << "no " << data;
  std::ifstream in(data, std::ios::binary);
  const std::string gz((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string cut = gz.substr(0, gz.size() / 2);
  const std::string readable = testing::GunzipPrefix(cut);
  Outcome whole = ReadAll({data.string()});
  ASSERT_TRUE(whole.status);
  ASSERT_TRUE(whole.bad.empty()) << whole.bad[0];
  Outcome r = ReadAll({Write("aeb.jsonl.gz", cut)});
  ASSERT_TRUE(r.status);
  EXPECT_EQ(static_cast<int>(r.articles.size()), CountLines(readable));
  ASSERT_EQ(r.bad.size(), 1u);
  EXPECT_NE(r.bad[0].find("input ends at byte " + std::to_string(cut.size())), std::string::npos)
      << r.bad[0];
}

// Regression: junk after a gzip member made zlib fail in the middle of a
// read, losing the records decompressed with it. The last record of a
// complete member counts even without a final line break.
TEST_F(InputReaderTest, JunkAfterGzipOrZstdKeepsEveryRecordAndIsReportedAtItsOffset) {
  std::string last = Records(3);
  last.pop_back();  // no '\n' after the last record
  const std::string gz = testing::Gzip(Records(1000)) + testing::Gzip(last);
  const std::string zst = testing::Zstd(Records(1000)) + testing::Zstd(last);
  const std::string junk(300, 'J');
  const std::string gz_path = Write("junk.jsonl.gz", gz + junk);
  const std::string zst_path = Write("junk.jsonl.zst", zst + junk);
  Outcome r = ReadAll({gz_path, zst_path});
  ASSERT_TRUE(r.status);
  EXPECT_EQ(r.articles.size(), 2006u);
  ASSERT_EQ(r.bad.size(), 2u);
  EXPECT_EQ(r.bad[0], gz_path + ": data after the last gzip member at byte " +
                          std::to_string(gz.size()) + " is not gzip");
  EXPECT_EQ(r.bad[1], zst_path + ": data after the last zstd frame at byte " +
                          std::to_string(zst.size()) + " is not zstd");
}

TEST(FormatOfContentTest, Table) {
  struct Row {
    std::string head;
    InputFormat format;
    std::string why;
  };
  const Row rows[] = {
      {"{\"id\":1}\n", InputFormat::kJsonl, "JSON object"},
      {"\n  \r\n{\"id\":1}", InputFormat::kJsonl, "after blank lines"},
      {"WARC/1.0\r\n", InputFormat::kWarc, "WARC"},
      {"<!DOCTYPE html><html>", InputFormat::kHtml, "doctype"},
      {"  <html lang=fr>", InputFormat::kHtml, "tag"},
      {"Headline\nBody", InputFormat::kText, "prose"},
      {"[1,2]", InputFormat::kText, "not an object"},
      {"", InputFormat::kText, "empty"},
  };
  for (const Row& row : rows) EXPECT_EQ(FormatOfContent(row.head), row.format) << row.why;
}

// Regression: a named pipe lost its first four bytes to the rewind of the
// magic-byte sniff ("line 1: invalid JSON").
TEST_F(InputReaderTest, NamedPipesAreReadAsStreams) {
  struct Row {
    std::string name;  // of the FIFO
    std::string bytes;
    std::size_t articles;
  };
  const std::string jsonl = Records(5);
  const Row rows[] = {
      {"feed.jsonl", jsonl, 5},
      {"feed.jsonl.gz", testing::Gzip(jsonl), 5},
      {"feed", jsonl, 5},                  // no extension: JSONL by content
      {"feed2", testing::Zstd(jsonl), 5},  // zstd by magic, then JSONL by content
      {"page",
       "<html><body><article><p>The harbour ferry will keep running through the "
       "winter, the council decided on Tuesday after a long debate.</p></article>"
       "</body></html>",
       1},
      {"note", "Headline\nA text article read from a pipe.\n", 1},
  };
  for (const Row& row : rows) {
    const std::string fifo = (dir_ / row.name).string();
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    std::thread writer([&] { std::ofstream(fifo, std::ios::binary) << row.bytes; });
    Outcome r = ReadAll({fifo});
    writer.join();
    ASSERT_TRUE(r.status) << row.name << ": " << r.status.error().message;
    EXPECT_EQ(r.articles.size(), row.articles) << row.name;
    EXPECT_TRUE(r.bad.empty()) << row.name << ": " << r.bad[0];
  }
}

// Regression: "-" was "no such file or directory".
TEST_F(InputReaderTest, DashReadsStandardInput) {
  const std::string path = Write("in.data", testing::Gzip(Records(4)));
  const int saved = ::dup(STDIN_FILENO);
  const int fd = ::open(path.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  ::dup2(fd, STDIN_FILENO);
  ::close(fd);
  std::clearerr(stdin);
  Outcome r = ReadAll({"-"});
  ::dup2(saved, STDIN_FILENO);
  ::close(saved);
  std::clearerr(stdin);
  ASSERT_TRUE(r.status) << r.status.error().message;
  ASSERT_EQ(r.articles.size(), 4u);
  EXPECT_EQ(r.articles[0].origin, "stdin:1");
  EXPECT_TRUE(r.bad.empty());
}

// Regression: a UTF-8 byte order mark made line 1 of a JSONL file invalid JSON.
TEST_F(InputReaderTest, Utf8ByteOrderMarkIsDropped) {
  const std::string bom = "\xEF\xBB\xBF";
  Outcome r = ReadAll({Write("bom.jsonl", bom + "{\"id\":\"a\",\"text\":\"one\"}\n"),
                       Write("bom.txt", bom + "Title\nBody\n"),
                       Write("bom.html", bom + "<html><body><article><p>The harbour ferry will "
                                               "keep running through the winter, the council "
                                               "decided.</p></article></body></html>")});
  ASSERT_TRUE(r.status);
  EXPECT_TRUE(r.bad.empty()) << r.bad[0];
  ASSERT_EQ(r.articles.size(), 3u);
  EXPECT_EQ(r.articles[0].id, "a");
  EXPECT_EQ(r.articles[1].title, "Title");
  EXPECT_EQ(r.articles[1].text, "Title\nBody\n");
  EXPECT_EQ(r.articles[2].html.find(bom), std::string::npos);
}

std::string Utf16Le(const std::string& ascii_or_latin1) {
  std::string out = "\xFF\xFE";
  for (unsigned char c : ascii_or_latin1) {
    out += static_cast<char>(c);
    out += '\0';
  }
  return out;
}

std::string Utf16Be(const std::string& ascii_or_latin1) {
  std::string out = "\xFE\xFF";
  for (unsigned char c : ascii_or_latin1) {
    out += '\0';
    out += static_cast<char>(c);
  }
  return out;
}

// Regression: UTF-16 input was invalid JSON on every line, or invalid UTF-8.
TEST_F(InputReaderTest, Utf16WithByteOrderMarkIsDecoded) {
  const std::string jsonl =
      "{\"id\":\"a\",\"text\":\"caf\xE9\"}\r\n{\"id\":\"b\",\"text\":\"two\"}\r\n";
  Outcome r = ReadAll({Write("le.jsonl", Utf16Le(jsonl)), Write("be.jsonl", Utf16Be(jsonl)),
                       Write("le.txt", Utf16Le("Titre \xE9t\xE9\nCorps\n"))});
  ASSERT_TRUE(r.status);
  EXPECT_TRUE(r.bad.empty()) << r.bad[0];
  ASSERT_EQ(r.articles.size(), 5u);
  EXPECT_EQ(r.articles[0].text, "café");
  EXPECT_EQ(r.articles[3].id, "b");
  EXPECT_EQ(r.articles[4].title, "Titre été");
}

// Regression: binary files behind a text or page name were extracted (or
// failed with an unrelated message); they are a bad record naming the kind.
TEST_F(InputReaderTest, BinaryContentIsABadRecordNeverAnArticle) {
  struct Row {
    std::string name;
    std::string bytes;
    std::string message;
  };
  const std::string png = std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) + std::string(200, 'x');
  const std::string prose = "Headline\nSome text that reads as prose. ";
  const Row rows[] = {
      {"image.html", png, "binary content (PNG image), not an HTML page"},
      {"photo.txt", "\xFF\xD8\xFF\xE0" + std::string(100, 'a'),
       "binary content (JPEG image), not a text file"},
      {"anim.htm", "GIF89a" + std::string(100, 'a'),
       "binary content (GIF image), not an HTML page"},
      {"doc.html", "%PDF-1.7\n" + prose, "binary content (PDF document), not an HTML page"},
      {"bundle.txt", "PK\x03\x04" + prose, "binary content (ZIP archive), not a text file"},
      {"prog.txt",
       "\x7f"
       "ELF\x02\x01" +
           prose,
       "binary content (ELF executable), not a text file"},
      {"nul.txt", prose + std::string(1, '\0') + prose,
       "binary content (NUL bytes), not a text file"},
      {"ctl.html", prose + std::string(40, '\x01'),
       "binary content (control bytes), not an HTML page"},
      {"packed.html", testing::Gzip(png), "binary content (PNG image), not an HTML page"},
      {"gzgz.html", testing::Gzip(testing::Gzip(prose)),
       "binary content (gzip data), not an HTML page"},
      {"image.jsonl", png, "binary content (PNG image), not a JSONL file"},
  };
  for (const Row& row : rows) {
    const std::string path = Write(row.name, row.bytes);
    Outcome r = ReadAll({path});
    ASSERT_TRUE(r.status) << row.name;
    EXPECT_TRUE(r.articles.empty()) << row.name;
    ASSERT_EQ(r.bad.size(), 1u) << row.name;
    EXPECT_EQ(r.bad[0], path + ": " + row.message);
  }
}

TEST_F(InputReaderTest, ReportsBadRecordsWithFileAndLineAndGoesOn) {
  const std::string path = Write("n.jsonl",
                                 "{\"id\":\"a\",\"text\":\"one\"}\n"
                                 "not json\n"
                                 "\n"
                                 "{\"id\":\"c\"}\n"
                                 "{\"id\":\"d\",\"text\":\"four\"}");
  InputReader reader;
  std::vector<std::string> ids;
  std::vector<std::string> bad;
  Status s = reader.Read(
      {path},
      [&](Article&& a) {
        ids.push_back(a.id);
        return Ok();
      },
      [&](const BadRecord& b) { bad.push_back(b.ToString()); });
  ASSERT_TRUE(s);
  EXPECT_EQ(ids, (std::vector<std::string>{"a", "d"}));
  ASSERT_EQ(bad.size(), 2u);
  EXPECT_EQ(bad[0].rfind(path + ":2: invalid JSON", 0), 0u) << bad[0];
  EXPECT_EQ(bad[1].rfind(path + ":4: missing field 'text'", 0), 0u) << bad[1];
  EXPECT_EQ(reader.stats().bad_records, 2);
  EXPECT_EQ(reader.stats().articles, 2);
}

TEST_F(InputReaderTest, ReadsDirectoriesRecursivelyInSortedOrder) {
  Write("b.txt", "Title B\nbody b\n");
  Write("sub/a.txt", "Title A\nbody a\n");
  Write("sub/c.jsonl", "{\"id\":\"c1\",\"text\":\"x\"}\n");
  Write("notes.md", "ignored");
  InputReader reader;
  std::vector<std::string> ids;
  ASSERT_TRUE(reader.Read(
      {dir_.string()},
      [&](Article&& a) {
        ids.push_back(a.id);
        return Ok();
      },
      nullptr));
  EXPECT_EQ(ids, (std::vector<std::string>{"b", "a", "c1"}));
  EXPECT_EQ(reader.stats().skipped_files, 1);
  EXPECT_EQ(reader.stats().bytes_read, reader.stats().bytes_total);  // notes.md not counted
}

TEST_F(InputReaderTest, MissingAndUnknownInputsFail) {
  InputReader reader;
  auto keep = [](Article&&) { return Ok(); };
  Status missing = reader.Read({(dir_ / "absent.jsonl").string()}, keep, nullptr);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  Status unknown = reader.Read({Write("x.csv", "a,b")}, keep, nullptr);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kUnsupported);
}

TEST_F(InputReaderTest, CallbackErrorStopsReading) {
  const std::string path = Write("s.jsonl", "{\"text\":\"a\"}\n{\"text\":\"b\"}\n");
  InputReader reader;
  int seen = 0;
  Status s = reader.Read(
      {path},
      [&](Article&&) -> Status {
        ++seen;
        return MakeError(ErrorCode::kStore, "disk full");
      },
      nullptr);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message, "disk full");
  EXPECT_EQ(seen, 1);
}

TEST(FormatOfPathTest, Table) {
  EXPECT_EQ(FormatOfPath("a.TXT"), InputFormat::kText);
  EXPECT_EQ(FormatOfPath("a.jsonl"), InputFormat::kJsonl);
  EXPECT_EQ(FormatOfPath("a.jsonl.gz"), InputFormat::kJsonl);
  EXPECT_EQ(FormatOfPath("a.jsonl.zst"), InputFormat::kJsonl);
  EXPECT_EQ(FormatOfPath("a.htm"), InputFormat::kHtml);
  EXPECT_EQ(FormatOfPath("a.warc.gz"), InputFormat::kWarc);
  EXPECT_EQ(FormatOfPath("a.json"), InputFormat::kUnknown);
}

}  // namespace
}  // namespace storyline::ingest
