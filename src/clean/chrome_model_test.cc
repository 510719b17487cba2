#include "storyline/clean/chrome_model.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "storyline/clean/line_classifier.h"

namespace storyline::clean {
namespace {

// Story paragraphs that differ per story: "Story N" facts.
std::string Paragraph(int story, int k) {
  return "In story number " + std::to_string(story) + " the council of town " +
         std::to_string(story * 7 + k) + " reported that paragraph " + std::to_string(k) +
         " of the dispatch describes events that differ from every other story.";
}

Article SiteArticle(int story, const std::string& source) {
  Article a;
  a.id = source + "-" + std::to_string(story);
  a.source = source;
  a.title = "Headline of story " + std::to_string(story);
  a.text = a.title + "\n" + Paragraph(story, 1) + "\nJoin our reader club today\n" +
           Paragraph(story, 2) + "\n" + Paragraph(story, 3) + "\nThe Daily Example Team";
  return a;
}

TEST(ChromeModelTest, CountsArticlesSourcesAndStories) {
  ChromeModel model;
  for (int s = 0; s < 5; ++s) model.Observe(SiteArticle(s, "daily.example"));
  Article probe = SiteArticle(9, "daily.example");
  LineEvidence e = model.Lookup("Join our reader club today", probe);
  EXPECT_EQ(e.articles, 5u);
  EXPECT_EQ(e.same_source, 5u);
  EXPECT_EQ(e.sources, 1u);
  EXPECT_GE(e.stories, 4u);  // five distinct stories, estimated
  // Folded: the same line in other case and punctuation.
  EXPECT_EQ(model.Lookup("JOIN our reader-club today!", probe).articles, 5u);
  EXPECT_EQ(model.Lookup(Paragraph(1, 1), probe).articles, 1u);
  EXPECT_EQ(model.articles(), 5u);
}

TEST(ChromeModelTest, SiteChromeIsLearnedButWireCopiesStayBody) {
  std::vector<Article> batch;
  for (int s = 0; s < 5; ++s) batch.push_back(SiteArticle(s, "daily.example"));
  // One wire story copied by five sites, each with its own chrome.
  for (int site = 0; site < 5; ++site) {
    Article a;
    a.id = "wire-" + std::to_string(site);
    a.source = "site" + std::to_string(site) + ".example";
    a.title = "Wire headline";
    a.text = "Wire headline\n" + Paragraph(100, 1) + "\nMore from site " + std::to_string(site) +
             "\n" + Paragraph(100, 2) + "\nShort wire line without a stop\n" + Paragraph(100, 3);
    batch.push_back(a);
  }
  Result<std::vector<CleanedArticle>> cleaned = CleanCorpus(batch);
  ASSERT_TRUE(cleaned.has_value());
  const CleanedArticle& site = (*cleaned)[0];
  EXPECT_EQ(site.lines[2].role, Role::kBoilerplate) << site.lines[2].reason;
  EXPECT_EQ(site.lines[2].reason, "repeated in 5 articles of this source");
  EXPECT_NE(site.lines[5].role, Role::kBody);
  const CleanedArticle& wire = (*cleaned)[7];
  EXPECT_EQ(wire.lines[1].role, Role::kBody);
  EXPECT_EQ(wire.lines[3].role, Role::kBody);
  EXPECT_TRUE(IsBodyRole(wire.lines[4].role)) << wire.lines[4].reason;
  EXPECT_EQ(wire.lines[5].role, Role::kBody);

  // Without the corpus the unlabelled prompt is not recognised.
  Result<LineClassifier> alone = LineClassifier::Create({});
  ASSERT_TRUE(alone.has_value());
  EXPECT_TRUE(IsBodyRole(alone->Classify(batch[0], nullptr).lines[2].role));
}

TEST(ChromeModelTest, AHeadlineCarriedBySeveralSitesStaysTheTitle) {
  // Five sites carry one headline, each over its own re-edited text: the
  // recurring line is syndication, not chrome.
  std::vector<Article> batch;
  for (int site = 0; site < 5; ++site) {
    Article a;
    a.id = "wire-" + std::to_string(site);
    a.source = "site" + std::to_string(site) + ".example";
    a.title = "Ferry strike ends";
    a.text = a.title + "\n" + Paragraph(300 + site, 1) + "\n" + Paragraph(300 + site, 2);
    batch.push_back(a);
  }
  Result<std::vector<CleanedArticle>> cleaned = CleanCorpus(batch);
  ASSERT_TRUE(cleaned.has_value());
  for (const CleanedArticle& c : *cleaned) {
    EXPECT_EQ(c.lines[0].role, Role::kTitle) << c.lines[0].reason;
  }
  // The same short line under another title is a label seen on five sites.
  for (Article& a : batch) a.title = "Other headline " + a.id;
  cleaned = CleanCorpus(batch);
  ASSERT_TRUE(cleaned.has_value());
  EXPECT_EQ((*cleaned)[0].lines[0].role, Role::kBoilerplate) << (*cleaned)[0].lines[0].reason;
}

TEST(ChromeModelTest, SerialiseRoundTrip) {
  ChromeModel model;
  for (int s = 0; s < 6; ++s) model.Observe(SiteArticle(s, "daily.example"));
  std::string bytes = model.Serialize();
  Result<ChromeModel> back = ChromeModel::Deserialize(bytes);
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  EXPECT_EQ(back->Serialize(), bytes);
  EXPECT_EQ(back->articles(), 6u);
  Article probe = SiteArticle(9, "daily.example");
  LineEvidence a = model.Lookup("Join our reader club today", probe);
  LineEvidence b = back->Lookup("Join our reader club today", probe);
  EXPECT_EQ(a.articles, b.articles);
  EXPECT_EQ(a.same_source, b.same_source);
  EXPECT_EQ(a.stories, b.stories);
}

TEST(ChromeModelTest, DeserialiseRejectsGarbage) {
  const std::string rows[] = {"", "not a model", std::string("SLCHROM1\x01\x00", 10)};
  for (const std::string& bytes : rows) {
    Result<ChromeModel> m = ChromeModel::Deserialize(bytes);
    ASSERT_FALSE(m.has_value());
    EXPECT_EQ(m.error().code, ErrorCode::kInvalidInput);
  }
  ChromeModel model;
  model.Observe(SiteArticle(1, "x.example"));
  std::string bytes = model.Serialize();
  EXPECT_FALSE(ChromeModel::Deserialize(bytes.substr(0, bytes.size() - 3)).has_value());
  EXPECT_FALSE(ChromeModel::Deserialize(bytes + "x").has_value());
}

TEST(ChromeModelTest, MemoryIsBoundedAndFrequentLinesSurvive) {
  ChromeModelOptions options;
  options.max_lines = 64;
  options.max_source_lines = 64;
  Result<ChromeModel> model = ChromeModel::Create(options);
  ASSERT_TRUE(model.has_value());
  const int n = 1000;
  for (int i = 0; i < n; ++i) {
    Article a;
    a.id = std::to_string(i);
    a.source = "s.example";
    a.text = "Unique line number " + std::to_string(i) + "\nFrequent chrome line\nAnother unique " +
             std::to_string(i);
    model->Observe(a);
    ASSERT_LE(model->lines(), 64u);
    ASSERT_LE(model->source_lines(), 64u);
  }
  Article probe;
  probe.source = "s.example";
  LineEvidence e = model->Lookup("Frequent chrome line", probe);
  // Lossy counting: undercounted by at most the floor.
  EXPECT_LE(e.articles, static_cast<std::uint32_t>(n));
  EXPECT_GE(e.articles + model->floor(), static_cast<std::uint32_t>(n));
  EXPECT_GT(e.same_source, 0u);
}

// Saved whole once, then as change records (with evictions between saves):
// the model loads back to the same bytes, and a record after a few
// articles is a small part of the whole model.
TEST(ChromeModelTest, ChangeRecordsLoadTheSameModel) {
  ChromeModelOptions options;
  options.max_lines = 256;
  options.max_source_lines = 256;
  Result<ChromeModel> model = ChromeModel::Create(options);
  ASSERT_TRUE(model.has_value());
  std::string whole;
  std::vector<std::string> changes;
  std::size_t last_record = 0;
  for (int i = 0; i < 400; ++i) {
    Article a = SiteArticle(i, "site" + std::to_string(i % 5) + ".example");
    a.text += "\nUnique closing line " + std::to_string(i);
    model->Observe(a);
    if (i % 13 != 12) continue;
    bool is_whole = false;
    // No whole model stored yet: the first save writes it whole.
    std::string bytes = model->SerializeSince(whole.empty() ? 0 : ~std::size_t{0}, &is_whole);
    EXPECT_EQ(is_whole, whole.empty());
    if (is_whole) {
      EXPECT_EQ(bytes, model->Serialize());
      whole = std::move(bytes);
    } else {
      last_record = bytes.size();
      changes.push_back(std::move(bytes));
    }
    Result<ChromeModel> back = ChromeModel::Deserialize(whole, changes);
    ASSERT_TRUE(back.has_value()) << back.error().ToString();
    EXPECT_EQ(back->Serialize(), model->Serialize()) << "after " << i + 1;
  }
  EXPECT_GT(model->floor(), 0U);  // evictions happened between saves
  EXPECT_GT(last_record, 0U);
  // Without evictions, a record holds the lines the new articles counted.
  ChromeModel big;
  for (int i = 0; i < 300; ++i) big.Observe(SiteArticle(i, "site" + std::to_string(i % 7)));
  bool is_whole = false;
  const std::size_t whole_bytes = big.SerializeSince(0, &is_whole).size();
  ASSERT_TRUE(is_whole);
  for (int i = 300; i < 303; ++i) big.Observe(SiteArticle(i, "site" + std::to_string(i % 7)));
  const std::string record = big.SerializeSince(~std::size_t{0}, &is_whole);
  EXPECT_FALSE(is_whole);
  EXPECT_LT(record.size() * 10, whole_bytes) << record.size() << " of " << whole_bytes;
  // A record that is not one is refused.
  const std::vector<std::string> bad = {"SLCHRCH1 short"};
  EXPECT_FALSE(ChromeModel::Deserialize(whole, bad).has_value());
  EXPECT_FALSE(ChromeModel::Deserialize(whole, std::vector<std::string>{whole}).has_value());
}

TEST(ChromeModelTest, CreateRejectsTinyLimits) {
  ChromeModelOptions options;
  options.max_lines = 1;
  EXPECT_FALSE(ChromeModel::Create(options).has_value());
}

TEST(ChromeModelTest, SourceKeyFallsBackToUrlHostThenId) {
  Article a;
  a.id = "1";
  a.url = "https://www.Example.com/path";
  Article b;
  b.id = "2";
  b.source = "example.com";
  EXPECT_EQ(ChromeModel::SourceKey(a), ChromeModel::SourceKey(b));
  Article c;
  c.id = "3";
  Article d;
  d.id = "4";
  EXPECT_NE(ChromeModel::SourceKey(c), ChromeModel::SourceKey(d));
}

}  // namespace
}  // namespace storyline::clean
