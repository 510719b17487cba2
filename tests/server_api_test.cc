// End-to-end tests of the HTTP API over loopback: an in-process server on an
// ephemeral port over a store built from examples/.
#include <sqlite3.h>

#include <map>
#include <set>
#include <string>

#include "server_fixture.h"
#include "store/body_text.h"
#include "store/fts_tokenizer.h"
#include "storyline/store/store.h"

namespace storyline::testing {
namespace {

using json = nlohmann::json;

class ServerApiTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    StartServer();
  }

  // Every error answer has a status and {"error": "..."}.
  void ExpectError(const Answer& a, int status, const std::string& fragment) {
    EXPECT_EQ(a.status, status) << a.body;
    ASSERT_TRUE(a.json.is_object()) << a.body;
    ASSERT_TRUE(a.json.contains("error")) << a.body;
    EXPECT_NE(a.json["error"].get<std::string>().find(fragment), std::string::npos) << a.body;
  }

  std::string StoryOf(const std::string& article) {
    return Get("/api/articles/" + article).json["article"]["story"].get<std::string>();
  }
};

TEST_F(ServerApiTest, HealthzCountsTheStore) {
  Answer a = Get("/healthz");
  ASSERT_EQ(a.status, 200);
  EXPECT_EQ(a.json["ok"], true);
  EXPECT_EQ(a.json["articles"], 41);
  EXPECT_GT(a.json["stories"].get<int>(), 5);
}

TEST_F(ServerApiTest, StoriesAreNewestFirstWithSizeSourcesAndLanguages) {
  Answer a = Get("/api/stories");
  ASSERT_EQ(a.status, 200) << a.body;
  const json& stories = a.json["stories"];
  ASSERT_GT(stories.size(), 5U);
  EXPECT_EQ(a.json["total"].get<std::size_t>(), stories.size());
  for (std::size_t i = 1; i < stories.size(); ++i) {
    if (stories[i]["last_published"].is_null()) continue;
    EXPECT_GE(stories[i - 1]["last_published"].get<std::string>(),
              stories[i]["last_published"].get<std::string>());
  }
  for (const json& s : stories) {
    EXPECT_GE(s["size"].get<int>(), 1);
    EXPECT_TRUE(s["sources"].is_array());
    EXPECT_FALSE(s["langs"].empty()) << s.dump();
  }
}

TEST_F(ServerApiTest, LargestOrderAndPaging) {
  Answer all = Get("/api/stories?order=largest&limit=200");
  ASSERT_EQ(all.status, 200);
  const json& s = all.json["stories"];
  for (std::size_t i = 1; i < s.size(); ++i) {
    EXPECT_GE(s[i - 1]["size"].get<int>(), s[i]["size"].get<int>());
  }
  Answer page = Get("/api/stories?order=largest&limit=2&offset=2");
  ASSERT_EQ(page.status, 200);
  ASSERT_EQ(page.json["stories"].size(), 2U);
  EXPECT_EQ(page.json["stories"][0]["id"], s[2]["id"]);
  EXPECT_EQ(page.json["total"], all.json["total"]);
}

TEST_F(ServerApiTest, FiltersByWordsLanguageSourceAndDates) {
  // Rows of {query, a story that must be there, why}.
  const std::string ferry = StoryOf("gazette-ferry-strike");
  const std::string recyclalp = StoryOf("echo-recyclalp-incendie");
  struct Row {
    std::string query;
    std::string expect_story;
    std::string why;
  } rows[] = {
      {"q=ferry", ferry, "word in titles and bodies"},
      {"q=FERRY", ferry, "case-insensitive"},
      {"q=entrepot", StoryOf("messager-recyclalp-suspect"), "diacritics ignored (entrepôt)"},
      {"lang=fr", recyclalp, "an article in French"},
      {"source=echo-des-alpes.fr", recyclalp, "an article from that source"},
      {"since=2025-03-17&until=2025-03-17", ferry, "span overlaps the day"},
  };
  for (const Row& r : rows) {
    Answer a = Get("/api/stories?" + r.query);
    ASSERT_EQ(a.status, 200) << r.query << ": " << a.body;
    std::set<std::string> ids;
    for (const json& s : a.json["stories"]) ids.insert(s["id"].get<std::string>());
    EXPECT_TRUE(ids.count(r.expect_story)) << r.query << " (" << r.why << "): " << a.body;
    EXPECT_LT(ids.size(), 41U) << r.query << " filters nothing";
  }
  const Answer de = Get("/api/stories?lang=de");
  for (const json& s : de.json["stories"]) {
    EXPECT_NE(s["id"], ferry) << "an English story matched lang=de";
  }
  EXPECT_EQ(Get("/api/stories?q=zzzyyyxxx").json["stories"].size(), 0U);
  EXPECT_EQ(Get("/api/stories?q=%22%22%22").json["stories"].size(), 0U) << "only punctuation";
}

