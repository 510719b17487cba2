// Private: the small closed word lists the digest extractors rely on, for
// French, English, Spanish and German (month and weekday names, words of
// saying, titles and roles, a gazetteer of countries, capitals and major
// cities, well-known organisations, common first names).
//
// Every lookup takes the lower-cased word (Word::lower). Lists are built
// once, on first use, and are read-only afterwards: all functions are
// thread-safe.
#ifndef STORYLINE_SRC_DIGEST_LEXICON_H_
#define STORYLINE_SRC_DIGEST_LEXICON_H_

#include <cstdint>
#include <optional>
#include <string_view>

namespace storyline::digest::internal {

// 1..12, or 0 when `lower` is no month name or abbreviation ("janvier",
// "jan", "sept", "enero", "märz"). *ambiguous is set for names that are
// also common words ("may", "march", "mars", "mai") and need a day or a
// year beside them and, in English, a capital.
int MonthNumber(std::string_view lower, bool* ambiguous = nullptr);

// "jan", "sept", "déc"...: abbreviations, trusted only with a dot.
bool IsMonthAbbreviation(std::string_view lower);

// 0 = Monday ... 6 = Sunday, or -1.
int WeekdayNumber(std::string_view lower);

// Day offsets of deictic words: "hier" -1, "demain" +1, "today" 0.
std::optional<int> RelativeDayOffset(std::string_view lower);

// "semaine", "week", "semana", "woche" -> 7; "mois", "month", "mes",
// "monat" -> 30; else 0.
int PeriodDays(std::string_view lower);
// +1 for "prochaine", "next", "próxima", "nächste"...; -1 for "dernière",
// "last", "pasada", "letzte"...; 0 otherwise.
int PeriodDirection(std::string_view lower);

// Tense cues around a weekday: +1 future ("doivent", "will", "wird"),
// -1 past ("a", "said", "hatte"), 0 none. Looks at the word's ending too
// ("réunira", "commenceront", "dijo").
int TenseCue(std::string_view lower);

// Titles written before a name: "m", "mme", "mr", "dr", "sr", "herr".
bool IsTitle(std::string_view lower);
// Nouns of office or role: "président", "porte-parole", "minister",
// "official", "portavoz", "sprecher". *female is set for forms that are
// only feminine ("porte-parole" is not; "attachée", "spokeswoman" are).
bool IsRoleNoun(std::string_view lower, bool* female = nullptr);

// Verbs and prepositions that introduce or follow a quoted speaker: "a
// déclaré" (the participle), "dit", "said", "told", "dijo", "sagte",
// "selon", "according".
bool IsSpeechWord(std::string_view lower);

// Third-person pronouns; returns 'f', 'm' or 0.
char PronounGender(std::string_view lower);

// Function words of the four languages (determiners, prepositions,
// conjunctions, pronouns, auxiliaries).
bool IsStopword(std::string_view lower);
// Determiners that may open a capitalised run ("Le", "The", "Die").
bool IsDeterminer(std::string_view lower);
// Nationality words that are capitalised as nouns ("Russe", "Américain").
bool IsDemonym(std::string_view lower);
// Prepositions that introduce a place ("à", "en", "in", "nach").
bool IsLocationPreposition(std::string_view lower);
// Head words of organisation names ("ministère", "council", "gmbh").
// Words that make a name an address: `*first` is set when the word leads
// the name ("rue", "calle"), cleared when it ends it ("Street", "Straße").
bool IsStreetWord(std::string_view lower, bool* first);

bool IsOrganizationWord(std::string_view lower);
// Capitalised nouns that are parts of titles, never names on their own
// ("état", "affaires", "state").
bool IsTitleNoun(std::string_view lower);

enum class GazetteerType : std::uint8_t { kNone, kLocation, kOrganization };
// Type of a well-known name, looked up by its accent-folded lower-case key
// ("geneve", "etats-unis", "maison blanche", "kremlin", "otan").
GazetteerType LookupGazetteer(std::string_view folded);

// 'm' or 'f' for common first names, 0 otherwise.
char FirstNameGender(std::string_view lower);

// Words that mark a paragraph as a photo caption or credit.
bool LooksLikeCaptionMarker(std::string_view paragraph);
// Words that mark a paragraph as site chrome.
bool LooksLikeChrome(std::string_view paragraph);

}  // namespace storyline::digest::internal

#endif  // STORYLINE_SRC_DIGEST_LEXICON_H_
