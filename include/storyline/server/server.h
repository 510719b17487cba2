// The HTTP server behind `storyline serve`: a JSON API over the store and the
// static web page, embedded in the binary.
//
//   Result<std::unique_ptr<Server>> server = Server::Create({.db_path = "out/demo.db"});
//   if (!server) return Fail(server.error());
//   std::printf("listening on port %d\n", (*server)->port());
//   Status s = (*server)->Run();  // blocks until Stop() is called from another thread
//
// Endpoints (all answers are JSON; errors are {"error": "...", "code": "..."}
// with a 4xx/5xx status):
//   GET  /healthz                    {"ok": true, "articles": N, "stories": N}
//   GET  /api/stories                ?q= lang= source= since= until= storyline=
//                                    order=recent|largest limit=1..200 offset=
//   GET  /api/stories/{id}           digest + articles + copy relations
//   GET  /api/storylines             ?limit= offset=
//   GET  /api/storylines/{id}        the storyline and its stories
//   GET  /api/articles/{id}          body, every line with text/role/reason, duplicates
//   GET  /api/search                 ?q= limit= offset=  (FTS5, bm25, snippets)
//   GET  /api/facets                 languages and sources with article counts
//   POST /api/articles               JSON object, array or JSONL; ingested as one batch
//   GET  /, /app.js, /style.css      the web page
//
// Threads: requests are served by a pool of worker threads. Each request
// borrows a read-only store connection from a pool (a Store is not
// thread-safe; SQLite's WAL mode lets readers go on while the single writer
// commits). POSTs are serialised through one pipeline::Pipeline, opened on the
// first POST; the server assumes it is the store's only writer while it runs.
// Create(), port() and Stop() may be called from any thread; Run() from one.
#ifndef STORYLINE_SERVER_SERVER_H_
#define STORYLINE_SERVER_SERVER_H_

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "storyline/core/result.h"

namespace storyline::server {

struct ServerOptions {
  // db_path ("storyline.db"): the store; created and migrated when needed.
  std::string db_path = "storyline.db";
  // duplicate_window_days (0 = none): see PipelineOptions; used by the
  // pipeline behind POST /api/articles.
  int duplicate_window_days = 0;
  // host ("127.0.0.1"): address to bind. Anything but a loopback address
  // requires a token.
  std::string host = "127.0.0.1";
  // port (8080): 0 binds an ephemeral port (see Server::port()).
  int port = 8080;
  // allowed_hosts (none): host names, lowercase and without port, that
  // requests may give in Host besides IP addresses, `host` itself and
  // "localhost" on loopback (see request_policy.h for the threat model).
  std::vector<std::string> allowed_hosts;
  // token (""): when set, POST requests need "Authorization: Bearer <token>".
  std::string token;
  // max_body_bytes (8 MiB): larger request bodies get 413, counted as they
  // are read (chunked or not); a declared larger Content-Length is refused
  // before any of it is read.
  std::size_t max_body_bytes = 8u << 20;
  // max_post_articles (2000): more articles in one POST get 400.
  std::size_t max_post_articles = 2000;
  // max_article_text_bytes (1 MiB): an article with more text in a POST is
  // refused (400, naming it).
  std::size_t max_article_text_bytes = 1u << 20;
  // request_timeout_s (10): a request must arrive whole, headers and body,
  // within this time of its first byte (408 otherwise).
  int request_timeout_s = 10;
  // write_timeout_s (10): a response must leave within this time.
  int write_timeout_s = 10;
  // keep_alive_s (5): idle keep-alive connections close after this time.
  int keep_alive_s = 5;
  // query_timeout_ms (5000): a read request's store work stops after this
  // long (503); it also stops when the client disconnects.
  int query_timeout_ms = 5000;
  // write_wait_ms (10000): how long a POST waits for another writer (an
  // ingest on the same store) before it gets 503.
  int write_wait_ms = 10000;
  // threads (16): connections served at once, one worker thread each. When
  // all are taken, an idle keep-alive connection or one slow to send its
  // request (over 1 s) is closed to make room; failing that, 503.
  int threads = 16;
};

// True for 127.0.0.0/8, ::1 and "localhost".
bool IsLoopbackHost(const std::string& host);

class Server {
 public:
  // Validates `options`, opens (and migrates) the store and binds the port.
  // kInvalidArgument: bad options, or a non-loopback host without a token;
  // kIo: the address cannot be bound; kStore / kUnsupported from the store.
  static Result<std::unique_ptr<Server>> Create(const ServerOptions& options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The bound port (the ephemeral one when options.port was 0).
  int port() const;

  // Serves until Stop(). kIo when listening fails.
  Status Run();
  // Makes Run() return; safe from any thread and from signal-watching code.
  void Stop();

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace storyline::server

#endif  // STORYLINE_SERVER_SERVER_H_
