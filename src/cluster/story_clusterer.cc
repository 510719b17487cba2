#include "storyline/cluster/story_clusterer.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <limits>
#include <map>
#include <queue>
#include <set>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "cluster/bilingual.h"
#include "cluster/features.h"
#include "cluster/flat_counter.h"
#include "cluster/flat_postings.h"
#include "cluster/state_codec.h"
#include "cluster/story_model.h"
#include "cluster/training.h"

namespace storyline::cluster {

using internal::ByteReader;
using internal::ByteWriter;
using internal::ExtractedArticle;
using internal::FeatureExtractor;
using internal::Field;
using internal::kBody;
using internal::kFieldCount;
using internal::kModelInputs;
using internal::kNames;
using internal::kNumbers;
using internal::kPivot;
using internal::kTitle;
using internal::SparseVector;
using internal::StoryModel;
using internal::TermWeight;

namespace {

constexpr double kSecondsPerDay = 86400.0;
constexpr std::size_t kLabelsPerStory = 12;
// A centroid's cached IDF and norm are refreshed once the corpus grew by
// 1/kRefreshDiv (about 8%) since: a refresh looks every centroid term up in
// the document-frequency table, a cache miss each on a large stream.
// ECB+ F1 moves by under 0.002 from 1/40 to 1/5; examples/ keeps its
// figures up to 1/16 and loses 0.02 story F1 at 1/10 (a 41-article corpus
// is refreshed every few articles either way).
constexpr std::uint64_t kRefreshDiv = 12;
// Stories scored against each changed story by the repair pass (4 and 24
// give the same ECB+ and examples/ results).
constexpr std::size_t kRepairCandidates = 4;
// Members a story keeps a sketch of (its first article and the latest
// ones), and the body terms kept per sketch: the model's member inputs.
constexpr std::size_t kSamples = 6;
constexpr std::size_t kSampleTerms = 12;

// One article's field vector ready for scoring: unit-length TF (what the
// centroid accumulates) and TF-IDF weights with the IDF used.
struct DocTerm {
  std::uint64_t term;
  float tf;      // 1 + ln tf, scaled to unit length over the field
  float weight;  // tf * idf
  float idf;
};
struct DocVector {
  std::vector<DocTerm> terms;  // sorted by term
  double norm = 0.0;           // L2 norm of the TF-IDF weights
};

struct Doc {
  std::array<DocVector, kFieldCount> fields;
  bool headline = false;  // no body: the title is all there is
  std::string lang;
  std::vector<std::pair<std::uint64_t, std::string>> labels;
};

// Centroid field: sums of the members' unit TF vectors, top terms only.
struct CentroidField {
  SparseVector terms;  // sorted by term
  double norm = 0.0;   // L2 norm of weight * idf, at norm_docs documents
};

struct Span {
  std::optional<Timestamp> first;
  std::optional<Timestamp> last;

  void Add(std::optional<Timestamp> t) {
    if (!t) return;
    first = first ? std::min(*first, *t) : *t;
    last = last ? std::max(*last, *t) : *t;
  }
  void Add(const Span& other) {
    Add(other.first);
    Add(other.last);
  }
  // Days from `t` to [first, last]; nullopt when either side is undated.
  std::optional<double> DistanceDays(std::optional<Timestamp> t) const {
    if (!t || !first) return std::nullopt;
    if (*t < *first) return static_cast<double>(*first - *t) / kSecondsPerDay;
    if (*t > *last) return static_cast<double>(*t - *last) / kSecondsPerDay;
    return 0.0;
  }
  std::optional<double> DistanceDays(const Span& other) const {
    if (!other.first || !first) return std::nullopt;
    if (*other.last < *first) return static_cast<double>(*first - *other.last) / kSecondsPerDay;
    if (*other.first > *last) return static_cast<double>(*other.first - *last) / kSecondsPerDay;
    return 0.0;
  }
};

// Live story (or storyline: the same shape, fewer fields used).
struct Cluster {
  std::uint64_t serial = 0;  // creation number; ids and tie-breaks
  std::string id;
  std::uint32_t parent = 0;  // story: slot of its storyline
  std::array<CentroidField, kFieldCount> centroid;
  // Story: body-word sketches of sampled members, the first article first.
  std::vector<CentroidField> samples;
  std::uint64_t norm_docs = 0;
  Span span;
  std::vector<std::string> articles;  // story: member ids
  std::vector<std::string> languages;
  std::vector<std::pair<std::uint64_t, std::string>> labels;  // sorted by term
  std::vector<std::uint64_t> indexed;                         // sorted
  std::uint64_t last_seq = 0;    // article sequence number of the last update
  Timestamp last_clock = 0;      // stream clock at the last update
  std::uint64_t repair_seq = 0;  // last_seq when last checked by Repair
  std::uint32_t members = 0;     // storyline: its live stories
  std::uint32_t headlines = 0;   // story: members that are headlines alone
  bool alive = false;
  bool queued = false;           // story: in State::repair_queue (not serialised)
  bool recheck_pending = false;  // story: in State::recheck (not serialised)
};

// Index of live clusters by term (Miranda et al. retrieve candidate
// clusters by shared features instead of comparing with every cluster).
using Postings = internal::FlatPostings;

// One level of clusters (stories, or storylines) with slots, index and LRU.
struct Level {
  std::vector<Cluster> slots;
  std::vector<std::uint32_t> free;
  std::unordered_map<std::string, std::uint32_t> by_id;
  Postings index;
  // (last_seq, serial, slot): least recently updated first, ties by age.
  std::set<std::tuple<std::uint64_t, std::uint64_t, std::uint32_t>> lru;
  std::uint64_t next_serial = 1;
  std::size_t live = 0;

  std::uint32_t Allocate() {
    if (!free.empty()) {
      std::uint32_t slot = free.back();
      free.pop_back();
      return slot;
    }
    slots.emplace_back();
    return static_cast<std::uint32_t>(slots.size() - 1);
  }
};

double Gaussian(double days, double sigma) { return std::exp(-days * days / (2 * sigma * sigma)); }

std::string FormatId(char prefix, std::uint64_t serial) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%c%08llu", prefix, static_cast<unsigned long long>(serial));
  return buf;
}

Status Validate(const ClusterOptions& o) {
  auto bad = [](const char* name) {
    return MakeError(ErrorCode::kInvalidArgument,
                     std::string("ClusterOptions.") + name + " is out of range");
  };
  const std::pair<const char*, const std::vector<double>*> models[] = {
      {"story_model", &o.story_model}, {"headline_model", &o.headline_model}};
  for (const auto& [name, m] : models) {
    if (!m->empty() && m->size() != StoryModel().size()) return bad(name);
    for (double w : *m) {
      if (!std::isfinite(w) || std::abs(w) > 1e4) return bad(name);
    }
  }
  const std::pair<const char*, double> weights[] = {
      {"storyline_names_weight", o.storyline_names_weight},
      {"storyline_body_weight", o.storyline_body_weight},
      {"storyline_time_weight", o.storyline_time_weight},
  };
  for (const auto& [name, w] : weights) {
    if (!(w >= 0 && w <= 10)) return bad(name);
  }
  const std::pair<const char*, double> probabilities[] = {
      {"join_probability", o.join_probability},
      {"merge_probability", o.merge_probability},
  };
  for (const auto& [name, p] : probabilities) {
    if (!(p > 0 && p < 1)) return bad(name);
  }
  if (!(o.storyline_threshold >= 0 && o.storyline_threshold <= 2)) {
    return bad("storyline_threshold");
  }
  const std::pair<const char*, double> positives[] = {
      {"time_sigma_days", o.time_sigma_days},
      {"story_window_days", o.story_window_days},
      {"storyline_sigma_days", o.storyline_sigma_days},
      {"storyline_window_days", o.storyline_window_days},
  };
  for (const auto& [name, v] : positives) {
    if (!(v > 0)) return bad(name);
  }
  const std::pair<const char*, int> counts[] = {
      {"centroid_terms", o.centroid_terms}, {"index_terms", o.index_terms},
      {"query_terms", o.query_terms},       {"max_candidates", o.max_candidates},
      {"max_posting", o.max_posting},       {"max_live_stories", o.max_live_stories},
  };
  for (const auto& [name, v] : counts) {
    if (v <= 0) return bad(name);
  }
  if (o.pivot_index_terms < 0) return bad("pivot_index_terms");
  if (o.repair_every < 0) return bad("repair_every");
  if (o.df_halving_docs < 0) return bad("df_halving_docs");
  if (!(o.recheck_growth == 0 || (o.recheck_growth > 1 && o.recheck_growth <= 1e6))) {
    return bad("recheck_growth");
  }
  return Ok();
}

double Logit(double p) { return std::log(p / (1.0 - p)); }

}  // namespace

struct StoryClusterer::State {
  explicit State(const ClusterOptions& o)
      : options(o),
        model(o.story_model.empty() ? internal::kFittedStoryModel : ToModel(o.story_model)),
        headline_model(o.headline_model.empty() ? internal::kFittedHeadlineModel
                                                : ToModel(o.headline_model)),
        join_logit(Logit(o.join_probability)),
        merge_logit(Logit(o.merge_probability)),
        lexicon(internal::BilingualLexicon::Shared(o.dictionary_dir)),
        extractor(lexicon) {}

  static StoryModel ToModel(const std::vector<double>& v) {
    StoryModel m{};
    std::copy(v.begin(), v.end(), m.begin());
    return m;
  }

  ClusterOptions options;
  StoryModel model;           // full texts
  StoryModel headline_model;  // headlines alone
  // Sees every scored candidate when set (model fitting only).
  internal::TrainingObserver* observer = nullptr;
  double join_logit;
  double merge_logit;
  std::shared_ptr<const internal::BilingualLexicon> lexicon;
  FeatureExtractor extractor;
  std::vector<FeatureExtractor> batch_extractors;

