"""Readers and editors at once on the real server: SQLite neither locks up nor loses a save.

The suite's own database is in-memory SQLite, without WAL or busy timeouts, so
this starts gunicorn with the production settings on a fresh SQLite file
(bench/common.py) and drives it for a few seconds (bench/sqlite_concurrency.py).
"""

import pytest
from django.db import connection

from bench.sqlite_concurrency import run

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        connection.vendor != "sqlite",
        reason=f"about SQLite's locking under concurrent writes; this run uses {connection.vendor}",
    ),
]


@pytest.fixture(scope="module")
def report():
    return run(readers=3, editors=2, seconds=4, workers=4)


def test_readers_and_editors_both_get_through(report):
    assert report.readers.statuses[200] > 0, report.readers.summary()
    assert report.editors.statuses[302] > 0, report.editors.summary()


def test_every_request_is_answered_without_a_server_error(report):
    assert report.server_errors == 0, report.first_error()
    assert report.unanswered == 0, (report.readers.errors, report.editors.errors)


def test_no_request_finds_the_database_locked(report):
    assert report.locked_responses == 0
    assert report.locked_log_lines == 0, report.first_error()


def test_every_acknowledged_save_is_in_the_database(report):
    assert report.lost_saves == 0
