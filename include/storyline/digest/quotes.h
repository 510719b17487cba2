// Quotations and who said them.
//
//   Result<std::vector<Quote>> q = ExtractQuotes(
//       "La porte-parole Jen Varga a répondu aux questions.\n"
//       "« Nous restons prêts à discuter », a-t-elle déclaré.", "fr");
//   // (*q)[0].speaker == "Jen Varga", (*q)[0].text == "Nous restons prêts
//   // à discuter"
//
// Quotation marks: « » (also closed by ”), “ ”, „ “ (German), and straight
// double quotes. Unattributed quotes shorter than QuoteOptions::min_words
// are scare quotes ("« francs et directs »") and are skipped. A paragraph
// that opens a quote without closing it, followed by a paragraph that opens one again, is one
// multi-paragraph quote (the newspaper convention), kept whole.
//
// The speaker comes from the words around the quote, in this order:
//  1. after it, in its sentence: "», a déclaré X", "”, X said", "», dijo
//     X", "“, sagte X", "», a-t-elle déclaré", "”, the official said";
//  2. before it, in its sentence: "X a déclaré : «", "Selon X, «",
//     "According to X, “", "X said: “", "Sherman a ajouté que “";
//  3. the previous quote of the same paragraph, or of the previous
//     paragraph when this one opens with the quote (continued speech).
// A person named there is given by the full name the text uses ("Sherman"
// -> "Wendy Sherman", see entities.h). A pronoun ("elle", "he", "sie")
// resolves to the nearest person mentioned before whose known gender fits.
// A role ("le responsable", "the official") resolves to the latest person
// introduced with that role ("le porte-parole du Pentagone, John Kirby");
// when no one was, the role itself is the speaker ("le responsable").
//
// Thread-safe: ExtractQuotes keeps no state between calls.
#ifndef STORYLINE_DIGEST_QUOTES_H_
#define STORYLINE_DIGEST_QUOTES_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "storyline/core/result.h"

namespace storyline::digest {

struct Quote {
  std::string speaker;  // full name, or a role phrase; "" if unknown
  std::string text;     // without the quotation marks; paragraphs joined by ' '
  std::size_t begin = 0;  // bytes of the first opening mark in the input
  std::size_t end = 0;    // bytes after the last closing mark
};

struct QuoteOptions {
  // min_words (4): shorter quoted spans are scare quotes, not speech,
  // unless a verb of saying attributes them and they have three words.
  std::size_t min_words = 4;
  // keep_unattributed (false): also return quotes without a speaker.
  bool keep_unattributed = false;
};

// The quotes of one article body in order. Errors: kInvalidInput for
// ill-formed UTF-8.
Result<std::vector<Quote>> ExtractQuotes(std::string_view text,
                                         std::string_view lang,
                                         const QuoteOptions& options = {});

}  // namespace storyline::digest

#endif  // STORYLINE_DIGEST_QUOTES_H_
