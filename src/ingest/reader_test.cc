#include "storyline/ingest/reader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

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
  Result<Article> a = ParseTextArticle("\xEF\xBB\xBF\n\n  Headline here \nBody.\n", "x/017_abc.txt");
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
    dir_ = std::filesystem::temp_directory_path() /
           ("storyline_reader_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_ / "sub");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& bytes) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
  std::filesystem::path dir_;
};

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
