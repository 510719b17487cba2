#include "corpus/synth.h"

#include <xxhash.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <utility>

#include "core/hash.h"
#include "dedup/hashing.h"

namespace storyline::tools::corpus {
namespace {

// Words site chrome is made of ("sign up now for free unlimited access").
constexpr std::string_view kChromeWords[] = {
    "sign",    "up",         "now",           "for",     "free",    "unlimited", "access", "to",
    "read",    "more",       "subscribe",     "follow",  "us",      "on",        "share",  "this",
    "article", "newsletter", "advertisement", "related", "stories", "comments",  "click",  "here",
    "log",     "in",         "register",      "cookie",  "policy",  "privacy",   "terms",  "of",
    "use",     "latest",     "news",          "watch",   "video",   "most",      "popular"};

constexpr std::string_view kSyllables[] = {
    "ka",  "ro", "mi",  "ten", "sa", "lu", "ver", "do", "na",  "pel", "ri", "gon", "ta", "be",
    "sor", "li", "que", "man", "fa", "zi", "tor", "ne", "cha", "bri", "lo", "dan", "vi", "es"};

// Shuffles with Fisher-Yates on our own generator (std::shuffle's use of the
// generator is unspecified, so its output differs across libraries).
template <typename T>
void Shuffle(std::vector<T>& v, SynthRandom& r) {
  for (size_t i = v.size(); i > 1; --i) {
    std::swap(v[i - 1], v[r.Below(static_cast<uint32_t>(i))]);
  }
}

}  // namespace

uint64_t SynthRandom::Next() {
  // SplitMix64: a Weyl sequence through the library's mixer.
  return storyline::internal::Mix64(state_ += 0x9e3779b97f4a7c15ULL);
}

double SynthRandom::Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

uint32_t SynthRandom::Below(uint32_t n) {
  return dedup::internal::FastRange32(static_cast<uint32_t>(Next() >> 32), n);
}

bool ListBaseSource::Next(BaseDocument& out) {
  if (next_ >= docs_.size()) return false;
  out = docs_[next_++];
  return true;
}

BaseDocument TextBaseSource::Parse(std::string_view text) {
  BaseDocument doc;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    Paragraph para;
    size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
      size_t j = i;
      while (j < line.size() && !std::isspace(static_cast<unsigned char>(line[j]))) ++j;
      if (j > i) para.emplace_back(line.substr(i, j - i));
      i = j;
    }
    if (!para.empty()) doc.paragraphs.push_back(std::move(para));
    pos = eol + 1;
  }
  return doc;
}

Vocabulary MakeZipfVocabulary(uint32_t size, double exponent, uint64_t seed) {
  Vocabulary v;
  SynthRandom r(seed);
  v.words.reserve(size);
  v.weights.reserve(size);
  for (uint32_t i = 0; i < size; ++i) {
    // Frequent words are short, as in real text; a rank suffix keeps every
    // word distinct.
    std::string w;
    const uint32_t syllables = 1 + (i > 100) + (i > 2000) + r.Below(2);
    for (uint32_t s = 0; s < syllables; ++s) w += kSyllables[r.Below(std::size(kSyllables))];
    if (i >= std::size(kSyllables)) w += std::to_string(i);
    v.words.push_back(std::move(w));
    v.weights.push_back(1.0 / std::pow(static_cast<double>(i + 1), exponent));
  }
  return v;
}

