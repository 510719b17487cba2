#include "storyline/text/normalize.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <mutex>

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

#include "text/icu_status.h"
#include "text/utf8.h"

namespace storyline::text {
namespace {

using internal::AppendUtf8;
using internal::DecodeUtf8;
using internal::DecodeValidUtf8;
using internal::EncodeUtf8;

// What a normalised code point becomes in the output.
enum class CharClass : std::uint8_t {
  kKeep,     // copied
  kSpace,    // joins a run of whitespace that collapses to one space
  kNewline,  // as kSpace, but marks the run as containing a line break
  kDrop,     // deleted (control characters)
};

// One form for the punctuation that news sites spell in many ways. Applied
// after NFKC, so compatibility variants (fullwidth, small forms) that NFKC
// maps onto these code points are unified too.
char32_t UnifyPunctuation(char32_t c) {
  switch (c) {
    case 0x2018: case 0x2019: case 0x201A: case 0x201B:  // ‘ ’ ‚ ‛
    case 0x02BC:                                          // ʼ modifier apostrophe
      return U'\'';
    case 0x201C: case 0x201D: case 0x201E: case 0x201F:  // “ ” „ ‟
    case 0x00AB: case 0x00BB:                            // « »
    case 0x2039: case 0x203A:                            // ‹ ›
      return U'"';
    case 0x2010: case 0x2011: case 0x2012: case 0x2013:  // ‐ ‑ ‒ –
    case 0x2014: case 0x2015:                            // — ―
    case 0x2212:                                          // − minus sign
    case 0x2E3A: case 0x2E3B:                            // ⸺ ⸻
      return U'-';
    default:
      return c;
  }
}

CharClass Classify(char32_t c) {
  if (c < 0x80) {
    if (c == ' ' || c == '\t') return CharClass::kSpace;
    if (c == '\n' || c == '\r' || c == '\v' || c == '\f') {
      return CharClass::kNewline;
    }
    if (c < 0x20 || c == 0x7F) return CharClass::kDrop;
    return CharClass::kKeep;
  }
  if (c == 0x85 || c == 0x2028 || c == 0x2029) return CharClass::kNewline;
  if (u_isUWhiteSpace(static_cast<UChar32>(c))) return CharClass::kSpace;
  if (u_charType(static_cast<UChar32>(c)) == U_CONTROL_CHAR) {
    return CharClass::kDrop;
  }
  return CharClass::kKeep;
}

// Collects output bytes, collapsing whitespace lazily: a run of whitespace
// is written only when something follows it, so there is none at either end.
// kOffsets selects whether the source map is kept (NormalizeLine skips it).
template <bool kOffsets>
class Sink {
 public:
  Sink(std::string* text, std::vector<std::uint32_t>* source,
       bool keep_newlines)
      : text_(text), source_(source), keep_newlines_(keep_newlines) {}

  void Space(std::uint32_t src, bool newline) {
    if (!pending_space_) {
      pending_space_ = true;
      space_source_ = src;
    }
    pending_newline_ |= newline;
  }

  void Byte(char b, std::uint32_t src) {
    FlushSpace();
    text_->push_back(b);
    if constexpr (kOffsets) source_->push_back(src);
  }

  void Bytes(const char* p, std::size_t n, std::uint32_t src) {
    FlushSpace();
    text_->append(p, n);
    if constexpr (kOffsets) source_->insert(source_->end(), n, src);
  }

  // Emits an already-normalised code point.
  void CodePoint(char32_t c, std::uint32_t src) {
    switch (Classify(c)) {
      case CharClass::kKeep: {
        char buf[4];
        Bytes(buf, static_cast<std::size_t>(EncodeUtf8(c, buf)), src);
        break;
      }
      case CharClass::kSpace:
        Space(src, false);
        break;
      case CharClass::kNewline:
        Space(src, true);
        break;
      case CharClass::kDrop:
        break;
    }
  }

