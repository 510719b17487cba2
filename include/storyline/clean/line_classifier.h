// Line roles: which lines of a scraped article are its reporting.
//
//   Result<LineClassifier> classifier = LineClassifier::Create({});
//   ChromeModel corpus;                        // persisted by the pipeline
//   corpus.Observe(article);                   // first observe ...
//   CleanedArticle clean = classifier->Classify(article, &corpus);  // ... then classify
//   for (const Line& line : clean.lines) {
//     // line.n (1-based), RoleName(line.role), line.reason, line.text
//   }
//   std::string body = clean.body;             // body and heading lines, '\n'-joined
//
//   // A batch that is its own corpus (`storyline clean`):
//   Result<std::vector<CleanedArticle>> all = CleanCorpus(articles);
//
// Every line of Article::text (split on '\n'; a final '\r' is not part of a
// line) gets exactly one Role, from three kinds of evidence:
//  * the line itself: length, sentence shape, capitals, digits, URLs, and
//    short multilingual cue lists of web chrome (calls to action, comment
//    forms, share and follow calls, teasers, navigation, cookie notices,
//    credits, bylines, datelines) gated by length, so that a paragraph of
//    reporting that mentions "newsletter" stays body;
//  * the article: repeated lines (second and later copies are `duplicate`),
//    the title line, the zone above the first paragraph (site name, section
//    label, byline, date, caption), the footer after the reporting ends
//    (after a share block, comment form, contributor credit or provenance
//    note), captions printed above their credit or twice in a row, headings
//    between paragraphs, and bios that start with the byline's name;
//  * the corpus, when given: lines that recur in several articles of the
//    same source across different stories, or in many sources and stories
//    (see ChromeModel), are chrome.
// A single article without a corpus is cleaned by the first two alone.
//
// Thread safety: a LineClassifier is immutable; Classify may be called from
// many threads at once (it allocates its scratch per call).
#ifndef STORYLINE_CLEAN_LINE_CLASSIFIER_H_
#define STORYLINE_CLEAN_LINE_CLASSIFIER_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storyline/clean/chrome_model.h"
#include "storyline/core/article.h"
#include "storyline/core/result.h"

namespace storyline::clean {

enum class Role : std::uint8_t {
  kTitle,        // the headline line
  kBody,         // a paragraph of the article
  kHeading,      // a section heading inside the article (part of the body)
  kCaption,      // photo caption or photo credit
  kByline,       // author, contributors, newsroom/agency credit, date-only line
  kBoilerplate,  // site chrome: prompts, forms, teasers, navigation, bios...
  kDuplicate,    // a second or later copy of a line of the same article
  kBlank,        // empty or whitespace-only
};

// "title", "body", "heading", "caption", "byline", "boilerplate",
// "duplicate", "blank": the names of the product contract.
std::string_view RoleName(Role role);

// True for the roles that make up the body (kBody, kHeading).
inline bool IsBodyRole(Role role) { return role == Role::kBody || role == Role::kHeading; }

struct CleanOptions {
  // min_site_articles (3): a line found in at least this many articles of
  // the same source (this one included), across at least min_stories
  // stories, is site chrome.
  int min_site_articles = 3;
  // min_corpus_sources (3): a short line (fewer than long_line_words words)
  // found in at least this many sources and min_stories stories is chrome
  // even without a source's repetition ("Advertisement", "Leave a comment").
  int min_corpus_sources = 3;
  // min_stories (3): distinct stories a recurring line must span before the
  // corpus calls it chrome, so that copies of one wire story, or re-crawls
  // of one article, never turn its paragraphs into chrome.
  int min_stories = 3;
  // long_line_words (20): lines of at least this many words are prose; the
  // corpus judges them only by same-source repetition.
  int long_line_words = 20;
  // use_corpus (true): consult the ChromeModel passed to Classify.
  bool use_corpus = true;
};

// One line of the input text.
struct Line {
  int n = 0;                 // 1-based line number in Article::text
  Role role = Role::kBlank;
  std::string reason;        // why: "call to action", "second copy of line 3"...
  std::string_view text;     // the line, a view into Article::text
  std::uint32_t begin = 0;   // byte offsets of the line in Article::text
  std::uint32_t end = 0;
};

// The classified article. `lines` views into the Article's text: keep the
// Article alive and unchanged while using them.
struct CleanedArticle {
  std::string id;           // Article::id
  std::vector<Line> lines;  // one per line of Article::text, in order
  std::string body;         // body and heading lines, trimmed, joined by '\n'
  int title_line = 0;       // n of the title line, 0 when none was found
};

// The title an article shows: the input's own title when it gave one;
// otherwise (none, or a guess marked title_inferred) the text of the line
// cleaning took for the headline, or "" when there is none. Never a line of
// another role: a site name, a photo caption or a byline above the headline
// is not a title.
std::string ArticleTitle(const Article& article, const CleanedArticle& cleaned);

class LineClassifier {
 public:
  // Errors: kInvalidArgument when a count option is below 1.
  static Result<LineClassifier> Create(const CleanOptions& options);

  ~LineClassifier();
  LineClassifier(LineClassifier&&) noexcept;
  LineClassifier& operator=(LineClassifier&&) noexcept;

  // Classifies every line of `article.text`. `corpus` may be null (line
  // and article evidence only). For corpus evidence to count the article's
  // own occurrence correctly, Observe it into `corpus` first; an article
  // that was not observed is judged slightly more conservatively.
  CleanedArticle Classify(const Article& article, const ChromeModel* corpus) const;

  const CleanOptions& options() const;

 private:
  struct Impl;
  explicit LineClassifier(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Two passes over a batch that is its own corpus: observes every article
// into a fresh ChromeModel, then classifies each. The results view into
// `articles`. When `model_out` is given, the model is moved there (to
// persist it). Errors: as LineClassifier::Create.
Result<std::vector<CleanedArticle>> CleanCorpus(std::span<const Article> articles,
                                                const CleanOptions& options = {},
                                                ChromeModel* model_out = nullptr);

}  // namespace storyline::clean

#endif  // STORYLINE_CLEAN_LINE_CLASSIFIER_H_
