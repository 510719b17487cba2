// Human-readable renderings of stories: a Markdown briefing (export --format
// md) and the terminal digest of `storyline show`.
#ifndef STORYLINE_APPS_STORYLINE_MARKDOWN_H_
#define STORYLINE_APPS_STORYLINE_MARKDOWN_H_

#include <ostream>
#include <vector>

#include "storyline/core/result.h"
#include "storyline/store/store.h"

namespace storyline::cli {

// Every story, newest first: title, dates, summary, timeline, quotes,
// sources and copies.
Status WriteMarkdown(store::Store& store, std::ostream& out);

// One story's digest for a terminal, with its articles.
void RenderStory(const store::StoryRecord& story, const std::vector<store::StoredArticle>& articles,
                 std::ostream& out);

}  // namespace storyline::cli

#endif  // STORYLINE_APPS_STORYLINE_MARKDOWN_H_
