// storyline eval: scores the store's stories, storylines and duplicate groups
// (or the duplicate groups `storyline dedup` wrote) against gold labels
// (BCubed and pairwise precision, recall, F1), for one gold file or several
// (one table: per corpus and per language).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "command.h"
#include "json_views.h"
#include "storyline/cluster/metrics.h"
#include "storyline/store/store.h"

namespace storyline::cli {
namespace {

using nlohmann::json;

struct GoldRow {
  std::optional<std::string> story;
  std::optional<std::string> storyline;
  std::optional<std::string> dup_group;  // "" = labelled as copying nothing
};

// What is scored of one article: its labels as the store (or a dedup
// output) gives them; empty when unknown.
struct PredictedRow {
  std::string id;
  std::string lang;
  std::string story;
  std::string storyline;
  std::string dup_group;
};
using PredictedRows = std::function<Status(const std::function<Status(const PredictedRow&)>&)>;

std::optional<std::string> Label(const json& row, const char* key, bool null_is_label) {
  if (!row.contains(key)) return std::nullopt;
  const json& v = row[key];
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<long long>());
  if (v.is_null() && null_is_label) return std::string();
  return std::nullopt;
}

class EvalCommand final : public Command {
 public:
  void Configure(CLI::App& app) override {
    app.footer(
        "The gold file is JSONL with an \"id\" and any of \"story\", \"storyline\" and "
        "\"dup_group\" per line (e.g. the article file itself when it carries them). When some "
        "dup_group labels are set, a null one means the article copies nothing; when none is, "
        "duplicate groups are not scored. Null story labels are left out. Articles "
        "missing from the store are counted and left out. Under the scores: the stories "
        "scored on each language's articles alone when the gold file holds several languages, "
        "the sizes of the predicted and gold stories, and how many pairs of articles in two "
        "languages of one gold story share a predicted story.");
    app.add_option("--db", db_, "Store file")->capture_default_str();
    app.add_option("--dedup", dedup_,
                   "Score the duplicate groups of this 'storyline dedup' output instead of the "
                   "store (its dup_group per article)")
        ->check(CLI::ExistingFile);
    app.add_option("--gold", gold_files_,
                   "Gold labels (JSONL); several files (or --gold repeated) give one table with "
                   "a row per corpus and per language")
        ->required()
        ->check(CLI::ExistingFile);
    app.add_option("--format", format_, "text or json")
        ->capture_default_str()
        ->check(CLI::IsMember({"text", "json"}));
  }

  Result<int> Run() override {
    std::unique_ptr<store::Store> st;
    PredictedRows rows;
    if (!dedup_.empty()) {
      rows = [this](const std::function<Status(const PredictedRow&)>& fn) {
        return ForEachDedupRow(fn);
      };
    } else {
      Result<std::unique_ptr<store::Store>> opened =
          store::Store::Open(db_, store::StoreOptions{.read_only = true});
      if (!opened) return Fail(opened.error());
      st = std::move(*opened);
      rows = [&st](const std::function<Status(const PredictedRow&)>& fn) {
        return st->ForEachArticle([&](const store::StoredArticle& a) -> Status {
          const std::string lang = a.article.lang.empty()
                                       ? (a.analysis.lang.empty() ? "und" : a.analysis.lang)
                                       : a.article.lang;
          return fn(PredictedRow{a.article.id, lang, a.analysis.story, a.analysis.storyline,
                                 a.analysis.dup_group});
        });
      };
    }
    json all = json::array();
    for (const std::string& file : gold_files_) {
      Result<json> one = Evaluate(rows, file);
      if (!one) return Fail(one.error());
      all.push_back(std::move(*one));
    }
    if (format_ == "json") {
      std::cout << Dump(gold_files_.size() == 1 ? all[0] : json{{"corpora", all}}, 2) << '\n';
      return kExitOk;
    }
    if (gold_files_.size() == 1) {
      PrintOne(all[0]);
      PrintByLanguage(all[0]);
      PrintSizes(all[0], "");
      return kExitOk;
    }
    std::printf("%-22s %-4s %6s %8s %8s %6s  %-20s %7s\n", "corpus", "lang", "items", "stories",
                "largest", "gold", "BCubed P/R/F1", "pair F1");
    for (const json& c : all) {
      for (const json& row : c["by_language"]) {
        std::printf("%-22s %-4s %6zu %8zu %8zu %6zu  %.3f/%.3f/%.3f    %.3f\n",
                    c["corpus"].get<std::string>().substr(0, 22).c_str(),
                    row["lang"].get<std::string>().c_str(), row["items"].get<std::size_t>(),
                    row["predicted_clusters"].get<std::size_t>(), row["largest"].get<std::size_t>(),
                    row["gold_clusters"].get<std::size_t>(),
                    row["bcubed"]["precision"].get<double>(), row["bcubed"]["recall"].get<double>(),
                    row["bcubed"]["f1"].get<double>(), row["pairwise"]["f1"].get<double>());
      }
    }
    for (const json& c : all) {
      if (!c.contains("stories")) continue;
      std::printf("\n%s\n", c["corpus"].get<std::string>().c_str());
      PrintSizes(c, "  ");
    }
    return kExitOk;
  }

