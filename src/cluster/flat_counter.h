// A counter from 64-bit term hashes to 32-bit counts: open addressing with
// linear probing, for the document-frequency table that every article reads
// hundreds of times (std::unordered_map's node per entry costs a cache miss
// per lookup).
//
// Key 0 marks an empty slot; the term hash 0 is stored as 1 (a collision
// of one hash value in 2^64, harmless for IDF). Not thread-safe.
//
// The counter remembers which counts changed since TakeChanged() (a flag in
// each slot's padding), so that a saved table is brought up to date with
// the counts that moved instead of being written whole.
#ifndef STORYLINE_SRC_CLUSTER_FLAT_COUNTER_H_
#define STORYLINE_SRC_CLUSTER_FLAT_COUNTER_H_

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

namespace storyline::cluster::internal {

class FlatCounter {
 public:
  FlatCounter() : slots_(1024) {}

  // The count of `key`, 0 when absent.
  std::uint32_t Get(std::uint64_t key) const {
    key = Fix(key);
    for (std::size_t i = Home(key);; i = (i + 1) & (slots_.size() - 1)) {
      const Slot& s = slots_[i];
      if (s.key == key) return s.count;
      if (s.key == 0) return 0;
    }
  }

  // Adds one to `key`'s count and returns the new count.
  std::uint32_t Increment(std::uint64_t key) {
    Slot& s = Find(key);
    s.changed = 1;
    return ++s.count;
  }

  // A hint that `key` is looked up soon: a large table misses the cache on
  // nearly every lookup, and an article's few hundred terms can have their
  // misses in flight together.
  void Prefetch(std::uint64_t key) const { __builtin_prefetch(&slots_[Home(Fix(key))]); }
  void Set(std::uint64_t key, std::uint32_t count) {
    Slot& s = Find(key);
    s.changed = 1;
    s.count = count;
  }

  // Empties the table (a change of every key).
  void Clear() {
    slots_.assign(1024, Slot());
    slots_.shrink_to_fit();
    size_ = 0;
    dropped_ = true;
  }

  // Halves every count (rounding down) and drops the keys left at zero:
  // the decay that keeps a stream's table bounded by its recent
  // vocabulary. The table keeps its allocation (the next period refills
  // it; a fresh one each time would leave the allocator's heap
  // fragmented) unless it became far too large for what remains.
  void Halve() {
    std::size_t survivors = 0;
    for (const Slot& s : slots_) survivors += s.key != 0 && s.count >= 2;
    std::vector<Slot> kept;
    kept.reserve(survivors);
    for (const Slot& s : slots_) {
      if (s.key != 0 && s.count >= 2) kept.push_back({s.key, s.count / 2, 1});
    }
    std::size_t capacity = slots_.size();
    while (capacity > 1024 && kept.size() * 16 < capacity) capacity /= 2;
    if (capacity == slots_.size()) {
      std::fill(slots_.begin(), slots_.end(), Slot());
    } else {
      slots_.assign(capacity, Slot());
      slots_.shrink_to_fit();
    }
    for (const Slot& s : kept) {
      for (std::size_t i = Home(s.key);; i = (i + 1) & (slots_.size() - 1)) {
        if (slots_[i].key == 0) {
          slots_[i] = s;
          break;
        }
      }
    }
    size_ = kept.size();
    dropped_ = true;
  }

  std::size_t size() const { return size_; }
  std::size_t capacity_bytes() const { return slots_.size() * sizeof(Slot); }

  // The (key, count) pairs changed since the last call, in no particular
  // order, and clears the marks. `*whole` is set when keys were dropped
  // meanwhile (Halve, Clear): the pairs are then the whole table.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> TakeChanged(bool* whole) {
    *whole = dropped_;
    std::vector<std::pair<std::uint64_t, std::uint32_t>> out;
    for (Slot& s : slots_) {
      if (s.key != 0 && (s.changed != 0 || dropped_)) out.emplace_back(s.key, s.count);
      s.changed = 0;
    }
    dropped_ = false;
    return out;
  }

  // All (key, count) pairs, in no particular order.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> Items() const {
    std::vector<std::pair<std::uint64_t, std::uint32_t>> out;
    out.reserve(size_);
    for (const Slot& s : slots_) {
      if (s.key != 0) out.emplace_back(s.key, s.count);
    }
    return out;
  }

 private:
  struct Slot {
    std::uint64_t key = 0;
    std::uint32_t count = 0;
    std::uint32_t changed = 0;  // 1: count changed since TakeChanged
  };

  static std::uint64_t Fix(std::uint64_t key) { return key == 0 ? 1 : key; }
  std::size_t Home(std::uint64_t key) const {
    // Keys are already well-mixed hashes (features.cc); take high bits.
    return static_cast<std::size_t>(key >> 20) & (slots_.size() - 1);
  }

  Slot& Find(std::uint64_t key) {
    key = Fix(key);
    if ((size_ + 1) * 4 > slots_.size() * 3) Grow();
    for (std::size_t i = Home(key);; i = (i + 1) & (slots_.size() - 1)) {
      Slot& s = slots_[i];
      if (s.key == key) return s;
      if (s.key == 0) {
        s.key = key;
        ++size_;
        return s;
      }
    }
  }

  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.size() * 2, Slot());
    for (const Slot& s : old) {
      if (s.key == 0) continue;
      for (std::size_t i = Home(s.key);; i = (i + 1) & (slots_.size() - 1)) {
        if (slots_[i].key == 0) {
          slots_[i] = s;
          break;
        }
      }
    }
  }

  std::vector<Slot> slots_;
  std::size_t size_ = 0;
  bool dropped_ = false;  // keys dropped since TakeChanged
};

}  // namespace storyline::cluster::internal

#endif  // STORYLINE_SRC_CLUSTER_FLAT_COUNTER_H_
