#include "store/sqlite.h"

#include <chrono>
#include <thread>

namespace storyline::store {

Error SqliteError(sqlite3* db, int rc, std::string_view what) {
  std::string message(what);
  message += ": ";
  message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  const char* file = db != nullptr ? sqlite3_db_filename(db, "main") : nullptr;
  if (file != nullptr && *file != '\0') {
    message += " (";
    message += file;
    message += ")";
  }
  if ((rc & 0xff) == SQLITE_INTERRUPT) {
    return Error{ErrorCode::kCancelled, std::string(what) + ": stopped before it finished"};
  }
  return Error{ErrorCode::kStore, std::move(message)};
}

Result<Statement> Statement::Prepare(sqlite3* db, std::string_view sql) {
  Statement s;
  s.db_ = db;
  const int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &s.stmt_, nullptr);
  if (rc != SQLITE_OK) return Fail(SqliteError(db, rc, "prepare"));
  return s;
}

Result<bool> Statement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Error e = SqliteError(db_, rc, "step");
  sqlite3_reset(stmt_);
  return Fail(std::move(e));
}

Status Statement::Run() {
  while (true) {
    Result<bool> row = Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
  }
  Reset();
  return Ok();
}

Status Exec(sqlite3* db, std::string_view sql) {
  char* err = nullptr;
  const int rc = sqlite3_exec(db, std::string(sql).c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string message = err != nullptr ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    return Fail(Error{ErrorCode::kStore, message});
  }
  return Ok();
}

Status RetryWhileBusy(sqlite3* db, int wait_ms, const std::function<Status()>& step) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
  while (true) {
    Status s = step();
    const int code = sqlite3_errcode(db) & 0xff;
    if (s || (code != SQLITE_BUSY && code != SQLITE_LOCKED) ||
        std::chrono::steady_clock::now() >= deadline) {
      return s;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace storyline::store
