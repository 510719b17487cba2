#include "storyline/ingest/byte_source.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "compress_test_util.h"

namespace storyline::ingest {
namespace {

using testing::Gzip;
using testing::Zstd;

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
    return Drain(**src);
  }
  // Reads `src` to its end or its error; the error's message goes to *error.
  static std::string Drain(ByteSource& src, std::string* error = nullptr) {
    std::string out;
    char buf[7];  // small buffer to exercise partial reads
    while (true) {
      Result<std::size_t> got = src.Read(buf, sizeof buf);
      if (!got) {
        if (error != nullptr)
          *error = got.error().message;
        else
          ADD_FAILURE() << got.error().message;
        break;
      }
      if (*got == 0) break;
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

// Regression: a decompression error used to throw away the output of the
// same Read() call, so every line decompressed with the damage was lost.
TEST_F(ByteSourceTest, DamagedGzipKeepsItsOutputAndNamesTheOffset) {
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "line " + std::to_string(i) + "\n";
  const std::string gz = Gzip(text);
  const std::string cut = gz.substr(0, gz.size() / 2);
  const std::string readable = testing::GunzipPrefix(cut);
  Result<std::unique_ptr<ByteSource>> src = OpenByteSource(Write("t.jsonl.gz", cut));
  ASSERT_TRUE(src);
  std::string error;
  EXPECT_EQ(Drain(**src, &error), readable);
  EXPECT_NE(error.find("truncated gzip data: input ends at byte " + std::to_string(cut.size())),
            std::string::npos)
      << error;
  // The error stays.
  char buf[8];
  EXPECT_FALSE((*src)->Read(buf, sizeof buf));
}

TEST_F(ByteSourceTest, JunkAfterTheLastGzipMemberIsAnErrorAtItsOffset) {
  const std::string members = Gzip("one\n") + Gzip("two\n");
  Result<std::unique_ptr<ByteSource>> src =
      OpenByteSource(Write("j.jsonl.gz", members + "this is not gzip\n"));
  ASSERT_TRUE(src);
  std::string error;
  EXPECT_EQ(Drain(**src, &error), "one\ntwo\n");
  EXPECT_NE(error.find("data after the last gzip member at byte " + std::to_string(members.size()) +
                       " is not gzip"),
            std::string::npos)
      << error;
}

TEST_F(ByteSourceTest, DamagedZstdKeepsItsOutputAndNamesTheOffset) {
  std::string text;
  for (int i = 0; i < 200000; ++i) text += "line " + std::to_string(i) + "\n";
  const std::string zst = Zstd(text);
  const std::string cut = zst.substr(0, zst.size() / 2);
  Result<std::unique_ptr<ByteSource>> src = OpenByteSource(Write("t.jsonl.zst", cut));
  ASSERT_TRUE(src);
  std::string error;
  EXPECT_EQ(Drain(**src, &error), testing::UnzstdPrefix(cut));
  EXPECT_NE(error.find("truncated zstd data: input ends at byte " + std::to_string(cut.size())),
            std::string::npos)
      << error;

  const std::string frames = Zstd("one\n") + Zstd("two\n");
  src = OpenByteSource(Write("j.jsonl.zst", frames + "junk"));
  ASSERT_TRUE(src);
  error.clear();
  EXPECT_EQ(Drain(**src, &error), "one\ntwo\n");
  EXPECT_NE(error.find("data after the last zstd frame at byte " + std::to_string(frames.size())),
            std::string::npos)
      << error;
}

// Regression: the magic-byte sniff rewound the file, which a pipe cannot do:
// its first four bytes were lost.
TEST_F(ByteSourceTest, NamedPipesAreReadWithoutRewinding) {
  for (const bool compressed : {false, true}) {
    const std::string text = "{\"id\":\"a\",\"text\":\"x\"}\nsecond\n";
    const std::string fifo = (dir_ / (compressed ? "p.gz" : "p")).string();
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    std::thread writer(
        [&] { std::ofstream(fifo, std::ios::binary) << (compressed ? Gzip(text) : text); });
    EXPECT_EQ(ReadAll(fifo), text);
    writer.join();
  }
}

TEST_F(ByteSourceTest, PeekableSourceHandsBackWhatItPeeked) {
  PeekableSource src(OpenByteSource(Write("p.jsonl.gz", Gzip("hello world"))).value());
  Result<std::string_view> head = src.Peek(5);
  ASSERT_TRUE(head);
  EXPECT_EQ(*head, "hello");
  EXPECT_EQ(*src.Peek(100), "hello world");
  EXPECT_EQ(Drain(src), "hello world");
}

struct TextRow {
  std::string bytes;
  std::string utf8;
  std::string why;
};

std::string Utf16(const std::u16string& s, bool big_endian) {
  std::string out = big_endian ? "\xFE\xFF" : "\xFF\xFE";
  for (char16_t c : s) {
    const char hi = static_cast<char>(c >> 8);
    const char lo = static_cast<char>(c & 0xFF);
    out += big_endian ? std::string{hi, lo} : std::string{lo, hi};
  }
  return out;
}

TEST(Utf8TextSourceTest, Table) {
  // Long enough that chunks end inside surrogate pairs and code units.
  std::u16string long_text;
  std::string long_utf8;
  for (int i = 0; i < 30000; ++i) {
    long_text += u"é😀\n";
    long_utf8 += "é😀\n";
  }
  const TextRow rows[] = {
      {"plain\n", "plain\n", "no BOM: unchanged"},
      {"ab", "ab", "shorter than a BOM"},
      {"", "", "empty"},
      {"\xEF\xBB\xBF{\"a\":1}\n", "{\"a\":1}\n", "UTF-8 BOM dropped"},
      {"\xEF\xBB\xBF", "", "BOM only"},
      {Utf16(u"caf\u00e9 \U0001F600\n", false), "café 😀\n", "UTF-16LE"},
      {Utf16(u"caf\u00e9 \U0001F600\n", true), "café 😀\n", "UTF-16BE"},
      {Utf16(long_text, false), long_utf8, "UTF-16LE across chunks"},
      {Utf16(long_text, true), long_utf8, "UTF-16BE across chunks"},
      {Utf16(u"a", false) + "\x62", "a\xEF\xBF\xBD", "odd last byte"},
  };
  for (const TextRow& row : rows) {
    auto src = Utf8TextSource(MemoryByteSource(row.bytes));
    std::string out;
    char buf[1000];
    while (true) {
      Result<std::size_t> got = src->Read(buf, sizeof buf);
      ASSERT_TRUE(got) << row.why;
      if (*got == 0) break;
      out.append(buf, *got);
    }
    EXPECT_EQ(out, row.utf8) << row.why;
  }
}

// A source that gives `data` and then fails.
class FailingSource final : public ByteSource {
 public:
  explicit FailingSource(std::string data) : data_(std::move(data)) {}
  Result<std::size_t> Read(char* buf, std::size_t n) override {
    if (pos_ == data_.size()) return MakeError(ErrorCode::kInvalidInput, "broken at byte 42");
    const std::size_t take = std::min(n, data_.size() - pos_);
    std::memcpy(buf, data_.data() + pos_, take);
    pos_ += take;
    return take;
  }
  std::uint64_t raw_offset() const override { return pos_; }

 private:
  std::string data_;
  std::size_t pos_ = 0;
};

TEST(LineReaderTest, ServesBufferedLinesThenTheCutLineThenTheError) {
  LineReader reader(std::make_unique<FailingSource>("a\nb\npart"), 100);
  EXPECT_EQ(reader.Next()->text, "a");
  EXPECT_EQ(reader.Next()->text, "b");
  Result<LineReader::Line> cut = reader.Next();
  ASSERT_TRUE(cut);
  EXPECT_TRUE(cut->truncated);
  EXPECT_EQ(cut->text, "part");
  EXPECT_EQ(cut->number, 3);
  Result<LineReader::Line> error = reader.Next();
  ASSERT_FALSE(error);
  EXPECT_EQ(error.error().message, "broken at byte 42");
  EXPECT_TRUE(reader.Next()->eof);

  // Damage right after a line break: no cut line, only the error.
  LineReader clean_cut(std::make_unique<FailingSource>("a\n"), 100);
  EXPECT_EQ(clean_cut.Next()->text, "a");
  EXPECT_FALSE(clean_cut.Next());
  EXPECT_TRUE(clean_cut.Next()->eof);
}

TEST(LineReaderTest, SplitsLinesAndFlagsOverLongOnes) {
  const std::string data = "a\r\n" + std::string(100, 'x') + "\nb\n\nlast";
  LineReader reader(MemoryByteSource(data), 10);
  struct Want {
    std::string text;
    bool too_long;
  };
  const std::vector<Want> want = {
      {"a", false}, {"", true}, {"b", false}, {"", false}, {"last", false}};
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
