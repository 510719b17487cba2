#include "storyline/ingest/byte_source.h"

#include <gtest/gtest.h>
#include <zlib.h>
#include <zstd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <vector>

namespace storyline::ingest {
namespace {

std::string Gzip(const std::string& data) {
  z_stream zs{};
  deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, data.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::string Zstd(const std::string& data) {
  std::string out(ZSTD_compressBound(data.size()), '\0');
  out.resize(ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 3));
  return out;
}

class ByteSourceTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& bytes) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
  std::string ReadAll(const std::string& path) {
    Result<std::unique_ptr<ByteSource>> src = OpenByteSource(path);
    EXPECT_TRUE(src) << src.error().message;
    std::string out;
    char buf[7];  // small buffer to exercise partial reads
    while (true) {
      Result<std::size_t> got = (*src)->Read(buf, sizeof buf);
      EXPECT_TRUE(got);
      if (!got || *got == 0) break;
      out.append(buf, *got);
    }
    return out;
  }
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("storyline_bytesrc_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(ByteSourceTest, ReadsPlainGzipMultiMemberAndZstd) {
  const std::string text = "first line\nsecond line\n";
  EXPECT_EQ(ReadAll(Write("a.jsonl", text)), text);
  EXPECT_EQ(ReadAll(Write("a.jsonl.gz", Gzip(text))), text);
  EXPECT_EQ(ReadAll(Write("m.jsonl.gz", Gzip("one\n") + Gzip("two\n"))), "one\ntwo\n");
  EXPECT_EQ(ReadAll(Write("a.jsonl.zst", Zstd(text))), text);
  // Compressed content is recognised by its magic bytes, whatever the name.
  EXPECT_EQ(ReadAll(Write("misnamed.jsonl", Gzip(text))), text);
}

TEST_F(ByteSourceTest, TruncatedGzipIsAnError) {
  std::string gz = Gzip(std::string(5000, 'x'));
  gz.resize(gz.size() / 2);
  Result<std::unique_ptr<ByteSource>> src = OpenByteSource(Write("t.gz", gz));
  ASSERT_TRUE(src);
  char buf[1 << 14];
  Result<std::size_t> got = (*src)->Read(buf, sizeof buf);
  while (got && *got > 0) got = (*src)->Read(buf, sizeof buf);
  ASSERT_FALSE(got);
  EXPECT_NE(got.error().message.find("truncated"), std::string::npos);
}

TEST_F(ByteSourceTest, MissingFileIsNotFound) {
  Result<std::unique_ptr<ByteSource>> src = OpenByteSource((dir_ / "nope.jsonl").string());
  ASSERT_FALSE(src);
  EXPECT_EQ(src.error().code, ErrorCode::kNotFound);
}

TEST(LineReaderTest, SplitsLinesAndFlagsOverLongOnes) {
  const std::string data = "a\r\n" + std::string(100, 'x') + "\nb\n\nlast";
  LineReader reader(MemoryByteSource(data), 10);
  struct Want {
    std::string text;
    bool too_long;
  };
  const std::vector<Want> want = {{"a", false}, {"", true}, {"b", false}, {"", false},
                                  {"last", false}};
  for (size_t i = 0; i < want.size(); ++i) {
    Result<LineReader::Line> line = reader.Next();
    ASSERT_TRUE(line);
    EXPECT_FALSE(line->eof);
    EXPECT_EQ(line->number, static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(line->text, want[i].text);
    EXPECT_EQ(line->too_long, want[i].too_long);
  }
  EXPECT_TRUE(reader.Next()->eof);
}

TEST(LineReaderTest, LinesLongerThanTheBufferSurvive) {
  const std::string big(1 << 20, 'y');
  const std::string data = big + "\nz\n";
  LineReader reader(MemoryByteSource(data), 2u << 20);
  EXPECT_EQ(reader.Next()->text.size(), big.size());
  EXPECT_EQ(reader.Next()->text, "z");
  EXPECT_TRUE(reader.Next()->eof);
}

}  // namespace
}  // namespace storyline::ingest
