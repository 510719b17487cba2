// Reading articles from input files: plain text, JSONL (optionally gzip- or
// zstd-compressed), web pages (.html/.htm), web archives (.warc/.warc.gz)
// and directories of them.
//
//   storyline::ingest::InputReader reader(options);
//   Status s = reader.Read({"news.jsonl.gz", "seeds/"},
//       [&](Article&& a) { batch.push_back(std::move(a)); return Ok(); },
//       [&](const BadRecord& bad) { std::cerr << bad.ToString() << "\n"; });
//
// Reading streams: memory does not grow with the size of an input (a WARC
// archive is held one record at a time). A bad record (invalid JSON or
// UTF-8, missing or empty text, over-long line, a page without article text,
// a damaged WARC record) is handed to the bad-record callback with its file
// and line or WARC byte offset, and reading goes on.
//
// Web pages (an .html file, a WARC response, a JSONL record with `html` but
// no `text`) go through html::ExtractPage: `text` is the extracted body, one
// paragraph per line, and `html` keeps the whole page decoded to UTF-8. See
// ParseHtmlArticle for how each field is filled.
//
// A WARC archive gives one article per `response` record holding an HTTP 200
// HTML page: id is the WARC-Record-ID without its angle brackets
// ("urn:uuid:..."; "<file stem>@<offset>" when a record has none), url the
// WARC-Target-URI, origin "<file>@<offset>" with the file offset of the
// record's gzip member (of the record itself in a plain .warc), so that
// `dd`/warcio can fetch it. Other records are counted in
// ReadStats::skipped_records. A page without article text, or a response
// whose HTTP message is damaged, is a bad record at that offset. A damaged
// archive (truncated, broken gzip) ends that file with one bad record whose
// message gives the byte offset; the pages before it are kept.
//
// Damaged or unexpected bytes are reported, never dropped in silence:
//  - a truncated or corrupt .jsonl.gz / .jsonl.zst keeps every complete
//    record before the damage; the damage is one bad record whose message
//    gives its compressed byte offset, at the line it cut when it cut one
//    ("news.jsonl.gz:1223: record cut short by damaged input: truncated
//    gzip data: input ends at byte 5120 ..."), else with line 0. Bytes after
//    the last gzip member or zstd frame that are not another are reported
//    the same way, after every record of the valid part;
//  - a UTF-8 byte order mark at the start of a JSONL, text or HTML input is
//    dropped; UTF-16LE/BE input with a byte order mark is decoded to UTF-8;
//  - binary content behind a text, HTML or JSONL name (an image, a PDF, a
//    ZIP archive, an executable; NUL bytes or many control bytes in the
//    first 8 KiB) is one bad record naming what it looks like ("binary
//    content (PNG image), not an HTML page") and is never an article. A
//    gzip or zstd file is decompressed whatever its name, and its content
//    judged.
//
// Streams. "-" reads standard input; named pipes (FIFOs) and other
// non-regular files are read as streams too, never rewound. One whose name
// tells no format (always "-") gets it from its content (FormatOfContent).
// In messages, origins and default ids standard input is called "stdin".
//
// Read() itself fails only when an input cannot be opened or read at all,
// or when the article callback returns an error (which stops reading and is
// returned unchanged). An InputReader is not thread-safe; use one per thread.
#ifndef STORYLINE_INGEST_READER_H_
#define STORYLINE_INGEST_READER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "storyline/core/article.h"
#include "storyline/core/result.h"

namespace storyline::warc {
class WarcReader;
}  // namespace storyline::warc

namespace storyline::ingest {

class ByteSource;

// The kinds of input recognised by file name.
enum class InputFormat { kText, kJsonl, kHtml, kWarc, kUnknown };

// Format by extension: .txt, .jsonl/.jsonl.gz/.jsonl.zst (also .ndjson),
// .html/.htm, .warc/.warc.gz. Case-insensitive.
InputFormat FormatOfPath(const std::string& path);

// Format by content, for inputs whose name tells none (standard input, a
// named pipe): `head` is the first bytes after decompression (gzip and zstd
// are recognised by magic bytes before this) and after a byte order mark is
// dropped / UTF-16 is decoded. Leading whitespace is skipped, then:
//   "{"                    JSONL
//   "WARC/"                a WARC archive
//   "<" (a tag, doctype)   an HTML page
//   anything else          a text article (binary content is then reported)
// An empty or all-blank head is kText.
InputFormat FormatOfContent(std::string_view head);

// One record that was skipped, and why.
struct BadRecord {
  std::string file;
  std::int64_t line = 0;  // 1-based; 0 when the whole file is concerned
  // For WARC archives: file byte offset of the record (of the gzip member
  // it starts in, for .warc.gz); -1 otherwise. Damage to the archive itself
  // (truncation, broken gzip) has offset -1 and gives the offset in the
  // message.
  std::int64_t offset = -1;
  Error error;

