// Throughput of the text module on synthetic news text, by document size.
//
//   cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release
//   cmake --build build-release --target text_bench -j2
//   build-release/bench/text/text_bench --benchmark_filter=Shingle
//
// The corpus is built from sentences written for this benchmark, drawn in a
// fixed pseudo-random order so that texts do not repeat with a short period
// (which would flatter branch prediction). Throughput is reported in bytes
// of input per second. Argument "lang" is 0 for French and 1 for English.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storyline/text/language.h"
#include "storyline/text/normalize.h"
#include "storyline/text/sentences.h"
#include "storyline/text/shingles.h"
#include "storyline/text/tokenizer.h"

namespace storyline::text {
namespace {

constexpr std::string_view kFrench[] = {
    "Le conseil des ministres a adopté mercredi un projet de loi qui "
    "réforme en profondeur le financement des hôpitaux publics.",
    "« Nous ne céderons pas », a déclaré le porte-parole du gouvernement "
    "lors d’un point presse à l’Élysée.",
    "Selon l’Insee, l’inflation a atteint 5,2 % sur un an en décembre, "
    "tirée par les prix de l’énergie et de l’alimentation.",
    "Les syndicats appellent à une nouvelle journée de mobilisation jeudi "
    "dans toute la France.",
    "M. Lefèvre, maire de la commune depuis 2014, n’a pas souhaité "
    "commenter l’ouverture de l’enquête.",
    "À Marseille, les pompiers sont intervenus vers 3 h du matin pour "
    "maîtriser un incendie dans un entrepôt désaffecté.",
    "La Banque centrale européenne pourrait relever ses taux directeurs "
    "dès le mois prochain, estiment les économistes.",
    "Quelque 1.200 manifestants se sont rassemblés place de la République "
    "malgré la pluie et le froid.",
    "L’opposition dénonce un texte « bâclé » et promet de déposer des "
    "centaines d’amendements à l’Assemblée nationale.",
    "D’après les premiers résultats, la participation s’élèverait à 47 %, "
    "en baisse de six points par rapport au scrutin précédent.",
    "Le procès, qui doit durer trois semaines, s’ouvre lundi devant la cour "
    "d’assises de Paris.",
    "Les discussions entre Washington et Moscou reprendront à Genève au "
    "début de la semaine prochaine, selon un diplomate.",
    "Jean-Yves Morel, ancien directeur de l’agence régionale de santé, a "
    "été entendu par les enquêteurs.",
    "Météo-France a placé douze départements en vigilance orange pour des "
    "risques d’orages violents.",
    "Le club lyonnais s’est imposé 3-1 samedi soir, une victoire qui le "
    "relance dans la course au podium.",
    "Cette décision intervient alors que les négociations salariales sont "
    "au point mort depuis plusieurs mois.",
};

constexpr std::string_view kEnglish[] = {
    "The cabinet approved a bill on Wednesday that would overhaul how "
    "public hospitals are funded.",
    "\u201cWe will not back down,\u201d the government\u2019s spokesman told "
    "reporters at a briefing in the capital.",
    "Inflation reached 5.2% in December from a year earlier, driven by "
    "energy and food prices, the statistics office said.",
    "Unions have called for another day of strikes on Thursday across the "
    "country.",
    "Mr. Fletcher, who has been mayor since 2014, declined to comment on "
    "the investigation.",
    "Firefighters were called to a disused warehouse in the port city at "
    "about 3 a.m. to put out a blaze.",
    "The European Central Bank could raise interest rates as early as next "
    "month, economists said.",
    "Some 1,200 protesters gathered in the main square despite the rain and "
    "the cold.",
    "The opposition called the bill rushed and vowed to table hundreds of "
    "amendments in parliament.",
    "Early results put turnout at 47%, down six points from the previous "
    "election.",
    "The trial, which is expected to last three weeks, opens on Monday at "
    "the criminal court.",
    "Talks between Washington and Moscow will resume in Geneva early next "
    "week, a diplomat said.",
    "The weather service issued storm warnings for twelve counties on "
    "Saturday afternoon.",
    "The home side won 3-1 on Saturday night, a result that puts them back "
    "in the race for the title.",
    "The decision comes as wage negotiations have stalled for several "
    "months.",
    "Officials at the U.S. State Department said the sanctions would take "
    "effect immediately.",
};

template <std::size_t N>
std::string BuildCorpus(const std::string_view (&sentences)[N],
                        std::size_t bytes) {
  std::string out;
  std::uint64_t state = 0x9E3779B97F4A7C15ull;
  std::size_t in_paragraph = 0;
  while (out.size() < bytes) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    out += sentences[(state >> 33) % N];
    if (++in_paragraph == 4) {
      out += "\n\n";
      in_paragraph = 0;
    } else {
      out += ' ';
    }
  }
  // Cut at a character boundary at or below `bytes`.
  std::size_t cut = bytes;
  while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0u) == 0x80u) {
    --cut;
  }
  out.resize(cut);
  return out;
}

