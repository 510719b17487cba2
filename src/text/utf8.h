// Private UTF-8 helpers shared by the text module: a strict decoder and an
// encoder. Not part of the public API.
#ifndef STORYLINE_SRC_TEXT_UTF8_H_
#define STORYLINE_SRC_TEXT_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace storyline::text::internal {

// Decodes one code point at s[i] (i < s.size()). On success stores it in *cp
// and returns its length (1..4). On an ill-formed sequence returns minus the
// length of its maximal subpart (-1..-3), following Unicode table 3-7, so
// that callers can skip or replace exactly that many bytes.
inline int DecodeUtf8(std::string_view s, std::size_t i, char32_t* cp) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data()) + i;
  const std::size_t avail = s.size() - i;
  const unsigned b0 = p[0];
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  }
  auto trail = [&](std::size_t k) {
    return k < avail && (p[k] & 0xC0u) == 0x80u;
  };
  if (b0 < 0xC2) return -1;
  if (b0 < 0xE0) {
    if (!trail(1)) return -1;
    *cp = ((b0 & 0x1Fu) << 6) | (p[1] & 0x3Fu);
    return 2;
  }
  if (b0 < 0xF0) {
    if (avail < 2) return -1;
    const unsigned b1 = p[1];
    const unsigned lo = b0 == 0xE0 ? 0xA0 : 0x80;
    const unsigned hi = b0 == 0xED ? 0x9F : 0xBF;
    if (b1 < lo || b1 > hi) return -1;
    if (!trail(2)) return -2;
    *cp = ((b0 & 0x0Fu) << 12) | ((b1 & 0x3Fu) << 6) | (p[2] & 0x3Fu);
    return 3;
  }
  if (b0 < 0xF5) {
    if (avail < 2) return -1;
    const unsigned b1 = p[1];
    const unsigned lo = b0 == 0xF0 ? 0x90 : 0x80;
    const unsigned hi = b0 == 0xF4 ? 0x8F : 0xBF;
    if (b1 < lo || b1 > hi) return -1;
    if (!trail(2)) return -2;
    if (!trail(3)) return -3;
    *cp = ((b0 & 0x07u) << 18) | ((b1 & 0x3Fu) << 12) |
          ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
    return 4;
  }
  return -1;
}

// Decodes a code point of text already known to be valid UTF-8.
inline int DecodeValidUtf8(std::string_view s, std::size_t i, char32_t* cp) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data()) + i;
  const unsigned b0 = p[0];
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  }
  if (b0 < 0xE0) {
    *cp = ((b0 & 0x1Fu) << 6) | (p[1] & 0x3Fu);
    return 2;
  }
  if (b0 < 0xF0) {
    *cp = ((b0 & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
    return 3;
  }
  *cp = ((b0 & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) |
        ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
  return 4;
}

// Writes the UTF-8 form of cp (a scalar value) to buf; returns its length.
inline int EncodeUtf8(char32_t cp, char* buf) {
  if (cp < 0x80) {
    buf[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    buf[0] = static_cast<char>(0xC0 | (cp >> 6));
    buf[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    buf[0] = static_cast<char>(0xE0 | (cp >> 12));
    buf[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    buf[2] = static_cast<char>(0x80 | (cp & 0x3F));
    return 3;
  }
  buf[0] = static_cast<char>(0xF0 | (cp >> 18));
  buf[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
  buf[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  buf[3] = static_cast<char>(0x80 | (cp & 0x3F));
  return 4;
}

inline void AppendUtf8(char32_t cp, std::string* out) {
  char buf[4];
  out->append(buf, static_cast<std::size_t>(EncodeUtf8(cp, buf)));
}

}  // namespace storyline::text::internal

#endif  // STORYLINE_SRC_TEXT_UTF8_H_
