// Story records and digests for the pipeline (private to the pipeline).
#ifndef STORYLINE_PIPELINE_STORIES_H_
#define STORYLINE_PIPELINE_STORIES_H_

#include <optional>
#include <set>
#include <string>

#include "storyline/core/article.h"
#include "storyline/core/date.h"
#include "storyline/core/result.h"
#include "storyline/digest/dates.h"
#include "storyline/digest/digest.h"
#include "storyline/store/store.h"

namespace storyline::pipeline {

// A publication date read from the article's own text and URL (dateline,
// dates in the text; see digest::InferPublicationDate), or nullopt.
// `anchor` places year-less dates only when the article writes no year.
std::optional<digest::InferredDate> InferPublished(const Article& article, const std::string& body,
                                                   std::optional<CivilDate> anchor);

// Rebuilds the record and digest of every story in `stories` from its stored
// articles, and the records of their storylines. Stories left without
// articles are deleted. `clock` gives "today" to stories whose texts carry
// no date at all (years of dates written without one).
Status UpdateStories(store::Store& store, const std::set<std::string>& stories, const Clock& clock,
                     const digest::DigestOptions& options = {});

}  // namespace storyline::pipeline

#endif  // STORYLINE_PIPELINE_STORIES_H_
