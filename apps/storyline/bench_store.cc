#include "bench_store.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

#include "progress.h"
#include "storyline/core/date.h"
#include "storyline/store/store.h"
#include "text_generator.h"

namespace storyline::cli {
namespace {

namespace fs = std::filesystem;

// The shape of the generated stream, chosen to look like a news feed: most
// stories have one or a few articles and some grow large; a share of the
// articles are wire copies of a recent one; three languages, fifty sources,
// a month of publication times in arrival order.
constexpr double kCopyShare = 0.15;             // articles that copy a recent article
constexpr double kNewStoryShare = 0.3;          // originals that start a story
constexpr double kNewStorylineShare = 0.7;      // new stories that start a storyline
constexpr std::size_t kRecentArticles = 5000;   // the window stories are joined from
constexpr std::size_t kRecentOriginals = 2000;  // the window copies are taken from
constexpr std::int64_t kSpanSeconds = 30 * 86400;
constexpr std::size_t kBatch = 5000;

struct Original {
  std::string id;
  std::string title;
  std::string text;
  std::size_t story = 0;
};

struct StoryState {
  std::size_t storyline = 0;
  std::string title;
  std::string lead;
  std::string source;
  std::int64_t size = 0;
  std::int64_t first = 0;
  std::int64_t last = 0;
};

std::string StoryId(std::size_t n) { return "bench-story-" + std::to_string(n); }
std::string StorylineId(std::size_t n) { return "bench-storyline-" + std::to_string(n); }

// The first sentence of `text`, or its first 200 bytes.
std::string FirstSentence(const std::string& text) {
  std::size_t end = text.find(". ");
  if (end == std::string::npos || end > 200) end = std::min<std::size_t>(text.size(), 200);
  return text.substr(0, end);
}

std::string Capitalised(std::string w) {
  if (!w.empty() && w[0] >= 'a' && w[0] <= 'z') w[0] = static_cast<char>(w[0] - 'a' + 'A');
  return w;
}

// A digest of the fields the views and the story search read.
store::Digest DigestOf(const StoryState& s, const TextGenerator& gen, std::size_t n) {
  const std::string person =
      Capitalised(gen.Word(300 + n % 5000)) + " " + Capitalised(gen.Word(700 + (n * 7) % 9000));
  const std::string place = Capitalised(gen.Word(100 + (n * 13) % 3000));
  store::Digest d;
  d.title = s.title;
  d.summary = {s.lead};
  d.entities = {{person, "person", 1}, {place, "location", 1}};
  d.quotes = {{person, s.lead.substr(0, 80), ""}};
  d.sources = {{s.source, {}, std::nullopt, false}};
  return d;
}

// Generates the articles of a bench store one at a time, with the stories,
// storylines and copies they belong to, and writes them batch by batch.
class BenchStoreWriter {
 public:
  explicit BenchStoreWriter(const BenchStoreOptions& o)
      : o_(o),
        gen_(o.seed),
        rng_(o.seed + 1),
        start_(FromCivilDate({2024, 1, 1})),
        step_(std::max<std::int64_t>(1, kSpanSeconds / o.articles)) {}

  // Article `i` and its analysis.
  void Next(std::int64_t i, Article* a, store::ArticleAnalysis* an) {
    static constexpr const char* kLangs[] = {"en", "en", "en", "en", "en",
                                             "en", "en", "en", "fr", "de"};
    a->id = "bench-" + std::to_string(i);
    a->lang = kLangs[i % 10];
    a->source = "site" + std::to_string((i * 7919) % 50) + ".example";
    a->url = "https://" + a->source + "/" + std::to_string(i);
    const Timestamp t = start_ + i * step_;
    a->published = FormatTimestamp(t);
    an->id = a->id;
    an->revision = 1;
    an->lang = a->lang;
    an->lang_confidence = 0.99;
    an->published = a->published;
    std::size_t story = 0;
    if (!originals_.empty() && u_(rng_) < kCopyShare) {
      const Original& from = originals_[rng_() % originals_.size()];
      a->title = from.title;
      a->text = from.text;
      an->dup_group = from.id;
      an->copy_of = from.id;
      story = from.story;
    } else {
      a->title = FirstSentence(gen_.Paragraphs(60));
      a->text = gen_.Paragraphs(o_.size);
      an->dup_group = a->id;
      if (recent_story_.empty() || u_(rng_) < kNewStoryShare) {
        story = stories_.size();
        StoryState s;
        if (stories_.empty() || u_(rng_) < kNewStorylineShare) {
          s.storyline = storylines_++;
          storyline_sizes_.push_back(0);
        } else {
          s.storyline = stories_[recent_story_[rng_() % recent_story_.size()]].storyline;
        }
        ++storyline_sizes_[s.storyline];
        touched_lines_.insert(s.storyline);
        s.title = a->title;
        s.lead = FirstSentence(a->text);
        s.source = a->source;
        s.first = t;
        stories_.push_back(std::move(s));
      } else {
        story = recent_story_[rng_() % recent_story_.size()];
      }
      Original orig{a->id, a->title, a->text, story};
      if (originals_.size() < kRecentOriginals) {
        originals_.push_back(std::move(orig));
      } else {
        originals_[original_next_++ % kRecentOriginals] = std::move(orig);
      }
    }
    StoryState& s = stories_[story];
    ++s.size;
    s.last = t;
    touched_.insert(story);
    if (recent_story_.size() < kRecentArticles) {
      recent_story_.push_back(story);
    } else {
      recent_story_[recent_next_++ % kRecentArticles] = story;
    }
    an->story = StoryId(story);
    an->storyline = StorylineId(s.storyline);
    an->body = a->text;
    text_bytes_ += a->title.size() + a->text.size();
  }

