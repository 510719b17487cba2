// The "storyline" FTS5 tokenizer: SQLite's unicode61 words plus Snowball
// stems, so that a search for "ferry" finds "ferries" and "négociations"
// finds "négocier", in every language the text core stems.
//
// FTS5 hands a tokenizer one column's text and nothing else, so a document's
// language travels inside its text: the store indexes MarkLanguage(lang,
// text), a two-byte-bracketed language code before the text, which the
// tokenizer reads and skips (offsets still point into the marked text).
//
// Documents (and FTS5's auxiliary functions, so that snippets highlight what
// matched) are tokenized as:
//   - a language the text core stems: each word as its stem tagged with the
//     language ("ferri" + 0x1F + "en"), and the word itself at the same
//     position when it differs from its stem ("ferries");
//   - any other language, or text without a marker: the words alone.
// Queries (without a marker) give each word with alternatives at the same
// position (FTS5 matches any of them): the word, and its stem in every
// stemmed language, tagged. A stem that is a stopword of its language
// ("under" is German "und") is left out unless it is the word itself, so a
// query cannot match every German article through a foreign stem. Prefix
// queries ("negotiat*") match the words and the tagged stems as typed.
//
// Tagged stems keep languages apart (an English query's Finnish stem only
// meets Finnish articles) at the cost of one extra token per inflected word;
// a word equal to its stem is stored once.
#ifndef STORYLINE_STORE_FTS_TOKENIZER_H_
#define STORYLINE_STORE_FTS_TOKENIZER_H_

#include <sqlite3.h>

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storyline/core/result.h"

namespace storyline::store {

// The tokenizer's name in FTS5 table definitions
// (tokenize='storyline remove_diacritics 2'; arguments go to unicode61).
inline constexpr const char* kStemmingTokenizer = "storyline";

// The FTS5 extension interface of `db` (kUnsupported when SQLite lacks FTS5).
Result<fts5_api*> Fts5ApiOf(sqlite3* db);

// The tokenizer's settings on one connection.
class StemmingTokenizer {
 public:
  // Registers the tokenizer on `db`; every connection that reads or writes
  // a table using it must do so first. The object belongs to the connection
  // and lives until it closes.
  static Result<StemmingTokenizer*> Register(sqlite3* db);

  // The languages whose stems a query word adds (ISO 639-1 codes; those
  // without a stemmer are dropped). By default every stemmed language; a
  // store narrows it to the languages its articles are in, which finds the
  // same articles with fewer alternatives to look up.
  void SetQueryLanguages(std::span<const std::string> languages);
  const std::vector<std::string>& query_languages() const { return query_languages_; }

 private:
  StemmingTokenizer() = default;
  std::vector<std::string> query_languages_;
};

// Registers the tokenizer on `db` (StemmingTokenizer::Register, for callers
// that keep no settings).
Status RegisterStemmingTokenizer(sqlite3* db);

// `text` marked as written in `lang` (ISO 639-1, "" for unknown), in the
// form the tokenizer reads. The same marking in SQL:
//   char(1) || coalesce(lang, '') || char(1) || text
std::string MarkLanguage(std::string_view lang, std::string_view text);

// `text` without a leading language marker.
std::string_view StripLanguageMarker(std::string_view text);

}  // namespace storyline::store

#endif  // STORYLINE_STORE_FTS_TOKENIZER_H_
