// JSON columns of the store (records.h), the lines of an article, and the
// names of story orders.
#include "store/records.h"

#include <nlohmann/json.hpp>
#include <utility>

namespace storyline::store {
namespace internal {
namespace {

using nlohmann::json;

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

json Parse(std::string_view text) {
  if (text.empty()) return json();
  return json::parse(text, nullptr, /*allow_exceptions=*/false);
}

}  // namespace

std::string EncodeLines(const std::vector<LineRole>& lines) {
  if (lines.empty()) return "";
  json out = json::array();
  for (const LineRole& l : lines)
    out.push_back({{"n", l.n}, {"role", l.role}, {"reason", l.reason}});
  return Dump(out);
}

std::vector<LineRole> DecodeLines(std::string_view text) {
  std::vector<LineRole> out;
  const json j = Parse(text);
  if (!j.is_array()) return out;
  out.reserve(j.size());
  for (const json& r : j) {
    if (!r.is_object() || !r.contains("n") || !r["n"].is_number_integer()) continue;
    LineRole l;
    l.n = r["n"].get<int>();
    if (r.contains("role") && r["role"].is_string()) l.role = r["role"].get<std::string>();
    if (r.contains("reason") && r["reason"].is_string()) l.reason = r["reason"].get<std::string>();
    out.push_back(std::move(l));
  }
  return out;
}

std::string EncodeEvidence(const std::vector<std::string>& evidence) {
  return Dump(json(evidence));
}

std::string EncodeEvidenceSpans(const std::vector<std::pair<std::uint32_t, std::uint32_t>>& spans) {
  json out = json::array();
  for (const auto& [begin, end] : spans) out.push_back({begin, end});
  return Dump(out);
}

std::vector<std::string> DecodeEvidence(std::string_view text, std::string_view body) {
  std::vector<std::string> out;
  const json j = Parse(text);
  if (!j.is_array()) return out;
  for (const json& e : j) {
    if (e.is_string()) {
      out.push_back(e.get<std::string>());
    } else if (e.is_array() && e.size() == 2 && e[0].is_number_unsigned() &&
               e[1].is_number_unsigned()) {
      const auto begin = e[0].get<std::uint64_t>();
      const auto end = e[1].get<std::uint64_t>();
      if (begin < end && end <= body.size()) out.emplace_back(body.substr(begin, end - begin));
    }
  }
  return out;
}

}  // namespace internal

std::vector<ArticleLine> LinesOf(const StoredArticle& a) {
  std::vector<ArticleLine> lines;
  const std::string& text = a.article.text;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    ArticleLine l;
    l.n = static_cast<int>(lines.size()) + 1;
    l.text = std::move(line);
    lines.push_back(std::move(l));
    if (end == text.size()) break;
    start = end + 1;
  }
  // A final '\n' does not open a line of its own.
  if (lines.size() > 1 && lines.back().text.empty() && !text.empty() && text.back() == '\n') {
    lines.pop_back();
  }
  for (const LineRole& r : a.analysis.lines) {
    if (r.n < 1 || r.n > static_cast<int>(lines.size())) continue;
    ArticleLine& l = lines[static_cast<std::size_t>(r.n - 1)];
    l.role = r.role;
    l.reason = r.reason;
  }
  return lines;
}

std::optional<StoryOrder> ParseStoryOrder(std::string_view name) {
  if (name == "recent") return StoryOrder::kRecent;
  if (name == "largest") return StoryOrder::kLargest;
  if (name == "rising") return StoryOrder::kRising;
  return std::nullopt;
}

std::string_view StoryOrderName(StoryOrder order) {
  switch (order) {
    case StoryOrder::kRecent:
      return "recent";
    case StoryOrder::kLargest:
      return "largest";
    case StoryOrder::kRising:
      return "rising";
  }
  return "recent";
}

}  // namespace storyline::store
