// storyline bench: corpus-level measurements of the pipeline.
//
//   storyline bench ingest --articles 100000 --size 4096
//   storyline bench store --db big.db --articles 1000000
//
// writes a synthetic JSONL corpus to a temporary folder, then times the real
// read + pipeline + store path on it and reports articles/s, MB/s and peak
// resident memory.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "bench_store.h"
#include "command.h"
#include "corpus/synth.h"
#include "progress.h"
#include "storyline/core/date.h"
#include "storyline/ingest/reader.h"
#include "storyline/pipeline/pipeline.h"
#include "storyline/text/shingles.h"
#include "text_generator.h"

namespace storyline::cli {
namespace {

namespace fs = std::filesystem;

double PeakRssMb() {
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;
}

// Groups the bases of `bench synth` by shared text: bases whose 5-word
// shingle sets (the pipeline's own shingles, so the gold and the detector see
// the same overlap) share at least half of the smaller one are one group
// (union-find; group_of_base[b] is the group's smallest base). When
// `ambiguous_from` > 0, a pair of bases of different groups sharing a fraction
// in [ambiguous_from, 0.5) has its later base cleared in keep_base.
void SynthBaseGroups(const std::vector<tools::corpus::BaseDocument>& bases, double ambiguous_from,
                     std::vector<std::size_t>& group_of_base, std::vector<bool>& keep_base) {
  const std::size_t n = bases.size();
  group_of_base.resize(n);
  keep_base.assign(n, true);
  auto find = [&](std::size_t x) {
    while (group_of_base[x] != x) x = group_of_base[x] = group_of_base[group_of_base[x]];
    return x;
  };
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> postings;
  std::vector<std::size_t> sizes(n);
  std::vector<std::pair<std::uint32_t, std::uint32_t>> partial;  // (earlier, later)
  for (std::size_t b = 0; b < n; ++b) {
    group_of_base[b] = b;
    std::string joined;
    for (const tools::corpus::Paragraph& p : bases[b].paragraphs) {
      for (const std::string& w : p) (joined += w) += ' ';
      joined += '\n';
    }
    text::ShingleSet set;
    if (Status st = text::Shingle(joined, "", text::ShingleOptions{}, &set); !st) set.clear();
    std::vector<std::uint64_t> sh = std::move(set.hashes);
    std::sort(sh.begin(), sh.end());
    sh.erase(std::unique(sh.begin(), sh.end()), sh.end());
    sizes[b] = sh.size();
    std::unordered_map<std::uint32_t, std::size_t> shared;
    for (std::uint64_t h : sh) {
      std::vector<std::uint32_t>& list = postings[h];
      for (std::uint32_t other : list) ++shared[other];
      list.push_back(static_cast<std::uint32_t>(b));
    }
    for (const auto& [other, count] : shared) {
      const std::size_t smaller = std::min(sizes[b], sizes[other]);
      if (smaller == 0) continue;
      const double fraction = static_cast<double>(count) / static_cast<double>(smaller);
      if (fraction >= 0.5) {
        const std::size_t x = find(other), y = find(b);
        group_of_base[std::max(x, y)] = std::min(x, y);
      } else if (ambiguous_from > 0 && fraction >= ambiguous_from) {
        partial.emplace_back(other, static_cast<std::uint32_t>(b));
      }
    }
  }
  for (std::size_t b = 0; b < n; ++b) group_of_base[b] = find(b);
  std::sort(partial.begin(), partial.end());
  for (const auto& [a, b] : partial) {
    if (group_of_base[a] != group_of_base[b] && keep_base[a]) keep_base[b] = false;
  }
}

// The per-stage table of `bench ingest`: wall and CPU seconds of each stage
// and its share of the run's wall time (reading the input is the rest).
void PrintStageTimes(const pipeline::BatchReport& report, double run_seconds) {
  std::printf("%-12s %9s %9s %7s\n", "stage", "wall s", "cpu s", "wall %");
  double wall = 0;
  double cpu = 0;
  for (const pipeline::StageTime& t : report.stages) {
    std::printf("%-12s %9.2f %9.2f %6.1f%%\n", t.stage.c_str(), t.wall_seconds, t.cpu_seconds,
                100.0 * t.wall_seconds / std::max(run_seconds, 1e-9));
    wall += t.wall_seconds;
    cpu += t.cpu_seconds;
  }
  std::printf("%-12s %9.2f %9.2f %6.1f%%\n", "(stages)", wall, cpu,
              100.0 * wall / std::max(run_seconds, 1e-9));
}

// One batch of `bench ingest`: its articles, wall time and state written.
struct BatchTiming {
  std::int64_t articles = 0;
  double seconds = 0;
  std::int64_t state_bytes = 0;
};

// Whether the cost of a batch stays flat as the store grows: the rate and
// the state written per batch over the first and the last tenth of the
// batches (at least one each).
void PrintGrowth(const std::vector<BatchTiming>& batches) {
  if (batches.size() < 2) return;
  const std::size_t tenth = std::max<std::size_t>(1, batches.size() / 10);
  auto sum = [&](std::size_t from, std::size_t to) {
    BatchTiming t;
    for (std::size_t i = from; i < to; ++i) {
      t.articles += batches[i].articles;
      t.seconds += batches[i].seconds;
      t.state_bytes += batches[i].state_bytes;
    }
    return t;
  };
  const BatchTiming first = sum(0, tenth);
  const BatchTiming last = sum(batches.size() - tenth, batches.size());
  const double n = static_cast<double>(tenth);
  std::printf(
      "%zu batches; first %zu: %.0f articles/s, %.2f MB of state written per batch; "
      "last %zu: %.0f articles/s, %.2f MB per batch\n",
      batches.size(), tenth, static_cast<double>(first.articles) / std::max(first.seconds, 1e-9),
      static_cast<double>(first.state_bytes) / 1e6 / n, tenth,
      static_cast<double>(last.articles) / std::max(last.seconds, 1e-9),
      static_cast<double>(last.state_bytes) / 1e6 / n);
}

class BenchCommand final : public Command {
 public:
  void Configure(CLI::App& app) override {
    app.require_subcommand(1);
    CLI::App* ingest = app.add_subcommand(
        "ingest", "Time reading + storing a generated JSONL corpus of --articles articles");
    ingest->add_option("--articles", articles_, "Number of articles")->capture_default_str();
    ingest->add_option("--size", size_, "Approximate bytes of text per article")
        ->capture_default_str();
    ingest->add_option("--workdir", workdir_,
                       "Folder for the corpus and the store (default: a fresh temporary folder, "
                       "removed afterwards)");
    ingest->add_option("--input", input_,
                       "Time this JSONL corpus (e.g. from bench synth) instead of generating one");
    ingest->add_option("--batch-size", batch_size_, "Articles per batch")
        ->capture_default_str()
        ->check(CLI::Range(1, 1000000));
    ingest->add_flag("--store-only", store_only_,
                     "Store the articles without running the analysis stages");
    ingest
        ->add_option("--threads", threads_,
                     "Threads for the per-article analysis (0: one per hardware thread)")
        ->capture_default_str()
        ->check(CLI::Range(0, 1024));
    ingest_ = ingest;

    CLI::App* st = app.add_subcommand(
        "store",
        "Write a store of --articles generated articles with their copies, stories and "
        "storylines (no analysis), for timing list, search and facet requests at scale");
    st->add_option("--db", store_.db, "The store to create (must not exist)")->required();
    st->add_option("--articles", store_.articles, "Number of articles")->capture_default_str();
    st->add_option("--size", store_.size, "Approximate bytes of text per article")
        ->capture_default_str();
    st->add_option("--seed", store_.seed, "Random seed")->capture_default_str();
    store_cmd_ = st;

    CLI::App* synth = app.add_subcommand(
        "synth",
        "Write a wire-copy benchmark corpus (JSONL with gold dup_group and story labels): "
        "originals, copies (full, cut at 40-90%, paragraphs dropped, words changed, site chrome "
        "added) and other outlets' reports, from real articles (--from) or fabricated ones");
    synth->add_option("--from", synth_from_,
                      "Articles to copy (any input storyline reads); without it, bases are "
                      "fabricated from a Zipf vocabulary");
    synth->add_option("--bases", synth_bases_,
                      "Number of base articles (default: all of --from, or 1000)");
    synth->add_option("--seed", synth_seed_, "Random seed")->capture_default_str();
    synth
        ->add_option("--ambiguous-from", synth_ambiguous_from_,
                     "Leave out one base of each pair of different bases sharing between this "
                     "fraction and half of the smaller one's shingles (wire rewrites whose copy "
                     "status is unclear)")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 0.5));
    synth->add_flag("--keep-ambiguous", synth_ambiguous_, "Keep those bases");
    synth->add_option("-o,--output", synth_output_, "Output JSONL file")->required();
    synth_ = synth;
  }

