// storyline dedup: the duplicate groups of a corpus, without a store: one
// JSON line per article, and optionally the verified pairs with evidence.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "command.h"
#include "json_views.h"
#include "progress.h"
#include "storyline/ingest/reader.h"
#include "storyline/pipeline/deduplicator.h"

namespace storyline::cli {
namespace {

using nlohmann::json;

// A verified pair of docs/schema/dedup-pair.schema.json.
json PairView(const pipeline::DedupPair& p) {
  json j;
  j["a"] = p.a;
  j["b"] = p.b;
  j["relation"] = std::string(dedup::RelationName(p.relation));
  j["jaccard"] = p.jaccard;
  j["containment"] = p.containment;
  j["evidence"] = p.evidence;
  return j;
}

// An output file, or standard output for "-"; closed (and checked) by Close.
class OutputFile {
 public:
  static Result<std::unique_ptr<OutputFile>> Open(const std::string& path) {
    if (path == "-") return std::unique_ptr<OutputFile>(new OutputFile(path, stdout));
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr) return MakeError(ErrorCode::kIo, path + ": cannot write");
    return std::unique_ptr<OutputFile>(new OutputFile(path, f));
  }
  ~OutputFile() {
    if (file_ != nullptr && file_ != stdout) std::fclose(file_);
  }
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  Status WriteLine(const json& j) { return WriteLine(Dump(j)); }
  Status WriteLine(std::string line) {
    line += '\n';
    if (std::fwrite(line.data(), 1, line.size(), file_) != line.size()) {
      return MakeError(ErrorCode::kIo, Name() + ": write failed");
    }
    return Ok();
  }
  Status Close() {
    const bool ok = std::fflush(file_) == 0 && !std::ferror(file_);
    if (file_ != stdout) {
      const bool closed = std::fclose(file_) == 0;
      file_ = nullptr;
      if (!closed) return MakeError(ErrorCode::kIo, Name() + ": write failed");
    }
    if (!ok) return MakeError(ErrorCode::kIo, Name() + ": write failed");
    return Ok();
  }

 private:
  OutputFile(std::string path, std::FILE* f) : path_(std::move(path)), file_(f) {
    std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
  }
  std::string Name() const { return path_ == "-" ? "standard output" : path_; }
  std::string path_;
  std::FILE* file_;
};

class DedupCommand final : public Command {
 public:
  void Configure(CLI::App& app) override {
    app.footer(
        "Reads what 'storyline ingest' reads (.txt, .jsonl[.gz|.zst], .html, .warc[.gz], "
        "directories, '-' for standard input) and finds exact, near and partial copies with "
        "ingest's own cleaning (site chrome learned from the corpus) and duplicate index, "
        "so the groups are the ones ingest would store; nothing is stored.\n"
        "Writes one JSON line per article, in input order, once the whole input is read: "
        "{\"id\", \"dup_group\" (the group's canonical article: the most complete, then the "
        "earliest, then the first read; null when alone), \"copy_of\", \"relation\" "
        "(exact|near|partial), \"jaccard\", \"containment\" (null for a canonical or lone "
        "article)}. --pairs writes every verified pair as it is found, with the shared "
        "passages.\n"
        "Memory: about 1 KB per article; the shingle fingerprints that verify candidates go "
        "to an unlinked file in --spill-dir. Bad records are reported with file and line and "
        "skipped (exit code 3), as are repeated ids in one batch (the later record is kept).");
    app.add_option("inputs", inputs_, "Files or directories to read ('-': standard input)")
        ->required();
    app.add_option("-o,--output", output_, "Where the article lines go ('-': standard output)")
        ->capture_default_str();
    app.add_option("--pairs", pairs_,
                   "Also write the verified pairs, with their evidence passages, as JSONL to "
                   "this file ('-': standard output)");
    app.add_option("--threads", threads_,
                   "Threads for the per-article work (language, cleaning, sketches); 0: one per "
                   "hardware thread. Results are the same for any count")
        ->capture_default_str()
        ->check(CLI::Range(0, 1024));
    app.add_option("--batch-size", batch_size_,
                   "Articles per batch, as ingest's --batch-size (the site chrome of a batch is "
                   "learned before its articles are cleaned)")
        ->capture_default_str()
        ->check(CLI::Range(1, 1000000));
    app.add_option("--spill-dir", spill_dir_,
                   "Folder for the temporary file of shingle fingerprints (default: the system's "
                   "temporary folder)");
    app.add_flag("--in-memory", in_memory_,
                 "Keep the shingle fingerprints in memory instead (about 4 bytes per distinct "
                 "5-word shingle of every article)");
    app.add_option("--progress", progress_,
                   "Progress display: auto (on a terminal), always, never, or lines")
        ->capture_default_str()
        ->check(CLI::IsMember({"auto", "always", "never", "lines"}));
    app.add_flag("-q,--quiet", quiet_, "Print nothing but errors");
  }

