#include "storyline/warc/warc_reader.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace storyline::warc {
namespace {

// One gzip member holding `data` (what a .warc.gz writer emits per record).
std::string Gzip(const std::string& data) {
  z_stream z;
  std::memset(&z, 0, sizeof z);
  EXPECT_EQ(deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY),
            Z_OK);
  std::string out(deflateBound(&z, data.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

// A WARC record: version line, headers, block, two CRLFs.
std::string Record(const std::string& version, const std::string& type, const std::string& id,
                   const std::string& uri, const std::string& content_type,
                   const std::string& block) {
  std::string r = version + "\r\n";
  r += "WARC-Type: " + type + "\r\n";
  r += "WARC-Record-ID: <urn:uuid:" + id + ">\r\n";
  r += "WARC-Date: 2022-01-08T14:05:00Z\r\n";
  if (!uri.empty()) r += "WARC-Target-URI: " + uri + "\r\n";
  r += "Content-Type: " + content_type + "\r\n";
  r += "Content-Length: " + std::to_string(block.size()) + "\r\n\r\n";
  r += block;
  r += "\r\n\r\n";
  return r;
}

const char kPageOne[] =
    "<html><head><title>One</title></head><body><p>Le premier article.</p></body></html>";
const char kPageTwo[] =
    "<html><head><meta charset=\"iso-8859-1\"></head><body><p>Second page</p></body></html>";

std::string Chunked(const std::string& body) {
  std::string out;
  std::size_t half = body.size() / 2;
  char size[32];
  std::snprintf(size, sizeof size, "%zx", half);
  out += std::string(size) + ";ext=1\r\n" + body.substr(0, half) + "\r\n";
  std::snprintf(size, sizeof size, "%zx", body.size() - half);
  out += std::string(size) + "\r\n" + body.substr(half) + "\r\n0\r\n\r\n";
  return out;
}

// The records of the test archive, in order.
std::vector<std::string> TestRecords() {
  std::string http_one =
      std::string("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=UTF-8\r\n") +
      "Content-Length: " + std::to_string(std::strlen(kPageOne)) + "\r\n\r\n" + kPageOne;
  std::string http_two = std::string("HTTP/1.1 200 OK\r\nContent-Type: text/html;charset=\"ISO-8859-1\"\r\n") +
                         "Transfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n" +
                         Chunked(Gzip(kPageTwo));
  std::string http_png = "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG....";
  std::string http_bad = "HTTP/1.1 OK maybe\r\nContent-Type: text/html\r\n\r\n<p>x</p>";
  return {
      Record("WARC/1.1", "warcinfo", "0000", "", "application/warc-fields",
             "software: storyline-test\r\nformat: WARC File Format 1.1\r\n"),
      Record("WARC/1.1", "request", "0001", "https://a.example/one", "application/http;msgtype=request",
             "GET /one HTTP/1.1\r\nHost: a.example\r\n\r\n"),
      Record("WARC/1.1", "response", "0002", "https://a.example/one",
             "application/http;msgtype=response", http_one),
      Record("WARC/1.0", "response", "0003", "<https://b.example/two>",
             "application/http; msgtype=response", http_two),
      Record("WARC/1.1", "response", "0004", "https://a.example/logo.png",
             "application/http;msgtype=response", http_png),
      Record("WARC/1.1", "response", "0005", "https://a.example/bad",
             "application/http;msgtype=response", http_bad),
      Record("WARC/1.1", "metadata", "0006", "https://a.example/one", "application/warc-fields",
             "via: test\r\n"),
  };
}

std::string Join(const std::vector<std::string>& parts, bool gzip_each) {
  std::string out;
  for (const std::string& p : parts) out += gzip_each ? Gzip(p) : p;
  return out;
}

class WarcFile {
 public:
  explicit WarcFile(const std::string& bytes) {
    path_ = (std::filesystem::temp_directory_path() /
             ("storyline_warc_test_" + std::to_string(counter_++) + ".warc"))
                .string();
    std::ofstream(path_, std::ios::binary) << bytes;
  }
  ~WarcFile() { std::filesystem::remove(path_); }
  const std::string& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  std::string path_;
};

std::vector<WarcRecord> ReadAll(WarcReader& reader, Error* error) {
  std::vector<WarcRecord> records;
  for (;;) {
    Result<std::optional<WarcRecord>> next = reader.Next();
    if (!next) {
      *error = next.error();
      break;
    }
    if (!*next) break;
    records.push_back(std::move(**next));
  }
  return records;
}

struct ArchiveRow {
  bool gzip;
  const char* why;
};

TEST(WarcReaderTest, ReadsWholeArchiveEndToEnd) {
  for (const ArchiveRow& row : {ArchiveRow{false, "plain .warc"},
                                ArchiveRow{true, ".warc.gz, one member per record"}}) {
    SCOPED_TRACE(row.why);
    WarcFile file(Join(TestRecords(), row.gzip));
    Result<WarcReader> reader = WarcReader::Open(file.path());
    ASSERT_TRUE(reader) << reader.error().ToString();
    Error error;
    std::vector<WarcRecord> records = ReadAll(*reader, &error);
    ASSERT_EQ(records.size(), 7u) << error.ToString();
    EXPECT_EQ(records[0].type, "warcinfo");
    EXPECT_EQ(records[0].version, "WARC/1.1");
    EXPECT_EQ(records[0].offset, 0u);
    EXPECT_EQ(records[1].type, "request");
    EXPECT_FALSE(records[1].http);

    const WarcRecord& one = records[2];
    EXPECT_EQ(one.record_id, "urn:uuid:0002");
    EXPECT_EQ(one.target_uri, "https://a.example/one");
    EXPECT_EQ(one.date, "2022-01-08T14:05:00Z");
    EXPECT_EQ(one.content_type, "application/http;msgtype=response");
    ASSERT_TRUE(one.http);
    EXPECT_EQ(one.http->status, 200);
    EXPECT_EQ(one.http->reason, "OK");
    EXPECT_EQ(one.http->content_type, "text/html");
    EXPECT_EQ(one.http->charset, "utf-8");
    EXPECT_EQ(one.http->body, kPageOne);
    EXPECT_TRUE(IsHtml(*one.http));

    const WarcRecord& two = records[3];
    EXPECT_EQ(two.version, "WARC/1.0");
    EXPECT_EQ(two.target_uri, "https://b.example/two") << "WARC/1.0 angle brackets removed";
    ASSERT_TRUE(two.http);
    EXPECT_EQ(two.http->charset, "iso-8859-1");
    EXPECT_EQ(two.http->body, kPageTwo) << "chunked and gzip codings undone";

    ASSERT_TRUE(records[4].http);
    EXPECT_FALSE(IsHtml(*records[4].http));
    EXPECT_FALSE(records[5].http);
    ASSERT_TRUE(records[5].http_error);
    EXPECT_NE(records[5].http_error->message.find("0005"), std::string::npos);
    EXPECT_EQ(records[6].type, "metadata");
    EXPECT_EQ(reader->stats().records, 7u);
    EXPECT_EQ(reader->stats().http_errors, 1u);
    if (row.gzip) {
      EXPECT_GT(records[3].member_offset, records[2].member_offset);
    }
  }
}

TEST(WarcReaderTest, HtmlOnlySkipsAndCounts) {
  for (bool gzip : {false, true}) {
    Result<WarcReader> reader = WarcReader::FromBytes(Join(TestRecords(), gzip), {.html_only = true});
    ASSERT_TRUE(reader);
    Error error;
    std::vector<WarcRecord> records = ReadAll(*reader, &error);
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(records[0].record_id, "urn:uuid:0002");
    EXPECT_EQ(records[1].record_id, "urn:uuid:0003");
    EXPECT_EQ(reader->stats().skipped_non_response, 3u);  // warcinfo, request, metadata
    EXPECT_EQ(reader->stats().skipped_non_html, 2u);      // png, broken HTTP
  }
}

TEST(WarcReaderTest, WholeFileGzipReadsToo) {
  Result<WarcReader> reader = WarcReader::FromBytes(Gzip(Join(TestRecords(), false)));
  ASSERT_TRUE(reader);
  Error error;
  EXPECT_EQ(ReadAll(*reader, &error).size(), 7u) << error.ToString();
}

struct DamageRow {
  bool gzip;
  std::size_t keep_bytes_of_last;  // how much of the fourth record survives
  std::size_t records_before;
  const char* message_part;
  const char* why;
};

TEST(WarcReaderTest, TruncatedArchiveReadsUpToDamage) {
  std::vector<std::string> records = TestRecords();
  std::size_t header_end = records[3].find("\r\n\r\n") + 4;
  const DamageRow rows[] = {
      {false, header_end + 20, 3, "truncated record", "plain, cut inside the block"},
      {false, 40, 3, "truncated WARC header block", "plain, cut inside the headers"},
      {true, 30, 3, "truncated gzip member", "gzip, cut inside the fourth member"},
  };
  for (const DamageRow& row : rows) {
    SCOPED_TRACE(row.why);
    std::string head = Join({records[0], records[1], records[2]}, row.gzip);
    std::string fourth = row.gzip ? Gzip(records[3]) : records[3];
    std::string bytes = head + fourth.substr(0, row.keep_bytes_of_last);
    Result<WarcReader> reader = WarcReader::FromBytes(bytes);
    ASSERT_TRUE(reader);
    Error error;
    std::vector<WarcRecord> got = ReadAll(*reader, &error);
    EXPECT_EQ(got.size(), row.records_before);
    EXPECT_EQ(error.code, ErrorCode::kInvalidInput);
    EXPECT_NE(error.message.find(row.message_part), std::string::npos) << error.message;
    // The offset of the damaged record (or its gzip member) is named.
    EXPECT_NE(error.message.find(std::to_string(head.size())), std::string::npos)
        << error.message;
    // The reader stays failed.
    Result<std::optional<WarcRecord>> again = reader->Next();
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().message, error.message);
  }
}

TEST(WarcReaderTest, GarbageIsAnErrorWithOffset) {
  std::string bytes = TestRecords()[0] + "this is not a WARC record\r\n";
  Result<WarcReader> reader = WarcReader::FromBytes(bytes);
  ASSERT_TRUE(reader);
  Error error;
  EXPECT_EQ(ReadAll(*reader, &error).size(), 1u);
  EXPECT_NE(error.message.find("expected a WARC/1.x version line"), std::string::npos);
  EXPECT_NE(error.message.find("byte " + std::to_string(TestRecords()[0].size())),
            std::string::npos)
      << error.message;
}

TEST(WarcReaderTest, OpenMissingFileIsNotFound) {
  Result<WarcReader> reader = WarcReader::Open("/nonexistent/storyline.warc");
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(WarcReader::FromBytes("", {.max_record_bytes = 0}));
}

TEST(WarcReaderTest, OversizedRecordsAreSkipped) {
  Result<WarcReader> reader =
      WarcReader::FromBytes(Join(TestRecords(), true), {.max_record_bytes = 100});
  ASSERT_TRUE(reader);
  Error error;
  std::vector<WarcRecord> records = ReadAll(*reader, &error);
  EXPECT_EQ(error.message, "");
  EXPECT_EQ(records.size() + reader->stats().skipped_oversized, 7u);
  EXPECT_GT(reader->stats().skipped_oversized, 0u);
}

struct HttpRow {
  std::string message;
  bool is_http;
  bool ok;
  int status;
  const char* body;
  const char* why;
};

TEST(ParseHttpResponseTest, Table) {
  const HttpRow rows[] = {
      {"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>hi</p>", true, true, 200, "<p>hi</p>",
       "plain"},
      {"HTTP/1.0 404 Not Found\nContent-Type: text/html\n\nnope", true, true, 404, "nope",
       "bare LF line ends"},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n2\r\nef\r\n0\r\n\r\n",
       true, true, 200, "abcdef", "chunked"},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n<html>already decoded</html>", true,
       true, 200, "<html>already decoded</html>", "chunked announced but body stored decoded"},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\nzz\r\n", true, false, 0,
       "", "bad chunk size"},
      {"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n\x1f\x8bnot really gzip", true, false, 0,
       "", "corrupt gzip body"},
      {"HTTP/1.1 abc\r\n\r\n", true, false, 0, "", "bad status code"},
      {"HTTP/1.1 204 No Content\r\nServer: x\r\n", true, true, 204, "", "headers only"},
      {"GET / HTTP/1.1\r\n\r\n", false, true, 0, "", "a request is not a response"},
      {"", false, true, 0, "", "empty"},
  };
  for (const HttpRow& row : rows) {
    SCOPED_TRACE(row.why);
    Result<std::optional<HttpResponse>> r = ParseHttpResponse(row.message);
    if (!row.ok) {
      EXPECT_FALSE(r);
      continue;
    }
    ASSERT_TRUE(r) << r.error().ToString();
    ASSERT_EQ(r->has_value(), row.is_http);
    if (!row.is_http) continue;
    EXPECT_EQ((*r)->status, row.status);
    EXPECT_EQ((*r)->body, row.body);
  }
}

}  // namespace
}  // namespace storyline::warc
