#include "storyline/store/store.h"

#include <xxhash.h>

#include <span>
#include <unordered_map>
#include <unordered_set>

#include "store/body_text.h"
#include "store/compressed.h"
#include "store/fts_rank.h"
#include "store/fts_tokenizer.h"
#include "store/records.h"
#include "store/schema.h"
#include "store/search.h"
#include "store/sqlite.h"
#include "store/story_query.h"
#include "storyline/core/date.h"
#include "storyline/store/digest_json.h"

namespace storyline::store {
namespace {

// Binds a publication date as given at `column` and its time (or NULL when
// it does not parse) at `column` + 1.
void BindPublished(Statement& st, int column, const std::string& published) {
  st.BindTextOrNull(column, published);
  if (Result<Timestamp> t = ParseIso8601(published); !published.empty() && t) {
    st.BindInt(column + 1, *t);
  } else {
    st.BindNull(column + 1);
  }
}

// The state table's `encoding` column (schema 9): the value as put, or its
// zstd frame.
constexpr std::int64_t kStatePlain = 0;
constexpr std::int64_t kStateZstd = 1;

constexpr const char* kArticleColumns =
    "key, id, title, text, html, url, source, published, published_inferred, lang, origin, "
    "content_hash, revision, analysed_revision, lang_confidence, body, lines, sketch, dup_group, "
    "copy_of, story, storyline";

// Column `col` of article text, HTML or line roles: a zstd frame when it is
// a BLOB (compressed.h), the text itself otherwise.
Result<std::string> ReadTextColumn(const Statement& s, int col, const char* what,
                                   std::string_view id) {
  if (!s.IsBlob(col)) return std::string(s.Text(col));
  Result<std::string> text = internal::DecompressValue(s.Blob(col));
  if (!text) {
    return MakeError(text.error().code,
                     "article '" + std::string(id) + "', " + what + ": " + text.error().message);
  }
  return text;
}

// `text` as the store keeps it: `frame`, its compressed form when that
// pays (compressed.h), or the text itself.
void BindStoredText(Statement& st, int column, const std::string& text,
                    const std::optional<std::string>& frame, bool null_if_empty) {
  if (frame) {
    st.BindBlob(column, frame->data(), frame->size());
  } else if (null_if_empty) {
    st.BindTextOrNull(column, text);
  } else {
    st.BindText(column, text);
  }
}

Result<StoredArticle> ReadArticle(const Statement& s) {
  StoredArticle out;
  out.key = s.Int(0);
  Article& a = out.article;
  a.id = s.Text(1);
  a.title = s.Text(2);
  Result<std::string> text = ReadTextColumn(s, 3, "text", a.id);
  if (!text) return Fail(text.error());
  a.text = std::move(*text);
  Result<std::string> html = ReadTextColumn(s, 4, "html", a.id);
  if (!html) return Fail(html.error());
  a.html = std::move(*html);
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
  Result<std::string> lines = ReadTextColumn(s, 16, "line roles", a.id);
  if (!lines) return Fail(lines.error());
  an.lines = internal::DecodeLines(*lines);
  // NULL: the body is the one the line roles give (body_text.h).
  an.body = s.IsNull(15) ? DerivedBody(a.text, an.lines).value_or("") : std::string(s.Text(15));
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
  Statement get_key;
  std::function<bool()> interrupt;

  static int OnProgress(void* self) {
    const auto* impl = static_cast<const Impl*>(self);
    return impl->interrupt && impl->interrupt() ? 1 : 0;
  }

  ~Impl() {
    upsert = Statement();
    get = Statement();
    get_key = Statement();
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
  if (Status s = RegisterBodyFunction(impl->db); !s) {
    return Fail(Error{s.error().code, path + ": " + s.error().message});
  }
  if (!options.read_only) {
    // Two writers opening a new file at once race to switch it to WAL and to
    // create the schema: both steps wait out the other writer.
    sqlite3* db = impl->db;
    // A new file gets 2 KB pages (a file that exists keeps its own). An
    // article's row is a few kilobytes once its text is compressed, and
    // SQLite keeps a varying part of a large row on its leaf page: with 4 KB
    // pages a leaf held one or two such parts and a third of the table was
    // empty space (20k wire copies: 222 MB with 4 KB pages, 205 MB with 2 KB,
    // the same ingest time).
    if (Status s = Exec(db, "PRAGMA page_size = 2048"); !s) return Fail(s.error());
    if (Status s = RetryWhileBusy(db, options.busy_timeout_ms,
                                  [db] { return Exec(db, "PRAGMA journal_mode = WAL"); });
        !s) {
      return Fail(Error{ErrorCode::kStore, path + ": " + s.error().message});
    }
    // The batch's rows are staged in temporary tables (see PutAnalyses):
    // in memory, not in a file written and read back.
    if (Status s = Exec(impl->db, "PRAGMA temp_store = MEMORY"); !s) return Fail(s.error());
    const std::string sync = options.synchronous_full ? "FULL" : "NORMAL";
    if (Status s = Exec(impl->db, "PRAGMA synchronous = " + sync); !s) return Fail(s.error());
    if (Status s = RetryWhileBusy(db, options.busy_timeout_ms, [db] { return MigrateSchema(db); });
        !s) {
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

namespace {

// The content hash and revision of every stored article among the staged
// ones (temp.pending_articles), by id.
Result<std::unordered_map<std::string, std::int64_t>> StoredHashes(sqlite3* db) {
  Result<Statement> st = Statement::Prepare(db, R"sql(
SELECT a.id, a.content_hash FROM articles a
WHERE a.id IN (SELECT id FROM temp.pending_articles))sql");
  if (!st) return Fail(st.error());
  std::unordered_map<std::string, std::int64_t> out;
  while (true) {
    Result<bool> row = st->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    out.emplace(std::string(st->Text(0)), st->Int(1));
  }
  return out;
}

// The upsert of staged articles: kUpsertStaged, a WHERE clause choosing
// the rows, then kUpsertConflict.
constexpr const char* kUpsertStaged = R"sql(
INSERT INTO articles (id, title, text, html, url, source, published, published_ts,
                      published_inferred, lang, origin, content_hash, ingested_at)
SELECT id, title, text, html, url, source, published, published_ts, published_inferred, lang,
  origin, content_hash, ingested_at FROM temp.pending_articles )sql";
constexpr const char* kUpsertConflict = R"sql(
ON CONFLICT(id) DO UPDATE SET
  title = excluded.title, text = excluded.text, html = excluded.html, url = excluded.url,
  source = excluded.source, published = excluded.published,
  published_ts = excluded.published_ts, published_inferred = excluded.published_inferred,
  lang = excluded.lang, origin = excluded.origin, content_hash = excluded.content_hash,
  ingested_at = excluded.ingested_at, revision = revision + 1,
  body = coalesce(body, storyline_body(text, lines))
WHERE content_hash != excluded.content_hash)sql";

// `failure`, naming the staged article it comes from: the one-statement
// upsert failed (and changed nothing), so the rows are tried one at a time,
// in a savepoint rolled back afterwards, until one fails.
Error NameFailingArticle(sqlite3* db, Error failure) {
  if (!Exec(db, "SAVEPOINT storyline_find_failure")) return failure;
  Result<Statement> one =
      Statement::Prepare(db, std::string(kUpsertStaged) + "WHERE rowid = ?1" + kUpsertConflict);
  Result<Statement> rows =
      Statement::Prepare(db, "SELECT rowid, id FROM temp.pending_articles ORDER BY rowid");
  if (one && rows) {
    while (true) {
      Result<bool> row = rows->Step();
      if (!row || !*row) break;
      one->BindInt(1, rows->Int(0));
      if (Status s = one->Run(); !s) {
        failure = Error{s.error().code,
                        "article '" + std::string(rows->Text(1)) + "': " + s.error().message};
        break;
      }
    }
  }
  Exec(db, "ROLLBACK TO storyline_find_failure; RELEASE storyline_find_failure");
  return failure;
}

}  // namespace

Result<std::vector<PutOutcome>> Store::PutArticles(std::span<const Article> articles,
                                                   const ParallelFor& parallel) {
  // Staged, then written in one upsert: each statement writing through the
  // search index's triggers makes the index write out its pending terms
  // (see PutAnalyses). The upsert changes nothing when the content hash is
  // the same; rows are taken in order, so an id given twice is inserted,
  // then updated, as when each was written in turn.
  sqlite3* db = impl_->db;
  std::vector<PutOutcome> out;
  if (articles.empty()) return out;
  Transaction tx(db);
  if (Status s = tx.Begin(); !s) return Fail(s.error());
  if (Status s = Exec(db, R"sql(
CREATE TEMP TABLE IF NOT EXISTS pending_articles (
  id TEXT NOT NULL, title TEXT, text TEXT NOT NULL, html TEXT, url TEXT, source TEXT,
  published TEXT, published_ts INTEGER, published_inferred INTEGER, lang TEXT, origin TEXT,
  content_hash INTEGER, ingested_at INTEGER);
DELETE FROM temp.pending_articles;
)sql");
      !s) {
    return Fail(s.error());
  }
  if (!impl_->upsert.Prepared()) {
    Result<Statement> s = Statement::Prepare(db, R"sql(
INSERT INTO temp.pending_articles VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,
  ?13))sql");
    if (!s) return Fail(s.error());
    impl_->upsert = std::move(*s);
  }
  Statement& st = impl_->upsert;
  const Timestamp now = SystemClock().Now();
  std::vector<std::int64_t> hashes;
  hashes.reserve(articles.size());
  for (const Article& a : articles) hashes.push_back(static_cast<std::int64_t>(ContentHash(a)));
  // Only what the upsert will write is compressed: an article stored with
  // the same content hash is left as it is (re-reading an input is a no-op),
  // so its staged text is never read.
  Result<Statement> stored_hash =
      Statement::Prepare(db, "SELECT content_hash FROM articles WHERE id = ?1");
  if (!stored_hash) return Fail(stored_hash.error());
  std::vector<bool> writes(articles.size(), true);
  for (std::size_t i = 0; i < articles.size(); ++i) {
    stored_hash->BindText(1, articles[i].id);
    Result<bool> row = stored_hash->Step();
    if (!row) return Fail(row.error());
    writes[i] = !*row || stored_hash->Int(0) != hashes[i];
    stored_hash->Reset();
  }
  // The stored forms of each written article's text and HTML
  // (compressed.h), on the caller's threads when it lends them: compressing
  // is most of the time a batch takes here.
  std::vector<std::optional<std::string>> frames(articles.size() * 2);
  auto compress = [&](std::size_t i) {
    if (!writes[i / 2]) return;
    const Article& a = articles[i / 2];
    frames[i] = internal::CompressValue(i % 2 == 0 ? a.text : a.html, internal::kTextLevel);
  };
  if (parallel) {
    parallel(frames.size(), compress);
  } else {
    for (std::size_t i = 0; i < frames.size(); ++i) compress(i);
  }
  for (std::size_t i = 0; i < articles.size(); ++i) {
    const Article& a = articles[i];
    st.BindText(1, a.id);
    st.BindTextOrNull(2, a.title);
    BindStoredText(st, 3, a.text, frames[2 * i], false);
    BindStoredText(st, 4, a.html, frames[2 * i + 1], true);
    st.BindTextOrNull(5, a.url);
    st.BindTextOrNull(6, a.source);
    BindPublished(st, 7, a.published);
    st.BindInt(9, a.published_inferred ? 1 : 0);
    st.BindTextOrNull(10, a.lang);
    st.BindTextOrNull(11, a.origin);
    st.BindInt(12, hashes[i]);
    st.BindInt(13, now);
    if (Status s = st.Run(); !s) {
      return Fail(Error{s.error().code, "article '" + a.id + "': " + s.error().message});
    }
  }
  // Each article's outcome: against the stored hash, or against the same
  // id earlier in this call.
  Result<std::unordered_map<std::string, std::int64_t>> stored = StoredHashes(db);
  if (!stored) return Fail(stored.error());
  out.reserve(articles.size());
  for (std::size_t i = 0; i < articles.size(); ++i) {
    auto [it, fresh] = stored->emplace(articles[i].id, hashes[i]);
    if (fresh) {
      out.push_back(PutOutcome::kInserted);
    } else {
      out.push_back(it->second == hashes[i] ? PutOutcome::kUnchanged : PutOutcome::kUpdated);
      it->second = hashes[i];
    }
  }
  if (Status s = Exec(db, std::string(kUpsertStaged) + "WHERE true ORDER BY rowid" +
                              kUpsertConflict + "; DELETE FROM temp.pending_articles;");
      !s) {
    return Fail(NameFailingArticle(db, s.error()));
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
  if (*row) {
    Result<StoredArticle> a = ReadArticle(st);
    if (!a) {
      st.Reset();
      return Fail(a.error());
    }
    out = std::move(*a);
  }
  st.Reset();
  return out;
}

Result<std::optional<Store::ArticleKey>> Store::GetArticleKey(const std::string& id) {
  if (!impl_->get_key.Prepared()) {
    Result<Statement> s =
        Statement::Prepare(impl_->db, "SELECT key, revision FROM articles WHERE id = ?1");
    if (!s) return Fail(s.error());
    impl_->get_key = std::move(*s);
  }
  Statement& st = impl_->get_key;
  st.BindText(1, id);
  Result<bool> row = st.Step();
  if (!row) {
    st.Reset();
    return Fail(row.error());
  }
  std::optional<ArticleKey> out;
  if (*row) out = ArticleKey{.key = st.Int(0), .revision = st.Int(1)};
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
    Result<StoredArticle> a = ReadArticle(*s);
    if (!a) return Fail(a.error());
    if (Status st = fn(*a); !st) return st;
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
  r.digest = DigestFromJson(nlohmann::json::parse(s.Text(6), nullptr, /*allow_exceptions=*/false));
  return r;
}

constexpr const char* kStoryColumns =
    "id, storyline, title, size, first_published, last_published, digest";

// The columns every duplicate query selects: the pair, then the copy_of of
// each of its articles, which orient it, then the body of a when the
// evidence is ranges of it.
constexpr const char* kDuplicateSelect =
    "SELECT d.a, d.b, d.relation, d.jaccard, d.containment, d.evidence, aa.copy_of, ab.copy_of, "
    "CASE WHEN d.evidence LIKE '[[%' THEN coalesce(aa.body, storyline_body(aa.text, aa.lines)) "
    "END FROM duplicates d LEFT JOIN articles aa ON aa.id = d.a "
    "LEFT JOIN articles ab ON ab.id = d.b ";

DuplicateRecord ReadDuplicate(const Statement& s) {
  DuplicateRecord d;
  d.a = s.Text(0);
  d.b = s.Text(1);
  d.relation = s.Text(2);
  d.jaccard = s.Double(3);
  d.containment = s.Double(4);
  d.evidence = internal::DecodeEvidence(s.Text(5), s.Text(8));
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

namespace {

// PutAnalyses stages the rows in a temporary table and updates the articles
// from it in one statement. Each statement that writes through the search
// index's triggers opens a savepoint, and SQLite's full-text index writes
// out its pending terms at every savepoint: one UPDATE per article made a
// tiny index segment per article (half of the stage's time went there).
constexpr const char* kPendingAnalyses = R"sql(
CREATE TEMP TABLE IF NOT EXISTS pending_analyses (
  id TEXT NOT NULL, revision INTEGER, lang TEXT, lang_confidence REAL, published TEXT,
  published_ts INTEGER, published_inferred INTEGER, body TEXT, lines TEXT, sketch BLOB,
  dup_group TEXT, copy_of TEXT, story TEXT, storyline TEXT);
DELETE FROM temp.pending_analyses;
)sql";

Status StageAnalysis(Statement& st, const ArticleAnalysis& a) {
  st.BindText(1, a.id);
  st.BindInt(2, a.revision);
  st.BindTextOrNull(3, a.lang);
  st.BindDouble(4, a.lang_confidence);
  BindPublished(st, 5, a.published);
  st.BindInt(7, a.published_inferred ? 1 : 0);
  st.BindTextOrNull(8, a.body);
  const std::string lines = internal::EncodeLines(a.lines);
  BindStoredText(st, 9, lines, internal::CompressValue(lines, internal::kTextLevel), true);
  if (a.sketch.empty()) {
    st.BindNull(10);
  } else {
    st.BindBlob(10, a.sketch.data(), a.sketch.size());
  }
  st.BindTextOrNull(11, a.dup_group);
  st.BindTextOrNull(12, a.copy_of);
  st.BindTextOrNull(13, a.story);
  st.BindTextOrNull(14, a.storyline);
  return st.Run();
}

}  // namespace

Status Store::PutAnalyses(std::span<const ArticleAnalysis> analyses) {
  if (analyses.empty()) return Ok();
  Transaction tx(impl_->db);
  if (Status s = tx.Begin(); !s) return s;
  if (Status s = Exec(impl_->db, kPendingAnalyses); !s) return s;
  Result<Statement> stage = Statement::Prepare(impl_->db, R"sql(
INSERT INTO temp.pending_analyses VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,
  ?14))sql");
  if (!stage) return Fail(stage.error());
  for (const ArticleAnalysis& a : analyses) {
    if (Status s = StageAnalysis(*stage, a); !s) return s;
  }
  // An id given twice: its last analysis, as when each was written in turn.
  Result<Statement> missing = Statement::Prepare(impl_->db, R"sql(
SELECT id FROM temp.pending_analyses
WHERE NOT EXISTS (SELECT 1 FROM articles WHERE articles.id = pending_analyses.id) LIMIT 1)sql");
  if (!missing) return Fail(missing.error());
  Result<bool> row = missing->Step();
  if (!row) return Fail(row.error());
  if (*row) {
    return MakeError(ErrorCode::kNotFound,
                     "no stored article '" + std::string(missing->Text(0)) + "' to analyse");
  }
  if (Status s = Exec(impl_->db, R"sql(
UPDATE articles SET analysed_revision = p.revision, lang = p.lang,
  lang_confidence = p.lang_confidence, published = p.published, published_ts = p.published_ts,
  published_inferred = p.published_inferred,
  body = CASE WHEN p.lines IS NOT NULL AND
                   storyline_body(articles.text, p.lines) IS coalesce(p.body, '') THEN NULL
              ELSE coalesce(p.body, '') END,
  lines = p.lines, sketch = p.sketch,
  dup_group = p.dup_group, copy_of = p.copy_of, story = p.story, storyline = p.storyline
FROM (SELECT * FROM temp.pending_analyses WHERE rowid IN
        (SELECT max(rowid) FROM temp.pending_analyses GROUP BY id)) AS p
WHERE articles.id = p.id)sql");
      !s) {
    return s;
  }
  if (Status s = Exec(impl_->db, "DELETE FROM temp.pending_analyses"); !s) return s;
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
                      st.BindText(6, d.evidence_spans.empty()
                                         ? internal::EncodeEvidence(d.evidence)
                                         : internal::EncodeEvidenceSpans(d.evidence_spans));
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
  if (stories.empty()) return Ok();
  // Staged and written in one statement, as PutAnalyses does (the search
  // index writes out its pending terms at each statement's savepoint).
  Transaction tx(impl_->db);
  if (Status s = tx.Begin(); !s) return s;
  if (Status s = Exec(impl_->db, R"sql(
CREATE TEMP TABLE IF NOT EXISTS pending_stories (
  id TEXT NOT NULL, storyline TEXT, title TEXT, size INTEGER, first_published INTEGER,
  last_published INTEGER, digest TEXT, updated_at INTEGER);
DELETE FROM temp.pending_stories;
)sql");
      !s) {
    return s;
  }
  const std::int64_t now = SystemClock().Now();
  Status staged = RunForEach(
      impl_->db, "INSERT INTO temp.pending_stories VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
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
        st.BindText(
            7, DigestJson(r.digest).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        st.BindInt(8, now);
      });
  if (!staged) return staged;
  // A story given twice: its last record, as when each was written in turn.
  if (Status s = Exec(impl_->db, R"sql(
INSERT OR REPLACE INTO stories (id, storyline, title, size, first_published, last_published,
  digest, updated_at)
SELECT id, storyline, title, size, first_published, last_published, digest, updated_at
FROM temp.pending_stories
WHERE rowid IN (SELECT max(rowid) FROM temp.pending_stories GROUP BY id) ORDER BY rowid;
DELETE FROM temp.pending_stories;
)sql");
      !s) {
    return s;
  }
  return tx.Commit();
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
  if (q.order == StoryOrder::kRising) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "ListStories orders recent or largest; rising needs FindStories");
  }
  sql += q.order == StoryOrder::kLargest
             ? " ORDER BY size DESC, last_published DESC NULLS LAST, id"
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
  Result<Statement> get =
      Statement::Prepare(impl_->db, std::string(kStorylineSelect) + "WHERE l.id = ?1");
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
    Result<Statement> rest =
        Statement::Prepare(impl_->db, std::string(kStorylineSelect) + "ORDER BY l.size DESC, l.id");
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
    Result<StoredArticle> a = ReadArticle(*st);
    if (!a) return Fail(a.error());
    out.push_back(std::move(*a));
  }
  return out;
}

