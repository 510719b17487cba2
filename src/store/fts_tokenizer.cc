#include "store/fts_tokenizer.h"

#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "storyline/text/stemmer.h"

namespace storyline::store {
namespace {

constexpr char kMarker = '\x01';
constexpr char kTagSeparator = '\x1f';
// Longest language code a marker may hold ("zh-Hant" and the like).
constexpr std::size_t kMaxLanguageCode = 15;

// The length of the marker at the start of `text` (0 when none) and the
// language it names.
std::size_t MarkerLength(std::string_view text, std::string_view* lang) {
  if (text.empty() || text[0] != kMarker) return 0;
  const std::size_t end = text.find(kMarker, 1);
  if (end == std::string_view::npos || end > kMaxLanguageCode + 1) return 0;
  *lang = text.substr(1, end - 1);
  return end + 1;
}

// What one registration (one connection) passes to its instances.
struct Registration {
  fts5_api* api = nullptr;
  StemmingTokenizer* settings = nullptr;
};

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// A document word's tagged stem, and whether the word is its own stem.
struct StemEntry {
  std::string tagged;
  bool is_stem = false;
};

// Words a document tokenizer remembers per language before starting over:
// news text repeats its words (Zipf), so most tokens skip Snowball (half
// the indexing time without it), and memory stays a few MB.
constexpr std::size_t kStemCacheWords = 50000;

using StemMap = std::unordered_map<std::string, StemEntry, StringHash, std::equal_to<>>;

// One tokenizer instance: the wrapped unicode61 tokenizer, the stemmers, a
// stem cache per document language and a scratch buffer. FTS5 uses an
// instance from one connection at a time.
struct Instance {
  fts5_tokenizer inner_api{};
  Fts5Tokenizer* inner = nullptr;
  const StemmingTokenizer* settings = nullptr;
  text::StemmerCache stems;
  std::string tagged;
  // The stemmed languages of this libstemmer build, found once.
  std::vector<std::string_view> languages;
  // The language of the document being tokenized, "" when none is stemmed,
  // and its stem cache.
  std::string_view doc_lang;
  StemMap* doc_cache = nullptr;
  std::unordered_map<std::string_view, StemMap> caches;
};

// The state of one xTokenize call, passed through unicode61's callback.
struct Call {
  Instance* self = nullptr;
  void* ctx = nullptr;
  int (*emit)(void*, int, const char*, int, int, int) = nullptr;
  int flags = 0;
  int offset = 0;  // bytes of marker before the text unicode61 reads
};

std::string_view Tag(Instance& self, std::string_view stem, std::string_view lang) {
  self.tagged.assign(stem);
  self.tagged += kTagSeparator;
  self.tagged += lang;
  return self.tagged;
}

int EmitView(Call& c, int tflags, std::string_view token, int start, int end) {
  return c.emit(c.ctx, tflags, token.data(), static_cast<int>(token.size()), start, end);
}

int OnToken(void* ctx, int tflags, const char* p, int n, int start, int end) {
  Call& c = *static_cast<Call*>(ctx);
  Instance& self = *c.self;
  const std::string_view word(p, static_cast<std::size_t>(n));
  start += c.offset;
  end += c.offset;
  if ((c.flags & FTS5_TOKENIZE_QUERY) != 0) {
    int rc = EmitView(c, tflags, word, start, end);
    if (rc != SQLITE_OK || (c.flags & FTS5_TOKENIZE_PREFIX) != 0) return rc;
    // Each language's stem as an alternative; identical tags are harmless
    // but cost a lookup, so consecutive duplicates are skipped.
    for (std::string_view lang : self.settings->query_languages()) {
      const std::string_view stem = self.stems.Stem(lang, word);
      if (stem != word && (text::IsStopword(lang, stem) || text::IsStopword(lang, word))) {
        continue;
      }
      rc = EmitView(c, FTS5_TOKEN_COLOCATED, Tag(self, stem, lang), start, end);
      if (rc != SQLITE_OK) return rc;
    }
    return SQLITE_OK;
  }
  if (self.doc_lang.empty()) return EmitView(c, tflags, word, start, end);
  StemMap& cache = *self.doc_cache;
  auto it = cache.find(word);
  if (it == cache.end()) {
    if (cache.size() >= kStemCacheWords) cache.clear();
    const std::string_view stem = self.stems.Stem(self.doc_lang, word);
    it = cache
             .emplace(std::string(word),
                      StemEntry{std::string(Tag(self, stem, self.doc_lang)), stem == word})
             .first;
  }
  const StemEntry& entry = it->second;
  if (entry.is_stem) return EmitView(c, tflags, entry.tagged, start, end);
  const int rc = EmitView(c, tflags, word, start, end);
  if (rc != SQLITE_OK) return rc;
  return EmitView(c, FTS5_TOKEN_COLOCATED, entry.tagged, start, end);
}

int Create(void* user, const char** args, int nargs, Fts5Tokenizer** out) {
  const auto* reg = static_cast<const Registration*>(user);
  fts5_api* api = reg->api;
  void* inner_user = nullptr;
  auto self = std::make_unique<Instance>();
  self->settings = reg->settings;
  int rc = api->xFindTokenizer(api, "unicode61", &inner_user, &self->inner_api);
  if (rc != SQLITE_OK) return rc;
  rc = self->inner_api.xCreate(inner_user, args, nargs, &self->inner);
  if (rc != SQLITE_OK) return rc;
  for (std::string_view lang : text::StemmedLanguages()) {
    if (text::HasStemmer(lang)) self->languages.push_back(lang);
  }
  *out = reinterpret_cast<Fts5Tokenizer*>(self.release());
  return SQLITE_OK;
}

void Delete(Fts5Tokenizer* tokenizer) {
  auto* self = reinterpret_cast<Instance*>(tokenizer);
  if (self->inner != nullptr) self->inner_api.xDelete(self->inner);
  delete self;
}

int Tokenize(Fts5Tokenizer* tokenizer, void* ctx, int flags, const char* text, int n,
             int (*emit)(void*, int, const char*, int, int, int)) {
  auto* self = reinterpret_cast<Instance*>(tokenizer);
  Call call{self, ctx, emit, flags, 0};
  std::string_view lang;
  const std::string_view all(text, n > 0 ? static_cast<std::size_t>(n) : 0);
  const std::size_t marker = (flags & FTS5_TOKENIZE_QUERY) != 0 ? 0 : MarkerLength(all, &lang);
  self->doc_lang = {};
  if (!lang.empty()) {
    for (std::string_view known : self->languages) {
      if (known == lang) self->doc_lang = known;
    }
  }
  if (!self->doc_lang.empty()) self->doc_cache = &self->caches[self->doc_lang];
  call.offset = static_cast<int>(marker);
  return self->inner_api.xTokenize(self->inner, &call, flags, text + marker,
                                   n - static_cast<int>(marker), &OnToken);
}

void DeleteRegistration(void* user) {
  auto* reg = static_cast<Registration*>(user);
  delete reg->settings;
  delete reg;
}

}  // namespace

Result<fts5_api*> Fts5ApiOf(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, nullptr) == SQLITE_OK) {
    sqlite3_bind_pointer(st, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
    sqlite3_step(st);
  }
  sqlite3_finalize(st);
  if (api == nullptr) {
    return MakeError(ErrorCode::kUnsupported, "this SQLite has no FTS5 (full-text search)");
  }
  return api;
}

