// Several writers on one store, as real processes: two `storyline ingest`
// runs at once, an ingest that finds the store busy, and an ingest beside
// `storyline serve` taking POSTs (stopped by SIGTERM while clients hang).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cli_runner.h"
#include "storyline/store/store.h"

namespace storyline {
namespace {

namespace fs = std::filesystem;
using testing::CliProcess;
using testing::CliResult;
using testing::ReadFileOrEmpty;
using testing::StartCli;
using testing::WaitCli;

std::string SharedDir() {
  const char* s = std::getenv("STORYLINE_SHARED");
  return s != nullptr ? s : "";
}

// The ECB+ topic of an article id ("ecbp-10_13ecbplus" -> "10").
std::string TopicOf(const std::string& id) {
  const std::size_t dash = id.find('-');
  const std::size_t underscore = id.find('_');
  if (dash == std::string::npos || underscore == std::string::npos || underscore < dash) return id;
  return id.substr(dash + 1, underscore - dash - 1);
}

// What a store holds after an ECB+ ingest.
struct StoreState {
  std::int64_t articles = 0;
  // Stories whose articles come from more than one ECB+ topic.
  int mixed = 0;
  // Disagreements between the stories table and the articles' labels.
  std::string problems;
};

StoreState Inspect(const std::string& db) {
  StoreState out;
  auto s = store::Store::Open(db, {.read_only = true});
  EXPECT_TRUE(s) << s.error().ToString();
  if (!s) return out;
  EXPECT_EQ(*(*s)->IntegrityCheck(), "ok");
  std::map<std::string, std::set<std::string>> topics;
  std::map<std::string, std::int64_t> sizes;
  Status st = (*s)->ForEachArticle([&](const store::StoredArticle& a) {
    ++out.articles;
    if (a.analysis.story.empty()) {
      out.problems += "article " + a.article.id + " has no story; ";
    } else {
      topics[a.analysis.story].insert(TopicOf(a.article.id));
      ++sizes[a.analysis.story];
    }
    return Ok();
  });
  EXPECT_TRUE(st) << st.error().ToString();
  for (const auto& [story, t] : topics) {
    if (t.size() > 1) ++out.mixed;
    auto rec = (*s)->GetStory(story);
    if (!rec || !rec->has_value()) {
      out.problems += "story " + story + " is not in the stories table; ";
    } else if ((*rec)->size != sizes[story]) {
      out.problems += "story " + story + " has size " + std::to_string((*rec)->size) + " but " +
                      std::to_string(sizes[story]) + " articles; ";
    }
  }
  auto count = (*s)->CountStories();
  if (count && *count != static_cast<std::int64_t>(topics.size())) {
    out.problems += std::to_string(*count) + " stories stored for " +
                    std::to_string(topics.size()) + " labelled; ";
  }
  return out;
}

class WritersTest : public testing::CliFixture {
 protected:
  WritersTest() : CliFixture("storyline_writers") {}

  void SetUp() override {
    CliFixture::SetUp();
    const fs::path data = fs::path(SharedDir()) / "data" / "ecbplus.jsonl";
    if (!fs::exists(data)) GTEST_SKIP() << "no ECB+ at " << data;
    // Two halves that interleave every topic.
    std::ifstream in(data);
    std::ofstream odd(dir_ / "odd.jsonl");
    std::ofstream even(dir_ / "even.jsonl");
    std::string line;
    for (int n = 0; std::getline(in, line); ++n) {
      (n % 2 == 0 ? odd : even) << line << '\n';
      ++lines_;
    }
  }

  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  CliProcess StartIngest(const std::string& db, const std::string& input, const std::string& tag,
                         const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"ingest", "--db",       db,     "--batch-size",
                                     "10",     "--progress", "never"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(input);
    return StartCli(STORYLINE_BIN, args, dir_.string(), tag);
  }

