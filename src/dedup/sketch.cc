#include "storyline/dedup/sketch.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "core/byte_codec.h"
#include "dedup/hashing.h"

namespace storyline::dedup {
namespace {

using internal::FastRange32;
using internal::Mix64;

constexpr uint32_t kMagic = 0x53444c53;  // "SLDS" little-endian
// 2: fingerprints, signatures and anchors from the library's one mixer
// (core/hash.h) instead of MurmurHash3's finaliser. A store holding version
// 1 sketches recomputes them from the stored bodies on opening.
// 3: the same values, packed (see Serialize); 2 is still read, and written
// for a sketch that 3 cannot hold.
constexpr uint32_t kPlainFormat = 2;
constexpr uint32_t kPackedFormat = 3;
constexpr size_t kHeaderBytes = 48;
constexpr uint32_t kMaxSignature = 4096;

// Sorts (fingerprint << 32 | position) keys, whose fingerprints are
// uniformly distributed, in expected linear time: one counting pass scatters
// them by the fingerprint's top bits into about one bucket per key, then an
// insertion sort finishes the nearly sorted array (each key moves only
// within its bucket). Sorting is the largest single cost of a sketch; for
// the ~650 shingles of an article this is several times faster than
// std::sort. Carrying the position along gives, in the same pass, the rank
// of every shingle of the document in its sorted set (for evidence).
void SortKeys(std::vector<uint64_t>& v) {
  const size_t n = v.size();
  if (n < 64) {
    std::sort(v.begin(), v.end());
    return;
  }
  int bits = 8;
  while (bits < 16 && (size_t{1} << bits) < n) ++bits;
  const int shift = 64 - bits;
  thread_local std::vector<uint32_t> count;
  thread_local std::vector<uint64_t> tmp;
  count.assign((size_t{1} << bits) + 1, 0);
  for (uint64_t x : v) ++count[(x >> shift) + 1];
  for (size_t i = 1; i < count.size(); ++i) count[i] += count[i - 1];
  tmp.resize(n);
  for (uint64_t x : v) tmp[count[x >> shift]++] = x;
  for (size_t i = 1; i < n; ++i) {
    const uint64_t x = tmp[i];
    size_t j = i;
    while (j > 0 && tmp[j - 1] > x) {
      tmp[j] = tmp[j - 1];
      --j;
    }
    tmp[j] = x;
  }
  v.swap(tmp);  // both buffers are reused: no allocation in steady state
}

// Winnowing (Schleimer, Wilkerson & Aiken 2003, "robust winnowing"): in every
// window of w consecutive fingerprints select the minimum. Two documents that
// share a run of >= w consecutive shingles share the window minimum of that
// run, so they share an anchor: the guarantee that plain "hash mod M == 0"
// sampling lacks. Only the set of selected values is kept (sorted, unique),
// so the window minima are computed with the van Herk / Gil-Werman scheme:
// minima of each block of w from the left and from the right give the
// minimum of any window of w as min(from_right[i], from_left[i + w - 1]), in
// three branch-free passes (a monotone deque costs a mispredicted branch per
// fingerprint).
std::vector<uint32_t> Winnow(const std::vector<uint32_t>& fp, uint32_t w) {
  std::vector<uint32_t> out;
  const size_t n = fp.size();
  if (n == 0) return out;
  if (n <= w) {
    out.push_back(*std::min_element(fp.begin(), fp.end()));
    return out;
  }
  thread_local std::vector<uint32_t> left, right;
  left.resize(n);
  right.resize(n);
  for (size_t b = 0; b < n; b += w) {
    const size_t e = std::min<size_t>(b + w, n);
    left[b] = fp[b];
    for (size_t i = b + 1; i < e; ++i) left[i] = std::min(left[i - 1], fp[i]);
    right[e - 1] = fp[e - 1];
    for (size_t i = e - 1; i > b; --i) right[i - 1] = std::min(right[i], fp[i - 1]);
  }
  out.reserve(2 * n / (w + 1) + 2);
  uint32_t last = 0;
  for (size_t i = 0; i + w <= n; ++i) {
    const uint32_t m = std::min(right[i], left[i + w - 1]);
    if (out.empty() || m != last) out.push_back(m);
    last = m;
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// LSB-first bit packing of a format-3 sketch's body.
class BitWriter {
 public:
  explicit BitWriter(std::string* out) : out_(out) {}
  // The low `bits` (<= 32) bits of `value`.
  void Put(uint64_t value, unsigned bits) {
    acc_ |= (value & ((uint64_t{1} << bits) - 1)) << used_;
    used_ += bits;
    while (used_ >= 8) {
      out_->push_back(static_cast<char>(acc_ & 0xFF));
      acc_ >>= 8;
      used_ -= 8;
    }
  }
  // `n` one bits, then a zero: n in unary.
  void Unary(uint64_t n) {
    for (; n >= 32; n -= 32) Put(0xFFFFFFFFu, 32);
    Put((uint64_t{1} << n) - 1, static_cast<unsigned>(n) + 1);
  }
  void Finish() {
    if (used_ > 0) out_->push_back(static_cast<char>(acc_ & 0xFF));
    acc_ = 0;
    used_ = 0;
  }

 private:
  std::string* out_;
  uint64_t acc_ = 0;
  unsigned used_ = 0;
};

class BitReader {
 public:
  explicit BitReader(std::string_view bytes) : bytes_(bytes) {}
  bool Get(unsigned bits, uint32_t* value) {
    while (used_ < bits) {
      if (pos_ >= bytes_.size()) return false;
      acc_ |= uint64_t{static_cast<uint8_t>(bytes_[pos_++])} << used_;
      used_ += 8;
    }
    *value = static_cast<uint32_t>(acc_ & ((uint64_t{1} << bits) - 1));
    acc_ >>= bits;
    used_ -= bits;
    return true;
  }
  // A unary count of at most `limit`.
  bool Unary(uint64_t limit, uint64_t* n) {
    *n = 0;
    while (true) {
      uint32_t bit = 0;
      if (!Get(1, &bit)) return false;
      if (bit == 0) return true;
      if (++*n > limit) return false;
    }
  }
  // Every byte read, and the bits left of the last one zero (padding).
  bool AtEnd() const { return pos_ == bytes_.size() && acc_ == 0; }

 private:
  std::string_view bytes_;
  size_t pos_ = 0;
  uint64_t acc_ = 0;
  unsigned used_ = 0;
};

// Bits to write any position among `n` values.
unsigned PositionBits(size_t n) {
  unsigned bits = 1;
  while (bits < 32 && (size_t{1} << bits) < n) ++bits;
  return bits;
}

// The Rice parameter for `n` fingerprints spread over 2^32: the base-2 log
// of their mean gap (Golomb 1966; Rice 1979), which makes a gap cost about
// k + 2 bits.
unsigned RiceBits(size_t n) {
  unsigned k = 0;
  while (k < 31 && (uint64_t{1} << (k + 1)) * (n + 1) <= (uint64_t{1} << 32)) ++k;
  return k;
}

// The body of a format-3 sketch (after the header): see Serialize.
Status LoadPacked(std::string_view body, uint32_t n_sig, uint32_t n_anchor, uint32_t n_shingle,
                  DocumentSketch* out) {
  auto fail = [](const char* why) { return MakeError(ErrorCode::kInvalidInput, why); };
  if (body.empty()) return fail("truncated body");
  const unsigned k = static_cast<uint8_t>(body[0]);
  if (k != RiceBits(n_shingle)) return fail("bad gap parameter");
  // Each fingerprint takes at least k + 1 bits: a count the bytes cannot
  // hold is refused before anything is allocated.
  if (uint64_t{n_shingle} * (k + 1) > (body.size() - 1) * 8) return fail("length mismatch");
  if (n_anchor > n_shingle) return fail("anchor count mismatch");
  BitReader bits(body.substr(1));
  out->shingles.resize(n_shingle);
  const uint64_t max_quotient = (uint64_t{0xFFFFFFFF} >> k) + 1;
  uint64_t prev = 0;
  for (uint32_t i = 0; i < n_shingle; ++i) {
    uint64_t q = 0;
    uint32_t low = 0;
    if (!bits.Unary(max_quotient, &q) || !bits.Get(k, &low)) return fail("truncated body");
    const uint64_t v = prev + (q << k | low) + (i > 0 ? 1 : 0);
    if (v > 0xFFFFFFFFu) return fail("fingerprints out of range");
    out->shingles[i] = static_cast<uint32_t>(v);
    prev = v;
  }
  const unsigned at_bits = PositionBits(n_shingle);
  out->signature.resize(n_sig);
  for (uint32_t i = 0; i < n_sig; ++i) {
    uint32_t at = 0;
    if (!bits.Get(at_bits, &at)) return fail("truncated body");
    if (at >= n_shingle) return fail("signature position out of range");
    out->signature[i] = out->shingles[at];
  }
  out->anchors.clear();
  out->anchors.reserve(n_anchor);
  for (uint32_t i = 0; i < n_shingle; ++i) {
    uint32_t a = 0;
    if (!bits.Get(1, &a)) return fail("truncated body");
    if (a != 0) out->anchors.push_back(out->shingles[i]);
  }
  if (out->anchors.size() != n_anchor) return fail("anchor count mismatch");
  if (!bits.AtEnd()) return fail("trailing bytes");
  return Ok();
}

bool SortedUnique(const std::vector<uint32_t>& v) {
  for (size_t i = 1; i < v.size(); ++i) {
    if (v[i - 1] >= v[i]) return false;
  }
  return true;
}

}  // namespace

Sketcher::Sketcher(const SketchOptions& options) : options_(options) {}

Result<Sketcher> Sketcher::Create(const SketchOptions& options) {
  if (options.num_bands < 1 || options.rows_per_band < 1) {
    return MakeError(ErrorCode::kInvalidArgument, "num_bands and rows_per_band must be >= 1");
  }
  if (static_cast<uint64_t>(options.num_bands) * options.rows_per_band > kMaxSignature) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "num_bands * rows_per_band must be <= " + std::to_string(kMaxSignature));
  }
  if (options.anchor_window < 1) {
    return MakeError(ErrorCode::kInvalidArgument, "anchor_window must be >= 1");
  }
  if (options.shingle_words < 1) {
    return MakeError(ErrorCode::kInvalidArgument, "shingle_words must be >= 1");
  }
  return Sketcher(options);
}

uint32_t Sketcher::OptionsFingerprint() const {
  uint64_t h = Mix64(options_.seed);
  h = Mix64(h ^ options_.num_bands);
  h = Mix64(h ^ options_.rows_per_band);
  h = Mix64(h ^ options_.anchor_window);
  return static_cast<uint32_t>(h >> 32);
}

std::vector<uint32_t> Sketcher::BandKeys(std::span<const uint32_t> signature) const {
  std::vector<uint32_t> keys;
  const uint32_t r = options_.rows_per_band;
  if (signature.size() != signature_size()) return keys;
  keys.reserve(options_.num_bands);
  for (uint32_t b = 0; b < options_.num_bands; ++b) {
    // The band index is hashed in so that equal rows in different bands do
    // not collide: bands are separate hash tables in Broder's scheme.
    uint64_t h = Mix64(options_.seed ^ (0x9e3779b97f4a7c15ULL * (b + 1)));
    for (uint32_t j = 0; j < r; ++j) h = Mix64(h ^ signature[b * r + j]);
    keys.push_back(static_cast<uint32_t>(h >> 32));
  }
  return keys;
}

Result<DocumentSketch> Sketcher::Sketch(const DocumentInput& input) const {
  if (input.id == kNoDoc) {
    return MakeError(ErrorCode::kInvalidArgument, "document id 0xFFFFFFFF is reserved");
  }
  if (!input.shingle_starts.empty() && input.shingle_starts.size() != input.shingles.size()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "shingle_starts has " + std::to_string(input.shingle_starts.size()) +
                         " entries for " + std::to_string(input.shingles.size()) + " shingles");
  }
  DocumentSketch out;
  out.id = input.id;
  out.body_hash = input.body_hash;
  out.timestamp = input.timestamp;
  out.body_length = input.body_length;

