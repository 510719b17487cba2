// Line classification and chrome-model throughput on synthetic articles of
// 1, 4 and 16 KB: paragraphs of invented reporting with the usual chrome
// (section label, byline, date, sign-up prompt twice, teaser, share block,
// comment form). Target: >= 10,000 articles/s per core at 4 KB.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "storyline/clean/chrome_model.h"
#include "storyline/clean/line_classifier.h"

namespace {

using storyline::Article;
using storyline::clean::ChromeModel;
using storyline::clean::LineClassifier;

const char* const kWords[] = {
    "council", "bridge",  "river",   "said",   "the",      "on",      "Tuesday", "workers",
    "repair",  "budget",  "million", "euros",  "mayor",    "police",  "report",  "residents",
    "traffic", "closed",  "flood",   "level",  "engineers", "months", "would",   "after",
    "before",  "company", "union",   "strike", "ferry",    "talks",   "and",     "of"};

std::string Paragraph(std::mt19937* rng, int words) {
  std::string p = "The";
  std::uniform_int_distribution<std::size_t> pick(0, std::size(kWords) - 1);
  for (int i = 0; i < words; ++i) {
    p += ' ';
    p += kWords[pick(*rng)];
    if (i % 11 == 10) p += ',';
  }
  p += '.';
  return p;
}

Article MakeArticle(std::mt19937* rng, int id, std::size_t bytes) {
  Article a;
  a.id = std::to_string(id);
  a.source = "site" + std::to_string(id % 20) + ".example";
  a.title = "Council approves bridge repair budget " + std::to_string(id);
  std::string& t = a.text;
  t = a.title + "\n\nNews › Region\nBy Anna Keller\nMarch 15, 2025 · 7:40 PM CET\n\n";
  int k = 0;
  while (t.size() < bytes) {
    t += Paragraph(rng, 30 + static_cast<int>((*rng)() % 40)) + "\n\n";
    if (++k % 3 == 0) t += "Sign up for our free newsletter and get the news in your inbox.\n\n";
    if (k == 4) t += "READ MORE: Harbour plans new ferry terminal\n\n";
  }
  t += "Share this article: Facebook · X · Email\n\nLeave a comment\n"
       "Your email address will not be published. Required fields are marked *\n";
  return a;
}

std::vector<Article> Corpus(std::size_t bytes) {
  std::mt19937 rng(42);
  std::vector<Article> out;
  for (int i = 0; i < 256; ++i) out.push_back(MakeArticle(&rng, i, bytes));
  return out;
}

void BM_Classify(benchmark::State& state, bool with_corpus) {
  const std::vector<Article> articles = Corpus(static_cast<std::size_t>(state.range(0)));
  auto classifier = LineClassifier::Create({});
  ChromeModel model;
  for (const Article& a : articles) model.Observe(a);
  std::size_t i = 0;
  std::int64_t bytes = 0;
  for (auto _ : state) {
    const Article& a = articles[i++ % articles.size()];
    auto cleaned = classifier->Classify(a, with_corpus ? &model : nullptr);
    benchmark::DoNotOptimize(cleaned);
    bytes += static_cast<std::int64_t>(a.text.size());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(bytes);
}

void BM_Observe(benchmark::State& state) {
  const std::vector<Article> articles = Corpus(static_cast<std::size_t>(state.range(0)));
  ChromeModel model;
  std::size_t i = 0;
  std::int64_t bytes = 0;
  for (auto _ : state) {
    const Article& a = articles[i++ % articles.size()];
    model.Observe(a);
    bytes += static_cast<std::int64_t>(a.text.size());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(bytes);
}

void BM_CleanCorpus(benchmark::State& state) {
  const std::vector<Article> articles = Corpus(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    auto cleaned = storyline::clean::CleanCorpus(articles);
    benchmark::DoNotOptimize(cleaned);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(articles.size()));
}

BENCHMARK_CAPTURE(BM_Classify, alone, false)->Arg(1 << 10)->Arg(4 << 10)->Arg(16 << 10);
BENCHMARK_CAPTURE(BM_Classify, corpus, true)->Arg(1 << 10)->Arg(4 << 10)->Arg(16 << 10);
BENCHMARK(BM_Observe)->Arg(1 << 10)->Arg(4 << 10)->Arg(16 << 10);
BENCHMARK(BM_CleanCorpus)->Arg(4 << 10);

}  // namespace
