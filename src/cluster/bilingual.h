// English renderings of words in other languages, read from the FreeDict
// bilingual dictionaries Debian ships (dict-freedict-fra-eng, -deu-eng,
// -spa-eng, -por-eng, -ita-eng, -slv-eng, -ara-eng, -eng-rus...; dictd
// format under /usr/share/dictd). Story features use them to put every
// article's content words into one English "pivot" vocabulary, so that
// reports of one event in two languages share terms.
//
//   Result<std::shared_ptr<const BilingualLexicon>> lex =
//       BilingualLexicon::Load("/usr/share/dictd");
//   text::StemmerCache stems;
//   auto english = (*lex)->Translate("fr", stems.Stem("fr", "négociations"));
//   // English stems: {"negoti"}
//
// Keys are the Snowball stem of a one-word headword in its language (the
// form the tokenizer and StemmerCache give), so inflected forms find their
// lemma ("olímpicos" meets "olímpico"). Values are Snowball English stems of
// the headword's translations: single words, or the content words of a
// two-word translation ("debit order"); at most kMaxTranslations per key.
// A freedict-xxx-eng file maps xxx to English; a freedict-eng-xxx file is
// read the other way round (English headword, xxx translations), for
// languages Debian has no xxx-eng dictionary of (Russian).
//
// Thread safety: immutable after Load; Translate is thread-safe.
#ifndef STORYLINE_SRC_CLUSTER_BILINGUAL_H_
#define STORYLINE_SRC_CLUSTER_BILINGUAL_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storyline/core/result.h"

namespace storyline::cluster::internal {

class BilingualLexicon {
 public:
  static constexpr std::size_t kMaxTranslations = 4;

  // Reads every freedict-*-eng and freedict-eng-* dictionary of a known
  // language in `dir`. A missing folder, or one without dictionaries, gives
  // an empty lexicon (no error: the pivot field is then empty and stories
  // meet across languages on names and numbers alone). Errors: kIo or
  // kInvalidInput for a dictionary that cannot be read, naming the file.
  static Result<std::shared_ptr<const BilingualLexicon>> Load(const std::string& dir);

  // The default lexicon of this process, loaded once from `dir` on first
  // use (later calls with another folder load that one once too). A folder
  // that fails to load gives an empty lexicon.
  static std::shared_ptr<const BilingualLexicon> Shared(const std::string& dir);

  // English stems for a stem of `lang` (ISO 639-1); empty when unknown.
  std::span<const std::string> Translate(std::string_view lang, std::string_view stem) const;

  // Languages read (ISO 639-1), sorted.
  const std::vector<std::string>& languages() const { return languages_; }
  // Number of keys over all languages.
  std::size_t size() const { return keys_.size(); }

 private:
  struct Key {
    std::uint64_t hash;  // of (lang, stem)
    std::uint32_t first;
    std::uint32_t count;
  };
  std::vector<Key> keys_;            // sorted by hash
  std::vector<std::string> values_;  // English stems, grouped per key
  std::vector<std::string> languages_;
  friend class LexiconBuilder;
};

}  // namespace storyline::cluster::internal

#endif  // STORYLINE_SRC_CLUSTER_BILINGUAL_H_
