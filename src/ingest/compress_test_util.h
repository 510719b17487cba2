// gzip and zstd compression for ingest tests, and the reference "how much
// of this damaged stream can be decompressed" that the readers must match.
//
// Header-only, for test targets (they link zlib and zstd). Not part of any
// library.
#ifndef STORYLINE_INGEST_COMPRESS_TEST_UTIL_H_
#define STORYLINE_INGEST_COMPRESS_TEST_UTIL_H_

#include <zlib.h>
#include <zstd.h>

#include <string>
#include <vector>

namespace storyline::ingest::testing {

// One gzip member holding `data`.
inline std::string Gzip(const std::string& data) {
  z_stream zs{};
  deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, data.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

// One zstd frame holding `data`.
inline std::string Zstd(const std::string& data) {
  std::string out(ZSTD_compressBound(data.size()), '\0');
  out.resize(ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 3));
  return out;
}

// Everything zlib can decompress from the start of a (possibly truncated)
// single-member gzip stream, fed in one go.
inline std::string GunzipPrefix(const std::string& gz) {
  z_stream zs{};
  inflateInit2(&zs, 15 + 16);
  std::string out;
  std::vector<char> buf(1 << 16);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  zs.avail_in = static_cast<uInt>(gz.size());
  while (true) {
    zs.next_out = reinterpret_cast<Bytef*>(buf.data());
    zs.avail_out = static_cast<uInt>(buf.size());
    const int rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buf.data(), buf.size() - zs.avail_out);
    if (rc != Z_OK || zs.avail_out != 0) break;
  }
  inflateEnd(&zs);
  return out;
}

// Everything zstd can decompress from the start of a (possibly truncated)
// single-frame stream.
inline std::string UnzstdPrefix(const std::string& zst) {
  ZSTD_DStream* ds = ZSTD_createDStream();
  std::string out;
  std::vector<char> buf(1 << 16);
  ZSTD_inBuffer in{zst.data(), zst.size(), 0};
  while (true) {
    ZSTD_outBuffer o{buf.data(), buf.size(), 0};
    const std::size_t rc = ZSTD_decompressStream(ds, &o, &in);
    out.append(buf.data(), o.pos);
    if (ZSTD_isError(rc) || (o.pos < o.size && in.pos == in.size)) break;
  }
  ZSTD_freeDStream(ds);
  return out;
}

}  // namespace storyline::ingest::testing

#endif  // STORYLINE_INGEST_COMPRESS_TEST_UTIL_H_
