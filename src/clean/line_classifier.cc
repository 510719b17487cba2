#include "storyline/clean/line_classifier.h"

#include <algorithm>
#include <span>
#include <utility>

#include "clean/cues.h"
#include "clean/line_text.h"

namespace storyline::clean {
namespace {

using internal::Cue;
using internal::CueMatcher;
using internal::LineScan;
using internal::Word;

// Shape thresholds. A "paragraph" is what reporting looks like: a sentence
// of a dozen words or more (Kohlschütter et al. 2010 find word count the
// single best shallow feature; chrome blocks are short).
constexpr std::size_t kParagraphWords = 12;
constexpr std::size_t kLongWords = 25;        // long enough to be prose without a final stop
constexpr std::size_t kHeadingWords = 12;     // headings are short ...
constexpr std::uint32_t kHeadingChars = 100;  // ... in characters too
constexpr std::size_t kCaptionWords = 90;     // a caption with its credit can be long
constexpr std::size_t kTitleWords = 30;
// The fewest words a line needs to stand in for a missing body.
constexpr std::size_t kFallbackBodyWords = 3;
constexpr std::size_t kTitleSearchLines = 15;  // non-blank lines searched for the title
constexpr std::size_t kBioWords = 70;

struct LineState {
  std::string_view raw;  // without the final '\r'
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  LineScan scan;
  Cue cue = Cue::kNone;
  bool decided = false;  // role fixed by evidence stronger than position
  bool sentence = false;
  bool credit_only = false;  // "Photo : X / Y"
  bool name_only = false;    // "Anna Keller"
  bool corpus_chrome = false;
  Role role = Role::kBody;
  std::string reason;
  std::size_t ordinal = 0;  // among non-blank lines
};

std::size_t Words(const LineState& l) { return l.scan.words.size(); }

bool Has(const Word& w, int flag) { return (w.flags & flag) != 0; }

std::string_view AfterWord(std::string_view raw, const Word& w) {
  return internal::TrimSpaces(raw.substr(w.end));
}

bool StartsWithDash(std::string_view s) {
  return s.starts_with("-") || s.starts_with("\xe2\x80\x93") || s.starts_with("\xe2\x80\x94") ||
         s.starts_with("\xe2\x80\x95") || s.starts_with(":");
}

}  // namespace

struct LineClassifier::Impl {
  CleanOptions options;
  CueMatcher cues;

  // --- line evidence -------------------------------------------------------

  bool IsCredit(const LineState& l, bool* credit_only) const {
    const LineScan& s = l.scan;
    const std::size_t n = s.words.size();
    *credit_only = false;
    if (n == 0 || n > kCaptionWords) return false;
    // "Photo: X", "Foto : X / Y", "(Photo: X)", "Crédit photo : X" near
    // either end of the line.
    for (std::size_t i = 0; i < n; ++i) {
      if (i > 3 && i + 12 < n) continue;
      const Word& w = s.words[i];
      if (!cues.IsCreditWord(w.hash)) continue;
      bool colon = Has(w, internal::kColonAfter);
      bool paren = Has(w, internal::kParenBefore);
      bool slash = Has(w, internal::kSlashNear);
      if (colon || paren || (slash && i + 6 >= n)) {
        *credit_only = i <= 1 && n <= 14;
        return true;
      }
    }
    // Agency slash credits: "REUTERS/Name/File Photo", "X / AFP".
    for (std::size_t i = 0; i < n; ++i) {
      if (i > 2 && i + 6 < n) continue;
      const Word& w = s.words[i];
      if (Has(w, internal::kSlashNear) && cues.IsAgency(w.hash) &&
          (Has(w, internal::kAllUpper) || i + 3 >= n)) {
        *credit_only = n <= 8;
        return true;
      }
    }
    // "FILE - ...", "DOSSIER – ...", "FILE PHOTO: ..." (AP-style captions).
    const Word& first = s.words[0];
    if (Has(first, internal::kAllUpper) && cues.IsFileLabel(first.hash) &&
        first.end - first.begin >= 4 && StartsWithDash(AfterWord(l.raw, first))) {
      return true;
    }
    if (s.has_copyright && n <= 30) {
      for (const Word& w : s.words) {
        if (cues.IsAgency(w.hash) || cues.IsCreditWord(w.hash)) {
          *credit_only = n <= 8;
          return true;
        }
      }
    }
    return false;
  }

