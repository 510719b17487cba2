#include "server/request_policy.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

#include "storyline/server/server.h"

namespace storyline::server {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IsIpLiteral(const std::string& host) {
  unsigned char buf[16];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

}  // namespace

std::string HostOfAuthority(std::string_view authority) {
  authority = Trim(authority);
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return Lower(authority);
    return Lower(authority.substr(1, close - 1));
  }
  const std::size_t colon = authority.find(':');
  // A bare IPv6 address has several colons and no port.
  if (colon != std::string_view::npos && authority.find(':', colon + 1) == std::string_view::npos) {
    authority = authority.substr(0, colon);
  }
  return Lower(authority);
}

bool HostAllowed(std::string_view host_header, const HostPolicy& policy) {
  if (Trim(host_header).empty()) return true;
  const std::string host = HostOfAuthority(host_header);
  if (host.empty()) return false;
  if (IsIpLiteral(host)) return true;
  const std::string bound = HostOfAuthority(policy.bound_host);
  if (host == bound) return true;
  if (host == "localhost" && IsLoopbackHost(policy.bound_host)) return true;
  return std::find(policy.allowed_names.begin(), policy.allowed_names.end(), host) !=
         policy.allowed_names.end();
}

bool OriginAllowed(std::string_view origin, std::string_view host_header) {
  origin = Trim(origin);
  if (origin.empty()) return true;
  std::string_view rest;
  if (origin.substr(0, 7) == "http://") {
    rest = origin.substr(7);
  } else if (origin.substr(0, 8) == "https://") {
    rest = origin.substr(8);
  } else {
    return false;  // "null" (sandboxed pages, file:) and other schemes
  }
  if (rest.find('/') != std::string_view::npos) return false;
  return !rest.empty() && Lower(rest) == Lower(Trim(host_header));
}

bool IsJsonContentType(std::string_view content_type) {
  const std::size_t semi = content_type.find(';');
  const std::string type = Lower(Trim(content_type.substr(0, semi)));
  return type == "application/json" || type == "application/x-ndjson" ||
         type == "application/ndjson" || type == "application/jsonl" ||
         type == "application/x-jsonlines";
}

std::optional<std::string_view> BearerCredentials(std::string_view authorization) {
  authorization = Trim(authorization);
  const std::size_t space = authorization.find_first_of(" \t");
  if (space == std::string_view::npos) return std::nullopt;
  if (Lower(authorization.substr(0, space)) != "bearer") return std::nullopt;
  const std::string_view credentials = Trim(authorization.substr(space));
  if (credentials.empty()) return std::nullopt;
  return credentials;
}

}  // namespace storyline::server
