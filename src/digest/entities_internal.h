// Private: entity recognition over analysed documents, with the mention
// positions that quote attribution needs.
#ifndef STORYLINE_SRC_DIGEST_ENTITIES_INTERNAL_H_
#define STORYLINE_SRC_DIGEST_ENTITIES_INTERNAL_H_

#include <cstdint>
#include <span>
#include <vector>

#include "digest/document.h"
#include "storyline/digest/entities.h"

namespace storyline::digest::internal {

struct EntityMention {
  std::uint32_t begin = 0;  // bytes of the name as written (short form)
  std::uint32_t end = 0;
  std::uint32_t sentence = 0;
  std::uint32_t first_word = 0;  // [first_word, end_word) in Document::words
  std::uint32_t end_word = 0;
  int entity = 0;  // index into EntityTable::entities
};

struct EntityTable {
  std::vector<Entity> entities;  // most mentioned first
  // 'm', 'f' or 0 per entity, from titles, roles and first names.
  std::vector<char> gender;
  // mentions[d]: the mentions in docs[d], in text order.
  std::vector<std::vector<EntityMention>> mentions;
};

EntityTable FindEntities(std::span<const Document* const> docs);

}  // namespace storyline::digest::internal

#endif  // STORYLINE_SRC_DIGEST_ENTITIES_INTERNAL_H_
