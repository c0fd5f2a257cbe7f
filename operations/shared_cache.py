"""The cache every server process shares (CACHE_URL), when it is Redis: the site keeps
answering while Redis is away.

Django's Redis backend raises when Redis cannot be reached, and the page
cache asks it on every request, so an outage would answer every page with an
error. This one answers as an empty cache instead (a read finds nothing, a
write is lost), logs the outage once, and tries Redis again every few
seconds; pages are then made from the database. A save during the outage
could not announce its new page generation, so the first request after
Redis answers again starts a new one, dropping every page cached before.
"""

import logging
import time
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError, TimeoutError

from .page_cache import invalidate_pages

logger = logging.getLogger(__name__)

UNREACHABLE = (ConnectionError, TimeoutError)
# How long an outage is assumed to last before Redis is tried again.
RETRY_SECONDS = 2.0


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        options = {"socket_connect_timeout": 1, "socket_timeout": 1, **params.get("OPTIONS", {})}
        super().__init__(server, {**params, "OPTIONS": options})
        self._down_since = None
        self._retry_at = 0.0
        # For the log: the server without its password.
        server = urlsplit(self._servers[0])
        self._shown = f"{server.scheme}://{server.hostname}:{server.port or 6379}{server.path}"

    def _call(self, method, *args, missing=None, **kwargs):
        """`method`'s answer, or `missing` when Redis cannot be reached."""
        if self._down_since is not None and time.monotonic() < self._retry_at:
            return missing
        try:
            answer = method(*args, **kwargs)
        except UNREACHABLE as error:
            if self._down_since is None:
                self._down_since = time.monotonic()
                logger.error(
                    "The shared cache %s cannot be reached (%s); pages are made from the "
                    "database until it answers.",
                    self._shown,
                    error,
                )
            self._retry_at = time.monotonic() + RETRY_SECONDS
            return missing
        if self._down_since is not None:
            down = time.monotonic() - self._down_since
            self._down_since = None
            logger.warning(
                "The shared cache %s answers again after %.0f s; dropping the pages cached "
                "before, as saves meanwhile could not say so.",
                self._shown,
                down,
            )
            invalidate_pages()
            # Asked again: what was read before the new generation may be the old one.
            return self._call(method, *args, missing=missing, **kwargs)
        return answer

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().add, key, value, timeout, version, missing=False)

    def get(self, key, default=None, version=None):
        return self._call(super().get, key, default, version, missing=default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call(super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().touch, key, timeout, version, missing=False)

    def delete(self, key, version=None):
        return self._call(super().delete, key, version, missing=False)

    def get_many(self, keys, version=None):
        return self._call(super().get_many, keys, version, missing={})

    def has_key(self, key, version=None):
        return self._call(super().has_key, key, version, missing=False)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().set_many, data, timeout, version, missing=list(data))

    def delete_many(self, keys, version=None):
        self._call(super().delete_many, keys, version)
