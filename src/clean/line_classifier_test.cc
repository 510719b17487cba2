#include "storyline/clean/line_classifier.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace storyline::clean {
namespace {

// Reporting paragraphs to put around a line under test, so that it sits
// between paragraphs in the upper half of an article.
constexpr const char* kParagraph1 =
    "The regional council voted on Tuesday to release emergency funds for the repair of the "
    "old bridge, which has been closed to traffic since the floods of last winter.";
constexpr const char* kParagraph2 =
    "Engineers said the work would take at least four months and cost about two million euros, "
    "according to a report presented to councillors.";
constexpr const char* kParagraph3 =
    "Residents have complained for months about the long detour, and shop owners near the "
    "bridge say their sales have fallen by a third since it closed.";
constexpr const char* kParagraph4 =
    "The mayor said she hoped the bridge would reopen before the summer season, when tourist "
    "traffic in the old town is at its highest.";

class LineClassifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<LineClassifier> c = LineClassifier::Create({});
    ASSERT_TRUE(c.has_value());
    classifier_.emplace(std::move(*c));
  }

  // Classifies `text` as an article with `title` and no corpus.
  CleanedArticle Clean(const std::string& text, const std::string& title = "") {
    article_ = Article{};
    article_.id = "t";
    article_.title = title;
    article_.text = text;
    return classifier_->Classify(article_, nullptr);
  }

  // The role of `line` placed between reporting paragraphs.
  Line RoleInContext(const std::string& line) {
    std::string text = std::string("Council frees funds to repair the old bridge\n\n") +
                       kParagraph1 + "\n\n" + line + "\n\n" + kParagraph2 + "\n\n" + kParagraph3 +
                       "\n\n" + kParagraph4;
    CleanedArticle c = Clean(text);
    return c.lines.at(4);
  }

  std::optional<LineClassifier> classifier_;
  Article article_;
};

struct Row {
  const char* line;
  Role role;
  const char* why;
};

TEST_F(LineClassifierTest, LinesBetweenParagraphs) {
  const Row rows[] = {
      // English
      {"Sign up for our free morning newsletter and get the news in your inbox.",
       Role::kBoilerplate, "call to action"},
      {"READ MORE: Harbour authority plans new ferry terminal", Role::kBoilerplate, "teaser"},
      {"Share this article: Facebook · X · Email", Role::kBoilerplate, "share call"},
      {"Advertisement", Role::kBoilerplate, "ad label"},
      {"We use cookies to improve your experience. By continuing to browse you accept them.",
       Role::kBoilerplate, "cookie notice"},
      {"The bridge was closed in January. (Photo: Jane Smith / AFP)", Role::kCaption,
       "caption with credit"},
      {"FILE - A view of the bridge on March 3, 2024.", Role::kCaption, "AP-style file caption"},
      {"Reporting by Anna Keller; Editing by Tom Hale", Role::kByline, "contributor credit"},
      {"A costly detour", Role::kHeading, "section heading"},
      {"Customers who sign up early will get a discount, the company said in a statement on "
       "Monday, adding that the offer would run until the end of the month at all branches.",
       Role::kBody, "a long paragraph that mentions signing up is reporting"},
      // French
      {"Inscrivez-vous gratuitement à notre lettre d'information", Role::kBoilerplate,
       "call to action"},
      {"À LIRE AUSSI : Le marché couvert rouvre ses portes", Role::kBoilerplate, "teaser"},
      {"Suivez-nous sur Facebook et Instagram", Role::kBoilerplate, "follow call"},
      {"Photo : Marie Dubois / AFP", Role::kCaption, "credit line"},
      {"Publié le 04/02/2025 à 10h15", Role::kByline, "date-only line"},
      {"Le chantier en chiffres", Role::kHeading, "heading"},
      // German
      {"Jetzt kostenlos registrieren und weiterlesen", Role::kBoilerplate, "call to action"},
      {"LESEN SIE AUCH: Neuer Radweg am Hafen", Role::kBoilerplate, "teaser"},
      {"Anzeige", Role::kBoilerplate, "ad label"},
      {"Foto: Jonas Weber / dpa", Role::kCaption, "credit"},
      {"12.03.2025, 14:30 Uhr", Role::kByline, "date line"},
      // Spanish
      {"Suscríbete a nuestro boletín y recibe las noticias cada mañana.", Role::kBoilerplate,
       "call to action"},
      {"LEE TAMBIÉN: El ayuntamiento aprueba los presupuestos", Role::kBoilerplate, "teaser"},
      {"Publicidad", Role::kBoilerplate, "ad label"},
      {"Noticia siguiente: Nuevo carril bici en el centro", Role::kBoilerplate, "navigation"},
      {"Madrid, 19 de marzo de 2025 · 18:40", Role::kByline, "date line"},
  };
  for (const Row& row : rows) {
    Line line = RoleInContext(row.line);
    EXPECT_EQ(RoleName(line.role), RoleName(row.role))
        << row.why << ": \"" << row.line << "\" (" << line.reason << ")";
  }
}

