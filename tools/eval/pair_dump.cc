// pair_dump: development aid. For every pair of articles of one ECB+ topic
// (gold "topic_event"), prints the four field cosines under corpus IDF and
// whether the pair is one story. Used to choose the score's shape.
#include <cmath>
#include <cstdio>
#include <map>
#include <unordered_map>

#include "cluster/features.h"
#include "dev/cluster_corpus.h"

using namespace storyline::cluster;
namespace dev = storyline::tools::cluster_dev;

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  auto articles = dev::LoadJsonl(argv[1]);
  if (!articles) return 1;
  internal::FeatureExtractor ex;
  std::vector<internal::ExtractedArticle> xs;
  std::unordered_map<std::uint64_t, int> df;
  for (auto& a : *articles) {
    xs.push_back(ex.Extract(a.features.title, a.features.body, a.features.lang));
    for (auto& f : xs.back().fields)
      for (auto& t : f) df[t.term]++;
  }
  const double n = static_cast<double>(xs.size());
  auto vec = [&](const internal::SparseVector& v) {
    std::vector<std::pair<std::uint64_t, double>> out;
    double norm = 0;
    for (auto& t : v) {
      double w = t.weight * std::log(1 + n / df[t.term]);
      out.emplace_back(t.term, w);
      norm += w * w;
    }
    for (auto& o : out) o.second /= std::sqrt(norm) + 1e-12;
    return out;
  };
  std::vector<std::array<std::vector<std::pair<std::uint64_t, double>>, 4>> vs;
  for (auto& x : xs)
    vs.push_back({vec(x.fields[0]), vec(x.fields[1]), vec(x.fields[2]), vec(x.fields[3])});
  auto cos = [](const auto& a, const auto& b) {
    double d = 0;
    std::size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
      if (a[i].first < b[j].first)
        ++i;
      else if (b[j].first < a[i].first)
        ++j;
      else
        d += a[i++].second * b[j++].second;
    }
    return d;
  };
  if (argc > 2) {
    // Article vs gold-story centroids of earlier articles (same topic).
    std::map<std::string, std::array<std::map<std::uint64_t, double>, 4>> cent;
    for (std::size_t i = 0; i < xs.size(); ++i) {
      const auto& g = (*articles)[i].story;
      const std::string topic = g.substr(0, g.find('_'));
      for (auto& [story, c] : cent) {
        if (story.substr(0, story.find('_')) != topic) continue;
        std::printf("%d", story == g ? 1 : 0);
        for (int f = 0; f < 4; ++f) {
          double dot = 0, cn = 0;
          for (auto& [t, w] : c[f]) {
            double idf = std::log(1 + n / df[t]);
            cn += w * w * idf * idf;
          }
          for (auto& [t, w] : vs[i][f]) {
            auto it = c[f].find(t);
            if (it != c[f].end()) dot += w * it->second * std::log(1 + n / df[t]);
          }
          std::printf(" %.4f", cn > 0 ? dot / std::sqrt(cn) : 0.0);
        }
        std::printf(" %s %zu %zu %zu %zu\n", (*articles)[i].features.id.c_str(),
                    xs[i].fields[0].size(), xs[i].fields[1].size(), xs[i].fields[2].size(),
                    xs[i].fields[3].size());
      }
      for (int f = 0; f < 4; ++f) {
        double norm = 0;
        for (auto& t : xs[i].fields[f]) norm += t.weight * t.weight;
        for (auto& t : xs[i].fields[f]) cent[g][f][t.term] += t.weight / std::sqrt(norm);
      }
    }
    return 0;
  }
  for (std::size_t i = 0; i < xs.size(); ++i) {
    for (std::size_t j = i + 1; j < xs.size(); ++j) {
      const auto& gi = (*articles)[i].story;
      const auto& gj = (*articles)[j].story;
      if (gi.substr(0, gi.find('_')) != gj.substr(0, gj.find('_'))) continue;
      std::printf("%d %.4f %.4f %.4f %.4f %zu %zu %zu %zu\n", gi == gj ? 1 : 0,
                  cos(vs[i][0], vs[j][0]), cos(vs[i][1], vs[j][1]), cos(vs[i][2], vs[j][2]),
                  cos(vs[i][3], vs[j][3]), xs[i].fields[2].size(), xs[j].fields[2].size(),
                  xs[i].fields[3].size(), xs[j].fields[3].size());
    }
  }
}
