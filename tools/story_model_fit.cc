// story_model_fit: fits the clusterer's "same story?" model
// (src/cluster/story_model.h) on every development corpus at once, picks
// the join and merge probabilities on the real stream, and prints the
// per-corpus scores and the weights to paste into story_model.cc.
//
//   story_model_fit [--shared ../shared] [--examples examples] [--no-fit]
//                   [--join P] [--merge P] [--sweep]
//
// Rows: each article against each candidate story the clusterer retrieves
// for it, on a stream whose stories are the gold ones so far (teacher
// forcing; training.h), labelled "same story" or not. Each corpus weighs
// the same in the fit (ECB+, the headline feed, examples/), and within a
// corpus both labels weigh half: no corpus, and no class, dominates by its
// size. The fit is an L2-regularised logistic regression solved by Newton's
// method (iteratively reweighted least squares; Hastie, Tibshirani &
// Friedman, The Elements of Statistical Learning, 2nd ed., §4.4.1).
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "cluster/dev_corpus.h"
#include "cluster/story_model.h"
#include "cluster/training.h"

namespace {

namespace dev = storyline::cluster::dev;
namespace in = storyline::cluster::internal;
using storyline::cluster::ClusterOptions;

struct Corpus {
  std::string name;
  std::vector<dev::DevArticle> articles;
  bool train = true;
};

int Usage() {
  std::fprintf(stderr,
               "usage: story_model_fit [--shared DIR] [--examples DIR] [--no-fit] [--join P] "
               "[--merge P] [--sweep]\n");
  return 2;
}

// Solves A x = b (n×n, A symmetric positive definite) by Gaussian
// elimination with partial pivoting; A and b are overwritten.
std::vector<double> Solve(std::vector<std::vector<double>> a, std::vector<double> b) {
  const std::size_t n = b.size();
  for (std::size_t c = 0; c < n; ++c) {
    std::size_t pivot = c;
    for (std::size_t r = c + 1; r < n; ++r) {
      if (std::abs(a[r][c]) > std::abs(a[pivot][c])) pivot = r;
    }
    std::swap(a[c], a[pivot]);
    std::swap(b[c], b[pivot]);
    for (std::size_t r = c + 1; r < n; ++r) {
      const double f = a[r][c] / a[c][c];
      for (std::size_t k = c; k < n; ++k) a[r][k] -= f * a[c][k];
      b[r] -= f * b[c];
    }
  }
  std::vector<double> x(n);
  for (std::size_t c = n; c-- > 0;) {
    double s = b[c];
    for (std::size_t k = c + 1; k < n; ++k) s -= a[c][k] * x[k];
    x[c] = s / a[c][c];
  }
  return x;
}

// Weighted logistic regression with an L2 penalty `lambda` on the weights
// (not the bias), by Newton's method.
in::StoryModel Fit(const std::vector<in::TrainingRow>& rows, const std::vector<double>& weight,
                   double lambda) {
  const std::size_t d = in::kModelInputs + 1;
  std::vector<double> w(d, 0.0);
  for (int iter = 0; iter < 30; ++iter) {
    std::vector<std::vector<double>> h(d, std::vector<double>(d, 0.0));
    std::vector<double> g(d, 0.0);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      double z = w[0];
      for (std::size_t k = 1; k < d; ++k) z += w[k] * rows[i].x[k - 1];
      const double p = 1.0 / (1.0 + std::exp(-z));
      const double y = rows[i].same ? 1.0 : 0.0;
      const double r = weight[i] * (p - y);
      const double s = weight[i] * std::max(p * (1 - p), 1e-9);
      for (std::size_t a = 0; a < d; ++a) {
        const double xa = a == 0 ? 1.0 : rows[i].x[a - 1];
        g[a] += r * xa;
        for (std::size_t b = 0; b <= a; ++b) {
          const double xb = b == 0 ? 1.0 : rows[i].x[b - 1];
          h[a][b] += s * xa * xb;
        }
      }
    }
    for (std::size_t a = 0; a < d; ++a) {
      for (std::size_t b = 0; b < a; ++b) h[b][a] = h[a][b];
      if (a > 0) {
        g[a] += lambda * w[a];
        h[a][a] += lambda;
      }
    }
    const std::vector<double> step = Solve(h, g);
    double change = 0;
    for (std::size_t a = 0; a < d; ++a) {
      w[a] -= step[a];
      change = std::max(change, std::abs(step[a]));
    }
    if (change < 1e-6) break;
  }
  in::StoryModel m{};
  for (std::size_t a = 0; a < d; ++a) m[a] = w[a];
  return m;
}

struct Scores {
  double f1 = 0, p = 0, r = 0;
  std::size_t stories = 0, largest = 0, mixed = 0;
};

