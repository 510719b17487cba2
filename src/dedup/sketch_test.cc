#include "storyline/dedup/sketch.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <vector>

#include "corpus/synth.h"

namespace storyline::dedup {
namespace {

using tools::corpus::SynthRandom;

Sketcher MakeSketcher(SketchOptions o = {}) { return *Sketcher::Create(o); }

DocumentSketch SketchOf(const Sketcher& s, const std::vector<uint64_t>& shingles, DocId id = 1) {
  DocumentInput in;
  in.id = id;
  in.shingles = shingles;
  return *s.Sketch(in);
}

std::vector<uint64_t> RandomHashes(SynthRandom& r, size_t n) {
  std::vector<uint64_t> v(n);
  for (uint64_t& x : v) x = r.Next();
  return v;
}

bool ShareAny(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  std::vector<uint32_t> both;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(both));
  return !both.empty();
}

TEST(SketcherTest, RejectsBadOptions) {
  struct Row {
    SketchOptions options;
    const char* why;
  };
  const Row rows[] = {
      {{.num_bands = 0}, "no bands"},
      {{.rows_per_band = 0}, "no rows"},
      {{.num_bands = 100, .rows_per_band = 100}, "signature too long"},
      {{.anchor_window = 0}, "no winnowing window"},
      {{.shingle_words = 0}, "empty shingles"},
  };
  for (const Row& row : rows) {
    Result<Sketcher> s = Sketcher::Create(row.options);
    ASSERT_FALSE(s) << row.why;
    EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument) << row.why;
  }
}

TEST(SketcherTest, RejectsBadInput) {
  Sketcher s = MakeSketcher();
  std::vector<uint64_t> shingles{1, 2, 3};
  std::vector<uint32_t> starts{0, 1};
  DocumentInput in;
  in.id = 3;
  in.shingles = shingles;
  in.shingle_starts = starts;
  EXPECT_EQ(s.Sketch(in).error().code, ErrorCode::kInvalidArgument);
  in.shingle_starts = {};
  in.id = kNoDoc;
  EXPECT_EQ(s.Sketch(in).error().code, ErrorCode::kInvalidArgument);
}

TEST(SketcherTest, ShapesTheSketch) {
  Sketcher s = MakeSketcher();
  SynthRandom r(1);
  DocumentSketch d = SketchOf(s, RandomHashes(r, 650));
  EXPECT_EQ(d.signature.size(), 40u);
  EXPECT_EQ(d.band_keys.size(), 20u);
  EXPECT_EQ(d.shingles.size(), 650u);
  EXPECT_TRUE(std::is_sorted(d.shingles.begin(), d.shingles.end()));
  // Winnowing density 2/(w+1) = 0.06: ~39 anchors.
  EXPECT_GT(d.anchors.size(), 25u);
  EXPECT_LT(d.anchors.size(), 55u);
  EXPECT_EQ(d.sequence_ranks.size(), 650u);
  for (size_t i = 0; i < 650; ++i) {
    ASSERT_LT(d.sequence_ranks[i], d.shingles.size());
  }
  EXPECT_EQ(d.sequence_starts[10], 10u);

  DocumentSketch repeats = SketchOf(s, {5, 6, 5});
  EXPECT_EQ(repeats.shingles.size(), 2u);
  EXPECT_EQ(repeats.sequence_ranks[0], repeats.sequence_ranks[2]);
  EXPECT_NE(repeats.sequence_ranks[0], repeats.sequence_ranks[1]);

  DocumentSketch empty = SketchOf(s, {});
  EXPECT_TRUE(empty.signature.empty());
  EXPECT_TRUE(empty.band_keys.empty());
  EXPECT_TRUE(empty.anchors.empty());

  // Fewer shingles than bins: densification fills every bin, identically
  // for identical texts.
  DocumentSketch a = SketchOf(s, {11, 22, 33});
  DocumentSketch b = SketchOf(s, {33, 22, 11}, 2);
  EXPECT_EQ(a.signature.size(), 40u);
  EXPECT_EQ(a.signature, b.signature);
  EXPECT_EQ(a.band_keys, b.band_keys);
}

