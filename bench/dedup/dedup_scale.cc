// Whole-path scale run: generated wire copies -> shingles -> Sketch -> Add,
// single-threaded, reporting articles/s for the timed part (sketch + index
// insert + query + verification; generation and shingle hashing are not
// timed), memory per article, and pairwise precision/recall of the groups
// against the gold ones.
//
//   dedup_scale [--docs N] [--seed S] [--base-words W] [--store-sets 0|1]
//
// --base-words (900): mean length of the generated originals; with cut
// copies and shorter unrelated reports the mean article is ~70% of it, so
// the default gives ~650-word (~4 KB) articles.
//
// --store-sets 0 measures the index without the fingerprint arena, using a
// ShingleSource backed by a plain vector (what a pipeline fetching the sets
// from its store would look like).
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "corpus/synth.h"
#include "storyline/dedup/duplicate_index.h"
#include "storyline/dedup/sketch.h"

namespace {

using namespace storyline::dedup;          // NOLINT: a small tool
using namespace storyline::tools::corpus;  // NOLINT: the generator

// Resident set size in bytes, from /proc (Linux); 0 elsewhere.
double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

size_t ResidentBytes() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::strtoull(line.c_str() + 6, nullptr, 10) * 1024;
  }
  return 0;
}

class VectorShingleSource : public ShingleSource {
 public:
  bool Fetch(DocId id, std::vector<uint32_t>& out) const override {
    if (id >= sets.size()) return false;
    out = sets[id];
    return true;
  }
  std::vector<std::vector<uint32_t>> sets;
};

