#include "storyline/store/store.h"

#include <xxhash.h>

#include <span>
#include <unordered_map>
#include <unordered_set>

#include "store/fts_rank.h"
#include "store/fts_tokenizer.h"
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
    // 1 -> 2: what the analysis stages produce.
    R"sql(
ALTER TABLE articles ADD COLUMN analysed_revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE articles ADD COLUMN lang_confidence REAL;
ALTER TABLE articles ADD COLUMN body TEXT;
ALTER TABLE articles ADD COLUMN lines TEXT;
ALTER TABLE articles ADD COLUMN sketch BLOB;
ALTER TABLE articles ADD COLUMN dup_group TEXT;
ALTER TABLE articles ADD COLUMN copy_of TEXT;
ALTER TABLE articles ADD COLUMN story TEXT;
ALTER TABLE articles ADD COLUMN storyline TEXT;
CREATE INDEX articles_story ON articles(story);
CREATE INDEX articles_dup_group ON articles(dup_group);
CREATE TABLE duplicates (
  a           TEXT NOT NULL,
  b           TEXT NOT NULL,
  relation    TEXT NOT NULL,
  jaccard     REAL NOT NULL,
  containment REAL NOT NULL,
  evidence    TEXT NOT NULL DEFAULT '[]',
  PRIMARY KEY (a, b)
);
CREATE INDEX duplicates_b ON duplicates(b);
CREATE TABLE stories (
  id              TEXT PRIMARY KEY,
  storyline       TEXT,
  title           TEXT,
  size            INTEGER NOT NULL DEFAULT 0,
  first_published INTEGER,
  last_published  INTEGER,
  digest          TEXT,
  updated_at      INTEGER NOT NULL
);
CREATE INDEX stories_storyline ON stories(storyline);
CREATE TABLE storylines (
  id         TEXT PRIMARY KEY,
  title      TEXT,
  size       INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL
);
CREATE TABLE state (
  name  TEXT PRIMARY KEY,
  value BLOB NOT NULL
);
)sql",
    // 2 -> 3: full-text search and listing indexes. The FTS5 tables are
    // external-content indexes (no second copy of the text) kept current by
    // triggers, so writers need not know about them. Stories are indexed
    // through the view stories_search, which flattens the digest's summary,
    // entity names and quotes into text columns; the triggers read the same
    // view, so 'delete' always removes exactly the tokens once inserted.
    // PutStories uses INSERT OR REPLACE, whose implicit delete fires no
    // trigger (recursive_triggers is off, SQLite's default): the BEFORE
    // INSERT trigger removes the replaced row's entry instead. stories has no
    // INTEGER PRIMARY KEY, so its rowids (the FTS keys) must not be renumbered
    // by VACUUM. FTS5 reads its content through statements that may not use
    // virtual tables, and json_each is one: stories_fts' 'rebuild' and
    // content integrity-check fail, so it is filled (and refilled after a
    // VACUUM: 'delete-all', then the same INSERT) from the view explicitly.
    R"sql(
CREATE VIRTUAL TABLE articles_fts USING fts5(
  title, body, content='articles', content_rowid='key',
  tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
  INSERT INTO articles_fts(rowid, title, body) VALUES (new.key, new.title, new.body);
END;
CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
  INSERT INTO articles_fts(articles_fts, rowid, title, body)
  VALUES ('delete', old.key, old.title, old.body);
END;
CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, body ON articles
WHEN old.title IS NOT new.title OR old.body IS NOT new.body BEGIN
  INSERT INTO articles_fts(articles_fts, rowid, title, body)
  VALUES ('delete', old.key, old.title, old.body);
  INSERT INTO articles_fts(rowid, title, body) VALUES (new.key, new.title, new.body);
END;
CREATE VIEW stories_search AS
SELECT s.rowid AS rid, s.id AS id, s.title AS title,
  CASE WHEN json_valid(s.digest) THEN
    (SELECT group_concat(value, ' ') FROM json_each(s.digest, '$.summary')) END AS summary,
  CASE WHEN json_valid(s.digest) THEN
    (SELECT group_concat(json_extract(value, '$.name'), ' ')
     FROM json_each(s.digest, '$.entities')) END AS entities,
  CASE WHEN json_valid(s.digest) THEN
    (SELECT group_concat(coalesce(json_extract(value, '$.speaker'), '') || ': ' ||
                         coalesce(json_extract(value, '$.text'), ''), ' ')
     FROM json_each(s.digest, '$.quotes')) END AS quotes
FROM stories s;
CREATE VIRTUAL TABLE stories_fts USING fts5(
  title, summary, entities, quotes, content='stories_search', content_rowid='rid',
  tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER stories_fts_bi BEFORE INSERT ON stories BEGIN
  INSERT INTO stories_fts(stories_fts, rowid, title, summary, entities, quotes)
  SELECT 'delete', rid, title, summary, entities, quotes FROM stories_search WHERE id = new.id;
END;
CREATE TRIGGER stories_fts_ai AFTER INSERT ON stories BEGIN
  INSERT INTO stories_fts(rowid, title, summary, entities, quotes)
  SELECT rid, title, summary, entities, quotes FROM stories_search WHERE rid = new.rowid;
END;
CREATE TRIGGER stories_fts_bd BEFORE DELETE ON stories BEGIN
  INSERT INTO stories_fts(stories_fts, rowid, title, summary, entities, quotes)
  SELECT 'delete', rid, title, summary, entities, quotes FROM stories_search WHERE rid = old.rowid;
END;
CREATE TRIGGER stories_fts_bu BEFORE UPDATE OF title, digest ON stories BEGIN
  INSERT INTO stories_fts(stories_fts, rowid, title, summary, entities, quotes)
  SELECT 'delete', rid, title, summary, entities, quotes FROM stories_search WHERE rid = old.rowid;
END;
CREATE TRIGGER stories_fts_au AFTER UPDATE OF title, digest ON stories BEGIN
  INSERT INTO stories_fts(rowid, title, summary, entities, quotes)
  SELECT rid, title, summary, entities, quotes FROM stories_search WHERE rid = new.rowid;
END;
INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');
INSERT INTO stories_fts(rowid, title, summary, entities, quotes)
  SELECT rid, title, summary, entities, quotes FROM stories_search;
CREATE INDEX stories_recent ON stories(last_published DESC, size DESC, id);
CREATE INDEX stories_largest ON stories(size DESC, last_published DESC, id);
CREATE INDEX articles_story_facets ON articles(story, lang, source);
CREATE INDEX articles_lang ON articles(lang);
CREATE INDEX articles_source ON articles(source);
)sql",
    // 3 -> 4: article search matches word forms, and "rising" reads a
    // covering index (published time, story) instead of article rows.
    // articles_fts is rebuilt with the stemming tokenizer (fts_tokenizer.h),
    // which reads each article's language from a marker before its title
    // and body: the view articles_search gives FTS5 the marked text (so
    // 'rebuild' and the content checks see what was indexed), and the
    // triggers insert and delete the same marking, now also when the
    // language changes.
    R"sql(
DROP TRIGGER articles_fts_ai;
DROP TRIGGER articles_fts_ad;
DROP TRIGGER articles_fts_au;
DROP TABLE articles_fts;
CREATE VIEW articles_search AS
SELECT key,
  char(1) || coalesce(lang, '') || char(1) || title AS title,
  char(1) || coalesce(lang, '') || char(1) || body AS body
FROM articles;
CREATE VIRTUAL TABLE articles_fts USING fts5(
  title, body, content='articles_search', content_rowid='key',
  tokenize='storyline remove_diacritics 2');
CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
  INSERT INTO articles_fts(rowid, title, body) VALUES (new.key,
    char(1) || coalesce(new.lang, '') || char(1) || new.title,
    char(1) || coalesce(new.lang, '') || char(1) || new.body);
END;
CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
  INSERT INTO articles_fts(articles_fts, rowid, title, body) VALUES ('delete', old.key,
    char(1) || coalesce(old.lang, '') || char(1) || old.title,
    char(1) || coalesce(old.lang, '') || char(1) || old.body);
END;
CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, body, lang ON articles
WHEN old.title IS NOT new.title OR old.body IS NOT new.body OR old.lang IS NOT new.lang BEGIN
  INSERT INTO articles_fts(articles_fts, rowid, title, body) VALUES ('delete', old.key,
    char(1) || coalesce(old.lang, '') || char(1) || old.title,
    char(1) || coalesce(old.lang, '') || char(1) || old.body);
  INSERT INTO articles_fts(rowid, title, body) VALUES (new.key,
    char(1) || coalesce(new.lang, '') || char(1) || new.title,
    char(1) || coalesce(new.lang, '') || char(1) || new.body);
END;
INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');
DROP INDEX articles_published;
CREATE INDEX articles_published_story ON articles(published_ts, story);
)sql",
    // 4 -> 5: a story's articles over time and in order read an index of
    // (story, published time) instead of their rows.
    R"sql(
