// Streaming reader for WARC web archives (ISO 28500, WARC/1.0 and 1.1).
//
//   Result<WarcReader> reader = WarcReader::Open("crawl.warc.gz");
//   if (!reader) return reader.error();
//   for (;;) {
//     Result<std::optional<WarcRecord>> record = reader->Next();
//     if (!record) return record.error();   // damaged archive: offset in message
//     if (!*record) break;                  // clean end of archive
//     if ((*record)->http && IsHtml(*(*record)->http)) Use((*record)->http->body);
//   }
//
// The reader holds one record at a time: memory is bounded by the largest
// record (and WarcReaderOptions::max_record_bytes), never by the archive.
// Plain `.warc` files and gzip-compressed ones are both read, whatever the
// file name says: gzip is recognised by its magic bytes, and archives made
// of one gzip member per record (the WARC convention) or of one member for
// the whole file decompress the same way.
//
// Errors. A damaged archive (a truncated record, a broken gzip stream, a
// header block that is not WARC) makes Next() return an Error whose message
// gives the byte offset of the damage; every record before it has been
// returned, and the reader stays failed. A damaged HTTP message inside an
// intact record is only that record's problem: the record comes back with
// `http_error` set and reading goes on.
//
// A WarcReader is movable, not copyable, and not thread-safe.
#ifndef STORYLINE_WARC_WARC_READER_H_
#define STORYLINE_WARC_WARC_READER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storyline/core/result.h"

namespace storyline::warc {

// A header field as written, name and value trimmed.
using HeaderField = std::pair<std::string, std::string>;

// The HTTP response carried by a `response` record.
struct HttpResponse {
  int status = 0;             // 200
  std::string reason;         // "OK"
  std::vector<HeaderField> headers;
  std::string content_type;   // media type only, lower-case: "text/html"
  std::string charset;        // charset parameter, lower-case; "" when absent
  // The entity body, with chunked transfer coding and gzip/deflate content
  // coding removed when the headers announce them and the bytes agree.
  std::string body;

  // Value of the first header named `name` (case-insensitive), or "".
  std::string_view Header(std::string_view name) const;
};

// True when the response is a web page: an HTML or XHTML media type, or no
// media type and a body that starts like HTML.
bool IsHtml(const HttpResponse& response);

// Parses an HTTP/1.x response message (status line, headers, body).
// Returns nullopt when `message` is not an HTTP response at all (it does not
// start with "HTTP/"), an Error (kInvalidInput) when it starts as one but is
// damaged: bad status line, headers without an end, broken chunked or gzip
// body.
Result<std::optional<HttpResponse>> ParseHttpResponse(std::string_view message);

struct WarcRecord {
  std::string version;      // "WARC/1.0" or "WARC/1.1"
  std::string type;         // WARC-Type: "response", "request", "warcinfo"...
  std::string record_id;    // WARC-Record-ID without the angle brackets
  std::string target_uri;   // WARC-Target-URI ("" when absent)
  std::string date;         // WARC-Date as written (ISO 8601)
  std::string content_type; // Content-Type of the block, as written
  std::vector<HeaderField> headers;  // all WARC header fields, in order
  // The record block, exactly Content-Length bytes.
  std::string payload;
  // Byte offset where the record starts: in the file for plain archives; in
  // the decompressed stream for gzip ones, together with the file offset of
  // the gzip member it starts in (equal to the record's own position in
  // per-record-gzip archives).
  std::uint64_t offset = 0;
  std::uint64_t member_offset = 0;
  // For `response` records whose block is `application/http`: the parsed
  // response, or the reason it could not be parsed.
  std::optional<HttpResponse> http;
  std::optional<Error> http_error;
};

struct WarcReaderOptions {
  // html_only (false): Next() returns only `response` records holding an
  // HTML HTTP response; others are skipped and counted in stats().
  bool html_only = false;
  // max_record_bytes (256 MiB): records with a larger Content-Length are
  // skipped (read past without being stored) and counted.
  std::uint64_t max_record_bytes = 256ull << 20;
};

// What the reader has seen so far.
struct WarcStats {
  std::uint64_t records = 0;                // records read, returned or skipped
  std::uint64_t skipped_non_response = 0;   // html_only: not a response record
  std::uint64_t skipped_non_html = 0;       // html_only: response but not HTML
  std::uint64_t skipped_oversized = 0;      // over max_record_bytes
  std::uint64_t http_errors = 0;            // responses whose HTTP part is damaged
};

class WarcReader {
 public:
  // Opens `path` for streaming. Errors: kNotFound / kIo when the file cannot
  // be opened; kInvalidArgument for options that make no sense (a zero
  // max_record_bytes).
  static Result<WarcReader> Open(const std::string& path, const WarcReaderOptions& options = {});
  // Reads an archive held in memory (tests, fuzzing, data already fetched).
  static Result<WarcReader> FromBytes(std::string bytes, const WarcReaderOptions& options = {});

  // Reads an archive from a stream the caller owns (a pipe, standard
  // input): `read(buf, n)` fills up to n bytes and returns how many, 0 at
  // the end; its error ends the archive with that error. Offsets count the
  // bytes `read` delivers.
  using ReadFunction = std::function<Result<std::size_t>(char* buf, std::size_t n)>;
  static Result<WarcReader> FromStream(ReadFunction read, const WarcReaderOptions& options = {});

  WarcReader(WarcReader&&) noexcept;
  WarcReader& operator=(WarcReader&&) noexcept;
  ~WarcReader();

  // The next record; nullopt at the clean end of the archive; an Error
  // (kInvalidInput or kIo, with the byte offset) when the archive is
  // damaged, after which every call returns that same Error.
  Result<std::optional<WarcRecord>> Next();

  const WarcStats& stats() const;

 private:
  class Impl;
  explicit WarcReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace storyline::warc

#endif  // STORYLINE_WARC_WARC_READER_H_
