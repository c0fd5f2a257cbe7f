"""A throwaway production server, and a small HTTP load driver to measure it.

`production_server()` builds a site in a temporary directory (a fresh SQLite
database, media, collected static files and a file cache), loads the launch
content, serves it with gunicorn on 127.0.0.1 with DEBUG off, and stops it
afterwards. `drive()` sends requests to it from threads, bounded both in
requests and in time, and measures them.
"""

import contextlib
import http.client
import math
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import CookieError, SimpleCookie
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
GUNICORN_CONFIG = Path(__file__).resolve().parent / "gunicorn_conf.py"
HOST = "127.0.0.1"


@dataclass
class Site:
    """A site of its own in `directory`: database, media, static files and cache."""

    directory: Path
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(50))
    # Another database than a new SQLite file in `directory`: an empty one.
    database_url: str | None = None

    @property
    def database(self):
        return self.directory / "db.sqlite3"

    @property
    def static_root(self):
        return self.directory / "static"

    @property
    def env(self):
        # Whatever the caller runs under (the test suite sets DJANGO_* variables
        # for its own settings) must not leak into the production server.
        env = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith("DJANGO_") and name not in ("DATABASE_URL", "CACHE_URL")
        }
        env.update(
            DJANGO_SETTINGS_MODULE="cxcs.settings",
            DJANGO_SECRET_KEY=self.secret_key,
            DJANGO_ALLOWED_HOSTS=HOST,
            DJANGO_SECURE_SSL_REDIRECT="0",
            DJANGO_SECURE_COOKIES="0",
            DATABASE_URL=self.database_url or f"sqlite:///{self.database}",
            CACHE_URL=f"filecache://{self.directory / 'cache'}",
            DJANGO_MEDIA_ROOT=str(self.directory / "media"),
            DJANGO_STATIC_ROOT=str(self.static_root),
        )
        return env

    def manage(self, *args):
        """Run a manage.py command against this site; its output, or an error with it."""
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {args[0]} failed:\n{result.stdout}{result.stderr}")
        return result.stdout

    def build(self):
        self.manage("migrate", "--no-input")
        self.manage("collectstatic", "--no-input")
        self.manage("load_launch_content")


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


class Client:
    """One visitor: a keep-alive connection and the cookies the site gave it.

    gunicorn's sync workers close the connection after every response; the
    next request then opens a new one.
    """

    def __init__(self, port, timeout=30):
        self.connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
        except (http.client.HTTPException, OSError):
            # A half-used connection cannot be reused: start the next request afresh.
            self.connection.close()
            raise
        for header in response.headers.get_all("Set-Cookie") or []:
            self._remember(header)
        return Response(response.status, response.headers, content)

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def _remember(self, header):
        cookie = SimpleCookie()
        try:
            cookie.load(header)
        except CookieError:
            return
        for name, morsel in cookie.items():
            if morsel.value == "" or morsel["max-age"] == "0":
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.coded_value


@dataclass
class Server:
    site: Site
    port: int
    process: subprocess.Popen
    log_path: Path

    @property
    def url(self):
        return f"http://{HOST}:{self.port}"

    def client(self):
        return Client(self.port)

    def log(self):
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_until_healthy(self, path="/healthz", timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log()}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                if self.client().get(path).status == 200:
                    return
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not answer {path} within {timeout} s:\n{self.log()}")


def site_of_copies(directory, count):
    """A site in `directory` holding `count` copies of the launch article in Turkish
    and Hebrew, with Django set up for it: the site, and its article pages' paths."""
    site = Site(directory)
    site.build()
    os.environ.update(site.env)
    import django

    django.setup()
    from articles.models import Article
    from bench.scale import seed

    seed(count, untranslated=False)
    paths = [
        article.get_absolute_url(code)
        for article in Article.objects.order_by("pk")
        for code in ("tr", "he")
    ]
    return site, paths