DROP INDEX articles_story;
CREATE INDEX articles_story_published ON articles(story, published_ts);
)sql",
    // 5 -> 6: story search matches word forms too. stories_search marks each
    // digest's text with the story's language (the digest's "lang", written
    // since this version; a story written before gets it when its digest is
    // next rebuilt), and stories_fts uses the stemming tokenizer. The
    // triggers are those of version 3; reading the language from the stored
    // digest keeps 'delete' exactly what was inserted.
    R"sql(
DROP TRIGGER stories_fts_bi;
DROP TRIGGER stories_fts_ai;
DROP TRIGGER stories_fts_bd;
DROP TRIGGER stories_fts_bu;
DROP TRIGGER stories_fts_au;
DROP TABLE stories_fts;
DROP VIEW stories_search;
CREATE VIEW stories_search AS
SELECT rid, id, mark || title AS title, mark || summary AS summary,
  mark || entities AS entities, mark || quotes AS quotes
FROM (SELECT s.rowid AS rid, s.id AS id, s.title AS title,
  char(1) || coalesce(CASE WHEN json_valid(s.digest) THEN
    json_extract(s.digest, '$.lang') END, '') || char(1) AS mark,
  CASE WHEN json_valid(s.digest) THEN
    (SELECT group_concat(value, ' ') FROM json_each(s.digest, '$.summary')) END AS summary,
  CASE WHEN json_valid(s.digest) THEN
    (SELECT group_concat(json_extract(value, '$.name'), ' ')
     FROM json_each(s.digest, '$.entities')) END AS entities,
  CASE WHEN json_valid(s.digest) THEN
    (SELECT group_concat(coalesce(json_extract(value, '$.speaker'), '') || ': ' ||
                         coalesce(json_extract(value, '$.text'), ''), ' ')
     FROM json_each(s.digest, '$.quotes')) END AS quotes
  FROM stories s);
CREATE VIRTUAL TABLE stories_fts USING fts5(
  title, summary, entities, quotes, content='stories_search', content_rowid='rid',
  tokenize='storyline remove_diacritics 2');
CREATE TRIGGER stories_fts_bi BEFORE INSERT ON stories BEGIN
  INSERT INTO stories_fts(stories_fts, rowid, title, summary, entities, quotes)
  SELECT 'delete', rid, title, summary, entities, quotes FROM stories_search WHERE id = new.id;
END;
CREATE TRIGGER stories_fts_ai AFTER INSERT ON stories BEGIN
  INSERT INTO stories_fts(rowid, title, summary, entities, quotes)
  SELECT rid, title, summary, entities, quotes FROM stories_search WHERE rid = new.rowid;
END;
CREATE TRIGGER stories_fts_bd BEFORE DELETE ON stories BEGIN
  INSERT INTO stories_fts(stories_fts, rowid, title, summary, entities, quotes)
  SELECT 'delete', rid, title, summary, entities, quotes FROM stories_search WHERE rid = old.rowid;
END;
CREATE TRIGGER stories_fts_bu BEFORE UPDATE OF title, digest ON stories BEGIN
  INSERT INTO stories_fts(stories_fts, rowid, title, summary, entities, quotes)
  SELECT 'delete', rid, title, summary, entities, quotes FROM stories_search WHERE rid = old.rowid;
END;
CREATE TRIGGER stories_fts_au AFTER UPDATE OF title, digest ON stories BEGIN
  INSERT INTO stories_fts(rowid, title, summary, entities, quotes)
  SELECT rid, title, summary, entities, quotes FROM stories_search WHERE rid = new.rowid;
END;
INSERT INTO stories_fts(rowid, title, summary, entities, quotes)
  SELECT rid, title, summary, entities, quotes FROM stories_search;
)sql",
};
static_assert(std::size(kMigrations) == Store::kSchemaVersion);

constexpr const char* kArticleColumns =
    "key, id, title, text, html, url, source, published, published_inferred, lang, origin, "
    "content_hash, revision, analysed_revision, lang_confidence, body, lines, sketch, dup_group, "
    "copy_of, story, storyline";

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
  ArticleAnalysis& an = out.analysis;
  an.id = a.id;
  an.revision = s.Int(13);
  an.lang = a.lang;
  an.lang_confidence = s.Double(14);
  an.published = a.published;
  an.published_inferred = a.published_inferred;
  an.body = s.Text(15);
  an.lines_json = s.Text(16);
  an.sketch = s.Blob(17);
  an.dup_group = s.Text(18);
  an.copy_of = s.Text(19);
  an.story = s.Text(20);
  an.storyline = s.Text(21);
  return out;
}

}  // namespace

struct Store::Impl {
  sqlite3* db = nullptr;
  StemmingTokenizer* tokenizer = nullptr;  // owned by the connection
  StoreOptions options;
  Statement upsert;
  Statement get;
  std::function<bool()> interrupt;

  static int OnProgress(void* self) {
    const auto* impl = static_cast<const Impl*>(self);
    return impl->interrupt && impl->interrupt() ? 1 : 0;
  }

  ~Impl() {
    upsert = Statement();
    get = Statement();
    if (db != nullptr) sqlite3_close_v2(db);
  }

  // Narrows the stems a search query adds to the languages of the stored
  // articles (an index skip-scan: one seek per language).
  Status NarrowQueryLanguages() {
    Result<Statement> st = Statement::Prepare(db, R"sql(
WITH RECURSIVE langs(lang) AS (
  SELECT min(lang) FROM articles
  UNION ALL
  SELECT (SELECT min(lang) FROM articles WHERE lang > langs.lang) FROM langs
  WHERE langs.lang IS NOT NULL)
SELECT lang FROM langs WHERE lang IS NOT NULL)sql");
    if (!st) return Fail(st.error());
    std::vector<std::string> langs;
    while (true) {
      Result<bool> row = st->Step();
      if (!row) return Fail(row.error());
      if (!*row) break;
      langs.emplace_back(st->Text(0));
    }
    tokenizer->SetQueryLanguages(langs);
    return Ok();
  }

  Result<int> UserVersion() {
    Result<Statement> v = Statement::Prepare(db, "PRAGMA user_version");
    if (!v) return Fail(v.error());
    Result<bool> row = v->Step();
    if (!row) return Fail(row.error());
    return static_cast<int>(v->Int(0));
  }

  Status Migrate() {
    Result<int> version = UserVersion();
    if (!version) return Fail(version.error());
    if (*version == kSchemaVersion) return Ok();
    // Another process may be creating or migrating the same file: take the
    // write lock, then read the version again, so that exactly one of them
    // migrates and the others find the result.
    if (*version < kSchemaVersion) {
      if (Status s = Exec(db, "BEGIN IMMEDIATE"); !s) return s;
      version = UserVersion();
      if (!version) {
        Exec(db, "ROLLBACK");
        return Fail(version.error());
      }
    }
    if (*version > kSchemaVersion) {
      if (sqlite3_get_autocommit(db) == 0) Exec(db, "ROLLBACK");
      return Fail(
          Error{ErrorCode::kUnsupported, "store schema version " + std::to_string(*version) +
                                             " is newer than this storyline build supports (" +
                                             std::to_string(kSchemaVersion) + ")"});
    }
    for (int i = *version; i < kSchemaVersion; ++i) {
      if (Status s = Exec(db, kMigrations[i]); !s) {
        Exec(db, "ROLLBACK");
        return Fail(Error{ErrorCode::kStore, "migration to schema version " +
                                                 std::to_string(i + 1) +
                                                 " failed: " + s.error().message});
      }
      if (Status s = Exec(db, "PRAGMA user_version = " + std::to_string(i + 1)); !s) {
        Exec(db, "ROLLBACK");
        return s;
      }
    }
    if (sqlite3_get_autocommit(db) == 0) {
      if (Status s = Exec(db, "COMMIT"); !s) {
        Exec(db, "ROLLBACK");
        return s;
      }
    }
    return Ok();
  }
};

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

void Store::SetInterruptCheck(std::function<bool()> check) {
  impl_->interrupt = std::move(check);
  // About a millisecond of statement work between checks.
  sqlite3_progress_handler(impl_->db, impl_->interrupt ? 10000 : 0,
                           impl_->interrupt ? &Impl::OnProgress : nullptr, impl_.get());
}

