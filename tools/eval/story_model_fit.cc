// story_model_fit: fits the clusterer's "same story?" model
// (src/cluster/story_model.h) on every development corpus at once, picks
// the join and merge probabilities on the real stream, and prints the
// per-corpus scores and the weights to paste into story_model.cc.
//
//   story_model_fit [--shared ../shared] [--examples examples] [--no-fit]
//                   [--join P] [--merge P] [--rounds N] [--sweep] [--fit-cross]
//                   [--tune PASSES] [--tune-models full,headline,cross]
//                   [--candidates N] [--query-terms N] [--index-terms N]
//                   [--set-headline NAME=VALUE]... [--set-full NAME=VALUE]...
//                   [--headline-sigma DAYS]
//                   [--cross P]
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

#include "cluster/story_model.h"
#include "cluster/training.h"
#include "dev/cluster_corpus.h"

namespace {

namespace dev = storyline::tools::cluster_dev;
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
               "[--merge P] [--rounds N] [--dictionaries DIR] [--train NAME,...] [--sweep] "
               "[--fit-cross] [--tune "
               "PASSES] [--tune-models LIST] [--candidates N] [--query-terms N] [--index-terms N] "
               "[--set-headline NAME=VALUE] [--set-full NAME=VALUE] [--headline-sigma DAYS] "
               "[--cross P]\n");
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
  // Recall over gold same-story pairs of one language, and of two.
  double mono_recall = 0, cross_recall = 0;
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
  std::map<std::string, std::vector<std::size_t>> gold;
  for (std::size_t i = 0; i < c.articles.size(); ++i) {
    if (!c.articles[i].story.empty()) gold[c.articles[i].story].push_back(i);
  }
  double pairs[2] = {0, 0};
  double found[2] = {0, 0};
  for (const auto& [story, members] : gold) {
    for (std::size_t a = 0; a < members.size(); ++a) {
      for (std::size_t b = a + 1; b < members.size(); ++b) {
        const std::size_t i = members[a];
        const std::size_t j = members[b];
        const int cross = c.articles[i].features.lang != c.articles[j].features.lang;
        pairs[cross] += 1;
        found[cross] += run->story[i] == run->story[j];
      }
    }
  }
  s.mono_recall = pairs[0] > 0 ? found[0] / pairs[0] : 0;
  s.cross_recall = pairs[1] > 0 ? found[1] / pairs[1] : 0;
  return s;
}

// The command line.
struct Args {
  std::string shared = "../shared";
  std::string examples = "examples";
  bool fit = true;
  bool sweep = false;
  bool fit_cross = false;
  std::string tune_models = "full,headline";
  int rounds = 0;
  int tune = 0;
  bool from_linear = false;
  std::size_t max_story = 120;
  std::string train_only;
  // "NAME=VALUE": one headline-model weight (an input name, or "bias")
  // set before the report or the tuning.
  std::vector<std::string> set_headline;
  std::vector<std::string> set_full;
  ClusterOptions options;
};