  Result<int> Run() override {
    if (ingest_->parsed()) return RunIngest();
    if (synth_->parsed()) return RunSynth();
    if (store_cmd_->parsed()) return RunBenchStore(store_);
    return MakeError(ErrorCode::kInvalidArgument, "bench: missing subcommand");
  }

 private:
  Result<int> RunIngest() {
    const bool own_dir = workdir_.empty();
    fs::path dir =
        own_dir ? fs::temp_directory_path() / ("storyline-bench-" + std::to_string(::getpid()))
                : fs::path(workdir_);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return MakeError(ErrorCode::kIo, dir.string() + ": " + ec.message());
    const fs::path db = dir / "bench.db";
    fs::remove(db, ec);
    fs::remove(dir / "bench.db-wal", ec);
    fs::remove(dir / "bench.db-shm", ec);
    Result<fs::path> corpus = Corpus(dir);
    if (!corpus) return Fail(corpus.error());
    const double rss_before = PeakRssMb();
    Result<std::unique_ptr<pipeline::Pipeline>> p = pipeline::Pipeline::Open(
        {.db_path = db.string(), .analyse = !store_only_, .threads = threads_});
    if (!p) return Fail(p.error());
    ingest::InputReader reader;
    std::vector<Article> batch;
    pipeline::BatchReport total;
    std::vector<BatchTiming> batches;
    auto ingest_batch = [&]() -> Status {
      const std::int64_t n = static_cast<std::int64_t>(batch.size());
      const auto batch_start = std::chrono::steady_clock::now();
      Result<pipeline::BatchReport> r = (*p)->IngestBatch(std::move(batch));
      batch.clear();
      if (!r) return Fail(r.error());
      total += *r;
      batches.push_back(
          {n, std::chrono::duration<double>(std::chrono::steady_clock::now() - batch_start).count(),
           r->state_bytes});
      return Ok();
    };
    const auto start = std::chrono::steady_clock::now();
    Status s = reader.Read(
        {corpus->string()},
        [&](Article&& a) -> Status {
          batch.push_back(std::move(a));
          return batch.size() < batch_size_ ? Ok() : ingest_batch();
        },
        nullptr);
    if (s && !batch.empty()) s = ingest_batch();
    if (!s) return Fail(s.error());
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double mb = static_cast<double>(reader.stats().bytes_read) / 1e6;
    std::printf(
        "bench ingest: %s articles, %.1f MB: %.2f s, %s articles/s, %.1f MB/s; "
        "peak RSS %.1f MB (%.1f MB before the run); %zu thread%s\n",
        WithThousands(reader.stats().articles).c_str(), mb, secs,
        WithThousands(
            static_cast<std::int64_t>(static_cast<double>(reader.stats().articles) / secs))
            .c_str(),
        mb / secs, PeakRssMb(), rss_before, (*p)->threads(), (*p)->threads() == 1 ? "" : "s");
    PrintStageTimes(total, secs);
    PrintGrowth(batches);
    p->reset();
    if (own_dir) fs::remove_all(dir, ec);
    return kExitOk;
  }