std::uint64_t Store::ContentHash(const Article& a) {
  // Fields separated by a byte that cannot occur in UTF-8 text, so that
  // moving characters between fields changes the hash.
  XXH3_state_t* state = XXH3_createState();
  XXH3_64bits_reset(state);
  for (const std::string* field :
       {&a.title, &a.text, &a.html, &a.url, &a.source, &a.published, &a.lang}) {
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
  const int flags =
      options.read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  int rc = sqlite3_open_v2(path.c_str(), &impl->db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Error e = SqliteError(impl->db, rc, "cannot open store " + path);
    return Fail(std::move(e));
  }
  sqlite3_busy_timeout(impl->db, options.busy_timeout_ms);
  sqlite3_extended_result_codes(impl->db, 1);
  if (Result<StemmingTokenizer*> t = StemmingTokenizer::Register(impl->db); !t) {
    return Fail(Error{t.error().code, path + ": " + t.error().message});
  } else {
    impl->tokenizer = *t;
  }
  if (Status s = RegisterRankFunction(impl->db); !s) {
    return Fail(Error{s.error().code, path + ": " + s.error().message});
  }
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
RETURNING revision, key)sql");
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

namespace {

// Runs `sql` once per element, binding with `bind`, inside one savepoint.
template <typename T, typename Bind>
Status RunForEach(sqlite3* db, std::string_view sql, std::span<const T> items, Bind bind) {
  Result<Statement> st = Statement::Prepare(db, sql);
  if (!st) return Fail(st.error());
  Transaction tx(db);
  if (Status s = tx.Begin(); !s) return s;
  for (const T& item : items) {
    bind(*st, item);
    if (Status s = st->Run(); !s) return s;
  }
  return tx.Commit();
}

StoryRecord ReadStory(const Statement& s) {
  StoryRecord r;
  r.id = s.Text(0);
  r.storyline = s.Text(1);
  r.title = s.Text(2);
  r.size = s.Int(3);
  if (!s.IsNull(4)) r.first_published = s.Int(4);
  if (!s.IsNull(5)) r.last_published = s.Int(5);
  r.digest_json = s.Text(6);
  return r;
}

constexpr const char* kStoryColumns =
    "id, storyline, title, size, first_published, last_published, digest";

// The columns every duplicate query selects: the pair, then the copy_of of
// each of its articles, which orient it.
constexpr const char* kDuplicateSelect =
    "SELECT d.a, d.b, d.relation, d.jaccard, d.containment, d.evidence, aa.copy_of, ab.copy_of "
    "FROM duplicates d LEFT JOIN articles aa ON aa.id = d.a LEFT JOIN articles ab ON ab.id = d.b ";

DuplicateRecord ReadDuplicate(const Statement& s) {
  DuplicateRecord d;
  d.a = s.Text(0);
  d.b = s.Text(1);
  d.relation = s.Text(2);
  d.jaccard = s.Double(3);
  d.containment = s.Double(4);
  d.evidence_json = s.Text(5);
  OrientDuplicate(&d, s.Text(6), s.Text(7));
  return d;
}

}  // namespace

Status Store::BeginWrite() {
  // BEGIN IMMEDIATE takes the write lock now (waiting up to busy_timeout_ms
  // for another writer), so no other connection commits between this
  // writer's reads and its writes.
  const int rc = sqlite3_exec(impl_->db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
  if (rc == SQLITE_OK) return Ok();
  if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
    const char* file = sqlite3_db_filename(impl_->db, "main");
    return MakeError(ErrorCode::kBusy, std::string("another process is writing the store ") +
                                           (file != nullptr ? file : "") +
                                           " and held it for more than " +
                                           std::to_string(impl_->options.busy_timeout_ms / 1000) +
                                           " s; try again when it has finished");
  }
  return Fail(SqliteError(impl_->db, rc, "begin write"));
}
Status Store::Commit() { return Exec(impl_->db, "COMMIT"); }
void Store::Rollback() {
  if (sqlite3_get_autocommit(impl_->db) == 0) Exec(impl_->db, "ROLLBACK");
}

Status Store::SetTitles(std::span<const std::pair<std::string, std::string>> titles) {
  if (titles.empty()) return Ok();
  Result<Statement> st =
      Statement::Prepare(impl_->db, "UPDATE articles SET title = ?2 WHERE id = ?1");
  if (!st) return Fail(st.error());
  Transaction tx(impl_->db);
  if (Status s = tx.Begin(); !s) return s;
  for (const auto& [id, title] : titles) {
    st->BindText(1, id);
    st->BindText(2, title);
    if (Status s = st->Run(); !s) return s;
    st->Reset();
  }
  return tx.Commit();
}

Status Store::PutAnalyses(std::span<const ArticleAnalysis> analyses) {
  Result<Statement> st = Statement::Prepare(impl_->db, R"sql(
UPDATE articles SET analysed_revision = ?2, lang = ?3, lang_confidence = ?4,
  published = ?5, published_ts = ?6, published_inferred = ?7, body = ?8, lines = ?9,
  sketch = ?10, dup_group = ?11, copy_of = ?12, story = ?13, storyline = ?14
WHERE id = ?1)sql");
  if (!st) return Fail(st.error());
  Transaction tx(impl_->db);
  if (Status s = tx.Begin(); !s) return s;
  for (const ArticleAnalysis& a : analyses) {
    st->BindText(1, a.id);
    st->BindInt(2, a.revision);
    st->BindTextOrNull(3, a.lang);
    st->BindDouble(4, a.lang_confidence);
    st->BindTextOrNull(5, a.published);
    if (Result<Timestamp> t = ParseIso8601(a.published); !a.published.empty() && t) {
      st->BindInt(6, *t);
    } else {
      st->BindNull(6);
    }
    st->BindInt(7, a.published_inferred ? 1 : 0);
    st->BindTextOrNull(8, a.body);
    st->BindTextOrNull(9, a.lines_json);
    if (a.sketch.empty()) {
      st->BindNull(10);
    } else {
      st->BindBlob(10, a.sketch.data(), a.sketch.size());
    }
    st->BindTextOrNull(11, a.dup_group);
    st->BindTextOrNull(12, a.copy_of);
    st->BindTextOrNull(13, a.story);
    st->BindTextOrNull(14, a.storyline);
    if (Status s = st->Run(); !s) return s;
    if (sqlite3_changes(impl_->db) == 0) {
      return MakeError(ErrorCode::kNotFound, "no stored article '" + a.id + "' to analyse");
    }
  }
  return tx.Commit();
}

Status Store::PutDuplicates(std::span<const DuplicateRecord> pairs) {
  return RunForEach(impl_->db,
                    "INSERT OR REPLACE INTO duplicates (a, b, relation, jaccard, containment, "
                    "evidence) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    pairs, [](Statement& st, const DuplicateRecord& d) {
                      st.BindText(1, d.a);
                      st.BindText(2, d.b);
                      st.BindText(3, d.relation);
                      st.BindDouble(4, d.jaccard);
                      st.BindDouble(5, d.containment);
                      st.BindText(6, d.evidence_json.empty() ? "[]" : d.evidence_json);
                    });
}

Status Store::DeleteDuplicatesOf(const std::string& id) {
  Result<Statement> st =
      Statement::Prepare(impl_->db, "DELETE FROM duplicates WHERE a = ?1 OR b = ?1");
  if (!st) return Fail(st.error());
  st->BindText(1, id);
  return st->Run();
}

void OrientDuplicate(DuplicateRecord* pair, std::string_view copy_of_a,
                     std::string_view copy_of_b) {
  const bool a_copies_b = copy_of_a == pair->b;
  const bool b_copies_a = copy_of_b == pair->a;
  // Both hold when two articles copy each other; the stored order stays.
  const bool swap = (b_copies_a && !a_copies_b) ||
                    (!a_copies_b && !b_copies_a && copy_of_a.empty() && !copy_of_b.empty());
  if (swap) {
    std::swap(pair->a, pair->b);
    std::swap(copy_of_a, copy_of_b);
  }
  pair->copy_link = copy_of_a == pair->b;
}

Status Store::ForEachDuplicate(const std::function<Status(const DuplicateRecord&)>& fn) {
  Result<Statement> st =
      Statement::Prepare(impl_->db, std::string(kDuplicateSelect) + "ORDER BY d.a, d.b");
  if (!st) return Fail(st.error());
  while (true) {
    Result<bool> row = st->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    if (Status s = fn(ReadDuplicate(*st)); !s) return s;
  }
  return Ok();
}

Result<std::vector<DuplicateRecord>> Store::DuplicatesOf(const std::string& id) {
  Result<Statement> st = Statement::Prepare(
      impl_->db, std::string(kDuplicateSelect) + "WHERE d.a = ?1 OR d.b = ?1 ORDER BY d.a, d.b");
  if (!st) return Fail(st.error());
  st->BindText(1, id);
  std::vector<DuplicateRecord> out;
  while (true) {
    Result<bool> row = st->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    out.push_back(ReadDuplicate(*st));
  }
  return out;
}

Status Store::SetDupGroups(std::span<const std::array<std::string, 3>> rows) {
  return RunForEach(impl_->db, "UPDATE articles SET dup_group = ?2, copy_of = ?3 WHERE id = ?1",
                    rows, [](Statement& st, const std::array<std::string, 3>& r) {
                      st.BindText(1, r[0]);
                      st.BindTextOrNull(2, r[1]);
                      st.BindTextOrNull(3, r[2]);
                    });
}