  bool IsDatelineOnly(const LineState& l) const {
    const LineScan& s = l.scan;
    const std::size_t n = s.words.size();
    if (n == 0 || n > 16 || s.code_points > 110) return false;
    // "WASHINGTON —": a place in capitals and a dash, nothing else.
    if (n <= 3 && s.ends_dash) {
      bool caps = true;
      for (const Word& w : s.words) caps = caps && Has(w, internal::kAllUpper);
      if (caps) return true;
    }
    int anchors = 0;
    int others = 0;
    for (const Word& w : s.words) {
      if (Has(w, internal::kHasDigit) || cues.IsCalendarWord(w.hash)) {
        ++anchors;
      } else if (cues.IsDateFiller(w.hash)) {
        continue;
      } else if (Has(w, internal::kUpperInitial)) {
        ++others;  // a place or the agency: "Bilbao, 19 de marzo de 2025"
      } else {
        return false;
      }
    }
    return anchors > 0 && others <= 3 && (s.digits > 0 || others == 0);
  }

  bool IsNameOnly(const LineState& l) const {
    const LineScan& s = l.scan;
    const std::size_t n = s.words.size();
    if (n < 2 || n > 4 || s.code_points > 40 || s.digits > 0 || l.sentence || s.ends_colon ||
        s.pipes > 0 || s.separators > 0) {
      return false;
    }
    if (cues.IsDeterminer(s.words[0].hash)) return false;
    int capitals = 0;
    bool all_caps = true;
    for (std::size_t i = 0; i < n; ++i) {
      const Word& w = s.words[i];
      all_caps = all_caps && Has(w, internal::kAllUpper);
      if (Has(w, internal::kUpperInitial)) {
        ++capitals;
      } else if (i == 0 || i + 1 == n || !cues.IsNameParticle(w.hash)) {
        return false;
      }
    }
    return capitals >= 2 && !all_caps;
  }

  // The byline shapes that need more than a cue phrase.
  std::string_view BylineShape(const LineState& l) const {
    const LineScan& s = l.scan;
    const std::size_t n = s.words.size();
    if (n == 0 || s.ends_sentence) return {};
    const Word& last = s.words[n - 1];
    bool last_acronym = Has(last, internal::kAllUpper) && last.end - last.begin >= 2;
    // "Le Messager du Rhône avec ACEI", "Staff with agencies".
    if (n >= 2 && n <= 8 && cues.IsConjunction(s.words[n - 2].hash) &&
        (last_acronym || cues.IsAgency(last.hash))) {
      return "agency credit";
    }
    // "Redacción / AIN", "Nordwest Nachrichtendienst (NWD)".
    if (n <= 5 && last_acronym && (s.slashes > 0 || s.ends_paren)) {
      bool names = true;
      for (const Word& w : s.words) {
        names = names && (Has(w, internal::kUpperInitial) || cues.IsNameParticle(w.hash));
      }
      if (names) return "agency credit";
    }
    // "Transport Reporter", "Envoyé spécial".
    if (n <= 5 && (cues.IsJobTitle(last.hash) || cues.IsJobTitle(s.words[0].hash))) {
      return "job title";
    }
    return {};
  }

