"""Readers while an editor saves: do they wait for cold pages?

Builds a throwaway production site (bench/common.py) with the launch content
and EXTRA_ARTICLES copies of it, serves it with gunicorn (two sync workers),
reads every page once in each worker, then runs rounds of two phases of
PHASE_SECONDS each, the same readers in both:

- idle: CLIENT_THREADS readers asking, in turn, the launch article in Turkish
  and Hebrew, both home pages, the Turkish feed and every copy's pages;
- saving: the same, while an editor (a process of its own, through the write
  path) saves every SAVE_SECONDS: in turn the launch article's Hebrew body
  (its Hebrew page is dropped) and a copy's Turkish lede (its pages, the
  Turkish lists and feed, the pages linking to it).

Prints readers' p50 and p99 in each phase, the ratio of p99 saving / idle
(the target: at most 2), and the share of answers that were not from the page
cache (no `Age`). `--refresh off` runs the site without making dropped pages
again (DJANGO_PAGE_CACHE_REFRESH=off), to compare.

Run from the project root: .venv/bin/python -m bench.save_during_load [--refresh off]
"""

import argparse
import itertools
import os
import random
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from bench.common import BASE_DIR, Load, Result, Site, drive, serve

WORKERS = 2
CLIENT_THREADS = 4
EXTRA_ARTICLES = 40
ROUNDS = 3
PHASE_SECONDS = 10.0
SAVE_SECONDS = 2.0
MAX_REQUESTS_PER_PHASE = 200_000
# What the editor adds to the launch article's Hebrew body.
UPDATE = "\n\nעדכון"


def edit():
    """The editor, run in the site's own process: a save for each line read."""
    from articles.models import Article
    from articles.writing import editing

    pks = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    launch, copies = pks[0], pks[1:]
    print("ready", flush=True)
    for number, _line in enumerate(sys.stdin):
        if number % 2 == 0:
            article = Article.objects.get(pk=launch)
            body = article.body_he.split(UPDATE)[0]
            article.body_he = f"{body}{UPDATE} {number}."
        else:
            article = Article.objects.get(pk=copies[number % len(copies)])
            article.lede_tr = f"Güncel giriş {number}."
        editing.save(article)
        print("saved", flush=True)


EDITOR = "from bench.save_during_load import edit; edit()"


def reader_paths(site):
    listed = site.manage(
        "shell",
        "-c",
        "from articles.models import Article\n"
        "for a in Article.objects.order_by('pk'):\n"
        "    print(a.get_absolute_url('tr')); print(a.get_absolute_url('he'))",
    )
    # Django's shell may say something of its own first.
    return ["/tr/", "/he/", "/tr/feed/", *(line for line in listed.split() if line[:1] == "/")]


def read(server, paths, missed):
    def start(index):
        client = server.client()
        order = random.Random(index).sample(paths, len(paths))
        cycle = itertools.cycle(order)

        def request():
            path = next(cycle)
            response = client.get(path)
            # A miss is a page Django made: the page cache adds Age to what it sends.
            if response.headers["Age"] is not None:
                return response.status
            missed[path] = missed.get(path, 0) + 1
            return -response.status

        return request

    return Load("readers", CLIENT_THREADS, start, MAX_REQUESTS_PER_PHASE)


def phase(server, paths, missed, editor=None):
    stop = threading.Event()
    saves = []

    def save_every_interval():
        while not stop.wait(SAVE_SECONDS):
            editor.stdin.write("save\n")
            editor.stdin.flush()
            saves.append(editor.stdout.readline().strip())

    if editor is not None:
        saver = threading.Thread(target=save_every_interval, daemon=True)
        saver.start()
    result = drive(read(server, paths, missed), max_seconds=PHASE_SECONDS)["readers"]
    stop.set()
    if editor is not None:
        saver.join()
    return result, len(saves)


def describe(name, result):
    misses = sum(count for status, count in result.statuses.items() if status < 0)
    return (
        f"{name:8} {result.per_second:8.0f} req/s  p50 {result.percentile(50):6.2f} ms  "
        f"p99 {result.percentile(99):6.2f} ms  misses {misses:5} of {result.requests}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--refresh", default="thread", choices=["thread", "off"])
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cxcs-saves-") as directory:
        site = Site(Path(directory))
        site.build()
        seeding = f"from bench.scale import seed; seed({EXTRA_ARTICLES + 1}, untranslated=False)"
        site.manage("shell", "-c", seeding)
        paths = reader_paths(site)
        env = {"DJANGO_PAGE_CACHE_REFRESH": arguments.refresh}
        with serve(site, workers=WORKERS, env=env) as server:
            editor = subprocess.Popen(
                [sys.executable, "manage.py", "shell", "-c", EDITOR],
                cwd=BASE_DIR,
                env={**site.env, **env},
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            # Django's shell may print a line of its own first.
            for line in editor.stdout:
                if line.strip() == "ready":
                    break
            for _warm in range(WORKERS * 2):
                for path in paths:
                    server.client().get(path)
            idle, saving, saves = Result(), Result(), 0
            missed = {"idle": {}, "saving": {}}
            for _round in range(ROUNDS):
                quiet, _none = phase(server, paths, missed["idle"])
                busy, made = phase(server, paths, missed["saving"], editor)
                idle, saving, saves = idle + quiet, saving + busy, saves + made
            editor.stdin.close()
            editor.wait(timeout=30)
    print(
        f"cxcs readers while an editor saves every {SAVE_SECONDS:.0f} s: gunicorn, {WORKERS} sync "
        f"workers, {CLIENT_THREADS} readers over {len(paths)} pages, {ROUNDS} rounds of "
        f"{PHASE_SECONDS:.0f} s idle and {PHASE_SECONDS:.0f} s saving; pages made again: "
        f"{arguments.refresh}; load average {os.getloadavg()[0]:.2f}"
    )
    print(describe("idle", idle))
    print(describe("saving", saving) + f"  ({saves} saves)")
    print(f"p99 saving / idle: {saving.percentile(99) / idle.percentile(99):.2f}×  (target ≤ 2)")
    print(f"p50 saving / idle: {saving.percentile(50) / idle.percentile(50):.2f}×")
    for name, paths_missed in missed.items():
        most = sorted(paths_missed.items(), key=lambda item: -item[1])[:4]
        print(f"most missed, {name}: " + ", ".join(f"{path} {count}" for path, count in most))


if __name__ == "__main__":
    main()
