// Sequential byte sources over files and standard input, transparently
// decompressing gzip (including concatenated members) and zstd, a decoder to
// UTF-8 text, and a line reader on top.
//
//   Result<std::unique_ptr<ByteSource>> src = OpenByteSource("a.jsonl.gz");
//   LineReader lines(Utf8TextSource(std::move(*src)), /*max_line_bytes=*/1 << 20);
//   while (true) {
//     Result<LineReader::Line> line = lines.Next();
//     if (!line) return line.error();          // I/O or decompression error
//     if (line->eof) break;
//     if (line->too_long) continue;            // reported by the caller
//     if (line->truncated) continue;           // cut by the error Next() gives next
//     Use(line->text);                         // valid until the next call
//   }
//
// Damaged input loses nothing that was readable: a source that fails after
// producing bytes returns those bytes first and the error on the next call
// (and on every call after it). Error messages of the decompressors give the
// compressed byte offset of the damage ("truncated gzip data: input ends at
// byte 5120 inside the member that starts at byte 0").
//
// Sources never seek, so pipes and standard input read like files.
//
// Not thread-safe. Memory is bounded by the buffers and the longest line kept.
#ifndef STORYLINE_INGEST_BYTE_SOURCE_H_
#define STORYLINE_INGEST_BYTE_SOURCE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "storyline/core/result.h"

namespace storyline::ingest {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `n` bytes into `buf`; returns 0 at end of input. After an
  // error every later call returns an error.
  virtual Result<std::size_t> Read(char* buf, std::size_t n) = 0;
  // Bytes consumed from the underlying file so far (compressed bytes).
  virtual std::uint64_t raw_offset() const = 0;
  // After Read() failed: true when the bytes returned before the failure end
  // with a complete unit of the input (a gzip member, a zstd frame), so the
  // damage lies after them (trailing junk), not inside them. False unless a
  // source knows better.
  virtual bool failed_between_units() const { return false; }
};

// Opens `path` ("-" for standard input, which is not closed), decompressing
// by magic bytes (gzip 1f 8b, zstd 28 b5 2f fd) whatever the name, so a
// mis-named compressed file still reads; an empty .gz / .zst file is empty.
// The magic bytes are read ahead and handed back, never re-read by seeking.
// A gzip file's members and a zstd file's frames are read one after the
// other; bytes after the last one that are not another member / frame are
// an error naming their offset. Errors: kNotFound, kIo.
Result<std::unique_ptr<ByteSource>> OpenByteSource(const std::string& path);

// Wraps an in-memory buffer (tests, fuzzers). The buffer must outlive it.
std::unique_ptr<ByteSource> MemoryByteSource(std::string_view data);

// Turns `source` into UTF-8 text by its byte order mark: a UTF-8 BOM is
// dropped; UTF-16LE / UTF-16BE announced by a BOM are decoded to UTF-8 (with
// ICU, through html::DecodeToUtf8; an unpaired surrogate or an odd last byte
// becomes U+FFFD); anything else passes through unchanged. raw_offset() is
// the wrapped source's.
std::unique_ptr<ByteSource> Utf8TextSource(std::unique_ptr<ByteSource> source);

// A source that can show its next bytes without consuming them, so that a
// format can be sniffed from a pipe. raw_offset() is the wrapped source's
// (bytes looked ahead count as consumed).
class PeekableSource final : public ByteSource {
 public:
  explicit PeekableSource(std::unique_ptr<ByteSource> source) : source_(std::move(source)) {}

  // The next `n` bytes (fewer only at the end of the input, or before an
  // error, which Read() then returns once they are read). Read() returns
  // them again. Errors only when nothing could be read at all. The view is
  // valid until the next call.
  Result<std::string_view> Peek(std::size_t n);

  Result<std::size_t> Read(char* buf, std::size_t n) override;
  std::uint64_t raw_offset() const override { return source_->raw_offset(); }
  bool failed_between_units() const override { return source_->failed_between_units(); }

 private:
  std::unique_ptr<ByteSource> source_;
  std::string ahead_;  // bytes read from source_ and not yet returned
  std::size_t ahead_pos_ = 0;
  std::optional<Error> error_;  // met while peeking; returned after ahead_
};

class LineReader {
 public:
  struct Line {
    std::string_view text;    // without the trailing '\n' (and '\r')
    std::int64_t number = 0;  // 1-based
    bool too_long = false;    // longer than max_line_bytes: text is empty
    bool eof = false;
    // The source failed inside this line: `text` is the part read before
    // the damage and the next call returns the source's error. A last line
    // without '\n' that ends a complete gzip member or zstd frame, before
    // trailing junk, is not truncated.
    bool truncated = false;
  };

  LineReader(std::unique_ptr<ByteSource> source, std::size_t max_line_bytes);

  // The next line. When the source fails, every complete line read before
  // the failure comes first, then the part of a line cut by it (truncated),
  // then the error; after the error, end of input.
  Result<Line> Next();
  std::uint64_t raw_offset() const { return source_->raw_offset(); }

 private:
  Status Fill();

  std::unique_ptr<ByteSource> source_;
  std::size_t max_line_bytes_;
  std::string buf_;
  std::size_t begin_ = 0;  // start of unread data in buf_
  std::size_t end_ = 0;    // end of valid data in buf_
  bool source_done_ = false;
  std::optional<Error> error_;  // the source's failure, not yet returned
  bool error_returned_ = false;
  bool error_between_units_ = false;  // error_ lies after a complete member / frame
  std::int64_t line_number_ = 0;
};

}  // namespace storyline::ingest

#endif  // STORYLINE_INGEST_BYTE_SOURCE_H_