Result<StemmingTokenizer*> StemmingTokenizer::Register(sqlite3* db) {
  Result<fts5_api*> found = Fts5ApiOf(db);
  if (!found) return Fail(found.error());
  fts5_api* api = *found;
  auto* settings = new StemmingTokenizer();
  std::vector<std::string> all;
  for (std::string_view lang : text::StemmedLanguages()) all.emplace_back(lang);
  settings->SetQueryLanguages(all);
  auto* reg = new Registration{api, settings};
  fts5_tokenizer tokenizer{&Create, &Delete, &Tokenize};
  // On failure SQLite calls DeleteRegistration itself.
  const int rc =
      api->xCreateTokenizer(api, kStemmingTokenizer, reg, &tokenizer, &DeleteRegistration);
  if (rc != SQLITE_OK) {
    return MakeError(ErrorCode::kStore,
                     std::string("cannot register the search tokenizer: ") + sqlite3_errstr(rc));
  }
  return settings;
}

void StemmingTokenizer::SetQueryLanguages(std::span<const std::string> languages) {
  query_languages_.clear();
  for (const std::string& lang : languages) {
    if (text::HasStemmer(lang)) query_languages_.push_back(lang);
  }
}

Status RegisterStemmingTokenizer(sqlite3* db) {
  Result<StemmingTokenizer*> t = StemmingTokenizer::Register(db);
  return t ? Ok() : Fail(t.error());
}

std::string MarkLanguage(std::string_view lang, std::string_view text) {
  std::string out;
  out.reserve(lang.size() + 2 + text.size());
  out += kMarker;
  out += lang;
  out += kMarker;
  out += text;
  return out;
}

std::string_view StripLanguageMarker(std::string_view text) {
  std::string_view lang;
  return text.substr(MarkerLength(text, &lang));
}

}  // namespace storyline::store