Status Store::PutStories(std::span<const StoryRecord> stories) {
  const std::int64_t now = SystemClock().Now();
  return RunForEach(impl_->db,
                    "INSERT OR REPLACE INTO stories (id, storyline, title, size, first_published, "
                    "last_published, digest, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    stories, [now](Statement& st, const StoryRecord& r) {
                      st.BindText(1, r.id);
                      st.BindTextOrNull(2, r.storyline);
                      st.BindTextOrNull(3, r.title);
                      st.BindInt(4, r.size);
                      if (r.first_published) {
                        st.BindInt(5, *r.first_published);
                      } else {
                        st.BindNull(5);
                      }
                      if (r.last_published) {
                        st.BindInt(6, *r.last_published);
                      } else {
                        st.BindNull(6);
                      }
                      st.BindTextOrNull(7, r.digest_json);
                      st.BindInt(8, now);
                    });
}

Status Store::DeleteStory(const std::string& id) {
  Result<Statement> st = Statement::Prepare(impl_->db, "DELETE FROM stories WHERE id = ?1");
  if (!st) return Fail(st.error());
  st->BindText(1, id);
  return st->Run();
}

Status Store::PutStorylines(std::span<const StorylineRecord> storylines) {
  const std::int64_t now = SystemClock().Now();
  return RunForEach(impl_->db,
                    "INSERT OR REPLACE INTO storylines (id, title, size, updated_at) "
                    "VALUES (?1, ?2, ?3, ?4)",
                    storylines, [now](Statement& st, const StorylineRecord& r) {
                      st.BindText(1, r.id);
                      st.BindTextOrNull(2, r.title);
                      st.BindInt(3, r.size);
                      st.BindInt(4, now);
                    });
}

Status Store::DeleteStoryline(const std::string& id) {
  Result<Statement> st = Statement::Prepare(impl_->db, "DELETE FROM storylines WHERE id = ?1");
  if (!st) return Fail(st.error());
  st->BindText(1, id);
  return st->Run();
}

Status Store::RelabelStory(const std::string& from, const std::string& into,
                           const std::string& into_storyline) {
  Result<Statement> st = Statement::Prepare(
      impl_->db, "UPDATE articles SET story = ?2, storyline = ?3 WHERE story = ?1");
  if (!st) return Fail(st.error());
  st->BindText(1, from);
  st->BindText(2, into);
  st->BindTextOrNull(3, into_storyline);
  if (Status s = st->Run(); !s) return s;
  return DeleteStory(from);
}

Status Store::RelabelStoryline(const std::string& from, const std::string& into) {
  for (const char* sql : {"UPDATE articles SET storyline = ?2 WHERE storyline = ?1",
                          "UPDATE stories SET storyline = ?2 WHERE storyline = ?1"}) {
    Result<Statement> st = Statement::Prepare(impl_->db, sql);
    if (!st) return Fail(st.error());
    st->BindText(1, from);
    st->BindText(2, into);
    if (Status s = st->Run(); !s) return s;
  }
  return DeleteStoryline(from);
}

Result<std::optional<StoryRecord>> Store::GetStory(const std::string& id) {
  Result<Statement> st = Statement::Prepare(
      impl_->db, std::string("SELECT ") + kStoryColumns + " FROM stories WHERE id = ?1");
  if (!st) return Fail(st.error());
  st->BindText(1, id);
  Result<bool> row = st->Step();
  if (!row) return Fail(row.error());
  std::optional<StoryRecord> out;
  if (*row) out = ReadStory(*st);
  return out;
}

Result<std::vector<StoryRecord>> Store::ListStories(const StoryQuery& q) {
  std::string sql = std::string("SELECT ") + kStoryColumns + " FROM stories";
  if (!q.storyline.empty()) sql += " WHERE storyline = ?3";
  sql += q.order == "largest" ? " ORDER BY size DESC, last_published DESC NULLS LAST, id"
                              : " ORDER BY last_published DESC NULLS LAST, size DESC, id";
  sql += " LIMIT ?1 OFFSET ?2";
  Result<Statement> st = Statement::Prepare(impl_->db, sql);
  if (!st) return Fail(st.error());
  st->BindInt(1, q.limit);
  st->BindInt(2, q.offset);
  if (!q.storyline.empty()) st->BindText(3, q.storyline);
  std::vector<StoryRecord> out;
  while (true) {
    Result<bool> row = st->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    out.push_back(ReadStory(*st));
  }
  return out;
}

namespace {

// A storyline row of kStorylineSelect.
StorylineRecord ReadStoryline(const Statement& st) {
  StorylineRecord r{std::string(st.Text(0)), std::string(st.Text(1)), st.Int(2)};
  if (!st.IsNull(3)) r.first_published = st.Int(3);
  if (!st.IsNull(4)) r.last_published = st.Int(4);
  return r;
}

// A storyline with the span of its stories (stories_storyline index: the
// cost is the storyline's stories).
constexpr const char* kStorylineSelect =
    "SELECT l.id, l.title, l.size, (SELECT min(first_published) FROM stories WHERE storyline = "
    "l.id), (SELECT max(last_published) FROM stories WHERE storyline = l.id) FROM storylines l ";

}  // namespace

Result<std::optional<StorylineRecord>> Store::GetStoryline(const std::string& id) {
  Result<Statement> st =
      Statement::Prepare(impl_->db, std::string(kStorylineSelect) + "WHERE l.id = ?1");
  if (!st) return Fail(st.error());
  st->BindText(1, id);
  Result<bool> row = st->Step();
  if (!row) return Fail(row.error());
  std::optional<StorylineRecord> out;
  if (*row) out = ReadStoryline(*st);
  return out;
}

Result<std::vector<StorylineRecord>> Store::ListStorylines(std::int64_t limit,
                                                           std::int64_t offset) {
  // Storylines in order of their latest story (last publication, newest
  // first; then more stories first, then id), those without a dated story
  // last. Aggregating every story per request costs the whole store, so the
  // page is found by walking the stories_recent index: a storyline first
  // met there has its latest story there. The walk stops once the page is
  // full and the stories left are older than its last storyline (ties are
  // then sorted as the order says); its cost is the page's depth.
  if (limit < 0 || offset < 0) {
    return MakeError(ErrorCode::kInvalidArgument, "limit and offset must not be negative");
  }
  const std::size_t want = static_cast<std::size_t>(offset + limit);
  std::vector<std::pair<std::int64_t, std::string>> dated;  // latest story, storyline
  std::unordered_set<std::string> seen;
  {
    Result<Statement> walk = Statement::Prepare(impl_->db, R"sql(
SELECT storyline, last_published FROM stories INDEXED BY stories_recent
WHERE storyline IS NOT NULL AND last_published IS NOT NULL
ORDER BY last_published DESC)sql");
    if (!walk) return Fail(walk.error());
    while (true) {
      Result<bool> row = walk->Step();
      if (!row) return Fail(row.error());
      if (!*row) break;
      const std::int64_t last = walk->Int(1);
      if (dated.size() >= want && last < dated.back().first) break;
      std::string storyline(walk->Text(0));
      if (seen.insert(storyline).second) dated.emplace_back(last, std::move(storyline));
    }
  }
  Result<Statement> get = Statement::Prepare(
      impl_->db, std::string(kStorylineSelect) + "WHERE l.id = ?1");
  if (!get) return Fail(get.error());
  std::vector<StorylineRecord> out;
  for (const auto& [last, id] : dated) {
    get->BindText(1, id);
    Result<bool> row = get->Step();
    if (!row) return Fail(row.error());
    if (*row) out.push_back(ReadStoryline(*get));
    get->Reset();
  }
  std::stable_sort(out.begin(), out.end(), [](const StorylineRecord& a, const StorylineRecord& b) {
    if (a.last_published != b.last_published) return a.last_published > b.last_published;
    if (a.size != b.size) return a.size > b.size;
    return a.id < b.id;
  });
  // Past the dated storylines: those without a dated story, largest first.
  if (out.size() < want) {
    Result<Statement> rest = Statement::Prepare(
        impl_->db, std::string(kStorylineSelect) + "ORDER BY l.size DESC, l.id");
    if (!rest) return Fail(rest.error());
    while (out.size() < want) {
      Result<bool> row = rest->Step();
      if (!row) return Fail(row.error());
      if (!*row) break;
      if (seen.contains(std::string(rest->Text(0)))) continue;
      out.push_back(ReadStoryline(*rest));
    }
  }
  if (out.size() <= static_cast<std::size_t>(offset)) return std::vector<StorylineRecord>{};
  out.erase(out.begin(), out.begin() + offset);
  if (out.size() > static_cast<std::size_t>(limit)) out.resize(static_cast<std::size_t>(limit));
  return out;
}

Result<std::int64_t> Store::CountStorylines() {
  Result<Statement> s = Statement::Prepare(impl_->db, "SELECT count(*) FROM storylines");
  if (!s) return Fail(s.error());
  if (Result<bool> row = s->Step(); !row) return Fail(row.error());
  return s->Int(0);
}

