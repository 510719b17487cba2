#include "storyline/core/source.h"

#include <cctype>

namespace storyline {
namespace {

bool IsBlank(std::string_view s) {
  for (char c : s) {
    if (!std::isspace(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// RFC 3986 scheme: a letter, then letters, digits, '+', '-', '.'.
bool IsScheme(std::string_view s) {
  if (s.empty() || !std::isalpha(static_cast<unsigned char>(s.front()))) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') {
      return false;
    }
  }
  return true;
}

// Characters a host (registered name, IPv4 or bracketed IPv6) never holds.
// Bytes >= 0x80 pass: internationalised names are kept as written.
bool IsHostChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u < 0x21 || u == 0x7F) return false;
  switch (c) {
    case '"':
    case '<':
    case '>':
    case '\\':
    case '^':
    case '`':
    case '{':
    case '|':
    case '}':
    case '@':
    case '/':
    case '?':
    case '#':
      return false;
    default:
      return true;
  }
}

}  // namespace

std::string SourceFromUrl(std::string_view url) {
  url = Trim(url);
  const std::size_t sep = url.find("://");
  if (sep == std::string_view::npos || !IsScheme(url.substr(0, sep))) return "";
  std::string_view authority = url.substr(sep + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  // User info ends at the last '@' of the authority.
  if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  std::string_view host = authority;
  if (!host.empty() && host.front() == '[') {
    const std::size_t close = host.find(']');
    if (close == std::string_view::npos) return "";
    host = host.substr(0, close + 1);
  } else {
    host = host.substr(0, host.find(':'));
  }
  while (!host.empty() && host.back() == '.') host.remove_suffix(1);
  std::string out;
  out.reserve(host.size());
  for (char c : host) {
    if (!IsHostChar(c)) return "";
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  if (out.size() > 4 && out.compare(0, 4, "www.") == 0) out.erase(0, 4);
  return out;
}

bool FillSourceFromUrl(Article* a) {
  if (!IsBlank(a->source)) return false;
  std::string host = SourceFromUrl(a->url);
  if (host.empty()) return false;
  a->source = std::move(host);
  return true;
}

}  // namespace storyline
