// html_extract_eval: scores ExtractPage against a labelled extraction set.
//
//   html_extract_eval /work/shared/data/scrapinghub-aeb.jsonl.gz
//   html_extract_eval DATA --worst 10          # list the ten lowest-F1 pages
//   html_extract_eval DATA --dump DIR          # write <id>.got / <id>.gold
//   html_extract_eval DATA --dom-only          # ignore JSON-LD articleBody
//
// Prints mean token precision, recall and F1 over pages (see dev/html_corpus.h)
// and the extraction throughput in pages per second on one core.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "dev/html_corpus.h"
#include "storyline/html/extract.h"

int main(int argc, char** argv) {
  using storyline::html::ExtractOptions;
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE.jsonl[.gz] [--worst N] [--dump DIR] [--dom-only]\n",
                 argv[0]);
    return 2;
  }
  std::string path = argv[1];
  int worst = 0;
  std::string dump_dir;
  ExtractOptions options;
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--worst" && i + 1 < argc) {
      worst = std::stoi(argv[++i]);
    } else if (arg == "--dump" && i + 1 < argc) {
      dump_dir = argv[++i];
    } else if (arg == "--dom-only") {
      options.use_structured_body = false;
    } else {
      std::fprintf(stderr, "unknown argument %s\n", arg.c_str());
      return 2;
    }
  }
  auto corpus = storyline::tools::html_dev::LoadExtractionCorpus(path);
  if (!corpus) {
    std::fprintf(stderr, "%s\n", corpus.error().ToString().c_str());
    return 1;
  }
  struct PageResult {
    std::string id;
    std::string url;
    storyline::tools::html_dev::TokenScore score;
    bool structured;
  };
  std::vector<PageResult> results;
  double p = 0, r = 0, f = 0, seconds = 0;
  std::size_t bytes = 0, failures = 0;
  for (const auto& row : *corpus) {
    options.url = row.url;
    auto start = std::chrono::steady_clock::now();
    auto page = storyline::html::ExtractPage(row.html, options);
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    bytes += row.html.size();
    std::string text;
    if (page) {
      text = page->text;
    } else {
      ++failures;
      std::fprintf(stderr, "%s: %s\n", row.id.c_str(), page.error().ToString().c_str());
    }
    storyline::tools::html_dev::TokenScore s =
        storyline::tools::html_dev::ScoreTokens(text, row.gold_text);
    p += s.precision;
    r += s.recall;
    f += s.f1;
    results.push_back({row.id, row.url, s, page && page->text_from_structured_data});
    if (!dump_dir.empty()) {
      std::ofstream(dump_dir + "/" + row.id + ".got") << text << "\n";
      std::ofstream(dump_dir + "/" + row.id + ".gold") << row.gold_text << "\n";
    }
  }
  double n = static_cast<double>(corpus->size());
  if (worst > 0) {
    std::sort(results.begin(), results.end(),
              [](const PageResult& a, const PageResult& b) { return a.score.f1 < b.score.f1; });
    for (int i = 0; i < worst && i < static_cast<int>(results.size()); ++i) {
      const PageResult& res = results[static_cast<std::size_t>(i)];
      std::printf("%.3f P=%.3f R=%.3f %s%s %s\n", res.score.f1, res.score.precision,
                  res.score.recall, res.id.c_str(), res.structured ? " [ld]" : "", res.url.c_str());
    }
  }
  std::printf("pages=%zu failures=%zu precision=%.4f recall=%.4f f1=%.4f\n", corpus->size(),
              failures, p / n, r / n, f / n);
  std::printf("throughput: %.1f pages/s, %.1f MB/s (extraction only, one core)\n", n / seconds,
              static_cast<double>(bytes) / seconds / 1e6);
  return 0;
}
