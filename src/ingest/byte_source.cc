#include "storyline/ingest/byte_source.h"

#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "storyline/html/charset.h"

namespace storyline::ingest {
namespace {

constexpr std::size_t kChunk = 1u << 16;

// A file (or standard input) read from its current position. `head` holds
// bytes already read from it to sniff its magic: they are returned first,
// which is how a pipe "rewinds".
class FileSource final : public ByteSource {
 public:
  FileSource(std::FILE* f, std::string path, std::string head, bool owned)
      : file_(f), path_(std::move(path)), head_(std::move(head)), owned_(owned) {}
  ~FileSource() override {
    if (owned_) std::fclose(file_);
  }
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  Result<std::size_t> Read(char* buf, std::size_t n) override {
    if (head_pos_ < head_.size()) {
      const std::size_t take = std::min(n, head_.size() - head_pos_);
      std::memcpy(buf, head_.data() + head_pos_, take);
      head_pos_ += take;
      offset_ += take;
      return take;
    }
    const std::size_t got = std::fread(buf, 1, n, file_);
    // A short read with an error still delivers what it got; the error
    // stays set on the stream and comes back with the next call.
    if (got == 0 && std::ferror(file_)) {
      return MakeError(ErrorCode::kIo, path_ + ": read failed at byte " + std::to_string(offset_) +
                                           ": " + std::strerror(errno));
    }
    offset_ += got;
    return got;
  }
  std::uint64_t raw_offset() const override { return offset_; }

 private:
  std::FILE* file_;
  std::string path_;
  std::string head_;
  std::size_t head_pos_ = 0;
  bool owned_;
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

// Compressed input buffered for a decompressor: the unread window
// [pos, size) of `data`, refilled from `inner`.
class InputWindow {
 public:
  explicit InputWindow(std::size_t capacity) : data_(capacity) {}

  const unsigned char* next() const {
    return reinterpret_cast<const unsigned char*>(data_.data()) + pos_;
  }
  std::size_t available() const { return size_ - pos_; }
  void Consume(std::size_t n) { pos_ += n; }

  // Reads more bytes when fewer than `want` are available (moving the
  // unread ones to the front). Returns the number available afterwards,
  // fewer than `want` only at the end of the input.
  Result<std::size_t> Ensure(ByteSource& inner, std::size_t want) {
    if (available() >= want) return available();
    std::memmove(data_.data(), data_.data() + pos_, available());
    size_ = available();
    pos_ = 0;
    while (size_ < want) {
      Result<std::size_t> got = inner.Read(data_.data() + size_, data_.size() - size_);
      if (!got) return Fail(got.error());
      if (*got == 0) break;
      size_ += *got;
    }
    return size_;
  }

 private:
  std::vector<char> data_;
  std::size_t pos_ = 0;
  std::size_t size_ = 0;
};

// gzip via zlib's inflate. Concatenated members (as `cat a.gz b.gz` or
// multi-member writers produce) are read one after another by resetting the
// stream at each member's end; what follows a member must start with the
// gzip magic, so trailing junk is reported rather than guessed at. A
// failure after some output keeps that output: it is returned, and the
// error with the next call.
class GzipSource final : public ByteSource {
 public:
  GzipSource(std::unique_ptr<ByteSource> inner, std::string path)
      : inner_(std::move(inner)), path_(std::move(path)), in_(kChunk) {
    std::memset(&zs_, 0, sizeof zs_);
    // 15 + 16: gzip format only; members are recognised by their magic.
    if (inflateInit2(&zs_, 15 + 16) != Z_OK) {
      error_ = Error{ErrorCode::kInternal, path_ + ": cannot initialise zlib"};
    }
  }
  ~GzipSource() override { inflateEnd(&zs_); }
  GzipSource(const GzipSource&) = delete;
  GzipSource& operator=(const GzipSource&) = delete;

  Result<std::size_t> Read(char* buf, std::size_t n) override {
    if (error_) return Fail(*error_);
    zs_.next_out = reinterpret_cast<Bytef*>(buf);
    zs_.avail_out = static_cast<uInt>(std::min<std::size_t>(n, 1u << 30));
    const uInt wanted = zs_.avail_out;
    while (zs_.avail_out > 0 && !done_ && !error_) Step();
    const std::size_t produced = wanted - zs_.avail_out;
    if (produced == 0 && error_) return Fail(*error_);
    return produced;
  }
  std::uint64_t raw_offset() const override { return inner_->raw_offset() - in_.available(); }
  bool failed_between_units() const override { return error_.has_value() && !in_member_; }

