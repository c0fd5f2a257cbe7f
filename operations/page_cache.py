"""Whole public pages served from each server process's memory, before Django.

Which pages are cached is decided in one place: `PAGE_CACHE_VIEWS` in the
settings names the views whose pages caches may keep. `CachePolicyMiddleware`
(cache_policy.py) marks their responses public (browsers revalidate every
time, shared caches and this cache keep them up to `PAGE_CACHE_SECONDS`), and
every other response that does not say otherwise never to be stored by
anyone: health, the tour page and its redirect, search, the admin, errors,
redirects.

`PageCache` wraps Django's WSGI application (cxcs/wsgi.py). A GET or HEAD
without a session and without a query string that could change the page is
looked up by scheme, host and path (the path starts with the page's
language); a page found is sent at once, 304 included, without Django. Any
other request, and every miss, goes to Django untouched; a response marked
public comes back to be compressed once and kept (`page_store.py`).

Every page belongs to a *generation*, kept in the shared "default" cache.
What changes every page (a restore, the brand, a new release's pages)
replaces it (`invalidate_pages`), so every page cached before is missed from
then on in every process and on every machine sharing that cache: at once in
the saving process, within `GENERATION_CHECK_SECONDS` elsewhere. A save of
an article drops only the pages showing what it changed (page_drops.py): each
page is stored with its targets (`on_targets`), and the log of dropped
targets is read with the generation. The pages a process drops are made
again at once, in a thread of its own (`PAGE_CACHE_REFRESH`), so readers
seldom wait for them. A generation also ends by itself at the next change an app
announces (`on_next_change`: the next scheduled publication), so a page
listing articles is fresh from that time on without a save or a background
job. A request takes the generation once, when it arrives: a page rendered
from data read before a save is never stored as current.

The page cache depends on none of the apps: they tell it what it needs
through the hooks below (`on_next_change`, `on_alternatives`, `on_targets`),
registered in their AppConfig.ready().
"""

import dataclasses
import hashlib
import logging
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.http import parse_http_date_safe

from . import cdn, page_drops
from .cache_policy import (  # noqa: F401 (where the settings and the apps find them)
    KEEPS,
    CachePolicyMiddleware,
    CompressionMiddleware,
    cache_directives,
    cache_query,
    chosen_coding,
    has_session,
    is_kept,
    may_store,
)
from .page_refresh import Refresher, request_of
from .page_store import EVERYTHING, Page, PageStore, Version, compressed_bodies, is_compressible

logger = logging.getLogger(__name__)

GENERATION_KEY = "cxcs:page-generation:2"
# How long a process trusts the generation it last read from the shared cache:
# a save made in another process shows within this time, one made in this
# process at once.
GENERATION_CHECK_SECONDS = 1.0
_known_generation = {"value": None, "until": 0.0}

# What the apps tell the page cache, each set by the function below it.
_hooks = {"next_change": None, "alternatives": None, "targets": None}


def on_next_change(function):
    """Have `function()` say when cached pages stop being current without a save:
    an aware datetime, or None while nothing is due. Asked each time a generation
    starts; registering another function replaces it."""
    _hooks["next_change"] = function


def on_alternatives(function):
    """Have `function(body)` give the versions a cached page's `body` (bytes) may be
    sent as, one per response: (weight, bytes) pairs, or None for the page as it is.
    Registering another function replaces it."""
    _hooks["alternatives"] = function


def on_targets(function):
    """Have `function(path, body)` name what a page at `path` (PATH_INFO) whose
    content is `body` (bytes) shows: strings of printable ASCII without commas
    or spaces, which `page_drops.drop_pages` drops. Registering another function
    replaces it."""
    _hooks["targets"] = function


def now():
    return time.time()


@dataclass(frozen=True)
class Generation:
    number: int
    # When its pages stop being current without a save (the next scheduled
    # publication), as a Unix time; None while nothing is scheduled.
    ends_at: float | None = None
    # False while the shared cache cannot be read: no page is then current.
    is_known: bool = True

    def has_ended(self, moment):
        return self.ends_at is not None and moment >= self.ends_at

    def seconds_left(self, moment):
        return None if self.ends_at is None else max(0.0, self.ends_at - moment)


# What a process takes as current while the shared cache cannot be read.
UNKNOWN = Generation(0, is_known=False)


