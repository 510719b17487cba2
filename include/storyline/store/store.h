// The persistent embedded store: one SQLite database file.
//
//   Result<std::unique_ptr<Store>> store = Store::Open("storyline.db");
//   if (!store) return Fail(store.error());
//   Result<std::vector<PutOutcome>> put = (*store)->PutArticles(batch);  // one transaction
//   (*store)->ForEachArticle([](const StoredArticle& a) { ...; return Ok(); });
//
// The database runs in WAL mode: readers (the server, `export`) keep working
// while one writer ingests. Every write method is one transaction: it either
// commits whole or leaves the store as it was; a process killed at any moment
// leaves a store that opens and holds every committed batch. The schema is
// versioned (PRAGMA user_version) and migrated forward on Open.
//
// A Store object is not thread-safe: use one per thread (several processes
// or threads may open the same file).
#ifndef STORYLINE_STORE_STORE_H_
#define STORYLINE_STORE_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "storyline/core/article.h"
#include "storyline/core/result.h"

namespace storyline::store {

struct StoreOptions {
  // read_only (false): open without creating or migrating; writes fail.
  bool read_only = false;
  // busy_timeout_ms (10000): how long to wait for another writer's lock.
  int busy_timeout_ms = 10000;
  // synchronous_full (false): fsync at every commit (survives power loss, not
  // only process death). The default NORMAL keeps committed batches across a
  // killed process, which is what acknowledgement promises.
  bool synchronous_full = false;
};

// What PutArticles did with one article.
enum class PutOutcome {
  kInserted,   // new id
  kUnchanged,  // same id and same content: nothing written
  kUpdated,    // same id, changed content: replaced, revision incremented
};

// An article as stored, with its store bookkeeping.
struct StoredArticle {
  Article article;
  std::int64_t key = 0;       // internal row number, stable for the article's life
  std::int64_t revision = 1;  // 1 on insert, +1 on every content change
  std::uint64_t content_hash = 0;
};

class Store {
 public:
  // Schema version this build writes (see migrations in store.cc).
  static constexpr int kSchemaVersion = 1;

  // Opens or creates the database at `path` (":memory:" for a private
  // in-memory store) and migrates it to kSchemaVersion. Errors: kStore with
  // SQLite's message naming the file; kUnsupported when the file was written
  // by a newer storyline.
  static Result<std::unique_ptr<Store>> Open(const std::string& path,
                                             const StoreOptions& options = {});

  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Inserts or updates `articles` in one transaction; the outcome of each, in
  // order. On error nothing of the batch is written.
  Result<std::vector<PutOutcome>> PutArticles(std::span<const Article> articles);

  // The article with `id`, or nullopt.
  Result<std::optional<StoredArticle>> GetArticle(const std::string& id);

  // Calls `fn` for every article in key order; stops at the first error `fn`
  // returns and returns it.
  Status ForEachArticle(const std::function<Status(const StoredArticle&)>& fn);

  Result<std::int64_t> CountArticles();

  // Runs PRAGMA integrity_check; "ok" when the file is sound.
  Result<std::string> IntegrityCheck();

  // The schema version of the open database.
  Result<int> SchemaVersion();

  // Content hash used to decide kUnchanged vs kUpdated (XXH3 over the fields
  // that come from the input).
  static std::uint64_t ContentHash(const Article& article);

 private:
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace storyline::store

#endif  // STORYLINE_STORE_STORE_H_