 private:
  void FlushSpace() {
    if (!pending_space_) return;
    pending_space_ = false;
    if (!text_->empty()) {
      text_->push_back(keep_newlines_ && pending_newline_ ? '\n' : ' ');
      if constexpr (kOffsets) source_->push_back(space_source_);
    }
    pending_newline_ = false;
  }

  std::string* text_;
  std::vector<std::uint32_t>* source_;
  bool keep_newlines_;
  bool pending_space_ = false;
  bool pending_newline_ = false;
  std::uint32_t space_source_ = 0;
};

// Normalises one segment (a code point with boundary-before plus the code
// points that may combine with it) through ICU, then applies our own
// unification. Slow: used for multi-code-point segments, for code points
// outside the precomputed table, and to build that table.
template <typename EmitFn>
UErrorCode NormalizeSegmentSlow(const icu::Normalizer2& norm, bool case_fold,
                                std::string_view segment, EmitFn&& emit) {
  UErrorCode ec = U_ZERO_ERROR;
  icu::UnicodeString src = icu::UnicodeString::fromUTF8(
      icu::StringPiece(segment.data(), static_cast<std::int32_t>(segment.size())));
  icu::UnicodeString dst;
  norm.normalize(src, dst, ec);
  if (U_FAILURE(ec)) return ec;
  char32_t previous = 0;
  for (std::int32_t k = 0; k < dst.length(); k = dst.moveIndex32(k, 1)) {
    const auto c = static_cast<char32_t>(dst.char32At(k));
    // Full case folding turns U+0130 "İ" into "i" + U+0307; drop the dot so
    // that "İstanbul" and "Istanbul" meet.
    if (case_fold && c == 0x0307 && previous == U'i') continue;
    emit(UnifyPunctuation(c));
    previous = c;
  }
  return U_ZERO_ERROR;
}

// Precomputed result of normalising a single code point below U+0800 (Latin,
// Greek, Cyrillic, Armenian, Hebrew, Arabic, Syriac, Thaana, NKo), which
// covers nearly every non-ASCII character of European and Arabic news.
struct CodePointEntry {
  std::uint8_t length = 0;  // bytes of output; kSlow when it does not fit
  CharClass cls = CharClass::kKeep;
  char bytes[10] = {};
};
constexpr std::uint8_t kSlow = 0xFF;
constexpr char32_t kTableLimit = 0x800;

struct Tables {
  const icu::Normalizer2* fold = nullptr;     // NFKC_Casefold
  const icu::Normalizer2* no_fold = nullptr;  // NFKC
  std::array<CodePointEntry, kTableLimit> fold_table;
  std::array<CodePointEntry, kTableLimit> no_fold_table;
  UErrorCode status = U_ZERO_ERROR;
};

void FillTable(const icu::Normalizer2& norm, bool case_fold,
               std::array<CodePointEntry, kTableLimit>* table,
               UErrorCode* status) {
  for (char32_t c = 0; c < kTableLimit; ++c) {
    char buf[4];
    const int n = EncodeUtf8(c, buf);
    CodePointEntry entry;
    std::string out;
    bool space = false;
    bool newline = false;
    UErrorCode ec = NormalizeSegmentSlow(
        norm, case_fold, std::string_view(buf, static_cast<std::size_t>(n)),
        [&](char32_t d) {
          switch (Classify(d)) {
            case CharClass::kKeep: AppendUtf8(d, &out); break;
            case CharClass::kSpace: space = true; break;
            case CharClass::kNewline: newline = true; break;
            case CharClass::kDrop: break;
          }
        });
    if (U_FAILURE(ec)) {
      *status = ec;
      return;
    }
    if (!out.empty() && (space || newline)) {
      entry.length = kSlow;  // mixed output: let the slow path emit it
    } else if (newline) {
      entry.cls = CharClass::kNewline;
    } else if (space) {
      entry.cls = CharClass::kSpace;
    } else if (out.empty()) {
      entry.cls = CharClass::kDrop;
    } else if (out.size() > sizeof(entry.bytes)) {
      entry.length = kSlow;
    } else {
      entry.length = static_cast<std::uint8_t>(out.size());
      std::memcpy(entry.bytes, out.data(), out.size());
    }
    (*table)[c] = entry;
  }
}

const Tables& GetTables() {
  static const Tables* tables = [] {
    auto* t = new Tables();
    UErrorCode ec = U_ZERO_ERROR;
    t->fold = icu::Normalizer2::getNFKCCasefoldInstance(ec);
    if (U_SUCCESS(ec)) t->no_fold = icu::Normalizer2::getNFKCInstance(ec);
    if (U_FAILURE(ec)) {
      t->status = ec;
      return t;
    }
    FillTable(*t->fold, true, &t->fold_table, &t->status);
    if (U_SUCCESS(t->status)) {
      FillTable(*t->no_fold, false, &t->no_fold_table, &t->status);
    }
    return t;
  }();
  return *tables;
}

Error InvalidUtf8Error(std::string_view text, std::size_t offset) {
  std::string message = "invalid UTF-8 at byte " + std::to_string(offset) + " (";
  static constexpr char kHex[] = "0123456789abcdef";
  for (std::size_t k = offset; k < text.size() && k < offset + 4; ++k) {
    const auto b = static_cast<unsigned char>(text[k]);
    if (k > offset) message += ' ';
    message += "0x";
    message += kHex[b >> 4];
    message += kHex[b & 0xF];
  }
  message += ')';
  return Error{ErrorCode::kInvalidInput, std::move(message)};
}

bool IsAsciiWord(const char* p) {
  std::uint64_t w;
  std::memcpy(&w, p, sizeof(w));
  return (w & 0x8080808080808080ull) == 0;
}

// The shared normalisation loop. Walks the input by normalisation segment
// (ICU's hasBoundaryBefore), so that a base letter and the combining marks
// that follow it are normalised together and NFD input composes exactly like
// NFC input. ASCII and single code points below U+0800 take table lookups;
// everything else goes through ICU.
template <bool kOffsets>
Status NormalizeImpl(std::string_view in, const NormalizeOptions& options,
                     std::string* text, std::vector<std::uint32_t>* source) {
  text->clear();
  if constexpr (kOffsets) source->clear();
  if (in.size() >= kMaxTextBytes) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "text of " + std::to_string(in.size()) +
                         " bytes exceeds the 2 GiB limit");
  }
  const Tables& tables = GetTables();
  if (U_FAILURE(tables.status)) {
    return tl::unexpected(internal::IcuError("normaliser data", tables.status));
  }
  const icu::Normalizer2& norm =
      options.case_fold ? *tables.fold : *tables.no_fold;
  const auto& table = options.case_fold ? tables.fold_table : tables.no_fold_table;

