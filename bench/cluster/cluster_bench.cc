// Per-article cost of StoryClusterer::Add on a synthetic stream, after a
// warm-up that fills the window with live stories, for several window
// sizes (articles per day x story window = live articles).
#include <benchmark/benchmark.h>

#include "corpus/synthetic_news.h"
#include "storyline/cluster/story_clusterer.h"

namespace storyline::cluster {
namespace {

void BM_Add(benchmark::State& state) {
  tools::corpus::SyntheticNews gen(
      {.seed = 5, .articles_per_day = static_cast<int>(state.range(0))});
  Result<StoryClusterer> c = StoryClusterer::Create(ClusterOptions());
  for (int i = 0; i < 20000; ++i) (void)c->Add(gen.Next());
  std::vector<ArticleFeatures> batch;
  for (int i = 0; i < 4096; ++i) batch.push_back(gen.Next());
  std::size_t i = 0;
  for (auto _ : state) {
    if (i == batch.size()) {
      state.PauseTiming();
      batch.clear();
      for (int k = 0; k < 4096; ++k) batch.push_back(gen.Next());
      i = 0;
      (void)c->TakeFrozen();
      state.ResumeTiming();
    }
    benchmark::DoNotOptimize(c->Add(batch[i++]));
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["live_stories"] = static_cast<double>(c->live_stories());
}
BENCHMARK(BM_Add)->Arg(500)->Arg(5000)->Arg(20000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace storyline::cluster