TEST_F(ServerApiTest, BadParametersAreClear400s) {
  ExpectError(Get("/api/stories?limit=0"), 400, "limit");
  ExpectError(Get("/api/stories?limit=abc"), 400, "limit");
  ExpectError(Get("/api/stories?offset=-1"), 400, "offset");
  ExpectError(Get("/api/stories?order=random"), 400, "order");
  ExpectError(Get("/api/stories?since=yesterday"), 400, "since");
  ExpectError(Get("/api/stories?since=2025-03-20&until=2025-03-01"), 400, "since is after until");
  ExpectError(Get("/api/search"), 400, "q");
  ExpectError(Get("/api/search?q=ferry&limit=100000"), 400, "limit");
  ExpectError(Get("/api/stories/no-such-story"), 404, "no story");
  ExpectError(Get("/api/articles/no-such-article"), 404, "no article");
  ExpectError(Get("/api/storylines/no-such-line"), 404, "no storyline");
  ExpectError(Get("/api/nothing-here"), 404, "no such endpoint");
}

TEST_F(ServerApiTest, StoryHasDigestArticlesAndCopyRelations) {
  const std::string id = StoryOf("gazette-ferry-strike");
  Answer a = Get("/api/stories/" + id);
  ASSERT_EQ(a.status, 200) << a.body;
  const json& story = a.json["story"];
  EXPECT_EQ(story["id"], id);
  EXPECT_FALSE(story["title"].get<std::string>().empty());
  EXPECT_TRUE(story["summary"].is_array());
  EXPECT_TRUE(story["entities"].is_array());
  EXPECT_TRUE(story["timeline"].is_array());
  EXPECT_TRUE(story["quotes"].is_array());
  std::set<std::string> articles;
  for (const json& art : a.json["articles"]) {
    articles.insert(art["id"].get<std::string>());
    EXPECT_TRUE(art.contains("source"));
  }
  EXPECT_TRUE(articles.count("gazette-ferry-strike"));
  EXPECT_EQ(a.json["articles_total"].get<std::size_t>(), articles.size());
  ASSERT_FALSE(a.json["copies"].empty()) << a.body;
  for (const json& c : a.json["copies"]) {
    EXPECT_TRUE(articles.count(c["article"].get<std::string>()));
    EXPECT_TRUE(articles.count(c["copy_of"].get<std::string>()));
    EXPECT_TRUE(c["relation"] == "exact" || c["relation"] == "near" || c["relation"] == "partial");
  }
}

TEST_F(ServerApiTest, ArticleHasEveryLineWithRoleReasonAndText) {
  Answer a = Get("/api/articles/gazette-ferry-strike");
  ASSERT_EQ(a.status, 200) << a.body;
  const json& art = a.json["article"];
  EXPECT_EQ(art["id"], "gazette-ferry-strike");
  EXPECT_FALSE(art["body"].get<std::string>().empty());
  const json& lines = art["lines"];
  ASSERT_GT(lines.size(), 10U);
  std::set<std::string> roles;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(lines[i]["n"], i + 1);
    EXPECT_FALSE(lines[i]["role"].get<std::string>().empty()) << lines[i].dump();
    EXPECT_TRUE(lines[i]["text"].is_string());
    roles.insert(lines[i]["role"].get<std::string>());
  }
  EXPECT_TRUE(roles.count("body"));
  EXPECT_TRUE(roles.count("boilerplate"));
  EXPECT_EQ(lines[0]["role"], "title");
  ASSERT_FALSE(a.json["duplicates"].empty());
  const json& d = a.json["duplicates"][0];
  EXPECT_GT(d["jaccard"].get<double>(), 0);
  EXPECT_FALSE(d["evidence"].empty());
  EXPECT_EQ(a.json["story"]["id"], art["story"]);
}

TEST_F(ServerApiTest, StorylinesListAndDetail) {
  Answer list = Get("/api/storylines");
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_FALSE(list.json["storylines"].empty());
  const std::string id = list.json["storylines"][0]["id"];
  Answer one = Get("/api/storylines/" + id);
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(one.json["storyline"]["id"], id);
  ASSERT_FALSE(one.json["stories"].empty());
  for (const json& s : one.json["stories"]) EXPECT_EQ(s["storyline"], id);
}

