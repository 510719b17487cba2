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
#include <utility>
#include <vector>

#include "cluster/cluster_types.h"
#include "core/byte_codec.h"
#include "cluster/term_space.h"
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

}  // namespace storyline::cluster::internal

#endif  // STORYLINE_SRC_CLUSTER_CLUSTER_CODEC_H_