std::int64_t VolumeBucketSeconds(std::int64_t span_seconds) {
  constexpr std::int64_t kHour = 3600;
  constexpr std::int64_t kDay = 86400;
  if (span_seconds < 2 * kDay) return kHour;
  // Days of span + 1 buckets at most (the first and last partial days).
  const std::int64_t days = span_seconds / kDay + 2;
  return kDay * ((days + kMaxVolumeBuckets - 1) / kMaxVolumeBuckets);
}

Result<ArticleVolume> Store::ArticleVolumeOf(const std::string& id, bool storyline) {
  // A storyline's articles through its stories (stories_storyline, then
  // articles_story_published, which also holds the times), so no index on
  // articles.storyline is needed.
  const std::string scope =
      storyline ? "story IN (SELECT id FROM stories WHERE storyline = ?1)" : "story = ?1";
  Result<Statement> span = Statement::Prepare(
      impl_->db,
      "SELECT min(published_ts), max(published_ts), count(*) - count(published_ts) "
      "FROM articles WHERE " +
          scope);
  if (!span) return Fail(span.error());
  span->BindText(1, id);
  if (Result<bool> row = span->Step(); !row) return Fail(row.error());
  ArticleVolume out;
  out.undated = span->Int(2);
  if (span->IsNull(0)) return out;
  const std::int64_t bucket = VolumeBucketSeconds(span->Int(1) - span->Int(0));
  // Floor division, so that times before 1970 fall in the bucket below.
  auto floor_to = [bucket](std::int64_t t) {
    return (t >= 0 ? t : t - bucket + 1) / bucket * bucket;
  };
  const std::int64_t first = floor_to(span->Int(0));
  const std::int64_t last = floor_to(span->Int(1));
  out.bucket_seconds = bucket;
  const std::int64_t n = (last - first) / bucket + 1;
  out.buckets.reserve(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) out.buckets.push_back({first + i * bucket, 0});
  Result<Statement> st = Statement::Prepare(
      impl_->db, "SELECT (published_ts - ?2) / ?3, count(*) FROM articles WHERE " + scope +
                     " AND published_ts IS NOT NULL GROUP BY 1");
  if (!st) return Fail(st.error());
  st->BindText(1, id);
  st->BindInt(2, first);
  st->BindInt(3, bucket);
  while (true) {
    Result<bool> row = st->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    const std::int64_t i = st->Int(0);
    // The span was read by another statement: a row written in between
    // (WAL readers see one snapshot per statement) may fall outside it.
    if (i >= 0 && i < n) out.buckets[static_cast<std::size_t>(i)].count += st->Int(1);
  }
  return out;
}

Result<std::optional<std::int64_t>> Store::LatestPublished() {
  Result<Statement> s = Statement::Prepare(impl_->db, "SELECT max(published_ts) FROM articles");
  if (!s) return Fail(s.error());
  if (Result<bool> row = s->Step(); !row) return Fail(row.error());
  std::optional<std::int64_t> out;
  if (!s->IsNull(0)) out = s->Int(0);
  return out;
}

Result<std::vector<StoredArticle>> Store::ArticlesOfStory(const std::string& story) {
  Result<Statement> st = Statement::Prepare(
      impl_->db, std::string("SELECT ") + kArticleColumns +
                     " FROM articles WHERE story = ?1 ORDER BY published_ts NULLS LAST, key");
  if (!st) return Fail(st.error());
  st->BindText(1, story);
  std::vector<StoredArticle> out;
  while (true) {
    Result<bool> row = st->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    out.push_back(ReadArticle(*st));
  }
  return out;
}

Result<std::vector<StoredArticle>> Store::ArticleHeadsOfStory(const std::string& story,
                                                             std::int64_t limit,
                                                             bool newest_first,
                                                             std::int64_t lead_chars) {
  Result<Statement> st = Statement::Prepare(
      impl_->db,
      std::string("SELECT key, id, title, url, source, published, published_inferred, lang, "
                  "dup_group, copy_of, story, storyline, substr(body, 1, ?3) FROM articles "
                  "WHERE story = ?1 ORDER BY published_ts ") +
          (newest_first ? "DESC" : "ASC") + " NULLS LAST, key LIMIT ?2");
  if (!st) return Fail(st.error());
  st->BindText(1, story);
  st->BindInt(2, limit);
  st->BindInt(3, lead_chars);
  std::vector<StoredArticle> out;
  while (true) {
    Result<bool> row = st->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    StoredArticle a;
    a.key = st->Int(0);
    a.article.id = st->Text(1);
    a.article.title = st->Text(2);
    a.article.url = st->Text(3);
    a.article.source = st->Text(4);
    a.article.published = st->Text(5);
    a.article.published_inferred = st->Int(6) != 0;
    a.article.lang = st->Text(7);
    a.analysis.id = a.article.id;
    a.analysis.lang = a.article.lang;
    a.analysis.published = a.article.published;
    a.analysis.published_inferred = a.article.published_inferred;
    a.analysis.dup_group = st->Text(8);
    a.analysis.copy_of = st->Text(9);
    a.analysis.story = st->Text(10);
    a.analysis.storyline = st->Text(11);
    a.analysis.body = st->Text(12);
    out.push_back(std::move(a));
  }
  return out;
}

Result<std::int64_t> Store::CountArticlesOfStory(const std::string& story) {
  Result<Statement> st =
      Statement::Prepare(impl_->db, "SELECT count(*) FROM articles WHERE story = ?1");
  if (!st) return Fail(st.error());
  st->BindText(1, story);
  if (Result<bool> row = st->Step(); !row) return Fail(row.error());
  return st->Int(0);
}

Result<std::int64_t> Store::CountStories() {
  Result<Statement> s = Statement::Prepare(impl_->db, "SELECT count(*) FROM stories");
  if (!s) return Fail(s.error());
  if (Result<bool> row = s->Step(); !row) return Fail(row.error());
  return s->Int(0);
}

Status Store::ForEachSketch(
    const std::function<Status(std::int64_t, std::string_view, std::string_view)>& fn) {
  Result<Statement> st = Statement::Prepare(
      impl_->db, "SELECT key, id, sketch FROM articles WHERE sketch IS NOT NULL ORDER BY key");
  if (!st) return Fail(st.error());
  while (true) {
    Result<bool> row = st->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    if (Status s = fn(st->Int(0), st->Text(1), st->Blob(2)); !s) return s;
  }
  return Ok();
}

Status Store::PutState(const std::string& name, std::string_view value) {
  Result<Statement> st =
      Statement::Prepare(impl_->db, "INSERT OR REPLACE INTO state (name, value) VALUES (?1, ?2)");
  if (!st) return Fail(st.error());
  st->BindText(1, name);
  st->BindBlob(2, value.data(), value.size());
  return st->Run();
}

