// Test corpora for the dedup tests: a generated wire-copy corpus as
// Articles (and the seeds, test_seeds.h).
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
#include "pipeline/test_seeds.h"
#include "storyline/core/article.h"
#include "storyline/core/date.h"

namespace storyline::pipeline {

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
