#include "storyline/text/sentences.h"

#include <algorithm>
#include <memory>
#include <string>

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>

#include "text/icu_status.h"
#include "text/utf8.h"

namespace storyline::text {
namespace {

// Abbreviations after which news text goes on with a capitalised word (a
// name, a month, a number), so that ICU's "period, space, capital" rule
// wrongly ends a sentence. Case-folded, without the final dot. Words that
// often end real sentences are left out: "etc", "inc", "co", "ltd", "usw",
// "itd", "mar" (Spanish "sea"), "sept" (French "seven"), "no", "est".
// Sorted for binary search.
constexpr std::string_view kAbbreviations[] = {
    "adm",   "approx", "apr",   "art",  "aug",   "av",    "avda",  "avr",
    "avv",   "bd",     "boul",  "bzw",  "ca",    "capt",  "cdt",   "cf",
    "cmdr",  "col",    "dec",   "dept", "dez",   "dott",  "dr",    "dra",
    "déc",   "dña",    "ee.uu", "env",  "feb",   "fig",   "fr",    "fév",
    "févr",  "g",      "ga",    "gen",  "ggf",   "gov",   "gén",   "hon",
    "hr",    "ing",    "jan",   "janv", "jr",    "juil",  "jul",   "jun",
    "lt",    "maj",    "messrs", "mio", "mlle",  "mlles", "mm",    "mme",
    "mmes",  "mr",     "mrd",   "mrs",  "ms",    "mt",    "nov",   "npr",
    "nr",    "núm",    "oct",   "okt",  "on",    "oz",    "pp",    "pr",
    "prof",  "pág",    "rep",   "rev",  "sen",   "sep",   "sgt",   "sig",
    "sig.ra", "sigg",  "sr",    "sra",  "srta",  "st",    "ste",   "str",
    "vgl",   "vol",    "vs",    "г",    "гг",    "им",    "млн",   "млрд",
    "ул",
};

constexpr std::string_view kOrdinalDotLanguages[] = {
    "cs", "da", "de", "et", "fi", "hr", "hu", "lv",
    "nb", "no", "pl", "sk", "sl", "sr",
};

static_assert(std::is_sorted(std::begin(kAbbreviations),
                             std::end(kAbbreviations)));

bool IsAbbreviation(std::string_view word) {
  const auto* end = std::end(kAbbreviations);
  const auto* it = std::lower_bound(std::begin(kAbbreviations), end, word);
  return it != end && *it == word;
}

bool WritesOrdinalsWithDot(std::string_view lang) {
  return std::find(std::begin(kOrdinalDotLanguages),
                   std::end(kOrdinalDotLanguages),
                   lang) != std::end(kOrdinalDotLanguages);
}

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

// True for whitespace at text[i], ASCII or NBSP / narrow NBSP; sets *len.
bool IsSpaceAt(std::string_view text, std::size_t i, std::size_t* len) {
  if (IsAsciiSpace(text[i])) {
    *len = 1;
    return true;
  }
  if (text.substr(i, 2) == "\xC2\xA0") {
    *len = 2;
    return true;
  }
  if (text.substr(i, 3) == "\xE2\x80\xAF") {
    *len = 3;
    return true;
  }
  return false;
}

ByteSpan Trim(std::string_view text, std::size_t begin, std::size_t end) {
  std::size_t len = 0;
  while (begin < end && IsSpaceAt(text, begin, &len)) begin += len;
  while (end > begin) {
    if (IsAsciiSpace(text[end - 1])) {
      --end;
    } else if (end - begin >= 2 && text.substr(end - 2, 2) == "\xC2\xA0") {
      end -= 2;
    } else if (end - begin >= 3 && text.substr(end - 3, 3) == "\xE2\x80\xAF") {
      end -= 3;
    } else {
      break;
    }
  }
  return {static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end)};
}

std::size_t CountCodePoints(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0u) != 0x80u;
  return n;
}