TEST_F(LineClassifierTest, TopOfArticle) {
  const std::string text = std::string(
                               "Council frees funds to repair the old bridge\n"
                               "World › Europe\n"
                               "By Anna Keller\n"
                               "Par Julien Morel\n"
                               "Von Henrike Brandt\n"
                               "Por Marta Sunyer\n"
                               "WASHINGTON —\n"
                               "March 15, 2025 · 7:40 PM CET\n"
                               "Temps de lecture : 3 min\n\n") +
                           kParagraph1 + "\n\n" + kParagraph2;
  CleanedArticle c = Clean(text, "Council frees funds to repair the old bridge");
  const Role want[] = {Role::kTitle,       Role::kBoilerplate, Role::kByline, Role::kByline,
                       Role::kByline,      Role::kByline,      Role::kByline, Role::kByline,
                       Role::kBoilerplate, Role::kBlank,       Role::kBody};
  for (std::size_t i = 0; i < std::size(want); ++i) {
    EXPECT_EQ(RoleName(c.lines[i].role), RoleName(want[i]))
        << "line " << i + 1 << ": " << c.lines[i].text << " (" << c.lines[i].reason << ")";
  }
  EXPECT_EQ(c.title_line, 1);
}

TEST_F(LineClassifierTest, RepeatedLinesAreDuplicates) {
  const std::string prompt = "Subscribe now for unlimited access";
  CleanedArticle c = Clean(std::string(kParagraph1) + "\n" + prompt + "\n" + kParagraph2 + "\n" +
                           prompt + "\n" + kParagraph3);
  EXPECT_EQ(c.lines[1].role, Role::kBoilerplate);
  EXPECT_EQ(c.lines[3].role, Role::kDuplicate);
  EXPECT_EQ(c.lines[3].reason, "second copy of line 2");
}

TEST_F(LineClassifierTest, CaptionPrintedTwiceAndCaptionAboveCredit) {
  const std::string caption = "Workers inspect the damaged pier of the old bridge, 12 March 2025.";
  CleanedArticle c =
      Clean(std::string(kParagraph1) + "\n" + caption + "\n" + caption + "\n" + kParagraph2 +
            "\nThe closed bridge on Monday morning.\n"
            "Photo : Marc Tessier / Le Quotidien\n" +
            kParagraph3);
  EXPECT_EQ(c.lines[1].role, Role::kCaption) << c.lines[1].reason;
  EXPECT_EQ(c.lines[2].role, Role::kDuplicate);
  EXPECT_EQ(c.lines[4].role, Role::kCaption) << c.lines[4].reason;
  EXPECT_EQ(c.lines[5].role, Role::kCaption);
}

TEST_F(LineClassifierTest, FooterAfterTheReportingEnds) {
  const std::string text =
      std::string("By Anna Keller\n") + kParagraph1 + "\n" + kParagraph2 + "\n" + kParagraph3 +
      "\n" + kParagraph4 +
      "\nShare this article\n"
      "Anna Keller covers local government and transport for the paper.\n"
      "Harbour authority plans new ferry terminal\n"
      "Leave a comment\n"
      "Your email address will not be published. Required fields are marked *\n"
      "Name *";
  CleanedArticle c = Clean(text);
  EXPECT_EQ(c.lines[4].role, Role::kBody);
  EXPECT_EQ(c.lines[5].role, Role::kBoilerplate);
  EXPECT_EQ(c.lines[6].reason, "author bio");
  EXPECT_EQ(c.lines[7].role, Role::kBoilerplate) << c.lines[7].reason;
  for (std::size_t i = 8; i < c.lines.size(); ++i) EXPECT_EQ(c.lines[i].role, Role::kBoilerplate);
  EXPECT_EQ(c.body, std::string(kParagraph1) + "\n" + kParagraph2 + "\n" + kParagraph3 + "\n" +
                        kParagraph4);
}

TEST_F(LineClassifierTest, AShareBarAboveTheOnlyParagraphEndsNothing) {
  // A brief: headline, share bar, one paragraph. The bar is in the lower
  // half by bytes, but the reporting has not begun above it.
  const std::string title =
      "Regional council votes to release emergency funds for the repair of the old bridge "
      "closed since the winter floods";
  const std::string paragraph = "Work will start in March and take four months, officials said.";
  CleanedArticle c = Clean(title + "\nShare this article\n" + paragraph, title);
  EXPECT_EQ(c.lines[1].role, Role::kBoilerplate);
  EXPECT_EQ(c.lines[2].role, Role::kBody) << c.lines[2].reason;
  EXPECT_EQ(c.body, paragraph);
}

TEST_F(LineClassifierTest, PlainReportingIsAllKept) {
  // Short sentences, a line broken mid-sentence, a last short paragraph.
  const std::string text = std::string(kParagraph1) +
                           "\nThe mayor said the council\n"
                           "would meet again next week to discuss the budget.\n" +
                           kParagraph2 +
                           "\n\"We have no choice,\" she said.\nThe bridge is 140 years old.";
  CleanedArticle c = Clean(text);
  for (const Line& l : c.lines) {
    EXPECT_TRUE(IsBodyRole(l.role)) << l.n << ": " << l.text << " (" << l.reason << ")";
  }
}

