// Sequential byte sources over files, transparently decompressing gzip
// (including concatenated members) and zstd, and a line reader on top.
//
//   Result<std::unique_ptr<ByteSource>> src = OpenByteSource("a.jsonl.gz");
//   LineReader lines(std::move(*src), /*max_line_bytes=*/1 << 20);
//   while (true) {
//     Result<LineReader::Line> line = lines.Next();
//     if (!line) return line.error();          // I/O or decompression error
//     if (line->eof) break;
//     if (line->too_long) continue;            // reported by the caller
//     Use(line->text);                         // valid until the next call
//   }
//
// Not thread-safe. Memory is bounded by the buffers and the longest line kept.
#ifndef STORYLINE_INGEST_BYTE_SOURCE_H_
#define STORYLINE_INGEST_BYTE_SOURCE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "storyline/core/result.h"

namespace storyline::ingest {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `n` bytes into `buf`; returns 0 at end of input.
  virtual Result<std::size_t> Read(char* buf, std::size_t n) = 0;
  // Bytes consumed from the underlying file so far (compressed bytes).
  virtual std::uint64_t raw_offset() const = 0;
};

// Opens `path`, decompressing by extension (.gz, .zst) — and by magic bytes,
// so a mis-named compressed file still reads. Errors: kNotFound, kIo.
Result<std::unique_ptr<ByteSource>> OpenByteSource(const std::string& path);

// Wraps an in-memory buffer (tests, fuzzers). The buffer must outlive it.
std::unique_ptr<ByteSource> MemoryByteSource(std::string_view data);

class LineReader {
 public:
  struct Line {
    std::string_view text;   // without the trailing '\n' (and '\r')
    std::int64_t number = 0;  // 1-based
    bool too_long = false;   // longer than max_line_bytes: text is empty
    bool eof = false;
  };

  LineReader(std::unique_ptr<ByteSource> source, std::size_t max_line_bytes);

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
  std::int64_t line_number_ = 0;
};

}  // namespace storyline::ingest

#endif  // STORYLINE_INGEST_BYTE_SOURCE_H_
