// The tasks of the partitioned dedup job for Python
// (storyline/pipeline/partitioned_dedup.h), as the submodule
// `_storyline.partitioned` that storyline.distributed schedules on Dask:
// the driver's Planner, and the worker tasks as functions of bytes to bytes
// that run without the GIL.
#include <pybind11/stl.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "bindings.h"
#include "storyline/ingest/reader.h"
#include "storyline/pipeline/partitioned_dedup.h"

namespace storyline::python {
namespace {

using pipeline::DedupOptions;

py::bytes Bytes(const std::string& s) { return py::bytes(s.data(), s.size()); }

std::vector<std::string> Strings(const std::vector<py::bytes>& parts) {
  std::vector<std::string> out;
  out.reserve(parts.size());
  for (const py::bytes& b : parts) out.emplace_back(b);
  return out;
}

py::list BytesList(const std::vector<std::string>& parts) {
  py::list out;
  for (const std::string& s : parts) out.append(Bytes(s));
  return out;
}

// The driver: reads the inputs, cuts and hands out batches, learns the
// chrome model, links the verified pairs.
class PlannerValue {
 public:
  explicit PlannerValue(std::size_t batch_size) {
    options_.batch_articles = batch_size;
    planner_ = Unwrap(pipeline::DedupPlanner::Create(options_));
  }

  // Reads `paths` as `storyline dedup` does, calling on_batch(bytes) with
  // each batch as it is cut and on_bad(message) with each bad record (both
  // with the GIL). Returns (articles read, bad records, repeated ids).
  py::tuple Read(const std::vector<std::string>& paths, py::function on_batch,
                 py::function on_bad) {
    ingest::InputReader reader;
    std::int64_t repeated = 0;
    std::optional<Error> callback_error;
    auto hand_out = [&]() -> Status {
      std::optional<std::string> batch = planner_->TakeBatch();
      if (!batch) return Ok();
      py::gil_scoped_acquire hold;
      try {
        on_batch(Bytes(*batch));
      } catch (py::error_already_set& e) {
        callback_error = Error{ErrorCode::kInternal, e.what()};
        return MakeError(ErrorCode::kInternal, "on_batch failed");
      }
      return Ok();
    };
    Status s;
    {
      py::gil_scoped_release release;
      s = reader.Read(
          paths,
          [&](Article&& a) -> Status {
            if (planner_->Add(std::move(a))) ++repeated;
            return planner_->Full() ? hand_out() : Ok();
          },
          [&](const ingest::BadRecord& bad) {
            py::gil_scoped_acquire hold;
            if (callback_error) return;  // reported once, after reading
            try {
              on_bad(Str(bad.ToString()));
            } catch (py::error_already_set& e) {
              callback_error = Error{ErrorCode::kInternal, e.what()};
            }
          });
      if (s) s = hand_out();
    }
    if (callback_error) Throw(*callback_error);
    Check(s);
    const ingest::ReadStats& st = reader.stats();
    return py::make_tuple(st.articles, st.bad_records, repeated);
  }

  py::bytes LearnChrome(const std::string& observations) {
    std::string out;
    {
      py::gil_scoped_release release;
      out = Unwrap(planner_->LearnChrome(observations));
    }
    return Bytes(out);
  }

  py::bytes Superseded(std::uint32_t batch) const { return Bytes(planner_->Superseded(batch)); }

  void Link(std::uint32_t batch, const std::string& meta, const std::vector<py::bytes>& pairs) {
    const std::vector<std::string> parts = Strings(pairs);
    py::gil_scoped_release release;
    Check(planner_->Link(batch, meta, parts));
  }

  py::list Results() const {
    std::vector<pipeline::DedupResult> rows;
    {
      py::gil_scoped_release release;
      Check(planner_->ForEachResult([&](const pipeline::DedupResult& r) -> Status {
        rows.push_back(r);
        return Ok();
      }));
    }
    py::list out;
    for (const pipeline::DedupResult& r : rows) out.append(ResultDict(r));
    return out;
  }

  // The same rows as the JSON lines `storyline dedup` writes (each with its
  // newline), joined.
  py::bytes ResultLines() const {
    std::string out;
    {
      py::gil_scoped_release release;
      Check(planner_->ForEachResult([&](const pipeline::DedupResult& r) -> Status {
        out += pipeline::DedupResultLine(r);
        out += '\n';
        return Ok();
      }));
    }
    return Bytes(out);
  }

  std::uint32_t batches() const { return planner_->batches(); }
  std::size_t articles() const { return planner_->articles(); }
  std::size_t chrome_lines() const { return planner_->chrome_lines(); }

