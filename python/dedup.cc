// Duplicates from Python: storyline.sketch / sketch_many and the Sketch
// value (storyline/dedup/sketch.h), storyline.DuplicateIndex over string ids
// (storyline/dedup/duplicate_index.h), and CorpusDeduplicator, the engine
// behind storyline.dedup() (storyline/__init__.py): a binding of the
// library's pipeline::CorpusDeduplicator, which `storyline dedup` runs.
#include <pybind11/stl.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "bindings.h"
#include "parallel.h"
#include "storyline/clean/line_classifier.h"
#include "storyline/dedup/duplicate_index.h"
#include "storyline/dedup/sketch.h"
#include "storyline/ingest/reader.h"
#include "storyline/pipeline/deduplicator.h"
#include "storyline/text/normalize.h"
#include "storyline/text/shingles.h"

namespace storyline::python {
namespace {

// The body's hash for exact duplicates, as the ingest pipeline computes it
// (src/pipeline/duplicates.cc): normalised, so that re-encodings of one text
// compare equal; 0 ("none") only for an empty body.
std::uint64_t BodyHash(std::string_view body) {
  if (body.empty()) return 0;
  Result<std::string> norm = text::NormalizeLine(body);
  const std::uint64_t h = text::Hash64(norm ? std::string_view(*norm) : body);
  return h == 0 ? 1 : h;
}

const dedup::Sketcher& DefaultSketcher() {
  static const dedup::Sketcher sketcher = Unwrap(dedup::Sketcher::Create({}));
  return sketcher;
}

// A text's sketch, and the byte spans of its tokens (what evidence passages
// are cut from).
struct Sketched {
  dedup::DocumentSketch sketch;
  std::vector<text::ByteSpan> token_spans;
};

// Shingles and sketches `body` with this thread's Shingler (the pipeline's
// options: 5-word shingles, characters for CJK and Thai).
Result<Sketched> SketchBody(std::string_view body, std::string_view lang, dedup::DocId id,
                            Timestamp timestamp, bool keep_spans) {
  thread_local text::Shingler shingler = Unwrap(text::Shingler::Create({}));
  thread_local text::ShingleSet shingles;
  if (Status s = shingler.Shingle(body, lang, &shingles); !s) return Fail(s.error());
  dedup::DocumentInput in;
  in.id = id;
  in.body_hash = BodyHash(body);
  in.shingles = shingles.hashes;
  in.shingle_starts = shingles.starts;
  in.timestamp = timestamp;
  in.body_length = static_cast<std::uint32_t>(body.size());
  Result<dedup::DocumentSketch> sketch = DefaultSketcher().Sketch(in);
  if (!sketch) return Fail(sketch.error());
  Sketched out{std::move(*sketch), {}};
  if (keep_spans) {
    out.token_spans.reserve(shingler.tokens().size());
    for (const text::Token& t : shingler.tokens()) out.token_spans.push_back(t.span);
  }
  return out;
}

// The passages of `body` a pair's evidence names (token ranges).
std::vector<std::string> EvidenceText(const dedup::DuplicatePair& pair, std::string_view body,
                                      const std::vector<text::ByteSpan>& tokens) {
  std::vector<std::string> out;
  for (const dedup::Passage& e : pair.evidence) {
    if (e.begin_token >= tokens.size() || e.end_token == 0) continue;
    const std::size_t last = std::min<std::size_t>(e.end_token, tokens.size()) - 1;
    const std::size_t begin = tokens[e.begin_token].begin;
    const std::size_t end = tokens[last].end;
    if (begin < end && end <= body.size()) out.emplace_back(body.substr(begin, end - begin));
  }
  return out;
}

// The body of a text: itself, or what cleaning keeps of it.
std::string BodyOf(const std::string& text, bool clean_first) {
  if (!clean_first) return text;
  static const clean::LineClassifier classifier = Unwrap(clean::LineClassifier::Create({}));
  Article a;
  a.text = text;
  return classifier.Classify(a, nullptr).body;
}

}  // namespace

py::dict ResultDict(const pipeline::DedupResult& r) {
  py::dict d;
  d["id"] = Str(r.id);
  d["dup_group"] = r.dup_group.empty() ? py::object(py::none()) : py::object(Str(r.dup_group));
  d["copy_of"] = r.copy_of.empty() ? py::object(py::none()) : py::object(Str(r.copy_of));
  if (r.relation) {
    d["relation"] = py::str(std::string(dedup::RelationName(*r.relation)));
    d["jaccard"] = r.jaccard;
    d["containment"] = r.containment;
  } else {
    d["relation"] = py::none();
    d["jaccard"] = py::none();
    d["containment"] = py::none();
  }
  return d;
}

namespace {

// --- Sketch -----------------------------------------------------------------

struct SketchValue {
  dedup::DocumentSketch sketch;
};

py::dict OverlapDict(const SketchValue& a, const SketchValue& b) {
  const dedup::Overlap o = dedup::ComputeOverlap(a.sketch.shingles, b.sketch.shingles);
  py::dict d;
  d["shared"] = o.shared;
  d["jaccard"] = o.jaccard;
  d["containment"] = o.containment;
  return d;
}

// --- DuplicateIndex -----------------------------------------------------------

// One verified pair, with string ids.
struct MatchValue {
  std::string id;     // the article added (or "" for a query)
  std::string other;  // the indexed article it matches
  std::string relation;
  double jaccard = 0;
  double containment = 0;
  std::uint32_t shared_shingles = 0;
  std::vector<std::string> evidence;  // passages of `id`'s text
};

struct GroupValue {
  std::string canonical;
  std::vector<std::string> members;
};

struct CopyLinkValue {
  std::string id;
  std::string copy_of;
  std::string relation;
  double jaccard = 0;
  double containment = 0;
};

// The reserved document number of a query (ids given to add() count up
// from 0, far below it).
constexpr dedup::DocId kQueryDoc = dedup::kNoDoc - 1;

// storyline.DuplicateIndex: the library index with string ids. Sketching
// runs outside the lock, so threads adding at once sketch in parallel;
// the index itself takes one writer (add, query, remove) or many readers.
class IndexValue {
 public:
  explicit IndexValue(dedup::DuplicateIndex index) : index_(std::move(index)) {}

