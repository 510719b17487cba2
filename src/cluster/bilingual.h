// English renderings of words in other languages, read from the FreeDict
// bilingual dictionaries Debian ships (dict-freedict-fra-eng, -deu-eng,
// -spa-eng, -por-eng, -ita-eng, -slv-eng, -ara-eng, -eng-rus...; dictd
// format under /usr/share/dictd). Story features use them to put every
// article's content words into one English "pivot" vocabulary, so that
// reports of one event in two languages share terms.
//
//   std::shared_ptr<const BilingualLexicon> lex =
//       BilingualLexicon::Open("/usr/share/dictd");
//   text::StemmerCache stems;
//   auto english = lex->Translate("fr", stems.Stem("fr", "négociations"));
//   // English stems: {"negoti"}
//
// Keys are the Snowball stem of a one-word headword in its language (the
// form the tokenizer and StemmerCache give), so inflected forms find their
// lemma ("olímpicos" meets "olímpico"). Values are Snowball English stems of
// the headword's translations: single words, or the content words of a
// two-word translation ("debit order"); at most kMaxTranslations per key.
// A freedict-xxx-eng file maps xxx to English; a freedict-eng-xxx file is
// read the other way round (English headword, xxx translations): for
// languages Debian has no xxx-eng dictionary of (Russian), and beside an
// xxx-eng one it adds the words that one lacks (both are read when both
// are installed).
//
// Thread safety: all methods are thread-safe (a language is read once,
// under std::call_once).
#ifndef STORYLINE_SRC_CLUSTER_BILINGUAL_H_
#define STORYLINE_SRC_CLUSTER_BILINGUAL_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storyline/core/result.h"

namespace storyline::cluster::internal {

class BilingualLexicon {
 public:
  static constexpr std::size_t kMaxTranslations = 4;

  // The dictionaries in `dir`: every freedict-*-eng and freedict-eng-*
  // pair of a known language (an .index and its .dict.dz). Nothing is read
  // yet: a language's dictionaries are read on its first Translate call
  // (the German one takes about two seconds; an English-only stream never
  // pays for any). A missing folder, or one without dictionaries, gives an
  // empty lexicon: stories then meet across languages on names and numbers.
  static std::shared_ptr<const BilingualLexicon> Open(const std::string& dir);

  // Open(dir), once per process and folder.
  static std::shared_ptr<const BilingualLexicon> Shared(const std::string& dir);

  // English stems for a stem of `lang` (ISO 639-1); empty when unknown, or
  // when that language's dictionaries cannot be read (see Load).
  std::span<const std::string> Translate(std::string_view lang, std::string_view stem) const;

  // Reads `lang`'s dictionaries now if not yet read. Errors: kIo or
  // kInvalidInput naming the file that cannot be read.
  Status Load(std::string_view lang) const;

  // Languages with a dictionary (ISO 639-1), sorted.
  std::vector<std::string> languages() const;

  BilingualLexicon();
  ~BilingualLexicon();

 private:
  struct Language;
  const Language* Find(std::string_view lang) const;
  std::vector<std::unique_ptr<Language>> languages_;
};

}  // namespace storyline::cluster::internal

#endif  // STORYLINE_SRC_CLUSTER_BILINGUAL_H_
