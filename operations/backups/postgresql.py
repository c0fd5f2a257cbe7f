"""A backup's PostgreSQL database: a `pg_dump --format=custom` archive, read
with pg_restore, and restored through psql in one transaction."""

import os
import re
import shutil
import subprocess
from pathlib import Path

from .base import CHUNK, BackupError

# Drops every table first, so that none the backup lacks (made by migrations
# newer than it) is left in place; the restored ones are created anew.
DROP_TABLES = """
DO $$
DECLARE name text;
BEGIN
  FOR name IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() LOOP
    EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', name);
  END LOOP;
END $$;
"""
# Run after the restore's SQL: without the variable the pipe ends in the
# middle (pg_restore failed, or this process was killed), and the error
# rolls everything back.
REQUIRE_COMPLETE = r"""
\if :{?restore_complete}
\else
SELECT 'the restore was cut short' WHERE 1 / 0 = 0;
\endif
"""


def _environment(settings_dict):
    """libpq's variables for Django's connection settings: no password on a command line."""
    options = settings_dict.get("OPTIONS", {})
    values = {
        "PGDATABASE": settings_dict.get("NAME"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGSERVICE": options.get("service"),
        "PGPASSFILE": options.get("passfile"),
        "PGSSLMODE": options.get("sslmode"),
        "PGSSLROOTCERT": options.get("sslrootcert"),
        "PGSSLCERT": options.get("sslcert"),
        "PGSSLKEY": options.get("sslkey"),
    }
    return {**os.environ, **{name: str(value) for name, value in values.items() if value}}


def _tool(name):
    if found := shutil.which(name):
        return found
    installed = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda tool: int(tool.parts[-3]) if tool.parts[-3].isdigit() else 0,
    )
    if not installed:
        raise BackupError(f"{name} not found; install the PostgreSQL client tools.")
    return str(installed[-1])


def _run_tool(connection, name, *arguments):
    # --no-password: fail at once rather than wait for a password prompt nobody sees.
    command = [_tool(name), "--no-password", *arguments]
    finished = subprocess.run(
        command,
        env=_environment(connection.settings_dict),
        capture_output=True,
        text=True,
        check=False,
    )
    if finished.returncode:
        raise BackupError(f"{name} failed: {finished.stderr.strip()}")


def dump(connection, target):
    """Write the database of Django's `connection` to `target` with pg_dump."""
    _run_tool(connection, "pg_dump", "--format=custom", f"--file={target}")


def _read_dump(database_file, *arguments):
    listing = subprocess.run(
        [_tool("pg_restore"), *arguments, "--file=-", str(database_file)],
        capture_output=True,
        text=True,
        check=False,
    )
    if listing.returncode:
        raise ValueError(listing.stderr.strip())
    return listing.stdout


def migrations(database_file):
    script = _read_dump(database_file, "--data-only", "--table=django_migrations")
    rows = re.search(
        r"^COPY \S+ \(id, app, name, applied\) FROM stdin;\n(.*?)^\\\.$", script, re.M | re.S
    )
    if not rows:
        return set()
    return {"{1}.{2}".format(*line.split("\t")) for line in rows.group(1).splitlines() if line}


def tables(database_file):
    # Lines such as "215; 1259 16386 TABLE public articles_article owner".
    found = set()
    for line in _read_dump(database_file, "--list").splitlines():
        parts = line.split()
        if len(parts) >= 6 and not line.startswith(";") and parts[3] == "TABLE":
            found.add(parts[5])
    return found


def restore(connection, database_file):
    """Replace the whole database with the dump's in one transaction, or change nothing."""
    environment = _environment(connection.settings_dict)
    check = database_file.with_name(f"{database_file.name}.check.sql")
    check.write_text(REQUIRE_COMPLETE)
    try:
        pg_restore = subprocess.Popen(
            [_tool("pg_restore"), "--no-owner", "--file=-", str(database_file)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        psql = subprocess.Popen(
            [
                _tool("psql"),
                "--no-password",
                "--quiet",
                "--no-psqlrc",
                "--single-transaction",
                "--set=ON_ERROR_STOP=1",
                f"--command={DROP_TABLES}",
                "--file=-",
                f"--file={check}",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=environment,
        )
        try:
            shutil.copyfileobj(pg_restore.stdout, psql.stdin, CHUNK)
            pg_restore.stdout.close()
            pg_restore_errors = pg_restore.stderr.read().decode(errors="replace").strip()
            if pg_restore.wait() == 0:
                psql.stdin.write(b"\n\\set restore_complete 1\n")
            psql.stdin.close()
        except BrokenPipeError:
            pass
        psql_errors = psql.stderr.read().decode(errors="replace").strip()
        if pg_restore.wait() != 0:
            psql.wait()
            raise BackupError(f"pg_restore failed: {pg_restore_errors}")
        if psql.wait() != 0:
            raise BackupError(f"psql failed: {psql_errors}")
    finally:
        check.unlink(missing_ok=True)
