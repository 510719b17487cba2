// storyline.Store: read access to a store written by `storyline ingest`
// (storyline/store/store.h): stories, storylines, articles, duplicates and
// full-text search.
#include "storyline/store/store.h"

#include <pybind11/stl.h>

#include <cerrno>
#include <filesystem>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bindings.h"
#include "storyline/store/digest_json.h"

namespace storyline::python {
namespace {

using nlohmann::json;

// "rising" counts the articles of the last day of the stream's own clock,
// as the server does.
constexpr std::int64_t kRisingWindowSeconds = 24 * 3600;

struct StoryValue {
  std::string id;
  std::string storyline;
  std::string title;
  std::int64_t size = 0;
  std::optional<std::int64_t> first_published;
  std::optional<std::int64_t> last_published;
  std::int64_t gained = 0;
  std::string digest_json;
};

struct StorylineValue {
  std::string id;
  std::string title;
  std::int64_t size = 0;
  std::optional<std::int64_t> first_published;
  std::optional<std::int64_t> last_published;
};

struct ArticleValue {
  store::StoredArticle stored;
};

struct DuplicateValue {
  std::string id;
  std::string other;
  std::string relation;
  double jaccard = 0;
  double containment = 0;
  std::vector<std::string> evidence;
  bool copy_link = false;
};

struct HitValue {
  std::string kind;  // "story" | "article"
  store::SearchHit hit;
};

struct SearchValue {
  std::vector<HitValue> stories;
  std::vector<HitValue> articles;
  std::int64_t total_stories = 0;
  std::int64_t total_articles = 0;
  bool total_stories_exact = true;
  bool total_articles_exact = true;
};

// The lines of a stored article with the roles its analysis gave them.
py::list LineList(const store::StoredArticle& a) {
  py::list out;
  for (store::ArticleLine& l : store::LinesOf(a)) {
    LineValue v;
    v.n = l.n;
    v.is_body = l.role == "body" || l.role == "heading";
    v.role = std::move(l.role);
    v.reason = std::move(l.reason);
    v.text = std::move(l.text);
    out.append(py::cast(std::move(v)));
  }
  return out;
}

py::object JsonLoads(const std::string& text) {
  if (text.empty()) return py::dict();
  return py::module_::import("json").attr("loads")(Str(text));
}

// Matched terms of a snippet as segments: [(text, matched), ...].
py::list SnippetParts(const std::string& snippet) {
  py::list out;
  std::string cur;
  bool match = false;
  auto flush = [&] {
    if (!cur.empty()) out.append(py::make_tuple(Str(cur), match));
    cur.clear();
  };
  for (char c : snippet) {
    if (c == store::kMatchBegin || c == store::kMatchEnd) {
      flush();
      match = c == store::kMatchBegin;
    } else {
      cur += c;
    }
  }
  flush();
  return out;
}

std::string PlainSnippet(const std::string& snippet) {
  std::string out;
  for (char c : snippet) {
    if (c != store::kMatchBegin && c != store::kMatchEnd) out += c;
  }
  return out;
}

StoryValue ToStoryValue(store::StoryRecord&& r) {
  return StoryValue{std::move(r.id),    std::move(r.storyline),
                    std::move(r.title), r.size,
                    r.first_published,  r.last_published,
                    r.gained,           store::DigestJson(r.digest).dump()};
}

DuplicateValue ToDuplicateValue(const store::DuplicateRecord& d) {
  return DuplicateValue{d.a, d.b, d.relation, d.jaccard, d.containment, d.evidence, d.copy_link};
}

// A store connection behind a mutex (a Store is not thread-safe); every
// query runs without the GIL.
class StoreValue {
 public:
  StoreValue(std::unique_ptr<store::Store> db, std::string path)
      : db_(std::move(db)), path_(std::move(path)) {}

  template <typename Fn>
  auto Locked(Fn&& fn) {
    std::lock_guard lock(mutex_);
    if (!db_) Throw(ErrorCode::kInvalidArgument, "the store '" + path_ + "' is closed");
    return fn(*db_);
  }

  void Close() {
    std::lock_guard lock(mutex_);
    db_.reset();
  }

  const std::string& path() const { return path_; }

