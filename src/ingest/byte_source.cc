#include "storyline/ingest/byte_source.h"

#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

namespace storyline::ingest {
namespace {

constexpr std::size_t kChunk = 1u << 16;

class FileSource final : public ByteSource {
 public:
  FileSource(std::FILE* f, std::string path) : file_(f), path_(std::move(path)) {}
  ~FileSource() override { std::fclose(file_); }
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  Result<std::size_t> Read(char* buf, std::size_t n) override {
    const std::size_t got = std::fread(buf, 1, n, file_);
    if (got < n && std::ferror(file_)) {
      return MakeError(ErrorCode::kIo, path_ + ": read failed: " + std::strerror(errno));
    }
    offset_ += got;
    return got;
  }
  std::uint64_t raw_offset() const override { return offset_; }

 private:
  std::FILE* file_;
  std::string path_;
  std::uint64_t offset_ = 0;
};

class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(std::string_view data) : data_(data) {}
  Result<std::size_t> Read(char* buf, std::size_t n) override {
    const std::size_t got = std::min(n, data_.size() - pos_);
    std::memcpy(buf, data_.data() + pos_, got);
    pos_ += got;
    return got;
  }
  std::uint64_t raw_offset() const override { return pos_; }

 private:
  std::string_view data_;
  std::size_t pos_ = 0;
};

// gzip via zlib's inflate with automatic header detection (windowBits 15+32).
// Concatenated members (as `cat a.gz b.gz` or multi-member writers produce)
// are read one after another by resetting the stream at each member's end.
class GzipSource final : public ByteSource {
 public:
  GzipSource(std::unique_ptr<ByteSource> inner, std::string path)
      : inner_(std::move(inner)), path_(std::move(path)), in_(kChunk) {
    std::memset(&zs_, 0, sizeof zs_);
    ok_ = inflateInit2(&zs_, 15 + 32) == Z_OK;
  }
  ~GzipSource() override { inflateEnd(&zs_); }
  GzipSource(const GzipSource&) = delete;
  GzipSource& operator=(const GzipSource&) = delete;

  Result<std::size_t> Read(char* buf, std::size_t n) override {
    if (!ok_) return MakeError(ErrorCode::kInternal, path_ + ": cannot initialise zlib");
    zs_.next_out = reinterpret_cast<Bytef*>(buf);
    zs_.avail_out = static_cast<uInt>(n);
    while (zs_.avail_out > 0 && !done_) {
      if (zs_.avail_in == 0) {
        Result<std::size_t> got = inner_->Read(in_.data(), in_.size());
        if (!got) return Fail(got.error());
        if (*got == 0) {
          if (in_member_) {
            return MakeError(ErrorCode::kInvalidInput, path_ + ": truncated gzip data");
          }
          done_ = true;
          break;
        }
        zs_.next_in = reinterpret_cast<Bytef*>(in_.data());
        zs_.avail_in = static_cast<uInt>(*got);
      }
      in_member_ = true;
      const int rc = inflate(&zs_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        in_member_ = false;
        inflateReset(&zs_);
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        return MakeError(ErrorCode::kInvalidInput,
                         path_ + ": corrupt gzip data" + (zs_.msg ? std::string(": ") + zs_.msg : ""));
      }
    }
    return n - zs_.avail_out;
  }
  std::uint64_t raw_offset() const override { return inner_->raw_offset() - zs_.avail_in; }

 private:
  std::unique_ptr<ByteSource> inner_;
  std::string path_;
  std::vector<char> in_;
  z_stream zs_;
  bool ok_ = false;
  bool done_ = false;
  bool in_member_ = false;
};

class ZstdSource final : public ByteSource {
 public:
  ZstdSource(std::unique_ptr<ByteSource> inner, std::string path)
      : inner_(std::move(inner)), path_(std::move(path)), in_(ZSTD_DStreamInSize()) {
    ds_ = ZSTD_createDStream();
  }
  ~ZstdSource() override { ZSTD_freeDStream(ds_); }
  ZstdSource(const ZstdSource&) = delete;
  ZstdSource& operator=(const ZstdSource&) = delete;

