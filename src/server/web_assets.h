// The files of web/, embedded into the binary at build time (embed_web.cmake
// writes web_assets.cc), so `storyline serve` works from any directory.
#ifndef STORYLINE_SERVER_WEB_ASSETS_H_
#define STORYLINE_SERVER_WEB_ASSETS_H_

#include <cstddef>

namespace storyline::server {

struct WebAsset {
  const char* path;          // "/index.html", "/app.js", ...
  const char* content_type;  // "text/html; charset=utf-8", ...
  const unsigned char* data;
  std::size_t size;
};

extern const WebAsset kWebAssets[];
extern const std::size_t kWebAssetCount;

}  // namespace storyline::server

#endif  // STORYLINE_SERVER_WEB_ASSETS_H_
