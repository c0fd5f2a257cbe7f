"""Public pages come from the page cache in front of Django until an editor saves;
nothing else is ever cached, by us or by shared caches.

Requests go through the WSGI application production runs (cxcs/wsgi.py): the
page cache wrapped around Django's handler. Django's test client would skip it.
"""

import gzip
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import caches
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.db.migrations.loader import MigrationLoader
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from articles.text.rendering import place_figure
from operations import page_cache, page_drops, page_store
from operations.page_cache import GENERATION_KEY, PageCache, invalidate_pages


@pytest.fixture
def saved(django_capture_on_commit_callbacks, edit):
    """`saved(obj, **changes)`: an editor's save, committed."""

    def save(obj, **changes):
        with django_capture_on_commit_callbacks(execute=True):
            return edit(obj, **changes)

    return save


def other_process_saves():
    """What a save in another server process leaves here: a new generation in the
    shared cache, and this process still trusting the one it read."""
    number, ends_at = caches["default"].get(GENERATION_KEY)
    caches["default"].set(GENERATION_KEY, (number + 1, ends_at), timeout=None)


def test_the_production_application_is_the_page_cache_around_django():
    from cxcs.wsgi import application

    assert isinstance(application, PageCache)
    assert isinstance(application.application, WSGIHandler)


def test_article_page_is_served_from_the_cache_without_queries(site, article):
    url = article.get_absolute_url("he")
    site.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = site.get(url)
    assert response.status_code == 200
    assert response.is_from_cache
    assert len(queries) == 0


def test_cached_page_is_the_page_django_renders(site, article):
    url = article.get_absolute_url("he")
    first = site.get(url)
    assert site.get(url).content == first.content
    assert article.title_he in first.text()


def test_rendering_an_article_page_makes_at_most_two_queries(
    client, article, django_assert_max_num_queries
):
    url = article.get_absolute_url("he")
    # The first render after a save also reads, once per process, what holds
    # until the next save (the page-cache generation, running experiments, the
    # brand, the tour page, the languages with articles).
    client.get(url)
    with django_assert_max_num_queries(2):
        assert client.get(url).status_code == 200


def test_saving_an_article_drops_the_cached_pages(site, article, saved):
    url = article.get_absolute_url("he")
    site.get(url)
    saved(article, title_he="כותרת מעודכנת")
    assert "כותרת מעודכנת" in site.get(url).text()


def test_saving_the_tour_page_drops_the_cached_articles(site, article, tour_page, saved):
    url = article.get_absolute_url("tr")
    site.get(url)
    saved(tour_page, button_label_tr="Hemen deneyin")
    assert "Hemen deneyin" in site.get(url).text()


