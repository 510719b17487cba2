#!/usr/bin/env bash
# Installs the Debian 12 packages storyline builds, tests and runs with.
# Non-interactive and idempotent: packages already installed are skipped, and
# nothing is fetched when everything is there.
#
#   scripts/install-deps.sh           # build + test dependencies
#   scripts/install-deps.sh --build   # only what building and running need
set -euo pipefail

build_pkgs=(
  g++ cmake ninja-build pkg-config
  libicu-dev libcld2-dev libstemmer-dev libsqlite3-dev libxxhash-dev
  libcli11-dev nlohmann-json3-dev libsimdjson-dev libcpp-httplib-dev libgumbo-dev
  zlib1g-dev libzstd-dev libexpected-dev
)
test_pkgs=(
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev python3
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

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#pkgs[@]} packages present"
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
