// Fuzzes the text entry points on arbitrary bytes, with the options taken
// from the first input byte. Checks the contracts that other modules rely
// on: normalisation succeeds exactly on valid UTF-8, its offset map is
// complete and monotonic, every token and sentence span lies inside the
// input, and sanitising always yields valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "storyline/text/language.h"
#include "storyline/text/normalize.h"
#include "storyline/text/sentences.h"
#include "storyline/text/shingles.h"
#include "storyline/text/tokenizer.h"

namespace {

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace storyline::text;
  if (size == 0) return 0;
  const std::uint8_t flags = data[0];
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const bool valid = ValidateUtf8(input).has_value();

  const std::string sanitized = SanitizeUtf8(input);
  Check(ValidateUtf8(sanitized).has_value());
  Check(!valid || sanitized == input);

  NormalizeOptions options;
  options.case_fold = (flags & 1) != 0;
  options.keep_newlines = (flags & 2) != 0;
  auto normalized = Normalize(input, options);
  Check(normalized.has_value() == valid);
  if (!valid) return 0;
  Check(ValidateUtf8(normalized->text).has_value());
  Check(normalized->source.size() == normalized->text.size() + 1);
  Check(normalized->source.back() == input.size());
  for (std::size_t i = 1; i < normalized->source.size(); ++i) {
    Check(normalized->source[i - 1] <= normalized->source[i]);
  }
  auto line = NormalizeLine(input);
  Check(line.has_value());
  if (options.case_fold && !options.keep_newlines) Check(*line == normalized->text);

  TokenizerOptions tokenizer_options;
  tokenizer_options.skip_punct = (flags & 4) != 0;
  tokenizer_options.split_hyphens = (flags & 8) != 0;
  tokenizer_options.split_elision = (flags & 16) != 0;
  Tokenizer tokenizer(tokenizer_options);
  auto tokens = tokenizer.Tokenize(input);
  Check(tokens.has_value());
  for (const Token& t : *tokens) {
    Check(!t.text.empty());
    Check(t.span.begin <= t.span.end && t.span.end <= input.size());
  }

  ShingleOptions shingle_options;
  shingle_options.word_n = 1 + (flags >> 5);
  shingle_options.char_n = 1 + ((flags >> 5) & 3);
  ShingleSet set;
  Check(WordShingles(*tokens, shingle_options, &set).has_value());
  Check(set.hashes.size() == set.starts.size() && set.starts.size() == set.ends.size());
  for (std::size_t k = 0; k < set.starts.size(); ++k) {
    Check(set.starts[k] < set.ends[k] && set.ends[k] <= tokens->size());
  }
  Check(CharShingles(*tokens, shingle_options, &set).has_value());

  auto sentences = SplitSentences(input, (flags & 32) != 0 ? "de" : "fr");
  Check(sentences.has_value());
  std::uint32_t previous_end = 0;
  for (const ByteSpan& s : *sentences) {
    Check(previous_end <= s.begin && s.begin < s.end && s.end <= input.size());
    previous_end = s.end;
  }

  Check(DetectLanguage(input).has_value());
  (void)FoldAccents(input);
  return 0;
}