def test_saving_through_the_admin_updates_the_list_at_once(
    admin_client, site, article, django_capture_on_commit_callbacks, change_form
):
    site.get("/he/")
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            f"/tr/admin/articles/article/{article.pk}/change/",
            change_form(article, title_he="שם חדש"),
        )
    assert "שם חדש" in site.get("/he/").text()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` what the block writes, committed as a script's write is."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def cached(site, url):
    site.get(url)
    response = site.get(url)
    assert response.is_from_cache
    return response


def test_an_article_deleted_with_the_orm_is_gone_from_the_cached_pages(site, article, committed):
    url = article.get_absolute_url("he")
    cached(site, url)
    cached(site, "/he/")
    with committed():
        Article.objects.filter(pk=article.pk).delete()
    assert site.get(url).status_code == 404
    assert article.title_he not in site.get("/he/").text()


def test_an_article_created_with_the_orm_is_in_the_cached_list(site, article, committed):
    cached(site, "/tr/")
    with committed():
        Article.objects.create(
            title_tr="Betikten Gelen", body_tr="Bir betik yazdı.", is_published_tr=True
        )
    assert "Betikten Gelen" in site.get("/tr/").text()


def test_an_author_renamed_with_the_orm_is_renamed_on_the_cached_pages(
    site, article, author, committed, edit
):
    edit(article, author=author)
    url = article.get_absolute_url("tr")
    cached(site, url)
    author.name_tr = "Ayşe Kaya"
    with committed():
        author.save()
    assert "Ayşe Kaya" in site.get(url).text()


def test_content_loaded_with_loaddata_is_on_the_cached_pages(site, article, committed, tmp_path):
    url = article.get_absolute_url("he")
    cached(site, url)
    fixture = tmp_path / "articles.json"
    call_command("dumpdata", "articles.article", output=str(fixture))
    fixture.write_text(fixture.read_text().replace("דרך האור", "דרך הטעינה"))
    with committed():
        call_command("loaddata", str(fixture), verbosity=0)
    assert "דרך הטעינה" in site.get(url).text()


def test_a_data_migration_saving_a_historical_model_drops_the_cached_pages(
    site, article, committed
):
    url = article.get_absolute_url("he")
    cached(site, url)
    # What a data migration's RunPython gets: the model as of the migrations.
    historical = MigrationLoader(connection).project_state().apps.get_model("articles", "Article")
    with committed():
        row = historical.objects.get(pk=article.pk)
        row.title_he = "דרך ההגירה"
        row.save()
    assert "דרך ההגירה" in site.get(url).text()


def test_one_transaction_writing_many_rows_drops_the_pages_once(article, committed, draft):
    with committed() as callbacks:
        Article.objects.all().delete()
    assert sum(isinstance(callback, page_drops._Drop) for callback in callbacks) == 1


def test_a_save_in_another_process_is_seen_once_the_generation_is_read_again(site, article):
    url = article.get_absolute_url("tr")
    site.get(url)
    other_process_saves()
    # This process trusts the generation it read for GENERATION_CHECK_SECONDS...
    assert site.get(url).is_from_cache
    page_cache._known_generation["until"] = 0.0
    # ...and then reads the other process's.
    assert not site.get(url).is_from_cache


def test_a_page_rendered_before_a_save_is_not_kept_after_it(
    site, article, django_capture_on_commit_callbacks
):
    url = article.get_absolute_url("he")
    old_title = article.title_he

    def save_while_rendering(*args, **kwargs):
        # The editor's save lands while this request is being rendered.
        with django_capture_on_commit_callbacks(execute=True):
            Article.objects.filter(pk=article.pk).update(title_he="אחרי השמירה")
            invalidate_pages()
        return place_figure(*args, **kwargs)

    with mock.patch(
        "articles.templatetags.article_page.place_figure", side_effect=save_while_rendering
    ):
        assert old_title in site.get(url).text()
    assert "אחרי השמירה" in site.get(url).text()


def test_turkish_and_hebrew_requests_interleaved_are_all_hits_after_the_first(site, article):
    urls = [article.get_absolute_url("tr"), article.get_absolute_url("he")]
    first = {url: site.get(url) for url in urls}
    repeats = [site.get(url) for _ in range(5) for url in urls]
    assert all(response.is_from_cache for response in repeats)
    assert [r.content for r in repeats[:2]] == [first[url].content for url in urls]


def test_each_language_gets_its_own_page(site, article):
    site.get(article.get_absolute_url("tr"))
    html = site.get(article.get_absolute_url("he")).text()
    # The page's own element: the language switcher names every language anyway.
    assert '<html lang="he" dir="rtl">' in html
    assert article.title_tr not in html


def test_the_hebrew_home_page_is_not_the_cached_turkish_one(site, article):
    assert '<html lang="tr" dir="ltr">' in site.get("/tr/").text()
    response = site.get("/he/")
    assert '<html lang="he" dir="rtl">' in response.text()
    assert article.title_he in response.text()
    assert site.get("/tr/").is_from_cache
    assert '<html lang="tr" dir="ltr">' in site.get("/tr/").text()


@pytest.mark.parametrize(
    "query", ["utm_source=newsletter&utm_campaign=spring", "fbclid=IwAR0abc", "gclid=Cj0KCQ"]
)
def test_campaign_parameters_are_answered_from_the_cache(site, article, query):
    url = article.get_absolute_url("tr")
    site.get(url)
    response = site.get(f"{url}?{query}")
    assert response.is_from_cache


def test_a_campaign_link_fills_the_cache_for_everyone(site, article):
    url = article.get_absolute_url("tr")
    site.get(f"{url}?utm_source=newsletter")
    assert site.get(url).is_from_cache


def test_other_query_parameters_are_rendered_afresh(site, article):
    url = article.get_absolute_url("tr") + "?ref=somewhere"
    site.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = site.get(url)
    assert response.status_code == 200
    assert not response.is_from_cache
    assert len(queries) > 0


def test_a_host_with_a_made_up_port_adds_no_cache_entry(site, article):
    url = article.get_absolute_url("tr")
    site.get(url)
    for port in range(9000, 9020):
        assert site.get(url, host=f"testserver:{port}").status_code == 200
    assert len(site.application.store) == 1


def test_the_servers_own_port_is_cached(site, article):
    url = article.get_absolute_url("tr")
    site.get(url, host="testserver:8000", port="8000")
    assert site.get(url, host="testserver:8000", port="8000").is_from_cache


def test_a_visitor_with_a_session_is_never_answered_from_the_cache(site, article):
    url = article.get_absolute_url("tr")
    site.get(url)
    assert not site.get(url, cookie="sessionid=abc").is_from_cache


def test_a_preview_is_never_stored(site, admin_client, article):
    Article.objects.filter(pk=article.pk).update(is_published_he=False)
    session = admin_client.cookies["sessionid"].value
    url = article.get_absolute_url("he")
    assert site.get(url, cookie=f"sessionid={session}").status_code == 200
    assert site.get(url).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/healthz",
        "/tr/tour/",
        "/tr/tour/go/",
        "/tr/search/",
        "/tr/search/?q=ışık",
        "/tr/admin/login/",
        "/tr/nowhere/",
    ],
)
def test_non_content_endpoints_are_never_cached_by_anyone(site, article, path):
    site.get(path)
    response = site.get(path)
    assert not response.is_from_cache
    assert "no-store" in response.headers["Cache-Control"]
    assert "private" in response.headers["Cache-Control"]


def test_health_reports_a_broken_database_at_once(site, db):
    assert site.get("/healthz").status_code == 200
    with mock.patch.object(connection, "cursor", side_effect=DatabaseError("gone")):
        assert site.get("/healthz").status_code == 503


@pytest.mark.parametrize("path", ["/tr/", "/he/", "/tr/feed/"])
def test_lists_and_feeds_are_cached(site, article, path):
    site.get(path)
    assert site.get(path).is_from_cache


def test_shared_caches_may_keep_pages_as_long_as_the_page_cache(site, article, settings):
    response = site.get(article.get_absolute_url("tr"))
    assert f"s-maxage={settings.PAGE_CACHE_SECONDS}" in response.headers["Cache-Control"]
    assert "public" in response.headers["Cache-Control"]


@pytest.mark.parametrize("visit", ["first", "cached"])
def test_browsers_ask_again_each_time_so_an_editor_sees_a_save(site, article, visit):
    url = article.get_absolute_url("tr")
    if visit == "cached":
        site.get(url)
    response = site.get(url)
    assert "max-age=0" in response.headers["Cache-Control"]
    assert "must-revalidate" in response.headers["Cache-Control"]


def test_conditional_get_with_the_etag_is_answered_304_from_the_cache(site, article):
    url = article.get_absolute_url("tr")
    etag = site.get(url).headers["ETag"]
    with CaptureQueriesContext(connection) as queries:
        response = site.get(url, if_none_match=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert len(queries) == 0


def test_conditional_get_with_last_modified_is_answered_304_from_the_cache(site, article):
    url = article.get_absolute_url("tr")
    last_modified = site.get(url).headers["Last-Modified"]
    assert site.get(url, if_modified_since=last_modified).status_code == 304


def test_a_stale_etag_gets_the_page(site, article):
    url = article.get_absolute_url("tr")
    site.get(url)
    assert site.get(url, if_none_match='"old"').status_code == 200


def test_an_etag_from_before_a_save_gets_the_new_page(site, article, saved):
    url = article.get_absolute_url("tr")
    etag = site.get(url).headers["ETag"]
    saved(article, title_tr="Yeni Başlık")
    response = site.get(url, if_none_match=etag)
    assert response.status_code == 200
    assert "Yeni Başlık" in response.text()


def test_django_answers_304_to_a_conditional_get_too(client, article):
    url = article.get_absolute_url("tr")
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_head_request_is_answered_from_the_cache_without_a_body(site, article):
    url = article.get_absolute_url("tr")
    length = len(site.get(url).content)
    response = site.get(url, method="HEAD")
    assert response.is_from_cache
    assert response.content == b""
    assert response.headers["Content-Length"] == str(length)


def test_cached_pages_are_sent_gzip_compressed_to_browsers_that_accept_it(site, article):
    url = article.get_absolute_url("he")
    plain = site.get(url).content
    response = site.get(url, accept_encoding="gzip, deflate, br")
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content) == plain
    assert len(response.content) < len(plain) / 2


@pytest.mark.parametrize(
    "accept_encoding", ["", "identity", "gzip;q=0", "gzip; Q=0.0, *", "br;q=0, gzip;q=0, *;q=1"]
)
def test_cached_pages_are_sent_plain_to_clients_that_do_not_accept_gzip(
    site, article, accept_encoding
):
    url = article.get_absolute_url("he")
    site.get(url, accept_encoding="gzip")
    response = site.get(url, accept_encoding=accept_encoding)
    assert response.headers["Content-Encoding"] is None
    assert response.content.startswith(b"<!DOCTYPE html>")


def test_compressed_and_plain_pages_say_they_vary_on_the_encoding(site, article):
    url = article.get_absolute_url("he")
    for accept_encoding in ("gzip", ""):
        assert site.get(url, accept_encoding=accept_encoding).headers["Vary"] == "Accept-Encoding"


def test_a_page_is_compressed_once_not_per_request(site, article):
    url = article.get_absolute_url("he")
    with mock.patch("operations.page_store.gzip.compress", wraps=gzip.compress) as compress:
        for _ in range(3):
            site.get(url, accept_encoding="gzip")
    assert compress.call_count == 1


def test_pages_the_cache_does_not_keep_are_compressed_by_django(site, article):
    response = site.get("/tr/search/?q=ışık", accept_encoding="gzip")
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]


@pytest.mark.parametrize("accept_encoding", ["gzip;q=0", "gzip; q=0.000", "gzip;q=0, *"])
def test_pages_django_sends_are_plain_to_clients_that_refuse_gzip(site, article, accept_encoding):
    response = site.get("/tr/search/?q=ışık", accept_encoding=accept_encoding)
    assert response.headers["Content-Encoding"] is None
    assert response.content.startswith(b"<!DOCTYPE html>")
    assert "Accept-Encoding" in response.headers["Vary"]


def test_the_page_links_to_the_host_as_the_cache_keys_it(site, article):
    url = article.get_absolute_url("he")
    first = site.get(url, host="TestServer").text()
    assert f'<link rel="canonical" href="http://testserver{url}">' in first
    assert "TestServer" not in first
    response = site.get(url, host="testserver")
    assert response.is_from_cache
    assert "TestServer" not in response.text()


@pytest.mark.parametrize("path", ["/robots.txt", "/sitemap.xml"])
def test_robots_txt_and_the_sitemap_are_served_from_the_cache(site, article, path):
    first = site.get(path, accept_language="he")
    response = site.get(path, accept_language="tr")
    assert response.status_code == 200
    assert response.is_from_cache
    assert response.content == first.content
    assert "Accept-Language" not in (response.headers["Vary"] or "")


@pytest.fixture
def clock():
    """`clock.move(seconds)`: the time as the site sees it, moved on."""

    class Clock:
        offset = 0.0

        def move(self, seconds):
            self.offset += seconds

    clock = Clock()
    real_time, real_now = time.time, timezone.now
    with (
        mock.patch("operations.page_cache.now", lambda: real_time() + clock.offset),
        mock.patch(
            "django.utils.timezone.now", lambda: real_now() + timedelta(seconds=clock.offset)
        ),
    ):
        yield clock


@pytest.fixture
def scheduled(article, saved):
    """An article in Turkish due to appear in 90 seconds."""
    return saved(
        Article(
            title_tr="Yarın Çıkacak Yazı",
            body_tr="Metin.",
            is_published_tr=True,
            published_at=timezone.now() + timedelta(seconds=90),
        )
    ).obj


def test_a_scheduled_article_appears_in_the_cached_list_at_its_time(site, scheduled, clock):
    assert scheduled.title_tr not in site.get("/tr/").text()
    assert site.get("/tr/").is_from_cache
    clock.move(91)
    assert scheduled.title_tr in site.get("/tr/").text()


def test_a_scheduled_article_appears_in_the_cached_feed_at_its_time(site, scheduled, clock):
    site.get("/tr/feed/")
    clock.move(91)
    assert scheduled.title_tr in site.get("/tr/feed/").text()


def test_shared_caches_keep_pages_no_longer_than_the_next_publication(site, scheduled):
    cache_control = site.get("/tr/").headers["Cache-Control"]
    seconds = int(page_cache.cache_directives(cache_control)["s-maxage"])
    assert 0 < seconds <= 90


def test_without_the_apps_hooks_pages_are_kept_their_full_time(
    page_cache_hooks, site, scheduled, settings
):
    response = site.get("/tr/")
    seconds = int(page_cache.cache_directives(response.headers["Cache-Control"])["s-maxage"])
    assert seconds == settings.PAGE_CACHE_SECONDS
    assert site.get("/tr/").is_from_cache


def test_a_registered_next_change_ends_the_cached_pages_at_its_time(
    page_cache_hooks, site, article, clock
):
    page_cache.on_next_change(lambda: timezone.now() + timedelta(seconds=30))
    url = article.get_absolute_url("tr")
    site.get(url)
    assert site.get(url).is_from_cache
    clock.move(31)
    assert not site.get(url).is_from_cache


def test_an_unreadable_shared_cache_serves_pages_uncached(site, article):
    url = article.get_absolute_url("tr")
    page_cache._known_generation.update(value=None, until=0.0)
    with mock.patch.object(caches["default"], "get", side_effect=ConnectionError("down")):
        assert site.get(url).status_code == 200
        assert not site.get(url).is_from_cache


def test_bad_input_is_passed_to_django(site, db):
    assert site.get("/tr/articles/%FF%FE/").status_code == 404


def page(size, generation=1):
    return page_store.Page(
        generation=generation,
        status="200 OK",
        headers=(),
        versions=(page_store.Version(1, {"identity": b"x" * size}, '"e"'),),
        last_modified=None,
        stored_at=0.0,
        expires_at=10.0**12,
    )


def test_the_store_keeps_no_more_bytes_than_its_bound():
    store = page_store.PageStore(max_bytes=100_000, max_entries=1_000)
    store.reset(1)
    for number in range(200):
        store.put(f"/tr/{number}/", page(10_000))
    assert store.bytes <= 100_000
    assert len(store) == 100_000 // page(10_000).size


def test_the_store_keeps_no_more_entries_than_its_bound():
    store = page_store.PageStore(max_bytes=10**9, max_entries=50)
    store.reset(1)
    for number in range(20_000):
        store.put(f"/tr/{number}/", page(10))
    assert len(store) == 50


def test_the_store_drops_the_least_recently_used_page_first():
    store = page_store.PageStore(max_bytes=10**9, max_entries=2)
    store.reset(1)
    store.put("/a/", page(10))
    store.put("/b/", page(10))
    store.get("/a/", 1, now=0.0)
    store.put("/c/", page(10))
    assert store.get("/a/", 1, now=0.0) is not None
    assert store.get("/b/", 1, now=0.0) is None


def test_the_store_refuses_a_page_of_an_ended_generation():
    store = page_store.PageStore(max_bytes=10**9, max_entries=10)
    store.reset(2)
    assert not store.put("/a/", page(10, generation=1))


def test_the_site_keeps_no_more_pages_than_configured(site, article, settings):
    site.application.store.max_entries = 1
    site.get(article.get_absolute_url("tr"))
    site.get(article.get_absolute_url("he"))
    assert len(site.application.store) == 1
