// The duplicates stage: shingles and sketches (on the pool), then the
// duplicate index, verified pairs with evidence, dup groups and copy links
// (in publication order, on the calling thread).
#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "pipeline/stages.h"
#include "storyline/text/normalize.h"

namespace storyline::pipeline {
namespace {

// The body's hash for exact duplicates: normalised (case, quotes, dashes,
// spacing folded) so that re-encodings of one text compare equal. A body
// that does not normalise (ill-formed UTF-8) is hashed as it is: its
// re-encodings are then not matched exactly, but near and partial copies
// are still found from its shingles.
std::uint64_t BodyHash(std::string_view body) {
  if (body.empty()) return 0;
  Result<std::string> norm = text::NormalizeLine(body);
  const std::uint64_t h = text::Hash64(norm ? std::string_view(*norm) : body);
  return h == 0 ? 1 : h;
}

// Changed articles leave the index with their old pairs before their new
// version is added; the rest of their old group joins `touched` to be
// relabelled.
Status RemoveChanged(BatchContext& batch, std::set<dedup::DocId>& touched) {
  dedup::DuplicateIndex& index = *batch.state.index;
  std::vector<dedup::DocId> changed;
  for (const ArticleWork& w : batch.work) {
    if (!index.Contains(w.doc)) continue;
    changed.push_back(w.doc);
    if (std::optional<dedup::GroupInfo> g = index.Group(w.doc)) {
      touched.insert(g->members.begin(), g->members.end());
    }
    if (Status s = batch.store.DeleteDuplicatesOf(w.analysis.id); !s) return s;
  }
  index.Remove(changed);
  return Ok();
}

// The pair of `w` with an indexed article, its evidence ranges of w's body
// (stored with w's analysis in this batch).
store::DuplicateRecord PairRecord(const ArticleWork& w, const dedup::DuplicatePair& p,
                                  const std::string& other_id) {
  store::DuplicateRecord rec;
  rec.a = w.analysis.id;
  rec.b = other_id;
  rec.relation = std::string(dedup::RelationName(p.relation));
  rec.jaccard = p.jaccard;
  rec.containment = p.containment;
  rec.evidence_spans = EvidenceSpans(w, p);
  return rec;
}

// Adds the sketches to the index in publication order; the verified pairs
// found are stored and their documents join `touched`.
Status AddToIndex(BatchContext& batch, std::set<dedup::DocId>& touched) {
  PipelineState& state = batch.state;
  std::vector<store::DuplicateRecord> pairs;
  for (ArticleWork& w : batch.work) {
    Result<dedup::AddOutcome> out = state.index->Add(std::move(*w.sketch));
    w.sketch.reset();
    if (!out) return Fail(out.error());
    state.id_of_doc[w.doc] = w.analysis.id;
    touched.insert(w.doc);
    for (const dedup::DuplicatePair& p : out->pairs) {
      pairs.push_back(PairRecord(w, p, state.id_of_doc[p.other]));
      touched.insert(p.other);
    }
    w.token_spans = {};  // only this article's pairs quote it
  }
  batch.report.duplicate_pairs = static_cast<std::int64_t>(pairs.size());
  return batch.store.PutDuplicates(pairs);
}

// Relabels the group of every document whose group may have changed
// (label = the canonical article's id; copy_of = the member each copy
// copies), in the store and in the batch's analyses.
Status Regroup(BatchContext& batch, const std::set<dedup::DocId>& touched) {
  PipelineState& state = batch.state;
  std::set<dedup::DocId> members;
  for (dedup::DocId d : touched) {
    if (std::optional<dedup::GroupInfo> g = state.index->Group(d)) {
      members.insert(g->members.begin(), g->members.end());
    }
  }
  std::vector<std::array<std::string, 3>> rows;  // (id, group, copy_of)
  std::map<std::string, std::size_t> row_of;     // article id -> its row
  for (dedup::DocId d : members) {
    std::optional<dedup::GroupInfo> g = state.index->Group(d);
    if (!g) continue;
    std::array<std::string, 3> row;
    row[0] = state.id_of_doc[d];
    if (g->members.size() > 1) row[1] = state.id_of_doc[g->canonical];
    if (std::optional<dedup::CopyLink> link = state.index->CopyOf(d)) {
      row[2] = state.id_of_doc[link->source];
    }
    row_of[row[0]] = rows.size();
    rows.push_back(std::move(row));
  }
  for (ArticleWork& w : batch.work) {
    const auto it = row_of.find(w.analysis.id);
    if (it == row_of.end()) continue;
    w.analysis.dup_group = rows[it->second][1];
    w.analysis.copy_of = rows[it->second][2];
  }
  return batch.store.SetDupGroups(rows);
}

}  // namespace

Status SketchWork(PipelineState& state, ThreadPool& pool, std::vector<ArticleWork>& work,
                  bool serialize) {
  std::vector<text::ShingleSet> scratch(pool.size());
  return pool.ParallelFor(work.size(), [&](std::size_t k, std::size_t worker) -> Status {
    ArticleWork& w = work[k];
    text::Shingler& shingler = state.shinglers[worker];
    Result<dedup::DocumentSketch> sk =
        SketchArticle(*state.sketcher, shingler, w.doc, w.analysis, scratch[worker]);
    if (!sk) return Fail(sk.error());
    if (serialize) w.analysis.sketch = state.sketcher->Serialize(*sk);
    w.sketch = std::move(*sk);
    w.token_spans.clear();
    w.token_spans.reserve(shingler.tokens().size());
    for (const text::Token& t : shingler.tokens()) {
      w.token_spans.emplace_back(static_cast<std::uint32_t>(t.span.begin),
                                 static_cast<std::uint32_t>(t.span.end));
    }
    return Ok();
  });
}

std::vector<std::pair<std::uint32_t, std::uint32_t>> EvidenceSpans(
    const ArticleWork& w, const dedup::DuplicatePair& pair) {
  const std::vector<std::pair<std::uint32_t, std::uint32_t>>& tokens = w.token_spans;
  const std::size_t body = w.analysis.body.size();
  std::vector<std::pair<std::uint32_t, std::uint32_t>> out;
  for (const dedup::Passage& e : pair.evidence) {
    if (e.begin_token >= tokens.size() || e.end_token == 0) continue;
    const std::size_t last = std::min<std::size_t>(e.end_token, tokens.size()) - 1;
    const std::uint32_t b = tokens[e.begin_token].first;
    const std::uint32_t end = tokens[last].second;
    if (b < end && end <= body) out.emplace_back(b, end);
  }
  return out;
}

std::vector<std::string> EvidenceTexts(const ArticleWork& w, const dedup::DuplicatePair& pair) {
  std::vector<std::string> out;
  for (const auto& [b, end] : EvidenceSpans(w, pair)) {
    out.push_back(w.analysis.body.substr(b, end - b));
  }
  return out;
}

Result<dedup::DocumentSketch> SketchArticle(const dedup::Sketcher& sketcher,
                                            text::Shingler& shingler, dedup::DocId doc,
                                            const store::ArticleAnalysis& analysis,
                                            text::ShingleSet& shingles) {
  if (Status s = shingler.Shingle(analysis.body, analysis.lang, &shingles); !s) {
    return MakeError(s.error().code,
                     "article '" + analysis.id + "': shingling its body: " + s.error().message);
  }
  dedup::DocumentInput in;
  in.id = doc;
  in.body_hash = BodyHash(analysis.body);
  in.shingles = shingles.hashes;
  in.shingle_starts = shingles.starts;
  // Only a publication time the input gave orders copies: an inferred date
  // is a day at midnight and would rank a copy before its dated original.
  in.timestamp = analysis.published_inferred ? 0 : TimeOf(analysis.published).value_or(0);
  in.body_length = static_cast<std::uint32_t>(analysis.body.size());
  return sketcher.Sketch(in);
}

Status FindDuplicates(BatchContext& batch) {
  std::set<dedup::DocId> touched;
  if (Status s = RemoveChanged(batch, touched); !s) return s;
  if (Status s = SketchWork(batch.state, batch.pool, batch.work); !s) return s;
  if (Status s = AddToIndex(batch, touched); !s) return s;
  return Regroup(batch, touched);
}

}  // namespace storyline::pipeline
