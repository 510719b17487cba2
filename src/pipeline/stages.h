// The pipeline's stages (private to the pipeline). Each runs on the whole
// batch, reads what the stages before it left in the work records and
// writes its own results there and to the store (inside the batch's
// transaction, which the orchestrator in pipeline.cc owns). Work that is
// independent per article runs on the batch's thread pool; every decision
// that depends on the order of articles (the chrome model learning, the
// duplicate index, the clusterer) is taken on the calling thread in
// publication order, so results do not depend on the thread count.
#ifndef STORYLINE_PIPELINE_STAGES_H_
#define STORYLINE_PIPELINE_STAGES_H_

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "pipeline/work.h"
#include "storyline/core/article.h"
#include "storyline/core/date.h"
#include "storyline/core/result.h"
#include "storyline/digest/dates.h"
#include "storyline/digest/digest.h"
#include "storyline/pipeline/pipeline.h"
#include "storyline/store/store.h"

namespace storyline::pipeline {

// store (intake.cc): credits articles without a source to their URL's
// host, stores the batch, counts inserted / updated / unchanged articles in
// `report` and returns a work record for each new or changed one (a later
// record of an id supersedes an earlier one) in publication order, undated
// articles last in input order: the order a stream would have brought
// them in. With `analyse` false it stores only and returns no records.
// The store compresses the texts on `pool`.
Result<std::vector<ArticleWork>> StoreArticles(store::Store& store, ThreadPool& pool, bool analyse,
                                               std::vector<Article>& batch, BatchReport& report);

// The positions in `batch` of the articles to analyse among `changed`, one
// per id (the last record of an id supersedes earlier ones), in
// publication order: dated articles by time, then undated ones in input
// order (intake.cc).
std::vector<std::size_t> AnalysisOrder(const std::vector<Article>& batch,
                                       const std::vector<std::size_t>& changed);

// language (language.cc): the language of every article whose input gave
// none (CLD2 on its title and prose lines).
Status DetectLanguages(BatchContext& batch);
// The same on `work` alone, without a store (also for `storyline dedup`).
Status DetectWorkLanguages(ThreadPool& pool, std::vector<ArticleWork>& work);

// clean (clean.cc): the chrome model observes the whole batch (in order),
// then every article's lines get roles: its body, line roles, the text the
// clusterer reads and, for a guessed title, the headline found (stored).
Status CleanArticles(BatchContext& batch);
// The same on `work` alone, storing nothing: state.chrome observes the
// articles in order, then state.classifier classifies each on `pool`. With
// `body_only`, each record gets its body (and found title) only: no line
// roles and no clusterer text.
Status CleanWork(PipelineState& state, ThreadPool& pool, std::vector<ArticleWork>& work,
                 bool body_only = false);
// The classifying half of CleanWork, against a model that has observed the
// articles already.
Status ClassifyWork(const clean::LineClassifier& classifier, const clean::ChromeModel& chrome,
                    ThreadPool& pool, std::vector<ArticleWork>& work, bool body_only);

// dates (dates.cc): a publication date for articles whose input gave none,
// from their own text, else with a year anchor from their source or input
// neighbours; and the stream's clock (newest publication times).
Status DateArticles(BatchContext& batch);

// duplicates (duplicates.cc): shingles and sketches, the duplicate index,
// verified pairs with evidence, dup groups and copy links.
Status FindDuplicates(BatchContext& batch);

// stories (stories.cc): the clusterer's story and storyline of each article
// (a copy joins its original's story), the analyses stored, story and
// storyline merges relabelled; fills batch.touched_stories.
Status ClusterStories(BatchContext& batch);

// digests (digests.cc): the records and digests of the touched stories and
// of their storylines.
Status UpdateDigests(BatchContext& batch);

// state (state.cc): the chrome model, the stream's clock and the
// clusterer's state, stored with the batch.
Status SaveState(BatchContext& batch);

// Sketches every article of `work` on `pool` (one of state.shinglers per
// thread): its sketch, serialised in its analysis too when `serialize`, and
// its tokens' byte spans in the body, which evidence passages are quoted
// with.
Status SketchWork(PipelineState& state, ThreadPool& pool, std::vector<ArticleWork>& work,
                  bool serialize = true);

// The text of each evidence passage of `pair`, quoted from w's body (the
// document `pair.doc`, sketched by SketchWork).
std::vector<std::string> EvidenceTexts(const ArticleWork& w, const dedup::DuplicatePair& pair);
// The same passages as byte ranges [begin, end) of w's body.
std::vector<std::pair<std::uint32_t, std::uint32_t>> EvidenceSpans(
    const ArticleWork& w, const dedup::DuplicatePair& pair);

// The sketch of document `doc` from its analysis (body, language, dates).
// `shingles` is scratch; afterwards `shingler.tokens()` are the body's.
Result<dedup::DocumentSketch> SketchArticle(const dedup::Sketcher& sketcher,
                                            text::Shingler& shingler, dedup::DocId doc,
                                            const store::ArticleAnalysis& analysis,
                                            text::ShingleSet& shingles);

// A publication date read from the article's own text and URL (dateline,
// dates in the text; see digest::InferPublicationDate), or nullopt.
// `anchor` places year-less dates only when the article writes no year.
std::optional<digest::InferredDate> InferPublished(const Article& article, const std::string& body,
                                                   std::optional<CivilDate> anchor);

// Rebuilds the record and digest of every story in `stories` from its stored
// articles (digests built on `pool`), and the records of their storylines.
// Stories left without articles are deleted. `clock` gives "today" to
// stories whose texts carry no date at all (years of dates written without
// one); it must be thread-safe.
Status UpdateStories(store::Store& store, const std::set<std::string>& stories, const Clock& clock,
                     const digest::DigestOptions& options, ThreadPool& pool);

}  // namespace storyline::pipeline

#endif  // STORYLINE_PIPELINE_STAGES_H_