  // Online IDF (document frequency per field-tagged term hash).
  internal::FlatCounter df;
  std::uint64_t docs = 0;  // N of the IDF: halved with the counts
  // Documents counted over the whole stream (never halved): the clock of
  // the centroids' IDF caches.
  std::uint64_t counted = 0;

  Level stories;
  Level storylines;
  std::unordered_map<std::string, std::uint32_t> article_story;  // live stories only

  std::uint64_t seq = 0;  // articles added
  std::optional<Timestamp> clock;
  std::vector<StoryMerge> merges;
  std::vector<StorylineMerge> storyline_merges;
  std::vector<FrozenStory> frozen;
  // Stories changed since the last repair pass, as (serial, slot); entries
  // of stories since released are skipped. The pass visits these instead of
  // every live story, so its cost follows the stream, not the window.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> repair_queue;
  struct Recheck {
    std::uint64_t due;
    std::uint64_t serial;
    std::uint32_t slot;
    bool operator>(const Recheck& o) const {
      return std::tie(due, serial, slot) > std::tie(o.due, o.serial, o.slot);
    }
  };
  std::priority_queue<Recheck, std::vector<Recheck>, std::greater<Recheck>> recheck;
  std::uint64_t RecheckDue(const Cluster& c) const {
    return static_cast<std::uint64_t>(
               static_cast<double>(std::max<std::uint64_t>(c.repair_seq, 1)) *
               options.recheck_growth) +
           1;
  }

  // Scratch for centroid updates and candidate retrieval.
  std::vector<std::pair<float, std::uint64_t>> rank_scratch;
  std::vector<std::pair<double, std::uint64_t>> top_scratch;
  SparseVector merge_scratch;
  SparseVector tf_scratch;
  std::vector<float> hit_score;
  std::vector<std::uint32_t> touched;
  std::vector<std::pair<double, std::uint64_t>> query_scratch;
  std::vector<std::pair<float, std::uint32_t>> hit_scratch;
  std::vector<std::uint32_t> story_candidates;
  std::vector<std::uint32_t> line_candidates;
  std::vector<std::uint64_t> terms_scratch;
  std::vector<std::uint64_t> gone_scratch;
  std::vector<std::uint64_t> added_scratch;
  std::vector<std::uint32_t> repair_candidates;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> repair_shared;
  std::vector<std::pair<std::uint64_t, std::string>> labels_scratch;

  // IDF = ln(1 + N / df), learned online. N is taken with its 7 leading
  // bits only (steps under 1%), so that IDF values for the common small df
  // can be tabled for a whole step instead of calling log() hundreds of
  // times per article; N_eff is a function of N alone, so results stay a
  // function of the stream.
  static std::uint64_t EffectiveDocs(std::uint64_t n) {
    const int bits = std::bit_width(n);
    return bits <= 7 ? n : n & ~((std::uint64_t{1} << (bits - 7)) - 1);
  }

  double Idf(std::uint64_t term) const { return IdfOfCount(df.Get(term)); }

  double IdfOfCount(std::uint32_t count) const {
    const std::uint32_t n = std::max<std::uint32_t>(count, 1);
    const std::uint64_t docs_eff = EffectiveDocs(docs);
    if (docs_eff != idf_table_docs) {
      idf_table_docs = docs_eff;
      idf_table.assign(kIdfTableSize, -1.0f);
    }
    if (n < kIdfTableSize) {
      float& cached = idf_table[n];
      if (cached < 0) {
        cached = static_cast<float>(std::log(1.0 + static_cast<double>(docs_eff) / n));
      }
      return cached;
    }
    return static_cast<float>(std::log(1.0 + static_cast<double>(docs_eff) / n));
  }
  static constexpr std::uint32_t kIdfTableSize = 4096;
  mutable std::vector<float> idf_table;
  mutable std::uint64_t idf_table_docs = ~std::uint64_t{0};

  // Counts the article's terms into the document frequencies (it is one
  // of the N documents its own IDF is computed over), then builds its
  // scoring vectors from the counts just written: one table access per
  // term, the whole article's prefetched first.
  Doc CountAndMakeDoc(ExtractedArticle x) {
    const auto halving = static_cast<std::uint64_t>(options.df_halving_docs);
    if (halving > 0 && counted > 0 && counted % halving == 0) {
      df.Halve();
      docs /= 2;
    }
    ++docs;
    ++counted;
    for (const SparseVector& field : x.fields) {
      for (const TermWeight& t : field) df.Prefetch(t.term);
    }
    Doc doc;
    doc.headline = x.headline;
    doc.lang = std::move(x.lang);
    doc.labels = std::move(x.labels);
    for (int f = 0; f < kFieldCount; ++f) {
      DocVector& v = doc.fields[f];
      const SparseVector& tf = x.fields[f];
      double tf_norm = 0;
      for (const TermWeight& t : tf) tf_norm += double{t.weight} * t.weight;
      tf_norm = std::sqrt(tf_norm);
      v.terms.reserve(tf.size());
      double norm = 0;
      for (const TermWeight& t : tf) {
        const double idf = IdfOfCount(df.Increment(t.term));
        const double unit = t.weight / tf_norm;
        v.terms.push_back({t.term, static_cast<float>(unit), static_cast<float>(unit * idf),
                           static_cast<float>(idf)});
        norm += unit * idf * unit * idf;
      }
      v.norm = std::sqrt(norm);
    }
    return doc;
  }

  // --- centroids ---

  void RefreshNorms(Cluster* c) {
    // IDF drifts as documents arrive; each centroid term caches its IDF,
    // and the cache and the norm are refreshed when the corpus grew by
    // 1/kRefreshDiv since (a term's IDF moves by at most ln(1 + 1/12) ≈ 0.08
    // in between;
    // results stay a function of the stream alone). Terms an article
    // brings get that article's current IDF.
    for (const CentroidField& field : c->centroid) {
      for (const TermWeight& t : field.terms) df.Prefetch(t.term);
    }
    auto refresh = [this](CentroidField& field) {
      double norm = 0;
      for (TermWeight& t : field.terms) {
        t.idf = static_cast<float>(Idf(t.term));
        const double w = double{t.weight} * t.idf;
        norm += w * w;
      }
      field.norm = std::sqrt(norm);
    };
    for (CentroidField& field : c->centroid) refresh(field);
    for (CentroidField& field : c->samples) refresh(field);
    c->norm_docs = counted;
  }

  void MaybeRefreshNorms(Cluster* c) {
    if (c->norm_docs == 0 || counted > c->norm_docs + c->norm_docs / kRefreshDiv) {
      RefreshNorms(c);
    }
  }

  // The article being scored, its field terms in small open-addressing
  // tables (built once per article): scoring a candidate then walks the
  // centroid's terms with independent lookups instead of a merge whose
  // every step waits on the previous one. Matches are added in ascending
  // term order, as the merge adds them, so the sums are the same bits.
  struct DocLookup {
    std::vector<DocTerm> slots;  // term 0 = empty
    std::size_t mask = 0;
    bool usable = false;  // false when a term hashes to 0 (then: merge)
  };
  std::array<DocLookup, kFieldCount> doc_lookup;

  void BuildLookups(const Doc& doc) {
    for (int f = 0; f < kFieldCount; ++f) {
      const DocVector& v = doc.fields[f];
      DocLookup& t = doc_lookup[f];
      std::size_t size = 16;
      while (size < v.terms.size() * 2) size *= 2;
      t.slots.assign(size, DocTerm{0, 0.0f, 0.0f, 0.0f});
      t.mask = size - 1;
      t.usable = true;
      for (const DocTerm& d : v.terms) {
        if (d.term == 0) t.usable = false;
        std::size_t i = static_cast<std::size_t>(d.term) & t.mask;
        while (t.slots[i].term != 0) i = (i + 1) & t.mask;
        t.slots[i] = d;
      }
    }
  }

  // Cosine(d, c), d being the article whose lookups are built.
  double DocCosine(const Doc& doc, int f, const CentroidField& c) const {
    const DocVector& d = doc.fields[f];
    if (d.norm <= 0 || c.norm <= 0) return 0.0;
    const DocLookup& t = doc_lookup[f];
    if (!t.usable) return Cosine(d, c);
    const DocTerm* slots = t.slots.data();
    double dot = 0;
    for (const TermWeight& b : c.terms) {
      std::size_t i = static_cast<std::size_t>(b.term) & t.mask;
      while (slots[i].term != b.term && slots[i].term != 0) i = (i + 1) & t.mask;
      // An empty slot has weight 0: it adds +0, as a non-match does in
      // the merge.
      const DocTerm& a = slots[i];
      dot += double{a.weight} * b.weight * a.idf;
    }
    return std::min(1.0, dot / (d.norm * c.norm));
  }

  static double Cosine(const DocVector& d, const CentroidField& c) {
    if (d.norm <= 0 || c.norm <= 0) return 0.0;
    double dot = 0;
    auto a = d.terms.begin();
    auto b = c.terms.begin();
    const auto a_end = d.terms.end();
    const auto b_end = c.terms.end();
    // A branch-free merge: which side advances is data-dependent and
    // mispredicted half the time; adding 0 for a non-match leaves the sum
    // exactly as the branchy form computes it.
    while (a != a_end && b != b_end) {
      const std::uint64_t x = a->term;
      const std::uint64_t y = b->term;
      dot += double{a->weight} * b->weight * a->idf * static_cast<double>(x == y);
      a += x <= y;
      b += y <= x;
    }
    return std::min(1.0, dot / (d.norm * c.norm));
  }

