// The seed articles of ../shared as Articles, for the pipeline's tests.
#ifndef STORYLINE_PIPELINE_TEST_SEEDS_H_
#define STORYLINE_PIPELINE_TEST_SEEDS_H_

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "storyline/core/article.h"

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

}  // namespace storyline::pipeline

#endif  // STORYLINE_PIPELINE_TEST_SEEDS_H_
