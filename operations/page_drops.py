"""Dropping only the cached pages a save changes, in every server process.

Each cached page carries the targets it shows (page_cache's `on_targets`
hook names them: an article, a list, a topic's pages…). A save of content
asks `drop_pages(targets)`; once its transaction commits, this process drops
the pages showing any of them at once, and appends the targets to a short log
in the shared "default" cache: a counter (`COUNTER_KEY`) and one entry per
drop. The other processes read the counter with the page-cache generation
(one read of the shared cache, once every GENERATION_CHECK_SECONDS, never per
request) and drop the same pages when it has moved on. A process that finds
the log broken (an entry evicted, the counter gone back) drops all its pages,
which is always safe. Caching proxies get a BAN naming the same targets
(operations/cdn.py).

What changes every page (a deploy, a restore, the brand) still starts a new
generation: `page_cache.invalidate_pages()`.
"""

import collections
import contextlib
import fcntl
import logging
import os
import threading
import weakref

from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.db import transaction

from . import cdn

logger = logging.getLogger(__name__)

COUNTER_KEY = "cxcs:page-drops"
ENTRY_KEY = "cxcs:page-drop:{}"
# Long enough for any process that serves pages to read an entry: one that has
# not read the log for longer drops all its pages instead.
ENTRY_SECONDS = 3600
# A process further behind than this drops all its pages rather than read every entry.
MOST_ENTRIES_READ = 200
# Told that every page is dropped.
EVERYTHING = None

# The page caches of this process (weakly: a test makes many).
_listeners = weakref.WeakSet()
_log = {"seen": None, "own": set(), "told": 0}
# The targets of the last drops told, for what asks which drops it missed (dropped_since).
_recent = collections.deque(maxlen=MOST_ENTRIES_READ)
_lock = threading.Lock()
_hooks = {"sitewide": None}
# Set by page_cache, which imports this module: how every page is dropped at once,
# and how long a process trusts what it last read of the shared cache.
generation = {"drop_every_page": None, "check_seconds": lambda: 1.0}


def listen(listener):
    """Have `listener.drop(targets)` called for each drop seen in this process,
    `targets` being EVERYTHING when every page must go."""
    _listeners.add(listener)


def on_sitewide(function):
    """Have `function()` give what every page shows of the content (a comparable
    value): a drop asked with `sitewide_before`, that value before the write,
    drops every page when it has changed."""
    _hooks["sitewide"] = function


def forget():
    """Read the log afresh (tests, which clear the shared cache)."""
    with _lock:
        _log.update(seen=None, own=set())


class _Drop:
    """The targets a transaction asks to drop, dropped once when it commits."""

    def __init__(self):
        self.targets = set()
        self.sitewide_before = None

    def __call__(self):
        function = _hooks["sitewide"]
        if self.sitewide_before is not None and function and function() != self.sitewide_before:
            generation["drop_every_page"]()
            return
        if self.targets:
            drop_now(self.targets)


def _pending():
    connection = transaction.get_connection()
    # Django keeps a transaction's callbacks as (savepoints, callback, robust).
    pending = connection.run_on_commit if connection.in_atomic_block else ()
    drop = pending[-1][1] if pending else None
    return drop if isinstance(drop, _Drop) else None


def knows_sitewide_before():
    """Whether the current transaction's drop already knows what every page showed
    before it: a later write in it need not ask again."""
    drop = _pending()
    return drop is not None and drop.sitewide_before is not None


def drop_pages(targets, *, sitewide_before=None):
    """Drop the cached pages showing any of `targets` once the current transaction
    commits, here, in the other server processes and in caching proxies.

    `sitewide_before`: what every page showed (the `on_sitewide` value) before a
    write that may change it (the header's sections, the languages offered);
    every page goes if it differs once committed. Drops asked one after another
    in a transaction (a queryset's delete) are made together."""
    drop = _pending()
    if drop is not None:
        drop.targets.update(targets)
        if drop.sitewide_before is None:
            drop.sitewide_before = sitewide_before
        return
    drop = _Drop()
    drop.targets.update(targets)
    drop.sitewide_before = sitewide_before
    # Outside a transaction, on_commit calls it at once: filled in before.
    transaction.on_commit(drop)


def drop_now(targets):
    targets = frozenset(targets)
    _drop_here(_publish(targets), targets)
    cdn.purge(seen_within=generation["check_seconds"](), targets=targets)


def _drop_here(number, targets):
    """Drop `targets` in this process, which will not drop them again when it reads
    the log's entry `number`."""
    with _lock:
        if number is not None:
            _log["own"].add(number)
    _tell(targets)


def _tell(targets):
    with _lock:
        _log["told"] += 1
        _recent.append(targets)
    for listener in list(_listeners):
        listener.drop(targets)


def drops_seen():
    """How many drops this process has seen, its own and others': what is read once
    per generation for every page must be read again when it changes."""
    return _log["told"]


def dropped_since(seen):
    """The targets of each drop this process has seen since `drops_seen()` was `seen`
    (EVERYTHING for a drop of every page), or None when they are no longer all known."""
    with _lock:
        missed = _log["told"] - seen
        if not 0 <= missed <= len(_recent):
            return None
        return list(_recent)[len(_recent) - missed :]


@contextlib.contextmanager
def _serialized(cache):
    """The file cache's incr is a read and a write: writers on one machine take turns."""
    if not isinstance(cache, FileBasedCache):
        yield
        return
    os.makedirs(cache._dir, exist_ok=True)
    with open(os.path.join(cache._dir, "page-drops.lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _publish(targets):
    """Append `targets` to the shared log; its number, or None if it could not be."""
    cache = caches["default"]
    try:
        with _serialized(cache):
            cache.add(COUNTER_KEY, 0, timeout=None)
            number = cache.incr(COUNTER_KEY)
            # The file cache's incr writes the value again with the default lifetime.
            cache.touch(COUNTER_KEY, timeout=None)
            cache.set(ENTRY_KEY.format(number), tuple(sorted(targets)), timeout=ENTRY_SECONDS)
    except Exception:
        # The other processes cannot be told: they drop every page when the
        # shared cache answers again (shared_cache.py), or at their pages' end.
        logger.exception("The pages dropped by a save could not be announced to other processes")
        return None
    return number


def catch_up(counter):
    """Drop what the log says other processes dropped since this one last read it,
    `counter` being the log's counter as just read (None when there is none)."""
    counter = counter or 0
    with _lock:
        seen, own = _log["seen"], _log["own"]
        _log["seen"] = counter
        if seen is None or counter == seen:
            return
        # Numbers this process wrote and has now read; all of them if the log started again.
        _log["own"] = {number for number in own if number > counter} if counter > seen else set()
    if counter < seen or counter - seen > MOST_ENTRIES_READ:
        _tell(EVERYTHING)
        return
    wanted = [number for number in range(seen + 1, counter + 1) if number not in own]
    if not wanted:
        return
    found = caches["default"].get_many([ENTRY_KEY.format(number) for number in wanted])
    if len(found) < len(wanted):
        _tell(EVERYTHING)
        return
    _tell(frozenset(target for targets in found.values() for target in targets))
