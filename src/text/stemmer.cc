#include "storyline/text/stemmer.h"

#include <array>
#include <string>
#include <utility>
#include <vector>

#include <libstemmer.h>

namespace storyline::text {
namespace {

// ISO 639-1 -> libstemmer algorithm name.
constexpr std::pair<std::string_view, const char*> kStemmerNames[] = {
    {"ar", "arabic"},     {"ca", "catalan"},    {"da", "danish"},
    {"de", "german"},     {"el", "greek"},      {"en", "english"},
    {"es", "spanish"},    {"eu", "basque"},     {"fi", "finnish"},
    {"fr", "french"},     {"ga", "irish"},      {"hi", "hindi"},
    {"hu", "hungarian"},  {"hy", "armenian"},   {"id", "indonesian"},
    {"it", "italian"},    {"lt", "lithuanian"}, {"nb", "norwegian"},
    {"ne", "nepali"},     {"nl", "dutch"},      {"no", "norwegian"},
    {"pt", "portuguese"}, {"ro", "romanian"},   {"ru", "russian"},
    {"sr", "serbian"},    {"sv", "swedish"},    {"ta", "tamil"},
    {"tr", "turkish"},    {"yi", "yiddish"},
};

constexpr auto kStemmedLanguages = [] {
  std::array<std::string_view, std::size(kStemmerNames)> codes{};
  for (std::size_t i = 0; i < codes.size(); ++i) codes[i] = kStemmerNames[i].first;
  return codes;
}();

const char* StemmerName(std::string_view lang) {
  for (const auto& [code, name] : kStemmerNames) {
    if (code == lang) return name;
  }
  return nullptr;
}

struct StemmerDeleter {
  void operator()(sb_stemmer* s) const { sb_stemmer_delete(s); }
};
using StemmerPtr = std::unique_ptr<sb_stemmer, StemmerDeleter>;

}  // namespace

struct StemmerCache::Impl {
  // A handful of languages per process: a vector beats a map. A null
  // stemmer records a language that has none.
  std::vector<std::pair<std::string, StemmerPtr>> stemmers;

  sb_stemmer* Get(std::string_view lang) {
    for (auto& [code, stemmer] : stemmers) {
      if (code == lang) return stemmer.get();
    }
    const char* name = StemmerName(lang);
    StemmerPtr stemmer(name ? sb_stemmer_new(name, "UTF_8") : nullptr);
    stemmers.emplace_back(std::string(lang), std::move(stemmer));
    return stemmers.back().second.get();
  }
};

StemmerCache::StemmerCache() : impl_(std::make_unique<Impl>()) {}
StemmerCache::~StemmerCache() = default;
StemmerCache::StemmerCache(StemmerCache&&) noexcept = default;
StemmerCache& StemmerCache::operator=(StemmerCache&&) noexcept = default;

std::string_view StemmerCache::Stem(std::string_view lang,
                                    std::string_view word) {
  sb_stemmer* stemmer = impl_->Get(lang);
  if (stemmer == nullptr || word.empty()) return word;
  const sb_symbol* stem = sb_stemmer_stem(
      stemmer, reinterpret_cast<const sb_symbol*>(word.data()),
      static_cast<int>(word.size()));
  if (stem == nullptr) return word;  // out of memory inside libstemmer
  return {reinterpret_cast<const char*>(stem),
          static_cast<std::size_t>(sb_stemmer_length(stemmer))};
}

bool HasStemmer(std::string_view lang) {
  const char* name = StemmerName(lang);
  if (name == nullptr) return false;
  StemmerPtr stemmer(sb_stemmer_new(name, "UTF_8"));
  return stemmer != nullptr;
}

std::span<const std::string_view> StemmedLanguages() { return kStemmedLanguages; }

}  // namespace storyline::text