std::string Corpus(bool french, std::size_t bytes) {
  return french ? BuildCorpus(kFrench, bytes) : BuildCorpus(kEnglish, bytes);
}

void SizeArgs(benchmark::internal::Benchmark* b) {
  for (int lang = 0; lang < 2; ++lang) {
    for (int kb : {1, 4, 16, 64}) b->Args({lang, kb * 1024});
  }
  b->ArgNames({"lang", "bytes"});  // lang 0: French, 1: English
}

void BM_Normalize(benchmark::State& state) {
  const std::string text =
      Corpus(state.range(0) == 0, static_cast<std::size_t>(state.range(1)));
  NormalizedText out;
  for (auto _ : state) {
    Status s = NormalizeInto(text, {}, &out);
    benchmark::DoNotOptimize(s);
    benchmark::DoNotOptimize(out.text.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(text.size()));
}
BENCHMARK(BM_Normalize)->Apply(SizeArgs);

void BM_NormalizeLine(benchmark::State& state) {
  const std::string text =
      Corpus(state.range(0) == 0, static_cast<std::size_t>(state.range(1)));
  for (auto _ : state) {
    Result<std::string> s = NormalizeLine(text);
    benchmark::DoNotOptimize(s);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(text.size()));
}
BENCHMARK(BM_NormalizeLine)->Apply(SizeArgs);

// Normalise + tokenise.
void BM_Tokenize(benchmark::State& state) {
  const std::string text =
      Corpus(state.range(0) == 0, static_cast<std::size_t>(state.range(1)));
  Tokenizer tokenizer;
  for (auto _ : state) {
    auto tokens = tokenizer.Tokenize(text);
    benchmark::DoNotOptimize(tokens);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(text.size()));
}
BENCHMARK(BM_Tokenize)->Apply(SizeArgs);

// Normalise + tokenise + 5-word shingles: the dedup hot path.
void BM_Shingle(benchmark::State& state) {
  const std::string text =
      Corpus(state.range(0) == 0, static_cast<std::size_t>(state.range(1)));
  Result<Shingler> shingler = Shingler::Create();
  ShingleSet set;
  const std::string_view lang = state.range(0) == 0 ? "fr" : "en";
  for (auto _ : state) {
    Status s = shingler->Shingle(text, lang, &set);
    benchmark::DoNotOptimize(s);
    benchmark::DoNotOptimize(set.hashes.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(text.size()));
  state.counters["shingles"] = static_cast<double>(set.hashes.size());
}
BENCHMARK(BM_Shingle)->Apply(SizeArgs);

void BM_DetectLanguage(benchmark::State& state) {
  const std::string text =
      Corpus(state.range(0) == 0, static_cast<std::size_t>(state.range(1)));
  for (auto _ : state) {
    auto guess = DetectLanguage(text);
    benchmark::DoNotOptimize(guess);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(text.size()));
}
BENCHMARK(BM_DetectLanguage)->Apply(SizeArgs);

void BM_SplitSentences(benchmark::State& state) {
  const std::string text =
      Corpus(state.range(0) == 0, static_cast<std::size_t>(state.range(1)));
  for (auto _ : state) {
    auto spans = SplitSentences(text, state.range(0) == 0 ? "fr" : "en");
    benchmark::DoNotOptimize(spans);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(text.size()));
}
BENCHMARK(BM_SplitSentences)->Apply(SizeArgs);

}  // namespace
}  // namespace storyline::text
