"""Errors are recorded: on stderr, one greppable line each with the traceback below, and
mailed to ADMINS when they are set."""

import logging
import re
import sys
import urllib.error
import urllib.request
from unittest import mock

from django.conf import settings
from django.core import mail

from operations.logs import Formatter

from .conftest import manage, site_env


def answer(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_server_error_under_gunicorn_is_logged_with_its_traceback(tmp_path, processes):
    """gunicorn as `make serve` runs it, on a database nobody migrated: every page fails."""
    port = processes.free_port()
    env = site_env(
        DJANGO_SETTINGS_MODULE="tests.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'never-migrated.sqlite3'}",
    )
    server = processes.start(
        "gunicorn",
        [sys.executable, "-m", "gunicorn", "cxcs.wsgi", "--bind", f"127.0.0.1:{port}"],
        port=port,
        env=env,
        cwd=settings.BASE_DIR,
    )

    status = answer(f"http://127.0.0.1:{port}/tr/")
    processes.stop(server)
    log = server.log.read_text()

    assert status == 500
    [line] = [line for line in log.splitlines() if " django.request: " in line]
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} ERROR django.request: 500 GET /tr/ "
        r"OperationalError: no such table: \w+",
        line,
    )
    below = log.split(line, 1)[1].splitlines()[1:]
    traceback = below[: next(i for i, text in enumerate(below) if not text.startswith("    "))]
    assert traceback[0] == "    Traceback (most recent call last):"
    assert traceback[-1].startswith("    django.db.utils.OperationalError: no such table: ")


def test_a_server_error_is_mailed_to_the_admins(client, db, settings):
    settings.ADMINS = [("Operations", "ops@example.com")]
    client.raise_request_exception = False
    with mock.patch("marketing.views.TourPage.load", side_effect=RuntimeError("boom")):
        client.get("/tr/tour/")

    [message] = mail.outbox
    assert message.to == ["ops@example.com"]
    assert message.subject.startswith("[cxcs] ERROR")
    assert "/tr/tour/" in message.subject
    assert "RuntimeError at /tr/tour/\nboom" in message.body


def test_without_admins_nothing_is_mailed(client, db, settings):
    settings.ADMINS = []
    client.raise_request_exception = False
    with mock.patch("marketing.views.TourPage.load", side_effect=RuntimeError("boom")):
        client.get("/tr/tour/")

    assert mail.outbox == []


def test_a_not_found_page_is_not_logged_as_an_error(client, db, caplog):
    with caplog.at_level(logging.WARNING):
        client.get("/tr/articles/no-such-article/")

    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_an_error_message_with_a_line_break_stays_on_one_line(client, db, caplog):
    client.raise_request_exception = False
    forged = "boom\n2026-01-01 00:00:00,000 ERROR django.request: 500 GET /forged/"
    with mock.patch("marketing.views.TourPage.load", side_effect=RuntimeError(forged)):
        client.get("/tr/tour/")

    [record] = [r for r in caplog.records if r.name == "django.request"]
    first_line = Formatter().format(record).splitlines()[0]
    assert first_line.endswith(
        r"ERROR django.request: 500 GET /tr/tour/ RuntimeError: boom\n2026-01-01 00:00:00,000 "
        "ERROR django.request: 500 GET /forged/"
    )


def test_admins_are_read_from_the_environment():
    env = site_env(
        DJANGO_SETTINGS_MODULE="cxcs.settings",
        DJANGO_ADMINS="Operations <ops@example.com>, dev@example.com",
    )
    printed = manage(
        "shell", "-c", "from django.conf import settings as s; print(s.ADMINS)", env=env
    )

    assert printed.stdout.splitlines()[-1] == (
        "[('Operations', 'ops@example.com'), ('', 'dev@example.com')]"
    )


def test_a_request_for_another_host_is_a_warning_without_a_mail(client, db, settings, caplog):
    settings.ADMINS = [("Operations", "ops@example.com")]
    settings.DEBUG = False
    response = client.get("/tr/", HTTP_HOST="attacker.example")

    assert response.status_code == 400
    assert mail.outbox == []
    [record] = [r for r in caplog.records if r.name == "django.security.DisallowedHost"]
    assert record.levelname == "WARNING"
    assert "attacker.example" in record.getMessage()
    assert record.exc_info is None
    assert "Traceback" not in Formatter().format(record)
