// WARC reading in three layers: a byte source (file or memory), a stream
// that inflates gzip members transparently and hands out lines and blocks,
// and the record parser.
//
// Gzip: a WARC.gz is a concatenation of gzip members, normally one per
// record, so that a reader can seek to a record. zlib's inflate stops at the
// end of each member (Z_STREAM_END); we reset it and go on while input
// remains, which reads per-record and whole-file compression alike. Where a
// member starts is remembered so errors can point at the file byte to look at.
#include "storyline/warc/warc_reader.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>

namespace storyline::warc {
namespace {

constexpr std::size_t kInputChunk = 64 * 1024;
constexpr std::size_t kMaxHeaderLine = 64 * 1024;
constexpr std::size_t kMaxHeaderFields = 1000;

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `n` bytes; 0 at end of input.
  virtual Result<std::size_t> Read(char* buffer, std::size_t n) = 0;
};

class FileSource final : public ByteSource {
 public:
  FileSource(std::FILE* file, std::string path) : file_(file), path_(std::move(path)) {}
  ~FileSource() override { std::fclose(file_); }
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  Result<std::size_t> Read(char* buffer, std::size_t n) override {
    std::size_t got = std::fread(buffer, 1, n, file_);
    if (got == 0 && std::ferror(file_)) {
      return MakeError(ErrorCode::kIo, path_ + ": read failed: " + std::strerror(errno));
    }
    return got;
  }

 private:
  std::FILE* file_;
  std::string path_;
};

class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(std::string bytes) : bytes_(std::move(bytes)) {}
  Result<std::size_t> Read(char* buffer, std::size_t n) override {
    std::size_t take = std::min(n, bytes_.size() - pos_);
    std::memcpy(buffer, bytes_.data() + pos_, take);
    pos_ += take;
    return take;
  }

 private:
  std::string bytes_;
  std::size_t pos_ = 0;
};

// Bytes from a caller's read function (WarcReader::FromStream).
class FunctionSource final : public ByteSource {
 public:
  explicit FunctionSource(WarcReader::ReadFunction read) : read_(std::move(read)) {}
  Result<std::size_t> Read(char* buffer, std::size_t n) override { return read_(buffer, n); }

 private:
  WarcReader::ReadFunction read_;
};

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// Decompressed (or plain) bytes with line and block access. Every byte has
// a position in the logical stream; for gzip input we also know the file
// offset of the member that produced it.
class Stream {
 public:
  explicit Stream(std::unique_ptr<ByteSource> source) : source_(std::move(source)) {
    z_ = {};
  }
  ~Stream() {
    if (inflating_) inflateEnd(&z_);
  }
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  std::uint64_t position() const { return consumed_ + pos_; }
  bool gzip() const { return gzip_; }

  // File offset of the gzip member holding logical byte `position`.
  std::uint64_t MemberOffsetAt(std::uint64_t position) const {
    std::uint64_t offset = 0;
    for (const auto& [start, file_offset] : members_) {
      if (start > position) break;
      offset = file_offset;
    }
    return offset;
  }

  // Describes a position for error messages.
  std::string Where(std::uint64_t position) const {
    if (!gzip_) return "byte " + std::to_string(position);
    return "byte " + std::to_string(position) + " of the decompressed stream (gzip member at file byte " +
           std::to_string(MemberOffsetAt(position)) + ")";
  }

  // Reads one line without its line break into `line`. Returns false at the
  // end of the stream when no byte is left. `terminated` tells whether the
  // line ended with a line break (not with the end of the stream).
  Result<bool> ReadLine(std::string* line, bool* terminated) {
    line->clear();
    *terminated = true;
    std::size_t scanned = 0;
    for (;;) {
      std::size_t nl = buffer_.find('\n', pos_ + scanned);
      if (nl != std::string::npos) {
        line->assign(buffer_, pos_, nl - pos_);
        pos_ = nl + 1;
        if (!line->empty() && line->back() == '\r') line->pop_back();
        return true;
      }
      scanned = buffer_.size() - pos_;
      if (scanned > kMaxHeaderLine) {
        return MakeError(ErrorCode::kInvalidInput,
                         "header line longer than 64 KiB at " + Where(position()));
      }
      Result<bool> more = Fill();
      if (!more) return tl::unexpected(more.error());
      if (!*more) {
        if (pos_ == buffer_.size()) return false;
        line->assign(buffer_, pos_, std::string::npos);
        pos_ = buffer_.size();
        *terminated = false;
        if (!line->empty() && line->back() == '\r') line->pop_back();
        return true;
      }
    }
  }

