// Sentence boundaries for news text.
//
//   Result<std::vector<ByteSpan>> s =
//       SplitSentences("M. Dupont est arrivé à 9 h. Il a parlé.", "fr");
//   // two spans: "M. Dupont est arrivé à 9 h." and "Il a parlé."
//
// ICU's sentence break iterator (UAX #29) finds candidate boundaries; a
// second pass removes the ones it gets wrong in news: after titles and other
// abbreviations ("M.", "Mme.", "Mr.", "Mrs.", "Dr.", "St.", "Gen.", "janv.",
// "Jan.", "Dec.", "Sr.", "Prof." ... in en, fr, de, es, it, pt, ru, sl),
// after single-letter initials ("J. Smith"), after letter-dot acronyms
// ("U.S.", "z.B."), and, for languages that write ordinals with a dot (de,
// sl, hr, sr, cs, sk, pl, hu, da, nb, no, fi, et, lv), after day numbers
// ("am 8. Januar"). Decimal numbers ("3.5") never split. A line break
// always ends a sentence (a title has no final period), and such boundaries
// are never removed.
//
// The spans are byte offsets into the input, trimmed of whitespace, in
// order, non-overlapping; blank text gives no spans.
//
// Thread-safe: each thread keeps its own ICU iterator.
#ifndef STORYLINE_TEXT_SENTENCES_H_
#define STORYLINE_TEXT_SENTENCES_H_

#include <string_view>
#include <vector>

#include "storyline/core/result.h"
#include "storyline/text/normalize.h"

namespace storyline::text {

// Splits `text` into sentences. `lang` (ISO 639-1, may be empty or "und")
// only switches on the ordinal-number rule; abbreviations of all supported
// languages are always recognised, since news text mixes them.
// Errors: kInvalidInput for ill-formed UTF-8 (with the byte offset),
// kInvalidArgument for texts of kMaxTextBytes or more, kInternal when ICU
// data is missing.
Result<std::vector<ByteSpan>> SplitSentences(std::string_view text,
                                             std::string_view lang = {});

}  // namespace storyline::text

#endif  // STORYLINE_TEXT_SENTENCES_H_
