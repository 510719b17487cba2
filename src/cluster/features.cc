#include "cluster/features.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <unordered_map>

#include "cluster/bilingual.h"
#include "cluster/lexicon.h"
#include "core/hash.h"
#include "storyline/text/language.h"
#include "storyline/text/normalize.h"
#include "storyline/text/stemmer.h"
#include "storyline/text/tokenizer.h"

namespace storyline::cluster::internal {
namespace {

bool IsAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

std::size_t Utf8Length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xf0) return 4;
  if (lead >= 0xe0) return 3;
  return 2;
}

// A day of the month written as a number or an ordinal ("12", "12th",
// "1er", "1º"); 0 when `t` is not one.
int DayNumber(std::string_view t) {
  std::size_t digits = 0;
  while (digits < t.size() && digits < 3 && t[digits] >= '0' && t[digits] <= '9') ++digits;
  if (digits == 0 || digits > 2) return 0;
  std::string_view suffix = t.substr(digits);
  if (!suffix.empty() && suffix != "st" && suffix != "nd" && suffix != "rd" && suffix != "th" &&
      suffix != "er" && suffix != "e" && suffix != "º" && suffix != "o" && suffix != ".") {
    return 0;
  }
  int day = t[0] - '0';
  if (digits == 2) day = day * 10 + (t[1] - '0');
  return day >= 1 && day <= 31 ? day : 0;
}

// A token kept for the date pass: a slice of Impl::word_chars (tokens
// themselves die with the next Tokenize call).
struct Word {
  std::uint32_t begin = 0;
  std::uint32_t size = 0;
  bool number = false;
  // Index of the number's term in the numbers field, or -1 (none, or a
  // number that became part of a date).
  std::int32_t number_term = -1;
};

// True when `t` is exactly three ASCII digits: a thousands group.
bool ThousandsGroup(std::string_view t) {
  return t.size() == 3 &&
         std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// True when the bytes between two numbers are one space of the kinds that
// separate thousands groups ("10 000", "10\u00a0000", "10\u202f000").
bool GroupSeparator(std::string_view gap) {
  return gap == " " || gap == "\u00a0" || gap == "\u202f" || gap == "\u2009";
}

}  // namespace

std::uint64_t TermHash(Field field, std::string_view text) {
  namespace h = storyline::internal;
  const std::uint64_t seed = h::kFnvOffset ^ (static_cast<std::uint64_t>(field) + 1) * h::kFnvPrime;
  return h::Mix64(h::Fnv1a64(text, seed));
}

std::string FoldName(std::string_view word) {
  std::string key;
  if (IsAscii(word)) {
    key.assign(word);
  } else {
    key = text::FoldAccents(word);
    if (!IsAscii(key)) {
      Result<std::string> latin = text::ToLatin(key);
      if (latin) key = std::move(*latin);
    }
  }
  // Hyphens and apostrophes vary across languages ("Saint-Martin",
  // "Saint Martin" split by the tokenizer anyway); drop what is left.
  std::erase_if(key, [](char c) { return c == '\'' || c == '-'; });
  return std::string(CanonicalName(key));
}

std::string NormalizeNumber(std::string_view number) {
  // Thousands groups: "1.200", "1,200", "12.500.000". Anything else with a
  // separator is a decimal ("2,3" in French is "2.3" in English).
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  bool thousands = false;
  {
    std::size_t i = 0;
    std::size_t lead = 0;
    while (i < number.size() && is_digit(number[i])) ++i, ++lead;
    if (lead >= 1 && lead <= 3 && i < number.size()) {
      thousands = true;
      const char sep = number[i];
      while (i < number.size()) {
        if (number[i] != sep || i + 4 > number.size() || !is_digit(number[i + 1]) ||
            !is_digit(number[i + 2]) || !is_digit(number[i + 3]) ||
            (i + 4 < number.size() && is_digit(number[i + 4]))) {
          thousands = false;
          break;
        }
        i += 4;
      }
      if (sep != '.' && sep != ',') thousands = false;
    }
  }
  std::string out;
  out.reserve(number.size());
  for (char c : number) {
    if (c == '.' || c == ',') {
      if (!thousands) out.push_back('.');
    } else {
      out.push_back(c);
    }
  }
  if (out.size() < 2) return {};
  return out;
}

