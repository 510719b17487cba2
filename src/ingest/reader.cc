#include "storyline/ingest/reader.h"

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <system_error>

#include "page_article.h"
#include "storyline/core/date.h"
#include "storyline/ingest/byte_source.h"
#include "storyline/warc/warc_reader.h"

namespace storyline::ingest {
namespace fs = std::filesystem;
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool HasSuffix(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool IsBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

// File name without directories and without the format's extensions
// ("a/b/news.jsonl.gz" -> "news").
std::string StemOf(const std::string& path) {
  std::string name = fs::path(path).filename().string();
  for (std::string_view ext :
       {".gz", ".zst", ".jsonl", ".ndjson", ".txt", ".html", ".htm", ".warc"}) {
    std::string lower = Lower(name);
    if (HasSuffix(lower, ext)) name.resize(name.size() - ext.size());
  }
  return name;
}

Error InvalidInput(const std::string& message) { return Error{ErrorCode::kInvalidInput, message}; }

// Reads an optional string field. Numbers are accepted for `id` only.
Result<std::string> OptionalString(simdjson::dom::object& obj, std::string_view field,
                                   bool allow_number = false) {
  simdjson::dom::element value;
  if (obj[field].get(value) != simdjson::SUCCESS) return std::string();
  switch (value.type()) {
    case simdjson::dom::element_type::NULL_VALUE:
      return std::string();
    case simdjson::dom::element_type::STRING:
      return std::string(std::string_view(value));
    case simdjson::dom::element_type::INT64:
      if (allow_number) return std::to_string(int64_t(value));
      break;
    case simdjson::dom::element_type::UINT64:
      if (allow_number) return std::to_string(uint64_t(value));
      break;
    default:
      break;
  }
  return MakeError(ErrorCode::kInvalidInput, "field '" + std::string(field) + "' must be a string");
}

// How an input is called in messages, origins and default ids.
std::string DisplayName(const std::string& path) { return path == "-" ? "stdin" : path; }

// `message` without a leading "<name>: ", which sources put in their errors
// and BadRecord::ToString() adds again.
std::string WithoutName(const std::string& message, const std::string& name) {
  const std::string prefix = name + ": ";
  return message.starts_with(prefix) ? message.substr(prefix.size()) : message;
}

// Bytes looked at to sniff a format or binary content.
constexpr std::size_t kSniffBytes = 8192;

// What binary content `head` (the first bytes of an input, after
// decompression and UTF-16 decoding) looks like: "PNG image", "NUL bytes"...;
// "" when it reads as text. Magic numbers name the common cases; otherwise
// text never holds NUL, and holds few C0 control bytes besides tab, line
// breaks, form feed and escape (one in ten is far beyond any real text).
std::string BinaryKind(std::string_view head) {
  struct Magic {
    std::string_view bytes;
    const char* kind;
  };
  static constexpr Magic kMagic[] = {
      {"\x89PNG\r\n\x1a\n", "PNG image"},
      {"\xFF\xD8\xFF", "JPEG image"},
      {"GIF87a", "GIF image"},
      {"GIF89a", "GIF image"},
      {"%PDF-", "PDF document"},
      {"PK\x03\x04", "ZIP archive"},
      {"\x1f\x8b", "gzip data"},
      {"\x28\xb5\x2f\xfd", "zstd data"},
      {"\x7f"
       "ELF",
       "ELF executable"},
      {"BZh", "bzip2 data"},
      {"\xFD"
       "7zXZ",
       "xz data"},
  };
  for (const Magic& m : kMagic) {
    if (head.starts_with(m.bytes)) return m.kind;
  }
  if (head.find('\0') != std::string_view::npos) return "NUL bytes";
  std::size_t control = 0;
  for (unsigned char c : head) {
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != 0x1b) ||
        c == 0x7f) {
      ++control;
    }
  }
  if (control * 10 > head.size()) return "control bytes";
  return "";
}

const char* FormatNoun(InputFormat format) {
  switch (format) {
    case InputFormat::kJsonl:
      return "a JSONL file";
    case InputFormat::kHtml:
      return "an HTML page";
    case InputFormat::kWarc:
      return "a WARC archive";
    case InputFormat::kText:
    case InputFormat::kUnknown:
      break;
  }
  return "a text file";
}