// Decides whether ICU's boundary after `sentence` (trimmed) must go: the
// sentence ends in "<word>." where the word is an abbreviation, an initial,
// an acronym or (for some languages) an ordinal day number.
bool EndsWithNonFinalDot(std::string_view sentence, std::string_view lang) {
  if (sentence.empty() || sentence.back() != '.') return false;
  const std::size_t dot = sentence.size() - 1;
  // The word before the dot: back to whitespace or opening punctuation.
  std::size_t start = dot;
  while (start > 0 && dot - start < 24) {
    const char c = sentence[start - 1];
    if (IsAsciiSpace(c) || c == '(' || c == '[' || c == '"' || c == '\'') {
      break;
    }
    --start;
  }
  if (start == dot) return false;
  std::string_view raw = sentence.substr(start, dot - start);
  Result<std::string> folded = NormalizeLine(raw);
  if (!folded || folded->empty()) return false;
  // NormalizeLine turns NBSP into a space and « “ into '"': keep the part
  // after the last of them.
  std::string_view word = *folded;
  const std::size_t cut = word.find_last_of(" \"'");
  if (cut != std::string_view::npos) {
    word = word.substr(cut + 1);
    raw = raw.substr(raw.size() - std::min(raw.size(), word.size()));
  }
  if (word.empty()) return false;

  if (CountCodePoints(word) == 1) {
    // Initial "J." — only a capital letter, so "à 9 h." still ends.
    char32_t cp = 0;
    std::size_t i = 0;
    while (i < raw.size()) {
      const int len = internal::DecodeUtf8(raw, i, &cp);
      if (len < 0) return false;
      i += static_cast<std::size_t>(len);
    }
    if (u_isUUppercase(static_cast<UChar32>(cp)) != 0) return true;
  }
  if (IsAbbreviation(word)) return true;
  // Acronym: single letters joined by dots ("u.s", "z.b", "т.е").
  if (word.find('.') != std::string_view::npos) {
    bool acronym = true;
    std::size_t pos = 0;
    while (pos <= word.size()) {
      std::size_t next = word.find('.', pos);
      if (next == std::string_view::npos) next = word.size();
      const std::string_view part = word.substr(pos, next - pos);
      char32_t cp = 0;
      if (part.empty() || CountCodePoints(part) != 1 ||
          internal::DecodeUtf8(part, 0, &cp) < 0 ||
          !u_isalpha(static_cast<UChar32>(cp))) {
        acronym = false;
        break;
      }
      pos = next + 1;
    }
    if (acronym) return true;
  }
  if (word.size() <= 2 && WritesOrdinalsWithDot(lang) &&
      std::all_of(word.begin(), word.end(),
                  [](char c) { return c >= '0' && c <= '9'; })) {
    return true;
  }
  return false;
}

// French puts a space before a closing guillemet ("« Nous partons. »"), so
// ICU ends the sentence before the "»". Returns the length of a closing
// quotation mark or bracket that opens `sentence` and is followed by
// whitespace or the end, or 0.
std::size_t LeadingCloser(std::string_view sentence) {
  static constexpr std::string_view kClosers[] = {"\xC2\xBB", "\xE2\x80\x9D",
                                                  "\xE2\x80\xBA", ")"};
  for (std::string_view closer : kClosers) {
    if (!sentence.starts_with(closer)) continue;
    std::size_t len = 0;
    if (sentence.size() == closer.size() ||
        IsSpaceAt(sentence, closer.size(), &len)) {
      return closer.size();
    }
  }
  return 0;
}

struct ThreadIterator {
  std::unique_ptr<icu::BreakIterator> iterator;
  UText* utext = nullptr;
  ~ThreadIterator() {
    if (utext != nullptr) utext_close(utext);
  }
};

}  // namespace

Result<std::vector<ByteSpan>> SplitSentences(std::string_view text,
                                             std::string_view lang) {
  if (text.size() >= kMaxTextBytes) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "text of " + std::to_string(text.size()) +
                         " bytes exceeds the 2 GiB limit");
  }
  if (Status s = ValidateUtf8(text); !s) return tl::unexpected(s.error());
  std::vector<ByteSpan> out;
  if (text.empty()) return out;

  // Creating an ICU break iterator loads rules (tens of microseconds); one
  // per thread, since iterators are not thread-safe.
  thread_local ThreadIterator state;
  UErrorCode ec = U_ZERO_ERROR;
  if (!state.iterator) {
    state.iterator.reset(
        icu::BreakIterator::createSentenceInstance(icu::Locale::getRoot(), ec));
    if (U_FAILURE(ec) || !state.iterator) {
      state.iterator.reset();
      return tl::unexpected(internal::IcuError(
          "sentence break iterator",
          U_FAILURE(ec) ? ec : U_MEMORY_ALLOCATION_ERROR));
    }
  }
  state.utext = utext_openUTF8(state.utext, text.data(),
                               static_cast<std::int64_t>(text.size()), &ec);
  state.iterator->setText(state.utext, ec);
  if (U_FAILURE(ec)) {
    return tl::unexpected(internal::IcuError("sentence break iterator", ec));
  }

  std::size_t start = 0;  // start of the sentence being built
  for (std::int32_t b = state.iterator->next(); b != icu::BreakIterator::DONE;
       b = state.iterator->next()) {
    const auto boundary = static_cast<std::size_t>(b);
    ByteSpan span = Trim(text, start, boundary);
    if (!out.empty()) {
      const std::size_t closer =
          LeadingCloser(text.substr(span.begin, span.size()));
      if (closer > 0) {
        out.back().end = span.begin + static_cast<std::uint32_t>(closer);
        span = Trim(text, span.begin + closer, span.end);
      }
    }
    if (span.size() == 0) {
      start = boundary;
      continue;
    }
    if (boundary < text.size()) {
      const std::string_view gap =
          text.substr(span.end, boundary - span.end);
      const bool line_break = gap.find_first_of("\n\r") != std::string_view::npos;
      if (!line_break &&
          EndsWithNonFinalDot(text.substr(span.begin, span.size()), lang)) {
        continue;  // keep building the same sentence
      }
    }
    out.push_back(span);
    start = boundary;
  }
  return out;
}

}  // namespace storyline::text