  double Cosine(const CentroidField& x, const CentroidField& y) const {
    if (x.norm <= 0 || y.norm <= 0) return 0.0;
    double dot = 0;
    auto a = x.terms.begin();
    auto b = y.terms.begin();
    while (a != x.terms.end() && b != y.terms.end()) {
      if (a->term < b->term) {
        ++a;
      } else if (b->term < a->term) {
        ++b;
      } else {
        dot += double{a->weight} * b->weight * a->idf * b->idf;
        ++a;
        ++b;
      }
    }
    return std::min(1.0, dot / (x.norm * y.norm));
  }

  // field += add, then keep the `keep` heaviest terms by weight * idf (the
  // bounded centroid: old, rare words give way to the story's core terms).
  // Sets the field's norm. Each term keeps its cached IDF; a term of `add`
  // (an article's, or another centroid's) brings its own.
  void MergeInto(CentroidField* field, const SparseVector& add, std::size_t keep) {
    // Built in a reused buffer, then copied: the centroid keeps a tight
    // allocation (memory per live story) and steady state allocates little.
    SparseVector& merged = merge_scratch;
    merged.clear();
    merged.reserve(field->terms.size() + add.size());
    auto a = field->terms.begin();
    auto b = add.begin();
    while (a != field->terms.end() && b != add.end()) {
      if (a->term < b->term) {
        merged.push_back(*a++);
      } else if (b->term < a->term) {
        merged.push_back(*b++);
      } else {
        merged.push_back({a->term, a->weight + b->weight, b->idf});
        ++a;
        ++b;
      }
    }
    merged.insert(merged.end(), a, field->terms.end());
    merged.insert(merged.end(), b, add.end());
    if (merged.size() > keep) {
      std::vector<std::pair<float, std::uint64_t>>& ranked = rank_scratch;
      ranked.clear();
      for (const TermWeight& t : merged) ranked.emplace_back(t.weight * t.idf, t.term);
      auto heavier = [](const auto& x, const auto& y) {
        return x.first != y.first ? x.first > y.first : x.second < y.second;
      };
      std::nth_element(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(keep - 1),
                       ranked.end(), heavier);
      const auto cut = ranked[keep - 1];  // the lightest term kept
      std::size_t out = 0;
      for (const TermWeight& t : merged) {
        if (!heavier(cut, std::pair<float, std::uint64_t>(t.weight * t.idf, t.term))) {
          merged[out++] = t;
        }
      }
      merged.resize(out);
    }
    double norm = 0;
    for (const TermWeight& t : merged) {
      const double w = double{t.weight} * t.idf;
      norm += w * w;
    }
    field->norm = std::sqrt(norm);
    field->terms.assign(merged.begin(), merged.end());
  }

  const SparseVector& TfOf(const DocVector& v) {
    tf_scratch.clear();
    for (const DocTerm& t : v.terms) tf_scratch.push_back({t.term, t.tf, t.idf});
    return tf_scratch;
  }

  // Takes the strings of `add` (left empty or moved-from).
  void MergeLabels(Cluster* c, std::vector<std::pair<std::uint64_t, std::string>>* add) {
    // Keep display strings only for terms still in the names/title centroid.
    auto in_centroid = [&](std::uint64_t term) {
      for (int f : {kNames, kTitle}) {
        const SparseVector& v = c->centroid[f].terms;
        auto it = std::lower_bound(v.begin(), v.end(), term,
                                   [](const TermWeight& t, std::uint64_t x) { return t.term < x; });
        if (it != v.end() && it->term == term) return true;
      }
      return false;
    };
    std::vector<std::pair<std::uint64_t, std::string>>& merged = labels_scratch;
    merged.clear();
    std::merge(std::make_move_iterator(c->labels.begin()), std::make_move_iterator(c->labels.end()),
               std::make_move_iterator(add->begin()), std::make_move_iterator(add->end()),
               std::back_inserter(merged),
               [](const auto& x, const auto& y) { return x.first < y.first; });
    merged.erase(std::unique(merged.begin(), merged.end(),
                             [](const auto& x, const auto& y) { return x.first == y.first; }),
                 merged.end());
    std::erase_if(merged, [&](const auto& l) { return !in_centroid(l.first); });
    c->labels.assign(std::make_move_iterator(merged.begin()),
                     std::make_move_iterator(merged.end()));
  }

  // --- index ---

  // The top terms, sorted, in terms_scratch.
  const std::vector<std::uint64_t>& TopTerms(const Cluster& c, std::size_t n) {
    std::vector<std::pair<double, std::uint64_t>>& ranked = top_scratch;
    ranked.clear();
    for (int f : {kNames, kNumbers, kBody}) {
      const CentroidField& field = c.centroid[f];
      if (field.norm <= 0) continue;
      for (const TermWeight& t : field.terms) {
        ranked.emplace_back(double{t.weight} * t.idf / field.norm, t.term);
      }
    }
    const std::size_t k = std::min(n, ranked.size());
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(k), ranked.end(),
                      [](const auto& x, const auto& y) {
                        return x.first != y.first ? x.first > y.first : x.second < y.second;
                      });
    std::vector<std::uint64_t>& out = terms_scratch;
    out.clear();
    for (std::size_t i = 0; i < k; ++i) out.push_back(ranked[i].second);
    // And its top English pivot terms, ranked apart (for an English story
    // they repeat its body words): a report in another language shares
    // few words with the story but its pivot, and would otherwise never
    // retrieve it.
    const auto pivot_terms = static_cast<std::size_t>(options.pivot_index_terms);
    if (pivot_terms > 0 && c.centroid[kPivot].norm > 0) {
      ranked.clear();
      const CentroidField& field = c.centroid[kPivot];
      for (const TermWeight& t : field.terms) {
        ranked.emplace_back(double{t.weight} * t.idf / field.norm, t.term);
      }
      const std::size_t kp = std::min<std::size_t>(pivot_terms, ranked.size());
      std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(kp),
                        ranked.end(), [](const auto& x, const auto& y) {
                          return x.first != y.first ? x.first > y.first : x.second < y.second;
                        });
      for (std::size_t i = 0; i < kp; ++i) out.push_back(ranked[i].second);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  void Reindex(Level* level, std::uint32_t slot, const std::vector<std::uint64_t>& terms) {
    Cluster& c = level->slots[slot];
    std::vector<std::uint64_t>& gone = gone_scratch;
    std::vector<std::uint64_t>& added = added_scratch;
    gone.clear();
    added.clear();
    std::set_difference(c.indexed.begin(), c.indexed.end(), terms.begin(), terms.end(),
                        std::back_inserter(gone));
    std::set_difference(terms.begin(), terms.end(), c.indexed.begin(), c.indexed.end(),
                        std::back_inserter(added));
    for (std::uint64_t t : gone) level->index.Erase(t, slot);
    for (std::uint64_t t : added) level->index.Insert(t, slot);
    c.indexed.assign(terms.begin(), terms.end());
  }

