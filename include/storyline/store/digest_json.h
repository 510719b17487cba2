// The JSON form of a story's digest (store::Digest): the fields of
// docs/contract.md's story object that the digest holds. The store keeps
// digests in this form, and the CLI, the server and Python write their
// views of a story from it, so that the contract has one encoder.
//
//   nlohmann::json j = store::DigestJson(story.digest);
//   store::Digest d = store::DigestFromJson(j);  // DigestJson(d) == j
#ifndef STORYLINE_STORE_DIGEST_JSON_H_
#define STORYLINE_STORE_DIGEST_JSON_H_

#include <nlohmann/json.hpp>

#include "storyline/store/store.h"

namespace storyline::store {

// {"title", "lang", "summary", "entities", "timeline", "quotes", "sources",
//  "first_source", "copies", "wire", "first_published_inferred",
//  "last_published_inferred"}; "" and nullopt are written as null.
nlohmann::json DigestJson(const Digest& d);

// The digest of `j`. Lenient, for stores written by earlier versions: a
// missing or mistyped field reads as empty, and a source given as a bare
// string reads as that source. A value that is not an object reads as an
// empty digest.
Digest DigestFromJson(const nlohmann::json& j);

}  // namespace storyline::store

#endif  // STORYLINE_STORE_DIGEST_JSON_H_
