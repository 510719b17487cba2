// libFuzzer target for the WARC reader and the HTTP response parser.
//
// The first byte picks the options; the rest is read as an archive (plain
// or gzip) to the end or to the first error, and also parsed as one HTTP
// response. Checks: no crash, no sanitizer report, bounded memory.
#include <cstddef>
#include <cstdint>
#include <string>

#include "storyline/warc/warc_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace storyline::warc;
  if (size == 0) return 0;
  WarcReaderOptions options;
  options.html_only = (data[0] & 1) != 0;
  options.max_record_bytes = (data[0] & 2) != 0 ? 64 : (1u << 20);
  std::string bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  (void)ParseHttpResponse(bytes);
  storyline::Result<WarcReader> reader = WarcReader::FromBytes(std::move(bytes), options);
  if (!reader) return 0;
  for (int i = 0; i < 10000; ++i) {
    storyline::Result<std::optional<WarcRecord>> record = reader->Next();
    if (!record || !*record) break;
  }
  return 0;
}
