#!/usr/bin/env bash
# Quick start: installs dependencies, builds storyline in release mode and
# runs it on the example corpus in examples/, printing what it found.
#
#   scripts/demo.sh            # store in out/demo.db
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh --build
# The CLI alone: no tests, benchmarks or Python package (the package makes
# every library position-independent, about 3% slower; see the README).
cmake -S . -B out/release -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DSTORYLINE_BUILD_TESTS=OFF -DSTORYLINE_BUILD_BENCH=OFF -DSTORYLINE_BUILD_PYTHON=OFF >/dev/null
cmake --build out/release --target storyline -j"$(nproc)"

bin=out/release/apps/storyline/storyline
db=out/demo.db
rm -f "$db" "$db-wal" "$db-shm"
echo
echo "== storyline ingest --db $db examples/news.jsonl examples/txt"
"$bin" ingest --db "$db" examples/news.jsonl examples/txt
for cmd in dups stories; do
  if "$bin" "$cmd" --help >/dev/null 2>&1; then
    echo
    echo "== storyline $cmd --db $db"
    "$bin" "$cmd" --db "$db"
  fi
done
echo
echo "Explore further: $bin --help   (the store is $db)"
