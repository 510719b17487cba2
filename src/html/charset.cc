#include "storyline/html/charset.h"

#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>

namespace storyline::html {
namespace {

constexpr std::size_t kMaxDecodeBytes = std::size_t{1} << 30;
// The detector's statistics settle within a few tens of KB; feeding it a
// whole 1 MB page only costs time.
constexpr std::size_t kDetectorSampleBytes = 64 * 1024;
// HTML's prescan looks for <meta> declarations in the first 1024 bytes; we
// look a little further because real pages put long <script> blocks first.
constexpr std::size_t kMetaPrescanBytes = 4096;

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string LowerTrim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '"' ||
                        s.front() == '\'')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '"' || s.back() == '\'')) {
    s.remove_suffix(1);
  }
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

bool IsLabelChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '_' || c == '.' || c == ':';
}

// Reads the value after "charset" at `pos` in `text` (which is lower-case):
// optional spaces, '=', optional spaces and quote, then a label.
std::string CharsetValueAt(std::string_view text, std::size_t pos) {
  pos += 7;  // strlen("charset")
  while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
  if (pos >= text.size() || text[pos] != '=') return "";
  ++pos;
  while (pos < text.size() &&
         (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '"' || text[pos] == '\'')) {
    ++pos;
  }
  std::size_t end = pos;
  while (end < text.size() && IsLabelChar(text[end])) ++end;
  return LowerTrim(text.substr(pos, end - pos));
}

// Labels of the UTF-8 encoding per the WHATWG Encoding Standard.
bool IsUtf8Label(std::string_view label) {
  return label == "utf-8" || label == "utf8" || label == "unicode-1-1-utf-8" ||
         label == "x-unicode20utf8" || label == "unicode20utf8";
}

// Encodings whose text is plain ASCII bytes with escape sequences, so that
// "valid UTF-8" says nothing about them.
bool IsSevenBitStateful(std::string_view label) {
  return label.starts_with("iso-2022") || label == "utf-7" || label == "hz-gb-2312";
}

// The WHATWG standard maps these labels to windows-1252, which browsers use
// for them; real "latin1" pages are full of 0x80-0x9F curly quotes.
std::string_view BrowserEncodingName(std::string_view label) {
  if (label == "iso-8859-1" || label == "latin1" || label == "iso8859-1" ||
      label == "iso_8859-1" || label == "l1" || label == "us-ascii" || label == "ascii" ||
      label == "cp819" || label == "ibm819" || label == "iso-ir-100" || label == "x-cp1252" ||
      label == "cp1252") {
    return "windows-1252";
  }
  if (label == "iso-8859-9" || label == "latin5") return "windows-1254";
  if (label == "tis-620" || label == "iso-8859-11") return "windows-874";
  if (label == "gb2312" || label == "x-gbk") return "gbk";
  return label;
}

struct ConverterCloser {
  void operator()(UConverter* c) const { ucnv_close(c); }
};
using ConverterPtr = std::unique_ptr<UConverter, ConverterCloser>;

ConverterPtr OpenConverter(std::string_view name) {
  std::string z(name);
  UErrorCode status = U_ZERO_ERROR;
  ConverterPtr converter(ucnv_open(z.c_str(), &status));
  if (U_FAILURE(status)) return nullptr;
  return converter;
}