  // Appends up to `n` bytes to `out` (or drops them when `out` is null);
  // returns how many there were (fewer only at the end of the stream).
  Result<std::uint64_t> Read(std::uint64_t n, std::string* out) {
    std::uint64_t done = 0;
    while (done < n) {
      if (pos_ == buffer_.size()) {
        Result<bool> more = Fill();
        if (!more) return tl::unexpected(more.error());
        if (!*more) break;
      }
      std::size_t take = static_cast<std::size_t>(
          std::min<std::uint64_t>(n - done, buffer_.size() - pos_));
      if (out != nullptr) out->append(buffer_, pos_, take);
      pos_ += take;
      done += take;
    }
    return done;
  }

 private:
  // Appends more logical bytes to buffer_; false at the end of the stream.
  Result<bool> Fill() {
    // Drop what has been consumed so the buffer stays small.
    if (pos_ > 0) {
      consumed_ += pos_;
      buffer_.erase(0, pos_);
      pos_ = 0;
    }
    for (;;) {
      if (in_pos_ == in_.size()) {
        if (input_done_) break;
        Result<bool> got = ReadInput();
        if (!got) return tl::unexpected(got.error());
        if (!*got) {
          input_done_ = true;
          break;
        }
      }
      if (!sniffed_) {
        // Need two bytes to recognise the gzip magic number.
        if (in_.size() - in_pos_ < 2 && !input_done_) {
          Result<bool> got = ReadInput();
          if (!got) return tl::unexpected(got.error());
          if (!*got) input_done_ = true;
          continue;
        }
        sniffed_ = true;
        gzip_ = in_.size() - in_pos_ >= 2 && in_[in_pos_] == '\x1f' && in_[in_pos_ + 1] == '\x8b';
      }
      if (!gzip_) {
        buffer_.append(in_, in_pos_, std::string::npos);
        in_file_offset_ += in_.size() - in_pos_;
        in_pos_ = in_.size();
        return true;
      }
      Result<bool> inflated = InflateSome();
      if (!inflated) return tl::unexpected(inflated.error());
      if (*inflated) return true;
    }
    if (gzip_ && inflating_) {
      return MakeError(ErrorCode::kInvalidInput,
                       "truncated gzip member starting at file byte " +
                           std::to_string(member_file_offset_) + " (archive ends at file byte " +
                           std::to_string(in_file_offset_) + ")");
    }
    return false;
  }

  Result<bool> ReadInput() {
    in_.resize(kInputChunk);
    Result<std::size_t> got = source_->Read(in_.data(), in_.size());
    if (!got) return tl::unexpected(got.error());
    in_.resize(*got);
    in_pos_ = 0;
    return *got > 0;
  }

  // Inflates from in_ into buffer_; true when it produced bytes.
  Result<bool> InflateSome() {
    if (!inflating_) {
      if (in_[in_pos_] != '\x1f') {
        return MakeError(ErrorCode::kInvalidInput,
                         "data after the last gzip member is not gzip, at file byte " +
                             std::to_string(in_file_offset_));
      }
      z_ = {};
      if (inflateInit2(&z_, 16 + MAX_WBITS) != Z_OK) {
        return MakeError(ErrorCode::kInternal, "zlib inflateInit2 failed");
      }
      inflating_ = true;
      member_file_offset_ = in_file_offset_;
      members_.emplace_back(consumed_ + buffer_.size(), member_file_offset_);
      // Positions before the record being read are never asked about again.
      while (members_.size() > 64) members_.pop_front();
    }
    char out[kInputChunk];
    z_.next_in = reinterpret_cast<Bytef*>(in_.data() + in_pos_);
    z_.avail_in = static_cast<uInt>(in_.size() - in_pos_);
    z_.next_out = reinterpret_cast<Bytef*>(out);
    z_.avail_out = sizeof out;
    int rc = inflate(&z_, Z_NO_FLUSH);
    std::size_t used = (in_.size() - in_pos_) - z_.avail_in;
    in_pos_ += used;
    in_file_offset_ += used;
    std::size_t produced = sizeof out - z_.avail_out;
    buffer_.append(out, produced);
    if (rc == Z_STREAM_END) {
      inflateEnd(&z_);
      inflating_ = false;
    } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
      std::string message = z_.msg != nullptr ? z_.msg : "zlib error";
      return MakeError(ErrorCode::kInvalidInput,
                       "corrupt gzip data in the member starting at file byte " +
                           std::to_string(member_file_offset_) + ": " + message);
    }
    return produced > 0;
  }

  std::unique_ptr<ByteSource> source_;
  std::string in_;
  std::size_t in_pos_ = 0;
  bool input_done_ = false;
  bool sniffed_ = false;
  bool gzip_ = false;
  bool inflating_ = false;
  z_stream z_;
  std::uint64_t in_file_offset_ = 0;      // file bytes consumed so far
  std::uint64_t member_file_offset_ = 0;  // where the current member began
  std::deque<std::pair<std::uint64_t, std::uint64_t>> members_;  // logical start, file offset
  std::string buffer_;        // logical bytes not yet consumed
  std::size_t pos_ = 0;       // read position in buffer_
  std::uint64_t consumed_ = 0;  // logical bytes dropped from buffer_'s front
};

