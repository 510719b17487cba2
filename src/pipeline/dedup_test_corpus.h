// Test corpora for the dedup tests: the seeds and a generated wire-copy
// corpus, as Articles.
#ifndef STORYLINE_PIPELINE_DEDUP_TEST_CORPUS_H_
#define STORYLINE_PIPELINE_DEDUP_TEST_CORPUS_H_

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "corpus/synth.h"
#include "storyline/core/article.h"
#include "storyline/core/date.h"

namespace storyline::pipeline {

// The seeds of ../shared as `storyline ingest` reads a folder of .txt files
// (id = file name without extension), or none when the data is absent.
inline std::vector<Article> ReadSeeds() {
  std::vector<Article> out;
  const char* shared = std::getenv("STORYLINE_SHARED");
  if (shared == nullptr) return out;
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(shared) / "seeds";
  if (!fs::exists(dir)) return out;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir)) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    std::ifstream in(f);
    std::stringstream ss;
    ss << in.rdbuf();
    Article a;
    a.id = f.stem().string();
    a.text = ss.str();
    a.title = a.text.substr(0, a.text.find('\n'));
    out.push_back(std::move(a));
  }
  return out;
}

// A wire-copy corpus as `storyline bench synth` writes it (made-up words,
// site chrome, cut and re-worded copies, other outlets' reports), `bases`
// base stories long.
inline std::vector<Article> SynthCorpus(std::uint64_t bases, std::uint64_t seed) {
  tools::corpus::FabricatedBaseOptions fo;
  fo.count = bases;
  fo.seed = seed;
  tools::corpus::FabricatedBaseSource source(tools::corpus::MakeZipfVocabulary(5000, 1.0, seed),
                                             fo);
  tools::corpus::WireCopyOptions wo;
  wo.seed = seed;
  tools::corpus::WireCopyGenerator gen(source, wo);
  std::vector<Article> out;
  tools::corpus::SyntheticArticle s;
  while (gen.Next(s)) {
    Article a;
    a.id = "syn-" + std::to_string(s.id);
    const std::vector<std::string_view> words = s.Words();
    for (std::size_t i = 0; i < words.size() && i < 10; ++i) {
      a.title += (i ? " " : "") + std::string(words[i]);
    }
    a.text = a.title + "\n" + s.Text();
    a.published = FormatTimestamp(s.timestamp);
    a.source = "site" + std::to_string(s.id % 97) + ".example";
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace storyline::pipeline

#endif  // STORYLINE_PIPELINE_DEDUP_TEST_CORPUS_H_
