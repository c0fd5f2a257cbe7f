"""Whole public pages served from the cache, dropped when an editor saves.

Django's cache middleware keys pages by URL (so per language) and by the
headers they vary on. Every key also carries a *generation* kept in the same
cache; saving content replaces it, so every page cached before the save is
missed from then on, on every instance sharing the cache, and simply expires.
"""

import time

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.middleware.cache import FetchFromCacheMiddleware, UpdateCacheMiddleware

GENERATION_KEY = "cxcs:page-generation"


class GenerationKeyPrefix:
    """`key_prefix` read afresh from the cache on every use.

    A request rendered from data read just before a save and stored just after
    it can keep an old page for at most CACHE_MIDDLEWARE_SECONDS.
    """

    def __get__(self, middleware, owner=None):
        return f"pages-{middleware.cache.get_or_set(GENERATION_KEY, time.time_ns, timeout=None)}"

    def __set__(self, middleware, value):
        # Django's __init__ assigns the static prefix from settings; ours is computed.
        pass


class FetchFromPageCacheMiddleware(FetchFromCacheMiddleware):
    key_prefix = GenerationKeyPrefix()


class UpdatePageCacheMiddleware(UpdateCacheMiddleware):
    key_prefix = GenerationKeyPrefix()


def _new_generation():
    # A fresh number rather than an increment: nothing to race, and a generation
    # evicted from the cache can never come back.
    caches[settings.CACHE_MIDDLEWARE_ALIAS].set(GENERATION_KEY, time.time_ns(), timeout=None)


def invalidate_pages():
    """Stop serving every cached page once the current transaction commits."""
    transaction.on_commit(_new_generation)
