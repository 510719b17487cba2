// The stories a StoryFilter selects, as SQL over the store's tables: the
// filter checked, the join planned (selective values driven from the
// articles index, common ones from the stories' order indexes), the page or
// the count prepared; and the facet counts. Private to the store module.
#ifndef STORYLINE_STORE_STORY_QUERY_H_
#define STORYLINE_STORE_STORY_QUERY_H_

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <vector>

#include "store/sqlite.h"
#include "storyline/core/result.h"
#include "storyline/store/store.h"

namespace storyline::store {

// Checks a filter's order and page; kInvalidArgument when wrong.
Status ValidateStoryFilter(const StoryFilter& f);

// A filter with words but nothing FTS5 can match (only punctuation) matches
// no story; one with no text at all matches every story.
bool MatchesNothing(const StoryFilter& f, const std::string& fts);

// The page of stories `f` selects, `fts` its text as ToFtsQuery made it
// ("" for none), ready to step: columns id, storyline, title, size,
// first_published, last_published, digest, then for order "rising" the
// articles gained since rising_since.
Result<Statement> PrepareStoryPage(sqlite3* db, const StoryFilter& f, const std::string& fts);

// One row, one column: how many stories `f` selects, counted up to `cap`.
Result<Statement> PrepareStoryCount(sqlite3* db, const StoryFilter& f, const std::string& fts,
                                    std::int64_t cap);

// The (value, count) rows of `sql`, a query whose ?1 is `limit`: the facet
// counts (articles by language, by source).
Result<std::vector<ValueCount>> CountValues(sqlite3* db, const std::string& sql,
                                            std::int64_t limit);

}  // namespace storyline::store

#endif  // STORYLINE_STORE_STORY_QUERY_H_