// The archive is read with html_only off: in html_only mode the WARC reader
// drops responses whose HTTP message is damaged without returning them, and
// those are pages the user should hear about. Non-page records cost one
// record's memory each, as pages do.
warc::WarcReaderOptions ArchiveOptions(const ReadOptions& options) {
  warc::WarcReaderOptions o;
  o.html_only = false;
  o.max_record_bytes = options.max_file_bytes;
  return o;
}

}  // namespace

InputFormat FormatOfPath(const std::string& path) {
  const std::string p = Lower(path);
  if (HasSuffix(p, ".txt")) return InputFormat::kText;
  for (std::string_view ext :
       {".jsonl", ".jsonl.gz", ".jsonl.zst", ".ndjson", ".ndjson.gz", ".ndjson.zst"}) {
    if (HasSuffix(p, ext)) return InputFormat::kJsonl;
  }
  if (HasSuffix(p, ".html") || HasSuffix(p, ".htm")) return InputFormat::kHtml;
  if (HasSuffix(p, ".warc") || HasSuffix(p, ".warc.gz")) return InputFormat::kWarc;
  return InputFormat::kUnknown;
}

InputFormat FormatOfContent(std::string_view head) {
  const std::size_t first = head.find_first_not_of(" \t\r\n\f\v");
  if (first == std::string_view::npos) return InputFormat::kText;
  head.remove_prefix(first);
  if (head.front() == '{') return InputFormat::kJsonl;
  if (head.starts_with("WARC/")) return InputFormat::kWarc;
  if (head.front() == '<') return InputFormat::kHtml;
  return InputFormat::kText;
}

std::string BadRecord::ToString() const {
  std::string out = file;
  if (line > 0) out += ":" + std::to_string(line);
  if (offset >= 0) out += "@" + std::to_string(offset);
  out += ": " + error.message;
  return out;
}

Result<Article> ParseJsonArticle(std::string_view json, const std::string& file,
                                 std::int64_t line) {
  // One parser per thread: simdjson parsers keep their buffers between calls,
  // so parsing a stream allocates only when a longer line arrives.
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element doc;
  const simdjson::error_code err = parser.parse(json.data(), json.size()).get(doc);
  if (err != simdjson::SUCCESS) {
    if (err == simdjson::UTF8_ERROR) return MakeError(ErrorCode::kInvalidInput, "invalid UTF-8");
    return MakeError(ErrorCode::kInvalidInput,
                     std::string("invalid JSON: ") + simdjson::error_message(err));
  }
  simdjson::dom::object obj;
  if (doc.get(obj) != simdjson::SUCCESS) {
    return MakeError(ErrorCode::kInvalidInput, "a JSONL record must be a JSON object");
  }
  Article a;
  struct Field {
    std::string_view name;
    std::string* target;
    bool allow_number;
  };
  const Field fields[] = {{"id", &a.id, true},
                          {"title", &a.title, false},
                          {"text", &a.text, false},
                          {"html", &a.html, false},
                          {"url", &a.url, false},
                          {"source", &a.source, false},
                          {"published", &a.published, false},
                          {"lang", &a.lang, false}};
  for (const Field& f : fields) {
    Result<std::string> v = OptionalString(obj, f.name, f.allow_number);
    if (!v) return Fail(v.error());
    *f.target = std::move(*v);
  }
  simdjson::dom::element ignored;
  if (obj["text"].get(ignored) != simdjson::SUCCESS &&
      obj["html"].get(ignored) != simdjson::SUCCESS) {
    return MakeError(ErrorCode::kInvalidInput, "missing field 'text' (or 'html')");
  }
  // A record whose text is empty but whose title is not is a one-line
  // article (some corpora keep the headline only); it is kept.
  if (IsBlank(a.text) && IsBlank(a.html) && IsBlank(a.title)) {
    return MakeError(ErrorCode::kInvalidInput, "empty article: 'text' and 'title' have no content");
  }
  if (!a.published.empty() && !ParseIso8601(a.published)) {
    return MakeError(ErrorCode::kInvalidInput,
                     "field 'published' is not ISO 8601: '" + a.published + "'");
  }
  if (IsBlank(a.text) && !IsBlank(a.html)) {
    // A scraped page without its text: extract it as an .html file would
    // be, keeping what the record states explicitly.
    if (Status s = FillFromPage(a.html, &a); !s) {
      return MakeError(ErrorCode::kInvalidInput, "field 'html': " + s.error().message);
    }
  }
  if (a.id.empty()) a.id = StemOf(file) + ":" + std::to_string(line);
  a.origin = file + ":" + std::to_string(line);
  return a;
}

