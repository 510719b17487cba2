// storyline ingest: read inputs, run the pipeline, commit batch by batch.
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <system_error>
#include <unordered_map>
#include <vector>

#include "command.h"
#include "progress.h"
#include "storyline/ingest/reader.h"
#include "storyline/pipeline/pending_batch.h"
#include "storyline/pipeline/pipeline.h"

namespace storyline::cli {
namespace {

std::string DuplicateMessage(const std::string& id, const std::string& repeat_origin,
                             const std::string& first_origin) {
  return "duplicate id '" + id + "': " + repeat_origin + " replaces " + first_origin +
         " (same batch; the later record is kept)";
}

// Standard input and named pipes can be read once only.
bool IsStream(const std::string& input) {
  if (input == "-") return true;
  std::error_code ec;
  const std::filesystem::file_status st = std::filesystem::status(input, ec);
  return !ec && std::filesystem::exists(st) && !std::filesystem::is_regular_file(st) &&
         !std::filesystem::is_directory(st);
}

class IngestCommand final : public Command {
 public:
  void Configure(CLI::App& app) override {
    app.footer(
        "Read articles into the store: .txt files (one article each), .jsonl / .jsonl.gz / "
        ".jsonl.zst (one JSON object per line), .html / .htm pages and .warc / .warc.gz "
        "archives (the HTML responses inside; the article text, title, date and site are "
        "extracted from each page), and directories of them, read recursively (files of "
        "other types there are skipped and counted). '-' reads standard input, and named "
        "pipes are read as streams; without a telling name their format comes from their "
        "content.\n"
        "Bad records are reported with file and line and skipped (exit code 3); --strict "
        "fails the whole run instead, writing nothing. Two records with the same id in one "
        "batch: the later replaces the earlier, and both origins are reported (exit code 3). "
        "Re-ingesting the same articles is a no-op; changed articles are updated.");
    app.add_option("inputs", inputs_, "Files or directories to read ('-': standard input)")
        ->required();
    app.add_option("--db", db_, "Store file")->capture_default_str();
    app.add_flag("--strict", strict_, "Fail on the first bad record, writing nothing");
    app.add_option("--batch-size", batch_size_, "Articles per committed transaction")
        ->capture_default_str()
        ->check(CLI::Range(1, 1000000));
    app.add_option("--progress", progress_,
                   "Progress display: auto (on a terminal), always, never, or lines (one line "
                   "per second and per committed batch, for logs)")
        ->capture_default_str()
        ->check(CLI::IsMember({"auto", "always", "never", "lines"}));
    app.add_flag("-q,--quiet", quiet_, "Print nothing but errors");
    app.add_option("--window-days", window_days_,
                   "Look for copies among the articles of the last N days only, which bounds "
                   "the duplicate index's memory on an endless stream (0: all articles)")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    app.add_option("--wait", wait_s_,
                   "Seconds a batch waits while another process (an ingest, a server taking "
                   "POSTs) writes the same store; the batch then continues from what that "
                   "writer committed. 0: fail at once (exit code 4) when the store is busy")
        ->capture_default_str()
        ->check(CLI::Range(0, 86400));
    app.add_option("--threads", threads_,
                   "Threads for the per-article analysis (language, cleaning, dates, sketches, "
                   "story features, digests); 0: one per hardware thread. Results are the same "
                   "for any count")
        ->capture_default_str()
        ->check(CLI::Range(0, 1024));
  }

  Result<int> Run() override {
    const ProgressMode mode = ProgressModeOf(progress_, quiet_);
    if (strict_) {
      if (Status s = CheckFirst(); !s) return Fail(s.error());
    }
    Result<std::unique_ptr<pipeline::Pipeline>> p =
        pipeline::Pipeline::Open({.db_path = db_,
                                  .duplicate_window_days = window_days_,
                                  .busy_timeout_ms = wait_s_ * 1000,
                                  .threads = threads_});
    if (!p) return Fail(p.error());
    ProgressLine progress(mode);
    ingest::InputReader reader;
    pipeline::PendingBatch batch;
    pipeline::BatchReport total;
    std::int64_t committed = 0;
    std::int64_t duplicates = 0;
    auto flush = [&]() -> Status {
      if (batch.empty()) return Ok();
      std::vector<Article> articles = batch.Take();
      const std::size_t n = articles.size();
      Result<pipeline::BatchReport> r = (*p)->IngestBatch(std::move(articles));
      if (!r) return Fail(r.error());
      total += *r;
      committed += static_cast<std::int64_t>(n);
      if (mode == ProgressMode::kLines) {
        std::fprintf(stderr, "committed %lld articles\n", static_cast<long long>(committed));
      }
      return Ok();
    };
    reader.set_progress([&](const ingest::ReadStats& st) {
      progress.Update(st.articles, st.bytes_read, st.bytes_total);
    });
    std::int64_t reported = 0;
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
          if (std::optional<std::string> first = batch.Add(std::move(a))) {
            ++duplicates;
            report(DuplicateMessage(id, origin, *first));
          }
          if (batch.Full(batch_size_, kMaxBatchBytes)) return flush();
          return Ok();
        },
        [&](const ingest::BadRecord& b) { report("skipped " + b.ToString()); });
    if (s) s = flush();
    progress.Finish();
    const ingest::ReadStats& st = reader.stats();
    if (!s) {
      return MakeError(s.error().code, s.error().message + " (" + WithThousands(committed) +
                                           " articles were committed before the failure)");
    }
    if (!quiet_) PrintSummary(st, total, duplicates, (*p)->reloads(), progress.elapsed_seconds());
    return st.bad_records > 0 || duplicates > 0 ? kExitSkipped : kExitOk;
  }

