// Reading articles from input files: plain text, JSONL (optionally gzip- or
// zstd-compressed) and directories of them.
//
//   storyline::ingest::InputReader reader(options);
//   Status s = reader.Read({"news.jsonl.gz", "seeds/"},
//       [&](Article&& a) { batch.push_back(std::move(a)); return Ok(); },
//       [&](const BadRecord& bad) { std::cerr << bad.ToString() << "\n"; });
//
// Reading streams: memory does not grow with the size of an input. A bad
// record (invalid JSON or UTF-8, missing or empty text, over-long line) is
// handed to the bad-record callback with its file and line, and reading goes
// on. Read() itself fails only when an input cannot be opened or read at all,
// or when the article callback returns an error (which stops reading and is
// returned unchanged). An InputReader is not thread-safe; use one per thread.
#ifndef STORYLINE_INGEST_READER_H_
#define STORYLINE_INGEST_READER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "storyline/core/article.h"
#include "storyline/core/result.h"

namespace storyline::ingest {

// The kinds of input recognised by file name.
enum class InputFormat { kText, kJsonl, kHtml, kWarc, kUnknown };

// Format by extension: .txt, .jsonl/.jsonl.gz/.jsonl.zst (also .ndjson),
// .html/.htm, .warc/.warc.gz. Case-insensitive.
InputFormat FormatOfPath(const std::string& path);

// One record that was skipped, and why.
struct BadRecord {
  std::string file;
  std::int64_t line = 0;  // 1-based; 0 when the whole file is concerned
  Error error;

  // "news.jsonl:12: invalid JSON (TAPE_ERROR)".
  std::string ToString() const;
};

struct ReadOptions {
  // max_line_bytes (16 MiB): a JSONL line longer than this is a bad record.
  std::size_t max_line_bytes = 16u << 20;
  // max_file_bytes (64 MiB): a .txt or .html file larger than this is a bad record.
  std::size_t max_file_bytes = 64u << 20;
};

// Counters of a Read() call, updated as it goes (see progress callback).
struct ReadStats {
  std::int64_t files = 0;
  std::int64_t articles = 0;
  std::int64_t bad_records = 0;
  std::int64_t skipped_files = 0;  // files in directories with unknown extensions
  std::uint64_t bytes_read = 0;    // bytes of input files consumed (on disk, compressed)
  std::uint64_t bytes_total = 0;   // bytes of all input files (for ETA)
};

using ArticleCallback = std::function<Status(Article&&)>;
using BadRecordCallback = std::function<void(const BadRecord&)>;
using ProgressCallback = std::function<void(const ReadStats&)>;

class InputReader {
 public:
  explicit InputReader(ReadOptions options = {});

  // Called after every article with the running counters; optional.
  void set_progress(ProgressCallback progress) { progress_ = std::move(progress); }

  // Reads every input in order (directories recursively, in sorted path
  // order). Returns kNotFound / kIo for inputs that cannot be opened,
  // kUnsupported for an explicitly named file of unknown type, or the first
  // error returned by `on_article`. Counters are in stats() afterwards.
  Status Read(const std::vector<std::string>& inputs, const ArticleCallback& on_article,
              const BadRecordCallback& on_bad);

  const ReadStats& stats() const { return stats_; }

 private:
  Status ReadFile(const std::string& path, InputFormat format, const ArticleCallback& on_article,
                  const BadRecordCallback& on_bad);
  Status ReadJsonl(const std::string& path, const ArticleCallback& on_article,
                   const BadRecordCallback& on_bad);
  Status ReadWholeFile(const std::string& path, InputFormat format,
                       const ArticleCallback& on_article, const BadRecordCallback& on_bad);
  void Bad(const std::string& file, std::int64_t line, Error error,
           const BadRecordCallback& on_bad);

  ReadOptions options_;
  ReadStats stats_;
  ProgressCallback progress_;
};

// Parses one JSONL line into an Article (exposed for the fuzzer and tests).
// `file` and `line` only serve messages and default ids ("<file stem>:<line>"
// when the record has no id).
Result<Article> ParseJsonArticle(std::string_view json, const std::string& file, std::int64_t line);

// Builds an Article from a plain-text file's content: id is the file name
// without extension, title the first non-empty line, text the whole content.
Result<Article> ParseTextArticle(std::string_view content, const std::string& path);

}  // namespace storyline::ingest

#endif  // STORYLINE_INGEST_READER_H_
