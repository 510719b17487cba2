// The intake, analysis and results shared by CorpusDeduplicator and the
// partitioned dedup job (dedup_common.h).
#include "pipeline/dedup_common.h"

#include <utility>

#include "pipeline/stages.h"
#include "storyline/core/source.h"
#include "storyline/store/store.h"

namespace storyline::pipeline {

std::vector<ArticleWork> DedupIntake::Admit(std::vector<Article>& batch,
                                            std::vector<dedup::DocId>* replaced) {
  // Which articles are new or changed, and their document numbers: new ids
  // are numbered in input order, as the store numbers them for ingest (the
  // canonical rule's last tie-break).
  std::vector<std::size_t> changed;
  std::vector<dedup::DocId> doc_of(batch.size(), dedup::kNoDoc);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    Article& a = batch[i];
    FillSourceFromUrl(&a);
    const std::uint64_t hash = store::Store::ContentHash(a);
    if (std::optional<dedup::DocId> d = ids.Find(a.id)) {
      if (content_hashes[*d] == hash) continue;  // unchanged: nothing to do
      content_hashes[*d] = hash;
      replaced->push_back(*d);
      doc_of[i] = *d;
    } else {
      doc_of[i] = ids.Append(a.id);
      content_hashes.push_back(hash);
    }
    changed.push_back(i);
  }
  std::vector<ArticleWork> work;
  if (changed.empty()) return work;
  for (std::size_t i : AnalysisOrder(batch, changed)) {
    ArticleWork w;
    w.article = &batch[i];
    w.position = i;
    w.doc = doc_of[i];
    w.analysis.id = batch[i].id;
    work.push_back(std::move(w));
  }
  return work;
}

Status BuildDedupState(const DedupOptions& options, std::size_t threads, PipelineState* state) {
  Result<clean::LineClassifier> classifier = clean::LineClassifier::Create(options.clean);
  if (!classifier) return Fail(classifier.error());
  state->classifier.emplace(std::move(*classifier));
  state->shinglers.clear();
  for (std::size_t w = 0; w < threads; ++w) {
    Result<text::Shingler> sh = text::Shingler::Create(options.shingles);
    if (!sh) return Fail(sh.error());
    state->shinglers.push_back(std::move(*sh));
  }
  Result<dedup::Sketcher> sketcher = dedup::Sketcher::Create(options.sketch);
  if (!sketcher) return Fail(sketcher.error());
  state->sketcher.emplace(*sketcher);
  return Ok();
}

Status SketchForDedup(PipelineState& state, const clean::ChromeModel& chrome, ThreadPool& pool,
                      std::vector<ArticleWork>& work) {
  if (Status s = DetectWorkLanguages(pool, work); !s) return s;
  if (Status s = ClassifyWork(*state.classifier, chrome, pool, work, /*body_only=*/true); !s) {
    return s;
  }
  for (ArticleWork& w : work) {
    // What the dates stage keeps of a given date: the sketch's timestamp
    // reads a publication time the input gave only.
    w.analysis.published = w.article->published;
    w.analysis.published_inferred = w.article->published_inferred;
  }
  return SketchWork(state, pool, work, /*serialize=*/false);
}

Status ForEachDedupResult(const dedup::DuplicateIndex& index, const IdTable& ids,
                          const std::function<Status(const DedupResult&)>& fn) {
  const std::size_t n = ids.size();
  // Group sizes by canonical, so that an article alone gets no group.
  std::vector<std::uint32_t> size(n, 0);
  std::vector<dedup::DocId> canonical(n, dedup::kNoDoc);
  for (dedup::DocId d = 0; d < n; ++d) {
    canonical[d] = index.CanonicalOf(d);
    if (canonical[d] < n) ++size[canonical[d]];
  }
  DedupResult r;
  for (dedup::DocId d = 0; d < n; ++d) {
    r.id = std::string(ids.Id(d));
    r.dup_group.clear();
    r.copy_of.clear();
    r.relation.reset();
    r.jaccard = 0;
    r.containment = 0;
    if (canonical[d] < n && size[canonical[d]] > 1) {
      r.dup_group = std::string(ids.Id(canonical[d]));
      if (std::optional<dedup::CopyLink> link = index.CopyOf(d)) {
        r.copy_of = std::string(ids.Id(link->source));
        r.relation = link->relation;
        r.jaccard = link->jaccard;
        r.containment = link->containment;
      }
    }
    if (Status s = fn(r); !s) return s;
  }
  return Ok();
}

}  // namespace storyline::pipeline
