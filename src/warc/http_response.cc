// HTTP/1.x response messages as stored in WARC `response` records.
//
// Crawlers differ in what they store: some keep the bytes as they came off
// the wire (chunked, gzip-compressed), others store the decoded body but keep
// the original headers. So the transfer and content codings announced in
// the headers are undone only when the bytes look encoded (a hex chunk-size
// line; the gzip magic number).
#include <zlib.h>

#include <algorithm>
#include <cstring>

#include "storyline/warc/warc_reader.h"

namespace storyline::warc {
namespace {

constexpr std::size_t kMaxDecodedBody = 256u << 20;

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string LowerCopy(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool LooksChunked(std::string_view body) {
  std::size_t i = 0;
  while (i < body.size() && i < 16 && HexValue(body[i]) >= 0) ++i;
  return i > 0 && i < body.size() &&
         (body[i] == '\r' || body[i] == '\n' || body[i] == ';' || body[i] == ' ');
}

// Removes chunked transfer coding (RFC 9112 section 7.1). A body cut short
// inside a chunk keeps what arrived: crawlers truncate long responses.
Result<std::string> Dechunk(std::string_view body) {
  std::string out;
  std::size_t pos = 0;
  while (pos < body.size()) {
    std::size_t eol = body.find('\n', pos);
    if (eol == std::string_view::npos) break;  // cut inside a size line
    std::string_view line = Trim(body.substr(pos, eol - pos));
    line = line.substr(0, line.find(';'));
    line = Trim(line);
    if (line.empty() || line.size() > 15) {
      return MakeError(ErrorCode::kInvalidInput,
                       "broken chunked body: bad chunk size at body byte " + std::to_string(pos));
    }
    std::uint64_t size = 0;
    for (char c : line) {
      int v = HexValue(c);
      if (v < 0) {
        return MakeError(ErrorCode::kInvalidInput, "broken chunked body: bad chunk size '" +
                                                       std::string(line) + "' at body byte " +
                                                       std::to_string(pos));
      }
      size = size * 16 + static_cast<std::uint64_t>(v);
    }
    pos = eol + 1;
    if (size == 0) break;  // last chunk; trailers ignored
    std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(size, body.size() - pos));
    out.append(body.substr(pos, take));
    pos += take;
    // CRLF after the chunk data.
    if (pos < body.size() && body[pos] == '\r') ++pos;
    if (pos < body.size() && body[pos] == '\n') ++pos;
  }
  return out;
}

// Inflates a gzip or zlib stream (window_bits as for inflateInit2). A stream
// cut short keeps what was decoded; corrupt data is an error.
Result<std::string> Inflate(std::string_view data, int window_bits) {
  z_stream z;
  std::memset(&z, 0, sizeof z);
  if (inflateInit2(&z, window_bits) != Z_OK) {
    return MakeError(ErrorCode::kInternal, "zlib inflateInit2 failed");
  }
  std::string out;
  char buffer[1 << 15];
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buffer);
    z.avail_out = sizeof buffer;
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - z.avail_out);
    if (out.size() > kMaxDecodedBody) {
      inflateEnd(&z);
      return MakeError(ErrorCode::kInvalidInput, "compressed body inflates past 256 MiB");
    }
    if (rc == Z_BUF_ERROR && z.avail_in == 0) break;  // truncated: keep what we have
  }
  inflateEnd(&z);
  if (rc != Z_STREAM_END && rc != Z_BUF_ERROR && rc != Z_OK) {
    return MakeError(ErrorCode::kInvalidInput,
                     std::string("corrupt compressed body: ") + (z.msg ? z.msg : "zlib error"));
  }
  return out;
}

}  // namespace

std::string_view HttpResponse::Header(std::string_view name) const {
  for (const HeaderField& h : headers) {
    if (EqualsNoCase(h.first, name)) return h.second;
  }
  return {};
}

bool IsHtml(const HttpResponse& response) {
  if (response.content_type == "text/html" || response.content_type == "application/xhtml+xml") {
    return true;
  }
  if (!response.content_type.empty()) return false;
  std::string head = LowerCopy(std::string_view(response.body).substr(0, 512));
  return head.find("<!doctype html") != std::string::npos ||
         head.find("<html") != std::string::npos || head.find("<head") != std::string::npos ||
         head.find("<body") != std::string::npos;
}

