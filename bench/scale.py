"""Lists and search at scale: the pages that list or search articles with 1, 10,000
and 100,000 of them.

Builds a throwaway production site (bench/common.py) with the launch content,
then, in this process with Django's test client (uncached: the page cache sits
in front of Django and is not asked), measures each page with one article,
then again after copies of the launch article bring the count to 10,000 and
100,000. Copies are written in bulk with the launch article's stored renders
and search text (the search index follows by itself); one in three has an
outdated Hebrew translation and one in five none, so the admin's "missing or
outdated" filter has something to find. Every copy holds the words searched
for, so each search finds (and counts) thousands of articles: the worst case.

For each page and size: median time of REPEATS requests, bytes and SQL queries;
then each search's time against the article page's at each size.

A page of a list shows up to 12 articles and the admin's change list 100: with
100 articles every page is full, so the largest size against 100 says what
grows with the number of articles, and against one what grows with a page's
rows as well.

Run from the project root: .venv/bin/python -m bench.scale [--sizes 1,100,10000,100000]
[--database-url postgres://…/an_empty_database] (SQLite in a temporary file by
default). 100,000 articles take 2.5 to 4 minutes to write and some 4 GB.
"""

import argparse
import itertools
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bench.common import Site

REPEATS = 7
# Articles enough to fill every page measured: a list page's 12, the admin's 100.
FULL_PAGES = 100
ARTICLE = "article /he/…"
# The home page as the first reader after a save finds it: after a save of an
# article's text, what pages read once per generation is read again (the header,
# the newest articles) but the list's count; after a save that changes a list
# (an article published or withdrawn), all of it.
FIRST_AFTER_TEXT_SAVE = "/tr/, first request after a text save"
FIRST_AFTER_LIST_CHANGE = "/tr/, after a list's change"
SEARCH = "/tr/search/?q=m%C3%BC%C5%9Fteri"
# What readers type: a word, an inflected word, a Hebrew word with prefixes, a
# phrase, and a word only in the bodies (its results come after the others').
SEARCHES = {
    "search tr 'müşteri'": SEARCH,
    "search tr 'müşteri', last page": None,  # known once the articles are counted
    "search tr 'deneyimlerimiz'": "/tr/search/?q=deneyimlerimiz",
    "search tr 'sözleşme' (bodies)": "/tr/search/?q=s%C3%B6zle%C5%9Fme",
    "search he 'וללקוחות'": "/he/search/?q=%D7%95%D7%9C%D7%9C%D7%A7%D7%95%D7%97%D7%95%D7%AA",
    'search he "חווית הלקוח"': (
        "/he/search/?q=%22%D7%97%D7%95%D7%95%D7%99%D7%AA+%D7%94%D7%9C%D7%A7%D7%95%D7%97%22"
    ),
}


def pages(last_list_page, last_search_page=1):
    return {
        "list /tr/": "/tr/",
        FIRST_AFTER_TEXT_SAVE: "/tr/",
        FIRST_AFTER_LIST_CHANGE: "/tr/",
        "list, last page": f"/tr/page/{last_list_page}/" if last_list_page > 1 else "/tr/",
        "sitemap.xml": "/sitemap.xml",
        "sitemap file (first)": "/sitemap-articles.xml",
        "feed /tr/feed/": "/tr/feed/",
        **SEARCHES,
        "search tr 'müşteri', last page": f"{SEARCH}&page={last_search_page}",
        ARTICLE: None,  # filled in once the launch article is known
        "admin change list": "/tr/admin/articles/article/",
        "admin, missing or outdated (he)": "/tr/admin/articles/article/?needs_translation=he",
    }


def seed(count, *, untranslated=True):
    """Copies of the launch article until there are `count` articles; with
    `untranslated`, some have no Hebrew or an outdated one."""
    from django.utils import timezone

    from articles import languages
    from articles.languages import localized
    from articles.models import Article
    from operations.page_cache import invalidate_pages

    launch = Article.objects.order_by("pk").first()
    existing = Article.objects.count()
    fields = [field for field in Article._meta.concrete_fields if not field.primary_key]
    values = {field.attname: getattr(launch, field.attname) for field in fields}
    now = timezone.now()
    batch = []
    # Each kind of copy's stored progress per language, as a save would store it
    # (Article.count_segments): made for the first copy of each kind.
    progress = {}
    for number in range(existing, count):
        copy = Article(**values)
        copy.translation_sources = copy_of_sources(launch.translation_sources)
        for code in languages.CODES:
            if title := values[localized("title", code)]:
                setattr(copy, localized("title", code), f"{title} {number}")
                setattr(
                    copy, localized("slug", code), f"{values[localized('slug', code)]}-{number}"
                )
        source_title = getattr(copy, localized("title", copy.source_language))
        for texts in copy.translation_sources.values():
            # Translated from the copy's own title, as its translators would have.
            texts["title"] = source_title
        copy.published_at = now - timedelta(minutes=number)
        kind = "complete"
        if untranslated and number % 5 == 0:
            kind = "missing"
            for name in Article.TRANSLATED_TEXTS + ("slug", "body_html"):
                setattr(copy, localized(name, "he"), None)
            copy.is_published_he = False
            copy.translation_state_he = Article.TranslationStatus.MISSING
            copy.needs_translation_he = True
            copy.translation_sources.pop("he", None)
        elif untranslated and number % 3 == 0:
            kind = "outdated"
            # Translated from an older lede than the source's now.
            copy.translation_sources["he"]["lede"] = "…"
            copy.translation_state_he = Article.TranslationStatus.OUTDATED
            copy.needs_translation_he = True
        if kind not in progress:
            progress[kind] = {code: copy.count_segments(code) for code in languages.CODES}
        for code, (done, total) in progress[kind].items():
            setattr(copy, localized("segments_done", code), done)
            setattr(copy, localized("segments_total", code), total)
        batch.append(copy)
        if len(batch) == 500:
            Article.objects.bulk_create(batch)
            batch = []
    Article.objects.bulk_create(batch)
    # As every bulk writer must: bulk writes send no signal, and what pages
    # read once per generation (a list's count) would stay as it was.
    invalidate_pages()


