// cluster_cross_diag: development aid for the headline feed: `retrieval` counts how often
// teacher-forced candidate retrieval finds an article's gold story (same language or only others),
// `run` prints each article's predicted and gold story, `cross` prints the pivot translations and
// name keys of some cross-language gold stories.
#include <cmath>
#include <cstdio>
#include <map>
#include <random>
#include <set>
#include <unordered_map>

#include "cluster/bilingual.h"
#include "cluster/features.h"
#include "cluster/lexicon.h"
#include "cluster/training.h"
#include "dev/cluster_corpus.h"
#include "storyline/text/stemmer.h"
#include "storyline/text/tokenizer.h"

using namespace storyline::cluster;
using namespace storyline;
namespace dev = storyline::tools::cluster_dev;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: cluster_cross_diag retrieval|run|joins|cross HEADLINES.jsonl\n");
    return 2;
  }
  std::string mode = argv[1];
  // A directory is read as examples/ is: news.jsonl, txt/, gold and line roles.
  const std::string in = argv[2];
  const bool dir = in.find(".jsonl") == std::string::npos;
  auto articles = dev::LoadJsonl(dir ? in + "/news.jsonl" : in);
  if (!articles) return 1;
  if (dir && (!dev::LoadTxtDir(in + "/txt", &*articles) ||
              !dev::ApplyGold(in + "/gold.jsonl", &*articles) ||
              !dev::ApplyLineRoles(in + "/lines.jsonl", &*articles))) {
    return 1;
  }
  dev::SortForStream(&*articles);
  auto& A = *articles;
  if (mode == "run") {
    ClusterOptions o;
    if (argc > 3) o.merge_probability = std::atof(argv[3]);
    auto run = dev::RunClusterer(o, A);
    for (std::size_t i = 0; i < A.size(); ++i)
      std::printf("%s\t%s\t%s\t%s\t%s\n", A[i].features.id.c_str(), run->story[i].c_str(),
                  A[i].story.c_str(), A[i].features.lang.c_str(), A[i].features.title.c_str());
    return 0;
  }
  if (mode == "joins" || mode == "merges") {
    // Every candidate the running clusterer scores: article index, gold
    // match, the headline model's log-odds and the inputs.
    ClusterOptions o;
    std::vector<ArticleFeatures> f;
    std::vector<std::string> g;
    for (auto& a : A) {
      f.push_back(a.features);
      g.push_back(a.story);
    }
    auto rows = internal::TrainingAccess::OnPolicy(o, f, g);
    if (!rows) return 1;
    for (const auto& r : mode == "joins" ? rows->join : rows->merge) {
      std::printf("%s\t%d\t%.4f\t%.4f", mode == "joins" ? A[r.article].features.id.c_str() : "-",
                  r.same ? 1 : 0, internal::StoryLogit(internal::kFittedHeadlineModel, r.x),
                  internal::StoryLogit(internal::kFittedStoryModel, r.x));
      for (double v : r.x) std::printf("\t%.4f", v);
      std::printf("\n");
    }
    return 0;
  }
  if (mode == "features") {
    // Each article's sparse fields: id, lang, then per field "term:weight"
    // lists separated by tabs (title, body, names, numbers, pivot).
    internal::FeatureExtractor ex(internal::BilingualLexicon::Open("/usr/share/dictd"));
    for (auto& a : A) {
      auto x = ex.Extract(a.features.title, a.features.body, a.features.lang);
      std::printf("%s\t%s", a.features.id.c_str(), x.lang.c_str());
      for (auto& f : x.fields) {
        std::printf("\t");
        for (auto& t : f)
          std::printf("%llx:%.3f ", static_cast<unsigned long long>(t.term), t.weight);
      }
      std::printf("\n");
    }
    return 0;
  }
  if (mode == "retrieval") {
    ClusterOptions o;
    std::vector<ArticleFeatures> f;
    std::vector<std::string> g;
    for (auto& a : A) {
      f.push_back(a.features);
      g.push_back(a.story);
    }
    auto rows = internal::TrainingAccess::TeacherForced(o, f, g);
    std::vector<int> found(A.size(), 0), ncand(A.size(), 0);
    std::vector<double> bestsame(A.size(), -1);
    for (auto& r : *rows) {
      ncand[r.article]++;
      if (r.same) {
        found[r.article] = 1;
        bestsame[r.article] = r.x[internal::kInPivot];
      }
    }
    std::map<std::string, std::set<std::string>> langs;  // gold -> langs so far
    int tot[2] = {0, 0}, hit[2] = {0, 0};
    for (std::size_t i = 0; i < A.size(); ++i) {
      auto it = langs.find(A[i].story);
      if (it != langs.end()) {
        int cross = it->second.count(A[i].features.lang) ? 0 : 1;
        tot[cross]++;
        hit[cross] += found[i];
      }
      langs[A[i].story].insert(A[i].features.lang);
    }
    std::printf(
        "gold story exists, same lang: %d found %d (%.3f); only other langs: %d found %d (%.3f)\n",
        tot[0], hit[0], hit[0] / double(tot[0]), tot[1], hit[1], hit[1] / double(tot[1]));
    return 0;
  }
  // mode "cross": print terms of cross-language gold pairs.
  auto lex = internal::BilingualLexicon::Open("/usr/share/dictd");
  text::StemmerCache stems;
  text::Tokenizer tok{text::TokenizerOptions{.skip_punct = true, .split_hyphens = true}};
  auto show = [&](const dev::DevArticle& a) {
    std::printf("[%s] %s\n   piv:", a.features.lang.c_str(), a.features.title.c_str());
    auto t = tok.Tokenize(a.features.title);
    std::vector<std::string> words;
    for (auto& k : *t) words.emplace_back(k.text);
    for (auto& w : words) {
      if (internal::IsStopword(w) || text::IsStopword(a.features.lang, w)) continue;
      std::string s(stems.Stem(a.features.lang, w));
      if (a.features.lang == "en") {
        std::printf(" %s", s.c_str());
        continue;
      }
      auto tr = lex->Translate(a.features.lang, s);
      std::printf(" %s=", s.c_str());
      if (tr.empty()) std::printf("?");
      for (auto& e : tr) std::printf("%s/", e.c_str());
    }
    std::printf("\n   names:");
    for (auto& w : words) std::printf(" %s", internal::FoldName(w).c_str());
    std::printf("\n");
  };
  std::map<std::string, std::vector<std::size_t>> by;
  for (std::size_t i = 0; i < A.size(); ++i) by[A[i].story].push_back(i);
  std::mt19937 rng(7);
  int shown = 0;
  for (auto& [s, m] : by) {
    std::set<std::string> l;
    for (auto i : m) l.insert(A[i].features.lang);
    if (l.size() < 2 || m.size() > 12) continue;
    if (rng() % 6 != 0) continue;
    std::printf("=== %s\n", s.c_str());
    for (auto i : m) show(A[i]);
    if (++shown > 25) break;
  }
}