 private:
  static json ScoresJson(const cluster::ClusterScores& sc) {
    auto pr = [](const cluster::PrecisionRecall& x) {
      return json{{"precision", x.precision}, {"recall", x.recall}, {"f1", x.f1}};
    };
    return {{"bcubed", pr(sc.bcubed)},
            {"pairwise", pr(sc.pairwise)},
            {"items", sc.items},
            {"predicted_clusters", sc.predicted_clusters},
            {"gold_clusters", sc.gold_clusters}};
  }

  static std::size_t Largest(const std::vector<std::string>& labels) {
    std::map<std::string, std::size_t> size;
    std::size_t largest = 0;
    for (const std::string& l : labels) largest = std::max(largest, ++size[l]);
    return largest;
  }

  // How many clusters of `labels` have 1, 2-5, 6-20, 21-50, 51-120 and
  // more than 120 members: a feed whose stories chain shows in the last
  // buckets long before it moves an average. [{"min", "max" (null: no
  // bound), "clusters"}, ...].
  static json SizeBuckets(const std::vector<std::string>& labels) {
    static constexpr std::size_t kUpper[] = {1, 5, 20, 50, 120};
    std::map<std::string, std::size_t> size;
    for (const std::string& l : labels) ++size[l];
    std::vector<std::size_t> count(std::size(kUpper) + 1, 0);
    for (const auto& [label, n] : size) {
      std::size_t b = 0;
      while (b < std::size(kUpper) && n > kUpper[b]) ++b;
      ++count[b];
    }
    json out = json::array();
    for (std::size_t b = 0; b < count.size(); ++b) {
      const std::size_t min = b == 0 ? 1 : kUpper[b - 1] + 1;
      out.push_back({{"min", min},
                     {"max", b < std::size(kUpper) ? json(kUpper[b]) : json(nullptr)},
                     {"clusters", count[b]}});
    }
    return out;
  }

  // Of the pairs of articles in two languages that share a gold story, how
  // many share a predicted one: whether reports of one event in several
  // languages meet, which the per-language rows cannot show. {"pairs",
  // "together", "recall"}; null when no gold story spans two languages.
  static json AcrossLanguages(const std::vector<std::string>& predicted,
                              const std::vector<std::string>& gold,
                              const std::vector<std::string>& lang) {
    // Pairs of a group across languages: all its pairs less those within
    // one language.
    auto pairs = [](std::size_t n) { return n * (n > 0 ? n - 1 : 0) / 2; };
    std::map<std::string, std::map<std::string, std::size_t>> by_gold;  // gold -> lang -> n
    std::map<std::pair<std::string, std::string>, std::map<std::string, std::size_t>> by_both;
    for (std::size_t i = 0; i < gold.size(); ++i) {
      ++by_gold[gold[i]][lang[i]];
      ++by_both[{gold[i], predicted[i]}][lang[i]];
    }
    auto across = [&](const std::map<std::string, std::size_t>& langs) {
      std::size_t n = 0;
      std::size_t within = 0;
      for (const auto& [l, k] : langs) {
        n += k;
        within += pairs(k);
      }
      return pairs(n) - within;
    };
    std::size_t total = 0;
    std::size_t together = 0;
    for (const auto& [g, langs] : by_gold) total += across(langs);
    for (const auto& [key, langs] : by_both) together += across(langs);
    if (total == 0) return nullptr;
    return {{"pairs", total},
            {"together", together},
            {"recall", static_cast<double>(together) / static_cast<double>(total)}};
  }

  // "1: 812  2-5: 410  ...  over 120: 0" from SizeBuckets' output.
  static std::string SizeLine(const json& buckets) {
    std::string line;
    for (const json& b : buckets) {
      const std::size_t min = b["min"].get<std::size_t>();
      std::string range =
          b["max"].is_null() ? "over " + std::to_string(min - 1)
          : b["max"].get<std::size_t>() == min
              ? std::to_string(min)
              : std::to_string(min) + "-" + std::to_string(b["max"].get<std::size_t>());
      if (!line.empty()) line += "  ";
      line += range + ": " + std::to_string(b["clusters"].get<std::size_t>());
    }
    return line;
  }