 private:
  std::mutex mutex_;
  std::unique_ptr<store::Store> db_;
  std::string path_;
};

// storyline.Story and storyline.Storyline.
void BindStoryRecords(py::module_& m) {
  py::class_<StoryValue> story(m, "Story", R"doc(
A stored story (one happening) and its digest.

Attributes:
    id, storyline: its ids.
    title: the digest's title.
    size: its articles.
    first_published, last_published: UTC datetimes, or None.
    gained: with order="rising", its articles of the last day of the stream.
    digest: the story object of docs/contract.md (summary, entities,
        timeline, quotes, sources, copies, wire...) as a dict.
)doc");
  story.def_readonly("id", &StoryValue::id)
      .def_readonly("storyline", &StoryValue::storyline)
      .def_readonly("title", &StoryValue::title)
      .def_readonly("size", &StoryValue::size)
      .def_property_readonly("first_published",
                             [](const StoryValue& s) { return ToDatetime(s.first_published); })
      .def_property_readonly("last_published",
                             [](const StoryValue& s) { return ToDatetime(s.last_published); })
      .def_readonly("gained", &StoryValue::gained)
      .def_property_readonly("digest",
                             [](const StoryValue& s) { return JsonLoads(s.digest_json); });
  AddRecordMethods(
      story,
      {"id", "storyline", "title", "size", "first_published", "last_published", "gained", "digest"},
      {"id", "storyline", "title", "size"});

  py::class_<StorylineValue> storyline(m, "Storyline", R"doc(
A stored storyline: the stories of one ongoing subject.

Attributes:
    id, title: its id and title.
    size: its stories.
    first_published, last_published: UTC datetimes over its stories, or None.
)doc");
  storyline.def_readonly("id", &StorylineValue::id)
      .def_readonly("title", &StorylineValue::title)
      .def_readonly("size", &StorylineValue::size)
      .def_property_readonly("first_published",
                             [](const StorylineValue& s) { return ToDatetime(s.first_published); })
      .def_property_readonly("last_published",
                             [](const StorylineValue& s) { return ToDatetime(s.last_published); });
  AddRecordMethods(storyline, {"id", "title", "size", "first_published", "last_published"});
}

// storyline.Article and storyline.Duplicate.
void BindArticleRecords(py::module_& m) {
  py::class_<ArticleValue> article(m, "Article", R"doc(
A stored article with what the pipeline found.

Attributes:
    id, title, text, url, source, lang: as stored ("" when unknown).
    published: ISO 8601 text ("" when unknown); published_inferred tells
        whether the pipeline inferred it from the text.
    body: the cleaned body.
    lines: a Line per line of the text, with its role and reason.
    dup_group: its duplicate group's original ("" when it has no copies).
    copy_of: the article it copies ("" when none).
    story, storyline: where it was clustered.
    revision: 1, plus one per content change.
)doc");
  article
      .def_property_readonly("id", [](const ArticleValue& a) { return Str(a.stored.article.id); })
      .def_property_readonly("title",
                             [](const ArticleValue& a) { return Str(a.stored.article.title); })
      .def_property_readonly("text",
                             [](const ArticleValue& a) { return Str(a.stored.article.text); })
      .def_property_readonly("url", [](const ArticleValue& a) { return Str(a.stored.article.url); })
      .def_property_readonly("source",
                             [](const ArticleValue& a) { return Str(a.stored.article.source); })
      .def_property_readonly("lang",
                             [](const ArticleValue& a) { return Str(a.stored.article.lang); })
      .def_property_readonly("published",
                             [](const ArticleValue& a) { return Str(a.stored.article.published); })
      .def_property_readonly(
          "published_inferred",
          [](const ArticleValue& a) { return a.stored.article.published_inferred; })
      .def_property_readonly("body",
                             [](const ArticleValue& a) { return Str(a.stored.analysis.body); })
      .def_property_readonly("lines", [](const ArticleValue& a) { return LineList(a.stored); })
      .def_property_readonly("dup_group",
                             [](const ArticleValue& a) { return Str(a.stored.analysis.dup_group); })
      .def_property_readonly("copy_of",
                             [](const ArticleValue& a) { return Str(a.stored.analysis.copy_of); })
      .def_property_readonly("story",
                             [](const ArticleValue& a) { return Str(a.stored.analysis.story); })
      .def_property_readonly("storyline",
                             [](const ArticleValue& a) { return Str(a.stored.analysis.storyline); })
      .def_property_readonly("revision", [](const ArticleValue& a) { return a.stored.revision; });
  AddRecordMethods(
      article,
      {"id", "title", "text", "url", "source", "lang", "published", "published_inferred", "body",
       "lines", "dup_group", "copy_of", "story", "storyline", "revision"},
      {"id", "title", "source", "published", "story"});

  py::class_<DuplicateValue> duplicate(m, "Duplicate", R"doc(
A stored duplicate pair, oriented so that `id` is the copy when one of the
two copies the other.

Attributes:
    id, other: the two articles.
    relation: "exact", "near" or "partial".
    jaccard, containment: the pair's scores.
    evidence: the shared passages.
    copy_link: True when `id`'s copy_of is `other`.
)doc");
  duplicate.def_readonly("id", &DuplicateValue::id)
      .def_readonly("other", &DuplicateValue::other)
      .def_readonly("relation", &DuplicateValue::relation)
      .def_readonly("jaccard", &DuplicateValue::jaccard)
      .def_readonly("containment", &DuplicateValue::containment)
      .def_readonly("evidence", &DuplicateValue::evidence)
      .def_readonly("copy_link", &DuplicateValue::copy_link);
  AddRecordMethods(duplicate,
                   {"id", "other", "relation", "jaccard", "containment", "evidence", "copy_link"});
}

// storyline.SearchHit and storyline.SearchResults.
void BindSearchRecords(py::module_& m) {
  py::class_<HitValue> hit(m, "SearchHit", R"doc(
One search result, a story or an article.

Attributes:
    kind: "story" or "article".
    id, title: the hit.
    snippet: a passage around the best match ("…" marks cut ends).
    snippet_parts: the snippet as [(text, matched), ...], matched terms True.
    score: relevance (higher is better).
    story, source, published, lang: articles only ("" for stories).
    size: stories only, their articles.
    copies: articles only, the matching articles of its duplicate group.
)doc");
  hit.def_readonly("kind", &HitValue::kind)
      .def_property_readonly("id", [](const HitValue& h) { return Str(h.hit.id); })
      .def_property_readonly("title", [](const HitValue& h) { return Str(h.hit.title); })
      .def_property_readonly("snippet",
                             [](const HitValue& h) { return Str(PlainSnippet(h.hit.snippet)); })
      .def_property_readonly("snippet_parts",
                             [](const HitValue& h) { return SnippetParts(h.hit.snippet); })
      .def_property_readonly("score", [](const HitValue& h) { return h.hit.score; })
      .def_property_readonly("story", [](const HitValue& h) { return Str(h.hit.story); })
      .def_property_readonly("source", [](const HitValue& h) { return Str(h.hit.source); })
      .def_property_readonly("published", [](const HitValue& h) { return Str(h.hit.published); })
      .def_property_readonly("lang", [](const HitValue& h) { return Str(h.hit.lang); })
      .def_property_readonly("size", [](const HitValue& h) { return h.hit.size; })
      .def_property_readonly("copies", [](const HitValue& h) { return h.hit.copies; });
  AddRecordMethods(hit, {"kind", "id", "title", "snippet", "score", "story", "source", "published",
                         "lang", "size", "copies"});

  py::class_<SearchValue> results(m, "SearchResults", R"doc(
What Store.search() found.

Attributes:
    stories, articles: lists of SearchHit, best first (one page each).
    total_stories, total_articles: hits beyond the page too (articles with
        copies counted once); a lower bound when the *_exact flag is False.
    total_stories_exact, total_articles_exact: whether the totals are exact.
)doc");
  results.def_readonly("stories", &SearchValue::stories)
      .def_readonly("articles", &SearchValue::articles)
      .def_readonly("total_stories", &SearchValue::total_stories)
      .def_readonly("total_articles", &SearchValue::total_articles)
      .def_readonly("total_stories_exact", &SearchValue::total_stories_exact)
      .def_readonly("total_articles_exact", &SearchValue::total_articles_exact);
  AddRecordMethods(results, {"stories", "articles", "total_stories", "total_articles",
                             "total_stories_exact", "total_articles_exact"});
}

// storyline.Store: the class and opening.
py::class_<StoreValue> BindStoreOpen(py::module_& m) {
  py::class_<StoreValue> store(m, "Store", R"doc(
Read access to a store written by `storyline ingest` (one SQLite file).

    >>> with storyline.Store("news.db") as db:
    ...     for story in db.stories(order="largest", limit=5):
    ...         print(story.size, story.title)
    ...     hits = db.search("ferry strike")
    ...     [a.title for a in db.articles(story=hits.stories[0].id)]

Opened read-only by default (an ingest may write meanwhile: SQLite WAL).
Queries run without the GIL; one connection serves one call at a time, so
threads share it in turns (open one Store per thread to read in parallel).

Args:
    path: the store file.
    read_only: open without creating or migrating (True); False creates the
        file when missing and migrates an older one.

Raises:
    FileNotFoundError: read_only and no such file.
    StoreError: a file that is not a storyline store, or SQLite failed.
)doc");
  store
      .def(py::init([](const std::string& path, bool read_only) {
             if (read_only && path != ":memory:" && !std::filesystem::exists(path)) {
               PyErr_SetObject(PyExc_FileNotFoundError,
                               py::make_tuple(ENOENT, "no storyline store", path).ptr());
               throw py::error_already_set();
             }
             store::StoreOptions options;
             options.read_only = read_only;
             std::unique_ptr<store::Store> db;
             {
               py::gil_scoped_release release;
               db = Unwrap(store::Store::Open(path, options));
             }
             return std::make_unique<StoreValue>(std::move(db), path);
           }),
           py::arg("path"), py::kw_only(), py::arg("read_only") = true)
      .def_property_readonly("path", &StoreValue::path, "The store file.");
  return store;
}

// storyline.Store: stories and storylines.
void BindStoreStories(py::class_<StoreValue>& store) {
  store
      .def(
          "stories",
          [](StoreValue& self, std::string order, std::int64_t limit, std::int64_t offset,
             std::optional<std::string> text, std::optional<std::string> lang,
             std::optional<std::string> source, py::handle since, py::handle until,
             std::optional<std::string> storyline_id) {
            store::StoryFilter f;
            const std::optional<store::StoryOrder> parsed = store::ParseStoryOrder(order);
            if (!parsed) {
              Throw(ErrorCode::kInvalidArgument,
                    "order: expected 'recent', 'largest' or 'rising', got '" + order + "'");
            }
            f.order = *parsed;
            f.limit = limit;
            f.offset = offset;
            f.text = text.value_or("");
            f.lang = lang.value_or("");
            f.source = source.value_or("");
            f.since = ToTimestamp(since, "since");
            f.until = ToTimestamp(until, "until");
            f.storyline = storyline_id.value_or("");
            std::vector<StoryValue> out;
            py::gil_scoped_release release;
            self.Locked([&](store::Store& db) {
              if (f.order == store::StoryOrder::kRising) {
                const std::optional<std::int64_t> latest = Unwrap(db.LatestPublished());
                f.rising_since = latest.value_or(0) - kRisingWindowSeconds;
              }
              for (store::StoryRecord& r : Unwrap(db.FindStories(f))) {
                out.push_back(ToStoryValue(std::move(r)));
              }
              return 0;
            });
            return out;
          },
          py::kw_only(), py::arg("order") = "recent", py::arg("limit") = 50, py::arg("offset") = 0,
          py::arg("text") = py::none(), py::arg("lang") = py::none(),
          py::arg("source") = py::none(), py::arg("since") = py::none(),
          py::arg("until") = py::none(), py::arg("storyline") = py::none(), R"doc(
Stories, filtered and paged as `/api/stories` does.

Args:
    order: "recent" (latest article first), "largest" or "rising" (most
        articles in the last day of the stream first; see Story.gained).
    limit, offset: the page.
    text: a full-text query the story or one of its articles matches.
    lang, source: stories with an article in this language / from this source.
    since, until: stories whose publication span overlaps [since, until]
        (datetime, ISO 8601 str or Unix seconds).
    storyline: only this storyline's stories.

Returns:
    A list of Story.

Raises:
    InvalidError: an unknown order, or a negative limit or offset.
)doc")
      .def(
          "story",
          [](StoreValue& self, const std::string& id) {
            std::optional<StoryValue> out;
            py::gil_scoped_release release;
            self.Locked([&](store::Store& db) {
              if (std::optional<store::StoryRecord> r = Unwrap(db.GetStory(id))) {
                out = ToStoryValue(std::move(*r));
              }
              return 0;
            });
            return out;
          },
          py::arg("id"), "The Story with this id, or None.")
      .def(
          "storylines",
          [](StoreValue& self, std::int64_t limit, std::int64_t offset) {
            std::vector<StorylineValue> out;
            py::gil_scoped_release release;
            self.Locked([&](store::Store& db) {
              for (store::StorylineRecord& r : Unwrap(db.ListStorylines(limit, offset))) {
                out.push_back(StorylineValue{std::move(r.id), std::move(r.title), r.size,
                                             r.first_published, r.last_published});
              }
              return 0;
            });
            return out;
          },
          py::kw_only(), py::arg("limit") = 50, py::arg("offset") = 0,
          "Storylines (Storyline), the one with the latest story first.");
}

// storyline.Store: articles, duplicates, search and counts.
void BindStoreArticles(py::class_<StoreValue>& store) {
  store
      .def(
          "articles",
          [](StoreValue& self, std::optional<std::string> story_id) {
            std::vector<ArticleValue> out;
            py::gil_scoped_release release;
            self.Locked([&](store::Store& db) {
              if (story_id) {
                for (store::StoredArticle& a : Unwrap(db.ArticlesOfStory(*story_id))) {
                  out.push_back(ArticleValue{std::move(a)});
                }
              } else {
                Check(db.ForEachArticle([&](const store::StoredArticle& a) {
                  out.push_back(ArticleValue{a});
                  return Ok();
                }));
              }
              return 0;
            });
            return out;
          },
          py::kw_only(), py::arg("story") = py::none(), R"doc(
Articles (Article): a story's, by publication time, or with story=None
every article of the store in insertion order (all read into memory).
)doc")
      .def(
          "article",
          [](StoreValue& self, const std::string& id) {
            std::optional<ArticleValue> out;
            py::gil_scoped_release release;
            self.Locked([&](store::Store& db) {
              if (std::optional<store::StoredArticle> a = Unwrap(db.GetArticle(id))) {
                out = ArticleValue{std::move(*a)};
              }
              return 0;
            });
            return out;
          },
          py::arg("id"), "The Article with this id, or None.")
      .def(
          "duplicates",
          [](StoreValue& self, std::optional<std::string> id) {
            std::vector<DuplicateValue> out;
            py::gil_scoped_release release;
            self.Locked([&](store::Store& db) {
              if (id) {
                for (const store::DuplicateRecord& d : Unwrap(db.DuplicatesOf(*id))) {
                  out.push_back(ToDuplicateValue(d));
                }
              } else {
                Check(db.ForEachDuplicate([&](const store::DuplicateRecord& d) {
                  out.push_back(ToDuplicateValue(d));
                  return Ok();
                }));
              }
              return 0;
            });
            return out;
          },
          py::arg("id") = py::none(),
          "Duplicate pairs (Duplicate): those of one article, or every pair of the store.")
      .def(
          "search",
          [](StoreValue& self, std::string query, std::int64_t limit, std::int64_t offset) {
            store::SearchQuery q;
            q.text = std::move(query);
            q.limit = limit;
            q.offset = offset;
            SearchValue out;
            py::gil_scoped_release release;
            self.Locked([&](store::Store& db) {
              store::SearchResults r = Unwrap(db.Search(q));
              for (store::SearchHit& h : r.stories) out.stories.push_back({"story", std::move(h)});
              for (store::SearchHit& h : r.articles) {
                out.articles.push_back({"article", std::move(h)});
              }
              out.total_stories = r.total_stories;
              out.total_articles = r.total_articles;
              out.total_stories_exact = r.total_stories_exact;
              out.total_articles_exact = r.total_articles_exact;
              return 0;
            });
            return out;
          },
          py::arg("query"), py::kw_only(), py::arg("limit") = 20, py::arg("offset") = 0, R"doc(
Full-text search over articles (title, body) and stories (title, summary,
entities, quotes), ranked by BM25, with snippets. Words are ANDed, "OR"
takes either, a leading "-" leaves a word out, "double quotes" make a
phrase, word* is a prefix; case and accents are ignored, and a word also
finds its other forms in each article's language.

Returns:
    SearchResults (an empty query gives empty results).
)doc")
      .def(
          "count_articles",
          [](StoreValue& self) {
            py::gil_scoped_release release;
            return self.Locked([](store::Store& db) { return Unwrap(db.CountArticles()); });
          },
          "How many articles the store holds.")
      .def(
          "count_stories",
          [](StoreValue& self) {
            py::gil_scoped_release release;
            return self.Locked([](store::Store& db) { return Unwrap(db.CountStories()); });
          },
          "How many stories the store holds.")
      .def("close", &StoreValue::Close,
           "Closes the connection; later calls raise InvalidError. Closing twice is harmless.")
      .def("__enter__", [](py::object self) { return self; })
      .def("__exit__",
           [](StoreValue& self, py::handle, py::handle, py::handle) {
             self.Close();
             return false;
           })
      .def("__repr__", [](const StoreValue& self) {
        return "Store(" + py::repr(Str(self.path())).cast<std::string>() + ")";
      });
}

}  // namespace

void BindStore(py::module_& m) {
  BindStoryRecords(m);
  BindArticleRecords(m);
  BindSearchRecords(m);
  py::class_<StoreValue> store = BindStoreOpen(m);
  BindStoreStories(store);
  BindStoreArticles(store);
}

}  // namespace storyline::python
