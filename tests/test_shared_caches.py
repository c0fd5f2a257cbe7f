"""The caches around the site: the shared one (Redis) when it is away, and a CDN told to
drop its pages on each save. tests/test_scale_out.py runs both with the real servers."""

import logging
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.http import StreamingHttpResponse

from articles.text import page_targets
from operations import cdn, shared_cache
from operations.page_cache import ProxyTargetsMiddleware
from operations.shared_cache import ResilientRedisCache


@pytest.fixture
def unreachable_redis(processes):
    """A Redis cache whose server is not there: nothing listens on its port."""
    return ResilientRedisCache(f"redis://:secret@127.0.0.1:{processes.free_port()}/1", {})


def test_an_unreachable_redis_reads_as_an_empty_cache(unreachable_redis):
    unreachable_redis.set("key", "value")

    assert unreachable_redis.get("key") is None
    assert unreachable_redis.get("key", "default") == "default"
    assert unreachable_redis.get_or_set("key", lambda: 7) == 7
    assert unreachable_redis.add("key", "value") is False
    assert unreachable_redis.get_many(["key"]) == {}


def test_an_outage_is_logged_once_without_the_password(unreachable_redis, caplog, monkeypatch):
    monkeypatch.setattr(shared_cache, "RETRY_SECONDS", 0)
    with caplog.at_level(logging.ERROR, logger="operations.shared_cache"):
        for _request in range(3):
            unreachable_redis.get("key")

    [record] = caplog.records
    assert "cannot be reached" in record.getMessage()
    assert "secret" not in record.getMessage()


class BanRecorder(BaseHTTPRequestHandler):
    def do_BAN(self):  # noqa: N802 (the HTTP method's name)
        self.server.bans.append(self.path)
        self.server.targets.append(self.headers.get("X-Ban-Targets"))
        self.server.banned.set()
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def varnish_stand_in():
    server = ThreadingHTTPServer(("127.0.0.1", 0), BanRecorder)
    server.bans, server.targets, server.banned = [], [], threading.Event()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def both_bans(stand_in):
    """The paths of a save's two BANs, once both have come."""
    for _wait in range(50):
        if len(stand_in.bans) == 2:
            break
        threading.Event().wait(0.1)
    return stand_in.bans


def test_a_save_asks_the_cdn_to_drop_its_pages_twice(
    varnish_stand_in, settings, article, edit, monkeypatch, django_capture_on_commit_callbacks
):
    settings.CACHE_PURGE_URLS = [f"http://127.0.0.1:{varnish_stand_in.server_port}/"]
    monkeypatch.setattr("operations.page_cache.GENERATION_CHECK_SECONDS", 0.1)

    with django_capture_on_commit_callbacks(execute=True):
        edit(article, title_he="כותרת חדשה")

    assert both_bans(varnish_stand_in) == ["/", "/"]


def test_an_article_save_asks_the_cdn_to_drop_only_the_pages_showing_it(
    varnish_stand_in, settings, site, article, edit, monkeypatch, django_capture_on_commit_callbacks
):
    settings.CACHE_PURGE_URLS = [f"http://127.0.0.1:{varnish_stand_in.server_port}/"]
    monkeypatch.setattr("operations.page_cache.GENERATION_CHECK_SECONDS", 0.1)
    hebrew = site.get(article.get_absolute_url("he")).headers[cdn.TARGETS_HEADER]
    turkish = site.get(article.get_absolute_url("tr")).headers[cdn.TARGETS_HEADER]

    with django_capture_on_commit_callbacks(execute=True):
        edit(article, body_he="גוף חדש.")

    assert len(both_bans(varnish_stand_in)) == 2
    expression = re.compile(varnish_stand_in.targets[0])
    assert expression.search(hebrew)
    assert not expression.search(turkish)


def test_a_save_naming_too_much_for_one_header_asks_the_cdn_to_drop_every_page(
    varnish_stand_in, settings
):
    settings.CACHE_PURGE_URLS = [f"http://127.0.0.1:{varnish_stand_in.server_port}/"]
    many = {page_targets.article("he", f"מאמר-{number}") for number in range(200)}

    cdn.purge(seen_within=0, targets=many)

    assert len(both_bans(varnish_stand_in)) == 2
    assert varnish_stand_in.targets == [None, None]


def test_a_page_asked_with_a_proxys_port_in_its_host_names_what_it_shows(settings, site, article):
    settings.CACHE_PURGE_URLS = ["http://127.0.0.1:6081/"]
    url = article.get_absolute_url("he")

    # As Varnish asks: with the Host its readers sent, naming its own port.
    page = site.get(url, host="testserver:6081", port="8000")

    assert not page.is_from_cache
    assert "s-maxage=" in page.headers["Cache-Control"]
    assert page.headers[cdn.TARGETS_HEADER] == cdn.targets_header(
        page_targets.of_page(url, page.content)
    )
    assert page_targets.page("he", article.slug_he) in page.headers[cdn.TARGETS_HEADER].split(",")


def test_a_page_from_the_page_cache_names_what_it_shows_as_it_did_when_made(
    settings, site, article
):
    settings.CACHE_PURGE_URLS = ["http://127.0.0.1:6081/"]
    url = article.get_absolute_url("tr")
    made = site.get(url)

    again = site.get(url)

    assert again.is_from_cache
    assert again.headers[cdn.TARGETS_HEADER] == made.headers[cdn.TARGETS_HEADER]
    assert page_targets.page("tr", article.slug_tr) in again.headers[cdn.TARGETS_HEADER].split(",")


def test_a_page_showing_too_much_to_name_is_dropped_by_every_targeted_ban():
    many = {page_targets.article("he", f"מאמר-{number}") for number in range(200)}

    named = cdn.targets_header(many)

    assert named == cdn.ANY
    assert re.search(cdn.ban_expression({page_targets.articles_in("tr")}), named)


def test_a_streamed_response_shared_caches_may_keep_is_dropped_by_every_targeted_ban(settings, rf):
    settings.CACHE_PURGE_URLS = ["http://127.0.0.1:6081/"]
    streamed = StreamingHttpResponse(iter([b"<p>streamed</p>"]))
    streamed["Cache-Control"] = "public, max-age=0, s-maxage=600"

    response = ProxyTargetsMiddleware(lambda request: streamed)(rf.get("/tr/"))

    assert response[cdn.TARGETS_HEADER] == cdn.ANY


def test_pages_name_no_targets_without_a_caching_proxy(settings, site, article):
    settings.CACHE_PURGE_URLS = []

    page = site.get(article.get_absolute_url("he"), host="testserver:6081", port="8000")

    assert cdn.TARGETS_HEADER not in page.headers


def test_a_cdn_that_does_not_answer_is_logged_and_the_save_goes_on(
    settings, article, edit, caplog, processes, monkeypatch, django_capture_on_commit_callbacks
):
    settings.CACHE_PURGE_URLS = [f"http://127.0.0.1:{processes.free_port()}/"]
    monkeypatch.setattr("operations.page_cache.GENERATION_CHECK_SECONDS", 0)

    with caplog.at_level(logging.ERROR, logger="operations.cdn"):
        with django_capture_on_commit_callbacks(execute=True):
            saved = edit(article, title_he="כותרת חדשה")
        for _wait in range(50):
            if len(caplog.records) == 2:
                break
            threading.Event().wait(0.1)

    assert saved.obj.title_he == "כותרת חדשה"
    assert [r.getMessage().startswith("Dropping the pages cached at ") for r in caplog.records] == [
        True,
        True,
    ]