  // Fixes the role of a line from its own evidence, when it is strong.
  void JudgeLine(LineState* l) const {
    LineScan& s = l->scan;
    const std::size_t n = s.words.size();
    if (s.blank) return Decide(l, Role::kBlank, "blank");
    l->sentence = s.ends_sentence || (s.ends_quote && n >= 6);
    if (n == 0) return Decide(l, Role::kBoilerplate, "no words");
    if (s.domain_only && n <= 12) return Decide(l, Role::kBoilerplate, "site address");
    bool credit_only = false;
    if (IsCredit(*l, &credit_only)) {
      l->credit_only = credit_only;
      return Decide(l, Role::kCaption, "caption credit");
    }
    l->cue = cues.Match(s);
    if (l->cue == Cue::kByline) {
      // "By X" needs a name after it: "By the time..." is prose.
      bool capital = false;
      for (std::size_t i = 1; i < n; ++i)
        capital = capital || Has(s.words[i], internal::kUpperInitial);
      if (!capital && n > 4) l->cue = Cue::kNone;
    }
    if (l->cue == Cue::kCredit) return Decide(l, Role::kCaption, "caption credit");
    if (l->cue == Cue::kByline || l->cue == Cue::kContributors || l->cue == Cue::kStaff) {
      return Decide(l, Role::kByline, std::string(internal::CueReason(l->cue)));
    }
    if (l->cue != Cue::kNone) {
      return Decide(l, Role::kBoilerplate, std::string(internal::CueReason(l->cue)));
    }
    if (s.has_copyright && s.starts_symbol && n <= 30) {
      l->cue = Cue::kCopyright;
      return Decide(l, Role::kBoilerplate, "copyright notice");
    }
    if (s.ends_star && n <= 4) {
      l->cue = Cue::kComment;
      return Decide(l, Role::kBoilerplate, "comment form");
    }
    if (IsDatelineOnly(*l)) return Decide(l, Role::kByline, "date line");
    if (std::string_view shape = BylineShape(*l); !shape.empty()) {
      return Decide(l, Role::kByline, std::string(shape));
    }
    // "Actualité › Région", "Sign in | Register": short lists of links.
    if ((s.separators > 0 || s.pipes > 0) && n <= 8 && !l->sentence) {
      return Decide(l, Role::kBoilerplate, "section label");
    }
    if (s.has_url && n <= 10 && !l->sentence) return Decide(l, Role::kBoilerplate, "link");
    l->name_only = IsNameOnly(*l);
  }

  static void Decide(LineState* l, Role role, std::string reason) {
    l->decided = true;
    l->role = role;
    l->reason = std::move(reason);
  }

  // A line printed twice in a row is a caption (alt text, then caption)
  // when it is short, or when it ends on a date as wire captions do
  // ("..., Ukraine, 10 January 2022."); a long paragraph repeated by the
  // scraper is only a duplicate.
  bool CaptionPrintedTwice(const LineState& l) const {
    const auto& w = l.scan.words;
    if (w.size() > 60) return false;
    if (!l.sentence && w.size() <= 25) return true;
    for (std::size_t k = w.size() >= 3 ? w.size() - 3 : 0; k < w.size(); ++k) {
      if (Has(w[k], internal::kHasDigit)) return true;
    }
    return false;
  }

  // Site names and taglines are short: a few words, or a name and a
  // tagline around a spaced dash ("Site – L'info de la région").
  static bool SiteNameShape(const LineState& l) {
    const std::size_t n = Words(l);
    if (n <= 5) return true;
    if (n > kHeadingWords) return false;
    std::string_view raw = l.raw;
    return raw.find(" \xe2\x80\x93 ") != std::string_view::npos ||
           raw.find(" \xe2\x80\x94 ") != std::string_view::npos ||
           raw.find(" - ") != std::string_view::npos;
  }

  bool HeadingShape(const LineState& l) const {
    const std::size_t n = Words(l);
    if (n == 0 || n > kHeadingWords || l.scan.code_points > kHeadingChars) return false;
    if (l.scan.letters == 0 || l.scan.ends_colon) return false;
    return !l.sentence || (l.scan.ends_question && n <= 8);
  }