Result<Article> ParseTextArticle(std::string_view content, const std::string& path) {
  if (!simdjson::validate_utf8(content.data(), content.size())) {
    return MakeError(ErrorCode::kInvalidInput, "invalid UTF-8");
  }
  if (content.size() >= 3 && content.substr(0, 3) == "\xEF\xBB\xBF") content.remove_prefix(3);
  if (IsBlank(content)) return MakeError(ErrorCode::kInvalidInput, "empty article");
  Article a;
  a.id = StemOf(path);
  a.text = std::string(content);
  size_t pos = 0;
  while (pos < content.size()) {
    size_t end = content.find('\n', pos);
    if (end == std::string_view::npos) end = content.size();
    std::string_view line = content.substr(pos, end - pos);
    if (!IsBlank(line)) {
      while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) {
        line.remove_suffix(1);
      }
      while (!line.empty() && std::isspace(static_cast<unsigned char>(line.front()))) {
        line.remove_prefix(1);
      }
      a.title = std::string(line);
      a.title_inferred = true;
      break;
    }
    pos = end + 1;
  }
  a.origin = path;
  return a;
}

InputReader::InputReader(ReadOptions options) : options_(options) {}

void InputReader::Bad(const std::string& file, std::int64_t line, Error error,
                      const BadRecordCallback& on_bad, std::int64_t offset) {
  ++stats_.bad_records;
  if (on_bad) on_bad(BadRecord{file, line, offset, std::move(error)});
}

Status InputReader::Read(const std::vector<std::string>& inputs, const ArticleCallback& on_article,
                         const BadRecordCallback& on_bad) {
  // Expand directories first so the total size is known for progress/ETA.
  std::vector<std::pair<std::string, InputFormat>> files;
  for (const std::string& input : inputs) {
    if (input == "-") {
      // Standard input: its format comes from its content.
      files.emplace_back(input, InputFormat::kUnknown);
      continue;
    }
    std::error_code ec;
    const fs::file_status st = fs::status(input, ec);
    if (ec || !fs::exists(st)) {
      return MakeError(ErrorCode::kNotFound, input + ": no such file or directory");
    }
    if (fs::is_directory(st)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(
               input, fs::directory_options::skip_permission_denied, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file(ec)) found.push_back(it->path().string());
      }
      if (ec) return MakeError(ErrorCode::kIo, input + ": cannot list directory: " + ec.message());
      std::sort(found.begin(), found.end());
      for (std::string& f : found) {
        const InputFormat format = FormatOfPath(f);
        if (format == InputFormat::kUnknown) {
          ++stats_.skipped_files;
          continue;
        }
        files.emplace_back(std::move(f), format);
      }
    } else if (!fs::is_regular_file(st)) {
      // A named pipe, a character device (/dev/stdin, <(command)): read as
      // a stream, its format from its name or else from its content.
      files.emplace_back(input, FormatOfPath(input));
    } else {
      const InputFormat format = FormatOfPath(input);
      if (format == InputFormat::kUnknown) {
        return MakeError(ErrorCode::kUnsupported,
                         input +
                             ": unknown input type (expected .txt, .jsonl[.gz|.zst], "
                             ".html, .warc[.gz] or a directory)");
      }
      files.emplace_back(input, format);
    }
  }
  for (const auto& [path, format] : files) {
    std::error_code ec;
    if (path != "-" && fs::is_regular_file(path, ec)) stats_.bytes_total += fs::file_size(path, ec);
  }
  for (const auto& [path, format] : files) {
    ++stats_.files;
    Status s = ReadFile(path, format, on_article, on_bad);
    if (!s) return s;
  }
  return Ok();
}