def current_generation():
    """The generation pages are cached under now: the one this process last read,
    read again after GENERATION_CHECK_SECONDS or as soon as it has ended.

    While the shared cache cannot be read, UNKNOWN, tried again (and the error
    logged) once every GENERATION_CHECK_SECONDS: pages are then neither served
    from the page cache nor stored, and the site goes on without it.
    """
    known = _known_generation["value"]
    if known is None or time.monotonic() >= _known_generation["until"] or known.has_ended(now()):
        try:
            known = _read_generation()
        except Exception:
            logger.exception("Page cache off: the page-cache generation could not be read")
            known = UNKNOWN
            _trust(known)
    return known


def _read_generation():
    cache = caches["default"]
    # With it, the log of pages dropped by saves elsewhere: one read of the shared cache.
    found = cache.get_many([GENERATION_KEY, page_drops.COUNTER_KEY])
    page_drops.catch_up(found.get(page_drops.COUNTER_KEY))
    stored = found.get(GENERATION_KEY)
    if not isinstance(stored, tuple):
        # The first process to ask (or the first after the shared cache lost
        # it) starts one; any that raced it take whichever was stored first.
        cache.add(GENERATION_KEY, _astuple(_next_generation()), timeout=None)
        stored = cache.get(GENERATION_KEY)
    generation = Generation(*stored)
    if generation.has_ended(now()):
        return _new_generation()
    _trust(generation)
    return generation


def _next_generation():
    # A fresh number rather than an increment: nothing to race, and a generation
    # evicted from the cache can never come back.
    next_change = _hooks["next_change"]
    when = next_change() if next_change else None
    return Generation(time.time_ns(), when.timestamp() if when else None)


def _astuple(generation):
    return (generation.number, generation.ends_at)


def _trust(generation):
    _known_generation.update(value=generation, until=time.monotonic() + GENERATION_CHECK_SECONDS)


def _new_generation():
    generation = _next_generation()
    caches["default"].set(GENERATION_KEY, _astuple(generation), timeout=None)
    _trust(generation)
    return generation


def invalidate_pages():
    """Stop serving every cached page once the current transaction commits, here and
    in the caching proxies in front of the site (operations/cdn.py).

    The one place pages are dropped: the write path calls it, and so does every
    save or delete of a model the apps say the pages show (`shown_on_pages`).
    Rows written one after another in a transaction (a queryset's delete) drop
    the pages once.
    """
    connection = transaction.get_connection()
    # Django keeps a transaction's callbacks as (savepoints, callback, robust).
    pending = connection.run_on_commit if connection.in_atomic_block else ()
    if pending and pending[-1][1] is _drop_pages:
        return
    transaction.on_commit(_drop_pages)


def _drop_pages():
    _new_generation()
    cdn.purge(seen_within=GENERATION_CHECK_SECONDS)


page_drops.generation.update(
    drop_every_page=_drop_pages, check_seconds=lambda: GENERATION_CHECK_SECONDS
)


def shown_on_pages(*models):
    """Drop every cached page whenever a row of one of `models` is saved or deleted,
    by whatever writes it: the write path, the ORM in a script or the shell,
    loaddata, a data migration (whose models, as of its migrations, have the same
    label). Queryset updates and bulk writes send no signal: their writer calls
    `invalidate_pages()`. A model whose saves change only some pages registers
    its own receivers, which call `page_drops.drop_pages`."""
    _shown.update(model._meta.label_lower for model in models)
    post_save.connect(_written, dispatch_uid="operations.page_cache.saved")
    post_delete.connect(_written, dispatch_uid="operations.page_cache.deleted")


_shown = set()


def _written(sender, **kwargs):
    if sender._meta.label_lower in _shown:
        invalidate_pages()


def not_modified_version(page, environ):
    """The version of `page` the request's validators say the client has (RFC 9110's
    weak comparison), or None when it needs the page."""
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return page.versions[0] if "*" in tags else page.version_tagged(tags)
    if "HTTP_IF_MODIFIED_SINCE" not in environ or page.last_modified is None:
        return None
    if_modified_since = parse_http_date_safe(environ["HTTP_IF_MODIFIED_SINCE"])
    if if_modified_since is not None and page.last_modified <= if_modified_since:
        return page.version()
    return None


