#include "storyline/digest/quotes.h"

#include <algorithm>
#include <optional>
#include <string>

#include "digest/document.h"
#include "digest/entities_internal.h"
#include "digest/lexicon.h"
#include "digest/quotes_internal.h"

namespace storyline::digest {
namespace internal {
namespace {

constexpr std::string_view kGuillemetOpen = "\xC2\xAB";   // «
constexpr std::string_view kGuillemetClose = "\xC2\xBB";  // »
constexpr std::string_view kLeftDouble = "\xE2\x80\x9C";  // “
constexpr std::string_view kRightDouble = "\xE2\x80\x9D"; // ”
constexpr std::string_view kLowDouble = "\xE2\x80\x9E";   // „

enum class Mark { kNone, kGuillemet, kEnglish, kGerman, kStraight };

// The opening mark at text[i], and its length.
Mark OpenerAt(std::string_view text, std::size_t i, std::size_t* length) {
  auto at = [&](std::string_view m) { return text.compare(i, m.size(), m) == 0; };
  if (at(kGuillemetOpen)) {
    *length = kGuillemetOpen.size();
    return Mark::kGuillemet;
  }
  if (at(kLeftDouble)) {
    *length = kLeftDouble.size();
    return Mark::kEnglish;
  }
  if (at(kLowDouble)) {
    *length = kLowDouble.size();
    return Mark::kGerman;
  }
  if (text[i] == '"') {
    *length = 1;
    return Mark::kStraight;
  }
  return Mark::kNone;
}

// The closing mark for `open` at or after `from` within [from, end); sets
// *close_end after it. Guillemets nest (« … « … » … »). Returns npos when
// the quote stays open to the end of the range.
std::size_t FindCloser(std::string_view text, Mark open, std::size_t from,
                       std::size_t end, std::size_t* close_end) {
  int depth = 0;
  for (std::size_t i = from; i < end; ++i) {
    auto at = [&](std::string_view m) {
      return text.compare(i, m.size(), m) == 0;
    };
    switch (open) {
      case Mark::kGuillemet:
        if (at(kGuillemetOpen)) {
          ++depth;
        } else if (at(kGuillemetClose) || at(kRightDouble)) {
          if (depth > 0 && at(kGuillemetClose)) {
            --depth;
            break;
          }
          *close_end = i + (at(kGuillemetClose) ? kGuillemetClose.size()
                                                 : kRightDouble.size());
          return i;
        }
        break;
      case Mark::kEnglish:
        if (at(kRightDouble) || at(kGuillemetClose)) {
          *close_end = i + 2 + (at(kRightDouble) ? 1 : 0);
          return i;
        }
        break;
      case Mark::kGerman:
        if (at(kLeftDouble) || at(kRightDouble)) {
          *close_end = i + 3;
          return i;
        }
        break;
      case Mark::kStraight:
        if (text[i] == '"') {
          *close_end = i + 1;
          return i;
        }
        break;
      case Mark::kNone:
        return std::string_view::npos;
    }
  }
  return std::string_view::npos;
}

std::size_t CountWords(std::string_view s) {
  std::size_t n = 0;
  bool in_word = false;
  for (char c : s) {
    const bool space = c == ' ' || c == '\n' || c == '\t';
    if (!space && !in_word) ++n;
    in_word = !space;
  }
  return n;
}

// Trims spaces and the punctuation a quote often carries inside its marks
// (a trailing comma before « », a-t-il dit »).
std::string_view CleanQuote(std::string_view s) {
  // Spaces, no-break spaces (U+00A0, U+202F) and a trailing comma.
  for (bool changed = true; changed && !s.empty();) {
    changed = false;
    for (std::string_view space : {"\xC2\xA0", "\xE2\x80\xAF", " ", "\n"}) {
      if (s.starts_with(space)) {
        s.remove_prefix(space.size());
        changed = true;
      }
      if (s.ends_with(space)) {
        s.remove_suffix(space.size());
        changed = true;
      }
    }
    if (!s.empty() && s.back() == ',') {
      s.remove_suffix(1);
      changed = true;
    }
  }
  return s;
}

struct Span {
  std::size_t open = 0;        // opening mark
  std::size_t inner_begin = 0;
  std::size_t inner_end = 0;
  std::size_t close_end = 0;   // after the closing mark (or paragraph end)
  std::uint32_t paragraph = 0;
  bool open_ended = false;
  Mark mark = Mark::kNone;
};

class Attributor {
 public:
  Attributor(const Document& doc, const EntityTable& table, std::size_t d)
      : doc_(doc), table_(table), mentions_(table.mentions[d]) {}

