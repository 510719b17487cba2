#!/usr/bin/python3
"""Throughput of the Python package on a JSONL corpus (fields as for
`storyline ingest`: id, text, title, url, source, published, lang).

  PYTHONPATH=out/release/python /usr/bin/python3 python/benchmarks/throughput.py s.jsonl [--threads 1 2]

Times, for each thread count: clean_corpus(); sketch_many() of the cleaned
bodies; sketch() one body at a time from Python; DuplicateIndex.add_many()
of the bodies; and dedup() of the records (cleaning, sketching and the
index together). With --gold (the JSONL `storyline bench synth` writes,
whose records carry their "dup_group"), also scores dedup()'s groups:
pairwise precision, recall and F1, as `storyline eval` does for the store.
"""
import argparse
import itertools
import json
import time

import storyline


def pairs(groups):
    """Pairs of ids sharing a group, from {id: group or None}."""
    members = {}
    for id_, group in groups.items():
        if group is not None:
            members.setdefault(group, []).append(id_)
    return {p for m in members.values() for p in itertools.combinations(sorted(m), 2)}


def timed(label, n, size, fn):
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    print(f"{label:<44} {seconds:7.2f} s {n / seconds:9.0f} articles/s "
          f"{size / seconds / 1e6:6.1f} MB/s")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--gold", action="store_true",
                        help="score dedup() against the records' dup_group")
    args = parser.parse_args()

    with open(args.corpus, encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    n = len(records)
    size = sum(len(r.get("text", "").encode()) for r in records)
    print(f"{n} articles, {size / 1e6:.1f} MB of text")

    cleaned = timed("clean_corpus", n, size, lambda: storyline.clean_corpus(records))
    bodies = [c.body for c in cleaned]
    body_size = sum(len(b.encode()) for b in bodies)
    timed("sketch() per body, from a Python loop", n, body_size,
          lambda: [storyline.sketch(b) for b in bodies])
    for threads in args.threads:
        timed(f"sketch_many(bodies, threads={threads})", n, body_size,
              lambda: storyline.sketch_many(bodies, threads=threads))
        docs = [{"id": r["id"], "text": b, "published": r.get("published")}
                for r, b in zip(records, bodies)]
        timed(f"DuplicateIndex().add_many(bodies, threads={threads})", n, body_size,
              lambda: storyline.DuplicateIndex().add_many(docs, threads=threads))
        rows = timed(f"dedup(records, threads={threads})", n, size,
                     lambda: list(storyline.dedup(records, threads=threads)))
    if args.gold:
        got = pairs({r["id"]: r["dup_group"] for r in rows})
        want = pairs({r["id"]: r.get("dup_group") for r in records})
        p = len(got & want) / max(1, len(got))
        r = len(got & want) / max(1, len(want))
        print(f"dedup() dup groups: pairwise P {p:.3f} R {r:.3f} F1 {2 * p * r / max(p + r, 1e-9):.3f}")


if __name__ == "__main__":
    main()
