// A generator of topic-word news streams for benchmarks: many stories, each
// a burst of articles over a few days drawing on its own words, names and
// numbers, mixed with Zipf-distributed background vocabulary.
//
//   SyntheticNews gen({.seed = 7});
//   for (int i = 0; i < 1000; ++i) { ArticleFeatures a = gen.Next(); ... }
//
// Articles come in publication order; gen.story_of(a.id) is the story it
// was drawn from. Deterministic for a given seed. Not thread-safe.
#ifndef STORYLINE_TOOLS_CORPUS_SYNTHETIC_NEWS_H_
#define STORYLINE_TOOLS_CORPUS_SYNTHETIC_NEWS_H_

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "storyline/cluster/story_clusterer.h"

namespace storyline::tools::corpus {

struct SyntheticNewsOptions {
  std::uint64_t seed = 1;
  // articles_per_day (5000): stream rate.
  int articles_per_day = 5000;
  // articles_per_story (10): mean story size.
  int articles_per_story = 10;
  // story_days (2.0): how long a story keeps producing articles.
  double story_days = 2.0;
  // body_words (250), title_words (9).
  int body_words = 250;
  int title_words = 9;
  // vocabulary (50000): background words, Zipf-distributed.
  int vocabulary = 50000;
};

class SyntheticNews {
 public:
  explicit SyntheticNews(const SyntheticNewsOptions& options);
  cluster::ArticleFeatures Next();
  // The generating story of the last article returned.
  std::uint64_t last_story() const { return last_story_; }

 private:
  struct Story {
    std::uint64_t id = 0;
    Timestamp start = 0;
    std::vector<std::string> words;
    std::vector<std::string> names;
    std::vector<std::string> numbers;
  };
  std::string Word(std::uint64_t n) const;
  std::string Name(std::uint64_t n) const;
  std::size_t Zipf();

  SyntheticNewsOptions options_;
  std::mt19937_64 rng_;
  std::vector<double> zipf_cdf_;
  std::vector<Story> active_;
  std::uint64_t next_story_ = 0;
  std::uint64_t next_article_ = 0;
  Timestamp now_ = 1735689600;  // 2025-01-01
  std::uint64_t last_story_ = 0;
};

}  // namespace storyline::tools::corpus

#endif  // STORYLINE_TOOLS_CORPUS_SYNTHETIC_NEWS_H_