  const size_t n = input.shingles.size();
  const uint32_t k = signature_size();
  // Per-thread scratch: a sketch is computed for every article, and these
  // buffers would otherwise be allocated and freed each time.
  thread_local std::vector<uint32_t> sequence, sig;
  thread_local std::vector<uint8_t> filled;
  thread_local std::vector<uint64_t> keys;
  sequence.resize(n);
  if (n > 0) {
    // One-permutation hashing (Li, Owen & Zhang 2012): one hash per shingle;
    // its low half picks one of K bins, its high half is the value, and each
    // bin keeps its minimum. One hash instead of K per shingle is what makes
    // a 64-value signature cost ~1 ns per shingle; for articles with many
    // more shingles than bins its collision probability per bin is the
    // Jaccard, as for K independent permutations (Broder 1997).
    sig.assign(k, 0xFFFFFFFFu);
    filled.assign(k, 0);
    for (size_t i = 0; i < n; ++i) {
      const uint64_t m = Mix64(input.shingles[i] ^ options_.seed);
      const uint32_t fp = static_cast<uint32_t>(m >> 32);
      const uint32_t bin = FastRange32(static_cast<uint32_t>(m), k);
      sequence[i] = fp;
      sig[bin] = std::min(sig[bin], fp);
      filled[bin] = 1;
    }
    // Optimal densification (Shrivastava 2017): an empty bin j borrows the
    // value of the first non-empty bin on a probe sequence that depends only
    // on (j, attempt), the same in every document, which keeps
    // Pr[sig_A[j] == sig_B[j]] equal to the Jaccard even for short texts.
    std::vector<uint32_t> dense = sig;
    for (uint32_t j = 0; j < k; ++j) {
      if (filled[j]) continue;
      for (uint64_t attempt = 1;; ++attempt) {
        const uint64_t h = Mix64(options_.seed ^ (static_cast<uint64_t>(j) << 32 | attempt));
        const uint32_t from = FastRange32(static_cast<uint32_t>(h >> 32), k);
        if (filled[from]) {
          dense[j] = sig[from];
          break;
        }
      }
    }
    out.signature = std::move(dense);
    out.band_keys = BandKeys(out.signature);
    out.anchors = Winnow(sequence, options_.anchor_window);
    keys.resize(n);
    for (size_t i = 0; i < n; ++i) keys[i] = static_cast<uint64_t>(sequence[i]) << 32 | i;
    SortKeys(keys);
    out.shingles.reserve(n);
    out.sequence_ranks.resize(n);
    for (size_t i = 0; i < n; ++i) {
      const uint32_t fp = static_cast<uint32_t>(keys[i] >> 32);
      if (out.shingles.empty() || out.shingles.back() != fp) out.shingles.push_back(fp);
      out.sequence_ranks[static_cast<uint32_t>(keys[i])] =
          static_cast<uint32_t>(out.shingles.size() - 1);
    }
  }
  if (input.shingle_starts.empty()) {
    out.sequence_starts.resize(n);
    for (size_t i = 0; i < n; ++i) out.sequence_starts[i] = static_cast<uint32_t>(i);
  } else {
    out.sequence_starts.assign(input.shingle_starts.begin(), input.shingle_starts.end());
  }
  return out;
}