def copy_of_sources(sources):
    return {code: dict(texts) for code, texts in sources.items()}


def text_save(edits=itertools.count()):  # noqa: B008 (one count for the run)
    """A script's save of a new Hebrew lede of the launch article, committed: it drops
    the pages showing that lede, as any save does."""
    from articles.models import Article

    article = Article.objects.order_by("pk").first()
    lede = article.lede_he.split(" · ")[0]
    article.lede_he = f"{lede} · {next(edits)}"
    article.save()


def measure(client, path, *, before=None):
    """`path`'s median time, bytes and queries, `before()` run before each request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    times = []
    for _ in range(REPEATS):
        if before is not None:
            before()
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            response = client.get(path)
            times.append(time.perf_counter() - began)
    return {
        "ms": statistics.median(times) * 1000,
        "bytes": len(response.content),
        "queries": len(queries),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,100,10000,100000")
    parser.add_argument("--database-url", help="an empty database to use instead of SQLite")
    arguments = parser.parse_args()
    sizes = [int(size) for size in arguments.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="cxcs-scale-") as directory:
        site = Site(Path(directory), database_url=arguments.database_url)
        site.build()
        os.environ.update(site.env)
        import django

        django.setup()
        from django.contrib.auth import get_user_model
        from django.db import connection
        from django.test import Client

        from articles.models import Article
        from articles.models.search_index import SearchResults
        from articles.site import sitewide
        from articles.site.views import ARTICLES_PER_PAGE

        client = Client(HTTP_HOST="127.0.0.1")
        editor = Client(HTTP_HOST="127.0.0.1")
        editor.force_login(get_user_model().objects.create_superuser("bench", "", "bench"))
        article_path = Article.objects.get().get_absolute_url("he")
        results = {}
        for size in sizes:
            began = time.perf_counter()
            seed(size)
            if connection.vendor == "postgresql":
                # As autovacuum does within a minute of a bulk load: without the
                # planner's statistics, PostgreSQL reads a tier of search results
                # through the list index and every article's text.
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            seeded = time.perf_counter() - began
            listed = Article.objects.published().available_in("tr").count()
            found = SearchResults("müşteri", language="tr").count()
            last_pages = (-(-listed // ARTICLES_PER_PAGE), -(-found // ARTICLES_PER_PAGE))
            before = {FIRST_AFTER_TEXT_SAVE: text_save, FIRST_AFTER_LIST_CHANGE: sitewide.forget}
            for name, path in pages(*last_pages).items():
                who = editor if "admin" in name else client
                results[(name, size)] = measure(who, path or article_path, before=before.get(name))
            print(f"{size:,} articles (seeded in {seeded:.0f} s) measured", file=sys.stderr)

    print(
        f"cxcs lists and search at scale on {connection.vendor}: in process, uncached, "
        f"median of {REPEATS} requests"
    )
    print()
    # Against one article, and against the full pages of FULL_PAGES articles when measured.
    bases = [sizes[0], *(size for size in sizes[1:-1] if size == FULL_PAGES)]
    header = f"{'page':34}" + "".join(f"{f'{size:,} articles':>28}" for size in sizes)
    print(header + "".join(f"{f'largest / {base:,}':>17}" for base in bases))
    for name in pages(1):
        cells = []
        for size in sizes:
            result = results[(name, size)]
            cells.append(f"{result['ms']:8.1f} ms {result['bytes']:>9,} B {result['queries']:>2} q")
        ratios = [results[(name, sizes[-1])]["ms"] / results[(name, base)]["ms"] for base in bases]
        print(
            f"{name:34}"
            + "".join(f"{cell:>28}" for cell in cells)
            + "".join(f"{ratio:16.2f}×" for ratio in ratios)
        )
    print()
    print("search / the article page, same size")
    print(f"{'':34}" + "".join(f"{f'{size:,} articles':>28}" for size in sizes))
    for name in SEARCHES:
        ratios = [results[(name, size)]["ms"] / results[(ARTICLE, size)]["ms"] for size in sizes]
        print(f"{name:34}" + "".join(f"{ratio:27.2f}×" for ratio in ratios))


if __name__ == "__main__":
    main()
