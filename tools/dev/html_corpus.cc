#include "dev/html_corpus.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>
#include <zlib.h>

#include <nlohmann/json.hpp>
#include <unordered_map>

namespace storyline::tools::html_dev {

Result<std::vector<ExtractionExample>> LoadExtractionCorpus(const std::string& path) {
  // gzopen reads plain files transparently, so one path serves both.
  gzFile file = gzopen(path.c_str(), "rb");
  if (file == nullptr) return MakeError(ErrorCode::kNotFound, "cannot open " + path);
  std::string data;
  char buffer[1 << 16];
  int n;
  while ((n = gzread(file, buffer, sizeof buffer)) > 0) {
    data.append(buffer, static_cast<std::size_t>(n));
  }
  bool failed = n < 0;
  gzclose(file);
  if (failed) return MakeError(ErrorCode::kIo, path + ": decompression failed");

  std::vector<ExtractionExample> rows;
  std::size_t start = 0;
  int line_number = 0;
  while (start < data.size()) {
    std::size_t end = data.find('\n', start);
    if (end == std::string::npos) end = data.size();
    std::string_view line(data.data() + start, end - start);
    start = end + 1;
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    nlohmann::json json = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded() || !json.is_object()) {
      return MakeError(ErrorCode::kInvalidInput,
                       path + ":" + std::to_string(line_number) + ": invalid JSON");
    }
    ExtractionExample row;
    auto get = [&json](const char* key) {
      auto it = json.find(key);
      return it != json.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    row.id = get("id");
    row.url = get("url");
    row.html = get("html");
    row.gold_text = get("gold_text");
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<std::string> EvalTokens(std::string_view text) {
  std::vector<std::string> tokens;
  std::string token;
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  int32_t length = static_cast<int32_t>(text.size());
  int32_t i = 0;
  while (i < length) {
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c >= 0 && u_isalnum(c)) {
      UChar32 lower = u_tolower(c);
      char buf[4];
      int32_t n = 0;
      UBool error = false;
      U8_APPEND(reinterpret_cast<uint8_t*>(buf), n, 4, lower, error);
      if (!error) token.append(buf, static_cast<std::size_t>(n));
    } else if (!token.empty()) {
      tokens.push_back(std::move(token));
      token.clear();
    }
  }
  if (!token.empty()) tokens.push_back(std::move(token));
  return tokens;
}

TokenScore ScoreTokens(std::string_view extracted, std::string_view gold) {
  std::vector<std::string> got = EvalTokens(extracted);
  std::vector<std::string> want = EvalTokens(gold);
  TokenScore score;
  if (got.empty() && want.empty()) return {1, 1, 1};
  if (got.empty() || want.empty()) return score;
  std::unordered_map<std::string, int> bag;
  for (const std::string& t : want) ++bag[t];
  std::size_t common = 0;
  for (const std::string& t : got) {
    auto it = bag.find(t);
    if (it != bag.end() && it->second > 0) {
      --it->second;
      ++common;
    }
  }
  score.precision = static_cast<double>(common) / static_cast<double>(got.size());
  score.recall = static_cast<double>(common) / static_cast<double>(want.size());
  if (common > 0) {
    score.f1 = 2 * score.precision * score.recall / (score.precision + score.recall);
  }
  return score;
}

}  // namespace storyline::tools::html_dev