  bool Paragraph(const LineState& l) const {
    const std::size_t n = Words(l);
    return n >= kParagraphWords && (l.sentence || n >= kLongWords);
  }

  // --- the whole article ---------------------------------------------------
  // Classify runs the passes below in order over the article's lines.

  CleanedArticle Classify(const Article& article, const ChromeModel* corpus) const;

  // Splits `text` into lines, reusing the states' buffers; returns how many.
  static std::size_t SplitLines(std::string_view text, std::vector<LineState>& lines);
  // Each line alone: its scan, its cues, a role when the line decides it.
  void ScanLines(std::span<LineState> lines) const;
  // Copies inside the article. A line repeated on the very next line is a
  // caption printed twice (image alt text and caption): the first copy is a
  // caption, the second a duplicate.
  void MarkCopies(std::span<LineState> lines) const;
  // A caption sits right above its credit line.
  void MarkCaptionsAboveCredits(std::span<LineState> lines) const;
  // Lines that recur across stories in one source, or in many sources.
  void MarkCorpusChrome(const Article& article, const ChromeModel& corpus,
                        std::span<LineState> lines) const;
  // The first undecided paragraph-shaped line (lines.size() when none).
  std::size_t FirstParagraph(std::span<const LineState> lines) const;
  // The title: the line that matches the `given` title, else the longest
  // headline-shaped line above the first paragraph (lines.size() when
  // none); marked as the title.
  std::size_t FindTitle(std::string_view given, std::size_t first_paragraph,
                        std::span<LineState> lines) const;
  // Author names from bylines, to recognise bios ("Julien Morel suit..."),
  // as (first name, last name) word hashes.
  using Authors = std::vector<std::pair<std::uint64_t, std::uint64_t>>;
  Authors BylineAuthors(std::span<const LineState> lines) const;
  // The footer: after the first end marker (share block, comment form,
  // contributor credit, provenance note, related stories...) in the lower
  // half of the article that at most one paragraph follows, nothing is
  // reporting any more. The article must have begun: a marker above the
  // first paragraph (a short item whose only paragraph sits under a share
  // bar) ends nothing. lines.size() when there is no footer.
  std::size_t FindFooter(std::size_t text_size, std::size_t first_paragraph,
                         std::span<const LineState> lines) const;
  // Every line still undecided, by where it sits: bios, the footer, chrome
  // and decks above the reporting, section headings, paragraphs.
  void DecideByPosition(std::size_t text_size, std::size_t title, std::size_t first_paragraph,
                        std::size_t footer, const Authors& authors,
                        std::span<LineState> lines) const;
  // An article with text keeps a body: when no line was taken for
  // reporting (a one-sentence item read as its headline, a text whose only
  // line sits under a date), the longest line that is not a copy of another
  // is the body (and no longer the title).
  void KeepABody(std::span<LineState> lines, std::size_t* title) const;
  // The cleaned article: every line with its role and reason, the body.
  static CleanedArticle Output(const Article& article, std::span<LineState> lines,
                               std::size_t title);
};

CleanedArticle LineClassifier::Impl::Classify(const Article& article,
                                              const ChromeModel* corpus) const {
  // Per-thread scratch: the LineStates keep their word buffers between
  // calls, so a warm classifier allocates little more than its output.
  thread_local std::vector<LineState> scratch;
  const std::span<LineState> lines(scratch.data(), SplitLines(article.text, scratch));
  ScanLines(lines);
  MarkCopies(lines);
  MarkCaptionsAboveCredits(lines);
  if (corpus != nullptr && options.use_corpus) MarkCorpusChrome(article, *corpus, lines);
  const std::size_t first_paragraph = FirstParagraph(lines);
  std::size_t title = FindTitle(article.title, first_paragraph, lines);
  const std::size_t footer = FindFooter(article.text.size(), first_paragraph, lines);
  DecideByPosition(article.text.size(), title, first_paragraph, footer, BylineAuthors(lines),
                   lines);
  KeepABody(lines, &title);
  return Output(article, lines, title);
}

std::size_t LineClassifier::Impl::SplitLines(std::string_view text, std::vector<LineState>& lines) {
  std::size_t count = 0;
  {
    std::size_t pos = 0;
    while (true) {
      std::size_t nl = text.find('\n', pos);
      std::size_t end = nl == std::string_view::npos ? text.size() : nl;
      if (count == lines.size()) lines.emplace_back();
      LineState& l = lines[count++];
      l.cue = Cue::kNone;
      l.decided = l.sentence = l.credit_only = l.name_only = l.corpus_chrome = false;
      l.role = Role::kBody;
      l.reason.clear();
      l.ordinal = 0;
      l.begin = static_cast<std::uint32_t>(pos);
      std::size_t stop = end;
      if (stop > pos && text[stop - 1] == '\r') --stop;
      l.end = static_cast<std::uint32_t>(stop);
      l.raw = text.substr(pos, stop - pos);
      if (nl == std::string_view::npos) break;
      pos = nl + 1;
    }
  }
  return count;
}

void LineClassifier::Impl::ScanLines(std::span<LineState> lines) const {
  const std::size_t count = lines.size();
  std::size_t nonblank = 0;
  for (std::size_t i = 0; i < count; ++i) {
    LineState& l = lines[i];
    internal::ScanLine(l.raw, &l.scan);
    JudgeLine(&l);
    if (!l.scan.blank) l.ordinal = nonblank++;
  }
}

void LineClassifier::Impl::MarkCopies(std::span<LineState> lines) const {
  const std::size_t count = lines.size();
  {
    // (key, line) sorted: equal keys become neighbours, first copy first.
    std::vector<std::pair<std::uint64_t, std::size_t>> keys;
    keys.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
      const LineState& l = lines[i];
      if (l.scan.blank) continue;
      keys.emplace_back(
          l.scan.key != 0 ? l.scan.key : internal::HashBytes(internal::TrimSpaces(l.raw)), i);
    }
    std::sort(keys.begin(), keys.end());
    for (std::size_t k = 1; k < keys.size(); ++k) {
      if (keys[k].first != keys[k - 1].first) continue;
      std::size_t group = k - 1;
      while (group > 0 && keys[group - 1].first == keys[k].first) --group;
      const std::size_t first = keys[group].second;
      const std::size_t i = keys[k].second;
      LineState& l = lines[i];
      if (first + 1 == i && !lines[first].decided && CaptionPrintedTwice(lines[first])) {
        Decide(&lines[first], Role::kCaption, "caption printed twice");
      }
      l.cue = Cue::kNone;
      Decide(&l, Role::kDuplicate, "second copy of line " + std::to_string(first + 1));
    }
  }
}

