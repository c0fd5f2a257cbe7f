"""The page cache's memory bound: 20,000 distinct pages through one worker.

Builds a throwaway production site (bench/common.py) with 10,000 copies of
the launch article in Turkish and Hebrew, serves it with gunicorn and one
sync worker, and asks for each of the 20,000 article pages once, in order,
reading the worker's resident memory (VmRSS) as it goes. Every page is kept
by the page cache until its bounds (PAGE_CACHE_MAX_BYTES and
PAGE_CACHE_MAX_ENTRIES) push the oldest out: the worker's memory must level
off instead of growing with the number of pages. Last, the first and the
last pages asked for are asked again: the last are still cached, the first
are not.

Also, in this process: what Python spends on a stored page beyond the bytes
the store counts (page_store.OVERHEAD_PER_PAGE is that figure).

Run from the project root: .venv/bin/python -m bench.memory
"""

import itertools
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path

from bench.common import Load, drive, serve, site_of_copies

ARTICLES = 10_000
CHECKPOINTS = [0, 1_000, 2_000, 5_000, 10_000, 15_000, 20_000]
CLIENT_THREADS = 4


def resident_kib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def worker_pid(master_pid):
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    if len(children) != 1:
        raise RuntimeError(f"expected one gunicorn worker, found {children}")
    return int(children[0])


def overhead_per_page(pages=2_000):
    """Bytes Python holds per stored page beyond the bytes PageStore counts."""
    from operations import page_store

    body = bytes(range(256)) * 48
    store = page_store.PageStore(max_bytes=10**12, max_entries=10**9)
    store.reset(1)
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for number in range(pages):
        headers = tuple((f"X-Header-{n}", f"value {n} of page {number}") for n in range(12))
        page = page_store.Page(
            generation=1,
            status="200 OK",
            headers=headers,
            bodies={"identity": body + str(number).encode(), "gzip": body[:3600]},
            etag=f'"{number:032x}"',
            last_modified=None,
            stored_at=0.0,
            expires_at=1.0,
        )
        store.put(f"http://127.0.0.1:8000/he/articles/page-{number}/", page)
    traced = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    counted = store.bytes - pages * page_store.OVERHEAD_PER_PAGE
    return (traced - counted) / pages


def main():
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="cxcs-memory-") as directory:
        site, paths = site_of_copies(Path(directory), ARTICLES)
        from django.conf import settings

        bounds = (settings.PAGE_CACHE_MAX_BYTES, settings.PAGE_CACHE_MAX_ENTRIES)
        with serve(site, workers=1) as server:
            worker = worker_pid(server.process.pid)
            statuses = {}
            lock = threading.Lock()
            queue = iter(paths)

            def start(index):
                visitor = server.client()

                def request():
                    with lock:
                        path = next(queue)
                    status = visitor.get(path).status
                    with lock:
                        statuses[status] = statuses.get(status, 0) + 1
                    return status

                return request

            readings = [(0, resident_kib(worker))]
            for done, target in itertools.pairwise(CHECKPOINTS):
                drive(Load("pages", CLIENT_THREADS, start, target - done), max_seconds=3600)
                readings.append((target, resident_kib(worker)))
            first, last = server.client(), server.client()
            first_hits = sum(first.get(path).headers["Age"] is not None for path in paths[:100])
            last_hits = sum(last.get(path).headers["Age"] is not None for path in paths[-100:])

    overhead = overhead_per_page()
    print(f"cxcs page cache memory: one gunicorn sync worker, {len(paths):,} distinct pages")
    print(
        f"bounds: PAGE_CACHE_MAX_BYTES {bounds[0]:,} ({bounds[0] / 2**20:.0f} MiB), "
        f"PAGE_CACHE_MAX_ENTRIES {bounds[1]:,}"
    )
    print(f"answers: {', '.join(f'{s}×{n}' for s, n in sorted(statuses.items()))}")
    print()
    print(f"{'pages asked':>12} {'worker RSS':>12} {'growth':>12}")
    for count, kib in readings:
        print(f"{count:>12,} {kib / 1024:>9.1f} MiB {(kib - readings[0][1]) / 1024:>9.1f} MiB")
    print()
    print(f"asked again: the last 100 pages {last_hits} hits, the first 100 {first_hits} hits")
    print(f"Python's overhead per stored page beyond its counted bytes: {overhead:,.0f} bytes")
    print(f"total run: {time.perf_counter() - began:.0f} s")
    return 0 if statuses.get(200) == len(paths) else 1


if __name__ == "__main__":
    sys.exit(main())
