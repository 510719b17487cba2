// Fuzzes the compressed-JSONL path of the InputReader through real files:
// the input is written to a temporary file named .jsonl.gz, .jsonl.zst and
// .jsonl in turn and read with InputReader, so that opening, the magic
// sniff, gzip members / zstd frames, damage and trailing junk, the UTF-8 /
// UTF-16 text layer, binary detection and line splitting all run as they do
// on user files. Any input must give articles or bad records, never a
// crash, a hang or undefined behaviour; Read() must not fail on a file that
// exists, and the counters must match the callbacks.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "storyline/ingest/reader.h"

namespace {

// A private folder for this process's files, made once.
const std::string& FuzzDir() {
  static const std::string dir = [] {
    std::string pattern = "/tmp/storyline_jsonl_fuzz_XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    return pattern;
  }();
  return dir;
}

void WriteFile(const std::string& path, const std::uint8_t* data, std::size_t size) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) std::abort();
  if (size > 0 && std::fwrite(data, 1, size, f) != size) std::abort();
  std::fclose(f);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace storyline;
  ingest::ReadOptions options;
  // Small limits on some inputs reach the over-long line path cheaply.
  options.max_line_bytes = size % 2 == 0 ? 256 : 1 << 20;
  options.max_file_bytes = 1 << 20;
  for (const char* name : {"in.jsonl.gz", "in.jsonl.zst", "in.jsonl"}) {
    const std::string path = FuzzDir() + "/" + name;
    WriteFile(path, data, size);
    ingest::InputReader reader(options);
    std::int64_t articles = 0;
    std::int64_t bad = 0;
    const Status s = reader.Read(
        {path},
        [&](Article&& a) -> Status {
          if (a.id.empty()) __builtin_trap();  // ids are never empty
          ++articles;
          return Ok();
        },
        [&](const ingest::BadRecord&) { ++bad; });
    if (!s) __builtin_trap();
    if (reader.stats().articles != articles || reader.stats().bad_records != bad) {
      __builtin_trap();
    }
    std::remove(path.c_str());
  }
  return 0;
}