// Converts with ICU from `from` to UTF-8. ICU's default callbacks substitute
// illegal and unassigned input; single-byte code pages substitute U+001A
// (their own substitution byte), which we turn into U+FFFD so callers see
// one replacement character whatever the source encoding.
Result<std::string> ConvertWith(UConverter* from, std::string_view bytes) {
  ConverterPtr to = OpenConverter("UTF-8");
  if (to == nullptr) return MakeError(ErrorCode::kInternal, "ICU has no UTF-8 converter");
  std::string out;
  // Any code page needs at most 3 UTF-8 bytes per input byte, plus the flush.
  out.resize(bytes.size() * 3 + 16);
  const char* source = bytes.data();
  const char* source_limit = bytes.data() + bytes.size();
  char* target = out.data();
  UBool reset = true;
  for (;;) {
    UErrorCode status = U_ZERO_ERROR;
    ucnv_convertEx(to.get(), from, &target, out.data() + out.size(), &source, source_limit,
                   nullptr, nullptr, nullptr, nullptr, reset, /*flush=*/true, &status);
    reset = false;
    if (status == U_BUFFER_OVERFLOW_ERROR) {
      std::size_t used = static_cast<std::size_t>(target - out.data());
      out.resize(out.size() * 2);
      target = out.data() + used;
      continue;
    }
    if (U_FAILURE(status)) {
      return MakeError(ErrorCode::kInvalidInput,
                       std::string("charset conversion failed: ") + u_errorName(status));
    }
    break;
  }
  out.resize(static_cast<std::size_t>(target - out.data()));
  std::string result;
  result.reserve(out.size());
  for (char c : out) {
    if (c == '\x1A') {
      result += "\xEF\xBF\xBD";
    } else {
      result += c;
    }
  }
  if (!IsValidUtf8(result)) return RepairUtf8(result);
  return result;
}

// ICU's CharsetDetector (ucsdet), with its markup filter on so tags do not
// vote. Returns an ICU converter name, or "" when it has no opinion.
std::string DetectCharset(std::string_view bytes) {
  UErrorCode status = U_ZERO_ERROR;
  UCharsetDetector* detector = ucsdet_open(&status);
  if (U_FAILURE(status)) return "";
  std::string_view sample = bytes.substr(0, kDetectorSampleBytes);
  ucsdet_enableInputFilter(detector, true);
  ucsdet_setText(detector, sample.data(), static_cast<int32_t>(sample.size()), &status);
  std::string name;
  if (U_SUCCESS(status)) {
    const UCharsetMatch* match = ucsdet_detect(detector, &status);
    if (U_SUCCESS(status) && match != nullptr) {
      const char* n = ucsdet_getName(match, &status);
      int32_t confidence = ucsdet_getConfidence(match, &status);
      if (U_SUCCESS(status) && n != nullptr && confidence >= 10) name = LowerTrim(n);
    }
  }
  ucsdet_close(detector);
  return name;
}

Result<std::string> DecodeWithLabel(std::string_view bytes, std::string_view label) {
  ConverterPtr from = OpenConverter(BrowserEncodingName(label));
  if (from == nullptr) return MakeError(ErrorCode::kUnsupported, "unknown charset");
  return ConvertWith(from.get(), bytes);
}

Result<std::string> DecodeByDetection(std::string_view bytes) {
  std::string detected = DetectCharset(bytes);
  // The detector likes UTF-16/32 for short or binary-looking input. Text in
  // those encodings without a byte order mark, on a web page whose markup
  // is ASCII, always holds NUL bytes; without them the guess is wrong.
  if ((detected.starts_with("utf-16") || detected.starts_with("utf-32")) &&
      bytes.find('\0') == std::string_view::npos) {
    detected.clear();
  }
  if (detected.empty() || IsUtf8Label(detected)) {
    // Mostly UTF-8 with a few broken bytes, or no opinion: browsers in
    // Western locales fall back to windows-1252 for undeclared non-UTF-8.
    if (detected.empty()) detected = "windows-1252";
    else return RepairUtf8(bytes);
  }
  Result<std::string> decoded = DecodeWithLabel(bytes, detected);
  if (decoded) return decoded;
  return DecodeWithLabel(bytes, "windows-1252");
}

}  // namespace

std::string CharsetFromContentType(std::string_view content_type) {
  std::string lower(content_type);
  for (char& c : lower) c = AsciiLower(c);
  std::size_t pos = lower.find("charset");
  if (pos == std::string::npos) return "";
  return CharsetValueAt(lower, pos);
}