TEST_F(ServerApiTest, StorylinesListHasTotalsAndDatesAndDetailHasVolume) {
  Answer list = Get("/api/storylines?limit=2");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_GE(list.json["total"].get<int>(), static_cast<int>(list.json["storylines"].size()));
  for (const json& l : list.json["storylines"]) {
    EXPECT_GE(l["size"].get<int>(), 1) << l.dump();
    ASSERT_TRUE(l["first_published"].is_string()) << l.dump();
    EXPECT_LE(l["first_published"].get<std::string>(), l["last_published"].get<std::string>());
  }
  Answer page2 = Get("/api/storylines?limit=2&offset=2");
  ASSERT_EQ(page2.status, 200);
  if (!page2.json["storylines"].empty()) {
    EXPECT_NE(page2.json["storylines"][0]["id"], list.json["storylines"][0]["id"]);
  }
  const std::string id = list.json["storylines"][0]["id"];
  Answer one = Get("/api/storylines/" + id);
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(one.json["storyline"]["first_published"],
            list.json["storylines"][0]["first_published"]);
  // The storyline's volume counts every article of its stories.
  std::int64_t articles = 0;
  for (const json& s : one.json["stories"]) articles += s["size"].get<std::int64_t>();
  std::int64_t counted = one.json["volume"]["undated"].get<std::int64_t>();
  for (const json& b : one.json["volume"]["buckets"]) counted += b["count"].get<std::int64_t>();
  EXPECT_EQ(counted, articles) << one.json["volume"].dump();
}

TEST_F(ServerApiTest, StoryVolumeCountsItsArticlesPerHourOrDay) {
  Answer list = Get("/api/stories?order=largest&limit=200");
  ASSERT_EQ(list.status, 200);
  int checked = 0;
  for (const json& item : list.json["stories"]) {
    Answer a = Get("/api/stories/" + item["id"].get<std::string>());
    ASSERT_EQ(a.status, 200) << a.body;
    const json& v = a.json["volume"];
    ASSERT_TRUE(v.is_object()) << a.body;
    std::int64_t counted = v["undated"].get<std::int64_t>();
    std::string previous;
    for (const json& b : v["buckets"]) {
      counted += b["count"].get<std::int64_t>();
      const std::string start = b["start"];
      EXPECT_LT(previous, start) << "buckets ascend";
      previous = start;
    }
    EXPECT_EQ(counted, a.json["articles_total"].get<std::int64_t>()) << v.dump();
    if (v["buckets"].empty()) continue;
    const std::int64_t seconds = v["bucket_seconds"];
    EXPECT_EQ(v["bucket"], seconds == 3600 ? "hour" : "day") << v.dump();
    EXPECT_LE(v["buckets"].size(), 401u);
    // The first and last buckets hold articles: the axis spans the dated ones.
    EXPECT_GT(v["buckets"].front()["count"].get<int>(), 0);
    EXPECT_GT(v["buckets"].back()["count"].get<int>(), 0);
    ++checked;
  }
  EXPECT_GT(checked, 5);
}

TEST_F(ServerApiTest, RisingOrderListsStoriesThatGainedArticlesInTheLastDay) {
  Answer a = Get("/api/stories?order=rising&limit=200");
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(a.json["order"], "rising");
  ASSERT_TRUE(a.json["window"].is_object()) << a.body;
  const std::string since = a.json["window"]["since"];
  const std::string until = a.json["window"]["until"];
  EXPECT_LT(since, until);
  const json& stories = a.json["stories"];
  ASSERT_FALSE(stories.empty()) << "the newest article's story gained at least it";
  EXPECT_EQ(a.json["total"].get<std::size_t>(), stories.size());
  for (std::size_t i = 0; i < stories.size(); ++i) {
    const int gained = stories[i]["gained"].get<int>();
    EXPECT_GE(gained, 1);
    EXPECT_LE(gained, stories[i]["size"].get<int>());
    EXPECT_GE(stories[i]["last_published"].get<std::string>(), since) << stories[i].dump();
    if (i > 0) {
      EXPECT_GE(stories[i - 1]["gained"].get<int>(), gained);
    }
  }
  // Every story with an article inside the window is listed, none outside.
  Answer all = Get("/api/stories?limit=200");
  std::set<std::string> rising;
  for (const json& s : stories) rising.insert(s["id"].get<std::string>());
  for (const json& s : all.json["stories"]) {
    if (s["last_published"].is_null()) continue;
    if (s["last_published"].get<std::string>() < since) {
      EXPECT_EQ(rising.count(s["id"].get<std::string>()), 0u) << s.dump();
    }
    EXPECT_FALSE(s.contains("gained")) << "only order=rising says gained";
  }
  // It combines with filters and pages like the other orders.
  Answer page = Get("/api/stories?order=rising&limit=1&offset=0");
  ASSERT_EQ(page.status, 200);
  ASSERT_EQ(page.json["stories"].size(), 1u);
  EXPECT_EQ(page.json["stories"][0]["id"], stories[0]["id"]);
  EXPECT_EQ(Get("/api/stories?order=rising&q=zzzunknownword").json["stories"].size(), 0u);
}