  // The same two halves ingested one after the other: what interleaving
  // writers are compared with.
  StoreState Sequential() {
    const std::string db = Path("sequential.db");
    EXPECT_EQ(WaitCli(StartIngest(db, Path("odd.jsonl"), "seq1")).exit_code, 0);
    EXPECT_EQ(WaitCli(StartIngest(db, Path("even.jsonl"), "seq2")).exit_code, 0);
    return Inspect(db);
  }

  // Starts `storyline serve` on an ephemeral port; the port, once it
  // listens.
  std::optional<int> StartServe(CliProcess& proc, const std::string& tag,
                                const std::vector<std::string>& extra = {},
                                const std::vector<std::string>& env = {}) {
    std::vector<std::string> args = {"serve", "--db", db_, "--port", "0"};
    args.insert(args.end(), extra.begin(), extra.end());
    proc = StartCli(STORYLINE_BIN, args, dir_.string(), tag, "/dev/null", env);
    for (int i = 0; i < 500; ++i) {
      const std::string err = ReadFileOrEmpty(proc.err_path);
      const std::size_t at = err.find("http://127.0.0.1:");
      if (at != std::string::npos && err.find('/', at + 17) != std::string::npos) {
        return std::stoi(err.substr(at + 17));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return std::nullopt;
  }

  int lines_ = 0;
};

TEST_F(WritersTest, TwoIngestsAtOnceContinueFromEachOther) {
  CliProcess a = StartIngest(db_, Path("odd.jsonl"), "a");
  CliProcess b = StartIngest(db_, Path("even.jsonl"), "b");
  const CliResult ra = WaitCli(a);
  const CliResult rb = WaitCli(b);
  ASSERT_EQ(ra.exit_code, 0) << ra.err;
  ASSERT_EQ(rb.exit_code, 0) << rb.err;
  // The runs overlapped: at least one batch found the other's commits and
  // reloaded the models before going on.
  EXPECT_NE((ra.err + rb.err).find("from another writer's commits"), std::string::npos)
      << ra.err << rb.err;
  const StoreState together = Inspect(db_);
  const StoreState sequential = Sequential();
  EXPECT_EQ(together.articles, lines_);
  EXPECT_EQ(together.problems, "");
  EXPECT_EQ(sequential.problems, "");
  // Writers with their own story counters and models mixed 60 stories of
  // unrelated topics; interleaved batches now cluster as well as one run
  // after the other.
  EXPECT_LE(together.mixed, sequential.mixed + 3)
      << together.mixed << " mixed stories at once, " << sequential.mixed << " in sequence";
}

TEST_F(WritersTest, BusyStoreWaitsOrFailsAtOnceAsAsked) {
  ASSERT_EQ(WaitCli(StartIngest(db_, Path("odd.jsonl"), "first")).exit_code, 0);
  const StoreState before = Inspect(db_);
  // Another writer holds the store.
  auto holder = store::Store::Open(db_);
  ASSERT_TRUE(holder);
  ASSERT_TRUE((*holder)->BeginWrite());

  const CliResult refused =
      WaitCli(StartIngest(db_, Path("even.jsonl"), "nowait", {"--wait", "0"}));
  EXPECT_EQ(refused.exit_code, 4) << refused.err;
  EXPECT_NE(refused.err.find("another process is writing the store"), std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find("0 articles were committed"), std::string::npos) << refused.err;

  // Waiting: the holder commits after a second, and the ingest goes on.
  CliProcess waiting = StartIngest(db_, Path("even.jsonl"), "wait", {"--wait", "30"});
  std::this_thread::sleep_for(std::chrono::seconds(1));
  ASSERT_TRUE((*holder)->Commit());
  holder->reset();
  const CliResult waited = WaitCli(waiting);
  EXPECT_EQ(waited.exit_code, 0) << waited.err;
  const StoreState after = Inspect(db_);
  EXPECT_EQ(before.articles, lines_ / 2 + lines_ % 2);
  EXPECT_EQ(after.articles, lines_);
  EXPECT_EQ(after.problems, "");
}

// A socket that sends a request's headers one line at a time, slowly.
int OpenSlowClient(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  const std::string start = "GET /api/stories HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  send(fd, start.data(), start.size(), MSG_NOSIGNAL);
  return fd;
}

TEST_F(WritersTest, IngestBesideServeTakingPostsThenSigtermStopsIt) {
  CliProcess serve;
  const std::optional<int> port = StartServe(serve, "serve");
  ASSERT_TRUE(port) << ReadFileOrEmpty(serve.err_path);
  CliProcess ingest = StartIngest(db_, Path("even.jsonl"), "ingest");

  // POST the other half, 10 articles at a time, as NDJSON.
  httplib::Client client("127.0.0.1", *port);
  client.set_read_timeout(60, 0);
  std::ifstream odd(Path("odd.jsonl"));
  std::string line;
  std::string body;
  int in_body = 0;
  int posts = 0;
  auto post = [&] {
    if (in_body == 0) return;
    auto r = client.Post("/api/articles", body, "application/x-ndjson");
    ASSERT_TRUE(r) << httplib::to_string(r.error());
    ASSERT_TRUE(r->status == 200 || r->status == 201) << r->status << " " << r->body;
    ++posts;
    body.clear();
    in_body = 0;
  };
  while (std::getline(odd, line)) {
    body += line + "\n";
    if (++in_body == 10) post();
  }
  post();
  const CliResult ri = WaitCli(ingest);
  EXPECT_EQ(ri.exit_code, 0) << ri.err;
  EXPECT_GT(posts, 10);

  // Clients that hang in the middle of a request do not hold up a stop.
  std::vector<int> slow;
  for (int i = 0; i < 4; ++i) slow.push_back(OpenSlowClient(*port));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const auto t0 = std::chrono::steady_clock::now();
  kill(serve.pid, SIGTERM);
  const CliResult rs = WaitCli(serve);
  const double stop_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  for (int fd : slow) {
    if (fd >= 0) close(fd);
  }
  EXPECT_EQ(rs.exit_code, 0) << rs.err;
  EXPECT_LT(stop_s, 5.0);

  const StoreState together = Inspect(db_);
  const StoreState sequential = Sequential();
  EXPECT_EQ(together.articles, lines_);
  EXPECT_EQ(together.problems, "");
  EXPECT_LE(together.mixed, sequential.mixed + 3)
      << together.mixed << " mixed stories at once, " << sequential.mixed << " in sequence";
}

TEST_F(WritersTest, TokenFromEnvironmentOrFile) {
  const std::string one = R"({"id":"t1","title":"A title","text":"Some text of an article."})";
  for (const std::string mode : {"env", "file"}) {
    CliProcess serve;
    std::optional<int> port;
    if (mode == "env") {
      port = StartServe(serve, "serve-env", {}, {"STORYLINE_TOKEN=from-env"});
    } else {
      std::ofstream(Path("token.txt")) << "from-file\n";
      port = StartServe(serve, "serve-file", {"--token-file", Path("token.txt")});
    }
    ASSERT_TRUE(port) << ReadFileOrEmpty(serve.err_path);
    httplib::Client client("127.0.0.1", *port);
    auto none = client.Post("/api/articles", one, "application/json");
    ASSERT_TRUE(none) << mode << ": " << httplib::to_string(none.error());
    EXPECT_EQ(none->status, 401) << mode;
    httplib::Headers auth = {{"Authorization", "Bearer from-" + mode}};
    auto ok = client.Post("/api/articles", auth, one, "application/json");
    ASSERT_TRUE(ok);
    EXPECT_TRUE(ok->status == 200 || ok->status == 201) << mode << " " << ok->body;
    kill(serve.pid, SIGTERM);
    EXPECT_EQ(WaitCli(serve).exit_code, 0);
  }
}

}  // namespace
}  // namespace storyline
