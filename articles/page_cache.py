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

GENERATION_KEY = "cxcs:page-generation"

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
        generation = caches["default"].get_or_set(GENERATION_KEY, time.time_ns, timeout=None)
        _request_generation.set(generation)
        request.is_page_cacheable = True
        return super().process_request(request)


class UpdatePageCacheMiddleware(UpdateCacheMiddleware):
    key_prefix = GenerationKeyPrefix()

    def process_response(self, request, response):
        response = super().process_response(request, response)
        cache_control = response.get("Cache-Control", "")
        if (
            getattr(request, "is_page_cacheable", False)
            and response.status_code == 200
            and "private" not in cache_control
            and "no-store" not in cache_control
        ):
            # Browsers ask again every time (answered 304 while nothing changed),
            # so an editor sees a save at once; shared caches such as a CDN may
            # keep the page as long as our own cache does.
            patch_cache_control(
                response, max_age=0, s_maxage=self.cache_timeout, must_revalidate=True, public=True
            )
            del response["Expires"]
        return response


def _new_generation():
    # A fresh number rather than an increment: nothing to race, and a generation
    # evicted from the cache can never come back.
    caches["default"].set(GENERATION_KEY, time.time_ns(), timeout=None)


def invalidate_pages():
    """Stop serving every cached page once the current transaction commits."""
    transaction.on_commit(_new_generation)
