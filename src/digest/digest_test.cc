#include "storyline/digest/digest.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace storyline::digest {
namespace {

Timestamp Day(int y, int m, int d) { return FromCivilDate(CivilDate{y, m, d}); }

DigestArticle Article(std::string id, std::string title, std::string body,
                      std::optional<Timestamp> published, std::string source = "") {
  DigestArticle a;
  a.id = std::move(id);
  a.title = std::move(title);
  a.body = std::move(body);
  a.published = published;
  a.lang = "fr";
  a.source = std::move(source);
  return a;
}

// A small invented story told by three outlets, one a copy.
std::vector<DigestArticle> HarbourStory() {
  return {
      Article("a", "Le port de Brest rouvre après la tempête",
              "Le port de Brest a rouvert mardi après trois jours de "
              "fermeture liée à la tempête.\n"
              "La maire Sophie Kerjean a inspecté les quais dans la "
              "matinée avec les équipes de la capitainerie.\n"
              "« Les dégâts sont importants mais les navires peuvent de "
              "nouveau accoster », a-t-elle déclaré.\n"
              "Les réparations de la digue doivent commencer lundi et "
              "dureront plusieurs semaines selon la préfecture.\n"
              "Le ministère de la Mer a promis une aide d'urgence aux "
              "pêcheurs touchés par la fermeture du port.",
              Day(2022, 3, 15), "ouest.example"),
      Article("b", "Brest : le port rouvre, la digue sera réparée",
              "Après la tempête, le port de Brest a rouvert mardi aux "
              "navires de commerce et aux pêcheurs de la région.\n"
              "Kerjean a précisé que les travaux de la digue doivent "
              "commencer lundi sous la conduite de la préfecture.\n"
              "Les pêcheurs réclament depuis le 10 mars une indemnisation "
              "rapide pour les journées de travail perdues.",
              Day(2022, 3, 15) + 3600, "brest.example"),
      Article("c", "Le port de Brest rouvre après la tempête",
              "Le port de Brest a rouvert mardi après trois jours de "
              "fermeture liée à la tempête.",
              Day(2022, 3, 16), "copy.example"),
  };
}

TEST(BuildDigestTest, SmallStory) {
  std::vector<DigestArticle> articles = HarbourStory();
  articles[2].copy_of = "a";
  FixedClock clock(Day(2022, 4, 1));
  DigestOptions options;
  options.clock = &clock;
  Result<StoryDigest> d = BuildDigest(articles, options);
  ASSERT_TRUE(d.has_value()) << d.error().ToString();
  EXPECT_EQ(d->title, "Le port de Brest rouvre après la tempête");
  EXPECT_GE(d->summary.size(), 3U);
  EXPECT_LE(d->summary.size(), 5U);
  // Tuesday 2022-03-15 reopening, works on Monday 2022-03-21, 10 March.
  std::vector<std::string> dates;
  for (const TimelineEntry& e : d->timeline) dates.push_back(FormatDate(e.date));
  EXPECT_NE(std::find(dates.begin(), dates.end(), "2022-03-15"), dates.end());
  EXPECT_NE(std::find(dates.begin(), dates.end(), "2022-03-21"), dates.end());
  EXPECT_NE(std::find(dates.begin(), dates.end(), "2022-03-10"), dates.end());
  for (const TimelineEntry& e : d->timeline) {
    if (FormatDate(e.date) == "2022-03-21") {
      EXPECT_EQ(e.sources.size(), 2U) << "two outlets report the works";
    }
  }
  ASSERT_EQ(d->quotes.size(), 1U);
  EXPECT_EQ(d->quotes[0].speaker, "Sophie Kerjean");
  EXPECT_EQ(d->quotes[0].article, "a");
  ASSERT_EQ(d->copies.size(), 1U);
  EXPECT_EQ(d->copies[0].article, "c");
  EXPECT_EQ(d->copies[0].copy_of, "a");
  ASSERT_EQ(d->sources.size(), 3U);
  EXPECT_EQ(d->first_source, "ouest.example");
  EXPECT_EQ(d->first_published, Day(2022, 3, 15));
  EXPECT_EQ(d->last_published, Day(2022, 3, 16));
  bool found = false;
  for (const Entity& e : d->entities) {
    if (e.name == "Sophie Kerjean") {
      found = true;
      EXPECT_EQ(e.type, EntityType::kPerson);
      EXPECT_EQ(e.mentions, 2);
    }
  }
  EXPECT_TRUE(found);
}

TEST(BuildDigestTest, LargeStoriesSummariseTheLeads) {
  // With room for only two candidate sentences per article, the summary is
  // drawn from the articles' first two sentences.
  std::vector<DigestArticle> articles = HarbourStory();
  FixedClock clock(Day(2022, 4, 1));
  DigestOptions options;
  options.clock = &clock;
  options.max_summary_candidates = 4;
  options.min_summary_sentences = 1;
  Result<StoryDigest> d = BuildDigest(articles, options);
  ASSERT_TRUE(d.has_value()) << d.error().ToString();
  ASSERT_FALSE(d->summary.empty());
  for (const std::string& s : d->summary) {
    bool lead = false;
    for (const DigestArticle& a : articles) {
      const std::size_t first = a.body.find('\n');
      const std::size_t second =
          first == std::string::npos ? std::string::npos : a.body.find('\n', first + 1);
      if (a.body.substr(0, second).find(s) != std::string::npos) lead = true;
    }
    EXPECT_TRUE(lead) << s;
  }
}

// Issue 16: dates inferred from texts are marked wherever the digest shows
// them, and a given date is never marked.
TEST(BuildDigestTest, InferredDatesAreMarked) {
  FixedClock clock(Day(2022, 4, 1));
  DigestOptions options;
  options.clock = &clock;

  std::vector<DigestArticle> given = HarbourStory();
  Result<StoryDigest> d = BuildDigest(given, options);
  ASSERT_TRUE(d.has_value()) << d.error().ToString();
  EXPECT_FALSE(d->first_published_inferred);
  EXPECT_FALSE(d->last_published_inferred);
  for (const SourceEntry& s : d->sources) EXPECT_FALSE(s.first_published_inferred) << s.source;
  for (const TimelineEntry& e : d->timeline) {
    EXPECT_FALSE(e.inferred) << FormatDate(e.date) << " " << e.text;
  }

  // The same story with every date inferred upstream (as the pipeline
  // stores a date read from the text), and with no date at all.
  std::vector<DigestArticle> inferred = HarbourStory();
  for (DigestArticle& a : inferred) a.published_inferred = true;
  d = BuildDigest(inferred, options);
  ASSERT_TRUE(d.has_value()) << d.error().ToString();
  EXPECT_EQ(d->first_published, Day(2022, 3, 15));
  EXPECT_TRUE(d->first_published_inferred);
  EXPECT_TRUE(d->last_published_inferred);
  for (const PublicationDate& p : d->publication) EXPECT_TRUE(p.inferred) << p.article;
  for (const SourceEntry& s : d->sources) EXPECT_TRUE(s.first_published_inferred) << s.source;
  bool written = false;
  for (const TimelineEntry& e : d->timeline) {
    // "le 10 mars" takes its year from an inferred day: a guess too.
    EXPECT_TRUE(e.inferred) << FormatDate(e.date) << " " << e.text;
    written = written || FormatDate(e.date) == "2022-03-10";
  }
  EXPECT_TRUE(written);

  // One given date as early as the inferred ones: the story's first day is
  // not marked.
  inferred[1].published = Day(2022, 3, 15);
  inferred[1].published_inferred = false;
  d = BuildDigest(inferred, options);
  ASSERT_TRUE(d.has_value()) << d.error().ToString();
  EXPECT_FALSE(d->first_published_inferred);
}

// The agency the datelines credit is the story's wire, with the outlets
// that carried it and the copies cut from a longer version.
TEST(BuildDigestTest, WireAgencyFromDatelines) {
  std::vector<DigestArticle> articles = HarbourStory();
  articles[0].body = "BREST, 15 mars (AFP) – " + articles[0].body;
  articles[1].body = "BREST (AFP) - " + articles[1].body;
  articles[2].body = "BREST, 15 mars (Agence Bretagne) – " + articles[2].body;
  articles[2].copy_of = "a";
  FixedClock clock(Day(2022, 4, 1));
  DigestOptions options;
  options.clock = &clock;
  Result<StoryDigest> d = BuildDigest(articles, options);
  ASSERT_TRUE(d) << d.error().message;
  ASSERT_TRUE(d->wire);
  EXPECT_EQ(d->wire->agency, "AFP");
  EXPECT_EQ(d->wire->articles, 2u);
  EXPECT_EQ(d->wire->outlets, (std::vector<std::string>{"ouest.example", "brest.example"}));
  EXPECT_EQ(d->wire->cut_versions, 1u) << "c keeps one paragraph of a's five";

  // No dateline, or one naming no agency (a date in parentheses): no wire.
  std::vector<DigestArticle> plain = HarbourStory();
  plain[1].body = "BREST (15 mars) - " + plain[1].body;
  d = BuildDigest(plain, options);
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_FALSE(d->wire);
}

// A sentence naming two days is one timeline entry, dated by the first.
TEST(BuildDigestTest, OneTimelineEntryPerSentence) {
  std::vector<DigestArticle> articles = HarbourStory();
  articles[0].body +=
      "\nLes demandes d'indemnisation seront reçues du 21 mars au 8 avril à la capitainerie.";
  FixedClock clock(Day(2022, 4, 1));
  DigestOptions options;
  options.clock = &clock;
  Result<StoryDigest> d = BuildDigest(articles, options);
  ASSERT_TRUE(d) << d.error().message;
  std::vector<CivilDate> dates;
  for (const TimelineEntry& t : d->timeline) {
    if (t.text.find("indemnisation seront") != std::string::npos) dates.push_back(t.date);
  }
  ASSERT_EQ(dates.size(), 1u);
  EXPECT_EQ(dates[0], (CivilDate{2022, 3, 21}));
}

TEST(BuildDigestTest, RejectsBadInput) {
  DigestOptions options;
  EXPECT_EQ(BuildDigest({}, options).error().code, ErrorCode::kInvalidArgument);
  std::vector<DigestArticle> twice = {Article("x", "", "Texte.", std::nullopt),
                                      Article("x", "", "Texte.", std::nullopt)};
  EXPECT_EQ(BuildDigest(twice, options).error().code, ErrorCode::kInvalidArgument);
  std::vector<DigestArticle> bad = {Article("x", "", "bad \xC3\x28", std::nullopt)};
  Result<StoryDigest> d = BuildDigest(bad, options);
  ASSERT_FALSE(d.has_value());
  EXPECT_EQ(d.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(d.error().message.find("'x'"), std::string::npos);
  options.min_summary_sentences = 6;
  EXPECT_EQ(BuildDigest(HarbourStory(), options).error().code, ErrorCode::kInvalidArgument);
}

TEST(BuildDigestTest, CutShortTitleOnlyWithoutFullOne) {
  std::vector<DigestArticle> articles = HarbourStory();
  articles[0].title = "Le port de Brest rouvre après la tempête et la…";
  articles[1].title = "Le port de Brest rouvre aux navires";
  articles[2].title = "S'inscrire";
  FixedClock clock(Day(2022, 4, 1));
  DigestOptions options;
  options.clock = &clock;
  Result<StoryDigest> d = BuildDigest(articles, options);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->title, "Le port de Brest rouvre aux navires");
}

}  // namespace
}  // namespace storyline::digest

namespace storyline::digest {
namespace {

// Regression: a body whose first sentence had four words ending on a month
// and a year read before the first word (unsigned underflow) and crashed.
TEST(BuildDigestRegressionTest, ShortCaptionLikeFirstSentenceDoesNotCrash) {
  DigestArticle a;
  a.id = "short";
  a.title = "Harbour";
  a.body = "Quai nord, janvier 2022.\nThe quay reopened on Monday after repairs.";
  a.lang = "en";
  FixedClock clock(FromCivilDate({2022, 2, 1}));
  DigestOptions options;
  options.clock = &clock;
  Result<StoryDigest> d = BuildDigest({a}, options);
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->publication.size(), 1u);
}

}  // namespace
}  // namespace storyline::digest
