// storyline ingest: read inputs, run the pipeline, commit batch by batch.
#include <cstdio>
#include <string>
#include <vector>

#include "command.h"
#include "progress.h"
#include "storyline/ingest/reader.h"
#include "storyline/pipeline/pipeline.h"

namespace storyline::cli {
namespace {

class IngestCommand final : public Command {
 public:
  void Configure(CLI::App& app) override {
    app.footer(
        "Read articles into the store: .txt files (one article each), .jsonl / .jsonl.gz / "
        ".jsonl.zst (one JSON object per line), .html / .htm pages and .warc / .warc.gz "
        "archives (the HTML responses inside; the article text, title, date and site are "
        "extracted from each page), and directories of them, read recursively.\n"
        "Bad records are reported with file and line and skipped (exit code 3); --strict "
        "fails the whole run instead, writing nothing. Re-ingesting the same articles is a "
        "no-op; changed articles are updated.");
    app.add_option("inputs", inputs_, "Files or directories to read")->required();
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
  }

  Result<int> Run() override {
    ProgressMode mode = ProgressMode::kAuto;
    if (progress_ == "always") mode = ProgressMode::kAlways;
    if (progress_ == "never" || quiet_) mode = ProgressMode::kNever;
    if (progress_ == "lines") mode = ProgressMode::kLines;

    if (strict_) {
      // A first pass that only parses: any bad record fails the run before
      // anything is written.
      ingest::InputReader checker;
      std::vector<std::string> bad;
      Status s = checker.Read(
          inputs_, [](Article&&) { return Ok(); },
          [&](const ingest::BadRecord& b) { bad.push_back(b.ToString()); });
      if (!s) return Fail(s.error());
      if (!bad.empty()) {
        return MakeError(ErrorCode::kInvalidInput,
                         bad.front() + " (--strict: nothing was written; " +
                             std::to_string(bad.size()) + " bad record(s) in all)");
      }
    }

    Result<std::unique_ptr<pipeline::Pipeline>> p =
        pipeline::Pipeline::Open({.db_path = db_, .duplicate_window_days = window_days_});
    if (!p) return Fail(p.error());
    ProgressLine progress(mode);
    ingest::InputReader reader;
    std::vector<Article> batch;
    pipeline::BatchReport total;
    std::int64_t committed = 0;
    auto flush = [&]() -> Status {
      if (batch.empty()) return Ok();
      const std::size_t n = batch.size();
      Result<pipeline::BatchReport> r = (*p)->IngestBatch(std::move(batch));
      batch.clear();
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
    std::size_t batch_bytes = 0;
    std::int64_t reported = 0;
    Status s = reader.Read(
        inputs_,
        [&](Article&& a) -> Status {
          batch_bytes += a.text.size() + a.html.size();
          batch.push_back(std::move(a));
          if (batch.size() >= batch_size_ || batch_bytes >= kMaxBatchBytes) {
            batch_bytes = 0;
            return flush();
          }
          return Ok();
        },
        [&](const ingest::BadRecord& b) {
          progress.Finish();
          if (++reported <= kMaxReported) {
            std::fprintf(stderr, "storyline: skipped %s\n", b.ToString().c_str());
          } else if (reported == kMaxReported + 1) {
            std::fprintf(stderr, "storyline: more skipped records are counted, not listed\n");
          }
        });
    if (s) s = flush();
    progress.Finish();
    const ingest::ReadStats& st = reader.stats();
    if (!s) {
      return MakeError(s.error().code, s.error().message + " (" + WithThousands(committed) +
                                           " articles were committed before the failure)");
    }
    const double secs = progress.elapsed_seconds();
    if (!quiet_) {
      std::fprintf(stderr,
                   "ingested %s articles (%s new, %s updated, %s unchanged) from %s file%s into "
                   "%s; %s skipped; %.1f MB in %.2f s (%s articles/s)\n",
                   WithThousands(st.articles).c_str(), WithThousands(total.inserted).c_str(),
                   WithThousands(total.updated).c_str(), WithThousands(total.unchanged).c_str(),
                   WithThousands(st.files).c_str(), st.files == 1 ? "" : "s", db_.c_str(),
                   WithThousands(st.bad_records).c_str(), static_cast<double>(st.bytes_read) / 1e6,
                   secs,
                   WithThousands(static_cast<std::int64_t>(static_cast<double>(st.articles) /
                                                           std::max(secs, 1e-3)))
                       .c_str());
    }
    return st.bad_records > 0 ? kExitSkipped : kExitOk;
  }

 private:
  static constexpr std::size_t kMaxBatchBytes = 32u << 20;
  static constexpr std::int64_t kMaxReported = 100;
  std::vector<std::string> inputs_;
  std::string db_ = "storyline.db";
  bool strict_ = false;
  std::size_t batch_size_ = 2000;
  std::string progress_ = "auto";
  bool quiet_ = false;
  int window_days_ = 0;
};

}  // namespace

std::unique_ptr<Command> MakeIngestCommand() { return std::make_unique<IngestCommand>(); }

}  // namespace storyline::cli
