#!/usr/bin/env bash
# Installs the Debian 12 packages storyline builds, tests and runs with.
# Non-interactive and idempotent: packages already installed are skipped, and
# nothing is fetched when everything is there.
#
#   scripts/install-deps.sh           # build + test dependencies
#   scripts/install-deps.sh --build   # only what building and running need
#
# The test set also brings the browser tests' tools (Debian's chromium, and
# nodejs + npm when no node/npm is installed yet), best effort: when they
# cannot be installed, scripts/test.sh skips the browser tests and says so.
set -euo pipefail

build_pkgs=(
  g++ cmake ninja-build pkg-config
  libicu-dev libcld2-dev libstemmer-dev libsqlite3-dev libxxhash-dev
  libcli11-dev nlohmann-json3-dev libsimdjson-dev libcpp-httplib-dev libgumbo-dev
  zlib1g-dev libzstd-dev libexpected-dev
  # bilingual dictionaries: cross-language story features (src/cluster/bilingual.h);
  # the English-to-xxx ones are read backwards and add words the xxx-eng ones lack
  dict-freedict-fra-eng dict-freedict-deu-eng dict-freedict-spa-eng dict-freedict-por-eng
  dict-freedict-ita-eng dict-freedict-slv-eng dict-freedict-ara-eng dict-freedict-eng-rus
  dict-freedict-eng-fra dict-freedict-eng-spa dict-freedict-eng-por dict-freedict-eng-ita
  dict-freedict-eng-ara
  # the Python package (python/): pybind11 and Debian's Python 3 headers; Dask
  # distributed for its corpus jobs (storyline.distributed)
  python3-dev pybind11-dev python3-pybind11 python3-dask python3-distributed
)
test_pkgs=(
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev python3 python3-jsonschema python3-pytest
)

pkgs=("${build_pkgs[@]}")
if [[ "${1:-}" != "--build" ]]; then
  pkgs+=("${test_pkgs[@]}")
fi

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

sudo=""
if [[ $(id -u) -ne 0 ]]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive

# Browser tests (not with --build): chromium always from Debian; nodejs and
# npm only when absent (a NodeSource nodejs already ships npm, and Debian's
# npm package would conflict with it).
browser_missing=()
if [[ "${1:-}" != "--build" ]]; then
  dpkg-query -W -f='${Status}' chromium 2>/dev/null | grep -q "install ok installed" ||
    browser_missing+=(chromium)
  command -v node >/dev/null || browser_missing+=(nodejs)
  command -v npm >/dev/null || browser_missing+=(npm)
fi

if ((${#missing[@]} == 0 && ${#browser_missing[@]} == 0)); then
  echo "install-deps: all ${#pkgs[@]} packages present"
  exit 0
fi

$sudo apt-get update -qq
if ((${#missing[@]} > 0)); then
  echo "install-deps: installing ${missing[*]}"
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if ((${#browser_missing[@]} > 0)); then
  echo "install-deps: installing ${browser_missing[*]} (browser tests)"
  $sudo apt-get install -y -qq --no-install-recommends "${browser_missing[@]}" >/dev/null ||
    echo "install-deps: warning: could not install ${browser_missing[*]}; browser tests will be skipped"
fi
echo "install-deps: done"
