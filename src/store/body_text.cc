// Bodies derived from text and line roles (body_text.h).
#include "store/body_text.h"

#include <vector>

#include "core/trim.h"
#include "store/compressed.h"
#include "store/records.h"

namespace storyline::store {
namespace {

bool IsBodyRoleName(std::string_view role) { return role == "body" || role == "heading"; }

// A text argument (text, line roles) as plain text: a BLOB is a zstd frame
// (compressed.h).
// False, with the error set on `ctx`, when it does not decompress.
bool PlainText(sqlite3_context* ctx, sqlite3_value* v, std::string* frame_text,
               std::string_view* text) {
  if (sqlite3_value_type(v) != SQLITE_BLOB) {
    const auto* p = reinterpret_cast<const char*>(sqlite3_value_text(v));
    *text = p == nullptr ? std::string_view()
                         : std::string_view(p, static_cast<std::size_t>(sqlite3_value_bytes(v)));
    return true;
  }
  const auto* p = static_cast<const char*>(sqlite3_value_blob(v));
  Result<std::string> plain = internal::DecompressValue(
      std::string_view(p == nullptr ? "" : p, static_cast<std::size_t>(sqlite3_value_bytes(v))));
  if (!plain) {
    sqlite3_result_error(ctx, plain.error().message.c_str(), -1);
    return false;
  }
  *frame_text = std::move(*plain);
  *text = *frame_text;
  return true;
}

void BodyFunction(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  if (argc != 2 || sqlite3_value_type(argv[0]) == SQLITE_NULL ||
      sqlite3_value_type(argv[1]) == SQLITE_NULL) {
    sqlite3_result_null(ctx);
    return;
  }
  std::string decompressed;
  std::string_view text;
  if (!PlainText(ctx, argv[0], &decompressed, &text)) return;
  std::string decompressed_lines;
  std::string_view lines;
  if (!PlainText(ctx, argv[1], &decompressed_lines, &lines)) return;
  const std::vector<LineRole> roles = internal::DecodeLines(lines);
  std::optional<std::string> body = DerivedBody(text, roles);
  if (!body) {
    sqlite3_result_null(ctx);
    return;
  }
  sqlite3_result_text64(ctx, body->data(), body->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

void TextFunction(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  if (argc != 1 || sqlite3_value_type(argv[0]) == SQLITE_NULL) {
    sqlite3_result_null(ctx);
    return;
  }
  std::string decompressed;
  std::string_view text;
  if (!PlainText(ctx, argv[0], &decompressed, &text)) return;
  sqlite3_result_text64(ctx, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

}  // namespace

std::optional<std::string> DerivedBody(std::string_view text, std::span<const LineRole> lines) {
  if (lines.empty()) return std::nullopt;
  // Line n (1-based) of the text: the roles are in line order, so one walk
  // over the text serves them all.
  std::string body;
  body.reserve(text.size());
  std::size_t pos = 0;
  int n = 1;
  for (const LineRole& l : lines) {
    if (!IsBodyRoleName(l.role)) continue;
    if (l.n < n) return std::nullopt;  // out of order: not a cleaner's roles
    while (n < l.n && pos <= text.size()) {
      const std::size_t nl = text.find('\n', pos);
      pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
      ++n;
    }
    if (pos > text.size()) return std::nullopt;  // past the last line
    const std::size_t nl = text.find('\n', pos);
    const std::size_t end = nl == std::string_view::npos ? text.size() : nl;
    if (!body.empty()) body.push_back('\n');
    body.append(storyline::internal::TrimLineSpaces(text.substr(pos, end - pos)));
  }
  return body;
}

Status RegisterBodyFunction(sqlite3* db) {
  const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
  int rc = sqlite3_create_function_v2(db, "storyline_body", 2, flags, nullptr, &BodyFunction,
                                      nullptr, nullptr, nullptr);
  if (rc == SQLITE_OK) {
    rc = sqlite3_create_function_v2(db, "storyline_text", 1, flags, nullptr, &TextFunction, nullptr,
                                    nullptr, nullptr);
  }
  if (rc != SQLITE_OK) {
    return MakeError(ErrorCode::kStore, std::string("cannot register the store's SQL functions: ") +
                                            sqlite3_errstr(rc));
  }
  return Ok();
}

}  // namespace storyline::store
