// libFuzzer target for page decoding and extraction.
//
// The first byte picks the options (declared charset, structured body on or
// off), as RE2's fuzzer varies its options; the rest is the page. Checks:
// no crash, no sanitizer report, and the extracted text is valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "html/html_parse.h"
#include "storyline/html/charset.h"
#include "storyline/html/extract.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace storyline::html;
  if (size == 0) return 0;
  static constexpr const char* kCharsets[] = {"", "utf-8", "windows-1252", "shift_jis",
                                              "utf-16le", "iso-2022-jp", "bogus", "gbk"};
  uint8_t selector = data[0];
  std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);

  ExtractOptions options;
  options.http_charset = kCharsets[selector % 8];
  options.use_structured_body = (selector & 0x08) != 0;
  options.url = (selector & 0x10) != 0 ? "https://example.com/2022/01/08/a.html" : "";
  storyline::Result<ExtractedPage> page = ExtractPage(bytes, options);
  if (page) {
    if (!IsValidUtf8(page->text) || !IsValidUtf8(page->title)) std::abort();
  }
  storyline::Result<std::string> decoded = DecodeToUtf8(bytes, options.http_charset);
  if (decoded && !IsValidUtf8(*decoded)) std::abort();
  (void)StripRawText(bytes);
  (void)SniffMetaCharset(bytes);
  return 0;
}