Result<std::optional<std::string>> Store::GetState(const std::string& name) {
  Result<Statement> st = Statement::Prepare(impl_->db, "SELECT value FROM state WHERE name = ?1");
  if (!st) return Fail(st.error());
  st->BindText(1, name);
  Result<bool> row = st->Step();
  if (!row) return Fail(row.error());
  std::optional<std::string> out;
  if (*row) out = std::string(st->Blob(0));
  return out;
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

Result<std::int64_t> Store::DataVersion() {
  Result<Statement> s = Statement::Prepare(impl_->db, "PRAGMA data_version");
  if (!s) return Fail(s.error());
  if (Result<bool> row = s->Step(); !row) return Fail(row.error());
  return s->Int(0);
}

// --- Search and listing ---------------------------------------------------

namespace {

// Matches a search ranks, per kind: the newest this many articles (and
// stories) that match. Ranking every match costs in proportion to the
// matches (a common word in a million articles: seconds); the newest
// matches are what a news search is for, and the cost stays bounded.
constexpr std::int64_t kSearchWindow = 2000;

bool IsWordByte(unsigned char c) {
  // Bytes of multi-byte UTF-8 sequences count as word characters: FTS5's
  // unicode61 tokenizer decides what they are.
  return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         c == '_';
}

// Turns user text into an FTS5 query that cannot be a syntax error: every
// word is a quoted string (so AND, NEAR and column names are plain words),
// "..." groups words into a phrase, word* is a prefix query. Two operators
// are understood as a search box's user expects: OR (in capitals, between
// two terms: either matches) and a leading minus (-word, -"a phrase": must
// not match). Terms side by side must all match; OR binds looser (FTS5's
// precedence: "a b OR c" is (a AND b) OR c). Returns "" when the text holds
// no word to look for (only exclusions count as none).
std::string ToFtsQuery(std::string_view text, std::vector<std::string>* phrases = nullptr) {
  struct Term {
    std::string text;  // quoted, with a trailing * for a prefix
    bool negated = false;
    bool is_or = false;
  };
  std::vector<Term> terms;
  auto quoted = [](std::string_view words, bool prefix) {
    std::string q = "\"" + std::string(words) + "\"";
    if (prefix) q += '*';
    return q;
  };
  std::size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    // A minus at the start of a word or phrase (not inside one) negates it.
    bool negated = false;
    if (c == '-' && i + 1 < text.size() && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t') &&
        (text[i + 1] == '"' || IsWordByte(static_cast<unsigned char>(text[i + 1])))) {
      negated = true;
      ++i;
    }
    const unsigned char d = static_cast<unsigned char>(text[i]);
    if (d == '"') {
      // A phrase: its words separated by single spaces.
      const std::size_t end = text.find('"', i + 1);
      const std::string_view inner =
          text.substr(i + 1, end == std::string_view::npos ? std::string_view::npos : end - i - 1);
      std::string phrase;
      std::size_t j = 0;
      while (j < inner.size()) {
        while (j < inner.size() && !IsWordByte(static_cast<unsigned char>(inner[j]))) ++j;
        const std::size_t start = j;
        while (j < inner.size() && IsWordByte(static_cast<unsigned char>(inner[j]))) ++j;
        if (j > start) {
          if (!phrase.empty()) phrase += ' ';
          phrase += inner.substr(start, j - start);
        }
      }
      if (!phrase.empty()) terms.push_back({quoted(phrase, false), negated, false});
      i = end == std::string_view::npos ? text.size() : end + 1;
      continue;
    }
    if (!IsWordByte(d)) {
      ++i;
      continue;
    }
    const std::size_t start = i;
    while (i < text.size() && IsWordByte(static_cast<unsigned char>(text[i]))) ++i;
    const std::string_view word = text.substr(start, i - start);
    const bool prefix = i < text.size() && text[i] == '*';
    if (prefix) ++i;
    if (word == "OR" && !negated && !prefix) {
      terms.push_back({"", false, true});
    } else {
      terms.push_back({quoted(word, prefix), negated, false});
    }
  }
  // The positive expression, with each OR kept only between two terms.
  std::string positive;
  bool pending_or = false;
  for (const Term& t : terms) {
    if (t.negated) continue;
    if (t.is_or) {
      pending_or = !positive.empty();
      continue;
    }
    if (!positive.empty()) positive += pending_or ? " OR " : " ";
    positive += t.text;
    pending_or = false;
  }
  if (positive.empty()) return "";
  std::string out = positive;
  bool negations = false;
  for (const Term& t : terms) {
    if (!t.negated) continue;
    if (!negations) out = "(" + out + ")";
    negations = true;
    out += " NOT " + t.text;
  }
  // The phrases in the order FTS5 numbers them: as they appear in `out`.
  if (phrases != nullptr) {
    phrases->clear();
    for (bool negated : {false, true}) {
      for (const Term& t : terms) {
        if (!t.is_or && t.negated == negated) phrases->push_back(t.text);
      }
    }
  }
  return out;
}

// How many rows of `table` (an FTS5 table) hold `term` (one quoted word,
// with a trailing * for a prefix): counted among its newest kDfSample
// matches; when there are more, estimated from how far back those reach
// (matches spread evenly over the rowids up to `max_rowid`).
constexpr std::int64_t kDfSample = 2000;

Result<double> EstimateRowsHolding(sqlite3* db, const std::string& table, const std::string& term,
                                   std::int64_t max_rowid) {
  Result<Statement> st =
      Statement::Prepare(db, "SELECT count(*), min(rowid) FROM (SELECT rowid FROM " + table +
                                 " WHERE " + table + " MATCH ?1 ORDER BY rowid DESC LIMIT ?2)");
  if (!st) return Fail(st.error());
  st->BindText(1, term);
  st->BindInt(2, kDfSample);
  if (Result<bool> row = st->Step(); !row) return Fail(row.error());
  const std::int64_t n = st->Int(0);
  if (n < kDfSample) return static_cast<double>(n);
  const std::int64_t span = std::max<std::int64_t>(1, max_rowid - st->Int(1) + 1);
  return static_cast<double>(n) * static_cast<double>(std::max(max_rowid, span)) /
         static_cast<double>(span);
}

// The storyline_rank(...) call ranking `table` for a query of `phrases`
// (ToFtsQuery's), with these column weights: each phrase's rows estimated
// as those of its rarest word.
Result<std::string> RankCall(sqlite3* db, const std::string& table, const char* max_rowid_sql,
                             const char* weights, const std::vector<std::string>& phrases) {
  Result<Statement> max_st = Statement::Prepare(db, max_rowid_sql);
  if (!max_st) return Fail(max_st.error());
  if (Result<bool> row = max_st->Step(); !row) return Fail(row.error());
  const std::int64_t max_rowid = max_st->Int(0);
  std::string call = "storyline_rank(" + table + ", " + weights;
  for (const std::string& phrase : phrases) {
    // phrase: "w1 w2 ..." with an optional trailing * on the last word.
    const bool prefix = !phrase.empty() && phrase.back() == '*';
    const std::string_view inner = std::string_view(phrase).substr(
        1, phrase.size() - (prefix ? 3 : 2));
    double rows = -1;
    std::size_t start = 0;
    while (start <= inner.size()) {
      std::size_t end = inner.find(' ', start);
      if (end == std::string_view::npos) end = inner.size();
      const bool last = end == inner.size();
      std::string word = "\"" + std::string(inner.substr(start, end - start)) + "\"";
      if (last && prefix) word += '*';
      Result<double> n = EstimateRowsHolding(db, table, word, max_rowid);
      if (!n) return Fail(n.error());
      rows = rows < 0 ? *n : std::min(rows, *n);
      start = end + 1;
    }
    call += ", " + std::to_string(std::max(rows, 0.0));
  }
  return call + ")";
}

// How a lang/source filter is joined. A selective value (few articles) is
// best driven from the articles index (IN: look up those few stories, then
// sort them); a common one from the stories' order index (EXISTS: walk the
// newest stories, probing each, until the page is full). Either plan alone
// is slow on the other case (measured: 0.9 s vs 20 ms at 20,000 stories).
struct FilterPlan {
  bool lang_in = false;
  bool source_in = false;
};

// A value held by fewer than this many articles counts as selective.
constexpr std::int64_t kSelectiveArticles = 2000;

Result<bool> IsSelective(sqlite3* db, const char* column, const std::string& value) {
  Result<Statement> st =
      Statement::Prepare(db, std::string("SELECT count(*) FROM (SELECT 1 FROM articles WHERE ") +
                                 column + " = ?1 LIMIT ?2)");
  if (!st) return Fail(st.error());
  st->BindText(1, value);
  st->BindInt(2, kSelectiveArticles);
  if (Result<bool> row = st->Step(); !row) return Fail(row.error());
  return st->Int(0) < kSelectiveArticles;
}

Result<FilterPlan> PlanFilter(sqlite3* db, const StoryFilter& f) {
  FilterPlan plan;
  if (!f.lang.empty()) {
    Result<bool> sel = IsSelective(db, "lang", f.lang);
    if (!sel) return Fail(sel.error());
    plan.lang_in = *sel;
  }
  if (!f.source.empty()) {
    Result<bool> sel = IsSelective(db, "source", f.source);
    if (!sel) return Fail(sel.error());
    plan.source_in = *sel;
  }
  return plan;
}

// Appends the WHERE clause of a StoryFilter; parameters: ?3 storyline,
// ?4 since, ?5 until, ?6 lang, ?7 source, ?8 FTS query, ?10 its window
// (?9: StoriesFrom()).
void AppendStoryWhere(const StoryFilter& f, const FilterPlan& plan, const std::string& fts,
                      std::string& sql) {
  sql += " WHERE 1";
  if (!f.storyline.empty()) sql += " AND s.storyline = ?3";
  if (f.since) sql += " AND s.last_published >= ?4";
  if (f.until) sql += " AND s.first_published <= ?5";
  if (!f.lang.empty()) {
    sql += plan.lang_in
               ? " AND s.id IN (SELECT story FROM articles WHERE lang = ?6)"
               : " AND EXISTS (SELECT 1 FROM articles a WHERE a.story = s.id AND a.lang = ?6)";
  }
  if (!f.source.empty()) {
    sql += plan.source_in
               ? " AND s.id IN (SELECT story FROM articles WHERE source = ?7)"
               : " AND EXISTS (SELECT 1 FROM articles a WHERE a.story = s.id AND a.source = ?7)";
  }
  if (!fts.empty()) {
    // The stories of the newest ?10 matching stories and articles (as for
    // Search: bounded cost on any store).
    sql +=
        " AND s.id IN (SELECT t.id FROM (SELECT rowid FROM stories_fts WHERE stories_fts MATCH ?8"
        " ORDER BY rowid DESC LIMIT ?10) f JOIN stories t ON t.rowid = f.rowid"
        " UNION SELECT a.story FROM (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?8"
        " ORDER BY rowid DESC LIMIT ?10) m JOIN articles a ON a.key = m.rowid"
        " WHERE a.story IS NOT NULL)";
  }
}

void BindStoryFilter(Statement& st, const StoryFilter& f, const std::string& fts) {
  if (!f.storyline.empty()) st.BindText(3, f.storyline);
  if (f.since) st.BindInt(4, *f.since);
  if (f.until) st.BindInt(5, *f.until);
  if (!f.lang.empty()) st.BindText(6, f.lang);
  if (!f.source.empty()) st.BindText(7, f.source);
  if (!fts.empty()) {
    st.BindText(8, fts);
    st.BindInt(10, kSearchWindow);
  }
  if (f.order == "rising" && f.rising_since) st.BindInt(9, *f.rising_since);
}

// A filter with words but nothing FTS5 can match (only punctuation) matches
// no story; one with no text at all matches every story.
bool MatchesNothing(const StoryFilter& f, const std::string& fts) {
  return fts.empty() && f.text.find_first_not_of(" \t\r\n") != std::string::npos;
}

Result<std::vector<ValueCount>> CountValues(sqlite3* db, const std::string& sql,
                                            std::int64_t limit) {
  Result<Statement> st = Statement::Prepare(db, sql);
  if (!st) return Fail(st.error());
  st->BindInt(1, limit);
  std::vector<ValueCount> out;
  while (true) {
    Result<bool> row = st->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    out.push_back(ValueCount{std::string(st->Text(0)), st->Int(1)});
  }
  return out;
}

}  // namespace

