// Private: one pass over a line of article text that yields its folded words,
// a 64-bit key for counting the line, and the shallow character features
// the classifier reads (Kohlschütter et al. 2010, "Boilerplate detection
// using shallow text features": word counts, punctuation, capitals and
// position separate chrome from prose about as well as deep features do).
//
// Folding is deliberately cheaper than text::NormalizeLine: ASCII and Latin
// letters up to U+017F are lower-cased and stripped of accents through a
// table, Greek and Cyrillic capitals are lower-cased, combining marks are
// dropped (so NFD input folds like NFC), and every punctuation mark, symbol
// and space separates words. Two lines that differ only in case, accents,
// apostrophes, quotes, dashes or spacing get the same key. ICU is not needed,
// which keeps a 4 KB article well under 100 microseconds.
//
// Thread safety: pure functions; a LineScan is a plain value.
#ifndef STORYLINE_SRC_CLEAN_LINE_TEXT_H_
#define STORYLINE_SRC_CLEAN_LINE_TEXT_H_

#include <cstdint>
#include <string_view>

#include "core/hash.h"
#include <vector>

namespace storyline::clean::internal {

enum WordFlag : std::uint8_t {
  kUpperInitial = 1 << 0,  // first letter is a capital
  kAllUpper = 1 << 1,      // has letters, all of them capitals
  kHasDigit = 1 << 2,
  kHasLetter = 1 << 3,
  kColonAfter = 1 << 4,   // the next non-space character is ':'
  kSlashNear = 1 << 5,    // a '/' touches the word (spaces allowed)
  kParenBefore = 1 << 6,  // the previous non-space character is '('
};

struct Word {
  std::uint64_t hash = 0;  // of the folded word; see HashWord
  std::uint32_t begin = 0;  // bytes of the word in the scanned line
  std::uint32_t end = 0;
  std::uint8_t flags = 0;
};

// Features of one line. Counts are in code points.
struct LineScan {
  std::vector<Word> words;
  std::uint64_t key = 0;  // 0 iff the line has no words
  std::uint32_t letters = 0;
  std::uint32_t upper_letters = 0;
  std::uint32_t digits = 0;
  std::uint32_t code_points = 0;  // not counting spaces
  std::uint16_t pipes = 0;        // '|'
  std::uint16_t separators = 0;   // breadcrumb/list marks: › » > · • ►
  std::uint16_t slashes = 0;
  bool blank = true;           // only spaces (incl. NBSP, zero-width)
  bool has_copyright = false;  // '©'
  bool has_url = false;        // "://" or "www."
  bool has_email = false;      // '@' between letters
  bool domain_only = false;    // the whole line is one host name or URL
  bool ends_sentence = false;  // last mark (before closing quotes/brackets) is . ! ? …
  bool ends_question = false;  // ... and it is '?' or '!'
  bool ends_quote = false;     // the line ends with a closing quote mark
  bool ends_colon = false;
  bool ends_comma = false;     // ',' or ';': the sentence goes on ("Calif,")
  bool ends_star = false;      // form field: "Name *"
  bool ends_dash = false;      // "WASHINGTON —"
  bool ends_paren = false;     // "(NWD)"
  bool starts_symbol = false;  // first visible character is not a letter or digit
};

// Scans `line` (UTF-8; ill-formed bytes count as separators) into *out,
// reusing its buffers.
void ScanLine(std::string_view line, LineScan* out);

// The hash ScanLine gives a word whose folded form is `folded`
// (lower-case ASCII for Latin text): lets cue tables be written as text.
std::uint64_t HashWord(std::string_view folded);

// Folds `text` into the hashes of its words, as ScanLine does.
std::vector<std::uint64_t> WordHashes(std::string_view text);

// Line key from word hashes (order-sensitive); 0 for no words.
std::uint64_t CombineKey(std::uint64_t key, std::uint64_t word_hash);

// The same line in different spacing: trims ASCII spaces, tabs and '\r'.
std::string_view TrimSpaces(std::string_view s);

// The library's one mixer (core/hash.h).
using storyline::internal::Mix64;

// FNV-1a over bytes, mixed: stable across runs and platforms (the
// ChromeModel persists these values).
std::uint64_t HashBytes(std::string_view bytes);

}  // namespace storyline::clean::internal

#endif  // STORYLINE_SRC_CLEAN_LINE_TEXT_H_
