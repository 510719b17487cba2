#include "digest/document.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <unordered_set>

#include "digest/lexicon.h"
#include "storyline/text/sentences.h"

namespace storyline::digest::internal {
namespace {

// Body paragraphs looked at for a dateline, and the length (in words) of a
// paragraph taken for the lede, after which no dateline is sought.
constexpr std::size_t kDatelineParagraphs = 8;
constexpr std::uint32_t kLedeWords = 30;

// Decodes the code point at text[i]; returns its length (at least 1, so
// that ill-formed bytes, already rejected by SplitSentences, cannot loop).
int Next(std::string_view text, std::size_t i, UChar32* cp) {
  if (const auto b = static_cast<unsigned char>(text[i]); b < 0x80) {
    *cp = b;
    return 1;
  }
  std::int32_t pos = static_cast<std::int32_t>(i);
  const auto length = static_cast<std::int32_t>(text.size());
  UChar32 c = 0;
  U8_NEXT(text.data(), pos, length, c);
  *cp = c < 0 ? 0xFFFD : c;
  return std::max(1, pos - static_cast<std::int32_t>(i));
}

// ASCII answers without ICU's property lookups (most of the text of most
// languages); the same answers ICU gives for these code points.
bool AsciiDigit(UChar32 c) { return c >= '0' && c <= '9'; }
bool AsciiUpper(UChar32 c) { return c >= 'A' && c <= 'Z'; }
bool AsciiLetter(UChar32 c) { return AsciiUpper(c) || (c >= 'a' && c <= 'z'); }

bool IsDigit(UChar32 c) { return c < 0x80 ? AsciiDigit(c) : u_isdigit(c) != 0; }

bool IsWordChar(UChar32 c) {
  if (c < 0x80) return AsciiLetter(c) || AsciiDigit(c);
  return u_isalnum(c) || (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0;
}

bool IsApostrophe(UChar32 c) { return c == '\'' || c == 0x2019; }
bool IsHyphen(UChar32 c) { return c == '-' || c == 0x2010 || c == 0x2011; }

// French, Italian and Catalan elided words: "l'", "d'", "qu'"...
bool IsElidedPrefix(std::string_view lower) {
  static const std::unordered_set<std::string_view>* const kPrefixes =
      new std::unordered_set<std::string_view>{
          "l",     "d",      "j",      "m",      "n",      "s",    "t",   "c",    "qu",
          "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu", "dell", "all", "nell", "sull"};
  return kPrefixes->count(lower) > 0;
}

void AppendUtf8(UChar32 c, std::string* out) {
  char buf[4];
  std::int32_t n = 0;
  UBool error = false;
  U8_APPEND(buf, n, 4, c, error);
  if (!error) out->append(buf, static_cast<std::size_t>(n));
}

// Fills the case flags and the lower-case form of w from its bytes.
void FinishWord(std::string_view text, Word* w) {
  std::string_view s = text.substr(w->begin, w->end - w->begin);
  w->lower.clear();
  w->lower.reserve(s.size());
  int letters = 0;
  int upper = 0;
  bool first_letter_seen = false;
  for (std::size_t i = 0; i < s.size();) {
    UChar32 c = 0;
    i += static_cast<std::size_t>(Next(s, i, &c));
    if (c < 0x80) {
      if (AsciiLetter(c)) {
        ++letters;
        const bool is_upper = AsciiUpper(c);
        if (is_upper) ++upper;
        if (!first_letter_seen) {
          w->capitalized = is_upper;
          first_letter_seen = true;
        }
        w->has_letter = true;
        w->lower.push_back(static_cast<char>(is_upper ? c + ('a' - 'A') : c));
        continue;
      }
      if (AsciiDigit(c)) w->has_digit = true;
      w->lower.push_back(static_cast<char>(c));
      continue;
    }
    if (u_isalpha(c)) {
      ++letters;
      const bool is_upper = u_isupper(c) || u_istitle(c);
      if (is_upper) ++upper;
      if (!first_letter_seen) {
        w->capitalized = is_upper;
        first_letter_seen = true;
      }
      w->has_letter = true;
    } else if (u_isdigit(c)) {
      w->has_digit = true;
    }
    if (c == 0x2019) c = '\'';
    if (c == 0x2010 || c == 0x2011) c = '-';
    AppendUtf8(u_tolower(c), &w->lower);
  }
  w->all_caps = letters >= 2 && upper == letters;
}

// Cuts the words of text[begin, end).
void ScanWords(std::string_view text, std::uint32_t begin, std::uint32_t end,
               std::uint32_t sentence, std::vector<Word>* words) {
  std::size_t i = begin;
  std::size_t prev_end = begin;
  bool first = true;
  while (i < end) {
    UChar32 c = 0;
    int n = Next(text, i, &c);
    if (!IsWordChar(c)) {
      i += static_cast<std::size_t>(n);
      continue;
    }
    const std::size_t start = i;
    std::size_t stop = i;
    // Extend over word characters and over joiners that have word
    // characters on both sides: hyphens and apostrophes inside words
    // ("porte-parole", "aujourd'hui"), and '.', '/', ',' or '-' between
    // digits ("10/01/2022", "2022-01-10", "3,5").
    while (stop < end) {
      UChar32 d = 0;
      int m = Next(text, stop, &d);
      if (IsWordChar(d)) {
        stop += static_cast<std::size_t>(m);
        continue;
      }
      if (stop + static_cast<std::size_t>(m) < end && stop > start) {
        UChar32 after = 0;
        Next(text, stop + static_cast<std::size_t>(m), &after);
        UChar32 before = static_cast<unsigned char>(text[stop - 1]);
        const bool digits =
            (d == '.' || d == '/' || d == ',' || d == '-') && IsDigit(before) && IsDigit(after);
        if ((IsHyphen(d) || IsApostrophe(d)) && IsWordChar(after)) {
          stop += static_cast<std::size_t>(m);
          continue;
        }
        if (digits) {
          stop += static_cast<std::size_t>(m);
          continue;
        }
      }
      break;
    }
    Word w;
    w.outer_begin = static_cast<std::uint32_t>(start);
    w.begin = static_cast<std::uint32_t>(start);
    w.end = static_cast<std::uint32_t>(stop);
    w.sentence = sentence;
    // Elision: "l'Ukraine" is the word "Ukraine" with an elided article.
    std::string_view raw = text.substr(start, stop - start);
    for (std::size_t k = 0; k < raw.size() && k < 8; ++k) {
      std::size_t apo_len = raw[k] == '\'' ? 1 : raw.compare(k, 3, "\xE2\x80\x99") == 0 ? 3 : 0;
      if (apo_len == 0) continue;
      if (IsElidedPrefix(LowerUtf8(raw.substr(0, k))) && k + apo_len < raw.size()) {
        w.begin = static_cast<std::uint32_t>(start + k + apo_len);
        w.elided = true;
      }
      break;
    }
    // English possessive: "Biden's" is "Biden".
    std::string_view tail = text.substr(w.begin, w.end - w.begin);
    if (tail.size() > 2 && (tail.ends_with("'s") || tail.ends_with("'S"))) {
      w.end -= 2;
    } else if (tail.size() > 4 && tail.ends_with("\xE2\x80\x99s")) {
      w.end -= 4;
    }
    FinishWord(text, &w);
    w.sentence_initial = first;
    std::string_view gap = text.substr(prev_end, start - prev_end);
    w.space_before = !first && !gap.empty() && gap.find_first_not_of(' ') == std::string_view::npos;
    w.period_after = stop < text.size() && text[stop] == '.';
    words->push_back(std::move(w));
    first = false;
    prev_end = stop;
    i = stop;
  }
}

// A caption written as one sentence that ends on a place and a full date:
// "..., à Genève, Suisse, le 10 janvier 2022." News agencies caption photos
// this way; report sentences rarely end on ", <date with year>.".
bool EndsLikeCaption(const Document& doc, const Paragraph& p) {
  if (p.end_sentence - p.first_sentence != 1) return false;
  const Sentence& s = doc.sentences[p.first_sentence];
  if (s.end_word - s.first_word < 4) return false;
  const Word& last = doc.words[s.end_word - 1];
  if (!last.has_digit || last.lower.size() != 4) return false;
  const Word& month = doc.words[s.end_word - 2];
  if (MonthNumber(month.lower) == 0) return false;
  // A comma within the three words before the date.
  const std::uint32_t from = s.end_word >= s.first_word + 5 ? s.end_word - 5 : s.first_word;
  std::string_view before = doc.Slice(doc.words[from].end, month.begin);
  return before.find(',') != std::string_view::npos;
}

// "WASHINGTON, 8 janvier (Reuters) –" or "MOSCOU (AFP) -": an upper-case
// place, optional date and agency, then a dash, at the start of a
// paragraph; returns the end of the dash, or 0. `strict` (for paragraphs
// after the first, where a headline in capitals could start) also wants
// the capitals to be followed by a comma, a parenthesis or the dash
// ("PORTSMOUTH, England, March 31 (Wire) —", "NEW YORK (AP) —").
std::uint32_t FindDateline(const Document& doc, const Paragraph& p, bool strict) {
  if (p.first_sentence == p.end_sentence) return 0;
  const Sentence& s = doc.sentences[p.first_sentence];
  if (s.first_word == s.end_word || !doc.words[s.first_word].all_caps) {
    return 0;
  }
  if (strict) {
    std::uint32_t k = s.first_word;
    while (k + 1 < s.end_word && doc.words[k + 1].all_caps) ++k;
    const std::uint32_t after = doc.words[k].end;
    const std::string_view rest = Trim(doc.Slice(after, std::min(p.end, after + 8)));
    if (!(rest.starts_with(",") || rest.starts_with("(") || rest.starts_with("-") ||
          rest.starts_with("\xE2\x80\x93") || rest.starts_with("\xE2\x80\x94"))) {
      return 0;
    }
  }
  std::string_view head = doc.Slice(p.begin, std::min(p.end, p.begin + 120));
  for (std::string_view dash : {std::string_view("\xE2\x80\x93"), std::string_view("\xE2\x80\x94"),
                                std::string_view(" - "), std::string_view(" -- ")}) {
    std::size_t at = head.find(dash);
    if (at != std::string_view::npos && at > 0) {
      return p.begin + static_cast<std::uint32_t>(at + dash.size());
    }
  }
  return 0;
}

// Words of paragraph `p`.
std::uint32_t WordCount(const Document& doc, const Paragraph& p) {
  if (p.first_sentence == p.end_sentence) return 0;
  return doc.sentences[p.end_sentence - 1].end_word - doc.sentences[p.first_sentence].first_word;
}

}  // namespace

std::string_view DatelineCredit(const Document& doc) {
  if (doc.dateline_end <= doc.dateline_begin) return {};
  const std::string_view line = doc.Slice(doc.dateline_begin, doc.dateline_end);
  const std::size_t close = line.rfind(')');
  if (close == std::string_view::npos) return {};
  const std::size_t open = line.rfind('(', close);
  if (open == std::string_view::npos) return {};
  const std::string_view name = Trim(line.substr(open + 1, close - open - 1));
  // A name: a few words of letters (no digits, which a date or an age
  // would have), at most a short agency name's length.
  if (name.size() < 2 || name.size() > 40) return {};
  bool letter = false;
  for (const char c : name) {
    if (c >= '0' && c <= '9') return {};
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || static_cast<unsigned char>(c) >= 0x80) {
      letter = true;
    }
  }
  return letter ? name : std::string_view();
}

std::string LowerUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    UChar32 c = 0;
    i += static_cast<std::size_t>(Next(s, i, &c));
    if (c < 0x80) {
      out.push_back(static_cast<char>(AsciiUpper(c) ? c + ('a' - 'A') : c));
      continue;
    }
    if (c == 0x2019) c = '\'';
    AppendUtf8(u_tolower(c), &out);
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  const std::size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  const std::size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

Result<Document> AnalyzeDocument(std::string_view text, std::string_view lang) {
  Result<std::vector<text::ByteSpan>> spans = text::SplitSentences(text, lang);
  if (!spans) return Fail(spans.error());
  Document doc;
  doc.text = text;
  // Paragraphs: non-blank lines.
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = Trim(text.substr(pos, nl - pos));
    if (!line.empty()) {
      Paragraph p;
      p.begin = static_cast<std::uint32_t>(line.data() - text.data());
      p.end = p.begin + static_cast<std::uint32_t>(line.size());
      doc.paragraphs.push_back(p);
    }
    pos = nl + 1;
  }
  // Sentences, each within one paragraph (a line break always ends one).
  std::size_t para = 0;
  for (const text::ByteSpan& span : *spans) {
    while (para + 1 < doc.paragraphs.size() && span.begin >= doc.paragraphs[para].end) {
      ++para;
    }
    if (doc.paragraphs.empty()) break;
    Sentence s;
    s.begin = span.begin;
    s.end = std::min(span.end, doc.paragraphs[para].end);
    s.paragraph = static_cast<std::uint32_t>(para);
    s.first_word = static_cast<std::uint32_t>(doc.words.size());
    ScanWords(text, s.begin, s.end, static_cast<std::uint32_t>(doc.sentences.size()), &doc.words);
    s.end_word = static_cast<std::uint32_t>(doc.words.size());
    doc.sentences.push_back(s);
  }
  for (Paragraph& p : doc.paragraphs) {
    p.first_sentence = p.end_sentence = 0;
  }
  for (std::uint32_t i = 0; i < doc.sentences.size(); ++i) {
    Paragraph& p = doc.paragraphs[doc.sentences[i].paragraph];
    if (p.first_sentence == p.end_sentence) p.first_sentence = i;
    p.end_sentence = i + 1;
  }
  // Roles: chrome, captions, and lines repeated inside the article (a
  // caption printed twice, a teaser repeated).
  std::unordered_set<std::string_view> seen;
  bool dateline_done = false;
  std::size_t looked = 0;  // body paragraphs without a dateline so far
  for (Paragraph& p : doc.paragraphs) {
    std::string_view line = doc.Slice(p.begin, p.end);
    if (LooksLikeChrome(line)) {
      p.role = ParagraphRole::kChrome;
    } else if (LooksLikeCaptionMarker(line) || EndsLikeCaption(doc, p) ||
               !seen.insert(line).second) {
      p.role = ParagraphRole::kCaption;
    } else if (!dateline_done) {
      // Raw text may put a headline, a byline or a time stamp above the
      // dateline: a few paragraphs are looked at, up to the first long one
      // (the lede, which holds the dateline when there is one).
      if (const std::uint32_t end = FindDateline(doc, p, looked > 0)) {
        doc.dateline_begin = p.begin;
        doc.dateline_end = end;
        dateline_done = true;
      } else if (++looked >= kDatelineParagraphs || WordCount(doc, p) >= kLedeWords) {
        dateline_done = true;
      }
    }
  }
  return doc;
}

}  // namespace storyline::digest::internal
