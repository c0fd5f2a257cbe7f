"""Reader speed: the Hebrew launch article against a static file of about its size.

One gunicorn server (production settings, two sync workers) answers three
kinds of request in interleaved rounds, so the machine's noise hits all three
alike:

- the article from the page cache (warmed before each round);
- the fingerprinted static file, served by WhiteNoise, whose size is closest to
  the article page's: the baseline, a request that touches neither Django's
  views nor the database;
- the article rendered afresh for every request.

Requests carry no Accept-Encoding, so neither the page nor the static file is
sent compressed. Then, in this process with Django's test client on the same
database: the SQL queries of one uncached render and the median time of one.

Run from the project root: .venv/bin/python -m bench.pages
"""

import itertools
import json
import os
import sqlite3
import statistics
import sys
import time
from urllib.parse import quote

from bench.common import Load, Result, drive, production_server

WORKERS = 2
CLIENT_THREADS = 4
ROUNDS = 5
SECONDS_PER_LOAD = 2.5
MAX_REQUESTS_PER_LOAD = 20_000
IN_PROCESS_RENDERS = 50
TARGETS = {"cached": 0.8, "uncached": 0.1}


def closest_static_file(static_root, size):
    """The fingerprinted file (a value of the manifest) whose size is nearest `size` bytes."""
    manifest = json.loads((static_root / "staticfiles.json").read_text(encoding="utf-8"))
    return min(
        manifest["paths"].values(),
        key=lambda name: (abs((static_root / name).stat().st_size - size), name),
    )


def article_path(database):
    with sqlite3.connect(database) as connection:
        (slug,) = connection.execute("SELECT slug_he FROM articles_article").fetchone()
    return f"/he/articles/{quote(slug)}/"


def uncached(path, numbers):
    # The page cache leaves requests with a query string alone (they are rendered
    # afresh and never stored: articles/page_cache.py), and the article view
    # ignores the query, so this renders the very page from the database.
    return f"{path}?bench={next(numbers)}"


def main():
    began = time.perf_counter()
    with production_server(workers=WORKERS) as server:
        client = server.client()
        path = article_path(server.site.database)
        page = client.get(path)
        assert page.status == 200, page.status
        static_name = closest_static_file(server.site.static_root, len(page.body))
        static_path = f"/static/{static_name}"
        static = client.get(static_path)
        assert static.status == 200, static.status
        numbers = itertools.count()
        expires_seen = set()

        def one_request(make_path, note=None):
            def start(index):
                visitor = server.client()

                def request():
                    response = visitor.get(make_path())
                    if note:
                        note(response)
                    return response.status

                return request

            return start

        loads = {
            "static file": one_request(lambda: static_path),
            "article, cached": one_request(
                lambda: path, note=lambda response: expires_seen.add(response.headers["Expires"])
            ),
            "article, uncached": one_request(lambda: uncached(path, numbers)),
        }
        totals = {name: Result() for name in loads}
        rerendered = 0
        for round_number in range(ROUNDS):
            # A different order each round, so none always runs first or after another.
            names = list(loads)
            names = names[round_number % 3 :] + names[: round_number % 3]
            for name in names:
                if name == "article, cached":
                    # Uncached rounds fill the file cache, whose culling may drop the page.
                    warm = client.get(path).headers["Expires"]
                    expires_seen.clear()
                load = Load(name, CLIENT_THREADS, loads[name], MAX_REQUESTS_PER_LOAD)
                totals[name] += drive(load, max_seconds=SECONDS_PER_LOAD)[name]
                if name == "article, cached":
                    rerendered += len(expires_seen - {warm})

        renders = render_in_process(server.site.env, path)
        log = server.log()

    print(
        f"cxcs reader speed: gunicorn, {WORKERS} sync workers, {CLIENT_THREADS} client threads, "
        f"{ROUNDS} interleaved rounds of {SECONDS_PER_LOAD} s per kind"
    )
    print(f"article: {path} ({len(page.body)} bytes, no compression)")
    print(
        f"static:  {static_path} ({len(static.body)} bytes, the fingerprinted file closest in size)"
    )
    print()
    for name, result in totals.items():
        print(f"{name:18} {result.summary()}")
    print(f"cached page rendered afresh during the cached rounds: {rerendered} time(s)")
    print()
    baseline = totals["static file"].per_second
    for key, name in (("cached", "article, cached"), ("uncached", "article, uncached")):
        ratio = totals[name].per_second / baseline
        verdict = "met" if ratio >= TARGETS[key] else "NOT met"
        print(f"{key + ' / static':18} {ratio:5.2f}  (target ≥ {TARGETS[key]}: {verdict})")
    print()
    print("in process (Django test client, same database):")
    print(f"  SQL queries per uncached render: {renders['queries']}")
    print(f"  SQL queries per cached request:  {renders['cached_queries']}")
    print(
        f"  median uncached request: {renders['median_ms']:.1f} ms "
        f"(over {IN_PROCESS_RENDERS} renders, whole middleware stack)"
    )
    print(f"total run: {time.perf_counter() - began:.0f} s")

    failed = sum(
        result.requests - result.statuses[200] + sum(result.errors.values())
        for result in totals.values()
    )
    if failed or "Traceback" in log:
        print(f"FAILED: {failed} request(s) not answered 200; server log:\n{log}")
        return 1
    return 0


def render_in_process(env, path):
    """Queries and median time of an uncached article request, in this process."""
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    numbers = itertools.count(10**9)
    assert client.get(uncached(path, numbers)).status_code == 200  # loads templates once
    with CaptureQueriesContext(connection) as queries:
        client.get(uncached(path, numbers))
    query_count = len(queries)
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    cached_query_count = len(queries)
    times = []
    for _ in range(IN_PROCESS_RENDERS):
        began = time.perf_counter()
        response = client.get(uncached(path, numbers))
        times.append(time.perf_counter() - began)
        assert response.status_code == 200
    return {
        "queries": query_count,
        "cached_queries": cached_query_count,
        "median_ms": statistics.median(times) * 1000,
    }


if __name__ == "__main__":
    sys.exit(main())