Scores Run(const ClusterOptions& o, const Corpus& c) {
  auto run = dev::RunClusterer(o, c.articles);
  Scores s;
  if (!run) return s;
  s.f1 = run->story_scores.bcubed.f1;
  s.p = run->story_scores.bcubed.precision;
  s.r = run->story_scores.bcubed.recall;
  s.stories = run->story_scores.predicted_clusters;
  s.mixed = run->mixed_topic_stories;
  std::map<std::string, std::size_t> size;
  for (const std::string& id : run->story) s.largest = std::max(s.largest, ++size[id]);
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  std::string shared = "../shared";
  std::string examples = "examples";
  bool fit = true;
  bool sweep = false;
  ClusterOptions options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    if (arg == "--shared" || arg == "--examples" || arg == "--join" || arg == "--merge" ||
        arg == "--dictionaries") {
      const char* v = next();
      if (v == nullptr) return Usage();
      if (arg == "--shared") shared = v;
      if (arg == "--examples") examples = v;
      if (arg == "--join") options.join_probability = std::atof(v);
      if (arg == "--merge") options.merge_probability = std::atof(v);
      if (arg == "--dictionaries") options.dictionary_dir = v;
    } else if (arg == "--no-fit") {
      fit = false;
    } else if (arg == "--sweep") {
      sweep = true;
    } else {
      return Usage();
    }
  }

  std::vector<Corpus> corpora;
  auto fail = [](const storyline::Error& e) {
    std::fprintf(stderr, "story_model_fit: %s\n", e.ToString().c_str());
    return 1;
  };
  {
    auto ecb = dev::LoadJsonl(shared + "/data/ecbplus.jsonl");
    if (!ecb) return fail(ecb.error());
    dev::SortForStream(&*ecb);
    corpora.push_back({"ecb+", std::move(*ecb)});
    auto og = dev::LoadJsonl(shared + "/data/og2021-headlines-dev.jsonl");
    if (!og) return fail(og.error());
    dev::SortForStream(&*og);
    Corpus fr{"headlines-fr", {}, false};
    for (const auto& a : *og) {
      if (a.features.lang == "fr") fr.articles.push_back(a);
    }
    corpora.push_back({"headlines", std::move(*og)});
    corpora.push_back(std::move(fr));
    std::vector<dev::DevArticle> ex;
    auto news = dev::LoadJsonl(examples + "/news.jsonl");
    if (!news) return fail(news.error());
    ex = std::move(*news);
    if (auto s = dev::LoadTxtDir(examples + "/txt", &ex); !s) return fail(s.error());
    if (auto s = dev::ApplyGold(examples + "/gold.jsonl", &ex); !s) return fail(s.error());
    if (auto s = dev::ApplyLineRoles(examples + "/lines.jsonl", &ex); !s) return fail(s.error());
    dev::SortForStream(&ex);
    dev::LinkCopiesFromGold(&ex);
    corpora.push_back({"examples", std::move(ex)});
  }

  if (fit) {
    std::vector<in::TrainingRow> rows;
    std::vector<double> weight;
    for (const Corpus& c : corpora) {
      if (!c.train) continue;
      std::vector<storyline::cluster::ArticleFeatures> features;
      std::vector<std::string> gold;
      for (const auto& a : c.articles) {
        features.push_back(a.features);
        features.back().copy_of.reset();
        gold.push_back(a.story);
      }
      auto r = in::TrainingAccess::TeacherForced(options, features, gold);
      if (!r) return fail(r.error());
      std::size_t pos = 0;
      for (const auto& row : *r) pos += row.same;
      const std::size_t neg = r->size() - pos;
      std::printf("%-12s %7zu rows (%zu same story, %zu not)\n", c.name.c_str(), r->size(), pos,
                  neg);
      for (const auto& row : *r) {
        rows.push_back(row);
        weight.push_back(0.5 / static_cast<double>(std::max<std::size_t>(row.same ? pos : neg, 1)));
      }
    }
    const in::StoryModel m = Fit(rows, weight, 1e-4);
    options.story_model.assign(m.begin(), m.end());
    std::printf("\nfitted weights (bias first):\n  {%.4f,", m[0]);
    for (int k = 0; k < in::kModelInputs; ++k) {
      std::printf(" %.4f,%s", m[static_cast<std::size_t>(k) + 1], k % 6 == 5 ? "\n  " : "");
    }
    std::printf("}\n");
    for (int k = 0; k < in::kModelInputs; ++k) {
      std::printf("  %-18s %8.3f\n", in::kModelInputNames[static_cast<std::size_t>(k)],
                  m[static_cast<std::size_t>(k) + 1]);
    }
  }

  auto report = [&](const ClusterOptions& o) {
    double sum = 0;
    std::printf("join %.2f merge %.3f:", o.join_probability, o.merge_probability);
    for (const Corpus& c : corpora) {
      const Scores s = Run(o, c);
      std::printf("  %s F1 %.3f (P %.3f R %.3f, %zu stories, largest %zu%s)", c.name.c_str(), s.f1,
                  s.p, s.r, s.stories, s.largest,
                  c.name == "ecb+" ? (", mixed " + std::to_string(s.mixed)).c_str() : "");
      if (c.train) sum += s.f1;
    }
    std::printf("  | mean %.4f\n", sum / 3);
    return sum / 3;
  };
  if (sweep) {
    double best = -1;
    ClusterOptions best_o = options;
    const double base_headline =
        options.story_model.empty() ? 0 : options.story_model[in::kInHeadline + 1];
    for (double j : {0.4, 0.5, 0.6, 0.7}) {
      for (double mg : {0.9, 0.97, 0.99, 0.995}) {
        for (double off : {0.0, -0.5, -1.0, -1.5}) {
          ClusterOptions o = options;
          o.join_probability = j;
          o.merge_probability = mg;
          if (!o.story_model.empty()) o.story_model[in::kInHeadline + 1] = base_headline + off;
          std::printf("off %.1f ", off);
          const double v = report(o);
          if (v > best) {
            best = v;
            best_o = o;
          }
        }
      }
    }
    std::printf("\nbest:\n");
    report(best_o);
    std::printf("weights (bias first):\n  {");
    for (double w : best_o.story_model) std::printf("%.4f, ", w);
    std::printf("}\n");
  } else {
    report(options);
  }
  return 0;
}
