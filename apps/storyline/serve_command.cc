// storyline serve: the HTTP JSON API and the web page over a store.
#include <pthread.h>

#include <csignal>
#include <cstdio>
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
        "127.0.0.1 by default; binding any other address requires --token, which POST "
        "/api/articles then needs as 'Authorization: Bearer TOKEN'. Stop with Ctrl-C.");
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
                   "Bearer token required by write endpoints (required off loopback)");
    app.add_option("--threads", options_.threads, "Worker threads")
        ->capture_default_str()
        ->check(CLI::Range(1, 256));
    app.add_option("--max-body", options_.max_body_bytes, "Largest request body, in bytes")
        ->capture_default_str();
  }

  Result<int> Run() override {
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
};

}  // namespace

std::unique_ptr<Command> MakeServeCommand() { return std::make_unique<ServeCommand>(); }

}  // namespace storyline::cli