  // Writes a batch of articles with the records of the stories and
  // storylines they touched, in one transaction.
  Status WriteBatch(store::Store& db, const std::vector<Article>& articles,
                    const std::vector<store::ArticleAnalysis>& analyses) {
    std::vector<store::StoryRecord> records;
    for (std::size_t n : touched_) {
      const StoryState& s = stories_[n];
      records.push_back({.id = StoryId(n),
                         .storyline = StorylineId(s.storyline),
                         .title = s.title,
                         .size = s.size,
                         .first_published = s.first,
                         .last_published = s.last,
                         .digest = DigestOf(s, gen_, n)});
    }
    std::vector<store::StorylineRecord> lines;
    for (std::size_t n : touched_lines_) {
      lines.push_back({.id = StorylineId(n), .title = "", .size = storyline_sizes_[n]});
    }
    if (Status s = db.BeginWrite(); !s) return s;
    Status s = Ok();
    if (Result<std::vector<store::PutOutcome>> put = db.PutArticles(articles); !put) {
      s = Fail(put.error());
    }
    if (s) s = db.PutAnalyses(analyses);
    if (s) s = db.PutStories(records);
    if (s) s = db.PutStorylines(lines);
    if (s) s = db.Commit();
    if (!s) {
      db.Rollback();
      return Fail(s.error());
    }
    // Fresh sets (not cleared ones), so that each batch's records come in
    // the same order for the same seed.
    touched_ = {};
    touched_lines_ = {};
    return Ok();
  }

  std::size_t stories() const { return stories_.size(); }
  std::size_t storylines() const { return storylines_; }
  std::uint64_t text_bytes() const { return text_bytes_; }

 private:
  const BenchStoreOptions& o_;
  TextGenerator gen_;
  std::mt19937_64 rng_;
  std::uniform_real_distribution<double> u_{0.0, 1.0};
  Timestamp start_;
  std::int64_t step_;
  std::vector<StoryState> stories_;
  std::size_t storylines_ = 0;
  std::vector<std::int64_t> storyline_sizes_;
  std::vector<std::size_t> recent_story_;  // ring of the last articles' stories
  std::vector<Original> originals_;        // ring of the last originals
  std::size_t recent_next_ = 0;
  std::size_t original_next_ = 0;
  std::uint64_t text_bytes_ = 0;
  std::unordered_set<std::size_t> touched_;
  std::unordered_set<std::size_t> touched_lines_;
};

}  // namespace

Result<int> RunBenchStore(const BenchStoreOptions& o) {
  std::error_code ec;
  if (fs::exists(o.db, ec)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     o.db + ": exists; bench store writes a new store only");
  }
  if (o.articles <= 0) {
    return MakeError(ErrorCode::kInvalidArgument, "--articles must be positive");
  }
  Result<std::unique_ptr<store::Store>> opened = store::Store::Open(o.db, {});
  if (!opened) return Fail(opened.error());
  BenchStoreWriter writer(o);
  ProgressLine progress(ProgressMode::kAuto);
  const auto t0 = std::chrono::steady_clock::now();
  for (std::int64_t first = 0; first < o.articles; first += kBatch) {
    const std::int64_t last = std::min<std::int64_t>(o.articles, first + kBatch);
    std::vector<Article> articles(static_cast<std::size_t>(last - first));
    std::vector<store::ArticleAnalysis> analyses(articles.size());
    for (std::int64_t i = first; i < last; ++i) {
      const auto k = static_cast<std::size_t>(i - first);
      writer.Next(i, &articles[k], &analyses[k]);
    }
    if (Status s = writer.WriteBatch(**opened, articles, analyses); !s) return Fail(s.error());
    progress.Update(last, writer.text_bytes(), 0);
  }
  progress.Finish();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  opened->reset();
  std::uintmax_t bytes = 0;
  for (const char* suffix : {"", "-wal"}) {
    const std::uintmax_t n = fs::file_size(o.db + suffix, ec);
    if (!ec) bytes += n;
  }
  const std::uint64_t text_bytes = writer.text_bytes();
  std::printf(
      "bench store: %s articles (%s stories, %s storylines), %.1f MB of text: %.1f s, "
      "%s articles/s; store %.1f MB (%.2f x the text)\n",
      WithThousands(o.articles).c_str(),
      WithThousands(static_cast<std::int64_t>(writer.stories())).c_str(),
      WithThousands(static_cast<std::int64_t>(writer.storylines())).c_str(),
      static_cast<double>(text_bytes) / 1e6, secs,
      WithThousands(static_cast<std::int64_t>(static_cast<double>(o.articles) / secs)).c_str(),
      static_cast<double>(bytes) / 1e6,
      static_cast<double>(bytes) / static_cast<double>(std::max<std::uint64_t>(1, text_bytes)));
  return 0;
}

}  // namespace storyline::cli
