// Fuzzes what a client controls before and in a POST: the body parser
// (object, array, JSONL; limits; nesting) and the Host / Origin /
// Content-Type checks. Any input must give articles or an error; accepted
// articles have unique, non-empty ids and texts within the limit.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "server/post_body.h"
#include "server/request_policy.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace storyline::server;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const PostBodyLimits limits{.max_articles = 50, .max_text_bytes = 4096};
  auto articles = ParsePostBody(input, "fuzz", limits);
  if (articles) {
    std::set<std::string> ids;
    if (articles->empty() || articles->size() > limits.max_articles) __builtin_trap();
    for (const auto& a : *articles) {
      if (a.id.empty() || !ids.insert(a.id).second) __builtin_trap();
      if (a.text.size() > limits.max_text_bytes) __builtin_trap();
    }
  }
  // The header checks on the first line of the input, split at a tab.
  const std::string_view line = input.substr(0, input.find('\n'));
  const std::size_t tab = line.find('\t');
  const std::string_view a = line.substr(0, tab);
  const std::string_view b = tab == std::string_view::npos ? "" : line.substr(tab + 1);
  const HostPolicy policy{"127.0.0.1", {"news.internal"}};
  (void)HostAllowed(a, policy);
  (void)OriginAllowed(a, b);
  (void)IsJsonContentType(a);
  (void)HostOfAuthority(b);
  return 0;
}
