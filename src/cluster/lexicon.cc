#include "cluster/lexicon.h"

#include <string>
#include <unordered_map>
#include <unordered_set>

namespace storyline::cluster::internal {
namespace {

// Function words, case-folded, accents as in normalised text. Kept short on
// purpose: IDF already discounts frequent content words; the list only has to
// stop the most frequent words of each language from looking like names
// (sentence-initial "The", "Les", "Der") or dominating short titles.
constexpr const char* kStopwords[] = {
    // English
    "a", "about", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are",
    "as", "at", "be", "because", "been", "before", "being", "between", "both", "but", "by",
    "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few", "for",
    "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "herself",
    "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself",
    "just", "me", "more", "most", "my", "no", "nor", "not", "now", "of", "off", "on", "once",
    "only", "or", "other", "our", "ours", "out", "over", "own", "said", "same", "says", "she",
    "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "then",
    "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up",
    "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom",
    "why", "will", "with", "would", "you", "your", "yours", "'s", "mr", "mrs", "ms", "new",
    "one", "two", "three", "year", "years", "according", "told", "last", "first", "since",
    "may", "might", "must", "shall", "us", "yet", "get", "got", "like", "still", "around",
    // French
    "à", "au", "aux", "avec", "ce", "ces", "cette", "dans", "de", "des", "du", "elle", "elles",
    "en", "et", "eux", "il", "ils", "je", "la", "le", "les", "leur", "leurs", "lui", "ma",
    "mais", "même", "mes", "moi", "mon", "ne", "nos", "notre", "nous", "on", "ou", "où",
    "par", "pas", "pour", "qu", "que", "qui", "sa", "se", "ses", "son", "sur", "ta", "te",
    "tes", "toi", "ton", "tu", "un", "une", "vos", "votre", "vous", "c'", "d'", "j'", "l'",
    "m'", "n'", "s'", "t'", "qu'", "y", "été", "être", "est", "sont", "était", "ont", "a",
    "avait", "sera", "fait", "plus", "selon", "après", "avant", "depuis", "entre", "sous",
    "chez", "comme", "dont", "ainsi", "aussi", "tout", "tous", "toute", "toutes", "lors",
    "cet", "deux", "trois", "ans", "an", "mardi", "lundi", "mercredi", "jeudi", "vendredi",
    "samedi", "dimanche", "si", "ni", "car", "donc", "encore", "déjà", "très",
    // Spanish
    "el", "los", "las", "del", "al", "lo", "y", "o", "u", "un", "una", "unos", "unas", "con",
    "por", "para", "sin", "sobre", "entre", "desde", "hasta", "es", "son", "fue", "ha", "han",
    "ser", "está", "están", "como", "más", "pero", "sus", "su", "le", "les", "se", "que",
    "qué", "este", "esta", "estos", "estas", "ese", "esa", "según", "tras", "ya", "muy",
    "también", "dos", "tres", "años", "año", "cuando", "donde", "lunes", "martes",
    "miércoles", "jueves", "viernes", "sábado", "domingo", "hay", "sido", "había",
    // German
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einer", "eines", "einem",
    "einen", "und", "oder", "aber", "nicht", "ist", "sind", "war", "waren", "wird", "werden",
    "wurde", "wurden", "hat", "haben", "hatte", "mit", "von", "vom", "zu", "zum", "zur", "im",
    "in", "an", "am", "auf", "aus", "bei", "nach", "für", "über", "unter", "vor", "durch",
    "er", "sie", "es", "wir", "ihr", "sich", "auch", "noch", "nur", "schon", "als", "wie",
    "dass", "daß", "so", "seit", "bis", "um", "zwei", "drei", "jahr", "jahre", "montag",
    "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag", "laut", "sei",
    // Italian
    "il", "lo", "gli", "di", "da", "dei", "degli", "della", "delle", "dello", "nel", "nella",
    "nei", "sul", "sulla", "che", "non", "è", "sono", "ha", "hanno", "per", "tra", "fra",
    "anche", "come", "dopo", "ma", "più", "dell'", "all'", "nell'", "sull'", "un'",
    // Portuguese
    "os", "as", "do", "da", "dos", "das", "no", "na", "nos", "nas", "um", "uma", "em", "não",
    "ao", "aos", "à", "às", "pelo", "pela", "mais", "foi", "são", "também",
    // Dutch
    "het", "een", "en", "van", "op", "te", "dat", "niet", "zijn", "voor", "met", "is", "ook",
    "aan", "bij", "door", "werd", "naar", "om", "uit", "wordt", "heeft", "hebben", "maar",
};

struct MonthName {
  const char* name;
  int month;
};

// Accent-folded month names and abbreviations. Abbreviations only ever count
// next to a day number (see features.cc), so "mar" (Spanish "sea") is safe.
constexpr MonthName kMonths[] = {
    {"january", 1}, {"jan", 1}, {"janvier", 1}, {"enero", 1}, {"januar", 1}, {"jan", 1},
    {"gennaio", 1}, {"janeiro", 1}, {"januari", 1}, {"ene", 1}, {"janv", 1},
    {"february", 2}, {"feb", 2}, {"fevrier", 2}, {"febrero", 2}, {"februar", 2},
    {"febbraio", 2}, {"fevereiro", 2}, {"februari", 2}, {"fevr", 2}, {"fev", 2},
    {"march", 3}, {"mar", 3}, {"mars", 3}, {"marzo", 3}, {"marz", 3}, {"marco", 3},
    {"maart", 3}, {"maerz", 3},
    {"april", 4}, {"apr", 4}, {"avril", 4}, {"abril", 4}, {"aprile", 4}, {"abr", 4},
    {"may", 5}, {"mai", 5}, {"mayo", 5}, {"maggio", 5}, {"maio", 5}, {"mei", 5},
    {"june", 6}, {"jun", 6}, {"juin", 6}, {"junio", 6}, {"juni", 6}, {"giugno", 6},
    {"junho", 6},
    {"july", 7}, {"jul", 7}, {"juillet", 7}, {"julio", 7}, {"juli", 7}, {"luglio", 7},
    {"julho", 7}, {"juil", 7},
    {"august", 8}, {"aug", 8}, {"aout", 8}, {"agosto", 8}, {"augustus", 8}, {"ago", 8},
    {"september", 9}, {"sep", 9}, {"sept", 9}, {"septembre", 9}, {"septiembre", 9},
    {"setiembre", 9}, {"settembre", 9}, {"setembro", 9}, {"set", 9},
    {"october", 10}, {"oct", 10}, {"octobre", 10}, {"octubre", 10}, {"oktober", 10},
    {"ottobre", 10}, {"outubro", 10}, {"okt", 10},
    {"november", 11}, {"nov", 11}, {"novembre", 11}, {"noviembre", 11}, {"novembro", 11},
    {"december", 12}, {"dec", 12}, {"decembre", 12}, {"diciembre", 12}, {"dezember", 12},
    {"dicembre", 12}, {"dezembro", 12}, {"dez", 12}, {"dic", 12},
    // Accented spellings as normalised text keeps them (case-folded only).
    {"février", 2}, {"févr", 2}, {"fév", 2}, {"août", 8}, {"décembre", 12}, {"déc", 12},
    {"märz", 3}, {"março", 3},
};

// Spellings of one name across languages, canonical form first. Keys are
// accent-folded and transliterated (text::FoldAccents, text::ToLatin), so
// "Genève" arrives as "geneve" and "Путин" as "putin"; only spellings that
// differ after that step need a row. Single words only: name features are
// unigrams.
constexpr const char* kNameGroups[][9] = {
    {"putin", "poutine", "poetin", nullptr},
    {"zelensky", "zelenskyy", "zelenski", "selenskyj", "zelenskiy", "zelensky", nullptr},
    {"geneve", "geneva", "genf", "ginevra", "ginebra", "genebra", nullptr},
    {"london", "londres", "londra", "londen", nullptr},
    {"munchen", "munich", "monaco", "munique", "muenchen", nullptr},
    {"koln", "cologne", "colonia", "keulen", "koeln", nullptr},
    {"wien", "vienna", "vienne", "viena", "wenen", nullptr},
    {"moskva", "moscow", "moscou", "moskau", "moscu", "mosca", "moskou", nullptr},
    {"kyiv", "kiev", "kiew", "kyjiw", "kiiv", "kyiiv", "kiyv", nullptr},
    {"bruxelles", "brussels", "brussel", "bruselas", "bruxelas", "bruessel", nullptr},
    {"lisboa", "lisbon", "lisbonne", "lissabon", "lisbona", nullptr},
    {"warszawa", "warsaw", "varsovie", "varsovia", "warschau", "varsavia", nullptr},
    {"praha", "prague", "prag", "praga", nullptr},
    {"roma", "rome", "rom", nullptr},
    {"milano", "milan", "milaan", "mailand", nullptr},
    {"napoli", "naples", "napoles", "neapel", nullptr},
    {"firenze", "florence", "florenz", "florencia", nullptr},
    {"venezia", "venice", "venise", "venedig", "venecia", "veneza", nullptr},
    {"athina", "athens", "athenes", "athen", "atenas", "atene", "athinai", nullptr},
    {"beijing", "pekin", "peking", "pechino", "pequim", nullptr},
    {"deutschland", "germany", "allemagne", "alemania", "germania", "alemanha", "duitsland",
     nullptr},
    {"france", "francia", "frankreich", "franca", "frankrijk", nullptr},
    {"espana", "spain", "espagne", "spanien", "spagna", "espanha", "spanje", nullptr},
    {"italia", "italy", "italie", "italien", "italie", nullptr},
    {"england", "angleterre", "inglaterra", "inghilterra", "engeland", nullptr},
    {"europe", "europa", nullptr},
    {"marseille", "marseilles", "marsella", "marsiglia", "marselha", nullptr},
    {"strasbourg", "strassburg", "estrasburgo", "strasburgo", nullptr},
    {"lyon", "lyons", "lione", "lyo", nullptr},
    {"saone", "saona", nullptr},
    {"garonne", "garona", nullptr},
    {"rhone", "rodano", "rhodanus", nullptr},
    {"rhein", "rhine", "rhin", "rin", "reno", "rijn", nullptr},
    {"donau", "danube", "danubio", "donava", nullptr},
    {"seine", "sena", nullptr},
    {"nato", "otan", nullptr},
    {"mexico", "mexique", "mejico", "messico", "mexiko", nullptr},
    {"nederland", "netherlands", "paysbas", "holanda", "niederlande", "olanda", nullptr},
    {"belgique", "belgium", "belgica", "belgien", "belgio", "belgie", nullptr},
    {"schweiz", "switzerland", "suisse", "suiza", "svizzera", "suica", nullptr},
    {"osterreich", "austria", "autriche", "oostenrijk", "oesterreich", nullptr},
    {"russia", "russie", "rusia", "russland", "russia", "rusland", "rossiia", nullptr},
    {"ukraine", "ucrania", "ucraina", "ukraina", "oekraine", nullptr},
    {"polska", "poland", "pologne", "polonia", "polen", nullptr},
    {"china", "chine", "cina", "chinese", nullptr},
    {"japan", "japon", "giappone", "japao", nullptr},
    {"greece", "grece", "grecia", "griechenland", "griekenland", nullptr},
    {"scotland", "ecosse", "escocia", "schottland", "scozia", "schotland", nullptr},
    {"washington", "vashington", nullptr},
    {"bilbao", "bilbo", nullptr},
    {"toulouse", "tolosa", nullptr},
    {"biscaye", "vizcaya", "bizkaia", "biscay", nullptr},
    {"pyrenees", "pirineos", "pyrenaen", "pirenei", nullptr},
    {"mediterranee", "mediterranean", "mediterraneo", "mittelmeer", nullptr},
};

struct Tables {
  std::unordered_set<std::string_view> stopwords;
  std::unordered_map<std::string_view, int> months;
  std::unordered_map<std::string_view, std::string_view> names;

  Tables() {
    for (const char* w : kStopwords) stopwords.insert(w);
    for (const MonthName& m : kMonths) months.emplace(m.name, m.month);
    for (const auto& group : kNameGroups) {
      std::string_view canonical = group[0];
      for (int i = 1; i < 9 && group[i] != nullptr; ++i) names.emplace(group[i], canonical);
    }
  }
};

const Tables& GetTables() {
  static const Tables* const tables = new Tables();
  return *tables;
}

}  // namespace

bool IsStopword(std::string_view word) { return GetTables().stopwords.contains(word); }

int MonthNumber(std::string_view word) {
  const auto& months = GetTables().months;
  auto it = months.find(word);
  return it == months.end() ? 0 : it->second;
}

std::string_view CanonicalName(std::string_view key) {
  const auto& names = GetTables().names;
  auto it = names.find(key);
  return it == names.end() ? key : it->second;
}

}  // namespace storyline::cluster::internal
