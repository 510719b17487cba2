// The language stage: CLD2 on each article whose input named no language.
#include "storyline/text/language.h"

#include <string>

#include "pipeline/stages.h"

namespace storyline::pipeline {
namespace {

// A few kilobytes decide the language as well as the whole text, and
// CLD2's cost grows with the input.
constexpr std::size_t kLanguageSample = 3000;

// The title and the first kLanguageSample bytes of the text, cut back to a
// whole UTF-8 character.
std::string LanguageSample(const Article& a) {
  std::string sample = a.title.empty() ? a.text.substr(0, kLanguageSample)
                                       : a.title + "\n" + a.text.substr(0, kLanguageSample);
  while (!sample.empty() && (static_cast<unsigned char>(sample.back()) & 0xC0) == 0x80) {
    sample.pop_back();
  }
  if (!sample.empty() && static_cast<unsigned char>(sample.back()) >= 0xC0) sample.pop_back();
  return sample;
}

}  // namespace

Status DetectLanguages(BatchContext& batch) { return DetectWorkLanguages(batch.pool, batch.work); }

Status DetectWorkLanguages(ThreadPool& pool, std::vector<ArticleWork>& work) {
  // Each article on its own; DetectLanguage is thread-safe.
  return pool.ParallelFor(work.size(), [&](std::size_t k, std::size_t) -> Status {
    ArticleWork& w = work[k];
    Article& a = *w.article;
    if (!a.lang.empty()) {
      w.analysis.lang = a.lang;
      w.analysis.lang_confidence = 1.0;
      return Ok();
    }
    Result<text::LanguageGuess> g = text::DetectLanguage(LanguageSample(a));
    w.analysis.lang = g ? g->code : std::string(text::kUndetermined);
    w.analysis.lang_confidence = g ? g->confidence : 0.0;
    a.lang = w.analysis.lang;
    return Ok();
  });
}

}  // namespace storyline::pipeline
