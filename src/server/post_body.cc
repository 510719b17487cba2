#include "server/post_body.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "storyline/ingest/reader.h"

namespace storyline::server {
namespace {

using json = nlohmann::json;

std::string WithUnit(std::size_t bytes) {
  if (bytes >= (1u << 20) && bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes >= (1u << 10) && bytes % (1u << 10) == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " bytes";
}

// Deepest [ / { nesting outside strings. Records are flat objects; a
// hostile body nests millions deep, which recursive JSON code (dump,
// destruction) would not survive.
std::size_t NestingDepth(std::string_view body) {
  std::size_t depth = 0;
  std::size_t deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

constexpr std::size_t kMaxNesting = 64;

}  // namespace

Result<std::vector<Article>> ParsePostBody(std::string_view body, const std::string& origin,
                                           const PostBodyLimits& limits) {
  const std::size_t first = body.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    return MakeError(ErrorCode::kInvalidInput,
                     "empty body: send a JSON object, a JSON array of objects or JSONL");
  }
  if (NestingDepth(body.substr(first)) > kMaxNesting) {
    return MakeError(ErrorCode::kInvalidInput,
                     "body: JSON nested deeper than " + std::to_string(kMaxNesting) + " levels");
  }
  std::vector<Article> out;
  // Where each id was first given ("element 3", "line 7"), for repeats.
  std::unordered_map<std::string, std::string> where;
  auto add = [&](std::string_view text, std::int64_t n, const char* unit) -> Status {
    const std::string here = std::string(unit) + " " + std::to_string(n);
    if (out.size() >= limits.max_articles) {
      return MakeError(ErrorCode::kInvalidInput, "too many articles in one request (at most " +
                                                     std::to_string(limits.max_articles) + ")");
    }
    Result<Article> a = ingest::ParseJsonArticle(text, origin, n);
    if (!a) return MakeError(a.error().code, "body " + here + ": " + a.error().message);
    if (a->text.size() > limits.max_text_bytes) {
      return MakeError(ErrorCode::kInvalidInput,
                       "body " + here + ": article '" + a->id + "' has " +
                           std::to_string(a->text.size()) + " bytes of text; at most " +
                           WithUnit(limits.max_text_bytes) + " per article");
    }
    if (auto [it, fresh] = where.emplace(a->id, here); !fresh) {
      return MakeError(ErrorCode::kInvalidInput, "body " + here + ": article id '" + a->id +
                                                     "' appears twice (first at " + it->second +
                                                     ")");
    }
    out.push_back(std::move(*a));
    return Ok();
  };
  if (body[first] == '[') {
    const json arr = json::parse(body, nullptr, false);
    if (!arr.is_array()) return MakeError(ErrorCode::kInvalidInput, "body: invalid JSON array");
    std::int64_t i = 0;
    for (const json& item : arr) {
      ++i;
      if (!item.is_object()) {
        return MakeError(ErrorCode::kInvalidInput,
                         "body: element " + std::to_string(i) + " is not a JSON object");
      }
      if (Status s = add(item.dump(), i, "element"); !s) return Fail(s.error());
    }
  } else if (const json one = json::parse(body, nullptr, false); one.is_object()) {
    if (Status s = add(one.dump(), 1, "object"); !s) return Fail(s.error());
  } else {
    std::size_t start = 0;
    std::int64_t line = 0;
    while (start < body.size()) {
      std::size_t end = body.find('\n', start);
      if (end == std::string_view::npos) end = body.size();
      ++line;
      const std::string_view text = body.substr(start, end - start);
      if (text.find_first_not_of(" \t\r") != std::string_view::npos) {
        if (Status s = add(text, line, "line"); !s) return Fail(s.error());
      }
      start = end + 1;
    }
  }
  if (out.empty()) return MakeError(ErrorCode::kInvalidInput, "body holds no article");
  return out;
}

}  // namespace storyline::server
