#!/usr/bin/env bash
# Installs the built Python package `storyline` (<build>/python/storyline:
# the _storyline extension and the pure-Python files) for an interpreter.
#
#   scripts/install-python.sh                     # into /usr/bin/python3's site-packages
#   scripts/install-python.sh --prefix ~/.local   # into PREFIX/lib/python3.X/site-packages
#   scripts/install-python.sh --target DIR        # into DIR itself (DIR/storyline)
#   scripts/install-python.sh --build out/debug --python /usr/bin/python3
#
# The package must have been built first (cmake --build out/release) for the
# same interpreter (CMake's Python3_EXECUTABLE, /usr/bin/python3 by default):
# the extension is tied to its Python version. An installed copy is
# replaced. The import is checked from the installed copy at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

build=out/release
python=/usr/bin/python3
prefix=""
target=""
while (($# > 0)); do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --python) python=$2; shift 2 ;;
    --prefix) prefix=$2; shift 2 ;;
    --target) target=$2; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "install-python: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

package="$build/python/storyline"
if ! ls "$package"/_storyline*.so >/dev/null 2>&1; then
  echo "install-python: no extension in $package; build first (cmake --build $build)" >&2
  exit 1
fi

if [[ -z "$target" ]]; then
  if [[ -n "$prefix" ]]; then
    target=$("$python" -c 'import sys, sysconfig
print(sysconfig.get_path("platlib", "posix_prefix", {"base": sys.argv[1], "platbase": sys.argv[1]}))' "$prefix")
  else
    target=$("$python" -c 'import sysconfig; print(sysconfig.get_path("platlib"))')
  fi
fi

mkdir -p "$target"
rm -rf "$target/storyline"
mkdir "$target/storyline"
cp "$package"/*.py "$package"/_storyline*.so "$target/storyline/"
echo "install-python: installed storyline into $target"

# The installed copy, not the build's, must import.
(cd / && PYTHONPATH="$target" "$python" -c 'import storyline, sys
assert storyline.__file__.startswith(sys.argv[1]), storyline.__file__
print("install-python: import storyline OK (" + storyline.__file__ + ")")' "$target")