void LineClassifier::Impl::MarkCaptionsAboveCredits(std::span<LineState> lines) const {
  const std::size_t count = lines.size();
  for (std::size_t i = 0; i + 1 < count; ++i) {
    LineState& l = lines[i];
    if (l.decided || l.scan.blank || Words(l) > 40) continue;
    if (lines[i + 1].role == Role::kCaption && lines[i + 1].credit_only) {
      Decide(&l, Role::kCaption, "caption above its credit");
    }
  }
}

void LineClassifier::Impl::MarkCorpusChrome(const Article& article, const ChromeModel& corpus,
                                            std::span<LineState> lines) const {
  const std::size_t count = lines.size();
  const std::uint64_t source = ChromeModel::SourceKey(article);
  LineScan headline;
  internal::ScanLine(article.title, &headline);
  for (std::size_t i = 0; i < count; ++i) {
    LineState& l = lines[i];
    if (l.decided || l.scan.key == 0) continue;
    if (headline.key != 0 && l.scan.key == headline.key) continue;
    LineEvidence e = corpus.Lookup(l.scan.key, source);
    if (e.stories < static_cast<std::uint32_t>(options.min_stories)) continue;
    const bool short_line = Words(l) < static_cast<std::size_t>(options.long_line_words);
    std::string reason;
    if (e.same_source >= static_cast<std::uint32_t>(options.min_site_articles)) {
      reason = "repeated in " + std::to_string(e.same_source) + " articles of this source";
    } else if (short_line && !l.sentence &&
               e.sources >= static_cast<std::uint32_t>(options.min_corpus_sources)) {
      // Across sources only labels and link lines count: a sentence found
      // in many sources is more likely a quote every report carries.
      reason = "repeated in " + std::to_string(e.articles) + " articles of " +
               std::to_string(e.sources) + " sources";
    } else {
      continue;
    }
    l.corpus_chrome = true;
    Decide(&l, l.name_only ? Role::kByline : Role::kBoilerplate, std::move(reason));
  }
}