  Result<int> Run() override {
    const ProgressMode mode = ProgressModeOf(progress_, quiet_);
    if (pairs_ == "-" && output_ == "-") {
      return MakeError(ErrorCode::kInvalidArgument,
                       "--pairs - and -o - would mix two kinds of lines on standard output; "
                       "give one of them a file");
    }

    Result<std::unique_ptr<pipeline::CorpusDeduplicator>> dedup =
        pipeline::CorpusDeduplicator::Create(Options());
    if (!dedup) return Fail(dedup.error());
    Result<std::unique_ptr<OutputFile>> out = OutputFile::Open(output_);
    if (!out) return Fail(out.error());
    std::unique_ptr<OutputFile> pairs_out;
    std::int64_t pairs = 0;
    if (!pairs_.empty()) {
      Result<std::unique_ptr<OutputFile>> p = OutputFile::Open(pairs_);
      if (!p) return Fail(p.error());
      pairs_out = std::move(*p);
      (*dedup)->set_pair_sink([&](const pipeline::DedupPair& pair) -> Status {
        ++pairs;
        return pairs_out->WriteLine(PairView(pair));
      });
    } else {
      (*dedup)->set_pair_sink([&](const pipeline::DedupPair&) -> Status {
        ++pairs;
        return Ok();
      });
    }

    ProgressLine progress(mode);
    ingest::InputReader reader;
    reader.set_progress([&](const ingest::ReadStats& st) {
      progress.Update(st.articles, st.bytes_read, st.bytes_total);
    });
    std::int64_t reported = 0;
    std::int64_t repeated = 0;
    auto report = [&](const std::string& line) {
      progress.Finish();
      if (++reported <= kMaxReported) {
        std::fprintf(stderr, "storyline: %s\n", line.c_str());
      } else if (reported == kMaxReported + 1) {
        std::fprintf(stderr, "storyline: more skipped records are counted, not listed\n");
      }
    };
    Status s = reader.Read(
        inputs_,
        [&](Article&& a) -> Status {
          const std::string id = a.id;
          const std::string origin = a.origin;
          Result<std::optional<std::string>> replaced = (*dedup)->Add(std::move(a));
          if (!replaced) return Fail(replaced.error());
          if (replaced->has_value()) {
            ++repeated;
            report("duplicate id '" + id + "': " + origin + " replaces " + **replaced +
                   " (same batch; the later record is kept)");
          }
          return Ok();
        },
        [&](const ingest::BadRecord& b) { report("skipped " + b.ToString()); });
    if (s) s = (*dedup)->Finish();
    std::int64_t grouped = 0;
    std::int64_t copies = 0;
    if (s) {
      s = (*dedup)->ForEachResult([&](const pipeline::DedupResult& r) -> Status {
        if (!r.dup_group.empty()) ++grouped;
        if (!r.copy_of.empty()) ++copies;
        return (*out)->WriteLine(pipeline::DedupResultLine(r));
      });
    }
    if (s) s = (*out)->Close();
    if (s && pairs_out) s = pairs_out->Close();
    progress.Finish();
    if (!s) return Fail(s.error());

    const ingest::ReadStats& st = reader.stats();
    if (!quiet_) {
      PrintSummary(st, (*dedup)->Memory(), (*dedup)->threads(), {grouped, copies, pairs, repeated},
                   progress.elapsed_seconds());
    }
    return st.bad_records > 0 || repeated > 0 ? kExitSkipped : kExitOk;
  }