  // The speaker named around [open, close_end), or "" when no verb of
  // saying or colon attributes the quote.
  std::string Speaker(std::size_t open, std::size_t close_end) const {
    if (std::string s = After(open, close_end); !s.empty()) return s;
    return Before(open);
  }

 private:
  const Sentence* SentenceAt(std::size_t byte) const {
    for (const Sentence& s : doc_.sentences) {
      if (s.begin <= byte && byte < s.end) return &s;
    }
    return nullptr;
  }

  // Words of `s` whose start lies in [from, to).
  std::pair<std::uint32_t, std::uint32_t> WordRange(const Sentence& s,
                                                    std::size_t from,
                                                    std::size_t to) const {
    std::uint32_t a = s.first_word;
    while (a < s.end_word && doc_.words[a].outer_begin < from) ++a;
    std::uint32_t b = a;
    while (b < s.end_word && doc_.words[b].outer_begin < to) ++b;
    return {a, b};
  }

  bool IsPerson(const EntityMention& m) const {
    return table_.entities[static_cast<std::size_t>(m.entity)].type ==
           EntityType::kPerson;
  }
  const std::string& NameOf(const EntityMention& m) const {
    return table_.entities[static_cast<std::size_t>(m.entity)].name;
  }

  // Person mentions whose words lie in [a, b).
  std::vector<const EntityMention*> PersonsIn(std::uint32_t a,
                                              std::uint32_t b) const {
    std::vector<const EntityMention*> out;
    for (const EntityMention& m : mentions_) {
      if (m.first_word >= a && m.end_word <= b && IsPerson(m)) {
        out.push_back(&m);
      }
    }
    return out;
  }

  // "», a déclaré X", "”, he said", "», a déclaré le responsable".
  std::string After(std::size_t open, std::size_t close_end) const {
    const Sentence* s = SentenceAt(close_end > 0 ? close_end - 1 : 0);
    if (s == nullptr) return "";
    // Stop at the next opening mark of the paragraph.
    std::size_t stop = s->end;
    for (std::size_t i = close_end; i < s->end; ++i) {
      std::size_t len = 0;
      if (OpenerAt(doc_.text, i, &len) != Mark::kNone) {
        stop = i;
        break;
      }
    }
    auto [a, b] = WordRange(*s, close_end, stop);
    b = std::min(b, a + 12);
    std::uint32_t verb = b;
    for (std::uint32_t k = a; k < b && k < a + 6; ++k) {
      if (IsSpeechWord(doc_.words[k].lower)) {
        verb = k;
        break;
      }
    }
    if (verb == b) return "";
    return Around(a, verb, b, open);
  }

  // "X a déclaré : «", "Selon X, «", "According to X, “".
  std::string Before(std::size_t open) const {
    const Sentence* s = SentenceAt(open);
    if (s == nullptr) return "";
    auto [a, b] = WordRange(*s, s->begin, open);
    if (a == b) return "";
    std::uint32_t verb = b;
    for (std::uint32_t k = b; k > a; --k) {
      if (IsSpeechWord(doc_.words[k - 1].lower)) {
        verb = k - 1;
        break;
      }
    }
    std::string_view gap = doc_.Slice(doc_.words[b - 1].end,
                                      static_cast<std::uint32_t>(open));
    const bool colon = gap.find(':') != std::string_view::npos;
    if (verb == b && !colon) return "";
    if (verb == b) {
      std::vector<const EntityMention*> persons = PersonsIn(a, b);
      if (!persons.empty()) return NameOf(*persons.back());
      return PronounOrRole(a, b, open);
    }
    return Around(a, verb, b, open);
  }

