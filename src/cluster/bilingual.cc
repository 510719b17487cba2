#include "cluster/bilingual.h"

#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <utility>

#include "cluster/features.h"
#include "storyline/text/stemmer.h"
#include "storyline/text/tokenizer.h"

namespace storyline::cluster::internal {
namespace {

// FreeDict names languages with ISO 639-3 codes; story features use 639-1.
constexpr std::pair<std::string_view, std::string_view> kLanguages[] = {
    {"fra", "fr"}, {"deu", "de"}, {"spa", "es"}, {"por", "pt"}, {"ita", "it"},
    {"slv", "sl"}, {"ara", "ar"}, {"rus", "ru"}, {"nld", "nl"}, {"swe", "sv"},
    {"dan", "da"}, {"fin", "fi"}, {"hun", "hu"}, {"tur", "tr"}, {"pol", "pl"},
    {"ces", "cs"}, {"ell", "el"}, {"ron", "ro"}, {"hrv", "hr"}, {"srp", "sr"},
    {"bul", "bg"}, {"ukr", "uk"}, {"jpn", "ja"}, {"zho", "zh"}, {"kur", "ku"},
};

std::string_view ShortCode(std::string_view code3) {
  for (const auto& [three, two] : kLanguages) {
    if (three == code3) return two;
  }
  return {};
}

// The key of (lang, stem): the term hash of "lang\x1fstem".
std::uint64_t KeyHash(std::string_view lang, std::string_view stem) {
  std::string key;
  key.reserve(lang.size() + 1 + stem.size());
  key.append(lang).append(1, '\x1f').append(stem);
  return TermHash(kPivot, key);
}

// dictd index offsets and lengths are numbers in base 64, most significant
// digit first.
bool DecodeBase64Number(std::string_view s, std::uint64_t* out) {
  std::uint64_t v = 0;
  if (s.empty() || s.size() > 10) return false;
  for (char c : s) {
    int d;
    if (c >= 'A' && c <= 'Z') {
      d = c - 'A';
    } else if (c >= 'a' && c <= 'z') {
      d = c - 'a' + 26;
    } else if (c >= '0' && c <= '9') {
      d = c - '0' + 52;
    } else if (c == '+') {
      d = 62;
    } else if (c == '/') {
      d = 63;
    } else {
      return false;
    }
    v = v * 64 + static_cast<std::uint64_t>(d);
  }
  *out = v;
  return true;
}

Result<std::string> ReadGzip(const std::filesystem::path& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) return MakeError(ErrorCode::kIo, path.string() + ": cannot open");
  std::string out;
  char buf[1 << 16];
  int n;
  while ((n = gzread(f, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  const bool failed = n < 0;
  gzclose(f);
  if (failed) return MakeError(ErrorCode::kInvalidInput, path.string() + ": damaged gzip data");
  return out;
}

// One language's keys, packed: sorted hashes of (lang, stem), each with a
// run of English stems in `values`.
struct Table {
  struct Key {
    std::uint64_t hash;
    std::uint32_t first;
    std::uint32_t count;
  };
  std::vector<Key> keys;
  std::vector<std::string> values;
};

// Accumulates (lang, stem) -> English stems, then packs them.
class LexiconBuilder {
 public:
  // Reads one dictionary. `source_lang` is the headwords' language and
  // `target_lang` the translations'; one of them is English.
  Status AddDictionary(const std::filesystem::path& index_path,
                       const std::filesystem::path& dict_path, std::string_view source_lang,
                       std::string_view target_lang) {
    Result<std::string> dict = ReadGzip(dict_path);
    if (!dict) return Fail(dict.error());
    std::ifstream index(index_path);
    if (!index) return MakeError(ErrorCode::kIo, index_path.string() + ": cannot open");
    const bool inverted = source_lang == "en";
    const std::string_view foreign = inverted ? target_lang : source_lang;
    std::string line;
    std::size_t line_no = 0;
    while (std::getline(index, line)) {
      ++line_no;
      const std::size_t t1 = line.find('\t');
      const std::size_t t2 = t1 == std::string::npos ? t1 : line.find('\t', t1 + 1);
      std::uint64_t offset = 0;
      std::uint64_t length = 0;
      if (t2 == std::string::npos ||
          !DecodeBase64Number(std::string_view(line).substr(t1 + 1, t2 - t1 - 1), &offset) ||
          !DecodeBase64Number(std::string_view(line).substr(t2 + 1), &length)) {
        return MakeError(
            ErrorCode::kInvalidInput,
            index_path.string() + ":" + std::to_string(line_no) + ": not a dictd index line");
      }
      const std::string_view headword = std::string_view(line).substr(0, t1);
      if (headword.starts_with("00database") || headword.starts_with("00-database")) continue;
      if (offset > dict->size() || length > dict->size() - offset) {
        return MakeError(ErrorCode::kInvalidInput,
                         index_path.string() + ":" + std::to_string(line_no) +
                             ": entry lies outside " + dict_path.filename().string());
      }
      AddEntry(headword, std::string_view(*dict).substr(offset, length), foreign, inverted);
    }
    return Ok();
  }

  Table Build() {
    Table t;
    t.keys.reserve(entries_.size());
    for (auto& [hash, stems] : entries_) {
      t.keys.push_back({hash, static_cast<std::uint32_t>(t.values.size()),
                        static_cast<std::uint32_t>(stems.size())});
      for (std::string& s : stems) t.values.push_back(std::move(s));
    }
    return t;
  }

 private:
  // The one-word key of a headword or translation in `lang`: its single
  // content token, stemmed; empty when it is several words or a stopword.
  std::string OneStem(std::string_view lang, std::string_view phrase) {
    Result<std::span<const text::Token>> tokens = tokenizer_.Tokenize(phrase);
    if (!tokens) return {};
    std::string_view word;
    for (const text::Token& t : *tokens) {
      if (t.kind != text::TokenKind::kWord) continue;
      if (text::IsStopword(lang, t.text)) continue;
      if (!word.empty()) return {};
      word = t.text;
    }
    if (word.size() < 2) return {};
    return std::string(stems_.Stem(lang, word));
  }

  // Up to two content words of an English translation, stemmed.
  void EnglishStems(std::string_view phrase, std::vector<std::string>* out) {
    Result<std::span<const text::Token>> tokens = tokenizer_.Tokenize(phrase);
    if (!tokens) return;
    std::vector<std::string_view> words;
    for (const text::Token& t : *tokens) {
      if (t.kind != text::TokenKind::kWord) continue;
      if (text::IsStopword("en", t.text) || t.text.size() < 2) continue;
      words.push_back(t.text);
    }
    if (words.empty() || words.size() > 2) return;
    for (std::string_view w : words) out->emplace_back(stems_.Stem("en", w));
  }

  // The translations of an entry: the lines after the headword line, with
  // sense numbers ("1. "), bracketed labels ("[mil.]", "<n>"), and notes
  // ("Note:", "see:") removed, split at commas and semicolons.
  static std::vector<std::string> Translations(std::string_view body) {
    std::vector<std::string> out;
    std::size_t start = body.find('\n');
    while (start != std::string_view::npos && start < body.size()) {
      std::size_t end = body.find('\n', start + 1);
      std::string_view line =
          body.substr(start + 1, end == std::string_view::npos ? end : end - start - 1);
      start = end;
      while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
      if (line.empty() || line.starts_with("Note:") || line.starts_with("see:") ||
          line.starts_with("Synonym") || line.starts_with("Antonym")) {
        continue;
      }
      std::size_t digits = 0;
      while (digits < line.size() && line[digits] >= '0' && line[digits] <= '9') ++digits;
      if (digits > 0 && digits + 1 < line.size() && line[digits] == '.') {
        line.remove_prefix(digits + 1);
      }
      std::string clean;
      int depth = 0;
      for (char c : line) {
        if (c == '[' || c == '<' || c == '(' || c == '{') {
          ++depth;
        } else if ((c == ']' || c == '>' || c == ')' || c == '}') && depth > 0) {
          --depth;
        } else if (depth == 0) {
          clean.push_back(c == ';' ? ',' : c);
        }
      }
      std::size_t from = 0;
      while (from <= clean.size()) {
        std::size_t comma = clean.find(',', from);
        if (comma == std::string::npos) comma = clean.size();
        std::string part = clean.substr(from, comma - from);
        if (part.find_first_not_of(' ') != std::string::npos) out.push_back(std::move(part));
        from = comma + 1;
      }
    }
    return out;
  }

  // The headword line is "word /ipa/ <pos>": the word is what the index
  // names already.
  void AddEntry(std::string_view headword, std::string_view body, std::string_view foreign,
                bool inverted) {
    if (headword.find(' ') != std::string_view::npos) return;  // a phrase, never one token
    const std::vector<std::string> translations = Translations(body);
    if (!inverted) {
      const std::string key = OneStem(foreign, headword);
      if (key.empty()) return;
      std::vector<std::string>& stems = entries_[KeyHash(foreign, key)];
      for (const std::string& t : translations) {
        if (stems.size() >= BilingualLexicon::kMaxTranslations) break;
        std::vector<std::string> english;
        EnglishStems(t, &english);
        for (std::string& e : english) {
          if (stems.size() < BilingualLexicon::kMaxTranslations &&
              std::find(stems.begin(), stems.end(), e) == stems.end()) {
            stems.push_back(std::move(e));
          }
        }
      }
      if (stems.empty()) entries_.erase(KeyHash(foreign, key));
      return;
    }
    // English headword, foreign translations: each translation maps back.
    std::vector<std::string> english;
    EnglishStems(headword, &english);
    if (english.size() != 1) return;
    for (const std::string& t : translations) {
      const std::string key = OneStem(foreign, t);
      if (key.empty()) continue;
      std::vector<std::string>& stems = entries_[KeyHash(foreign, key)];
      if (stems.size() < BilingualLexicon::kMaxTranslations &&
          std::find(stems.begin(), stems.end(), english[0]) == stems.end()) {
        stems.push_back(english[0]);
      }
    }
  }

  text::Tokenizer tokenizer_{text::TokenizerOptions{.skip_punct = true, .split_hyphens = false}};
  text::StemmerCache stems_;
  std::map<std::uint64_t, std::vector<std::string>> entries_;
};

}  // namespace

struct BilingualLexicon::Language {
  struct File {
    std::filesystem::path index;
    std::filesystem::path dict;
    std::string from;  // headwords' language
    std::string to;    // translations' language
  };
  std::string code;
  std::vector<File> files;
  mutable std::once_flag once;
  mutable Table table;
  mutable Status status = Ok();
};

BilingualLexicon::BilingualLexicon() = default;
BilingualLexicon::~BilingualLexicon() = default;

std::shared_ptr<const BilingualLexicon> BilingualLexicon::Open(const std::string& dir) {
  auto lex = std::make_shared<BilingualLexicon>();
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return lex;
  std::vector<std::filesystem::path> indexes;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("freedict-") && name.ends_with(".index")) indexes.push_back(entry.path());
  }
  std::sort(indexes.begin(), indexes.end());
  std::map<std::string, std::vector<Language::File>> by_lang;
  for (const std::filesystem::path& index : indexes) {
    // freedict-fra-eng.index: source "fra", target "eng".
    const std::string stem = index.stem().string();
    if (stem.size() != 16 || stem[12] != '-') continue;
    const std::string source = stem.substr(9, 3);
    const std::string target = stem.substr(13, 3);
    Language::File file;
    file.index = index;
    file.dict = index;
    file.dict.replace_extension(".dict.dz");
    if (target == "eng" && !ShortCode(source).empty()) {
      file.from = ShortCode(source);
      file.to = "en";
    } else if (source == "eng" && !ShortCode(target).empty()) {
      file.from = "en";
      file.to = ShortCode(target);
    } else {
      continue;
    }
    if (!std::filesystem::exists(file.dict, ec)) continue;
    const std::string foreign = file.from == "en" ? file.to : file.from;
    by_lang[foreign].push_back(std::move(file));
  }
  for (auto& [code, files] : by_lang) {
    auto language = std::make_unique<Language>();
    language->code = code;
    language->files = std::move(files);
    lex->languages_.push_back(std::move(language));
  }
  return lex;
}

std::shared_ptr<const BilingualLexicon> BilingualLexicon::Shared(const std::string& dir) {
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<const BilingualLexicon>> opened;
  std::lock_guard<std::mutex> lock(mu);
  auto it = opened.find(dir);
  if (it != opened.end()) return it->second;
  std::shared_ptr<const BilingualLexicon> lex = Open(dir);
  opened.emplace(dir, lex);
  return lex;
}

const BilingualLexicon::Language* BilingualLexicon::Find(std::string_view lang) const {
  for (const auto& l : languages_) {
    if (l->code == lang) return l.get();
  }
  return nullptr;
}

Status BilingualLexicon::Load(std::string_view lang) const {
  const Language* l = Find(lang);
  if (l == nullptr) return Ok();
  std::call_once(l->once, [l] {
    LexiconBuilder builder;
    for (const Language::File& f : l->files) {
      if (Status s = builder.AddDictionary(f.index, f.dict, f.from, f.to); !s) {
        l->status = s;
        return;
      }
    }
    l->table = builder.Build();
  });
  return l->status;
}

std::vector<std::string> BilingualLexicon::languages() const {
  std::vector<std::string> out;
  for (const auto& l : languages_) out.push_back(l->code);
  return out;
}

std::span<const std::string> BilingualLexicon::Translate(std::string_view lang,
                                                         std::string_view stem) const {
  const Language* l = Find(lang);
  if (l == nullptr || !Load(lang)) return {};
  const std::uint64_t h = KeyHash(lang, stem);
  const Table& t = l->table;
  auto it = std::lower_bound(t.keys.begin(), t.keys.end(), h,
                             [](const Table::Key& k, std::uint64_t x) { return k.hash < x; });
  if (it == t.keys.end() || it->hash != h) return {};
  return std::span<const std::string>(t.values.data() + it->first, it->count);
}

}  // namespace storyline::cluster::internal
