// A small fixed pool of threads for the pipeline's per-article work
// (private to the pipeline).
#ifndef STORYLINE_PIPELINE_THREAD_POOL_H_
#define STORYLINE_PIPELINE_THREAD_POOL_H_

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "storyline/core/result.h"

namespace storyline::pipeline {

// Runs loops whose iterations are independent on a fixed set of threads,
// the calling thread included. The threads are started once and wait
// between loops, so a loop over a few articles costs no thread start.
//
//   ThreadPool pool(4);
//   Status s = pool.ParallelFor(n, [&](std::size_t i, std::size_t worker) -> Status {
//     return Work(items[i], scratch[worker]);
//   });
//
// Not thread-safe: one ParallelFor at a time, from one thread.
class ThreadPool {
 public:
  // `threads` (>= 1): the threads that run a loop, the caller's included;
  // 1 runs every loop on the calling thread.
  explicit ThreadPool(std::size_t threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // The number of threads a loop runs on (the `worker` numbers 0..size()-1).
  std::size_t size() const { return threads_.size() + 1; }

  // Calls fn(i, worker) once for every i in [0, n), in any order and on any
  // of the threads; `worker` names the thread running the call, so that
  // per-thread scratch indexed by it is never shared. Returns once every
  // call has returned. When calls fail, the error of the smallest failing
  // i is returned (the one a sequential loop would meet first, so the
  // result does not depend on the thread count) and calls for larger i
  // may be skipped. An exception escaping fn becomes a kInternal error.
  Status ParallelFor(std::size_t n, const std::function<Status(std::size_t, std::size_t)>& fn);

 private:
  struct Loop;
  void WorkerMain(std::size_t worker);
  static void RunIterations(Loop& loop, std::size_t worker);

  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable wake_;  // a new loop, or stop
  std::condition_variable done_;  // a worker finished the loop
  Loop* loop_ = nullptr;
  std::uint64_t generation_ = 0;  // loops started, so that a worker runs each once
  std::size_t running_ = 0;       // workers still inside the current loop
  bool stop_ = false;
};

// The thread count `threads` asks for: itself when > 0, else the machine's
// hardware threads (at least 1).
std::size_t ResolveThreads(int threads);

}  // namespace storyline::pipeline

#endif  // STORYLINE_PIPELINE_THREAD_POOL_H_
