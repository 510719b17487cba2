#include "store/search.h"

#include <algorithm>
#include <span>
#include <tuple>
#include <unordered_map>

#include "store/fts_tokenizer.h"
#include "store/sqlite.h"

namespace storyline::store {
namespace {

bool IsWordByte(unsigned char c) {
  // Bytes of multi-byte UTF-8 sequences count as word characters: FTS5's
  // unicode61 tokenizer decides what they are.
  return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         c == '_';
}

}  // namespace

std::string ToFtsQuery(std::string_view text, std::vector<std::string>* phrases) {
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

namespace {

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
    const std::string_view inner =
        std::string_view(phrase).substr(1, phrase.size() - (prefix ? 3 : 2));
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
  char(1) || coalesce(lang, '') || char(1) ||
    substr(coalesce(body, storyline_body(text, lines)), 1, ?2)
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

// The page of article hits into `out` (see RankMatches), with snippets.
Status RankArticles(sqlite3* db, const SearchQuery& q, const std::string& fts,
                    const std::string& rank, SearchResults& out) {
  // The newest kSearchWindow matches (FTS5 walks its doclists backwards and
  // stops), ranked by relevance: BM25 (fts_rank.h) with estimated document
  // counts, title matches weighing more than body matches. The copies of one wire story (one
  // duplicate group) are one hit: the best-ranked of them, with how many of the group matched. The
  // window's last row is fetched to tell whether it was full; the hit count (distinct groups in the
  // window) is then a lower bound.
  Result<Statement> st = Statement::Prepare(db, R"sql(
WITH recent AS (
  SELECT rowid AS key, )sql" + rank + R"sql( AS score FROM articles_fts
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
  return ArticleSnippets(db, fts, keys, out.articles);
}

// The page of story hits into `out` (see RankMatches), with snippets.
Status RankStories(sqlite3* db, const SearchQuery& q, const std::string& fts,
                   const std::string& rank, SearchResults& out) {
  Result<Statement> ss = Statement::Prepare(db, R"sql(
WITH recent AS (
  SELECT rowid AS rid, )sql" + rank + R"sql( AS score
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
  Result<Statement> sn = Statement::Prepare(db, R"sql(
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
  return Ok();
}

}  // namespace

Result<SearchResults> RankMatches(sqlite3* db, const SearchQuery& q, const std::string& fts,
                                  const std::vector<std::string>& phrases) {
  SearchResults out;
  Result<std::string> article_rank =
      RankCall(db, "articles_fts", "SELECT max(key) FROM articles", "4.0, 1.0", phrases);
  if (!article_rank) return Fail(article_rank.error());
  Result<std::string> story_rank =
      RankCall(db, "stories_fts", "SELECT max(rowid) FROM stories", "4.0, 2.0, 2.0, 1.0", phrases);
  if (!story_rank) return Fail(story_rank.error());
  if (Status s = RankArticles(db, q, fts, *article_rank, out); !s) return Fail(s.error());
  if (Status s = RankStories(db, q, fts, *story_rank, out); !s) return Fail(s.error());
  // A page past the end has no row to carry the totals: count them alone.
  for (auto [page_empty, sql, total, exact] :
       {std::tuple{out.articles.empty(),
                   "SELECT count(DISTINCT coalesce(a.dup_group, a.id)), count(*) FROM ("
                   "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?1 "
                   "ORDER BY rowid DESC LIMIT ?2) w JOIN articles a ON a.key = w.rowid",
                   &out.total_articles, &out.total_articles_exact},
        std::tuple{out.stories.empty(),
                   "SELECT count(*), count(*) FROM (SELECT rowid FROM stories_fts "
                   "WHERE stories_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?2)",
                   &out.total_stories, &out.total_stories_exact}}) {
    if (!page_empty) continue;
    Result<Statement> c = Statement::Prepare(db, sql);
    if (!c) return Fail(c.error());
    c->BindText(1, fts);
    c->BindInt(2, kSearchWindow);
    if (Result<bool> row = c->Step(); !row) return Fail(row.error());
    *total = c->Int(0);
    *exact = c->Int(1) < kSearchWindow;
  }
  return out;
}

Result<bool> SearchWindowFull(sqlite3* db, const std::string& fts) {
  for (const char* table : {"articles_fts", "stories_fts"}) {
    Result<Statement> st =
        Statement::Prepare(db, std::string("SELECT count(*) FROM (SELECT rowid FROM ") + table +
                                   " WHERE " + table + " MATCH ?1 ORDER BY rowid DESC LIMIT ?2)");
    if (!st) return Fail(st.error());
    st->BindText(1, fts);
    st->BindInt(2, kSearchWindow);
    if (Result<bool> row = st->Step(); !row) return Fail(row.error());
    if (st->Int(0) >= kSearchWindow) return true;
  }
  return false;
}

}  // namespace storyline::store
