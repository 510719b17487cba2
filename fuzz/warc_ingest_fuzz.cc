// Fuzzes the WARC path of the InputReader: arbitrary bytes read as a web
// archive (plain or gzip), every HTML response extracted into an Article.
// Any input must give articles or bad records, never a crash, a hang or
// undefined behaviour; every article must have an id and text, and a
// published date that parses.
#include <cstddef>
#include <cstdint>
#include <string>

#include "storyline/core/date.h"
#include "storyline/ingest/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace storyline;
  ingest::ReadOptions options;
  options.max_file_bytes = 1 << 20;
  ingest::InputReader reader(options);
  (void)reader.ReadWarcBytes(
      std::string(reinterpret_cast<const char*>(data), size), "fuzz.warc",
      [](Article&& a) -> Status {
        if (a.id.empty() || a.text.empty()) __builtin_trap();
        if (!a.published.empty() && !ParseIso8601(a.published)) __builtin_trap();
        return Ok();
      },
      [](const ingest::BadRecord&) {});
  return 0;
}
