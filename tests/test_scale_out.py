"""Scale-out, run for real: PostgreSQL, Redis and two gunicorn app servers on 127.0.0.1,
with Varnish in front of one of them, configured by environment variables alone as
docs/operations.md says.

An editor saves through one server and readers see it on the other; tour clicks
sent to both are all counted; pages keep coming while Redis is stopped and after it
returns; Varnish drops the pages a save changes and keeps the others.
"""

import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import namedtuple
from html import unescape
from html.parser import HTMLParser
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode

import psycopg
import pytest
from django.conf import settings

from articles.text import page_targets

from .conftest import manage, site_env

pytestmark = pytest.mark.servers

POSTGRESQL = Path("/usr/lib/postgresql/15/bin")
ADMIN_PASSWORD = secrets.token_urlsafe(16)
# What Firefox sends of itself with every request; the tour counts people's
# browsers only (marketing/counting.py).
BROWSER_HEADERS = {
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "Accept-Language": "tr-TR,tr;q=0.8,en;q=0.5",
}
# operations/page_cache.py: how long a server trusts the page generation it last read.
PROPAGATION_SECONDS = 1.0
# operations/cdn.py: the second BAN, once every server has seen a save.
SECOND_BAN_SECONDS = PROPAGATION_SECONDS + 0.5
# One address adds at most 20 people to a count a day (marketing/counting.py).
CLICKS = 20
# operations/shared_cache.py: how long a server leaves Redis alone after it failed to answer.
RETRY_SECONDS = 2.0


# The servers


@pytest.fixture(scope="module")
def postgresql(module_processes, installed):
    """A PostgreSQL 15 cluster of its own, run as the postgres user when the tests run as root."""
    initdb, postgres = (
        installed(str(POSTGRESQL / "initdb")),
        installed(str(POSTGRESQL / "postgres")),
    )
    user = "postgres" if os.geteuid() == 0 else None
    # Outside pytest's folders, which only root may enter.
    folder = Path(tempfile.mkdtemp(prefix="cxcs-scale-out-"))
    if user:
        shutil.chown(folder, user)
    try:
        subprocess.run(
            [initdb, "--no-sync", "-D", str(folder / "data"), "-A", "trust", "-U", "postgres"],
            user=user,
            check=True,
            capture_output=True,
        )
        port = module_processes.free_port()
        server = module_processes.start(
            "postgresql",
            [postgres, "-D", str(folder / "data"), "-h", "127.0.0.1", "-p", str(port)]
            + ["-k", str(folder), "-c", "fsync=off"],
            port=port,
            user=user,
            # A fast shutdown: the app servers' connections need not end first.
            stop_signal=signal.SIGINT,
        )
        create_database(f"postgresql://postgres@127.0.0.1:{port}/postgres", "cxcs")
        yield f"postgres://postgres@127.0.0.1:{port}/cxcs"
        module_processes.stop(server)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def create_database(server, name):
    # The port opens before the server accepts logins ("the database system is starting up").
    deadline = time.monotonic() + 60
    while True:
        try:
            with psycopg.connect(server, autocommit=True) as database:
                database.execute(f"CREATE DATABASE {name}")
                return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


class Redis:
    """Debian's redis-server, saving its data when stopped as a packaged one does."""

    def __init__(self, processes, program, folder):
        self.processes, self.program, self.folder = processes, program, folder
        self.port = processes.free_port()
        self.url = f"redis://127.0.0.1:{self.port}/1"
        self.process = None

    def start(self):
        self.process = self.processes.start(
            "redis",
            [self.program, "--bind", "127.0.0.1", "--port", str(self.port)]
            + ["--dir", str(self.folder), "--save", "3600 1", "--appendonly", "no"],
            port=self.port,
        )

    def stop(self):
        self.processes.stop(self.process)


@pytest.fixture(scope="module")
def redis(module_processes, installed, tmp_path_factory):
    server = Redis(module_processes, installed("redis-server"), tmp_path_factory.mktemp("redis"))
    server.start()
    return server


Site = namedtuple("Site", "a b varnish env database")