// False on an unknown flag or a missing value.
bool ParseArgs(int argc, char** argv, Args* args) {
  ClusterOptions& options = args->options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    if (arg == "--shared" || arg == "--examples" || arg == "--join" || arg == "--merge" ||
        arg == "--dictionaries" || arg == "--rounds" || arg == "--train" || arg == "--tune" ||
        arg == "--max-story" || arg == "--candidates" || arg == "--query-terms" ||
        arg == "--index-terms" || arg == "--set-headline" || arg == "--set-full" ||
        arg == "--headline-sigma" || arg == "--cross" || arg == "--tune-models") {
      const char* v = next();
      if (v == nullptr) return false;
      if (arg == "--shared") args->shared = v;
      if (arg == "--examples") args->examples = v;
      if (arg == "--join") options.join_probability = std::atof(v);
      if (arg == "--merge") options.merge_probability = std::atof(v);
      if (arg == "--cross") options.cross_merge_probability = std::atof(v);
      if (arg == "--tune-models") args->tune_models = v;
      if (arg == "--headline-sigma") options.headline_time_sigma_days = std::atof(v);
      if (arg == "--dictionaries") options.dictionary_dir = v;
      if (arg == "--rounds") args->rounds = std::atoi(v);
      if (arg == "--train") args->train_only = v;
      if (arg == "--tune") args->tune = std::atoi(v);
      if (arg == "--set-headline") args->set_headline.emplace_back(v);
      if (arg == "--set-full") args->set_full.emplace_back(v);
      if (arg == "--candidates") options.max_candidates = std::atoi(v);
      if (arg == "--query-terms") options.query_terms = std::atoi(v);
      if (arg == "--index-terms") options.index_terms = std::atoi(v);
      if (arg == "--max-story") args->max_story = static_cast<std::size_t>(std::atoi(v));
    } else if (arg == "--from-linear") {
      args->from_linear = true;
    } else if (arg == "--no-fit") {
      args->fit = false;
    } else if (arg == "--sweep") {
      args->sweep = true;
    } else if (arg == "--fit-cross") {
      args->fit_cross = true;

    } else {
      return false;
    }
  }
  return true;
}

int Failed(const storyline::Error& e) {
  std::fprintf(stderr, "story_model_fit: %s\n", e.ToString().c_str());
  return 1;
}

// ECB+, the headline feed (and its French titles apart), examples/, each in
// stream order; the ones named by --train (all by default) are fitted on.
storyline::Result<std::vector<Corpus>> LoadCorpora(const Args& args) {
  std::vector<Corpus> corpora;
  auto ecb = dev::LoadJsonl(args.shared + "/data/ecbplus.jsonl");
  if (!ecb) return storyline::Fail(ecb.error());
  dev::SortForStream(&*ecb);
  corpora.push_back({"ecb+", std::move(*ecb)});
  auto og = dev::LoadJsonl(args.shared + "/data/og2021-headlines-dev.jsonl");
  if (!og) return storyline::Fail(og.error());
  dev::SortForStream(&*og);
  Corpus fr{"headlines-fr", {}, false};
  for (const auto& a : *og) {
    if (a.features.lang == "fr") fr.articles.push_back(a);
  }
  corpora.push_back({"headlines", std::move(*og)});
  corpora.push_back(std::move(fr));
  auto news = dev::LoadJsonl(args.examples + "/news.jsonl");
  if (!news) return storyline::Fail(news.error());
  std::vector<dev::DevArticle> ex = std::move(*news);
  if (auto s = dev::LoadTxtDir(args.examples + "/txt", &ex); !s) return storyline::Fail(s.error());
  if (auto s = dev::ApplyGold(args.examples + "/gold.jsonl", &ex); !s) {
    return storyline::Fail(s.error());
  }
  if (auto s = dev::ApplyLineRoles(args.examples + "/lines.jsonl", &ex); !s) {
    return storyline::Fail(s.error());
  }
  dev::SortForStream(&ex);
  dev::LinkCopiesFromGold(&ex);
  corpora.push_back({"examples", std::move(ex)});
  if (!args.train_only.empty()) {
    for (Corpus& c : corpora)
      c.train = ("," + args.train_only + ",").find("," + c.name + ",") != std::string::npos;
  }
  return corpora;
}

// Adds `from` to the rows with their weights: within one corpus and one kind
// of row, both labels weigh half, and every corpus weighs the same. Returns
// the (same, not) counts.
std::pair<std::size_t, std::size_t> AddRows(const std::vector<in::TrainingRow>& from,
                                            std::vector<in::TrainingRow>* rows,
                                            std::vector<double>* weight) {
  std::size_t pos = 0;
  for (const auto& row : from) pos += row.same;
  const std::size_t neg = from.size() - pos;
  for (const auto& row : from) {
    rows->push_back(row);
    weight->push_back(0.5 / static_cast<double>(std::max<std::size_t>(row.same ? pos : neg, 1)));
  }
  return {pos, neg};
}

