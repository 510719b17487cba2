// The clusterer's working data: an arriving article's scoring vectors
// (Doc), the bounded centroids and member sketches of a live story or
// storyline (Cluster), and a level of such clusters with its term index and
// recency order (Level). Plain data shared by the clusterer
// (story_clusterer.cc), its TF-IDF geometry (term_space.h) and its state
// codec (cluster_codec.h). Not part of the public API.
#ifndef STORYLINE_SRC_CLUSTER_CLUSTER_TYPES_H_
#define STORYLINE_SRC_CLUSTER_CLUSTER_TYPES_H_

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "cluster/features.h"
#include "cluster/flat_postings.h"
#include "storyline/core/date.h"

namespace storyline::cluster::internal {

inline constexpr double kSecondsPerDay = 86400.0;

// One article's field vector ready for scoring: unit-length TF (what the
// centroid accumulates) and TF-IDF weights with the IDF used.
struct DocTerm {
  std::uint64_t term;
  float tf;      // 1 + ln tf, scaled to unit length over the field
  float weight;  // tf * idf
  float idf;
};
struct DocVector {
  std::vector<DocTerm> terms;  // sorted by term
  double norm = 0.0;           // L2 norm of the TF-IDF weights
};

struct Doc {
  std::array<DocVector, kFieldCount> fields;
  bool headline = false;  // no body: the title is all there is
  std::string lang;
  std::vector<std::pair<std::uint64_t, std::string>> labels;
};

// Centroid field: sums of the members' unit TF vectors, top terms only.
struct CentroidField {
  SparseVector terms;  // sorted by term
  double norm = 0.0;   // L2 norm of weight * idf, at norm_docs documents
};

struct Span {
  std::optional<Timestamp> first;
  std::optional<Timestamp> last;

  void Add(std::optional<Timestamp> t) {
    if (!t) return;
    first = first ? std::min(*first, *t) : *t;
    last = last ? std::max(*last, *t) : *t;
  }
  void Add(const Span& other) {
    Add(other.first);
    Add(other.last);
  }
  // Days from `t` to [first, last]; nullopt when either side is undated.
  std::optional<double> DistanceDays(std::optional<Timestamp> t) const {
    if (!t || !first) return std::nullopt;
    if (*t < *first) return static_cast<double>(*first - *t) / kSecondsPerDay;
    if (*t > *last) return static_cast<double>(*t - *last) / kSecondsPerDay;
    return 0.0;
  }
  std::optional<double> DistanceDays(const Span& other) const {
    if (!other.first || !first) return std::nullopt;
    if (*other.last < *first) return static_cast<double>(*first - *other.last) / kSecondsPerDay;
    if (*other.first > *last) return static_cast<double>(*other.first - *last) / kSecondsPerDay;
    return 0.0;
  }
};

// Live story (or storyline: the same shape, fewer fields used).
struct Cluster {
  std::uint64_t serial = 0;  // creation number; ids and tie-breaks
  std::string id;
  std::uint32_t parent = 0;  // story: slot of its storyline
  std::array<CentroidField, kFieldCount> centroid;
  // Story: body-word sketches of sampled members, the first article first.
  std::vector<CentroidField> samples;
  std::uint64_t norm_docs = 0;
  Span span;
  std::vector<std::string> articles;  // story: member ids
  std::vector<std::string> languages;
  std::vector<std::pair<std::uint64_t, std::string>> labels;  // sorted by term
  std::vector<std::uint64_t> indexed;                         // sorted
  std::uint64_t last_seq = 0;    // article sequence number of the last update
  Timestamp last_clock = 0;      // stream clock at the last update
  std::uint64_t repair_seq = 0;  // last_seq when last checked by Repair
  std::uint32_t members = 0;     // storyline: its live stories
  std::uint32_t headlines = 0;   // story: members that are headlines alone
  bool alive = false;
  bool queued = false;           // story: in State::repair_queue (not serialised)
  bool recheck_pending = false;  // story: in State::recheck (not serialised)
};

// True when both clusters know their languages and share none: reports of
// one happening in two languages meet only on their names, numbers and
// English pivot words.
inline bool LanguagesDisjoint(const Cluster& x, const Cluster& y) {
  if (x.languages.empty() || y.languages.empty()) return false;
  for (const std::string& l : x.languages) {
    for (const std::string& m : y.languages) {
      if (l == m) return false;
    }
  }
  return true;
}

// Index of live clusters by term (Miranda et al. retrieve candidate
// clusters by shared features instead of comparing with every cluster).
using Postings = FlatPostings;

// One level of clusters (stories, or storylines) with slots, index and LRU.
struct Level {
  std::vector<Cluster> slots;
  std::vector<std::uint32_t> free;
  std::unordered_map<std::string, std::uint32_t> by_id;
  Postings index;
  // (last_seq, serial, slot): least recently updated first, ties by age.
  std::set<std::tuple<std::uint64_t, std::uint64_t, std::uint32_t>> lru;
  std::uint64_t next_serial = 1;
  std::size_t live = 0;

  std::uint32_t Allocate() {
    if (!free.empty()) {
      std::uint32_t slot = free.back();
      free.pop_back();
      return slot;
    }
    slots.emplace_back();
    return static_cast<std::uint32_t>(slots.size() - 1);
  }
};

// exp(-d^2 / 2 sigma^2): 1 at no distance, falling with the days apart.
inline double Gaussian(double days, double sigma) {
  return std::exp(-days * days / (2 * sigma * sigma));
}

// "s00000042": a cluster's id from its level's prefix and its serial.
inline std::string FormatId(char prefix, std::uint64_t serial) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%c%08llu", prefix, static_cast<unsigned long long>(serial));
  return buf;
}

}  // namespace storyline::cluster::internal

#endif  // STORYLINE_SRC_CLUSTER_CLUSTER_TYPES_H_
