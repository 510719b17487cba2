// Shingles: hashed n-grams that turn a text into a set for resemblance and
// containment estimates (Broder 1997).
//
//   Result<Shingler> shingler = Shingler::Create({.word_n = 5});
//   ShingleSet set;
//   if (Status s = shingler->Shingle(body, "fr", &set); !s) return s.error();
//   // set.hashes[i]: 64-bit hash of the i-th 5-word window
//   // shingler->tokens()[set.starts[i]].span: where that window starts in body
//
//   std::uint64_t h = Hash64(NormalizeLine(line).value());   // any key
//
// Texts in space-delimited scripts get word shingles: windows of word_n
// consecutive word and number tokens (punctuation skipped), hashed with
// XXH3-64 over the window's token hashes. Chinese, Japanese, Thai, Lao,
// Khmer and Burmese get character shingles: windows of char_n consecutive
// code points of the word tokens with spaces and punctuation removed, since
// their word segmentation is itself uncertain and would make copies
// disagree. A text shorter than one window gives a single shingle of all it
// has; a text with no words gives none.
//
// Hashes depend only on the normalised token texts, the options and the
// seed: they are the same on every run and platform, so they can be stored.
#ifndef STORYLINE_TEXT_SHINGLES_H_
#define STORYLINE_TEXT_SHINGLES_H_

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "storyline/core/result.h"
#include "storyline/text/tokenizer.h"

namespace storyline::text {

inline constexpr int kDefaultShingleWords = 5;
inline constexpr int kDefaultShingleChars = 4;

// XXH3-64 of `bytes` with `seed`. Stable across runs and platforms.
std::uint64_t Hash64(std::string_view bytes, std::uint64_t seed = 0);

enum class ShingleMode : std::uint8_t {
  kAuto,   // characters for zh ja th lo km my (or, when lang is empty or
           // "und", when most word bytes are in such scripts), else words
  kWords,
  kChars,
};

struct ShingleOptions {
  // word_n (5): tokens per word shingle; must be >= 1.
  int word_n = kDefaultShingleWords;
  // char_n (4): code points per character shingle; must be >= 1.
  int char_n = kDefaultShingleChars;
  // mode (kAuto): word or character shingles, see ShingleMode.
  ShingleMode mode = ShingleMode::kAuto;
  // seed (0): XXH3 seed; different seeds give independent hash families.
  std::uint64_t seed = 0;
};

// Checks the options. Errors: kInvalidArgument naming the bad field.
Status ValidateShingleOptions(const ShingleOptions& options);

// The shingles of one text, in text order (duplicates kept: a window that
// repeats appears twice). starts[i] and ends[i] are the indexes, in the
// token span that was shingled, of the first token and one past the last
// token of shingle i, so shared shingles map back to passages.
struct ShingleSet {
  std::vector<std::uint64_t> hashes;
  std::vector<std::uint32_t> starts;
  std::vector<std::uint32_t> ends;
  bool by_chars = false;  // character shingles rather than word shingles

  void clear() {
    hashes.clear();
    starts.clear();
    ends.clear();
    by_chars = false;
  }
};

// Word shingles over `tokens` (kPunct tokens skipped). Replaces *out.
// Errors: kInvalidArgument for bad options (then *out is cleared).
Status WordShingles(std::span<const Token> tokens, const ShingleOptions& options,
                    ShingleSet* out);

// Character shingles over the code points of the non-punct `tokens`.
// Replaces *out. Allocates scratch per call: use Shingler in loops.
// Errors: kInvalidArgument for bad options (then *out is cleared).
Status CharShingles(std::span<const Token> tokens, const ShingleOptions& options,
                    ShingleSet* out);

// Normalise, tokenise and shingle in one call, reusing its buffers: after
// warm-up it allocates nothing per text. Not thread-safe; one per thread.
class Shingler {
 public:
  // Errors: kInvalidArgument for bad options.
  static Result<Shingler> Create(const ShingleOptions& options = {});

  // Shingles `text`. `lang` is the ISO 639-1 code if known, else "" or
  // "und". Replaces *out. Errors: as Tokenizer::Tokenize (then *out is
  // cleared).
  Status Shingle(std::string_view text, std::string_view lang, ShingleSet* out);

  // The tokens of the last Shingle call (what starts/ends index), valid
  // until the next call.
  std::span<const Token> tokens() const { return tokens_; }

  const ShingleOptions& options() const { return options_; }

 private:
  explicit Shingler(const ShingleOptions& options) : options_(options) {}

  ShingleOptions options_;
  Tokenizer tokenizer_;
  std::span<const Token> tokens_;
  std::string scratch_chars_;
  std::vector<std::uint32_t> scratch_offsets_;
  std::vector<std::uint32_t> scratch_token_of_;
};

// One-call form using a per-thread Shingler for `options`.
// Errors: as ValidateShingleOptions and Tokenizer::Tokenize.
Status Shingle(std::string_view text, std::string_view lang,
               const ShingleOptions& options, ShingleSet* out);

}  // namespace storyline::text

#endif  // STORYLINE_TEXT_SHINGLES_H_
