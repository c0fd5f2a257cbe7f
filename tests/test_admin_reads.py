"""Reading the admin takes no write lock: on SQLite, editors' saves never wait for a
colleague who is only looking at a list or a form."""

import sqlite3
from contextlib import closing, contextmanager

import pytest
from django.db import connection

from articles.launch.loader import load_launch_content
from articles.models import Article

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="about SQLite's database-wide write lock"
)


@contextmanager
def write_lock_held_elsewhere():
    """Another process's transaction holding SQLite's write lock, as a save in progress does."""
    with closing(sqlite3.connect(connection.settings_dict["NAME"], timeout=0)) as other:
        other.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            other.rollback()


@pytest.fixture
def editor_client(file_database, client, django_user_model, settings):
    # Waiting for the lock fails after a tenth of a second instead of twenty.
    connection.settings_dict["OPTIONS"] = {
        **connection.settings_dict["OPTIONS"],
        "timeout": 0.1,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=100;",
    }
    connection.close()
    load_launch_content()
    client.force_login(django_user_model.objects.create_superuser("editor", "", "x"))
    return client


ADMIN_PAGES = [
    "/en/admin/articles/article/",
    "/en/admin/articles/article/?needs_translation=he",
    "/en/admin/articles/article/{pk}/change/",
    "/en/admin/articles/article/{pk}/history/",
    "/en/admin/articles/article/{pk}/delete/",
    "/en/admin/articles/tourpage/",
    "/en/admin/marketing/campaigncount/",
]


def test_reading_admin_pages_does_not_wait_for_a_save(editor_client):
    pk = Article.objects.get().pk
    with write_lock_held_elsewhere():
        for address in ADMIN_PAGES:
            assert editor_client.get(address.format(pk=pk)).status_code == 200, address
