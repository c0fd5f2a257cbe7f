"""Reader speed: the launch article against the fastest response this server can send.

Two gunicorn servers run with the same settings (production, two sync workers):

- bare: bench/bare.py, a WSGI application answering every request with the
  cached Hebrew article's exact response (status, headers, body): the limit,
  and the baseline of every ratio;
- the site, answering in turn
  - the fingerprinted static file closest in size, through WhiteNoise (a
    second reference: Django's middleware above it, no view);
  - the article from the page cache in Hebrew;
  - the article from the page cache, each client alternating Turkish and
    Hebrew; a response carrying `Age` came from the cache, which gives the
    hit rate (the first request for each language in each worker misses);
  - the article rendered afresh for every request (a query parameter the
    page cache does not ignore: such requests skip it).

Kinds run in interleaved rounds, so the machine's noise hits all alike.
Requests carry no Accept-Encoding: every kind sends the same uncompressed
bytes. Then, in this process with Django's test client on the same database:
the queries of an uncached render, and where its time goes (queries,
templates, the rest of the response: middleware, view, URL resolution).

Run from the project root: .venv/bin/python -m bench.pages [--seconds 2.5]
(`--seconds`: each kind's share of a round; longer rounds average more of the
shared machine's bursts into each round's ratio).
"""

import argparse
import itertools
import json
import os
import sqlite3
import statistics
import sys
import time
from urllib.parse import quote

from bench.common import Load, Result, drive, production_server, serve

WORKERS = 2
CLIENT_THREADS = 4
ROUNDS = 5
SECONDS_PER_LOAD = 2.5
MAX_REQUESTS_PER_LOAD = 30_000
IN_PROCESS_RENDERS = 200
TARGETS = {"cached": 0.9, "uncached": 0.1}
# Headers a server adds to every response itself: the bare application leaves them to gunicorn.
SERVER_HEADERS = {"date", "server", "connection"}


def closest_static_file(static_root, size):
    """The fingerprinted file (a value of the manifest) whose size is nearest `size` bytes."""
    manifest = json.loads((static_root / "staticfiles.json").read_text(encoding="utf-8"))
    return min(
        manifest["paths"].values(),
        key=lambda name: (abs((static_root / name).stat().st_size - size), name),
    )


def article_paths(database):
    with sqlite3.connect(database) as connection:
        slugs = connection.execute("SELECT slug_tr, slug_he FROM articles_article").fetchone()
    languages = ("tr", "he")
    return {
        code: f"/{code}/articles/{quote(slug)}/"
        for code, slug in zip(languages, slugs, strict=True)
    }


