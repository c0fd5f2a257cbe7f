"""A backup's SQLite database: copied with the online backup API, read, and
copied back into the live database."""

import sqlite3
from contextlib import closing


def copy(connection, target):
    """Copy the database of Django's `connection` into a new file at `target`."""
    # Django's own connection, so the in-memory test database can be copied too;
    # the backup API gives a consistent copy while the site keeps writing.
    connection.ensure_connection()
    with closing(sqlite3.connect(target)) as copied:
        connection.connection.backup(copied)
        # A self-contained file, without a -wal beside it.
        copied.execute("PRAGMA journal_mode=DELETE")


def check(database_file):
    """Raise ValueError (or sqlite3.DatabaseError) when the file is not a sound database."""
    with closing(sqlite3.connect(database_file)) as database:
        (result,) = database.execute("PRAGMA quick_check").fetchone()
        if result != "ok":
            raise ValueError(result)


def migrations(database_file):
    with closing(sqlite3.connect(database_file)) as database:
        rows = database.execute("SELECT app, name FROM django_migrations").fetchall()
    return {f"{app}.{name}" for app, name in rows}


def tables(database_file):
    with closing(sqlite3.connect(database_file)) as database:
        rows = database.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {name for (name,) in rows}


def restore(connection, database_file):
    """Replace the whole database of `connection` with the file's, or change nothing."""
    connection.ensure_connection()
    with closing(sqlite3.connect(database_file)) as source:
        # Page by page into the live database in one write transaction,
        # replacing all of it: a failure (a full disk) rolls it back whole.
        source.backup(connection.connection)
