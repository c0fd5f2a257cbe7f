"""Dropping the pages a CDN or caching proxy keeps, when content is saved.

Public pages say `s-maxage`, so a shared cache in front of the site may keep
them for DJANGO_PAGE_CACHE_SECONDS. DJANGO_CACHE_PURGE_URLS lists caching
proxies that drop pages on a BAN request (Varnish with
deploy/varnish/cxcs.vcl): with `X-Ban-Targets`, a regular expression of the
targets a save changed, the pages whose `X-Page-Targets` header names one of
them (or "*": a page showing too many to name); without it, every page.
Every response a shared cache may keep names its targets
(page_cache.ProxyTargetsMiddleware).
Each save sends one BAN at once and one more once every app server has seen
the save, as a page fetched in between may come from a server that still
served the page from its own cache.
"""

import logging
import re
import threading
import urllib.request

from django.conf import settings

logger = logging.getLogger(__name__)

# The header naming a page's targets for caching proxies, and the one naming
# those a BAN drops.
TARGETS_HEADER = "X-Page-Targets"
BAN_HEADER = "X-Ban-Targets"
# A page whose targets take more characters than this to name (a Hebrew slug
# takes about 200) says "*", dropped by every targeted BAN: Varnish refuses a
# response with a header line over 8 KB (http_resp_hdr_len).
MOST_CHARACTERS_NAMED = 4000
ANY = "*"
# A BAN whose expression would be longer says none (and drops every page): Varnish
# refuses a request with a header line over 8 KB (http_req_hdr_len).
MOST_CHARACTERS_BANNED = 6000


def is_used():
    return bool(settings.CACHE_PURGE_URLS)


def targets_header(targets):
    """The `X-Page-Targets` value of a page showing `targets`."""
    named = ",".join(sorted(targets))
    return named if len(named) <= MOST_CHARACTERS_NAMED else ANY


def ban_expression(targets):
    """A regular expression matching the `X-Page-Targets` of a page showing any of `targets`."""
    names = "|".join(re.escape(target) for target in sorted({ANY, *targets}))
    return f"(^|,)({names})(,|$)"


def purge(*, seen_within, targets=None):
    """Ask every caching proxy in CACHE_PURGE_URLS to drop its pages showing any of
    `targets` (all its pages when None), now and again once every app server has
    seen the save (within `seen_within` seconds)."""
    if not is_used():
        return
    expression = "" if targets is None else ban_expression(targets)
    # Without it (no targets, or too many for one header), every page.
    headers = {BAN_HEADER: expression} if 0 < len(expression) <= MOST_CHARACTERS_BANNED else {}
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
