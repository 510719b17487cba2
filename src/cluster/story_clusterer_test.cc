#include "storyline/cluster/story_clusterer.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "cluster/story_model.h"
#include "corpus/synthetic_news.h"

namespace storyline::cluster {
namespace {

constexpr Timestamp kMarch10 = 1741564800;  // 2025-03-10T00:00:00Z
constexpr Timestamp kHour = 3600;
constexpr Timestamp kDay = 86400;

ArticleFeatures Article(std::string id, Timestamp t, std::string lang, std::string title,
                        std::string body) {
  ArticleFeatures a;
  a.id = std::move(id);
  a.published = t;
  a.lang = std::move(lang);
  a.title = std::move(title);
  a.body = std::move(body);
  return a;
}

// Four happenings, reported in several languages: a flood alert and a barge
// accident in Lyon (one storyline), a warehouse fire in Échirolles, and a
// paint factory fire in Bilbao (a hard negative for the other fire).
std::vector<ArticleFeatures> TinyStream() {
  return {
      Article("fr-alert", kMarch10 + 9 * kHour, "fr", "Crue de la Saône : vigilance orange à Lyon",
              "La Saône est en vigilance orange à Lyon depuis lundi 10 mars. Les bas-ports "
              "sont fermés et la préfecture du Rhône attend un pic de 5,2 mètres mercredi."),
      Article("en-alert", kMarch10 + 15 * kHour, "en", "Lyon closes quays as the Saône rises",
              "Lyon closed its riverside walkways on Monday 10 March as the Saône rose towards "
              "5.2 metres, the Rhône prefecture said, with an orange alert in force."),
      Article("fr-fire", kMarch10 - 5 * kDay, "fr",
              "Échirolles : un entrepôt de carton détruit par un incendie",
              "Un incendie a détruit dans la nuit l'entrepôt de la société Recyclalp à "
              "Échirolles (Isère). Quatre-vingt-dix pompiers ont lutté pendant cinq heures, "
              "a indiqué le SDIS de l'Isère mercredi 5 mars."),
      Article("es-bilbao", kMarch10 + 9 * kDay, "es",
              "Un incendio en una fábrica de pinturas de Bilbao",
              "Un incendio declarado en la fábrica de Pinturas Ibarbide en Zorrotza, Bilbao, "
              "obligó a confinar colegios el 19 de marzo. Los bomberos de Bilbao trabajaron "
              "toda la tarde."),
      Article("en-bilbao", kMarch10 + 9 * kDay + 4 * kHour, "en",
              "Fire at Bilbao paint factory sends smoke over city",
              "A fire at the Pinturas Ibarbide paint factory in Zorrotza, Bilbao, forced "
              "schools to keep pupils inside on 19 March, Bilbao firefighters said."),
      Article("fr-barge", kMarch10 + 2 * kDay, "fr",
              "Lyon : une péniche percute la passerelle des Tanneurs",
              "Une péniche à la dérive sur la Saône a percuté mercredi 12 mars la passerelle "
              "des Tanneurs à Lyon. Deux mariniers ont été secourus par les pompiers du Rhône."),
      Article("es-barge", kMarch10 + 2 * kDay + 6 * kHour, "es",
              "Una barcaza choca contra una pasarela de Lyon",
              "Una barcaza a la deriva en el Saona chocó el 12 de marzo contra la pasarela de "
              "los Tanneurs en Lyon. Dos marineros fueron rescatados."),
  };
}

std::map<std::string, std::string> StoriesOf(StoryClusterer* c) {
  std::map<std::string, std::string> out;
  c->FreezeAll();
  for (const FrozenStory& f : c->TakeFrozen()) {
    for (const std::string& id : f.articles) out[id] = f.id;
  }
  return out;
}

class StoryClustererTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<StoryClusterer> c = StoryClusterer::Create(ClusterOptions());
    ASSERT_TRUE(c.has_value()) << c.error().ToString();
    clusterer_ = std::make_unique<StoryClusterer>(std::move(*c));
  }
  Assignment Add(const ArticleFeatures& a) {
    Result<Assignment> r = clusterer_->Add(a);
    EXPECT_TRUE(r.has_value()) << r.error().ToString();
    return r.value_or(Assignment());
  }
  std::unique_ptr<StoryClusterer> clusterer_;
};

