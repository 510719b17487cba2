// FlatMultiMap: a compact multimap from 32-bit keys to 32-bit values (private).
//
// It backs every table of the duplicate index (LSH band tables, anchor
// postings, the exact-body map, the id map), whose entries are small and
// numerous: at a million articles there are tens of millions of them, so a
// node-based std::unordered_multimap (~40 bytes per entry) would blow the
// memory budget. Here an entry is 8 bytes in one flat array.
//
// Layout: Robin Hood linear probing (Celis 1986) with backward-shift deletion.
// Entries sit in order of their home slot, so all entries of one key are
// contiguous and a lookup stops as soon as it meets an entry whose probe
// distance is shorter than its own. That invariant keeps probes short even at
// a 90% load factor. The table grows by 1.5x at 80% load (home = FastRange
// of the mixed key, so any capacity works): the average load stays near
// 0.67, i.e. ~12 bytes per entry. An insert shifts entries up to the next
// empty slot, ~1/(1-load)^2 of them, so the last tenth of load costs more
// insert time (25 slots at 0.8, 100 at 0.9) than it saves memory; measured
// with bench/dedup/dedup_scale, growing at 80% instead of 90% cut the
// insert time of the index by a fifth.
//
// Value 0xFFFFFFFF is reserved (marks an empty slot). Not thread-safe for
// writers; const methods may run concurrently with each other.
#ifndef STORYLINE_SRC_DEDUP_FLAT_MULTIMAP_H_
#define STORYLINE_SRC_DEDUP_FLAT_MULTIMAP_H_

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "dedup/hashing.h"

namespace storyline::dedup::internal {

class FlatMultiMap {
 public:
  static constexpr uint32_t kEmptyValue = 0xFFFFFFFFu;

  explicit FlatMultiMap(size_t initial_capacity = 16) { Reset(initial_capacity); }

  size_t size() const { return size_; }
  size_t capacity() const { return slots_.size(); }
  // Bytes held by the slot array.
  size_t MemoryBytes() const { return slots_.capacity() * sizeof(Slot); }

  // Adds (key, value); duplicates of either are allowed. `value` must not be
  // kEmptyValue.
  void Insert(uint32_t key, uint32_t value) {
    assert(value != kEmptyValue);
    if ((size_ + 1) * 5 > slots_.size() * 4) Grow();
    InsertNoGrow(Slot{Mix32(key), value});
    ++size_;
  }

  // Hints the cache line where `key`'s entries start. Issuing it for every
  // key of a document before looking any up overlaps the cache (and TLB)
  // misses: at a million documents the tables are far larger than the
  // last-level cache, and each lookup is otherwise a serial ~100 ns miss.
  void Prefetch(uint32_t key) const { __builtin_prefetch(slots_.data() + Home(Mix32(key))); }

  // Calls f(value) for every entry of `key`; f returns false to stop early.
  template <typename F>
  void ForEach(uint32_t key, F&& f) const {
    const size_t cap = slots_.size();
    const uint32_t m = Mix32(key);
    size_t pos = Home(m);
    for (size_t dist = 0;; ++dist) {
      const Slot& s = slots_[pos];
      if (s.value == kEmptyValue || Distance(s.key, pos) < dist) return;
      if (s.key == m && !f(s.value)) return;
      if (++pos == cap) pos = 0;
    }
  }

  // Number of entries of `key`, counting at most `limit`.
  size_t Count(uint32_t key, size_t limit = SIZE_MAX) const {
    size_t n = 0;
    ForEach(key, [&](uint32_t) { return ++n < limit; });
    return n;
  }

  // Removes one entry equal to (key, value); returns whether one was found.
  bool Erase(uint32_t key, uint32_t value) {
    const size_t cap = slots_.size();
    const uint32_t m = Mix32(key);
    size_t pos = Home(m);
    for (size_t dist = 0;; ++dist) {
      const Slot& s = slots_[pos];
      if (s.value == kEmptyValue || Distance(s.key, pos) < dist) return false;
      if (s.key == m && s.value == value) break;
      if (++pos == cap) pos = 0;
    }
    // Backward shift: pull every following displaced entry one slot back.
    for (;;) {
      size_t next = pos + 1 == cap ? 0 : pos + 1;
      const Slot& n = slots_[next];
      if (n.value == kEmptyValue || Distance(n.key, next) == 0) break;
      slots_[pos] = n;
      pos = next;
    }
    slots_[pos] = Slot{0, kEmptyValue};
    --size_;
    return true;
  }

  // Removes every entry for which drop(key, value) is true, in one pass that
  // rebuilds the array (used to sweep evicted documents in bulk). Returns the
  // number removed.
  template <typename Pred>
  size_t EraseIf(Pred drop) {
    std::vector<Slot> old;
    old.swap(slots_);
    size_t kept = 0;
    for (const Slot& s : old) {
      if (s.value != kEmptyValue && !drop(Unmix32(s.key), s.value)) ++kept;
    }
    const size_t removed = size_ - kept;
    Reset(kept * 4 / 3 + 16);
    for (const Slot& s : old) {
      if (s.value != kEmptyValue && !drop(Unmix32(s.key), s.value)) InsertNoGrow(s);
    }
    size_ = kept;
    return removed;
  }

  // Calls f(key, value) for every entry, in slot order.
  template <typename F>
  void ForAll(F&& f) const {
    for (const Slot& s : slots_) {
      if (s.value != kEmptyValue) f(Unmix32(s.key), s.value);
    }
  }

 private:
  struct Slot {
    uint32_t key;
    uint32_t value;
  };

  // Slots hold the mixed key m = Mix32(key) (a bijection, so equality is
  // preserved): the home is then one multiply, and it is recomputed for
  // every slot a probe passes.
  size_t Home(uint32_t m) const { return static_cast<size_t>(FastRange64(m, slots_.size())); }
  size_t Distance(uint32_t m, size_t pos) const {
    const size_t home = Home(m);
    return pos >= home ? pos - home : pos + slots_.size() - home;
  }

  void Reset(size_t capacity) {
    if (capacity < 16) capacity = 16;
    slots_.assign(capacity, Slot{0, kEmptyValue});
    slots_.shrink_to_fit();
    size_ = 0;
  }

  void InsertNoGrow(Slot in) {
    const size_t cap = slots_.size();
    size_t pos = Home(in.key);
    size_t dist = 0;
    for (;;) {
      Slot& s = slots_[pos];
      if (s.value == kEmptyValue) {
        s = in;
        return;
      }
      const size_t d = Distance(s.key, pos);
      if (d < dist) {  // Robin Hood: the poorer entry takes the slot.
        std::swap(s, in);
        dist = d;
      }
      if (++pos == cap) pos = 0;
      ++dist;
    }
  }

  void Grow() {
    std::vector<Slot> old;
    old.swap(slots_);
    const size_t n = size_;
    Reset(old.size() + old.size() / 2);
    for (const Slot& s : old) {
      if (s.value != kEmptyValue) InsertNoGrow(s);
    }
    size_ = n;
  }

  std::vector<Slot> slots_;
  size_t size_ = 0;
};

}  // namespace storyline::dedup::internal

#endif  // STORYLINE_SRC_DEDUP_FLAT_MULTIMAP_H_