std::string Sketcher::Serialize(const DocumentSketch& sketch) const {
  // Positions of the signature values and anchors among the fingerprints;
  // format 2 when one is missing.
  const std::vector<uint32_t>& fps = sketch.shingles;
  std::vector<uint32_t> sig_at;
  sig_at.reserve(sketch.signature.size());
  bool packable = fps.size() < (size_t{1} << 31) && SortedUnique(fps);
  for (uint32_t v : sketch.signature) {
    const auto it = std::lower_bound(fps.begin(), fps.end(), v);
    if (it == fps.end() || *it != v) {
      packable = false;
      break;
    }
    sig_at.push_back(static_cast<uint32_t>(it - fps.begin()));
  }
  std::vector<bool> anchor(fps.size(), false);
  size_t anchors_found = 0;
  for (size_t i = 0, j = 0; packable && i < sketch.anchors.size(); ++i) {
    while (j < fps.size() && fps[j] < sketch.anchors[i]) ++j;
    if (j == fps.size() || fps[j] != sketch.anchors[i]) {
      packable = false;
      break;
    }
    anchor[j] = true;
    ++anchors_found;
  }
  packable = packable && anchors_found == sketch.anchors.size();

  storyline::internal::ByteWriter w;
  w.Reserve(kHeaderBytes +
            (packable ? 1 + fps.size() * 4
                      : 4 * (sketch.signature.size() + sketch.anchors.size() + fps.size())));
  w.U32(kMagic);
  w.U32(packable ? kPackedFormat : kPlainFormat);
  w.U32(OptionsFingerprint());
  w.U32(sketch.id);
  w.U64(sketch.body_hash);
  w.U64(static_cast<uint64_t>(sketch.timestamp));
  w.U32(sketch.body_length);
  w.U32(static_cast<uint32_t>(sketch.signature.size()));
  w.U32(static_cast<uint32_t>(sketch.anchors.size()));
  w.U32(static_cast<uint32_t>(fps.size()));
  if (!packable) {
    for (uint32_t v : sketch.signature) w.U32(v);
    for (uint32_t v : sketch.anchors) w.U32(v);
    for (uint32_t v : fps) w.U32(v);
    return w.Take();
  }
  const unsigned k = RiceBits(fps.size());
  w.U8(static_cast<uint8_t>(k));
  std::string out = w.Take();
  BitWriter bits(&out);
  // Gaps between sorted unique values, less the 1 every gap after the
  // first has at least.
  uint64_t prev = 0;
  for (size_t i = 0; i < fps.size(); ++i) {
    const uint64_t gap = fps[i] - prev - (i > 0 ? 1 : 0);
    bits.Unary(gap >> k);
    bits.Put(gap, k);
    prev = fps[i];
  }
  const unsigned at_bits = PositionBits(fps.size());
  for (uint32_t at : sig_at) bits.Put(at, at_bits);
  for (bool a : anchor) bits.Put(a ? 1 : 0, 1);
  bits.Finish();
  return out;
}

