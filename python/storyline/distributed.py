"""Corpus de-duplication on Dask distributed: the groups of ``storyline dedup``
computed by a cluster of workers.

    python3 -m storyline.distributed dedup --workers 4 -o groups.jsonl news/
    python3 -m storyline.distributed dedup --scheduler tcp://head:8786 -o g.jsonl crawl.warc.gz

The driver (this process) reads the inputs and cuts them into the batches
``storyline dedup`` cuts; everything else runs as tasks on the workers:

1. per batch: the chrome model's line keys (``observe_batch``); the driver
   counts them in batch order (the one order-dependent step, a few integers
   per line) and sends back the model restricted to the batch's lines;
2. per batch: language, body and sketch of every article (``sketch_batch``);
   the sketches stay on the worker that made them;
3. the shuffle: each batch's band keys, anchors and body hashes routed to
   ``shards`` key shards (``route_keys``); each shard finds the candidate
   pairs of its keys (``find_candidates``), routed to the later article's batch;
4. per batch: candidates selected as the index selects them, the shingle sets
   of the earlier articles fetched from their batches (``take_shingles``) and
   every pair verified on the exact sets (``verify_candidates``);
5. the driver links the verified pairs into groups with the canonical rule.

The output equals ``storyline dedup``'s on the same input and batch size:
one JSON line per article (``id``, ``dup_group``, ``copy_of``, ``relation``,
``jaccard``, ``containment``). ``docs/scale.md`` says what moves and how it
scales.
"""

import argparse
import contextlib
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from . import _storyline

_tasks = _storyline.partitioned


def _observe(batch: bytes) -> bytes:
    return _tasks.observe_batch(batch)


def _sketch(batch: bytes, chrome: bytes) -> tuple[bytes, bytes]:
    return _tasks.sketch_batch(batch, chrome, 1)


def _route(sketched: tuple[bytes, bytes], superseded: bytes, shards: int) -> list[bytes]:
    return _tasks.route_keys(sketched[0], superseded, shards)


def _find(batches: int, *parts: bytes) -> list[bytes]:
    # `parts`: one shard's part of every batch's keys.
    return _tasks.find_candidates(list(parts), batches)


def _select(sketched: tuple[bytes, bytes], batches: int, *hits: bytes) -> tuple[bytes, list[bytes]]:
    return _tasks.select_candidates(sketched[0], list(hits), batches)


def _take(sketched: tuple[bytes, bytes], selection: tuple[bytes, list[bytes]], batch: int) -> bytes:
    return _tasks.take_shingles(sketched[0], selection[1][batch])


def _verify(
    sketched: tuple[bytes, bytes], selection: tuple[bytes, list[bytes]], *taken: bytes
) -> bytes:
    return _tasks.verify_candidates(sketched[0], selection[0], list(taken))


def _pick(items: Sequence[Any], i: int) -> Any:
    return items[i]


def _total_size(parts: Sequence[bytes]) -> int:
    return sum(len(p) for p in parts)


