// The store stage: the batch's articles into the store, and the work
// records of those the analysis stages must (re)analyse.
#include <algorithm>
#include <map>

#include "pipeline/stages.h"
#include "storyline/core/source.h"

namespace storyline::pipeline {

std::vector<std::size_t> AnalysisOrder(const std::vector<Article>& batch,
                                       const std::vector<std::size_t>& changed) {
  std::map<std::string, std::size_t> last;
  for (std::size_t i : changed) last[batch[i].id] = i;
  std::vector<std::size_t> order;
  order.reserve(last.size());
  for (const auto& [id, i] : last) order.push_back(i);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
    const std::optional<Timestamp> tx = TimeOf(batch[x].published);
    const std::optional<Timestamp> ty = TimeOf(batch[y].published);
    if (tx.has_value() != ty.has_value()) return tx.has_value();
    if (tx && *tx != *ty) return *tx < *ty;
    return x < y;
  });
  return order;
}

Result<std::vector<ArticleWork>> StoreArticles(store::Store& store, ThreadPool& pool, bool analyse,
                                               std::vector<Article>& batch, BatchReport& report) {
  // Every way in (JSONL, text, pages, WARC, POST) passes here: an article
  // whose input names no publisher is credited to its URL's host, the name
  // the chrome model already groups it under.
  for (Article& a : batch) FillSourceFromUrl(&a);
  // Compressing the texts needs no database: the pool's threads do it.
  const store::Store::ParallelFor parallel = [&pool](std::size_t n,
                                                     const std::function<void(std::size_t)>& fn) {
    // Nothing here fails; a text the loop would skip (an exception in
    // it) is stored uncompressed, which is as valid.
    (void)pool.ParallelFor(n, [&fn](std::size_t i, std::size_t) -> Status {
      fn(i);
      return Ok();
    });
  };
  Result<std::vector<store::PutOutcome>> put = store.PutArticles(batch, parallel);
  if (!put) return Fail(put.error());
  std::vector<std::size_t> changed;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    switch ((*put)[i]) {
      case store::PutOutcome::kInserted:
        ++report.inserted;
        changed.push_back(i);
        break;
      case store::PutOutcome::kUpdated:
        ++report.updated;
        changed.push_back(i);
        break;
      case store::PutOutcome::kUnchanged:
        ++report.unchanged;
        break;
    }
  }
  std::vector<ArticleWork> work;
  if (!analyse || changed.empty()) return work;
  const std::vector<std::size_t> order = AnalysisOrder(batch, changed);
  work.reserve(order.size());
  for (std::size_t i : order) {
    Result<std::optional<store::Store::ArticleKey>> stored = store.GetArticleKey(batch[i].id);
    if (!stored) return Fail(stored.error());
    if (!stored->has_value()) {
      return MakeError(ErrorCode::kInternal, "article '" + batch[i].id + "' vanished on storing");
    }
    ArticleWork w;
    w.article = &batch[i];
    w.position = i;
    w.doc = static_cast<dedup::DocId>((*stored)->key);
    w.analysis.id = batch[i].id;
    w.analysis.revision = (*stored)->revision;
    work.push_back(std::move(w));
  }
  return work;
}

}  // namespace storyline::pipeline