@pytest.fixture(scope="module")
def site(postgresql, redis, module_processes, installed, tmp_path_factory):
    """Two app servers sharing PostgreSQL, Redis and the media folder; Varnish before B."""
    varnishd = installed("varnishd")
    folder = tmp_path_factory.mktemp("site")
    a, b, varnish = (module_processes.free_port() for _server in range(3))
    env = site_env(
        DJANGO_SETTINGS_MODULE="cxcs.settings",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=postgresql,
        CACHE_URL=redis.url,
        DJANGO_MEDIA_ROOT=str(folder / "media"),
        DJANGO_STATIC_ROOT=str(folder / "static"),
        DJANGO_CACHE_PURGE_URLS=f"http://127.0.0.1:{varnish}/",
        # Plain http on 127.0.0.1, as under make serve.
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_SUPERUSER_PASSWORD=ADMIN_PASSWORD,
    )
    manage("migrate", "--no-input", env=env)
    manage("collectstatic", "--no-input", "-v", "0", env=env)
    manage("load_launch_content", env=env)
    manage(
        "createsuperuser", "--no-input", "--username", "admin", "--email", "a@example.com", env=env
    )
    for name, port in (("a", a), ("b", b)):
        module_processes.start(
            f"gunicorn-{name}",
            [sys.executable, "-m", "gunicorn", "cxcs.wsgi", "--workers", "2"]
            + ["--bind", f"127.0.0.1:{port}"],
            port=port,
            env=env,
            cwd=settings.BASE_DIR,
        )
    vcl = (settings.BASE_DIR / "deploy" / "varnish" / "cxcs.vcl").read_text()
    (folder / "cxcs.vcl").write_text(vcl.replace('.port = "8000";', f'.port = "{b}";'))
    module_processes.start(
        "varnish",
        [varnishd, "-F", "-j", "none", "-a", f"127.0.0.1:{varnish}", "-T", "none"]
        + ["-f", str(folder / "cxcs.vcl"), "-n", str(folder / "varnish"), "-s", "malloc,32m"],
        port=varnish,
    )
    return Site(a, b, varnish, env, postgresql)


# A browser, roughly: cookies, forms as a browser posts them, no redirects followed.


Response = namedtuple("Response", "status headers text")


class Browser:
    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        connection = HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {**BROWSER_HEADERS, **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            connection.request(method, quote(path, safe="/?&=%"), body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
        finally:
            connection.close()
        for value in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(value).items():
                self.cookies[name] = morsel.value
        return Response(response.status, response.headers, text)

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, fields):
        return self.request(
            "POST",
            path,
            body=urlencode(fields),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"http://127.0.0.1:{self.port}",
            },
        )

    def log_in(self):
        form = form_fields(self.get("/en/admin/login/").text, "login-form")
        answer = self.post(
            "/en/admin/login/?next=/en/admin/",
            {**form, "username": "admin", "password": ADMIN_PASSWORD},
        )
        assert answer.status == 302, answer.text


class FormFields(HTMLParser):
    """What a browser would submit of the form with `form_id`."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields = []
        self.textarea = None
        self.select = None

    def handle_starttag(self, tag, attributes):
        attributes = dict(attributes)
        if tag == "form":
            self.inside = attributes.get("id") == self.form_id
        if not self.inside or "disabled" in attributes:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text")
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attributes:
                return
            self.fields.append((name, attributes.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]
        elif tag == "select" and name:
            self.select = {"name": name, "first": None, "chosen": []}
        elif tag == "option" and self.select is not None:
            value = attributes.get("value", "")
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in attributes:
                self.select["chosen"].append(value)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            # A browser drops the line break that follows <textarea>.
            self.fields.append((name, text[1:] if text.startswith("\n") else text))
            self.textarea = None
        elif tag == "select" and self.select is not None:
            chosen = self.select["chosen"] or [self.select["first"] or ""]
            self.fields.extend((self.select["name"], value) for value in chosen)
            self.select = None


def form_fields(html, form_id):
    parser = FormFields(form_id)
    parser.feed(html)
    return dict(parser.fields)


def the_article(site):
    with psycopg.connect(site.database.replace("postgres://", "postgresql://")) as database:
        return database.execute("SELECT id, slug_he FROM articles_article").fetchone()


def save_title(site, title):
    """Open the launch article's change form on server A and save it with a new Hebrew title."""
    pk, slug = the_article(site)
    editor = Browser(site.a)
    editor.log_in()
    change = f"/en/admin/articles/article/{pk}/change/"
    fields = form_fields(editor.get(change).text, "article_form")
    assert fields["title_he"]
    saved = editor.post(change, {**fields, "title_he": title, "_save": "Save"})
    assert saved.status == 302, re.findall(r'class="errorlist[^"]*".*?</ul>', saved.text, re.S)
    return time.monotonic(), f"/he/articles/{slug}/"


def title_on(port, path):
    page = Browser(port).get(path)
    assert page.status == 200, page.text
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", page.text, re.S).group(1)
    # Without the <bdi> isolates rendering puts around Latin words in Hebrew.
    return unescape(re.sub(r"<[^>]+>", "", heading)).strip()


def wait_until(moment):
    time.sleep(max(0.0, moment - time.monotonic()))


# The tests


def test_a_save_through_one_server_is_read_from_the_other_within_a_second(site):
    pk, slug = the_article(site)
    path = f"/he/articles/{slug}/"
    before = title_on(site.b, path)
    # Server B now holds the page in its cache, in whichever worker answered.
    for _reading in range(4):
        assert title_on(site.b, path) == before

    saved_at, path = save_title(site, "נשמר בשרת אחד, נקרא בשני")
    wait_until(saved_at + PROPAGATION_SECONDS)

    for _reading in range(4):
        assert title_on(site.b, path) == "נשמר בשרת אחד, נקרא בשני"


