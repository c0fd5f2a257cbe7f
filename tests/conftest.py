"""Shared fixtures: content to read and edit, the ways editors save it, and servers
started in processes of their own."""

import contextlib
import email
import email.policy
import io
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from urllib.parse import unquote_to_bytes, urlsplit
from wsgiref.headers import Headers

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings as django_settings
from django.contrib.auth.models import Permission, User
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, close_old_connections, connection, connections
from django.test import Client
from django.utils import timezone
from reversion.models import Version

from articles import languages
from articles.languages import localized
from articles.launch import loader as launch_content
from articles.launch.loader import load_launch_content
from articles.models import Article, Author, LanguageRole, Topic, TourPage
from articles.site import sitewide
from articles.site.views import ArticleListView
from articles.text.rendering import slugify_for_language
from articles.writing import editing
from operations import page_cache, page_drops
from operations.page_cache import PageCache

TURKISH_BODY = """Giriş paragrafı.

## Işık ve İçindekiler

Birinci bölüm.

> Bir alıntı.

## Çözüm

İkinci bölüm.
"""

HEBREW_BODY = """פסקת פתיחה.

## מהי חווית הלקוח (CX)?

פרק ראשון.

## חלק מהכול

פרק שני.
"""


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def created(model, **values):
    """A new `model` saved through the write path, as an editor creates one."""
    return editing.save(model(**values)).obj


@pytest.fixture
def tour_page(db):
    return created(
        TourPage,
        text_tr="Platformu ilk elden deneyimleyin",
        button_label_tr="Tur yapın",
        is_published_tr=True,
        text_he="חוו את הפלטפורמה ממקור ראשון",
        button_label_he="קח סיור",
        is_published_he=True,
        text_en="Experience the platform first-hand",
        button_label_en="Take the tour",
        is_published_en=True,
        subheading_tr="Ekibinizin nasıl daha hızlı yanıt verdiğini görün.",
        benefits_tr="Tüm konuşmalar tek yerde\nHazır yanıtlar\nİşe yarayanı gösteren raporlar",
        reassurance_tr="Kayıt gerekmez.",
        subheading_he="ראו איך הצוות שלכם עונה מהר יותר.",
        benefits_he="כל השיחות במקום אחד\nתשובות מוכנות לצוות\nדוחות שמראים מה עובד",
        reassurance_he="בלי הרשמה.",
        destination_url="https://tour.example.com/start",
    )


@pytest.fixture
def topic(db):
    """A topic named in Turkish (with dotted and dotless i) and Hebrew, not in English."""
    return created(
        Topic,
        name_tr="İletişim ve Işık",
        description_tr="Müşterilerle konuşmak üzerine.",
        name_he="תקשורת",
        description_he="על השיחה עם הלקוחות.",
    )


@pytest.fixture
def author(db):
    """A person with a name and bio in Turkish and Hebrew."""
    return created(
        Author,
        name_tr="Ayşe Yılmaz",
        bio_tr="Destek ekiplerini yönetir.",
        name_he="איילת לוי",
        bio_he="מנהלת צוותי תמיכה.",
    )


@pytest.fixture
def article(db, tour_page):
    """A published article in Turkish and Hebrew; English has only a title."""
    return created(
        Article,
        is_published_tr=True,
        is_published_he=True,
        title_tr="Işık Yolu",
        lede_tr="Türkçe giriş.",
        body_tr=TURKISH_BODY,
        title_he="דרך האור",
        lede_he="פתיח בעברית.",
        body_he=HEBREW_BODY,
        title_en="The Way of Light",
    )


@pytest.fixture
def draft(db):
    return created(
        Article,
        title_tr="Taslak Yazı",
        body_tr="Henüz yayında değil.",
        title_he="טיוטה",
        body_he="עדיין לא פורסם.",
    )


@pytest.fixture
def launch(db):
    """The launch article as `load_launch_content` adds it (signed off by the editor),
    beside any other article."""
    load_launch_content()
    title = launch_content.SIGNED_OFF_TITLES["tr"]
    found = Article.objects.filter(slug_tr=slugify_for_language(title, language="tr")).first()
    if found is None:
        # The loader adds the article only to a site without one.
        found = launch_content.add_launch_article()
    return found