  text->reserve(in.size() + 16);
  if constexpr (kOffsets) source->reserve(in.size() + 17);
  Sink<kOffsets> sink(text, source, options.keep_newlines);
  const std::size_t n = in.size();
  std::size_t i = 0;
  while (i < n) {
    const auto b = static_cast<unsigned char>(in[i]);
    // ASCII run fast path: letters, digits and punctuation not followed by a
    // combining mark are final after lower-casing.
    if (b < 0x80 && (i + 1 == n || static_cast<unsigned char>(in[i + 1]) < 0x80)) {
      const auto src = static_cast<std::uint32_t>(i);
      if (b > 0x20 && b < 0x7F) {
        char c = static_cast<char>(b);
        if (options.case_fold && b >= 'A' && b <= 'Z') {
          c = static_cast<char>(b + ('a' - 'A'));
        }
        sink.Byte(c, src);
      } else {
        switch (Classify(b)) {
          case CharClass::kSpace: sink.Space(src, false); break;
          case CharClass::kNewline: sink.Space(src, true); break;
          default: break;  // kDrop; kKeep is handled above
        }
      }
      ++i;
      continue;
    }
    // General path: one normalisation segment.
    const std::size_t start = i;
    char32_t cp;
    int len = DecodeUtf8(in, i, &cp);
    if (len < 0) return tl::unexpected(InvalidUtf8Error(in, i));
    i += static_cast<std::size_t>(len);
    bool single = true;
    while (i < n && static_cast<unsigned char>(in[i]) >= 0x80) {
      char32_t next;
      const int next_len = DecodeUtf8(in, i, &next);
      if (next_len < 0) return tl::unexpected(InvalidUtf8Error(in, i));
      if (norm.hasBoundaryBefore(static_cast<UChar32>(next))) break;
      single = false;
      i += static_cast<std::size_t>(next_len);
    }
    const auto src = static_cast<std::uint32_t>(start);
    if (single) {
      if (cp < kTableLimit) {
        const CodePointEntry& e = table[cp];
        if (e.length != kSlow) {
          switch (e.cls) {
            case CharClass::kKeep: sink.Bytes(e.bytes, e.length, src); break;
            case CharClass::kSpace: sink.Space(src, false); break;
            case CharClass::kNewline: sink.Space(src, true); break;
            case CharClass::kDrop: break;
          }
          continue;
        }
      } else {
        const char32_t unified = UnifyPunctuation(cp);
        if (unified != cp) {
          sink.Byte(static_cast<char>(unified), src);
          continue;
        }
        // Inert code points (most of CJK, Thai, Devanagari, symbols, emoji)
        // are unchanged by NFKC_Casefold and combine with nothing.
        if (norm.isInert(static_cast<UChar32>(cp)) &&
            Classify(cp) == CharClass::kKeep) {
          sink.Bytes(in.data() + start, i - start, src);
          continue;
        }
      }
    }
    const UErrorCode ec = NormalizeSegmentSlow(
        norm, options.case_fold, in.substr(start, i - start),
        [&](char32_t c) { sink.CodePoint(c, src); });
    if (U_FAILURE(ec)) {
      text->clear();
      if constexpr (kOffsets) source->clear();
      return tl::unexpected(internal::IcuError("normalize", ec));
    }
  }
  if constexpr (kOffsets) source->push_back(static_cast<std::uint32_t>(n));
  return Ok();
}

}  // namespace