void PrintModel(const char* what, const in::StoryModel& m) {
  std::printf("\n%s (bias first):\n  {", what);
  for (double w : m) std::printf("%.4f, ", w);
  std::printf("}\n  %-20s %8.3f\n", "bias", m[0]);
  for (int k = 0; k < in::kModelInputs; ++k) {
    std::printf("  %-20s %8.3f\n", in::kModelInputNames[static_cast<std::size_t>(k)],
                m[static_cast<std::size_t>(k) + 1]);
  }
}

// A corpus's features and gold stories, side by side.
std::pair<std::vector<storyline::cluster::ArticleFeatures>, std::vector<std::string>> Split(
    const Corpus& c) {
  std::pair<std::vector<storyline::cluster::ArticleFeatures>, std::vector<std::string>> out;
  for (const auto& a : c.articles) {
    out.first.push_back(a.features);
    out.second.push_back(a.story);
  }
  return out;
}

// How the evidence across languages separates the labels of `rows`.
void PrintAcrossLanguages(const Corpus& c, const std::vector<in::TrainingRow>& rows) {
  double n[2] = {0, 0}, pivot[2] = {0, 0}, names[2] = {0, 0};
  for (const auto& row : rows) {
    if (row.x[in::kInNewLang] == 0) continue;
    n[row.same] += 1;
    pivot[row.same] += row.x[in::kInPivot];
    names[row.same] += row.x[in::kInNames];
  }
  if (n[0] + n[1] > 0) {
    std::printf(
        "%-12s across languages: %.0f same (pivot %.3f, names %.3f), %.0f not "
        "(pivot %.3f, names %.3f)\n",
        c.name.c_str(), n[1], pivot[1] / std::max(n[1], 1.0), names[1] / std::max(n[1], 1.0), n[0],
        pivot[0] / std::max(n[0], 1.0), names[0] / std::max(n[0], 1.0));
  }
}

// One model per kind of article: rows of headline-only articles fit the
// headline model, the others the full-text model.
void FitBoth(const std::vector<in::TrainingRow>& rows, const std::vector<double>& weight,
             ClusterOptions* options) {
  std::vector<in::TrainingRow> part[2];
  std::vector<double> part_weight[2];
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const int h = rows[i].x[in::kInHeadline] > 0 ? 1 : 0;
    part[h].push_back(rows[i]);
    part_weight[h].push_back(weight[i]);
  }
  const in::StoryModel full = Fit(part[0], part_weight[0], 1e-4);
  const in::StoryModel headline = Fit(part[1], part_weight[1], 1e-4);
  options->story_model.assign(full.begin(), full.end());
  options->headline_model.assign(headline.begin(), headline.end());
}

// Round 0 on teacher-forced rows (training.h); rounds 1.. add the rows of
// the stream as the current models cluster it and refit (Ross, Gordon &
// Bagnell, AISTATS 2011, "DAgger": train on the states the learned policy
// visits).
storyline::Status FitModels(const std::vector<Corpus>& corpora, int rounds,
                            ClusterOptions* options) {
  std::vector<in::TrainingRow> rows;
  std::vector<double> weight;
  for (const Corpus& c : corpora) {
    if (!c.train) continue;
    auto [features, gold] = Split(c);
    for (auto& f : features) f.copy_of.reset();
    auto r = in::TrainingAccess::TeacherForced(*options, features, gold);
    if (!r) return storyline::Fail(r.error());
    const auto [pos, neg] = AddRows(*r, &rows, &weight);
    PrintAcrossLanguages(c, *r);
    std::printf("%-12s teacher forced: %zu rows (%zu same story)\n", c.name.c_str(), pos + neg,
                pos);
  }
  FitBoth(rows, weight, options);
  for (int round = 1; round <= rounds; ++round) {
    for (const Corpus& c : corpora) {
      if (!c.train) continue;
      auto [features, gold] = Split(c);
      auto r = in::TrainingAccess::OnPolicy(*options, features, gold);
      if (!r) return storyline::Fail(r.error());
      const auto [pos, neg] = AddRows(r->join, &rows, &weight);
      std::printf("%-12s round %d: %zu rows (%zu same)\n", c.name.c_str(), round, pos + neg, pos);
    }
    FitBoth(rows, weight, options);
  }
  return storyline::Ok();
}