# Every kind of page a reader can reach, in each language, with the status it
# answers: what each page-level check (HTML validity, accessibility, malformed
# requests) walks. Addresses depend on the `article` and `launch` fixtures.
PUBLIC_PAGES = {
    "list-tr": (lambda article, launch: "/tr/", 200),
    "list-he": (lambda article, launch: "/he/", 200),
    "list-en": (lambda article, launch: "/en/", 200),
    "list-page-2-tr": (lambda article, launch: "/tr/page/2/", 200),
    "list-page-2-he": (lambda article, launch: "/he/page/2/", 200),
    "article-tr": (lambda article, launch: launch.get_absolute_url("tr"), 200),
    "article-he": (lambda article, launch: launch.get_absolute_url("he"), 200),
    "article-small-he": (lambda article, launch: article.get_absolute_url("he"), 200),
    "tour-tr": (lambda article, launch: "/tr/tour/", 200),
    "tour-he": (lambda article, launch: "/he/tour/", 200),
    "tour-en": (lambda article, launch: "/en/tour/", 200),
    "author-tr": (lambda article, launch: launch.author.get_absolute_url("tr"), 200),
    "author-he": (lambda article, launch: launch.author.get_absolute_url("he"), 200),
    "author-en": (lambda article, launch: launch.author.get_absolute_url("en"), 200),
    "topic-tr": (lambda article, launch: launch.topic.get_absolute_url("tr"), 200),
    "topic-he": (lambda article, launch: launch.topic.get_absolute_url("he"), 200),
    "topic-en": (lambda article, launch: launch.topic.get_absolute_url("en"), 200),
    "author-not-found-tr": (lambda article, launch: "/tr/authors/nobody/", 404),
    "not-found-he": (lambda article, launch: "/he/nothing-here/", 404),
    "not-available-en": (lambda article, launch: "/en/articles/the-way-of-light/", 404),
    "search-results-he": (lambda article, launch: "/he/search/?q=CX", 200),
    "search-results-tr": (lambda article, launch: "/tr/search/?q=m%C3%BC%C5%9Fteri", 200),
    "search-nothing-tr": (lambda article, launch: "/tr/search/?q=zebra", 200),
    "search-empty-en": (lambda article, launch: "/en/search/?q=", 200),
    "search-form-tr": (lambda article, launch: "/tr/search/", 200),
}


def pytest_generate_tests(metafunc):
    if "public_page" in metafunc.fixturenames:
        metafunc.parametrize("public_page", list(PUBLIC_PAGES), indirect=True)


@pytest.fixture
def public_pages(article, launch, monkeypatch):
    """{name: (address, status)} of every page in PUBLIC_PAGES; the tour page with its
    image, the small article beside the launch one on its topic, and lists of one
    article a page, so that they have a second page."""
    monkeypatch.setattr(ArticleListView, "paginate_by", 1)
    page = TourPage.objects.get()
    page.image = ContentFile(launch_content.draw_figure(), name="screen.png")
    for code in languages.CODES:
        setattr(page, localized("image_alt", code), launch_content.IMAGE_ALTS[code])
    editing.save(page)
    article.topic = launch.topic
    editing.save(article)
    return {name: (url(article, launch), status) for name, (url, status) in PUBLIC_PAGES.items()}


@pytest.fixture
def public_page(request, public_pages):
    """(address, status) of one page of PUBLIC_PAGES: a test asking for it runs for each."""
    return public_pages[request.param]


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with no cached page: its content is its own."""
    for cache in caches.all():
        cache.clear()
    # Nor with the page-cache generation an earlier test left this process trusting,
    # nor what pages read once per generation.
    page_cache._known_generation.update(value=None, until=0.0)
    page_drops.forget()
    sitewide.forget()


def admin_change_url(obj, admin_language="en"):
    opts = obj._meta
    return f"/{admin_language}/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/change/"


def article_form_data(article, **changes):
    """What the change form posts for `article` as a browser shows it, and `changes`.

    The publishing time is shown in the site's time zone, to the second, and
    the form carries the version it was opened at.
    """
    data = {
        "version": article.version,
        "published_at_0": "",
        "published_at_1": "",
        "author": article.author_id or "",
        "topic": article.topic_id or "",
        "image_credit": article.image_credit,
        "source_language": article.source_language,
    }
    if article.published_at:
        when = timezone.localtime(article.published_at)
        data.update(published_at_0=f"{when:%Y-%m-%d}", published_at_1=f"{when:%H:%M:%S}")
    for code in languages.CODES:
        for name in Article.TRANSLATED_TEXTS + ("slug",):
            data[localized(name, code)] = getattr(article, localized(name, code)) or ""
        if getattr(article, localized("is_published", code)):
            data[localized("is_published", code)] = "on"
    data.update(changes)
    return data


@pytest.fixture
def change_url():
    """`change_url(obj, admin_language="en")`: the object's change form in the admin."""
    return admin_change_url


@pytest.fixture
def change_form():
    """`change_form(article, **changes)`: the article's change form as a browser posts it."""
    return article_form_data