  // Live clusters of `level` sharing the doc's heaviest terms, best first,
  // into *out.
  void Candidates(Level* level, const Doc& doc, std::size_t query_terms, std::size_t max_candidates,
                  std::vector<std::uint32_t>* out) {
    std::vector<std::pair<double, std::uint64_t>>& query = query_scratch;
    query.clear();
    for (int f : {kNames, kNumbers, kBody}) {
      const DocVector& v = doc.fields[f];
      if (v.norm <= 0) continue;
      for (const DocTerm& t : v.terms) query.emplace_back(t.weight / v.norm, t.term);
    }
    std::size_t k = std::min(query_terms, query.size());
    std::partial_sort(query.begin(), query.begin() + static_cast<std::ptrdiff_t>(k), query.end(),
                      [](const auto& x, const auto& y) {
                        return x.first != y.first ? x.first > y.first : x.second < y.second;
                      });
    // Then its top pivot terms, as stories are indexed (TopTerms).
    const auto pivot_terms = static_cast<std::size_t>(options.pivot_index_terms);
    if (pivot_terms > 0 && level == &stories && doc.fields[kPivot].norm > 0) {
      query.resize(k);
      const DocVector& v = doc.fields[kPivot];
      for (const DocTerm& t : v.terms) query.emplace_back(t.weight / v.norm, t.term);
      const std::size_t kp = std::min<std::size_t>(pivot_terms, query.size() - k);
      std::partial_sort(query.begin() + static_cast<std::ptrdiff_t>(k),
                        query.begin() + static_cast<std::ptrdiff_t>(k + kp), query.end(),
                        [](const auto& x, const auto& y) {
                          return x.first != y.first ? x.first > y.first : x.second < y.second;
                        });
      k += kp;
    }
    if (hit_score.size() < level->slots.size()) hit_score.resize(level->slots.size(), 0.0f);
    touched.clear();
    for (std::size_t i = 0; i < k; ++i) {
      const std::vector<std::uint32_t>* list = level->index.Find(query[i].second);
      if (list == nullptr) continue;
      if (list->size() > static_cast<std::size_t>(options.max_posting)) continue;
      for (std::uint32_t slot : *list) {
        if (hit_score[slot] == 0.0f) touched.push_back(slot);
        hit_score[slot] += static_cast<float>(query[i].first);
      }
    }
    std::vector<std::pair<float, std::uint32_t>>& ranked = hit_scratch;
    ranked.clear();
    for (std::uint32_t slot : touched) {
      ranked.emplace_back(hit_score[slot], slot);
      hit_score[slot] = 0.0f;
    }
    const std::size_t m = std::min(max_candidates, ranked.size());
    const auto& slots = level->slots;
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(m), ranked.end(),
                      [&](const auto& x, const auto& y) {
                        return x.first != y.first ? x.first > y.first
                                                  : slots[x.second].serial < slots[y.second].serial;
                      });
    out->clear();
    for (std::size_t i = 0; i < m; ++i) out->push_back(ranked[i].second);
  }

  // --- scores ---

  double TimePenalty(std::optional<double> days, double sigma, double weight) const {
    if (!days) return 0.0;  // an undated side is neutral
    return weight * (1.0 - Gaussian(*days, sigma));
  }

  // The model's inputs for article `doc` against story `c`.
  using Inputs = std::array<double, kModelInputs>;
  // The largest the costly inputs (pivot cosine, member sketches) can add
  // to the log-odds of `m` given the cheap inputs `x`: each lies in [0, 1].
  static double CostlyBound(const StoryModel& m, const Inputs& x) {
    using namespace internal;  // NOLINT: the input names
    const double h = x[kInHeadline];
    const double n = x[kInNewLang];
    const double pivot = m[1 + kInPivot] + h * m[1 + kInHeadPivot] + n * m[1 + kInNewLangPivot];
    const double member = m[1 + kInMemberMax] + h * m[1 + kInHeadMemberMax];
    const double seed = m[1 + kInSeed] + h * m[1 + kInHeadSeed];
    return std::max(0.0, pivot) + std::max(0.0, member) + std::max(0.0, seed);
  }

  // The model's inputs for article `doc` against story `c`. With a `beat`,
  // returns nullopt without finishing when the margin over the join
  // boundary cannot exceed it: the cheap inputs come first, and the costly
  // ones are only computed when their largest contribution could still
  // matter. Exact: a candidate given up on could not have been chosen.
  std::optional<Inputs> ArticleInputs(const Doc& doc, std::optional<Timestamp> published,
                                      Cluster* c,
                                      double beat = -std::numeric_limits<double>::infinity()) {
    MaybeRefreshNorms(c);
    double cos[kFieldCount];
    for (int f : {kTitle, kBody, kNames, kNumbers}) cos[f] = DocCosine(doc, f, c->centroid[f]);
    cos[kPivot] = 0.0;
    const bool new_lang = doc.lang != "und" && std::find(c->languages.begin(), c->languages.end(),
                                                         doc.lang) == c->languages.end();
    const std::optional<double> days = c->span.DistanceDays(published);
    const bool no_numbers = doc.fields[kNumbers].norm <= 0;
    const bool no_names = doc.fields[kNames].norm <= 0;
    const StoryModel& m = ModelFor(doc.headline);
    const Inputs cheap =
        MakeInputs(cos, 0.0, 0.0, days, new_lang, doc.headline, no_numbers, no_names);
    if (internal::StoryLogit(m, cheap) + CostlyBound(m, cheap) - join_logit < beat) {
      return std::nullopt;
    }
    cos[kPivot] = DocCosine(doc, kPivot, c->centroid[kPivot]);
    double member_max = 0;
    double seed = 0;
    for (std::size_t i = 0; i < c->samples.size(); ++i) {
      const double v = DocCosine(doc, kBody, c->samples[i]);
      member_max = std::max(member_max, v);
      if (i == 0) seed = v;
    }
    return MakeInputs(cos, member_max, seed, days, new_lang, doc.headline, no_numbers, no_names);
  }

  const StoryModel& ModelFor(bool headline) const { return headline ? headline_model : model; }

  // The margin of `doc` over the join boundary for story `c` and the
  // model's probability behind it; false when it cannot exceed `beat`.
  bool StoryMarginAbove(const Doc& doc, std::optional<Timestamp> published, Cluster* c, double beat,
                        double* margin, double* probability) {
    const std::optional<Inputs> x = ArticleInputs(doc, published, c, beat);
    if (!x) return false;
    const double z = internal::StoryLogit(ModelFor(doc.headline), *x);
    *margin = z - join_logit;
    *probability = 1.0 / (1.0 + std::exp(-z));
    return true;
  }

  // The inputs for story `x` taken as one article against story `y`.
  // With `m` and `beat`, stops before the costly inputs (the member sketch
  // cosines) and returns nullopt when the log-odds under `m` minus
  // `boundary` cannot exceed `beat` (see ArticleInputs).
  std::optional<Inputs> StoryInputs(Cluster* x, Cluster* y, const StoryModel* m = nullptr,
                                    double boundary = 0.0, double beat = 0.0) {
    MaybeRefreshNorms(x);
    MaybeRefreshNorms(y);
    double cos[kFieldCount];
    for (int f = 0; f < kFieldCount; ++f) cos[f] = Cosine(x->centroid[f], y->centroid[f]);
    bool shared_lang = false;
    for (const std::string& l : x->languages) {
      shared_lang |= std::find(y->languages.begin(), y->languages.end(), l) != y->languages.end();
    }
    const bool new_lang = !x->languages.empty() && !y->languages.empty() && !shared_lang;
    const std::optional<double> days = x->span.DistanceDays(y->span);
    const bool headline = 2 * x->headlines > x->articles.size();
    const bool no_numbers = x->centroid[kNumbers].norm <= 0;
    const bool no_names = x->centroid[kNames].norm <= 0;
    if (m != nullptr) {
      double cheap[kFieldCount];
      std::copy(std::begin(cos), std::end(cos), std::begin(cheap));
      cheap[kPivot] = 0.0;
      const Inputs partial =
          MakeInputs(cheap, 0.0, 0.0, days, new_lang, headline, no_numbers, no_names);
      if (internal::StoryLogit(*m, partial) + CostlyBound(*m, partial) - boundary < beat) {
        return std::nullopt;
      }
    }
    double member_max = 0;
    for (const CentroidField& a : x->samples) {
      for (const CentroidField& b : y->samples) member_max = std::max(member_max, Cosine(a, b));
    }
    const double seed =
        x->samples.empty() || y->samples.empty() ? 0.0 : Cosine(x->samples[0], y->samples[0]);
    return MakeInputs(cos, member_max, seed, days, new_lang, headline, no_numbers, no_names);
  }

  Inputs MakeInputs(const double* cos, double member_max, double seed, std::optional<double> days,
                    bool new_lang, bool headline, bool no_numbers, bool no_names) const {
    using namespace internal;  // NOLINT: the input names
    Inputs x{};
    x[kInTitle] = cos[kTitle];
    x[kInBody] = cos[kBody];
    x[kInNames] = cos[kNames];
    x[kInNumbers] = cos[kNumbers];
    x[kInPivot] = cos[kPivot];
    x[kInTime] = days ? 1.0 - Gaussian(*days, options.time_sigma_days) : 0.0;
    x[kInNewLang] = new_lang ? 1.0 : 0.0;
    x[kInNoNumbers] = no_numbers ? 1.0 : 0.0;
    x[kInNoNames] = no_names ? 1.0 : 0.0;
    x[kInMemberMax] = member_max;
    x[kInSeed] = seed;
    const double h = headline ? 1.0 : 0.0;
    x[kInHeadline] = h;
    x[kInHeadTitle] = h * x[kInTitle];
    x[kInHeadBody] = h * x[kInBody];
    x[kInHeadNames] = h * x[kInNames];
    x[kInHeadNumbers] = h * x[kInNumbers];
    x[kInHeadPivot] = h * x[kInPivot];
    x[kInHeadMemberMax] = h * member_max;
    x[kInHeadSeed] = h * seed;
    x[kInNewLangNames] = x[kInNewLang] * x[kInNames];
    x[kInNewLangNumbers] = x[kInNewLang] * x[kInNumbers];
    x[kInNewLangPivot] = x[kInNewLang] * x[kInPivot];
    return x;
  }

  double StorylineScore(const Doc& doc, std::optional<Timestamp> published, Cluster* l) {
    const ClusterOptions& o = options;
    MaybeRefreshNorms(l);
    const double names = DocCosine(doc, kNames, l->centroid[kNames]);
    const double body = DocCosine(doc, kBody, l->centroid[kBody]);
    return o.storyline_names_weight * names + o.storyline_body_weight * body -
           TimePenalty(l->span.DistanceDays(published), o.storyline_sigma_days,
                       o.storyline_time_weight);
  }

  // --- updates ---

  void Touch(Level* level, std::uint32_t slot) {
    Cluster& c = level->slots[slot];
    level->lru.erase({c.last_seq, c.serial, slot});
    c.last_seq = seq;
    c.last_clock = clock.value_or(0);
    level->lru.insert({c.last_seq, c.serial, slot});
    if (level == &stories && !c.queued) {
      c.queued = true;
      repair_queue.emplace_back(c.serial, slot);
    }
  }

  void AddDocTo(Level* level, std::uint32_t slot, const Doc& doc,
                std::optional<Timestamp> published, const int* fields, std::size_t field_count) {
    Cluster& c = level->slots[slot];
    // Storylines are only compared with a story's first article, on names
    // and broad vocabulary: half the terms serve them.
    const std::size_t keep = static_cast<std::size_t>(
        level == &stories ? options.centroid_terms : std::max(8, options.centroid_terms / 2));
    for (std::size_t i = 0; i < field_count; ++i) {
      MergeInto(&c.centroid[fields[i]], TfOf(doc.fields[fields[i]]), keep);
    }
    c.span.Add(published);
    if (doc.lang != "und" &&
        std::find(c.languages.begin(), c.languages.end(), doc.lang) == c.languages.end()) {
      c.languages.push_back(doc.lang);
    }
    Reindex(level, slot, TopTerms(c, static_cast<std::size_t>(options.index_terms)));
    Touch(level, slot);
  }

  std::uint32_t NewCluster(Level* level, char prefix) {
    const std::uint32_t slot = level->Allocate();
    Cluster& c = level->slots[slot];
    c = Cluster();
    c.serial = level->next_serial++;
    c.id = FormatId(prefix, c.serial);
    c.alive = true;
    c.last_seq = seq;
    c.norm_docs = counted;  // empty: nothing cached yet to go stale
    level->by_id.emplace(c.id, slot);
    level->lru.insert({c.last_seq, c.serial, slot});
    ++level->live;
    return slot;
  }

  void Release(Level* level, std::uint32_t slot) {
    Cluster& c = level->slots[slot];
    Reindex(level, slot, std::vector<std::uint64_t>());
    level->lru.erase({c.last_seq, c.serial, slot});
    level->by_id.erase(c.id);
    c = Cluster();
    level->free.push_back(slot);
    --level->live;
  }

  // Keeps a sketch of the article's body words: the first article's for
  // good, then the latest ones in turn.
  void AddSample(Cluster* c, const DocVector& v) {
    CentroidField sample;
    std::vector<std::pair<float, std::uint64_t>>& ranked = rank_scratch;
    ranked.clear();
    for (const DocTerm& t : v.terms) ranked.emplace_back(t.weight, t.term);
    const std::size_t k = std::min(kSampleTerms, ranked.size());
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(k), ranked.end(),
                      [](const auto& x, const auto& y) {
                        return x.first != y.first ? x.first > y.first : x.second < y.second;
                      });
    ranked.resize(k);
    std::sort(ranked.begin(), ranked.end(),
              [](const auto& x, const auto& y) { return x.second < y.second; });
    double norm = 0;
    for (const auto& [w, term] : ranked) {
      auto it = std::lower_bound(v.terms.begin(), v.terms.end(), term,
                                 [](const DocTerm& d, std::uint64_t t) { return d.term < t; });
      sample.terms.push_back({term, it->tf, it->idf});
      norm += double{it->weight} * it->weight;
    }
    sample.norm = std::sqrt(norm);
    if (c->samples.size() < kSamples) {
      c->samples.push_back(std::move(sample));
    } else {
      // Slots 1..kSamples-1 in turn; slot 0 keeps the first article.
      c->samples[1 + (c->articles.size() % (kSamples - 1))] = std::move(sample);
    }
  }

  static constexpr int kStoryFields[] = {kTitle, kBody, kNames, kNumbers, kPivot};
  // A story of at most this many articles may still move to another
  // storyline (RehomeYoungStory).
  static constexpr std::size_t kYoungStoryArticles = 3;
  static constexpr int kStorylineFields[] = {kBody, kNames};

  void JoinStory(std::uint32_t slot, const ArticleFeatures& a, Doc& doc) {
    AddDocTo(&stories, slot, doc, a.published, kStoryFields, std::size(kStoryFields));
    Cluster& s = stories.slots[slot];
    if (doc.headline) ++s.headlines;
    AddSample(&s, doc.fields[kBody]);
    MergeLabels(&s, &doc.labels);
    s.articles.push_back(a.id);
    article_story.emplace(a.id, slot);
    AddDocTo(&storylines, s.parent, doc, a.published, kStorylineFields, 2);
  }

  // `force_new`: open a new story whatever the candidates (model fitting).
  Assignment AddDoc(const ArticleFeatures& a, Doc& doc, bool force_new = false) {
    ++seq;
    if (a.published) clock = clock ? std::max(*clock, *a.published) : *a.published;
    Assignment result;

    std::optional<std::uint32_t> target;
    if (a.copy_of) {
      auto it = article_story.find(*a.copy_of);
      if (it != article_story.end()) {
        target = it->second;
        result.score = 1.0;
      } else if (a.copy_of_story) {
        auto live = stories.by_id.find(*a.copy_of_story);
        if (live != stories.by_id.end()) {
          target = live->second;
          result.score = 1.0;
        } else {
          // The original's story is frozen: the copy belongs to it all the
          // same; the caller keeps that story's storyline.
          result.story = *a.copy_of_story;
          result.score = 1.0;
          Maintain();
          return result;
        }
      }
    }
    if (!target && !force_new) {
      BuildLookups(doc);
      double best_margin = -1e9;
      std::optional<std::uint32_t> best;
      Candidates(&stories, doc, static_cast<std::size_t>(options.query_terms),
                 static_cast<std::size_t>(options.max_candidates), &story_candidates);
      for (std::uint32_t slot : story_candidates) {
        if (observer != nullptr) {
          Cluster* c = &stories.slots[slot];
          observer->Join(a.id, c->articles, *ArticleInputs(doc, a.published, c));
        }
        double margin = 0;
        double score = 0;
        if (!StoryMarginAbove(doc, a.published, &stories.slots[slot], best_margin, &margin,
                              &score)) {
          continue;
        }
        if (margin > best_margin ||
            (margin == best_margin && stories.slots[slot].serial < stories.slots[*best].serial)) {
          best_margin = margin;
          best = slot;
          result.score = score;
        }
      }
      if (best && best_margin >= 0) target = best;
    }

    if (!target) {
      // A new story; it joins the best storyline, or opens one.
      const std::uint32_t slot = NewCluster(&stories, 's');
      double best_score = -1e9;
      std::optional<std::uint32_t> best_line;
      Candidates(&storylines, doc, static_cast<std::size_t>(options.query_terms),
                 static_cast<std::size_t>(options.max_candidates), &line_candidates);
      for (std::uint32_t line : line_candidates) {
        const double score = StorylineScore(doc, a.published, &storylines.slots[line]);
        if (score > best_score ||
            (score == best_score &&
             storylines.slots[line].serial < storylines.slots[*best_line].serial)) {
          best_score = score;
          best_line = line;
        }
      }
      std::uint32_t line;
      if (best_line && best_score >= options.storyline_threshold) {
        line = *best_line;
      } else {
        line = NewCluster(&storylines, 'l');
        result.new_storyline = true;
      }
      storylines.slots[line].members++;
      stories.slots[slot].parent = line;
      result.new_story = true;
      target = slot;
    }
    JoinStory(*target, a, doc);
    if (!result.new_story && !a.copy_of) RehomeYoungStory(*target, doc, a.published);
    const Cluster& s = stories.slots[*target];
    result.story = s.id;
    result.storyline = storylines.slots[s.parent].id;
    Maintain();
    return result;
  }

  // A story's storyline is chosen by its first article alone. While the
  // story is young and its storyline holds nothing else, a later article
  // that matches another storyline over the same boundary moves it there
  // (its storyline folds into that one): a first report too thin to place
  // does not leave its story on its own for good.
  void RehomeYoungStory(std::uint32_t slot, const Doc& doc, std::optional<Timestamp> published) {
    const Cluster& s = stories.slots[slot];
    if (s.articles.size() > kYoungStoryArticles) return;
    const std::uint32_t line = s.parent;
    if (storylines.slots[line].members != 1) return;
    Candidates(&storylines, doc, static_cast<std::size_t>(options.query_terms),
               static_cast<std::size_t>(options.max_candidates), &line_candidates);
    double best_score = -1e9;
    std::optional<std::uint32_t> best;
    for (std::uint32_t other : line_candidates) {
      if (other == line) continue;
      const double score = StorylineScore(doc, published, &storylines.slots[other]);
      if (score > best_score || (score == best_score &&
                                 storylines.slots[other].serial < storylines.slots[*best].serial)) {
        best_score = score;
        best = other;
      }
    }
    if (!best || best_score < options.storyline_threshold) return;
    MergeStorylines(line, *best, slot);
  }

  // Folds storyline `from`, which holds only story `story`, into `into`.
  void MergeStorylines(std::uint32_t from, std::uint32_t into, std::uint32_t story) {
    Cluster& f = storylines.slots[from];
    Cluster& t = storylines.slots[into];
    storyline_merges.push_back({f.id, t.id});
    const std::size_t keep = static_cast<std::size_t>(std::max(8, options.centroid_terms / 2));
    for (const int field : kStorylineFields) {
      MergeInto(&t.centroid[field], f.centroid[field].terms, keep);
    }
    t.span.Add(f.span);
    for (const std::string& lang : f.languages) {
      if (std::find(t.languages.begin(), t.languages.end(), lang) == t.languages.end()) {
        t.languages.push_back(lang);
      }
    }
    t.members += f.members;
    stories.slots[story].parent = into;
    Reindex(&storylines, into, TopTerms(t, static_cast<std::size_t>(options.index_terms)));
    Touch(&storylines, into);
    Release(&storylines, from);
  }

  // --- repair, freezing ---

  void Maintain() {
    if (options.repair_every > 0 && seq % static_cast<std::uint64_t>(options.repair_every) == 0) {
      Repair();
    }
    FreezeStale();
  }

  void MergeStories(std::uint32_t from_slot, std::uint32_t into_slot) {
    Cluster& from = stories.slots[from_slot];
    Cluster& into = stories.slots[into_slot];
    merges.push_back({from.id, into.id, storylines.slots[into.parent].id});
    const std::size_t keep = static_cast<std::size_t>(options.centroid_terms);
    for (int f = 0; f < kFieldCount; ++f) {
      MergeInto(&into.centroid[f], from.centroid[f].terms, keep);
    }
    into.span.Add(from.span);
    into.headlines += from.headlines;
    for (CentroidField& sample : from.samples) {
      if (into.samples.size() >= kSamples) break;
      into.samples.push_back(std::move(sample));
    }
    for (const std::string& lang : from.languages) {
      if (std::find(into.languages.begin(), into.languages.end(), lang) == into.languages.end()) {
        into.languages.push_back(lang);
      }
    }
    MergeLabels(&into, &from.labels);
    for (std::string& id : from.articles) {
      article_story[id] = into_slot;
      into.articles.push_back(std::move(id));
    }
    from.articles.clear();
    Reindex(&stories, into_slot, TopTerms(into, static_cast<std::size_t>(options.index_terms)));
    Touch(&stories, into_slot);
    ReleaseStory(from_slot);
  }

  void ReleaseStory(std::uint32_t slot) {
    const std::uint32_t line = stories.slots[slot].parent;
    Release(&stories, slot);
    --storylines.slots[line].members;
  }

  // The margin of merging stories x and y over the repair boundary, in
  // log-odds: the smaller story is scored as one article against the
  // larger, and a one-article story merges at the boundary Add uses.
  // nullopt when the margin cannot exceed `beat` (then it was not computed
  // in full).
  std::optional<double> MergeMargin(Cluster* x, Cluster* y, double beat) {
    if (x->articles.size() > y->articles.size() ||
        (x->articles.size() == y->articles.size() && x->serial < y->serial)) {
      std::swap(x, y);
    }
    const bool single = x->articles.size() <= 1;
    const StoryModel& m = ModelFor(2 * x->headlines > x->articles.size());
    const double boundary = single ? join_logit : merge_logit;
    const bool prune = observer == nullptr;
    const std::optional<Inputs> in = StoryInputs(x, y, prune ? &m : nullptr, boundary, beat);
    if (!in) return std::nullopt;
    if (!single && observer != nullptr) observer->Merge(x->articles, y->articles, *in);
    return internal::StoryLogit(m, *in) - boundary;
  }

  void Repair() {
    // Stories changed since the last pass, oldest first: the order of an
    // online clusterer's early decisions can split one happening in two
    // (the second report arrived before the first had gathered its
    // vocabulary); their centroids converge later, and are merged here.
    std::vector<std::pair<std::uint64_t, std::uint32_t>> changed = std::exchange(repair_queue, {});
    // Stories due for a second look because the corpus grew by
    // `recheck_growth` since their last check: IDF learned on the first few
    // articles of a stream is poor, and stories decided then are
    // otherwise never compared again once they stop changing.
    while (!recheck.empty() && recheck.top().due <= seq) {
      const Recheck r = recheck.top();
      recheck.pop();
      Cluster& c = stories.slots[r.slot];
      if (!c.alive || c.serial != r.serial) continue;
      const std::uint64_t due = RecheckDue(c);
      if (due > seq) {
        recheck.push({due, r.serial, r.slot});
        continue;
      }
      c.recheck_pending = false;
      c.repair_seq = 0;  // forces a check below
      if (!c.queued) {
        c.queued = true;
        changed.emplace_back(r.serial, r.slot);
      }
    }
    std::erase_if(changed, [&](const std::pair<std::uint64_t, std::uint32_t>& e) {
      Cluster& c = stories.slots[e.second];
      if (!c.alive || c.serial != e.first) return true;
      c.queued = false;
      return c.last_seq <= c.repair_seq;
    });
    std::sort(changed.begin(), changed.end());
    for (const auto& [serial, slot] : changed) {
      Cluster& c = stories.slots[slot];
      if (!c.alive || c.serial != serial) continue;
      c.repair_seq = seq;
      if (options.recheck_growth > 1 && !c.recheck_pending) {
        c.recheck_pending = true;
        recheck.push({RecheckDue(c), serial, slot});
      }
      std::optional<std::uint32_t> best;
      double best_score = 0.0;
      std::vector<std::uint32_t>& candidates = repair_candidates;
      candidates.clear();
      for (std::uint64_t term : c.indexed) {
        const std::vector<std::uint32_t>* list = stories.index.Find(term);
        if (list == nullptr) continue;
        if (list->size() > static_cast<std::size_t>(options.max_posting)) continue;
        candidates.insert(candidates.end(), list->begin(), list->end());
      }
      // Only the few stories sharing the most index terms are scored: two
      // fragments of one happening share most of their top terms, a pass
      // runs every few articles, and scoring every story that shares one
      // common term would cost more than the rest of the clusterer on a
      // large stream.
      std::sort(candidates.begin(), candidates.end());
      std::vector<std::pair<std::uint32_t, std::uint32_t>>& shared =
          repair_shared;  // (~count, slot)
      shared.clear();
      for (std::size_t i = 0; i < candidates.size();) {
        std::size_t j = i;
        while (j < candidates.size() && candidates[j] == candidates[i]) ++j;
        if (candidates[i] != slot) {
          shared.emplace_back(~static_cast<std::uint32_t>(j - i), candidates[i]);
        }
        i = j;
      }
      const std::size_t keep = std::min(shared.size(), kRepairCandidates);
      std::partial_sort(shared.begin(), shared.begin() + static_cast<std::ptrdiff_t>(keep),
                        shared.end(), [&](const auto& x, const auto& y) {
                          return x.first != y.first ? x.first < y.first
                                                    : stories.slots[x.second].serial <
                                                          stories.slots[y.second].serial;
                        });
      shared.resize(keep);
      for (const auto& [unused, other] : shared) {
        const std::optional<double> margin =
            MergeMargin(&stories.slots[slot], &stories.slots[other], best_score);
        if (!margin) continue;
        const double score = *margin;
        if (score > best_score || (best && score == best_score &&
                                   stories.slots[other].serial < stories.slots[*best].serial)) {
          best_score = score;
          best = other;
        }
      }
      if (!best) continue;
      // The older story survives, so ids already handed out mostly stay.
      std::uint32_t from = slot;
      std::uint32_t into = *best;
      if (stories.slots[from].serial < stories.slots[into].serial) std::swap(from, into);
      MergeStories(from, into);
    }
  }

  void Freeze(std::uint32_t slot) {
    Cluster& s = stories.slots[slot];
    for (const std::string& id : s.articles) article_story.erase(id);
    frozen.push_back({s.id, storylines.slots[s.parent].id, std::move(s.articles)});
    ReleaseStory(slot);
  }

  void FreezeStale() {
    const std::int64_t window =
        static_cast<std::int64_t>(options.story_window_days * kSecondsPerDay);
    while (!stories.lru.empty()) {
      const std::uint32_t slot = std::get<2>(*stories.lru.begin());
      const Cluster& c = stories.slots[slot];
      const bool too_many = stories.live > static_cast<std::size_t>(options.max_live_stories);
      const bool stale = clock && c.last_clock != 0 && c.last_clock < *clock - window;
      if (!too_many && !stale) break;
      Freeze(slot);
    }
    // A storyline stays a candidate for new stories while in its (longer)
    // window, even when all its stories are frozen; it is released once out
    // of the window with no live story left. (Its live stories update it, so
    // a storyline with live stories is never the stalest.)
    const std::int64_t line_window =
        static_cast<std::int64_t>(options.storyline_window_days * kSecondsPerDay);
    while (!storylines.lru.empty()) {
      const std::uint32_t slot = std::get<2>(*storylines.lru.begin());
      const Cluster& l = storylines.slots[slot];
      const bool too_many = storylines.live > static_cast<std::size_t>(options.max_live_stories);
      const bool stale = clock && l.last_clock != 0 && l.last_clock < *clock - line_window;
      if ((!too_many && !stale) || l.members > 0) break;
      Release(&storylines, slot);
    }
  }
};

