// Precision and recall of the date, quote and entity extractors on a small
// hand-annotated table of invented news sentences in French, English,
// Spanish and German. The floors guard against regressions; the printed
// figures are the ones to quote.
#include <cstdio>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "storyline/digest/dates.h"
#include "storyline/digest/entities.h"
#include "storyline/digest/quotes.h"

namespace storyline::digest {
namespace {

// All rows are read on Friday 2023-05-12.
constexpr CivilDate kReference{2023, 5, 12};

struct GoldRow {
  std::string_view lang;
  std::string_view text;
  std::string_view dates;     // "YYYY-MM-DD" joined by ';' (story events)
  std::string_view quotes;    // "speaker=first words" joined by ';'
  std::string_view entities;  // "name|type" joined by ';'
};

// clang-format off
const GoldRow kGold[] = {
    {"fr", "Le ministre de l'Intérieur, Gérald Moreau, a annoncé jeudi la fermeture du site.",
     "2023-05-11", "", "Gérald Moreau|person"},
    {"fr", "« Nous ne laisserons personne sans solution », a déclaré Gérald Moreau à Marseille.",
     "", "Gérald Moreau=Nous ne laisserons", "Gérald Moreau|person;Marseille|location"},
    {"fr", "La réunion des ministres européens aura lieu lundi à Bruxelles.",
     "2023-05-15", "", "Bruxelles|location"},
    {"fr", "Le 3 juin, l'Union européenne présentera son plan pour la Méditerranée.",
     "2023-06-03", "", "Union européenne|organization;Méditerranée|location"},
    {"fr", "Selon Mme Claire Fontaine, porte-parole du gouvernement, « le texte sera voté avant l'été ».",
     "", "Claire Fontaine=le texte sera", "Claire Fontaine|person"},
    {"fr", "La députée Claire Fontaine est arrivée hier à Lyon. Fontaine a précisé que le vote était prévu le 20 juin.",
     "2023-05-11;2023-06-20", "", "Claire Fontaine|person;Lyon|location"},
    {"fr", "Le traité de 1992 avait été signé à Maastricht, rappelle le quotidien Le Monde.",
     "", "", "Maastricht|location;Le Monde|organization"},
    {"fr", "Des policiers devant la préfecture de Nantes, le 10 mai 2023.\nLes syndicats ont manifesté mercredi à Nantes.",
     "2023-05-10", "", "Nantes|location"},
    {"fr", "L'OTAN et l'ONU ont condamné l'attaque survenue dimanche dernier en Syrie.",
     "2023-05-07", "", "OTAN|organization;ONU|organization;Syrie|location"},
    {"fr", "Interrogée par l'AFP, la maire de Paris, Anne Berthier, a-t-elle dit, « la ville ne paiera pas ».",
     "", "Anne Berthier=la ville ne", "AFP|organization;Paris|location;Anne Berthier|person"},
    {"fr", "La ministre Sophie Lemaire a reçu les syndicats. « Le dialogue reprendra la semaine prochaine », a-t-elle assuré.",
     "", "Sophie Lemaire=Le dialogue reprendra", "Sophie Lemaire|person"},
    {"fr", "Le président Emmanuel Duval s'est entretenu avec M. Scholz au téléphone le 2 mai.",
     "2023-05-02", "", "Emmanuel Duval|person;Scholz|person"},
    {"fr", "Le ministère des Armées a confirmé que 300 soldats partiront demain pour la Roumanie.",
     "2023-05-13", "", "ministère des Armées|organization;Roumanie|location"},
    {"fr", "M. Karim Haddad, directeur de l'agence, a démissionné vendredi 5 mai.",
     "2023-05-05", "", "Karim Haddad|person"},
    {"fr", "Le porte-parole du Quai d'Orsay, Pierre Navarro, a répondu aux journalistes.\n« La France reste prête à négocier », a déclaré le porte-parole.",
     "", "Pierre Navarro=La France reste", "Pierre Navarro|person;Quai d'Orsay|organization;France|location"},
    {"en", "The talks will resume on Monday in Geneva, the State Department said.",
     "2023-05-15", "", "Geneva|location;State Department|organization"},
    {"en", "“We have no intention of backing down,” said Senator Laura Mitchell on Tuesday.",
     "2023-05-09", "Laura Mitchell=We have no", "Laura Mitchell|person"},
    {"en", "Mitchell told reporters in Washington that a vote was expected next week.",
     "", "", "Mitchell|person;Washington|location"},
    {"en", "Dr. Samuel Okafor, who leads the World Health Organization team, arrived in Nairobi yesterday.",
     "2023-05-11", "", "Samuel Okafor|person;World Health Organization|organization;Nairobi|location"},
    {"en", "NATO leaders first met in Brussels on March 3, 2023, and again on April 4.",
     "2023-03-03;2023-04-04", "", "NATO|organization;Brussels|location"},
    {"en", "A 1997 agreement still governs the border, according to the ministry.",
     "", "", ""},
    {"en", "Protesters gather outside parliament in London, May 8, 2023. REUTERS/Jane Roe",
     "", "", ""},
    {"en", "Officials said the ship sank on Sunday near the coast of Greece.",
     "2023-05-07", "", "Greece|location"},
    {"en", "“This is a turning point for the region,” the official said, asking not to be named.",
     "", "the official=This is a", ""},
    {"en", "Governor Ruth Alvarez visited the flooded towns. “We will rebuild,” she said. “Every single home will be rebuilt.”",
     "", "Ruth Alvarez=We will rebuild;Ruth Alvarez=Every single home", "Ruth Alvarez|person"},
    {"en", "Acme Holdings Inc said on Thursday it would cut 2,000 jobs in Ohio.",
     "2023-05-11", "", "Acme Holdings Inc|organization;Ohio|location"},
    {"en", "According to Mr. Daniel Price, “the deal is dead for now.”",
     "", "Daniel Price=the deal is", "Daniel Price|person"},
    {"en", "The summit is planned for 06/21/2023 in Tokyo.",
     "2023-06-21", "", "Tokyo|location"},
    {"es", "El presidente Andrés Salgado viajará mañana a Madrid.",
     "2023-05-13", "", "Andrés Salgado|person;Madrid|location"},
    {"es", "«No aceptaremos ninguna imposición», dijo la ministra Lucía Paredes.",
     "", "Lucía Paredes=No aceptaremos ninguna", "Lucía Paredes|person"},
    {"es", "La cumbre se celebró el 28 de abril de 2023 en Lima, según la agencia EFE.",
     "2023-04-28", "", "Lima|location;EFE|organization"},
    {"es", "El Gobierno de España anunció ayer nuevas ayudas.",
     "2023-05-11", "", "Gobierno de España|organization"},
    {"es", "Según el portavoz Tomás Ibarra, «las negociaciones siguen abiertas».",
     "", "Tomás Ibarra=las negociaciones siguen", "Tomás Ibarra|person"},
    {"de", "Die Ministerin Katrin Adler sagte am Mittwoch in Berlin, die Lage sei ernst.",
     "2023-05-10", "", "Katrin Adler|person;Berlin|location"},
    {"de", "„Wir werden die Hilfe verdoppeln“, sagte Bundeskanzler Jonas Richter.",
     "", "Jonas Richter=Wir werden die", "Jonas Richter|person"},
    {"de", "Die Gespräche sollen am 22. Mai in Wien beginnen.",
     "2023-05-22", "", "Wien|location"},
    {"de", "Die Siemens AG meldete gestern einen Gewinn.",
     "2023-05-11", "", "Siemens AG|organization"},
    {"fr", "Ensuite, la délégation a quitté Genève. Genève accueillera un autre sommet en 2024.",
     "", "", "Genève|location"},
    {"fr", "Poutine et le président Vladimir Sokolov ont discuté lundi. Le président Sokolov a-t-il déclaré, « rien n'est exclu »",
     "2023-05-08", "Vladimir Sokolov=rien n'est exclu", "Poutine|person;Vladimir Sokolov|person"},
    {"fr", "La porte-parole Inès Garnier a précisé le calendrier.\n« Les premiers versements arriveront en juillet.\n« Les suivants seront étalés sur l'année », a-t-elle ajouté.",
     "", "Inès Garnier=Les premiers versements", "Inès Garnier|person"},
};
// clang-format on

std::vector<std::string> Split(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) {
    const std::size_t at = s.find(';');
    out.emplace_back(s.substr(0, at));
    if (at == std::string_view::npos) break;
    s.remove_prefix(at + 1);
  }
  return out;
}

struct Score {
  int tp = 0;
  int fp = 0;
  int fn = 0;
  double Precision() const { return tp + fp == 0 ? 1.0 : 1.0 * tp / (tp + fp); }
  double Recall() const { return tp + fn == 0 ? 1.0 : 1.0 * tp / (tp + fn); }
  void Add(const std::set<std::string>& got, const std::set<std::string>& want,
           std::string_view text) {
    for (const std::string& g : got) {
      if (want.count(g) > 0) {
        ++tp;
      } else {
        ++fp;
        std::printf("  FP %s  <- %.60s\n", g.c_str(), std::string(text).c_str());
      }
    }
    for (const std::string& w : want) {
      if (got.count(w) == 0) {
        ++fn;
        std::printf("  FN %s  <- %.60s\n", w.c_str(), std::string(text).c_str());
      }
    }
  }
};

TEST(GoldEvalTest, PrecisionAndRecall) {
  Score dates;
  Score quotes;
  Score entities;
  for (const GoldRow& row : kGold) {
    // Dates: day-precise story events (no captions, no background).
    DateOptions options;
    options.lang = std::string(row.lang);
    options.reference = kReference;
    Result<std::vector<DateMention>> found = ExtractDates(row.text, options);
    ASSERT_TRUE(found.has_value());
    std::set<std::string> got;
    for (const DateMention& m : *found) {
      if (m.granularity == DateGranularity::kDay && !m.in_caption &&
          !m.historical) {
        got.insert(FormatDate(m.date));
      }
    }
    std::set<std::string> want;
    for (const std::string& d : Split(row.dates)) want.insert(d);
    dates.Add(got, want, row.text);

    // Quotes: speaker and the first words of the quote.
    Result<std::vector<Quote>> q = ExtractQuotes(row.text, row.lang);
    ASSERT_TRUE(q.has_value());
    got.clear();
    want.clear();
    for (const std::string& gold : Split(row.quotes)) want.insert(gold);
    for (const Quote& quote : *q) {
      std::string key = quote.speaker + "=";
      // Match on the gold's first words when the text starts with them.
      bool matched = false;
      for (const std::string& gold : want) {
        const std::string prefix = gold.substr(gold.find('=') + 1);
        if (gold.starts_with(key) && quote.text.starts_with(prefix)) {
          got.insert(gold);
          matched = true;
        }
      }
      if (!matched) got.insert(key + quote.text.substr(0, 20));
    }
    quotes.Add(got, want, row.text);

    // Entities: name and type.
    const EntityText texts[] = {{row.text, row.lang}};
    Result<std::vector<Entity>> e = ExtractEntities(texts);
    ASSERT_TRUE(e.has_value());
    got.clear();
    want.clear();
    for (const Entity& entity : *e) {
      got.insert(entity.name + "|" + std::string(EntityTypeName(entity.type)));
    }
    for (const std::string& gold : Split(row.entities)) want.insert(gold);
    entities.Add(got, want, row.text);
  }
  std::printf("rows: %zu\n", std::size(kGold));
  std::printf("dates:    P %.2f  R %.2f  (tp %d fp %d fn %d)\n",
              dates.Precision(), dates.Recall(), dates.tp, dates.fp, dates.fn);
  std::printf("quotes:   P %.2f  R %.2f  (tp %d fp %d fn %d)\n",
              quotes.Precision(), quotes.Recall(), quotes.tp, quotes.fp,
              quotes.fn);
  std::printf("entities: P %.2f  R %.2f  (tp %d fp %d fn %d)\n",
              entities.Precision(), entities.Recall(), entities.tp,
              entities.fp, entities.fn);
  // The table served during development, so these floors are regression
  // guards rather than held-out estimates.
  EXPECT_GE(dates.Precision(), 0.9);
  EXPECT_GE(dates.Recall(), 0.9);
  EXPECT_GE(quotes.Precision(), 0.85);
  EXPECT_GE(quotes.Recall(), 0.85);
  EXPECT_GE(entities.Precision(), 0.9);
  EXPECT_GE(entities.Recall(), 0.85);
}

}  // namespace
}  // namespace storyline::digest
