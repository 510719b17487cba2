// Little-endian byte encoding for the models' saved states (the clusterer,
// the chrome model, duplicate sketches).
//
//   ByteWriter w;  w.U64(7);  w.Str("s00000001");
//   ByteReader r(w.bytes());  std::uint64_t n;  std::string s;
//   bool ok = r.U64(&n) && r.Str(&s) && r.AtEnd();
//
// Fixed-width integers, IEEE floats by bit pattern, length-prefixed strings:
// the same bytes on every platform, so a state written on one machine can be
// restored on another. A reader never reads past its input: every getter
// returns false once the input runs out (and keeps returning false).
#ifndef STORYLINE_SRC_CORE_BYTE_CODEC_H_
#define STORYLINE_SRC_CORE_BYTE_CODEC_H_

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace storyline::internal {

class ByteWriter {
 public:
  void U8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void U32(std::uint32_t v) { Fixed(v); }
  void U64(std::uint64_t v) { Fixed(v); }
  void I64(std::int64_t v) { U64(static_cast<std::uint64_t>(v)); }
  void F32(float v) { U32(std::bit_cast<std::uint32_t>(v)); }
  void F64(double v) { U64(std::bit_cast<std::uint64_t>(v)); }
  void Str(std::string_view s) {
    U64(s.size());
    out_.append(s);
  }
  // Bytes as they are, with no length (a magic number).
  void Raw(std::string_view s) { out_.append(s); }
  void Reserve(std::size_t bytes) { out_.reserve(bytes); }
  // Empties the output, keeping its allocation (a scratch writer).
  void Clear() { out_.clear(); }
  const std::string& bytes() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  // `v` in little-endian order, appended at once (a state of tens of
  // megabytes is written every batch; a push_back per byte was a tenth of
  // the clusterer's save).
  template <typename T>
  void Fixed(T v) {
    char bytes[sizeof(T)];
    if constexpr (std::endian::native == std::endian::little) {
      std::memcpy(bytes, &v, sizeof(T));
    } else {
      for (std::size_t i = 0; i < sizeof(T); ++i) {
        bytes[i] = static_cast<char>(static_cast<std::uint8_t>(v >> (8 * i)));
      }
    }
    out_.append(bytes, sizeof(T));
  }

  std::string out_;
};

class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}

  bool U8(std::uint8_t* v) {
    if (pos_ >= in_.size()) return Fail();
    *v = static_cast<std::uint8_t>(in_[pos_++]);
    return true;
  }
  bool U32(std::uint32_t* v) {
    std::uint64_t x = 0;
    if (!Fixed(4, &x)) return false;
    *v = static_cast<std::uint32_t>(x);
    return true;
  }
  bool U64(std::uint64_t* v) { return Fixed(8, v); }
  // `n` values of 32 bits into out[0..n), with one bounds check.
  bool U32s(std::uint32_t* out, std::size_t n) {
    if (!ok_ || (in_.size() - pos_) / 4 < n) return Fail();
    const auto* p = reinterpret_cast<const unsigned char*>(in_.data() + pos_);
    for (std::size_t i = 0; i < n; ++i, p += 4) {
      out[i] = static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
               static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
    }
    pos_ += 4 * n;
    return true;
  }
  bool I64(std::int64_t* v) {
    std::uint64_t x = 0;
    if (!Fixed(8, &x)) return false;
    *v = static_cast<std::int64_t>(x);
    return true;
  }
  bool F32(float* v) {
    std::uint32_t x = 0;
    if (!U32(&x)) return false;
    *v = std::bit_cast<float>(x);
    return true;
  }
  bool F64(double* v) {
    std::uint64_t x = 0;
    if (!U64(&x)) return false;
    *v = std::bit_cast<double>(x);
    return true;
  }
  bool Str(std::string* s) {
    std::uint64_t n = 0;
    if (!U64(&n) || n > in_.size() - pos_) return Fail();
    s->assign(in_.substr(pos_, n));
    pos_ += n;
    return true;
  }
  // A count of items of at least `min_item_bytes` each that the rest of the
  // input could hold; refuses absurd counts before anything is allocated.
  bool Count(std::uint64_t* n, std::size_t min_item_bytes) {
    if (!U64(n)) return false;
    if (*n > (in_.size() - pos_) / (min_item_bytes == 0 ? 1 : min_item_bytes)) return Fail();
    return true;
  }
  bool AtEnd() const { return ok_ && pos_ == in_.size(); }
  std::size_t remaining() const { return in_.size() - pos_; }
  bool ok() const { return ok_; }

 private:
  bool Fail() {
    ok_ = false;
    pos_ = in_.size();
    return false;
  }
  bool Fixed(int bytes, std::uint64_t* v) {
    if (!ok_ || in_.size() - pos_ < static_cast<std::size_t>(bytes)) return Fail();
    std::uint64_t x = 0;
    for (int i = 0; i < bytes; ++i) {
      x |= static_cast<std::uint64_t>(static_cast<unsigned char>(in_[pos_ + i])) << (8 * i);
    }
    pos_ += static_cast<std::size_t>(bytes);
    *v = x;
    return true;
  }

  std::string_view in_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace storyline::internal

#endif  // STORYLINE_SRC_CORE_BYTE_CODEC_H_
