// An httplib::Server that bounds what one client can take: every connection
// runs on a worker of a fixed pool, a request must arrive whole (headers and
// body) within a deadline and within a byte budget, chunked or not, and a
// response must leave within its own deadline. When every worker is taken,
// a connection that is idle between keep-alive requests, or has spent more
// than a second sending one, is closed to make room; when none can be, the
// new connection gets 503 at once. Shutdown() closes every connection, so
// nothing waits on a client once the server stops.
//
// Handlers see their request's context (deadline, socket, whether the
// client has gone) through CurrentRequest(), on the worker's thread.
#ifndef STORYLINE_SERVER_GUARDED_HTTP_H_
#define STORYLINE_SERVER_GUARDED_HTTP_H_

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace storyline::server {

using SteadyTime = std::chrono::steady_clock::time_point;

struct ConnectionLimits {
  // workers (16): connections served at once, one thread each.
  int workers = 16;
  // request_timeout (10 s): from the first byte of a request to the last
  // byte of its body.
  std::chrono::milliseconds request_timeout{10'000};
  // idle_timeout (5 s): how long a keep-alive connection waits for its next
  // request.
  std::chrono::milliseconds idle_timeout{5'000};
  // write_timeout (10 s): how long a response may take to leave.
  std::chrono::milliseconds write_timeout{10'000};
  // max_request_bytes: headers and body of one request together.
  std::size_t max_request_bytes = (8u << 20) + (64u << 10);
  // keep_alive_requests (1000): requests per connection.
  int keep_alive_requests = 1000;
};

// The request being served on this thread.
struct RequestContext {
  int fd = -1;
  // Set by the stream: the request went over max_request_bytes, or over
  // request_timeout, while it was read.
  bool over_limit = false;
  bool timed_out = false;
  // Set by a handler: close the connection after this response (a body that
  // was refused unread).
  bool close_after = false;
  // When a handler's work must stop (set by the handler layer).
  SteadyTime work_deadline = SteadyTime::max();

  // True when the client has closed its end (checked at most every 10 ms).
  bool ClientGone();
  // The request has been read: its connection is now busy, not slow, and
  // is no longer closed to make room for others.
  void BeginWork();

 private:
  friend class GuardedHttp;
  std::atomic<int>* phase_ = nullptr;
  SteadyTime last_check_{};
  bool gone_ = false;
};

// The context of the request served on the calling thread, or nullptr.
RequestContext* CurrentRequest();

class GuardedHttp : public httplib::Server {
 public:
  explicit GuardedHttp(ConnectionLimits limits);
  ~GuardedHttp() override;

  // Stops accepting, closes every open connection and makes stopping()
  // true; Run()'s listen returns once the workers are done.
  void Shutdown();
  bool stopping() const { return stopping_.load(std::memory_order_relaxed); }

  // Connections refused with 503 and connections closed to make room, so
  // far (for tests and logs).
  std::int64_t refused() const { return refused_.load(); }
  std::int64_t evicted() const { return evicted_.load(); }

 private:
  class Pool;
  struct Connection;

  bool process_and_close_socket(socket_t sock) override;
  // Closes the connection that has waited longest in an evictable state;
  // false when there is none. Called by the pool when every worker is taken.
  bool EvictOne();
  void Refuse(socket_t sock);

  ConnectionLimits limits_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::int64_t> refused_{0};
  std::atomic<std::int64_t> evicted_{0};
  std::mutex mu_;
  std::vector<std::shared_ptr<Connection>> open_;  // under mu_
};

}  // namespace storyline::server

#endif  // STORYLINE_SERVER_GUARDED_HTTP_H_
