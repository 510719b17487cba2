// BuildDigest on synthetic stories of 10 to 100 articles. The articles are
// generated from a fixed seed out of invented French and English sentences
// with names, dates and quotes, so every extractor has work to do.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "storyline/digest/digest.h"

namespace storyline::digest {
namespace {

const char* const kSentences[] = {
    "Le ministre Paul Garnier a annoncé lundi un plan pour les ports de "
    "Bretagne.",
    "« Nous ne laisserons aucun pêcheur sans aide », a déclaré Paul Garnier "
    "à Brest.",
    "Les travaux de la digue doivent commencer le 21 mars selon la "
    "préfecture.",
    "La maire Sophie Kerjean a inspecté les quais avec les équipes de la "
    "capitainerie.",
    "Le ministère de la Mer a promis une aide d'urgence aux familles "
    "touchées par la tempête.",
    "Selon Mme Kerjean, « les dégâts sont importants mais le port reste "
    "ouvert ».",
    "The European Commission said on Tuesday it would review the request "
    "from France.",
    "“We are ready to help the fishermen of Brittany,” said Commissioner "
    "Anna Berg in Brussels.",
    "Officials met in Paris on March 14, 2022 to discuss the damage to the "
    "harbour.",
    "Les syndicats de pêcheurs réclament depuis le 10 mars une "
    "indemnisation rapide.",
    "Garnier a précisé que la reconstruction durerait plusieurs mois et "
    "coûterait cher.",
    "L'OTAN n'est pas concernée, mais la Marine nationale a envoyé deux "
    "navires hier.",
};

std::vector<DigestArticle> Story(int n) {
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> pick(0, std::size(kSentences) - 1);
  std::vector<DigestArticle> articles;
  for (int i = 0; i < n; ++i) {
    DigestArticle a;
    a.id = "a" + std::to_string(i);
    a.title = std::string("Tempête : le port de Brest rouvre ") +
              (i % 3 == 0 ? "après trois jours" : "aux navires");
    for (int s = 0; s < 14; ++s) {
      a.body += kSentences[pick(rng)];
      a.body += s % 2 == 1 ? "\n" : " ";
    }
    a.lang = i % 4 == 3 ? "en" : "fr";
    a.source = "site" + std::to_string(i % 7) + ".example";
    a.published = FromCivilDate(CivilDate{2022, 3, 15}) + 600 * i;
    if (i % 5 == 4) a.copy_of = "a" + std::to_string(i - 1);
    articles.push_back(std::move(a));
  }
  return articles;
}

void BM_BuildDigest(benchmark::State& state) {
  const std::vector<DigestArticle> articles = Story(static_cast<int>(state.range(0)));
  FixedClock clock(FromCivilDate(CivilDate{2022, 4, 1}));
  DigestOptions options;
  options.clock = &clock;
  for (auto _ : state) {
    Result<StoryDigest> d = BuildDigest(articles, options);
    if (!d) state.SkipWithError(d.error().ToString().c_str());
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_BuildDigest)
    ->Arg(10)
    ->Arg(25)
    ->Arg(50)
    ->Arg(100)
    ->Arg(400)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace storyline::digest