// --- public API ---

StoryClusterer::StoryClusterer(std::unique_ptr<State> state) : state_(std::move(state)) {}
StoryClusterer::StoryClusterer(StoryClusterer&&) noexcept = default;
StoryClusterer& StoryClusterer::operator=(StoryClusterer&&) noexcept = default;
StoryClusterer::~StoryClusterer() = default;

Result<StoryClusterer> StoryClusterer::Create(const ClusterOptions& options) {
  if (Status s = Validate(options); !s) return Fail(s.error());
  auto state = std::make_unique<State>(options);
  return StoryClusterer(std::move(state));
}

Result<Assignment> StoryClusterer::Add(const ArticleFeatures& article) {
  if (article.id.empty()) return MakeError(ErrorCode::kInvalidArgument, "article with empty id");
  if (state_->article_story.contains(article.id)) {
    return MakeError(ErrorCode::kInvalidArgument, "article " + article.id + " was already added");
  }
  ExtractedArticle x = state_->extractor.Extract(article.title, article.body, article.lang);
  Doc doc = state_->CountAndMakeDoc(std::move(x));
  return state_->AddDoc(article, doc);
}

Result<std::vector<Assignment>> StoryClusterer::AddBatch(std::span<const ArticleFeatures> articles,
                                                         int threads) {
  State& s = *state_;
  std::vector<ExtractedArticle> extracted(articles.size());
  const std::size_t workers = std::clamp<std::size_t>(
      static_cast<std::size_t>(std::max(threads, 1)), 1, articles.size() + 1);
  if (workers <= 1 || articles.size() < 2) {
    for (std::size_t i = 0; i < articles.size(); ++i) {
      extracted[i] = s.extractor.Extract(articles[i].title, articles[i].body, articles[i].lang);
    }
  } else {
    // Extraction is a pure function of each article, so splitting it over
    // threads cannot change any decision; decisions stay sequential below.
    while (s.batch_extractors.size() < workers) s.batch_extractors.emplace_back(s.lexicon);
    std::vector<std::thread> pool;
    for (std::size_t w = 0; w < workers; ++w) {
      pool.emplace_back([&, w] {
        for (std::size_t i = w; i < articles.size(); i += workers) {
          extracted[i] =
              s.batch_extractors[w].Extract(articles[i].title, articles[i].body, articles[i].lang);
        }
      });
    }
    for (std::thread& t : pool) t.join();
  }
  std::vector<Assignment> out;
  out.reserve(articles.size());
  for (std::size_t i = 0; i < articles.size(); ++i) {
    const ArticleFeatures& a = articles[i];
    if (a.id.empty()) return MakeError(ErrorCode::kInvalidArgument, "article with empty id");
    if (s.article_story.contains(a.id)) {
      return MakeError(ErrorCode::kInvalidArgument, "article " + a.id + " was already added");
    }
    Doc doc = s.CountAndMakeDoc(std::move(extracted[i]));
    out.push_back(s.AddDoc(a, doc));
  }
  return out;
}