def _peak_rss() -> int:
    """This process's peak resident memory in bytes (Linux reports KiB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


class Report:
    """What a run counted: articles, batches, shards, bytes moved, times."""

    def __init__(self) -> None:
        self.articles = 0
        self.bad_records = 0
        self.repeated = 0
        self.batches = 0
        self.shards = 0
        self.workers = 0
        self.seconds: dict[str, float] = {}
        self.bytes: dict[str, int] = {}
        self.worker_peak_rss = 0  # the largest worker's peak resident memory
        self.driver_peak_rss = 0

    def line(self) -> str:
        stages = ", ".join(f"{k} {v:.2f} s" for k, v in self.seconds.items())
        moved = ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in self.bytes.items())
        total = sum(self.seconds.values())
        rate = self.articles / total if total > 0 else 0.0
        return (
            f"distributed dedup: {self.articles:,} articles in {self.batches} batches on "
            f"{self.workers} workers ({self.shards} key shards); {self.bad_records:,} bad records "
            f"skipped; {total:.2f} s ({rate:,.0f} articles/s): {stages}; moved: {moved}; "
            f"peak RSS: driver {self.driver_peak_rss / 2**20:.0f} MiB, largest worker "
            f"{self.worker_peak_rss / 2**20:.0f} MiB"
        )


def dedup(
    paths: Sequence[str],
    client: Any,
    *,
    batch_size: int = 2000,
    shards: int | None = None,
    on_bad: Callable[[str], Any] | None = None,
    report: Report | None = None,
) -> list[dict[str, Any]]:
    """The dedup rows of the articles in ``paths`` (any input ``storyline
    dedup`` reads), computed on the Dask ``client``'s workers: one dict per
    article in input order, equal to ``storyline dedup --batch-size
    batch_size``'s lines. ``shards`` (default: twice the workers) is the
    number of key shards of the shuffle; ``on_bad`` gets each bad record's
    message; ``report`` (a Report) gets the counts, times and bytes moved."""
    return _run(paths, client, batch_size, shards, on_bad, report).results()


def _run(
    paths: Sequence[str],
    client: Any,
    batch_size: int,
    shards: int | None,
    on_bad: Callable[[str], Any] | None,
    report: Report | None,
) -> Any:
    """The job; returns the driver's Planner with every batch linked."""
    from distributed import wait

    report = report if report is not None else Report()
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    shards = shards or 2 * workers
    report.workers, report.shards = workers, shards
    planner = _tasks.Planner(batch_size)
    sketched: list[Any] = []  # per batch: the future of (sketches, meta)
    metas: list[Any] = []
    moved = {"texts": 0, "line keys": 0, "models": 0}

    # 1-2: batches out as they are cut; the driver counts each batch's line
    # keys in order and the batch is sketched where its text already is.
    started = time.perf_counter()
    pending: list[tuple[Any, Any]] = []

    def learn_next() -> None:
        batch_future, observed = pending.pop(0)
        keys = observed.result()
        moved["line keys"] += len(keys)
        chrome = planner.learn_chrome(keys)
        moved["models"] += len(chrome)
        future = client.submit(_sketch, batch_future, chrome, pure=False)
        sketched.append(future)
        metas.append(client.submit(_pick, future, 1, pure=False))

    def on_batch(batch: bytes) -> None:
        moved["texts"] += len(batch)
        [batch_future] = client.scatter([batch])
        pending.append((batch_future, client.submit(_observe, batch_future, pure=False)))
        # Keep a few batches in flight, so reading overlaps the workers.
        while len(pending) > 2 * workers:
            learn_next()

    articles, bad, repeated = planner.read(list(paths), on_batch, on_bad or (lambda _m: None))
    while pending:
        learn_next()
    wait(sketched)
    report.articles, report.bad_records, report.repeated = articles, bad, repeated
    report.batches = batches = planner.batches
    report.seconds["read, clean and sketch"] = time.perf_counter() - started

    # 3: the shuffle by key, then candidates by the later article's batch.
    started = time.perf_counter()
    routed = [
        client.submit(_route, sketched[b], planner.superseded(b), shards, pure=False)
        for b in range(batches)
    ]
    shard_parts = [
        [client.submit(_pick, routed[b], p, pure=False) for b in range(batches)]
        for p in range(shards)
    ]
    found = [client.submit(_find, batches, *shard_parts[p], pure=False) for p in range(shards)]
    wait(found)
    report.seconds["shuffle and candidates"] = time.perf_counter() - started
    report.bytes["key shards"] = sum(
        client.gather([client.submit(_total_size, r, pure=False) for r in routed])
    )

    # 4: selection, shingles of earlier batches, verification.
    started = time.perf_counter()
    verified = []
    taken_bytes = []
    for b in range(batches):
        hits = [client.submit(_pick, found[p], b, pure=False) for p in range(shards)]
        selection = client.submit(_select, sketched[b], batches, *hits, pure=False)
        taken = [
            client.submit(_take, sketched[t], selection, t, pure=False)
            for t in range(batches)
            if t != b
        ]
        taken_bytes.extend(client.submit(len, t, pure=False) for t in taken)
        verified.append(client.submit(_verify, sketched[b], selection, *taken, pure=False))
    pairs = client.gather(verified)
    report.seconds["select and verify"] = time.perf_counter() - started
    report.bytes["shingle sets"] = sum(client.gather(taken_bytes))

    # 5: the groups, on the driver.
    started = time.perf_counter()
    meta = client.gather(metas)
    for b in range(batches):
        planner.link(b, meta[b], [pairs[b]])
    report.seconds["link"] = time.perf_counter() - started
    report.bytes.update(moved)
    report.bytes["pairs and metadata"] = sum(len(p) for p in pairs) + sum(len(m) for m in meta)
    report.worker_peak_rss = max(client.run(_peak_rss).values(), default=0)
    report.driver_peak_rss = _peak_rss()
    return planner


