// DedupPlanner: the driver of the partitioned dedup job (see
// storyline/pipeline/partitioned_dedup.h): the intake, the chrome model and
// the final index.
#include "storyline/pipeline/partitioned_dedup.h"

#include <algorithm>
#include <utility>

#include "pipeline/dedup_common.h"
#include "pipeline/partition_codec.h"
#include "storyline/pipeline/pending_batch.h"

namespace storyline::pipeline {

using partition::DocMeta;

struct DedupPlanner::Impl {
  DedupOptions options;
  DedupIntake intake;
  PendingBatch pending;
  clean::ChromeModel chrome;
  std::optional<dedup::DuplicateIndex> index;
  std::uint32_t batches = 0;
  // Per document: the batch of its latest version.
  std::vector<std::uint32_t> latest_batch;
  // Per batch: its documents that a later batch replaced.
  std::vector<std::vector<dedup::DocId>> superseded;
  std::uint32_t learned = 0;  // batches whose observations were counted
  std::uint32_t linked = 0;   // batches linked
};

DedupPlanner::DedupPlanner(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DedupPlanner::~DedupPlanner() = default;

Result<std::unique_ptr<DedupPlanner>> DedupPlanner::Create(const DedupOptions& options) {
  if (options.batch_articles == 0 || options.batch_bytes == 0) {
    return MakeError(ErrorCode::kInvalidArgument, "the batch limits must be >= 1");
  }
  Result<dedup::Sketcher> sketcher = dedup::Sketcher::Create(options.sketch);
  if (!sketcher) return Fail(sketcher.error());
  dedup::IndexOptions index_options = options.index;
  index_options.window_seconds = 0;  // as CorpusDeduplicator
  index_options.shingle_source = nullptr;
  Result<dedup::DuplicateIndex> index =
      dedup::DuplicateIndex::Create(index_options, sketcher->options());
  if (!index) return Fail(index.error());
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->index.emplace(std::move(*index));
  return std::unique_ptr<DedupPlanner>(new DedupPlanner(std::move(impl)));
}

std::optional<std::string> DedupPlanner::Add(Article article) {
  return impl_->pending.Add(std::move(article));
}

bool DedupPlanner::Full() const {
  return impl_->pending.Full(impl_->options.batch_articles, impl_->options.batch_bytes);
}

std::optional<std::string> DedupPlanner::TakeBatch() {
  Impl& im = *impl_;
  std::vector<Article> articles = im.pending.Take();
  std::vector<dedup::DocId> replaced;
  std::vector<ArticleWork> work = im.intake.Admit(articles, &replaced);
  if (work.empty()) return std::nullopt;
  partition::Batch batch;
  batch.number = im.batches++;
  im.superseded.emplace_back();
  for (dedup::DocId d : replaced) im.superseded[im.latest_batch[d]].push_back(d);
  im.latest_batch.resize(im.intake.ids.size(), batch.number);
  for (std::size_t k = 0; k < work.size(); ++k) {
    im.latest_batch[work[k].doc] = batch.number;
    partition::BatchArticle b;
    b.doc = work[k].doc;
    b.order = partition::Order{batch.number} << 32 | k;
    b.article = std::move(*work[k].article);
    b.article.html.clear();  // the stages read the text only
    batch.articles.push_back(std::move(b));
  }
  return partition::EncodeBatch(batch);
}

Result<std::string> DedupPlanner::LearnChrome(std::string_view observations) {
  Impl& im = *impl_;
  std::uint32_t batch = 0;
  Result<std::vector<clean::LineObservation>> obs =
      partition::DecodeObservations(observations, &batch);
  if (!obs) return Fail(obs.error());
  if (batch != im.learned || batch >= im.batches) {
    return MakeError(ErrorCode::kInvalidInput, "partitioned dedup: observations of batch " +
                                                   std::to_string(batch) + " given when batch " +
                                                   std::to_string(im.learned) + " was expected");
  }
  ++im.learned;
  for (const clean::LineObservation& o : *obs) im.chrome.Observe(o);
  return im.chrome.Restricted(*obs).Serialize();
}

std::string DedupPlanner::Superseded(std::uint32_t batch) const {
  if (batch >= impl_->superseded.size()) return partition::EncodeDocs({});
  return partition::EncodeDocs(impl_->superseded[batch]);
}

Status DedupPlanner::Link(std::uint32_t batch, std::string_view meta,
                          std::span<const std::string> pairs) {
  Impl& im = *impl_;
  std::uint32_t meta_batch = 0;
  Result<std::vector<DocMeta>> docs = partition::DecodeMeta(meta, &meta_batch);
  if (!docs) return Fail(docs.error());
  if (meta_batch != batch || batch != im.linked) {
    return MakeError(ErrorCode::kInvalidInput,
                     "partitioned dedup: batch " + std::to_string(meta_batch) +
                         " linked when batch " + std::to_string(im.linked) + " was expected");
  }
  std::vector<dedup::DuplicatePair> found;
  for (const std::string& part : pairs) {
    if (Status s = partition::DecodePairs(part, &found); !s) return s;
  }
  std::stable_sort(
      found.begin(), found.end(),
      [](const dedup::DuplicatePair& a, const dedup::DuplicatePair& b) { return a.doc < b.doc; });
  ++im.linked;
  std::sort(docs->begin(), docs->end(),
            [](const DocMeta& a, const DocMeta& b) { return a.order < b.order; });
  for (const DocMeta& m : *docs) {
    if (m.doc >= im.latest_batch.size() || im.latest_batch[m.doc] != batch) continue;
    dedup::DocumentSketch sketch;
    sketch.id = m.doc;
    sketch.body_hash = m.body_hash;
    sketch.timestamp = m.timestamp;
    sketch.body_length = m.body_length;
    const auto first =
        std::lower_bound(found.begin(), found.end(), m.doc,
                         [](const dedup::DuplicatePair& p, dedup::DocId d) { return p.doc < d; });
    auto last = first;
    while (last != found.end() && last->doc == m.doc) ++last;
    // Only a document's latest version is linked (older ones were never
    // routed), so the index sees each number once.
    const std::span<const dedup::DuplicatePair> mine(found.data() + (first - found.begin()),
                                                     static_cast<std::size_t>(last - first));
    Result<dedup::AddOutcome> out = im.index->AddVerified(sketch, mine);
    if (!out) return Fail(out.error());
  }
  return Ok();
}

Status DedupPlanner::ForEachResult(const std::function<Status(const DedupResult&)>& fn) const {
  const Impl& im = *impl_;
  if (im.linked != im.batches) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "partitioned dedup: " + std::to_string(im.batches - im.linked) +
                         " batches are not linked yet");
  }
  return ForEachDedupResult(*im.index, im.intake.ids, fn);
}

std::uint32_t DedupPlanner::batches() const { return impl_->batches; }
std::size_t DedupPlanner::articles() const { return impl_->intake.ids.size(); }
std::size_t DedupPlanner::chrome_lines() const { return impl_->chrome.lines(); }

}  // namespace storyline::pipeline