  // The story sizes of `report`, predicted and gold, one line each.
  static void PrintSizes(const json& report, const std::string& indent) {
    if (!report.contains("stories")) return;
    const json& r = report["stories"];
    std::printf("%sstory sizes, in articles:  %s\n", indent.c_str(),
                SizeLine(r["size_buckets"]).c_str());
    std::printf("%sgold story sizes:          %s\n", indent.c_str(),
                SizeLine(r["gold_size_buckets"]).c_str());
    if (r.contains("across_languages")) {
      const json& a = r["across_languages"];
      std::printf(
          "%sacross languages: %zu of %zu pairs of articles in two languages of one gold "
          "story share a story (%.3f)\n",
          indent.c_str(), a["together"].get<std::size_t>(), a["pairs"].get<std::size_t>(),
          a["recall"].get<double>());
    }
  }

  // The rows of the --dedup file: its id and dup_group per line.
  Status ForEachDedupRow(const std::function<Status(const PredictedRow&)>& fn) const {
    std::ifstream in(dedup_);
    std::string line;
    std::int64_t n = 0;
    while (std::getline(in, line)) {
      ++n;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      const json row = json::parse(line, nullptr, false);
      if (row.is_discarded() || !row.is_object() || !row.contains("id") || !row["id"].is_string()) {
        return MakeError(ErrorCode::kInvalidInput,
                         dedup_ + ":" + std::to_string(n) + ": not a dedup line with an \"id\"");
      }
      PredictedRow r;
      r.id = row["id"].get<std::string>();
      if (row.contains("dup_group") && row["dup_group"].is_string()) {
        r.dup_group = row["dup_group"].get<std::string>();
      }
      if (Status s = fn(r); !s) return s;
    }
    if (in.bad()) return MakeError(ErrorCode::kIo, dedup_ + ": read failed");
    return Ok();
  }

  // Scores the predicted rows (the store's articles or a dedup output)
  // against one gold file: stories, storylines and duplicate groups over all
  // its articles, and stories per language. Stories and storylines are
  // scored only where the rows have them.
  Result<json> Evaluate(const PredictedRows& rows, const std::string& gold_path) {
    std::map<std::string, GoldRow> gold;
    {
      std::ifstream in(gold_path);
      std::string line;
      std::int64_t n = 0;
      while (std::getline(in, line)) {
        ++n;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        json row = json::parse(line, nullptr, false);
        if (row.is_discarded() || !row.is_object() || !row.contains("id")) {
          return MakeError(ErrorCode::kInvalidInput, gold_path + ":" + std::to_string(n) +
                                                         ": not a JSON object with an \"id\"");
        }
        const std::string id =
            row["id"].is_string() ? row["id"].get<std::string>() : row["id"].dump();
        gold[id] = GoldRow{Label(row, "story", false), Label(row, "storyline", false),
                           Label(row, "dup_group", true)};
      }
    }
    // A gold file whose dup_group labels are all null says nothing about
    // copies (the labels are unknown), and duplicate groups are not scored;
    // when some are set, null means "copies nothing".
    bool dup_labelled = false;
    for (const auto& [id, g] : gold)
      dup_labelled |= g.dup_group.has_value() && !g.dup_group->empty();
    std::vector<std::string> ps, gs, ls, pl, gl, pd, gd;
    std::map<std::string, std::pair<std::vector<std::string>, std::vector<std::string>>> by_lang;
    std::size_t found = 0;
    const bool stories = dedup_.empty();
    Status s = rows([&](const PredictedRow& a) -> Status {
      const auto it = gold.find(a.id);
      if (it == gold.end()) return Ok();
      ++found;
      const GoldRow& g = it->second;
      if (stories && g.story && !g.story->empty()) {
        ps.push_back(a.story);
        gs.push_back(*g.story);
        ls.push_back(a.lang);
        by_lang[a.lang].first.push_back(a.story);
        by_lang[a.lang].second.push_back(*g.story);
      }
      if (stories && g.storyline && !g.storyline->empty()) {
        pl.push_back(a.storyline);
        gl.push_back(*g.storyline);
      }
      if (dup_labelled && g.dup_group) {
        // An article in no group is a group of its own.
        pd.push_back(a.dup_group.empty() ? "solo:" + a.id : a.dup_group);
        gd.push_back(g.dup_group->empty() ? "solo:" + a.id : "g:" + *g.dup_group);
      }
      return Ok();
    });
    if (!s) return Fail(s.error());
    if (found == 0) {
      return MakeError(ErrorCode::kNotFound, "none of the " + std::to_string(gold.size()) +
                                                 " gold ids of " + gold_path + " is in " +
                                                 (dedup_.empty() ? db_ : dedup_));
    }
    json report;
    report["corpus"] = std::filesystem::path(gold_path).stem().string();
    report["gold"] = gold_path;
    report["gold_articles"] = gold.size();
    report["scored_articles"] = found;
    struct Part {
      const char* name;
      const std::vector<std::string>* p;
      const std::vector<std::string>* g;
    };
    for (const Part& part :
         {Part{"stories", &ps, &gs}, Part{"storylines", &pl, &gl}, Part{"dup_groups", &pd, &gd}}) {
      if (part.p->empty()) continue;
      Result<cluster::ClusterScores> sc = cluster::Score(*part.p, *part.g);
      if (!sc) return Fail(sc.error());
      report[part.name] = ScoresJson(*sc);
      report[part.name]["largest"] = Largest(*part.p);
    }
    if (!ps.empty()) {
      report["stories"]["size_buckets"] = SizeBuckets(ps);
      report["stories"]["gold_size_buckets"] = SizeBuckets(gs);
      if (json across = AcrossLanguages(ps, gs, ls); !across.is_null()) {
        report["stories"]["across_languages"] = std::move(across);
      }
    }
    json langs = json::array();
    if (!ps.empty()) {
      json row = report["stories"];
      row.erase("size_buckets");
      row.erase("gold_size_buckets");
      row["lang"] = "all";
      langs.push_back(std::move(row));
    }
    if (by_lang.size() > 1) {
      for (const auto& [lang, labels] : by_lang) {
        Result<cluster::ClusterScores> sc = cluster::Score(labels.first, labels.second);
        if (!sc) return Fail(sc.error());
        json row = ScoresJson(*sc);
        row["lang"] = lang;
        row["largest"] = Largest(labels.first);
        langs.push_back(std::move(row));
      }
    }
    report["by_language"] = std::move(langs);
    return report;
  }