  Result<std::size_t> Read(char* buf, std::size_t n) override {
    if (ds_ == nullptr) return MakeError(ErrorCode::kInternal, path_ + ": cannot initialise zstd");
    ZSTD_outBuffer out{buf, n, 0};
    while (out.pos < out.size) {
      if (input_.pos == input_.size) {
        Result<std::size_t> got = inner_->Read(in_.data(), in_.size());
        if (!got) return Fail(got.error());
        if (*got == 0) {
          if (pending_) return MakeError(ErrorCode::kInvalidInput, path_ + ": truncated zstd data");
          break;
        }
        input_ = ZSTD_inBuffer{in_.data(), *got, 0};
      }
      const std::size_t rc = ZSTD_decompressStream(ds_, &out, &input_);
      if (ZSTD_isError(rc)) {
        return MakeError(ErrorCode::kInvalidInput,
                         path_ + ": corrupt zstd data: " + ZSTD_getErrorName(rc));
      }
      pending_ = rc != 0;
    }
    return out.pos;
  }
  std::uint64_t raw_offset() const override {
    return inner_->raw_offset() - (input_.size - input_.pos);
  }

 private:
  std::unique_ptr<ByteSource> inner_;
  std::string path_;
  std::vector<char> in_;
  ZSTD_DStream* ds_ = nullptr;
  ZSTD_inBuffer input_{nullptr, 0, 0};
  bool pending_ = false;
};

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

Result<std::unique_ptr<ByteSource>> OpenByteSource(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    const int err = errno;
    return MakeError(err == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIo,
                     path + ": cannot open: " + std::strerror(err));
  }
  unsigned char magic[4] = {0, 0, 0, 0};
  const std::size_t got = std::fread(magic, 1, sizeof magic, f);
  std::rewind(f);
  const bool gzip_magic = got >= 2 && magic[0] == 0x1f && magic[1] == 0x8b;
  const bool zstd_magic =
      got >= 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd;
  std::unique_ptr<ByteSource> file = std::make_unique<FileSource>(f, path);
  if (gzip_magic || (EndsWith(path, ".gz") && got == 0)) {
    return std::unique_ptr<ByteSource>(std::make_unique<GzipSource>(std::move(file), path));
  }
  if (zstd_magic || (EndsWith(path, ".zst") && got == 0)) {
    return std::unique_ptr<ByteSource>(std::make_unique<ZstdSource>(std::move(file), path));
  }
  return file;
}

std::unique_ptr<ByteSource> MemoryByteSource(std::string_view data) {
  return std::make_unique<MemorySource>(data);
}

LineReader::LineReader(std::unique_ptr<ByteSource> source, std::size_t max_line_bytes)
    : source_(std::move(source)), max_line_bytes_(max_line_bytes) {
  buf_.resize(kChunk * 4);
}

Status LineReader::Fill() {
  // Compact unread bytes to the front, grow when a line fills the buffer.
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buf_.size()) buf_.resize(buf_.size() * 2);
  Result<std::size_t> got = source_->Read(buf_.data() + end_, buf_.size() - end_);
  if (!got) return Fail(got.error());
  if (*got == 0) source_done_ = true;
  end_ += *got;
  return Ok();
}

Result<LineReader::Line> LineReader::Next() {
  std::size_t scanned = begin_;
  bool skipping = false;  // inside an over-long line, discarding its bytes
  while (true) {
    const char* start = buf_.data() + scanned;
    const void* nl = std::memchr(start, '\n', end_ - scanned);
    if (nl != nullptr) {
      const std::size_t pos = static_cast<std::size_t>(static_cast<const char*>(nl) - buf_.data());
      Line line;
      line.number = ++line_number_;
      if (skipping || pos - begin_ > max_line_bytes_) {
        line.too_long = true;
      } else {
        std::size_t len = pos - begin_;
        if (len > 0 && buf_[begin_ + len - 1] == '\r') --len;
        line.text = std::string_view(buf_.data() + begin_, len);
      }
      begin_ = pos + 1;
      return line;
    }
    if (source_done_) {
      if (begin_ == end_ && !skipping) return Line{{}, line_number_, false, true};
      Line line;
      line.number = ++line_number_;
      if (skipping || end_ - begin_ > max_line_bytes_) {
        line.too_long = true;
      } else {
        std::size_t len = end_ - begin_;
        if (len > 0 && buf_[begin_ + len - 1] == '\r') --len;
        line.text = std::string_view(buf_.data() + begin_, len);
      }
      begin_ = end_;
      return line;
    }
    if (end_ - begin_ > max_line_bytes_) {
      // Drop what we have of this line and keep scanning for its end.
      skipping = true;
      begin_ = end_;
    }
    const std::size_t already = end_ - begin_;
    Status s = Fill();
    if (!s) return Fail(s.error());
    scanned = begin_ + already;
  }
}

}  // namespace storyline::ingest
