// Fuzzes the date parsers: ISO 8601 values from input records and query
// parameters, and date expressions and datelines in article text. A parsed
// timestamp must format and parse back to itself.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "storyline/core/date.h"
#include "storyline/digest/dates.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace storyline;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (auto t = ParseIso8601(input)) {
    const std::string again = FormatTimestamp(*t);
    auto back = ParseIso8601(again);
    if (!back || *back != *t) __builtin_trap();
  }
  digest::DateOptions options;
  options.reference = CivilDate{2022, 1, 13};
  (void)digest::ExtractDates(input, options);
  (void)digest::InferPublicationDate(input, "fr", CivilDate{2022, 1, 13});
  (void)digest::InferPublicationDate(input, "en");
  (void)digest::InferPublicationDate(input, "fr", CivilDate{2012, 6, 1}, input);
  (void)digest::LatestUrlDate(input);
  return 0;
}
