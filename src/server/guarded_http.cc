#include "server/guarded_http.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <thread>

namespace storyline::server {
namespace {

using Clock = std::chrono::steady_clock;

// What a connection is doing, for choosing one to close when every worker
// is taken.
enum Phase : int {
  kIdle = 0,      // between keep-alive requests: closing it loses nothing
  kReading = 1,   // waiting for or reading a request: closable when slow
  kHandling = 2,  // a handler runs or the response leaves: never closed
};

// A connection that has spent this long on one request is slow.
constexpr std::chrono::milliseconds kSlowAfter{1000};

thread_local RequestContext* tl_request = nullptr;
// Set while the pool runs a connection inline to refuse it.
thread_local bool tl_refuse = false;

// Waits until `fd` is ready for `events` or `deadline` passes; false on
// timeout, error or hang-up without the event.
bool WaitFd(int fd, short events, SteadyTime deadline) {
  while (true) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, events, 0};
    const int timeout = static_cast<int>(std::min<std::int64_t>(left.count(), 1'000'000));
    const int rc = ::poll(&p, 1, timeout);
    if (rc < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    if (rc == 0) continue;  // the loop re-checks the deadline
    return (p.revents & (events | POLLHUP | POLLERR)) != 0;
  }
}

// The socket stream httplib parses requests from and writes responses to,
// with a deadline and a byte budget per request instead of per-read
// timeouts only.
class DeadlineStream final : public httplib::Stream {
 public:
  DeadlineStream(int fd, const ConnectionLimits& limits, RequestContext* ctx)
      : fd_(fd), limits_(limits), ctx_(ctx) {}

  void StartRequest(SteadyTime now) {
    read_deadline_ = now + limits_.request_timeout;
    write_deadline_.reset();
    consumed_ = 0;
  }
  bool HasBuffered() const { return pos_ < len_; }

  bool is_readable() const override { return pos_ < len_ || WaitFd(fd_, POLLIN, read_deadline_); }
  bool is_writable() const override {
    return WaitFd(fd_, POLLOUT, Clock::now() + limits_.write_timeout);
  }

  ssize_t read(char* ptr, size_t size) override {
    if (consumed_ >= limits_.max_request_bytes) {
      ctx_->over_limit = true;
      return -1;
    }
    size = std::min(size, limits_.max_request_bytes - consumed_);
    if (pos_ == len_) {
      if (!WaitFd(fd_, POLLIN, read_deadline_)) {
        if (Clock::now() >= read_deadline_) ctx_->timed_out = true;
        return -1;
      }
      if (size >= sizeof buf_) {
        const ssize_t n = Recv(ptr, size);
        if (n > 0) consumed_ += static_cast<std::size_t>(n);
        return n > 0 ? n : -1;
      }
      const ssize_t n = Recv(buf_, sizeof buf_);
      if (n <= 0) return -1;
      pos_ = 0;
      len_ = static_cast<std::size_t>(n);
    }
    const std::size_t n = std::min(size, len_ - pos_);
    std::memcpy(ptr, buf_ + pos_, n);
    pos_ += n;
    consumed_ += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (!write_deadline_) write_deadline_ = Clock::now() + limits_.write_timeout;
    if (!WaitFd(fd_, POLLOUT, *write_deadline_)) return -1;
    while (true) {
      const ssize_t n = ::send(fd_, ptr, size, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      return n < 0 ? -1 : n;
    }
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (::getpeername(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
      NameOf(addr, len, ip, port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
      NameOf(addr, len, ip, port);
  }
  socket_t socket() const override { return fd_; }

 private:
  ssize_t Recv(char* ptr, std::size_t size) {
    while (true) {
      const ssize_t n = ::recv(fd_, ptr, size, 0);
      if (n < 0 && errno == EINTR) continue;
      return n;
    }
  }
  static void NameOf(const sockaddr_storage& addr, socklen_t len, std::string& ip, int& port) {
    char host[NI_MAXHOST];
    char serv[NI_MAXSERV];
    if (::getnameinfo(reinterpret_cast<const sockaddr*>(&addr), len, host, sizeof host, serv,
                      sizeof serv, NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
      ip = host;
      port = std::atoi(serv);
    }
  }

  int fd_;
  const ConnectionLimits& limits_;
  RequestContext* ctx_;
  char buf_[8192];
  std::size_t pos_ = 0;
  std::size_t len_ = 0;
  std::size_t consumed_ = 0;
  SteadyTime read_deadline_{};
  std::optional<SteadyTime> write_deadline_;
};

// After an answer to a request whose body was refused unread: closing at
// once with unread bytes makes the kernel reset the connection, and the
// client may lose the answer. So stop sending, then read and drop what the
// client still sends, for a bounded time and amount.
void LingeringClose(int fd) {
  ::shutdown(fd, SHUT_WR);
  const SteadyTime deadline = Clock::now() + std::chrono::seconds(2);
  std::size_t dropped = 0;
  char buf[16384];
  while (dropped < (64u << 20) && WaitFd(fd, POLLIN, deadline)) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return;
    dropped += static_cast<std::size_t>(n);
  }
}

}  // namespace

struct GuardedHttp::Connection {
  explicit Connection(int f) : fd(f) {}
  int fd;
  std::atomic<int> phase{kReading};
  std::atomic<Clock::rep> since{Clock::now().time_since_epoch().count()};
  bool closed = false;  // under GuardedHttp::mu_: the fd is no longer ours
};

// The worker pool behind the listen loop: a fixed number of threads, and a
// backlog no longer than the pool. Run in the listen loop's thread,
// enqueue() makes room (GuardedHttp::EvictOne) or refuses the connection.
class GuardedHttp::Pool final : public httplib::TaskQueue {
 public:
  Pool(GuardedHttp* owner, int workers)
      : owner_(owner), workers_(static_cast<std::size_t>(workers)) {
    for (std::size_t i = 0; i < workers_; ++i) threads_.emplace_back([this] { Work(); });
  }
  ~Pool() override { shutdown(); }

  void enqueue(std::function<void()> fn) override {
    std::unique_lock<std::mutex> lock(mu_);
    if (!done_ && busy_ + queue_.size() >= workers_) {
      lock.unlock();
      const bool room = owner_->EvictOne();
      lock.lock();
      if (!room || queue_.size() >= workers_) {
        lock.unlock();
        tl_refuse = true;
        fn();
        tl_refuse = false;
        return;
      }
    }
    queue_.push_back(std::move(fn));
    cv_.notify_one();
  }

  void shutdown() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (done_) return;
      done_ = true;
    }
    cv_.notify_all();
    for (std::thread& t : threads_) t.join();
  }

 private:
  void Work() {
    while (true) {
      std::function<void()> fn;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [this] { return done_ || !queue_.empty(); });
        if (queue_.empty()) return;  // done_ and drained
        fn = std::move(queue_.front());
        queue_.pop_front();
        ++busy_;
      }
      fn();
      std::lock_guard<std::mutex> lock(mu_);
      --busy_;
    }
  }

