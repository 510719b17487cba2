// The dates stage: publication dates for articles whose input gave none,
// and the stream's clock.
//
// A date comes from each article's own context only: its dateline, else
// its own dates; a date written without a year ("8 janvier") takes the year
// of the article's own full dates (in its text or URLs). Only an article
// that writes no year of its own borrows a year anchor, nearest evidence
// first: the articles of its source in this batch, else its neighbours in
// input order (a stream delivers articles about when they were written),
// those read from the same file or folder first, else the newest publication time the input gave.
// No year is ever voted over the whole batch: a corpus of 2012 articles does not move a 2022
// article's "8 janvier".
#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/stages.h"

namespace storyline::pipeline {
namespace {

// Input positions on each side whose dates anchor the year of an article
// that writes none of its own.
constexpr std::size_t kNeighbours = 5;

// Days known from the articles themselves, by batch position: given, or
// inferred with a year of the article's own.
using Settled = std::map<std::size_t, CivilDate>;

void SetInferred(ArticleWork& w, const digest::InferredDate& d) {
  w.analysis.published = FormatDate(d.date);
  w.analysis.published_inferred = true;
}

CivilDate Median(std::vector<CivilDate> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// The input an article was read from: its file ("news.jsonl" of
// "news.jsonl:12") or, for a file per article, its folder.
std::string_view InputOf(std::string_view origin) {
  const std::size_t colon = origin.rfind(':');
  if (colon != std::string_view::npos && colon + 1 < origin.size() &&
      origin.find_first_not_of("0123456789", colon + 1) == std::string_view::npos) {
    return origin.substr(0, colon);
  }
  const std::size_t slash = origin.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : origin.substr(0, slash);
}

// The year anchor of the article `w` that writes no year of its own: the
// median day of its source's articles in the batch, else of its input
// neighbours read from the same file or folder, else of any input
// neighbours, else the newest given publication time; nullopt when none.
// (Inputs given together on one command line are often unrelated: a folder
// of 2022 articles read after a 2025 feed keeps its own year.)
std::optional<CivilDate> YearAnchor(const ArticleWork& w, const Settled& settled,
                                    const std::map<std::string, std::vector<CivilDate>>& by_source,
                                    const std::vector<const ArticleWork*>& by_position,
                                    std::optional<Timestamp> latest_published) {
  const Article& a = *w.article;
  if (auto it = by_source.find(a.source); !a.source.empty() && it != by_source.end()) {
    return Median(it->second);
  }
  const std::size_t i = w.position;
  const std::string_view input = InputOf(a.origin);
  std::vector<CivilDate> near;
  std::vector<CivilDate> same_input;
  const std::size_t from = i >= kNeighbours ? i - kNeighbours : 0;
  for (auto it = settled.lower_bound(from); it != settled.end() && it->first <= i + kNeighbours;
       ++it) {
    near.push_back(it->second);
    const ArticleWork* other = it->first < by_position.size() ? by_position[it->first] : nullptr;
    if (other != nullptr && InputOf(other->article->origin) == input) {
      same_input.push_back(it->second);
    }
  }
  if (!same_input.empty()) return Median(same_input);
  if (!near.empty()) return Median(near);
  if (latest_published) return ToCivilDate(*latest_published);
  return std::nullopt;
}

// The dates of articles that write one with its year; fills `settled` and
// returns the articles left (indices into the work). Dates are read on the
// pool; InferPublicationDate is pure.
Result<std::vector<std::size_t>> DateFromOwnText(BatchContext& batch, Settled& settled) {
  std::vector<ArticleWork>& work = batch.work;
  std::vector<std::optional<digest::InferredDate>> found(work.size());
  Status s = batch.pool.ParallelFor(work.size(), [&](std::size_t k, std::size_t) -> Status {
    const Article& a = *work[k].article;
    if (a.published.empty()) found[k] = InferPublished(a, work[k].analysis.body, std::nullopt);
    return Ok();
  });
  if (!s) return Fail(s.error());
  std::vector<std::size_t> unsettled;
  for (std::size_t k = 0; k < work.size(); ++k) {
    const Article& a = *work[k].article;
    if (!a.published.empty()) {
      if (std::optional<Timestamp> t = TimeOf(a.published)) {
        settled[work[k].position] = ToCivilDate(*t);
      }
    } else if (found[k]) {
      SetInferred(work[k], *found[k]);
      settled[work[k].position] = found[k]->date;
    } else {
      unsettled.push_back(k);
    }
  }
  return unsettled;
}

// Dates the articles that write no year of their own (`unsettled`) with
// their year anchors; an article with no anchor stays undated.
Status DateFromAnchors(BatchContext& batch, const Settled& settled,
                       const std::vector<std::size_t>& unsettled) {
  std::vector<ArticleWork>& work = batch.work;
  std::map<std::string, std::vector<CivilDate>> by_source;
  for (const ArticleWork& w : work) {
    const auto it = settled.find(w.position);
    if (it != settled.end() && !w.article->source.empty()) {
      by_source[w.article->source].push_back(it->second);
    }
  }
  std::vector<const ArticleWork*> by_position;
  for (const ArticleWork& w : work) {
    if (w.position >= by_position.size()) by_position.resize(w.position + 1, nullptr);
    by_position[w.position] = &w;
  }
  std::vector<std::optional<CivilDate>> anchors(unsettled.size());
  for (std::size_t u = 0; u < unsettled.size(); ++u) {
    anchors[u] = YearAnchor(work[unsettled[u]], settled, by_source, by_position,
                            batch.state.latest_published);
  }
  std::vector<std::optional<digest::InferredDate>> found(unsettled.size());
  Status s = batch.pool.ParallelFor(unsettled.size(), [&](std::size_t u, std::size_t) -> Status {
    if (!anchors[u]) return Ok();
    const ArticleWork& w = work[unsettled[u]];
    found[u] = InferPublished(*w.article, w.analysis.body, anchors[u]);
    return Ok();
  });
  if (!s) return s;
  for (std::size_t u = 0; u < unsettled.size(); ++u) {
    if (found[u]) SetInferred(work[unsettled[u]], *found[u]);
  }
  return Ok();
}

}  // namespace

Status DateArticles(BatchContext& batch) {
  PipelineState& state = batch.state;
  for (ArticleWork& w : batch.work) {
    if (std::optional<Timestamp> t = TimeOf(w.article->published)) {
      if (!state.latest_published || *t > *state.latest_published) state.latest_published = *t;
    }
    w.analysis.published = w.article->published;
    w.analysis.published_inferred = w.article->published_inferred;
  }
  Settled settled;
  Result<std::vector<std::size_t>> unsettled = DateFromOwnText(batch, settled);
  if (!unsettled) return Fail(unsettled.error());
  if (!unsettled->empty()) {
    if (Status s = DateFromAnchors(batch, settled, *unsettled); !s) return s;
  }
  for (const ArticleWork& w : batch.work) {
    if (!w.analysis.published_inferred || !w.article->published.empty()) continue;
    if (std::optional<Timestamp> t = TimeOf(w.analysis.published)) {
      if (!state.latest_inferred || *t > *state.latest_inferred) state.latest_inferred = *t;
    }
  }
  return Ok();
}

std::optional<digest::InferredDate> InferPublished(const Article& article, const std::string& body,
                                                   std::optional<CivilDate> anchor) {
  // The raw text keeps the dateline even when cleaning called it a byline.
  const std::string& source = article.text.empty() ? body : article.text;
  Result<digest::InferredDate> d =
      digest::InferPublicationDate(source, article.lang, anchor, article.url);
  // No date found is an answer: the article stays undated.
  if (!d) return std::nullopt;
  return *d;
}

}  // namespace storyline::pipeline
