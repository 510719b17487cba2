#include "clean/cues.h"

#include <algorithm>

#include "core/calendar.h"

namespace storyline::clean::internal {
namespace {

using Set = std::unordered_set<std::uint64_t>;

void AddWords(Set* set, std::initializer_list<std::string_view> words) {
  for (std::string_view w : words) {
    for (std::uint64_t h : WordHashes(w)) set->insert(h);
  }
}

}  // namespace

std::string_view CueReason(Cue cue) {
  switch (cue) {
    case Cue::kNone: return "";
    case Cue::kCredit: return "caption credit";
    case Cue::kProvenance: return "provenance note";
    case Cue::kCopyright: return "copyright notice";
    case Cue::kComment: return "comment form";
    case Cue::kCookie: return "cookie notice";
    case Cue::kCallToAction: return "call to action";
    case Cue::kShare: return "share or follow call";
    case Cue::kRelated: return "related stories";
    case Cue::kTeaser: return "teaser for another article";
    case Cue::kNavigation: return "navigation";
    case Cue::kTags: return "tags";
    case Cue::kAdvert: return "advertisement label";
    case Cue::kLabel: return "section label";
    case Cue::kReadingTime: return "reading time";
    case Cue::kContact: return "contact prompt";
    case Cue::kContributors: return "contributor credit";
    case Cue::kByline: return "byline";
    case Cue::kStaff: return "newsroom credit";
  }
  return "";
}

bool IsEndMarker(Cue cue) {
  switch (cue) {
    case Cue::kProvenance:
    case Cue::kCopyright:
    case Cue::kComment:
    case Cue::kShare:
    case Cue::kRelated:
    case Cue::kNavigation:
    case Cue::kTags:
    case Cue::kContact:
    case Cue::kContributors:
      return true;
    default:
      return false;
  }
}

void CueMatcher::Add(Cue cue, Anchor anchor, int max_words, int flags,
                     std::initializer_list<std::string_view> phrases) {
  for (std::string_view phrase : phrases) {
    Entry e{cue, anchor, static_cast<std::uint8_t>(max_words),
            static_cast<std::uint8_t>(flags), WordHashes(phrase)};
    if (e.words.empty()) continue;
    auto index = static_cast<std::uint32_t>(entries_.size());
    std::uint64_t first = e.words.front();
    by_first_word_[first].push_back(index);
    first_word_filter_[(first >> 6) & 63] |= std::uint64_t{1} << (first & 63);
    entries_.push_back(std::move(e));
  }
}

CueMatcher::CueMatcher() {
  AddPageCues();
  AddNavigationCues();
  AddWordSets();
}

// Notices a page carries around an article: photo credits, provenance,
// copyright, comment forms, cookie banners.
void CueMatcher::AddPageCues() {
  // Phrases are written folded (lower case, no accents); apostrophes and
  // hyphens separate words, so "s'inscrire" is written "s inscrire".
  // --- photo credits (caption) ---
  Add(Cue::kCredit, kEdge, 90, 0,
      {"file photo", "photo de dossier", "photo d archives", "photo archives",
       "foto de archivo", "imagen de archivo", "archivbild", "archivfoto", "getty images",
       "afp photo", "ap photo", "reuters photo", "photo afp", "photo ap", "via getty",
       "via reuters", "photo credit", "image credit", "credit photo", "shutterstock",
       "istock", "istockphoto", "picture alliance", "handout via", "keystone",
       "photo illustration", "abaca", "maxppp", "hans lucas"});
  // --- provenance and updates ---
  Add(Cue::kProvenance, kAnywhere, 45, 0,
      {"first appeared on", "first appeared in", "originally appeared", "originally published",
       "was first published", "est apparu en premier", "apparu en premier sur",
       "a d abord ete publie", "initialement publie", "cet article est issu",
       "cet article a ete publie", "published from a", "has not been edited",
       "have not been edited", "n a pas ete modifie", "n a pas ete edite",
       "esta informacion ha sido elaborada", "esta noticia ha sido elaborada",
       "publicado originalmente", "dieser beitrag stammt", "dieser artikel erschien",
       "zuerst erschienen", "erschien zuerst", "auto generated from a syndicated",
       "generated from a syndicated feed", "this story has been updated",
       "this article has been updated", "this story was updated", "cette histoire a ete mise a jour",
       "cet article a ete mis a jour", "cette depeche a ete mise a jour",
       "esta noticia ha sido actualizada", "dieser artikel wurde aktualisiert",
       "this is a developing story", "our standards", "nos normes", "trust principles",
       "principes de confiance", "nuestros estandares", "unsere standards"});
  // --- copyright ---
  Add(Cue::kCopyright, kAnywhere, 45, 0,
      {"all rights reserved", "tous droits reserves", "reproduction interdite",
       "todos los derechos reservados", "alle rechte vorbehalten", "droits de reproduction",
       "redistribution without", "may not be published broadcast", "may not be reproduced"});
  Add(Cue::kCopyright, kStart, 30, 0, {"copyright", "c copyright"});
  // --- comment forms ---
  Add(Cue::kComment, kAnywhere, 45, 0,
      {"log in to comment", "sign in to comment", "to leave a comment", "will not be published", "won t be published",
       "required fields are marked", "fields marked", "never display your email",
       "keep it civil", "ne sera pas publiee", "ne sera pas publie", "champs obligatoires",
       "champs suivis", "mentions marquees", "restera confidentielle", "no se mostrara",
       "no sera publicado", "campos obligatorios", "mensajes ofensivos", "pflichtfelder",
       "wird nicht veroffentlicht", "bleibt fur andere leser unsichtbar"});
  // Phrases that prose may contain ("would not add comment"): only at the start.
  Add(Cue::kComment, kStart, 45, 0,
      {"leave a comment", "leave a reply", "post a comment", "add a comment", "add comment",
       "comments are closed", "join the conversation", "cancel reply", "laisser un commentaire",
       "laissez un commentaire", "reagir a cet article", "annuler la reponse",
       "publier le commentaire", "votre commentaire", "pour reagir", "deja tu comentario",
       "deja un comentario", "publicar comentario", "kommentar schreiben",
       "kommentar verfassen", "zum kommentieren", "your comment", "tu comentario",
       "ihr kommentar"});
  Add(Cue::kComment, kStart, 3, 0,
      {"comments", "comment", "commentaires", "commentaire", "comentarios", "comentario",
       "kommentare", "kommentar", "reagir"});
  // --- cookies and consent ---
  Add(Cue::kCookie, kAnywhere, 60, 0,
      {"use cookies", "uses cookies", "utilise des cookies", "utilisons des cookies",
       "utilizamos cookies", "usamos cookies", "utiliza cookies", "nutzen cookies",
       "verwenden cookies", "verwendet cookies", "cookie policy", "cookie settings",
       "politique cookies", "gestion des cookies", "cookie einstellungen", "cookies propias",
       "privacy policy", "politique de confidentialite", "politica de privacidad",
       "datenschutzerklarung", "en poursuivant votre navigation", "by continuing to browse",
       "by continuing to use", "accept cookies", "accepter les cookies", "aceptar cookies"});
  Add(Cue::kCookie, kWhole, 5, 0,
      {"accept", "accept all", "accept and close", "accepter", "accepter et fermer",
       "tout accepter", "j accepte", "aceptar", "aceptar todas", "aceptar y cerrar",
       "aceptar todas configurar", "alle akzeptieren", "akzeptieren", "i agree",
       "agree and close", "got it", "manage preferences", "parametrer", "configurar",
       "einstellungen", "tout refuser", "reject all", "rechazar", "ablehnen"});
}

// What leads a reader elsewhere: calls to action, sharing, related
// stories, navigation, labels; and bylines and credits.
void CueMatcher::AddNavigationCues() {
  // --- calls to action ---
  Add(Cue::kCallToAction, kAnywhere, 24, 0,
      {"subscribe now", "subscribe to", "subscribe for", "sign up", "sign in", "log in",
       "register now", "create an account", "create a free account", "in your inbox",
       "already a subscriber", "subscribers only", "for subscribers",
       "support local journalism", "support our journalism", "support independent journalism",
       "click here", "download our app", "download the app", "unlimited access",
       "inscrivez vous", "s inscrire", "je m inscris", "abonnez vous", "je m abonne",
       "s abonner", "deja abonne", "connectez vous", "se connecter", "creez un compte",
       "boite mail", "boite de reception", "soutenez", "cliquez ici", "telechargez",
       "acces illimite", "reserve aux abonnes", "suscribete", "suscribase",
       "hazte suscriptor", "registrate", "inicia sesion", "iniciar sesion", "haz clic",
       "haga clic", "pulsa aqui", "descarga la app", "jetzt abonnieren", "abonnieren sie",
       "melden sie sich an", "jetzt anmelden", "jetzt registrieren", "jetzt kostenlos",
       "hier klicken", "klicken sie", "laden sie die app", "e mail postfach"});
  Add(Cue::kCallToAction, kAnywhere, 12, 0,
      {"subscribe", "newsletter", "newsletters", "abonnieren", "anmelden", "registrieren",
       "suscribirse", "suscripcion", "boletin", "abonnez", "abonnement", "abonne", "recevez",
       "recibe", "sinscrire"});
  // --- share and follow ---
  Add(Cue::kShare, kStart, 20, 0,
      {"share this", "share on", "share article", "share this article", "share this story",
       "follow us", "follow our", "for latest updates", "partager", "partagez",
       "partager cet article", "suivez nous", "ne manquez plus rien", "ne manquez rien",
       "comparte", "compartir", "comparte esta", "siguenos", "sigue a", "teilen",
       "artikel teilen", "diesen artikel teilen", "folgen sie uns", "folge uns"});
  Add(Cue::kShare, kStart, 20, kNeedsSocialOrShort,
      {"share", "follow", "follow the", "suivez", "sigue", "sigue a", "folgen sie"});
  Add(Cue::kShare, kAnywhere, 20, 0,
      {"google news", "google actualites", "google noticias", "on google news"});
  // --- related stories and teasers ---
  Add(Cue::kRelated, kStart, 6, kNotSentence,
      {"related", "related posts", "related articles", "related stories", "related content",
       "related coverage", "more from", "more stories", "more on this", "you may also like",
       "you might also like", "recommended", "recommended for you", "sur le meme sujet",
       "dans la meme rubrique", "a voir aussi", "les plus lus", "noticias relacionadas",
       "lo mas leido", "mas noticias", "mehr zum thema", "weitere nachrichten",
       "weitere artikel", "meistgelesen", "das konnte sie auch interessieren",
       "auch interessant", "most read", "most popular", "trending", "trending now"});
  Add(Cue::kTeaser, kStart, 30, 0,
      {"read more", "read also", "read next", "also read", "see also", "don t miss",
       "a lire aussi", "lire aussi", "a lire egalement", "lire egalement", "voir aussi",
       "lire la suite", "a decouvrir", "lee tambien", "lea tambien", "leer mas",
       "te puede interesar", "tambien te puede interesar", "mas informacion",
       "lesen sie auch", "lesen sie mehr", "weiterlesen", "mehr lesen", "auch lesen"});
  Add(Cue::kTeaser, kStart, 30, kNotSentence, {"read", "watch", "a lire", "lire", "voir"});
  // --- navigation ---
  Add(Cue::kNavigation, kWhole, 4, 0,
      {"prev", "next", "previous", "precedent", "suivant", "zuruck", "weiter", "vor",
       "anterior", "siguiente", "home", "accueil", "inicio", "startseite", "back to top",
       "retour en haut", "volver arriba", "nach oben", "menu", "search", "rechercher",
       "buscar", "suche", "article suivant", "article precedent", "next article",
       "previous article", "next story", "previous story", "noticia anterior",
       "noticia siguiente", "vorheriger artikel", "nachster artikel", "older posts",
       "newer posts", "page suivante", "page precedente", "load more", "voir plus",
       "ver mas", "mehr anzeigen", "show more"});
  Add(Cue::kNavigation, kStart, 30, 0,
      {"prev", "previous article", "previous story", "previous post", "next article",
       "next story", "next post", "article suivant", "article precedent",
       "noticia anterior", "noticia siguiente", "articulo anterior", "articulo siguiente",
       "vorheriger artikel", "nachster artikel", "zuruck zur startseite"});
  Add(Cue::kNavigation, kStart, 30, kNeedsCaps, {"next", "previous", "suivant", "precedent"});
  Add(Cue::kTags, kStart, 40, 0,
      {"tags", "tag", "mots cles", "mots clefs", "etiquetas", "temas", "schlagworte",
       "schlagwörter", "themen", "topics", "sujets", "keywords"});
  // --- labels ---
  Add(Cue::kAdvert, kWhole, 6, 0,
      {"advertisement", "advertising", "ad", "ads", "sponsored", "sponsored content",
       "paid content", "partner content", "promoted", "publicite", "pub", "contenu sponsorise",
       "publi reportage", "publireportage", "publicidad", "contenido patrocinado", "anuncio",
       "anzeige", "werbung", "gesponsert", "story continues below advertisement",
       "article continues below advertisement", "continue reading below",
       "la suite apres cette publicite", "la suite apres la publicite",
       "scroll to continue with content"});
  Add(Cue::kLabel, kWhole, 4, 0,
      {"breaking news", "breaking", "top stories", "top story", "exclusive", "live",
       "live updates", "en direct", "direct", "urgent", "alerte info", "ultima hora",
       "en vivo", "en directo", "eilmeldung", "liveticker", "news", "actualites", "actualite",
       "noticias", "nachrichten", "opinion", "analysis", "analyse", "analisis", "video",
       "videos", "photos", "fotos", "audio", "podcast", "edition digitale", "edicion digital",
       "latest news", "dernieres nouvelles", "a la une", "la une", "lo ultimo", "aktuell"});
  Add(Cue::kReadingTime, kAnywhere, 8, 0,
      {"temps de lecture", "min read", "minute read", "minutes read", "reading time",
       "lesezeit", "tiempo de lectura", "minutes de lecture", "min de lecture",
       "minutos de lectura", "min lectura", "min lesezeit"});
  Add(Cue::kContact, kAnywhere, 30, 0,
      {"got a story", "contact our newsdesk", "contact the newsdesk", "send us a tip",
       "tip us off", "email us at", "contactez nous", "contactez la redaction",
       "vous avez une info", "une info a nous", "sie haben einen hinweis", "schreiben sie uns",
       "kontaktformular", "escribenos", "contacta con nosotros", "envianos"});
  // --- bylines and credits ---
  Add(Cue::kContributors, kAnywhere, 45, 0,
      {"reporting by", "additional reporting", "editing by", "writing by", "compiled by", "contributed to this report",
       "contributed reporting", "contributed to this article", "contributed to this story",
       "ont contribue a ce rapport", "a contribue a ce rapport", "ont contribue a cet article",
       "a contribue a cet article", "ont contribue a cette", "a contribue a cette",
       "reportage par", "montage par", "edition par", "avec la contribution",
       "avec la collaboration", "contribuyeron a este", "contribuyo a este",
       "con informacion de", "mit material von"});
  Add(Cue::kContributors, kStart, 20, 0,
      {"written by", "edited by", "redige par", "ecrit par", "escrito por", "redactado por",
       "geschrieben von", "mitarbeit"});
  Add(Cue::kByline, kStart, 10, kNotSentence,
      {"by", "par", "por", "von", "di", "posted by", "publie par", "publicado por",
       "text", "texte", "texto", "words by", "story by", "from"});
  Add(Cue::kStaff, kWhole, 5, 0,
      {"la redaction", "redaction", "par la redaction", "la redaccion", "redaccion",
       "von unserer redaktion", "unsere redaktion", "redaktion", "staff", "staff reporter",
       "staff writer", "our reporter", "our correspondent", "notre correspondant",
       "nuestro corresponsal", "agences", "agencies", "agencias", "agenturen", "wires",
       "news desk", "newsdesk", "web desk", "desk", "afp", "reuters", "ap", "dpa", "efe"});
}

// The word sets the line tests look up (social networks, calendar words,
// date fillers, name particles, job titles, ...).
void CueMatcher::AddWordSets() {
  AddWords(&social_, {"facebook", "twitter", "whatsapp", "instagram", "linkedin", "telegram",
                      "youtube", "tiktok", "pinterest", "flipboard", "reddit", "threads",
                      "bluesky", "mastodon", "snapchat", "messenger", "xing", "viber"});
  // Weekdays and relative days; month names come from the shared table.
  AddWords(&calendar_words_,
           {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon",
            "tue", "tues", "wed", "thu", "thurs", "fri", "sat", "sun", "lundi", "mardi", "mercredi",
            "jeudi", "vendredi", "samedi", "dimanche", "lun", "mer", "jeu", "ven", "sam", "dim",
            "lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo", "montag",
            "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag", "mo", "di", "mi",
            "do", "fr", "sa", "so", "today", "yesterday", "aujourd", "hier", "hoy", "ayer", "heute",
            "gestern"});
  for (const storyline::internal::MonthWord& m : storyline::internal::MonthWords()) {
    if ((m.languages & storyline::internal::kMonthsEnFrEsDe) != 0) {
      AddWords(&calendar_words_, {m.word});
    }
  }
  AddWords(&date_fillers_,
           {"le", "du", "de", "del", "at", "a", "the", "on", "um", "uhr", "h", "am", "pm",
            "a m", "p m", "utc", "gmt", "cet", "cest", "est", "edt", "bst", "pst", "pdt",
            "cdt", "cst", "mez", "mesz", "published", "publie", "publiee", "updated",
            "update", "mis", "jour", "modifie", "modifiee", "actualise", "actualizado",
            "actualizada", "aktualisiert", "veroffentlicht", "publicado", "publicada",
            "hs", "hrs", "st", "nd", "rd", "th", "er", "et", "y", "und", "and", "last",
            "dernier", "derniere", "ultima", "zuletzt", "stand", "heure", "heures", "hora",
            "horas", "le", "el", "la", "en", "in", "im", "to", "a", "las", "los", "il", "y",
            "hui", "it", "min", "ago", "il y a", "hace", "vor", "seit", "date", "fecha", "datum"});
  AddWords(&name_particles_, {"de", "du", "des", "la", "le", "van", "von", "der", "den",
                              "da", "di", "del", "dos", "das", "y", "e", "bin", "al", "el",
                              "ben", "ter", "zu", "st", "mc", "jr", "sr"});
  AddWords(&job_titles_,
           {"reporter", "correspondent", "editor", "writer", "columnist", "journalist",
            "correspondant", "correspondante", "journaliste", "redacteur", "redactrice",
            "envoye", "envoyee", "speciale", "special", "chroniqueur", "chroniqueuse",
            "redakteur", "redakteurin", "korrespondent", "korrespondentin", "autor", "autorin",
            "corresponsal", "redactor", "redactora", "periodista", "enviado", "enviada",
            "photographer", "photographe", "fotografo", "fotograf", "fotografin", "staff"});
  AddWords(&agencies_, {"reuters", "afp", "ap", "epa", "dpa", "efe", "getty", "ansa",
                        "xinhua", "anadolu", "sipa", "maxppp", "imago", "belga", "anp", "tass",
                        "ria", "kyodo", "yonhap", "pa", "aap", "bloomberg", "apa", "sda",
                        "keystone", "europa", "press", "abaca", "ddp", "kna", "epd", "lusa"});
  AddWords(&credit_words_,
           {"photo", "photos", "foto", "fotos", "picture", "pictures", "pic", "image", "images",
            "imagen", "imagenes", "bild", "bilder", "credit", "credits", "credito", "creditos",
            "illustration", "photograph", "photographs", "fotografia", "source", "quelle",
            "fuente", "video", "graphic", "infographie", "infografia", "grafik"});
  AddWords(&determiners_, {"the", "a", "an", "les", "le", "la", "un", "une", "el", "los",
                           "las", "die", "der", "das", "ein", "eine", "this", "ce", "cette"});
  AddWords(&conjunctions_, {"avec", "with", "con", "mit", "and", "et", "y", "und", "plus"});
  AddWords(&file_labels_, {"file", "dossier", "archives", "archive", "archivo", "archiv",
                           "photo", "foto", "fotos", "photos"});
}

bool CueMatcher::MatchesAt(const Entry& e, const LineScan& scan, std::size_t at) const {
  const std::size_t n = scan.words.size();
  if (n > e.max_words) return false;
  if (at + e.words.size() > n) return false;
  for (std::size_t k = 0; k < e.words.size(); ++k) {
    if (scan.words[at + k].hash != e.words[k]) return false;
  }
  switch (e.anchor) {
    case kStart:
      if (at != 0) return false;
      break;
    case kWhole:
      if (at != 0 || e.words.size() != n) {
        // Allow a trailing count: "Commentaires (0)".
        if (at != 0 || e.words.size() + 1 != n ||
            (scan.words.back().flags & kHasLetter) != 0) {
          return false;
        }
      }
      break;
    case kAnywhere:
      break;
    case kEdge:
      if (at > 12 && at + e.words.size() + 10 < n) return false;
      break;
  }
  if ((e.flags & kNeedsCaps) && (scan.words[0].flags & kAllUpper) == 0) return false;
  if ((e.flags & kNotSentence) && scan.ends_sentence) return false;
  if ((e.flags & kNeedsSocialOrShort) && n > 4 && SocialNames(scan) == 0) return false;
  return true;
}

Cue CueMatcher::Match(const LineScan& scan) const {
  Cue best = Cue::kNone;
  const std::size_t n = scan.words.size();
  if (n == 0) return best;
  // Past 90 words no cue applies (every gate is lower), and long lines are
  // where the bytes are: skip them after the first word.
  const std::size_t limit = n > 90 ? 1 : n;
  for (std::size_t at = 0; at < limit; ++at) {
    std::uint64_t h = scan.words[at].hash;
    if ((first_word_filter_[(h >> 6) & 63] & (std::uint64_t{1} << (h & 63))) == 0) continue;
    auto it = by_first_word_.find(h);
    if (it == by_first_word_.end()) continue;
    for (std::uint32_t index : it->second) {
      const Entry& e = entries_[index];
      if (best != Cue::kNone && e.cue >= best) continue;
      if (MatchesAt(e, scan, at)) best = e.cue;
    }
  }
  return best;
}

int CueMatcher::SocialNames(const LineScan& scan) const {
  int count = 0;
  for (const Word& w : scan.words) count += social_.contains(w.hash) ? 1 : 0;
  return count;
}

}  // namespace storyline::clean::internal