TEST_F(StoryClustererTest, TinyMultilingualStreamGroupsByHappening) {
  std::vector<ArticleFeatures> stream = TinyStream();
  std::sort(stream.begin(), stream.end(),
            [](const auto& x, const auto& y) { return *x.published < *y.published; });
  std::map<std::string, Assignment> got;
  for (const ArticleFeatures& a : stream) got[a.id] = Add(a);
  const std::map<std::string, std::string> story = StoriesOf(clusterer_.get());
  struct Row {
    const char* a;
    const char* b;
    bool same;
    const char* why;
  };
  const Row rows[] = {
      {"fr-alert", "en-alert", true, "same alert, French and English"},
      {"fr-barge", "es-barge", true, "same accident, French and Spanish"},
      {"es-bilbao", "en-bilbao", true, "same fire, Spanish and English"},
      {"fr-fire", "es-bilbao", false, "two different fires"},
      {"fr-alert", "fr-barge", false, "alert and accident are two happenings"},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.why);
    EXPECT_EQ(story.at(r.a) == story.at(r.b), r.same) << r.a << " " << r.b;
  }
  EXPECT_EQ(got["fr-alert"].storyline, got["fr-barge"].storyline)
      << "the Lyon flood storyline links the alert and the accident";
  EXPECT_NE(got["fr-fire"].storyline, got["es-bilbao"].storyline);
  EXPECT_TRUE(got["fr-fire"].new_story);
}

// A headline feed: the titles of one event in English and French meet in
// one story (on names, numbers and the English pivot within the hour, as
// an article joining or as two stories merged by the repair pass); events
// of the same theme and hour in the other language stay apart.
TEST_F(StoryClustererTest, HeadlineStoriesInTwoLanguagesMeet) {
  const Timestamp t = kMarch10 + 8 * kHour;
  const std::vector<ArticleFeatures> stream = {
      Article("en1", t, "en", "Simone Biles withdraws from Olympic gymnastics team final", ""),
      Article("fr1", t + 5 * 60, "fr",
              "Simone Biles se retire de la finale olympique de gymnastique par équipes", ""),
      Article("en2", t + 10 * 60, "en", "Simone Biles withdraws from gymnastics team final", ""),
      Article("fr-osaka", t + 12 * 60, "fr",
              "Tennis : Naomi Osaka éliminée au troisième tour du tournoi olympique", ""),
      Article("fr2", t + 15 * 60, "fr",
              "Gymnastique : Simone Biles se retire de la finale par équipes", ""),
      Article("en3", t + 20 * 60, "en",
              "Gymnastics: Simone Biles withdraws from Olympic team final", ""),
      Article("en-osaka-b", t + 25 * 60, "en",
              "Naomi Osaka knocked out of Olympic tennis in the third round", ""),
      Article("fr3", t + 30 * 60, "fr", "Simone Biles se retire de la finale olympique", ""),
      Article("en4", t + 35 * 60, "en", "Simone Biles withdraws from Olympic team final", ""),
      Article("en-football", t + 40 * 60, "en",
              "Olympic football: Japan beat Mexico 2-1 in their group opener", ""),
  };
  for (const ArticleFeatures& a : stream) Add(a);
  clusterer_->Repair();
  const std::map<std::string, std::string> story = StoriesOf(clusterer_.get());
  EXPECT_EQ(story.at("en1"), story.at("en4"));
  EXPECT_EQ(story.at("fr1"), story.at("fr3"));
  EXPECT_EQ(story.at("en1"), story.at("fr1")) << "one event, two languages";
  EXPECT_NE(story.at("fr-osaka"), story.at("en1"));
  EXPECT_NE(story.at("en-football"), story.at("en1"));
  EXPECT_NE(story.at("en-football"), story.at("en-osaka-b"));
}

TEST_F(StoryClustererTest, CopyJoinsItsOriginalsStory) {
  ArticleFeatures original = TinyStream()[0];
  Assignment first = Add(original);
  // A copy with unrelated words still joins: the duplicate stage knows.
  ArticleFeatures copy = TinyStream()[3];
  copy.id = "copy";
  copy.copy_of = original.id;
  Assignment second = Add(copy);
  EXPECT_EQ(second.story, first.story);
  EXPECT_FALSE(second.new_story);
  EXPECT_EQ(clusterer_->StoryOf("copy"), first.story);
}