TEST_F(ServerApiTest, SearchPagesWithOffsetAndLimit) {
  Answer first = Get("/api/search?q=the&limit=2&offset=0");
  ASSERT_EQ(first.status, 200) << first.body;
  ASSERT_GT(first.json["total_articles"].get<int>(), 3);
  ASSERT_EQ(first.json["articles"].size(), 2u);
  Answer second = Get("/api/search?q=the&limit=2&offset=2");
  ASSERT_EQ(second.status, 200);
  ASSERT_EQ(second.json["articles"].size(), 2u);
  EXPECT_EQ(second.json["total_articles"], first.json["total_articles"]);
  std::set<std::string> ids;
  for (const Answer* a : {&first, &second}) {
    for (const json& h : a->json["articles"]) ids.insert(h["id"].get<std::string>());
  }
  EXPECT_EQ(ids.size(), 4u) << "pages do not overlap";
  Answer past = Get("/api/search?q=the&limit=2&offset=100000");
  ASSERT_EQ(past.status, 200);
  EXPECT_TRUE(past.json["articles"].empty());
  ExpectError(Get("/api/search?q=the&limit=101"), 400, "limit");
  ExpectError(Get("/api/search?q=the&offset=100001"), 400, "offset");
}

TEST_F(ServerApiTest, SearchRanksWithSnippets) {
  Answer a = Get("/api/search?q=ferry%20strike");
  ASSERT_EQ(a.status, 200) << a.body;
  ASSERT_FALSE(a.json["articles"].empty());
  ASSERT_FALSE(a.json["stories"].empty());
  EXPECT_GE(a.json["total_articles"].get<int>(), 3);
  double last = 1e9;
  bool marked = false;
  for (const json& h : a.json["articles"]) {
    EXPECT_LE(h["score"].get<double>(), last);
    last = h["score"].get<double>();
    for (const json& seg : h["snippet"]) marked = marked || seg["match"].get<bool>();
  }
  EXPECT_TRUE(marked) << "no highlighted term in any snippet";
  // Entities and quotes of digests are searchable through stories.
  Answer st = Get("/api/stories/" + a.json["stories"][0]["id"].get<std::string>());
  const json& entities = st.json["story"]["entities"];
  if (!entities.empty()) {
    const std::string name = entities[0]["name"];
    httplib::Params p{{"q", "\"" + name + "\""}};
    Answer by_entity = Get("/api/search?" + httplib::detail::params_to_query_str(p));
    ASSERT_EQ(by_entity.status, 200);
    EXPECT_FALSE(by_entity.json["stories"].empty()) << name;
  }
  // Query syntax cannot break the search.
  for (const char* q : {"%22unbalanced", "NEAR(a%20b)", "title:ferry", "*", "a%20OR", "-ferry"}) {
    EXPECT_EQ(Get(std::string("/api/search?q=") + q).status, 200) << q;
  }
}