std::size_t LineClassifier::Impl::FirstParagraph(std::span<const LineState> lines) const {
  const std::size_t count = lines.size();
  std::size_t first_paragraph = count;
  for (std::size_t i = 0; i < count; ++i) {
    if (!lines[i].decided && Paragraph(lines[i])) {
      first_paragraph = i;
      break;
    }
  }
  return first_paragraph;
}

std::size_t LineClassifier::Impl::FindTitle(std::string_view given, std::size_t first_paragraph,
                                            std::span<LineState> lines) const {
  const std::size_t count = lines.size();
  std::size_t title = count;
  {
    LineScan title_scan;
    internal::ScanLine(given, &title_scan);
    if (title_scan.key != 0) {
      for (std::size_t i = 0; i < count && lines[i].ordinal < kTitleSearchLines; ++i) {
        const LineState& l = lines[i];
        if (l.decided || l.scan.blank) continue;
        const auto& a = l.scan.words;
        const auto& b = title_scan.words;
        std::size_t common = std::min(a.size(), b.size());
        bool match = l.scan.key == title_scan.key;
        if (!match && common >= 4) {
          match = std::equal(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(common), b.begin(),
                             [](const Word& x, const Word& y) { return x.hash == y.hash; });
        }
        if (match) {
          title = i;
          lines[i].reason = "matches the given title";
          break;
        }
      }
    }
    if (title == count) {
      std::size_t best_words = 0;
      for (std::size_t i = 0; i < std::min(first_paragraph, count); ++i) {
        const LineState& l = lines[i];
        if (l.decided || l.scan.blank || l.ordinal >= 8) continue;
        const std::size_t n = Words(l);
        if (n < 2 || n > kTitleWords || l.name_only) continue;
        if (l.sentence && !l.scan.ends_question) continue;
        // A line that breaks off mid-sentence ("... in Rancho Mirage,
        // Calif,") is reporting cut at a line end, not a headline.
        if (l.scan.ends_comma) continue;
        if (n > best_words) {
          best_words = n;
          title = i;
        }
      }
      if (title != count) lines[title].reason = "headline above the first paragraph";
    }
    if (title != count) {
      lines[title].role = Role::kTitle;
      lines[title].decided = true;
    }
  }

  return title;
}

LineClassifier::Impl::Authors LineClassifier::Impl::BylineAuthors(
    std::span<const LineState> lines) const {
  const std::size_t count = lines.size();
  Authors authors;
  for (std::size_t i = 0; i < count; ++i) {
    const LineState& l = lines[i];
    if (l.cue != Cue::kByline) continue;
    const auto& w = l.scan.words;
    for (std::size_t k = 1; k + 1 < w.size(); ++k) {
      if (Has(w[k], internal::kUpperInitial) && Has(w[k + 1], internal::kUpperInitial)) {
        authors.emplace_back(w[k].hash, w[k + 1].hash);
        break;
      }
    }
  }

  return authors;
}

