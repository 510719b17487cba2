#include "storyline/clean/chrome_model.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <utility>
#include <vector>

#include "clean/line_text.h"
#include "core/byte_codec.h"

namespace storyline::clean {
namespace {

using internal::HashBytes;
using internal::Mix64;

constexpr char kMagic[8] = {'S', 'L', 'C', 'H', 'R', 'O', 'M', '1'};
constexpr std::uint32_t kVersion = 1;
// A change record (SerializeSince).
constexpr char kChangesMagic[8] = {'S', 'L', 'C', 'H', 'R', 'C', 'H', '1'};
constexpr std::size_t kMinLimit = 16;
// Lines with at least this many words take part in an article's MinHash.
constexpr std::size_t kStoryLineWords = 8;

std::uint64_t Bit(std::uint64_t key) { return std::uint64_t{1} << (Mix64(key) & 63); }

// Linear counting (Whang, Vander-Zanden & Taylor 1990) on a 64-bit map:
// n ≈ -m ln(zeros / m). A full map reads as m ln m ≈ 266.
std::uint32_t Distinct(std::uint64_t bits) {
  int zeros = 64 - std::popcount(bits);
  if (zeros == 0) return 266;
  double n = -64.0 * std::log(static_cast<double>(zeros) / 64.0);
  return static_cast<std::uint32_t>(std::lround(n));
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

std::string_view HostOf(std::string_view url) {
  std::size_t scheme = url.find("://");
  if (scheme != std::string_view::npos) url.remove_prefix(scheme + 3);
  std::size_t end = url.find_first_of("/?#:");
  return url.substr(0, end);
}

std::string_view StripWww(std::string_view host) {
  if (host.size() > 4 && (host.substr(0, 4) == "www." || host.substr(0, 4) == "WWW.")) {
    host.remove_prefix(4);
  }
  return host;
}

struct SourceId {
  std::uint64_t key;
  bool known;  // from `source` or the URL, not the article id
};

SourceId SourceOf(const Article& a) {
  std::string_view name = internal::TrimSpaces(a.source);
  if (name.empty()) name = HostOf(internal::TrimSpaces(a.url));
  name = StripWww(name);
  if (!name.empty()) return {HashBytes("s:" + Lower(name)), true};
  return {HashBytes("id:" + a.id), false};
}

std::uint64_t PairKey(std::uint64_t line_key, std::uint64_t source_key) {
  std::uint64_t k = Mix64(line_key ^ (source_key * 0x9e3779b97f4a7c15ULL));
  return k == 0 ? 1 : k;
}

}  // namespace

ChromeModel::ChromeModel() : ChromeModel(ChromeModelOptions{}) {}

ChromeModel::ChromeModel(const ChromeModelOptions& options) : options_(options) {}

Result<ChromeModel> ChromeModel::Create(const ChromeModelOptions& options) {
  if (options.max_lines < kMinLimit || options.max_source_lines < kMinLimit) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "ChromeModelOptions: max_lines and max_source_lines must be at least 16");
  }
  return ChromeModel(options);
}

std::uint64_t ChromeModel::LineKey(std::string_view line) {
  internal::LineScan scan;
  internal::ScanLine(line, &scan);
  return scan.key;
}

std::uint64_t ChromeModel::SourceKey(const Article& article) { return SourceOf(article).key; }