ByteSpan NormalizedText::ToOriginal(std::size_t begin, std::size_t end) const {
  if (text.empty() || begin >= end || end > text.size()) {
    const std::uint32_t at =
        source.empty() ? 0 : source[std::min(begin, source.size() - 1)];
    return {at, at};
  }
  // Extend past bytes that share the last byte's source character, so that
  // a span ending inside an expansion ("½" -> "1⁄2") covers all of it.
  std::size_t j = end;
  const std::uint32_t last = source[end - 1];
  while (j < text.size() && source[j] == last) ++j;
  return {source[begin], source[j]};
}

Status NormalizeInto(std::string_view text, const NormalizeOptions& options,
                     NormalizedText* out) {
  Status s = NormalizeImpl<true>(text, options, &out->text, &out->source);
  if (!s) {
    out->text.clear();
    out->source.clear();
  }
  return s;
}

Result<NormalizedText> Normalize(std::string_view text,
                                 const NormalizeOptions& options) {
  NormalizedText out;
  Status s = NormalizeInto(text, options, &out);
  if (!s) return tl::unexpected(std::move(s.error()));
  return out;
}

Result<std::string> NormalizeLine(std::string_view text) {
  std::string out;
  Status s = NormalizeImpl<false>(text, NormalizeOptions{}, &out, nullptr);
  if (!s) return tl::unexpected(std::move(s.error()));
  return out;
}