// The models the report starts from: the fit, else --from-linear, else the
// ones in the source; then the --set-headline and --set-full weights.
// False for a bad one.
bool StartingModels(const Args& args, ClusterOptions* options) {
  if (args.from_linear) {
    // The earlier hand-set linear score of full texts (0.15 title + 0.20
    // body + 0.25 names + 0.40 numbers - 0.30 time, boundary 0.24) in
    // log-odds at join probability 0.5, as the full-text model's starting
    // point for --tune instead of the likelihood fit.
    in::StoryModel m{};
    m[0] = -4.8;
    m[1 + in::kInTitle] = 3.0;
    m[1 + in::kInBody] = 4.0;
    m[1 + in::kInNames] = 5.0;
    m[1 + in::kInNumbers] = 8.0;
    m[1 + in::kInTime] = -6.0;
    const double shift = std::log(options->join_probability / (1 - options->join_probability));
    m[0] += shift;
    options->story_model.assign(m.begin(), m.end());
  }
  if (options->story_model.empty()) {
    options->story_model.assign(in::kFittedStoryModel.begin(), in::kFittedStoryModel.end());
  }
  if (options->headline_model.empty()) {
    options->headline_model.assign(in::kFittedHeadlineModel.begin(),
                                   in::kFittedHeadlineModel.end());
  }
  if (options->cross_model.empty()) {
    options->cross_model.assign(in::kFittedCrossModel.begin(), in::kFittedCrossModel.end());
  }
  // NAME=VALUE: one weight of `model` by its input's name ("bias" first).
  auto set = [](const std::string& kv, std::vector<double>* model) {
    const std::size_t eq = kv.find('=');
    if (eq == std::string::npos) return false;
    const std::string name = kv.substr(0, eq);
    std::size_t k = 0;
    if (name != "bias") {
      while (k < in::kModelInputNames.size() && in::kModelInputNames[k] != name) ++k;
      if (k == in::kModelInputNames.size()) return false;
      ++k;
    }
    (*model)[k] = std::atof(kv.c_str() + eq + 1);
    return true;
  };
  for (const std::string& kv : args.set_headline) {
    if (!set(kv, &options->headline_model)) return false;
  }
  for (const std::string& kv : args.set_full) {
    if (!set(kv, &options->story_model)) return false;
  }
  in::StoryModel full{}, headline{};
  std::copy(options->story_model.begin(), options->story_model.end(), full.begin());
  std::copy(options->headline_model.begin(), options->headline_model.end(), headline.begin());
  PrintModel("full-text model", full);
  PrintModel("headline model", headline);
  return true;
}

// Prints every corpus's scores under `o`; returns the mean F1 of the
// training corpora, or -1 when a story passes `max_story` articles
// (chaining, on a feed of one theme), whatever its F1.
double Report(const std::vector<Corpus>& corpora, std::size_t max_story, const ClusterOptions& o) {
  double sum = 0;
  int trained = 0;
  bool feasible = true;
  std::printf("join %.2f merge %.3f:", o.join_probability, o.merge_probability);
  for (const Corpus& c : corpora) {
    const Scores s = Run(o, c);
    std::printf(
        "  %s F1 %.3f (P %.3f R %.3f, %zu stories, largest %zu%s)", c.name.c_str(), s.f1, s.p, s.r,
        s.stories, s.largest,
        c.name == "ecb+" ? (", mixed " + std::to_string(s.mixed)).c_str()
        : c.name == "headlines"
            ? (", pair recall within a language " + std::to_string(s.mono_recall).substr(0, 5) +
               ", across " + std::to_string(s.cross_recall).substr(0, 5))
                  .c_str()
            : "");
    if (c.train) {
      sum += s.f1;
      ++trained;
    }
    if (c.train && s.largest > max_story) feasible = false;
  }
  const double mean = trained > 0 ? sum / trained : 0.0;
  std::printf("  | mean %.4f%s\n", mean, feasible ? "" : " (a story is too large)");
  return feasible ? mean : -1.0;
}