// Atom feeds (RFC 4287) for a search and for a story, as feed readers take
// them: one entry per article, escaped text, a self link, 404 and 400 as
// the JSON endpoints give them.
TEST_F(ServerApiTest, AtomFeedsForASearchAndAStory) {
  Answer search = Get("/feed.atom?q=ferry%20strike&limit=3");
  ASSERT_EQ(search.status, 200) << search.body;
  EXPECT_EQ(search.content_type, "application/atom+xml; charset=utf-8");
  EXPECT_EQ(search.body.rfind("<?xml version=\"1.0\" encoding=\"utf-8\"?>", 0), 0u);
  EXPECT_NE(search.body.find("<feed xmlns=\"http://www.w3.org/2005/Atom\">"), std::string::npos);
  EXPECT_NE(search.body.find("<link rel=\"self\" href=\"/feed.atom?q=ferry%20strike\"/>"),
            std::string::npos);
  auto count = [](const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
      ++n;
    }
    return n;
  };
  EXPECT_EQ(count(search.body, "<entry>"), 3u);
  EXPECT_EQ(count(search.body, "<entry>"), count(search.body, "<updated>") - 1);
  // The snippets' match markers are not XML characters.
  EXPECT_EQ(search.body.find('\x02'), std::string::npos);
  EXPECT_EQ(search.body.find('\x03'), std::string::npos);

  const std::string story = Get("/api/stories?order=largest&limit=1").json["stories"][0]["id"];
  const json detail = Get("/api/stories/" + story).json;
  Answer feed = Get("/api/stories/" + story + "/feed.atom");
  ASSERT_EQ(feed.status, 200) << feed.body;
  EXPECT_EQ(count(feed.body, "<entry>"), detail["articles"].size());
  for (const json& a : detail["articles"]) {
    EXPECT_NE(feed.body.find("<id>urn:storyline:article:" + a["id"].get<std::string>() + "</id>"),
              std::string::npos);
  }
  EXPECT_EQ(Get("/api/stories/nope/feed.atom").status, 404);
  ExpectError(Get("/feed.atom"), 400, "q");
}

// The counts a reader keeps between requests (health, facets) follow writes.
auto SourceCount(const json& facets, const std::string& source) {
  for (const json& v : facets["sources"]) {
    if (v["value"] == source) return v["count"].get<int>();
  }
  return 0;
}

TEST_F(ServerApiTest, PostIngestsObjectArrayAndJsonl) {
  EXPECT_EQ(Get("/healthz").json["articles"], 41);
  EXPECT_EQ(SourceCount(Get("/api/facets").json, "copycat.example"), 0);
  const std::string copy_text =
      Get("/api/articles/ledger-turbine-blade").json["article"]["body"].get<std::string>();
  json one = {{"id", "post-one"},
              {"title", "Wind turbine blade inspected again"},
              {"text", "Wind turbine blade inspected again\n\n" + copy_text},
              {"source", "copycat.example"},
              {"published", "2025-03-16T08:00:00Z"}};
  Answer a = Post("/api/articles", one.dump());
  ASSERT_EQ(a.status, 201) << a.body;
  EXPECT_EQ(a.json["inserted"], 1);
  ASSERT_EQ(a.json["articles"].size(), 1U);
  EXPECT_FALSE(a.json["articles"][0]["story"].is_null());
  EXPECT_FALSE(a.json["articles"][0]["dup_group"].is_null()) << a.body;
  EXPECT_EQ(a.json["articles"][0]["story"].get<std::string>(), StoryOf("ledger-turbine-blade"))
      << "a copy joins its original's story";

  json arr = json::array();
  for (int i = 0; i < 3; ++i) {
    arr.push_back({{"id", "post-arr-" + std::to_string(i)},
                   {"text", "Harbour cranes stopped " + std::to_string(i) +
                                "\n\nDock workers in Port Example stopped the cranes on Monday "
                                "over a pay dispute, the union said."}});
  }
  Answer b = Post("/api/articles", arr.dump());
  ASSERT_EQ(b.status, 201) << b.body;
  EXPECT_EQ(b.json["articles"].size(), 3U);

  std::string jsonl;
  for (int i = 0; i < 2; ++i) {
    jsonl += json{{"id", "post-l-" + std::to_string(i)},
                  {"text", "Line article " + std::to_string(i) + "\n\nA short report."}}
                 .dump() +
             "\n";
  }
  Answer c = Post("/api/articles", jsonl, "", "application/x-ndjson");
  ASSERT_EQ(c.status, 201) << c.body;
  EXPECT_EQ(c.json["articles"].size(), 2U);

  // The same article again changes nothing.
  Answer again = Post("/api/articles", one.dump());
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json["unchanged"], 1);
  EXPECT_EQ(Get("/healthz").json["articles"], 41 + 1 + 3 + 2);
  EXPECT_EQ(SourceCount(Get("/api/facets").json, "copycat.example"), 1);
  EXPECT_EQ(Get("/api/articles/post-arr-1").status, 200);
  EXPECT_FALSE(Get("/api/search?q=cranes").json["articles"].empty()) << "FTS kept up to date";
}

// Regression: a POSTed article with a URL but no source showed "unknown
// source"; the URL's host names it.
TEST_F(ServerApiTest, PostedArticleTakesItsSourceFromTheUrlHost) {
  json one = {{"id", "post-host"},
              {"url", "https://www.Harbour-News.example:8443/cranes?x=1"},
              {"text", "Harbour cranes idle\n\nDock workers stopped the cranes again."}};
  Answer a = Post("/api/articles", one.dump());
  ASSERT_EQ(a.status, 201) << a.body;
  EXPECT_EQ(Get("/api/articles/post-host").json["article"]["source"], "harbour-news.example");
}