Status InputReader::ReadFile(const std::string& path, InputFormat format,
                             const ArticleCallback& on_article, const BadRecordCallback& on_bad) {
  // A named archive is read by the WARC reader, which knows gzip members
  // and reports their file offsets.
  if (format == InputFormat::kWarc && path != "-") return ReadWarc(path, on_article, on_bad);
  const std::string name = DisplayName(path);
  Result<std::unique_ptr<ByteSource>> opened = OpenByteSource(path);
  if (!opened) return Fail(opened.error());
  const std::uint64_t base = stats_.bytes_read;
  // Decompressed by magic, BOM dropped or UTF-16 decoded: the first bytes
  // of the text tell the format of a stream and betray binary content.
  auto source = std::make_unique<PeekableSource>(Utf8TextSource(std::move(*opened)));
  Result<std::string_view> head = source->Peek(kSniffBytes);
  if (!head) {
    Bad(name, 0, Error{head.error().code, WithoutName(head.error().message, name)}, on_bad);
    stats_.bytes_read = base + source->raw_offset();
    return Ok();
  }
  if (format == InputFormat::kUnknown) format = FormatOfContent(*head);
  if (format == InputFormat::kWarc) {
    return ReadWarcStream(name, std::move(source), on_article, on_bad);
  }
  if (const std::string kind = BinaryKind(*head); !kind.empty()) {
    Bad(name, 0, InvalidInput("binary content (" + kind + "), not " + FormatNoun(format)), on_bad);
    stats_.bytes_read = base + source->raw_offset();
    return Ok();
  }
  if (format == InputFormat::kJsonl) {
    return ReadJsonl(name, std::move(source), on_article, on_bad);
  }
  return ReadWholeFile(name, format, *source, on_article, on_bad);
}

Status InputReader::ReadJsonl(const std::string& name, std::unique_ptr<ByteSource> source,
                              const ArticleCallback& on_article, const BadRecordCallback& on_bad) {
  LineReader reader(std::move(source), options_.max_line_bytes);
  const std::uint64_t base = stats_.bytes_read;
  while (true) {
    Result<LineReader::Line> line = reader.Next();
    if (!line) {
      // Damage to the input between two lines: every line before it has
      // been read; nothing after it can be.
      Bad(name, 0, Error{line.error().code, WithoutName(line.error().message, name)}, on_bad);
      break;
    }
    if (line->eof) break;
    if (line->truncated) {
      // The damage cut this line: it is the one bad record of the damage.
      const std::int64_t number = line->number;
      Result<LineReader::Line> after = reader.Next();
      const std::string cause =
          after ? std::string("input ends") : WithoutName(after.error().message, name);
      Bad(name, number, InvalidInput("record cut short by damaged input: " + cause), on_bad);
      break;
    }
    if (line->too_long) {
      Bad(name, line->number,
          InvalidInput("line longer than " + std::to_string(options_.max_line_bytes) + " bytes"),
          on_bad);
      continue;
    }
    if (IsBlank(line->text)) continue;
    Result<Article> article = ParseJsonArticle(line->text, name, line->number);
    if (!article) {
      Bad(name, line->number, article.error(), on_bad);
      continue;
    }
    ++stats_.articles;
    stats_.bytes_read = base + reader.raw_offset();
    Status s = on_article(std::move(*article));
    if (!s) return s;
    if (progress_) progress_(stats_);
  }
  stats_.bytes_read = base + reader.raw_offset();
  return Ok();
}

Status InputReader::ReadWholeFile(const std::string& name, InputFormat format, ByteSource& source,
                                  const ArticleCallback& on_article,
                                  const BadRecordCallback& on_bad) {
  std::string content;
  char buf[1 << 16];
  while (true) {
    Result<std::size_t> got = source.Read(buf, sizeof buf);
    if (!got) {
      Bad(name, 0, Error{got.error().code, WithoutName(got.error().message, name)}, on_bad);
      stats_.bytes_read += source.raw_offset();
      return Ok();
    }
    if (*got == 0) break;
    content.append(buf, *got);
    if (content.size() > options_.max_file_bytes) {
      Bad(name, 0,
          InvalidInput("file larger than " + std::to_string(options_.max_file_bytes) + " bytes"),
          on_bad);
      return Ok();
    }
  }
  stats_.bytes_read += source.raw_offset();
  Result<Article> article = Article{};
  if (format == InputFormat::kHtml) {
    PageSource page;
    page.id = StemOf(name);
    page.origin = name;
    article = ParseHtmlArticle(content, page);
  } else {
    article = ParseTextArticle(content, name);
  }
  if (!article) {
    Bad(name, 0, article.error(), on_bad);
    return Ok();
  }
  ++stats_.articles;
  Status s = on_article(std::move(*article));
  if (!s) return s;
  if (progress_) progress_(stats_);
  return Ok();
}