  // One text to add or query: converted under the GIL, sketched without it.
  struct Input {
    std::string id;
    std::string text;
    std::string lang;
    Timestamp timestamp = 0;
  };

  std::vector<MatchValue> Add(const Input& in, bool clean_first) {
    const std::string body = BodyOf(in.text, clean_first);
    Sketched s = Unwrap(SketchBody(body, in.lang, 0, in.timestamp, true));
    std::unique_lock lock(mutex_);
    return AddLocked(in.id, body, std::move(s));
  }

  std::vector<std::vector<MatchValue>> AddMany(const std::vector<Input>& inputs, bool clean_first,
                                               std::size_t threads) {
    std::vector<std::string> bodies(inputs.size());
    std::vector<Sketched> sketches(inputs.size());
    Check(ParallelFor(inputs.size(), threads, [&](std::size_t i, std::size_t) -> Status {
      bodies[i] = BodyOf(inputs[i].text, clean_first);
      Result<Sketched> s = SketchBody(bodies[i], inputs[i].lang, 0, inputs[i].timestamp, true);
      if (!s) {
        return MakeError(s.error().code, "'" + inputs[i].id + "': " + s.error().message);
      }
      sketches[i] = std::move(*s);
      return Ok();
    }));
    std::vector<std::vector<MatchValue>> out;
    out.reserve(inputs.size());
    std::unique_lock lock(mutex_);
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      out.push_back(AddLocked(inputs[i].id, bodies[i], std::move(sketches[i])));
    }
    return out;
  }

  std::vector<MatchValue> Query(const Input& in, bool clean_first) {
    const std::string body = BodyOf(in.text, clean_first);
    Sketched s = Unwrap(SketchBody(body, in.lang, kQueryDoc, 0, true));
    std::unique_lock lock(mutex_);
    // The library finds a document's pairs as it adds it: the query is
    // added under a reserved number and removed again, which leaves the
    // groups, canonicals and copy links as they were.
    dedup::AddOutcome out = Unwrap(index_.Add(std::move(s.sketch)));
    const dedup::DocId query = kQueryDoc;
    index_.Remove(std::span<const dedup::DocId>(&query, 1));
    std::vector<MatchValue> matches;
    for (const dedup::DuplicatePair& p : out.pairs) {
      matches.push_back(MakeMatch("", p, EvidenceText(p, body, s.token_spans)));
    }
    return matches;
  }

  std::optional<GroupValue> Group(const std::string& id) const {
    std::shared_lock lock(mutex_);
    const auto it = doc_of_.find(id);
    if (it == doc_of_.end()) return std::nullopt;
    std::optional<dedup::GroupInfo> g = index_.Group(it->second);
    if (!g) return std::nullopt;
    GroupValue v;
    v.canonical = id_of_[g->canonical];
    for (dedup::DocId d : g->members) v.members.push_back(id_of_[d]);
    std::sort(v.members.begin(), v.members.end());
    return v;
  }

  std::optional<CopyLinkValue> CopyOf(const std::string& id) const {
    std::shared_lock lock(mutex_);
    const auto it = doc_of_.find(id);
    if (it == doc_of_.end()) return std::nullopt;
    std::optional<dedup::CopyLink> link = index_.CopyOf(it->second);
    if (!link) return std::nullopt;
    return CopyLinkValue{id, id_of_[link->source], std::string(dedup::RelationName(link->relation)),
                         link->jaccard, link->containment};
  }