Result<std::vector<StoredArticle>> Store::ArticleHeadsOfStory(const std::string& story,
                                                              std::int64_t limit, bool newest_first,
                                                              std::int64_t lead_chars) {
  Result<Statement> st = Statement::Prepare(
      impl_->db,
      std::string("SELECT key, id, title, url, source, published, published_inferred, lang, "
                  "dup_group, copy_of, story, storyline, "
                  "substr(coalesce(body, storyline_body(text, lines)), 1, ?3) FROM articles "
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

Result<StorylineRecord> Store::StorylineOfStories(const std::string& id) {
  // The title's order is ListStories' "largest" order.
  Result<Statement> s =
      Statement::Prepare(impl_->db,
                         "SELECT count(*), (SELECT title FROM stories WHERE storyline = ?1 "
                         "ORDER BY size DESC, last_published DESC NULLS LAST, id LIMIT 1) "
                         "FROM stories WHERE storyline = ?1");
  if (!s) return Fail(s.error());
  s->BindText(1, id);
  if (Result<bool> row = s->Step(); !row) return Fail(row.error());
  StorylineRecord r;
  r.id = id;
  r.size = s->Int(0);
  r.title = std::string(s->Text(1));
  return r;
}

Status Store::ForEachSketch(
    const std::function<Status(std::int64_t, std::string_view, std::string_view)>& fn,
    std::int64_t from_key) {
  Result<Statement> st = Statement::Prepare(
      impl_->db,
      "SELECT key, id, sketch FROM articles WHERE key >= ?1 AND sketch IS NOT NULL ORDER BY key");
  if (!st) return Fail(st.error());
  st->BindInt(1, from_key);
  while (true) {
    Result<bool> row = st->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    if (Status s = fn(st->Int(0), st->Text(1), st->Blob(2)); !s) return s;
  }
  return Ok();
}

Result<std::optional<std::int64_t>> Store::FirstKeyPublishedSince(std::int64_t time) {
  // Through the time index: left to itself, SQLite answers min(key) by
  // walking the table in key order until a row qualifies, which reads the
  // rows of every article published before `time`.
  Result<Statement> st = Statement::Prepare(impl_->db,
                                            "SELECT min(key) FROM articles INDEXED BY "
                                            "articles_published_story WHERE published_ts >= ?1");
  if (!st) return Fail(st.error());
  st->BindInt(1, time);
  Result<bool> row = st->Step();
  if (!row) return Fail(row.error());
  std::optional<std::int64_t> out;
  if (*row && !st->IsNull(0)) out = st->Int(0);
  return out;
}

Store::EncodedState Store::EncodeState(std::string_view value) {
  // Compressed when that pays (compressed.h): the models' state is most of
  // what a batch writes besides its articles.
  EncodedState out;
  if (std::optional<std::string> frame = internal::CompressValue(value, internal::kStateLevel)) {
    out.bytes = std::move(*frame);
    out.compressed = true;
  } else {
    out.bytes = std::string(value);
  }
  return out;
}

Status Store::PutState(const std::string& name, std::string_view value) {
  return PutEncodedState(name, EncodeState(value));
}

Status Store::PutEncodedState(const std::string& name, const EncodedState& value) {
  Result<Statement> st = Statement::Prepare(
      impl_->db, "INSERT OR REPLACE INTO state (name, value, encoding) VALUES (?1, ?2, ?3)");
  if (!st) return Fail(st.error());
  st->BindText(1, name);
  st->BindBlobNoCopy(2, value.bytes.data(), value.bytes.size());  // the statement ends here
  st->BindInt(3, value.compressed ? kStateZstd : kStatePlain);
  return st->Run();
}

namespace {

// Column 1 of a state row as it was put: column 2 says how it is stored.
Result<std::string> ReadStateValue(const Statement& s, std::string_view name) {
  const std::int64_t encoding = s.Int(2);
  if (encoding == kStatePlain) return std::string(s.Blob(1));
  if (encoding != kStateZstd) {
    return MakeError(
        ErrorCode::kUnsupported,
        "stored state '" + std::string(name) + "': unknown encoding " + std::to_string(encoding));
  }
  Result<std::string> value = internal::DecompressValue(s.Blob(1));
  if (!value) {
    return MakeError(value.error().code,
                     "stored state '" + std::string(name) + "': " + value.error().message);
  }
  return value;
}

}  // namespace

Result<std::optional<std::string>> Store::GetState(const std::string& name) {
  Result<Statement> st =
      Statement::Prepare(impl_->db, "SELECT name, value, encoding FROM state WHERE name = ?1");
  if (!st) return Fail(st.error());
  st->BindText(1, name);
  Result<bool> row = st->Step();
  if (!row) return Fail(row.error());
  std::optional<std::string> out;
  if (*row) {
    Result<std::string> value = ReadStateValue(*st, name);
    if (!value) return Fail(value.error());
    out = std::move(*value);
  }
  return out;
}

namespace {

// The names that start with `prefix` are those >= prefix and < the first
// string after all of them: `prefix` with its last byte below 0xFF raised
// by one (and what follows it dropped). "" for a prefix of 0xFF bytes only:
// no upper bound.
std::string PrefixEnd(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty() && static_cast<unsigned char>(end.back()) == 0xFF) end.pop_back();
  if (!end.empty()) end.back() = static_cast<char>(static_cast<unsigned char>(end.back()) + 1);
  return end;
}

}  // namespace

Result<std::vector<std::pair<std::string, std::string>>> Store::GetStates(std::string_view prefix) {
  const std::string end = PrefixEnd(prefix);
  Result<Statement> st = Statement::Prepare(
      impl_->db,
      "SELECT name, value, encoding FROM state WHERE name >= ?1 AND (?2 = '' OR name < ?2) "
      "ORDER BY name");
  if (!st) return Fail(st.error());
  st->BindText(1, prefix);
  st->BindText(2, end);
  std::vector<std::pair<std::string, std::string>> out;
  while (true) {
    Result<bool> row = st->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    std::string name(st->Text(0));
    Result<std::string> value = ReadStateValue(*st, name);
    if (!value) return Fail(value.error());
    out.emplace_back(std::move(name), std::move(*value));
  }
  return out;
}

Status Store::DeleteStates(std::string_view prefix) {
  const std::string end = PrefixEnd(prefix);
  Result<Statement> st = Statement::Prepare(
      impl_->db, "DELETE FROM state WHERE name >= ?1 AND (?2 = '' OR name < ?2)");
  if (!st) return Fail(st.error());
  st->BindText(1, prefix);
  st->BindText(2, end);
  return st->Run();
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

Result<std::vector<StoryRecord>> Store::FindStories(const StoryFilter& f) {
  if (Status ok = ValidateStoryFilter(f); !ok) return Fail(ok.error());
  const std::string fts = ToFtsQuery(f.text);
  if (MatchesNothing(f, fts)) return std::vector<StoryRecord>{};
  if (!fts.empty()) {
    if (Status s = impl_->NarrowQueryLanguages(); !s) return Fail(s.error());
  }
  Result<Statement> st = PrepareStoryPage(impl_->db, f, fts);
  if (!st) return Fail(st.error());
  const bool rising = f.order == StoryOrder::kRising;
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
  if (Status ok = ValidateStoryFilter(f); !ok) return Fail(ok.error());
  const std::string fts = ToFtsQuery(f.text);
  if (MatchesNothing(f, fts)) return std::int64_t{0};
  if (!fts.empty()) {
    if (Status s = impl_->NarrowQueryLanguages(); !s) return Fail(s.error());
  }
  Result<Statement> st = PrepareStoryCount(impl_->db, f, fts, cap);
  if (!st) return Fail(st.error());
  if (Result<bool> row = st->Step(); !row) return Fail(row.error());
  return st->Int(0);
}

Result<SearchResults> Store::Search(const SearchQuery& q) {
  if (q.limit < 0 || q.offset < 0) {
    return MakeError(ErrorCode::kInvalidArgument, "limit and offset must not be negative");
  }
  std::vector<std::string> phrases;
  const std::string fts = ToFtsQuery(q.text, &phrases);
  if (fts.empty()) return SearchResults{};
  if (Status s = impl_->NarrowQueryLanguages(); !s) return Fail(s.error());
  return RankMatches(impl_->db, q, fts, phrases);
}

Result<bool> Store::TextFilterTruncated(const StoryFilter& f) {
  const std::string fts = ToFtsQuery(f.text);
  if (fts.empty()) return false;
  if (Status s = impl_->NarrowQueryLanguages(); !s) return Fail(s.error());
  return SearchWindowFull(impl_->db, fts);
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
