// Synthetic wire-copy corpora with gold duplicate groups, for tests and
// benchmarks of the duplicate engine.
//
//   // From real articles (paragraph lists or plain text):
//   ListBaseSource bases({TextBaseSource::Parse(text1), TextBaseSource::Parse(text2)});
//   // ...or fabricated from a word-frequency vocabulary, endlessly:
//   FabricatedBaseSource bases(MakeZipfVocabulary(50000, 1.0, /*seed=*/7), {});
//   WireCopyGenerator gen(bases, WireCopyOptions{.seed = 42});
//   SyntheticArticle a;
//   while (gen.Next(a)) {
//     std::vector<std::string_view> words = a.Words();
//     std::vector<uint64_t> shingles = HashWordShingles(words, 5);
//     ... a.gold_group ...
//   }
//
// For every base document the generator emits, in a shuffled block: the
// original (with probability original_rate), 1..N wire copies of it, and
// unrelated reports of the same event, all with gold groups (copies share the
// original's; each unrelated report has its own). A copy is what a
// republishing site makes of an agency story: site chrome lines added,
// paragraphs dropped, a few words changed, and (unless it is a full copy) the
// text cut after 40-90% of its words. An unrelated report reuses the base's
// vocabulary (same names, same topic words) in its own order, plus one short
// verbatim quote, like a different outlet covering the same event: it must
// not be called a copy.
//
// Everything is deterministic for a seed, on every platform (own random
// generator, no <random> distributions), and streaming: memory is one base
// document's block, so millions of articles can be generated.
//
// Thread safety: none; use one generator per thread.
#ifndef STORYLINE_TOOLS_CORPUS_SYNTH_H_
#define STORYLINE_TOOLS_CORPUS_SYNTH_H_

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace storyline::tools::corpus {

// SplitMix64 (Steele, Lea & Flood 2014): tiny, fast, and the same sequence
// everywhere.
class SynthRandom {
 public:
  explicit SynthRandom(uint64_t seed) : state_(seed) {}
  uint64_t Next();
  // Uniform in [0, 1).
  double Uniform();
  // Uniform in [0, n); n > 0.
  uint32_t Below(uint32_t n);
  // Uniform in [lo, hi]; lo <= hi.
  uint32_t Between(uint32_t lo, uint32_t hi) { return lo + Below(hi - lo + 1); }

 private:
  uint64_t state_;
};

using Paragraph = std::vector<std::string>;  // words

struct BaseDocument {
  std::vector<Paragraph> paragraphs;
};

// A stream of base documents.
class BaseSource {
 public:
  virtual ~BaseSource() = default;
  // Fills `out` with the next base; false at the end.
  virtual bool Next(BaseDocument& out) = 0;
};

// Bases from a fixed list (real articles).
class ListBaseSource : public BaseSource {
 public:
  explicit ListBaseSource(std::vector<BaseDocument> docs) : docs_(std::move(docs)) {}
  bool Next(BaseDocument& out) override;

 private:
  std::vector<BaseDocument> docs_;
  size_t next_ = 0;
};

// Splits plain text into paragraphs (non-empty lines) of whitespace-separated
// words.
class TextBaseSource {
 public:
  static BaseDocument Parse(std::string_view text);
};

// A word-frequency vocabulary: words[i] is drawn with probability
// proportional to weights[i].
struct Vocabulary {
  std::vector<std::string> words;
  std::vector<double> weights;
};

// `size` pronounceable pseudo-words with Zipf weights 1/rank^exponent, the
// shape of real word frequencies.
Vocabulary MakeZipfVocabulary(uint32_t size, double exponent, uint64_t seed);

struct FabricatedBaseOptions {
  // count (0 = endless): number of bases to produce.
  uint64_t count = 0;
  // paragraphs per base, uniform in [min_paragraphs (8), max_paragraphs (12)].
  uint32_t min_paragraphs = 8;
  uint32_t max_paragraphs = 12;
  // words per paragraph, uniform in [min_words (45), max_words (75)]: ~650
  // words, a ~4 KB article, on average.
  uint32_t min_words = 45;
  uint32_t max_words = 75;
  uint64_t seed = 1;
};

// Bases whose words are drawn from a vocabulary (Walker's alias method, O(1)
// per word), for scale tests.
class FabricatedBaseSource : public BaseSource {
 public:
  FabricatedBaseSource(Vocabulary vocabulary, const FabricatedBaseOptions& options);
  bool Next(BaseDocument& out) override;

 private:
  uint32_t Draw();

  Vocabulary vocabulary_;
  FabricatedBaseOptions options_;
  SynthRandom random_;
  std::vector<double> alias_prob_;
  std::vector<uint32_t> alias_;
  uint64_t produced_ = 0;
};

enum class ArticleKind : uint8_t {
  kOriginal,   // the base document itself
  kFullCopy,   // a copy that is not cut
  kCutCopy,    // a copy cut after 40-90% of its words
  kUnrelated,  // another outlet's report of the same event
};

struct SyntheticArticle {
  uint32_t id = 0;          // 0, 1, 2, ... in emission order
  uint32_t gold_group = 0;  // equal for an original and its copies
  uint32_t base = 0;        // index of the base document
  ArticleKind kind = ArticleKind::kOriginal;
  int64_t timestamp = 0;  // Unix seconds
  double cut = 1.0;       // fraction of the words kept by the cut
  std::vector<Paragraph> paragraphs;

  // All words in order (views into `paragraphs`).
  std::vector<std::string_view> Words() const;
  // Paragraphs joined by '\n', words by ' '.
  std::string Text() const;
};

struct WireCopyOptions {
  uint64_t seed = 1;
  // copies per base, uniform in [min_copies (1), max_copies (4)].
  uint32_t min_copies = 1;
  uint32_t max_copies = 4;
  // original_rate (0.8): probability that the base itself is emitted.
  double original_rate = 0.8;
  // full_copy_rate (0.4): share of copies that are not cut.
  double full_copy_rate = 0.4;
  // A cut copy keeps a uniform fraction in [min_cut (0.4), max_cut (0.9)] of
  // the words.
  double min_cut = 0.4;
  double max_cut = 0.9;
  // paragraph_drop_rate (0.1): each paragraph but the first is dropped from
  // a copy with this probability.
  double paragraph_drop_rate = 0.1;
  // word_change_rate (0.02): each word of a copy is replaced by another word
  // of the same base with this probability.
  double word_change_rate = 0.02;
  // chrome lines (site boilerplate) added to a copy, uniform in
  // [0, max_chrome_lines (3)], drawn from its site's fixed set.
  uint32_t max_chrome_lines = 3;
  // num_sites (40): sites a copy can come from; each has its own chrome.
  uint32_t num_sites = 40;
  // unrelated_per_base (1): other outlets' reports per base.
  uint32_t unrelated_per_base = 1;
  // quote_words (12): length of the verbatim quote an unrelated report takes
  // from the base (0 = none).
  uint32_t quote_words = 12;
  // Timestamps: base i is published at start_time + i * base_interval;
  // copies and reports follow within spread_seconds.
  int64_t start_time = 1700000000;
  int64_t base_interval = 60;
  int64_t spread_seconds = 6 * 3600;
};

class WireCopyGenerator {
 public:
  // `bases` is not owned and must outlive the generator.
  WireCopyGenerator(BaseSource& bases, const WireCopyOptions& options);
  // Next article; false when the base source is exhausted.
  bool Next(SyntheticArticle& out);

 private:
  void MakeBlock(const BaseDocument& base);
  SyntheticArticle MakeCopy(const BaseDocument& base, bool full);
  SyntheticArticle MakeUnrelated(const BaseDocument& base);
  const std::vector<std::string>& SiteChrome(uint32_t site);

  BaseSource& bases_;
  WireCopyOptions options_;
  SynthRandom random_;
  std::deque<SyntheticArticle> pending_;
  std::vector<std::vector<std::string>> chrome_;  // by site, lazily made
  uint32_t base_index_ = 0;
  uint32_t next_id_ = 0;
  uint32_t next_group_ = 0;
  int64_t base_time_ = 0;
};

// A reference shingler for synthetic corpora (the pipeline uses the text
// module's): hashes of every run of `k` consecutive words, in order; a text
// of 1..k-1 words gives one shingle of all its words, an empty one none.
std::vector<uint64_t> HashWordShingles(const std::vector<std::string_view>& words, uint32_t k = 5,
                                       uint64_t seed = 0);

// Hash of the words joined by single spaces (an "exact body" hash); 0 is
// never returned.
uint64_t HashWords(const std::vector<std::string_view>& words);

}  // namespace storyline::tools::corpus

#endif  // STORYLINE_TOOLS_CORPUS_SYNTH_H_
