// A parallel loop for the extension's batch calls (sketching and cleaning
// many texts), run while the GIL is released.
#ifndef STORYLINE_PYTHON_PARALLEL_H_
#define STORYLINE_PYTHON_PARALLEL_H_

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

#include "storyline/core/result.h"

namespace storyline::python {

// The thread count a caller's `threads` asks for: 0 = every core.
inline std::size_t ResolveThreads(int threads) {
  if (threads > 0) return static_cast<std::size_t>(threads);
  return std::max<std::size_t>(1, std::thread::hardware_concurrency());
}

// Calls fn(i, worker) for every i in [0, n) on up to `threads` threads (the
// caller's included), worker in [0, threads). Returns the error of the
// smallest failing i, as a sequential loop would meet first; the other
// iterations still run. fn must not throw.
template <typename Fn>
Status ParallelFor(std::size_t n, std::size_t threads, Fn&& fn) {
  std::vector<Status> status(n);
  std::atomic<std::size_t> next{0};
  auto work = [&](std::size_t worker) {
    for (std::size_t i = next++; i < n; i = next++) status[i] = fn(i, worker);
  };
  const std::size_t extra = std::min(threads, n) > 0 ? std::min(threads, n) - 1 : 0;
  std::vector<std::thread> pool;
  pool.reserve(extra);
  for (std::size_t w = 1; w <= extra; ++w) pool.emplace_back(work, w);
  work(0);
  for (std::thread& t : pool) t.join();
  for (Status& s : status) {
    if (!s) return s;
  }
  return Ok();
}

}  // namespace storyline::python

#endif  // STORYLINE_PYTHON_PARALLEL_H_