namespace {

// Checks a filter's order and page; kInvalidArgument when wrong.
Status ValidateOrder(const StoryFilter& f) {
  if (f.order != "recent" && f.order != "largest" && f.order != "rising") {
    return MakeError(ErrorCode::kInvalidArgument,
                     "unknown story order '" + f.order + "' (recent, largest or rising)");
  }
  if (f.order == "rising" && !f.rising_since) {
    return MakeError(ErrorCode::kInvalidArgument, "order rising needs rising_since");
  }
  if (f.limit < 0 || f.offset < 0) {
    return MakeError(ErrorCode::kInvalidArgument, "limit and offset must not be negative");
  }
  return Ok();
}

// The stories FROM clause: for "rising", joined to their articles published
// since ?9, counted per story (a range of the covering index
// articles_published_story: the cost is the window's articles, not the
// store's; without INDEXED BY the planner walks articles_story_published
// instead).
std::string StoriesFrom(const StoryFilter& f) {
  if (f.order != "rising") return " FROM stories s";
  return " FROM stories s JOIN (SELECT story, count(*) AS gained FROM articles"
         " INDEXED BY articles_published_story"
         " WHERE published_ts >= ?9 AND story IS NOT NULL GROUP BY story) r ON r.story = s.id";
}

}  // namespace

Result<std::vector<StoryRecord>> Store::FindStories(const StoryFilter& f) {
  if (Status ok = ValidateOrder(f); !ok) return Fail(ok.error());
  const std::string fts = ToFtsQuery(f.text);
  if (MatchesNothing(f, fts)) return std::vector<StoryRecord>{};
  if (!fts.empty()) {
    if (Status s = impl_->NarrowQueryLanguages(); !s) return Fail(s.error());
  }
  Result<FilterPlan> plan = PlanFilter(impl_->db, f);
  if (!plan) return Fail(plan.error());
  const bool rising = f.order == "rising";
  std::string sql =
      "SELECT s.id, s.storyline, s.title, s.size, s.first_published, "
      "s.last_published, s.digest";
  sql += rising ? ", r.gained" : "";
  sql += StoriesFrom(f);
  AppendStoryWhere(f, *plan, fts, sql);
  // The same expressions as the stories_recent / stories_largest indexes, so
  // that a page is an index walk, not a sort of every story. "rising" sorts
  // the window's stories, which the join has already bounded.
  if (rising) {
    sql +=
        " ORDER BY r.gained DESC, r.gained * 1.0 / max(s.size, 1) DESC,"
        " s.last_published DESC, s.id";
  } else if (f.order == "largest") {
    sql += " ORDER BY s.size DESC, s.last_published DESC, s.id";
  } else {
    sql += " ORDER BY s.last_published DESC, s.size DESC, s.id";
  }
  sql += " LIMIT ?1 OFFSET ?2";
  Result<Statement> st = Statement::Prepare(impl_->db, sql);
  if (!st) return Fail(st.error());
  st->BindInt(1, f.limit);
  st->BindInt(2, f.offset);
  BindStoryFilter(*st, f, fts);
  std::vector<StoryRecord> out;
  while (true) {
    Result<bool> row = st->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    out.push_back(ReadStory(*st));
    if (rising) out.back().gained = st->Int(7);
  }
  return out;
}

Result<std::int64_t> Store::CountStoriesMatching(const StoryFilter& f, std::int64_t cap) {
  if (Status ok = ValidateOrder(f); !ok) return Fail(ok.error());
  const std::string fts = ToFtsQuery(f.text);
  if (MatchesNothing(f, fts)) return std::int64_t{0};
  if (!fts.empty()) {
    if (Status s = impl_->NarrowQueryLanguages(); !s) return Fail(s.error());
  }
  Result<FilterPlan> plan = PlanFilter(impl_->db, f);
  if (!plan) return Fail(plan.error());
  std::string sql = "SELECT count(*) FROM (SELECT 1" + StoriesFrom(f);
  AppendStoryWhere(f, *plan, fts, sql);
  sql += " LIMIT ?1)";
  Result<Statement> st = Statement::Prepare(impl_->db, sql);
  if (!st) return Fail(st.error());
  st->BindInt(1, cap);
  BindStoryFilter(*st, f, fts);
  if (Result<bool> row = st->Step(); !row) return Fail(row.error());
  return st->Int(0);
}

Result<bool> Store::TextFilterTruncated(const StoryFilter& f) {
  const std::string fts = ToFtsQuery(f.text);
  if (fts.empty()) return false;
  if (Status s = impl_->NarrowQueryLanguages(); !s) return Fail(s.error());
  for (const char* table : {"articles_fts", "stories_fts"}) {
    Result<Statement> st = Statement::Prepare(
        impl_->db, std::string("SELECT count(*) FROM (SELECT rowid FROM ") + table + " WHERE " +
                       table + " MATCH ?1 ORDER BY rowid DESC LIMIT ?2)");
    if (!st) return Fail(st.error());
    st->BindText(1, fts);
    st->BindInt(2, kSearchWindow);
    if (Result<bool> row = st->Step(); !row) return Fail(row.error());
    if (st->Int(0) >= kSearchWindow) return true;
  }
  return false;
}

namespace {

// Characters of an article (title and the start of its body) that snippets
// are cut from.
constexpr std::int64_t kSnippetChars = 8192;


// The first words of `text`, about as long as an FTS5 snippet, "…" when cut.
std::string LeadOf(std::string_view text) {
  std::size_t end = 0;
  int words = 0;
  while (end < text.size() && words < 24) {
    while (end < text.size() && text[end] == ' ') ++end;
    while (end < text.size() && text[end] != ' ' && text[end] != '\n') ++end;
    ++words;
    if (end < text.size() && text[end] == '\n') break;
  }
  std::string out(text.substr(0, end));
  if (end < text.size()) out += "…";
  return out;
}

// Fills the snippets of `hits` (articles with store keys `keys`). FTS5's
// snippet() over a whole article costs the square of the query's hits in
// it (a word repeated 50,000 times: 24 s), so snippets come from a private
// temporary index of the hits' titles and the first kSnippetChars of their
// bodies: the same tokenizer, the same markers, bounded cost. A hit whose
// match lies further in gets the start of its body.
Status ArticleSnippets(sqlite3* db, const std::string& fts, std::span<const std::int64_t> keys,
                       std::vector<SearchHit>& hits) {
  if (keys.empty()) return Ok();
  if (Status s = Exec(db,
                      "CREATE VIRTUAL TABLE IF NOT EXISTS temp.snippet_fts USING fts5("
                      "title, body, tokenize='storyline remove_diacritics 2');"
                      "DELETE FROM temp.snippet_fts;");
      !s) {
    return s;
  }
  Result<Statement> ins = Statement::Prepare(db, R"sql(
INSERT INTO temp.snippet_fts (rowid, title, body)
SELECT key, char(1) || coalesce(lang, '') || char(1) || title,
  char(1) || coalesce(lang, '') || char(1) || substr(body, 1, ?2)
FROM articles WHERE key = ?1)sql");
  if (!ins) return Fail(ins.error());
  for (std::int64_t key : keys) {
    ins->BindInt(1, key);
    ins->BindInt(2, kSnippetChars);
    if (Status s = ins->Run(); !s) return s;
    ins->Reset();
  }
  std::unordered_map<std::int64_t, std::string> snippets;
  Result<Statement> sn = Statement::Prepare(db, R"sql(
SELECT rowid, snippet(snippet_fts, -1, char(2), char(3), '…', 24)
FROM temp.snippet_fts WHERE snippet_fts MATCH ?1)sql");
  if (!sn) return Fail(sn.error());
  sn->BindText(1, fts);
  while (true) {
    Result<bool> row = sn->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    snippets[sn->Int(0)] = StripLanguageMarker(sn->Text(1));
  }
  Result<Statement> lead =
      Statement::Prepare(db, "SELECT body FROM temp.snippet_fts WHERE rowid = ?1");
  if (!lead) return Fail(lead.error());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (auto it = snippets.find(keys[i]); it != snippets.end()) {
      hits[i].snippet = std::move(it->second);
      continue;
    }
    lead->BindInt(1, keys[i]);
    Result<bool> row = lead->Step();
    if (!row) return Fail(row.error());
    if (*row) hits[i].snippet = LeadOf(StripLanguageMarker(lead->Text(0)));
    lead->Reset();
  }
  return Exec(db, "DELETE FROM temp.snippet_fts");
}

}  // namespace

