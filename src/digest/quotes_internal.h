// Private: quote extraction over an analysed Document and the story's
// entity table (speakers are named by the story-wide full names).
#ifndef STORYLINE_SRC_DIGEST_QUOTES_INTERNAL_H_
#define STORYLINE_SRC_DIGEST_QUOTES_INTERNAL_H_

#include <cstddef>
#include <vector>

#include "digest/document.h"
#include "digest/entities_internal.h"
#include "storyline/digest/quotes.h"

namespace storyline::digest::internal {

// Quotes of docs[doc_index] (the table was built over all docs).
std::vector<Quote> FindQuotes(const Document& doc, const EntityTable& table,
                              std::size_t doc_index,
                              const QuoteOptions& options);

}  // namespace storyline::digest::internal

#endif  // STORYLINE_SRC_DIGEST_QUOTES_INTERNAL_H_
