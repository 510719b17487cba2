"""The distributed dedup job's driver cost, without Dask: reading the inputs,
cutting and encoding batches, and counting each batch's line keys into the
chrome model (the observations, a worker task in the job, are timed apart).

    PYTHONPATH=out/release/python /usr/bin/python3 python/benchmarks/distributed_driver.py s20k.jsonl
"""
import sys
import time

from storyline import _storyline

tasks = _storyline.partitioned


def main(paths: list[str]) -> None:
    planner = tasks.Planner(2000)
    spent = {"observe (a worker task)": 0.0, "learn_chrome (driver)": 0.0}

    def on_batch(batch: bytes) -> None:
        start = time.perf_counter()
        observed = tasks.observe_batch(batch)
        spent["observe (a worker task)"] += time.perf_counter() - start
        start = time.perf_counter()
        planner.learn_chrome(observed)
        spent["learn_chrome (driver)"] += time.perf_counter() - start

    start = time.perf_counter()
    articles, bad, _ = planner.read(paths, on_batch, lambda message: print(message, file=sys.stderr))
    total = time.perf_counter() - start
    read = total - sum(spent.values())
    driver = read + spent["learn_chrome (driver)"]
    print(f"{articles:,} articles ({bad} bad) in {planner.batches} batches: "
          f"read, cut and encode {read:.2f} s; "
          + "; ".join(f"{k} {v:.2f} s" for k, v in spent.items())
          + f"; driver {1e6 * driver / max(articles, 1):.0f} us/article")


if __name__ == "__main__":
    main(sys.argv[1:])
