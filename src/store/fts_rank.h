// storyline_rank: an FTS5 ranking function, Okapi BM25 (Robertson &
// Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond", 2009;
// k1 = 1.2, b = 0.75, as FTS5's own bm25()) with the documents-per-phrase
// counts given by the caller instead of counted.
//
//   storyline_rank(articles_fts, 4.0, 1.0, 1200, 53000)
//
// takes one weight per column, then one count per phrase of the MATCH
// expression (in the order the phrases appear). FTS5's bm25() counts the
// documents holding each phrase by walking its whole doclist, once per
// query: for a common word in a million articles that costs more than
// ranking the page (0.12 s of 0.13 s), so a search that ranks only its
// newest matches estimates the counts instead (Store::Search). The score is
// positive, higher is better. A missing count counts as half the rows (a
// phrase that tells nothing).
#ifndef STORYLINE_STORE_FTS_RANK_H_
#define STORYLINE_STORE_FTS_RANK_H_

#include <sqlite3.h>

#include "storyline/core/result.h"

namespace storyline::store {

// Registers storyline_rank on `db`.
Status RegisterRankFunction(sqlite3* db);

}  // namespace storyline::store

#endif  // STORYLINE_STORE_FTS_RANK_H_
