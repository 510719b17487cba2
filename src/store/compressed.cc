// zstd frames for stored values (compressed.h).
#include "store/compressed.h"

#include <zstd.h>

#include <memory>

namespace storyline::store::internal {
namespace {

struct CCtxFree {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct DCtxFree {
  void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
};

// One context per thread: creating one costs more than compressing a
// short article, and contexts are not shareable between threads.
ZSTD_CCtx* ThreadCCtx() {
  thread_local std::unique_ptr<ZSTD_CCtx, CCtxFree> ctx(ZSTD_createCCtx());
  return ctx.get();
}
ZSTD_DCtx* ThreadDCtx() {
  thread_local std::unique_ptr<ZSTD_DCtx, DCtxFree> ctx(ZSTD_createDCtx());
  return ctx.get();
}

}  // namespace

std::optional<std::string> CompressValue(std::string_view bytes, int level) {
  if (bytes.size() < kMinCompressedBytes) return std::nullopt;
  ZSTD_CCtx* ctx = ThreadCCtx();
  if (ctx == nullptr) return std::nullopt;  // no memory: store the value as it is
  // Worth it only when the frame saves an eighth: its capacity is capped
  // there, and a frame that would not fit fails with dstSize_tooSmall.
  const std::size_t limit = bytes.size() - bytes.size() / 8;
  std::string frame(limit, '\0');
  const std::size_t n =
      ZSTD_compressCCtx(ctx, frame.data(), frame.size(), bytes.data(), bytes.size(), level);
  if (ZSTD_isError(n) != 0) return std::nullopt;
  frame.resize(n);
  return frame;
}

Result<std::string> DecompressValue(std::string_view frame) {
  const unsigned long long size = ZSTD_getFrameContentSize(frame.data(), frame.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN) {
    return MakeError(ErrorCode::kStore, "stored value is not a zstd frame of known size");
  }
  if (size > kMaxValueBytes) {
    return MakeError(ErrorCode::kStore, "stored zstd frame declares " + std::to_string(size) +
                                            " bytes, over the limit of a value");
  }
  ZSTD_DCtx* ctx = ThreadDCtx();
  if (ctx == nullptr) return MakeError(ErrorCode::kStore, "no memory to decompress a stored value");
  std::string out(static_cast<std::size_t>(size), '\0');
  const std::size_t n =
      ZSTD_decompressDCtx(ctx, out.data(), out.size(), frame.data(), frame.size());
  if (ZSTD_isError(n) != 0) {
    return MakeError(ErrorCode::kStore,
                     std::string("stored value does not decompress: ") + ZSTD_getErrorName(n));
  }
  if (n != out.size()) {
    return MakeError(ErrorCode::kStore, "stored zstd frame is shorter than it declares");
  }
  return out;
}

}  // namespace storyline::store::internal
