#include "storyline/text/tokenizer.h"

#include <algorithm>
#include <array>
#include <string>
#include <utility>
#include <vector>

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utext.h>

#include "text/icu_status.h"
#include "text/utf8.h"

namespace storyline::text {
namespace {

using internal::DecodeValidUtf8;

// Character classes of the splitter, on normalised text (so apostrophes,
// quotes and dashes have already been unified to ASCII).
enum class Cls : std::uint8_t {
  kSpace,
  kLetter,   // letters and combining marks of space-delimited scripts
  kDigit,
  kNoSpace,  // letters of scripts written without spaces
  kApostrophe,
  kHyphen,
  kDot,
  kComma,
  kOther,    // punctuation, symbols, emoji
};

constexpr std::array<Cls, 128> MakeAsciiClasses() {
  std::array<Cls, 128> t{};
  for (int c = 0; c < 128; ++c) {
    Cls cls = Cls::kOther;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) cls = Cls::kLetter;
    if (c >= '0' && c <= '9') cls = Cls::kDigit;
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' ||
        c == '\v') {
      cls = Cls::kSpace;
    }
    if (c < 0x20 && cls == Cls::kOther) cls = Cls::kSpace;
    if (c == '\'') cls = Cls::kApostrophe;
    if (c == '-') cls = Cls::kHyphen;
    if (c == '.') cls = Cls::kDot;
    if (c == ',') cls = Cls::kComma;
    t[static_cast<std::size_t>(c)] = cls;
  }
  return t;
}
constexpr std::array<Cls, 128> kAsciiClasses = MakeAsciiClasses();

bool IsNoSpaceScriptCode(UScriptCode script) {
  switch (script) {
    case USCRIPT_HAN:
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA:
    case USCRIPT_KATAKANA_OR_HIRAGANA:
    case USCRIPT_THAI:
    case USCRIPT_LAO:
    case USCRIPT_KHMER:
    case USCRIPT_MYANMAR:
      return true;
    default:
      return false;
  }
}

// True for letters and marks of scripts that ICU must segment with its
// dictionaries. Common/Inherited characters count when their
// Script_Extensions include Han or Kana (the prolonged sound mark "ー",
// the kana voicing marks), so that they stay inside the run.
bool IsNoSpaceScript(char32_t c) {
  if (c < 0x0E00) return false;  // below Thai: Latin ... Sinhala, all spaced
  UErrorCode ec = U_ZERO_ERROR;
  const auto uc = static_cast<UChar32>(c);
  const UScriptCode script = uscript_getScript(uc, &ec);
  if (IsNoSpaceScriptCode(script)) return true;
  if (script == USCRIPT_COMMON || script == USCRIPT_INHERITED) {
    return uscript_hasScript(uc, USCRIPT_HAN) ||
           uscript_hasScript(uc, USCRIPT_HIRAGANA) ||
           uscript_hasScript(uc, USCRIPT_KATAKANA);
  }
  return false;
}

Cls Classify(char32_t c) {
  if (c < 0x80) return kAsciiClasses[c];
  switch (u_charType(static_cast<UChar32>(c))) {
    case U_UPPERCASE_LETTER:
    case U_LOWERCASE_LETTER:
    case U_TITLECASE_LETTER:
    case U_MODIFIER_LETTER:
    case U_OTHER_LETTER:
    case U_NON_SPACING_MARK:
    case U_ENCLOSING_MARK:
    case U_COMBINING_SPACING_MARK:
    case U_LETTER_NUMBER:
      return IsNoSpaceScript(c) ? Cls::kNoSpace : Cls::kLetter;
    case U_DECIMAL_DIGIT_NUMBER:
    case U_OTHER_NUMBER:
      return Cls::kDigit;
    case U_SPACE_SEPARATOR:
    case U_LINE_SEPARATOR:
    case U_PARAGRAPH_SEPARATOR:
    case U_CONTROL_CHAR:
      return Cls::kSpace;
    default:
      return Cls::kOther;
  }
}

bool IsWordClass(Cls cls) { return cls == Cls::kLetter || cls == Cls::kDigit; }