class PageCache:
    """WSGI middleware around Django: cached public pages answered before it.

    Bounded by `PAGE_CACHE_MAX_BYTES` and `PAGE_CACHE_MAX_ENTRIES` per process.
    """

    def __init__(self, application):
        self.application = application
        self.store = PageStore(
            max_bytes=settings.PAGE_CACHE_MAX_BYTES, max_entries=settings.PAGE_CACHE_MAX_ENTRIES
        )
        self.proxy_ssl_header = settings.SECURE_PROXY_SSL_HEADER
        self.session_cookie = settings.SESSION_COOKIE_NAME
        self.refresher = Refresher(self.make_again, settings.PAGE_CACHE_REFRESH)
        page_drops.listen(self)

    def drop(self, targets):
        """Drop the pages showing any of `targets` (every page for EVERYTHING), and make
        them again."""
        if targets is EVERYTHING:
            self.store.reset(self.store.generation)
            return
        pages = self.store.drop(targets)
        self.refresher.refresh(page.request for page in pages)

    def make_again(self, environ):
        """Make the page asked by `environ` and keep it, unless a reader did meanwhile."""
        key = self.key(environ)
        generation = self.generation() if key is not None else None
        if generation is None or self.store.get(key, generation.number, now=now()):
            return
        body = self.fetch(key, generation, environ, lambda *args: None)
        if hasattr(body, "close"):
            body.close()

    def __call__(self, environ, start_response):
        if "HTTP_HOST" in environ:
            # Host names know no case: the page's own links (canonical, hreflang)
            # then spell the host as its key does, whoever asked first.
            environ["HTTP_HOST"] = environ["HTTP_HOST"].lower()
        key = self.key(environ)
        generation = self.generation() if key is not None else None
        if generation is None:
            return self.application(environ, start_response)
        moment = now()
        page = self.store.get(key, generation.number, now=moment)
        if page is not None:
            return self.send(page, environ, start_response, age=moment - page.stored_at)
        if environ["REQUEST_METHOD"] != "GET":
            return self.application(environ, start_response)
        return self.fetch(key, generation, environ, start_response)

    def key(self, environ):
        """Scheme, host and path of a request the cache may answer; None for any other."""
        if environ["REQUEST_METHOD"] not in ("GET", "HEAD") or has_session(
            environ, self.session_cookie
        ):
            return None
        if cache_query(environ.get("QUERY_STRING", "")):
            return None
        scheme = self.scheme(environ)
        host = environ.get("HTTP_HOST", "")
        name, _, port = host.rpartition(":")
        if not port.isdigit():
            name, port = host, ""
        # A port other than the server's own is someone's made-up Host header:
        # each would otherwise take an entry of its own and push real pages out.
        if not name or (port and port not in (environ.get("SERVER_PORT"), DEFAULT_PORTS[scheme])):
            return None
        return f"{scheme}://{host}{environ.get('SCRIPT_NAME', '')}{environ.get('PATH_INFO', '/')}"

    def scheme(self, environ):
        # As Django's HttpRequest.scheme decides it, so the key matches the page's links.
        if self.proxy_ssl_header:
            header, secure_value = self.proxy_ssl_header
            value = environ.get(header)
            if value is not None:
                return "https" if value.split(",", 1)[0].strip() == secure_value else "http"
        return "https" if environ.get("wsgi.url_scheme") == "https" else "http"

    def generation(self):
        """The current generation, or None while it is unknown."""
        generation = current_generation()
        if not generation.is_known:
            return None
        if generation.number != self.store.generation:
            self.store.reset(generation.number)
        return generation

    def fetch(self, key, generation, environ, start_response):
        """Ask Django; keep the page if it may be kept, and answer either way."""
        captured = []
        # Before Django reads anything: a drop from now on may concern this page.
        epoch = self.store.epoch
        # Before Django, which writes the path it decoded into the environment.
        request = request_of(environ, *self.proxy_ssl_header[:1] if self.proxy_ssl_header else ())

        def capture(status, headers, exc_info=None):
            captured[:] = [status, headers]

        # Tells Django's side this response is the page cache's to keep and fill in.
        environ[KEEPS] = True
        body = self.application(environ, capture)
        status, headers = captured
        named = {name.lower(): value for name, value in headers}
        if not may_store(int(status[:3]), named):
            start_response(status, self.shared_lifetime_limited(headers, named, generation))
            return body
        try:
            content = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        page = self.page(generation, status, headers, named, content)
        page = self.with_targets(page, targets_of(request, content), epoch, request)
        if page.expires_at > page.stored_at:
            self.store.put(key, page)
        return self.send(page, environ, start_response, age=None)

    def lifetime(self, named, generation, moment):
        """Seconds a page may be kept: what it says, and no longer than its generation."""
        seconds = int(cache_directives(named.get("cache-control", ""))["s-maxage"])
        left = generation.seconds_left(moment)
        return int(min(seconds, left)) if left is not None else seconds

    def shared_lifetime_limited(self, headers, named, generation):
        """`headers` with s-maxage no longer than the generation, for shared caches."""
        directives = cache_directives(named.get("cache-control", ""))
        if not directives.get("s-maxage", "").isdigit() or generation.ends_at is None:
            return headers
        lifetime = self.lifetime(named, generation, now())
        return [
            (name, with_s_maxage(value, lifetime) if name.lower() == "cache-control" else value)
            for name, value in headers
        ]

    def page(self, generation, status, headers, named, content):
        moment = now()
        # None left when its generation ends now: sent, but not kept.
        lifetime = max(0, self.lifetime(named, generation, moment))
        content_type = named.get("content-type", "")
        compressible = is_compressible(content_type, content)
        # What fills in a value per response: the bodies the page may be sent as.
        alternatives = _hooks["alternatives"](content) if _hooks["alternatives"] else None
        if alternatives:
            versions = [
                Version(weight, self.bodies(body, compressible), etag_of(body))
                for weight, body in alternatives
            ]
        else:
            etag = named.get("etag", "").removeprefix("W/") or etag_of(content)
            versions = [Version(1, self.bodies(content, compressible), etag)]
        kept = []
        for name, value in headers:
            lowered = name.lower()
            if lowered in ("content-length", "etag", "vary", "age"):
                continue
            if lowered == "cache-control":
                value = with_s_maxage(value, lifetime)
            kept.append((name, value))
        if compressible:
            kept.append(("Vary", "Accept-Encoding"))
        last_modified = parse_http_date_safe(named.get("last-modified", ""))
        return Page(
            generation=generation.number,
            status=status,
            headers=tuple(kept),
            versions=tuple(versions),
            last_modified=last_modified,
            stored_at=moment,
            expires_at=moment + lifetime,
        )

    def with_targets(self, page, targets, epoch, request):
        """`page`, knowing what it shows and how to make it again (`request`)."""
        return dataclasses.replace(page, targets=targets, epoch=epoch, request=request)

    @staticmethod
    def bodies(content, compressible):
        return compressed_bodies(content) if compressible else {"identity": content}

    def send(self, page, environ, start_response, *, age):
        coding = chosen_coding(environ.get("HTTP_ACCEPT_ENCODING", ""), page.encodings)
        version = not_modified_version(page, environ)
        if version is not None:
            status, headers, body = page.not_modified(version, coding, age=age)
        else:
            status, headers, body = page.response(
                page.version(), coding, age=age, body=environ["REQUEST_METHOD"] != "HEAD"
            )
        start_response(status, headers)
        return [body]


