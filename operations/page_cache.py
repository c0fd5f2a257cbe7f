"""Whole public pages served from the cache, dropped when an editor saves.

Django's cache middleware keeps pages in each server process's memory (the
"pages" cache), keyed by URL (so per language) and by the headers they vary on.
Every key also carries a *generation* kept in the shared "default" cache;
saving content replaces it, so every page cached before the save is missed
from then on, in every process and on every machine sharing that cache, and
simply expires.
"""

import time
from contextvars import ContextVar

from django.core.cache import caches
from django.db import transaction
from django.middleware.cache import FetchFromCacheMiddleware, UpdateCacheMiddleware
from django.utils.cache import patch_cache_control

from . import cdn

GENERATION_KEY = "cxcs:page-generation"
# How long a process trusts the generation it last read from the shared cache:
# a save made in another process shows within this time, one made in this
# process at once.
GENERATION_CHECK_SECONDS = 1.0
_known_generation = {"value": None, "until": 0.0}

# The generation a request was looked up under, read once when it arrives: a
# page rendered from data read before a save is then stored under the old
# generation, never under the new one.
_request_generation = ContextVar("page_generation", default=None)


class GenerationKeyPrefix:
    """`key_prefix` of the cache middleware: the current request's generation."""

    def __get__(self, middleware, owner=None):
        return f"pages-{_request_generation.get()}"

    def __set__(self, middleware, value):
        # Django's __init__ assigns the static prefix from settings; ours is computed.
        pass


class FetchFromPageCacheMiddleware(FetchFromCacheMiddleware):
    key_prefix = GenerationKeyPrefix()

    def process_request(self, request):
        if request.META.get("QUERY_STRING"):
            # Query strings (campaign tags, searches, junk) would each make a
            # cache entry of their own: such requests are answered afresh.
            request._cache_update_cache = False
            return None
        _request_generation.set(current_generation())
        return super().process_request(request)


class UpdatePageCacheMiddleware(UpdateCacheMiddleware):
    key_prefix = GenerationKeyPrefix()

    def __init__(self, get_response):
        super().__init__(get_response)
        # Keep pages this long whatever their header tells browsers (below).
        self.page_timeout = self.cache_timeout

    def process_response(self, request, response):
        cache_control = response.get("Cache-Control", "")
        if (
            self._should_update_cache(request, response)
            and response.status_code == 200
            and "private" not in cache_control
            and "no-store" not in cache_control
        ):
            # Set before the page is stored, so cached copies carry it too:
            # browsers ask again every time (answered 304 while nothing changed),
            # so an editor sees a save at once; shared caches such as a CDN may
            # keep the page as long as our own cache does.
            patch_cache_control(
                response, public=True, max_age=0, must_revalidate=True, s_maxage=self.cache_timeout
            )
        return super().process_response(request, response)


def current_generation():
    now = time.monotonic()
    if now >= _known_generation["until"]:
        generation = caches["default"].get_or_set(GENERATION_KEY, time.time_ns, timeout=None)
        _known_generation.update(value=generation, until=now + GENERATION_CHECK_SECONDS)
    return _known_generation["value"]


def _new_generation():
    # A fresh number rather than an increment: nothing to race, and a generation
    # evicted from the cache can never come back.
    generation = time.time_ns()
    caches["default"].set(GENERATION_KEY, generation, timeout=None)
    _known_generation.update(value=generation, until=time.monotonic() + GENERATION_CHECK_SECONDS)


def invalidate_pages():
    """Stop serving every cached page once the current transaction commits."""
    transaction.on_commit(_new_generation)
    transaction.on_commit(cdn.purge)
