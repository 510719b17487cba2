#include "storyline/store/store.h"

#include <xxhash.h>

#include "store/sqlite.h"
#include "storyline/core/date.h"

namespace storyline::store {
namespace {

// Schema migrations, applied in order inside one transaction each. Entry i
// moves the schema from version i to i + 1. Never edit a released entry:
// append a new one.
constexpr const char* kMigrations[] = {
    // 0 -> 1: articles as read from input.
    R"sql(
CREATE TABLE articles (
  key                INTEGER PRIMARY KEY,
  id                 TEXT NOT NULL UNIQUE,
  title              TEXT,
  text               TEXT NOT NULL,
  html               TEXT,
  url                TEXT,
  source             TEXT,
  published          TEXT,
  published_ts       INTEGER,
  published_inferred INTEGER NOT NULL DEFAULT 0,
  lang               TEXT,
  origin             TEXT,
  content_hash       INTEGER NOT NULL,
  revision           INTEGER NOT NULL DEFAULT 1,
  ingested_at        INTEGER NOT NULL
);
CREATE INDEX articles_published ON articles(published_ts);
)sql",
};
static_assert(std::size(kMigrations) == Store::kSchemaVersion);

constexpr const char* kArticleColumns =
    "key, id, title, text, html, url, source, published, published_inferred, lang, origin, "
    "content_hash, revision";

StoredArticle ReadArticle(const Statement& s) {
  StoredArticle out;
  out.key = s.Int(0);
  Article& a = out.article;
  a.id = s.Text(1);
  a.title = s.Text(2);
  a.text = s.Text(3);
  a.html = s.Text(4);
  a.url = s.Text(5);
  a.source = s.Text(6);
  a.published = s.Text(7);
  a.published_inferred = s.Int(8) != 0;
  a.lang = s.Text(9);
  a.origin = s.Text(10);
  out.content_hash = static_cast<std::uint64_t>(s.Int(11));
  out.revision = s.Int(12);
  return out;
}

}  // namespace

struct Store::Impl {
  sqlite3* db = nullptr;
  StoreOptions options;
  Statement upsert;
  Statement get;

  ~Impl() {
    upsert = Statement();
    get = Statement();
    if (db != nullptr) sqlite3_close_v2(db);
  }

  Status Migrate() {
    Statement version_stmt;
    Result<Statement> v = Statement::Prepare(db, "PRAGMA user_version");
    if (!v) return Fail(v.error());
    Result<bool> row = v->Step();
    if (!row) return Fail(row.error());
    const int version = static_cast<int>(v->Int(0));
    v->Reset();
    if (version > kSchemaVersion) {
      return Fail(Error{ErrorCode::kUnsupported,
                        "store schema version " + std::to_string(version) +
                            " is newer than this storyline build supports (" +
                            std::to_string(kSchemaVersion) + ")"});
    }
    for (int i = version; i < kSchemaVersion; ++i) {
      Transaction tx(db);
      if (Status s = tx.Begin(); !s) return s;
      if (Status s = Exec(db, kMigrations[i]); !s) {
        return Fail(Error{ErrorCode::kStore, "migration to schema version " +
                                                 std::to_string(i + 1) + " failed: " +
                                                 s.error().message});
      }
      if (Status s = Exec(db, "PRAGMA user_version = " + std::to_string(i + 1)); !s) return s;
      if (Status s = tx.Commit(); !s) return s;
    }
    return Ok();
  }
};

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