void StoryClusterer::Repair() { state_->Repair(); }

std::optional<std::string> StoryClusterer::StoryOf(std::string_view article_id) const {
  auto it = state_->article_story.find(std::string(article_id));
  if (it == state_->article_story.end()) return std::nullopt;
  return state_->stories.slots[it->second].id;
}

std::optional<std::string> StoryClusterer::StorylineOf(std::string_view story_id) const {
  auto it = state_->stories.by_id.find(std::string(story_id));
  if (it == state_->stories.by_id.end()) return std::nullopt;
  return state_->storylines.slots[state_->stories.slots[it->second].parent].id;
}

std::vector<StoryView> StoryClusterer::Stories() const {
  State& s = *state_;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> order;
  for (std::uint32_t slot = 0; slot < s.stories.slots.size(); ++slot) {
    if (s.stories.slots[slot].alive) order.emplace_back(s.stories.slots[slot].serial, slot);
  }
  std::sort(order.begin(), order.end());
  std::vector<StoryView> out;
  out.reserve(order.size());
  for (const auto& [serial, slot] : order) {
    const Cluster& c = s.stories.slots[slot];
    StoryView v;
    v.id = c.id;
    v.storyline = s.storylines.slots[c.parent].id;
    v.articles = c.articles;
    v.first_published = c.span.first;
    v.last_published = c.span.last;
    v.languages = c.languages;
    for (int f : {kNames, kTitle}) {
      std::vector<std::pair<double, const std::string*>> ranked;
      for (const auto& [term, label] : c.labels) {
        const SparseVector& field = c.centroid[f].terms;
        auto it = std::lower_bound(field.begin(), field.end(), term,
                                   [](const TermWeight& t, std::uint64_t x) { return t.term < x; });
        if (it != field.end() && it->term == term) {
          ranked.emplace_back(-it->weight * s.Idf(term), &label);
        }
      }
      std::sort(ranked.begin(), ranked.end(), [](const auto& x, const auto& y) {
        return x.first != y.first ? x.first < y.first : *x.second < *y.second;
      });
      auto& dest = f == kNames ? v.top_names : v.top_terms;
      for (std::size_t i = 0; i < ranked.size() && i < kLabelsPerStory; ++i) {
        dest.push_back(*ranked[i].second);
      }
    }
    out.push_back(std::move(v));
  }
  return out;
}

