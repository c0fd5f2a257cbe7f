"""A sweep of hostile and broken requests over the public URLs: never a 500, nothing reflected."""

import pytest
from django.core.handlers.wsgi import WSGIHandler

from operations.page_cache import PageCache

from .conftest import WSGIClient

MARKER = "<script>alert(1)</script>"
ENCODED_MARKER = "%3Cscript%3Ealert(1)%3C%2Fscript%3E"

# Beside the public pages (conftest.PUBLIC_PAGES): addresses that redirect or answer machines.
OTHER_PATHS = [
    "/",
    "/tour/",
    "/tr/tour/go/",
    "/healthz",
    "/tr/admin/login/",
    "/sitemap.xml",
    "/robots.txt",
    "/he/feed/",
]

MALFORMED_PATHS = [
    "/tr/articles/%ff/",
    "/tr/articles/%c3%28/",
    "/tr/articles/%e2%82/",
    "/tr/articles/%zz/",
    "/tr/articles/%/",
    "/tr/articles/%00/",
    "/tr/articles/%0d%0aSet-Cookie:x=1/",
    f"/tr/articles/{ENCODED_MARKER}/",
    f"/{ENCODED_MARKER}/",
    "/tr/" + "x" * 10_000,
    "/tr/articles/" + "ş" * 3000 + "/",
    "/xx/",
    "/zh-hans/",
    "/tr-TR/",
    "/TR/",
    "/../../etc/passwd",
    "/tr/articles/..%2f..%2fsettings.py/",
    "/tr//",
    "/tr/tour/%ff",
    "/static/../cxcs/settings.py",
    "/media/../cxcs/settings.py",
    "/media/%2e%2e/cxcs/settings.py",
    "/static/%ff",
    "/media/" + "x" * 300,
    "/media/articles/" + "y" * 300 + ".png",
    "/media/" + "z/" * 3000 + "a.png",
    "/media/a%00b.png",
]

QUERIES = [
    "?utm_source=" + ENCODED_MARKER,
    "?q=" + "a" * 20_000,
    "?%ff=%fe",
    "?a=%",
    "?" + "&".join(f"k{i}=v" for i in range(2000)),
    "?page=-1",
    "?page=999999999999999999999",
    "?next=//[::1",
    "?next=http://[::1/tr/",
    "?variant=" + "9" * 500,
    "?variant=1a:1:%ff",
]

HEADERS = [
    {"HTTP_ACCEPT_LANGUAGE": "xx-YY,;q=abc,*;q=-1"},
    {"HTTP_ACCEPT_LANGUAGE": "a" * 5000},
    {"HTTP_ACCEPT_LANGUAGE": MARKER},
    {"HTTP_COOKIE": "django_language=" + MARKER},
    {"HTTP_COOKIE": "django_language=xx; csrftoken=%ff; sessionid=<>"},
    {"HTTP_IF_MODIFIED_SINCE": "yesterday"},
    {"HTTP_IF_NONE_MATCH": '"' + "x" * 5000},
    {"HTTP_RANGE": "bytes=999999-1"},
    {"HTTP_USER_AGENT": MARKER},
    {"HTTP_REFERER": "javascript:alert(1)"},
    {"HTTP_REFERER": "http://[::1"},
    {"HTTP_REFERER": "http://testserver:99999/tr/?utm_campaign=x"},
    {"HTTP_REFERER": "http://testserver/tr/?" + "utm_campaign=x&" * 2000},
    {"HTTP_REFERER": "http://\udcff/"},
    {"HTTP_X_FORWARDED_FOR": "[::1, 300.1.1.1, " + "x" * 5000},
    {"HTTP_ACCEPT_ENCODING": "gzip;q=abc, br;q=" + "9" * 400},
    {"HTTP_SEC_CH_UA": MARKER * 100},
    {"HTTP_X_FORWARDED_PROTO": "gopher"},
]

METHODS = ["HEAD", "OPTIONS", "PUT", "PATCH", "DELETE", "TRACE", "PROPFIND"]


def assert_handled(response):
    assert response.status_code < 500, response.status_code
    assert MARKER not in response.content.decode(errors="replace")
    assert "Traceback" not in response.content.decode(errors="replace")


@pytest.fixture
def site(client, article, media_root):
    client.raise_request_exception = False
    # Uploads are there, as on any site with an image.
    media_root.mkdir(parents=True, exist_ok=True)
    return client


@pytest.fixture
def paths(public_pages, article):
    """Every public page's address, and the other addresses of the site."""
    read_counts = [f"/{code}/read/{article.pk}/" for code in ("tr", "he")]
    return [url for url, _status in public_pages.values()] + OTHER_PATHS + read_counts


@pytest.mark.parametrize("path", MALFORMED_PATHS)
def test_malformed_path_is_answered_without_error(site, path):
    assert_handled(site.get(path))


@pytest.mark.parametrize("query", QUERIES)
def test_odd_query_string_is_answered_without_error(site, paths, query):
    for path in paths:
        # A page's own query (a search) keeps it; the odd one is added.
        assert_handled(site.get(path + ("&" if "?" in path else "?") + query[1:]))


@pytest.mark.parametrize("headers", HEADERS, ids=lambda h: next(iter(h)))
def test_odd_header_is_answered_without_error(site, paths, headers):
    for path in paths:
        assert_handled(site.get(path, **headers))


@pytest.mark.parametrize("method", METHODS)
def test_odd_method_is_answered_without_error(site, paths, method):
    for path in paths:
        assert_handled(site.generic(method, path))


def test_post_without_a_csrf_token_is_refused_cleanly(site, paths):
    site.enforce_csrf_checks = True
    for path in paths:
        assert_handled(site.post(path, {"x": MARKER}))


def test_body_that_is_not_form_data_is_answered_without_error(site):
    response = site.post("/tr/admin/login/", b"\xff\xfe\x00" * 1000, content_type="text/plain")
    assert_handled(response)


@pytest.mark.parametrize("headers", HEADERS, ids=lambda h: next(iter(h)))
def test_odd_header_through_the_page_cache_is_answered_without_error(paths, headers):
    # As production runs: the page cache in front of Django reads headers too.
    site = WSGIClient(PageCache(WSGIHandler()))
    names = {name.removeprefix("HTTP_").lower(): value for name, value in headers.items()}
    for path in paths:
        for _ in range(2):  # a miss, then what the cache answers
            assert_handled(site.get(path, **names))
