// clean_eval: measures the line classifier against gold data.
//
//   clean_eval [--verbose] [--examples DIR] [--ecb FILE]
//
// --examples DIR (examples): news.jsonl, txt/*.txt and lines.jsonl with gold
//   roles; prints per-line accuracy and precision/recall of "body or
//   heading" against the rest, with the batch as its own corpus and with no
//   corpus at all.
// --ecb FILE (../shared/data/ecbplus.jsonl): real news whose lines are all
//   reporting; prints the share of lines and characters not kept as body,
//   heading or title.
// --verbose: also prints each disagreement.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "storyline/clean/line_classifier.h"

namespace {

namespace fs = std::filesystem;
using storyline::Article;
using storyline::clean::CleanedArticle;
using storyline::clean::IsBodyRole;
using storyline::clean::RoleName;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Str(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<Article> ReadJsonl(const fs::path& path) {
  std::vector<Article> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded()) continue;
    Article a;
    a.id = Str(j, "id");
    a.title = Str(j, "title");
    a.text = Str(j, "text");
    a.url = Str(j, "url");
    a.source = Str(j, "source");
    a.lang = Str(j, "lang");
    out.push_back(std::move(a));
  }
  return out;
}

struct Counts {
  long lines = 0, agree = 0, tp = 0, fp = 0, fn = 0;
};

void Score(const std::vector<Article>& articles, const std::vector<CleanedArticle>& cleaned,
           const std::map<std::string, std::vector<std::string>>& gold, bool verbose,
           const char* label) {
  Counts c;
  std::map<std::string, long> confusion;
  for (std::size_t k = 0; k < articles.size(); ++k) {
    auto it = gold.find(articles[k].id);
    if (it == gold.end()) continue;
    const auto& roles = it->second;
    const auto& lines = cleaned[k].lines;
    if (roles.size() != lines.size()) {
      std::cerr << "line count mismatch for " << articles[k].id << "\n";
      continue;
    }
    for (std::size_t i = 0; i < lines.size(); ++i) {
      std::string got(RoleName(lines[i].role));
      const std::string& want = roles[i];
      ++c.lines;
      if (got == want) {
        ++c.agree;
      } else {
        ++confusion[want + " -> " + got];
        if (verbose) {
          std::cout << "  " << articles[k].id << ":" << lines[i].n << " gold " << want << " got "
                    << got << " (" << lines[i].reason << "): " << lines[i].text.substr(0, 90)
                    << "\n";
        }
      }
      bool g = want == "body" || want == "heading";
      bool p = IsBodyRole(lines[i].role);
      c.tp += g && p;
      c.fp += !g && p;
      c.fn += g && !p;
    }
  }
  double precision = c.tp + c.fp ? static_cast<double>(c.tp) / static_cast<double>(c.tp + c.fp) : 0;
  double recall = c.tp + c.fn ? static_cast<double>(c.tp) / static_cast<double>(c.tp + c.fn) : 0;
  std::printf(
      "examples (%s): %ld lines, role accuracy %.4f; body+heading precision %.4f recall "
      "%.4f F1 %.4f\n",
      label, c.lines, static_cast<double>(c.agree) / static_cast<double>(std::max(1L, c.lines)),
      precision, recall,
      precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0);
  for (const auto& [pair, n] : confusion) std::printf("  %-28s %ld\n", pair.c_str(), n);
}

int RunExamples(const fs::path& dir, bool verbose) {
  std::vector<Article> articles = ReadJsonl(dir / "news.jsonl");
  if (fs::is_directory(dir / "txt")) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir / "txt")) {
      if (e.path().extension() == ".txt") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files) {
      Article a;
      a.id = f.stem().string();
      a.text = ReadFile(f);
      std::istringstream s(a.text);
      std::string line;
      while (std::getline(s, line)) {
        if (line.find_first_not_of(" \t\r") != std::string::npos) {
          a.title = line;
          break;
        }
      }
      articles.push_back(std::move(a));
    }
  }
  std::map<std::string, std::vector<std::string>> gold;
  std::ifstream in(dir / "lines.jsonl");
  std::string line;
  while (std::getline(in, line)) {
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded()) continue;
    gold[Str(j, "id")] = j.value("roles", std::vector<std::string>{});
  }
  if (articles.empty() || gold.empty()) {
    std::cerr << "no examples under " << dir << "\n";
    return 1;
  }
  auto with_corpus = storyline::clean::CleanCorpus(articles);
  auto classifier = storyline::clean::LineClassifier::Create({});
  if (!with_corpus || !classifier) return 1;
  std::vector<CleanedArticle> alone;
  for (const Article& a : articles) alone.push_back(classifier->Classify(a, nullptr));
  Score(articles, *with_corpus, gold, verbose, "batch as corpus");
  Score(articles, alone, gold, false, "no corpus");
  return 0;
}

int RunEcb(const fs::path& path, bool verbose) {
  std::vector<Article> articles = ReadJsonl(path);
  if (articles.empty()) {
    std::cerr << "no articles in " << path << "\n";
    return 1;
  }
  auto cleaned = storyline::clean::CleanCorpus(articles);
  if (!cleaned) return 1;
  long lines = 0, dropped = 0, strict_dropped = 0;
  long chars = 0, dropped_chars = 0;
  std::map<std::string, long> by_role;
  for (const CleanedArticle& c : *cleaned) {
    for (const auto& l : c.lines) {
      if (l.role == storyline::clean::Role::kBlank) continue;
      ++lines;
      chars += static_cast<long>(l.text.size());
      bool kept = IsBodyRole(l.role) || l.role == storyline::clean::Role::kTitle;
      if (!IsBodyRole(l.role)) ++strict_dropped;
      if (!kept) {
        ++dropped;
        dropped_chars += static_cast<long>(l.text.size());
        ++by_role[std::string(RoleName(l.role)) + " (" + l.reason + ")"];
        if (verbose) {
          std::cout << "  " << c.id << ":" << l.n << " " << RoleName(l.role) << " (" << l.reason
                    << "): " << l.text.substr(0, 100) << "\n";
        }
      }
    }
  }
  std::printf(
      "ecb+: %zu articles, %ld lines; dropped %ld lines (%.4f), %ld of %ld chars (%.4f); "
      "not body/heading (title counted as dropped): %.4f\n",
      articles.size(), lines, dropped, static_cast<double>(dropped) / static_cast<double>(lines),
      dropped_chars, chars, static_cast<double>(dropped_chars) / static_cast<double>(chars),
      static_cast<double>(strict_dropped) / static_cast<double>(lines));
  for (const auto& [role, n] : by_role) std::printf("  %-50s %ld\n", role.c_str(), n);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  bool verbose = false;
  fs::path examples = "examples";
  fs::path ecb = "../shared/data/ecbplus.jsonl";
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--verbose") {
      verbose = true;
    } else if (arg == "--examples" && i + 1 < argc) {
      examples = argv[++i];
    } else if (arg == "--ecb" && i + 1 < argc) {
      ecb = argv[++i];
    } else {
      std::cerr << "usage: clean_eval [--verbose] [--examples DIR] [--ecb FILE]\n";
      return 2;
    }
  }
  int rc = 0;
  if (fs::exists(examples / "lines.jsonl")) rc |= RunExamples(examples, verbose);
  if (fs::exists(ecb)) rc |= RunEcb(ecb, verbose);
  return rc;
}