std::string HeaderValue(const std::vector<HeaderField>& headers, std::string_view name) {
  for (const HeaderField& h : headers) {
    if (EqualsNoCase(h.first, name)) return h.second;
  }
  return "";
}

}  // namespace

class WarcReader::Impl {
 public:
  Impl(std::unique_ptr<ByteSource> source, const WarcReaderOptions& options)
      : stream_(std::move(source)), options_(options) {}

  Result<std::optional<WarcRecord>> Next() {
    if (failure_) return tl::unexpected(*failure_);
    Result<std::optional<WarcRecord>> result = ReadRecord();
    if (!result) failure_ = result.error();
    return result;
  }

  const WarcStats& stats() const { return stats_; }

 private:
  tl::unexpected<Error> Damaged(std::uint64_t position, const std::string& what) {
    return MakeError(ErrorCode::kInvalidInput, what + " at " + stream_.Where(position));
  }

  Result<std::optional<WarcRecord>> ReadRecord() {
    std::string line;
    bool terminated = true;
    for (;;) {
      // Records end with two CRLFs; tolerate any number of blank lines.
      std::uint64_t start;
      for (;;) {
        start = stream_.position();
        Result<bool> got = stream_.ReadLine(&line, &terminated);
        if (!got) return tl::unexpected(got.error());
        if (!*got) return std::optional<WarcRecord>();
        if (!line.empty()) break;
      }
      if (!terminated && std::string_view("WARC/").starts_with(line.substr(0, 5))) {
        return Damaged(start, "truncated WARC header block of the record");
      }
      if (!line.starts_with("WARC/")) {
        return Damaged(start, "expected a WARC/1.x version line, found '" +
                                  line.substr(0, 40) + "'");
      }
      WarcRecord record;
      record.version = line;
      record.offset = start;
      record.member_offset = stream_.gzip() ? stream_.MemberOffsetAt(start) : start;
      for (;;) {
        std::uint64_t line_start = stream_.position();
        Result<bool> got = stream_.ReadLine(&line, &terminated);
        if (!got) return tl::unexpected(got.error());
        if (!*got || !terminated) {
          return Damaged(start, "truncated WARC header block of the record");
        }
        if (line.empty()) break;
        if ((line[0] == ' ' || line[0] == '\t') && !record.headers.empty()) {
          record.headers.back().second += ' ';
          record.headers.back().second += Trim(line);
          continue;
        }
        std::size_t colon = line.find(':');
        if (colon == std::string::npos || colon == 0) {
          return Damaged(line_start, "malformed WARC header line '" + line.substr(0, 40) + "'");
        }
        if (record.headers.size() >= kMaxHeaderFields) {
          return Damaged(start, "more than 1000 WARC header fields in the record");
        }
        std::string_view view(line);
        record.headers.emplace_back(std::string(Trim(view.substr(0, colon))),
                                    std::string(Trim(view.substr(colon + 1))));
      }
      std::string length_text = HeaderValue(record.headers, "Content-Length");
      if (length_text.empty() || length_text.size() > 18 ||
          !std::all_of(length_text.begin(), length_text.end(),
                       [](char c) { return c >= '0' && c <= '9'; })) {
        return Damaged(start, "missing or bad Content-Length '" + length_text + "' in the record");
      }
      std::uint64_t length = std::stoull(length_text);
      ++stats_.records;
      record.type = HeaderValue(record.headers, "WARC-Type");
      bool oversized = length > options_.max_record_bytes;
      bool unwanted = options_.html_only && record.type != "response";
      std::uint64_t block_start = stream_.position();
      std::string* sink = (oversized || unwanted) ? nullptr : &record.payload;
      if (sink != nullptr) record.payload.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(length, 1u << 20)));
      Result<std::uint64_t> got = stream_.Read(length, sink);
      if (!got) return tl::unexpected(got.error());
      if (*got < length) {
        return Damaged(start, "truncated record: Content-Length " + std::to_string(length) +
                                  " but only " + std::to_string(*got) +
                                  " bytes before the end of the archive (block at " +
                                  stream_.Where(block_start) + "); record");
      }
      if (oversized) {
        ++stats_.skipped_oversized;
        continue;
      }
      if (unwanted) {
        ++stats_.skipped_non_response;
        continue;
      }
      record.record_id = HeaderValue(record.headers, "WARC-Record-ID");
      if (record.record_id.size() >= 2 && record.record_id.front() == '<' &&
          record.record_id.back() == '>') {
        record.record_id = record.record_id.substr(1, record.record_id.size() - 2);
      }
      record.target_uri = HeaderValue(record.headers, "WARC-Target-URI");
      if (record.target_uri.size() >= 2 && record.target_uri.front() == '<' &&
          record.target_uri.back() == '>') {
        // WARC/1.0 wrote the URI in angle brackets; 1.1 does not.
        record.target_uri = record.target_uri.substr(1, record.target_uri.size() - 2);
      }
      record.date = HeaderValue(record.headers, "WARC-Date");
      record.content_type = HeaderValue(record.headers, "Content-Type");
      std::string lower_type = record.content_type;
      for (char& c : lower_type) c = Lower(c);
      if (record.type == "response" && lower_type.starts_with("application/http")) {
        Result<std::optional<HttpResponse>> http = ParseHttpResponse(record.payload);
        if (!http) {
          ++stats_.http_errors;
          record.http_error = http.error();
          record.http_error->message = "record " + record.record_id + " (" + record.target_uri +
                                       "): " + record.http_error->message;
        } else if (*http) {
          record.http = std::move(**http);
        }
      }
      if (options_.html_only && (!record.http || !IsHtml(*record.http))) {
        ++stats_.skipped_non_html;
        continue;
      }
      return std::optional<WarcRecord>(std::move(record));
    }
  }

  Stream stream_;
  WarcReaderOptions options_;
  WarcStats stats_;
  std::optional<Error> failure_;
};