std::uint64_t Store::ContentHash(const Article& a) {
  // Fields separated by a byte that cannot occur in UTF-8 text, so that
  // moving characters between fields changes the hash.
  XXH3_state_t* state = XXH3_createState();
  XXH3_64bits_reset(state);
  for (const std::string* field : {&a.title, &a.text, &a.html, &a.url, &a.source, &a.published,
                                   &a.lang}) {
    XXH3_64bits_update(state, field->data(), field->size());
    XXH3_64bits_update(state, "\xff", 1);
  }
  const std::uint64_t h = XXH3_64bits_digest(state);
  XXH3_freeState(state);
  return h;
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& path, const StoreOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  const int flags = options.read_only ? SQLITE_OPEN_READONLY
                                      : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  int rc = sqlite3_open_v2(path.c_str(), &impl->db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Error e = SqliteError(impl->db, rc, "cannot open store " + path);
    return Fail(std::move(e));
  }
  sqlite3_busy_timeout(impl->db, options.busy_timeout_ms);
  sqlite3_extended_result_codes(impl->db, 1);
  if (!options.read_only) {
    if (Status s = Exec(impl->db, "PRAGMA journal_mode = WAL"); !s) {
      return Fail(Error{ErrorCode::kStore, path + ": " + s.error().message});
    }
    const std::string sync = options.synchronous_full ? "FULL" : "NORMAL";
    if (Status s = Exec(impl->db, "PRAGMA synchronous = " + sync); !s) return Fail(s.error());
    if (Status s = impl->Migrate(); !s) {
      return Fail(Error{s.error().code, path + ": " + s.error().message});
    }
  } else {
    Result<Statement> v = Statement::Prepare(impl->db, "PRAGMA user_version");
    if (!v) return Fail(v.error());
    if (Result<bool> row = v->Step(); !row) return Fail(row.error());
    if (v->Int(0) != kSchemaVersion) {
      return Fail(Error{ErrorCode::kUnsupported,
                        path + ": store schema version " + std::to_string(v->Int(0)) +
                            " does not match this build (" + std::to_string(kSchemaVersion) +
                            "); open it once for writing to migrate"});
    }
  }
  Exec(impl->db, "PRAGMA foreign_keys = ON");
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

Result<std::vector<PutOutcome>> Store::PutArticles(std::span<const Article> articles) {
  sqlite3* db = impl_->db;
  if (!impl_->upsert.Prepared()) {
    // The upsert changes nothing when the content hash is the same, and
    // RETURNING tells new rows (revision 1) from updated ones.
    Result<Statement> s = Statement::Prepare(db, R"sql(
INSERT INTO articles (id, title, text, html, url, source, published, published_ts,
                      published_inferred, lang, origin, content_hash, ingested_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
ON CONFLICT(id) DO UPDATE SET
  title = excluded.title, text = excluded.text, html = excluded.html, url = excluded.url,
  source = excluded.source, published = excluded.published,
  published_ts = excluded.published_ts, published_inferred = excluded.published_inferred,
  lang = excluded.lang, origin = excluded.origin, content_hash = excluded.content_hash,
  ingested_at = excluded.ingested_at, revision = revision + 1
WHERE content_hash != excluded.content_hash
RETURNING revision)sql");
    if (!s) return Fail(s.error());
    impl_->upsert = std::move(*s);
  }
  Statement& st = impl_->upsert;
  Transaction tx(db);
  if (Status s = tx.Begin(); !s) return Fail(s.error());
  std::vector<PutOutcome> out;
  out.reserve(articles.size());
  const Timestamp now = SystemClock().Now();
  for (const Article& a : articles) {
    st.BindText(1, a.id);
    st.BindTextOrNull(2, a.title);
    st.BindText(3, a.text);
    st.BindTextOrNull(4, a.html);
    st.BindTextOrNull(5, a.url);
    st.BindTextOrNull(6, a.source);
    st.BindTextOrNull(7, a.published);
    if (Result<Timestamp> t = ParseIso8601(a.published); !a.published.empty() && t) {
      st.BindInt(8, *t);
    } else {
      st.BindNull(8);
    }
    st.BindInt(9, a.published_inferred ? 1 : 0);
    st.BindTextOrNull(10, a.lang);
    st.BindTextOrNull(11, a.origin);
    st.BindInt(12, static_cast<std::int64_t>(ContentHash(a)));
    st.BindInt(13, now);
    Result<bool> row = st.Step();
    if (!row) {
      st.Reset();
      return Fail(Error{row.error().code, "article '" + a.id + "': " + row.error().message});
    }
    if (!*row) {
      out.push_back(PutOutcome::kUnchanged);
    } else {
      out.push_back(st.Int(0) == 1 ? PutOutcome::kInserted : PutOutcome::kUpdated);
      if (Result<bool> more = st.Step(); !more) return Fail(more.error());
    }
    st.Reset();
  }
  if (Status s = tx.Commit(); !s) return Fail(s.error());
  return out;
}

Result<std::optional<StoredArticle>> Store::GetArticle(const std::string& id) {
  if (!impl_->get.Prepared()) {
    Result<Statement> s = Statement::Prepare(
        impl_->db, std::string("SELECT ") + kArticleColumns + " FROM articles WHERE id = ?1");
    if (!s) return Fail(s.error());
    impl_->get = std::move(*s);
  }
  Statement& st = impl_->get;
  st.BindText(1, id);
  Result<bool> row = st.Step();
  if (!row) return Fail(row.error());
  std::optional<StoredArticle> out;
  if (*row) out = ReadArticle(st);
  st.Reset();
  return out;
}

Status Store::ForEachArticle(const std::function<Status(const StoredArticle&)>& fn) {
  Result<Statement> s = Statement::Prepare(
      impl_->db, std::string("SELECT ") + kArticleColumns + " FROM articles ORDER BY key");
  if (!s) return Fail(s.error());
  while (true) {
    Result<bool> row = s->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    if (Status st = fn(ReadArticle(*s)); !st) return st;
  }
  return Ok();
}

Result<std::int64_t> Store::CountArticles() {
  Result<Statement> s = Statement::Prepare(impl_->db, "SELECT count(*) FROM articles");
  if (!s) return Fail(s.error());
  if (Result<bool> row = s->Step(); !row) return Fail(row.error());
  return s->Int(0);
}

Result<std::string> Store::IntegrityCheck() {
  Result<Statement> s = Statement::Prepare(impl_->db, "PRAGMA integrity_check");
  if (!s) return Fail(s.error());
  std::string out;
  while (true) {
    Result<bool> row = s->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    if (!out.empty()) out += "\n";
    out += s->Text(0);
  }
  return out;
}

Result<int> Store::SchemaVersion() {
  Result<Statement> s = Statement::Prepare(impl_->db, "PRAGMA user_version");
  if (!s) return Fail(s.error());
  if (Result<bool> row = s->Step(); !row) return Fail(row.error());
  return static_cast<int>(s->Int(0));
}

}  // namespace storyline::store