TEST_F(ServerApiTest, PostValidation) {
  ExpectError(Post("/api/articles", ""), 400, "empty body");
  ExpectError(Post("/api/articles", "{not json"), 400, "");
  ExpectError(Post("/api/articles", "[1, 2]"), 400, "not a JSON object");
  ExpectError(Post("/api/articles", R"({"id": "x"})"), 400, "");
  ExpectError(Post("/api/articles", R"([{"id":"d","text":"a"},{"id":"d","text":"b"}])"), 400,
              "twice");
  ExpectError(Post("/api/articles", std::string(9u << 20, ' ')), 413, "too large");
  EXPECT_EQ(Get("/healthz").json["articles"], 41) << "nothing written by bad requests";
}

// Regression: statuses httplib set itself answered {"code": "404"} and the
// like; every error code is a short name.
TEST_F(ServerApiTest, ErrorCodesAreNamesNeverNumbers) {
  auto expect_named = [](const Answer& a, int status, const std::string& code) {
    EXPECT_EQ(a.status, status) << a.body;
    ASSERT_TRUE(a.json.is_object()) << a.body;
    ASSERT_TRUE(a.json["code"].is_string()) << a.body;
    EXPECT_EQ(a.json["code"], code) << a.body;
  };
  expect_named(Get("/api/nothing-here"), 404, "not_found");
  expect_named(Get("/api/stories/no-such-story"), 404, "not_found");
  expect_named(Get("/api/stories?limit=0"), 400, "invalid_argument");
  expect_named(Post("/api/articles", std::string(9u << 20, ' ')), 413, "too_large");
  expect_named(Post("/api/articles", "{}", "", "text/plain"), 415, "unsupported_media_type");
}

// Regression: a request line over httplib's limit answered {"error": "error"}.
TEST_F(ServerApiTest, TooLongUriSaysSo) {
  Answer a = Get("/api/search?q=" + std::string(20000, 'a'));
  EXPECT_EQ(a.status, 414) << a.body;
  ASSERT_TRUE(a.json.is_object()) << a.body;
  EXPECT_EQ(a.json["code"], "uri_too_long");
  EXPECT_NE(a.json["error"].get<std::string>().find("URI too long"), std::string::npos) << a.body;
}

// Regression: DELETE, PUT and PATCH on paths the server answers were 404s
// (or failed the write checks); they are 405s that say what is allowed.
TEST_F(ServerApiTest, OtherMethodsOnKnownPathsAre405WithAllow) {
  auto c = Client();
  struct Row {
    httplib::Result r;
    const char* allow;
    const char* why;
  };
  Row rows[] = {
      {c.Delete("/api/articles/gazette-ferry-strike"), "GET, HEAD", "DELETE an article"},
      {c.Put("/api/stories", "{}", "application/json"), "GET, HEAD", "PUT the story list"},
      {c.Patch("/api/articles/gazette-ferry-strike", "{}", "application/json"), "GET, HEAD",
       "PATCH an article"},
      {c.Delete("/api/articles"), "POST", "DELETE the write endpoint"},
      {c.Post("/api/stories", "{}", "application/json"), "GET, HEAD", "POST a read endpoint"},
      {c.Get("/api/articles"), "POST", "GET the write endpoint"},
      {c.Delete("/"), "GET, HEAD", "DELETE the page"},
      {c.Delete("/api/stories/s00000001/feed.atom"), "GET, HEAD", "DELETE a story feed"},
  };
  for (Row& row : rows) {
    Answer a = ToAnswer(row.r);
    EXPECT_EQ(a.status, 405) << row.why << ": " << a.body;
    ASSERT_TRUE(row.r) << row.why;
    EXPECT_EQ(row.r->get_header_value("Allow"), row.allow) << row.why;
    EXPECT_EQ(a.json["code"], "method_not_allowed") << row.why;
  }
  Answer unknown = ToAnswer(c.Delete("/api/nothing-here"));
  EXPECT_EQ(unknown.status, 404) << "an unknown path stays unknown: " << unknown.body;
  EXPECT_EQ(Get("/api/articles/gazette-ferry-strike").status, 200) << "nothing was deleted";
}

