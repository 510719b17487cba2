// Bodies derived from text and line roles (body_text.h).
#include "store/body_text.h"

#include <vector>

#include "core/trim.h"
#include "store/records.h"

namespace storyline::store {
namespace {

bool IsBodyRoleName(std::string_view role) { return role == "body" || role == "heading"; }

void BodyFunction(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  if (argc != 2 || sqlite3_value_type(argv[0]) == SQLITE_NULL ||
      sqlite3_value_type(argv[1]) == SQLITE_NULL) {
    sqlite3_result_null(ctx);
    return;
  }
  const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
  const int text_bytes = sqlite3_value_bytes(argv[0]);
  const auto* lines = reinterpret_cast<const char*>(sqlite3_value_text(argv[1]));
  const int lines_bytes = sqlite3_value_bytes(argv[1]);
  if (text == nullptr || lines == nullptr) {
    sqlite3_result_null(ctx);
    return;
  }
  const std::vector<LineRole> roles =
      internal::DecodeLines(std::string_view(lines, static_cast<std::size_t>(lines_bytes)));
  std::optional<std::string> body =
      DerivedBody(std::string_view(text, static_cast<std::size_t>(text_bytes)), roles);
  if (!body) {
    sqlite3_result_null(ctx);
    return;
  }
  sqlite3_result_text64(ctx, body->data(), body->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
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
  const int rc = sqlite3_create_function_v2(db, "storyline_body", 2,
                                            SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                            nullptr, &BodyFunction, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) {
    return MakeError(ErrorCode::kStore,
                     std::string("cannot register storyline_body: ") + sqlite3_errstr(rc));
  }
  return Ok();
}

}  // namespace storyline::store
