#!/usr/bin/env bash
# Installs dependencies, builds from scratch and runs every test:
#   1. release build with warnings as errors, tools/eval included: unit +
#      end-to-end tests, then the browser tests (headless Debian Chromium
#      driven by playwright-core);
#   2. AddressSanitizer + UndefinedBehaviorSanitizer build: the same tests;
#   3. the libFuzzer targets, each for a bounded time.
#
#   scripts/test.sh                 # everything
#   FUZZ_SECONDS=5 scripts/test.sh  # shorter fuzzing
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=$(nproc)
fuzz_seconds=${FUZZ_SECONDS:-20}

scripts/install-deps.sh

step() { echo; echo "== $*"; }

step "release build (warnings are errors)"
# Every part on, explicitly: scripts/demo.sh configures the same folder with
# tests, benchmarks and the Python package off.
cmake -S . -B out/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DSTORYLINE_WERROR=ON \
  -DSTORYLINE_BUILD_TESTS=ON -DSTORYLINE_BUILD_BENCH=ON -DSTORYLINE_BUILD_TOOLS=ON \
  -DSTORYLINE_BUILD_PYTHON=ON >/dev/null
cmake --build out/release -j"$jobs"
step "release tests"
ctest --test-dir out/release --output-on-failure -j"$jobs"

step "browser tests (headless Chromium on loopback)"
if [[ -x /usr/bin/chromium ]] && command -v node >/dev/null && command -v npm >/dev/null; then
  # playwright-core never downloads a browser; the page is driven in
  # Debian's /usr/bin/chromium.
  (cd tests/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
  STORYLINE_BIN=out/release/apps/storyline/storyline node tests/browser/run.mjs
else
  echo "browser tests SKIPPED: chromium, node or npm is missing and could not be installed"
  echo "(scripts/install-deps.sh installs Debian's chromium, nodejs and npm)"
fi

step "sanitizer build (ASan + UBSan)"
cmake -S . -B out/asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSTORYLINE_WERROR=ON \
  -DSTORYLINE_SANITIZE=ON -DSTORYLINE_BUILD_BENCH=OFF -DSTORYLINE_BUILD_TOOLS=ON \
  -DCMAKE_CXX_FLAGS=-O1 >/dev/null
cmake --build out/asan -j"$jobs"
step "sanitizer tests"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir out/asan --output-on-failure -j"$jobs"

step "fuzzers (${fuzz_seconds}s each)"
CC=clang CXX=clang++ cmake -S . -B out/fuzz -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DSTORYLINE_BUILD_FUZZ=ON -DSTORYLINE_BUILD_TESTS=OFF -DSTORYLINE_BUILD_BENCH=OFF >/dev/null
cmake --build out/fuzz --target storyline_fuzzers -j"$jobs"
for fuzzer in out/fuzz/fuzz/*_fuzz; do
  [[ -x "$fuzzer" ]] || continue
  name=$(basename "$fuzzer")
  corpus="out/fuzz/corpus/$name"
  mkdir -p "$corpus"
  seeds="fuzz/corpus/$name"
  echo "-- $name"
  "$fuzzer" -max_total_time="$fuzz_seconds" -rss_limit_mb=2048 -print_final_stats=0 \
    "$corpus" $( [[ -d "$seeds" ]] && echo "$seeds" ) 2>&1 | tail -n 3
done

step "all tests passed"
