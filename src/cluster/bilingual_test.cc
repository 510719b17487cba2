#include "cluster/bilingual.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "storyline/text/stemmer.h"

namespace storyline::cluster::internal {
namespace {

namespace fs = std::filesystem;

// A dictd index number: base 64, most significant digit first.
std::string Base64Number(std::size_t v) {
  static constexpr char kDigits[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  do {
    out.insert(out.begin(), kDigits[v % 64]);
    v /= 64;
  } while (v > 0);
  return out;
}

// Writes NAME.index and NAME.dict.dz holding `entries` (headword, body).
void WriteDictionary(const fs::path& dir, const std::string& name,
                     const std::vector<std::pair<std::string, std::string>>& entries) {
  std::string dict;
  std::ofstream index(dir / (name + ".index"));
  for (const auto& [headword, body] : entries) {
    index << headword << '\t' << Base64Number(dict.size()) << '\t' << Base64Number(body.size())
          << '\n';
    dict += body;
  }
  gzFile f = gzopen((dir / (name + ".dict.dz")).c_str(), "wb");
  ASSERT_NE(f, nullptr);
  gzwrite(f, dict.data(), static_cast<unsigned>(dict.size()));
  gzclose(f);
}

class BilingualTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("storyline_bilingual_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
  text::StemmerCache stems_;
};

TEST_F(BilingualTest, TranslatesInflectedWordsThroughTheirStem) {
  WriteDictionary(dir_, "freedict-fra-eng",
                  {{"00databaseshort", "00-database-short\nA test dictionary\n"},
                   {"négociation",
                    "négociation /neɡɔsjasjɔ̃/ <n, fem>\n1. negotiation\n2. talks\n"
                    " Note: mostly plural\n"},
                   {"chat", "chat /ʃa/ <n, masc>\ncat [zool.], tomcat\n"},
                   {"pomme de terre", "pomme de terre /x/ <n>\npotato\n"}});
  std::shared_ptr<const BilingualLexicon> lex = BilingualLexicon::Open(dir_.string());
  EXPECT_EQ(lex->languages(), std::vector<std::string>{"fr"});
  ASSERT_TRUE(lex->Load("fr").has_value());
  auto talks = lex->Translate("fr", stems_.Stem("fr", "négociations"));
  std::vector<std::string> got(talks.begin(), talks.end());
  EXPECT_EQ(got, (std::vector<std::string>{"negoti", "talk"}));
  auto cat = lex->Translate("fr", stems_.Stem("fr", "chats"));
  EXPECT_EQ(std::vector<std::string>(cat.begin(), cat.end()),
            (std::vector<std::string>{"cat", "tomcat"}));
  // A phrase is no key: neither of its words learns its translation.
  for (const char* word : {"pomme", "terre"}) {
    EXPECT_TRUE(lex->Translate("fr", stems_.Stem("fr", word)).empty()) << word;
  }
  EXPECT_TRUE(lex->Translate("fr", "inconnu").empty());
  EXPECT_TRUE(lex->Translate("de", "katz").empty());
}

TEST_F(BilingualTest, EnglishToForeignDictionariesAreReadBackwards) {
  WriteDictionary(dir_, "freedict-eng-rus",
                  {{"peace", "peace /piːs/\nмир\n"}, {"war", "war /wɔː/\n1. война\n"}});
  std::shared_ptr<const BilingualLexicon> lex = BilingualLexicon::Open(dir_.string());
  EXPECT_EQ(lex->languages(), std::vector<std::string>{"ru"});
  auto war = lex->Translate("ru", stems_.Stem("ru", "войны"));
  EXPECT_EQ(std::vector<std::string>(war.begin(), war.end()), std::vector<std::string>{"war"});
  auto peace = lex->Translate("ru", stems_.Stem("ru", "мир"));
  EXPECT_EQ(std::vector<std::string>(peace.begin(), peace.end()), std::vector<std::string>{"peac"});
}

TEST_F(BilingualTest, MissingFolderIsEmptyAndDamagedIndexNamesTheFile) {
  EXPECT_TRUE(BilingualLexicon::Open((dir_ / "none").string())->languages().empty());
  WriteDictionary(dir_, "freedict-spa-eng", {{"gato", "gato /ˈɡato/\ncat\n"}});
  {
    std::ofstream index(dir_ / "freedict-spa-eng.index", std::ios::app);
    index << "perro\t!!\tB\n";
  }
  std::shared_ptr<const BilingualLexicon> lex = BilingualLexicon::Open(dir_.string());
  Status s = lex->Load("es");
  ASSERT_FALSE(s.has_value());
  EXPECT_NE(s.error().ToString().find("freedict-spa-eng.index:2"), std::string::npos)
      << s.error().ToString();
  EXPECT_TRUE(lex->Translate("es", "gat").empty());  // the language is left out whole
}

}  // namespace
}  // namespace storyline::cluster::internal