// Elided forms that end in an apostrophe, without it: French (l', d', qu',
// jusqu'...), Italian (dell', nell', un'...) and Catalan (l', d', s'...).
// Sorted for binary search.
constexpr std::string_view kElisionPrefixes[] = {
    "all",   "anch", "buon",   "c",      "coll",   "com",
    "d",     "dall", "dell",   "dov",    "j",      "jusqu",  "l",
    "lorsqu", "m",   "n",      "nell",   "nessun", "puisqu", "qu",
    "quell", "quelqu", "quest", "quoiqu", "s",     "sant",   "sull",
    "t",     "tutt", "un",
};

static_assert(std::is_sorted(std::begin(kElisionPrefixes),
                             std::end(kElisionPrefixes)));

bool IsElisionPrefix(std::string_view word) {
  if (word.size() > 7) return false;
  const auto* end = std::end(kElisionPrefixes);
  const auto* it = std::lower_bound(std::begin(kElisionPrefixes), end, word);
  return it != end && *it == word;
}

}  // namespace

struct Tokenizer::Impl {
  TokenizerOptions options;
  NormalizedText normalized;
  std::vector<Token> tokens;
  std::unique_ptr<icu::BreakIterator> word_breaker;  // created on first use
  UText* utext = nullptr;
  UErrorCode icu_status = U_ZERO_ERROR;

  ~Impl() {
    if (utext != nullptr) utext_close(utext);
  }

  void Emit(std::size_t begin, std::size_t end, TokenKind kind,
            bool no_space_script = false) {
    if (kind == TokenKind::kPunct && options.skip_punct) return;
    Token t;
    t.text = std::string_view(normalized.text).substr(begin, end - begin);
    t.span = normalized.ToOriginal(begin, end);
    t.kind = kind;
    t.no_space_script = no_space_script;
    tokens.push_back(t);
  }

  Cls ClassAt(std::size_t i, char32_t* c, int* len) const {
    *len = DecodeValidUtf8(normalized.text, i, c);
    return Classify(*c);
  }

  std::size_t ScanWord(std::size_t i);
  std::size_t ScanNoSpaceRun(std::size_t i);
  void Split();
};

// Scans a word or number starting at i; returns the index after it. The
// connector rules are documented in tokenizer.h.
std::size_t Tokenizer::Impl::ScanWord(std::size_t i) {
  const std::string& s = normalized.text;
  const std::size_t n = s.size();
  std::size_t start = i;
  std::size_t segment = i;  // start of the part after the last '.' or '-'
  bool has_letter = false;
  Cls previous = Cls::kSpace;
  std::size_t j = i;
  while (j < n) {
    // Tight loop over ASCII letters and digits, the bulk of Latin text.
    const auto b = static_cast<unsigned char>(s[j]);
    if (b < 0x80) {
      const Cls ascii = kAsciiClasses[b];
      if (ascii == Cls::kLetter) {
        has_letter = true;
        previous = Cls::kLetter;
        ++j;
        continue;
      }
      if (ascii == Cls::kDigit) {
        previous = Cls::kDigit;
        ++j;
        continue;
      }
    }
    char32_t c;
    int len;
    const Cls cls = ClassAt(j, &c, &len);
    if (cls == Cls::kLetter || cls == Cls::kDigit) {
      has_letter |= cls == Cls::kLetter;
      previous = cls;
      j += static_cast<std::size_t>(len);
      continue;
    }
    // Connectors are single ASCII bytes, so j + 1 starts the next character.
    if (cls != Cls::kApostrophe && cls != Cls::kHyphen && cls != Cls::kDot &&
        cls != Cls::kComma) {
      break;
    }
    if (j + 1 >= n) break;
    char32_t d;
    int dlen;
    const Cls next = ClassAt(j + 1, &d, &dlen);
    if (cls == Cls::kApostrophe && previous == Cls::kLetter &&
        next == Cls::kLetter) {
      if (options.split_elision) {
        if (IsElisionPrefix(std::string_view(s).substr(start, j - start))) {
          Emit(start, j + 1, TokenKind::kWord);  // "l'", "qu'", "dell'"
          start = segment = j + 1;
          has_letter = false;
          ++j;
          continue;
        }
        const std::size_t after = j + 2;
        if (d == U's' && (after >= n || !IsWordClass(ClassAt(after, &c, &len)))) {
          Emit(start, j, has_letter ? TokenKind::kWord : TokenKind::kNumber);
          Emit(j, after, TokenKind::kWord);  // English "'s"
          return after;
        }
      }
      ++j;  // "aujourd'hui", "don't"
      continue;
    }
    if (cls == Cls::kHyphen && IsWordClass(next) && !options.split_hyphens) {
      segment = ++j;
      continue;
    }
    if ((cls == Cls::kDot || cls == Cls::kComma) && previous == Cls::kDigit &&
        next == Cls::kDigit) {
      ++j;  // "3,5", "1.200", "3.5"
      continue;
    }
    if (cls == Cls::kDot && previous == Cls::kLetter && next == Cls::kLetter) {
      // Acronym "u.s.", "e.g.": single letters each followed by a dot.
      char32_t first;
      const bool single_before =
          static_cast<std::size_t>(DecodeValidUtf8(s, segment, &first)) ==
          j - segment;
      const std::size_t after = j + 1 + static_cast<std::size_t>(dlen);
      if (single_before && after < n && s[after] == '.') {
        segment = ++j;
        continue;
      }
    }
    break;
  }
  if (j > start) {
    Emit(start, j, has_letter ? TokenKind::kWord : TokenKind::kNumber);
  }
  return j;
}