std::string FoldAccents(std::string_view text) {
  Result<std::string> normalized = NormalizeLine(SanitizeUtf8(text));
  if (!normalized) return std::string();  // only when ICU data is missing
  UErrorCode ec = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(ec);
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(ec);
  if (U_FAILURE(ec)) return *normalized;
  icu::UnicodeString decomposed;
  nfd->normalize(icu::UnicodeString::fromUTF8(*normalized), decomposed, ec);
  if (U_FAILURE(ec)) return *normalized;
  icu::UnicodeString stripped;
  for (std::int32_t k = 0; k < decomposed.length();
       k = decomposed.moveIndex32(k, 1)) {
    const UChar32 c = decomposed.char32At(k);
    // Diacritics proper are nonspacing marks of the Inherited script (the
    // combining block U+0300.., Arabic harakat); marks that belong to one
    // script (Thai, Devanagari vowel signs) spell sounds and are kept.
    if (u_charType(c) == U_NON_SPACING_MARK) {
      UErrorCode script_ec = U_ZERO_ERROR;
      if (uscript_getScript(c, &script_ec) == USCRIPT_INHERITED) continue;
    }
    switch (c) {
      case 0x00F8: stripped.append(UChar32{'o'}); break;             // ø
      case 0x0142: stripped.append(UChar32{'l'}); break;             // ł
      case 0x0111: case 0x00F0: stripped.append(UChar32{'d'}); break;  // đ ð
      case 0x0131: stripped.append(UChar32{'i'}); break;             // ı
      case 0x00E6: stripped.append(u"ae", 2); break;                 // æ
      case 0x0153: stripped.append(u"oe", 2); break;                 // œ
      case 0x00DF: stripped.append(u"ss", 2); break;                 // ß
      case 0x00FE: stripped.append(u"th", 2); break;                 // þ
      default: stripped.append(c);
    }
  }
  icu::UnicodeString composed;
  nfc->normalize(stripped, composed, ec);
  if (U_FAILURE(ec)) return *normalized;
  std::string out;
  composed.toUTF8String(out);
  return out;
}

Result<std::string> ToLatin(std::string_view text) {
  Result<std::string> normalized = NormalizeLine(text);
  if (!normalized) return normalized;
  // Creating a compound transliterator parses rules (milliseconds); keep one
  // per thread since Transliterator::transliterate is not const-safe.
  thread_local std::unique_ptr<icu::Transliterator> transliterator;
  if (!transliterator) {
    UErrorCode ec = U_ZERO_ERROR;
    transliterator.reset(icu::Transliterator::createInstance(
        "Any-Latin; Latin-ASCII; Lower", UTRANS_FORWARD, ec));
    if (U_FAILURE(ec) || !transliterator) {
      transliterator.reset();
      return tl::unexpected(internal::IcuError("Any-Latin transform", ec));
    }
  }
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(*normalized);
  transliterator->transliterate(u);
  std::string out;
  u.toUTF8String(out);
  return out;
}

std::size_t FindInvalidUtf8(std::string_view text) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    if (i + 8 <= n && IsAsciiWord(text.data() + i)) {
      i += 8;
      continue;
    }
    char32_t cp;
    const int len = DecodeUtf8(text, i, &cp);
    if (len < 0) return i;
    i += static_cast<std::size_t>(len);
  }
  return n;
}

Status ValidateUtf8(std::string_view text) {
  const std::size_t bad = FindInvalidUtf8(text);
  if (bad == text.size()) return Ok();
  return tl::unexpected(InvalidUtf8Error(text, bad));
}

std::string SanitizeUtf8(std::string_view text) {
  std::size_t bad = FindInvalidUtf8(text);
  if (bad == text.size()) return std::string(text);
  std::string out(text.substr(0, bad));
  out.reserve(text.size() + 8);
  std::size_t i = bad;
  while (i < text.size()) {
    char32_t cp;
    const int len = DecodeUtf8(text, i, &cp);
    if (len < 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      i += static_cast<std::size_t>(-len);
    } else {
      out.append(text.data() + i, static_cast<std::size_t>(len));
      i += static_cast<std::size_t>(len);
    }
  }
  return out;
}

}  // namespace storyline::text
