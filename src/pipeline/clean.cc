// The clean stage: line roles, body and headline of every article.
#include <string>
#include <utility>
#include <vector>

#include "pipeline/stages.h"

namespace storyline::pipeline {
namespace {

std::vector<store::LineRole> LineRoles(const clean::CleanedArticle& c) {
  std::vector<store::LineRole> lines;
  lines.reserve(c.lines.size());
  for (const clean::Line& l : c.lines) {
    lines.push_back({l.n, std::string(clean::RoleName(l.role)), l.reason});
  }
  return lines;
}

// Classifies one article's lines against the chrome model (read only);
// with `body_only`, keeps the body and title and skips the line roles and
// the clusterer's text.
void CleanOne(const clean::LineClassifier& classifier, const clean::ChromeModel& chrome,
              bool body_only, ArticleWork& w) {
  Article& a = *w.article;
  const clean::CleanedArticle c = classifier.Classify(a, &chrome);
  if (a.title.empty() || a.title_inferred) {
    // The headline cleaning found replaces a guessed title, in the store
    // and for the stages below.
    std::string title = clean::ArticleTitle(a, c);
    if (title != a.title) {
      a.title = std::move(title);
      a.title_inferred = false;
      w.title_found = true;
    }
  }
  w.analysis.body = c.body;
  if (body_only) return;
  w.analysis.lines = LineRoles(c);
  // The clusterer also reads byline lines: dates and datelines there tell
  // two happenings of the same kind apart (on ECB+, leaving them out costs
  // 0.024 BCubed F1). Chrome, captions (often dated photos of other days)
  // and repeated lines stay out.
  for (const clean::Line& l : c.lines) {
    if (clean::IsBodyRole(l.role) || l.role == clean::Role::kByline) {
      w.cluster_text.append(l.text);
      w.cluster_text += '\n';
    }
  }
}

}  // namespace

Status CleanWork(PipelineState& state, ThreadPool& pool, std::vector<ArticleWork>& work,
                 bool body_only) {
  // The model learns from the articles in order, the whole batch first, so
  // that a site's chrome in this batch already counts. Reading an article's
  // lines is its own work (on the pool); counting them is in order.
  std::vector<clean::LineObservation> seen(work.size());
  if (Status s = pool.ParallelFor(work.size(),
                                  [&](std::size_t k, std::size_t) -> Status {
                                    seen[k] = clean::ChromeModel::Observation(*work[k].article);
                                    return Ok();
                                  });
      !s) {
    return s;
  }
  for (const clean::LineObservation& o : seen) state.chrome->Observe(o);
  return ClassifyWork(*state.classifier, *state.chrome, pool, work, body_only);
}

Status ClassifyWork(const clean::LineClassifier& classifier, const clean::ChromeModel& chrome,
                    ThreadPool& pool, std::vector<ArticleWork>& work, bool body_only) {
  // Each article on its own: the classifier and the model's lookups are
  // thread-safe.
  return pool.ParallelFor(work.size(), [&](std::size_t k, std::size_t) -> Status {
    CleanOne(classifier, chrome, body_only, work[k]);
    return Ok();
  });
}

Status CleanArticles(BatchContext& batch) {
  if (Status s = CleanWork(batch.state, batch.pool, batch.work); !s) return s;
  std::vector<std::pair<std::string, std::string>> titles;  // (id, title) to store
  for (const ArticleWork& w : batch.work) {
    if (w.title_found) titles.push_back({w.analysis.id, w.article->title});
  }
  return batch.store.SetTitles(titles);
}

}  // namespace storyline::pipeline