def store_response(response, path):
    """Write `response` as bench/bare.py reads it."""
    headers = [
        [name, value]
        for name, value in response.headers.items()
        if name.lower() not in SERVER_HEADERS
    ]
    body = response.body.decode("latin-1")
    path.write_text(json.dumps({"status": "200 OK", "headers": headers, "body": body}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=SECONDS_PER_LOAD)
    seconds = parser.parse_args().seconds
    began = time.perf_counter()
    with production_server(workers=WORKERS) as server:
        client = server.client()
        paths = article_paths(server.site.database)
        page = client.get(paths["he"])
        assert page.status == 200, page.status
        compressed = client.get(paths["he"], headers={"Accept-Encoding": "gzip"})
        static_name = closest_static_file(server.site.static_root, len(page.body))
        static_path = f"/static/{static_name}"
        static = client.get(static_path)
        assert static.status == 200, static.status
        bare_response = server.site.directory / "bare.json"
        store_response(client.get(paths["he"]), bare_response)
        bare_env = {"BENCH_BARE_RESPONSE": str(bare_response)}
        with serve(
            server.site, workers=WORKERS, application="bench.bare", env=bare_env, health="/"
        ) as bare:
            totals, hits, rounds = run_rounds(server, bare, paths, static_path, seconds)
        steps = render_in_process(server.site.env, paths["he"])
        log = server.log()

    print(
        f"cxcs reader speed: gunicorn, {WORKERS} sync workers, {CLIENT_THREADS} client threads, "
        f"{ROUNDS} interleaved rounds of {seconds} s per kind"
    )
    print(
        f"article: {paths['he']} ({len(page.body):,} bytes; "
        f"{len(compressed.body):,} bytes {compressed.headers['Content-Encoding']})"
    )
    print(f"static:  {static_path} ({len(static.body):,} bytes, the file closest in size)")
    print()
    baseline = totals["bare WSGI"].per_second
    for name, result in totals.items():
        print(f"{name:24} {result.summary()}  {result.per_second / baseline:5.2f}× bare")
    cached = totals["article, cached tr+he"]
    print(
        f"page cache, tr and he interleaved: {hits} hits in {cached.requests} requests "
        f"({100 * hits / max(1, cached.requests):.2f}%; a miss is a worker's first "
        f"request in a language, at most {2 * WORKERS})"
    )
    print()
    for key, name in (
        ("cached", "article, cached he"),
        ("cached", "article, cached tr+he"),
        ("uncached", "article, uncached"),
    ):
        ratio = totals[name].per_second / baseline
        verdict = "met" if ratio >= TARGETS[key] else "NOT met"
        label = name.removeprefix("article, ") + " / bare"
        print(f"{label:22} {ratio:5.3f}  (target ≥ {TARGETS[key]}: {verdict})")
    each = round_ratios(rounds, "article, cached tr+he")
    print(
        "cached / bare, round by round: "
        + ", ".join(f"{ratio:.2f}" for ratio in each)
        + f"  (worst {min(each):.2f}; target ≥ 0.85)"
    )
    print()
    print("in process (Django test client, same database), an uncached Hebrew article:")
    print(f"  SQL queries: {steps['queries']}")
    print(
        f"  median {steps['total']:.2f} ms over {IN_PROCESS_RENDERS} renders: "
        f"queries {steps['query_ms']:.2f} ms, templates {steps['template_ms']:.2f} ms, "
        f"the rest (middleware, URL, view, response) {steps['rest_ms']:.2f} ms"
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


def run_rounds(server, bare, paths, static_path, seconds):
    numbers = itertools.count()
    hits = []

    def visitor(target, next_path, note=None):
        def start(index):
            connection = target.client()
            paths_of_visitor = next_path(index)

            def request():
                response = connection.get(next(paths_of_visitor))
                if note:
                    note(response)
                return response.status

            return request

        return start

    def count_hit(response):
        if response.headers["Age"] is not None:
            hits.append(1)  # list.append is atomic across threads

    loads = {
        "bare WSGI": visitor(bare, lambda index: itertools.repeat(paths["he"])),
        "static file, WhiteNoise": visitor(server, lambda index: itertools.repeat(static_path)),
        "article, cached he": visitor(server, lambda index: itertools.repeat(paths["he"])),
        "article, cached tr+he": visitor(
            server,
            # Each client alternates, half of them starting with Hebrew.
            lambda index: itertools.cycle([paths["tr"], paths["he"]][:: 1 if index % 2 else -1]),
            note=count_hit,
        ),
        "article, uncached": visitor(
            server,
            lambda index: (f"{paths['he']}?bench={number}" for number in numbers),
        ),
    }
    totals = {name: Result() for name in loads}
    rounds = []
    for round_number in range(ROUNDS):
        # A different order each round, so none always runs first or after another.
        names = list(loads)
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            load = Load(name, CLIENT_THREADS, loads[name], MAX_REQUESTS_PER_LOAD)
            measured = drive(load, max_seconds=seconds)[name]
            totals[name] += measured
            rounds.append((round_number, name, measured.per_second))
    return totals, len(hits), rounds


def round_ratios(rounds, name):
    """`name`'s requests per second over the bare application's, round by round."""
    bare = {number: rate for number, kind, rate in rounds if kind == "bare WSGI"}
    return [rate / bare[number] for number, kind, rate in rounds if kind == name and bare[number]]


def render_in_process(env, path):
    """Queries of an uncached article request, and the median time of each step:
    the ORM (building, running and reading its queries), the templates (less
    any ORM work they caused), and the rest of the request."""
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection
    from django.db.models.query import QuerySet, RawQuerySet
    from django.template.backends.django import Template
    from django.test import Client

    timings = {"orm": 0.0, "template": 0.0, "orm in template": 0.0}
    active = set()

    def timed(step, function):
        def wrapper(*args, **kwargs):
            if step in active:
                return function(*args, **kwargs)
            active.add(step)
            began = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent = time.perf_counter() - began
                active.discard(step)
                timings[step] += spent
                if step == "orm" and "template" in active:
                    timings["orm in template"] += spent

        return wrapper

    originals = {
        (QuerySet, "_fetch_all"): "orm",
        (RawQuerySet, "_fetch_all"): "orm",
        (Template, "render"): "template",
    }
    for (owner, name), step in originals.items():
        setattr(owner, name, timed(step, getattr(owner, name)))
    queries = []
    client = Client(HTTP_HOST="127.0.0.1")
    numbers = itertools.count(10**9)
    assert client.get(f"{path}?bench={next(numbers)}").status_code == 200  # loads templates once
    samples = []
    with connection.execute_wrapper(lambda execute, *args: queries.append(1) or execute(*args)):
        for _ in range(IN_PROCESS_RENDERS):
            timings.update(orm=0.0, template=0.0, **{"orm in template": 0.0})
            queries.clear()
            began = time.perf_counter()
            response = client.get(f"{path}?bench={next(numbers)}")
            total = time.perf_counter() - began
            assert response.status_code == 200
            template = timings["template"] - timings["orm in template"]
            samples.append((total, timings["orm"], template, len(queries)))

    def median_ms(values):
        return statistics.median(values) * 1000

    return {
        "queries": samples[-1][3],
        "total": median_ms(s[0] for s in samples),
        "query_ms": median_ms(s[1] for s in samples),
        "template_ms": median_ms(s[2] for s in samples),
        "rest_ms": median_ms(s[0] - s[1] - s[2] for s in samples),
    }


if __name__ == "__main__":
    sys.exit(main())
