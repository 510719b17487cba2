// The language stage: CLD2 on each article whose input named no language.
#include "storyline/text/language.h"

#include <algorithm>
#include <string>
#include <string_view>

#include "pipeline/stages.h"

namespace storyline::pipeline {
namespace {

// CLD2 reads prose best, and its cost grows with the input: the sample is
// the title and the text's prose lines (six spaces or more: sentences, not
// the menus, buttons and bylines of site chrome, which may be in another
// language than the article) up to kProseSample bytes. A text with too
// little prose for that gives its first kLanguageSample bytes instead.
constexpr std::size_t kProseSample = 1024;
constexpr std::size_t kMinProse = 200;
constexpr std::size_t kLanguageSample = 3000;
constexpr int kProseSpaces = 6;

// `s` cut back to whole UTF-8 characters (it may have been cut inside one).
std::string_view WholeCharacters(std::string_view s) {
  std::size_t n = s.size();
  while (n > 0 && (static_cast<unsigned char>(s[n - 1]) & 0xC0) == 0x80) --n;
  if (n > 0 && static_cast<unsigned char>(s[n - 1]) >= 0xC0) {
    // A lead byte: whole only if all its continuation bytes follow.
    const auto lead = static_cast<unsigned char>(s[n - 1]);
    const std::size_t len = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    if (s.size() - (n - 1) < len) return s.substr(0, n - 1);
  }
  return s;
}

std::string LanguageSample(const Article& a) {
  const std::string_view text = a.text;
  std::string prose;
  prose.reserve(kProseSample + 256);
  for (std::size_t pos = 0; pos < text.size() && prose.size() < kProseSample;) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    const std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (std::count(line.begin(), line.end(), ' ') < kProseSpaces) continue;
    prose.append(WholeCharacters(line.substr(0, kProseSample - prose.size()))).push_back('\n');
  }
  std::string sample = a.title.empty() ? std::string() : a.title + "\n";
  if (prose.size() >= kMinProse) {
    sample += prose;
  } else {
    sample.append(WholeCharacters(text.substr(0, kLanguageSample)));
  }
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
