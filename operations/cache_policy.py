"""What caches may keep of each response, and how it is compressed.

`CachePolicyMiddleware` marks the responses of the views named in
`PAGE_CACHE_VIEWS` public (browsers revalidate every time, shared caches and
the page cache keep them up to `PAGE_CACHE_SECONDS`), and every other one
never to be stored; `CompressionMiddleware` compresses what the page cache
does not keep (operations/page_cache.py).
"""

import re
from functools import lru_cache

from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers

# Query parameters that never change a page: campaign and click identifiers
# added by marketing links, ad networks and mail tools. A request carrying
# only these is answered from the cache like one without them (the tour page,
# which counts them, is never cached). Any other parameter skips the cache.
IGNORED_PARAMETER_PREFIXES = ("utm_",)
IGNORED_PARAMETERS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "gclsrc",
        "msclkid",
        "twclid",
        "ttclid",
        "li_fat_id",
        "igshid",
        "yclid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
    }
)


def cache_query(query_string):
    """`query_string` without the parameters that never change a page ("" if nothing is left)."""
    if not query_string:
        return ""
    kept = []
    for part in query_string.split("&"):
        name = part.partition("=")[0]
        if (
            name
            and name not in IGNORED_PARAMETERS
            and not name.startswith(IGNORED_PARAMETER_PREFIXES)
        ):
            kept.append(part)
    return "&".join(kept)


def has_session(environ, cookie_name):
    """Whether the request carries a session (an editor) or credentials: never cached."""
    cookies = environ.get("HTTP_COOKIE", "")
    return "HTTP_AUTHORIZATION" in environ or (
        cookie_name in cookies
        and re.search(rf"(?:^|;)\s*{re.escape(cookie_name)}=", cookies) is not None
    )


def cache_directives(cache_control):
    directives = {}
    for part in cache_control.split(","):
        name, _, value = part.strip().partition("=")
        if name:
            directives[name.lower()] = value.strip('"')
    return directives


def may_store(status_code, headers):
    """Whether a response with `status_code` and `headers` (a mapping whose get()
    takes lowercase names) is one the page cache keeps: a 200 marked public for
    shared caches, not encoded, varying on nothing but the encoding."""
    if status_code != 200 or headers.get("content-encoding") or headers.get("set-cookie"):
        return False
    directives = cache_directives(headers.get("cache-control", ""))
    if "public" not in directives or {"private", "no-store", "no-cache"} & directives.keys():
        return False
    if not directives.get("s-maxage", "").isdigit():
        return False
    vary = {name.strip().lower() for name in headers.get("vary", "").split(",") if name.strip()}
    return vary <= {"accept-encoding"}


class CachePolicyMiddleware:
    """Says of every response from a view whether caches may keep it.

    Public: a 200 from a view in `PAGE_CACHE_VIEWS`, to a GET or HEAD from a
    visitor without a session, with no query parameter but ignored ones.
    Browsers ask again every time (a 304 while nothing changed), so an editor
    sees a save at once; shared caches may keep it `PAGE_CACHE_SECONDS`.
    Never stored, by anyone: every other response, unless its view said how
    to cache it. Files (static, media) are streamed and left as they are.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.views = frozenset(settings.PAGE_CACHE_VIEWS)

    def __call__(self, request):
        response = self.get_response(request)
        if response.streaming or response.has_header("Cache-Control"):
            return response
        if self.is_public(request, response):
            patch_cache_control(
                response,
                public=True,
                max_age=0,
                must_revalidate=True,
                s_maxage=settings.PAGE_CACHE_SECONDS,
            )
        else:
            add_never_cache_headers(response)
        return response

    def is_public(self, request, response):
        match = request.resolver_match
        return (
            response.status_code == 200
            and request.method in ("GET", "HEAD")
            and match is not None
            and match.view_name in self.views
            and not has_session(request.META, settings.SESSION_COOKIE_NAME)
            and not cache_query(request.META.get("QUERY_STRING", ""))
            and not response.cookies
        )


# Set in a request's WSGI environment when the page cache will keep its response.
KEEPS = "operations.page_cache.keeps"


def is_kept(request, response):
    """Whether the page cache in front of Django keeps `response`: then it is the
    page cache that compresses it and fills in values per response."""
    return (
        request.META.get(KEEPS, False)
        and not response.cookies
        and may_store(response.status_code, response.headers)
    )


class CompressionMiddleware(GZipMiddleware):
    """Django's gzip for the responses the page cache does not keep; the pages it
    keeps it compresses itself, once. Django's own looks for the word "gzip" in
    Accept-Encoding, and so would compress for "gzip;q=0", a refusal."""

    def process_response(self, request, response):
        if is_kept(request, response):
            return response
        if chosen_coding(request.META.get("HTTP_ACCEPT_ENCODING", ""), {"gzip"}) != "gzip":
            patch_vary_headers(response, ("Accept-Encoding",))
            return response
        return super().process_response(request, response)


@lru_cache(maxsize=256)
def coding_qualities(accept_encoding):
    """{coding: accepted?} as an Accept-Encoding header says, "*" included: a coding
    is refused with a quality of 0 (RFC 9110, 12.5.3)."""
    qualities = {}
    for part in accept_encoding.lower().split(","):
        coding, *parameters = (piece.strip() for piece in part.split(";"))
        if not coding:
            continue
        quality = next((p[2:].strip() for p in parameters if p.startswith("q=")), "1")
        try:
            qualities[coding] = float(quality) > 0
        except ValueError:
            qualities[coding] = False
    return qualities


def chosen_coding(accept_encoding, available):
    qualities = coding_qualities(accept_encoding)
    for coding in ("br", "gzip"):
        if coding in available and qualities.get(coding, qualities.get("*", False)):
            return coding
    return "identity"
