// storyline.clean and storyline.clean_corpus: a role for every line of an
// article, and its body (storyline/clean/line_classifier.h).
#include <pybind11/stl.h>

#include <string>
#include <vector>

#include "bindings.h"
#include "storyline/clean/line_classifier.h"

namespace storyline::python {
namespace {

// One cleaned article, as Python sees it. `lines` is built once.
struct CleanedValue {
  std::string id;
  std::string title;
  int title_line = 0;
  std::string body;
  py::list lines;
};

// What the library returns, copied out of the article's text (its lines are
// views) while the GIL is released.
struct CleanedCopy {
  std::string id;
  std::string title;
  int title_line = 0;
  std::string body;
  std::vector<LineValue> lines;
};

CleanedCopy CopyOut(const Article& article, const clean::CleanedArticle& cleaned) {
  CleanedCopy out;
  out.id = cleaned.id;
  out.title = clean::ArticleTitle(article, cleaned);
  out.title_line = cleaned.title_line;
  out.body = cleaned.body;
  out.lines.reserve(cleaned.lines.size());
  for (const clean::Line& l : cleaned.lines) {
    out.lines.push_back(LineValue{l.n, std::string(clean::RoleName(l.role)), l.reason,
                                  std::string(l.text), clean::IsBodyRole(l.role)});
  }
  return out;
}

py::object ToPython(CleanedCopy&& c) {
  CleanedValue v;
  v.id = std::move(c.id);
  v.title = std::move(c.title);
  v.title_line = c.title_line;
  v.body = std::move(c.body);
  for (LineValue& l : c.lines) v.lines.append(py::cast(std::move(l)));
  return py::cast(std::move(v));
}

// The classifier of single articles (no corpus), made once: it is
// immutable and Classify is thread-safe.
const clean::LineClassifier& SingleClassifier() {
  static const clean::LineClassifier classifier = Unwrap(clean::LineClassifier::Create({}));
  return classifier;
}

// storyline.Line, storyline.CleanedArticle and storyline.ROLES.
void BindCleanRecords(py::module_& m) {
  py::class_<LineValue> line(m, "Line", R"doc(
One line of an article's text with the role cleaning gave it.

Attributes:
    n: 1-based line number in the text.
    role: "title", "body", "heading", "caption", "byline", "boilerplate",
        "duplicate" or "blank".
    reason: why it got that role ("call to action", "second copy of line 3", ...).
    text: the line as it appears in the text.
    is_body: True for "body" and "heading", the lines that make up the body.
)doc");
  line.def_readonly("n", &LineValue::n)
      .def_readonly("role", &LineValue::role)
      .def_readonly("reason", &LineValue::reason)
      .def_readonly("text", &LineValue::text)
      .def_readonly("is_body", &LineValue::is_body);
  AddRecordMethods(line, {"n", "role", "reason", "text", "is_body"});

  py::class_<CleanedValue> cleaned(m, "CleanedArticle", R"doc(
An article after cleaning.

Attributes:
    id: the article's id ("" when none was given).
    title: the input's title, or else the headline line cleaning found ("" if none).
    title_line: the headline's line number, 0 when none was found.
    body: the body and heading lines, trimmed, joined by newlines.
    lines: a Line for every line of the text, in order.
)doc");
  cleaned.def_readonly("id", &CleanedValue::id)
      .def_readonly("title", &CleanedValue::title)
      .def_readonly("title_line", &CleanedValue::title_line)
      .def_readonly("body", &CleanedValue::body)
      .def_readonly("lines", &CleanedValue::lines);
  AddRecordMethods(cleaned, {"id", "title", "title_line", "body", "lines"},
                   {"id", "title", "title_line"});

  m.attr("ROLES") = py::make_tuple("title", "body", "heading", "caption", "byline", "boilerplate",
                                   "duplicate", "blank");
}

// storyline.clean and storyline.clean_many.
void BindCleanFunctions(py::module_& m) {
  m.def(
      "clean",
      [](py::handle article, std::optional<std::string> title) {
        Article a = ArticleFromPython(article, "article");
        if (title) a.title = *title;
        const clean::LineClassifier& classifier = SingleClassifier();
        CleanedCopy copy;
        {
          py::gil_scoped_release release;
          copy = CopyOut(a, classifier.Classify(a, nullptr));
        }
        return ToPython(std::move(copy));
      },
      py::arg("article"), py::kw_only(), py::arg("title") = py::none(), R"doc(
Gives every line of one article a role and returns its body.

    >>> a = storyline.clean(open("article.txt").read())
    >>> a.body                      # the reporting, without the site's chrome
    >>> [(l.n, l.role) for l in a.lines]

Args:
    article: the text (str), or a dict with "text" and optionally "id",
        "title", "url", "source", "published", "lang".
    title: the article's title, when the text's own headline line is not it.

Only the line and the article are evidence here; to also learn the chrome
that recurs across a site's articles, clean them together with
clean_corpus(). The GIL is released while the article is classified.

Raises:
    InvalidError: a record of the wrong shape.
)doc");

  m.def(
      "clean_corpus",
      [](py::iterable articles, int min_site_articles, int min_corpus_sources, int min_stories,
         int long_line_words) {
        std::vector<Article> batch;
        for (py::handle record : articles) {
          batch.push_back(ArticleFromPython(record, "record " + std::to_string(batch.size())));
        }
        clean::CleanOptions options;
        options.min_site_articles = min_site_articles;
        options.min_corpus_sources = min_corpus_sources;
        options.min_stories = min_stories;
        options.long_line_words = long_line_words;
        std::vector<CleanedCopy> copies;
        {
          py::gil_scoped_release release;
          std::vector<clean::CleanedArticle> all = Unwrap(clean::CleanCorpus(batch, options));
          copies.reserve(all.size());
          for (std::size_t i = 0; i < all.size(); ++i) copies.push_back(CopyOut(batch[i], all[i]));
        }
        py::list out;
        for (CleanedCopy& c : copies) out.append(ToPython(std::move(c)));
        return out;
      },
      py::arg("articles"), py::kw_only(), py::arg("min_site_articles") = 3,
      py::arg("min_corpus_sources") = 3, py::arg("min_stories") = 3,
      py::arg("long_line_words") = 20, R"doc(
Cleans a batch of articles that is its own corpus: lines recurring across a
site's articles (sign-up prompts, bios, navigation) are learned from the
batch and taken for chrome, as `storyline clean` does.

Args:
    articles: an iterable of dicts (as for clean(); "source" or "url" tells
        which site an article is from) or strs.
    min_site_articles: a line in at least this many articles of one source,
        across min_stories stories, is site chrome.
    min_corpus_sources: a short line in at least this many sources (and
        min_stories stories) is chrome.
    min_stories: distinct stories a recurring line must span.
    long_line_words: lines of at least this many words are judged only by
        repetition within one source.

Returns:
    A list of CleanedArticle, in input order. The GIL is released while the
    batch is cleaned.

Raises:
    InvalidError: an option below 1, or a record of the wrong shape.
)doc");
}

}  // namespace

void BindClean(py::module_& m) {
  BindCleanRecords(m);
  BindCleanFunctions(m);
}

}  // namespace storyline::python
