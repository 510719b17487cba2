#include "clean/line_text.h"

#include <cstring>

#include "core/trim.h"

namespace storyline::clean::internal {
namespace {

using storyline::internal::Fnv1a64;
using storyline::internal::kFnvOffset;
using storyline::internal::kFnvPrime;

// Base letters of U+00C0..U+017F, lower-case, accents removed ('*' marks
// the two symbols × and ÷). Ligatures and special letters keep one letter
// (æ -> a, ß -> s): the fold only has to be consistent, not readable.
constexpr char kLatinFold[] =
    "aaaaaaaceeeeiiiidnooooo*ouuuuytsaaaaaaaceeeeiiiidnooooo*ouuuuyty"
    "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiiijjkkkllllllllll"
    "nnnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";
static_assert(sizeof(kLatinFold) == 0x180 - 0xC0 + 1);

// 1 where the code point U+00C0 + i is a capital.
constexpr char kLatinUpper[] =
    "1111111111111111111111101111111000000000000000000000000000000000"
    "1010101010101010101010101010101010101010101010101010101001010101"
    "0101010100101010101010101010101010101010101010101010101011010100";
static_assert(sizeof(kLatinUpper) == 0x180 - 0xC0 + 1);

enum class Kind { kSpace, kLetter, kDigit, kMark, kPunct };

struct CodePoint {
  char32_t cp = 0;
  int length = 1;
};

CodePoint Decode(std::string_view s, std::size_t i) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  if (c < 0x80) return {c, 1};
  std::size_t left = s.size() - i;
  if (c >= 0xC2 && c <= 0xDF && left >= 2 && (b(i + 1) & 0xC0) == 0x80) {
    return {static_cast<char32_t>(((c & 0x1F) << 6) | (b(i + 1) & 0x3F)), 2};
  }
  if (c >= 0xE0 && c <= 0xEF && left >= 3 && (b(i + 1) & 0xC0) == 0x80 &&
      (b(i + 2) & 0xC0) == 0x80) {
    return {static_cast<char32_t>(((c & 0x0F) << 12) | ((b(i + 1) & 0x3F) << 6) |
                                  (b(i + 2) & 0x3F)),
            3};
  }
  if (c >= 0xF0 && c <= 0xF4 && left >= 4 && (b(i + 1) & 0xC0) == 0x80 &&
      (b(i + 2) & 0xC0) == 0x80 && (b(i + 3) & 0xC0) == 0x80) {
    return {static_cast<char32_t>(((c & 0x07) << 18) | ((b(i + 1) & 0x3F) << 12) |
                                  ((b(i + 2) & 0x3F) << 6) | (b(i + 3) & 0x3F)),
            4};
  }
  return {0xFFFD, 1};  // ill-formed: one byte, treated as punctuation
}

bool IsSpace(char32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == '\v' ||
         cp == '\f' || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200D) ||
         cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
         cp == 0x2060 || cp == 0x3000 || cp == 0xFEFF || cp == 0xAD;
}

