// A bounded load test over loopback: several client threads send a fixed
// number of GET requests (story lists with filters, stories, articles,
// search) while one client POSTs new articles in batches. Reports requests/s
// and latency percentiles; fails on any error, on any posted article that
// cannot be read back afterwards, or when it runs past its time bound.
//
// STORYLINE_LOAD_REQUESTS (10000) and STORYLINE_LOAD_THREADS (6) size it.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "server_fixture.h"

namespace storyline::testing {
namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

int EnvInt(const char* name, int def) {
  const char* v = std::getenv(name);
  return v != nullptr ? std::atoi(v) : def;
}

class ServerLoadTest : public ServerTest {};

TEST_F(ServerLoadTest, ReadsStayCorrectWhileIngesting) {
  server::ServerOptions options;
  options.threads = 8;
  StartServer(options);
  const int total = EnvInt("STORYLINE_LOAD_REQUESTS", 10000);
  const int threads = EnvInt("STORYLINE_LOAD_THREADS", 6);
  constexpr int kBatches = 20;
  constexpr int kPerBatch = 10;

  std::vector<std::string> story_ids, article_ids;
  std::map<std::string, std::vector<std::string>> story_articles;
  const Answer list = Get("/api/stories?limit=200");
  for (const json& s : list.json["stories"]) story_ids.push_back(s["id"]);
  for (const std::string& id : story_ids) {
    const Answer story = Get("/api/stories/" + id);
    for (const json& a : story.json["articles"]) {
      article_ids.push_back(a["id"]);
      story_articles[id].push_back(a["id"]);
    }
  }
  // Stories the clusterer's repair pass merged into another while the load
  // ran: their id answers 404 from then on, which is right, as long as
  // every one of their articles is found in another story.
  std::set<std::string> merged_away;
  ASSERT_FALSE(story_ids.empty());
  const std::vector<std::string> paths_of_kind[] = {
      {"/api/stories", "/api/stories?order=largest&limit=10", "/api/stories?lang=fr",
       "/api/stories?q=ferry", "/api/stories?since=2025-03-10&until=2025-03-20"},
      {},
      {},
      {"/api/search?q=strike", "/api/search?q=incendie", "/healthz"}};

  std::atomic<int> next{0};
  std::atomic<int> errors{0};
  std::mutex mu;
  std::vector<double> latencies_ms;
  latencies_ms.reserve(static_cast<std::size_t>(total));
  std::string first_error;

  const auto start = Clock::now();
  std::atomic<bool> ingest_ok{true};
  std::thread writer([&] {
    for (int b = 0; b < kBatches; ++b) {
      json arr = json::array();
      for (int i = 0; i < kPerBatch; ++i) {
        const int n = b * kPerBatch + i;
        arr.push_back({{"id", "load-" + std::to_string(n)},
                       {"title", "Load report " + std::to_string(n)},
                       {"source", "load" + std::to_string(n % 5) + ".example"},
                       {"published", "2025-04-0" + std::to_string(1 + n % 9) + "T10:00:00Z"},
                       {"text", "Load report " + std::to_string(n) + "\n\nCouncil number " +
                                    std::to_string(n) +
                                    " voted on the budget for the new library on Tuesday, "
                                    "officials said.\n\nThe vote passed by a wide margin."}});
      }
      Answer a = Post("/api/articles", arr.dump());
      if (a.status != 201) {
        ingest_ok = false;
        std::lock_guard<std::mutex> lock(mu);
        first_error = "POST: " + std::to_string(a.status) + " " + a.body;
      }
    }
  });
  std::vector<std::thread> clients;
  for (int t = 0; t < threads; ++t) {
    clients.emplace_back([&, t] {
      httplib::Client c("127.0.0.1", server_->port());
      c.set_keep_alive(true);
      c.set_read_timeout(30, 0);
      std::vector<double> mine;
      for (int i = next++; i < total; i = next++) {
        std::string path;
        switch (i % 4) {
          case 1:
            path = "/api/stories/" + story_ids[static_cast<std::size_t>(i) % story_ids.size()];
            break;
          case 2:
            path = "/api/articles/" + article_ids[static_cast<std::size_t>(i) % article_ids.size()];
            break;
          default: {
            const auto& v = paths_of_kind[i % 4];
            path = v[static_cast<std::size_t>(i / 4 + t) % v.size()];
          }
        }
        const auto t0 = Clock::now();
        auto r = c.Get(path.c_str());
        mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        if (r && r->status == 404 && i % 4 == 1) {
          std::lock_guard<std::mutex> lock(mu);
          merged_away.insert(path.substr(std::string("/api/stories/").size()));
          continue;
        }
        if (!r || r->status != 200) {
          ++errors;
          std::lock_guard<std::mutex> lock(mu);
          if (first_error.empty()) {
            first_error =
                path + ": " +
                (r ? std::to_string(r->status) + " " + r->body : httplib::to_string(r.error()));
          }
        }
      }
      std::lock_guard<std::mutex> lock(mu);
      latencies_ms.insert(latencies_ms.end(), mine.begin(), mine.end());
    });
  }
  for (std::thread& c : clients) c.join();
  writer.join();
  const double secs = std::chrono::duration<double>(Clock::now() - start).count();

  std::sort(latencies_ms.begin(), latencies_ms.end());
  auto pct = [&](double p) {
    return latencies_ms[static_cast<std::size_t>(p * static_cast<double>(latencies_ms.size() - 1))];
  };
  std::printf(
      "load: %zu GET requests from %d threads with %d concurrent POSTs of %d articles in %.2f s: "
      "%.0f requests/s, p50 %.2f ms, p99 %.2f ms, max %.2f ms, %d errors\n",
      latencies_ms.size(), threads, kBatches, kPerBatch, secs,
      static_cast<double>(latencies_ms.size()) / secs, pct(0.5), pct(0.99), latencies_ms.back(),
      errors.load());
  EXPECT_EQ(errors.load(), 0) << first_error;
  for (const std::string& id : merged_away) {
    EXPECT_EQ(Get("/api/stories/" + id).status, 404) << id << " came back";
    for (const std::string& a : story_articles[id]) {
      const Answer article = Get("/api/articles/" + a);
      EXPECT_EQ(article.status, 200) << a << " of merged story " << id;
      const json story = article.json.value("story", json());
      const json story_id = story.is_object() ? story.value("id", json()) : story;
      EXPECT_NE(story_id, json(id)) << a << " still names merged story " << id;
    }
  }
  EXPECT_TRUE(ingest_ok) << first_error;
  EXPECT_EQ(latencies_ms.size(), static_cast<std::size_t>(total));
  EXPECT_LT(secs, 240.0) << "load test ran past its time bound";

  // Nothing lost: every posted article is stored and analysed.
  EXPECT_EQ(Get("/healthz").json["articles"], 41 + kBatches * kPerBatch);
  for (int n = 0; n < kBatches * kPerBatch; ++n) {
    Answer a = Get("/api/articles/load-" + std::to_string(n));
    ASSERT_EQ(a.status, 200) << n;
    EXPECT_FALSE(a.json["article"]["story"].is_null()) << n;
  }
}

}  // namespace
}  // namespace storyline::testing
