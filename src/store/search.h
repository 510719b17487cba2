// Full-text search over the store's FTS5 indexes (articles_fts,
// stories_fts): the user's text made a query that cannot fail to parse,
// the newest matches ranked, snippets cut. Private to the store module;
// Store::Search and the story filters call it.
#ifndef STORYLINE_STORE_SEARCH_H_
#define STORYLINE_STORE_SEARCH_H_

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storyline/core/result.h"
#include "storyline/store/store.h"

namespace storyline::store {

// Matches a search ranks, per kind: the newest this many articles (and
// stories) that match. Ranking every match costs in proportion to the
// matches (a common word in a million articles: seconds); the newest
// matches are what a news search is for, and the cost stays bounded.
inline constexpr std::int64_t kSearchWindow = 2000;

// Turns user text into an FTS5 query that cannot be a syntax error: every
// word is a quoted string (so AND, NEAR and column names are plain words),
// "..." groups words into a phrase, word* is a prefix query. Two operators
// are understood as a search box's user expects: OR (in capitals, between
// two terms: either matches) and a leading minus (-word, -"a phrase": must
// not match). Terms side by side must all match; OR binds looser (FTS5's
// precedence: "a b OR c" is (a AND b) OR c). Returns "" when the text holds
// no word to look for (only exclusions count as none).
// `phrases`, when given, receives every phrase (quoted, as in the query) in
// the order FTS5 numbers them, for the ranking's per-phrase counts.
std::string ToFtsQuery(std::string_view text, std::vector<std::string>* phrases = nullptr);

// Store::Search for a non-empty query `fts` (from ToFtsQuery, with its
// `phrases`), once the tokenizer's query languages are set: the newest
// kSearchWindow matches of each index, ranked, one hit per duplicate group,
// with snippets and totals.
Result<SearchResults> RankMatches(sqlite3* db, const SearchQuery& q, const std::string& fts,
                                  const std::vector<std::string>& phrases);

// Whether either index holds kSearchWindow or more matches of `fts` (then
// filters by text see only the newest of them).
Result<bool> SearchWindowFull(sqlite3* db, const std::string& fts);

}  // namespace storyline::store

#endif  // STORYLINE_STORE_SEARCH_H_
