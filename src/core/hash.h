// The one 64-bit mixer and byte hash every module derives its keys from
// (private to the libraries).
//
//   std::uint64_t k = internal::Mix64(x);             // spread an integer
//   std::uint64_t h = internal::Mix64(internal::Fnv1a64(bytes));  // hash bytes
//
// Both are fixed functions, the same on every platform and in every run, so
// the keys they make can be persisted (the chrome model's line keys, the
// sketches' fingerprints); changing either one changes those formats.
#ifndef STORYLINE_SRC_CORE_HASH_H_
#define STORYLINE_SRC_CORE_HASH_H_

#include <cstdint>
#include <string_view>

namespace storyline::internal {

// The finaliser of SplitMix64 (Steele, Lea & Flood 2014; Stafford's
// "Mix13" constants): a bijection on 64 bits with full avalanche, so a weak
// input hash (even small integers) comes out spread over all bits.
inline std::uint64_t Mix64(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

inline constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
inline constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;

// FNV-1a over `bytes` from state `h` (Fowler, Noll & Vo): cheap and
// byte-order free, but weak in its high bits, hence mixed by callers.
inline std::uint64_t Fnv1a64(std::string_view bytes, std::uint64_t h = kFnvOffset) {
  for (char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= kFnvPrime;
  }
  return h;
}

}  // namespace storyline::internal

#endif  // STORYLINE_SRC_CORE_HASH_H_