  static void PrintOne(const json& report) {
    std::printf("%zu of %zu gold articles are scored\n",
                report["scored_articles"].get<std::size_t>(),
                report["gold_articles"].get<std::size_t>());
    std::printf("%-11s %6s %9s %8s %9s  %-22s %-22s\n", "", "items", "clusters", "largest", "gold",
                "BCubed P/R/F1", "pairwise P/R/F1");
    for (const char* name : {"stories", "storylines", "dup_groups"}) {
      if (!report.contains(name)) continue;
      const json& r = report[name];
      std::printf("%-11s %6zu %9zu %8zu %9zu  %.3f/%.3f/%.3f      %.3f/%.3f/%.3f\n", name,
                  r["items"].get<std::size_t>(), r["predicted_clusters"].get<std::size_t>(),
                  r["largest"].get<std::size_t>(), r["gold_clusters"].get<std::size_t>(),
                  r["bcubed"]["precision"].get<double>(), r["bcubed"]["recall"].get<double>(),
                  r["bcubed"]["f1"].get<double>(), r["pairwise"]["precision"].get<double>(),
                  r["pairwise"]["recall"].get<double>(), r["pairwise"]["f1"].get<double>());
    }
  }

  // A gold file in several languages: its stories scored again on each
  // language's articles alone (the stories as clustered over all of them),
  // as the table of several gold files shows it.
  static void PrintByLanguage(const json& report) {
    if (!report.contains("by_language") || report["by_language"].size() < 3) return;
    std::printf("\nstories by language:\n%-4s %6s %8s %8s %6s  %-20s %7s\n", "lang", "items",
                "stories", "largest", "gold", "BCubed P/R/F1", "pair F1");
    for (const json& row : report["by_language"]) {
      if (row["lang"] == "all") continue;
      std::printf("%-4s %6zu %8zu %8zu %6zu  %.3f/%.3f/%.3f    %.3f\n",
                  row["lang"].get<std::string>().c_str(), row["items"].get<std::size_t>(),
                  row["predicted_clusters"].get<std::size_t>(), row["largest"].get<std::size_t>(),
                  row["gold_clusters"].get<std::size_t>(), row["bcubed"]["precision"].get<double>(),
                  row["bcubed"]["recall"].get<double>(), row["bcubed"]["f1"].get<double>(),
                  row["pairwise"]["f1"].get<double>());
    }
    std::printf("\n");
  }

  std::string db_ = "storyline.db";
  std::string dedup_;
  std::vector<std::string> gold_files_;
  std::string format_ = "text";
};

}  // namespace

std::unique_ptr<Command> MakeEvalCommand() { return std::make_unique<EvalCommand>(); }

}  // namespace storyline::cli