def interleaved(loads, *, rounds, threads, max_requests, seconds):
    """Drive each of `loads` (name: one request's function) in `rounds` rounds, the
    order turned round at each so that neither always runs first: totals by name."""
    totals = {name: Result() for name in loads}
    for round_number in range(rounds):
        for name in list(loads)[:: 1 if round_number % 2 else -1]:
            load = Load(name, threads, loads[name], max_requests)
            totals[name] += drive(load, max_seconds=seconds)[name]
    return totals


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serve(site, *, workers=2, threads=1, application="cxcs.wsgi", env=None, health="/healthz"):
    """gunicorn serving `site` on a free port of 127.0.0.1 until the block ends.

    More than one thread per worker makes gunicorn use its gthread workers.
    `application` is the WSGI module to serve, with `env` added to the site's
    environment, answering `health` once it is up.
    """
    port = free_port()
    log_path = site.directory / f"gunicorn-{port}.log"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        application,
        "--config",
        str(GUNICORN_CONFIG),
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
    ]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env={**site.env, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = Server(site, port, process, log_path)
    try:
        server.wait_until_healthy(health)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def production_server(*, workers=2, threads=1):
    """A freshly built site with the launch content, served by gunicorn; all gone afterwards."""
    with tempfile.TemporaryDirectory(prefix="cxcs-bench-") as directory:
        site = Site(Path(directory))
        site.build()
        with serve(site, workers=workers, threads=threads) as server:
            yield server


@dataclass
class Result:
    """What one kind of request measured: latencies in seconds, answers and failures."""

    latencies: list = field(default_factory=list, repr=False)
    statuses: Counter = field(default_factory=Counter)
    # Requests that got no answer at all, by exception.
    errors: Counter = field(default_factory=Counter)
    elapsed: float = 0.0

    def __add__(self, other):
        return Result(
            self.latencies + other.latencies,
            self.statuses + other.statuses,
            self.errors + other.errors,
            self.elapsed + other.elapsed,
        )

    @property
    def requests(self):
        return len(self.latencies)

    @property
    def per_second(self):
        return self.requests / self.elapsed if self.elapsed else 0.0

    def percentile(self, percent):
        """Nearest-rank percentile, in milliseconds."""
        if not self.latencies:
            return math.nan
        ordered = sorted(self.latencies)
        rank = max(1, math.ceil(percent / 100 * len(ordered)))
        return ordered[rank - 1] * 1000

    @property
    def server_errors(self):
        return sum(count for status, count in self.statuses.items() if status >= 500)

    def summary(self):
        statuses = ", ".join(f"{status}×{count}" for status, count in sorted(self.statuses.items()))
        line = (
            f"{self.per_second:8.1f} req/s  p50 {self.percentile(50):7.1f} ms  "
            f"p99 {self.percentile(99):7.1f} ms  ({self.requests} in {self.elapsed:.1f} s: "
            f"{statuses or 'none'}"
        )
        if self.errors:
            line += "; no answer: " + ", ".join(f"{n}×{c}" for n, c in self.errors.items())
        return line + ")"


@dataclass
class Load:
    """`threads` threads making one kind of request, at most `max_requests` in all.

    `start(index)` runs in thread `index` before the clock starts (to log in,
    say) and returns the function that makes one request and returns its status.
    """

    name: str
    threads: int
    start: Callable[[int], Callable[[], int]]
    max_requests: int


def drive(*loads, max_seconds):
    """Run `loads` at the same time until each has made its requests or time is up.

    Returns a Result per load name; a load's elapsed time runs from the common
    start to its last answer.
    """
    results = {load.name: Result() for load in loads}
    issued = Counter()
    finished = {}
    lock = threading.Lock()
    clock = {}
    ready = threading.Barrier(
        sum(load.threads for load in loads),
        action=lambda: clock.update(start=time.perf_counter()),
    )
    failures = []

    def run(load, index):
        try:
            request = load.start(index)
        except Exception as error:
            failures.append(error)
            request = None
        ready.wait()
        deadline = clock["start"] + max_seconds
        result = results[load.name]
        while request is not None:
            with lock:
                if issued[load.name] >= load.max_requests or time.perf_counter() >= deadline:
                    break
                issued[load.name] += 1
            began = time.perf_counter()
            try:
                status = request()
            except Exception as error:
                with lock:
                    result.errors[type(error).__name__] += 1
                continue
            ended = time.perf_counter()
            with lock:
                result.latencies.append(ended - began)
                result.statuses[status] += 1
                finished[load.name] = max(finished.get(load.name, ended), ended)

    threads = [
        threading.Thread(target=run, args=(load, index), daemon=True)
        for load in loads
        for index in range(load.threads)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    for name, result in results.items():
        result.elapsed = finished.get(name, clock["start"]) - clock["start"]
    return results
