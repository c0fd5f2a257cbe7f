"""A call-to-action experiment costs the cached page nothing: the Hebrew article from
the page cache with an experiment running against the same page without one.

Two production sites, built alike, each served by gunicorn with the same
settings; on one an experiment with two variants runs in Hebrew. Their cached
Hebrew articles are asked in interleaved rounds, so the machine's noise hits
both alike. Each response of the experiment's site must hold exactly one
variant, and both variants must be seen.

Run from the project root: .venv/bin/python -m bench.experiment_cache
"""

import re
import sys
from collections import Counter
from contextlib import ExitStack

from bench.common import interleaved, production_server
from bench.pages import CLIENT_THREADS, MAX_REQUESTS_PER_LOAD, ROUNDS, WORKERS, article_paths

SECONDS_PER_LOAD = 3.0
TARGET = 0.9
START_EXPERIMENT = """
from marketing import experiments
from marketing.models import Experiment, Variant

experiment = Experiment.objects.create(name="bench", language="he", place="article")
for key, text, label in [("a", "נסו את הסיור", "לסיור"), ("b", "ראו איך זה עובד", "הראו לי")]:
    Variant.objects.create(experiment=experiment, key=key, text=text, button_label=label)
experiments.start(experiment)
"""
VARIANT_IN_LINK = re.compile(rb"variant=\d+([ab])")


def main():
    with ExitStack() as stack:
        plain = stack.enter_context(production_server(workers=WORKERS))
        tested = stack.enter_context(production_server(workers=WORKERS))
        tested.site.manage("shell", "-c", START_EXPERIMENT)
        path = article_paths(plain.site.database)["he"]
        shown = Counter()
        hits = Counter()

        def visitor(server, name):
            def start(index):
                client = server.client()

                def request():
                    response = client.get(path)
                    if response.headers["Age"] is not None:
                        hits[name] += 1
                    if server is tested:
                        variants = VARIANT_IN_LINK.findall(response.body)
                        shown[b"".join(sorted(set(variants))).decode() or "none"] += 1
                    return response.status

                return request

            return start

        loads = {
            "without an experiment": visitor(plain, "without an experiment"),
            "with an experiment": visitor(tested, "with an experiment"),
        }
        totals = interleaved(
            loads,
            rounds=ROUNDS,
            threads=CLIENT_THREADS,
            max_requests=MAX_REQUESTS_PER_LOAD,
            seconds=SECONDS_PER_LOAD,
        )

    print(
        f"cxcs experiment cost: two sites alike, gunicorn, {WORKERS} sync workers each, "
        f"{CLIENT_THREADS} client threads, {ROUNDS} interleaved rounds of {SECONDS_PER_LOAD} s"
    )
    print(f"page: {path}, from the page cache")
    for name, result in totals.items():
        print(f"{name:22} {result.summary()}  hits {hits[name]}/{result.requests}")
    ratio = totals["with an experiment"].per_second / totals["without an experiment"].per_second
    verdict = "met" if ratio >= TARGET else "NOT met"
    print(f"with / without: {ratio:.3f}  (target ≥ {TARGET}: {verdict})")
    print(f"variants per response: {dict(shown)}")
    one_each = set(shown) == {"a", "b"}
    if not one_each:
        print("FAILED: every response must hold exactly one variant, and both must be seen")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