struct FeatureExtractor::Impl {
  text::Tokenizer tokenizer{text::TokenizerOptions{.skip_punct = true, .split_hyphens = true}};
  text::StemmerCache stems;
  std::shared_ptr<const BilingualLexicon> lexicon;

  // Memo of the per-word work (stopword test, Snowball stem, term hashes):
  // news vocabulary repeats, and stemming is the costliest step per word.
  // Direct-mapped; an entry is trusted only when its full 64-bit key
  // matches, so the memo never changes a result.
  struct WordMemo {
    std::uint64_t key = 0;
    std::uint64_t body_term = 0;
    std::uint64_t title_term = 0;
    // The word's English pivot terms (its own stem for English; its
    // dictionary translations otherwise, or its own folded spelling when
    // the dictionaries have none).
    std::array<std::uint64_t, BilingualLexicon::kMaxTranslations> pivot{};
    std::uint8_t pivot_count = 0;
    bool stopword = false;
  };
  static constexpr std::size_t kMemoSize = std::size_t{1} << 16;
  std::vector<WordMemo> memo = std::vector<WordMemo>(kMemoSize);

  // Per-call buffers, reused.
  std::array<std::vector<std::uint64_t>, kFieldCount> terms;
  std::vector<Word> words;
  std::string word_chars;
  std::string scratch;
  // Labels of the article as (term, where in label_chars, length); only
  // the distinct ones are copied into strings at the end.
  struct LabelRef {
    std::uint64_t term;
    std::uint32_t begin;
    std::uint32_t size;
  };
  std::vector<LabelRef> label_refs;
  // Memo keys of a text's tokens (0 for tokens that are not looked up).
  std::vector<std::uint64_t> token_keys;
  std::string label_chars;
  std::string title_fixed;
  std::string body_fixed;

  void KeepLabel(std::uint64_t term, std::string_view text) {
    label_refs.push_back({term, static_cast<std::uint32_t>(label_chars.size()),
                          static_cast<std::uint32_t>(text.size())});
    label_chars.append(text);
  }
  std::string_view LabelText(const LabelRef& l) const {
    return std::string_view(label_chars).substr(l.begin, l.size);
  }

  void KeepWord(std::string_view word, bool number, std::int32_t number_term = -1) {
    words.push_back({static_cast<std::uint32_t>(word_chars.size()),
                     static_cast<std::uint32_t>(word.size()), number, number_term});
    word_chars.append(word);
  }
  std::string_view WordText(std::size_t i) const {
    return std::string_view(word_chars).substr(words[i].begin, words[i].size);
  }

  std::string_view Stem(std::string_view lang, std::string_view word) {
    return stems.Stem(lang, word);
  }

  // FoldName memoised (ICU folding and transliteration are slow), keyed by
  // the word's hash; the full word is compared before an entry is trusted.
  struct NameMemo {
    std::string word;
    std::string key;
  };
  std::vector<NameMemo> name_memo = std::vector<NameMemo>(std::size_t{1} << 14);

  // `text`, or its repair into `fixed` when it is not valid UTF-8.
  static std::string_view Valid(std::string_view text, std::string& fixed);
  // Adds the terms, words and labels of a title or a body.
  void Scan(std::string_view original, bool is_title, bool names_from_title,
            std::string_view lang_code);
  // Computes the memo keys of `tokens` into token_keys and prefetches them.
  void PrefetchMemo(std::span<const text::Token> tokens, std::string_view lang_code);
  // Keeps a number token, joining thousands groups to the number before.
  void ScanNumber(const text::Token& token, std::string_view original, std::string& grouped,
                  std::size_t& grouped_end);
  // The memo entry of `word` (`key` from PrefetchMemo), filled if new.
  const WordMemo& MemoOf(std::string_view word, std::uint64_t key, std::string_view lang_code,
                         bool english);
  // Dates: a month name next to a day number ("12 mars", "March 12th",
  // "19 de marzo", "15. März") becomes one language-free feature.
  void AddDates();
  // The fields' term frequencies and the distinct labels into `out`.
  void Finish(ExtractedArticle* out);

  const std::string& NameKey(std::string_view word) {
    NameMemo& entry = name_memo[(TermHash(kNames, word) >> 9) & (name_memo.size() - 1)];
    if (entry.word != word || entry.key.empty()) {
      entry.word.assign(word);
      entry.key = FoldName(word);
      if (entry.key.empty()) entry.key = " ";  // never empty: marks the entry used
    }
    return entry.key;
  }
};