def _parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python3 -m storyline.distributed",
        description="storyline's corpus jobs on Dask distributed.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    d = commands.add_parser(
        "dedup",
        help="exact, near and partial copies of a corpus, as `storyline dedup` finds them",
        description=(
            "The duplicate groups of INPUT... computed on a Dask cluster: one JSON line per "
            "article (id, dup_group, copy_of, relation, jaccard, containment), equal to "
            "`storyline dedup --batch-size N`'s output. Without --scheduler it starts a "
            "LocalCluster of --workers processes on this machine."
        ),
    )
    d.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="JSONL (.gz/.zst), .txt, .html, .warc(.gz) files or folders; - for stdin")
    d.add_argument("-o", "--output", default="-", help="output JSONL file (default: stdout)")
    d.add_argument("--workers", type=int, default=2,
                   help="worker processes of the LocalCluster (default: 2)")
    d.add_argument("--scheduler", default=None,
                   help="address of a running Dask scheduler, e.g. tcp://host:8786")
    d.add_argument("--batch-size", type=int, default=2000,
                   help="articles per batch, as `storyline dedup --batch-size` (default: 2000)")
    d.add_argument("--shards", type=int, default=None,
                   help="key shards of the shuffle (default: twice the workers)")
    d.add_argument("--quiet", action="store_true", help="no summary on stderr")
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    if args.batch_size < 1:
        parser.error("--batch-size must be at least 1")
    if args.shards is not None and args.shards < 1:
        parser.error("--shards must be at least 1")
    return args


@contextlib.contextmanager
def _client(args: argparse.Namespace) -> Iterator[Any]:
    from distributed import Client, LocalCluster

    if args.scheduler:
        with Client(args.scheduler) as client:
            yield client
        return
    # One thread per worker process: the tasks release the GIL, and a
    # process per core is what a multi-machine cluster looks like.
    with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        yield client


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(sys.argv[1:] if argv is None else argv)
    bad: list[str] = []

    def on_bad(message: str) -> None:
        if len(bad) < 100:
            print(f"dedup: skipped {message}", file=sys.stderr)
        bad.append(message)

    report = Report()
    try:
        with _client(args) as client:
            planner = _run(args.inputs, client, args.batch_size, args.shards, on_bad, report)
    except _storyline.Error as e:
        print(f"dedup: {e}", file=sys.stderr)
        return 2
    # The lines `storyline dedup` writes, formatted by the same code.
    lines = planner.result_lines()
    if args.output == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(lines)
        sys.stdout.flush()
    else:
        try:
            with open(args.output, "wb") as out:
                out.write(lines)
        except OSError as e:
            print(f"dedup: {args.output}: cannot write: {e.strerror}", file=sys.stderr)
            return 2
    if not args.quiet:
        print(report.line(), file=sys.stderr)
    return 3 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
