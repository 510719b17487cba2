// Private: date extraction over an analysed Document, shared by
// ExtractDates, InferPublicationDate and BuildDigest (which analyses each
// body once for all extractors).
#ifndef STORYLINE_SRC_DIGEST_DATES_INTERNAL_H_
#define STORYLINE_SRC_DIGEST_DATES_INTERNAL_H_

#include <optional>
#include <vector>

#include "digest/document.h"
#include "storyline/digest/dates.h"

namespace storyline::digest::internal {

// The date mentions of `doc`. When resolve_relative is false, deictic
// words, weekdays and periods are skipped even if options.reference is set
// (the reference is then only trusted for the year of "7 décembre").
std::vector<DateMention> FindDates(const Document& doc,
                                   const DateOptions& options,
                                   bool resolve_relative);

// The latest day written with its year outside captions (or, failing that,
// inside captions that are not file photos), used to place year-less dates
// of a story when nothing else dates it; nullopt when there is none.
std::optional<CivilDate> LatestFullDate(const Document& doc,
                                        std::string_view lang);

// The day the article's own dates place its year-less ones near: the
// latest of LatestFullDate and the days in URLs of its text and of `url`;
// nullopt when the article writes no year of its own.
std::optional<CivilDate> OwnYearAnchor(const Document& doc, std::string_view lang,
                                       std::string_view url);

// As InferPublicationDate, on an analysed document.
Result<InferredDate> InferFromDocument(const Document& doc, std::string_view lang,
                                       std::optional<CivilDate> anchor, std::string_view url = {});

}  // namespace storyline::digest::internal

#endif  // STORYLINE_SRC_DIGEST_DATES_INTERNAL_H_