@pytest.fixture
def save_in_admin(admin_client):
    """`save_in_admin(article, admin_language="en", client=admin_client, **changes)`:
    post the article's change form with `changes`, as an editor does, and reload it."""

    def save(article, admin_language="en", client=admin_client, **changes):
        article.refresh_from_db()
        response = client.post(
            admin_change_url(article, admin_language), article_form_data(article, **changes)
        )
        assert response.status_code == 302, response.context["adminform"].form.errors
        article.refresh_from_db()
        return response

    return save


@pytest.fixture
def edit():
    """`edit(obj, **changes)`: set `changes` and save through the write path, as any
    editor's save does."""

    def save(obj, *, user=None, **changes):
        for name, value in changes.items():
            setattr(obj, name, value)
        return editing.save(obj, user=user)

    return save


@pytest.fixture
def revisions():
    """`revisions(obj)`: the object's saved versions, oldest first."""

    def versions(obj):
        return list(Version.objects.get_for_object(obj).select_related("revision").order_by("pk"))

    return versions


def admin_revision_url(obj, version, admin_language="en"):
    opts = obj._meta
    return (
        f"/{admin_language}/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/history/{version.pk}/"
    )


@pytest.fixture
def revision_url():
    """`revision_url(obj, version, admin_language="en")`: the page restoring `version`."""
    return admin_revision_url


@pytest.fixture
def restore_in_admin(admin_client):
    """`restore_in_admin(article, version, admin_language="en")`: open the revision in
    the admin and save the form as it shows it."""

    def restore(article, version, admin_language="en"):
        url = admin_revision_url(article, version, admin_language)
        shown = admin_client.get(url)
        assert shown.status_code == 200
        form = shown.context["adminform"].form
        data = article_form_data(form.instance, version=form["version"].value())
        response = admin_client.post(url, data)
        assert response.status_code == 302, response.context["adminform"].form.errors
        article.refresh_from_db()
        return response

    return restore


@pytest.fixture
def file_database(transactional_db, tmp_path):
    """Point the default database at a SQLite file while the test runs.

    The test database is SQLite in memory with a shared cache, where a second
    writer fails at once ("database table is locked") instead of waiting its
    turn. A file with the site's own settings (WAL, busy timeout) behaves as
    production does. Other databases (PostgreSQL) are used as they are.
    """
    if connection.vendor != "sqlite":
        yield
        return
    original_settings = connections.settings[DEFAULT_DB_ALIAS]
    original_connection = connections[DEFAULT_DB_ALIAS]
    connections.settings[DEFAULT_DB_ALIAS] = {
        **original_settings,
        "NAME": str(tmp_path / "site.sqlite3"),
    }
    file_connection = connections.create_connection(DEFAULT_DB_ALIAS)
    connections[DEFAULT_DB_ALIAS] = file_connection
    try:
        call_command("migrate", verbosity=0, database=DEFAULT_DB_ALIAS)
        assert not file_connection.is_in_memory_db()
        yield
    finally:
        file_connection.close()
        connections[DEFAULT_DB_ALIAS] = original_connection
        connections.settings[DEFAULT_DB_ALIAS] = original_settings


class WSGIResponse:
    def __init__(self, status, headers, body):
        self.status_code = int(status[:3])
        self.headers = Headers(headers)
        self.content = body

    @property
    def is_from_cache(self):
        return self.headers["Age"] is not None

    def text(self):
        return self.content.decode()


