#include "digest/lexicon.h"

#include <initializer_list>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "core/calendar.h"

namespace storyline::digest::internal {
namespace {

using WordSet = std::unordered_set<std::string_view>;
using WordMap = std::unordered_map<std::string_view, int>;

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool ContainsAny(std::string_view text, std::initializer_list<std::string_view> needles) {
  for (std::string_view n : needles) {
    if (text.find(n) != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace

int MonthNumber(std::string_view lower, bool* ambiguous) {
  static const WordSet* const kAmbiguous =
      new WordSet{"may",  "march", "mar", "mars", "mai", "jun", "jan",
                  "sept", "sep",   "dec", "oct",  "nov", "aug", "august"};
  const int month = storyline::internal::MonthOfWord(lower, storyline::internal::kMonthsEnFrEsDe);
  if (month == 0) return 0;
  if (ambiguous != nullptr) *ambiguous = kAmbiguous->count(lower) > 0;
  return month;
}

bool IsMonthAbbreviation(std::string_view lower) {
  return storyline::internal::IsMonthAbbreviationWord(lower, storyline::internal::kMonthsEnFrEsDe);
}

int WeekdayNumber(std::string_view lower) {
  static const WordMap* const kDays = new WordMap{
      {"lundi", 0},    {"mardi", 1},      {"mercredi", 2},  {"jeudi", 3},   {"vendredi", 4},
      {"samedi", 5},   {"dimanche", 6},   {"monday", 0},    {"tuesday", 1}, {"wednesday", 2},
      {"thursday", 3}, {"friday", 4},     {"saturday", 5},  {"sunday", 6},  {"lunes", 0},
      {"martes", 1},   {"miércoles", 2},  {"miercoles", 2}, {"jueves", 3},  {"viernes", 4},
      {"sábado", 5},   {"sabado", 5},     {"domingo", 6},   {"montag", 0},  {"dienstag", 1},
      {"mittwoch", 2}, {"donnerstag", 3}, {"freitag", 4},   {"samstag", 5}, {"sonnabend", 5},
      {"sonntag", 6}};
  auto it = kDays->find(lower);
  return it == kDays->end() ? -1 : it->second;
}

std::optional<int> RelativeDayOffset(std::string_view lower) {
  static const WordMap* const kOffsets =
      new WordMap{{"hier", -1},        {"avant-hier", -2}, {"aujourd'hui", 0}, {"demain", 1},
                  {"après-demain", 2}, {"yesterday", -1},  {"today", 0},       {"tonight", 0},
                  {"tomorrow", 1},     {"ayer", -1},       {"anteayer", -2},   {"hoy", 0},
                  {"mañana", 1},       {"gestern", -1},    {"vorgestern", -2}, {"heute", 0},
                  {"morgen", 1},       {"übermorgen", 2}};
  auto it = kOffsets->find(lower);
  if (it == kOffsets->end()) return std::nullopt;
  return it->second;
}

int PeriodDays(std::string_view lower) {
  if (lower == "semaine" || lower == "week" || lower == "semana" || lower == "woche") {
    return 7;
  }
  if (lower == "mois" || lower == "month" || lower == "mes" || lower == "monat") {
    return 30;
  }
  return 0;
}

int PeriodDirection(std::string_view lower) {
  static const WordMap* const kDirections = new WordMap{
      {"prochaine", 1}, {"prochain", 1},    {"next", 1},        {"próxima", 1},  {"proxima", 1},
      {"próximo", 1},   {"proximo", 1},     {"nächste", 1},     {"nächsten", 1}, {"kommende", 1},
      {"kommenden", 1}, {"dernière", -1},   {"derniere", -1},   {"dernier", -1}, {"passée", -1},
      {"passé", -1},    {"last", -1},       {"pasada", -1},     {"pasado", -1},  {"letzte", -1},
      {"letzten", -1},  {"vergangene", -1}, {"vergangenen", -1}};
  auto it = kDirections->find(lower);
  return it == kDirections->end() ? 0 : it->second;
}

int TenseCue(std::string_view lower) {
  // 1: future or scheduled, with irregular French futures the suffix rules
  // below miss, and words that announce what is expected or hoped
  // ("attendue", "prevén", "posiblemente el jueves", "until Tuesday");
  // -1: past.
  static const WordMap* const kCues = [] {
    auto* m = new WordMap;
    for (std::string_view w :
         {"doit",     "doivent",   "devrait",  "devraient", "va",           "vont",
          "prévu",    "prévue",    "prévus",   "prévues",   "aura",         "auront",
          "sera",     "seront",    "ira",      "iront",     "fera",         "feront",
          "prochain", "prochaine", "will",     "shall",     "'ll",          "scheduled",
          "expected", "due",       "upcoming", "next",      "plans",        "planned",
          "would",    "van",       "prevista", "previsto",  "próximo",      "wird",
          "werden",   "pourra",    "pourront", "devra",     "devront",      "viendra",
          "faudra",   "voudra",    "prendra",  "tiendra",   "verra",        "saura",
          "attendu",  "attendue",  "attendus", "attendues", "prévoit",      "prévoient",
          "prevé",    "prevén",    "espera",   "esperan",   "posiblemente", "previsiblemente",
          "expect",   "expects",   "possibly", "until",     "hasta",        "bis",
          "soll",     "sollen",    "geplant",  "kommenden"}) {
      m->emplace(w, 1);
    }
    for (std::string_view w :
         {"a",     "ont",   "avait",   "avaient",  "était", "étaient", "fut",   "said",   "told",
          "was",   "were",  "had",     "did",      "met",   "held",    "spoke", "took",   "went",
          "dijo",  "fue",   "ha",      "han",      "hat",   "haben",   "hatte", "hatten", "war",
          "waren", "sagte", "dernier", "dernière", "last",  "ago"}) {
      m->emplace(w, -1);
    }
    return m;
  }();
  auto it = kCues->find(lower);
  if (it != kCues->end()) return it->second;
  if (lower.size() >= 6) {
    // French simple future ("réunira", "commenceront") and Spanish future
    // ("reunirá", "comenzarán").
    if (EndsWith(lower, "ront") || EndsWith(lower, "rons") || EndsWith(lower, "era") ||
        EndsWith(lower, "ira") || EndsWith(lower, "rá") || EndsWith(lower, "rán")) {
      return 1;
    }
    // English regular past, Spanish preterite, French participles.
    if (EndsWith(lower, "ed") || EndsWith(lower, "ó") || EndsWith(lower, "é") ||
        EndsWith(lower, "és") || EndsWith(lower, "ée") || EndsWith(lower, "ées")) {
      return -1;
    }
  }
  return 0;
}

bool IsTitle(std::string_view lower) {
  static const WordSet* const kTitles =
      new WordSet{"m",    "mm",     "mme",  "mmes", "mlle", "mr",  "mrs",  "ms",  "dr",
                  "pr",   "prof",   "sir",  "dame", "sr",   "sra", "srta", "dña", "herr",
                  "frau", "messrs", "lord", "lady", "gen",  "col", "sen",  "rep", "gov"};
  return kTitles->count(lower) > 0;
}

bool IsRoleNoun(std::string_view lower, bool* female) {
  static const WordMap* const kRoles =
      new WordMap{// 0: either gender or masculine, 1: feminine only.
                  {"président", 0},
                  {"présidente", 1},
                  {"president", 0},
                  {"premier", 0},
                  {"ministre", 0},
                  {"vice-ministre", 0},
                  {"minister", 0},
                  {"secrétaire", 0},
                  {"sous-secrétaire", 0},
                  {"vice-secrétaire", 0},
                  {"secretary", 0},
                  {"porte-parole", 0},
                  {"spokesman", 0},
                  {"spokeswoman", 1},
                  {"spokesperson", 0},
                  {"responsable", 0},
                  {"official", 0},
                  {"officials", 0},
                  {"chancelier", 0},
                  {"chancelière", 1},
                  {"chancellor", 0},
                  {"sénateur", 0},
                  {"sénatrice", 1},
                  {"senator", 0},
                  {"ambassadeur", 0},
                  {"ambassadrice", 1},
                  {"ambassador", 0},
                  {"dirigeant", 0},
                  {"dirigeante", 1},
                  {"leader", 0},
                  {"assistant", 0},
                  {"assistante", 1},
                  {"conseiller", 0},
                  {"conseillère", 1},
                  {"adviser", 0},
                  {"advisor", 0},
                  {"attaché", 0},
                  {"attachée", 1},
                  {"directeur", 0},
                  {"directrice", 1},
                  {"director", 0},
                  {"chef", 0},
                  {"chief", 0},
                  {"maire", 0},
                  {"mayor", 0},
                  {"général", 0},
                  {"general", 0},
                  {"diplomate", 0},
                  {"diplomat", 0},
                  {"négociateur", 0},
                  {"négociatrice", 1},
                  {"negotiator", 0},
                  {"envoyé", 0},
                  {"envoyée", 1},
                  {"envoy", 0},
                  {"gouverneur", 0},
                  {"governor", 0},
                  {"juge", 0},
                  {"judge", 0},
                  {"procureur", 0},
                  {"prosecutor", 0},
                  {"presidente", 0},
                  {"ministro", 0},
                  {"ministra", 1},
                  {"portavoz", 0},
                  {"secretario", 0},
                  {"secretaria", 1},
                  {"präsident", 0},
                  {"präsidentin", 1},
                  {"kanzler", 0},
                  {"kanzlerin", 1},
                  {"ministerin", 1},
                  {"sprecher", 0},
                  {"sprecherin", 1},
                  {"außenminister", 0},
                  {"außenministerin", 1},
                  {"vice-président", 0},
                  {"vice-présidente", 1},
                  {"vice-president", 0},
                  {"homologue", 0},
                  {"counterpart", 0},
                  {"bundeskanzler", 0},
                  {"bundeskanzlerin", 1},
                  {"bundespräsident", 0},
                  {"bundespräsidentin", 1},
                  {"ministerpräsident", 0},
                  {"ministerpräsidentin", 1},
                  {"governor", 0},
                  {"députée", 1},
                  {"député", 0},
                  {"maire", 0}};
  auto it = kRoles->find(lower);
  if (it == kRoles->end()) return false;
  if (female != nullptr) *female = it->second == 1;
  return true;
}

bool IsSpeechWord(std::string_view lower) {
  static const WordSet* const kSpeech = new WordSet{
      // French participles and present forms.
      "déclaré", "dit", "affirmé", "ajouté", "indiqué", "souligné", "expliqué", "estimé", "annoncé",
      "assuré", "précisé", "noté", "martelé", "lancé", "répondu", "confié", "averti", "insisté",
      "poursuivi", "conclu", "parlé", "spoke", "habló", "sprach", "jugé", "prévenu", "rappelé",
      "reconnu", "déclare", "affirme", "ajoute", "indique", "souligne", "explique", "estime",
      "assure", "précise", "selon", "déclarait", "disait",
      // English.
      "said", "says", "say", "told", "added", "stated", "noted", "explained", "warned", "according",
      "insisted", "wrote", "tweeted", "argued", "asked", "replied", "declared", "announced",
      "stressed",
      // Spanish.
      "dijo", "afirmó", "declaró", "añadió", "señaló", "explicó", "aseguró", "según", "indicó",
      "subrayó", "advirtió", "dice",
      // German.
      "sagte", "erklärte", "betonte", "sagt", "laut", "meinte", "warnte", "schrieb", "ergänzte",
      "fügte"};
  return kSpeech->count(lower) > 0;
}

char PronounGender(std::string_view lower) {
  if (lower == "elle" || lower == "she" || lower == "ella" || lower == "sie" ||
      lower == "a-t-elle" || lower == "-elle") {
    return 'f';
  }
  if (lower == "il" || lower == "he" || lower == "él" || lower == "er" || lower == "a-t-il" ||
      lower == "-il") {
    return 'm';
  }
  return 0;
}

bool IsStopword(std::string_view lower) {
  static const WordSet* const kStop = new WordSet{
      // French
      "le", "la", "les", "l'", "un", "une", "des", "du", "de", "d'", "au", "aux", "à", "en", "et",
      "ou", "mais", "donc", "or", "ni", "car", "que", "qu'", "qui", "quoi", "dont", "où", "ce",
      "cet", "cette", "ces", "se", "sa", "son", "ses", "leur", "leurs", "il", "elle", "ils",
      "elles", "on", "nous", "vous", "je", "tu", "ne", "pas", "plus", "par", "pour", "sur", "sous",
      "dans", "avec", "sans", "entre", "vers", "chez", "selon", "après", "avant", "alors", "ainsi",
      "aussi", "comme", "si", "est", "sont", "a", "ont", "été", "être", "avoir", "fait", "cela",
      "ceci", "lors", "depuis", "pendant", "tout", "tous", "toute", "toutes", "même", "autre",
      "autres", "aucun", "aucune", "chaque", "cependant", "toutefois", "enfin", "puis", "encore",
      "déjà", "très", "dès", "malgré", "notamment", "interrogé", "interrogée",
      // English
      "the", "a", "an", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with", "by",
      "from", "as", "is", "are", "was", "were", "be", "been", "it", "its", "this", "that", "these",
      "those", "he", "she", "they", "we", "you", "i", "his", "her", "their", "our", "not", "no",
      "yes", "if", "when", "while", "after", "before", "then", "there", "here", "so", "also", "has",
      "have", "had", "will", "would", "can", "could", "should", "may", "might", "about", "into",
      "over", "under", "than", "what", "which", "who", "whom", "how", "why", "all", "some", "any",
      "more", "most", "other", "such", "only", "both", "each", "however", "meanwhile", "asked",
      "neither", "either", "none", "nor",
      // Spanish
      "el", "los", "las", "unos", "unas", "y", "o", "pero", "del", "al", "con", "por", "para",
      "sin", "sobre", "su", "sus", "es", "son", "fue", "ha", "han", "lo", "como", "más", "ya",
      "también", "según", "este", "esta", "estos", "estas", "ese", "esa", "muy", "cuando",
      // German
      "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "und",
      "oder", "aber", "im", "ist", "sind", "war", "hat", "haben", "wird", "mit", "von", "zu", "zum",
      "zur", "auf", "für", "nicht", "auch", "sie", "er", "es", "wir", "ihr", "nach", "bei", "aus",
      "um", "am", "vom", "dass", "wie", "noch", "nur", "schon", "sehr"};
  return kStop->count(lower) > 0;
}

bool IsDeterminer(std::string_view lower) {
  static const WordSet* const kDeterminers =
      new WordSet{"le",   "la",  "les", "l'",  "un",   "une", "des", "du",   "ce", "cette",
                  "ces",  "the", "a",   "an",  "this", "el",  "los", "las",  "lo", "unos",
                  "unas", "der", "die", "das", "den",  "dem", "ein", "eine", "au", "aux"};
  return kDeterminers->count(lower) > 0;
}

bool IsDemonym(std::string_view lower) {
  static const WordSet* const kDemonyms =
      new WordSet{"russe",           "russes",         "américain",   "américaine",
                  "américains",      "ukrainien",      "ukrainienne", "français",
                  "française",       "allemand",       "allemande",   "chinois",
                  "chinoise",        "britannique",    "européen",    "européens",
                  "russian",         "russians",       "american",    "americans",
                  "ukrainian",       "french",         "german",      "chinese",
                  "british",         "european",       "ruso",        "rusa",
                  "estadounidense",  "ucraniano",      "alemán",      "francés",
                  "russe-américain", "russo-américain"};
  return kDemonyms->count(lower) > 0;
}

bool IsLocationPreposition(std::string_view lower) {
  static const WordSet* const kPreps =
      new WordSet{"à",  "en",   "au", "aux",   "dans",  "vers", "depuis", "in",  "at",  "near",
                  "to", "from", "a",  "desde", "hacia", "nach", "im",     "aus", "bei", "près"};
  return kPreps->count(lower) > 0;
}

bool IsStreetWord(std::string_view lower, bool* first) {
  // Last word in English and German names written apart ("Union Street",
  // "Kieler Straße"); first word in French, Spanish, Portuguese and Italian
  // ones ("rue de la Paix", "calle Mayor", "praça da Sé", "via Roma").
  // Names arrive accent-folded, so both spellings are listed.
  static const WordSet* const kLast = new WordSet{
      "street",   "road",   "avenue",  "lane",  "square", "boulevard", "drive", "terrace", "quay",
      "crescent", "straße", "strasse", "platz", "allee",  "gasse",     "weg",   "ufer"};
  static const WordSet* const kFirst =
      new WordSet{"rue",   "avenue", "boulevard", "place", "quai", "calle",  "avenida", "plaza",
                  "paseo", "rua",    "praça",     "praca", "via",  "piazza", "corso",   "viale"};
  if (kLast->count(lower) > 0) {
    *first = false;
    return true;
  }
  if (kFirst->count(lower) > 0) {
    *first = true;
    return true;
  }
  return false;
}

bool IsOrganizationWord(std::string_view lower) {
  static const WordSet* const kHeads = new WordSet{
      "ministère",    "ministry",     "ministerio",   "ministerium",  "agence",     "agency",
      "agencia",      "agentur",      "conseil",      "council",      "consejo",    "rat",
      "union",        "unión",        "party",        "parti",        "partido",    "partei",
      "inc",          "sa",           "gmbh",         "ag",           "ltd",        "corp",
      "corporation",  "llc",          "plc",          "association",  "asociación", "verband",
      "organisation", "organization", "organización", "commission",   "comisión",   "kommission",
      "bank",         "banque",       "banco",        "mission",      "department", "département",
      "institut",     "institute",    "instituto",    "université",   "university", "universidad",
      "universität",  "assemblée",    "assembly",     "parlement",    "parliament", "parlamento",
      "sénat",        "senate",       "senado",       "gouvernement", "government", "gobierno",
      "regierung",    "fund",         "fonds",        "fondo",        "company",    "compagnie",
      "group",        "groupe",       "grupo",        "court",        "cour",       "tribunal",
      "gericht",      "federation",   "fédération",   "federación",   "alliance",   "army",
      "armée",        "ejército",     "office",       "bureau",       "committee",  "comité",
      "forum",        "foundation",   "fondation",    "fundación",    "stiftung",   "league",
      "ligue",        "liga",         "press",        "presse",       "news",       "times",
      "post",         "journal",      "tass",         "reuters",      "congress",   "congrès",
      "congreso",     "bundestag",    "pentagon",     "pentagone",    "kremlin",    "police",
      "polizei",      "policía",      "service",      "services",     "network",    "réseau"};
  return kHeads->count(lower) > 0;
}

bool IsTitleNoun(std::string_view lower) {
  static const WordSet* const kNouns = new WordSet{
      "état",     "etat",       "affaires",  "défense",    "defense",   "intérieur", "state",
      "foreign",  "home",       "estado",    "exteriores", "staat",     "nouvel",    "an",
      "est",      "ouest",      "nord",      "sud",        "east",      "west",      "north",
      "south",    "occident",   "orient",    "président",  "president", "premier",   "ministre",
      "minister", "secrétaire", "secretary", "général",    "general",   "breaking",  "photo",
      "dossier",  "file",       "update",    "read",       "prev",      "next",      "live",
      "video",    "vidéo",      "dieu",      "god",        "internet",  "web",       "lire",
      "voir",     "related",    "posts"};
  return kNouns->count(lower) > 0;
}

GazetteerType LookupGazetteer(std::string_view folded) {
  static const WordSet* const kPlaces = new WordSet{
      // Countries (fr, en, es, de).
      "france", "allemagne", "germany", "alemania", "deutschland", "russie", "russia", "rusia",
      "russland", "ukraine", "ucrania", "etats-unis", "united states", "estados unidos", "usa",
      "us", "u.s", "vereinigte staaten", "chine", "china", "japon", "japan", "inde", "india",
      "indien", "royaume-uni", "united kingdom", "uk", "reino unido", "grossbritannien",
      "grande-bretagne", "britain", "great britain", "espagne", "spain", "espana", "spanien",
      "italie", "italy", "italia", "italien", "belgique", "belgium", "belgica", "belgien", "suisse",
      "switzerland", "suiza", "schweiz", "autriche", "austria", "osterreich", "pologne", "poland",
      "polonia", "polen", "kazakhstan", "kazajistan", "kasachstan", "bielorussie", "belarus",
      "bielorrusia", "georgie", "georgia", "moldavie", "moldova", "turquie", "turkey", "turquia",
      "turkei", "iran", "irak", "iraq", "syrie", "syria", "siria", "syrien", "israel", "liban",
      "lebanon", "egypte", "egypt", "egipto", "cuba", "mexique", "mexico", "canada", "bresil",
      "brazil", "brasil", "argentine", "argentina", "coree du nord", "north korea",
      "corea del norte", "nordkorea", "coree du sud", "south korea", "taiwan", "afghanistan",
      "pakistan", "finlande", "finland", "suede", "sweden", "norvege", "norway", "danemark",
      "denmark", "pays-bas", "netherlands", "portugal", "grece", "greece", "roumanie", "romania",
      "hongrie", "hungary", "lituanie", "lithuania", "lettonie", "latvia", "estonie", "estonia",
      "crimee", "crimea", "donbass", "donbas", "australie", "australia", "afrique du sud",
      "south africa", "nigeria", "maroc", "morocco", "algerie", "algeria", "tunisie", "cameroun",
      "cameroon", "venezuela", "colombie", "colombia", "chili", "chile", "perou", "peru",
      // Continents and regions.
      "europe", "europa", "asie", "asia", "afrique", "africa", "amerique", "america",
      "moyen-orient", "middle east",
      // Capitals and major cities.
      "paris", "berlin", "londres", "london", "madrid", "rome", "roma", "bruxelles", "brussels",
      "bruselas", "brussel", "vienne", "vienna", "viena", "wien", "geneve", "geneva", "ginebra",
      "genf", "moscou", "moscow", "moscu", "moskau", "kiev", "kyiv", "kiew", "washington",
      "new york", "pekin", "beijing", "peking", "tokyo", "varsovie", "warsaw", "varsovia",
      "warschau", "minsk", "ankara", "istanbul", "teheran", "tehran", "jerusalem", "beyrouth",
      "beirut", "le caire", "cairo", "ottawa", "mexico city", "sao paulo", "buenos aires",
      "lisbonne", "lisbon", "lisboa", "amsterdam", "la haye", "the hague", "stockholm", "oslo",
      "helsinki", "copenhague", "copenhagen", "athenes", "athens", "budapest", "prague", "prag",
      "bucarest", "bucharest", "lyon", "marseille", "munich", "munchen", "hambourg", "hamburg",
      "barcelone", "barcelona", "milan", "milano", "strasbourg", "luxembourg", "kharkiv", "donetsk",
      "louhansk", "luhansk", "sebastopol", "saint-petersbourg", "st. petersburg", "leningrad",
      "davos", "almaty", "tbilissi", "tbilisi", "riga", "vilnius", "tallinn", "los angeles",
      "chicago", "san francisco", "sydney", "delhi", "new delhi", "mumbai", "shanghai", "hong kong",
      "seoul", "pyongyang", "kaboul", "kabul", "bagdad", "baghdad", "damas", "damascus", "gaza",
      "caracas", "bogota", "lima", "santiago", "yaounde", "dakar", "abidjan", "nairobi", "alger",
      "tunis", "rabat"};
  static const WordSet* const kOrganizations = new WordSet{"otan",
                                                           "nato",
                                                           "onu",
                                                           "osce",
                                                           "ue",
                                                           "eu",
                                                           "maison blanche",
                                                           "white house",
                                                           "casa blanca",
                                                           "weisses haus",
                                                           "kremlin",
                                                           "pentagone",
                                                           "pentagon",
                                                           "pentagono",
                                                           "elysee",
                                                           "matignon",
                                                           "quai d'orsay",
                                                           "downing street",
                                                           "bundestag",
                                                           "congres",
                                                           "congress",
                                                           "senat",
                                                           "senate",
                                                           "reuters",
                                                           "afp",
                                                           "associated press",
                                                           "cnn",
                                                           "bbc",
                                                           "tass",
                                                           "ria novosti",
                                                           "voa",
                                                           "agence france-presse",
                                                           "dpa",
                                                           "efe",
                                                           "fmi",
                                                           "imf",
                                                           "banque mondiale",
                                                           "world bank",
                                                           "bce",
                                                           "ecb",
                                                           "oms",
                                                           "g7",
                                                           "g20",
                                                           "unesco",
                                                           "unicef",
                                                           "interpol",
                                                           "europol",
                                                           "fbi",
                                                           "cia",
                                                           "nsa",
                                                           "kgb",
                                                           "fsb",
                                                           "gazprom",
                                                           "google",
                                                           "apple",
                                                           "microsoft",
                                                           "amazon",
                                                           "meta",
                                                           "facebook",
                                                           "twitter",
                                                           "huawei",
                                                           "union europeenne",
                                                           "european union",
                                                           "union europea",
                                                           "europaische union",
                                                           "conseil de securite",
                                                           "security council",
                                                           "commission europeenne",
                                                           "european commission",
                                                           "nations unies",
                                                           "united nations",
                                                           "naciones unidas",
                                                           "vereinte nationen"};
  if (kPlaces->count(folded) > 0) return GazetteerType::kLocation;
  if (kOrganizations->count(folded) > 0) return GazetteerType::kOrganization;
  return GazetteerType::kNone;
}

char FirstNameGender(std::string_view lower) {
  static const WordMap* const kNames = new WordMap{
      // 'm' = 1, 'f' = 2. Common given names across the four languages and
      // transliterations frequent in international news.
      {"joe", 1},          {"joseph", 1},    {"john", 1},      {"james", 1},     {"michael", 1},
      {"david", 1},        {"robert", 1},    {"william", 1},   {"richard", 1},   {"thomas", 1},
      {"charles", 1},      {"donald", 1},    {"george", 1},    {"mark", 1},      {"paul", 1},
      {"peter", 1},        {"steve", 1},     {"steven", 1},    {"antony", 1},    {"anthony", 1},
      {"tony", 1},         {"boris", 1},     {"barack", 1},    {"bill", 1},      {"mike", 1},
      {"kevin", 1},        {"brian", 1},     {"ned", 1},       {"jake", 1},      {"lloyd", 1},
      {"jens", 1},         {"olaf", 1},      {"emmanuel", 1},  {"jean", 1},      {"pierre", 1},
      {"jacques", 1},      {"françois", 1},  {"nicolas", 1},   {"louis", 1},     {"michel", 1},
      {"philippe", 1},     {"alain", 1},     {"bruno", 1},     {"gérald", 1},    {"édouard", 1},
      {"jean-yves", 1},    {"jean-luc", 1},  {"jean-marc", 1}, {"marc", 1},      {"luc", 1},
      {"éric", 1},         {"eric", 1},      {"patrick", 1},   {"vladimir", 1},  {"sergueï", 1},
      {"serguei", 1},      {"sergei", 1},    {"sergey", 1},    {"dmitri", 1},    {"dmitry", 1},
      {"iouri", 1},        {"yuri", 1},      {"youri", 1},     {"alexeï", 1},    {"alexei", 1},
      {"alexander", 1},    {"alexandre", 1}, {"volodymyr", 1}, {"volodimir", 1}, {"dmytro", 1},
      {"andriy", 1},       {"xi", 1},        {"recep", 1},     {"pedro", 1},     {"carlos", 1},
      {"josé", 1},         {"juan", 1},      {"luis", 1},      {"javier", 1},    {"miguel", 1},
      {"antonio", 1},      {"manuel", 1},    {"andrés", 1},    {"gustavo", 1},   {"alberto", 1},
      {"hans", 1},         {"klaus", 1},     {"wolfgang", 1},  {"karl", 1},      {"friedrich", 1},
      {"frank-walter", 1}, {"christian", 1}, {"markus", 1},    {"mario", 1},     {"matteo", 1},
      {"giorgio", 1},      {"ahmed", 1},     {"mohammed", 1},  {"ali", 1},       {"jen", 2},
      {"jennifer", 2},     {"wendy", 2},     {"mary", 2},      {"elizabeth", 2}, {"kamala", 2},
      {"hillary", 2},      {"nancy", 2},     {"victoria", 2},  {"linda", 2},     {"susan", 2},
      {"sarah", 2},        {"karen", 2},     {"anna", 2},      {"anne", 2},      {"marie", 2},
      {"sophie", 2},       {"catherine", 2}, {"isabelle", 2},  {"christine", 2}, {"ursula", 2},
      {"angela", 2},       {"annalena", 2},  {"nathalie", 2},  {"élisabeth", 2}, {"elisabeth", 2},
      {"ségolène", 2},     {"marine", 2},    {"valérie", 2},   {"claire", 2},    {"julie", 2},
      {"maria", 2},        {"carmen", 2},    {"ana", 2},       {"lucía", 2},     {"laura", 2},
      {"elena", 2},        {"isabel", 2},    {"sabine", 2},    {"petra", 2},     {"julia", 2},
      {"olga", 2},         {"natalia", 2},   {"liz", 2},       {"theresa", 2},   {"jacinda", 2},
      {"giorgia", 2},      {"roberta", 2},   {"kaja", 2},      {"carla", 2}};
  auto it = kNames->find(lower);
  if (it == kNames->end()) return 0;
  return it->second == 1 ? 'm' : 'f';
}

bool LooksLikeCaptionMarker(std::string_view p) {
  return ContainsAny(p, {"REUTERS/", "File Photo", "FILE PHOTO", "PHOTO DE DOSSIER",
                         "Photo :", "Photo:", "©", "AFP PHOTO", "AP Photo", "Getty Images",
                         "(Photo", "(photo", "Crédit photo", "Bildquelle", "Foto:"}) ||
         p.starts_with("DOSSIER") || p.starts_with("FILE -") || p.starts_with("FILE –") ||
         p.starts_with("ARCHIVES") || p.starts_with("ARCHIVO");
}

bool LooksLikeChrome(std::string_view p) {
  return ContainsAny(p, {"Inscrivez-vous",
                         "S’inscrire",
                         "S'inscrire",
                         "Subscribe",
                         "Sign up",
                         "Laisser un commentaire",
                         "Leave a comment",
                         "adresse e-mail",
                         "email address",
                         "Read also",
                         "Read more",
                         "Lire aussi",
                         "READ ",
                         "READ\xC2\xA0",
                         "PREV ",
                         "NEXT ",
                         "Follow us",
                         "Suivez-nous",
                         "http://",
                         "https://",
                         "ont contribué",
                         "contributed to this report",
                         "Reportage par",
                         "Reporting by",
                         "Editing by",
                         "Montage par",
                         "est apparu en premier",
                         "first appeared on",
                         "Related Posts",
                         "Nos normes",
                         "Our Standards",
                         "Cette histoire a été mise à jour",
                         "This story has been updated",
                         "Tous droits réservés",
                         "All rights reserved"});
}

}  // namespace storyline::digest::internal