// Segments a run of letters of scripts without spaces with ICU's word break
// iterator, which uses its CJK and Southeast Asian dictionaries (UAX #29
// plus dictionary-based segmentation).
std::size_t Tokenizer::Impl::ScanNoSpaceRun(std::size_t i) {
  const std::string& s = normalized.text;
  const std::size_t n = s.size();
  std::size_t j = i;
  while (j < n) {
    char32_t c;
    int len;
    if (ClassAt(j, &c, &len) != Cls::kNoSpace) break;
    j += static_cast<std::size_t>(len);
  }
  UErrorCode ec = U_ZERO_ERROR;
  if (!word_breaker) {
    word_breaker.reset(
        icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), ec));
    if (U_FAILURE(ec) || !word_breaker) {
      icu_status = U_FAILURE(ec) ? ec : U_MEMORY_ALLOCATION_ERROR;
      word_breaker.reset();
      return n;
    }
  }
  utext = utext_openUTF8(utext, s.data() + i,
                         static_cast<std::int64_t>(j - i), &ec);
  word_breaker->setText(utext, ec);
  if (U_FAILURE(ec)) {
    icu_status = ec;
    return n;
  }
  std::int32_t begin = word_breaker->first();
  for (std::int32_t end = word_breaker->next(); end != icu::BreakIterator::DONE;
       begin = end, end = word_breaker->next()) {
    Emit(i + static_cast<std::size_t>(begin), i + static_cast<std::size_t>(end),
         TokenKind::kWord, /*no_space_script=*/true);
  }
  return j;
}

void Tokenizer::Impl::Split() {
  const std::string& s = normalized.text;
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n && U_SUCCESS(icu_status)) {
    char32_t c;
    int len;
    switch (ClassAt(i, &c, &len)) {
      case Cls::kSpace:
        i += static_cast<std::size_t>(len);
        break;
      case Cls::kLetter:
      case Cls::kDigit:
        i = ScanWord(i);
        break;
      case Cls::kNoSpace:
        i = ScanNoSpaceRun(i);
        break;
      default:
        Emit(i, i + static_cast<std::size_t>(len), TokenKind::kPunct);
        i += static_cast<std::size_t>(len);
        break;
    }
  }
}

Tokenizer::Tokenizer(const TokenizerOptions& options)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
}

Tokenizer::~Tokenizer() = default;
Tokenizer::Tokenizer(Tokenizer&&) noexcept = default;
Tokenizer& Tokenizer::operator=(Tokenizer&&) noexcept = default;

Result<std::span<const Token>> Tokenizer::Tokenize(std::string_view text) {
  impl_->tokens.clear();
  impl_->icu_status = U_ZERO_ERROR;
  if (Status s = NormalizeInto(text, NormalizeOptions{}, &impl_->normalized);
      !s) {
    return tl::unexpected(std::move(s.error()));
  }
  impl_->Split();
  if (U_FAILURE(impl_->icu_status)) {
    impl_->tokens.clear();
    return tl::unexpected(
        internal::IcuError("word break iterator", impl_->icu_status));
  }
  return std::span<const Token>(impl_->tokens);
}

const NormalizedText& Tokenizer::normalized() const {
  return impl_->normalized;
}

const TokenizerOptions& Tokenizer::options() const { return impl_->options; }

}  // namespace storyline::text
