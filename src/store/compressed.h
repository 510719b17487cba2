// Values the store keeps compressed: an article's text and HTML, and the
// models' saved state. Each is a zstd frame (RFC 8878) when that saves at
// least an eighth of the bytes, and the bytes as they are otherwise.
//
//   std::optional<std::string> frame = CompressValue(text, kTextLevel);
//   if (frame) bind it as a BLOB; else bind `text` as TEXT
//   ...
//   Result<std::string> text = DecompressValue(blob);
//
// How a stored value says which it is belongs to its column: article text
// and HTML are BLOBs when compressed and TEXT when not (the writer binds
// plain text as TEXT, so the SQL type tells); state rows carry an
// `encoding` column. A frame records its content size, which the reader
// checks against kMaxValueBytes before it allocates.
//
// Thread safety: any number of threads may call both at once (each thread
// keeps its own compression and decompression contexts).
#ifndef STORYLINE_STORE_COMPRESSED_H_
#define STORYLINE_STORE_COMPRESSED_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "storyline/core/result.h"

namespace storyline::store::internal {

// zstd levels: article text is written once per article, in the batch's
// commit; the state of the models is rewritten in full now and then, tens of
// megabytes at a time, so it takes the fastest level.
inline constexpr int kTextLevel = 3;
inline constexpr int kStateLevel = 1;

// Values shorter than this stay as they are (a frame's header and the
// little a short text repeats leave nothing to save).
inline constexpr std::size_t kMinCompressedBytes = 128;

// The largest value a frame may expand to (SQLite's own limit on a value
// is 1 GB).
inline constexpr std::size_t kMaxValueBytes = std::size_t{1} << 30;

// The zstd frame of `bytes`, or nullopt when it would not save an eighth of
// them (or `bytes` is shorter than kMinCompressedBytes).
std::optional<std::string> CompressValue(std::string_view bytes, int level);

// The bytes of `frame`; an error when it is not one whole zstd frame that
// declares its size, or expands to more than kMaxValueBytes.
Result<std::string> DecompressValue(std::string_view frame);

}  // namespace storyline::store::internal

#endif  // STORYLINE_STORE_COMPRESSED_H_