std::size_t StoryClusterer::live_stories() const { return state_->stories.live; }
std::size_t StoryClusterer::articles_seen() const { return state_->seq; }

std::vector<StoryMerge> StoryClusterer::TakeMerges() { return std::exchange(state_->merges, {}); }

std::vector<StorylineMerge> StoryClusterer::TakeStorylineMerges() {
  return std::exchange(state_->storyline_merges, {});
}
std::vector<FrozenStory> StoryClusterer::TakeFrozen() { return std::exchange(state_->frozen, {}); }

void StoryClusterer::FreezeAll() {
  State& s = *state_;
  while (!s.stories.lru.empty()) s.Freeze(std::get<2>(*s.stories.lru.begin()));
}

// --- model fitting ---

Result<std::vector<internal::TrainingRow>> internal::TrainingAccess::TeacherForced(
    const ClusterOptions& options, std::span<const ArticleFeatures> articles,
    std::span<const std::string> gold) {
  if (articles.size() != gold.size()) {
    return MakeError(ErrorCode::kInvalidArgument, "articles and gold labels differ in number");
  }
  ClusterOptions o = options;
  o.repair_every = 0;  // the gold stories are never merged
  Result<StoryClusterer> made = StoryClusterer::Create(o);
  if (!made) return Fail(made.error());
  StoryClusterer::State& s = *made->state_;
  std::unordered_map<std::string, std::string> first_of_story;  // gold -> an article id
  std::unordered_map<std::uint64_t, std::string> story_gold;    // serial -> gold
  std::vector<TrainingRow> rows;
  for (std::size_t i = 0; i < articles.size(); ++i) {
    const ArticleFeatures& a = articles[i];
    if (a.id.empty() || s.article_story.contains(a.id)) {
      return MakeError(ErrorCode::kInvalidArgument, "empty or repeated article id " + a.id);
    }
    Doc doc = s.CountAndMakeDoc(s.extractor.Extract(a.title, a.body, a.lang));
    s.BuildLookups(doc);
    s.Candidates(&s.stories, doc, static_cast<std::size_t>(o.query_terms),
                 static_cast<std::size_t>(o.max_candidates), &s.story_candidates);
    for (std::uint32_t slot : s.story_candidates) {
      Cluster& c = s.stories.slots[slot];
      TrainingRow row;
      row.x = *s.ArticleInputs(doc, a.published, &c);
      row.same = !gold[i].empty() && story_gold[c.serial] == gold[i];
      row.article = i;
      rows.push_back(row);
    }
    ArticleFeatures forced = a;
    forced.copy_of.reset();
    forced.copy_of_story.reset();
    bool force_new = true;
    if (!gold[i].empty()) {
      auto it = first_of_story.find(gold[i]);
      if (it != first_of_story.end() && s.article_story.contains(it->second)) {
        forced.copy_of = it->second;
        force_new = false;
      }
    }
    const Assignment r = s.AddDoc(forced, doc, force_new);
    if (!gold[i].empty()) {
      first_of_story[gold[i]] = a.id;
      auto live = s.stories.by_id.find(r.story);
      if (live != s.stories.by_id.end()) story_gold[s.stories.slots[live->second].serial] = gold[i];
    }
  }
  return rows;
}

namespace {

// Labels the candidates a running clusterer scores (OnPolicy).
class GoldObserver final : public internal::TrainingObserver {
 public:
  GoldObserver(std::unordered_map<std::string, std::string> gold,
               std::unordered_map<std::string, std::size_t> index)
      : gold_(std::move(gold)), index_(std::move(index)) {}

  void Join(std::string_view article, const std::vector<std::string>& story,
            const std::array<double, kModelInputs>& x) override {
    const std::string& g = GoldOf(article);
    if (g.empty()) return;
    const std::string majority = Majority(story);
    if (majority.empty()) return;
    auto at = index_.find(std::string(article));
    rows.join.push_back({x, majority == g, at == index_.end() ? 0 : at->second});
  }

  void Merge(const std::vector<std::string>& smaller, const std::vector<std::string>& larger,
             const std::array<double, kModelInputs>& x) override {
    const std::string a = Majority(smaller);
    const std::string b = Majority(larger);
    if (a.empty() || b.empty()) return;
    rows.merge.push_back({x, a == b, 0});
  }

  internal::OnPolicyRows rows;

 private:
  const std::string& GoldOf(std::string_view id) const {
    static const std::string kNone;
    auto it = gold_.find(std::string(id));
    return it == gold_.end() ? kNone : it->second;
  }
  // The most frequent gold story among `ids` (ties: the smallest label);
  // empty when none is labelled.
  std::string Majority(const std::vector<std::string>& ids) const {
    std::map<std::string, std::size_t> count;
    for (const std::string& id : ids) {
      const std::string& g = GoldOf(id);
      if (!g.empty()) ++count[g];
    }
    std::string best;
    std::size_t most = 0;
    for (const auto& [g, n] : count) {
      if (n > most) {
        most = n;
        best = g;
      }
    }
    return best;
  }

  std::unordered_map<std::string, std::string> gold_;
  std::unordered_map<std::string, std::size_t> index_;  // id -> stream position
};

}  // namespace

Result<internal::OnPolicyRows> internal::TrainingAccess::OnPolicy(
    const ClusterOptions& options, std::span<const ArticleFeatures> articles,
    std::span<const std::string> gold) {
  if (articles.size() != gold.size()) {
    return MakeError(ErrorCode::kInvalidArgument, "articles and gold labels differ in number");
  }
  std::unordered_map<std::string, std::string> by_id;
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < articles.size(); ++i) {
    by_id[articles[i].id] = gold[i];
    index[articles[i].id] = i;
  }
  GoldObserver observer(std::move(by_id), std::move(index));
  Result<StoryClusterer> made = StoryClusterer::Create(options);
  if (!made) return Fail(made.error());
  made->state_->observer = &observer;
  for (const ArticleFeatures& a : articles) {
    Result<Assignment> r = made->Add(a);
    if (!r) return Fail(r.error());
  }
  return std::move(observer.rows);
}

// --- state ---

