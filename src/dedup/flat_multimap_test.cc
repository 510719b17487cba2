#include "dedup/flat_multimap.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <vector>

#include "corpus/synth.h"

namespace storyline::dedup::internal {
namespace {

using tools::corpus::SynthRandom;

std::vector<uint32_t> Values(const FlatMultiMap& m, uint32_t key) {
  std::vector<uint32_t> v;
  m.ForEach(key, [&](uint32_t x) {
    v.push_back(x);
    return true;
  });
  std::sort(v.begin(), v.end());
  return v;
}

TEST(FlatMultiMapTest, KeepsEveryValueOfAKey) {
  FlatMultiMap m;
  m.Insert(7, 1);
  m.Insert(7, 2);
  m.Insert(8, 3);
  m.Insert(7, 2);
  EXPECT_EQ(Values(m, 7), (std::vector<uint32_t>{1, 2, 2}));
  EXPECT_EQ(Values(m, 8), (std::vector<uint32_t>{3}));
  EXPECT_TRUE(Values(m, 9).empty());
  EXPECT_EQ(m.Count(7), 3u);
  EXPECT_EQ(m.Count(7, 2), 2u);
  EXPECT_TRUE(m.Erase(7, 2));
  EXPECT_FALSE(m.Erase(7, 5));
  EXPECT_EQ(Values(m, 7), (std::vector<uint32_t>{1, 2}));
  EXPECT_EQ(m.size(), 3u);
}

// Random inserts, erases and sweeps against std::multimap, with few distinct
// keys so that long runs of one key and wrap-around are exercised.
TEST(FlatMultiMapTest, AgreesWithStdMultimapUnderRandomOperations) {
  for (uint32_t key_space : {5u, 300u, 100000u}) {
    FlatMultiMap m;
    std::multimap<uint32_t, uint32_t> ref;
    SynthRandom r(key_space);
    for (int step = 0; step < 20000; ++step) {
      const uint32_t key = r.Below(key_space);
      const uint32_t op = r.Below(10);
      if (op < 6) {
        const uint32_t value = r.Below(1000);
        m.Insert(key, value);
        ref.emplace(key, value);
      } else if (op < 9) {
        auto [lo, hi] = ref.equal_range(key);
        if (lo != hi) {
          const uint32_t value = lo->second;
          EXPECT_TRUE(m.Erase(key, value));
          ref.erase(lo);
        }
      } else if (step % 1000 == 999) {
        const uint32_t drop = r.Below(1000);
        m.EraseIf([&](uint32_t, uint32_t v) { return v % 7 == drop % 7; });
        std::erase_if(ref, [&](const auto& kv) { return kv.second % 7 == drop % 7; });
      }
      ASSERT_EQ(m.size(), ref.size());
    }
    for (uint32_t key = 0; key < std::min(key_space, 2000u); ++key) {
      std::vector<uint32_t> want;
      auto [lo, hi] = ref.equal_range(key);
      for (auto it = lo; it != hi; ++it) want.push_back(it->second);
      std::sort(want.begin(), want.end());
      ASSERT_EQ(Values(m, key), want) << "key " << key << " of " << key_space;
    }
  }
}

TEST(HashingTest, Unmix32InvertsMix32) {
  SynthRandom r(1);
  for (int i = 0; i < 100000; ++i) {
    const uint32_t x = static_cast<uint32_t>(r.Next());
    ASSERT_EQ(Unmix32(Mix32(x)), x);
  }
  EXPECT_EQ(Unmix32(Mix32(0)), 0u);
  EXPECT_EQ(Unmix32(Mix32(0xFFFFFFFFu)), 0xFFFFFFFFu);
}

TEST(FlatMultiMapTest, SweepSeesOriginalKeys) {
  FlatMultiMap m;
  for (uint32_t i = 0; i < 1000; ++i) m.Insert(i, i + 1);
  EXPECT_EQ(
      m.EraseIf([](uint32_t key, uint32_t value) { return key % 2 == 0 && value == key + 1; }),
      500u);
  size_t seen = 0;
  m.ForAll([&](uint32_t key, uint32_t value) {
    EXPECT_EQ(key % 2, 1u);
    EXPECT_EQ(value, key + 1);
    ++seen;
  });
  EXPECT_EQ(seen, 500u);
}

TEST(FlatMultiMapTest, StaysDenseWhileGrowing) {
  FlatMultiMap m;
  for (uint32_t i = 0; i < 100000; ++i) m.Insert(i * 2654435761u, i);
  // Growth by 1.5x at 80% load: never below 53% full.
  EXPECT_GE(static_cast<double>(m.size()) / static_cast<double>(m.capacity()), 0.53);
  EXPECT_LE(m.MemoryBytes(), 100000u * 8 * 100 / 53 + 64);
}

}  // namespace
}  // namespace storyline::dedup::internal
