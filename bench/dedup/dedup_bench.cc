// Kernels of the duplicate engine, each sweeping sizes:
//   BM_HashWordShingles  word shingle hashing (reference shingler)
//   BM_Sketch            OPH MinHash signature + band keys + winnowing + sort
//   BM_Overlap           exact verification (merge intersection)
//   BM_AddQuery          index insert + LSH/anchor query + verification
//                        against an index of N documents
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "corpus/synth.h"
#include "storyline/dedup/duplicate_index.h"
#include "storyline/dedup/sketch.h"

namespace storyline::dedup {
namespace {

using tools::corpus::BaseDocument;
using tools::corpus::FabricatedBaseSource;
using tools::corpus::HashWordShingles;
using tools::corpus::MakeZipfVocabulary;
using tools::corpus::SynthRandom;
using tools::corpus::Vocabulary;

std::vector<uint64_t> RandomHashes(SynthRandom& r, size_t n) {
  std::vector<uint64_t> v(n);
  for (uint64_t& x : v) x = r.Next();
  return v;
}

void BM_HashWordShingles(benchmark::State& state) {
  const Vocabulary vocab = MakeZipfVocabulary(30000, 1.0, 1);
  FabricatedBaseSource src(vocab, {.count = 1,
                                   .min_paragraphs = 1,
                                   .max_paragraphs = 1,
                                   .min_words = static_cast<uint32_t>(state.range(0)),
                                   .max_words = static_cast<uint32_t>(state.range(0))});
  BaseDocument d;
  src.Next(d);
  std::vector<std::string_view> words(d.paragraphs[0].begin(), d.paragraphs[0].end());
  for (auto _ : state) benchmark::DoNotOptimize(HashWordShingles(words));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_HashWordShingles)->Arg(100)->Arg(650)->Arg(5000);

void BM_Sketch(benchmark::State& state) {
  const Sketcher sketcher = *Sketcher::Create({});
  SynthRandom r(1);
  const std::vector<uint64_t> shingles = RandomHashes(r, static_cast<size_t>(state.range(0)));
  DocumentInput in;
  in.id = 1;
  in.shingles = shingles;
  for (auto _ : state) benchmark::DoNotOptimize(sketcher.Sketch(in));
  state.SetItemsProcessed(state.iterations());
  state.counters["shingles/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * state.range(0)), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Sketch)->Arg(100)->Arg(650)->Arg(5000);

void BM_Overlap(benchmark::State& state) {
  const Sketcher sketcher = *Sketcher::Create({});
  SynthRandom r(2);
  const size_t n = static_cast<size_t>(state.range(0));
  std::vector<uint64_t> a = RandomHashes(r, n), b = RandomHashes(r, n / 2);
  b.insert(b.end(), a.begin(), a.begin() + static_cast<std::ptrdiff_t>(n / 2));
  DocumentInput ia, ib;
  ia.id = 1;
  ia.shingles = a;
  ib.id = 2;
  ib.shingles = b;
  const DocumentSketch sa = *sketcher.Sketch(ia), sb = *sketcher.Sketch(ib);
  for (auto _ : state) benchmark::DoNotOptimize(ComputeOverlap(sa.shingles, sb.shingles));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Overlap)->Arg(100)->Arg(650)->Arg(5000);

// Adds fresh random documents (and every 8th a half copy of the one before
// it, so verification and evidence run) to an index holding N documents.
// Documents are sketched outside the timed region.
void BM_AddQuery(benchmark::State& state) {
  const Sketcher sketcher = *Sketcher::Create({});
  const size_t n = static_cast<size_t>(state.range(0));
  SynthRandom r(3);
  DuplicateIndex index = *DuplicateIndex::Create({}, {});
  DocId id = 0;
  auto make_batch = [&](size_t count) {
    std::vector<DocumentSketch> batch;
    std::vector<uint64_t> prev;
    for (size_t i = 0; i < count; ++i) {
      std::vector<uint64_t> s = RandomHashes(r, 650);
      if (i % 8 == 1) s.assign(prev.begin(), prev.begin() + 325);
      DocumentInput in;
      in.id = id++;
      in.shingles = s;
      batch.push_back(*sketcher.Sketch(in));
      prev = std::move(s);
    }
    return batch;
  };
  for (DocumentSketch& s : make_batch(n)) (void)index.Add(std::move(s));
  std::vector<DocumentSketch> batch = make_batch(1024);
  size_t next = 0;
  for (auto _ : state) {
    if (next == batch.size()) {
      state.PauseTiming();
      batch = make_batch(1024);
      next = 0;
      state.ResumeTiming();
    }
    benchmark::DoNotOptimize(index.Add(std::move(batch[next++])));
  }
  state.SetItemsProcessed(state.iterations());
  const MemoryUsage m = index.Memory();
  state.counters["index_B/doc"] =
      static_cast<double>(m.index_bytes) / static_cast<double>(m.documents);
}
BENCHMARK(BM_AddQuery)->Arg(10000)->Arg(100000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace storyline::dedup