  GuardedHttp* owner_;
  std::size_t workers_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  std::size_t busy_ = 0;
  bool done_ = false;
  std::vector<std::thread> threads_;
};

RequestContext* CurrentRequest() { return tl_request; }

bool RequestContext::ClientGone() {
  if (gone_ || fd < 0) return gone_;
  const SteadyTime now = Clock::now();
  if (now - last_check_ < std::chrono::milliseconds(10)) return false;
  last_check_ = now;
  pollfd p{fd, POLLRDHUP, 0};
  if (::poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0) gone_ = true;
  return gone_;
}

void RequestContext::BeginWork() {
  if (phase_ != nullptr) phase_->store(kHandling);
}

GuardedHttp::GuardedHttp(ConnectionLimits limits) : limits_(limits) {
  const int workers = std::max(1, limits_.workers);
  new_task_queue = [this, workers] { return new Pool(this, workers); };
}

GuardedHttp::~GuardedHttp() = default;

void GuardedHttp::Shutdown() {
  stopping_ = true;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const std::shared_ptr<Connection>& c : open_) {
      if (!c->closed) ::shutdown(c->fd, SHUT_RDWR);
    }
  }
  stop();
}

bool GuardedHttp::EvictOne() {
  std::lock_guard<std::mutex> lock(mu_);
  const Clock::rep now = Clock::now().time_since_epoch().count();
  const Clock::rep slow = std::chrono::duration_cast<Clock::duration>(kSlowAfter).count();
  Connection* best = nullptr;
  for (const std::shared_ptr<Connection>& c : open_) {
    if (c->closed) continue;
    const int phase = c->phase.load();
    const Clock::rep since = c->since.load();
    const bool evictable = phase == kIdle || (phase == kReading && now - since >= slow);
    if (!evictable) continue;
    // Idle connections go first, then the slowest reader.
    if (best == nullptr || (phase == kIdle && best->phase.load() != kIdle) ||
        (phase == best->phase.load() && since < best->since.load())) {
      best = c.get();
    }
  }
  if (best == nullptr) return false;
  ::shutdown(best->fd, SHUT_RDWR);
  best->phase = kHandling;  // not chosen twice
  ++evicted_;
  return true;
}

void GuardedHttp::Refuse(socket_t sock) {
  ++refused_;
  static const std::string kBusy = [] {
    const std::string body =
        "{\"error\":\"every connection slot is taken; retry in a moment\",\"code\":\"busy\"}\n";
    return "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
           "Retry-After: 1\r\nConnection: close\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
  }();
  // The socket's send buffer is empty: this small write does not block.
  [[maybe_unused]] const ssize_t n =
      ::send(sock, kBusy.data(), kBusy.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
}

bool GuardedHttp::process_and_close_socket(socket_t sock) {
  if (tl_refuse) {
    Refuse(sock);
    return false;
  }
  if (stopping()) {
    ::close(sock);
    return false;
  }
  auto conn = std::make_shared<Connection>(sock);
  {
    std::lock_guard<std::mutex> lock(mu_);
    open_.push_back(conn);
  }
  RequestContext ctx;
  DeadlineStream strm(sock, limits_, &ctx);
  bool ok = true;
  for (int n = 0; n < limits_.keep_alive_requests && !stopping(); ++n) {
    const SteadyTime start = Clock::now();
    conn->since = start.time_since_epoch().count();
    conn->phase = n == 0 ? kReading : kIdle;
    const auto wait = n == 0 ? limits_.request_timeout : limits_.idle_timeout;
    if (!strm.HasBuffered() && !WaitFd(sock, POLLIN, start + wait)) break;
    if (stopping()) break;
    const SteadyTime now = Clock::now();
    conn->since = now.time_since_epoch().count();
    conn->phase = kReading;
    ctx = RequestContext{};
    ctx.fd = sock;
    ctx.phase_ = &conn->phase;
    strm.StartRequest(now);
    tl_request = &ctx;
    bool closed = false;
    ok = process_request(strm, n + 1 == limits_.keep_alive_requests, closed, nullptr);
    tl_request = nullptr;
    if (ctx.close_after || ctx.over_limit) {
      conn->phase = kIdle;  // nothing to lose: closable to make room
      LingeringClose(sock);
    }
    if (!ok || closed || ctx.close_after || ctx.over_limit || ctx.timed_out) break;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    conn->closed = true;
    open_.erase(std::find(open_.begin(), open_.end(), conn));
  }
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return ok;
}

}  // namespace storyline::server