// Pairwise precision and recall of the index's groups against `gold` (one
// label per document id), from the contingency table of (gold, found).
std::pair<double, double> PairwiseScores(const std::vector<uint32_t>& gold,
                                         const DuplicateIndex& index) {
  std::unordered_map<uint64_t, uint64_t> cell, gold_size, found_size;
  for (DocId id = 0; id < gold.size(); ++id) {
    const uint64_t g = gold[id], f = index.CanonicalOf(id);
    ++cell[g << 32 | f];
    ++gold_size[g];
    ++found_size[f];
  }
  auto pairs_of = [](const std::unordered_map<uint64_t, uint64_t>& m) {
    double s = 0;
    for (const auto& [k, n] : m) s += static_cast<double>(n) * static_cast<double>(n - 1) / 2;
    return s;
  };
  const double tp = pairs_of(cell), gp = pairs_of(gold_size), fp = pairs_of(found_size);
  return {fp == 0 ? 1 : tp / fp, gp == 0 ? 1 : tp / gp};
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t docs = 100000, seed = 1, base_words = 900;
  bool store_sets = true;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--docs") == 0) docs = std::strtoull(argv[i + 1], nullptr, 10);
    if (std::strcmp(argv[i], "--seed") == 0) seed = std::strtoull(argv[i + 1], nullptr, 10);
    if (std::strcmp(argv[i], "--base-words") == 0) {
      base_words = std::strtoull(argv[i + 1], nullptr, 10);
    }
    if (std::strcmp(argv[i], "--store-sets") == 0) store_sets = std::atoi(argv[i + 1]) != 0;
  }
  const Sketcher sketcher = *Sketcher::Create({});
  VectorShingleSource source;
  IndexOptions options;
  if (!store_sets) options.shingle_source = &source;
  DuplicateIndex index = *DuplicateIndex::Create(options, {});
  // 8-12 paragraphs (10 on average) of base_words/10 +- 30% words.
  const uint32_t per_paragraph = static_cast<uint32_t>(std::max<uint64_t>(base_words / 10, 4));
  FabricatedBaseSource bases(
      MakeZipfVocabulary(50000, 1.0, seed),
      {.min_words = per_paragraph * 7 / 10, .max_words = per_paragraph * 13 / 10, .seed = seed});
  WireCopyGenerator gen(bases, {.seed = seed});

  const size_t rss0 = ResidentBytes();
  std::vector<uint32_t> gold;
  gold.reserve(docs);
  double timed = 0, timed_cpu = 0, sketch_cpu = 0, words_total = 0, shingles_total = 0;
  uint64_t pairs = 0, checked = 0;
  constexpr size_t kChunk = 5000;
  std::vector<SyntheticArticle> chunk;
  std::vector<std::vector<uint64_t>> shingles;
  std::vector<uint64_t> body_hashes;
  std::vector<uint32_t> lengths;
  uint64_t done = 0;
  while (done < docs) {
    chunk.clear();
    shingles.clear();
    body_hashes.clear();
    lengths.clear();
    SyntheticArticle a;
    while (chunk.size() < kChunk && done + chunk.size() < docs && gen.Next(a)) {
      const std::vector<std::string_view> words = a.Words();
      shingles.push_back(HashWordShingles(words));
      body_hashes.push_back(HashWords(words));
      lengths.push_back(static_cast<uint32_t>(words.size()));
      words_total += static_cast<double>(words.size());
      shingles_total += static_cast<double>(shingles.back().size());
      chunk.push_back(std::move(a));
    }
    if (chunk.empty()) break;
    // Sketch the chunk, then add it: two timed phases, so each is measured
    // without a clock call per article.
    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = ThreadCpuSeconds();
    std::vector<DocumentSketch> sketches;
    sketches.reserve(chunk.size());
    for (size_t i = 0; i < chunk.size(); ++i) {
      DocumentInput in;
      in.id = chunk[i].id;
      in.body_hash = body_hashes[i];
      in.shingles = shingles[i];
      in.timestamp = chunk[i].timestamp;
      in.body_length = lengths[i];
      sketches.push_back(*sketcher.Sketch(in));
    }
    const double c1 = ThreadCpuSeconds();
    sketch_cpu += c1 - c0;
    for (DocumentSketch& s : sketches) {
      if (!store_sets) {
        if (source.sets.size() <= s.id) source.sets.resize(s.id + 1);
        source.sets[s.id] = s.shingles;
      }
      storyline::Result<AddOutcome> out = index.Add(std::move(s));
      if (!out) {
        std::fprintf(stderr, "%s\n", out.error().ToString().c_str());
        return 1;
      }
      pairs += out->pairs.size();
      checked += out->candidates_checked;
    }
    timed_cpu += ThreadCpuSeconds() - c0;
    timed += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    for (const SyntheticArticle& x : chunk) gold.push_back(x.gold_group);
    done += chunk.size();
  }

  const auto [precision, recall] = PairwiseScores(gold, index);
  const MemoryUsage m = index.Memory();
  const double n = static_cast<double>(done);
  std::printf("articles              %llu (avg %.0f words, %.0f shingles)\n",
              static_cast<unsigned long long>(done), words_total / n, shingles_total / n);
  std::printf("timed sketch+add      %.2f s wall = %.0f articles/s; %.2f s CPU = %.0f articles/s\n",
              timed, n / timed, timed_cpu, n / timed_cpu);
  std::printf("  of which Sketch     %.2f us CPU/article; Add %.2f us CPU/article\n",
              sketch_cpu / n * 1e6, (timed_cpu - sketch_cpu) / n * 1e6);
  std::printf("verified pairs        %llu  (candidates checked %.2f per article)\n",
              static_cast<unsigned long long>(pairs), static_cast<double>(checked) / n);
  std::printf("index bytes/article   %.0f  (LSH bands + anchors + maps + metadata)\n",
              static_cast<double>(m.index_bytes) / n);
  std::printf("pair bytes/article    %.0f\n", static_cast<double>(m.pair_bytes) / n);
  std::printf("shingle bytes/article %.0f  (%s)\n", static_cast<double>(m.shingle_bytes) / n,
              store_sets ? "fingerprint arena" : "external ShingleSource, not counted");
  std::printf("process RSS growth    %.0f bytes/article (includes the gold labels)\n",
              static_cast<double>(ResidentBytes() - rss0) / n);
  std::printf("pairwise precision    %.4f  recall %.4f  F1 %.4f\n", precision, recall,
              2 * precision * recall / (precision + recall));
  return 0;
}