TEST_F(StoryClustererTest, CopyOfAFrozenStoryTakesTheGivenStory) {
  ArticleFeatures copy = TinyStream()[1];
  copy.copy_of = "gone";
  copy.copy_of_story = "s00000042";
  EXPECT_EQ(Add(copy).story, "s00000042");
}

TEST_F(StoryClustererTest, RefusesEmptyAndRepeatedIds) {
  ArticleFeatures a = TinyStream()[0];
  Add(a);
  Result<Assignment> again = clusterer_->Add(a);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::kInvalidArgument);
  a.id.clear();
  EXPECT_FALSE(clusterer_->Add(a).has_value());
  EXPECT_EQ(clusterer_->articles_seen(), 1u);
}

TEST_F(StoryClustererTest, UndatedArticlesAreNeutral) {
  ArticleFeatures a = TinyStream()[0];
  ArticleFeatures b = TinyStream()[1];
  a.published.reset();
  const std::string first = Add(a).story;
  EXPECT_EQ(Add(b).story, first);
}

TEST_F(StoryClustererTest, OldStoriesAreFrozen) {
  ArticleFeatures a = TinyStream()[0];
  Add(a);
  ArticleFeatures later = TinyStream()[4];
  later.published = *a.published + 40 * kDay;
  Add(later);
  std::vector<FrozenStory> frozen = clusterer_->TakeFrozen();
  ASSERT_EQ(frozen.size(), 1u);
  EXPECT_EQ(frozen[0].articles, std::vector<std::string>{a.id});
  EXPECT_EQ(clusterer_->live_stories(), 1u);
  EXPECT_FALSE(clusterer_->StoryOf(a.id).has_value());
}

TEST_F(StoryClustererTest, StoriesDescribeThemselves) {
  for (const ArticleFeatures& a : TinyStream()) Add(a);
  std::vector<StoryView> stories = clusterer_->Stories();
  ASSERT_FALSE(stories.empty());
  bool saw_lyon = false;
  for (const StoryView& s : stories) {
    EXPECT_FALSE(s.articles.empty());
    EXPECT_TRUE(s.first_published.has_value());
    for (const std::string& n : s.top_names) saw_lyon |= n == "lyon";
  }
  EXPECT_TRUE(saw_lyon);
}

TEST(StoryClustererOptionsTest, RefusesBadOptions) {
  struct Case {
    void (*change)(ClusterOptions*);
    const char* why;
  };
  const Case cases[] = {
      {[](ClusterOptions* o) { o->storyline_body_weight = -1; }, "negative weight"},
      {[](ClusterOptions* o) { o->join_probability = 1; }, "join probability of 1"},
      {[](ClusterOptions* o) { o->merge_probability = 0; }, "merge probability of 0"},
      {[](ClusterOptions* o) {
         o->story_model = {1.0, 2.0};
       },
       "model of the wrong length"},
      {[](ClusterOptions* o) {
         o->headline_model = std::vector<double>(internal::kModelInputs + 1, 1e9);
       },
       "headline model with a weight out of range"},
      {[](ClusterOptions* o) { o->time_sigma_days = 0; }, "zero sigma"},
      {[](ClusterOptions* o) { o->centroid_terms = 0; }, "no centroid terms"},
      {[](ClusterOptions* o) { o->repair_every = -1; }, "negative repair period"},
  };
  for (const Case& c : cases) {
    ClusterOptions o;
    c.change(&o);
    Result<StoryClusterer> r = StoryClusterer::Create(o);
    ASSERT_FALSE(r.has_value()) << c.why;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << c.why;
  }
}

// A synthetic stream, long enough to freeze stories and run repairs.
std::vector<ArticleFeatures> Synthetic(int n) {
  tools::corpus::SyntheticNews gen({.seed = 3, .articles_per_day = 200, .body_words = 60});
  std::vector<ArticleFeatures> out;
  for (int i = 0; i < n; ++i) out.push_back(gen.Next());
  return out;
}

