// The server against hostile clients: bodies counted as they are read
// (chunked or not), slow clients that try to take every worker, cross-site
// writes and DNS rebinding, oversized records and nesting, and search on
// an article that repeats one word hundreds of thousands of times.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "server_fixture.h"

namespace storyline {
namespace {

using testing::Answer;
using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

class ServerGuardTest : public testing::ServerTest {
 protected:
  int Connect() {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(server_->port()));
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    EXPECT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    return fd;
  }
  static bool SendAll(int fd, const std::string& s) {
    std::size_t off = 0;
    while (off < s.size()) {
      const ssize_t n = send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return false;
      off += static_cast<std::size_t>(n);
    }
    return true;
  }
  // Reads what the server sends until it closes or `seconds` pass.
  static std::string ReadAnswer(int fd, double seconds) {
    std::string out;
    const Clock::time_point t0 = Clock::now();
    char buf[4096];
    while (SecondsSince(t0) < seconds) {
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) continue;
      const ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      out.append(buf, static_cast<std::size_t>(n));
      if (out.find("\r\n\r\n") != std::string::npos && out.find("}") != std::string::npos) break;
    }
    return out;
  }
  Answer GetWithHeaders(const std::string& path, const httplib::Headers& headers) {
    auto c = Client();
    return ToAnswer(c.Get(path.c_str(), headers));
  }
  Answer PostWithHeaders(const std::string& body, const httplib::Headers& headers,
                         const std::string& type = "application/json") {
    auto c = Client();
    return ToAnswer(c.Post("/api/articles", headers, body, type.c_str()));
  }
};

TEST_F(ServerGuardTest, ChunkedBodyIsCountedAgainstTheLimit) {
  server::ServerOptions o;
  o.max_body_bytes = 64u << 10;
  StartServer(o);
  const int fd = Connect();
  ASSERT_TRUE(SendAll(fd,
                      "POST /api/articles HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                      "application/json\r\nTransfer-Encoding: chunked\r\n\r\n"));
  const std::string chunk(16u << 10, 'a');
  char size_line[32];
  std::snprintf(size_line, sizeof size_line, "%zx\r\n", chunk.size());
  SendAll(fd,
          std::string(size_line) + "{\"id\":\"chunked\",\"text\":\"" + chunk.substr(24) + "\r\n");
  // Keep sending: the server must answer long before 64 MiB are sent.
  std::size_t sent = chunk.size();
  while (sent < (64u << 20) && SendAll(fd, std::string(size_line) + chunk + "\r\n")) {
    sent += chunk.size();
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 0) > 0) break;
  }
  const std::string answer = ReadAnswer(fd, 5);
  close(fd);
  EXPECT_LT(sent, 8u << 20);
  EXPECT_NE(answer.find(" 413 "), std::string::npos) << answer.substr(0, 200);
  EXPECT_EQ(Get("/api/articles/chunked").status, 404);
}

