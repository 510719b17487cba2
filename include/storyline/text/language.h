// Language identification with CLD2 (Compact Language Detector 2).
//
//   Result<LanguageGuess> g = DetectLanguage(body);
//   if (g && g->code == "fr") { ... }                 // ISO 639-1, or "und"
//
// Codes are ISO 639-1 where the language has one ("fr", "en", "zh", "he",
// "sl"), otherwise ISO 639-3 ("ceb", "haw"); "und" (undetermined) when the
// text is too short, has no letters, or CLD2 is unsure. CLD2 needs a
// sentence or two of text to be reliable: titles and short lines are often
// "und" unless best_effort is set.
//
// DetectLanguage is thread-safe (CLD2 keeps no mutable state).
#ifndef STORYLINE_TEXT_LANGUAGE_H_
#define STORYLINE_TEXT_LANGUAGE_H_

#include <string>
#include <string_view>

#include "storyline/core/result.h"
#include "storyline/text/normalize.h"

namespace storyline::text {

// The code for "no idea": BCP 47 / ISO 639-2 "undetermined".
inline constexpr std::string_view kUndetermined = "und";

struct LanguageGuess {
  // ISO 639-1 code ("fr"), ISO 639-3 when there is no two-letter code, or
  // "und".
  std::string code = std::string(kUndetermined);
  // Share of the text's letters that CLD2 attributes to `code` (0..1), halved
  // when CLD2 does not call the guess reliable; 0 for "und".
  double confidence = 0.0;
  // CLD2's own verdict: the best language is clearly ahead of the second.
  bool reliable = false;
};

struct LanguageOptions {
  // hint (""): an ISO 639-1 code that the caller believes likely (from
  // metadata or the site's country); it boosts, never forces, that language.
  std::string hint;
  // best_effort (false): return CLD2's best guess even when it is unsure or
  // the text is very short, instead of "und". `reliable` still tells.
  bool best_effort = false;
};

// The main language of `text`.
// Errors: kInvalidInput for ill-formed UTF-8 (with the byte offset).
Result<LanguageGuess> DetectLanguage(std::string_view text,
                                     const LanguageOptions& options = {});

}  // namespace storyline::text

#endif  // STORYLINE_TEXT_LANGUAGE_H_
