"""Production settings, security headers, health and error pages."""

import os
import secrets
import subprocess
import sys
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError
from django.urls import Resolver404, resolve

PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "cxcs.example",
}


def run_manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "cxcs.settings", **env},
        capture_output=True,
        text=True,
    )


def test_deploy_check_is_clean_under_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", env={"DJANGO_ALLOWED_HOSTS": "cxcs.example"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_pages_carry_a_strict_content_security_policy(client, article):
    policy = client.get(article.get_absolute_url("he"))["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


def test_admin_carries_the_content_security_policy_too(admin_client, article):
    response = admin_client.get(f"/tr/admin/articles/article/{article.pk}/change/")
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_pages_carry_the_security_headers(client, db):
    response = client.get("/tr/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_https_requests_get_strict_transport_security(client, db):
    response = client.get("/tr/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_health_answers_200_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_health_answers_503_when_the_database_does_not(client, db):
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/healthz")
    assert response.status_code == 503


def styled_error_page(response, status):
    html = response.content.decode()
    return response.status_code == status and "css/site.css" in html and "<h1>" in html


def test_a_request_for_another_host_gets_the_styled_400(client, db):
    assert styled_error_page(client.get("/tr/", HTTP_HOST="evil.example"), 400)


def test_staff_without_permission_get_the_styled_403_in_their_language(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("staff", password="x", is_staff=True))
    response = client.get("/he/admin/articles/article/")
    assert styled_error_page(response, 403)
    assert '<html lang="he" dir="rtl">' in response.content.decode()


def test_an_address_that_matches_nothing_gets_the_styled_404_in_its_language(client, db):
    response = client.get("/he/nothing/here/")
    assert styled_error_page(response, 404)
    assert '<html lang="he" dir="rtl">' in response.content.decode()


def test_a_view_that_crashes_answers_the_styled_500(client, tour_page):
    client.raise_request_exception = False
    with mock.patch("marketing.views.campaign_of", side_effect=RuntimeError("boom")):
        response = client.get("/tr/tour/")
    assert response.status_code == 500
    assert "css/site.css" in response.content.decode()
    assert "boom" not in response.content.decode()


def test_disallowed_host_answers_400_not_500(client, db):
    response = client.get("/tr/", HTTP_HOST="evil.example")
    assert response.status_code == 400


def test_the_folders_of_backups_and_restores_are_not_served(client, db):
    assert resolve("/media/articles/figure.png").kwargs == {"path": "articles/figure.png"}
    for hidden in ("/media/.restore/state.json", "/media/articles/../.backup/x/figure.png"):
        with pytest.raises(Resolver404):
            resolve(hidden)
        assert client.get(hidden).status_code == 404


@pytest.mark.parametrize("target", ["serve", "run"])
def test_make_serves_on_the_port_it_is_given(target):
    # -n: what make would run, without running it.
    shown = subprocess.run(
        ["make", "-n", target, "PORT=8123"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    [server] = [line for line in shown.splitlines() if "gunicorn" in line or "runserver" in line]
    assert "127.0.0.1:8123" in server
    assert "8000" not in server
