// JSON views of stored records, in the shapes of docs/contract.md's export.
#ifndef STORYLINE_APPS_STORYLINE_JSON_VIEWS_H_
#define STORYLINE_APPS_STORYLINE_JSON_VIEWS_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "storyline/store/store.h"

namespace storyline::cli {

// {"id","title","lang","published","published_inferred","source","url","body",
//  "dup_group","copy_of","story","storyline"} plus "lines" when `with_lines`
// and "text" (the input as given) when `with_text`.
nlohmann::json ArticleView(const store::StoredArticle& a, bool with_lines, bool with_text);

// {"a" (the copy), "b" (what it copies), "relation", "jaccard", "containment",
// "evidence", "copy_link"}, oriented as the store reads pairs.
nlohmann::json DuplicateView(const store::DuplicateRecord& d);

// The story object: id, storyline, title, articles, sources, first/last
// published and the digest's fields.
nlohmann::json StoryView(const store::StoryRecord& s, const std::vector<std::string>& articles);

// Serialises without throwing on invalid UTF-8 (replaced).
std::string Dump(const nlohmann::json& j, int indent = -1);

}  // namespace storyline::cli

#endif  // STORYLINE_APPS_STORYLINE_JSON_VIEWS_H_
