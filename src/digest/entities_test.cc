#include "storyline/digest/entities.h"

#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace storyline::digest {
namespace {

struct Row {
  std::string_view lang;
  std::string_view text;
  // Entities that must be found, as "name|type|mentions" joined by ';'.
  std::string_view expected;
  // Names that must not appear, joined by ';'.
  std::string_view absent;
  std::string_view why;
};

std::vector<std::string_view> SplitOn(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  while (!s.empty()) {
    const std::size_t at = s.find(sep);
    out.push_back(s.substr(0, at));
    if (at == std::string_view::npos) break;
    s.remove_prefix(at + 1);
  }
  return out;
}

std::vector<std::string> Describe(std::string_view lang,
                                  std::string_view text) {
  const EntityText texts[] = {{text, lang}};
  Result<std::vector<Entity>> entities = ExtractEntities(texts);
  EXPECT_TRUE(entities.has_value());
  std::vector<std::string> out;
  if (!entities) return out;
  for (const Entity& e : *entities) {
    out.push_back(e.name + "|" + std::string(EntityTypeName(e.type)) + "|" +
                  std::to_string(e.mentions));
  }
  return out;
}

std::string Joined(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += s + "; ";
  return out;
}

TEST(ExtractEntitiesTest, Table) {
  const Row rows[] = {
      {"fr",
       "Le président russe Vladimir Poutine a reçu la ministre. Poutine a "
       "ensuite quitté la salle. M. Poutine reviendra.",
       "Vladimir Poutine|person|3", "Poutine;Le;M",
       "short forms join the full name"},
      {"en",
       "Deputy Secretary of State Wendy Sherman met her counterpart. "
       "Sherman said the talks were frank.",
       "Wendy Sherman|person|2", "State Wendy Sherman;Sherman",
       "a role before the name, then the surname alone"},
      {"fr",
       "Cette réunion a eu lieu à Genève. Genève accueille souvent ces "
       "discussions. Ensuite, tout le monde est parti.",
       "Genève|location|2", "Cette;Ensuite",
       "sentence-initial capitals of common words are no names"},
      {"fr",
       "Ramirez a pris la parole. Plus tard, Ramirez a déclaré que le vote "
       "aurait lieu.",
       "Ramirez|person|2", "Plus",
       "a sentence-initial name seen again mid-sentence is kept"},
      {"fr",
       "Malgré tout, les discussions continuent.", "", "Malgré",
       "a lone capital at a sentence start without other evidence"},
      {"en",
       "Divers brought the two men ashore before 6:30 a.m. Neither was hurt.",
       "", "Neither",
       "a pronoun is no person, even where an abbreviation hides the "
       "sentence start"},
      {"en",
       "Said Mark Dennehy, who runs a cafe on Union Street: it was a "
       "relief. Shops on Union Street reopened.",
       "Union Street|location|2", "",
       "an organisation word inside a street name does not make it one"},
      {"es",
       "El desfile recorrió la Calle Alcalá. Los vecinos de la Calle Alcalá "
       "aplaudieron.",
       "Calle Alcalá|location|2", "",
       "a street word leads Spanish street names"},
      {"fr",
       "L'OTAN a répondu. Les alliés de l'Otan se réuniront à Bruxelles. "
       "L'OSCE suivra.",
       "OTAN|organization|2;OSCE|organization|1;Bruxelles|location|1", "",
       "acronyms, elision, case variants"},
      {"fr",
       "Le Conseil de l'Europe et le ministère des Finances ont publié un "
       "avis. L'Organisation pour la protection des forêts d'Europe "
       "(OPFE) a salué le texte.",
       "OPFE|organization|2;Conseil de l'Europe|organization|1", "",
       "organisation words and a bracketed acronym"},
      {"en",
       "The Ministry of Defence said troops left. According to Dr Amira "
       "Haddad, the risk remains. Haddad added that talks in Kazakhstan "
       "would help.",
       "Ministry of Defence|organization|1;Amira Haddad|person|2;"
       "Kazakhstan|location|1",
       "According", "English titles, organisations and places"},
      {"fr",
       "« Nous avançons », a déclaré Lemaire devant la presse à Lyon.",
       "Lemaire|person|1;Lyon|location|1", "Nous",
       "a verb of saying before the name; a capital after a quote mark"},
      {"es",
       "El portavoz del Gobierno, Julián Ortega, dijo que Madrid apoyará a "
       "Ucrania. Ortega viajará a Bruselas.",
       "Julián Ortega|person|2;Madrid|location|1;Ucrania|location|1;"
       "Bruselas|location|1",
       "El", "Spanish"},
      {"de",
       "Die Sprecherin Petra Vogel sagte am Montag, Berlin unterstütze die "
       "Ukraine. Vogel reist nach Wien.",
       "Petra Vogel|person|2;Berlin|location|1;Wien|location|1", "Die",
       "German"},
      {"fr",
       "Le Russe Ryabkov a parlé. Selon M. Ouchakov, le dialogue reste "
       "ouvert. L'assistant du président, Iouri Ouchakov, a précisé la date.",
       "Iouri Ouchakov|person|2;Ryabkov|person|1", "Russe;Selon",
       "demonym and preposition cut off; title M. joins the full name"},
      {"en",
       "Acme Widgets GmbH and the Labour Party commented. Nothing Else "
       "happened.",
       "Acme Widgets GmbH|organization|1;Labour Party|organization|1",
       "Nothing Else", "company and party words; no cue, no entity"},
  };
  for (const Row& row : rows) {
    const std::vector<std::string> got = Describe(row.lang, row.text);
    for (std::string_view want : SplitOn(row.expected, ';')) {
      EXPECT_NE(std::find(got.begin(), got.end(), want), got.end())
          << row.why << ": missing " << want << " in " << Joined(got);
    }
    for (std::string_view name : SplitOn(row.absent, ';')) {
      for (const std::string& g : got) {
        EXPECT_NE(g.substr(0, g.find('|')), name)
            << row.why << ": unexpected " << g;
      }
    }
  }
}

}  // namespace
}  // namespace storyline::digest