 private:
  // One round of input and inflate; sets done_ or error_ when it ends.
  void Step() {
    if (!in_member_) {
      // Between members: the end of input, or another member.
      Result<std::size_t> avail = in_.Ensure(*inner_, 2);
      if (!avail) return SetError(avail.error());
      if (*avail == 0) {
        done_ = true;
        return;
      }
      if (*avail < 2 || in_.next()[0] != 0x1f || in_.next()[1] != 0x8b) {
        return SetError(
            Error{ErrorCode::kInvalidInput, path_ + ": data after the last gzip member at byte " +
                                                std::to_string(raw_offset()) + " is not gzip"});
      }
      in_member_ = true;
      member_start_ = raw_offset();
    }
    // At the end of the input inflate still runs once, to flush output it
    // holds; the member is truncated only if that makes no progress.
    Result<std::size_t> avail = in_.Ensure(*inner_, 1);
    if (!avail) return SetError(avail.error());
    zs_.next_in = const_cast<Bytef*>(in_.next());
    zs_.avail_in = static_cast<uInt>(std::min<std::size_t>(*avail, 1u << 30));
    const uInt in_before = zs_.avail_in;
    const uInt out_before = zs_.avail_out;
    const int rc = inflate(&zs_, Z_NO_FLUSH);
    in_.Consume(in_before - zs_.avail_in);
    zs_.avail_in = 0;  // in_ is the only record of unread input
    if (rc == Z_STREAM_END) {
      in_member_ = false;
      inflateReset(&zs_);
    } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
      SetError(Error{ErrorCode::kInvalidInput,
                     path_ + ": corrupt gzip data at byte " + std::to_string(raw_offset()) +
                         " in the member that starts at byte " + std::to_string(member_start_) +
                         (zs_.msg ? std::string(": ") + zs_.msg : std::string())});
    } else if (*avail == 0 && zs_.avail_out == out_before) {
      SetError(Error{ErrorCode::kInvalidInput,
                     path_ + ": truncated gzip data: input ends at byte " +
                         std::to_string(raw_offset()) + " inside the member that starts at byte " +
                         std::to_string(member_start_)});
    }
  }
  void SetError(Error e) { error_ = std::move(e); }

  std::unique_ptr<ByteSource> inner_;
  std::string path_;
  InputWindow in_;
  z_stream zs_;
  std::optional<Error> error_;
  bool done_ = false;
  bool in_member_ = false;
  std::uint64_t member_start_ = 0;
};

// A zstd frame or a skippable frame (magic 0x184D2A50..5F) starts here.
bool IsZstdFrameStart(const unsigned char* p) {
  const std::uint32_t magic = static_cast<std::uint32_t>(p[0]) | (std::uint32_t{p[1]} << 8) |
                              (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[3]} << 24);
  return magic == 0xFD2FB528u || (magic & 0xFFFFFFF0u) == 0x184D2A50u;
}

// zstd frames one after another, with the same guarantees as GzipSource.
class ZstdSource final : public ByteSource {
 public:
  ZstdSource(std::unique_ptr<ByteSource> inner, std::string path)
      : inner_(std::move(inner)), path_(std::move(path)), in_(ZSTD_DStreamInSize()) {
    ds_ = ZSTD_createDStream();
    if (ds_ == nullptr) error_ = Error{ErrorCode::kInternal, path_ + ": cannot initialise zstd"};
  }
  ~ZstdSource() override { ZSTD_freeDStream(ds_); }
  ZstdSource(const ZstdSource&) = delete;
  ZstdSource& operator=(const ZstdSource&) = delete;

  Result<std::size_t> Read(char* buf, std::size_t n) override {
    if (error_) return Fail(*error_);
    ZSTD_outBuffer out{buf, n, 0};
    while (out.pos < out.size && !done_ && !error_) Step(out);
    if (out.pos == 0 && error_) return Fail(*error_);
    return out.pos;
  }
  std::uint64_t raw_offset() const override { return inner_->raw_offset() - in_.available(); }
  bool failed_between_units() const override { return error_.has_value() && !in_frame_; }

