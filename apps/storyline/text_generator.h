// Generated text for the bench commands: words drawn from a made-up
// vocabulary with a Zipf-like frequency, so that tokenizing, indexing and
// searching see news-like token statistics.
#ifndef STORYLINE_APPS_STORYLINE_TEXT_GENERATOR_H_
#define STORYLINE_APPS_STORYLINE_TEXT_GENERATOR_H_

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace storyline::cli {

// Words with a Zipf-like frequency so generated text has news-like token
// statistics (many short function words, a long tail of rare ones).
class TextGenerator {
 public:
  explicit TextGenerator(std::uint64_t seed) : rng_(seed) {
    static const char* kSyllables[] = {"ma",  "ri", "to", "les", "ne",  "gra", "do", "vel",
                                       "chi", "a",  "su", "pon", "tre", "li",  "or", "ban"};
    for (int i = 0; i < 20000; ++i) {
      std::string w;
      int n = 1 + (i % 4);
      int x = i;
      for (int k = 0; k < n; ++k) {
        w += kSyllables[x % 16];
        x /= 16;
        x += k * 7;
      }
      vocab_.push_back(w);
    }
  }

  std::string Paragraphs(std::size_t bytes) {
    std::string out;
    std::uniform_real_distribution<double> u(0.0, 1.0);
    int in_sentence = 0;
    while (out.size() < bytes) {
      // Inverse transform of a truncated power law over ranks.
      const double r = std::pow(u(rng_), 3.0);
      const std::string& w =
          vocab_[static_cast<std::size_t>(r * static_cast<double>(vocab_.size() - 1))];
      if (in_sentence == 0 && !w.empty()) {
        out += static_cast<char>(w[0] - 'a' + 'A');
        out.append(w, 1);
      } else {
        out += w;
      }
      if (++in_sentence > 12 + static_cast<int>(u(rng_) * 12)) {
        out += u(rng_) < 0.2 ? ".\n" : ". ";
        in_sentence = 0;
      } else {
        out += ' ';
      }
    }
    return out;
  }

  // The word of frequency rank `rank` (0: the most frequent).
  const std::string& Word(std::size_t rank) const { return vocab_[rank % vocab_.size()]; }
  std::size_t vocabulary_size() const { return vocab_.size(); }

 private:
  std::mt19937_64 rng_;
  std::vector<std::string> vocab_;
};

}  // namespace storyline::cli

#endif  // STORYLINE_APPS_STORYLINE_TEXT_GENERATOR_H_