std::string SniffMetaCharset(std::string_view html) {
  std::string head(html.substr(0, kMetaPrescanBytes));
  for (char& c : head) c = AsciiLower(c);
  std::size_t pos = 0;
  while ((pos = head.find("<meta", pos)) != std::string::npos) {
    std::size_t end = head.find('>', pos);
    if (end == std::string::npos) end = head.size();
    std::string_view tag = std::string_view(head).substr(pos, end - pos);
    std::size_t cs = tag.find("charset");
    while (cs != std::string_view::npos) {
      std::string value = CharsetValueAt(tag, cs);
      if (!value.empty()) return value;
      cs = tag.find("charset", cs + 7);
    }
    pos = end;
  }
  return "";
}

bool IsValidUtf8(std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const unsigned char* end = p + bytes.size();
  while (p < end) {
    // ASCII fast path, eight bytes at a time.
    if (end - p >= 8) {
      std::uint64_t word;
      std::memcpy(&word, p, 8);
      if ((word & 0x8080808080808080ULL) == 0) {
        p += 8;
        continue;
      }
    }
    unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int len;
    std::uint32_t min;
    std::uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2, min = 0x80, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, min = 0x800, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, min = 0x10000, cp = c & 0x07;
    } else {
      return false;
    }
    if (end - p < len) return false;
    for (int i = 1; i < len; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    p += len;
  }
  return true;
}

std::string RepairUtf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + 16);
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const unsigned char* end = p + bytes.size();
  while (p < end) {
    unsigned char c = *p;
    if (c < 0x80) {
      out += static_cast<char>(c);
      ++p;
      continue;
    }
    int len = 0;
    std::uint32_t min = 0;
    std::uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
      len = 2, min = 0x80, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, min = 0x800, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, min = 0x10000, cp = c & 0x07;
    }
    bool ok = len > 0 && end - p >= len;
    for (int i = 1; ok && i < len; ++i) {
      if ((p[i] & 0xC0) != 0x80) ok = false;
      else cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (ok && (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))) ok = false;
    if (ok) {
      out.append(reinterpret_cast<const char*>(p), static_cast<std::size_t>(len));
      p += len;
    } else {
      // One replacement per bad lead byte; continuation bytes that follow
      // get their own, as the WHATWG decoder's "maximal subpart" rule would
      // mostly do.
      out += "\xEF\xBF\xBD";
      ++p;
    }
  }
  return out;
}

Result<std::string> DecodeToUtf8(std::string_view bytes, std::string_view declared_charset) {
  if (bytes.size() > kMaxDecodeBytes) {
    return MakeError(ErrorCode::kInvalidInput, "page larger than 1 GiB");
  }
  // A byte order mark beats every declaration (HTML's encoding sniffing).
  if (bytes.starts_with("\xEF\xBB\xBF")) {
    bytes.remove_prefix(3);
    return IsValidUtf8(bytes) ? std::string(bytes) : RepairUtf8(bytes);
  }
  if (bytes.starts_with("\xFF\xFE")) return DecodeWithLabel(bytes.substr(2), "utf-16le");
  if (bytes.starts_with("\xFE\xFF")) return DecodeWithLabel(bytes.substr(2), "utf-16be");

  std::string label = LowerTrim(declared_charset);
  bool valid_utf8 = IsValidUtf8(bytes);
  if (label.empty() || IsUtf8Label(label)) {
    if (valid_utf8) return std::string(bytes);
    return DecodeByDetection(bytes);
  }
  if (label.starts_with("utf-16") || label.starts_with("utf16")) {
    // A page that can declare UTF-16 in ASCII <meta> bytes is not UTF-16;
    // HTML says to read it as UTF-8.
    if (valid_utf8) return std::string(bytes);
    return DecodeByDetection(bytes);
  }
  if (valid_utf8 && !IsSevenBitStateful(label)) {
    // Pure ASCII reads the same in every ASCII-compatible code page; and
    // legacy single/double-byte text is almost never well-formed multi-byte
    // UTF-8 by accident, so well-formed UTF-8 means the label is wrong.
    return std::string(bytes);
  }
  Result<std::string> decoded = DecodeWithLabel(bytes, label);
  if (decoded) return decoded;
  return DecodeByDetection(bytes);
}

}  // namespace storyline::html
