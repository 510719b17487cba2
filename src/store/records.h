// The columns that hold lists as JSON text (an article's line roles, a
// pair's evidence), encoded and decoded in one place (private to the store).
#ifndef STORYLINE_STORE_RECORDS_H_
#define STORYLINE_STORE_RECORDS_H_

#include <string>
#include <string_view>
#include <vector>

#include "storyline/store/store.h"

namespace storyline::store::internal {

// [{"n":1,"role":"title","reason":"..."},...]; "" for no lines.
std::string EncodeLines(const std::vector<LineRole>& lines);
// The inverse; entries that are not such objects are skipped, and text
// that is not JSON gives no lines (a store damaged by hand stays readable).
std::vector<LineRole> DecodeLines(std::string_view text);

// ["shared passage", ...], or [[begin, end], ...]: byte ranges of the body
// of the pair's stored `a` (DuplicateRecord::evidence_spans).
std::string EncodeEvidence(const std::vector<std::string>& evidence);
std::string EncodeEvidenceSpans(const std::vector<std::pair<std::uint32_t, std::uint32_t>>& spans);
// The passages either form gives: ranges are quoted from `body` (those
// outside it are skipped).
std::vector<std::string> DecodeEvidence(std::string_view text, std::string_view body = {});

}  // namespace storyline::store::internal

#endif  // STORYLINE_STORE_RECORDS_H_
