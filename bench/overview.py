"""The translation overview at scale, against the article change list: 10,000
articles in three languages, a third of them with Hebrew and English jobs.

Builds a throwaway production site (bench/common.py) with the launch content,
copies the launch article in bulk (bench/scale.py's `seed`), gives one article
in three a Hebrew and an English translation job (assigned among five
translators, due dates spread over a month around today, so some are overdue),
then, in this process with Django's test client and a superuser, measures
each page: median time of REPEATS requests, bytes and SQL queries, and the
overview's time as a multiple of the change list's (the target: under 2×).

Run from the project root: .venv/bin/python -m bench.overview [--articles 10000]
"""

import argparse
import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bench.common import Site
from bench.scale import REPEATS, measure, seed

TARGET = 2.0


def add_jobs(every=3):
    """A Hebrew and an English job on every `every`-th article."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from articles.models import Article, Job

    people = [
        get_user_model().objects.create_user(f"translator{number}", is_staff=True)
        for number in range(5)
    ]
    today = timezone.localdate()
    states = list(Job.State.values)
    batch = []
    ids = Article.objects.order_by("pk").values_list("pk", flat=True)
    for number, pk in enumerate(ids):
        if number % every:
            continue
        for language in ("he", "en"):
            batch.append(
                Job(
                    article_id=pk,
                    language=language,
                    assignee=people[number % len(people)],
                    due_date=today + timedelta(days=number % 30 - 10),
                    state=states[number % len(states)],
                )
            )
    Job.objects.bulk_create(batch, batch_size=500)
    return people[0], len(batch)


def pages(person):
    return {
        "article change list": "/tr/admin/articles/article/",
        "overview": "/tr/admin/articles/translationoverview/",
        "overview, page 100": "/tr/admin/articles/translationoverview/?p=100",
        "overview, Hebrew in review": (
            "/tr/admin/articles/translationoverview/?language=he&state=in_review"
        ),
        "overview, overdue": "/tr/admin/articles/translationoverview/?overdue=yes",
        "overview, one translator": (
            f"/tr/admin/articles/translationoverview/?assignee={person.pk}"
        ),
        "My work (a translator's)": "/tr/admin/articles/job/mine/",
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    count = parser.parse_args().articles
    with tempfile.TemporaryDirectory(prefix="cxcs-overview-") as directory:
        site = Site(Path(directory))
        site.build()
        os.environ.update(site.env)
        import django

        django.setup()
        from django.contrib.auth import get_user_model
        from django.test import Client

        began = time.perf_counter()
        seed(count)
        person, jobs = add_jobs()
        print(f"{count:,} articles and {jobs:,} jobs seeded in {time.perf_counter() - began:.0f} s",
              file=sys.stderr)  # fmt: skip
        editor = Client(HTTP_HOST="127.0.0.1")
        editor.force_login(get_user_model().objects.create_superuser("bench", "", "bench"))
        translator = Client(HTTP_HOST="127.0.0.1")
        translator.force_login(person)
        results = {}
        for name, path in pages(person).items():
            who = translator if name.startswith("My work") else editor
            results[name] = measure(who, path)

    baseline = results["article change list"]["ms"]
    print(f"cxcs translation overview, {count:,} articles × 3 languages, {jobs:,} jobs:")
    print(f"in process, uncached, median of {REPEATS} requests")
    print()
    print(f"{'page':30}{'time':>12}{'bytes':>12}{'queries':>9}{'/ change list':>15}")
    for name, result in results.items():
        ratio = result["ms"] / baseline
        print(
            f"{name:30}{result['ms']:9.1f} ms{result['bytes']:>12,}{result['queries']:>9}"
            f"{ratio:14.2f}×"
        )
    ratio = results["overview"]["ms"] / baseline
    verdict = "met" if ratio < TARGET else "NOT met"
    print()
    print(f"overview / change list: {ratio:.2f}× (target under {TARGET}×: {verdict})")


if __name__ == "__main__":
    main()
