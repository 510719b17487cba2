// cluster_eval: streams a labelled corpus through the story clusterer and
// prints BCubed and pairwise scores.
//
//   cluster_eval ../shared/data/ecbplus.jsonl
//   cluster_eval examples/news.jsonl examples/txt --gold examples/gold.jsonl
//       --roles examples/lines.jsonl --copies        (one command line)
//   cluster_eval ecbplus.jsonl --set join_probability=0.6
//
// Inputs: *.jsonl files and folders of *.txt. --gold FILE: labels by id;
// --roles FILE: keep only body/heading lines (what cleaning will pass on);
// --copies: copy_of links from gold dup groups (as the duplicate stage
// gives them); --batch N: AddBatch size; --quiet: one summary line.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "dev/cluster_corpus.h"

namespace {

using storyline::cluster::ClusterOptions;
using storyline::cluster::ClusterScores;

std::map<std::string, std::function<void(ClusterOptions*, double)>> Setters() {
  std::map<std::string, std::function<void(ClusterOptions*, double)>> s;
#define STORYLINE_DOUBLE(name) s[#name] = [](ClusterOptions* o, double v) { o->name = v; }
#define STORYLINE_INT(name) \
  s[#name] = [](ClusterOptions* o, double v) { o->name = static_cast<int>(v); }
  STORYLINE_DOUBLE(join_probability);
  STORYLINE_DOUBLE(time_sigma_days);
  STORYLINE_DOUBLE(headline_time_sigma_days);
  STORYLINE_INT(centroid_terms);
  STORYLINE_INT(index_terms);
  STORYLINE_INT(query_terms);
  STORYLINE_INT(pivot_index_terms);
  STORYLINE_INT(max_candidates);
  STORYLINE_INT(max_posting);
  STORYLINE_DOUBLE(story_window_days);
  STORYLINE_INT(max_live_stories);
  STORYLINE_INT(repair_every);
  STORYLINE_DOUBLE(merge_probability);
  STORYLINE_DOUBLE(cross_merge_probability);
  STORYLINE_DOUBLE(recheck_growth);
  STORYLINE_DOUBLE(storyline_names_weight);
  STORYLINE_DOUBLE(storyline_body_weight);
  STORYLINE_DOUBLE(storyline_threshold);
  STORYLINE_DOUBLE(storyline_sigma_days);
  STORYLINE_DOUBLE(storyline_time_weight);
  STORYLINE_DOUBLE(storyline_window_days);
#undef STORYLINE_DOUBLE
#undef STORYLINE_INT
  return s;
}

void Print(const char* what, const ClusterScores& s) {
  std::printf(
      "%-10s BCubed P %.4f R %.4f F1 %.4f | pairwise P %.4f R %.4f F1 %.4f | "
      "clusters %zu (gold %zu) over %zu items\n",
      what, s.bcubed.precision, s.bcubed.recall, s.bcubed.f1, s.pairwise.precision,
      s.pairwise.recall, s.pairwise.f1, s.predicted_clusters, s.gold_clusters, s.items);
}

int Usage() {
  std::fprintf(stderr,
               "usage: cluster_eval INPUT... [--gold FILE] [--roles FILE] [--copies] "
               "[--batch N] [--set OPTION=VALUE]... [--quiet]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  namespace dev = storyline::tools::cluster_dev;
  std::vector<std::string> inputs;
  std::string gold;
  std::string roles;
  bool copies = false;
  bool quiet = false;
  int batch = 0;
  ClusterOptions options;
  const auto setters = Setters();
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    if (arg == "--gold" || arg == "--roles" || arg == "--batch" || arg == "--set") {
      const char* value = next();
      if (value == nullptr) return Usage();
      if (arg == "--gold") gold = value;
      if (arg == "--roles") roles = value;
      if (arg == "--batch") batch = std::atoi(value);
      if (arg == "--set") {
        const std::string kv = value;
        const std::size_t eq = kv.find('=');
        auto it = eq == std::string::npos ? setters.end() : setters.find(kv.substr(0, eq));
        if (it == setters.end()) {
          std::fprintf(stderr, "cluster_eval: unknown option in --set %s\n", value);
          return 2;
        }
        it->second(&options, std::atof(kv.c_str() + eq + 1));
      }
    } else if (arg == "--copies") {
      copies = true;
    } else if (arg == "--quiet") {
      quiet = true;
    } else if (!arg.empty() && arg[0] == '-') {
      return Usage();
    } else {
      inputs.push_back(arg);
    }
  }
  if (inputs.empty()) return Usage();

  std::vector<dev::DevArticle> articles;
  for (const std::string& input : inputs) {
    if (std::filesystem::is_directory(input)) {
      if (auto s = dev::LoadTxtDir(input, &articles); !s) {
        std::fprintf(stderr, "cluster_eval: %s\n", s.error().ToString().c_str());
        return 1;
      }
      continue;
    }
    auto loaded = dev::LoadJsonl(input);
    if (!loaded) {
      std::fprintf(stderr, "cluster_eval: %s\n", loaded.error().ToString().c_str());
      return 1;
    }
    for (auto& a : *loaded) {
      a.file_order = articles.size();
      articles.push_back(std::move(a));
    }
  }
  if (!gold.empty()) {
    if (auto s = dev::ApplyGold(gold, &articles); !s) {
      std::fprintf(stderr, "cluster_eval: %s\n", s.error().ToString().c_str());
      return 1;
    }
  }
  if (!roles.empty()) {
    if (auto s = dev::ApplyLineRoles(roles, &articles); !s) {
      std::fprintf(stderr, "cluster_eval: %s\n", s.error().ToString().c_str());
      return 1;
    }
  }
  dev::SortForStream(&articles);
  if (copies) dev::LinkCopiesFromGold(&articles);

  auto run = dev::RunClusterer(options, articles, batch);
  if (!run) {
    std::fprintf(stderr, "cluster_eval: %s\n", run.error().ToString().c_str());
    return 1;
  }
  Print("stories", run->story_scores);
  if (run->storyline_scores.gold_clusters > 0) Print("storylines", run->storyline_scores);
  std::printf("mixed ECB+ topics: %zu predicted stories mix the two events of a topic\n",
              run->mixed_topic_stories);
  std::printf("%zu articles in %.3f s (%.0f articles/s)\n", articles.size(), run->seconds,
              articles.size() / std::max(run->seconds, 1e-9));
  if (!quiet) {
    std::map<std::string, std::vector<std::string>> members;
    for (std::size_t i = 0; i < articles.size(); ++i) {
      members[run->story[i]].push_back(articles[i].features.id + " [" + articles[i].story + "]");
    }
    {
      for (const auto& [story, ids] : members) {
        std::printf("%s:", story.c_str());
        for (const auto& id : ids) std::printf(" %s", id.c_str());
        std::printf("\n");
      }
    }
  }
  return 0;
}
