#include "storyline/text/language.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace storyline::text {
namespace {

struct Row {
  std::string_view input;
  std::string_view expected;
  std::string_view why;
};

TEST(DetectLanguageTest, Table) {
  const Row rows[] = {
      {"Le conseil municipal a voté mardi soir un nouveau budget pour les "
       "écoles de la ville, malgré l'opposition des élus écologistes qui "
       "réclamaient davantage de pistes cyclables.",
       "fr", "French news sentence"},
      {"The city council voted on Tuesday evening to approve a new budget "
       "for local schools, despite objections from members who wanted more "
       "money for bus routes.",
       "en", "English news sentence"},
      {"Der Stadtrat hat am Dienstagabend einen neuen Haushalt für die "
       "Schulen beschlossen, obwohl die Opposition mehr Geld für Radwege "
       "gefordert hatte.",
       "de", "German news sentence"},
      {"El ayuntamiento aprobó el martes por la noche un nuevo presupuesto "
       "para las escuelas de la ciudad, a pesar de las críticas de la "
       "oposición.",
       "es", "Spanish news sentence"},
      {"A câmara municipal aprovou na terça-feira à noite um novo orçamento "
       "para as escolas da cidade, apesar das críticas dos vereadores da "
       "oposição.",
       "pt", "Portuguese news sentence"},
      {"Il consiglio comunale ha approvato martedì sera un nuovo bilancio per "
       "le scuole della città, nonostante le proteste dell'opposizione.",
       "it", "Italian news sentence"},
      {"Городской совет во вторник вечером утвердил новый бюджет для школ, "
       "несмотря на возражения оппозиции, которая требовала больше денег на "
       "автобусы.",
       "ru", "Russian news sentence"},
      {"وافق مجلس المدينة مساء الثلاثاء على ميزانية جديدة للمدارس رغم "
       "اعتراض المعارضة التي طالبت بمزيد من الأموال للحافلات.",
       "ar", "Arabic, right-to-left"},
      {"市议会周二晚上批准了新的学校预算，尽管反对派要求为公共汽车线路拨出更多资金。",
       "zh", "Simplified Chinese without spaces"},
      {"Mestni svet je v torek zvečer sprejel nov proračun za šole, čeprav "
       "je opozicija zahtevala več denarja za avtobusne linije.",
       "sl", "Slovenian news sentence"},
      {"Gemeenteraad keurde dinsdagavond een nieuwe begroting voor de scholen "
       "goed, ondanks bezwaren van de oppositie die meer geld wilde.",
       "nl", "Dutch news sentence"},
      {"", "und", "empty text"},
      {"12345 67 89", "und", "digits only"},
  };
  for (const Row& row : rows) {
    Result<LanguageGuess> g = DetectLanguage(row.input);
    ASSERT_TRUE(g.has_value()) << row.why;
    EXPECT_EQ(g->code, row.expected) << row.why;
    if (row.expected != kUndetermined) {
      EXPECT_TRUE(g->reliable) << row.why;
      EXPECT_GT(g->confidence, 0.8) << row.why;
    } else {
      EXPECT_EQ(g->confidence, 0.0) << row.why;
    }
  }
}

TEST(DetectLanguageTest, ShortTextIsUndeterminedUnlessBestEffort) {
  Result<LanguageGuess> strict = DetectLanguage("Pluie à Paris");
  ASSERT_TRUE(strict.has_value());
  Result<LanguageGuess> loose =
      DetectLanguage("Pluie à Paris", {.hint = "fr", .best_effort = true});
  ASSERT_TRUE(loose.has_value());
  EXPECT_EQ(loose->code, "fr");
  if (!loose->reliable) {
    EXPECT_EQ(strict->code, kUndetermined);
    EXPECT_LE(loose->confidence, 0.5);
  }
}

TEST(DetectLanguageTest, BrokenUtf8IsAnError) {
  Result<LanguageGuess> g = DetectLanguage("bonjour \xc3(");
  ASSERT_FALSE(g.has_value());
  EXPECT_EQ(g.error().code, ErrorCode::kInvalidInput);
}

// The shared seed articles are French news; each must be identified as such.
TEST(DetectLanguageTest, SeedArticlesAreFrench) {
  const char* shared = std::getenv("STORYLINE_SHARED");
  if (shared == nullptr) GTEST_SKIP() << "STORYLINE_SHARED not set";
  const std::filesystem::path dir = std::filesystem::path(shared) / "seeds";
  if (!std::filesystem::is_directory(dir)) GTEST_SKIP() << dir << " missing";
  int seen = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".txt") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    Result<LanguageGuess> g = DetectLanguage(buffer.str());
    ASSERT_TRUE(g.has_value()) << entry.path();
    EXPECT_EQ(g->code, "fr") << entry.path();
    EXPECT_TRUE(g->reliable) << entry.path();
    EXPECT_GE(g->confidence, 0.9) << entry.path();
    ++seen;
  }
  if (seen == 0) GTEST_SKIP() << "no seed files in " << dir;
  EXPECT_EQ(seen, 5);
}

}  // namespace
}  // namespace storyline::text