namespace {

// Version 4 adds the pivot field to centroids and each story's count of
// headline-only members (earlier states read with an empty pivot field and
// no headlines). Version 3 adds the count of documents ever counted (the document count
// of the IDF is halved with the frequencies); version 2 adds each centroid
// term's cached IDF. Older states are read with the two counts equal (no
// halving happened then), version 1 with the IDF recomputed from the
// document frequencies.
constexpr std::string_view kStateMagic = "storyline-cluster-state-4";
constexpr std::string_view kStateMagicV3 = "storyline-cluster-state-3";
constexpr std::string_view kStateMagicV2 = "storyline-cluster-state-2";
constexpr std::string_view kStateMagicV1 = "storyline-cluster-state-1";

void WriteField(const CentroidField& f, ByteWriter* w) {
  w->U64(f.terms.size());
  for (const TermWeight& t : f.terms) {
    w->U64(t.term);
    w->F32(t.weight);
    w->F32(t.idf);
  }
  w->F64(f.norm);
}

// `idf`, for a version 1 state, gives each term's IDF (not stored there).
bool ReadField(ByteReader* r, CentroidField* f, const std::function<float(std::uint64_t)>* idf) {
  std::uint64_t n = 0;
  if (!r->Count(&n, idf != nullptr ? 12 : 16)) return false;
  f->terms.resize(n);
  for (TermWeight& t : f->terms) {
    if (!r->U64(&t.term) || !r->F32(&t.weight)) return false;
    if (idf != nullptr) {
      t.idf = (*idf)(t.term);
    } else if (!r->F32(&t.idf)) {
      return false;
    }
  }
  return r->F64(&f->norm);
}

void WriteCluster(const Cluster& c, std::uint64_t parent_serial, ByteWriter* w) {
  w->U64(c.serial);
  w->U64(parent_serial);
  for (const CentroidField& f : c.centroid) WriteField(f, w);
  w->U64(c.norm_docs);
  w->U8(c.span.first.has_value());
  w->I64(c.span.first.value_or(0));
  w->I64(c.span.last.value_or(0));
  w->U64(c.articles.size());
  for (const std::string& a : c.articles) w->Str(a);
  w->U64(c.languages.size());
  for (const std::string& l : c.languages) w->Str(l);
  w->U64(c.labels.size());
  for (const auto& [term, label] : c.labels) {
    w->U64(term);
    w->Str(label);
  }
  w->U64(c.indexed.size());
  for (std::uint64_t t : c.indexed) w->U64(t);
  w->U64(c.last_seq);
  w->I64(c.last_clock);
  w->U64(c.repair_seq);
  w->U32(c.members);
  w->U32(c.headlines);
  w->U64(c.samples.size());
  for (const CentroidField& f : c.samples) WriteField(f, w);
}

// `version` is the state's format version (1..4).
bool ReadCluster(ByteReader* r, Cluster* c, std::uint64_t* parent_serial,
                 const std::function<float(std::uint64_t)>* idf, int version) {
  if (!r->U64(&c->serial) || !r->U64(parent_serial)) return false;
  const int fields = version >= 4 ? kFieldCount : 4;
  for (int field = 0; field < fields; ++field) {
    if (!ReadField(r, &c->centroid[static_cast<std::size_t>(field)], idf)) return false;
  }
  std::uint8_t dated = 0;
  std::int64_t first = 0;
  std::int64_t last = 0;
  if (!r->U64(&c->norm_docs) || !r->U8(&dated) || !r->I64(&first) || !r->I64(&last)) return false;
  if (dated) c->span = Span{first, last};
  std::uint64_t n = 0;
  if (!r->Count(&n, 8)) return false;
  c->articles.resize(n);
  for (std::string& a : c->articles) {
    if (!r->Str(&a)) return false;
  }
  if (!r->Count(&n, 8)) return false;
  c->languages.resize(n);
  for (std::string& l : c->languages) {
    if (!r->Str(&l)) return false;
  }
  if (!r->Count(&n, 16)) return false;
  c->labels.resize(n);
  for (auto& [term, label] : c->labels) {
    if (!r->U64(&term) || !r->Str(&label)) return false;
  }
  if (!r->Count(&n, 8)) return false;
  c->indexed.resize(n);
  for (std::uint64_t& t : c->indexed) {
    if (!r->U64(&t)) return false;
  }
  if (!r->U64(&c->last_seq) || !r->I64(&c->last_clock) || !r->U64(&c->repair_seq) ||
      !r->U32(&c->members)) {
    return false;
  }
  if (version < 4) return true;
  std::uint64_t samples = 0;
  if (!r->U32(&c->headlines) || !r->Count(&samples, 16)) return false;
  c->samples.resize(samples);
  for (CentroidField& f : c->samples) {
    if (!ReadField(r, &f, nullptr)) return false;
  }
  return true;
}

// Live clusters of a level, oldest first.
std::vector<std::uint32_t> LiveSlots(const Level& level) {
  std::vector<std::pair<std::uint64_t, std::uint32_t>> order;
  for (std::uint32_t slot = 0; slot < level.slots.size(); ++slot) {
    if (level.slots[slot].alive) order.emplace_back(level.slots[slot].serial, slot);
  }
  std::sort(order.begin(), order.end());
  std::vector<std::uint32_t> out;
  for (const auto& o : order) out.push_back(o.second);
  return out;
}

}  // namespace

Result<std::string> StoryClusterer::Serialize() const {
  const State& s = *state_;
  ByteWriter w;
  w.Str(kStateMagic);
  w.U64(s.docs);
  w.U64(s.counted);
  w.U64(s.seq);
  w.U8(s.clock.has_value());
  w.I64(s.clock.value_or(0));
  std::vector<std::pair<std::uint64_t, std::uint32_t>> df = s.df.Items();
  std::sort(df.begin(), df.end());
  w.U64(df.size());
  for (const auto& [term, n] : df) {
    w.U64(term);
    w.U32(n);
  }
  for (const Level* level : {&s.storylines, &s.stories}) {
    w.U64(level->next_serial);
    const std::vector<std::uint32_t> live = LiveSlots(*level);
    w.U64(live.size());
    for (std::uint32_t slot : live) {
      const Cluster& c = level->slots[slot];
      const std::uint64_t parent = level == &s.stories ? s.storylines.slots[c.parent].serial : 0;
      WriteCluster(c, parent, &w);
    }
  }
  return w.Take();
}

Result<StoryClusterer> StoryClusterer::Restore(const ClusterOptions& options,
                                               std::string_view bytes) {
  Result<StoryClusterer> made = Create(options);
  if (!made) return made;
  StoryClusterer::State& s = *made->state_;
  auto bad = [] { return MakeError(ErrorCode::kInvalidInput, "not a story clusterer state"); };
  ByteReader r(bytes);
  std::string magic;
  std::uint8_t has_clock = 0;
  std::int64_t clock = 0;
  std::uint64_t df_count = 0;
  if (!r.Str(&magic) ||
      (magic != kStateMagic && magic != kStateMagicV3 && magic != kStateMagicV2 &&
       magic != kStateMagicV1) ||
      !r.U64(&s.docs)) {
    return bad();
  }
  s.counted = s.docs;
  const int version = magic == kStateMagic     ? 4
                      : magic == kStateMagicV3 ? 3
                      : magic == kStateMagicV2 ? 2
                                               : 1;
  if (version >= 3 && !r.U64(&s.counted)) return bad();
  if (!r.U64(&s.seq) || !r.U8(&has_clock) || !r.I64(&clock) || !r.Count(&df_count, 12)) {
    return bad();
  }
  if (has_clock) s.clock = clock;
  for (std::uint64_t i = 0; i < df_count; ++i) {
    std::uint64_t term = 0;
    std::uint32_t n = 0;
    if (!r.U64(&term) || !r.U32(&n)) return bad();
    s.df.Set(term, n);
  }
  const std::function<float(std::uint64_t)> v1_idf = [&s](std::uint64_t term) {
    return static_cast<float>(s.Idf(term));
  };
  std::unordered_map<std::uint64_t, std::uint32_t> line_slot;  // serial -> slot
  for (Level* level : {&s.storylines, &s.stories}) {
    std::uint64_t count = 0;
    if (!r.U64(&level->next_serial) || !r.Count(&count, 64)) return bad();
    const bool is_story = level == &s.stories;
    for (std::uint64_t i = 0; i < count; ++i) {
      Cluster c;
      std::uint64_t parent = 0;
      if (!ReadCluster(&r, &c, &parent, version == 1 ? &v1_idf : nullptr, version)) return bad();
      if (is_story) {
        auto it = line_slot.find(parent);
        if (it == line_slot.end()) return bad();
        c.parent = it->second;
      }
      c.alive = true;
      c.id = FormatId(is_story ? 's' : 'l', c.serial);
      const std::uint32_t slot = level->Allocate();
      std::vector<std::uint64_t> indexed = std::move(c.indexed);
      level->slots[slot] = std::move(c);
      Cluster& placed = level->slots[slot];
      level->by_id.emplace(placed.id, slot);
      level->lru.insert({placed.last_seq, placed.serial, slot});
      ++level->live;
      for (std::uint64_t t : indexed) level->index.Insert(t, slot);
      placed.indexed = std::move(indexed);
      if (is_story) {
        for (const std::string& a : placed.articles) s.article_story.emplace(a, slot);
        if (placed.last_seq > placed.repair_seq) {
          placed.queued = true;
          s.repair_queue.emplace_back(placed.serial, slot);
        }
        // A story checked before has its recheck pending (see Repair).
        if (placed.repair_seq > 0 && options.recheck_growth > 1) {
          placed.recheck_pending = true;
          s.recheck.push({s.RecheckDue(placed), placed.serial, slot});
        }
      } else {
        line_slot.emplace(placed.serial, slot);
      }
    }
  }
  if (!r.AtEnd()) return bad();
  return made;
}

std::size_t StoryClusterer::ApproximateMemoryBytes() const {
  const State& s = *state_;
  std::size_t bytes = s.df.capacity_bytes() + s.article_story.size() * 64;
  for (const Level* level : {&s.stories, &s.storylines}) {
    bytes += level->slots.capacity() * sizeof(Cluster) + level->lru.size() * 48 +
             level->by_id.size() * 64;
    for (const Cluster& c : level->slots) {
      for (const CentroidField& f : c.centroid) bytes += f.terms.capacity() * sizeof(TermWeight);
      bytes += c.indexed.capacity() * 8 + c.labels.size() * 48;
      for (const std::string& a : c.articles) bytes += sizeof(std::string) + a.capacity();
    }
    bytes += level->index.capacity_bytes();
  }
  return bytes;
}

}  // namespace storyline::cluster