std::size_t LineClassifier::Impl::FindFooter(std::size_t text_size, std::size_t first_paragraph,
                                             std::span<const LineState> lines) const {
  const std::size_t count = lines.size();
  std::size_t footer = count;
  {
    int paragraphs_after = 0;
    std::vector<int> after(count + 1, 0);
    for (std::size_t i = count; i-- > 0;) {
      after[i] = paragraphs_after;
      if (!lines[i].decided && Paragraph(lines[i])) ++paragraphs_after;
    }
    for (std::size_t i = 0; i < count; ++i) {
      const LineState& l = lines[i];
      // In the lower half by bytes: footers are many short lines, so a line
      // count would put the middle too low.
      if (l.scan.blank || 2 * static_cast<std::size_t>(l.begin) < text_size) continue;
      if (first_paragraph >= count || i < first_paragraph) continue;
      const bool marker = internal::IsEndMarker(l.cue) || (l.corpus_chrome && !l.sentence);
      if (marker && after[i] <= 1) {
        footer = i;
        break;
      }
    }
  }

  return footer;
}

void LineClassifier::Impl::DecideByPosition(std::size_t text_size, std::size_t title,
                                            std::size_t first_paragraph, std::size_t footer,
                                            const Authors& authors,
                                            std::span<LineState> lines) const {
  const std::size_t count = lines.size();
  auto next_nonblank = [&](std::size_t i) {
    for (std::size_t j = i + 1; j < count; ++j) {
      if (!lines[j].scan.blank) return j;
    }
    return count;
  };
  for (std::size_t i = 0; i < count; ++i) {
    LineState& l = lines[i];
    if (l.decided) continue;
    const std::size_t n = Words(l);
    // Bios: a line in the lower half that names the byline's author.
    if (!authors.empty() && 2 * static_cast<std::size_t>(l.begin) >= text_size && n <= kBioWords) {
      bool bio = false;
      const auto& w = l.scan.words;
      for (std::size_t k = 0; k + 1 < w.size() && k < 12 && !bio; ++k) {
        for (const auto& [first, last] : authors) {
          if (w[k].hash == first && w[k + 1].hash == last) bio = true;
        }
      }
      if (bio) {
        Decide(&l, Role::kBoilerplate, "author bio");
        continue;
      }
    }
    if (i > footer) {
      if (l.name_only) {
        Decide(&l, Role::kByline, "author name");
      } else {
        Decide(&l, Role::kBoilerplate, "after the end of the article");
      }
      continue;
    }
    const std::size_t next = next_nonblank(i);
    const bool next_is_text = next < count && !lines[next].decided &&
                              (lines[next].sentence || Words(lines[next]) >= kParagraphWords);
    if (i < first_paragraph && first_paragraph < count) {
      // Above the reporting: site name, tagline, section, author.
      if (l.name_only) {
        Decide(&l, Role::kByline, "author name");
      } else if (title != count && i < title && !l.sentence && SiteNameShape(l)) {
        Decide(&l, Role::kBoilerplate, "site chrome above the title");
      } else if (!l.sentence && n <= kHeadingWords) {
        if (HeadingShape(l) && next_is_text) {
          Decide(&l, Role::kHeading, "heading above the first paragraph");
        } else if (!SiteNameShape(l)) {
          Decide(&l, Role::kHeading, "deck above the first paragraph");
        } else {
          Decide(&l, Role::kBoilerplate, "site chrome above the article");
        }
      }
      if (l.decided) continue;
    }
    if (HeadingShape(l) && next_is_text && i > first_paragraph) {
      Decide(&l, Role::kHeading, "section heading");
      continue;
    }
    Decide(&l, Role::kBody, "paragraph");
  }
}

