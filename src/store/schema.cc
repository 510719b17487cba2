#include "store/schema.h"

#include <iterator>
#include <string>

#include "store/sqlite.h"
#include "storyline/store/store.h"

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
    // 6 -> 7: merging two storylines relabels the articles of one; without
    // an index on the column that read every article of the store, for
    // every merge, so the cost of a batch grew with the store.
    R"sql(
CREATE INDEX articles_storyline ON articles(storyline);
)sql",
    // 7 -> 8: an analysis whose body is the text's body lines stores NULL
    // there (body_text.h): the search index's view and triggers read
    // coalesce(body, storyline_body(text, lines)), and re-index when the
    // text or the roles change under a derived body. Bodies stored before
    // stay as they are.
    R"sql(
DROP TRIGGER articles_fts_ai;
DROP TRIGGER articles_fts_ad;
DROP TRIGGER articles_fts_au;
DROP VIEW articles_search;
CREATE VIEW articles_search AS
SELECT key,
  char(1) || coalesce(lang, '') || char(1) || title AS title,
  char(1) || coalesce(lang, '') || char(1) || coalesce(body, storyline_body(text, lines)) AS body
FROM articles;
CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
  INSERT INTO articles_fts(rowid, title, body) VALUES (new.key,
    char(1) || coalesce(new.lang, '') || char(1) || new.title,
    char(1) || coalesce(new.lang, '') || char(1) ||
      coalesce(new.body, storyline_body(new.text, new.lines)));
END;
CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
  INSERT INTO articles_fts(articles_fts, rowid, title, body) VALUES ('delete', old.key,
    char(1) || coalesce(old.lang, '') || char(1) || old.title,
    char(1) || coalesce(old.lang, '') || char(1) ||
      coalesce(old.body, storyline_body(old.text, old.lines)));
END;
CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, text, body, lines, lang ON articles
WHEN old.title IS NOT new.title OR old.body IS NOT new.body OR old.lang IS NOT new.lang OR
  ((old.body IS NULL OR new.body IS NULL) AND
   (old.text IS NOT new.text OR old.lines IS NOT new.lines)) BEGIN
  INSERT INTO articles_fts(articles_fts, rowid, title, body) VALUES ('delete', old.key,
    char(1) || coalesce(old.lang, '') || char(1) || old.title,
    char(1) || coalesce(old.lang, '') || char(1) ||
      coalesce(old.body, storyline_body(old.text, old.lines)));
  INSERT INTO articles_fts(rowid, title, body) VALUES (new.key,
    char(1) || coalesce(new.lang, '') || char(1) || new.title,
    char(1) || coalesce(new.lang, '') || char(1) ||
      coalesce(new.body, storyline_body(new.text, new.lines)));
END;
)sql",
    // 8 -> 9: article text, HTML and line roles may be zstd frames, as
    // BLOBs (plain text stays TEXT, so rows written before read as they
    // are), and a state value says how it is stored: 0 as put, 1 a zstd
    // frame (compressed.h). storyline_body reads either form of its
    // arguments.
    R"sql(
ALTER TABLE state ADD COLUMN encoding INTEGER NOT NULL DEFAULT 0;
)sql",
};
static_assert(std::size(kMigrations) == Store::kSchemaVersion);

Result<int> UserVersion(sqlite3* db) {
  Result<Statement> v = Statement::Prepare(db, "PRAGMA user_version");
  if (!v) return Fail(v.error());
  Result<bool> row = v->Step();
  if (!row) return Fail(row.error());
  return static_cast<int>(v->Int(0));
}

}  // namespace

Status MigrateSchema(sqlite3* db) {
  constexpr int kSchemaVersion = Store::kSchemaVersion;
  Result<int> version = UserVersion(db);
  if (!version) return Fail(version.error());
  if (*version == kSchemaVersion) return Ok();
  if (*version < kSchemaVersion) {
    if (Status s = Exec(db, "BEGIN IMMEDIATE"); !s) return s;
    version = UserVersion(db);
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
      return Fail(Error{ErrorCode::kStore, "migration to schema version " + std::to_string(i + 1) +
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

}  // namespace storyline::store
