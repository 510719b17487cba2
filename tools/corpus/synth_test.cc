#include "corpus/synth.h"

#include <gtest/gtest.h>

#include <map>
#include <vector>

#include "storyline/dedup/duplicate_index.h"
#include "storyline/dedup/sketch.h"

namespace storyline::tools::corpus {
namespace {

using dedup::DocId;
using dedup::DocumentInput;
using dedup::DuplicateIndex;
using dedup::Sketcher;

std::vector<SyntheticArticle> Generate(BaseSource& bases, const WireCopyOptions& options) {
  WireCopyGenerator gen(bases, options);
  std::vector<SyntheticArticle> out;
  SyntheticArticle a;
  while (gen.Next(a)) out.push_back(a);
  return out;
}

std::vector<SyntheticArticle> Fabricate(uint64_t bases, const WireCopyOptions& options) {
  FabricatedBaseSource src(MakeZipfVocabulary(30000, 1.0, 1), {.count = bases, .seed = 2});
  return Generate(src, options);
}

TEST(SynthTest, IsDeterministicForASeed) {
  const auto a = Fabricate(20, {.seed = 3});
  const auto b = Fabricate(20, {.seed = 3});
  const auto c = Fabricate(20, {.seed = 4});
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].Text(), b[i].Text());
    EXPECT_EQ(a[i].gold_group, b[i].gold_group);
    EXPECT_EQ(a[i].timestamp, b[i].timestamp);
  }
  bool differs = a.size() != c.size();
  for (size_t i = 0; !differs && i < a.size(); ++i) differs = a[i].Text() != c[i].Text();
  EXPECT_TRUE(differs);
}

TEST(SynthTest, MakesTheAdvertisedVariants) {
  const auto articles = Fabricate(60, {.seed = 5});
  std::map<uint32_t, size_t> base_words;
  std::map<ArticleKind, int> kinds;
  for (size_t i = 0; i < articles.size(); ++i) {
    const SyntheticArticle& a = articles[i];
    EXPECT_EQ(a.id, i);
    ++kinds[a.kind];
    if (a.kind == ArticleKind::kOriginal) base_words[a.base] = a.Words().size();
  }
  for (ArticleKind k : {ArticleKind::kOriginal, ArticleKind::kFullCopy, ArticleKind::kCutCopy,
                        ArticleKind::kUnrelated}) {
    EXPECT_GT(kinds[k], 10) << static_cast<int>(k);
  }
  for (const SyntheticArticle& a : articles) {
    auto it = base_words.find(a.base);
    if (a.kind != ArticleKind::kCutCopy || it == base_words.end()) continue;
    EXPECT_GE(a.cut, 0.4);
    EXPECT_LE(a.cut, 0.9);
    // Dropped paragraphs make it shorter, chrome (<= 3 lines of <= 10 words)
    // longer.
    EXPECT_LE(a.Words().size(), static_cast<size_t>(a.cut * static_cast<double>(it->second)) + 31);
  }
}

TEST(SynthTest, WorksFromRealParagraphs) {
  BaseDocument d = TextBaseSource::Parse(
      "WASHINGTON, Jan 8 (Reuters) - The United States and its allies are ready to discuss\n"
      "\n"
      "  with Russia the possibility of each side restricting military exercises  \n"
      "and missile deployments in the region, a senior official said on Saturday.\n");
  ASSERT_EQ(d.paragraphs.size(), 3u);
  EXPECT_EQ(d.paragraphs[0][0], "WASHINGTON,");
  EXPECT_EQ(d.paragraphs[1][0], "with");
  ListBaseSource bases({d, d});
  const auto articles = Generate(bases, {.seed = 1, .min_copies = 2, .max_copies = 2});
  EXPECT_GE(articles.size(), 6u);  // 2 x (2 copies + 1 unrelated) at least
  for (const SyntheticArticle& a : articles) EXPECT_FALSE(a.Words().empty());
}

struct Scores {
  double precision, recall, f1;
  int unrelated_matched;
};

// Runs the whole engine over a generated corpus and scores its groups
// against the gold ones with pairwise precision and recall.
Scores Score(const std::vector<SyntheticArticle>& articles) {
  Sketcher sketcher = *Sketcher::Create({});
  DuplicateIndex index = *DuplicateIndex::Create({}, {});
  for (const SyntheticArticle& a : articles) {
    const std::vector<std::string_view> words = a.Words();
    const std::vector<uint64_t> shingles = HashWordShingles(words);
    DocumentInput in;
    in.id = a.id;
    in.body_hash = HashWords(words);
    in.shingles = shingles;
    in.timestamp = a.timestamp;
    in.body_length = static_cast<uint32_t>(words.size());
    EXPECT_TRUE(index.Add(*sketcher.Sketch(in)));
  }
  double tp = 0, fp = 0, fn = 0;
  int unrelated_matched = 0;
  for (size_t i = 0; i < articles.size(); ++i) {
    const DocId ci = index.CanonicalOf(articles[i].id);
    if (articles[i].kind == ArticleKind::kUnrelated &&
        index.Group(articles[i].id)->members.size() > 1) {
      ++unrelated_matched;
    }
    for (size_t j = i + 1; j < articles.size(); ++j) {
      const bool gold = articles[i].gold_group == articles[j].gold_group;
      const bool got = ci == index.CanonicalOf(articles[j].id);
      tp += gold && got;
      fp += !gold && got;
      fn += gold && !got;
    }
  }
  Scores s;
  s.precision = tp + fp == 0 ? 1 : tp / (tp + fp);
  s.recall = tp + fn == 0 ? 1 : tp / (tp + fn);
  s.f1 = 2 * s.precision * s.recall / (s.precision + s.recall);
  s.unrelated_matched = unrelated_matched;
  return s;
}

TEST(SynthTest, EngineScoresOnGeneratedCopies) {
  struct Row {
    WireCopyOptions options;
    const char* why;
  };
  const Row rows[] = {
      {{.seed = 11, .full_copy_rate = 1.0}, "full copies: chrome, dropped paragraphs, 2% words"},
      {{.seed = 12, .original_rate = 1.0, .full_copy_rate = 0.0}, "cut copies, original present"},
      {{.seed = 13, .original_rate = 0.0, .full_copy_rate = 0.0},
       "cut copies, original absent: copies must match each other"},
      {{.seed = 14, .word_change_rate = 0.05}, "5% of words changed"},
  };
  for (const Row& row : rows) {
    const Scores s = Score(Fabricate(80, row.options));
    EXPECT_GE(s.f1, 0.97) << row.why << " P=" << s.precision << " R=" << s.recall;
    EXPECT_EQ(s.unrelated_matched, 0) << row.why;
  }
}

}  // namespace
}  // namespace storyline::tools::corpus
