// Small hashing primitives shared by the dedup module (private header).
//
// Every derived value in the module (fingerprints, OPH bins, band keys,
// hash-table homes) comes from these bijective mixers, so that the quality of
// the caller's shingle hashes does not matter: a weak hash (even the identity
// on small integers) is spread over 64 bits before it is used.
#ifndef STORYLINE_SRC_DEDUP_HASHING_H_
#define STORYLINE_SRC_DEDUP_HASHING_H_

#include <cstdint>

#include "core/hash.h"

namespace storyline::dedup::internal {

// The library's one 64-bit mixer (core/hash.h).
using storyline::internal::Mix64;

// A cheaper 32-bit bijection (Wellons' "lowbias32") for hash-table homes.
inline uint32_t Mix32(uint32_t x) {
  x ^= x >> 16;
  x *= 0x7feb352dU;
  x ^= x >> 15;
  x *= 0x846ca68bU;
  x ^= x >> 16;
  return x;
}

// Inverse of Mix32.
inline uint32_t Unmix32(uint32_t x) {
  x ^= x >> 16;
  x *= 0x43021123U;
  x ^= x >> 15 ^ x >> 30;
  x *= 0x1d69e2a5U;
  x ^= x >> 16;
  return x;
}

// Maps a uniform 32-bit value onto [0, n) without a division (Lemire 2019,
// "Fast random integer generation in an interval"): the high half of x*n.
inline uint32_t FastRange32(uint32_t x, uint32_t n) {
  return static_cast<uint32_t>((static_cast<uint64_t>(x) * n) >> 32);
}

// Same for 64-bit table sizes.
inline uint64_t FastRange64(uint32_t x, uint64_t n) { return (static_cast<uint64_t>(x) * n) >> 32; }

}  // namespace storyline::dedup::internal

#endif  // STORYLINE_SRC_DEDUP_HASHING_H_