std::vector<std::string> RunStream(const std::vector<ArticleFeatures>& stream, std::size_t batch,
                                   int threads, const ClusterOptions& options) {
  Result<StoryClusterer> c = StoryClusterer::Create(options);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < stream.size(); i += batch) {
    const std::size_t n = std::min(batch, stream.size() - i);
    Result<std::vector<Assignment>> r =
        c->AddBatch(std::span<const ArticleFeatures>(stream).subspan(i, n), threads);
    EXPECT_TRUE(r.has_value());
    for (const Assignment& a : *r) out.push_back(a.story + "/" + a.storyline);
  }
  for (const StoryMerge& m : c->TakeMerges()) out.push_back(m.from + ">" + m.into);
  for (const StorylineMerge& m : c->TakeStorylineMerges()) out.push_back(m.from + ">>" + m.into);
  for (const auto& [id, story] : StoriesOf(&*c)) out.push_back(id + "=" + story);
  return out;
}

TEST(StoryClustererDeterminismTest, SameResultsForAnyBatchSplitAndThreadCount) {
  const std::vector<ArticleFeatures> stream = Synthetic(600);
  ClusterOptions options;
  options.repair_every = 50;
  const std::vector<std::string> one_by_one = RunStream(stream, 1, 1, options);
  EXPECT_EQ(RunStream(stream, 7, 1, options), one_by_one);
  EXPECT_EQ(RunStream(stream, 500, 4, options), one_by_one);
  EXPECT_EQ(RunStream(stream, stream.size(), 3, options), one_by_one);
}

TEST(StoryClustererStateTest, RestoredClustererContinuesIdentically) {
  const std::vector<ArticleFeatures> stream = Synthetic(500);
  // The default, and document frequencies halved before and after the
  // restore (the state keeps both document counts).
  for (int halving : {ClusterOptions().df_halving_docs, 64}) {
    SCOPED_TRACE(halving);
    ClusterOptions options;
    options.repair_every = 50;
    options.df_halving_docs = halving;
    Result<StoryClusterer> straight = StoryClusterer::Create(options);
    Result<StoryClusterer> first = StoryClusterer::Create(options);
    std::vector<std::string> want;
    std::vector<std::string> got;
    for (std::size_t i = 0; i < stream.size(); ++i) {
      want.push_back(straight->Add(stream[i])->story);
      if (i < 300) got.push_back(first->Add(stream[i])->story);
    }
    Result<std::string> state = first->Serialize();
    ASSERT_TRUE(state.has_value());
    Result<StoryClusterer> restored = StoryClusterer::Restore(options, *state);
    ASSERT_TRUE(restored.has_value()) << restored.error().ToString();
    for (std::size_t i = 300; i < stream.size(); ++i) {
      got.push_back(restored->Add(stream[i])->story);
    }
    EXPECT_EQ(got, want);
    EXPECT_EQ(restored->Serialize().value(), straight->Serialize().value());
  }
}

