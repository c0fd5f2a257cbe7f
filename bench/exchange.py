"""What the exchange files cost, against the PO hand-off measured in the same run.

In a throwaway SQLite database holding the launch content and ARTICLES copies
of the launch article: building the launch article's Hebrew file as PO (the
baseline), XLIFF 1.2 and XLIFF 2.0, and importing each back as exported
(read, checked, matched; nothing to save); the TMX export of the whole
memory and the TBX export of the term base; and opening the workspace's
memory (memory.load) before and after IMPORTED pairs are imported from a
TMX file.

Run from the project root: .venv/bin/python -m bench.exchange
"""

import os
import statistics
import sys
import tempfile
import time

ARTICLES = 200
IMPORTED = 10_000
ROUNDS = 20


def timed(function, rounds=ROUNDS):
    """The median seconds of `rounds` calls of `function`."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    folder = tempfile.mkdtemp(prefix="cxcs-bench-exchange-")
    os.environ.update(
        DATABASE_URL=f"sqlite:///{folder}/bench.sqlite3",
        DJANGO_SETTINGS_MODULE="cxcs.settings",
        DJANGO_DEBUG="1",
        DJANGO_SECRET_KEY="bench",
        DJANGO_MEDIA_ROOT=f"{folder}/media",
    )
    import django

    django.setup()
    from django.core.management import call_command

    from articles.launch.loader import load_launch_content
    from articles.models import Article, MemoryUnit
    from articles.translating import handoff, memory, tbx, tmx, xliff

    call_command("migrate", verbosity=0)
    load_launch_content()
    launch = Article.objects.get()
    copies = []
    for number in range(ARTICLES):
        copy = Article.objects.get(pk=launch.pk)
        copy.pk = None
        for code in ("tr", "he", "en"):
            slug = getattr(copy, f"slug_{code}")
            setattr(copy, f"slug_{code}", f"{slug}-{number}" if slug else None)
        copies.append(copy)
    Article.objects.bulk_create(copies)
    print(f"{Article.objects.count()} articles, launch article {launch.pk}")

    po_text = handoff.build_po(launch, "he")
    baseline = timed(lambda: handoff.build_po(launch, "he"))
    print(f"export PO           {baseline * 1000:7.1f} ms  1.00×")
    for version in xliff.VERSIONS:
        seconds = timed(lambda version=version: xliff.build(launch, "he", version))
        print(f"export XLIFF {version}    {seconds * 1000:7.1f} ms  {seconds / baseline:.2f}×")

    import_baseline = timed(lambda: handoff.apply_po(launch, "he", po_text), rounds=5)
    print(f"import PO           {import_baseline * 1000:7.1f} ms  1.00×")
    for version in xliff.VERSIONS:
        data = xliff.build(launch, "he", version)
        seconds = timed(lambda data=data: xliff.apply_xliff(launch, "he", data), rounds=5)
        print(
            f"import XLIFF {version}    {seconds * 1000:7.1f} ms  {seconds / import_baseline:.2f}×"
        )

    start = time.perf_counter()
    memory_file = tmx.build()
    print(
        f"export TMX          {(time.perf_counter() - start) * 1000:7.1f} ms "
        f"({len(memory_file) // 1024} KiB, {ARTICLES + 1} articles)"
    )
    print(f"export TBX          {timed(tbx.build) * 1000:7.1f} ms")

    before = timed(lambda: memory.load(launch, "he"), rounds=5)
    pairs = [
        tmx.Pair("tr", "he", f"Kaynak cümle numarası {number}.", f"משפט מספר {number}.")
        for number in range(IMPORTED)
    ]
    memory_file = tmx.build(pairs)
    start = time.perf_counter()
    tmx.apply_tmx(memory_file)
    print(
        f"import TMX          {(time.perf_counter() - start) * 1000:7.1f} ms "
        f"({MemoryUnit.objects.count()} pairs)"
    )
    after = timed(lambda: memory.load(launch, "he"), rounds=5)
    print(f"memory.load before  {before * 1000:7.1f} ms  1.00×")
    print(
        f"memory.load after   {after * 1000:7.1f} ms  {after / before:.2f}× "
        f"(with {IMPORTED} imported pairs)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