// MinHash agreement estimates the Jaccard (Broder 1997): averaged over many
// pairs, the fraction of equal signature values is within 0.02 of it.
TEST(SketcherTest, SignatureAgreementEstimatesJaccard) {
  Sketcher s = MakeSketcher();
  SynthRandom r(2);
  for (double target : {0.1, 0.3, 0.5, 0.8}) {
    double sum_est = 0, sum_true = 0;
    for (int trial = 0; trial < 60; ++trial) {
      // |A| = |B| = 600 sharing m: J = m / (1200 - m).
      const size_t m = static_cast<size_t>(1200 * target / (1 + target));
      std::vector<uint64_t> common = RandomHashes(r, m);
      std::vector<uint64_t> a = common, b = common;
      for (uint64_t x : RandomHashes(r, 600 - m)) a.push_back(x);
      for (uint64_t x : RandomHashes(r, 600 - m)) b.push_back(x);
      DocumentSketch sa = SketchOf(s, a), sb = SketchOf(s, b, 2);
      size_t equal = 0;
      for (size_t i = 0; i < sa.signature.size(); ++i) equal += sa.signature[i] == sb.signature[i];
      sum_est += static_cast<double>(equal) / static_cast<double>(sa.signature.size());
      sum_true += ComputeOverlap(sa.shingles, sb.shingles).jaccard;
    }
    EXPECT_NEAR(sum_est / 60, sum_true / 60, 0.02) << "target " << target;
  }
}

// Schleimer et al.'s guarantee: a shared run of >= w shingles always yields
// a shared anchor, wherever it sits in the two documents.
TEST(SketcherTest, SharedRunsOfOneWindowAlwaysShareAnAnchor) {
  Sketcher s = MakeSketcher();
  SynthRandom r(3);
  struct Row {
    size_t run;
    bool guaranteed;
  };
  for (const Row& row : {Row{32, true}, Row{40, true}, Row{100, true}}) {
    for (int trial = 0; trial < 300; ++trial) {
      std::vector<uint64_t> run = RandomHashes(r, row.run);
      std::vector<uint64_t> a = RandomHashes(r, r.Below(400));
      std::vector<uint64_t> b = RandomHashes(r, r.Below(400));
      a.insert(a.begin() + r.Below(static_cast<uint32_t>(a.size() + 1)), run.begin(), run.end());
      b.insert(b.begin() + r.Below(static_cast<uint32_t>(b.size() + 1)), run.begin(), run.end());
      ASSERT_TRUE(ShareAny(SketchOf(s, a).anchors, SketchOf(s, b, 2).anchors))
          << "run " << row.run << " trial " << trial;
    }
  }
}

TEST(SketcherTest, SerialisationRoundTrips) {
  Sketcher s = MakeSketcher();
  SynthRandom r(4);
  for (size_t n : {0, 1, 3, 650, 5000}) {
    std::vector<uint64_t> hashes = RandomHashes(r, n);
    DocumentInput in;
    in.id = 77;
    in.body_hash = 0x1234567890abcdefULL;
    in.timestamp = -5;
    in.body_length = 4096;
    in.shingles = hashes;
    DocumentSketch d = *s.Sketch(in);
    const std::string bytes = s.Serialize(d);
    Result<DocumentSketch> back = s.Load(bytes);
    ASSERT_TRUE(back) << back.error().ToString();
    EXPECT_EQ(back->id, 77u);
    EXPECT_EQ(back->body_hash, in.body_hash);
    EXPECT_EQ(back->timestamp, -5);
    EXPECT_EQ(back->body_length, 4096u);
    EXPECT_EQ(back->signature, d.signature);
    EXPECT_EQ(back->band_keys, d.band_keys);
    EXPECT_EQ(back->anchors, d.anchors);
    EXPECT_EQ(back->shingles, d.shingles);
    EXPECT_TRUE(back->sequence_ranks.empty());
    // Format 3: a byte for the gap parameter, then about k + 2 bits per
    // fingerprint, a position per signature value and a bit per anchor.
    EXPECT_EQ(bytes[4], 3);
    if (n >= 3) {
      EXPECT_LT(bytes.size() * 4,
                3 * (48 + 4 * (d.signature.size() + d.anchors.size() + d.shingles.size())))
          << n << " shingles";
    }
  }
}

// A sketch in format 2 (4 bytes per value), as earlier builds wrote it,
// with the header of `packed` (a format-3 blob of the same sketch).
std::string PlainFormat(const std::string& packed, const DocumentSketch& d) {
  std::string out = packed.substr(0, 48);
  out[4] = 2;
  auto u32 = [&out](uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>(v >> (8 * i) & 0xFF));
  };
  for (uint32_t v : d.signature) u32(v);
  for (uint32_t v : d.anchors) u32(v);
  for (uint32_t v : d.shingles) u32(v);
  return out;
}