namespace {

// True when the token at byte `begin` of `original` starts a sentence: only
// spaces, quotes and brackets between it and the start, or a full stop,
// question or exclamation mark, colon or line break. Capitalised words there
// say nothing about being names.
bool StartsSentence(std::string_view original, std::size_t begin) {
  std::size_t i = begin;
  while (i > 0) {
    std::size_t j = i - 1;
    while (j > 0 && (static_cast<unsigned char>(original[j]) & 0xc0) == 0x80) --j;
    std::string_view ch = original.substr(j, i - j);
    if (ch == " " || ch == "\t" || ch == "\"" || ch == "'" || ch == "(" || ch == "[" || ch == "«" ||
        ch == "“" || ch == "‘" || ch == "„" || ch == "\u00a0" || ch == "¿" || ch == "¡" ||
        ch == "*" || ch == "•") {
      i = j;
      continue;
    }
    return ch == "." || ch == "!" || ch == "?" || ch == "\n" || ch == "\r" || ch == ":" ||
           ch == ";" || ch == "|" || ch == "–" || ch == "—" || ch == "-";
  }
  return true;
}

// True when the original spelling of a token starts with a capital letter:
// ASCII A-Z, or a non-ASCII first character that case folding changed.
bool Capitalised(std::string_view original, std::string_view folded) {
  if (original.empty()) return false;
  const auto lead = static_cast<unsigned char>(original[0]);
  if (lead < 0x80) return lead >= 'A' && lead <= 'Z';
  const std::size_t n = Utf8Length(lead);
  return folded.substr(0, n) != original.substr(0, n);
}

void AddTf(std::vector<std::uint64_t>* hashes, SparseVector* out) {
  std::sort(hashes->begin(), hashes->end());
  out->clear();
  for (std::size_t i = 0; i < hashes->size();) {
    std::size_t j = i;
    while (j < hashes->size() && (*hashes)[j] == (*hashes)[i]) ++j;
    out->push_back({(*hashes)[i], 1.0f + static_cast<float>(std::log(static_cast<double>(j - i)))});
    i = j;
  }
}

}  // namespace

FeatureExtractor::FeatureExtractor(std::shared_ptr<const BilingualLexicon> lexicon)
    : impl_(std::make_unique<Impl>()) {
  impl_->lexicon = std::move(lexicon);
}
FeatureExtractor::~FeatureExtractor() = default;
FeatureExtractor::FeatureExtractor(FeatureExtractor&&) noexcept = default;
FeatureExtractor& FeatureExtractor::operator=(FeatureExtractor&&) noexcept = default;

ExtractedArticle FeatureExtractor::Extract(std::string_view title_in, std::string_view body_in,
                                           std::string_view lang) {
  Impl& m = *impl_;
  ExtractedArticle out;
  // Repair rather than refuse: one bad byte must not drop an article
  // (valid text, nearly all of it, is read in place).
  const std::string_view title = Impl::Valid(title_in, m.title_fixed);
  const std::string_view body = Impl::Valid(body_in, m.body_fixed);
  // Empty: detect it here. "und": a detector upstream found none already
  // (the pipeline's language stage); asking CLD2 again would cost as much
  // and tell nothing new.
  out.lang = lang.empty() ? std::string(text::kUndetermined) : std::string(lang);
  if (lang.empty()) {
    std::string sample;
    sample.reserve(title.size() + 1 + std::min<std::size_t>(body.size(), 4000));
    sample.append(title).append("\n").append(body.substr(0, 4000));
    Result<text::LanguageGuess> guess = text::DetectLanguage(sample);
    if (guess) out.lang = guess->code;
  }
  for (auto& t : m.terms) t.clear();
  m.words.clear();
  m.word_chars.clear();
  m.label_refs.clear();
  m.label_chars.clear();
  out.headline = body.find_first_not_of(" \t\r\n") == std::string_view::npos;
  m.Scan(title, true, out.headline, out.lang);
  m.Scan(body, false, out.headline, out.lang);
  m.AddDates();
  m.Finish(&out);
  return out;
}

