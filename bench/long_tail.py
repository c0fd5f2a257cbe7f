"""The long tail: readers spread over more article pages than one process's cache holds.

Builds a throwaway production site (bench/common.py) with ARTICLES copies of
the launch article in Turkish and Hebrew (20,000 distinct article pages),
serves it with gunicorn (two sync workers, the page cache at its default
bounds: PAGE_CACHE_MAX_ENTRIES pages per process), and drives it with
CLIENT_THREADS readers, each drawing pages in a Zipf-like mix (the page of
rank r asked with a weight of 1 / r ** ZIPF_EXPONENT), bounded in requests and
time. In interleaved rounds, against the same gunicorn serving bench/bare.py
with one of those pages' exact response: the limit.

Prints throughput and p50/p99 of both, the ratio, and the page cache's hit
ratio (answers with `Age`), with the share of requests the most asked
PAGE_CACHE_MAX_ENTRIES pages get: the best any one process's cache can hit.

Run from the project root: .venv/bin/python -m bench.long_tail
"""

import bisect
import itertools
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from bench.common import interleaved, serve, site_of_copies
from bench.pages import store_response

WORKERS = 2
CLIENT_THREADS = 4
ARTICLES = 10_000
ZIPF_EXPONENT = 1.0
ROUNDS = 3
SECONDS_PER_LOAD = 10.0
MAX_REQUESTS_PER_LOAD = 100_000


def zipf_weights(count):
    return list(itertools.accumulate(1 / rank**ZIPF_EXPONENT for rank in range(1, count + 1)))


def main():
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="cxcs-long-tail-") as directory:
        site, paths = site_of_copies(Path(directory), ARTICLES)
        from django.conf import settings

        # Ranks drawn at random: the most read pages are not the oldest nor the newest.
        random.Random(0).shuffle(paths)
        cumulative = zipf_weights(len(paths))
        bound = settings.PAGE_CACHE_MAX_ENTRIES
        best = cumulative[bound - 1] / cumulative[-1]
        seeded = time.perf_counter() - began
        with serve(site, workers=WORKERS) as server:
            bare_response = site.directory / "bare.json"
            store_response(server.client().get(paths[0]), bare_response)
            bare_env = {"BENCH_BARE_RESPONSE": str(bare_response)}
            limit = serve(site, workers=WORKERS, application="bench.bare", env=bare_env, health="/")
            with limit as bare:
                totals, hits = run_rounds(server, bare, paths, cumulative)

    print(
        f"cxcs long tail: gunicorn, {WORKERS} sync workers, {CLIENT_THREADS} readers, "
        f"{len(paths):,} distinct article pages drawn with weight 1/rank^{ZIPF_EXPONENT}, "
        f"{ROUNDS} interleaved rounds of {SECONDS_PER_LOAD:.0f} s; load average "
        f"{os.getloadavg()[0]:.2f} (site built and seeded in {seeded:.0f} s)"
    )
    baseline = totals["bare WSGI"].per_second
    for name, result in totals.items():
        print(f"{name:12} {result.summary()}  {result.per_second / baseline:5.3f}× bare")
    tail = totals["long tail"]
    print(
        f"page cache hits: {hits} of {tail.requests} ({100 * hits / max(1, tail.requests):.1f}%); "
        f"the {bound:,} most asked pages (PAGE_CACHE_MAX_ENTRIES) get {100 * best:.1f}% of requests"
    )
    print(f"total run: {time.perf_counter() - began:.0f} s")
    return 0 if tail.statuses[200] == tail.requests else 1


def run_rounds(server, bare, paths, cumulative):
    hits = []

    def long_tail(index):
        client = server.client()
        draw = random.Random(index)
        total = cumulative[-1]

        def request():
            path = paths[bisect.bisect_left(cumulative, draw.random() * total)]
            response = client.get(path)
            if response.headers["Age"] is not None:
                hits.append(1)  # list.append is atomic across threads
            return response.status

        return request

    def limit(index):
        client = bare.client()
        return lambda: client.get(paths[0]).status

    loads = {"bare WSGI": limit, "long tail": long_tail}
    totals = interleaved(
        loads,
        rounds=ROUNDS,
        threads=CLIENT_THREADS,
        max_requests=MAX_REQUESTS_PER_LOAD,
        seconds=SECONDS_PER_LOAD,
    )
    return totals, len(hits)


if __name__ == "__main__":
    sys.exit(main())