 private:
  DedupOptions options_;
  std::unique_ptr<pipeline::DedupPlanner> planner_;
};

// Runs `task` without the GIL and returns its value (errors thrown).
template <typename F>
auto Released(F&& task) {
  py::gil_scoped_release release;
  return Unwrap(task());
}

}  // namespace

void BindDistributed(py::module_& root) {
  py::module_ m = root.def_submodule("partitioned", R"doc(
The tasks of the partitioned dedup job (storyline.distributed): a driver
(Planner) and worker functions from bytes to bytes, run without the GIL.
Their results equal `storyline dedup` on the same input; see
include/storyline/pipeline/partitioned_dedup.h for the data flow.
)doc");

  py::class_<PlannerValue>(m, "Planner", "The driver's intake, chrome model and final index.")
      .def(py::init<std::size_t>(), py::arg("batch_size") = 2000)
      .def("read", &PlannerValue::Read, py::arg("paths"), py::arg("on_batch"), py::arg("on_bad"),
           "Reads the inputs; calls on_batch(bytes) per batch and on_bad(str) per bad record. "
           "Returns (articles, bad_records, repeated_ids).")
      .def("learn_chrome", &PlannerValue::LearnChrome, py::arg("observations"),
           "Counts a batch's observations (in batch order); returns the restricted model.")
      .def("superseded", &PlannerValue::Superseded, py::arg("batch"),
           "The articles of a batch that a later batch changed (route_keys leaves them out).")
      .def("link", &PlannerValue::Link, py::arg("batch"), py::arg("meta"), py::arg("pairs"),
           "Adds a batch's documents and verified pairs (in batch order).")
      .def("results", &PlannerValue::Results,
           "One dict per article, in input order, as storyline.dedup() yields them.")
      .def("result_lines", &PlannerValue::ResultLines,
           "The results as `storyline dedup` writes them: JSON lines, as UTF-8 bytes.")
      .def_property_readonly("batches", &PlannerValue::batches)
      .def_property_readonly("articles", &PlannerValue::articles)
      .def_property_readonly("chrome_lines", &PlannerValue::chrome_lines);

  m.def(
      "observe_batch",
      [](const std::string& batch) {
        return Bytes(Released([&] { return pipeline::ObserveBatch(batch); }));
      },
      py::arg("batch"), "The chrome model's line keys of a batch's articles (for learn_chrome).");
  m.def(
      "sketch_batch",
      [](const std::string& batch, const std::string& chrome, int threads) {
        DedupOptions options;
        options.threads = threads;
        pipeline::SketchedBatch out =
            Released([&] { return pipeline::SketchBatch(batch, chrome, options); });
        return py::make_tuple(Bytes(out.sketches), Bytes(out.meta));
      },
      py::arg("batch"), py::arg("chrome"), py::arg("threads") = 1, "Returns (sketches, meta).");
  m.def(
      "route_keys",
      [](const std::string& sketches, const std::string& superseded, std::uint32_t shards) {
        return BytesList(Released(
            [&] { return pipeline::RouteKeys(sketches, superseded, shards, DedupOptions{}); }));
      },
      py::arg("sketches"), py::arg("superseded"), py::arg("shards"),
      "A batch's band keys, anchors and body hashes, less the superseded articles, cut into "
      "`shards` parts by key.");
  m.def(
      "find_candidates",
      [](const std::vector<py::bytes>& parts, std::uint32_t batches) {
        const std::vector<std::string> in = Strings(parts);
        return BytesList(
            Released([&] { return pipeline::FindCandidates(in, batches, DedupOptions{}); }));
      },
      py::arg("parts"), py::arg("batches"),
      "The candidate hits of one key shard (its part of every batch), one bytes per batch of "
      "the later article.");
  m.def(
      "select_candidates",
      [](const std::string& sketches, const std::vector<py::bytes>& hits, std::uint32_t batches) {
        const std::vector<std::string> in = Strings(hits);
        pipeline::CandidateSelection out = Released(
            [&] { return pipeline::SelectCandidates(sketches, in, batches, DedupOptions{}); });
        return py::make_tuple(Bytes(out.selected), BytesList(out.wanted));
      },
      py::arg("sketches"), py::arg("hits"), py::arg("batches"),
      "Returns (selected, wanted per batch).");
  m.def(
      "take_shingles",
      [](const std::string& sketches, const std::string& wanted) {
        return Bytes(
            Released([&] { return pipeline::TakeShingles(sketches, wanted, DedupOptions{}); }));
      },
      py::arg("sketches"), py::arg("wanted"),
      "The shingle sets of the wanted articles of a batch, for another batch's verification.");
  m.def(
      "verify_candidates",
      [](const std::string& sketches, const std::string& selected,
         const std::vector<py::bytes>& taken) {
        const std::vector<std::string> in = Strings(taken);
        return Bytes(Released(
            [&] { return pipeline::VerifyCandidates(sketches, selected, in, DedupOptions{}); }));
      },
      py::arg("sketches"), py::arg("selected"), py::arg("taken"),
      "The selected pairs of a batch's articles verified on the exact shingle sets.");
}

}  // namespace storyline::python
