// The five seed articles ($STORYLINE_SHARED/seeds/*.txt) read as one
// storyline: French reports of the January 2022 US-Russia talks. They carry
// no `published` field, so their days come from datelines and text.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "storyline/digest/digest.h"

namespace storyline::digest {
namespace {

// Crude stand-in for the clean module: the first non-empty line is the
// title; lines of fewer than five words without final punctuation are
// chrome; everything else is body.
DigestArticle ReadSeed(const std::filesystem::path& path) {
  std::ifstream in(path);
  DigestArticle a;
  a.id = path.stem().string();
  a.lang = "fr";
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) {
      line.pop_back();
    }
    if (line.empty()) continue;
    if (a.title.empty()) {
      a.title = line;
      continue;
    }
    const auto words = std::count(line.begin(), line.end(), ' ') + 1;
    const char last = line.back();
    if (words < 5 && last != '.' && last != '!' && last != '?') continue;
    a.body += line;
    a.body += '\n';
  }
  return a;
}

class SeedsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* shared = std::getenv("STORYLINE_SHARED");
    if (shared == nullptr) GTEST_SKIP() << "STORYLINE_SHARED not set";
    std::filesystem::path dir = std::filesystem::path(shared) / "seeds";
    if (!std::filesystem::is_directory(dir)) GTEST_SKIP() << "no seeds";
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
      if (e.path().extension() == ".txt") files.push_back(e.path());
    }
    if (files.empty()) GTEST_SKIP() << "no seeds";
    std::sort(files.begin(), files.end());
    for (const auto& f : files) articles_.push_back(ReadSeed(f));
    // The digest is built weeks later: nothing may come from "now".
    FixedClock clock(FromCivilDate(CivilDate{2022, 3, 1}));
    DigestOptions options;
    options.clock = &clock;
    Result<StoryDigest> d = BuildDigest(articles_, options);
    ASSERT_TRUE(d.has_value()) << d.error().ToString();
    digest_ = std::move(*d);
    Print();
  }

  void Print() const {
    std::cout << "title: " << digest_.title << "\n";
    for (const std::string& s : digest_.summary) std::cout << "  * " << s << "\n";
    for (const PublicationDate& p : digest_.publication) {
      std::cout << "published " << p.article << ": "
                << (p.published ? FormatTimestamp(*p.published) : "?")
                << (p.inferred ? " (inferred)" : "") << "\n";
    }
    for (const TimelineEntry& e : digest_.timeline) {
      std::cout << FormatDate(e.date) << " [" << e.article << " +"
                << e.articles.size() - 1 << "] " << e.text << "\n";
    }
    for (const DigestQuote& q : digest_.quotes) {
      std::cout << "quote " << q.speaker << ": " << q.text.substr(0, 70)
                << "\n";
    }
    for (const Entity& e : digest_.entities) {
      std::cout << "entity " << e.name << " " << EntityTypeName(e.type) << " "
                << e.mentions << "\n";
    }
  }

  bool HasDate(std::string_view date) const {
    return std::any_of(digest_.timeline.begin(), digest_.timeline.end(),
                       [&](const TimelineEntry& e) { return FormatDate(e.date) == date; });
  }

  bool HasEntity(std::string_view part, EntityType type) const {
    return std::any_of(digest_.entities.begin(), digest_.entities.end(),
                       [&](const Entity& e) {
                         return e.type == type &&
                                e.name.find(part) != std::string::npos;
                       });
  }

  std::vector<DigestArticle> articles_;
  StoryDigest digest_;
};

TEST_F(SeedsTest, TimelineHasTheTalks) {
  EXPECT_TRUE(HasDate("2021-12-07")) << "Biden-Putin video call";
  EXPECT_TRUE(HasDate("2022-01-10")) << "Geneva talks";
  EXPECT_TRUE(HasDate("2022-01-12")) << "NATO-Russia council in Brussels";
  EXPECT_TRUE(HasDate("2022-01-13")) << "OSCE in Vienna";
  for (const TimelineEntry& e : digest_.timeline) {
    EXPECT_GE(e.date, (CivilDate{2021, 11, 1})) << e.text;
    EXPECT_LE(e.date, (CivilDate{2022, 2, 1})) << e.text;
  }
}

TEST_F(SeedsTest, PublicationDatesInferred) {
  ASSERT_FALSE(digest_.publication.empty());
  const PublicationDate& first = digest_.publication[0];  // Reuters dateline
  ASSERT_TRUE(first.published.has_value());
  EXPECT_TRUE(first.inferred);
  EXPECT_EQ(FormatDate(ToCivilDate(*first.published)), "2022-01-08");
}

TEST_F(SeedsTest, QuotesHaveFullNameSpeakers) {
  int named = 0;
  for (const DigestQuote& q : digest_.quotes) {
    ASSERT_FALSE(q.speaker.empty());
    const bool full_name = q.speaker.find(' ') != std::string::npos &&
                           std::isupper(static_cast<unsigned char>(q.speaker[0]));
    const bool role = std::islower(static_cast<unsigned char>(q.speaker[0]));
    EXPECT_TRUE(full_name || role) << "speaker: " << q.speaker;
    if (full_name) ++named;
  }
  EXPECT_GE(named, 4);
  auto said = [&](std::string_view who) {
    return std::any_of(digest_.quotes.begin(), digest_.quotes.end(),
                       [&](const DigestQuote& q) { return q.speaker == who; });
  };
  EXPECT_TRUE(said("Wendy Sherman"));
  EXPECT_TRUE(said("Jen Psaki"));
  EXPECT_TRUE(said("Antony Blinken"));
}

TEST_F(SeedsTest, MainEntities) {
  EXPECT_TRUE(HasEntity("Biden", EntityType::kPerson));
  EXPECT_TRUE(HasEntity("Vladimir Poutine", EntityType::kPerson));
  EXPECT_TRUE(HasEntity("Wendy Sherman", EntityType::kPerson));
  EXPECT_TRUE(HasEntity("Antony Blinken", EntityType::kPerson));
  EXPECT_TRUE(HasEntity("Genève", EntityType::kLocation));
  EXPECT_TRUE(HasEntity("Ukraine", EntityType::kLocation));
  EXPECT_TRUE(HasEntity("Russie", EntityType::kLocation));
  EXPECT_TRUE(HasEntity("OTAN", EntityType::kOrganization));
  EXPECT_TRUE(HasEntity("OSCE", EntityType::kOrganization));
}

TEST_F(SeedsTest, SummaryAndTitle) {
  EXPECT_FALSE(digest_.title.empty());
  EXPECT_GE(digest_.summary.size(), 3U);
  EXPECT_LE(digest_.summary.size(), 5U);
}

}  // namespace
}  // namespace storyline::digest