Kind Classify(char32_t cp) {
  if (IsSpace(cp)) return Kind::kSpace;
  if (cp < 0x80) {
    if ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') return Kind::kLetter;
    if (cp >= '0' && cp <= '9') return Kind::kDigit;
    return Kind::kPunct;
  }
  if (cp < 0xC0) return (cp == 0xAA || cp == 0xBA || cp == 0xB5) ? Kind::kLetter : Kind::kPunct;
  if (cp == 0xD7 || cp == 0xF7) return Kind::kPunct;
  if (cp >= 0x0300 && cp <= 0x036F) return Kind::kMark;
  if (cp >= 0x02B0 && cp <= 0x02FF) return Kind::kPunct;  // modifier letters: ʼ ˮ
  if ((cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x2E00 && cp <= 0x2E7F) ||
      (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
      (cp >= 0xFF01 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
      (cp >= 0x1F000 && cp <= 0x1FAFF) || cp == 0xFFFD) {
    return Kind::kPunct;
  }
  return Kind::kLetter;  // any other script: part of a word
}

// Lower-cases what we know how to; returns whether cp was a capital.
char32_t Lower(char32_t cp, bool* upper) {
  *upper = false;
  if (cp < 0x80) {
    if (cp >= 'A' && cp <= 'Z') {
      *upper = true;
      return cp + 0x20;
    }
    return cp;
  }
  if (cp >= 0xC0 && cp < 0x180) {
    *upper = kLatinUpper[cp - 0xC0] == '1';
    return static_cast<char32_t>(kLatinFold[cp - 0xC0]);
  }
  if ((cp >= 0x391 && cp <= 0x3A9) || (cp >= 0x410 && cp <= 0x42F)) {
    *upper = true;
    return cp + 0x20;
  }
  if (cp >= 0x400 && cp <= 0x40F) {
    *upper = true;
    return cp + 0x50;
  }
  return cp;
}

inline std::uint64_t FnvByte(std::uint64_t h, unsigned char c) {
  return (h ^ c) * kFnvPrime;
}

std::uint64_t FnvCodePoint(std::uint64_t h, char32_t cp) {
  if (cp < 0x80) return FnvByte(h, static_cast<unsigned char>(cp));
  // Any injective byte form will do; use the code point's 3 low bytes.
  h = FnvByte(h, static_cast<unsigned char>(0x80 | ((cp >> 16) & 0x7F)));
  h = FnvByte(h, static_cast<unsigned char>((cp >> 8) & 0xFF));
  return FnvByte(h, static_cast<unsigned char>(cp & 0xFF));
}

bool IsCloser(char32_t cp) {
  return cp == ')' || cp == ']' || cp == '"' || cp == '\'' || cp == 0xBB ||
         cp == 0x201D || cp == 0x2019 || cp == 0x203A || cp == 0x201C;
}

bool IsQuoteCloser(char32_t cp) { return cp == '"' || cp == 0xBB || cp == 0x201D || cp == 0x201C; }

bool IsSeparatorMark(char32_t cp) {
  return cp == 0x203A || cp == 0xBB || cp == '>' || cp == 0xB7 || cp == 0x2022 ||
         cp == 0x25BA || cp == 0x25B6 || cp == 0x2192;
}

bool IsDash(char32_t cp) { return cp == '-' || (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212; }

bool LooksLikeHost(std::string_view t) {
  // "237online.com", "www.example.co.uk", "https://x.org/path": no spaces,
  // a dot, and a final label of 2-6 ASCII letters (after any path).
  if (t.empty() || t.size() > 120) return false;
  for (char c : t) {
    if (c == ' ' || c == '\t') return false;
  }
  if (t.substr(0, 4) == "http") return true;
  std::size_t slash = t.find('/');
  std::string_view host = t.substr(0, slash);
  std::size_t dot = host.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return false;
  std::string_view tld = host.substr(dot + 1);
  if (tld.size() < 2 || tld.size() > 6) return false;
  for (char c : tld) {
    if ((c | 0x20) < 'a' || (c | 0x20) > 'z') return false;
  }
  return true;
}

}  // namespace

std::string_view TrimSpaces(std::string_view s) { return storyline::internal::TrimLineSpaces(s); }

std::uint64_t HashBytes(std::string_view bytes) { return Mix64(Fnv1a64(bytes)); }

std::uint64_t CombineKey(std::uint64_t key, std::uint64_t word_hash) {
  std::uint64_t k = Mix64(key * 31 + word_hash + 0x9e3779b97f4a7c15ULL);
  return k == 0 ? 1 : k;
}

void ScanLine(std::string_view line, LineScan* out) {
  LineScan& s = *out;
  s.words.clear();
  s.key = 0;
  s.letters = s.upper_letters = s.digits = s.code_points = 0;
  s.pipes = s.separators = s.slashes = 0;
  s.blank = true;
  s.has_copyright = s.has_url = s.has_email = s.domain_only = false;
  s.ends_sentence = s.ends_question = s.ends_quote = s.ends_colon = s.ends_comma = false;
  s.ends_star = s.ends_dash = s.ends_paren = s.starts_symbol = false;

  bool in_word = false;
  Word word;
  std::uint64_t h = kFnvOffset;
  int word_letters = 0;
  int word_upper = 0;
  char32_t last_visible = 0;     // last non-space code point
  char32_t last_core = 0;        // last non-space, non-closer code point
  char32_t pending_punct = 0;    // last punctuation since the previous word
  bool first_visible = true;
  bool prev_at_sign = false;

  auto finish_word = [&](std::uint32_t end) {
    if (!in_word) return;
    word.end = end;
    word.hash = Mix64(h);
    if (word_letters > 0) word.flags |= kHasLetter;
    if (word_letters > 0 && word_upper == word_letters) word.flags |= kAllUpper;
    s.words.push_back(word);
    s.key = CombineKey(s.key, word.hash);
    in_word = false;
  };

  std::size_t i = 0;
  while (i < line.size()) {
    CodePoint d = Decode(line, i);
    Kind kind = Classify(d.cp);
    auto pos = static_cast<std::uint32_t>(i);
    i += static_cast<std::size_t>(d.length);
    if (kind == Kind::kSpace) {
      finish_word(pos);
      continue;
    }
    s.blank = false;
    ++s.code_points;
    if (first_visible) {
      s.starts_symbol = kind == Kind::kPunct;
      first_visible = false;
    }
    last_visible = d.cp;
    if (!IsCloser(d.cp)) last_core = d.cp;
    if (kind == Kind::kMark) continue;  // combining accents fold away
    if (kind == Kind::kLetter || kind == Kind::kDigit) {
      if (!in_word) {
        in_word = true;
        word = Word{};
        word.begin = pos;
        h = kFnvOffset;
        word_letters = word_upper = 0;
        if (pending_punct == '(') word.flags |= kParenBefore;
        if (pending_punct == '/') word.flags |= kSlashNear;
        if (prev_at_sign && !s.words.empty()) s.has_email = true;
      }
      pending_punct = 0;
      prev_at_sign = false;
      if (kind == Kind::kDigit) {
        ++s.digits;
        word.flags |= kHasDigit;
        h = FnvByte(h, static_cast<unsigned char>(d.cp));
      } else {
        bool upper = false;
        char32_t lower = Lower(d.cp, &upper);
        ++s.letters;
        ++word_letters;
        if (upper) {
          ++s.upper_letters;
          ++word_upper;
          if (word_letters == 1) word.flags |= kUpperInitial;
        }
        h = FnvCodePoint(h, lower);
      }
      continue;
    }
    // Punctuation.
    bool was_in_word = in_word;
    finish_word(pos);
    pending_punct = d.cp;
    prev_at_sign = d.cp == '@' && was_in_word;
    if (!s.words.empty() && (pos == s.words.back().end || TrimSpaces(line.substr(
                                 s.words.back().end, pos - s.words.back().end)).empty())) {
      if (d.cp == ':') s.words.back().flags |= kColonAfter;
      if (d.cp == '/') s.words.back().flags |= kSlashNear;
    }
    if (d.cp == '|') ++s.pipes;
    if (d.cp == '/') ++s.slashes;
    if (d.cp == 0xA9) s.has_copyright = true;
    // A mark between words separates links ("World › Europe"); a bullet
    // opening the line only starts a list item.
    if (IsSeparatorMark(d.cp) && !s.words.empty()) ++s.separators;
  }
  finish_word(static_cast<std::uint32_t>(line.size()));

  if (s.blank) return;
  s.ends_sentence = last_core == '.' || last_core == '!' || last_core == '?' || last_core == 0x2026;
  s.ends_question = last_core == '?' || last_core == '!';
  s.ends_quote = IsQuoteCloser(last_visible);
  s.ends_colon = last_visible == ':';
  s.ends_comma = last_visible == ',' || last_visible == ';';
  s.ends_star = last_visible == '*';
  s.ends_dash = IsDash(last_visible);
  s.ends_paren = last_visible == ')';
  std::string_view trimmed = TrimSpaces(line);
  s.has_url = trimmed.find("://") != std::string_view::npos ||
              trimmed.find("www.") != std::string_view::npos;
  s.domain_only = LooksLikeHost(trimmed);
}

std::uint64_t HashWord(std::string_view folded) { return Mix64(Fnv1a64(folded)); }

std::vector<std::uint64_t> WordHashes(std::string_view text) {
  LineScan scan;
  ScanLine(text, &scan);
  std::vector<std::uint64_t> hashes;
  hashes.reserve(scan.words.size());
  for (const Word& w : scan.words) hashes.push_back(w.hash);
  return hashes;
}

}  // namespace storyline::clean::internal
