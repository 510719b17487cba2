// A storyline server on an ephemeral loopback port, in-process, over a fresh
// store built from examples/ (news.jsonl + txt/), for the server tests.
#ifndef STORYLINE_TESTS_SERVER_FIXTURE_H_
#define STORYLINE_TESTS_SERVER_FIXTURE_H_

#include <httplib.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "storyline/ingest/reader.h"
#include "storyline/pipeline/pipeline.h"
#include "storyline/server/server.h"

namespace storyline::testing {

inline std::string SourceDir() {
  const char* s = std::getenv("STORYLINE_SOURCE");
  return s != nullptr ? s : ".";
}

// Ingests `inputs` into `db` through the pipeline in one batch, as
// `storyline ingest` does.
inline void IngestFiles(const std::string& db, const std::vector<std::string>& inputs) {
  auto p = pipeline::Pipeline::Open({.db_path = db});
  ASSERT_TRUE(p) << p.error().ToString();
  ingest::InputReader reader;
  std::vector<Article> batch;
  auto s = reader.Read(inputs,
                       [&](Article&& a) {
                         batch.push_back(std::move(a));
                         return Ok();
                       },
                       nullptr);
  ASSERT_TRUE(s) << s.error().ToString();
  auto r = (*p)->IngestBatch(std::move(batch));
  ASSERT_TRUE(r) << r.error().ToString();
}

// Ingests examples/ into `db`.
inline void IngestExamples(const std::string& db) {
  IngestFiles(db, {SourceDir() + "/examples/news.jsonl", SourceDir() + "/examples/txt"});
}

// One HTTP answer, its body parsed when it is JSON.
struct Answer {
  int status = 0;
  std::string content_type;
  std::string body;
  nlohmann::json json;
};

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("storyline-server-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = (dir_ / "test.db").string();
    IngestExamples(db_);
  }

  void TearDown() override {
    StopServer();
    std::filesystem::remove_all(dir_);
  }

  void StartServer(server::ServerOptions options = {}) {
    options.db_path = db_;
    options.host = options.host.empty() ? "127.0.0.1" : options.host;
    options.port = 0;
    auto s = server::Server::Create(options);
    ASSERT_TRUE(s) << s.error().ToString();
    server_ = std::move(*s);
    thread_ = std::thread([this] { run_status_ = server_->Run(); });
    // Wait until it answers.
    for (int i = 0; i < 200; ++i) {
      if (Get("/healthz").status == 200) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    FAIL() << "server did not answer /healthz";
  }

  void StopServer() {
    if (!server_) return;
    server_->Stop();
    thread_.join();
    EXPECT_TRUE(run_status_) << run_status_.error().ToString();
    server_.reset();
  }

  httplib::Client Client() {
    httplib::Client c("127.0.0.1", server_->port());
    c.set_read_timeout(30, 0);
    return c;
  }

  static Answer ToAnswer(const httplib::Result& r) {
    Answer a;
    if (!r) return a;
    a.status = r->status;
    a.content_type = r->get_header_value("Content-Type");
    a.body = r->body;
    if (a.content_type.rfind("application/json", 0) == 0) {
      a.json = nlohmann::json::parse(a.body, nullptr, false);
    }
    return a;
  }

  Answer Get(const std::string& path) {
    auto c = Client();
    return ToAnswer(c.Get(path.c_str()));
  }

  Answer Post(const std::string& path, const std::string& body, const std::string& token = "",
              const std::string& type = "application/json") {
    auto c = Client();
    httplib::Headers headers;
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    return ToAnswer(c.Post(path.c_str(), headers, body, type.c_str()));
  }

  std::filesystem::path dir_;
  std::string db_;
  std::unique_ptr<server::Server> server_;
  std::thread thread_;
  Status run_status_;
};

}  // namespace storyline::testing

#endif  // STORYLINE_TESTS_SERVER_FIXTURE_H_