 private:
  void Step(ZSTD_outBuffer& out) {
    if (!in_frame_) {
      Result<std::size_t> avail = in_.Ensure(*inner_, 4);
      if (!avail) return SetError(avail.error());
      if (*avail == 0) {
        done_ = true;
        return;
      }
      if (*avail < 4 || !IsZstdFrameStart(in_.next())) {
        return SetError(
            Error{ErrorCode::kInvalidInput, path_ + ": data after the last zstd frame at byte " +
                                                std::to_string(raw_offset()) + " is not zstd"});
      }
      in_frame_ = true;
      frame_start_ = raw_offset();
    }
    // At the end of the input zstd still runs once, to flush output it
    // holds; the frame is truncated only if that makes no progress.
    Result<std::size_t> avail = in_.Ensure(*inner_, 1);
    if (!avail) return SetError(avail.error());
    ZSTD_inBuffer input{in_.next(), *avail, 0};
    const std::size_t out_before = out.pos;
    const std::size_t rc = ZSTD_decompressStream(ds_, &out, &input);
    in_.Consume(input.pos);
    if (ZSTD_isError(rc)) {
      return SetError(Error{ErrorCode::kInvalidInput,
                            path_ + ": corrupt zstd data at byte " + std::to_string(raw_offset()) +
                                " in the frame that starts at byte " +
                                std::to_string(frame_start_) + ": " + ZSTD_getErrorName(rc)});
    }
    if (rc == 0) {
      // The frame is complete and flushed; the next bytes start another.
      in_frame_ = false;
    } else if (*avail == 0 && out.pos == out_before) {
      SetError(Error{ErrorCode::kInvalidInput,
                     path_ + ": truncated zstd data: input ends at byte " +
                         std::to_string(raw_offset()) + " inside the frame that starts at byte " +
                         std::to_string(frame_start_)});
    }
  }
  void SetError(Error e) { error_ = std::move(e); }

  std::unique_ptr<ByteSource> inner_;
  std::string path_;
  InputWindow in_;
  ZSTD_DStream* ds_ = nullptr;
  std::optional<Error> error_;
  bool done_ = false;
  bool in_frame_ = false;
  std::uint64_t frame_start_ = 0;
};

// UTF-8 out of a UTF-8 or BOM-announced UTF-16 source (see Utf8TextSource).
// UTF-16 is decoded chunk by chunk; a chunk never ends inside a code unit or
// between the two halves of a surrogate pair, so each decodes on its own.
class TextSource final : public ByteSource {
 public:
  explicit TextSource(std::unique_ptr<ByteSource> inner) : inner_(std::move(inner)) {}

  Result<std::size_t> Read(char* buf, std::size_t n) override {
    if (!started_) {
      if (Status s = Start(); !s) return Fail(s.error());
      started_ = true;
    }
    // Bytes held back from the start, or decoded, are served first.
    if (out_pos_ == out_.size() && !bom_.empty() && !inner_done_) {
      if (Status s = DecodeMore(); !s) return Fail(s.error());
    }
    if (out_pos_ < out_.size()) {
      const std::size_t take = std::min(n, out_.size() - out_pos_);
      std::memcpy(buf, out_.data() + out_pos_, take);
      out_pos_ += take;
      return take;
    }
    if (!bom_.empty()) return std::size_t{0};  // UTF-16 input all decoded
    return inner_->Read(buf, n);
  }
  std::uint64_t raw_offset() const override { return inner_->raw_offset(); }
  bool failed_between_units() const override { return inner_->failed_between_units(); }

 private:
  // Reads the first bytes and decides by the byte order mark.
  Status Start() {
    std::string head;
    while (head.size() < 3) {
      char c[3];
      Result<std::size_t> got = inner_->Read(c, 3 - head.size());
      if (!got) return Fail(got.error());
      if (*got == 0) break;
      head.append(c, *got);
    }
    if (head.starts_with("\xEF\xBB\xBF")) return Ok();  // UTF-8 BOM: dropped
    if (head.starts_with("\xFF\xFE") || head.starts_with("\xFE\xFF")) {
      bom_ = head.substr(0, 2);
      raw_ = head.substr(2);
      return Ok();
    }
    out_ = std::move(head);
    return Ok();
  }

  Status DecodeMore() {
    out_.clear();
    out_pos_ = 0;
    while (out_.empty() && !inner_done_) {
      const std::size_t had = raw_.size();
      raw_.resize(had + kChunk);
      Result<std::size_t> got = inner_->Read(raw_.data() + had, kChunk);
      if (!got) {
        raw_.resize(had);
        return Fail(got.error());
      }
      raw_.resize(had + *got);
      if (*got == 0) inner_done_ = true;
      std::size_t usable = inner_done_ ? raw_.size() : raw_.size() & ~std::size_t{1};
      if (!inner_done_ && usable >= 2) {
        const bool le = bom_[0] == '\xFF';
        const auto hi = static_cast<unsigned char>(raw_[usable - (le ? 1 : 2)]);
        if (hi >= 0xD8 && hi <= 0xDB) usable -= 2;  // a high surrogate waits for its pair
      }
      if (usable == 0) continue;
      // html::DecodeToUtf8 trusts a leading BOM above all, which makes it
      // decode exactly this chunk as the UTF-16 the file announced.
      Result<std::string> utf8 = html::DecodeToUtf8(bom_ + raw_.substr(0, usable), "");
      if (!utf8) return Fail(utf8.error());
      out_ = std::move(*utf8);
      raw_.erase(0, usable);
    }
    return Ok();
  }

