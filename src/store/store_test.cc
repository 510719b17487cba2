#include "storyline/store/store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>

namespace storyline::store {
namespace {

Article MakeArticle(const std::string& id, const std::string& text) {
  Article a;
  a.id = id;
  a.title = "Title of " + id;
  a.text = text;
  a.url = "https://example.org/" + id;
  a.source = "example.org";
  a.published = "2022-01-08T10:00:00Z";
  a.lang = "fr";
  a.origin = "test.jsonl:1";
  return a;
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("storyline_store_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "s.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<Store> OpenStore() {
    Result<std::unique_ptr<Store>> s = Store::Open(path_);
    EXPECT_TRUE(s) << s.error().message;
    return std::move(*s);
  }
  void RawExec(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    sqlite3_close(db);
  }

  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(StoreTest, RoundTripsEveryField) {
  auto store = OpenStore();
  Article a = MakeArticle("a1", "L’Ukraine\n\n« citation » — fin.\n");
  a.html = "<p>x</p>";
  a.published_inferred = true;
  ASSERT_TRUE(store->PutArticles({&a, 1}));
  Result<std::optional<StoredArticle>> got = store->GetArticle("a1");
  ASSERT_TRUE(got && got->has_value());
  const Article& b = (*got)->article;
  EXPECT_EQ(b.id, a.id);
  EXPECT_EQ(b.title, a.title);
  EXPECT_EQ(b.text, a.text);
  EXPECT_EQ(b.html, a.html);
  EXPECT_EQ(b.url, a.url);
  EXPECT_EQ(b.source, a.source);
  EXPECT_EQ(b.published, a.published);
  EXPECT_TRUE(b.published_inferred);
  EXPECT_EQ(b.lang, a.lang);
  EXPECT_EQ(b.origin, a.origin);
  EXPECT_EQ((*got)->revision, 1);
  EXPECT_FALSE(store->GetArticle("nope")->has_value());
}

TEST_F(StoreTest, IngestIsIdempotentAndUpdatesChangedContent) {
  auto store = OpenStore();
  std::vector<Article> batch = {MakeArticle("a", "one"), MakeArticle("b", "two")};
  EXPECT_EQ(*store->PutArticles(batch),
            (std::vector<PutOutcome>{PutOutcome::kInserted, PutOutcome::kInserted}));
  EXPECT_EQ(*store->PutArticles(batch),
            (std::vector<PutOutcome>{PutOutcome::kUnchanged, PutOutcome::kUnchanged}));
  batch[1].text = "two, corrected";
  EXPECT_EQ(*store->PutArticles(batch),
            (std::vector<PutOutcome>{PutOutcome::kUnchanged, PutOutcome::kUpdated}));
  EXPECT_EQ((*store->GetArticle("b"))->revision, 2);
  EXPECT_EQ((*store->GetArticle("b"))->article.text, "two, corrected");
  EXPECT_EQ(*store->CountArticles(), 2);
}

TEST_F(StoreTest, FailedBatchWritesNothing) {
  OpenStore();
  RawExec(
      "CREATE TRIGGER refuse BEFORE INSERT ON articles WHEN NEW.id = 'boom' "
      "BEGIN SELECT RAISE(ABORT, 'refused'); END;");
  auto store = OpenStore();
  std::vector<Article> batch = {MakeArticle("ok1", "x"), MakeArticle("boom", "y"),
                                MakeArticle("ok2", "z")};
  Result<std::vector<PutOutcome>> put = store->PutArticles(batch);
  ASSERT_FALSE(put);
  EXPECT_NE(put.error().message.find("boom"), std::string::npos) << put.error().message;
  EXPECT_EQ(*store->CountArticles(), 0);
  // The store stays usable after the rollback.
  ASSERT_TRUE(store->PutArticles({&batch[0], 1}));
  EXPECT_EQ(*store->CountArticles(), 1);
}

TEST_F(StoreTest, PersistsAcrossReopenAndChecksIntegrity) {
  {
    auto store = OpenStore();
    std::vector<Article> batch;
    for (int i = 0; i < 100; ++i) batch.push_back(MakeArticle("id" + std::to_string(i), "t"));
    ASSERT_TRUE(store->PutArticles(batch));
  }
  auto store = OpenStore();
  EXPECT_EQ(*store->CountArticles(), 100);
  EXPECT_EQ(*store->IntegrityCheck(), "ok");
  EXPECT_EQ(*store->SchemaVersion(), Store::kSchemaVersion);
  std::int64_t last_key = 0;
  int seen = 0;
  ASSERT_TRUE(store->ForEachArticle([&](const StoredArticle& a) -> Status {
    EXPECT_GT(a.key, last_key);
    last_key = a.key;
    ++seen;
    return Ok();
  }));
  EXPECT_EQ(seen, 100);
}

TEST_F(StoreTest, RefusesNewerSchemaAndReadOnlyWrites) {
  OpenStore();
  {
    Result<std::unique_ptr<Store>> ro = Store::Open(path_, StoreOptions{.read_only = true});
    ASSERT_TRUE(ro);
    Article a = MakeArticle("x", "y");
    EXPECT_FALSE((*ro)->PutArticles({&a, 1}));
  }
  RawExec("PRAGMA user_version = 99");
  Result<std::unique_ptr<Store>> s = Store::Open(path_);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kUnsupported);
}

TEST(StoreMemoryTest, InMemoryStoreWorks) {
  Result<std::unique_ptr<Store>> s = Store::Open(":memory:");
  ASSERT_TRUE(s);
  Article a = MakeArticle("m", "text");
  ASSERT_TRUE((*s)->PutArticles({&a, 1}));
  EXPECT_EQ(*(*s)->CountArticles(), 1);
}

}  // namespace
}  // namespace storyline::store