DEFAULT_PORTS = {"http": "80", "https": "443"}


def targets_of(request, content):
    """What the page asked by `request` (page_refresh.request_of), made of `content`,
    shows (the `on_targets` hook)."""
    return targets_at(dict(request).get("PATH_INFO", "/"), content)


def targets_at(path, content):
    """What the page at `path` (PATH_INFO) made of `content` shows (the `on_targets` hook)."""
    function = _hooks["targets"]
    return frozenset(function(path, content)) if function else frozenset()


class ProxyTargetsMiddleware:
    """Names, to the caching proxies of DJANGO_CACHE_PURGE_URLS, what every response
    they may keep (one saying `s-maxage`) shows: its `X-Page-Targets` header, which
    a save's BAN matches (operations/cdn.py). On every response Django makes, kept
    by the page cache or not (a request it does not key, such as one whose Host
    names a proxy's port); the page cache sends the header of the response it
    stored. A streamed response, whose body cannot be read, says "*"."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if cdn.is_used() and "s-maxage" in cache_directives(response.get("Cache-Control", "")):
            if response.streaming:
                response[cdn.TARGETS_HEADER] = cdn.ANY
            else:
                # As the server gave the path: UTF-8 read as Latin-1.
                path = request.path_info.encode().decode("latin-1")
                targets = targets_at(path, response.content)
                response[cdn.TARGETS_HEADER] = cdn.targets_header(targets)
        return response


def etag_of(content):
    return f'"{hashlib.md5(content).hexdigest()}"'


def with_s_maxage(cache_control, seconds):
    return re.sub(r"s-maxage=\d+", f"s-maxage={seconds}", cache_control)
