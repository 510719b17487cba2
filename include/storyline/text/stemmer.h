// Snowball stems and stopwords, per language.
//
//   StemmerCache stems;                               // one per thread
//   std::string_view s = stems.Stem("fr", "négociations");   // "négoci"
//   if (IsStopword("fr", "l'")) { ... }                // true
//
// Words are expected in the form Tokenizer produces (normalised: NFKC,
// case-folded, apostrophe "'"). Languages are ISO 639-1 codes.
//
// Stemmers come from libstemmer (Snowball, Porter 2001 and its successors);
// this build knows: ar ca da de el en es eu fi fr ga hi hu hy id it lt nb ne
// nl no pt ro ru sr sv ta tr yi (HasStemmer tells at run time). For other
// languages (sl, zh, ja...) Stem returns the word unchanged.
//
// Stopword lists (short lists of function words: articles, pronouns,
// prepositions, conjunctions, auxiliaries; elided forms such as "l'" and
// "qu'" included) exist for en fr de es it pt nl ru sl.
#ifndef STORYLINE_TEXT_STEMMER_H_
#define STORYLINE_TEXT_STEMMER_H_

#include <memory>
#include <span>
#include <string_view>

namespace storyline::text {

// Creates Snowball stemmers on first use per language and keeps them.
// Not thread-safe (a Snowball stemmer has internal buffers): use one
// instance per thread. Movable, not copyable.
class StemmerCache {
 public:
  StemmerCache();
  ~StemmerCache();
  StemmerCache(StemmerCache&&) noexcept;
  StemmerCache& operator=(StemmerCache&&) noexcept;
  StemmerCache(const StemmerCache&) = delete;
  StemmerCache& operator=(const StemmerCache&) = delete;

  // The stem of `word` in `lang`, or `word` itself when `lang` has no
  // stemmer. The returned view points into this object's (or the caller's)
  // memory and is valid until the next call.
  std::string_view Stem(std::string_view lang, std::string_view word);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// True when libstemmer has a stemmer for `lang` (ISO 639-1).
bool HasStemmer(std::string_view lang);

// The ISO 639-1 codes StemmerCache knows (some may lack a stemmer in a given
// libstemmer build: HasStemmer tells).
std::span<const std::string_view> StemmedLanguages();

// True when `word` (normalised) is a stopword of `lang`; false for languages
// without a list. Thread-safe.
bool IsStopword(std::string_view lang, std::string_view word);

// True when IsStopword knows `lang`.
bool HasStopwords(std::string_view lang);

}  // namespace storyline::text

#endif  // STORYLINE_TEXT_STEMMER_H_