std::string_view FeatureExtractor::Impl::Valid(std::string_view text, std::string& fixed) {
  if (text::FindInvalidUtf8(text) == text.size()) return text;
  fixed = text::SanitizeUtf8(text);
  return fixed;
}

void FeatureExtractor::Impl::Scan(std::string_view original, bool is_title, bool names_from_title,
                                  std::string_view lang_code) {
  Result<std::span<const text::Token>> tokens = tokenizer.Tokenize(original);
  if (!tokens) return;
  const bool english = lang_code == "en";
  // The number just kept, while more thousands groups may follow it
  // ("10 000", "1 200 000": French, Russian and SI style); its digits and
  // where it ends in `original`.
  std::string grouped;
  std::size_t grouped_end = 0;
  PrefetchMemo(*tokens, lang_code);
  for (std::size_t index = 0; index < tokens->size(); ++index) {
    const text::Token& token = (*tokens)[index];
    if (token.kind == text::TokenKind::kPunct) continue;
    if (token.kind == text::TokenKind::kNumber) {
      ScanNumber(token, original, grouped, grouped_end);
      continue;
    }
    grouped.clear();
    KeepWord(token.text, false);
    if (token.text.size() < 2) continue;
    const WordMemo& entry = MemoOf(token.text, token_keys[index], lang_code, english);
    if (entry.stopword) continue;
    terms[kBody].push_back(entry.body_term);
    for (std::uint8_t p = 0; p < entry.pivot_count; ++p) terms[kPivot].push_back(entry.pivot[p]);
    if (is_title) {
      terms[kTitle].push_back(entry.title_term);
      KeepLabel(entry.title_term, Stem(lang_code, token.text));
    }
    const std::string_view spelled = original.substr(token.span.begin, token.span.size());
    const bool name_like = (!is_title || names_from_title) && Capitalised(spelled, token.text) &&
                           !StartsSentence(original, token.span.begin);
    if (name_like) {
      const std::string& name = NameKey(token.text);
      if (name.size() >= 2 && name != " ") {
        const std::uint64_t name_term = TermHash(kNames, name);
        terms[kNames].push_back(name_term);
        KeepLabel(name_term, name);
      }
    }
  }
  KeepWord(std::string_view(), false);  // no date across title and body
}

void FeatureExtractor::Impl::PrefetchMemo(std::span<const text::Token> tokens,
                                          std::string_view lang_code) {
  // The memo (2 MiB) misses the cache on most lookups: all the keys are
  // computed and their entries prefetched first, so the misses overlap.
  const std::uint64_t stemmer_mix = TermHash(kTitle, lang_code) * 0x9e3779b97f4a7c15ULL;
  token_keys.assign(tokens.size(), 0);
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const text::Token& token = tokens[i];
    if (token.kind == text::TokenKind::kPunct || token.kind == text::TokenKind::kNumber ||
        token.text.size() < 2) {
      continue;
    }
    // The memo key covers the stemmer (language) as well as the word.
    const std::uint64_t key = TermHash(kBody, token.text) ^ stemmer_mix;
    token_keys[i] = key;
    __builtin_prefetch(&memo[(key >> 7) & (kMemoSize - 1)]);
  }
}

void FeatureExtractor::Impl::ScanNumber(const text::Token& token, std::string_view original,
                                        std::string& grouped, std::size_t& grouped_end) {
  if (!grouped.empty() && ThousandsGroup(token.text) && token.span.begin > grouped_end &&
      GroupSeparator(original.substr(grouped_end, token.span.begin - grouped_end))) {
    // One quantity, not two: replace the leading group's term and word.
    grouped.append(token.text);
    grouped_end = token.span.end;
    std::int32_t term = words.back().number_term;
    if (term < 0) {  // a one-digit lead ("1 200") had no term of its own
      term = static_cast<std::int32_t>(terms[kNumbers].size());
      terms[kNumbers].push_back(0);
    }
    words.pop_back();
    word_chars.resize(word_chars.size() - (grouped.size() - 3));
    KeepWord(grouped, true, term);
    terms[kNumbers][static_cast<std::size_t>(term)] = TermHash(kNumbers, grouped);
    return;
  }
  std::string number = NormalizeNumber(token.text);
  std::int32_t term = -1;
  if (!number.empty()) {
    term = static_cast<std::int32_t>(terms[kNumbers].size());
    terms[kNumbers].push_back(TermHash(kNumbers, number));
  }
  KeepWord(token.text, true, term);
  const bool leading_group =
      token.text.size() <= 3 && std::all_of(token.text.begin(), token.text.end(),
                                            [](char c) { return c >= '0' && c <= '9'; });
  grouped = leading_group ? std::string(token.text) : std::string();
  grouped_end = token.span.end;
}