FabricatedBaseSource::FabricatedBaseSource(Vocabulary vocabulary,
                                           const FabricatedBaseOptions& options)
    : vocabulary_(std::move(vocabulary)), options_(options), random_(options.seed) {
  // Walker's alias method (Vose's construction): O(1) draws from any
  // discrete distribution.
  const size_t n = vocabulary_.weights.size();
  alias_prob_.assign(n, 1.0);
  alias_.assign(n, 0);
  double total = 0;
  for (double w : vocabulary_.weights) total += w;
  std::vector<double> scaled(n);
  std::vector<uint32_t> small, large;
  for (size_t i = 0; i < n; ++i) {
    scaled[i] = vocabulary_.weights[i] * static_cast<double>(n) / total;
    (scaled[i] < 1.0 ? small : large).push_back(static_cast<uint32_t>(i));
  }
  while (!small.empty() && !large.empty()) {
    const uint32_t s = small.back(), l = large.back();
    small.pop_back();
    alias_prob_[s] = scaled[s];
    alias_[s] = l;
    scaled[l] -= 1.0 - scaled[s];
    if (scaled[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  for (uint32_t i : small) alias_prob_[i] = 1.0;
  for (uint32_t i : large) alias_prob_[i] = 1.0;
}

uint32_t FabricatedBaseSource::Draw() {
  const uint32_t i = random_.Below(static_cast<uint32_t>(alias_.size()));
  return random_.Uniform() < alias_prob_[i] ? i : alias_[i];
}

bool FabricatedBaseSource::Next(BaseDocument& out) {
  if (options_.count != 0 && produced_ >= options_.count) return false;
  if (vocabulary_.words.empty()) return false;
  ++produced_;
  out.paragraphs.clear();
  const uint32_t paragraphs = random_.Between(options_.min_paragraphs, options_.max_paragraphs);
  for (uint32_t p = 0; p < paragraphs; ++p) {
    Paragraph para;
    const uint32_t words = random_.Between(options_.min_words, options_.max_words);
    para.reserve(words);
    for (uint32_t w = 0; w < words; ++w) para.push_back(vocabulary_.words[Draw()]);
    out.paragraphs.push_back(std::move(para));
  }
  return true;
}

std::vector<std::string_view> SyntheticArticle::Words() const {
  std::vector<std::string_view> words;
  for (const Paragraph& p : paragraphs) words.insert(words.end(), p.begin(), p.end());
  return words;
}

std::string SyntheticArticle::Text() const {
  std::string text;
  for (size_t p = 0; p < paragraphs.size(); ++p) {
    if (p > 0) text += '\n';
    for (size_t w = 0; w < paragraphs[p].size(); ++w) {
      if (w > 0) text += ' ';
      text += paragraphs[p][w];
    }
  }
  return text;
}

WireCopyGenerator::WireCopyGenerator(BaseSource& bases, const WireCopyOptions& options)
    : bases_(bases), options_(options), random_(options.seed) {}

bool WireCopyGenerator::Next(SyntheticArticle& out) {
  while (pending_.empty()) {
    BaseDocument base;
    if (!bases_.Next(base)) return false;
    MakeBlock(base);
  }
  out = std::move(pending_.front());
  pending_.pop_front();
  return true;
}

const std::vector<std::string>& WireCopyGenerator::SiteChrome(uint32_t site) {
  if (chrome_.size() <= site) chrome_.resize(site + 1);
  std::vector<std::string>& lines = chrome_[site];
  if (lines.empty()) {
    // A site's chrome is a fixed function of (seed, site).
    SynthRandom r(dedup::internal::Mix64(options_.seed ^ (0xc41a5e00ULL + site)));
    for (int l = 0; l < 5; ++l) {
      std::string line;
      const uint32_t n = r.Between(4, 10);
      for (uint32_t w = 0; w < n; ++w) {
        if (w > 0) line += ' ';
        line += kChromeWords[r.Below(std::size(kChromeWords))];
      }
      lines.push_back(std::move(line));
    }
  }
  return lines;
}

SyntheticArticle WireCopyGenerator::MakeCopy(const BaseDocument& base, bool full) {
  SyntheticArticle a;
  a.kind = full ? ArticleKind::kFullCopy : ArticleKind::kCutCopy;
  size_t total = 0;
  for (const Paragraph& p : base.paragraphs) total += p.size();
  a.cut = full ? 1.0 : options_.min_cut + (options_.max_cut - options_.min_cut) * random_.Uniform();
  size_t budget = full ? total : static_cast<size_t>(std::ceil(a.cut * static_cast<double>(total)));
  // Replacement words come from the base itself: a re-worded copy keeps the
  // story's vocabulary.
  auto random_word = [&]() -> const std::string& {
    const Paragraph& p =
        base.paragraphs[random_.Below(static_cast<uint32_t>(base.paragraphs.size()))];
    return p[random_.Below(static_cast<uint32_t>(p.size()))];
  };
  for (size_t i = 0; i < base.paragraphs.size() && budget > 0; ++i) {
    const Paragraph& src = base.paragraphs[i];
    const size_t take = std::min(budget, src.size());
    budget -= take;  // the cut counts dropped paragraphs too: it is a cut of the original
    if (i > 0 && random_.Uniform() < options_.paragraph_drop_rate) continue;
    Paragraph para;
    para.reserve(take);
    for (size_t w = 0; w < take; ++w) {
      para.push_back(random_.Uniform() < options_.word_change_rate ? random_word() : src[w]);
    }
    a.paragraphs.push_back(std::move(para));
  }
  // Site chrome: lines at the top, bottom or between paragraphs.
  const uint32_t site = random_.Below(std::max<uint32_t>(1, options_.num_sites));
  const uint32_t lines = random_.Between(0, options_.max_chrome_lines);
  const std::vector<std::string>& chrome = SiteChrome(site);
  for (uint32_t l = 0; l < lines; ++l) {
    const std::string& line = chrome[random_.Below(static_cast<uint32_t>(chrome.size()))];
    Paragraph para = TextBaseSource::Parse(line).paragraphs.front();
    const uint32_t at = random_.Below(static_cast<uint32_t>(a.paragraphs.size() + 1));
    a.paragraphs.insert(a.paragraphs.begin() + at, std::move(para));
  }
  return a;
}

SyntheticArticle WireCopyGenerator::MakeUnrelated(const BaseDocument& base) {
  // Another outlet covering the same event: the same names and topic words
  // (drawn from the base's own bag of words), its own sentences, one short
  // verbatim quote.
  SyntheticArticle a;
  a.kind = ArticleKind::kUnrelated;
  std::vector<const std::string*> bag;
  for (const Paragraph& p : base.paragraphs) {
    for (const std::string& w : p) bag.push_back(&w);
  }
  const uint32_t paragraphs =
      std::max<uint32_t>(1, static_cast<uint32_t>(base.paragraphs.size()) * 3 / 4);
  for (uint32_t i = 0; i < paragraphs; ++i) {
    Paragraph para;
    const uint32_t n = random_.Between(30, 70);
    for (uint32_t w = 0; w < n; ++w) {
      para.push_back(*bag[random_.Below(static_cast<uint32_t>(bag.size()))]);
    }
    a.paragraphs.push_back(std::move(para));
  }
  if (options_.quote_words > 0 && bag.size() > options_.quote_words) {
    const uint32_t start = random_.Below(static_cast<uint32_t>(bag.size() - options_.quote_words));
    Paragraph quote;
    for (uint32_t w = 0; w < options_.quote_words; ++w) quote.push_back(*bag[start + w]);
    const uint32_t at = random_.Below(static_cast<uint32_t>(a.paragraphs.size() + 1));
    a.paragraphs.insert(a.paragraphs.begin() + at, std::move(quote));
  }
  return a;
}

void WireCopyGenerator::MakeBlock(const BaseDocument& base) {
  const uint32_t base_index = base_index_++;
  base_time_ = options_.start_time + static_cast<int64_t>(base_index) * options_.base_interval;
  size_t total = 0;
  for (const Paragraph& p : base.paragraphs) total += p.size();
  std::vector<SyntheticArticle> block;
  const uint32_t group = next_group_++;
  auto spread = [&]() {
    return options_.spread_seconds > 0
               ? static_cast<int64_t>(random_.Below(static_cast<uint32_t>(options_.spread_seconds)))
               : 0;
  };
  if (total > 0) {
    if (random_.Uniform() < options_.original_rate) {
      SyntheticArticle o;
      o.kind = ArticleKind::kOriginal;
      o.paragraphs = base.paragraphs;
      o.timestamp = base_time_;
      block.push_back(std::move(o));
    }
    const uint32_t copies = random_.Between(options_.min_copies, options_.max_copies);
    for (uint32_t c = 0; c < copies; ++c) {
      SyntheticArticle a = MakeCopy(base, random_.Uniform() < options_.full_copy_rate);
      a.timestamp = base_time_ + 1 + spread();
      block.push_back(std::move(a));
    }
  }
  for (SyntheticArticle& a : block) {
    a.gold_group = group;
    a.base = base_index;
  }
  if (total > 0) {
    for (uint32_t u = 0; u < options_.unrelated_per_base; ++u) {
      SyntheticArticle a = MakeUnrelated(base);
      a.timestamp = base_time_ + spread();
      a.gold_group = next_group_++;
      a.base = base_index;
      block.push_back(std::move(a));
    }
  }
  Shuffle(block, random_);
  for (SyntheticArticle& a : block) {
    a.id = next_id_++;
    pending_.push_back(std::move(a));
  }
}

std::vector<uint64_t> HashWordShingles(const std::vector<std::string_view>& words, uint32_t k,
                                       uint64_t seed) {
  std::vector<uint64_t> out;
  if (words.empty() || k == 0) return out;
  std::vector<uint64_t> wh(words.size());
  for (size_t i = 0; i < words.size(); ++i) {
    wh[i] = XXH3_64bits_withSeed(words[i].data(), words[i].size(), seed);
  }
  const size_t n = words.size() >= k ? words.size() - k + 1 : 1;
  const size_t len = std::min<size_t>(k, words.size());
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    // Order-sensitive combination of the word hashes.
    uint64_t h = 0x51ed270b27a1c3f5ULL ^ len;
    for (size_t j = 0; j < len; ++j) h = dedup::internal::Mix64(h ^ wh[i + j]) + j;
    out.push_back(h);
  }
  return out;
}

uint64_t HashWords(const std::vector<std::string_view>& words) {
  XXH3_state_t* state = XXH3_createState();
  XXH3_64bits_reset(state);
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) XXH3_64bits_update(state, " ", 1);
    XXH3_64bits_update(state, words[i].data(), words[i].size());
  }
  const uint64_t h = XXH3_64bits_digest(state);
  XXH3_freeState(state);
  return h == 0 ? 1 : h;
}

}  // namespace storyline::tools::corpus
