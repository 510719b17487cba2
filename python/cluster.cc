// storyline.StoryClusterer: online story and storyline clustering
// (storyline/cluster/story_clusterer.h).
#include <pybind11/stl.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "bindings.h"
#include "parallel.h"
#include "storyline/cluster/story_clusterer.h"

namespace storyline::python {
namespace {

struct AssignmentValue {
  std::string id;
  std::string story;
  std::string storyline;
  bool new_story = false;
  bool new_storyline = false;
  double score = 0;
};

struct StoryValue {
  std::string id;
  std::string storyline;
  std::vector<std::string> articles;
  std::optional<std::int64_t> first_published;
  std::optional<std::int64_t> last_published;
  std::vector<std::string> languages;
  std::vector<std::string> top_names;
  std::vector<std::string> top_terms;
};

// The library clusterer behind a mutex: it is not thread-safe, and its
// calls run without the GIL.
class ClustererValue {
 public:
  explicit ClustererValue(cluster::StoryClusterer clusterer) : clusterer_(std::move(clusterer)) {}

  std::vector<AssignmentValue> AddBatch(const std::vector<cluster::ArticleFeatures>& articles,
                                        int threads) {
    std::lock_guard lock(mutex_);
    std::vector<cluster::Assignment> got = Unwrap(clusterer_.AddBatch(articles, threads));
    std::vector<AssignmentValue> out;
    out.reserve(got.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      out.push_back(AssignmentValue{articles[i].id, std::move(got[i].story),
                                    std::move(got[i].storyline), got[i].new_story,
                                    got[i].new_storyline, got[i].score});
    }
    return out;
  }

  template <typename Fn>
  auto Locked(Fn&& fn) {
    std::lock_guard lock(mutex_);
    return fn(clusterer_);
  }

