// The publishing site of an article, named after its URL when the input
// names none.
//
//   SourceFromUrl("https://WWW.Example.co.uk:8080/a?b")  // "example.co.uk"
//   SourceFromUrl("not a url")                           // ""
//
// Functions here are pure and thread-safe.
#ifndef STORYLINE_CORE_SOURCE_H_
#define STORYLINE_CORE_SOURCE_H_

#include <string>
#include <string_view>

#include "storyline/core/article.h"

namespace storyline {

// The host of an absolute URL (scheme "://" host), lowercased, without a
// leading "www.", user info, port or trailing dot; IPv6 literals keep their
// brackets. Returns "" when `url` has no scheme, no host, or a host with
// characters no host name holds (spaces, controls, quotes, angle brackets),
// so a malformed URL never becomes a source.
std::string SourceFromUrl(std::string_view url);

// Sets a->source to SourceFromUrl(a->url) when a->source is blank; leaves a
// given source untouched. Returns true when it filled the field.
bool FillSourceFromUrl(Article* a);

}  // namespace storyline

#endif  // STORYLINE_CORE_SOURCE_H_
