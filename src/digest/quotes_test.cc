#include "storyline/digest/quotes.h"

#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace storyline::digest {
namespace {

struct Row {
  std::string_view lang;
  std::string_view text;
  // Quotes as "speaker=text" joined by " || ".
  std::string_view expected;
  std::string_view why;
};

std::string Describe(std::string_view lang, std::string_view text) {
  Result<std::vector<Quote>> quotes = ExtractQuotes(text, lang);
  EXPECT_TRUE(quotes.has_value()) << text;
  std::string out;
  if (!quotes) return out;
  for (const Quote& q : *quotes) {
    if (!out.empty()) out += " || ";
    out += q.speaker + "=" + q.text;
  }
  return out;
}

TEST(ExtractQuotesTest, Table) {
  const Row rows[] = {
      {"fr",
       "« Nous ne céderons rien sur ce point », a déclaré le ministre "
       "Paul Garnier.",
       "Paul Garnier=Nous ne céderons rien sur ce point",
       "guillemets, verb then role then name"},
      {"fr",
       "La ministre Claire Dubois a visité l'usine. « Le site restera "
       "ouvert jusqu'en mars », a-t-elle déclaré.",
       "Claire Dubois=Le site restera ouvert jusqu'en mars",
       "a-t-elle resolves to the woman named before"},
      {"fr",
       "Le porte-parole du ministère, Marc Leroy, a répondu aux questions. "
       "Interrogé sur le calendrier, il a été prudent.\n"
       "« Rien ne sera signé avant l'été », a déclaré le porte-parole.",
       "Marc Leroy=Rien ne sera signé avant l'été",
       "a role resolves to the person introduced with it"},
      {"fr",
       "« Toute décision devra être collective », a déclaré le responsable.",
       "le responsable=Toute décision devra être collective",
       "an anonymous role stays a role"},
      {"fr",
       "Selon Mme Hélène Marchal, « la situation reste très tendue ».",
       "Hélène Marchal=la situation reste très tendue", "selon X"},
      {"fr",
       "Le maire Jean Vidal a déclaré : « Nous rouvrirons les écoles "
       "lundi. »",
       "Jean Vidal=Nous rouvrirons les écoles lundi.", "X a déclaré : « »"},
      {"fr",
       "Le président Luc Fabre a parlé à la presse.\n"
       "« Nous avons entendu les inquiétudes des habitants.\n"
       "« Nous allons donc revoir le projet en entier », a-t-il ajouté.",
       "Luc Fabre=Nous avons entendu les inquiétudes des habitants. Nous "
       "allons donc revoir le projet en entier",
       "a quote over two paragraphs is kept whole"},
      {"fr",
       "« Le dialogue est ouvert », a déclaré Anne Morel. « Mais il "
       "faudra des gestes concrets de part et d'autre. »",
       "Anne Morel=Le dialogue est ouvert || Anne Morel=Mais il faudra des "
       "gestes concrets de part et d'autre.",
       "a second quote in the paragraph continues the speaker"},
      {"fr", "Les pourparlers « francs et directs » ont duré deux heures.",
       "", "scare quotes are no quotes"},
      {"en",
       "“We are ready to talk at any time,” Secretary Tom Hale said on "
       "Monday.",
       "Tom Hale=We are ready to talk at any time", "X said after the quote"},
      {"en",
       "Spokeswoman Dana Price met reporters. “There is no deal on the "
       "table yet,” she said.",
       "Dana Price=There is no deal on the table yet", "she said"},
      {"en",
       "According to Mr. Omar Reyes, “the border remains closed to all "
       "traffic.”",
       "Omar Reyes=the border remains closed to all traffic.",
       "according to X"},
      {"en",
       "Governor Liam Brooks addressed the crowd. Brooks said: \"We will "
       "rebuild every house.\"",
       "Liam Brooks=We will rebuild every house.",
       "straight quotes, short form joined to the full name"},
      {"es",
       "«No habrá ningún acuerdo sin garantías», dijo el ministro Julián "
       "Ortega.",
       "Julián Ortega=No habrá ningún acuerdo sin garantías", "dijo X"},
      {"de",
       "„Wir sind zu Gesprächen bereit“, sagte die Ministerin Petra Vogel.",
       "Petra Vogel=Wir sind zu Gesprächen bereit", "German marks, sagte X"},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(Describe(row.lang, row.text), row.expected)
        << row.why << ": " << row.text;
  }
}

}  // namespace
}  // namespace storyline::digest