 private:
  std::mutex mutex_;
  cluster::StoryClusterer clusterer_;
};

cluster::ArticleFeatures FeaturesFrom(py::handle record, const std::string& where) {
  if (!py::isinstance<py::dict>(record))
    Throw(ErrorCode::kInvalidInput, where + ": expected a dict");
  py::dict d = py::reinterpret_borrow<py::dict>(record);
  cluster::ArticleFeatures f;
  f.id = OptionalText(d, "id", where);
  if (f.id.empty()) Throw(ErrorCode::kInvalidInput, where + ": no 'id'");
  f.title = OptionalText(d, "title", where);
  f.body = OptionalText(d, "body", where);
  if (f.body.empty()) f.body = OptionalText(d, "text", where);
  f.lang = OptionalText(d, "lang", where);
  if (d.contains("published"))
    f.published = ToTimestamp(d["published"], (where + ": published").c_str());
  if (std::string c = OptionalText(d, "copy_of", where); !c.empty()) f.copy_of = std::move(c);
  return f;
}

// The library's defaults, which the keyword arguments take.
const cluster::ClusterOptions& Defaults() {
  static const cluster::ClusterOptions defaults;
  return defaults;
}

cluster::ClusterOptions MakeOptions(double join_probability, double merge_probability,
                                    double time_sigma_days, double story_window_days,
                                    int max_live_stories, int repair_every,
                                    double storyline_threshold, double storyline_window_days,
                                    std::optional<std::string> dictionary_dir) {
  cluster::ClusterOptions o;
  o.join_probability = join_probability;
  o.merge_probability = merge_probability;
  o.time_sigma_days = time_sigma_days;
  o.story_window_days = story_window_days;
  o.max_live_stories = max_live_stories;
  o.repair_every = repair_every;
  o.storyline_threshold = storyline_threshold;
  o.storyline_window_days = storyline_window_days;
  if (dictionary_dir) o.dictionary_dir = *dictionary_dir;
  return o;
}

StoryValue ToStoryValue(cluster::StoryView&& v) {
  return StoryValue{std::move(v.id),        std::move(v.storyline), std::move(v.articles),
                    v.first_published,      v.last_published,       std::move(v.languages),
                    std::move(v.top_names), std::move(v.top_terms)};
}

// storyline.Assignment and storyline.LiveStory.
void BindClusterRecords(py::module_& m) {
  py::class_<AssignmentValue> assignment(m, "Assignment", R"doc(
Where an article went.

Attributes:
    id: the article.
    story: its story ("s00000012"); a story is one happening.
    storyline: its story's storyline ("l00000007"): one ongoing subject.
    new_story, new_storyline: whether the article opened them.
    score: the best candidate story's probability (joined or not); 1 for a
        copy joining its original; 0 when there was no candidate.
)doc");
  assignment.def_readonly("id", &AssignmentValue::id)
      .def_readonly("story", &AssignmentValue::story)
      .def_readonly("storyline", &AssignmentValue::storyline)
      .def_readonly("new_story", &AssignmentValue::new_story)
      .def_readonly("new_storyline", &AssignmentValue::new_storyline)
      .def_readonly("score", &AssignmentValue::score);
  AddRecordMethods(assignment, {"id", "story", "storyline", "new_story", "new_storyline", "score"});

  py::class_<StoryValue> story(m, "LiveStory", R"doc(
A story the clusterer still holds (see StoryClusterer.stories()).

Attributes:
    id, storyline: its ids.
    articles: its articles' ids, in arrival order.
    first_published, last_published: UTC datetimes, or None when undated.
    languages: its articles' languages, in order of first appearance.
    top_names, top_terms: its heaviest name keys and body stems.
)doc");
  story.def_readonly("id", &StoryValue::id)
      .def_readonly("storyline", &StoryValue::storyline)
      .def_readonly("articles", &StoryValue::articles)
      .def_property_readonly("first_published",
                             [](const StoryValue& s) { return ToDatetime(s.first_published); })
      .def_property_readonly("last_published",
                             [](const StoryValue& s) { return ToDatetime(s.last_published); })
      .def_readonly("languages", &StoryValue::languages)
      .def_readonly("top_names", &StoryValue::top_names)
      .def_readonly("top_terms", &StoryValue::top_terms);
  AddRecordMethods(story, {"id", "storyline", "articles", "first_published", "last_published",
                           "languages", "top_names", "top_terms"});
}

// storyline.StoryClusterer: construction and adding.
py::class_<ClustererValue> BindClustererAdds(py::module_& m) {
  py::class_<ClustererValue> clusterer(m, "StoryClusterer", R"doc(
Online clustering of a news stream into stories (one happening each) and
storylines (one ongoing subject), after Miranda et al. (EMNLP 2018), with
the models `storyline ingest` uses.

    >>> c = storyline.StoryClusterer()
    >>> c.add("a1", title="Ferry strike halts crossings", body=body1, published="2024-03-01")
    Assignment(id='a1', story='s00000001', storyline='l00000001', new_story=True, ...)
    >>> c.add("a2", title="Ferry crews walk out", body=body2).story
    's00000001'

Give articles in publication order, their cleaned bodies (storyline.clean).
Not thread-safe in itself: calls from several threads take turns. Adding
runs without the GIL.

Args:
    join_probability: an article joins the likeliest story at or above this
        probability, else opens a new one.
    merge_probability: the repair pass merges two stories at or above this.
    time_sigma_days: time scale of the time input for full texts.
    story_window_days: a story without a new article for this long is frozen.
    max_live_stories: at most this many stories stay live.
    repair_every: run the merge pass every this many articles; 0 = never.
    storyline_threshold: a new story joins the best storyline scoring at least this.
    storyline_window_days: a storyline without a new story for this long is frozen.
    Each defaults to the library's own default (ClusterOptions).
    dictionary_dir: FreeDict dictionaries for cross-language features
        (/usr/share/dictd).

Raises:
    InvalidError: an option out of range.
)doc");
  clusterer
      .def(py::init([](double join_probability, double merge_probability, double time_sigma_days,
                       double story_window_days, int max_live_stories, int repair_every,
                       double storyline_threshold, double storyline_window_days,
                       std::optional<std::string> dictionary_dir) {
             return std::make_unique<ClustererValue>(Unwrap(cluster::StoryClusterer::Create(
                 MakeOptions(join_probability, merge_probability, time_sigma_days,
                             story_window_days, max_live_stories, repair_every, storyline_threshold,
                             storyline_window_days, dictionary_dir))));
           }),
           py::kw_only(), py::arg("join_probability") = Defaults().join_probability,
           py::arg("merge_probability") = Defaults().merge_probability,
           py::arg("time_sigma_days") = Defaults().time_sigma_days,
           py::arg("story_window_days") = Defaults().story_window_days,
           py::arg("max_live_stories") = Defaults().max_live_stories,
           py::arg("repair_every") = Defaults().repair_every,
           py::arg("storyline_threshold") = Defaults().storyline_threshold,
           py::arg("storyline_window_days") = Defaults().storyline_window_days,
           py::arg("dictionary_dir") = py::none())
      .def(
          "add",
          [](ClustererValue& self, std::string id, std::string title, std::string body,
             py::handle published, std::optional<std::string> lang,
             std::optional<std::string> copy_of) {
            cluster::ArticleFeatures f;
            f.id = std::move(id);
            f.title = std::move(title);
            f.body = std::move(body);
            f.published = ToTimestamp(published, "published");
            f.lang = lang.value_or("");
            if (copy_of && !copy_of->empty()) f.copy_of = *copy_of;
            std::vector<cluster::ArticleFeatures> one;
            one.push_back(std::move(f));
            py::gil_scoped_release release;
            return std::move(self.AddBatch(one, 1).front());
          },
          py::arg("id"), py::kw_only(), py::arg("title") = "", py::arg("body") = "",
          py::arg("published") = py::none(), py::arg("lang") = py::none(),
          py::arg("copy_of") = py::none(), R"doc(
Clusters one article and returns its Assignment.

Args:
    id: unique, non-empty.
    title: its title.
    body: its cleaned body (may be empty: the title alone then describes it).
    published: publication time (datetime, ISO 8601 str or Unix seconds), or None.
    lang: ISO 639-1 code, or None to detect it.
    copy_of: the id of the article this one copies (a copy joins its story).

Raises:
    InvalidError: an empty id, an id already given, or a bad time.
)doc")
      .def(
          "add_many",
          [](ClustererValue& self, py::iterable records, int threads) {
            std::vector<cluster::ArticleFeatures> batch;
            for (py::handle record : records) {
              batch.push_back(FeaturesFrom(record, "record " + std::to_string(batch.size())));
            }
            if (threads < 0) Throw(ErrorCode::kInvalidArgument, "threads must be >= 0");
            const int n = static_cast<int>(ResolveThreads(threads));
            py::gil_scoped_release release;
            return self.AddBatch(batch, n);
          },
          py::arg("records"), py::kw_only(), py::arg("threads") = 1, R"doc(
Clusters articles in the given order: dicts with "id", "title", "body" (or
"text"), and optionally "published", "lang", "copy_of". Features are
extracted on `threads` threads (0 = every core); the results are the same
for any thread count. Returns a list of Assignment, in input order.

On an error the articles before the bad one are added, none after.
)doc")
      .def(
          "story_of",
          [](ClustererValue& self, const std::string& id) {
            return self.Locked([&](cluster::StoryClusterer& c) { return c.StoryOf(id); });
          },
          py::arg("id"), "The story of an article whose story is live, else None.")
      .def(
          "stories",
          [](ClustererValue& self) {
            std::vector<StoryValue> out;
            {
              py::gil_scoped_release release;
              std::vector<cluster::StoryView> views =
                  self.Locked([](cluster::StoryClusterer& c) { return c.Stories(); });
              for (cluster::StoryView& v : views) out.push_back(ToStoryValue(std::move(v)));
            }
            return out;
          },
          "The live stories (LiveStory), oldest first.");
  return clusterer;
}

// storyline.StoryClusterer: repair, merges and reading back.
void BindClustererReads(py::class_<ClustererValue>& clusterer) {
  clusterer
      .def(
          "repair",
          [](ClustererValue& self) {
            py::gil_scoped_release release;
            self.Locked([](cluster::StoryClusterer& c) {
              c.Repair();
              return 0;
            });
          },
          "Runs the merge pass now (add() runs it every repair_every articles).")
      .def(
          "take_merges",
          [](ClustererValue& self) {
            std::vector<cluster::StoryMerge> merges =
                self.Locked([](cluster::StoryClusterer& c) { return c.TakeMerges(); });
            py::list out;
            for (const cluster::StoryMerge& sm : merges) {
              py::dict d;
              d["from"] = sm.from;
              d["into"] = sm.into;
              d["into_storyline"] = sm.into_storyline;
              out.append(std::move(d));
            }
            return out;
          },
          R"doc(
The stories merged by the repair pass since the last call, in order: dicts
{"from", "into", "into_storyline"}; every article of "from" now belongs to
"into". Assignments returned before a merge name "from".
)doc")
      .def(
          "take_frozen",
          [](ClustererValue& self) {
            std::vector<cluster::FrozenStory> frozen =
                self.Locked([](cluster::StoryClusterer& c) { return c.TakeFrozen(); });
            py::list out;
            for (const cluster::FrozenStory& f : frozen) {
              py::dict d;
              d["id"] = f.id;
              d["storyline"] = f.storyline;
              d["articles"] = f.articles;
              out.append(std::move(d));
            }
            return out;
          },
          "Stories frozen since the last call: dicts {\"id\", \"storyline\", \"articles\"}.")
      .def(
          "freeze_all",
          [](ClustererValue& self) {
            self.Locked([](cluster::StoryClusterer& c) {
              c.FreezeAll();
              return 0;
            });
          },
          "Freezes every live story (end of a corpus), so take_frozen() returns them all.")
      .def(
          "serialize",
          [](ClustererValue& self) {
            std::string state;
            {
              py::gil_scoped_release release;
              state = self.Locked([](cluster::StoryClusterer& c) { return Unwrap(c.Serialize()); });
            }
            return py::bytes(state);
          },
          "The state as bytes, to continue later with StoryClusterer.restore().")
      .def_static(
          "restore",
          [](py::bytes state, double join_probability, double merge_probability,
             double time_sigma_days, double story_window_days, int max_live_stories,
             int repair_every, double storyline_threshold, double storyline_window_days,
             std::optional<std::string> dictionary_dir) {
            const std::string bytes = state;
            const cluster::ClusterOptions options =
                MakeOptions(join_probability, merge_probability, time_sigma_days, story_window_days,
                            max_live_stories, repair_every, storyline_threshold,
                            storyline_window_days, dictionary_dir);
            return std::make_unique<ClustererValue>(
                Unwrap(cluster::StoryClusterer::Restore(options, bytes)));
          },
          py::arg("state"), py::kw_only(),
          py::arg("join_probability") = Defaults().join_probability,
          py::arg("merge_probability") = Defaults().merge_probability,
          py::arg("time_sigma_days") = Defaults().time_sigma_days,
          py::arg("story_window_days") = Defaults().story_window_days,
          py::arg("max_live_stories") = Defaults().max_live_stories,
          py::arg("repair_every") = Defaults().repair_every,
          py::arg("storyline_threshold") = Defaults().storyline_threshold,
          py::arg("storyline_window_days") = Defaults().storyline_window_days,
          py::arg("dictionary_dir") = py::none(),
          R"doc(
A clusterer continuing from serialize() output; pass the options it was
made with. Raises InvalidError for bytes that are not such a state.
)doc")
      .def_property_readonly(
          "live_stories",
          [](ClustererValue& self) {
            return self.Locked([](cluster::StoryClusterer& c) { return c.live_stories(); });
          },
          "How many stories are live.")
      .def_property_readonly(
          "articles_seen",
          [](ClustererValue& self) {
            return self.Locked([](cluster::StoryClusterer& c) { return c.articles_seen(); });
          },
          "How many articles were added.");
}

}  // namespace

void BindCluster(py::module_& m) {
  BindClusterRecords(m);
  py::class_<ClustererValue> clusterer = BindClustererAdds(m);
  BindClustererReads(clusterer);
}

}  // namespace storyline::python