void LineClassifier::Impl::KeepABody(std::span<LineState> lines, std::size_t* title) const {
  const std::size_t count = lines.size();
  bool has_body = false;
  for (std::size_t i = 0; i < count && !has_body; ++i) has_body = IsBodyRole(lines[i].role);
  if (!has_body) {
    std::size_t best = count;
    std::size_t best_words = 0;
    for (std::size_t i = 0; i < count; ++i) {
      const LineState& l = lines[i];
      if (l.scan.blank || l.role == Role::kDuplicate) continue;
      const std::size_t n = Words(l);
      if (n > best_words) {
        best_words = n;
        best = i;
      }
    }
    if (best != count && best_words >= kFallbackBodyWords) {
      LineState& l = lines[best];
      l.reason = "kept as the body: no other line of the article is reporting (read as " +
                 std::string(RoleName(l.role)) + ": " + l.reason + ")";
      l.role = Role::kBody;
      if (best == *title) *title = count;
    }
  }
}

CleanedArticle LineClassifier::Impl::Output(const Article& article, std::span<LineState> lines,
                                            std::size_t title) {
  const std::size_t count = lines.size();
  CleanedArticle out;
  out.id = article.id;
  out.lines.reserve(count);
  out.body.reserve(article.text.size());
  for (std::size_t i = 0; i < count; ++i) {
    LineState& l = lines[i];
    Line line;
    line.n = static_cast<int>(i + 1);
    line.role = l.role;
    line.reason = std::move(l.reason);
    line.text = l.raw;
    line.begin = l.begin;
    line.end = l.end;
    if (IsBodyRole(l.role)) {
      if (!out.body.empty()) out.body.push_back('\n');
      out.body.append(internal::TrimSpaces(l.raw));
    }
    out.lines.push_back(std::move(line));
  }
  out.title_line = title == count ? 0 : static_cast<int>(title + 1);
  return out;
}

std::string ArticleTitle(const Article& article, const CleanedArticle& cleaned) {
  if (!article.title.empty() && !article.title_inferred) return article.title;
  if (cleaned.title_line <= 0 ||
      static_cast<std::size_t>(cleaned.title_line) > cleaned.lines.size()) {
    return "";
  }
  return std::string(internal::TrimSpaces(cleaned.lines[cleaned.title_line - 1].text));
}

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kTitle:
      return "title";
    case Role::kBody:
      return "body";
    case Role::kHeading:
      return "heading";
    case Role::kCaption:
      return "caption";
    case Role::kByline:
      return "byline";
    case Role::kBoilerplate:
      return "boilerplate";
    case Role::kDuplicate:
      return "duplicate";
    case Role::kBlank:
      return "blank";
  }
  return "body";
}

Result<LineClassifier> LineClassifier::Create(const CleanOptions& options) {
  if (options.min_site_articles < 1 || options.min_corpus_sources < 1 || options.min_stories < 1 ||
      options.long_line_words < 1) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "CleanOptions: min_site_articles, min_corpus_sources, min_stories and "
                     "long_line_words must be at least 1");
  }
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  return LineClassifier(std::move(impl));
}

LineClassifier::LineClassifier(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LineClassifier::~LineClassifier() = default;
LineClassifier::LineClassifier(LineClassifier&&) noexcept = default;
LineClassifier& LineClassifier::operator=(LineClassifier&&) noexcept = default;

CleanedArticle LineClassifier::Classify(const Article& article, const ChromeModel* corpus) const {
  return impl_->Classify(article, corpus);
}

const CleanOptions& LineClassifier::options() const { return impl_->options; }

Result<std::vector<CleanedArticle>> CleanCorpus(std::span<const Article> articles,
                                                const CleanOptions& options,
                                                ChromeModel* model_out) {
  Result<LineClassifier> classifier = LineClassifier::Create(options);
  if (!classifier) return Fail(classifier.error());
  ChromeModel model;
  for (const Article& a : articles) model.Observe(a);
  std::vector<CleanedArticle> out;
  out.reserve(articles.size());
  for (const Article& a : articles) out.push_back(classifier->Classify(a, &model));
  if (model_out != nullptr) *model_out = std::move(model);
  return out;
}

}  // namespace storyline::clean