Status InputReader::ReadWarcStream(const std::string& name, std::unique_ptr<ByteSource> source,
                                   const ArticleCallback& on_article,
                                   const BadRecordCallback& on_bad) {
  // Offsets are in the stream as read (decompressed, if it was compressed
  // as a whole): a pipe has no file offsets to give.
  ByteSource* raw = source.get();
  std::shared_ptr<ByteSource> owned(std::move(source));
  Result<warc::WarcReader> archive = warc::WarcReader::FromStream(
      [owned](char* buf, std::size_t n) { return owned->Read(buf, n); }, ArchiveOptions(options_));
  if (!archive) return Fail(archive.error());
  const std::uint64_t base = stats_.bytes_read;
  Status s = ReadWarcRecords(*archive, name, on_article, on_bad);
  stats_.bytes_read = base + raw->raw_offset();
  return s;
}

Status InputReader::ReadWarc(const std::string& path, const ArticleCallback& on_article,
                             const BadRecordCallback& on_bad) {
  Result<warc::WarcReader> archive = warc::WarcReader::Open(path, ArchiveOptions(options_));
  if (!archive) return Fail(archive.error());
  const std::uint64_t base = stats_.bytes_read;
  Status s = ReadWarcRecords(*archive, path, on_article, on_bad);
  std::error_code ec;
  const std::uintmax_t size = fs::file_size(path, ec);
  if (!ec) stats_.bytes_read = base + size;
  return s;
}

Status InputReader::ReadWarcBytes(std::string bytes, const std::string& name,
                                  const ArticleCallback& on_article,
                                  const BadRecordCallback& on_bad) {
  const std::uint64_t base = stats_.bytes_read;
  const std::uint64_t size = bytes.size();
  Result<warc::WarcReader> archive =
      warc::WarcReader::FromBytes(std::move(bytes), ArchiveOptions(options_));
  if (!archive) return Fail(archive.error());
  Status s = ReadWarcRecords(*archive, name, on_article, on_bad);
  stats_.bytes_read = base + size;
  return s;
}

Status InputReader::ReadWarcRecords(warc::WarcReader& archive, const std::string& name,
                                    const ArticleCallback& on_article,
                                    const BadRecordCallback& on_bad) {
  const std::uint64_t base = stats_.bytes_read;
  std::uint64_t oversized_counted = 0;
  const std::string stem = StemOf(name);
  while (true) {
    Result<std::optional<warc::WarcRecord>> next = archive.Next();
    // Records over the size limit are passed over inside Next().
    const std::uint64_t oversized = archive.stats().skipped_oversized;
    stats_.skipped_records += static_cast<std::int64_t>(oversized - oversized_counted);
    oversized_counted = oversized;
    if (!next) {
      // Damage to the archive: every record before it has been read; the
      // message gives the offset. Nothing after it can be trusted.
      Bad(name, 0, next.error(), on_bad);
      return Ok();
    }
    if (!*next) return Ok();
    warc::WarcRecord& record = **next;
    // member_offset is a file position for plain and gzip archives alike,
    // so progress advances as the file is consumed.
    stats_.bytes_read = base + record.member_offset;
    const auto offset = static_cast<std::int64_t>(record.member_offset);
    if (record.type != "response") {
      ++stats_.skipped_records;
      continue;
    }
    if (record.http_error) {
      Bad(name, 0, *record.http_error, on_bad, offset);
      continue;
    }
    if (!record.http || record.http->status != 200 || !warc::IsHtml(*record.http)) {
      ++stats_.skipped_records;
      continue;
    }
    const std::string where = name + "@" + std::to_string(offset);
    PageSource page;
    page.id = record.record_id.empty() ? stem + "@" + std::to_string(offset) : record.record_id;
    page.url = std::move(record.target_uri);
    page.http_charset = record.http->charset;
    page.fallback_date = std::move(record.date);
    page.origin = where;
    Result<Article> article = ParseHtmlArticle(record.http->body, page);
    if (!article) {
      Bad(name, 0,
          Error{article.error().code, "record " + page.id + ": " + article.error().message}, on_bad,
          offset);
      continue;
    }
    ++stats_.articles;
    Status s = on_article(std::move(*article));
    if (!s) return s;
    if (progress_) progress_(stats_);
  }
}

}  // namespace storyline::ingest
