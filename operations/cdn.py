"""Dropping the pages a CDN or caching proxy keeps, when content is saved.

Public pages say `s-maxage`, so a shared cache in front of the site may keep
them for DJANGO_PAGE_CACHE_SECONDS. DJANGO_CACHE_PURGE_URLS lists caching
proxies that drop every page on a BAN request (Varnish with
deploy/varnish/cxcs.vcl); each save sends them one at once and one more once
every app server has seen the save, as a page fetched in between may come
from a server that still served the page from its own cache.
"""

import logging
import threading
import urllib.request

from django.conf import settings

logger = logging.getLogger(__name__)


def purge(*, seen_within):
    """Ask every caching proxy in CACHE_PURGE_URLS to drop its pages, now and again
    once every app server has seen the save (within `seen_within` seconds)."""
    if not settings.CACHE_PURGE_URLS:
        return
    # In a thread of its own, so that a slow or absent proxy never holds up a save.
    threading.Thread(target=_ban_twice, args=[seen_within + 0.5], daemon=True).start()


def _ban_twice(interval):
    _ban()
    threading.Event().wait(interval)
    _ban()


def _ban():
    for url in settings.CACHE_PURGE_URLS:
        try:
            urllib.request.urlopen(urllib.request.Request(url, method="BAN"), timeout=5).close()
        except OSError as error:
            logger.error("Dropping the pages cached at %s failed: %s", url, error)