Result<std::optional<HttpResponse>> ParseHttpResponse(std::string_view message) {
  if (!message.starts_with("HTTP/")) return std::optional<HttpResponse>();
  // Header block ends at the first empty line (CRLF CRLF, or bare LF LF).
  std::size_t crlf = message.find("\r\n\r\n");
  std::size_t lf = message.find("\n\n");
  std::size_t head_end;
  std::size_t body_start;
  if (crlf != std::string_view::npos && (lf == std::string_view::npos || crlf < lf)) {
    head_end = crlf;
    body_start = crlf + 4;
  } else if (lf != std::string_view::npos) {
    head_end = lf;
    body_start = lf + 2;
  } else {
    // A message of headers only, ending with one line break, is complete.
    std::size_t last = message.find_last_not_of("\r\n");
    if (last == std::string_view::npos || last + 1 == message.size()) {
      return MakeError(ErrorCode::kInvalidInput, "HTTP header block has no end");
    }
    head_end = last + 1;
    body_start = message.size();
  }
  std::string_view head = message.substr(0, head_end);
  HttpResponse response;

  std::size_t eol = head.find('\n');
  std::string_view status_line = Trim(head.substr(0, eol));
  std::size_t sp = status_line.find(' ');
  std::string_view code =
      sp == std::string_view::npos ? std::string_view() : Trim(status_line.substr(sp + 1));
  if (code.size() < 3 || !std::all_of(code.begin(), code.begin() + 3,
                                      [](char c) { return c >= '0' && c <= '9'; }) ||
      (code.size() > 3 && code[3] != ' ')) {
    return MakeError(ErrorCode::kInvalidInput,
                     "bad HTTP status line '" + std::string(status_line.substr(0, 80)) + "'");
  }
  response.status = (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
  response.reason = std::string(Trim(code.substr(3)));

  std::size_t pos = eol == std::string_view::npos ? head.size() : eol + 1;
  while (pos < head.size()) {
    std::size_t next = head.find('\n', pos);
    if (next == std::string_view::npos) next = head.size();
    std::string_view line = head.substr(pos, next - pos);
    pos = next + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if ((line.front() == ' ' || line.front() == '\t') && !response.headers.empty()) {
      response.headers.back().second += ' ';
      response.headers.back().second += Trim(line);
      continue;
    }
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;  // junk line: browsers ignore it too
    response.headers.emplace_back(std::string(Trim(line.substr(0, colon))),
                                  std::string(Trim(line.substr(colon + 1))));
  }

  std::string_view content_type = response.Header("content-type");
  std::string lower_type = LowerCopy(content_type);
  response.content_type = std::string(Trim(std::string_view(lower_type).substr(0, lower_type.find(';'))));
  std::size_t cs = lower_type.find("charset=");
  if (cs != std::string::npos) {
    std::string_view value = std::string_view(lower_type).substr(cs + 8);
    value = value.substr(0, value.find(';'));
    value = Trim(value);
    if (!value.empty() && (value.front() == '"' || value.front() == '\'')) value.remove_prefix(1);
    if (!value.empty() && (value.back() == '"' || value.back() == '\'')) value.remove_suffix(1);
    response.charset = std::string(value);
  }

  std::string_view body = message.substr(body_start);
  std::string decoded;
  std::string transfer = LowerCopy(response.Header("transfer-encoding"));
  if (transfer.find("chunked") != std::string::npos && LooksChunked(body)) {
    Result<std::string> unchunked = Dechunk(body);
    if (!unchunked) return tl::unexpected(unchunked.error());
    decoded = std::move(*unchunked);
  } else {
    decoded = std::string(body);
  }
  std::string coding = LowerCopy(Trim(response.Header("content-encoding")));
  bool gzip_magic = decoded.size() >= 2 && decoded[0] == '\x1f' && decoded[1] == '\x8b';
  if ((coding == "gzip" || coding == "x-gzip") && gzip_magic) {
    Result<std::string> inflated = Inflate(decoded, 16 + MAX_WBITS);
    if (!inflated) return tl::unexpected(inflated.error());
    decoded = std::move(*inflated);
  } else if (coding == "deflate" && !decoded.empty() && decoded[0] != '<') {
    // "deflate" is zlib-wrapped by the RFC and raw deflate in practice; try both.
    Result<std::string> inflated = Inflate(decoded, MAX_WBITS);
    if (!inflated) inflated = Inflate(decoded, -MAX_WBITS);
    if (!inflated) return tl::unexpected(inflated.error());
    decoded = std::move(*inflated);
  }
  response.body = std::move(decoded);
  return std::optional<HttpResponse>(std::move(response));
}

}  // namespace storyline::warc