TEST_F(ServerGuardTest, DeclaredOversizedBodyIsRefusedBeforeItIsSent) {
  StartServer();
  const int fd = Connect();
  const Clock::time_point t0 = Clock::now();
  ASSERT_TRUE(SendAll(fd,
                      "POST /api/articles HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                      "application/json\r\nContent-Length: 209715200\r\n\r\n"));
  const std::string answer = ReadAnswer(fd, 5);
  close(fd);
  EXPECT_NE(answer.find(" 413 "), std::string::npos) << answer;
  EXPECT_NE(answer.find("too large"), std::string::npos) << answer;
  EXPECT_LT(SecondsSince(t0), 2.0);
}

TEST_F(ServerGuardTest, SlowClientsCannotTakeEveryWorker) {
  server::ServerOptions o;
  o.threads = 4;
  o.request_timeout_s = 3;
  StartServer(o);
  // Sixteen clients each send a header line every 300 ms and never finish.
  std::atomic<bool> done{false};
  std::vector<int> fds;
  for (int i = 0; i < 16; ++i) fds.push_back(Connect());
  std::thread trickle([&] {
    for (int fd : fds) SendAll(fd, "GET /api/stories HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    while (!done) {
      for (int fd : fds) SendAll(fd, "X-Slow: 1\r\n");
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  for (int i = 0; i < 5; ++i) {
    const Clock::time_point t0 = Clock::now();
    EXPECT_EQ(Get("/healthz").status, 200) << "attempt " << i;
    EXPECT_LT(SecondsSince(t0), 2.0) << "attempt " << i;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  done = true;
  trickle.join();
  // A slow client's request is cut at the request deadline.
  const int fd = Connect();
  const Clock::time_point t0 = Clock::now();
  SendAll(fd, "GET /healthz HTTP/1.1\r\n");
  const std::string answer = ReadAnswer(fd, 10);
  EXPECT_LT(SecondsSince(t0), 5.0);
  close(fd);
  for (int f : fds) close(f);
}

TEST_F(ServerGuardTest, NoCrossSiteWritesNoRebinding) {
  server::ServerOptions o;
  o.allowed_hosts = {"news.internal"};
  StartServer(o);
  const std::string port = std::to_string(server_->port());
  const std::string one = R"({"id":"x1","title":"T","text":"A short text of an article."})";
  // A simple cross-site POST (what a form or fetch without preflight sends).
  Answer plain = PostWithHeaders(one, {}, "text/plain");
  EXPECT_EQ(plain.status, 415) << plain.body;
  Answer form = PostWithHeaders(one, {}, "application/x-www-form-urlencoded");
  EXPECT_EQ(form.status, 415);
  Answer foreign = PostWithHeaders(one, {{"Origin", "http://evil.example"}});
  EXPECT_EQ(foreign.status, 403) << foreign.body;
  Answer null_origin = PostWithHeaders(one, {{"Origin", "null"}});
  EXPECT_EQ(null_origin.status, 403);
  Answer fetch_site = PostWithHeaders(one, {{"Sec-Fetch-Site", "cross-site"}});
  EXPECT_EQ(fetch_site.status, 403);
  EXPECT_EQ(Get("/api/articles/x1").status, 404) << "a refused write was stored";
  Answer same = PostWithHeaders(one, {{"Origin", "http://127.0.0.1:" + port}});
  EXPECT_EQ(same.status, 201) << same.body;

  // DNS rebinding: a foreign name for this address.
  Answer rebound = GetWithHeaders("/api/stories", {{"Host", "evil.example:" + port}});
  EXPECT_EQ(rebound.status, 403) << rebound.body;
  EXPECT_NE(rebound.body.find("--allow-host"), std::string::npos);
  EXPECT_EQ(GetWithHeaders("/api/stories", {{"Host", "localhost:" + port}}).status, 200);
  EXPECT_EQ(GetWithHeaders("/api/stories", {{"Host", "News.Internal:" + port}}).status, 200);
  EXPECT_EQ(GetWithHeaders("/healthz", {{"Host", "[::1]:" + port}}).status, 200);
}

TEST_F(ServerGuardTest, OversizedRecordsAndDeepNestingAreRefused) {
  StartServer();
  const std::string big(1536u << 10, 'w');
  Answer a = Post("/api/articles", R"({"id":"huge","text":")" + big + "\"}");
  EXPECT_EQ(a.status, 400) << a.body.substr(0, 200);
  EXPECT_NE(a.body.find("huge"), std::string::npos);
  EXPECT_NE(a.body.find("at most 1 MiB"), std::string::npos) << a.body.substr(0, 300);
  const Clock::time_point t0 = Clock::now();
  Answer deep = Post("/api/articles", std::string(1u << 20, '['));
  EXPECT_EQ(deep.status, 400);
  Answer deep_field =
      Post("/api/articles", R"([{"id":"d","text":"t","x":)" + std::string(100000, '[') + "]");
  EXPECT_EQ(deep_field.status, 400);
  EXPECT_LT(SecondsSince(t0), 5.0);
}

TEST_F(ServerGuardTest, SearchSnippetsStayCheapOnARepeatedWord) {
  {
    // 300,000 hits of one word in one article (the store takes what the
    // CLI reads; only POSTs have a per-article limit).
    auto p = pipeline::Pipeline::Open({.db_path = db_});
    ASSERT_TRUE(p);
    std::string text = "A report on the repeated word.\n";
    for (int i = 0; i < 300000; ++i) text += (i % 20 == 19) ? "zebra.\n" : "zebra ";
    std::vector<Article> batch(1);
    batch[0].id = "zebras";
    batch[0].title = "Zebras";
    batch[0].text = std::move(text);
    auto r = (*p)->IngestBatch(std::move(batch));
    ASSERT_TRUE(r) << r.error().ToString();
  }
  StartServer();
  const Clock::time_point t0 = Clock::now();
  Answer a = Get("/api/search?q=zebra");
  EXPECT_EQ(a.status, 200) << a.body.substr(0, 300);
  EXPECT_LT(SecondsSince(t0), 5.0);
  ASSERT_TRUE(a.json.is_object());
  ASSERT_FALSE(a.json["articles"].empty());
  EXPECT_EQ(a.json["articles"][0]["id"], "zebras");
  EXPECT_NE(a.body.find("zebra"), std::string::npos);
}

}  // namespace
}  // namespace storyline

namespace storyline {
namespace {

TEST_F(ServerGuardTest, QueriesStopAtTheirDeadline) {
  {
    // 30,000 articles sharing a word: counting and ranking them takes far
    // longer than a millisecond.
    auto s = store::Store::Open(db_);
    ASSERT_TRUE(s);
    std::vector<Article> articles;
    std::vector<store::ArticleAnalysis> analyses;
    for (int i = 0; i < 30000; ++i) {
      Article a;
      a.id = "bulk" + std::to_string(i);
      a.title = "Bulletin " + std::to_string(i);
      a.text = "A common harbour bulletin number " + std::to_string(i) + ".";
      store::ArticleAnalysis an;
      an.id = a.id;
      an.revision = 1;
      an.body = a.text;
      articles.push_back(std::move(a));
      analyses.push_back(std::move(an));
    }
    ASSERT_TRUE((*s)->PutArticles(articles));
    ASSERT_TRUE((*s)->PutAnalyses(analyses));
  }
  server::ServerOptions o;
  o.db_path = db_;
  o.port = 0;
  o.query_timeout_ms = 1;
  {
    auto srv = server::Server::Create(o);
    ASSERT_TRUE(srv) << srv.error().ToString();
    std::thread run([&srv] { (void)(*srv)->Run(); });
    httplib::Client c("127.0.0.1", (*srv)->port());
    int status = 0;
    std::string body;
    for (int i = 0; i < 200 && status == 0; ++i) {
      if (auto r = c.Get("/api/search?q=harbour")) {
        status = r->status;
        body = r->body;
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
    EXPECT_EQ(status, 503) << body.substr(0, 200);
    EXPECT_NE(body.find("more than 1 ms"), std::string::npos) << body.substr(0, 200);
    (*srv)->Stop();
    run.join();
  }
  StartServer();
  Answer normal = Get("/api/search?q=harbour");
  EXPECT_EQ(normal.status, 200);
  // Without the deadline it answers: the newest 2,000 matches ranked, the
  // total a lower bound.
  EXPECT_EQ(normal.json["total_articles"].get<int>(), 2000) << normal.body.substr(0, 300);
  EXPECT_EQ(normal.json["total_articles_exact"], false);
}

}  // namespace
}  // namespace storyline
