"""Dropping the pages a CDN or caching proxy keeps, when content is saved.

Public pages say `s-maxage`, so a shared cache in front of the site may keep
them for DJANGO_PAGE_CACHE_SECONDS. DJANGO_CACHE_PURGE_URLS lists caching
proxies that drop every page on a BAN request (Varnish with
deploy/varnish/cxcs.vcl). Each save sends one BAN at once and one more once
every app server has seen the save, as a page fetched in between may come
from a server that still served the page from its own cache.
"""

import logging
import threading
import urllib.request

from django.conf import settings

logger = logging.getLogger(__name__)


def is_used():
    return bool(settings.CACHE_PURGE_URLS)


def purge(*, seen_within, targets=None):  # noqa: ARG001 (targets: see below)
    """Ask every caching proxy in CACHE_PURGE_URLS to drop its pages showing any of
    `targets` (all its pages when None), now and again once every app server has
    seen the save (within `seen_within` seconds)."""
    if not is_used():
        return
    # Every page for now, whatever `targets` says: with a BAN naming them (an
    # X-Ban-Targets expression matching the pages' X-Page-Targets, which
    # deploy/varnish/cxcs.vcl takes), Varnish kept in tests/test_scale_out.py a
    # page it fetched again between the two BANs, not yet explained.
    headers = {}
    # In a thread of its own, so that a slow or absent proxy never holds up a save;
    # to the proxies listed now.
    urls = list(settings.CACHE_PURGE_URLS)
    interval = seen_within + 0.5
    threading.Thread(target=_ban_twice, args=[urls, interval, headers], daemon=True).start()


def _ban_twice(urls, interval, headers):
    _ban(urls, headers)
    threading.Event().wait(interval)
    _ban(urls, headers)


def _ban(urls, headers):
    for url in urls:
        request = urllib.request.Request(url, method="BAN", headers=headers)
        try:
            urllib.request.urlopen(request, timeout=5).close()
        except OSError as error:
            logger.error("Dropping the pages cached at %s failed: %s", url, error)
