// Unicode normalisation for matching news text in any language.
//
//   Result<NormalizedText> n = Normalize("L’OTAN a dit « non »\u00a0!");
//   // n->text == "l'otan a dit \" non \" !"
//   ByteSpan quote = n->ToOriginal(0, 6);      // bytes of "L’OTAN" in the input
//
//   Result<std::string> key = NormalizeLine(line);   // for hashing whole lines
//   std::string name = FoldAccents("Genève");        // "geneve"
//   Result<std::string> latin = ToLatin("Путин");    // "putin"
//
// Normalisation is, in this order: UTF-8 validation, Unicode NFKC with case
// folding (ICU's NFKC_Casefold, which also deletes default-ignorable code
// points: zero-width spaces and joiners, soft hyphens, bidi controls,
// variation selectors), one form for apostrophes (’ ‘ ‚ ‛ ʼ -> '), quotation
// marks (“ ” „ ‟ « » ‹ › -> ") and dashes (‐ ‒ – — ― − -> -), deletion of
// other control characters, and whitespace (including NBSP and narrow NBSP,
// which NFKC turns into spaces) collapsed into single spaces with none at
// either end. Folding is language-independent: "İ" becomes "i" (the combining
// dot that full case folding leaves behind is dropped), "I" becomes "i" even
// in Turkish text, and dotless "ı" stays "ı" (FoldAccents makes it "i").
// Input in NFC and in NFD gives the same output.
//
// All functions here are pure and thread-safe.
#ifndef STORYLINE_TEXT_NORMALIZE_H_
#define STORYLINE_TEXT_NORMALIZE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storyline/core/result.h"

namespace storyline::text {

// A half-open range [begin, end) of byte offsets into some UTF-8 text.
struct ByteSpan {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;

  std::uint32_t size() const { return end - begin; }
  friend bool operator==(const ByteSpan&, const ByteSpan&) = default;
};

// Texts must be shorter than this many bytes, so that offsets fit in 32 bits.
inline constexpr std::size_t kMaxTextBytes = std::size_t{1} << 31;

struct NormalizeOptions {
  // case_fold (true): apply Unicode full case folding ("Straße" -> "strasse").
  bool case_fold = true;
  // keep_newlines (false): a run of whitespace that contains a line break
  // (\n, \r, \v, \f, U+0085, U+2028, U+2029) becomes "\n" instead of " ", so
  // that the output keeps the line structure of the input.
  bool keep_newlines = false;
};

// Normalised text together with the way back to the original bytes.
struct NormalizedText {
  // The normalised UTF-8 text.
  std::string text;
  // source[i] is the byte offset, in the original text, of the character
  // that produced text[i]. Every byte of a multi-byte or expanded output
  // (a ligature "ﬁ" -> "fi") maps to the start of its source character; a
  // collapsed run of whitespace maps to its first character. source has
  // text.size() + 1 entries; the last is the original's size.
  std::vector<std::uint32_t> source;

  // The smallest span of the original text that produced the normalised
  // bytes [begin, end) (0 <= begin < end <= text.size()). The span may
  // include characters that normalisation deleted (zero-width or control
  // characters) directly after the last mapped character.
  ByteSpan ToOriginal(std::size_t begin, std::size_t end) const;
};

// Normalises UTF-8 text, keeping the offset map.
// Errors: kInvalidInput when `text` is not well-formed UTF-8 (the message
// gives the byte offset), kInvalidArgument when it is kMaxTextBytes or
// longer, kInternal when ICU's normalisation data cannot be loaded.
Result<NormalizedText> Normalize(std::string_view text,
                                 const NormalizeOptions& options = {});

// As Normalize, reusing the buffers of *out (for hot loops). On failure *out
// is left empty.
Status NormalizeInto(std::string_view text, const NormalizeOptions& options,
                     NormalizedText* out);

// The same folding as Normalize with default options, without the offset
// map: the key for hashing whole lines or bodies. Line breaks become spaces.
// Errors as for Normalize.
Result<std::string> NormalizeLine(std::string_view text);

// Normalize (default options) and then remove accents and other diacritics
// (canonical decomposition, then deletion of nonspacing marks), and map the
// Latin letters that have no decomposition: ø -> o, ł -> l, đ -> d, ı -> i,
// æ -> ae, œ -> oe, ß -> ss, þ -> th, ð -> d. "Genève" -> "geneve",
// "Dvořák" -> "dvorak", "Łódź" -> "lodz". Also strips vowel signs written
// as marks in other scripts (Arabic harakat). Meant for names. Invalid UTF-8
// is first repaired with SanitizeUtf8.
std::string FoldAccents(std::string_view text);

// Transliterates any script to lower-case ASCII Latin with ICU's
// "Any-Latin; Latin-ASCII; Lower" transform: "Путин" -> "putin",
// "Αθήνα" -> "athena". Slow (tens of microseconds per call): use it on names,
// not on bodies. Errors: kInvalidInput for invalid UTF-8, kInternal when the
// ICU transform cannot be created.
Result<std::string> ToLatin(std::string_view text);

// Ok when `text` is well-formed UTF-8 (Unicode 15, table 3-7: no overlong
// forms, no surrogates, nothing above U+10FFFF). Otherwise kInvalidInput with
// the offset of the first bad byte, e.g.
// "invalid UTF-8 at byte 12 (0xc3 0x28)".
Status ValidateUtf8(std::string_view text);

// The byte offset of the first ill-formed sequence, or text.size() if none.
std::size_t FindInvalidUtf8(std::string_view text);

// Copies `text`, replacing each maximal ill-formed subsequence with U+FFFD
// (the W3C/Unicode "substitution of maximal subparts" practice). Returns
// `text` unchanged when it is valid.
std::string SanitizeUtf8(std::string_view text);

}  // namespace storyline::text

#endif  // STORYLINE_TEXT_NORMALIZE_H_