def click(port, person):
    """A click on the tour button by one of several people, each with a Firefox of
    their own: one person's clicks count once a day."""
    firefox = f"Mozilla/5.0 (X11; Linux x86_64; rv:{person}.0) Gecko/20100101 Firefox/{person}.0"
    answer = Browser(port).request(
        "GET",
        "/tr/tour/go/?utm_source=scale-out&utm_campaign=proof",
        headers={"User-Agent": firefox},
    )
    assert answer.status == 302


def test_tour_clicks_sent_to_both_servers_are_all_counted(site):
    ports = [site.a, site.b] * (CLICKS // 2)
    threads = [
        threading.Thread(target=click, args=[port, 100 + person])
        for person, port in enumerate(ports)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    with psycopg.connect(site.database.replace("postgres://", "postgresql://")) as database:
        (counted,) = database.execute(
            "SELECT sum(count) FROM marketing_campaigncount "
            "WHERE kind = 'click' AND source = 'scale-out' AND campaign = 'proof'"
        ).fetchone()
    assert counted == CLICKS


# Before the Redis outage below, whose end has each server process that saw it
# drop every page, Varnish's included, when it next reaches Redis: perhaps
# during a later test.
def test_varnish_drops_the_pages_a_save_changes_and_keeps_the_others(site):
    pk, slug = the_article(site)
    path = f"/he/articles/{slug}/"
    # The Turkish home page shows nothing of the Hebrew article (its targets, as
    # server B sends them to Varnish, name neither its page nor its card).
    other = "/tr/"
    named = Browser(site.b).request("GET", other, headers={"Host": f"127.0.0.1:{site.varnish}"})
    assert not {page_targets.page("he", slug), page_targets.article("he", slug)} & set(
        named.headers["X-Page-Targets"].split(",")
    )
    before = title_on(site.varnish, path)
    for page in (path, other):
        Browser(site.varnish).get(page)
        again = Browser(site.varnish).get(page)
        # Two transaction ids: the second answer came from Varnish's cache.
        assert len(again.headers["X-Varnish"].split()) == 2
        assert "s-maxage=" in again.headers["Cache-Control"]
        # For the BANs alone: Varnish keeps it from readers.
        assert "X-Page-Targets" not in again.headers

    saved_at, path = save_title(site, "ורניש שוכח את מה שהיה")
    # Readers between the save's two BANs get the page from the one or the other.
    while time.monotonic() < saved_at + PROPAGATION_SECONDS:
        assert title_on(site.varnish, path) in (before, "ורניש שוכח את מה שהיה")
    wait_until(saved_at + SECOND_BAN_SECONDS + 0.5)

    assert title_on(site.varnish, path) == "ורניש שוכח את מה שהיה"
    assert title_on(site.varnish, path) == "ורניש שוכח את מה שהיה"
    kept = Browser(site.varnish).get(other)
    assert kept.status == 200
    assert len(kept.headers["X-Varnish"].split()) == 2
    assert int(kept.headers["Age"]) >= SECOND_BAN_SECONDS


def test_pages_are_served_while_redis_is_stopped_and_after_it_returns(site, redis):
    pk, slug = the_article(site)
    path = f"/he/articles/{slug}/"
    title_on(site.a, path), title_on(site.b, path)
    redis.stop()
    try:
        for port in (site.a, site.b):
            assert Browser(port).get("/tr/").status == 200
            assert Browser(port).get("/he/tour/").status == 200
        saved_at, path = save_title(site, "נשמר כש-Redis היה למטה")
        wait_until(saved_at + PROPAGATION_SECONDS)
        assert title_on(site.b, path) == "נשמר כש-Redis היה למטה"
    finally:
        redis.start()

    # Redis is back with the page generation it saved when it stopped, and the
    # servers' caches hold pages from before the save made meanwhile. The
    # servers that saw the outage start a new generation when they next reach
    # Redis (after RETRY_SECONDS), which every server reads within a second; a
    # worker that saw nothing of the outage may show its old copy until then.
    settled = time.monotonic() + RETRY_SECONDS + PROPAGATION_SECONDS + 0.5
    while time.monotonic() < settled:
        for port in (site.a, site.b):
            assert Browser(port).get(path).status == 200
    for _reading in range(4):
        for port in (site.a, site.b):
            assert title_on(port, path) == "נשמר כש-Redis היה למטה"
    logs = "".join(p.log.read_text() for p in redis.processes.started if "gunicorn" in p.log.name)
    assert "cannot be reached" in logs
    assert "answers again after" in logs