const FeatureExtractor::Impl::WordMemo& FeatureExtractor::Impl::MemoOf(std::string_view word,
                                                                       std::uint64_t key,
                                                                       std::string_view lang_code,
                                                                       bool english) {
  WordMemo& entry = memo[(key >> 7) & (kMemoSize - 1)];
  if (entry.key == key && key != 0) return entry;
  entry.key = key;
  entry.stopword = IsStopword(word) || text::IsStopword(lang_code, word);
  const std::string_view stem = Stem(lang_code, word);
  entry.body_term = TermHash(kBody, stem);
  entry.title_term = TermHash(kTitle, stem);
  entry.pivot_count = 0;
  if (english) {
    entry.pivot[entry.pivot_count++] = TermHash(kPivot, stem);
  } else {
    if (lexicon != nullptr) {
      for (const std::string& e : lexicon->Translate(lang_code, stem)) {
        if (entry.pivot_count < entry.pivot.size()) {
          entry.pivot[entry.pivot_count++] = TermHash(kPivot, e);
        }
      }
    }
    // A word the dictionaries do not know is mostly a name or a
    // loanword ("Kevin", "Covid", "Airbnb"), written alike in every
    // language: it stands for itself in the pivot, as its Latin,
    // accent-folded spelling stemmed as English. Dictionary-based
    // cross-language retrieval keeps untranslatable words this way
    // (Pirkola, Hedlund, Keskustalo & Järvelin, Information Retrieval
    // 4(3), 2001, "Dictionary-based cross-language information
    // retrieval: problems, methods, and research findings").
    if (entry.pivot_count == 0) {
      const std::string& folded = NameKey(word);
      if (folded.size() >= 2 && folded != " ") {
        entry.pivot[entry.pivot_count++] = TermHash(kPivot, Stem("en", folded));
      }
    }
  }
  return entry;
}

void FeatureExtractor::Impl::AddDates() {
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (words[i].number || words[i].size < 3) continue;
    // The day first: a cheap digit test that rules out most words before
    // the month table is consulted.
    int day = 0;
    std::size_t day_word = 0;
    if (i >= 1) day = DayNumber(WordText(day_word = i - 1));
    if (day == 0 && i >= 2 && (WordText(i - 1) == "de" || WordText(i - 1) == "del")) {
      day = DayNumber(WordText(day_word = i - 2));
    }
    if (day == 0 && i + 1 < words.size()) day = DayNumber(WordText(day_word = i + 1));
    if (day == 0) continue;
    const int month = MonthNumber(WordText(i));
    if (month == 0) continue;
    // The day is part of the date, not a quantity of its own: "12 janvier"
    // and "12 soldats" must not share a number feature.
    if (words[day_word].number_term >= 0) {
      terms[kNumbers][static_cast<std::size_t>(words[day_word].number_term)] = 0;
      words[day_word].number_term = -1;
    }
    char buf[16];
    std::snprintf(buf, sizeof buf, "date:%02d-%02d", month, day);
    terms[kNumbers].push_back(TermHash(kNumbers, buf));
  }
}

void FeatureExtractor::Impl::Finish(ExtractedArticle* out) {
  std::erase(terms[kNumbers], std::uint64_t{0});  // days taken by dates
  for (int f = 0; f < kFieldCount; ++f) AddTf(&terms[f], &out->fields[f]);
  // By term, then text; the first text of each term is kept.
  std::sort(label_refs.begin(), label_refs.end(), [&](const auto& a, const auto& b) {
    return a.term != b.term ? a.term < b.term : LabelText(a) < LabelText(b);
  });
  for (std::size_t i = 0; i < label_refs.size(); ++i) {
    if (i > 0 && label_refs[i].term == label_refs[i - 1].term) continue;
    out->labels.emplace_back(label_refs[i].term, std::string(LabelText(label_refs[i])));
  }
}

}  // namespace storyline::cluster::internal