bool Sketcher::Compatible(std::string_view bytes) const {
  if (bytes.size() < kHeaderBytes) return false;
  storyline::internal::ByteReader r(bytes);
  uint32_t magic = 0;
  uint32_t version = 0;
  uint32_t fingerprint = 0;
  return r.U32(&magic) && r.U32(&version) && r.U32(&fingerprint) && magic == kMagic &&
         (version == kPlainFormat || version == kPackedFormat) &&
         fingerprint == OptionsFingerprint();
}

Result<DocumentSketch> Sketcher::Load(std::string_view bytes) const {
  auto fail = [](std::string why) {
    return MakeError(ErrorCode::kInvalidInput, "dedup sketch: " + std::move(why));
  };
  if (bytes.size() < kHeaderBytes) return fail("truncated header");
  storyline::internal::ByteReader r(bytes);
  uint32_t magic = 0;
  uint32_t version = 0;
  uint32_t fingerprint = 0;
  DocumentSketch out;
  uint64_t timestamp = 0;
  uint32_t n_sig = 0;
  uint32_t n_anchor = 0;
  uint32_t n_shingle = 0;
  // The header fits (checked above): these reads cannot fail.
  r.U32(&magic);
  r.U32(&version);
  r.U32(&fingerprint);
  if (magic != kMagic) return fail("bad magic");
  if (version != kPlainFormat && version != kPackedFormat) return fail("unsupported version");
  if (fingerprint != OptionsFingerprint()) return fail("made with other SketchOptions");
  r.U32(&out.id);
  r.U64(&out.body_hash);
  r.U64(&timestamp);
  out.timestamp = static_cast<int64_t>(timestamp);
  r.U32(&out.body_length);
  r.U32(&n_sig);
  r.U32(&n_anchor);
  r.U32(&n_shingle);
  if (out.id == kNoDoc) return fail("reserved id");
  if (n_sig != 0 && n_sig != signature_size()) return fail("signature size mismatch");
  if ((n_sig == 0) != (n_shingle == 0)) return fail("signature and shingles disagree");
  if (version == kPackedFormat) {
    if (Status s = LoadPacked(bytes.substr(kHeaderBytes), n_sig, n_anchor, n_shingle, &out); !s) {
      return fail(s.error().message);
    }
    out.band_keys = BandKeys(out.signature);
    return out;
  }
  if (bytes.size() != kHeaderBytes + 4 * (uint64_t{n_sig} + n_anchor + n_shingle)) {
    return fail("length mismatch");
  }
  auto read = [&r](std::vector<uint32_t>& v, uint64_t count) {
    v.resize(count);
    r.U32s(v.data(), v.size());
  };
  read(out.signature, n_sig);
  read(out.anchors, n_anchor);
  read(out.shingles, n_shingle);
  if (!SortedUnique(out.anchors) || !SortedUnique(out.shingles)) {
    return fail("fingerprints not sorted");
  }
  out.band_keys = BandKeys(out.signature);
  return out;
}

Overlap ComputeOverlap(std::span<const uint32_t> a, std::span<const uint32_t> b) {
  Overlap o;
  size_t i = 0, j = 0;
  uint32_t shared = 0;
  // Branch-light merge: both cursors advance on comparisons, not branches.
  while (i < a.size() && j < b.size()) {
    const uint32_t x = a[i], y = b[j];
    shared += x == y;
    i += x <= y;
    j += y <= x;
  }
  o.shared = shared;
  const size_t uni = a.size() + b.size() - shared;
  const size_t small = std::min(a.size(), b.size());
  o.jaccard = uni == 0 ? 0.0 : static_cast<double>(shared) / static_cast<double>(uni);
  o.containment = small == 0 ? 0.0 : static_cast<double>(shared) / static_cast<double>(small);
  return o;
}

}  // namespace storyline::dedup