  std::vector<MatchValue> Pairs(const std::string& id) const {
    std::shared_lock lock(mutex_);
    std::vector<MatchValue> out;
    const auto it = doc_of_.find(id);
    if (it == doc_of_.end()) return out;
    for (const dedup::DuplicatePair& p : index_.PairsOf(it->second)) {
      out.push_back(MakeMatch(id, p, {}));
    }
    return out;
  }

  std::size_t Remove(const std::vector<std::string>& ids) {
    std::unique_lock lock(mutex_);
    std::vector<dedup::DocId> docs;
    for (const std::string& id : ids) {
      const auto it = doc_of_.find(id);
      if (it == doc_of_.end()) continue;
      docs.push_back(it->second);
      doc_of_.erase(it);
    }
    return index_.Remove(docs);
  }

  std::size_t EvictOlderThan(Timestamp cutoff) {
    std::unique_lock lock(mutex_);
    const std::size_t removed = index_.EvictOlderThan(cutoff);
    if (removed > 0) ForgetEvicted();
    return removed;
  }

  bool Contains(const std::string& id) const {
    std::shared_lock lock(mutex_);
    return doc_of_.contains(id);
  }

  std::size_t size() const {
    std::shared_lock lock(mutex_);
    return index_.size();
  }

  dedup::MemoryUsage Memory() const {
    std::shared_lock lock(mutex_);
    return index_.Memory();
  }

 private:
  std::vector<MatchValue> AddLocked(const std::string& id, const std::string& body, Sketched s) {
    if (doc_of_.contains(id)) {
      Throw(ErrorCode::kInvalidArgument,
            "'" + id + "' is already indexed (remove it first to add a new version)");
    }
    if (id_of_.size() >= kQueryDoc) Throw(ErrorCode::kInvalidArgument, "the index is full");
    const dedup::DocId doc = static_cast<dedup::DocId>(id_of_.size());
    s.sketch.id = doc;
    const std::size_t before = index_.size();
    dedup::AddOutcome out = Unwrap(index_.Add(std::move(s.sketch)));
    id_of_.push_back(id);
    doc_of_.emplace(id, doc);
    // A timed add may have evicted older documents (window_days).
    if (index_.size() != before + 1) ForgetEvicted();
    std::vector<MatchValue> matches;
    for (const dedup::DuplicatePair& p : out.pairs) {
      matches.push_back(MakeMatch(id, p, EvidenceText(p, body, s.token_spans)));
    }
    return matches;
  }

  MatchValue MakeMatch(const std::string& id, const dedup::DuplicatePair& p,
                       std::vector<std::string> evidence) const {
    return MatchValue{id,
                      id_of_[p.other],
                      std::string(dedup::RelationName(p.relation)),
                      p.jaccard,
                      p.containment,
                      p.shared_shingles,
                      std::move(evidence)};
  }

  void ForgetEvicted() {
    for (auto it = doc_of_.begin(); it != doc_of_.end();) {
      it = index_.Contains(it->second) ? std::next(it) : doc_of_.erase(it);
    }
  }