class WSGIClient:
    """Requests through a WSGI application, as gunicorn makes them."""

    def __init__(self, application):
        self.application = application

    def get(self, url, *, method="GET", host="testserver", port="80", **headers):
        parts = urlsplit(url)
        environ = {
            "REQUEST_METHOD": method,
            "SCRIPT_NAME": "",
            # WSGI gives the path percent-decoded, its bytes as Latin-1.
            "PATH_INFO": unquote_to_bytes(parts.path).decode("latin-1"),
            "QUERY_STRING": parts.query,
            "SERVER_NAME": "testserver",
            "SERVER_PORT": port,
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": host,
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        environ.update({f"HTTP_{name.upper()}": value for name, value in headers.items()})
        started = {}

        def start_response(status, response_headers, exc_info=None):
            started.update(status=status, headers=response_headers)

        with connection_kept():
            body = self.application(environ, start_response)
            try:
                content = b"".join(body)
            finally:
                if hasattr(body, "close"):
                    body.close()
        return WSGIResponse(started["status"], started["headers"], content)


@contextlib.contextmanager
def connection_kept():
    """As Django's test client does: the test's transaction keeps its connection
    through the requests made meanwhile."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def keeping_the_connection(make):
    def made(environ):
        with connection_kept():
            make(environ)

    return made


@pytest.fixture
def site(db):
    """The site as production serves it: the page cache in front of Django
    (cxcs/wsgi.py), which Django's test client would skip. `site.get(url,
    method="GET", host=…, port=…, **headers)` returns the response, whose
    `is_from_cache` says whether the page cache answered it."""
    application = PageCache(WSGIHandler())
    # Pages made again after a drop (inline in some tests) are requests too.
    application.refresher.make = keeping_the_connection(application.refresher.make)
    return WSGIClient(application)


@pytest.fixture
def page_cache_hooks(monkeypatch):
    """The page cache without the hooks the apps register in ready(): a test may
    register its own (`page_cache.on_next_change`, `on_alternatives`), and the
    apps' come back after it."""
    monkeypatch.setattr(page_cache, "_hooks", dict.fromkeys(page_cache._hooks))


@pytest.fixture(scope="session")
def installed():
    """`installed(program)`: the program's path. A test whose program is missing is
    skipped, or fails in CI (CI set), which must install it (.ci/run)."""

    def find(program):
        search = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])
        if found := shutil.which(program, path=search):
            return found
        reason = f"{program} is not installed"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must run this test (.ci/run installs it).")
        pytest.skip(reason)

    return find


def site_env(**variables):
    """The environment of a process running a site of its own: this one's without
    its Django and database settings (the suite's own), a fresh secret key, and
    `variables`."""
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_"))
    }
    return {**inherited, "DJANGO_SECRET_KEY": secrets.token_urlsafe(40), **variables}


def manage(*arguments, env, timeout=600):
    """`manage.py arguments` in a process of its own; the test fails if it does."""
    finished = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert finished.returncode == 0, finished.stderr
    return finished


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Processes:
    """Servers started for one test, each logging to a file, all stopped after it."""

    def __init__(self, folder):
        self.folder = folder
        self.started = []

    def free_port(self):
        return free_port()

    def start(
        self, name, command, *, port, env=None, cwd=None, user=None, stop_signal=None, timeout=60
    ):
        """Run `command` and wait until it accepts connections on `port`; return the process.

        `stop` sends it `stop_signal` (SIGTERM by default).
        """
        log = self.folder / f"{name}.log"
        with open(log, "ab") as output:
            process = subprocess.Popen(
                command,
                env=env,
                cwd=cwd,
                user=user,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        process.log = log
        process.stop_signal = stop_signal or signal.SIGTERM
        self.started.append(process)
        deadline = time.monotonic() + timeout
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return process
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"{name} did not start:\n{log.read_text(errors='replace')}")
                time.sleep(0.05)

    def stop(self, process):
        if process.poll() is None:
            process.send_signal(process.stop_signal)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def stop_all(self):
        for process in reversed(self.started):
            self.stop(process)


@pytest.fixture
def processes(tmp_path):
    """`processes.start(name, command, port=...)`: a server for this test only."""
    folder = tmp_path / "processes"
    folder.mkdir()
    started = Processes(folder)
    yield started
    started.stop_all()


@pytest.fixture(scope="module")
def module_processes(tmp_path_factory):
    """Like `processes`, for servers the tests of one module share."""
    started = Processes(tmp_path_factory.mktemp("processes"))
    yield started
    started.stop_all()


class ReceivedMail:
    """An aiosmtpd handler keeping every mail it receives, parsed."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        parsed.recipients = list(envelope.rcpt_tos)
        self.messages.append(parsed)
        return "250 Message accepted"


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on 127.0.0.1, to which the site sends its mail
    while the test runs; `smtp_server.messages` are the mails it received, as
    email.message.EmailMessage (`get_content()` gives a text part decoded)."""
    handler = ReceivedMail()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield handler
    controller.stop()


def staff_member(username, *permissions, languages=()):
    """A member of staff with `permissions` ("change_article") and a mail address,
    limited to `languages` ((role, code) pairs) when given."""
    user = User.objects.create_user(username, f"{username}@example.com", "password", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=permissions))
    for role, code in languages:
        LanguageRole.objects.create(user=user, role=role, language=code)
    return user


@pytest.fixture
def translator(db):
    """Translates into Hebrew, and only into Hebrew."""
    return staff_member(
        "translator", "view_article", "change_article", languages=[("translates", "he")]
    )


@pytest.fixture
def reviewer(db):
    """Reviews Hebrew, and only Hebrew."""
    return staff_member("reviewer", "view_article", "change_article", languages=[("reviews", "he")])


@pytest.fixture
def editor(db):
    """Manages translation work: every permission on articles and jobs, no language limit."""
    return staff_member(
        "editor",
        *(f"{action}_{model}" for action in ("add", "change", "view", "delete")
          for model in ("article", "job")),
    )  # fmt: skip


@pytest.fixture
def client_of(db):
    """`client_of(user)`: a test client logged in as `user` (one client per user)."""
    clients = {}

    def logged_in(user):
        if user.pk not in clients:
            clients[user.pk] = Client()
            clients[user.pk].force_login(user)
        return clients[user.pk]

    return logged_in
