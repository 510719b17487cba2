// People, places and organisations named in a story, without models.
//
//   std::vector<EntityText> texts = {
//       {"Le président russe Vladimir Poutine a appelé M. Biden.", "fr"},
//       {"Poutine a ensuite rencontré l'OTAN à Bruxelles.", "fr"}};
//   Result<std::vector<Entity>> e = ExtractEntities(texts);
//   // {"Vladimir Poutine", kPerson, 2}, {"Biden", kPerson, 1},
//   // {"OTAN", kOrganization, 1}, {"Bruxelles", kLocation, 1}
//
// Candidates are runs of capitalised words (with "de", "du", "of" inside
// organisation names, and sentence-case names such as "Organisation du
// traité de l'Atlantique Nord" that open with an organisation word), and
// acronyms. Leading determiners, titles, role nouns and nationality words
// are cut off ("Le Russe Ryabkov" -> "Ryabkov"). A capitalised word that
// opens a sentence is a name only if the story also writes it capitalised
// mid-sentence, or it is a known place, organisation or acronym; a
// function word or a word the story also writes in lower case never is.
//
// Types come from cues, in this order: a small gazetteer of countries,
// capitals, major cities and institutions in French, English, Spanish and
// German; organisation words (Ministry, ministère, Council, Union, Party,
// GmbH...) and acronyms; person cues (titles "M.", "Mme", "Mr", "Dr";
// roles "le président", "la porte-parole", "minister" shortly before; a
// verb of saying beside the name, "a déclaré X", "X said"; a common first
// name); place cues (a preposition "à", "en", "in", "nach" just before).
// Candidates without any cue are dropped: precision matters more than
// recall for a digest.
//
// Short forms are joined to the full name the story uses: "Poutine" and
// "M. Poutine" count as mentions of "Vladimir Poutine"; spellings that fold
// to one key ("OTAN"/"Otan", "Etats-Unis"/"États-Unis") are one entity,
// shown in its most frequent spelling; an acronym in brackets after a long
// name ("... en Europe (OSCE)") is the same organisation.
//
// Thread-safe: ExtractEntities keeps no state between calls.
#ifndef STORYLINE_DIGEST_ENTITIES_H_
#define STORYLINE_DIGEST_ENTITIES_H_

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storyline/core/result.h"

namespace storyline::digest {

enum class EntityType {
  kPerson,
  kLocation,
  kOrganization,
};

// "person", "location", "organization" (the product's JSON names).
std::string_view EntityTypeName(EntityType type);

struct Entity {
  std::string name;  // full form as written in the story
  EntityType type = EntityType::kPerson;
  int mentions = 0;  // all forms, all texts
};

// One text of a story (an article body) and its ISO 639-1 language.
struct EntityText {
  std::string_view text;
  std::string_view lang;
};

// The entities of all `texts` taken as one story, most mentioned first
// (ties by name). Errors: kInvalidInput for ill-formed UTF-8.
Result<std::vector<Entity>> ExtractEntities(std::span<const EntityText> texts);

}  // namespace storyline::digest

#endif  // STORYLINE_DIGEST_ENTITIES_H_