  dedup::DuplicateIndex index_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, dedup::DocId> doc_of_;
  std::vector<std::string> id_of_;  // by document number; kept after removal
};

IndexValue::Input InputFrom(std::string id, std::string text, py::handle published,
                            std::optional<std::string> lang) {
  IndexValue::Input in;
  in.id = std::move(id);
  in.text = std::move(text);
  in.lang = lang.value_or("");
  in.timestamp = ToTimestamp(published, "published").value_or(0);
  return in;
}

dedup::IndexOptions MakeIndexOptions(double near_jaccard, double partial_containment,
                                     std::uint32_t min_shared_shingles, std::uint32_t max_pairs) {
  dedup::IndexOptions options;
  options.near_jaccard = near_jaccard;
  options.partial_containment = partial_containment;
  options.min_shared_shingles = min_shared_shingles;
  options.max_pairs = max_pairs;
  return options;
}

// --- CorpusDeduplicator -------------------------------------------------------

// Whether `s` holds only whitespace: the JSONL reader's test for an empty field.
bool IsBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

std::string TypeName(py::handle value) {
  return py::str(py::type::handle_of(value).attr("__name__")).cast<std::string>();
}

// Record `index` of storyline.dedup()'s input as the Article the CLI's JSONL
// reader makes of the same object (ingest::ParseJsonArticle), so that both
// feed the deduplicator the same articles: the same fields, an int id as its
// decimal text, the same refusals (neither text nor html; nothing in text,
// html and title; a published time that is not ISO 8601), and a record
// whose text is blank but whose html is not extracted as a page by the
// reader itself. Python may also give `published` as a datetime, a date or
// Unix seconds (stored as ISO 8601). Raises InvalidError naming the record:
// "record 3 ('a'): ...".
Article RecordArticle(py::handle record, std::size_t index) {
  std::string where = "record " + std::to_string(index);
  if (!py::isinstance<py::dict>(record)) {
    Throw(ErrorCode::kInvalidInput, where + ": expected a dict, not " + TypeName(record));
  }
  py::dict d = py::reinterpret_borrow<py::dict>(record);
  Article a;
  if (d.contains("id")) {
    py::handle id = d["id"];
    if (py::isinstance<py::int_>(id) && !PyBool_Check(id.ptr())) {
      a.id = py::str(id).cast<std::string>();
    } else {
      a.id = OptionalText(d, "id", where);
    }
  }
  if (a.id.empty()) Throw(ErrorCode::kInvalidInput, where + ": no 'id'");
  where += " ('" + a.id + "')";
  a.title = OptionalText(d, "title", where);
  a.text = OptionalText(d, "text", where);
  a.html = OptionalText(d, "html", where);
  a.url = OptionalText(d, "url", where);
  a.source = OptionalText(d, "source", where);
  a.lang = OptionalText(d, "lang", where);
  if (d.contains("published")) {
    a.published = ToIsoText(d["published"], (where + ": published").c_str());
  }
  if (!d.contains("text") && !d.contains("html")) {
    Throw(ErrorCode::kInvalidInput, where + ": no 'text' (or 'html')");
  }
  if (IsBlank(a.text) && IsBlank(a.html) && IsBlank(a.title)) {
    Throw(ErrorCode::kInvalidInput, where + ": empty article: 'text' and 'title' have no content");
  }
  if (IsBlank(a.text) && !IsBlank(a.html)) {
    // The page goes through the reader's own path (extraction, and the
    // record's explicit fields winning over extracted ones) as a JSONL line.
    const nlohmann::json line = {
        {"id", a.id},   {"title", a.title},   {"text", a.text}, {"html", a.html},
        {"url", a.url}, {"source", a.source}, {"lang", a.lang}, {"published", a.published}};
    Result<Article> page = ingest::ParseJsonArticle(line.dump(), "record", 0);
    if (!page) Throw(page.error().code, where + ": " + page.error().message);
    a = std::move(*page);
  }
  a.origin = std::move(where);
  return a;
}

// A verified pair as `storyline dedup --pairs` writes it
// (docs/schema/dedup-pair.schema.json).
py::dict PairDict(const pipeline::DedupPair& p) {
  py::dict d;
  d["a"] = Str(p.a);
  d["b"] = Str(p.b);
  d["relation"] = py::str(std::string(dedup::RelationName(p.relation)));
  d["jaccard"] = p.jaccard;
  d["containment"] = p.containment;
  py::list evidence;
  for (const std::string& e : p.evidence) evidence.append(Str(e));
  d["evidence"] = std::move(evidence);
  return d;
}

// The engine of storyline.dedup(): the library's CorpusDeduplicator (what
// `storyline dedup` runs), fed Articles converted under the GIL and run
// without it. The library reports verified pairs while the GIL is released,
// so they are kept here until the caller takes them (TakePairs). The library
// takes one caller: a mutex keeps Python threads sharing an engine from
// entering it at once.
class CorpusDedupValue {
 public:
  CorpusDedupValue(std::unique_ptr<pipeline::CorpusDeduplicator> engine, bool keep_pairs)
      : engine_(std::move(engine)) {
    if (keep_pairs) {
      engine_->set_pair_sink([this](const pipeline::DedupPair& p) -> Status {
        pairs_.push_back(p);
        return Ok();
      });
    }
  }

  // Records that `id` (of record `where`) is in the corpus; raises when an
  // earlier record had it. The library would let the later record replace
  // the earlier one (the CLI reports that and exits with 3); dedup() asks
  // for unique ids instead, so that every record gets its row. Called with
  // the GIL held.
  void Claim(const Article& a) {
    if (!ids_.insert(a.id).second) {
      Throw(ErrorCode::kInvalidInput, a.origin + ": duplicate id '" + a.id + "'");
    }
  }

  // Queues the articles in order; the library processes each batch as it
  // fills. Called without the GIL.
  void Add(std::vector<Article> articles) {
    std::lock_guard lock(mutex_);
    for (Article& a : articles) Unwrap(engine_->Add(std::move(a)));
  }

  // Processes the last batch and returns every article's result, in input
  // order. Called without the GIL.
  std::vector<pipeline::DedupResult> Finish() {
    std::lock_guard lock(mutex_);
    Check(engine_->Finish());
    std::vector<pipeline::DedupResult> out;
    out.reserve(engine_->articles());
    Check(engine_->ForEachResult([&](const pipeline::DedupResult& r) -> Status {
      out.push_back(r);
      return Ok();
    }));
    return out;
  }

  // The pairs found since the last call.
  std::vector<pipeline::DedupPair> TakePairs() {
    std::lock_guard lock(mutex_);
    return std::exchange(pairs_, {});
  }

  pipeline::DedupMemory Memory() const {
    std::lock_guard lock(mutex_);
    return engine_->Memory();
  }

  std::size_t threads() const { return engine_->threads(); }

