// storyline serve: the HTTP JSON API and the web page over a store.
#include <pthread.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

#include "command.h"
#include "storyline/server/server.h"

namespace storyline::cli {
namespace {

class ServeCommand final : public Command {
 public:
  void Configure(CLI::App& app) override {
    app.footer(
        "Serve the store over HTTP: a JSON API under /api/ and a web page at /. Binds "
        "127.0.0.1 by default; binding any other address requires a token, which POST "
        "/api/articles then needs as 'Authorization: Bearer TOKEN'. Give the token in the "
        "STORYLINE_TOKEN environment variable or with --token-file (--token shows it to "
        "every user of 'ps'). Requests must name the server in Host (an IP address, the "
        "bound name, localhost, or a name given with --allow-host); writes must be JSON "
        "and come from no or the same origin. Stop with Ctrl-C or SIGTERM.");
    app.add_option("--db", options_.db_path, "Store file")->capture_default_str();
    app.add_option("--host", options_.host, "Address to listen on")->capture_default_str();
    app.add_option("--window-days", options_.duplicate_window_days,
                   "Look for copies among the articles of the last N days only, which bounds "
                   "the duplicate index's memory on an endless stream (0: all articles)")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    app.add_option("--port", options_.port, "Port (0: any free port)")
        ->capture_default_str()
        ->check(CLI::Range(0, 65535));
    app.add_option("--token", options_.token,
                   "Bearer token required by write endpoints (required off loopback); "
                   "prefer STORYLINE_TOKEN or --token-file");
    app.add_option("--token-file", token_file_, "File whose first line is the bearer token")
        ->check(CLI::ExistingFile);
    app.add_option("--allow-host", options_.allowed_hosts,
                   "Host name that requests may give in their Host header, besides IP "
                   "addresses, the --host name and localhost (repeatable)");
    app.add_option("--request-timeout", options_.request_timeout_s,
                   "Seconds a client has to send a whole request, headers and body")
        ->capture_default_str()
        ->check(CLI::Range(1, 3600));
    app.add_option("--query-timeout-ms", options_.query_timeout_ms,
                   "Milliseconds a read request's store work may take before it is stopped "
                   "(503)")
        ->capture_default_str()
        ->check(CLI::Range(1, 3600000));
    app.add_option("--threads", options_.threads,
                   "Connections served at once (one thread each); when all are taken, an idle "
                   "or slow one is closed to make room, else 503")
        ->capture_default_str()
        ->check(CLI::Range(1, 256));
    app.add_option("--max-body", options_.max_body_bytes, "Largest request body, in bytes")
        ->capture_default_str();
  }

  Result<int> Run() override {
    if (!token_file_.empty()) {
      std::ifstream in(token_file_);
      std::string line;
      if (!in || !std::getline(in, line)) {
        return MakeError(ErrorCode::kIo, "--token-file " + token_file_ + ": cannot read a line");
      }
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
      if (line.empty()) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "--token-file " + token_file_ + ": the first line is empty");
      }
      if (!options_.token.empty()) {
        return MakeError(ErrorCode::kInvalidArgument, "give --token or --token-file, not both");
      }
      options_.token = line;
    } else if (const char* env = std::getenv("STORYLINE_TOKEN");
               options_.token.empty() && env != nullptr && *env != '\0') {
      options_.token = env;
    }
    // Block the stop signals in every thread; one thread waits for them.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    Result<std::unique_ptr<server::Server>> srv = server::Server::Create(options_);
    if (!srv) return Fail(srv.error());
    server::Server* s = srv->get();
    std::thread watcher([&signals, s] {
      int sig = 0;
      sigwait(&signals, &sig);
      s->Stop();
    });
    std::fprintf(stderr, "storyline serve: http://%s:%d/ (store %s); Ctrl-C stops\n",
                 options_.host.find(':') != std::string::npos ? ("[" + options_.host + "]").c_str()
                                                              : options_.host.c_str(),
                 s->port(), options_.db_path.c_str());
    std::fflush(stderr);
    Status run = s->Run();
    pthread_kill(watcher.native_handle(), SIGUSR1);
    watcher.join();
    if (!run) return Fail(run.error());
    std::fprintf(stderr, "storyline serve: stopped\n");
    return kExitOk;
  }

 private:
  server::ServerOptions options_;
  std::string token_file_;
};

}  // namespace

std::unique_ptr<Command> MakeServeCommand() { return std::make_unique<ServeCommand>(); }

}  // namespace storyline::cli
