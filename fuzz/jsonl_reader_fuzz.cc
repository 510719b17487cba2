// Fuzzes the JSONL path: line splitting over arbitrary bytes, then record
// parsing of every line. Any input must give articles or errors, never a
// crash, a hang or undefined behaviour.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "storyline/ingest/byte_source.h"
#include "storyline/ingest/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace storyline::ingest;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  LineReader lines(MemoryByteSource(input), 4096);
  while (true) {
    auto line = lines.Next();
    if (!line || line->eof) break;
    if (line->too_long) continue;
    auto article = ParseJsonArticle(line->text, "fuzz.jsonl", line->number);
    if (article && article->id.empty()) __builtin_trap();  // ids are never empty
  }
  (void)ParseTextArticle(input, "fuzz.txt");
  return 0;
}