// Mean BCubed F1 over the training corpora, -1 past `max_story`: what the
// sweep and the tuning maximise.
double MeanF1(const std::vector<Corpus>& corpora, std::size_t max_story, const ClusterOptions& o) {
  double sum = 0;
  int n = 0;
  for (const Corpus& c : corpora) {
    if (!c.train) continue;
    const Scores s = Run(o, c);
    if (s.largest > max_story) return -1.0;
    sum += s.f1;
    ++n;
  }
  return n > 0 ? sum / n : 0.0;
}

// The join and merge probabilities, and the headline input's weight (the
// boundary of headline-only articles, whose evidence is thinner than a full
// text's), swept on the real stream; returns the best setting.
ClusterOptions Sweep(const std::vector<Corpus>& corpora, std::size_t max_story,
                     const ClusterOptions& options) {
  ClusterOptions best_o = options;
  double best = -1;
  const double headline = options.headline_model.empty() ? 0.0 : options.headline_model[0];
  for (double j : {0.4, 0.5, 0.6, 0.7, 0.8}) {
    for (double mg : {0.7, 0.9, 0.97, 0.99}) {
      for (double offset : {0.0, -0.5, -1.0}) {
        ClusterOptions o = options;
        o.join_probability = j;
        o.merge_probability = mg;
        if (!o.headline_model.empty()) o.headline_model[0] = headline + offset;
        std::printf("headline %+.1f ", offset);
        const double v = Report(corpora, max_story, o);
        if (v > best) {
          best = v;
          best_o = o;
        }
      }
    }
  }
  std::printf("\nbest of the sweep:\n");
  Report(corpora, max_story, best_o);
  return best_o;
}

// Coordinate ascent on the stream's F1 from the likelihood fit: the
// log-likelihood of teacher-forced and visited pairs is not the score a
// clustering is judged by, so each weight of both models is nudged up or
// down while the mean F1 of the corpora improves.
ClusterOptions Tune(const std::vector<Corpus>& corpora, std::size_t max_story, int passes,
                    const std::string& models, ClusterOptions best_o) {
  double best = MeanF1(corpora, max_story, best_o);
  const auto tuned = [&](const char* name) {
    return ("," + models + ",").find(std::string(",") + name + ",") != std::string::npos;
  };
  for (int pass = 0; pass < passes; ++pass) {
    const double step = 1.0 / (1 << pass);
    for (int which = 0; which < 3; ++which) {
      if (!tuned(which == 0 ? "full" : which == 1 ? "headline" : "cross")) continue;
      std::vector<double>& model = which == 0   ? best_o.story_model
                                   : which == 1 ? best_o.headline_model
                                                : best_o.cross_model;
      if (model.empty()) continue;
      for (std::size_t k = 0; k < model.size(); ++k) {
        // The cross-language model reads only what languages share: the
        // inputs its fit left at 0 stay there.
        if (which == 2 && model[k] == 0.0) continue;
        for (double delta : {step, -step}) {
          ClusterOptions o = best_o;
          (which == 0 ? o.story_model : which == 1 ? o.headline_model : o.cross_model)[k] += delta;
          const double v = MeanF1(corpora, max_story, o);
          if (v > best + 1e-4) {
            best = v;
            best_o = o;
            break;
          }
        }
      }
    }
    std::printf("tuning pass %d (step %.3f): mean F1 %.4f\n", pass + 1, step, best);
  }
  std::printf("\ntuned:\n");
  Report(corpora, max_story, best_o);
  return best_o;
}

