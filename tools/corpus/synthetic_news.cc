#include "corpus/synthetic_news.h"

#include <algorithm>
#include <cmath>

namespace storyline::tools::corpus {
namespace {

constexpr const char* kSyllables[] = {"ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "pi", "da",
                                      "ge", "ho", "ju", "be", "fa", "zi", "co", "wu", "ny", "ta"};
constexpr std::uint64_t kSyllableCount = 20;

}  // namespace

SyntheticNews::SyntheticNews(const SyntheticNewsOptions& options)
    : options_(options), rng_(options.seed) {
  // Zipf(1) over the background vocabulary: the shape of word frequencies in
  // news text, so IDF and posting lengths behave as they do on real streams.
  zipf_cdf_.resize(static_cast<std::size_t>(options_.vocabulary));
  double sum = 0;
  for (std::size_t i = 0; i < zipf_cdf_.size(); ++i) {
    sum += 1.0 / static_cast<double>(i + 1);
    zipf_cdf_[i] = sum;
  }
  for (double& c : zipf_cdf_) c /= sum;
}

std::string SyntheticNews::Word(std::uint64_t n) const {
  std::string w;
  do {
    w += kSyllables[n % kSyllableCount];
    n /= kSyllableCount;
  } while (n > 0 || w.size() < 4);
  return w;
}

std::string SyntheticNews::Name(std::uint64_t n) const {
  std::string w = Word(n * 7919 + 13) + "x";
  w[0] = static_cast<char>(w[0] - 'a' + 'A');
  return w;
}

std::size_t SyntheticNews::Zipf() {
  const double u = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
  return static_cast<std::size_t>(std::lower_bound(zipf_cdf_.begin(), zipf_cdf_.end(), u) -
                                  zipf_cdf_.begin());
}

cluster::ArticleFeatures SyntheticNews::Next() {
  now_ += std::max(1, 86400 / std::max(1, options_.articles_per_day));
  const Timestamp horizon = now_ - static_cast<Timestamp>(options_.story_days * 86400);
  std::erase_if(active_, [&](const Story& s) { return s.start < horizon; });
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  if (active_.empty() || unit(rng_) < 1.0 / options_.articles_per_story) {
    Story s;
    s.id = next_story_++;
    s.start = now_;
    std::uniform_int_distribution<std::uint64_t> rare(
        1000, static_cast<std::uint64_t>(options_.vocabulary) - 1);
    for (int i = 0; i < 30; ++i) s.words.push_back(Word(rare(rng_)));
    for (int i = 0; i < 5; ++i) s.names.push_back(Name(rng_() % 200000));
    for (int i = 0; i < 3; ++i) s.numbers.push_back(std::to_string(10 + rng_() % 5000));
    active_.push_back(std::move(s));
  }
  const Story& story = active_[rng_() % active_.size()];
  last_story_ = story.id;
  auto pick = [&](const std::vector<std::string>& v) -> const std::string& {
    return v[rng_() % v.size()];
  };
  cluster::ArticleFeatures a;
  a.id = "a" + std::to_string(next_article_++);
  a.published = now_;
  a.lang = "en";
  for (int i = 0; i < options_.title_words; ++i) {
    if (i > 0) a.title += ' ';
    const double r = unit(rng_);
    a.title += r < 0.5 ? pick(story.words) : r < 0.7 ? pick(story.names) : Word(Zipf());
  }
  a.body.reserve(static_cast<std::size_t>(options_.body_words) * 7);
  for (int i = 0; i < options_.body_words; ++i) {
    const bool sentence_start = i % 15 == 0;
    if (i > 0) a.body += sentence_start ? ". " : " ";
    const double r = unit(rng_);
    std::string w = r < 0.25   ? pick(story.words)
                    : r < 0.30 ? pick(story.names)
                    : r < 0.32 ? pick(story.numbers)
                               : Word(Zipf());
    if (sentence_start && w[0] >= 'a' && w[0] <= 'z') w[0] = static_cast<char>(w[0] - 'a' + 'A');
    a.body += w;
  }
  a.body += '.';
  return a;
}

}  // namespace storyline::tools::corpus
