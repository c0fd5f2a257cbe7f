"""Cached pages in one server process's memory: bounded in bytes and in entries.

A `Page` is a response ready to send, in each encoding it was compressed to
once, when it was stored. `PageStore` keeps pages by key, drops the least
recently used first when either bound is reached, and forgets them all when
the page-cache generation moves on (see page_cache.py).
"""

import gzip
import random
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

# What Python itself spends on one stored page beyond the bytes counted (the
# objects, dicts and strings holding them), as bench/memory.py measures it
# with tracemalloc: counted into each page's size so the byte bound holds for
# the process's memory, not only for the page bytes.
OVERHEAD_PER_PAGE = 2_600

# Worth compressing: text of every kind a page can be.
COMPRESSIBLE_TYPES = ("text/", "application/xml", "application/json", "application/atom+xml")
# Shorter than this, compression saves nothing worth a header.
MIN_COMPRESSED_LENGTH = 200


def is_compressible(content_type, body):
    return len(body) >= MIN_COMPRESSED_LENGTH and content_type.startswith(COMPRESSIBLE_TYPES)


def compressed_bodies(body):
    """`body` in each content coding it is sent in, compressed once (identity included)."""
    return {"identity": body, "gzip": gzip.compress(body, compresslevel=9, mtime=0)}


@dataclass(frozen=True, slots=True)
class Version:
    """One body a cached page may be sent with, in each encoding, with its weight
    (its share of the responses) and strong validator (quoted)."""

    weight: int
    bodies: dict
    etag: str


@dataclass(frozen=True, slots=True)
class Page:
    """One cached response: its status, headers without those that depend on the
    body sent, its versions, its validators and lifetime.

    A page has one version, or several when the application fills in a value
    per response (a call-to-action variant): each version was compressed
    once, and each response gets one, drawn by weight.
    """

    generation: int
    status: str
    headers: tuple
    versions: tuple
    last_modified: float | None
    stored_at: float
    expires_at: float
    size: int = field(init=False)

    def __post_init__(self):
        counted = sum(len(body) for version in self.versions for body in version.bodies.values())
        counted += sum(len(name) + len(value) for name, value in self.headers)
        object.__setattr__(self, "size", counted + OVERHEAD_PER_PAGE)

    @property
    def encodings(self):
        return self.versions[0].bodies.keys()

    def version(self, rng=random):
        """The version a response gets."""
        if len(self.versions) == 1:
            return self.versions[0]
        return rng.choices(self.versions, weights=[version.weight for version in self.versions])[0]

    def version_tagged(self, etags):
        """The version whose validator is among `etags` (unquoted W/ removed), or None."""
        return next((version for version in self.versions if version.etag in etags), None)

    def response(self, version, encoding, *, age, body=True):
        """Status, headers and body to send `version` in `encoding`; `body=False` for
        a HEAD request. `age` is how long ago the page was stored, None for the
        response that stored it."""
        content = version.bodies[encoding]
        headers = [
            *self.headers,
            ("Content-Length", str(len(content))),
            ("ETag", version.etag if encoding == "identity" else f"W/{version.etag}"),
        ]
        if encoding != "identity":
            headers.append(("Content-Encoding", encoding))
        if age is not None:
            # Served from the cache: a shared cache downstream keeps the page
            # only for what is left of its s-maxage.
            headers.append(("Age", str(max(0, int(age)))))
        return self.status, headers, content if body else b""

    def not_modified(self, version, encoding, *, age):
        """The 304 answer: the headers RFC 9110 asks to repeat, and no body."""
        _status, headers, _body = self.response(version, encoding, age=age, body=False)
        return "304 Not Modified", [(n, v) for n, v in headers if n.lower() in NOT_MODIFIED], b""


# The headers a 304 repeats (RFC 9110, 15.4.5), and Age.
NOT_MODIFIED = {"cache-control", "content-location", "date", "etag", "expires", "vary", "age"}


class PageStore:
    """Pages by key, at most `max_entries` of them and `max_bytes` in all.

    Safe to share between the threads of a process. Pages belong to a
    generation: `reset` starts a new one and drops every page; a page of
    another generation is never stored.
    """

    def __init__(self, *, max_bytes, max_entries):
        self.max_bytes = max_bytes
        self.max_entries = max_entries
        self.generation = None
        self.bytes = 0
        self._pages = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self):
        return len(self._pages)

    def reset(self, generation):
        with self._lock:
            self._pages.clear()
            self.bytes = 0
            self.generation = generation

    def get(self, key, generation, *, now):
        """The page stored under `key` in `generation`, unless it has expired."""
        with self._lock:
            if generation != self.generation:
                return None
            page = self._pages.get(key)
            if page is None:
                return None
            if now >= page.expires_at:
                self._remove(key)
                return None
            self._pages.move_to_end(key)
            return page

    def put(self, key, page):
        """Keep `page` under `key`, dropping the least recently used pages beyond the bounds.

        Returns whether it was kept: not when its generation has ended, nor
        when it alone is larger than the whole store.
        """
        with self._lock:
            if page.generation != self.generation or page.size > self.max_bytes:
                return False
            if key in self._pages:
                self._remove(key)
            self._pages[key] = page
            self.bytes += page.size
            while self.bytes > self.max_bytes or len(self._pages) > self.max_entries:
                self._remove(next(iter(self._pages)))
            return True

    def _remove(self, key):
        self.bytes -= self._pages.pop(key).size