Result<SearchResults> Store::Search(const SearchQuery& q) {
  if (q.limit < 0 || q.offset < 0) {
    return MakeError(ErrorCode::kInvalidArgument, "limit and offset must not be negative");
  }
  SearchResults out;
  std::vector<std::string> phrases;
  const std::string fts = ToFtsQuery(q.text, &phrases);
  if (fts.empty()) return out;
  if (Status s = impl_->NarrowQueryLanguages(); !s) return Fail(s.error());
  Result<std::string> article_rank = RankCall(impl_->db, "articles_fts",
                                              "SELECT max(key) FROM articles", "4.0, 1.0", phrases);
  if (!article_rank) return Fail(article_rank.error());
  Result<std::string> story_rank =
      RankCall(impl_->db, "stories_fts", "SELECT max(rowid) FROM stories", "4.0, 2.0, 2.0, 1.0",
               phrases);
  if (!story_rank) return Fail(story_rank.error());
  // The newest kSearchWindow matches (FTS5 walks its doclists backwards and
  // stops), ranked by relevance: BM25 (fts_rank.h) with estimated document
  // counts, title matches weighing more than body matches. The copies of one wire story (one duplicate
  // group) are one hit: the best-ranked of them, with how many of the group
  // matched. The window's last row is fetched to tell whether it was full;
  // the hit count (distinct groups in the window) is then a lower bound.
  Result<Statement> st = Statement::Prepare(impl_->db, R"sql(
WITH recent AS (
  SELECT rowid AS key, )sql" + *article_rank + R"sql( AS score FROM articles_fts
  WHERE articles_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?4),
hits AS (
  SELECT w.key AS key, a.id AS id, a.title AS title, w.score AS score, a.story AS story,
         a.source AS source, a.published AS published, a.lang AS lang,
         coalesce(a.dup_group, a.id) AS grp
  FROM recent w JOIN articles a ON a.key = w.key),
grouped AS (
  SELECT *, row_number() OVER (PARTITION BY grp ORDER BY score DESC, key) AS rank_in_group,
         count(*) OVER (PARTITION BY grp) AS copies
  FROM hits)
SELECT key, id, title, score, story, source, published, lang, copies,
       (SELECT count(*) FROM grouped WHERE rank_in_group = 1),
       (SELECT count(*) FROM recent)
FROM grouped WHERE rank_in_group = 1 ORDER BY score DESC, key
LIMIT ?2 OFFSET ?3)sql");
  if (!st) return Fail(st.error());
  st->BindText(1, fts);
  st->BindInt(2, q.limit);
  st->BindInt(3, q.offset);
  st->BindInt(4, kSearchWindow);
  std::vector<std::int64_t> keys;
  while (true) {
    Result<bool> row = st->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    keys.push_back(st->Int(0));
    SearchHit h;
    h.id = st->Text(1);
    h.title = st->Text(2);
    h.score = st->Double(3);
    h.story = st->Text(4);
    h.source = st->Text(5);
    h.published = st->Text(6);
    h.lang = st->Text(7);
    h.copies = st->Int(8);
    out.total_articles = st->Int(9);
    out.total_articles_exact = st->Int(10) < kSearchWindow;
    out.articles.push_back(std::move(h));
  }
  if (Status s = ArticleSnippets(impl_->db, fts, keys, out.articles); !s) return Fail(s.error());
  Result<Statement> ss = Statement::Prepare(impl_->db, R"sql(
WITH recent AS (
  SELECT rowid AS rid, )sql" + *story_rank + R"sql( AS score
  FROM stories_fts WHERE stories_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?4)
SELECT s.id, s.title, w.rid, w.score, s.size, (SELECT count(*) FROM recent)
FROM recent w JOIN stories s ON s.rowid = w.rid
ORDER BY w.score DESC, s.id
LIMIT ?2 OFFSET ?3)sql");
  if (!ss) return Fail(ss.error());
  ss->BindText(1, fts);
  ss->BindInt(2, q.limit);
  ss->BindInt(3, q.offset);
  ss->BindInt(4, kSearchWindow);
  std::vector<std::int64_t> story_rids;
  while (true) {
    Result<bool> row = ss->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    SearchHit h;
    h.id = ss->Text(0);
    h.title = ss->Text(1);
    story_rids.push_back(ss->Int(2));
    h.score = ss->Double(3);
    h.size = ss->Int(4);
    out.total_stories = ss->Int(5);
    out.total_stories_exact = out.total_stories < kSearchWindow;
    out.stories.push_back(std::move(h));
  }
  // Snippets for the page's stories only (a story digest is short: FTS5's
  // snippet() over it is cheap).
  Result<Statement> sn = Statement::Prepare(impl_->db, R"sql(
SELECT snippet(stories_fts, -1, char(2), char(3), '…', 24) FROM stories_fts
WHERE stories_fts MATCH ?1 AND rowid = ?2)sql");
  if (!sn) return Fail(sn.error());
  for (std::size_t i = 0; i < story_rids.size(); ++i) {
    sn->BindText(1, fts);
    sn->BindInt(2, story_rids[i]);
    Result<bool> row = sn->Step();
    if (!row) return Fail(row.error());
    if (*row) out.stories[i].snippet = StripLanguageMarker(sn->Text(0));
    sn->Reset();
  }
  // A page past the end has no row to carry the totals: count them alone.
  for (auto [page_empty, sql, total, exact] :
       {std::tuple{out.articles.empty(),"SELECT count(DISTINCT coalesce(a.dup_group, a.id)), count(*) FROM ("
                     "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?1 "
                     "ORDER BY rowid DESC LIMIT ?2) w JOIN articles a ON a.key = w.rowid",
                     &out.total_articles, &out.total_articles_exact},
          std::tuple{out.stories.empty(),
                     "SELECT count(*), count(*) FROM (SELECT rowid FROM stories_fts "
                     "WHERE stories_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?2)",
                     &out.total_stories, &out.total_stories_exact}}) {
      if (!page_empty) continue;
      Result<Statement> c = Statement::Prepare(impl_->db, sql);
      if (!c) return Fail(c.error());
      c->BindText(1, fts);
      c->BindInt(2, kSearchWindow);
      if (Result<bool> row = c->Step(); !row) return Fail(row.error());
      *total = c->Int(0);
      *exact = c->Int(1) < kSearchWindow;
  }
  return out;
}

Result<std::vector<std::pair<std::string, std::vector<std::string>>>> Store::LanguagesOfStories(
    std::span<const std::string> story_ids) {
  Result<Statement> st = Statement::Prepare(
      impl_->db,
      "SELECT coalesce(lang, 'und'), count(*) AS n FROM articles WHERE story = ?1 "
      "GROUP BY 1 ORDER BY n DESC, 1");
  if (!st) return Fail(st.error());
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  for (const std::string& id : story_ids) {
    st->BindText(1, id);
    std::vector<std::string> langs;
    while (true) {
      Result<bool> row = st->Step();
      if (!row) {
        st->Reset();
        return Fail(row.error());
      }
      if (!*row) break;
      langs.emplace_back(st->Text(0));
    }
    st->Reset();
    if (!langs.empty()) out.emplace_back(id, std::move(langs));
  }
  return out;
}

Result<std::vector<ValueCount>> Store::CountArticlesByLanguage() {
  return CountValues(impl_->db,
                     "SELECT lang, count(*) AS n FROM articles WHERE lang IS NOT NULL "
                     "GROUP BY lang ORDER BY n DESC, lang LIMIT ?1",
                     1000);
}

Result<std::vector<ValueCount>> Store::CountArticlesBySource(std::int64_t limit) {
  return CountValues(impl_->db,
                     "SELECT source, count(*) AS n FROM articles WHERE source IS NOT NULL "
                     "GROUP BY source ORDER BY n DESC, source LIMIT ?1",
                     limit);
}

}  // namespace storyline::store