// Saved in steps (a whole state, then change records), the stream restores
// to exactly the clusterer that never stopped, with halvings, freezes,
// merges and repairs between the saves; and a record written after a few
// articles is a small fraction of the whole state.
TEST(StoryClustererStateTest, ChangeRecordsRestoreTheSameState) {
  const std::vector<ArticleFeatures> stream = Synthetic(900);
  for (int halving : {ClusterOptions().df_halving_docs, 64}) {
    SCOPED_TRACE(halving);
    ClusterOptions options;
    options.repair_every = 50;
    options.df_halving_docs = halving;
    Result<StoryClusterer> live = StoryClusterer::Create(options);
    ASSERT_TRUE(live.has_value());
    std::string whole;
    std::vector<std::string> changes;
    for (std::size_t i = 0; i < stream.size(); ++i) {
      ASSERT_TRUE(live->Add(stream[i]).has_value());
      if (i % 97 != 96 && i != 400 && i + 1 != stream.size()) continue;
      // No whole state yet, and once at i = 400: the whole state (limit 0).
      const std::size_t limit = whole.empty() || i == 400 ? 0 : ~std::size_t{0};
      bool is_whole = false;
      Result<std::string> bytes = live->SerializeSince(limit, &is_whole);
      ASSERT_TRUE(bytes.has_value());
      ASSERT_EQ(is_whole, limit == 0);
      if (is_whole) {
        EXPECT_EQ(*bytes, live->Serialize().value());
        whole = std::move(*bytes);
        changes.clear();
      } else {
        changes.push_back(std::move(*bytes));
      }
      Result<StoryClusterer> restored = StoryClusterer::Restore(options, whole, changes);
      ASSERT_TRUE(restored.has_value()) << restored.error().ToString();
      EXPECT_EQ(restored->Serialize().value(), live->Serialize().value()) << "after " << i + 1;
    }
    EXPECT_GT(changes.size(), 2U);
    // The restored clusterer continues as the live one does.
    Result<StoryClusterer> restored = StoryClusterer::Restore(options, whole, changes);
    ASSERT_TRUE(restored.has_value());
    const std::vector<ArticleFeatures> more = Synthetic(1000);
    for (std::size_t i = 900; i < more.size(); ++i) {
      EXPECT_EQ(restored->Add(more[i])->story, live->Add(more[i])->story);
    }
    // Three articles more change a few stories and their storylines.
    bool is_whole = true;
    const std::size_t whole_bytes = live->Serialize().value().size();
    ASSERT_TRUE(live->SerializeSince(~std::size_t{0}, &is_whole).has_value());
    const std::vector<ArticleFeatures> three = Synthetic(1003);
    for (std::size_t i = 1000; i < three.size(); ++i) ASSERT_TRUE(live->Add(three[i]).has_value());
    const std::string record = live->SerializeSince(~std::size_t{0}, &is_whole).value();
    EXPECT_FALSE(is_whole);
    EXPECT_LT(record.size() * 10, whole_bytes) << record.size() << " of " << whole_bytes;
  }
}

TEST(StoryClustererStateTest, RefusesChangeRecordsThatAreNot) {
  Result<StoryClusterer> c = StoryClusterer::Create(ClusterOptions());
  for (const ArticleFeatures& a : Synthetic(50)) ASSERT_TRUE(c->Add(a).has_value());
  const std::string whole = c->Serialize().value();
  for (const std::string& record : {std::string(), std::string("nonsense"), whole}) {
    Result<StoryClusterer> r =
        StoryClusterer::Restore(ClusterOptions(), whole, std::vector<std::string>{record});
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
  }
  // A record cut short.
  bool is_whole = true;
  std::string record = c->SerializeSince(~std::size_t{0}, &is_whole).value();
  ASSERT_FALSE(is_whole);
  record.resize(record.size() - 3);
  EXPECT_FALSE(StoryClusterer::Restore(ClusterOptions(), whole, std::vector<std::string>{record})
                   .has_value());
}

TEST(StoryClustererStateTest, RefusesGarbage) {
  for (std::string_view bytes : {std::string_view(""), std::string_view("nonsense"),
                                 std::string_view("\x19\0\0\0\0\0\0\0storyline", 17)}) {
    Result<StoryClusterer> r = StoryClusterer::Restore(ClusterOptions(), bytes);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
  }
}

TEST(StoryClustererScaleTest, SyntheticStoriesAreRecovered) {
  tools::corpus::SyntheticNews gen({.seed = 11, .articles_per_day = 300, .body_words = 80});
  Result<StoryClusterer> c = StoryClusterer::Create(ClusterOptions());
  std::map<std::string, std::uint64_t> truth;
  for (int i = 0; i < 2000; ++i) {
    ArticleFeatures a = gen.Next();
    truth[a.id] = gen.last_story();
    ASSERT_TRUE(c->Add(a).has_value());
  }
  // Every predicted story should be drawn from one generating story.
  std::map<std::string, std::set<std::uint64_t>> sources;
  for (const auto& [id, story] : StoriesOf(&*c)) sources[story].insert(truth[id]);
  std::size_t pure = 0;
  for (const auto& [story, from] : sources) pure += from.size() == 1;
  EXPECT_GE(static_cast<double>(pure), 0.95 * static_cast<double>(sources.size()));
}

}  // namespace
}  // namespace storyline::cluster