TEST_F(ServerApiTest, ServesTheEmbeddedPage) {
  Answer page = Get("/");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.content_type.find("text/html"), std::string::npos);
  EXPECT_NE(page.body.find("<script src=\"/app.js\">"), std::string::npos);
  Answer js = Get("/app.js");
  ASSERT_EQ(js.status, 200);
  EXPECT_NE(js.content_type.find("javascript"), std::string::npos);
  EXPECT_EQ(Get("/style.css").status, 200);
}

// FTS5 external-content indexes must match their tables after inserts,
// updates and story replacements (a trigger mistake corrupts them silently).
TEST_F(ServerApiTest, FullTextIndexesStayConsistent) {
  json changed = {{"id", "gazette-ferry-strike"},
                  {"title", "Ferry crews strike: updated"},
                  {"text", "Ferry crews strike: updated\n\nThe strike went on for a second day."}};
  ASSERT_EQ(Post("/api/articles", changed.dump()).status, 200);
  StopServer();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_.c_str(), &db), SQLITE_OK);
  ASSERT_TRUE(storyline::store::RegisterStemmingTokenizer(db));
  ASSERT_TRUE(storyline::store::RegisterBodyFunction(db));
  auto exec = [db](const std::string& sql) {
    char* err = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK)
        << sql << ": " << (err ? err : "");
    sqlite3_free(err);
  };
  // The index of every term, as fts5vocab sees it.
  auto vocab = [db](const std::string& table) {
    std::string out;
    sqlite3_stmt* st = nullptr;
    const std::string sql = "SELECT term, doc, cnt FROM temp." + table + "_v ORDER BY term";
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
      out += reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
      out += " " + std::to_string(sqlite3_column_int64(st, 1)) + " " +
             std::to_string(sqlite3_column_int64(st, 2)) + "\n";
    }
    sqlite3_finalize(st);
    return out;
  };
  exec("INSERT INTO articles_fts(articles_fts, rank) VALUES('integrity-check', 1)");
  for (const std::string table : {"articles_fts", "stories_fts"}) {
    exec("INSERT INTO " + table + "(" + table + ") VALUES('integrity-check')");
    exec("CREATE VIRTUAL TABLE temp." + table + "_v USING fts5vocab(main, " + table + ", row)");
    // What the triggers maintained must equal an index rebuilt from scratch.
    const std::string kept = vocab(table);
    EXPECT_FALSE(kept.empty());
    if (table == "articles_fts") {
      exec("INSERT INTO articles_fts(articles_fts) VALUES('rebuild')");
    } else {
      // 'rebuild' cannot read the stories_search view (see migration 3).
      exec("INSERT INTO stories_fts(stories_fts) VALUES('delete-all')");
      exec(
          "INSERT INTO stories_fts(rowid, title, summary, entities, quotes) "
          "SELECT rid, title, summary, entities, quotes FROM stories_search");
    }
    EXPECT_EQ(kept, vocab(table)) << table << " drifted from its content";
  }
  sqlite3_close(db);
}

TEST(ServerOptionsTest, RefusesNonLoopbackWithoutToken) {
  server::ServerOptions o;
  o.db_path = ":memory:";
  o.host = "0.0.0.0";
  o.port = 0;
  auto s = server::Server::Create(o);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(s.error().message.find("--token"), std::string::npos);
  o.host = "127.0.0.1";
  o.port = 70000;
  EXPECT_FALSE(server::Server::Create(o));
}

TEST(ServerOptionsTest, LoopbackHosts) {
  struct Row {
    const char* host;
    bool loopback;
  } rows[] = {{"127.0.0.1", true},
              {"127.1.2.3", true},
              {"localhost", true},
              {"::1", true},
              {"0.0.0.0", false},
              {"10.0.0.1", false},
              {"127.0.0.256", false},
              {"127.0.0.1.evil.com", false},
              {"", false},
              {"::", false}};
  for (const Row& r : rows) EXPECT_EQ(server::IsLoopbackHost(r.host), r.loopback) << r.host;
}

// A store of examples/ and ECB+, where undated copies often arrive before
// their originals.
class ServerEcbTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    const char* shared = std::getenv("STORYLINE_SHARED");
    const std::string ecb = std::string(shared != nullptr ? shared : "") + "/data/ecbplus.jsonl";
    if (!std::filesystem::exists(ecb)) GTEST_SKIP() << "no ECB+ at " << ecb;
    IngestFiles(db_, {ecb});
    if (HasFatalFailure()) return;
    StartServer();
  }
};

