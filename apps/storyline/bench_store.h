// storyline bench store: writes a store of generated articles, stories and
// storylines at the scale a deployment reaches (a million articles in
// minutes), for measuring the read side (list, search and facet requests)
// without running the analysis stages on every article.
#ifndef STORYLINE_APPS_STORYLINE_BENCH_STORE_H_
#define STORYLINE_APPS_STORYLINE_BENCH_STORE_H_

#include <cstdint>
#include <string>

#include "storyline/core/result.h"

namespace storyline::cli {

struct BenchStoreOptions {
  std::string db;  // must not exist yet
  std::int64_t articles = 100000;
  std::size_t size = 2048;  // bytes of text per article, about
  std::uint64_t seed = 42;
};

// Builds the store and prints what it holds, the time it took and its size
// next to the text's. Errors: kInvalidArgument when `db` exists; store errors.
Result<int> RunBenchStore(const BenchStoreOptions& options);

}  // namespace storyline::cli

#endif  // STORYLINE_APPS_STORYLINE_BENCH_STORE_H_
