#!/bin/bash
# storyline dedup (one thread) beside the distributed job on 1 and 2 local
# workers, on one generated wire-copy corpus, each run twice; the outputs are
# compared byte for byte. Usage: distributed_scale.sh BUILD_DIR WORK_DIR
set -euo pipefail
build=$(cd "${1:?build folder}" && pwd)
work=${2:?work folder}
bin=$build/apps/storyline/storyline
mkdir -p "$work" && cd "$work"
[ -f s20k.jsonl ] || "$bin" bench synth --bases 4650 -o s20k.jsonl
export PYTHONPATH=$build/python
for run in 1 2; do
  /usr/bin/time -f "single: %e s wall, %M KiB peak" "$bin" dedup --threads 1 -o single.jsonl s20k.jsonl
  for w in 1 2; do
    /usr/bin/time -f "distributed, $w workers: %e s wall with the cluster's start" \
      /usr/bin/python3 -m storyline.distributed dedup --workers "$w" -o "dist$w.jsonl" s20k.jsonl
    cmp single.jsonl "dist$w.jsonl" && echo "distributed, $w workers: identical to storyline dedup"
  done
done
"$bin" eval --dedup dist2.jsonl --gold s20k.jsonl | tail -2
/usr/bin/python3 "$(dirname "$0")/distributed_driver.py" s20k.jsonl
