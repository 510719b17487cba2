// Fast paths against slow exact ones (STYLE.md habit 5): LSH band collisions
// and the index's verified pairs are checked against brute-force all-pairs
// Jaccard and containment on fixed-seed corpora.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "corpus/synth.h"
#include "storyline/dedup/duplicate_index.h"
#include "storyline/dedup/sketch.h"

namespace storyline::dedup {
namespace {

using tools::corpus::SynthRandom;

struct Doc {
  std::vector<uint64_t> shingles;  // document order
  std::vector<uint64_t> set;       // sorted unique, for the exact checker
};

// Families of documents derived from one random base: a random slice of it
// (a cut copy) in which random stretches of 5 shingles are replaced (a
// changed word breaks the 5 shingles that contain it). Slices and change
// rates are spread so that pair Jaccards and containments cover [0, 1].
std::vector<Doc> MakeCorpus(uint64_t seed, int families, int per_family) {
  SynthRandom r(seed);
  std::vector<Doc> docs;
  for (int f = 0; f < families; ++f) {
    std::vector<uint64_t> base(r.Between(200, 700));
    for (uint64_t& x : base) x = r.Next();
    for (int v = 0; v < per_family; ++v) {
      const double keep = v == 0 ? 1.0 : 0.3 + 0.7 * r.Uniform();
      const size_t len = std::max<size_t>(20, static_cast<size_t>(keep * base.size()));
      const size_t start = r.Below(static_cast<uint32_t>(base.size() - len + 1));
      Doc d;
      d.shingles.assign(base.begin() + start, base.begin() + start + len);
      const double change = r.Uniform() * 0.06;  // word change rate, up to 6%
      for (size_t i = 0; i < d.shingles.size(); ++i) {
        if (r.Uniform() < change) {
          for (size_t j = i; j < std::min(i + 5, d.shingles.size()); ++j) d.shingles[j] = r.Next();
        }
      }
      d.set = d.shingles;
      std::sort(d.set.begin(), d.set.end());
      d.set.erase(std::unique(d.set.begin(), d.set.end()), d.set.end());
      docs.push_back(std::move(d));
    }
  }
  return docs;
}

struct ExactOverlap {
  double jaccard;
  double containment;
  size_t shared;
};

ExactOverlap Exact(const Doc& a, const Doc& b) {
  std::vector<uint64_t> both;
  std::set_intersection(a.set.begin(), a.set.end(), b.set.begin(), b.set.end(),
                        std::back_inserter(both));
  const double uni = static_cast<double>(a.set.size() + b.set.size() - both.size());
  return {
      static_cast<double>(both.size()) / uni,
      static_cast<double>(both.size()) / static_cast<double>(std::min(a.set.size(), b.set.size())),
      both.size()};
}

double SCurve(double s, int b, int r) { return 1 - std::pow(1 - std::pow(s, r), b); }

TEST(LshRecallTest, BandCollisionsFollowTheSCurve) {
  const SketchOptions options;
  Sketcher sketcher = *Sketcher::Create(options);
  const std::vector<Doc> docs = MakeCorpus(11, 40, 8);
  std::vector<DocumentSketch> sk;
  for (size_t i = 0; i < docs.size(); ++i) {
    DocumentInput in;
    in.id = static_cast<DocId>(i);
    in.shingles = docs[i].shingles;
    sk.push_back(*sketcher.Sketch(in));
  }
  size_t above = 0, found_above = 0, unrelated_candidates = 0;
  double expected_low = 0;
  size_t low_candidates = 0;
  const double threshold = 0.5;  // SketchOptions: recall >= 0.99 from here
  for (size_t i = 0; i < docs.size(); ++i) {
    for (size_t j = i + 1; j < docs.size(); ++j) {
      bool candidate = false;
      for (size_t b = 0; b < sk[i].band_keys.size(); ++b) {
        candidate |= sk[i].band_keys[b] == sk[j].band_keys[b];
      }
      const double jac = Exact(docs[i], docs[j]).jaccard;
      if (jac >= threshold) {
        ++above;
        found_above += candidate;
      } else if (jac > 0) {
        expected_low += SCurve(jac, options.num_bands, options.rows_per_band);
        low_candidates += candidate;
      } else {
        unrelated_candidates += candidate;
      }
    }
  }
  ASSERT_GT(above, 200u);
  const double recall = static_cast<double>(found_above) / static_cast<double>(above);
  EXPECT_GE(recall, 0.99) << found_above << " of " << above;
  // False candidates below the threshold stay within the S-curve's promise
  // (with slack for sampling noise), and disjoint documents never collide.
  EXPECT_LE(static_cast<double>(low_candidates), 1.2 * expected_low + 10)
      << "expected " << expected_low;
  EXPECT_EQ(unrelated_candidates, 0u);
}

TEST(LshRecallTest, IndexFindsEveryPairTheExactCheckerAccepts) {
  const IndexOptions options;
  Sketcher sketcher = *Sketcher::Create(SketchOptions{});
  DuplicateIndex index = *DuplicateIndex::Create(options, SketchOptions{});
  const std::vector<Doc> docs = MakeCorpus(12, 40, 8);
  for (size_t i = 0; i < docs.size(); ++i) {
    DocumentInput in;
    in.id = static_cast<DocId>(i);
    in.shingles = docs[i].shingles;
    ASSERT_TRUE(index.Add(*sketcher.Sketch(in)));
  }
  size_t want = 0, found = 0, partial_only = 0, wrong = 0;
  for (size_t i = 0; i < docs.size(); ++i) {
    std::vector<DuplicatePair> got = index.PairsOf(static_cast<DocId>(i));
    for (size_t j = i + 1; j < docs.size(); ++j) {
      const ExactOverlap e = Exact(docs[i], docs[j]);
      const bool dup =
          e.shared >= options.min_shared_shingles &&
          (e.jaccard >= options.near_jaccard || e.containment >= options.partial_containment);
      const bool reported = std::any_of(got.begin(), got.end(), [&](const DuplicatePair& p) {
        return p.other == static_cast<DocId>(j);
      });
      want += dup;
      found += dup && reported;
      partial_only += dup && e.jaccard < 0.4;
      wrong += reported && !dup;
    }
  }
  ASSERT_GT(partial_only, 100u) << "the corpus must exercise the containment path";
  EXPECT_GE(static_cast<double>(found) / static_cast<double>(want), 0.99)
      << found << " of " << want;
  EXPECT_EQ(wrong, 0u);
}

}  // namespace
}  // namespace storyline::dedup
