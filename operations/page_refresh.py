"""Making the pages a save dropped again at once, so readers do not wait for them.

Each server process makes again the pages it dropped (and only those it
held: the ones its readers were reading), in a thread of its own, right
after the save committed or after it read of the save in the shared log.
`PAGE_CACHE_REFRESH` says how: "thread" (the default), "inline" (at once, in
the thread that learnt of the drop: tests), or "off".
"""

import io
import logging
import os
import queue
import sys
import threading

logger = logging.getLogger(__name__)

# At most this many pages are made again per drop: a drop of more (a new list
# order dropping every article page) leaves the rest to their next readers.
MOST_PAGES_PER_DROP = 100

# What a request made again carries besides what the page's first request said.
BASE_ENVIRON = {
    "REQUEST_METHOD": "GET",
    "QUERY_STRING": "",
    "wsgi.version": (1, 0),
    "wsgi.multithread": True,
    "wsgi.multiprocess": True,
    "wsgi.run_once": False,
}
# What of a page's first request is kept to make it again: where it was asked.
KEPT_FROM_REQUEST = (
    "wsgi.url_scheme",
    "HTTP_HOST",
    "SCRIPT_NAME",
    "PATH_INFO",
    "SERVER_NAME",
    "SERVER_PORT",
    "SERVER_PROTOCOL",
    "REMOTE_ADDR",
)


def request_of(environ, *also):
    """What of `environ` (and of the headers named in `also`) makes the page again."""
    return tuple((name, environ[name]) for name in (*KEPT_FROM_REQUEST, *also) if name in environ)


def environ_of(request):
    return {
        **BASE_ENVIRON,
        **dict(request),
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
    }


class Refresher:
    """Calls `make(environ)` for each page dropped, as `mode` says."""

    def __init__(self, make, mode):
        self.make = make
        self.mode = mode
        self.queue = queue.SimpleQueue()
        self.thread = None
        self.pid = None
        self.lock = threading.Lock()

    def refresh(self, requests):
        requests = list(requests)[:MOST_PAGES_PER_DROP]
        if self.mode == "off" or not requests:
            return
        if self.mode == "inline":
            for request in requests:
                self._make(request)
            return
        for request in requests:
            self.queue.put(request)
        self._start()

    def _start(self):
        # Started at the first drop, in the process serving (gunicorn forks workers
        # after loading the application: a thread started before would not follow).
        with self.lock:
            if self.thread is None or not self.thread.is_alive() or self.pid != os.getpid():
                self.pid = os.getpid()
                self.thread = threading.Thread(target=self._run, daemon=True)
                self.thread.start()

    def _run(self):
        while True:
            self._make(self.queue.get())

    def _make(self, request):
        try:
            self.make(environ_of(request))
        except Exception:
            logger.exception("A page dropped by a save could not be made again")
