// Small word lists the story features need: stopwords, month names and the
// cross-language variants of major place and person names.
//
// The stopword list is the clustering's own: a union over languages, with
// news words (weekdays, "said", numerals) that text::IsStopword's
// per-language function-word lists leave in. The name variant table is
// specific to clustering (it makes "Genf"/"Geneva"/"Genève" one feature).
//
// All functions are pure and thread-safe (tables are built once, on first
// use, under the C++ static-initialisation guarantee).
#ifndef STORYLINE_SRC_CLUSTER_LEXICON_H_
#define STORYLINE_SRC_CLUSTER_LEXICON_H_

#include <string_view>

namespace storyline::cluster::internal {

// True when `word` (case-folded, accents kept as in normalised text) is a
// function word in English, French, Spanish, German, Italian, Portuguese or
// Dutch. One union list: a wrong or missing language tag must not let "the"
// or "les" become a story feature, and the few collisions (English "die",
// French "son") cost little.
bool IsStopword(std::string_view word);

// 1..12 when `word` (case-folded; accent-folded or as normalised text keeps
// it: "août", "märz") is a month name or a common abbreviation in one of
// the languages above; 0 otherwise.
int MonthNumber(std::string_view word);

// The canonical spelling of a name key (accent-folded, Latin, lower case):
// "geneva", "genf", "ginevra" -> "geneve"; "poutine" -> "putin";
// "moscou" -> "moskva". Returns `key` itself when the table has no entry.
std::string_view CanonicalName(std::string_view key);

}  // namespace storyline::cluster::internal

#endif  // STORYLINE_SRC_CLUSTER_LEXICON_H_
