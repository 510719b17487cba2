// Turning the bytes of a web page into UTF-8.
//
//   std::string declared = CharsetFromContentType("text/html; charset=ISO-8859-1");
//   if (declared.empty()) declared = SniffMetaCharset(bytes);
//   Result<std::string> utf8 = DecodeToUtf8(bytes, declared);
//
// Pages declare their encoding in the HTTP Content-Type header, in
// `<meta charset>` or in `<meta http-equiv="Content-Type" content="...;charset=...">`,
// and the declaration is often missing or wrong. DecodeToUtf8 trusts a byte
// order mark first, then the declaration when the bytes agree with it, and
// otherwise asks ICU's statistical charset detector. Bytes that cannot be
// decoded become U+FFFD; decoding never fails on content.
//
// All functions are pure and thread-safe. ICU types never leave this module.
#ifndef STORYLINE_HTML_CHARSET_H_
#define STORYLINE_HTML_CHARSET_H_

#include <string>
#include <string_view>

#include "storyline/core/result.h"

namespace storyline::html {

// The charset parameter of a Content-Type value, lower-cased and unquoted:
// "text/html; charset=\"ISO-8859-1\"" -> "iso-8859-1". Empty when absent.
std::string CharsetFromContentType(std::string_view content_type);

// The encoding a page declares in a <meta> element within its first 4096
// bytes (the HTML prescan window), lower-cased; empty when none. Looks at
// `<meta charset=...>` and `<meta http-equiv=content-type content=...>`.
std::string SniffMetaCharset(std::string_view html);

// True when `bytes` is well-formed UTF-8 (no overlongs, no surrogates).
bool IsValidUtf8(std::string_view bytes);

// `bytes` with every ill-formed UTF-8 sequence replaced by U+FFFD.
std::string RepairUtf8(std::string_view bytes);

// Decodes `bytes` to UTF-8.
//
// Order of evidence: a UTF-8/UTF-16 byte order mark; then `declared_charset`
// (any label ICU knows: "utf-8", "latin1", "windows-1252", "shift_jis"...)
// unless the bytes contradict it (declared UTF-8 but ill-formed, or declared
// a single-byte code page while the bytes are well-formed multi-byte UTF-8,
// a very common mislabel); then ICU's charset detector (ucsdet). As browsers
// do, ISO-8859-1 and US-ASCII are read as windows-1252. The result is always
// well-formed UTF-8 with U+FFFD for undecodable bytes.
//
// Errors: kInvalidInput when the input exceeds 1 GiB (ICU's 32-bit lengths);
// kInternal when ICU cannot open a UTF-8 converter. An unknown declared
// label is not an error: detection takes over.
Result<std::string> DecodeToUtf8(std::string_view bytes, std::string_view declared_charset);

}  // namespace storyline::html

#endif  // STORYLINE_HTML_CHARSET_H_
