// cluster_scale: streams N generated articles through one StoryClusterer on
// one thread and reports articles/s and memory at checkpoints.
//
//   cluster_scale [N=1000000] [articles_per_day=5000]
//
// Prints, at 100k and every power of ten after, the articles/s over the run
// so far (Add calls only, on this thread's CPU clock, so other load on the
// machine does not count), live stories, the clusterer's own estimate of its memory and the
// process's resident set (VmRSS), and the purity of predicted stories
// against the generating stories (share of articles whose predicted story's
// majority source is their own).
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <unordered_map>

#include "corpus/synthetic_news.h"
#include "storyline/cluster/story_clusterer.h"

namespace {

// CPU time of this thread: "articles/s per core" independent of other load
// on the machine.
double ThreadSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

long ResidentKb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace storyline::cluster;
  const long n = argc > 1 ? std::atol(argv[1]) : 1000000;
  const int per_day = argc > 2 ? std::atoi(argv[2]) : 5000;
  storyline::tools::corpus::SyntheticNews gen({.seed = 42, .articles_per_day = per_day});
  auto c = StoryClusterer::Create(ClusterOptions());
  if (!c) return 1;
  // Purity bookkeeping over frozen stories only (bounded memory).
  std::unordered_map<std::string, std::uint64_t> source;
  std::size_t pure_articles = 0;
  std::size_t judged_articles = 0;
  auto judge = [&] {
    (void)c->TakeMerges();  // not needed here; drained to keep memory bounded
    (void)c->TakeStorylineMerges();
    for (const FrozenStory& f : c->TakeFrozen()) {
      std::unordered_map<std::uint64_t, std::size_t> count;
      std::size_t best = 0;
      for (const std::string& id : f.articles) {
        best = std::max(best, ++count[source[id]]);
        source.erase(id);
      }
      pure_articles += best;
      judged_articles += f.articles.size();
    }
  };
  double gen_seconds = 0;
  double add_seconds = 0;
  long next_report = 100000;
  std::printf("%10s %12s %12s %14s %12s %8s\n", "articles", "articles/s", "live_stories",
              "clusterer_MiB", "rss_MiB", "purity");
  for (long i = 1; i <= n; ++i) {
    const double t0 = ThreadSeconds();
    ArticleFeatures a = gen.Next();
    source[a.id] = gen.last_story();
    const double t1 = ThreadSeconds();
    if (!c->Add(a)) return 1;
    const double t2 = ThreadSeconds();
    gen_seconds += t1 - t0;
    add_seconds += t2 - t1;
    if (i % 1000 == 0) judge();
    if (i == next_report || i == n) {
      std::printf("%10ld %12.0f %12zu %14.1f %12.1f %8.4f\n", i, i / add_seconds, c->live_stories(),
                  c->ApproximateMemoryBytes() / 1048576.0, ResidentKb() / 1024.0,
                  judged_articles ? static_cast<double>(pure_articles) / judged_articles : 1.0);
      std::fflush(stdout);
      next_report *= 10;
    }
  }
  std::printf("CPU: generator %.1f s, clusterer %.1f s\n", gen_seconds, add_seconds);
  return 0;
}
