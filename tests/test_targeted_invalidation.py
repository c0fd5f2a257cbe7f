"""A save drops only the cached pages it changes, in every process; what changes every
page (the brand, the header's sections) still drops them all.

Requests go through the production application (the page cache around Django).
"""

import dataclasses
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Brand, Topic
from articles.site.views import ARTICLES_PER_PAGE
from operations import page_cache, page_drops

from .conftest import HEBREW_BODY, TURKISH_BODY, created


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` what the block writes, committed as a script's write is."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def saved(committed, edit):
    """`saved(obj, **changes)`: an editor's save, committed."""

    def save(obj, **changes):
        with committed():
            return edit(obj, **changes)

    return save


def published(title, days_ago, **values):
    return created(
        Article,
        is_published_tr=True,
        is_published_he=True,
        title_tr=title,
        body_tr=TURKISH_BODY,
        title_he=f"{title} בעברית",
        body_he=HEBREW_BODY,
        published_at=timezone.now() - timedelta(days=days_ago),
        **values,
    )


@pytest.fixture
def articles(tour_page):
    """Five articles; the oldest, A, is not among the related articles of B, the newest."""
    a = published("Eski Yazı", 10)
    others = [published(f"Yazı {number}", number) for number in (4, 3, 2)]
    b = published("Yeni Yazı", 1)
    return a, b, others


def cached(site, url):
    site.get(url)
    assert site.get(url).is_from_cache, url
    return url


def is_cached(site, url):
    return site.get(url).is_from_cache


def test_saving_article_a_leaves_article_b_cached_and_drops_a_and_the_lists(site, articles, saved):
    a, b, _others = articles
    a_page, b_page = cached(site, a.get_absolute_url("he")), cached(site, b.get_absolute_url("he"))
    home, feed = cached(site, "/he/"), cached(site, "/he/feed/")

    saved(a, title_he="כותרת חדשה")

    assert is_cached(site, b_page)
    assert "כותרת חדשה" in site.get(a_page).text()
    assert "כותרת חדשה" in site.get(home).text()
    assert "כותרת חדשה" in site.get(feed).text()


def test_a_hebrew_only_change_leaves_the_turkish_page_cached(site, articles, saved):
    a, _b, _others = articles
    turkish, hebrew = cached(site, a.get_absolute_url("tr")), cached(site, a.get_absolute_url("he"))

    saved(a, body_he="פסקה חדשה לגמרי.")

    assert is_cached(site, turkish)
    assert "פסקה חדשה לגמרי." in site.get(hebrew).text()


def test_a_body_change_leaves_the_lists_cached(site, articles, saved):
    a, _b, _others = articles
    home = cached(site, "/he/")

    saved(a, body_he="פסקה חדשה לגמרי.")

    assert is_cached(site, home)


def test_a_brand_change_drops_every_page(site, articles, saved):
    a, b, _others = articles
    urls = [cached(site, url) for url in (a.get_absolute_url("tr"), b.get_absolute_url("he"))]
    urls.append(cached(site, "/tr/"))

    saved(Brand.load(), name="Yeni Marka")

    for url in urls:
        assert "Yeni Marka" in site.get(url).text()


def test_an_orm_save_from_a_script_drops_the_pages_it_changes(site, articles, committed):
    a, b, _others = articles
    a_page, b_page = cached(site, a.get_absolute_url("he")), cached(site, b.get_absolute_url("he"))
    home = cached(site, "/he/")

    row = Article.objects.get(pk=a.pk)
    row.title_he = "כותרת מסקריפט"
    with committed():
        row.save()

    assert is_cached(site, b_page)
    assert "כותרת מסקריפט" in site.get(a_page).text()
    assert "כותרת מסקריפט" in site.get(home).text()


def test_another_process_drops_the_same_pages_once_it_reads_the_log(
    site, articles, saved, monkeypatch
):
    a, b, _others = articles
    a_page, b_page = cached(site, a.get_absolute_url("he")), cached(site, b.get_absolute_url("he"))
    # The save is made in another process: this one hears of it only through the
    # shared cache's log.
    monkeypatch.setattr(page_drops, "_drop_here", lambda number, targets: None)
    saved(a, title_he="כותרת מתהליך אחר")
    monkeypatch.undo()

    # Until it reads the shared cache again, this process serves what it has...
    assert "כותרת מתהליך אחר" not in site.get(a_page).text()
    page_cache._known_generation["until"] = 0.0
    # ...then drops what the other process dropped, and nothing else.
    assert "כותרת מתהליך אחר" in site.get(a_page).text()
    assert is_cached(site, b_page)


def test_a_process_that_lost_the_log_drops_every_page(site, articles, saved, monkeypatch):
    a, b, _others = articles
    b_page = cached(site, b.get_absolute_url("he"))
    monkeypatch.setattr(page_drops, "_drop_here", lambda number, targets: None)
    saved(a, title_he="כותרת מתהליך אחר")
    monkeypatch.undo()
    counter = caches["default"].get(page_drops.COUNTER_KEY)
    caches["default"].delete(page_drops.ENTRY_KEY.format(counter))

    page_cache._known_generation["until"] = 0.0
    assert not is_cached(site, b_page)


def test_deleting_an_article_drops_its_pages_and_the_lists(site, articles, committed):
    a, b, _others = articles
    a_page, b_page = cached(site, a.get_absolute_url("he")), cached(site, b.get_absolute_url("he"))
    home = cached(site, "/he/")
    title = a.title_he

    with committed():
        Article.objects.filter(pk=a.pk).delete()

    assert site.get(a_page).status_code == 404
    assert title not in site.get(home).text()
    assert is_cached(site, b_page)


def test_a_new_section_in_the_header_drops_every_page_of_its_language(site, articles, saved):
    a, b, _others = articles
    b_page = cached(site, b.get_absolute_url("he"))
    topic = created(Topic, name_tr="Yeni Bölüm", name_he="מדור חדש")
    cached(site, b_page)

    saved(a, topic=topic)

    assert "מדור חדש" in site.get(b_page).text()


def test_a_page_rendered_before_a_save_is_not_kept_after_it(site, articles, committed):
    a, _b, _others = articles
    url = a.get_absolute_url("he")
    site.get(url)
    # A drop lands while the page is being made again: the page may show the
    # article as it was, and is not kept.
    store = site.application.store
    page = next(iter(store._pages.values()))
    arrived = dataclasses.replace(page, epoch=store.epoch)
    store.drop(page.targets)
    assert not store.put(url, arrived)


def test_the_pages_a_save_drops_are_made_again_at_once(site, articles, saved, settings):
    settings.PAGE_CACHE_REFRESH = "inline"
    site.application.refresher.mode = settings.PAGE_CACHE_REFRESH
    a, b, _others = articles
    a_page, home = cached(site, a.get_absolute_url("he")), cached(site, "/he/")

    saved(a, title_he="כותרת מוכנה")

    for url in (a_page, home):
        response = site.get(url)
        assert response.is_from_cache, url
        assert "כותרת מוכנה" in response.text()


@pytest.mark.django_db(transaction=True)
def test_a_save_outside_any_transaction_drops_its_pages_at_once(site, tour_page):
    a = published("Eski Yazı", 10)
    url = cached(site, a.get_absolute_url("he"))

    row = Article.objects.get(pk=a.pk)
    row.body_he = "גוף בלי טרנזקציה."
    row.save()

    assert "גוף בלי טרנזקציה." in site.get(url).text()


def test_a_text_save_leaves_each_lists_count_as_counted(client, articles, saved):
    a, _b, _others = articles
    client.get("/he/")

    saved(a, body_he="פסקה חדשה לגמרי.")

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/he/").status_code == 200
    assert not [query for query in queries if "COUNT(" in query["sql"].upper()]


def test_an_article_published_after_the_list_was_counted_is_counted(client, articles, saved):
    for number in range(ARTICLES_PER_PAGE - len(articles[2]) - 2):
        published(f"Dolgu {number}", 20 + number)
    draft = created(
        Article,
        title_tr="Taslak",
        body_tr=TURKISH_BODY,
        title_he="טיוטה",
        body_he=HEBREW_BODY,
        is_published_tr=True,
        published_at=timezone.now() - timedelta(days=60),
    )
    assert client.get("/he/page/2/").status_code == 404

    saved(draft, is_published_he=True)

    assert "טיוטה" in client.get("/he/page/2/").content.decode()


def test_a_language_whose_last_article_is_withdrawn_leaves_the_language_links(
    client, articles, saved
):
    assert 'hreflang="he"' in client.get("/tr/").content.decode()

    for article in (articles[0], articles[1], *articles[2]):
        saved(article, is_published_he=False)

    assert 'hreflang="he"' not in client.get("/tr/").content.decode()
