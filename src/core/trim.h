// The trim of one line of article text (private to the libraries): the
// cleaner trims each body line with it, and the store derives a stored
// article's body with it (store/body_text.h), so the two agree byte for byte.
#ifndef STORYLINE_SRC_CORE_TRIM_H_
#define STORYLINE_SRC_CORE_TRIM_H_

#include <cstddef>
#include <string_view>

namespace storyline::internal {

// `s` without leading and trailing ASCII spaces, tabs and '\r'.
inline std::string_view TrimLineSpaces(std::string_view s) {
  std::size_t b = 0;
  std::size_t e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r')) --e;
  return s.substr(b, e - b);
}

}  // namespace storyline::internal

#endif  // STORYLINE_SRC_CORE_TRIM_H_