 private:
  mutable std::mutex mutex_;
  std::unique_ptr<pipeline::CorpusDeduplicator> engine_;
  std::vector<pipeline::DedupPair> pairs_;
  std::unordered_set<std::string> ids_;
};

// The pairs found so far as a list of dicts, taken from the engine.
py::list PairList(CorpusDedupValue& self) {
  std::vector<pipeline::DedupPair> pairs = self.TakePairs();
  py::list out;
  for (const pipeline::DedupPair& p : pairs) out.append(PairDict(p));
  return out;
}

// storyline.Sketch and the module functions that make sketches.
void BindSketch(py::module_& m) {
  // --- Sketch ---
  py::class_<SketchValue> sketch(m, "Sketch", R"doc(
What duplicate detection knows of one text: its normalised body hash, its
5-word shingle fingerprints (a sorted set of 32-bit values), a MinHash
signature with its LSH band keys, and winnowed anchors. Made by sketch() or
sketch_many(); compare two with overlap(), keep one with to_bytes().
)doc");
  sketch
      .def_property_readonly(
          "body_hash", [](const SketchValue& s) { return s.sketch.body_hash; },
          "64-bit hash of the normalised text (0 for an empty one); equal hashes are exact copies.")
      .def_property_readonly(
          "fingerprints", [](const SketchValue& s) { return s.sketch.shingles; },
          "The sorted, distinct 32-bit shingle fingerprints (a new list).")
      .def_property_readonly(
          "signature", [](const SketchValue& s) { return s.sketch.signature; },
          "The MinHash signature (40 values; empty for a text without words).")
      .def_property_readonly(
          "band_keys", [](const SketchValue& s) { return s.sketch.band_keys; },
          "One LSH key per band of the signature (20).")
      .def_property_readonly(
          "anchors", [](const SketchValue& s) { return s.sketch.anchors; },
          "The winnowed fingerprints that find a short copy inside a long text.")
      .def("__len__", [](const SketchValue& s) { return s.sketch.shingles.size(); })
      .def("overlap", &OverlapDict, py::arg("other"), R"doc(
The exact overlap of the two fingerprint sets: a dict with "shared",
"jaccard" (shared / union) and "containment" (shared / the smaller set).
)doc")
      .def(
          "jaccard",
          [](const SketchValue& a, const SketchValue& b) {
            return dedup::ComputeOverlap(a.sketch.shingles, b.sketch.shingles).jaccard;
          },
          py::arg("other"), "Jaccard resemblance of the two shingle sets (0..1).")
      .def(
          "containment",
          [](const SketchValue& a, const SketchValue& b) {
            return dedup::ComputeOverlap(a.sketch.shingles, b.sketch.shingles).containment;
          },
          py::arg("other"), "Share of the smaller shingle set found in the larger (0..1).")
      .def(
          "to_bytes",
          [](const SketchValue& s) { return py::bytes(DefaultSketcher().Serialize(s.sketch)); },
          "The compact serialised form (what the store keeps); Sketch.from_bytes reads it.")
      .def_static(
          "from_bytes",
          [](py::bytes data) {
            const std::string bytes = data;
            return SketchValue{Unwrap(DefaultSketcher().Load(bytes))};
          },
          py::arg("data"), R"doc(
Reads a sketch written by to_bytes() (or stored by `storyline ingest`).

Raises:
    InvalidError: bytes that are truncated, corrupt or of other sketch options.
)doc")
      .def("__repr__", [](const SketchValue& s) {
        return "Sketch(shingles=" + std::to_string(s.sketch.shingles.size()) +
               ", anchors=" + std::to_string(s.sketch.anchors.size()) + ")";
      });

  m.def(
      "sketch",
      [](const std::string& text, std::optional<std::string> lang, bool clean_first) {
        py::gil_scoped_release release;
        const std::string body = BodyOf(text, clean_first);
        return SketchValue{Unwrap(SketchBody(body, lang.value_or(""), 0, 0, false)).sketch};
      },
      py::arg("text"), py::kw_only(), py::arg("lang") = py::none(), py::arg("clean") = false,
      R"doc(
Sketches one text for duplicate detection (the GIL is released meanwhile).

    >>> a, b = storyline.sketch(original), storyline.sketch(copy)
    >>> a.overlap(b)    # {'shared': 412, 'jaccard': 0.83, 'containment': 0.97}

Args:
    text: the article's body (or its whole text with clean=True).
    lang: ISO 639-1 code if known: Chinese, Japanese, Thai, Lao, Khmer and
        Burmese get character shingles (also found from the script when None).
    clean: clean the text first (storyline.clean) and sketch its body.

Raises:
    InvalidError: a text the tokenizer refuses (over its size limit).
)doc");

  m.def(
      "sketch_many",
      [](std::vector<std::string> texts, std::optional<std::string> lang, bool clean_first,
         int threads) {
        std::vector<SketchValue> out(texts.size());
        {
          py::gil_scoped_release release;
          const std::string code = lang.value_or("");
          Check(ParallelFor(
              texts.size(), ResolveThreads(threads), [&](std::size_t i, std::size_t) -> Status {
                Result<Sketched> s = SketchBody(BodyOf(texts[i], clean_first), code, 0, 0, false);
                if (!s) {
                  return MakeError(s.error().code,
                                   "text " + std::to_string(i) + ": " + s.error().message);
                }
                out[i].sketch = std::move(s->sketch);
                return Ok();
              }));
        }
        return out;
      },
      py::arg("texts"), py::kw_only(), py::arg("lang") = py::none(), py::arg("clean") = false,
      py::arg("threads") = 1, R"doc(
Sketches a list of texts on `threads` threads (0 = every core) without the
GIL; the same sketches as sketch() on each, in input order.
)doc");
}

// The records the index and the deduplicator return.
void BindMatchRecords(py::module_& m) {
  py::class_<MatchValue> match(m, "Match", R"doc(
A verified duplicate pair.

Attributes:
    id: the article added (or "" for a query).
    other: the indexed article it matches.
    relation: "exact" (same normalised text), "near" (Jaccard >= near_jaccard)
        or "partial" (containment >= partial_containment: a cut copy).
    jaccard: Jaccard resemblance of the two shingle sets.
    containment: share of the smaller shingle set found in the larger.
    shared_shingles: shingles they share.
    evidence: the longest shared passages, quoted from `id`'s text
        (empty for pairs read back with DuplicateIndex.pairs).
)doc");
  match.def_readonly("id", &MatchValue::id)
      .def_readonly("other", &MatchValue::other)
      .def_readonly("relation", &MatchValue::relation)
      .def_readonly("jaccard", &MatchValue::jaccard)
      .def_readonly("containment", &MatchValue::containment)
      .def_readonly("shared_shingles", &MatchValue::shared_shingles)
      .def_readonly("evidence", &MatchValue::evidence);
  AddRecordMethods(
      match, {"id", "other", "relation", "jaccard", "containment", "shared_shingles", "evidence"});

  py::class_<GroupValue> group(m, "Group", R"doc(
A duplicate group: every article linked to `canonical` by verified pairs.

Attributes:
    canonical: the most complete member (longest text), then the earliest.
    members: every member's id, the canonical included, sorted.
)doc");
  group.def_readonly("canonical", &GroupValue::canonical)
      .def_readonly("members", &GroupValue::members);
  AddRecordMethods(group, {"canonical", "members"});

  py::class_<CopyLinkValue> copy_link(m, "CopyLink", R"doc(
What an article copies: its best-matching neighbour ranked before it.

Attributes:
    id: the copy.
    copy_of: the article it copies.
    relation, jaccard, containment: as in Match.
)doc");
  copy_link.def_readonly("id", &CopyLinkValue::id)
      .def_readonly("copy_of", &CopyLinkValue::copy_of)
      .def_readonly("relation", &CopyLinkValue::relation)
      .def_readonly("jaccard", &CopyLinkValue::jaccard)
      .def_readonly("containment", &CopyLinkValue::containment);
  AddRecordMethods(copy_link, {"id", "copy_of", "relation", "jaccard", "containment"});
}

// storyline.DuplicateIndex: construction and adding.
py::class_<IndexValue> BindIndexAdds(py::module_& m) {
  py::class_<IndexValue> index(m, "DuplicateIndex", R"doc(
An incremental index of exact, near and partial copies (MinHash LSH and
winnowed anchors, every candidate verified on the exact shingle sets).

    >>> index = storyline.DuplicateIndex()
    >>> index.add("a", original_body)
    []
    >>> [m.relation for m in index.add("b", cut_copy)]
    ['partial']
    >>> index.group("b").canonical, index.copy_of("b").copy_of
    ('a', 'a')

Texts are compared as given: pass bodies (storyline.clean(...).body), or
clean=True to clean them first. Thread-safe: texts are sketched without the
GIL and outside the index's lock, so threads adding at once sketch in
parallel; adds, queries and removals then take the index one at a time.

Args:
    near_jaccard: a pair is "near" at or above this Jaccard (0.6).
    partial_containment: a pair is "partial" at or above this containment (0.5).
    min_shared_shingles: near and partial pairs share at least this many (10).
    max_pairs: verified pairs kept per added text, the strongest (32).
    window_days: when set, texts published more than this many days before
        the newest one are evicted (texts without a time count as added at
        the newest time seen).

Raises:
    InvalidError: an option out of range.
)doc");
  index
      .def(py::init([](double near_jaccard, double partial_containment,
                       std::uint32_t min_shared_shingles, std::uint32_t max_pairs,
                       std::optional<double> window_days) {
             dedup::IndexOptions options = MakeIndexOptions(near_jaccard, partial_containment,
                                                            min_shared_shingles, max_pairs);
             if (window_days) {
               if (!(*window_days > 0)) {
                 Throw(ErrorCode::kInvalidArgument, "window_days must be > 0");
               }
               options.window_seconds = static_cast<std::int64_t>(*window_days * 86400.0);
             }
             return std::make_unique<IndexValue>(
                 Unwrap(dedup::DuplicateIndex::Create(options, dedup::SketchOptions{})));
           }),
           py::kw_only(), py::arg("near_jaccard") = 0.6, py::arg("partial_containment") = 0.5,
           py::arg("min_shared_shingles") = 10, py::arg("max_pairs") = 32,
           py::arg("window_days") = py::none())
      .def(
          "add",
          [](IndexValue& self, std::string id, std::string text, py::handle published,
             std::optional<std::string> lang, bool clean_first) {
            IndexValue::Input in = InputFrom(std::move(id), std::move(text), published, lang);
            py::gil_scoped_release release;
            return self.Add(in, clean_first);
          },
          py::arg("id"), py::arg("text"), py::kw_only(), py::arg("published") = py::none(),
          py::arg("lang") = py::none(), py::arg("clean") = false, R"doc(
Finds the copies of a text among those indexed, then indexes it.

Args:
    id: the text's id, unique in the index.
    text: its body (or whole text with clean=True).
    published: publication time (datetime, ISO 8601 str or Unix seconds):
        the earliest of equally complete copies is the original.
    lang: ISO 639-1 code if known (see sketch()).
    clean: clean the text first and index its body.

Returns:
    A list of Match (the pairs found, with evidence quoted from `text`).

Raises:
    InvalidError: an id already indexed, or a bad time.
)doc")
      .def(
          "add_many",
          [](IndexValue& self, py::iterable records, bool clean_first, int threads) {
            std::vector<IndexValue::Input> inputs;
            for (py::handle record : records) {
              const std::string where = "record " + std::to_string(inputs.size());
              Article a = ArticleFromPython(record, where);
              if (a.id.empty()) Throw(ErrorCode::kInvalidInput, where + ": no 'id'");
              IndexValue::Input in;
              in.id = std::move(a.id);
              in.text = std::move(a.text);
              in.lang = std::move(a.lang);
              if (!a.published.empty()) in.timestamp = ParseIso8601(a.published).value_or(0);
              inputs.push_back(std::move(in));
            }
            py::gil_scoped_release release;
            return self.AddMany(inputs, clean_first, ResolveThreads(threads));
          },
          py::arg("records"), py::kw_only(), py::arg("clean") = false, py::arg("threads") = 1,
          R"doc(
Adds many texts: dicts with "id" and "text" (optionally "published",
"lang"), sketched on `threads` threads (0 = every core) without the GIL,
then added in the given order.

Returns:
    A list with each text's list of Match, in input order.
)doc");
  return index;
}

// storyline.DuplicateIndex: queries, removal and reading back.
void BindIndexQueries(py::class_<IndexValue>& index) {
  index
      .def(
          "query",
          [](IndexValue& self, std::string text, std::optional<std::string> lang,
             bool clean_first) {
            IndexValue::Input in = InputFrom("", std::move(text), py::none(), lang);
            py::gil_scoped_release release;
            return self.Query(in, clean_first);
          },
          py::arg("text"), py::kw_only(), py::arg("lang") = py::none(), py::arg("clean") = false,
          R"doc(
The indexed texts that `text` copies or is copied by, without indexing it.

Returns:
    A list of Match with id "" (evidence quoted from `text`). A query costs
    an add plus a pass over the index's pairs (to take it out again): to
    check a whole corpus, add it.
)doc")
      .def(
          "group",
          [](const IndexValue& self, const std::string& id) {
            py::gil_scoped_release release;
            return self.Group(id);
          },
          py::arg("id"), "The Group of `id`, or None when it is not indexed.")
      .def(
          "copy_of",
          [](const IndexValue& self, const std::string& id) {
            py::gil_scoped_release release;
            return self.CopyOf(id);
          },
          py::arg("id"), R"doc(
The CopyLink of `id`: what it copies. None when it is not indexed, has no
pairs, or is its group's original.
)doc")
      .def(
          "pairs",
          [](const IndexValue& self, const std::string& id) {
            py::gil_scoped_release release;
            return self.Pairs(id);
          },
          py::arg("id"), "Every verified pair of `id` (Match, without evidence).")
      .def(
          "remove",
          [](IndexValue& self, std::vector<std::string> ids) {
            py::gil_scoped_release release;
            return self.Remove(ids);
          },
          py::arg("ids"), R"doc(
Removes texts with their pairs (unknown ids are skipped); groups held
together only by them split. Returns the number removed.
)doc")
      .def(
          "evict_older_than",
          [](IndexValue& self, py::handle cutoff) {
            const std::optional<Timestamp> t = ToTimestamp(cutoff, "cutoff");
            if (!t) Throw(ErrorCode::kInvalidArgument, "cutoff: a time is required");
            py::gil_scoped_release release;
            return self.EvictOlderThan(*t);
          },
          py::arg("cutoff"), "Removes every text published before `cutoff`; returns how many.")
      .def(
          "memory",
          [](const IndexValue& self) {
            const dedup::MemoryUsage u = self.Memory();
            py::dict d;
            d["documents"] = u.documents;
            d["index_bytes"] = u.index_bytes;
            d["pair_bytes"] = u.pair_bytes;
            d["shingle_bytes"] = u.shingle_bytes;
            return d;
          },
          "Bytes held: a dict with documents, index_bytes, pair_bytes, shingle_bytes.")
      .def("__len__", &IndexValue::size)
      .def("__contains__", &IndexValue::Contains, py::arg("id"));
}

// storyline.CorpusDeduplicator, the engine of storyline.dedup().
void BindCorpusDedup(py::module_& m) {
  py::class_<CorpusDedupValue>(m, "CorpusDeduplicator", R"doc(
The engine of storyline.dedup(): the library's corpus deduplicator, the one
`storyline dedup` runs. add() lists of records, then finish(). Use
storyline.dedup(), which feeds it and documents the arguments.
)doc")
      .def(py::init([](std::size_t batch_size, int threads, std::optional<std::string> spill_dir,
                       bool in_memory, bool keep_pairs, bool evidence, double near_jaccard,
                       double partial_containment, std::uint32_t min_shared_shingles,
                       std::uint32_t max_pairs) {
             pipeline::DedupOptions options;
             options.threads = threads;
             options.batch_articles = batch_size;
             options.evidence = keep_pairs && evidence;
             if (!in_memory) {
               // The CLI's default: the system's temporary folder.
               std::error_code ec;
               const std::filesystem::path tmp = std::filesystem::temp_directory_path(ec);
               options.spill_dir = spill_dir ? *spill_dir : ec ? std::string("/tmp") : tmp.string();
             }
             options.index = MakeIndexOptions(near_jaccard, partial_containment,
                                              min_shared_shingles, max_pairs);
             std::unique_ptr<pipeline::CorpusDeduplicator> engine;
             {
               py::gil_scoped_release release;
               engine = Unwrap(pipeline::CorpusDeduplicator::Create(options));
             }
             return std::make_unique<CorpusDedupValue>(std::move(engine), keep_pairs);
           }),
           py::kw_only(), py::arg("batch_size") = 2000, py::arg("threads") = 0,
           py::arg("spill_dir") = py::none(), py::arg("in_memory") = false,
           py::arg("pairs") = false, py::arg("evidence") = true, py::arg("near_jaccard") = 0.6,
           py::arg("partial_containment") = 0.5, py::arg("min_shared_shingles") = 10,
           py::arg("max_pairs") = 32)
      .def(
          "add",
          [](CorpusDedupValue& self, py::list records, std::size_t first) {
            std::vector<Article> articles;
            articles.reserve(records.size());
            for (py::handle record : records) {
              Article a = RecordArticle(record, first + articles.size());
              self.Claim(a);
              articles.push_back(std::move(a));
            }
            {
              py::gil_scoped_release release;
              self.Add(std::move(articles));
            }
            return PairList(self);
          },
          py::arg("records"), py::arg("first") = 0, R"doc(
Adds a list of records (dicts), numbered from `first` in messages; the
batches they fill are processed without the GIL. Returns the verified pairs
found meanwhile (dicts; empty unless made with pairs=True).
)doc")
      .def(
          "finish",
          [](CorpusDedupValue& self) {
            std::vector<pipeline::DedupResult> rows;
            {
              py::gil_scoped_release release;
              rows = self.Finish();
            }
            py::list out;
            for (const pipeline::DedupResult& r : rows) out.append(ResultDict(r));
            return py::make_tuple(std::move(out), PairList(self));
          },
          R"doc(
Processes the last batch (without the GIL). Returns (rows, pairs): a dict
per record in input order, and the verified pairs the last batch found.
)doc")
      .def(
          "memory",
          [](const CorpusDedupValue& self) {
            const pipeline::DedupMemory u = self.Memory();
            py::dict d;
            d["articles"] = u.articles;
            d["index_bytes"] = u.index_bytes;
            d["shingle_bytes"] = u.shingle_bytes;
            d["article_bytes"] = u.article_bytes;
            d["spilled_bytes"] = u.spilled_bytes;
            return d;
          },
          "Bytes held: a dict with articles, index_bytes, shingle_bytes, article_bytes, "
          "spilled_bytes (the library's DedupMemory).")
      .def_property_readonly("threads", &CorpusDedupValue::threads,
                             "The threads the per-article work runs on.");
}

}  // namespace

void BindDedup(py::module_& m) {
  BindSketch(m);
  BindMatchRecords(m);
  py::class_<IndexValue> index = BindIndexAdds(m);
  BindIndexQueries(index);
  BindCorpusDedup(m);
}

}  // namespace storyline::python
