// Full-text indexing cost of the search tokenizer, side by side with
// SQLite's own unicode61 on the same text.
//
//   cmake --build out/release --target store_bench -j2
//   out/release/bench/store/store_bench
//
// Each iteration indexes 500 articles of about 2 KB, built from English and
// French sentences written for this benchmark in a fixed pseudo-random
// order, into a fresh in-memory FTS5 table (title, body); throughput is in
// bytes of text per second. "storyline" indexes each word's Snowball stem
// tagged with the article's language beside the word (store/fts_tokenizer.h).
#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/fts_tokenizer.h"

namespace storyline::store {
namespace {

constexpr std::string_view kEnglish[] = {
    "The harbour authority closed the eastern quay on Tuesday after inspectors found cracks in "
    "the concrete supporting two of its cranes.",
    "Ferry operators said crossings would resume once engineers had checked the moorings, "
    "probably by the end of the week.",
    "Union representatives met the company's directors for three hours without reaching an "
    "agreement on pay and working hours.",
    "Police are appealing for witnesses after a lorry overturned on the coast road, blocking "
    "both lanes for most of the morning.",
    "The council's planning committee approved the new bridge despite objections from residents "
    "living along the river bank.",
    "Investors welcomed the results, which showed rising sales in every region and a smaller "
    "loss than analysts had expected.",
};
constexpr std::string_view kFrench[] = {
    "Les négociations entre la direction et les syndicats ont repris mercredi matin dans un "
    "climat tendu, selon plusieurs participants.",
    "La préfecture a placé le département en vigilance orange après les fortes pluies tombées "
    "pendant la nuit sur les communes du littoral.",
    "Les pompiers sont intervenus vers trois heures pour maîtriser un incendie dans un entrepôt "
    "désaffecté de la zone industrielle.",
    "Le maire a annoncé la réouverture de la passerelle piétonne au début de l'été, une fois les "
    "travaux de consolidation achevés.",
};

struct Doc {
  std::string lang;
  std::string title;
  std::string body;
};

std::vector<Doc> MakeDocs(std::size_t n) {
  std::vector<Doc> docs;
  std::uint64_t x = 88172645463325252ULL;
  auto next = [&x] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  for (std::size_t i = 0; i < n; ++i) {
    const bool french = i % 3 == 2;
    Doc d{std::string(french ? "fr" : "en"), std::string(), std::string()};
    while (d.body.size() < 2000) {
      const std::string_view s =
          french ? kFrench[next() % std::size(kFrench)] : kEnglish[next() % std::size(kEnglish)];
      d.body.append(s);
      d.body += (next() % 4 == 0) ? "\n" : " ";
    }
    d.title = std::string(d.body.substr(0, d.body.find(',')));
    docs.push_back(std::move(d));
  }
  return docs;
}

void BM_FtsIndex(benchmark::State& state) {
  const bool stems = state.range(0) == 1;
  const std::vector<Doc> docs = MakeDocs(500);
  std::int64_t bytes = 0;
  for (const Doc& d : docs) bytes += static_cast<std::int64_t>(d.title.size() + d.body.size());
  const std::string create =
      std::string("CREATE VIRTUAL TABLE t USING fts5(title, body, tokenize='") +
      (stems ? kStemmingTokenizer : "unicode61") + " remove_diacritics 2')";
  for (auto _ : state) {
    state.PauseTiming();
    sqlite3* db = nullptr;
    sqlite3_open(":memory:", &db);
    if (!RegisterStemmingTokenizer(db)) state.SkipWithError("no FTS5");
    sqlite3_exec(db, create.c_str(), nullptr, nullptr, nullptr);
    sqlite3_stmt* ins = nullptr;
    sqlite3_prepare_v2(db, "INSERT INTO t(title, body) VALUES (?1, ?2)", -1, &ins, nullptr);
    std::vector<std::pair<std::string, std::string>> marked;
    for (const Doc& d : docs) {
      marked.emplace_back(stems ? MarkLanguage(d.lang, d.title) : d.title,
                          stems ? MarkLanguage(d.lang, d.body) : d.body);
    }
    state.ResumeTiming();
    sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    for (const auto& [title, body] : marked) {
      sqlite3_bind_text(ins, 1, title.data(), static_cast<int>(title.size()), SQLITE_STATIC);
      sqlite3_bind_text(ins, 2, body.data(), static_cast<int>(body.size()), SQLITE_STATIC);
      sqlite3_step(ins);
      sqlite3_reset(ins);
    }
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    state.PauseTiming();
    sqlite3_finalize(ins);
    sqlite3_close(db);
    state.ResumeTiming();
  }
  state.SetBytesProcessed(bytes * state.iterations());
  state.SetLabel(stems ? "storyline (words + tagged stems)" : "unicode61 (words)");
}
BENCHMARK(BM_FtsIndex)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace storyline::store
