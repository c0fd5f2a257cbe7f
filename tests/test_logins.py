"""Admin logins behind a proxy or not: an address that keeps failing is locked out, a user
name never is (it is slowed down), and X-Forwarded-For counts only from trusted proxies."""

import ipaddress
import os
import secrets
import subprocess
import sys
from datetime import timedelta
from io import StringIO

import pytest
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from operations import logins
from operations.proxies import client_address

LOGIN_URL = "/en/admin/login/?next=/en/admin/"
STRANGER, ADMIN, PROXY = "198.51.100.7", "203.0.113.5", "10.0.0.2"


def log_in(client, password, address, forwarded=None):
    headers = {"REMOTE_ADDR": address}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(LOGIN_URL, {"username": "admin", "password": password}, **headers)


def fail_until_locked_out(client, address, forwarded=None):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "wrong", address, forwarded)


@pytest.fixture
def pauses(monkeypatch):
    """The pauses a login took, instead of taking them."""
    taken = []
    monkeypatch.setattr(logins, "pause", taken.append)
    return taken


@pytest.fixture
def behind_one_proxy(settings):
    settings.TRUSTED_PROXIES = 1


def test_repeated_failed_logins_lock_out_the_address_they_come_from(client, admin_user, pauses):
    fail_until_locked_out(client, STRANGER)

    response = log_in(client, "password", STRANGER)

    assert response.status_code == 429
    assert "Logins from your address are paused" in response.content.decode()


def test_a_few_failed_logins_do_not_lock_the_address(client, admin_user):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "wrong", ADMIN)

    assert log_in(client, "password", ADMIN).status_code == 302


def test_a_stranger_cannot_lock_the_admin_out(client, admin_user, pauses):
    fail_until_locked_out(client, STRANGER)

    assert log_in(client, "password", ADMIN).status_code == 302


def test_without_trusted_proxies_x_forwarded_for_is_ignored(client, admin_user, pauses):
    # The stranger claims to be the admin's address: it is the stranger's that is locked.
    fail_until_locked_out(client, STRANGER, forwarded=ADMIN)

    assert log_in(client, "password", STRANGER, forwarded="192.0.2.99").status_code == 429
    assert log_in(client, "password", ADMIN).status_code == 302


def test_behind_a_proxy_a_stranger_cannot_lock_the_admin_out(
    client, admin_user, pauses, behind_one_proxy
):
    # Every request comes from the proxy, which appends the address it was sent from.
    fail_until_locked_out(client, PROXY, forwarded=STRANGER)

    assert log_in(client, "password", PROXY, forwarded=STRANGER).status_code == 429
    assert log_in(client, "password", PROXY, forwarded=ADMIN).status_code == 302


def test_behind_a_proxy_a_forged_x_forwarded_for_locks_out_only_the_forger(
    client, admin_user, pauses, behind_one_proxy
):
    # The stranger sends "X-Forwarded-For: <admin>"; the proxy appends the stranger's address.
    fail_until_locked_out(client, PROXY, forwarded=f"{ADMIN}, {STRANGER}")

    assert log_in(client, "password", PROXY, forwarded=ADMIN).status_code == 302


def test_a_user_name_that_keeps_failing_is_slowed_down_not_locked(client, admin_user, pauses):
    for number in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "wrong", f"192.0.2.{number + 1}")
    assert pauses == []

    response = log_in(client, "password", ADMIN)

    assert response.status_code == 302
    assert pauses == [settings.LOGIN_DELAY_SECONDS]


def test_another_user_name_is_not_slowed_down(client, admin_user, django_user_model, pauses):
    django_user_model.objects.create_user("editor", password="editor-password", is_staff=True)
    for number in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "wrong", f"192.0.2.{number + 1}")

    response = client.post(
        LOGIN_URL, {"username": "editor", "password": "editor-password"}, REMOTE_ADDR=ADMIN
    )

    assert response.status_code == 302
    assert pauses == []