  // The speaker of a clause [a, b) whose verb of saying is at `verb`: the
  // nearest person after the verb ("a déclaré X"), else the nearest before
  // it ("X a déclaré"), else a pronoun or a role.
  std::string Around(std::uint32_t a, std::uint32_t verb, std::uint32_t b,
                     std::size_t open) const {
    std::vector<const EntityMention*> persons = PersonsIn(a, b);
    const std::string_view v = doc_.words[verb].lower;
    const bool preposition = v == "selon" || v == "according" ||
                             v == "según" || v == "laut";
    const EntityMention* before = nullptr;
    const EntityMention* after = nullptr;
    for (const EntityMention* m : persons) {
      if (m->end_word <= verb) before = m;
      if (m->first_word > verb && after == nullptr &&
          m->first_word <= verb + 10) {
        after = m;
      }
    }
    // Pronoun or role between the verb and the first name after it ("»,
    // a-t-elle déclaré", "”, the official said").
    if (preposition && after != nullptr) return NameOf(*after);
    // "X a déclaré à M. Y" -> X; "a déclaré X" -> X.
    if (before != nullptr && verb - before->end_word <= 3) {
      return NameOf(*before);
    }
    if (after != nullptr) {
      // A pronoun before the verb wins over a name after it ("elle a dit
      // à Poutine").
      for (std::uint32_t k = a; k < verb; ++k) {
        if (PronounGender(doc_.words[k].lower) != 0) {
          return PronounOrRole(a, verb, open);
        }
      }
      return NameOf(*after);
    }
    if (before != nullptr) return NameOf(*before);
    return PronounOrRole(a, b, open);
  }

  std::string PronounOrRole(std::uint32_t a, std::uint32_t b,
                            std::size_t open) const {
    for (std::uint32_t k = a; k < b; ++k) {
      const std::string_view w = doc_.words[k].lower;
      char gender = PronounGender(w);
      if (gender == 0 && w.ends_with("-elle")) gender = 'f';
      if (gender == 0 && (w.ends_with("-il") || w == "he")) gender = 'm';
      if (gender != 0) return ResolvePronoun(gender, open);
    }
    for (std::uint32_t k = a; k < b; ++k) {
      const std::string_view w = doc_.words[k].lower;
      if (IsRoleNoun(w)) return ResolveRole(k, open);
    }
    return "";
  }

  // The nearest person before `open` whose gender fits.
  std::string ResolvePronoun(char gender, std::size_t open) const {
    for (auto it = mentions_.rbegin(); it != mentions_.rend(); ++it) {
      if (it->end > open || !IsPerson(*it)) continue;
      const char g = table_.gender[static_cast<std::size_t>(it->entity)];
      if (g != 0 && g != gender) continue;
      return NameOf(*it);
    }
    return "";
  }

  // The latest person introduced with the role at words[k] before `open`
  // ("le porte-parole du Pentagone, John Kirby"), else the role phrase.
  std::string ResolveRole(std::uint32_t k, std::size_t open) const {
    const std::string_view role = doc_.words[k].lower;
    for (auto it = mentions_.rbegin(); it != mentions_.rend(); ++it) {
      if (it->end > open || !IsPerson(*it)) continue;
      const Sentence& s = doc_.sentences[it->sentence];
      const std::uint32_t from =
          std::max(s.first_word, it->first_word > 6 ? it->first_word - 6 : 0);
      // "le porte-parole Marc Leroy", "le porte-parole du ministère, Marc
      // Leroy": a role right before the name, or further with a comma
      // before the name (apposition). "le responsable de l'administration
      // Biden" binds nothing: the name completes a complement.
      const bool apposition =
          it->first_word > s.first_word &&
          doc_.Slice(doc_.words[it->first_word - 1].end,
                     doc_.words[it->first_word].outer_begin)
                  .find(',') != std::string_view::npos;
      for (std::uint32_t j = from; j < it->first_word; ++j) {
        if (doc_.words[j].lower != role) continue;
        bool complement = false;
        for (std::uint32_t x = j + 1; x < it->first_word; ++x) {
          const std::string_view w = doc_.words[x].lower;
          complement |= w == "de" || w == "du" || w == "des" || w == "of" ||
                        w == "del" || doc_.words[x].elided;
        }
        if (apposition || (!complement && it->first_word - j <= 3)) {
          return NameOf(*it);
        }
      }
      for (std::uint32_t j = it->end_word;
           j < std::min(s.end_word, it->end_word + 3); ++j) {
        if (doc_.words[j].lower == role) return NameOf(*it);
      }
    }
    // The role phrase as written: determiner, adjectives, role.
    std::uint32_t first = k;
    const Sentence& s = doc_.sentences[doc_.words[k].sentence];
    while (first > s.first_word && k - first < 3 &&
           !IsSpeechWord(doc_.words[first - 1].lower) &&
           !IsTitle(doc_.words[first - 1].lower) &&
           doc_.words[first].space_before) {
      --first;
      if (IsDeterminer(doc_.words[first].lower)) break;
    }
    if (!IsDeterminer(doc_.words[first].lower)) first = k;
    return std::string(doc_.Slice(doc_.words[first].outer_begin,
                                  doc_.words[k].end));
  }