 private:
  // What the run counted, for the summary.
  struct Counts {
    std::int64_t grouped = 0;   // articles in a dup group
    std::int64_t copies = 0;    // articles that copy another
    std::int64_t pairs = 0;     // verified pairs
    std::int64_t repeated = 0;  // repeated ids (the later record kept)
  };

  // The deduplicator's options from the flags; the spill folder defaults
  // to the system's temporary folder.
  pipeline::DedupOptions Options() const {
    pipeline::DedupOptions options;
    options.threads = threads_;
    options.batch_articles = batch_size_;
    options.evidence = !pairs_.empty();
    if (!in_memory_) {
      options.spill_dir = spill_dir_;
      if (options.spill_dir.empty()) {
        std::error_code ec;
        const std::filesystem::path tmp = std::filesystem::temp_directory_path(ec);
        options.spill_dir = ec ? std::string("/tmp") : tmp.string();
      }
    }
    return options;
  }

  // The closing line: what was read and found, how fast, and the memory
  // per article.
  void PrintSummary(const ingest::ReadStats& st, const pipeline::DedupMemory& m,
                    std::size_t threads, const Counts& c, double secs) const {
    const double n = static_cast<double>(std::max<std::size_t>(m.articles, 1));
    std::string also;
    if (c.repeated > 0) {
      also += "; " + WithThousands(c.repeated) + " repeated id" + (c.repeated == 1 ? "" : "s") +
              " (the later record kept)";
    }
    if (st.skipped_files > 0) {
      also += "; " + WithThousands(st.skipped_files) + " file" +
              (st.skipped_files == 1 ? "" : "s") + " of unknown type skipped";
    }
    std::fprintf(
        stderr,
        "dedup: %s articles from %s file%s: %s in dup groups (%s copies, %s groups), %s "
        "verified pairs; %s skipped%s; %.1f MB in %.2f s (%s articles/s, %zu thread%s); "
        "index %.0f B/article, fingerprints %.0f B/article %s\n",
        WithThousands(static_cast<std::int64_t>(m.articles)).c_str(),
        WithThousands(st.files).c_str(), st.files == 1 ? "" : "s", WithThousands(c.grouped).c_str(),
        WithThousands(c.copies).c_str(), WithThousands(c.grouped - c.copies).c_str(),
        WithThousands(c.pairs).c_str(), WithThousands(st.bad_records).c_str(), also.c_str(),
        static_cast<double>(st.bytes_read) / 1e6, secs,
        WithThousands(
            static_cast<std::int64_t>(static_cast<double>(st.articles) / std::max(secs, 1e-3)))
            .c_str(),
        threads, threads == 1 ? "" : "s", static_cast<double>(m.index_bytes + m.article_bytes) / n,
        static_cast<double>(m.spilled_bytes > 0 ? m.spilled_bytes : m.shingle_bytes) / n,
        m.spilled_bytes > 0 ? "spilled to disk" : "in memory");
  }

  static constexpr std::int64_t kMaxReported = 100;
  std::vector<std::string> inputs_;
  std::string output_ = "-";
  std::string pairs_;
  int threads_ = 0;
  std::size_t batch_size_ = 2000;
  std::string spill_dir_;
  bool in_memory_ = false;
  std::string progress_ = "auto";
  bool quiet_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeDedupCommand() { return std::make_unique<DedupCommand>(); }

}  // namespace storyline::cli
