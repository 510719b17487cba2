// Throughput of page extraction and WARC streaming.
//
//   build-rel/bench/html/html_bench --benchmark_filter=DevSet
//
// items_per_second is pages (or records) per second on one core.
#include <benchmark/benchmark.h>
#include <zlib.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "dev/html_corpus.h"
#include "storyline/html/charset.h"
#include "storyline/html/extract.h"
#include "storyline/warc/warc_reader.h"

namespace storyline::html {
namespace {

using tools::html_dev::ExtractionExample;
using tools::html_dev::LoadExtractionCorpus;

const std::vector<ExtractionExample>& DevSet() {
  static const std::vector<ExtractionExample> pages = [] {
    const char* shared = std::getenv("STORYLINE_SHARED");
    std::string root = shared != nullptr ? shared : STORYLINE_SHARED_DEFAULT;
    auto corpus = LoadExtractionCorpus(root + "/data/scrapinghub-aeb.jsonl.gz");
    return corpus ? *corpus : std::vector<ExtractionExample>();
  }();
  return pages;
}

// Extraction over the development pages whose size lies in [min_kb, max_kb).
void BM_ExtractDevSet(benchmark::State& state) {
  std::vector<const ExtractionExample*> pages;
  for (const ExtractionExample& row : DevSet()) {
    std::size_t kb = row.html.size() / 1024;
    if (kb >= static_cast<std::size_t>(state.range(0)) &&
        kb < static_cast<std::size_t>(state.range(1))) {
      pages.push_back(&row);
    }
  }
  if (pages.empty()) {
    state.SkipWithError("development set not found (set STORYLINE_SHARED)");
    return;
  }
  std::size_t i = 0;
  std::int64_t bytes = 0;
  for (auto _ : state) {
    const ExtractionExample& row = *pages[i++ % pages.size()];
    ExtractOptions options;
    options.url = row.url;
    Result<ExtractedPage> page = ExtractPage(row.html, options);
    benchmark::DoNotOptimize(page);
    bytes += static_cast<std::int64_t>(row.html.size());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.SetBytesProcessed(bytes);
  state.counters["pages"] = static_cast<double>(pages.size());
}
// All pages; the "~100 KB news page" band; small and large pages.
BENCHMARK(BM_ExtractDevSet)->Args({0, 100000})->Args({80, 130})->Args({0, 80})->Args({130, 100000});

// A synthetic article page of about `kb` kilobytes: chrome, scripts and
// paragraphs in the proportions of a news page.
std::string SyntheticPage(std::size_t kb) {
  std::string page =
      "<!doctype html><html lang=\"en\"><head><title>Synthetic story | Site</title>"
      "<meta property=\"og:title\" content=\"Synthetic story\"></head><body>"
      "<nav><ul><li><a href=\"/a\">Home</a></li><li><a href=\"/b\">World</a></li></ul></nav>";
  std::string script = "<script>var data = {\"k\": [1,2,3,4,5,6,7,8,9,10]};</script>";
  std::string para =
      "<p class=\"para\">The council met on Tuesday to discuss the budget, and members agreed "
      "on most items after a debate that lasted into the evening, officials said.</p>";
  page += "<article><h1>Synthetic story</h1>";
  while (page.size() < kb * 1024) {
    page += script;
    page += para;
    page += "<div class=\"related\"><a href=\"/x\">Another story people read</a></div>";
  }
  page += "</article><footer>Footer</footer></body></html>";
  return page;
}

void BM_ExtractSynthetic(benchmark::State& state) {
  std::string page = SyntheticPage(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    Result<ExtractedPage> result = ExtractPage(page);
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * page.size()));
}
BENCHMARK(BM_ExtractSynthetic)->Arg(10)->Arg(100)->Arg(1000);

void BM_DecodeWindows1252(benchmark::State& state) {
  std::string text;
  while (text.size() < static_cast<std::size_t>(state.range(0)) * 1024) {
    text +=
        "Le d\xE9put\xE9 a rappel\xE9 l\x92importance de la r\xE9"
        "forme. ";
  }
  for (auto _ : state) {
    Result<std::string> utf8 = DecodeToUtf8(text, "windows-1252");
    benchmark::DoNotOptimize(utf8);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_DecodeWindows1252)->Arg(10)->Arg(100)->Arg(1000);

std::string GzipMember(const std::string& data) {
  z_stream z;
  std::memset(&z, 0, sizeof z);
  deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, data.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

// Streaming a per-record-gzip WARC of `range(0)` HTML responses.
void BM_WarcStream(benchmark::State& state) {
  std::string archive;
  std::size_t raw = 0;
  for (int i = 0; i < state.range(0); ++i) {
    std::string page = SyntheticPage(100);
    std::string http = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + page;
    std::string record =
        "WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:" + std::to_string(i) +
        ">\r\nContent-Type: application/http;msgtype=response\r\n"
        "Content-Length: " +
        std::to_string(http.size()) + "\r\n\r\n" + http + "\r\n\r\n";
    raw += record.size();
    archive += GzipMember(record);
  }
  for (auto _ : state) {
    auto reader = warc::WarcReader::FromBytes(archive, {.html_only = true});
    std::size_t n = 0;
    for (;;) {
      auto record = reader->Next();
      if (!record || !*record) break;
      ++n;
    }
    benchmark::DoNotOptimize(n);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * raw));
}
BENCHMARK(BM_WarcStream)->Arg(100);

}  // namespace
}  // namespace storyline::html