TEST(SketcherTest, EarlierFormatStillLoadsAndOddSketchesWriteIt) {
  Sketcher s = MakeSketcher();
  SynthRandom r(6);
  const DocumentSketch d = SketchOf(s, RandomHashes(r, 300));
  const std::string plain = PlainFormat(s.Serialize(d), d);
  ASSERT_TRUE(s.Compatible(plain));
  Result<DocumentSketch> back = s.Load(plain);
  ASSERT_TRUE(back) << back.error().ToString();
  EXPECT_EQ(back->shingles, d.shingles);
  EXPECT_EQ(back->signature, d.signature);
  EXPECT_EQ(back->anchors, d.anchors);
  EXPECT_EQ(back->band_keys, d.band_keys);
  // An anchor that is not one of the fingerprints cannot be a position
  // among them: such a sketch is written in format 2, and reads back.
  DocumentSketch odd = d;
  odd.anchors.push_back(0);
  std::sort(odd.anchors.begin(), odd.anchors.end());
  odd.anchors.erase(std::unique(odd.anchors.begin(), odd.anchors.end()), odd.anchors.end());
  ASSERT_FALSE(std::binary_search(odd.shingles.begin(), odd.shingles.end(), 0u));
  const std::string bytes = s.Serialize(odd);
  EXPECT_EQ(bytes[4], 2);
  Result<DocumentSketch> odd_back = s.Load(bytes);
  ASSERT_TRUE(odd_back) << odd_back.error().ToString();
  EXPECT_EQ(odd_back->anchors, odd.anchors);
}

TEST(SketcherTest, LoadRejectsDamagedBytes) {
  Sketcher s = MakeSketcher();
  SynthRandom r(5);
  const DocumentSketch sketch = SketchOf(s, RandomHashes(r, 100));
  const std::string good = s.Serialize(sketch);
  std::string bad_magic = good;
  bad_magic[0] = 'X';
  std::string unsorted = PlainFormat(good, sketch);
  std::swap(unsorted[unsorted.size() - 1], unsorted[unsorted.size() - 5]);
  std::string bad_gap = good;
  bad_gap[48] = static_cast<char>(bad_gap[48] + 1);
  // Counts the bytes cannot hold (60,000 fingerprints in a few hundred
  // bytes) are refused before anything is allocated for them.
  std::string huge_count = good;
  huge_count[44] = static_cast<char>(0x60);
  huge_count[45] = static_cast<char>(0xEA);
  huge_count[48] = 15;  // the gap parameter of 60,000 fingerprints
  const Sketcher other = MakeSketcher({.seed = 99});
  struct Row {
    std::string bytes;
    const Sketcher* sketcher;
    const char* why;
  };
  const Row rows[] = {
      {"", &s, "empty"},
      {good.substr(0, 47), &s, "truncated header"},
      {good.substr(0, good.size() - 1), &s, "truncated body"},
      {good + "x", &s, "trailing bytes"},
      {bad_magic, &s, "bad magic"},
      {unsorted, &s, "unsorted fingerprints"},
      {bad_gap, &s, "gap parameter"},
      {huge_count, &s, "fingerprint count"},
      {good.substr(0, 49), &s, "no gaps"},
      {good, &other, "other seed"},
  };
  for (const Row& row : rows) {
    Result<DocumentSketch> d = row.sketcher->Load(row.bytes);
    ASSERT_FALSE(d) << row.why;
    EXPECT_EQ(d.error().code, ErrorCode::kInvalidInput) << row.why;
  }
  // Compatible() tells sketches of other options (to recompute) from ours.
  EXPECT_TRUE(s.Compatible(good));
  EXPECT_FALSE(other.Compatible(good));
  EXPECT_FALSE(MakeSketcher({.num_bands = 32}).Compatible(good));
  EXPECT_FALSE(s.Compatible(bad_magic));
  EXPECT_FALSE(s.Compatible(""));
}

TEST(OverlapTest, MatchesDefinitions) {
  struct Row {
    std::vector<uint32_t> a, b;
    uint32_t shared;
    double jaccard, containment;
  };
  const Row rows[] = {
      {{}, {}, 0, 0, 0},
      {{1, 2, 3}, {}, 0, 0, 0},
      {{1, 2, 3}, {1, 2, 3}, 3, 1, 1},
      {{1, 2, 3, 4}, {3, 4, 5, 6}, 2, 2.0 / 6, 0.5},
      {{1, 2}, {1, 2, 3, 4, 5, 6, 7, 8}, 2, 0.25, 1},
      {{5}, {1, 2, 3, 4}, 0, 0, 0},
  };
  for (const Row& row : rows) {
    Overlap o = ComputeOverlap(row.a, row.b);
    EXPECT_EQ(o.shared, row.shared);
    EXPECT_DOUBLE_EQ(o.jaccard, row.jaccard);
    EXPECT_DOUBLE_EQ(o.containment, row.containment);
  }
}

}  // namespace
}  // namespace storyline::dedup
