// Private: one article body analysed once for all digest extractors.
//
//   Result<Document> doc = AnalyzeDocument(body, "fr");
//   for (const Sentence& s : doc->sentences) { ... doc->WordsOf(s) ... }
//
// A Document splits the body into paragraphs ('\n'), sentences
// (text::SplitSentences) and words with their original byte offsets, case
// flags and a lower-case form. Dates, entities and quotes all read
// capitalisation, so the words are cut from the original text rather than
// from the tokenizer's case-folded buffer.
//
// Paragraphs are also given a role. The digest's input is meant to be
// cleaned already, but photo captions and site chrome that slipped through
// would put a 2019 file-photo date in the timeline or "Inscrivez-vous" in
// the entities, so a conservative second filter marks them here.
//
// A Document holds a string_view of the body: the body must outlive it.
#ifndef STORYLINE_SRC_DIGEST_DOCUMENT_H_
#define STORYLINE_SRC_DIGEST_DOCUMENT_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storyline/core/result.h"

namespace storyline::digest::internal {

struct Word {
  std::uint32_t begin = 0;        // bytes of the word without an elided
  std::uint32_t end = 0;          // prefix ("l'") or an English "'s"
  std::uint32_t outer_begin = 0;  // including the elided prefix
  std::uint32_t sentence = 0;     // index into Document::sentences
  std::string lower;              // lower-cased text of [begin, end)
  bool capitalized = false;       // first letter is upper case
  bool all_caps = false;          // two or more letters, all upper case
  bool has_letter = false;
  bool has_digit = false;
  bool elided = false;            // had an elided prefix
  bool sentence_initial = false;  // first word of its sentence
  bool space_before = false;      // only spaces since the previous word
  bool period_after = false;      // directly followed by '.'
};

struct Sentence {
  std::uint32_t begin = 0;  // bytes
  std::uint32_t end = 0;
  std::uint32_t paragraph = 0;
  std::uint32_t first_word = 0;  // [first_word, end_word) in Document::words
  std::uint32_t end_word = 0;
};

enum class ParagraphRole : std::uint8_t {
  kBody,
  kCaption,  // photo caption or credit: no events, entities or summary
  kChrome,   // site furniture that survived cleaning
};

struct Paragraph {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  std::uint32_t first_sentence = 0;
  std::uint32_t end_sentence = 0;
  ParagraphRole role = ParagraphRole::kBody;
};

struct Document {
  std::string_view text;
  std::vector<Paragraph> paragraphs;
  std::vector<Sentence> sentences;
  std::vector<Word> words;
  // Bytes [dateline_begin, dateline_end) are a dateline ("WASHINGTON,
  // 8 janvier (Reuters) –") opening the first body paragraph, or one of
  // the first few when a headline, byline or time stamp comes before it;
  // both 0 when there is none.
  std::uint32_t dateline_begin = 0;
  std::uint32_t dateline_end = 0;

  bool InDateline(std::uint32_t pos) const { return pos >= dateline_begin && pos < dateline_end; }

  std::span<const Word> WordsOf(const Sentence& s) const {
    return std::span<const Word>(words).subspan(s.first_word, s.end_word - s.first_word);
  }
  std::string_view Slice(std::uint32_t begin, std::uint32_t end) const {
    return text.substr(begin, end - begin);
  }
  bool IsBody(const Sentence& s) const {
    return paragraphs[s.paragraph].role == ParagraphRole::kBody;
  }
};

// Analyses `text`. Errors: kInvalidInput for ill-formed UTF-8 (from
// text::SplitSentences), kInvalidArgument for texts over 2 GiB.
Result<Document> AnalyzeDocument(std::string_view text, std::string_view lang);

// The agency a dateline credits: the last parenthesised name in it
// ("WASHINGTON, 8 janvier (Reuters) –" gives "Reuters", "BILBAO (EFE) -"
// gives "EFE"); "" when the document has no dateline or it names none.
std::string_view DatelineCredit(const Document& doc);

// Lower-cases UTF-8 (simple per-code-point mapping).
std::string LowerUtf8(std::string_view s);

// Trims ASCII whitespace.
std::string_view Trim(std::string_view s);

}  // namespace storyline::digest::internal

#endif  // STORYLINE_SRC_DIGEST_DOCUMENT_H_
