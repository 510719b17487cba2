// Which requests the server accepts before it reads a body: the Host a
// browser names (against DNS rebinding), the Origin of a write (against
// cross-site requests) and the content type of a write.
//
// Threat model (see README "Serving"): the server binds loopback by default,
// so the hostile party is a web page in the user's browser. Such a page can
// send "simple" cross-site POSTs (text/plain, forms) without a preflight,
// and can make its own domain resolve to 127.0.0.1 (DNS rebinding) to read
// answers. Writes therefore need a JSON content type (which a cross-site
// page cannot send without a CORS preflight the server never grants) and an
// absent or same-origin Origin; every request needs a Host that is an IP
// address, the bound name, "localhost" on loopback, or a name the operator
// allowed.
#ifndef STORYLINE_SERVER_REQUEST_POLICY_H_
#define STORYLINE_SERVER_REQUEST_POLICY_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace storyline::server {

struct HostPolicy {
  // The address the server is bound to, as given ("127.0.0.1", "0.0.0.0",
  // "localhost", "news.example").
  std::string bound_host;
  // Further host names accepted in Host (lowercase, without port).
  std::vector<std::string> allowed_names;
};

// The host part of a Host header or URL authority, lowercased, without port
// or IPv6 brackets: "Example.COM:8080" -> "example.com", "[::1]:80" -> "::1".
std::string HostOfAuthority(std::string_view authority);

// True when `host_header` may name this server: empty (HTTP/1.0 clients,
// which are not browsers), an IPv4 or IPv6 literal, the bound host,
// "localhost" when the bound host is loopback, or an allowed name.
bool HostAllowed(std::string_view host_header, const HostPolicy& policy);

// True when a write with this Origin header may proceed: no Origin (not a
// browser, or a same-origin GET-like navigation), or an http(s) origin whose
// authority is exactly the request's Host.
bool OriginAllowed(std::string_view origin, std::string_view host_header);

// True for the JSON and NDJSON media types a write accepts
// (application/json, application/x-ndjson, application/ndjson,
// application/jsonl, application/x-jsonlines), parameters ignored.
bool IsJsonContentType(std::string_view content_type);

// The credentials of an Authorization header in the Bearer scheme (RFC 6750
// 2.1), its scheme name matched case-insensitively as RFC 7235 2.1 asks:
// "Bearer abc" and "bearer abc" give "abc". std::nullopt for another
// scheme or for no credentials.
std::optional<std::string_view> BearerCredentials(std::string_view authorization);

}  // namespace storyline::server

#endif  // STORYLINE_SERVER_REQUEST_POLICY_H_