  const Document& doc_;
  const EntityTable& table_;
  const std::vector<EntityMention>& mentions_;
};

}  // namespace

std::vector<Quote> FindQuotes(const Document& doc, const EntityTable& table,
                              std::size_t doc_index,
                              const QuoteOptions& options) {
  // 1. Quote spans, paragraph by paragraph.
  std::vector<Span> spans;
  for (std::uint32_t p = 0; p < doc.paragraphs.size(); ++p) {
    const Paragraph& para = doc.paragraphs[p];
    if (para.role != ParagraphRole::kBody) continue;
    for (std::size_t i = para.begin; i < para.end;) {
      std::size_t len = 0;
      const Mark mark = OpenerAt(doc.text, i, &len);
      if (mark == Mark::kNone) {
        ++i;
        continue;
      }
      Span s;
      s.open = i;
      s.mark = mark;
      s.paragraph = p;
      s.inner_begin = i + len;
      std::size_t close_end = 0;
      const std::size_t close =
          FindCloser(doc.text, mark, s.inner_begin, para.end, &close_end);
      if (close == std::string_view::npos) {
        s.inner_end = s.close_end = para.end;
        s.open_ended = true;
      } else {
        s.inner_end = close;
        s.close_end = close_end;
      }
      spans.push_back(s);
      i = s.close_end;
    }
  }
  // 2. Attribution, joining multi-paragraph quotes.
  Attributor attributor(doc, table, doc_index);
  std::vector<Quote> quotes;
  std::string previous_speaker;
  std::uint32_t previous_paragraph = 0;
  for (std::size_t i = 0; i < spans.size(); ++i) {
    const Span& first = spans[i];
    std::string text(CleanQuote(
        doc.Slice(static_cast<std::uint32_t>(first.inner_begin),
                  static_cast<std::uint32_t>(first.inner_end))));
    std::size_t last = i;
    // An unclosed quote continued by the next paragraph's opening mark.
    while (spans[last].open_ended && last + 1 < spans.size() &&
           spans[last + 1].paragraph == spans[last].paragraph + 1 &&
           spans[last + 1].open ==
               doc.paragraphs[spans[last + 1].paragraph].begin) {
      ++last;
      text += ' ';
      text += CleanQuote(
          doc.Slice(static_cast<std::uint32_t>(spans[last].inner_begin),
                    static_cast<std::uint32_t>(spans[last].inner_end)));
    }
    const Span& end = spans[last];
    i = last;
    const std::size_t words = CountWords(text);
    if (words < std::min<std::size_t>(3, options.min_words)) continue;
    std::string speaker = attributor.Speaker(first.open, end.close_end);
    // Short quotes count only when a verb of saying attributes them
    // ("« rien n'est exclu », a-t-il dit"); otherwise they are scare quotes.
    if (words < options.min_words && speaker.empty()) continue;
    if (speaker.empty() && !previous_speaker.empty()) {
      // Continued speech: same paragraph, or a paragraph that opens with
      // the quote right after one that quoted someone.
      const Paragraph& para = doc.paragraphs[first.paragraph];
      if (first.paragraph == previous_paragraph ||
          (first.open == para.begin &&
           first.paragraph == previous_paragraph + 1)) {
        speaker = previous_speaker;
      }
    }
    if (!speaker.empty()) {
      previous_speaker = speaker;
      previous_paragraph = end.paragraph;
    }
    if (speaker.empty() && !options.keep_unattributed) continue;
    quotes.push_back(Quote{speaker, std::move(text), first.open,
                           end.close_end});
  }
  return quotes;
}

}  // namespace internal

Result<std::vector<Quote>> ExtractQuotes(std::string_view text,
                                         std::string_view lang,
                                         const QuoteOptions& options) {
  Result<internal::Document> doc = internal::AnalyzeDocument(text, lang);
  if (!doc) return Fail(doc.error());
  const internal::Document* docs[] = {&*doc};
  internal::EntityTable table = internal::FindEntities(docs);
  return internal::FindQuotes(*doc, table, 0, options);
}

}  // namespace storyline::digest