  // "news.jsonl:12: invalid JSON (TAPE_ERROR)", "crawl.warc.gz@5120: ...".
  std::string ToString() const;
};

struct ReadOptions {
  // max_line_bytes (16 MiB): a JSONL line longer than this is a bad record.
  std::size_t max_line_bytes = 16u << 20;
  // max_file_bytes (64 MiB): a .txt or .html file larger than this is a bad
  // record; a WARC record larger than this is skipped unread and counted in
  // ReadStats::skipped_records (archives hold videos and software too).
  std::size_t max_file_bytes = 64u << 20;
};

// Counters of a Read() call, updated as it goes (see progress callback).
struct ReadStats {
  std::int64_t files = 0;
  std::int64_t articles = 0;
  std::int64_t bad_records = 0;
  // Files in directories skipped for an unknown extension (a file named
  // explicitly with one is an error instead).
  std::int64_t skipped_files = 0;
  // WARC records that are not web pages, counted and not reported: warcinfo,
  // request, metadata, revisit records; responses that are not HTML, whose
  // status is not 200, or larger than max_file_bytes.
  std::int64_t skipped_records = 0;
  std::uint64_t bytes_read = 0;   // bytes of input files consumed (on disk, compressed)
  std::uint64_t bytes_total = 0;  // bytes of all input files (for ETA)
};

using ArticleCallback = std::function<Status(Article&&)>;
using BadRecordCallback = std::function<void(const BadRecord&)>;
using ProgressCallback = std::function<void(const ReadStats&)>;

class InputReader {
 public:
  explicit InputReader(ReadOptions options = {});

  // Called after every article with the running counters; optional.
  // bytes_read advances within a file as it streams (JSONL, WARC).
  void set_progress(ProgressCallback progress) { progress_ = std::move(progress); }

  // Reads every input in order (directories recursively, in sorted path
  // order). Returns kNotFound / kIo for inputs that cannot be opened,
  // kUnsupported for an explicitly named file of unknown type, or the first
  // error returned by `on_article`. Counters are in stats() afterwards.
  Status Read(const std::vector<std::string>& inputs, const ArticleCallback& on_article,
              const BadRecordCallback& on_bad);

  // Reads the web pages of a WARC archive held in memory (tests, fuzzers),
  // exactly as Read() reads a .warc/.warc.gz file; `name` stands for the
  // file name in origins and bad records. Fails only when `on_article`
  // does.
  Status ReadWarcBytes(std::string bytes, const std::string& name,
                       const ArticleCallback& on_article, const BadRecordCallback& on_bad);

  const ReadStats& stats() const { return stats_; }

 private:
  Status ReadFile(const std::string& path, InputFormat format, const ArticleCallback& on_article,
                  const BadRecordCallback& on_bad);
  Status ReadJsonl(const std::string& name, std::unique_ptr<ByteSource> source,
                   const ArticleCallback& on_article, const BadRecordCallback& on_bad);
  Status ReadWholeFile(const std::string& name, InputFormat format, ByteSource& source,
                       const ArticleCallback& on_article, const BadRecordCallback& on_bad);
  Status ReadWarc(const std::string& path, const ArticleCallback& on_article,
                  const BadRecordCallback& on_bad);
  Status ReadWarcStream(const std::string& name, std::unique_ptr<ByteSource> source,
                        const ArticleCallback& on_article, const BadRecordCallback& on_bad);
  Status ReadWarcRecords(warc::WarcReader& archive, const std::string& name,
                         const ArticleCallback& on_article, const BadRecordCallback& on_bad);
  void Bad(const std::string& file, std::int64_t line, Error error, const BadRecordCallback& on_bad,
           std::int64_t offset = -1);

  ReadOptions options_;
  ReadStats stats_;
  ProgressCallback progress_;
};

// Parses one JSONL line into an Article (exposed for the fuzzer and tests).
// `file` and `line` only serve messages and default ids ("<file stem>:<line>"
// when the record has no id). A record with `html` and a missing or blank
// `text` is extracted as ParseHtmlArticle does; fields the record gives
// explicitly (title, url, source, published, lang) win over extracted ones,
// and `html` is kept as given. Such a record whose page holds no article
// text is an error.
Result<Article> ParseJsonArticle(std::string_view json, const std::string& file, std::int64_t line);

// Where a web page came from, for ParseHtmlArticle.
struct PageSource {
  // id: Article::id; must not be empty.
  std::string id;
  // url (""): where the page was fetched (a WARC-Target-URI); "" for a page
  // read from a file, whose own canonical URL is then used.
  std::string url;
  // http_charset (""): charset parameter of the HTTP Content-Type, when known.
  std::string http_charset;
  // fallback_date (""): an ISO 8601 date-time known to be no earlier than
  // publication (a WARC-Date); its date part becomes `published`, marked
  // inferred, when the page gives no valid date.
  std::string fallback_date;
  // origin (""): Article::origin, for messages.
  std::string origin;
};

// Builds an Article from one web page's bytes (any charset):
//   id        page.id
//   html      the whole page decoded to UTF-8 (html::DecodeToUtf8)
//   title     the extracted headline (may be empty)
//   text      the extracted body, one paragraph per line, exactly as
//             html::ExtractPage gives it (the title is not prepended)
//   url       page.url, else the page's canonical URL, else ""
//   source    host of `url` without "www." and port, else the page's
//             og:site_name, else "" (never invented)
//   published the page's date when storyline::ParseIso8601 accepts it (or
//             accepts its YYYY-MM-DD part), else the date part of
//             page.fallback_date with published_inferred set, else ""
//   lang      the primary subtag of <html lang> when CLD2 reads the text as
//             that language, else "" (the pipeline detects it then)
// Errors (kInvalidInput): the page is larger than html::ExtractOptions
// allows, has no text at all, or no article text could be found in it.
Result<Article> ParseHtmlArticle(std::string_view bytes, const PageSource& page);

// Builds an Article from a plain-text file's content: id is the file name
// without extension, title the first non-empty line as a guess
// (title_inferred: cleaning replaces it by the headline line), text the
// whole content.
Result<Article> ParseTextArticle(std::string_view content, const std::string& path);

}  // namespace storyline::ingest

#endif  // STORYLINE_INGEST_READER_H_
