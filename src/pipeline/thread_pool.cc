#include "pipeline/thread_pool.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <limits>
#include <optional>

namespace storyline::pipeline {

// One ParallelFor: the next iteration to hand out and the first failure.
struct ThreadPool::Loop {
  std::size_t n = 0;
  const std::function<Status(std::size_t, std::size_t)>* fn = nullptr;
  std::atomic<std::size_t> next{0};
  // The smallest failing iteration so far (n when none); iterations above
  // it are skipped, those below still run, so the smallest one is found.
  std::atomic<std::size_t> failed_at{0};
  std::mutex error_mu;
  std::optional<Error> error;
};

ThreadPool::ThreadPool(std::size_t threads) {
  const std::size_t extra = std::max<std::size_t>(threads, 1) - 1;
  threads_.reserve(extra);
  for (std::size_t w = 1; w <= extra; ++w) threads_.emplace_back([this, w] { WorkerMain(w); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void ThreadPool::RunIterations(Loop& loop, std::size_t worker) {
  for (;;) {
    const std::size_t i = loop.next.fetch_add(1, std::memory_order_relaxed);
    if (i >= loop.n || i > loop.failed_at.load(std::memory_order_relaxed)) return;
    Status s = Ok();
    try {
      s = (*loop.fn)(i, worker);
    } catch (const std::exception& e) {
      s = MakeError(ErrorCode::kInternal, std::string("unexpected exception: ") + e.what());
    } catch (...) {
      s = MakeError(ErrorCode::kInternal, "unexpected exception");
    }
    if (s) continue;
    std::lock_guard<std::mutex> lock(loop.error_mu);
    if (i < loop.failed_at.load(std::memory_order_relaxed)) {
      loop.failed_at.store(i, std::memory_order_relaxed);
      loop.error = s.error();
    }
  }
}

void ThreadPool::WorkerMain(std::size_t worker) {
  std::uint64_t seen = 0;
  for (;;) {
    Loop* loop = nullptr;
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
      loop = loop_;
    }
    RunIterations(*loop, worker);
    {
      std::lock_guard<std::mutex> lock(mu_);
      --running_;
    }
    done_.notify_one();
  }
}

Status ThreadPool::ParallelFor(std::size_t n,
                               const std::function<Status(std::size_t, std::size_t)>& fn) {
  Loop loop;
  loop.n = n;
  loop.fn = &fn;
  loop.failed_at.store(n);
  if (threads_.empty() || n < 2) {
    RunIterations(loop, 0);
  } else {
    {
      std::lock_guard<std::mutex> lock(mu_);
      loop_ = &loop;
      running_ = threads_.size();
      ++generation_;
    }
    wake_.notify_all();
    RunIterations(loop, 0);
    std::unique_lock<std::mutex> lock(mu_);
    done_.wait(lock, [&] { return running_ == 0; });
    loop_ = nullptr;
  }
  if (loop.error) return Fail(*loop.error);
  return Ok();
}

std::size_t ResolveThreads(int threads) {
  if (threads > 0) return static_cast<std::size_t>(threads);
  return std::max<std::size_t>(std::thread::hardware_concurrency(), 1);
}

}  // namespace storyline::pipeline
