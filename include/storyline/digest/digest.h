// The digest of one story: title, summary, entities, timeline, quotes,
// sources and copies, built from the story's articles without models.
//
//   std::vector<DigestArticle> articles = ...;   // one story's articles
//   FixedClock clock(FromCivilDate({2022, 1, 15}));
//   DigestOptions options;
//   options.clock = &clock;                        // never "now" in tests
//   Result<StoryDigest> digest = BuildDigest(articles, options);
//   if (!digest) return Fail(digest.error());
//   for (const TimelineEntry& e : digest->timeline) {
//     // FormatDate(e.date), e.text, e.article, e.sources
//   }
//
// How the pipeline calls it: after clustering, once per story whose
// articles changed, with each article's cleaned body (body and heading
// lines joined by '\n'), its `published` time when the input gave one
// or an earlier stage inferred one (then `published_inferred`), and
// `copy_of` set to the canonical id for members of a dup group that
// are not its canonical. The result maps one to one onto the `stories`
// fields of the export; `publication` tells which articles had their date
// inferred (to set `published_inferred`).
//
// The steps (see the headers of each extractor for details):
//  * publication dates: `published`, else the dateline, else the text's
//    dates (InferPublicationDate), years resolved against a story anchor:
//    the median given date, else the latest full date in the texts, else
//    the clock's day;
//  * entities over the canonical bodies (entities.h);
//  * timeline: day-precise, non-historical dates outside captions and
//    datelines (dates.h), each with its sentence; relative expressions are
//    used only where the article's day is known (given or dateline); the
//    same day and a similar sentence from several articles is one entry;
//  * quotes from canonical bodies (quotes.h), repeated quotes once;
//  * summary: LexRank centrality (Erkan & Radev 2004) over the leading
//    sentences of the canonical bodies, then maximal marginal relevance
//    (Carbonell & Goldstein 1998) to drop redundancy, in story order;
//  * title: the headline with the highest mean word overlap with the other
//    headlines and with the story's top terms; chrome-looking lines never,
//    cut-short titles ("…") only when no full one exists.
//
// Thread-safe: BuildDigest keeps no state; the clock must be thread-safe.
#ifndef STORYLINE_DIGEST_DIGEST_H_
#define STORYLINE_DIGEST_DIGEST_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "storyline/core/date.h"
#include "storyline/core/result.h"
#include "storyline/digest/entities.h"

namespace storyline::digest {

// One article of the story.
struct DigestArticle {
  std::string id;     // unique within the call, non-empty
  std::string title;  // may be empty
  // Cleaned body: reporting lines only, '\n' between paragraphs.
  std::string body;
  std::optional<Timestamp> published;  // when the input gave it
  // `published` was inferred from the text (a dateline, the text's dates)
  // by an earlier stage, not given by the input: it dates the article as a
  // given date does (weekdays and "hier" included) but every date resting
  // on it is marked inferred in the digest.
  bool published_inferred = false;
  std::string lang;    // ISO 639-1, "und" or empty
  std::string source;  // publishing site; may be empty
  // Id of the article this one copies (member of a dup group that is not
  // its canonical); ignored when that id is not among the articles.
  std::optional<std::string> copy_of;
};

struct DigestOptions {
  // clock (nullptr = the system clock): "today" for stories where no
  // article gives or shows a date. Tests pass a FixedClock.
  const Clock* clock = nullptr;
  // min_summary_sentences (3), max_summary_sentences (5): summary length;
  // fewer when the story has fewer distinct sentences.
  std::size_t min_summary_sentences = 3;
  std::size_t max_summary_sentences = 5;
  // lead_sentences (15): sentences per article considered for the summary;
  // news puts the substance first and this bounds the LexRank matrix.
  std::size_t lead_sentences = 15;
  // max_summary_candidates (240): at most this many sentences enter the
  // LexRank graph, whose cost is quadratic in them: in a story of hundreds
  // of articles the leads win (every article's first sentence, then every
  // second one, ...), so a digest costs about the same at 50 articles as at
  // 5,000.
  std::size_t max_summary_candidates = 240;
  // mmr_lambda (0.7): weight of centrality against novelty in MMR.
  double mmr_lambda = 0.7;
  // lexrank_threshold (0.1): cosine similarity above which two sentences
  // are linked in the LexRank graph.
  double lexrank_threshold = 0.1;
  // max_quotes (20), max_timeline (40): caps; 0 means no cap. Quotes of
  // named people are kept before those of unnamed officials.
  std::size_t max_quotes = 20;
  std::size_t max_timeline = 40;
  // english_month_first (true): see DateOptions.
  bool english_month_first = true;
};

struct TimelineEntry {
  CivilDate date;
  std::string text;                   // the sentence that dates the happening
  std::string article;                // the earliest article reporting it
  std::vector<std::string> articles;  // all articles reporting it
  std::vector<std::string> sources;   // their distinct non-empty sources
  // The date rests on a guess in every article reporting it: a weekday,
  // "hier" or a year-less date resolved against a publication day that was
  // itself inferred (or against the story's anchor day).
  bool inferred = false;
};

struct DigestQuote {
  std::string speaker;  // full name as used in the story, or a role
  std::string text;
  std::string article;
};

struct SourceEntry {
  std::string source;
  std::optional<Timestamp> first_published;  // given or inferred
  bool first_published_inferred = false;     // first_published was inferred
  std::vector<std::string> articles;
};

struct CopyRelation {
  std::string article;
  std::string copy_of;
};

// The news agency behind a story, as its articles' datelines credit it
// ("PARIS, 3 mars (AFP) –"): the agency credited by most articles, the
// outlets that carried it, and how many of the story's copies are cut
// versions (under four fifths of what they copy).
struct WireAttribution {
  std::string agency;
  std::size_t articles = 0;          // articles whose dateline credits it
  std::vector<std::string> outlets;  // their distinct sources, first seen first
  std::size_t cut_versions = 0;
};

// When each article was published, and whether that was inferred.
struct PublicationDate {
  std::string article;
  std::optional<Timestamp> published;  // nullopt when nothing tells
  bool inferred = false;
};

struct StoryDigest {
  std::string title;
  std::vector<std::string> summary;     // sentences, in story order
  std::vector<Entity> entities;         // most mentioned first
  std::vector<TimelineEntry> timeline;  // by date
  std::vector<DigestQuote> quotes;      // in story order
  std::vector<SourceEntry> sources;     // by first publication
  std::vector<CopyRelation> copies;
  std::optional<WireAttribution> wire;  // nullopt when no dateline credits one
  std::string first_source;             // the source that published first; "" if unknown
  std::optional<Timestamp> first_published;
  std::optional<Timestamp> last_published;
  // first_published / last_published come from an inferred publication
  // date (no article with a given date is as early / as late).
  bool first_published_inferred = false;
  bool last_published_inferred = false;
  std::vector<PublicationDate> publication;  // one per article, input order
};

// Builds the digest of one story. Errors: kInvalidArgument for an empty
// article list, an empty or repeated id, or inconsistent options
// (min_summary_sentences > max_summary_sentences, mmr_lambda outside
// [0, 1]); kInvalidInput naming the article for a body or title that is
// not well-formed UTF-8.
Result<StoryDigest> BuildDigest(const std::vector<DigestArticle>& articles,
                                const DigestOptions& options);

}  // namespace storyline::digest

#endif  // STORYLINE_DIGEST_DIGEST_H_
