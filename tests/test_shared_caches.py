"""The caches around the site: the shared one (Redis) when it is away, and a CDN told to
drop its pages on each save. tests/test_scale_out.py runs both with the real servers."""

import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from operations import shared_cache
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


def test_a_save_asks_the_cdn_to_drop_its_pages_twice(
    varnish_stand_in, settings, article, edit, monkeypatch, django_capture_on_commit_callbacks
):
    settings.CACHE_PURGE_URLS = [f"http://127.0.0.1:{varnish_stand_in.server_port}/"]
    monkeypatch.setattr("operations.page_cache.GENERATION_CHECK_SECONDS", 0.1)

    with django_capture_on_commit_callbacks(execute=True):
        edit(article, title_he="כותרת חדשה")

    assert varnish_stand_in.banned.wait(5)
    for _wait in range(50):
        if len(varnish_stand_in.bans) == 2:
            break
        threading.Event().wait(0.1)
    assert varnish_stand_in.bans == ["/", "/"]


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
