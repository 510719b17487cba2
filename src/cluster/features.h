// Article -> sparse term-frequency sub-vectors for story clustering.
//
//   FeatureExtractor extractor;                    // one per thread
//   ExtractedArticle x = extractor.Extract(title, body, "fr");
//   // x.fields[kNames]: {TermHash(kNames, "lyon"), 1.69}, ...
//
// Four fields, after Miranda et al. (2018), who score a document against a
// cluster with one TF-IDF cosine per (field, feature kind):
//   kTitle   words of the title, stopwords removed, stemmed
//   kBody    words of title and body, stopwords removed, stemmed
//   kNames   name-like words (capitalised away from a sentence start, or the
//            whole title when the body is empty), accent-folded, Latin,
//            canonical spelling across languages (lexicon.h)
//   kNumbers numbers with their separators normalised, and day-month dates
//            in seven languages as "date:MM-DD"
//   kPivot   content words of title and body in English: English words
//            stemmed, other languages' words translated through the
//            bilingual dictionaries given to the extractor (bilingual.h);
//            a word they do not know (a name, a loanword) stands for
//            itself, accent-folded, in Latin letters and stemmed as English
//            ("Kevin", "Covid"). Reports of one event in two languages meet
//            here.
// Weights are term frequencies 1 + ln(tf); IDF is applied by the clusterer,
// which learns it online. Terms are 64-bit hashes of (field, text).
//
// Stemming is the text module's (Snowball, text::StemmerCache). Stopwords
// come from lexicon.h: one union list over the languages, with the
// weekdays, reporting verbs and numerals that news in any language repeats
// (the text module's per-language lists serve search and would let those
// words become story features).
//
// Thread safety: an extractor is not thread-safe (it owns a tokenizer,
// stemmers and a cache); use one per thread. Output depends only on input.
#ifndef STORYLINE_SRC_CLUSTER_FEATURES_H_
#define STORYLINE_SRC_CLUSTER_FEATURES_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace storyline::cluster::internal {

enum Field : int { kTitle = 0, kBody = 1, kNames = 2, kNumbers = 3, kPivot = 4 };
inline constexpr int kFieldCount = 5;

struct TermWeight {
  std::uint64_t term = 0;
  float weight = 0.0f;
  // The term's IDF when the clusterer last looked it up (centroids cache
  // it in what would be padding); unused by feature extraction.
  float idf = 0.0f;
};
// Sorted by term, no duplicates.
using SparseVector = std::vector<TermWeight>;

struct ExtractedArticle {
  std::array<SparseVector, kFieldCount> fields;
  // The language used (given, or detected; "und" when unknown).
  std::string lang;
  // Display text of name and title terms, sorted by term.
  std::vector<std::pair<std::uint64_t, std::string>> labels;
  // True when the body is empty: the title is all there is.
  bool headline = false;
};

// Stable 64-bit hash of a term in a field (FNV-1a, then a splitmix finaliser
// for well-spread low bits). Stable across platforms and runs, so that the
// serialised state stays valid.
std::uint64_t TermHash(Field field, std::string_view text);

// The name key of a case-folded word: accent-folded, transliterated to
// Latin when not ASCII, then canonical ("genève" -> "geneve",
// "путин" -> "putin", "genf" -> "geneve").
std::string FoldName(std::string_view word);

// "2,3" and "2.3" -> "2.3"; "1.200", "1,200" and "1200" -> "1200";
// "87" -> "87". Empty for numbers that carry little (one digit).
std::string NormalizeNumber(std::string_view number);

class BilingualLexicon;

class FeatureExtractor {
 public:
  // `lexicon` (may be null) gives the pivot field its translations.
  explicit FeatureExtractor(std::shared_ptr<const BilingualLexicon> lexicon = nullptr);
  ~FeatureExtractor();
  FeatureExtractor(FeatureExtractor&&) noexcept;
  FeatureExtractor& operator=(FeatureExtractor&&) noexcept;

  // `lang`: ISO 639-1, empty to detect, or "und" when a detector
  // upstream found none (kept). Never fails: invalid UTF-8
  // is repaired first.
  ExtractedArticle Extract(std::string_view title, std::string_view body, std::string_view lang);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace storyline::cluster::internal

#endif  // STORYLINE_SRC_CLUSTER_FEATURES_H_
