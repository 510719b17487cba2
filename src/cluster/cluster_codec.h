// The byte format of the clusterer's saved state (StoryClusterer::Serialize
// and Restore): the stream counters, the document frequencies and every
// live storyline and story with its centroids, sketches and index terms.
//
//   ByteWriter w;
//   EncodeState(space, seq, clock, storylines, stories, &w);
//   TermSpace restored(halving_docs);
//   Result<SavedState> back = DecodeState(w.bytes(), &restored);
//
// Versions 1 to 4 are read; version 4 is written (see cluster_codec.cc for
// what each added). Not part of the public API.
#ifndef STORYLINE_SRC_CLUSTER_CLUSTER_CODEC_H_
#define STORYLINE_SRC_CLUSTER_CLUSTER_CODEC_H_

#include <cstdint>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "cluster/cluster_types.h"
#include "cluster/term_space.h"
#include "core/byte_codec.h"
#include "storyline/core/result.h"

namespace storyline::cluster::internal {

using storyline::internal::ByteReader;
using storyline::internal::ByteWriter;

// A cluster as saved: its parent named by serial (stories only).
struct SavedCluster {
  Cluster cluster;  // id, parent, alive and the index are not saved
  std::uint64_t parent_serial = 0;
};

struct SavedLevel {
  std::uint64_t next_serial = 1;
  std::vector<SavedCluster> clusters;  // oldest first
};

struct SavedState {
  std::uint64_t seq = 0;  // articles added
  std::optional<Timestamp> clock;
  SavedLevel storylines;
  SavedLevel stories;
};

// Writes the document frequencies of `space`, the counters and the live
// clusters of `storylines` and `stories` (oldest first).
void EncodeState(const TermSpace& space, std::uint64_t seq, std::optional<Timestamp> clock,
                 const Level& storylines, const Level& stories, ByteWriter* w);

// Reads a state: its document frequencies and counts into `space` (a fresh
// one), the rest returned. Errors: kInvalidInput when `bytes` is not a state
// of a known version.
Result<SavedState> DecodeState(std::string_view bytes, TermSpace* space);

// Saving in steps. A store holds one whole state and, after it, change
// records: each brings the state saved before it up to the state at its
// save (the counters, the document frequencies that moved, the clusters
// added, changed or gone). A batch then writes what it changed, not the
// whole window.
//
//   SavedMark mark;  MarkState(&space, storylines, stories, &mark);  // as stored
//   ... articles added ...
//   bool whole = EncodeSave(&space, seq, clock, storylines, stories, &mark, limit, &w);
//   ApplyChanges(record, &saved, &restored_space);  // on a decoded whole state
//
// What the store holds of the clusters, as of the last save: by serial, a
// hash of each live cluster's bytes without its cached IDF, and one of the
// cache (a refresh of the cache alone is saved as the cache alone). The
// document frequencies keep their own marks: TermSpace::TakeChangedCounts.
using SavedHashes = std::unordered_map<std::uint64_t, std::pair<std::uint64_t, std::uint64_t>>;
struct SavedMark {
  SavedHashes storylines;
  SavedHashes stories;
};

// Sets `mark` to the clusters as they are and clears the marks of the
// document frequencies in `space`: the state as it is counts as stored.
void MarkState(TermSpace* space, const Level& storylines, const Level& stories, SavedMark* mark);

// Writes a change record from the state `mark` describes to the state as it
// is, or the whole state (EncodeState's bytes) when the record would take
// more than `max_changes` bytes; true for the whole state. Moves `mark` (and
// the marks of `space`) to the state as it is. A cluster whose cached IDF
// alone was refreshed goes into the record as the cache alone.
bool EncodeSave(TermSpace* space, std::uint64_t seq, std::optional<Timestamp> clock,
                const Level& storylines, const Level& stories, SavedMark* mark,
                std::size_t max_changes, ByteWriter* w);

// Applies a change record to `state` (decoded from the whole state the
// record follows, with the records before it applied) and its document
// frequencies to `space`. Errors: kInvalidInput when `bytes` is not a
// change record or names a story's storyline that is not live.
Status ApplyChanges(std::string_view bytes, SavedState* state, TermSpace* space);

}  // namespace storyline::cluster::internal

#endif  // STORYLINE_SRC_CLUSTER_CLUSTER_CODEC_H_