 private:
  // --strict: a first pass that only parses. Any bad record (or repeated id
  // in a batch) fails the run before anything is written. It batches as the
  // writing pass does, so that it sees the same repeats.
  Status CheckFirst() const {
    for (const std::string& input : inputs_) {
      if (IsStream(input)) {
        return MakeError(ErrorCode::kInvalidArgument,
                         (input == "-" ? std::string("standard input") : input) +
                             ": --strict reads every input twice, and a stream can be read "
                             "once only; save it to a file first");
      }
    }
    ingest::InputReader checker;
    std::vector<std::string> bad;
    pipeline::PendingBatch pending;
    Status s = checker.Read(
        inputs_,
        [&](Article&& a) -> Status {
          const std::string id = a.id;
          const std::string origin = a.origin;
          if (std::optional<std::string> first = pending.Add(std::move(a))) {
            bad.push_back(DuplicateMessage(id, origin, *first));
          }
          if (pending.Full(batch_size_, kMaxBatchBytes)) pending.Take();
          return Ok();
        },
        [&](const ingest::BadRecord& b) { bad.push_back(b.ToString()); });
    if (!s) return Fail(s.error());
    if (!bad.empty()) {
      return MakeError(ErrorCode::kInvalidInput, bad.front() + " (--strict: nothing was written; " +
                                                     std::to_string(bad.size()) +
                                                     " bad record(s) in all)");
    }
    return Ok();
  }

  // The closing line: what was read, written and skipped, and how fast.
  void PrintSummary(const ingest::ReadStats& st, const pipeline::BatchReport& total,
                    std::int64_t duplicates, std::int64_t reloads, double secs) const {
    // Repeated ids and files of unknown type are named only when there
    // are some, so the usual line stays short.
    std::string also;
    if (duplicates > 0) {
      also += "; " + WithThousands(duplicates) + " repeated id" + (duplicates == 1 ? "" : "s") +
              " (the later record kept)";
    }
    if (st.skipped_files > 0) {
      also += "; " + WithThousands(st.skipped_files) + " file" +
              (st.skipped_files == 1 ? "" : "s") + " of unknown type skipped";
    }
    if (reloads > 0) {
      also += "; continued " + WithThousands(reloads) + " time" + (reloads == 1 ? "" : "s") +
              " from another writer's commits";
    }
    std::fprintf(stderr,
                 "ingested %s articles (%s new, %s updated, %s unchanged) from %s file%s into "
                 "%s; %s skipped%s; %.1f MB in %.2f s (%s articles/s)\n",
                 WithThousands(st.articles).c_str(), WithThousands(total.inserted).c_str(),
                 WithThousands(total.updated).c_str(), WithThousands(total.unchanged).c_str(),
                 WithThousands(st.files).c_str(), st.files == 1 ? "" : "s", db_.c_str(),
                 WithThousands(st.bad_records).c_str(), also.c_str(),
                 static_cast<double>(st.bytes_read) / 1e6, secs,
                 WithThousands(static_cast<std::int64_t>(static_cast<double>(st.articles) /
                                                         std::max(secs, 1e-3)))
                     .c_str());
  }

  static constexpr std::size_t kMaxBatchBytes = 32u << 20;
  static constexpr std::int64_t kMaxReported = 100;
  std::vector<std::string> inputs_;
  std::string db_ = "storyline.db";
  bool strict_ = false;
  std::size_t batch_size_ = 2000;
  std::string progress_ = "auto";
  bool quiet_ = false;
  int window_days_ = 0;
  int wait_s_ = 60;
  int threads_ = 0;
};

}  // namespace

std::unique_ptr<Command> MakeIngestCommand() { return std::make_unique<IngestCommand>(); }

}  // namespace storyline::cli
