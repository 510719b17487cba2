// Thin RAII adapters over the SQLite C API, private to the store module.
// They turn SQLite result codes into storyline::Error values.
#ifndef STORYLINE_STORE_SQLITE_H_
#define STORYLINE_STORE_SQLITE_H_

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "storyline/core/result.h"

namespace storyline::store {

Error SqliteError(sqlite3* db, int rc, std::string_view what);

// A prepared statement, reset after each use. Bind indexes are 1-based.
class Statement {
 public:
  Statement() = default;
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) {
    other.stmt_ = nullptr;
  }
  Statement& operator=(Statement&& other) noexcept {
    std::swap(db_, other.db_);
    std::swap(stmt_, other.stmt_);
    return *this;
  }

  static Result<Statement> Prepare(sqlite3* db, std::string_view sql);
  bool Prepared() const { return stmt_ != nullptr; }

  void BindText(int i, std::string_view v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  // Binds NULL for an empty string.
  void BindTextOrNull(int i, std::string_view v) {
    if (v.empty()) {
      sqlite3_bind_null(stmt_, i);
    } else {
      BindText(i, v);
    }
  }
  void BindInt(int i, std::int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  void BindDouble(int i, double v) { sqlite3_bind_double(stmt_, i, v); }
  void BindNull(int i) { sqlite3_bind_null(stmt_, i); }
  void BindBlob(int i, const void* data, std::size_t n) {
    sqlite3_bind_blob(stmt_, i, data, static_cast<int>(n), SQLITE_TRANSIENT);
  }
  // Binds without a copy: `data` must outlive every step of the statement
  // until it is bound again (for values of many megabytes, such as state).
  void BindBlobNoCopy(int i, const void* data, std::size_t n) {
    sqlite3_bind_blob(stmt_, i, data, static_cast<int>(n), SQLITE_STATIC);
  }

  // Advances: true when a row is available, false when done.
  Result<bool> Step();
  // Runs to completion, discarding rows.
  Status Run();
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  std::int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  double Double(int col) const { return sqlite3_column_double(stmt_, col); }
  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  bool IsBlob(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_BLOB; }
  std::string_view Text(int col) const {
    const unsigned char* p = sqlite3_column_text(stmt_, col);
    if (p == nullptr) return {};
    return {reinterpret_cast<const char*>(p),
            static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))};
  }
  std::string_view Blob(int col) const {
    const void* p = sqlite3_column_blob(stmt_, col);
    if (p == nullptr) return {};
    return {static_cast<const char*>(p),
            static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))};
  }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

// Runs one or more statements without results.
Status Exec(sqlite3* db, std::string_view sql);

// Runs `step` until it succeeds, fails for another reason than SQLITE_BUSY
// or SQLITE_LOCKED, or `wait_ms` have passed. SQLite answers BUSY at once,
// without calling the busy handler, when waiting could deadlock (a
// connection holding a read lock wants to write while another holds the
// write lock); such a step is worth trying again.
Status RetryWhileBusy(sqlite3* db, int wait_ms, const std::function<Status()>& step);

// A nestable write scope: SAVEPOINT ... RELEASE, rolled back to the
// savepoint when destroyed without Commit(). Outside an explicit
// transaction the outermost savepoint is the transaction itself.
class Transaction {
 public:
  explicit Transaction(sqlite3* db) : db_(db) {}
  ~Transaction() {
    if (active_) {
      sqlite3_exec(db_, "ROLLBACK TO storyline_tx; RELEASE storyline_tx", nullptr, nullptr,
                   nullptr);
    }
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  Status Begin() {
    Status s = Exec(db_, "SAVEPOINT storyline_tx");
    active_ = s.has_value();
    return s;
  }
  Status Commit() {
    Status s = Exec(db_, "RELEASE storyline_tx");
    if (s) active_ = false;
    return s;
  }

 private:
  sqlite3* db_;
  bool active_ = false;
};

}  // namespace storyline::store

#endif  // STORYLINE_STORE_SQLITE_H_