TEST_F(LineClassifierTest, TitleFallbackSkipsSiteName) {
  const std::string text = std::string(
                               "example-news.com\n\nThe news of the region\n\n"
                               "Council frees funds to repair the old bridge after floods\n\n") +
                           kParagraph1 + "\n\n" + kParagraph2;
  CleanedArticle c = Clean(text, "example-news.com");
  EXPECT_EQ(c.lines[0].role, Role::kBoilerplate);
  EXPECT_NE(c.lines[2].role, Role::kBody);
  EXPECT_EQ(c.title_line, 5);
}

TEST_F(LineClassifierTest, EdgeCases) {
  EXPECT_EQ(Clean("").lines.size(), 1u);
  EXPECT_EQ(Clean("").lines[0].role, Role::kBlank);
  CleanedArticle c = Clean("a\r\nb\r\n");
  ASSERT_EQ(c.lines.size(), 3u);
  EXPECT_EQ(c.lines[0].text, "a");
  EXPECT_EQ(Clean(std::string("\xff\xfe broken \xc3", 11)).lines.size(), 1u);
}

TEST(LineClassifierOptionsTest, RejectsBadOptions) {
  CleanOptions bad;
  bad.min_stories = 0;
  Result<LineClassifier> c = LineClassifier::Create(bad);
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error().code, ErrorCode::kInvalidArgument);
}

TEST(RoleNameTest, ContractNames) {
  EXPECT_EQ(RoleName(Role::kTitle), "title");
  EXPECT_EQ(RoleName(Role::kBoilerplate), "boilerplate");
  EXPECT_EQ(RoleName(Role::kDuplicate), "duplicate");
  EXPECT_TRUE(IsBodyRole(Role::kHeading));
  EXPECT_FALSE(IsBodyRole(Role::kCaption));
}

}  // namespace
}  // namespace storyline::clean

namespace storyline::clean {
namespace {

TEST_F(LineClassifierTest, ALineCutAtACommaIsNotAHeadline) {
  const CleanedArticle c = Clean(
      "Fri., May. 3, 2013 11: 45 AM PDT\n"
      "Early Friday morning, around 1: 30 a. m., the actress checked into the clinic in Rancho "
      "Mirage, Calif,",
      "Actress checks into clinic");
  ASSERT_EQ(c.lines.size(), 2u);
  EXPECT_EQ(c.lines[1].role, Role::kBody) << c.lines[1].reason;
  EXPECT_EQ(c.title_line, 0);
  EXPECT_FALSE(c.body.empty());
}

TEST_F(LineClassifierTest, AnArticleWithTextNeverEndsWithAnEmptyBody) {
  // The only line is headline-shaped, and the given title is a date.
  const CleanedArticle c = Clean("Esther Williams, swimming star, dies at 91", "June 06, 2013");
  ASSERT_EQ(c.lines.size(), 1u);
  EXPECT_EQ(c.lines[0].role, Role::kBody);
  EXPECT_NE(c.lines[0].reason.find("kept as the body"), std::string::npos) << c.lines[0].reason;
  EXPECT_EQ(c.body, "Esther Williams, swimming star, dies at 91");
  EXPECT_EQ(c.title_line, 0);
}

TEST_F(LineClassifierTest, ArticleTitleIsTheHeadlineLineNotAGuess) {
  const std::string text = std::string("example-news.com\n\nBridge to reopen after repairs\n\n") +
                           kParagraph1 + "\n\n" + kParagraph2;
  // A .txt reader's guess: the first line, a site name.
  Article guessed;
  guessed.id = "g";
  guessed.title = "example-news.com";
  guessed.title_inferred = true;
  guessed.text = text;
  const CleanedArticle c = classifier_->Classify(guessed, nullptr);
  EXPECT_EQ(ArticleTitle(guessed, c), "Bridge to reopen after repairs");
  // A title the input gave stays.
  Article given = guessed;
  given.title = "Council frees bridge funds";
  given.title_inferred = false;
  EXPECT_EQ(ArticleTitle(given, classifier_->Classify(given, nullptr)),
            "Council frees bridge funds");
  // No headline line: no title rather than a caption.
  Article captioned;
  captioned.id = "c";
  captioned.title = "\xC2\xA9 Reuters. FILE PHOTO: Flags fly near a factory. REUTERS/Jane Doe";
  captioned.title_inferred = true;
  captioned.text = captioned.title + "\n" + kParagraph1 + "\n" + kParagraph2;
  const CleanedArticle cc = classifier_->Classify(captioned, nullptr);
  EXPECT_EQ(cc.lines[0].role, Role::kCaption) << cc.lines[0].reason;
  EXPECT_EQ(ArticleTitle(captioned, cc), "");
}

}  // namespace
}  // namespace storyline::clean