// Regression: on ECB+, 41 of the 124 copies that GET /api/stories/ID lists
// pointed against the articles' copy_of, so the copy graph and the badges
// disagreed. Every copy now reads as copy_of does, and every copy_of within
// a story is one of its copies.
TEST_F(ServerEcbTest, StoryCopiesFollowTheArticlesCopyOf) {
  std::size_t copies = 0;
  std::size_t links = 0;
  std::size_t mutual = 0;
  for (int offset = 0;; offset += 200) {
    Answer list = Get("/api/stories?limit=200&offset=" + std::to_string(offset));
    ASSERT_EQ(list.status, 200) << list.body;
    if (list.json["stories"].empty()) break;
    for (const json& head : list.json["stories"]) {
      const std::string id = head["id"];
      Answer a = Get("/api/stories/" + id);
      ASSERT_EQ(a.status, 200) << a.body;
      std::map<std::string, std::string> copy_of;
      for (const json& art : a.json["articles"]) {
        copy_of[art["id"]] = art["copy_of"].is_string() ? art["copy_of"].get<std::string>() : "";
      }
      std::set<std::pair<std::string, std::string>> listed;
      for (const json& c : a.json["copies"]) {
        ++copies;
        const std::string from = c["article"], to = c["copy_of"];
        // Two articles whose copy_of name each other (the duplicate index's
        // fallback for a copy with no neighbour ranked before it picks its
        // best neighbour, which may copy it back) have no one direction.
        if (copy_of[from] == to && copy_of[to] == from) {
          ++mutual;
          listed.insert({from, to});
          listed.insert({to, from});
          continue;
        }
        EXPECT_NE(copy_of[to], from)
            << "story " << id << ": " << from << " -> " << to << " points against copy_of";
        EXPECT_EQ(c["copy_link"].get<bool>(), copy_of[from] == to) << from << " -> " << to;
        listed.insert({from, to});
      }
      for (const auto& [art, original] : copy_of) {
        if (original.empty() || !copy_of.count(original)) continue;
        ++links;
        EXPECT_TRUE(listed.count({art, original})) << "story " << id << ": " << art << "'s copy_of "
                                                   << original << " is not among its copies";
      }
    }
  }
  EXPECT_GT(links, 50u) << "ECB+ has copies";
  EXPECT_GE(copies, links);
  EXPECT_EQ(mutual, 0u) << "copies whose two articles copy each other";
}

class ServerAuthTest : public ServerTest {};

TEST_F(ServerAuthTest, WritesNeedTheBearerToken) {
  server::ServerOptions o;
  o.token = "s3cret";
  StartServer(o);
  const std::string body = R"({"id":"auth-1","text":"Auth test\n\nA body line."})";
  Answer none = Post("/api/articles", body);
  EXPECT_EQ(none.status, 401) << none.body;
  EXPECT_EQ(Post("/api/articles", body, "wrong").status, 401);
  EXPECT_EQ(Post("/api/articles", body, "s3cret").status, 201);
  EXPECT_EQ(Get("/api/stories").status, 200) << "reads stay open";
}

// Regression: 401s named no scheme, and "bearer TOKEN" (the scheme is
// case-insensitive, RFC 7235 2.1) was refused.
TEST_F(ServerAuthTest, UnauthorizedNamesBearerAndTheSchemeIsCaseInsensitive) {
  server::ServerOptions o;
  o.token = "s3cret";
  StartServer(o);
  auto post = [&](const std::string& id, const std::string& authorization) {
    auto c = Client();
    httplib::Headers headers;
    if (!authorization.empty()) headers.emplace("Authorization", authorization);
    const std::string body = json{{"id", id}, {"text", "Auth case\n\nA body line."}}.dump();
    return c.Post("/api/articles", headers, body, "application/json");
  };
  httplib::Result none = post("auth-none", "");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401);
  EXPECT_EQ(none->get_header_value("WWW-Authenticate").rfind("Bearer", 0), 0u)
      << none->get_header_value("WWW-Authenticate");
  httplib::Result wrong = post("auth-wrong", "Bearer nope");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
  EXPECT_FALSE(wrong->get_header_value("WWW-Authenticate").empty());
  for (const std::string scheme : {"bearer", "BEARER", "Bearer"}) {
    httplib::Result ok = post("auth-" + scheme, scheme + " s3cret");
    ASSERT_TRUE(ok) << scheme;
    EXPECT_EQ(ok->status, 201) << scheme << ": " << ok->body;
  }
  httplib::Result basic = post("auth-basic", "Basic czNjcmV0");
  ASSERT_TRUE(basic);
  EXPECT_EQ(basic->status, 401) << "another scheme is refused";
}

}  // namespace
}  // namespace storyline::testing
