#!/usr/bin/env python3
"""Measures /api/stories latency on a running `storyline serve` (manual tool).

  storyline serve --db big.db --port 8090 &
  tests/server_latency.py --port 8090 --requests 2000

Sends the requests one at a time over one keep-alive connection, cycling
through the list's orders, filters and pages, and prints p50/p99/max per
query kind and overall. Loopback only.
"""
import argparse
import http.client
import statistics
import time

QUERIES = [
    "/api/stories",
    "/api/stories?order=largest",
    "/api/stories?offset=500",
    "/api/stories?limit=200",
    "/api/stories?lang=en",
    "/api/stories?source=site7.example",
    "/api/stories?since=2024-03-15&until=2024-03-20",
    "/api/stories?q=the",
]


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(p * (len(values) - 1)))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=8080)
    ap.add_argument("--requests", type=int, default=2000)
    args = ap.parse_args()
    conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
    by_kind = {q: [] for q in QUERIES}
    errors = 0
    for i in range(args.requests):
        q = QUERIES[i % len(QUERIES)]
        t0 = time.perf_counter()
        conn.request("GET", q)
        r = conn.getresponse()
        r.read()
        by_kind[q].append((time.perf_counter() - t0) * 1000)
        if r.status != 200:
            errors += 1
    everything = [v for vs in by_kind.values() for v in vs]
    for q, vs in by_kind.items():
        print(f"{q:55s} p50 {statistics.median(vs):7.2f} ms  p99 {pct(vs, 0.99):7.2f} ms  max {max(vs):7.2f} ms")
    print(f"{'all':55s} p50 {statistics.median(everything):7.2f} ms  p99 {pct(everything, 0.99):7.2f} ms  "
          f"max {max(everything):7.2f} ms  ({len(everything)} requests, {errors} errors)")


if __name__ == "__main__":
    main()