  // The corpus to time: --input, or --articles generated articles of about
  // --size bytes written to `dir`.
  Result<fs::path> Corpus(const fs::path& dir) {
    if (!input_.empty()) return fs::path(input_);
    const fs::path corpus = dir / "corpus.jsonl";
    {
      std::ofstream out(corpus, std::ios::binary | std::ios::trunc);
      TextGenerator gen(42);
      for (std::int64_t i = 0; i < articles_; ++i) {
        nlohmann::json j;
        j["id"] = "bench-" + std::to_string(i);
        j["title"] = gen.Paragraphs(60);
        j["text"] = gen.Paragraphs(size_);
        j["source"] = "site" + std::to_string(i % 50) + ".example";
        j["published"] = "2024-03-" + std::to_string(10 + i % 18) + "T08:00:00Z";
        out << j.dump() << '\n';
      }
      if (!out) return MakeError(ErrorCode::kIo, corpus.string() + ": write failed");
    }
    return corpus;
  }

  Result<int> RunSynth() {
    std::vector<tools::corpus::BaseDocument> bases;
    std::vector<std::string> base_titles;
    if (!synth_from_.empty()) {
      ingest::InputReader reader;
      Status s = reader.Read(
          {synth_from_},
          [&](Article&& a) -> Status {
            if (synth_bases_ > 0 && static_cast<std::int64_t>(bases.size()) >= synth_bases_) {
              return Ok();
            }
            tools::corpus::BaseDocument b = tools::corpus::TextBaseSource::Parse(a.text);
            std::size_t words = 0;
            for (const tools::corpus::Paragraph& p : b.paragraphs) words += p.size();
            if (words < 40) return Ok();  // too short to copy meaningfully
            bases.push_back(std::move(b));
            base_titles.push_back(a.title);
            return Ok();
          },
          nullptr);
      if (!s) return Fail(s.error());
    }
    // Real corpora already hold copies (ECB+ has agency stories carried by
    // several outlets, each re-edited): bases that share at least half of the
    // smaller one's 5-word shingles are one gold group, or the gold would call
    // true copies false positives. Pairs that share a smaller part (by default
    // 20-50%) are rewrites of one wire story whose copy status no gold can
    // settle: one base of each such pair is left out (unless
    // --keep-ambiguous), so that every remaining pair of groups is either
    // clearly the same text or clearly different texts.
    std::vector<std::size_t> group_of_base(bases.size());
    std::vector<bool> keep_base(bases.size(), true);
    SynthBaseGroups(bases, synth_ambiguous_ ? 0.0 : synth_ambiguous_from_, group_of_base,
                    keep_base);
    {
      std::vector<tools::corpus::BaseDocument> kept_bases;
      std::vector<std::string> kept_titles;
      std::vector<std::size_t> kept_groups;
      for (std::size_t b = 0; b < bases.size(); ++b) {
        if (!keep_base[b]) continue;
        kept_bases.push_back(std::move(bases[b]));
        kept_titles.push_back(std::move(base_titles[b]));
        kept_groups.push_back(group_of_base[b]);
      }
      if (bases.size() != kept_bases.size()) {
        std::fprintf(stderr, "bench synth: left out %zu of %zu bases as ambiguous rewrites\n",
                     bases.size() - kept_bases.size(), bases.size());
      }
      bases = std::move(kept_bases);
      base_titles = std::move(kept_titles);
      group_of_base = std::move(kept_groups);
    }
    std::unique_ptr<tools::corpus::BaseSource> source;
    if (bases.empty()) {
      tools::corpus::FabricatedBaseOptions fo;
      fo.count = static_cast<std::uint64_t>(synth_bases_ > 0 ? synth_bases_ : 1000);
      fo.seed = synth_seed_;
      source = std::make_unique<tools::corpus::FabricatedBaseSource>(
          tools::corpus::MakeZipfVocabulary(50000, 1.0, synth_seed_), fo);
    } else {
      source = std::make_unique<tools::corpus::ListBaseSource>(bases);
    }
    tools::corpus::WireCopyOptions wo;
    wo.seed = synth_seed_;
    tools::corpus::WireCopyGenerator gen(*source, wo);
    std::ofstream out(synth_output_, std::ios::binary | std::ios::trunc);
    if (!out) return MakeError(ErrorCode::kIo, synth_output_ + ": cannot write");
    tools::corpus::SyntheticArticle a;
    std::int64_t n = 0;
    std::int64_t copies = 0;
    while (gen.Next(a)) {
      nlohmann::json j;
      j["id"] = "syn-" + std::to_string(a.id);
      std::string title;
      if (a.base < base_titles.size() && a.kind != tools::corpus::ArticleKind::kUnrelated) {
        title = base_titles[a.base];
      } else {
        const std::vector<std::string_view> words = a.Words();
        for (std::size_t i = 0; i < words.size() && i < 10; ++i) {
          title += (i ? " " : "") + std::string(words[i]);
        }
      }
      j["title"] = title;
      j["text"] = title + "\n" + a.Text();
      j["published"] = FormatTimestamp(a.timestamp);
      j["source"] = "site" + std::to_string(a.id % 97) + ".example";
      if (a.kind == tools::corpus::ArticleKind::kUnrelated) {
        j["dup_group"] = nullptr;
      } else {
        j["dup_group"] = a.base < group_of_base.size() ? "b" + std::to_string(group_of_base[a.base])
                                                       : "g" + std::to_string(a.gold_group);
        if (a.kind != tools::corpus::ArticleKind::kOriginal) ++copies;
      }
      j["kind"] = a.kind == tools::corpus::ArticleKind::kOriginal   ? "original"
                  : a.kind == tools::corpus::ArticleKind::kFullCopy ? "full_copy"
                  : a.kind == tools::corpus::ArticleKind::kCutCopy  ? "cut_copy"
                                                                    : "other_outlet";
      out << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
      ++n;
    }
    if (!out) return MakeError(ErrorCode::kIo, synth_output_ + ": write failed");
    std::printf("bench synth: wrote %s articles (%s copies) from %s bases to %s\n",
                WithThousands(n).c_str(), WithThousands(copies).c_str(),
                WithThousands(bases.empty() ? (synth_bases_ > 0 ? synth_bases_ : 1000)
                                            : static_cast<std::int64_t>(bases.size()))
                    .c_str(),
                synth_output_.c_str());
    return kExitOk;
  }

  CLI::App* synth_ = nullptr;
  std::string synth_from_;
  std::int64_t synth_bases_ = 0;
  std::uint64_t synth_seed_ = 1;
  double synth_ambiguous_from_ = 0.2;
  bool synth_ambiguous_ = false;
  std::string synth_output_;
  CLI::App* ingest_ = nullptr;
  CLI::App* store_cmd_ = nullptr;
  BenchStoreOptions store_;
  std::int64_t articles_ = 100000;
  std::size_t size_ = 4096;
  std::string workdir_;
  std::string input_;
  std::size_t batch_size_ = 2000;
  bool store_only_ = false;
  int threads_ = 0;
};

}  // namespace

std::unique_ptr<Command> MakeBenchCommand() { return std::make_unique<BenchCommand>(); }

}  // namespace storyline::cli
