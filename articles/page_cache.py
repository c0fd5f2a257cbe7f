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
        return super().process_request(request)


class UpdatePageCacheMiddleware(UpdateCacheMiddleware):
    key_prefix = GenerationKeyPrefix()


def _new_generation():
    # A fresh number rather than an increment: nothing to race, and a generation
    # evicted from the cache can never come back.
    caches["default"].set(GENERATION_KEY, time.time_ns(), timeout=None)


def invalidate_pages():
    """Stop serving every cached page once the current transaction commits."""
    transaction.on_commit(_new_generation)
