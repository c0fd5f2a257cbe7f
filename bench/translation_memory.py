"""The translation memory at scale: its look-ups with 1, 1,000 and 10,000 articles.

Builds a throwaway site (bench/common.py) with the launch content, then adds
articles whose Turkish and Hebrew texts are made up from a vocabulary of
20,000 words drawn by Zipf's law (the launch article's words the most
common), each with a title, lede, meta description and twelve body blocks; one
block in twenty is a sentence many articles share, one in ten a near copy of
an earlier block. Their finished translations go into the memory through
the write path's own function (articles.models.memory.add), without
rendering each article.

Measured in this process, uncached, median of REPEATS: the memory's
suggestions for every segment of the launch article's Hebrew translation
(the baseline of the ratio is the same with the launch article alone), the
same for a made-up article with identical and alike sources in the memory,
the whole translation workspace page, and the save of one changed Hebrew
paragraph (what keeping the index costs a save).

Run from the project root: .venv/bin/python -m bench.translation_memory [--sizes 1,1000,10000]
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.common import Site

REPEATS = 5
VOCABULARY = 20_000
SYLLABLES_TR = ["ka", "le", "mi", "nu", "ser", "dı", "yo", "rum", "tek", "şi", "lar", "ğı", "ön"]
SYLLABLES_HE = ["כ", "ל", "מ", "נ", "ס", "ד", "י", "ר", "ת", "ש", "ו", "ג", "ב", "ה", "ק", "פ"]


def vocabulary(rng, launch_words):
    """Turkish words, most common first, and a Hebrew word for each."""
    words = list(dict.fromkeys(launch_words))
    while len(words) < VOCABULARY:
        word = "".join(rng.choice(SYLLABLES_TR) for _ in range(rng.randint(2, 5)))
        if word not in words:
            words.append(word)
    hebrew = ["".join(rng.choice(SYLLABLES_HE) for _ in range(rng.randint(2, 7))) for _ in words]
    return words, hebrew


class Corpus:
    def __init__(self, rng, launch_words):
        self.rng = rng
        self.words, self.hebrew = vocabulary(rng, launch_words)
        self.weights = [1 / (rank + 1) for rank in range(len(self.words))]
        self.shared = [self.sentence(12, 30) for _ in range(40)]
        self.earlier = []

    def sentence(self, shortest, longest):
        count = self.rng.randint(shortest, longest)
        picked = self.rng.choices(range(len(self.words)), weights=self.weights, k=count)
        return picked

    def text(self, shortest, longest):
        draw = self.rng.random()
        if draw < 0.05:
            picked = list(self.rng.choice(self.shared))
        elif draw < 0.15 and self.earlier:
            picked = list(self.rng.choice(self.earlier))
            picked[self.rng.randrange(len(picked))] = self.rng.randrange(len(self.words))
        else:
            picked = self.sentence(shortest, longest)
        self.earlier.append(picked)
        if len(self.earlier) > 2_000:
            self.earlier.pop(0)
        turkish = " ".join(self.words[i] for i in picked).capitalize() + "."
        hebrew = " ".join(self.hebrew[i] for i in picked) + "."
        return turkish, hebrew

    def article(self):
        shapes = [(4, 9), (15, 30), (15, 30)] + [
            (3, 8) if n % 4 == 0 else (20, 70) for n in range(12)
        ]
        return [self.text(*shape) for shape in shapes]


def seed(count, corpus):
    """Made-up articles until there are `count`, their translations in the memory."""
    from django.db import transaction

    from articles.models import Article
    from articles.models import memory as stored

    existing = Article.objects.count()
    for first in range(existing, count, 500):
        batch = []
        texts = []
        for number in range(first, min(first + 500, count)):
            pairs = corpus.article()
            texts.append(pairs)
            batch.append(
                Article(
                    title_tr=pairs[0][0],
                    slug_tr=f"made-up-{number}",
                    title_he=pairs[0][1],
                    slug_he=f"made-up-{number}-he",
                    body_tr="\n\n".join(tr for tr, _he in pairs[3:]),
                    body_he="\n\n".join(he for _tr, he in pairs[3:]),
                    lede_tr=pairs[1][0],
                    lede_he=pairs[1][1],
                )
            )
        with transaction.atomic():
            for article, pairs in zip(Article.objects.bulk_create(batch), texts, strict=True):
                stored.add(article, "tr", "he", set(pairs))


def median_ms(work):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    work()
    times = []
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            work()
            times.append(time.perf_counter() - began)
    return statistics.median(times) * 1000, len(queries)


def measure(editor, launch, probe):
    """{what: (median ms, queries)} with the memory as it is now."""
    from articles.models import Article
    from articles.text.segments import article_segments
    from articles.translating import memory
    from articles.writing import editing

    workspace = f"/tr/admin/articles/article/{launch.pk}/translate/he/"
    paragraph = launch.body_he.split("\n\n")[2]
    flips = iter(range(1_000_000))

    def launch_lookup():
        memory.for_segments(launch, article_segments(launch, "he"))

    def probe_lookup():
        if probe is not None:
            memory.for_segments(probe, article_segments(probe, "he"))

    def page():
        assert editor.get(workspace).status_code == 200

    def save():
        article = Article.objects.get(pk=launch.pk)
        article.body_he = article.body_he.replace(paragraph, f"{paragraph} {next(flips)}", 1)
        editing.save(article)

    return {
        "suggestions, launch article (he)": median_ms(launch_lookup),
        "suggestions, a made-up article": median_ms(probe_lookup),
        "workspace page, launch (he)": median_ms(page),
        "save of one changed paragraph": median_ms(save),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,1000,10000")
    sizes = [int(size) for size in parser.parse_args().sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="cxcs-memory-") as directory:
        site = Site(Path(directory))
        site.build()
        os.environ.update(site.env)
        import django

        django.setup()
        from django.contrib.auth import get_user_model
        from django.test import Client

        from articles.models import Article, MemoryStem, MemoryUnit

        editor = Client(HTTP_HOST="127.0.0.1")
        editor.force_login(get_user_model().objects.create_superuser("bench", "", "bench"))
        launch = Article.objects.get()
        words = launch.body_tr.lower().split()
        corpus = Corpus(random.Random(23), words)
        probe = None
        results = {}
        for size in sizes:
            began = time.perf_counter()
            seed(size, corpus)
            seeded = time.perf_counter() - began
            if probe is None and size > 1:
                probe = Article.objects.order_by("-pk").first()
            results[size] = measure(editor, Article.objects.get(pk=launch.pk), probe)
            units, stems = MemoryUnit.objects.count(), MemoryStem.objects.count()
            print(
                f"{size:,} articles: {units:,} units, {stems:,} stems (seeded in {seeded:.0f} s)",
                file=sys.stderr,
            )

    print("cxcs translation memory at scale: in process, uncached, median of", REPEATS)
    print()
    print(
        f"{'look-up':36}"
        + "".join(f"{f'{size:,} articles':>22}" for size in sizes)
        + f"{'largest / one':>15}"
    )
    for name in results[sizes[0]]:
        cells = [
            f"{results[size][name][0]:8.1f} ms {results[size][name][1]:>4} q" for size in sizes
        ]
        first = results[sizes[0]][name][0] or float("nan")
        ratio = results[sizes[-1]][name][0] / first
        print(f"{name:36}" + "".join(f"{cell:>22}" for cell in cells) + f"{ratio:14.2f}×")


if __name__ == "__main__":
    main()