def test_successful_logins_are_not_recorded(client, admin_user):
    assert log_in(client, "password", ADMIN).status_code == 302

    assert not AccessLog.objects.exists()


def request_from(peer, forwarded=None):
    headers = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


NETWORKS = [ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("2001:db8::/32")]


@pytest.mark.parametrize(
    "trusted, peer, forwarded, client",
    [
        (None, PROXY, STRANGER, PROXY),
        (1, PROXY, STRANGER, STRANGER),
        (1, PROXY, f"{ADMIN}, {STRANGER}", STRANGER),
        (2, PROXY, f"{ADMIN}, {STRANGER}, 10.0.0.9", STRANGER),
        # Not through both proxies: nothing in the header can be trusted.
        (2, PROXY, STRANGER, PROXY),
        (1, PROXY, None, PROXY),
        (1, PROXY, "not-an-address", PROXY),
        (NETWORKS, PROXY, STRANGER, STRANGER),
        (NETWORKS, PROXY, f"{ADMIN}, {STRANGER}, 10.9.9.9", STRANGER),
        (NETWORKS, "2001:db8::1", "2001:DB8:0:0::7, 2001:db8::2", "2001:db8::7"),
        # A request from outside the trusted networks: its header is its own word.
        (NETWORKS, STRANGER, ADMIN, STRANGER),
        (NETWORKS, PROXY, f"{STRANGER}, junk", PROXY),
    ],
)
def test_the_client_address_is_taken_from_trusted_proxies_only(
    settings, trusted, peer, forwarded, client
):
    settings.TRUSTED_PROXIES = trusted

    assert client_address(request_from(peer, forwarded)) == client


def settings_in_a_process_of_their_own(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    code = (
        "from django.conf import settings as s; print(s.TRUSTED_PROXIES, s.SECURE_PROXY_SSL_HEADER)"
    )
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=settings.BASE_DIR,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "cxcs.settings",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
            **env,
        },
        capture_output=True,
        text=True,
    )


def test_x_forwarded_proto_is_read_only_with_trusted_proxies():
    alone = settings_in_a_process_of_their_own()
    proxied = settings_in_a_process_of_their_own(DJANGO_TRUSTED_PROXIES="10.0.0.0/8, 192.0.2.7")

    assert alone.stdout.splitlines()[-1] == "None None"
    assert proxied.stdout.splitlines()[-1] == (
        "[IPv4Network('10.0.0.0/8'), IPv4Network('192.0.2.7/32')] "
        "('HTTP_X_FORWARDED_PROTO', 'https')"
    )


def test_a_malformed_trusted_proxies_setting_stops_start_up():
    started = settings_in_a_process_of_their_own(DJANGO_TRUSTED_PROXIES="the proxy")

    assert started.returncode != 0
    assert "DJANGO_TRUSTED_PROXIES is a number of proxies or their addresses" in started.stderr


def recorded(model, when, **values):
    """A record of `model` dated `when` (its time is set on creation, so changed after)."""
    record = model.objects.create(username="admin", **values)
    model.objects.filter(pk=record.pk).update(attempt_time=when)
    return when


def test_prune_login_records_keeps_only_what_is_still_needed(db):
    now = timezone.now()
    failed = {"ip_address": STRANGER, "failures_since_start": 5}
    recent_attempt = recorded(
        AccessAttempt, now - timedelta(minutes=30), user_agent="recent", **failed
    )
    recorded(AccessAttempt, now - timedelta(hours=2), user_agent="expired", **failed)
    recent_login = recorded(AccessLog, now - timedelta(days=1), ip_address=ADMIN)
    recorded(AccessLog, now - timedelta(days=31), ip_address=ADMIN)
    out = StringIO()

    call_command("prune_login_records", stdout=out)

    assert out.getvalue() == (
        "Removed 1 failed-login record(s) past the cool-off and "
        "1 login record(s) older than 30 days.\n"
    )
    assert [a.attempt_time for a in AccessAttempt.objects.all()] == [recent_attempt]
    assert [log.attempt_time for log in AccessLog.objects.all()] == [recent_login]