LineObservation ChromeModel::Observation(const Article& article) {
  LineObservation o;
  const SourceId source = SourceOf(article);
  o.source_key = source.key;
  o.source_known = source.known;
  thread_local internal::LineScan scan;
  bool have_story = false;
  std::string_view text = article.text;
  while (true) {
    std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    internal::ScanLine(line, &scan);
    if (scan.key != 0) {
      o.line_keys.push_back(scan.key);
      if (scan.words.size() >= kStoryLineWords && (!have_story || scan.key < o.story_key)) {
        o.story_key = scan.key;
        have_story = true;
      }
    }
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  if (!have_story) o.story_key = HashBytes("story:" + article.id);
  std::sort(o.line_keys.begin(), o.line_keys.end());
  o.line_keys.erase(std::unique(o.line_keys.begin(), o.line_keys.end()), o.line_keys.end());
  return o;
}

void ChromeModel::Observe(const Article& article) { Observe(Observation(article)); }

void ChromeModel::Observe(const LineObservation& o) {
  ++articles_;
  const std::uint64_t source_bit = Bit(o.source_key);
  const std::uint64_t story_bit = Bit(o.story_key);
  for (std::uint64_t key : o.line_keys) {
    LineCounts& c = lines_[key];
    ++c.articles;
    c.source_bits |= source_bit;
    c.story_bits |= story_bit;
    if (noting_) changed_lines_.insert(key);
    if (o.source_known) {
      const std::uint64_t pair = PairKey(key, o.source_key);
      ++source_lines_[pair];
      if (noting_) changed_pairs_.insert(pair);
    }
  }
  if (lines_.size() > options_.max_lines) EvictLines();
  if (source_lines_.size() > options_.max_source_lines) EvictSourceLines();
}

ChromeModel ChromeModel::Restricted(std::span<const LineObservation> observations) const {
  ChromeModel out(options_);
  out.articles_ = articles_;
  out.floor_ = floor_;
  out.source_floor_ = source_floor_;
  for (const LineObservation& o : observations) {
    for (std::uint64_t key : o.line_keys) {
      if (auto it = lines_.find(key); it != lines_.end()) out.lines_.insert(*it);
      const std::uint64_t pair = PairKey(key, o.source_key);
      if (auto it = source_lines_.find(pair); it != source_lines_.end()) {
        out.source_lines_.insert(*it);
      }
    }
  }
  return out;
}

// Lossy counting: raise the floor until a quarter of the table is free.
void ChromeModel::EvictLines() {
  const std::size_t target = options_.max_lines - options_.max_lines / 4;
  while (lines_.size() > target) {
    ++floor_;
    std::erase_if(lines_, [&](const auto& kv) {
      if (kv.second.articles > floor_) return false;
      if (noting_) {
        changed_lines_.erase(kv.first);
        dropped_lines_.insert(kv.first);
      }
      return true;
    });
  }
}

void ChromeModel::EvictSourceLines() {
  const std::size_t target = options_.max_source_lines - options_.max_source_lines / 4;
  while (source_lines_.size() > target) {
    ++source_floor_;
    std::erase_if(source_lines_, [&](const auto& kv) {
      if (kv.second > source_floor_) return false;
      if (noting_) {
        changed_pairs_.erase(kv.first);
        dropped_pairs_.insert(kv.first);
      }
      return true;
    });
  }
}

LineEvidence ChromeModel::Lookup(std::uint64_t line_key, std::uint64_t source_key) const {
  LineEvidence e;
  if (line_key == 0) return e;
  auto it = lines_.find(line_key);
  if (it == lines_.end()) return e;
  e.articles = it->second.articles;
  e.sources = std::min(Distinct(it->second.source_bits), e.articles);
  e.stories = std::min(Distinct(it->second.story_bits), e.articles);
  auto s = source_lines_.find(PairKey(line_key, source_key));
  if (s != source_lines_.end()) e.same_source = s->second;
  return e;
}

LineEvidence ChromeModel::Lookup(std::string_view line, const Article& article) const {
  return Lookup(LineKey(line), SourceKey(article));
}

std::string ChromeModel::Serialize() const {
  storyline::internal::ByteWriter w;
  w.Reserve(64 + lines_.size() * 28 + source_lines_.size() * 12);
  w.Raw(std::string_view(kMagic, sizeof(kMagic)));
  w.U32(kVersion);
  w.U64(options_.max_lines);
  w.U64(options_.max_source_lines);
  w.U64(articles_);
  w.U32(floor_);
  w.U32(source_floor_);
  std::vector<std::pair<std::uint64_t, LineCounts>> lines(lines_.begin(), lines_.end());
  std::sort(lines.begin(), lines.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  w.U64(lines.size());
  for (const auto& [key, c] : lines) {
    w.U64(key);
    w.U32(c.articles);
    w.U64(c.source_bits);
    w.U64(c.story_bits);
  }
  std::vector<std::pair<std::uint64_t, std::uint32_t>> pairs(source_lines_.begin(),
                                                             source_lines_.end());
  std::sort(pairs.begin(), pairs.end());
  w.U64(pairs.size());
  for (const auto& [key, count] : pairs) {
    w.U64(key);
    w.U32(count);
  }
  return w.Take();
}

Result<ChromeModel> ChromeModel::Deserialize(std::string_view bytes) {
  auto bad = [](std::string what) {
    return MakeError(ErrorCode::kInvalidInput, "chrome model: " + std::move(what));
  };
  if (bytes.size() < sizeof(kMagic) || std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0) {
    return bad("not a serialised ChromeModel (bad magic)");
  }
  storyline::internal::ByteReader r(bytes.substr(sizeof(kMagic)));
  std::uint32_t version = 0;
  if (r.U32(&version) && version != kVersion) {
    return bad("unsupported version " + std::to_string(version));
  }
  ChromeModelOptions options;
  std::uint64_t max_lines = 0;
  std::uint64_t max_source_lines = 0;
  if (!r.U64(&max_lines) || !r.U64(&max_source_lines)) return bad("truncated header");
  options.max_lines = static_cast<std::size_t>(max_lines);
  options.max_source_lines = static_cast<std::size_t>(max_source_lines);
  if (options.max_lines < kMinLimit || options.max_source_lines < kMinLimit) {
    return bad("bad limits");
  }
  ChromeModel model(options);
  std::uint64_t n = 0;
  if (!r.U64(&model.articles_) || !r.U32(&model.floor_) || !r.U32(&model.source_floor_) ||
      !r.Count(&n, 28)) {
    return bad("truncated line table");
  }
  model.lines_.reserve(static_cast<std::size_t>(n));
  for (std::uint64_t i = 0; i < n; ++i) {
    std::uint64_t key = 0;
    LineCounts c;
    r.U64(&key);
    r.U32(&c.articles);
    r.U64(&c.source_bits);
    r.U64(&c.story_bits);
    model.lines_.emplace(key, c);
  }
  std::uint64_t m = 0;
  if (!r.Count(&m, 12)) return bad("truncated source table");
  model.source_lines_.reserve(static_cast<std::size_t>(m));
  for (std::uint64_t i = 0; i < m; ++i) {
    std::uint64_t key = 0;
    std::uint32_t count = 0;
    r.U64(&key);
    r.U32(&count);
    model.source_lines_.emplace(key, count);
  }
  if (!r.ok()) return bad("truncated source table");
  if (!r.AtEnd()) return bad("trailing bytes");
  return model;
}

void ChromeModel::ClearChanges() {
  changed_lines_.clear();
  dropped_lines_.clear();
  changed_pairs_.clear();
  dropped_pairs_.clear();
}

void ChromeModel::MarkSaved() {
  noting_ = true;
  ClearChanges();
}

namespace {

// Keys in ascending order (a record is the same bytes for the same changes).
std::vector<std::uint64_t> Sorted(const std::unordered_set<std::uint64_t>& keys) {
  std::vector<std::uint64_t> out(keys.begin(), keys.end());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

std::string ChromeModel::SerializeSince(std::size_t max_change_bytes, bool* whole) {
  const std::size_t record_bytes = 64 + 8 * (dropped_lines_.size() + dropped_pairs_.size()) +
                                   28 * changed_lines_.size() + 12 * changed_pairs_.size();
  *whole = !noting_ || record_bytes > max_change_bytes;
  std::string out;
  if (*whole) {
    out = Serialize();
  } else {
    storyline::internal::ByteWriter w;
    w.Reserve(record_bytes);
    w.Raw(std::string_view(kChangesMagic, sizeof(kChangesMagic)));
    w.U64(articles_);
    w.U32(floor_);
    w.U32(source_floor_);
    w.U64(dropped_lines_.size());
    for (std::uint64_t key : Sorted(dropped_lines_)) w.U64(key);
    w.U64(changed_lines_.size());
    for (std::uint64_t key : Sorted(changed_lines_)) {
      const LineCounts& c = lines_.at(key);
      w.U64(key);
      w.U32(c.articles);
      w.U64(c.source_bits);
      w.U64(c.story_bits);
    }
    w.U64(dropped_pairs_.size());
    for (std::uint64_t key : Sorted(dropped_pairs_)) w.U64(key);
    w.U64(changed_pairs_.size());
    for (std::uint64_t key : Sorted(changed_pairs_)) {
      w.U64(key);
      w.U32(source_lines_.at(key));
    }
    out = w.Take();
  }
  MarkSaved();
  return out;
}

bool ChromeModel::ApplyChanges(std::string_view bytes) {
  if (bytes.size() < sizeof(kChangesMagic) ||
      std::memcmp(bytes.data(), kChangesMagic, sizeof(kChangesMagic)) != 0) {
    return false;
  }
  storyline::internal::ByteReader r(bytes.substr(sizeof(kChangesMagic)));
  std::uint64_t n = 0;
  if (!r.U64(&articles_) || !r.U32(&floor_) || !r.U32(&source_floor_) || !r.Count(&n, 8)) {
    return false;
  }
  for (std::uint64_t i = 0; i < n; ++i) {
    std::uint64_t key = 0;
    if (!r.U64(&key)) return false;
    lines_.erase(key);
  }
  if (!r.Count(&n, 28)) return false;
  for (std::uint64_t i = 0; i < n; ++i) {
    std::uint64_t key = 0;
    LineCounts c;
    if (!r.U64(&key) || !r.U32(&c.articles) || !r.U64(&c.source_bits) || !r.U64(&c.story_bits)) {
      return false;
    }
    lines_[key] = c;
  }
  if (!r.Count(&n, 8)) return false;
  for (std::uint64_t i = 0; i < n; ++i) {
    std::uint64_t key = 0;
    if (!r.U64(&key)) return false;
    source_lines_.erase(key);
  }
  if (!r.Count(&n, 12)) return false;
  for (std::uint64_t i = 0; i < n; ++i) {
    std::uint64_t key = 0;
    std::uint32_t count = 0;
    if (!r.U64(&key) || !r.U32(&count)) return false;
    source_lines_[key] = count;
  }
  return r.AtEnd();
}

Result<ChromeModel> ChromeModel::Deserialize(std::string_view bytes,
                                             std::span<const std::string> changes) {
  Result<ChromeModel> model = Deserialize(bytes);
  if (!model) return model;
  for (const std::string& record : changes) {
    if (!model->ApplyChanges(record)) {
      return MakeError(ErrorCode::kInvalidInput, "chrome model: not a change record");
    }
  }
  model->MarkSaved();
  return model;
}

}  // namespace storyline::clean
