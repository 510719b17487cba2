// The clusterer's inverted index: 64-bit term hash -> the slots of the live
// clusters indexed under it. Open addressing with linear probing and
// backward-shift deletion (no tombstones, so a table that sees as many
// erases as inserts, as this one does, never degrades), in one flat array:
// a lookup is one or two cache lines instead of std::unordered_map's bucket
// and node. Each list is a small vector in its entry; order within a list
// is not meaningful (an erase moves the last slot into the hole).
//
// Key 0 marks an empty entry; the term hash 0 is stored as 1 (one hash
// value in 2^64, harmless for candidate retrieval). Not thread-safe.
#ifndef STORYLINE_SRC_CLUSTER_FLAT_POSTINGS_H_
#define STORYLINE_SRC_CLUSTER_FLAT_POSTINGS_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace storyline::cluster::internal {

class FlatPostings {
 public:
  FlatPostings() : entries_(64) {}

  // The slots indexed under `term`, or nullptr when none.
  const std::vector<std::uint32_t>* Find(std::uint64_t term) const {
    term = Fix(term);
    for (std::size_t i = Home(term);; i = Next(i)) {
      const Entry& e = entries_[i];
      if (e.key == term) return &e.slots;
      if (e.key == 0) return nullptr;
    }
  }

  void Insert(std::uint64_t term, std::uint32_t slot) {
    term = Fix(term);
    if ((size_ + 1) * 4 > entries_.size() * 3) Grow();
    std::size_t i = Home(term);
    while (entries_[i].key != 0 && entries_[i].key != term) i = Next(i);
    Entry& e = entries_[i];
    if (e.key == 0) {
      e.key = term;
      ++size_;
    }
    e.slots.push_back(slot);
  }

  // Removes `slot` from `term`'s list; the term goes when its list empties.
  void Erase(std::uint64_t term, std::uint32_t slot) {
    term = Fix(term);
    std::size_t i = Home(term);
    while (entries_[i].key != term) {
      if (entries_[i].key == 0) return;
      i = Next(i);
    }
    std::vector<std::uint32_t>& v = entries_[i].slots;
    auto pos = std::find(v.begin(), v.end(), slot);
    if (pos == v.end()) return;
    *pos = v.back();
    v.pop_back();
    if (v.empty()) Remove(i);
  }

  std::size_t size() const { return size_; }

  // Bytes held: the table and the lists.
  std::size_t capacity_bytes() const {
    std::size_t bytes = entries_.capacity() * sizeof(Entry);
    for (const Entry& e : entries_) bytes += e.slots.capacity() * sizeof(std::uint32_t);
    return bytes;
  }

 private:
  struct Entry {
    std::uint64_t key = 0;
    std::vector<std::uint32_t> slots;
  };

  static std::uint64_t Fix(std::uint64_t key) { return key == 0 ? 1 : key; }
  // Term hashes are well mixed (features.cc); the high bits pick the home.
  std::size_t Home(std::uint64_t key) const {
    return static_cast<std::size_t>(key >> 24) & (entries_.size() - 1);
  }
  std::size_t Next(std::size_t i) const { return (i + 1) & (entries_.size() - 1); }

  // Backward-shift deletion (Knuth 6.4, algorithm R): later entries of the
  // probe run move up into the hole so every lookup still finds them.
  void Remove(std::size_t hole) {
    entries_[hole].key = 0;
    entries_[hole].slots = {};
    --size_;
    for (std::size_t i = Next(hole); entries_[i].key != 0; i = Next(i)) {
      const std::size_t home = Home(entries_[i].key);
      // Entry i may move to the hole when its home is not cyclically in
      // (hole, i].
      const bool stays = hole <= i ? (home > hole && home <= i) : (home > hole || home <= i);
      if (stays) continue;
      entries_[hole] = std::move(entries_[i]);
      entries_[i].key = 0;
      entries_[i].slots = {};
      hole = i;
    }
  }

  void Grow() {
    std::vector<Entry> old = std::move(entries_);
    entries_ = std::vector<Entry>(old.size() * 2);
    for (Entry& e : old) {
      if (e.key == 0) continue;
      std::size_t i = Home(e.key);
      while (entries_[i].key != 0) i = Next(i);
      entries_[i] = std::move(e);
    }
  }

  std::vector<Entry> entries_;
  std::size_t size_ = 0;
};

}  // namespace storyline::cluster::internal

#endif  // STORYLINE_SRC_CLUSTER_FLAT_POSTINGS_H_