// The cross-language merge model (ClusterOptions::cross_model): a logistic
// regression on the pairs of stories sharing no language that the repair
// pass scores while the current models cluster each training corpus
// with no merge across languages (on-policy rows, training.h; a pair is the
// same story when the most frequent gold stories of both agree), weighted
// as FitModels weighs its rows. Then its boundary, cross_merge_probability, swept on the stream.
storyline::Status FitCross(const std::vector<Corpus>& corpora, std::size_t max_story,
                           ClusterOptions* options) {
  std::vector<in::TrainingRow> rows;
  std::vector<double> weight;
  // The rows come from the stories the models build with no merge across
  // languages: what the cross-language model is then asked to join, and a
  // fixed set of rows whatever cross model was in use before.
  ClusterOptions monolingual = *options;
  monolingual.cross_merge_probability = 1.0 - 1e-12;
  for (const Corpus& c : corpora) {
    if (!c.train) continue;
    auto [features, gold] = Split(c);
    auto r = in::TrainingAccess::OnPolicy(monolingual, features, gold);
    if (!r) return storyline::Fail(r.error());
    std::vector<in::TrainingRow> cross;
    for (const in::TrainingRow& row : r->merge) {
      if (row.x[in::kInNewLang] <= 0) continue;
      // Only what two languages can share: the word, member and seed
      // cosines meet on the few words languages spell alike, and (highly
      // collinear with the rest on these rows) they fit noise.
      in::TrainingRow kept = row;
      kept.x = {};
      for (const int k : {in::kInNames, in::kInNumbers, in::kInPivot, in::kInTime, in::kInNoNumbers,
                          in::kInNoNames}) {
        kept.x[static_cast<std::size_t>(k)] = row.x[static_cast<std::size_t>(k)];
      }
      cross.push_back(kept);
    }
    const auto [pos, neg] = AddRows(cross, &rows, &weight);
    std::printf("%-12s pairs of stories in different languages: %zu (%zu same)\n", c.name.c_str(),
                pos + neg, pos);
  }
  if (rows.empty()) return storyline::Ok();
  const in::StoryModel m = Fit(rows, weight, 1e-4);
  options->cross_model.assign(m.begin(), m.end());
  PrintModel("cross-language merge model", m);
  double best = -2;
  double best_p = options->cross_merge_probability;
  for (double p : {0.5, 0.7, 0.8, 0.9, 0.95, 0.97, 0.99}) {
    ClusterOptions o = *options;
    o.cross_merge_probability = p;
    std::printf("cross %.2f ", p);
    const double v = Report(corpora, max_story, o);
    if (v >= 0 && v > best) {
      best = v;
      best_p = p;
    }
  }
  // With no boundary keeping every story under max_story, the one given.
  options->cross_merge_probability = best_p;
  return storyline::Ok();
}

void PrintWeights(const ClusterOptions& o) {
  std::printf("full-text weights (bias first):\n  {");
  for (double w : o.story_model) std::printf("%.4f, ", w);
  std::printf("}\nheadline weights (bias first):\n  {");
  for (double w : o.headline_model) std::printf("%.4f, ", w);
  std::printf("}\ncross-language weights (bias first):\n  {");
  for (double w : o.cross_model) std::printf("%.4f, ", w);
  std::printf("}\njoin_probability %.2f merge_probability %.3f cross_merge_probability %.2f\n",
              o.join_probability, o.merge_probability, o.cross_merge_probability);
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  if (!ParseArgs(argc, argv, &args)) return Usage();
  storyline::Result<std::vector<Corpus>> corpora = LoadCorpora(args);
  if (!corpora) return Failed(corpora.error());
  ClusterOptions& options = args.options;
  if (args.fit) {
    if (storyline::Status s = FitModels(*corpora, args.rounds, &options); !s) {
      return Failed(s.error());
    }
  }
  if (!StartingModels(args, &options)) return Usage();
  ClusterOptions best_o = options;
  if (args.sweep) best_o = Sweep(*corpora, args.max_story, options);
  if (args.fit_cross) {
    if (storyline::Status s = FitCross(*corpora, args.max_story, &best_o); !s) {
      return Failed(s.error());
    }
  }
  if (args.tune > 0 && !best_o.story_model.empty()) {
    best_o = Tune(*corpora, args.max_story, args.tune, args.tune_models, best_o);
  }
  if (args.sweep || args.tune > 0 || args.fit_cross) {
    PrintWeights(best_o);
  } else {
    Report(*corpora, args.max_story, options);
  }
  return 0;
}