  std::unique_ptr<ByteSource> inner_;
  bool started_ = false;
  std::string bom_;  // "\xFF\xFE" or "\xFE\xFF" for UTF-16 input, else empty
  std::string raw_;  // UTF-16 bytes not yet decoded
  std::string out_;  // bytes to return before reading on
  std::size_t out_pos_ = 0;
  bool inner_done_ = false;
};

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

Result<std::unique_ptr<ByteSource>> OpenByteSource(const std::string& path) {
  const bool is_stdin = path == "-";
  std::FILE* f = is_stdin ? stdin : std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    const int err = errno;
    return MakeError(err == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIo,
                     path + ": cannot open: " + std::strerror(err));
  }
  const std::string name = is_stdin ? "standard input" : path;
  // The magic bytes are read and handed back through the source rather than
  // by rewinding: pipes cannot rewind.
  std::string head(4, '\0');
  const std::size_t got = std::fread(head.data(), 1, head.size(), f);
  if (got < head.size() && std::ferror(f)) {
    const int err = errno;
    if (!is_stdin) std::fclose(f);
    return MakeError(ErrorCode::kIo, name + ": read failed: " + std::strerror(err));
  }
  head.resize(got);
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(head[i]); };
  const bool gzip_magic = got >= 2 && byte(0) == 0x1f && byte(1) == 0x8b;
  const bool zstd_magic =
      got >= 4 && byte(0) == 0x28 && byte(1) == 0xb5 && byte(2) == 0x2f && byte(3) == 0xfd;
  std::unique_ptr<ByteSource> file =
      std::make_unique<FileSource>(f, name, std::move(head), /*owned=*/!is_stdin);
  if (gzip_magic || (EndsWith(path, ".gz") && got == 0)) {
    return std::unique_ptr<ByteSource>(std::make_unique<GzipSource>(std::move(file), name));
  }
  if (zstd_magic || (EndsWith(path, ".zst") && got == 0)) {
    return std::unique_ptr<ByteSource>(std::make_unique<ZstdSource>(std::move(file), name));
  }
  return file;
}

std::unique_ptr<ByteSource> MemoryByteSource(std::string_view data) {
  return std::make_unique<MemorySource>(data);
}

std::unique_ptr<ByteSource> Utf8TextSource(std::unique_ptr<ByteSource> source) {
  return std::make_unique<TextSource>(std::move(source));
}

Result<std::string_view> PeekableSource::Peek(std::size_t n) {
  if (ahead_pos_ > 0) {
    ahead_.erase(0, ahead_pos_);
    ahead_pos_ = 0;
  }
  while (ahead_.size() < n && !error_) {
    const std::size_t had = ahead_.size();
    ahead_.resize(n);
    Result<std::size_t> got = source_->Read(ahead_.data() + had, n - had);
    ahead_.resize(had + (got ? *got : 0));
    if (!got) {
      error_ = got.error();
      if (ahead_.empty()) return Fail(*error_);
      break;
    }
    if (*got == 0) break;
  }
  return std::string_view(ahead_).substr(0, n);
}

Result<std::size_t> PeekableSource::Read(char* buf, std::size_t n) {
  if (ahead_pos_ < ahead_.size()) {
    const std::size_t take = std::min(n, ahead_.size() - ahead_pos_);
    std::memcpy(buf, ahead_.data() + ahead_pos_, take);
    ahead_pos_ += take;
    return take;
  }
  if (error_) return Fail(*error_);
  return source_->Read(buf, n);
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
      if (begin_ == end_ && !skipping) {
        // Every line is out: the source's failure, once, then the end.
        if (error_ && !error_returned_) {
          error_returned_ = true;
          return Fail(*error_);
        }
        return Line{{}, line_number_, false, true};
      }
      Line line;
      line.number = ++line_number_;
      line.truncated = error_.has_value() && !error_between_units_;
      if (skipping || end_ - begin_ > max_line_bytes_) {
        line.too_long = true;
      } else {
        std::size_t len = end_ - begin_;
        if (len > 0 && buf_[begin_ + len - 1] == '\r' && !line.truncated) --len;
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
    if (Status s = Fill(); !s) {
      // Keep the lines already buffered: they are served before the error.
      error_ = s.error();
      error_between_units_ = source_->failed_between_units();
      source_done_ = true;
    }
    scanned = begin_ + already;
  }
}

}  // namespace storyline::ingest