WarcReader::WarcReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
WarcReader::WarcReader(WarcReader&&) noexcept = default;
WarcReader& WarcReader::operator=(WarcReader&&) noexcept = default;
WarcReader::~WarcReader() = default;

namespace {

Status CheckOptions(const WarcReaderOptions& options) {
  if (options.max_record_bytes == 0) {
    return MakeError(ErrorCode::kInvalidArgument, "max_record_bytes must be positive");
  }
  return Ok();
}

}  // namespace

Result<WarcReader> WarcReader::Open(const std::string& path, const WarcReaderOptions& options) {
  if (Status ok = CheckOptions(options); !ok) return tl::unexpected(ok.error());
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    ErrorCode code = errno == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIo;
    return MakeError(code, path + ": " + std::strerror(errno));
  }
  auto source = std::make_unique<FileSource>(file, path);
  return WarcReader(std::make_unique<Impl>(std::move(source), options));
}

Result<WarcReader> WarcReader::FromBytes(std::string bytes, const WarcReaderOptions& options) {
  if (Status ok = CheckOptions(options); !ok) return tl::unexpected(ok.error());
  auto source = std::make_unique<MemorySource>(std::move(bytes));
  return WarcReader(std::make_unique<Impl>(std::move(source), options));
}

Result<WarcReader> WarcReader::FromStream(ReadFunction read, const WarcReaderOptions& options) {
  if (Status ok = CheckOptions(options); !ok) return tl::unexpected(ok.error());
  if (!read)
    return MakeError(ErrorCode::kInvalidArgument, "WarcReader::FromStream: no read function");
  auto source = std::make_unique<FunctionSource>(std::move(read));
  return WarcReader(std::make_unique<Impl>(std::move(source), options));
}

Result<std::optional<WarcRecord>> WarcReader::Next() { return impl_->Next(); }

const WarcStats& WarcReader::stats() const { return impl_->stats(); }

}  // namespace storyline::warc
