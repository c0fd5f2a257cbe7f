"""Cached pages in one server process's memory: bounded in bytes and in entries.

A `Page` is a response ready to send, in each encoding it was compressed to
once, with its headers listed once, when it was stored. `PageStore` keeps
pages by key, drops the least recently used first when either bound is
reached, drops the pages showing a target when asked (`drop`: what a save
changed), and forgets them all when the page-cache generation moves on (see
page_cache.py).
"""

import gzip
import random
import threading
from collections import OrderedDict, deque
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
    # The headers to send it with, in each encoding, listed once by its Page.
    headers: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True, slots=True)
class Page:
    """One cached response: its status, headers without those that depend on the
    body sent, its versions, its validators and lifetime.

    A page has one version, or several when the application fills in a value
    per response (a call-to-action variant): each version was compressed
    once, and each response gets one, drawn by weight.

    `targets` name what the page shows (an article, a list: see page_cache's
    `on_targets`), for a save to drop only the pages showing what it changed;
    `epoch` is the store's when the request that made it arrived.
    """

    generation: int
    status: str
    headers: tuple
    versions: tuple
    last_modified: float | None
    stored_at: float
    expires_at: float
    targets: frozenset = frozenset()
    epoch: int = 0
    # What of the request that made it makes it again (page_refresh.py).
    request: tuple = ()
    size: int = field(init=False)

    def __post_init__(self):
        counted = sum(len(body) for version in self.versions for body in version.bodies.values())
        counted += sum(len(name) + len(value) for name, value in self.headers)
        object.__setattr__(self, "size", counted + OVERHEAD_PER_PAGE)
        # Every header but Age is known now: listed once here rather than per response.
        for version in self.versions:
            for encoding, content in version.bodies.items():
                version.headers[encoding] = self._headers(version, encoding, content)

    def _headers(self, version, encoding, content):
        headers = [
            *self.headers,
            ("Content-Length", str(len(content))),
            ("ETag", version.etag if encoding == "identity" else f"W/{version.etag}"),
        ]
        if encoding != "identity":
            headers.append(("Content-Encoding", encoding))
        return tuple(headers)

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
        headers = list(version.headers[encoding])
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


# How many drops a store remembers, to refuse a page whose request began before one.
REMEMBERED_DROPS = 512
# A drop of every page (a new generation, a lost shared log).
EVERYTHING = None


class PageStore:
    """Pages by key, at most `max_entries` of them and `max_bytes` in all.

    Safe to share between the threads of a process. Pages belong to a
    generation: `reset` starts a new one and drops every page; a page of
    another generation is never stored. `drop(targets)` drops the pages
    showing any of `targets`. Each reset or drop moves the store's `epoch` on:
    a page whose request arrived before a drop that touches it (it may show
    what the drop was for as it was before) is not stored.
    """

    def __init__(self, *, max_bytes, max_entries):
        self.max_bytes = max_bytes
        self.max_entries = max_entries
        self.generation = None
        self.bytes = 0
        self.epoch = 0
        self._pages = OrderedDict()
        self._by_target = {}
        self._drops = deque(maxlen=REMEMBERED_DROPS)
        self._lock = threading.Lock()

    def __len__(self):
        return len(self._pages)

    def reset(self, generation):
        with self._lock:
            self._pages.clear()
            self._by_target.clear()
            self.bytes = 0
            if generation == self.generation:
                # Pages of another generation are refused anyway.
                self._dropped(EVERYTHING)
            self.generation = generation

    def drop(self, targets):
        """Drop the pages showing any of `targets`, and return them, the most recently
        read first."""
        targets = frozenset(targets)
        with self._lock:
            keys = set()
            for target in targets:
                keys.update(self._by_target.get(target, ()))
            dropped = [self._pages[key] for key in reversed(self._pages) if key in keys]
            for key in keys:
                self._remove(key)
            self._dropped(targets)
            return dropped

    def _dropped(self, targets):
        self.epoch += 1
        self._drops.append((self.epoch, targets))

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
        when it alone is larger than the whole store, nor when what it shows
        was dropped after its request arrived.
        """
        with self._lock:
            if page.generation != self.generation or page.size > self.max_bytes:
                return False
            if self._dropped_since(page):
                return False
            if key in self._pages:
                self._remove(key)
            self._pages[key] = page
            for target in page.targets:
                self._by_target.setdefault(target, set()).add(key)
            self.bytes += page.size
            while self.bytes > self.max_bytes or len(self._pages) > self.max_entries:
                self._remove(next(iter(self._pages)))
            return True

    def _dropped_since(self, page):
        if page.epoch >= self.epoch:
            return False
        # Forgotten drops since then might have touched it.
        if not self._drops or self._drops[0][0] > page.epoch + 1:
            return True
        return any(
            epoch > page.epoch and (targets is EVERYTHING or targets & page.targets)
            for epoch, targets in self._drops
        )

    def _remove(self, key):
        page = self._pages.pop(key)
        self.bytes -= page.size
        for target in page.targets:
            keys = self._by_target.get(target)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._by_target[target]
