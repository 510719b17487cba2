// Words, numbers and punctuation of news text in any script.
//
//   Tokenizer tokenizer;                                  // reuse it: it owns buffers
//   Result<std::span<const Token>> tokens = tokenizer.Tokenize(
//       "L’OTAN a réuni 1.200 porte-parole à Genève.");
//   for (const Token& t : *tokens) {
//     // t.text: "l'", "otan", "a", "réuni", "1.200", "porte-parole", "à", "genève"
//     // t.span: bytes of the input ("L’", "OTAN", ...) for quoting the original
//   }
//
// The input is normalised first (see normalize.h: NFKC, case folding, one
// form of apostrophes, quotes and dashes), then split. Tokens point into
// that normalised buffer; they stay valid until the next Tokenize call or
// the tokenizer's destruction. Nothing is allocated per token: after warm-up
// a Tokenizer reuses its buffers.
//
// Rules, chosen so that copies of one wire story yield the same tokens:
//  * A word is a run of letters, combining marks and digits (so "covid-19"
//    style codes and "10h30" are words). Its kind is kNumber when it has no
//    letter: "2022", "3,5", "1.200", "2022-2023". A '.' or ',' joins digits
//    on both sides; spaces never do ("1 200" is two numbers).
//  * Hyphenated compounds stay one token ("porte-parole", "jean-yves",
//    "a-t-il"): they are lexical units and names, and splitting them would
//    give both halves the look of independent words. split_hyphens changes
//    this.
//  * Elision: an apostrophe after a French, Italian or Catalan elided
//    article, pronoun or conjunction ends a token that keeps the apostrophe:
//    "l'otan" -> "l'" "otan", "qu'il" -> "qu'" "il", "dell'anno" -> "dell'"
//    "anno". English "'s" is split off as its own token: "biden's" ->
//    "biden" "'s". Other inner apostrophes stay ("aujourd'hui", "don't").
//  * Letter-dot acronyms keep inner dots: "U.S." -> "u.s" then ".".
//  * Scripts written without spaces (Han, Hiragana, Katakana, Thai, Lao,
//    Khmer, Myanmar) are segmented with ICU's dictionary-based word break
//    iterator; their tokens have no_space_script set. All other scripts
//    (Latin, Cyrillic, Greek, Arabic, Hebrew, Devanagari, Hangul...) are
//    split by character properties, which is several times faster.
//  * Anything else that is not a space (punctuation, symbols, emoji) is a
//    one-code-point kPunct token, dropped unless skip_punct is false.
//
// Thread safety: a Tokenizer is not thread-safe; use one per thread.
#ifndef STORYLINE_TEXT_TOKENIZER_H_
#define STORYLINE_TEXT_TOKENIZER_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "storyline/core/result.h"
#include "storyline/text/normalize.h"

namespace storyline::text {

enum class TokenKind : std::uint8_t {
  kWord,    // has at least one letter
  kNumber,  // digits, possibly joined by '.', ',' or '-'
  kPunct,   // one punctuation mark, symbol or emoji
};

struct Token {
  std::string_view text;  // normalised form, in the Tokenizer's buffer
  ByteSpan span;          // bytes of the original input that produced it
  TokenKind kind = TokenKind::kWord;
  bool no_space_script = false;  // from a script written without spaces
};

struct TokenizerOptions {
  // skip_punct (true): drop kPunct tokens.
  bool skip_punct = true;
  // split_hyphens (false): split "porte-parole" into "porte" "-" "parole"
  // (the "-" is a kPunct token).
  bool split_hyphens = false;
  // split_elision (true): split "l'otan" into "l'" "otan" and "biden's" into
  // "biden" "'s"; when false both stay one token.
  bool split_elision = true;
};

class Tokenizer {
 public:
  explicit Tokenizer(const TokenizerOptions& options = {});
  ~Tokenizer();
  Tokenizer(Tokenizer&&) noexcept;
  Tokenizer& operator=(Tokenizer&&) noexcept;
  Tokenizer(const Tokenizer&) = delete;
  Tokenizer& operator=(const Tokenizer&) = delete;

  // Normalises and splits `text`. The tokens (and normalized()) are valid
  // until the next call. Errors: kInvalidInput for ill-formed UTF-8 (with
  // the byte offset), kInvalidArgument for texts of kMaxTextBytes or more,
  // kInternal when ICU data is missing. On error no tokens are kept.
  Result<std::span<const Token>> Tokenize(std::string_view text);

  // The normalised text of the last successful Tokenize call.
  const NormalizedText& normalized() const;

  const TokenizerOptions& options() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace storyline::text

#endif  // STORYLINE_TEXT_TOKENIZER_H_
