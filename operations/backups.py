"""Backing up and restoring the whole site: the database and the uploaded media, in one file.

A backup is a .tar.gz holding manifest.json (format version, database vendor,
creation time, counts), the database (a copy made with SQLite's online backup
API, or a `pg_dump --format=custom` archive) and every file under MEDIA_ROOT in
media/. Restoring unpacks and checks everything in a temporary directory first,
so a backup that is missing, damaged or made for another database changes nothing.
"""

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, connections

from .page_cache import invalidate_pages

FORMAT = "cxcs-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
DEFAULT_DIRECTORY = settings.BASE_DIR / "backups"


class BackupError(Exception):
    pass


@dataclass
class BackupInfo:
    path: Path
    created_at: datetime
    vendor: str
    database_bytes: int
    media_files: int
    media_bytes: int


def _ignore(message):
    pass


def format_size(size):
    """`size` bytes as a reader would say it: "820 bytes", "1.2 MB"."""
    if size < 1000:
        return f"{size} bytes"
    for unit in ("kB", "MB", "GB"):
        size /= 1000
        if size < 1000 or unit == "GB":
            return f"{size:.1f} {unit}"


def count_media(count):
    return f"{count} media file" if count == 1 else f"{count} media files"


def shown(path):
    """`path` relative to the working directory when it lies inside it, for messages."""
    path = Path(path)
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path


def default_path(directory=DEFAULT_DIRECTORY, *, now=None):
    now = now or datetime.now(UTC)
    return Path(directory) / f"cxcs-{now:%Y%m%dT%H%M%SZ}.tar.gz"


def create_backup(path=None, *, progress=None):
    """Write the database and every media file into a new .tar.gz at `path`.

    Without `path` the file goes to backups/ under a UTC timestamp; a folder
    gets that name inside it. An existing file is never overwritten, and a
    backup that fails half-way leaves nothing behind. `progress(line)` is
    called after each step.
    """
    progress = progress or _ignore
    connection = connections[DEFAULT_DB_ALIAS]
    vendor = _supported_vendor(connection)
    created_at = datetime.now(UTC).replace(microsecond=0)
    if path is None or Path(path).is_dir():
        path = default_path(path or DEFAULT_DIRECTORY, now=created_at)
    path = Path(path)
    media_root = Path(settings.MEDIA_ROOT)
    if path.exists():
        raise BackupError(f"{path} already exists; choose another path.")
    if path.resolve().is_relative_to(media_root.resolve()):
        raise BackupError(f"{path} is inside MEDIA_ROOT; write backups elsewhere.")

    with tempfile.TemporaryDirectory(prefix="cxcs-backup-") as scratch:
        database_file = Path(scratch) / DATABASE_FILES[vendor]
        if vendor == "sqlite":
            _copy_sqlite(connection, database_file)
            method = "SQLite online backup"
        else:
            _dump_postgresql(connection, database_file)
            method = "pg_dump"
        database_bytes = database_file.stat().st_size
        progress(f"Database ({method}): {format_size(database_bytes)}.")

        media = sorted(_media_files(media_root))
        media_bytes = sum(file.stat().st_size for file in media)
        progress(f"Media: {count_media(len(media))}, {format_size(media_bytes)}.")

        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": created_at.isoformat(),
            "database": {"vendor": vendor, "file": database_file.name, "bytes": database_bytes},
            "media": {"files": len(media), "bytes": media_bytes},
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written beside the target and renamed at the end, so an interrupted
        # backup never looks like a finished one.
        partial = path.with_name(f".{path.name}.partial")
        try:
            with tarfile.open(partial, "w:gz") as archive:
                _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2).encode())
                archive.add(database_file, arcname=database_file.name)
                for file in media:
                    name = f"{MEDIA}/{file.relative_to(media_root).as_posix()}"
                    with file.open("rb") as content:
                        archive.addfile(archive.gettarinfo(arcname=name, fileobj=content), content)
            partial.replace(path)
        finally:
            partial.unlink(missing_ok=True)
    progress(f"Archive: {format_size(path.stat().st_size)}.")
    return BackupInfo(path, created_at, vendor, database_bytes, len(media), media_bytes)


def restore_backup(path, *, progress=None, confirm=None):
    """Replace the database content and the media files with those of the backup at `path`.

    Everything is unpacked and checked before anything live is touched; a
    backup that is missing, damaged or made for another database vendor
    raises BackupError with nothing changed. `progress(line)` is called after
    each step; `confirm(info)`, when given, is asked after the checks, and if
    it returns false nothing is changed and None is returned.
    """
    progress = progress or _ignore
    path = Path(path)
    connection = connections[DEFAULT_DB_ALIAS]
    vendor = _supported_vendor(connection)
    media_root = Path(settings.MEDIA_ROOT)
    if not path.is_file():
        raise BackupError(f"No backup file at {path}.")
    if Path(settings.BASE_DIR).resolve().is_relative_to(media_root.resolve()):
        raise BackupError("MEDIA_ROOT holds the project itself; refusing to replace its files.")

    with tempfile.TemporaryDirectory(prefix="cxcs-restore-") as scratch:
        scratch = Path(scratch)
        info = _unpack(path, scratch)
        if info.vendor != vendor:
            raise BackupError(
                f"{path} holds a {info.vendor} database, but this site uses {vendor}; "
                "nothing was changed."
            )
        database_file = scratch / DATABASE_FILES[vendor]
        if not database_file.is_file():
            raise BackupError(f"{path} is damaged: its database file is missing.")
        try:
            if vendor == "sqlite":
                _check_sqlite(database_file)
            else:
                _check_postgresql(database_file)
        except (sqlite3.DatabaseError, ValueError) as error:
            message = f"{path} is damaged: its database cannot be read ({error})."
            raise BackupError(message) from error
        progress(
            f"Checked: made {info.created_at:%Y-%m-%d %H:%M:%S} UTC, {vendor} database "
            f"{format_size(info.database_bytes)}, {count_media(info.media_files)}."
        )
        if connection.in_atomic_block:
            # The restore would wait for, or be undone by, the open transaction.
            raise BackupError("Cannot restore inside a transaction; nothing was changed.")
        if confirm is not None and not confirm(info):
            return None

        connections.close_all()
        if vendor == "sqlite":
            _restore_sqlite(connection, database_file)
        else:
            _restore_postgresql(connection, database_file)
        progress("Database: restored.")
        written, removed = _replace_media(scratch / MEDIA, media_root)
        progress(f"Media: {count_media(written)} restored, {removed} not in the backup removed.")

    # Content type ids may differ in the restored database, and cached pages
    # show the content being replaced.
    ContentType.objects.clear_cache()
    invalidate_pages()
    return info


def _supported_vendor(connection):
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def _add_bytes(archive, name, data):
    member = tarfile.TarInfo(name)
    member.size = len(data)
    member.mtime = int(datetime.now(UTC).timestamp())
    member.mode = 0o644
    archive.addfile(member, io.BytesIO(data))


def _media_files(media_root):
    if not media_root.is_dir():
        return
    for directory, _subdirectories, names in os.walk(media_root):
        for name in names:
            yield Path(directory) / name


def _unpack(path, into):
    """Extract the backup at `path` into `into`; check it and return what its manifest says."""
    not_a_backup = f"{path} is not a cxcs backup"
    try:
        with tarfile.open(path, "r:gz") as archive:
            for member in archive:
                name = member.name
                expected = name in (MANIFEST, *DATABASE_FILES.values()) or (
                    name == MEDIA or name.startswith(f"{MEDIA}/")
                )
                if not expected or not (member.isfile() or member.isdir()):
                    raise BackupError(f"{not_a_backup}: unexpected entry {name!r}.")
            # The "data" filter refuses absolute paths, ".." and links leaving `into`.
            archive.extractall(into, filter="data")
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        raise BackupError(f"{not_a_backup} or is damaged ({error}).") from error

    if not (into / MANIFEST).is_file():
        raise BackupError(f"{not_a_backup}: it has no {MANIFEST}.")
    try:
        manifest = json.loads((into / MANIFEST).read_text(encoding="utf-8"))
        if manifest["format"] != FORMAT:
            raise ValueError(f"format {manifest['format']!r}")
        version = int(manifest["format_version"])
        info = BackupInfo(
            path,
            datetime.fromisoformat(manifest["created_at"]),
            str(manifest["database"]["vendor"]),
            int(manifest["database"]["bytes"]),
            int(manifest["media"]["files"]),
            int(manifest["media"]["bytes"]),
        )
    except (ValueError, KeyError, TypeError) as error:
        raise BackupError(f"{not_a_backup}: its {MANIFEST} is not valid ({error}).") from error
    if version > FORMAT_VERSION:
        raise BackupError(f"{path} was made by a newer cxcs (format {version}); upgrade first.")
    if info.vendor not in DATABASE_FILES:
        raise BackupError(f"{path} holds a {info.vendor} database, which cxcs cannot restore.")
    found = sum(1 for _file in _media_files(into / MEDIA))
    if found != info.media_files:
        raise BackupError(
            f"{path} is damaged: {found} media files, the manifest says {info.media_files}."
        )
    return info


def _copy_sqlite(connection, target):
    # Django's own connection, so the in-memory test database can be copied too;
    # the backup API gives a consistent copy while the site keeps writing.
    connection.ensure_connection()
    with closing(sqlite3.connect(target)) as copy:
        connection.connection.backup(copy)
        # A self-contained file, without a -wal beside it.
        copy.execute("PRAGMA journal_mode=DELETE")


def _check_sqlite(database_file):
    with closing(sqlite3.connect(database_file)) as database:
        (result,) = database.execute("PRAGMA quick_check").fetchone()
        if result != "ok":
            raise ValueError(result)
        database.execute("SELECT 1 FROM django_migrations LIMIT 1").fetchall()


def _restore_sqlite(connection, database_file):
    connection.ensure_connection()
    with closing(sqlite3.connect(database_file)) as source:
        # Page by page into the live database under SQLite's lock, replacing all of it.
        source.backup(connection.connection)


def _postgresql_environment(settings_dict):
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


def _postgresql_tool(name):
    if found := shutil.which(name):
        return found
    installed = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda tool: int(tool.parts[-3]) if tool.parts[-3].isdigit() else 0,
    )
    if not installed:
        raise BackupError(f"{name} not found; install the PostgreSQL client tools.")
    return str(installed[-1])


def _run_postgresql_tool(connection, name, *arguments):
    # --no-password: fail at once rather than wait for a password prompt nobody sees.
    command = [_postgresql_tool(name), "--no-password", *arguments]
    finished = subprocess.run(
        command,
        env=_postgresql_environment(connection.settings_dict),
        capture_output=True,
        text=True,
        check=False,
    )
    if finished.returncode:
        raise BackupError(f"{name} failed: {finished.stderr.strip()}")


def _dump_postgresql(connection, target):
    _run_postgresql_tool(connection, "pg_dump", "--format=custom", f"--file={target}")


def _check_postgresql(database_file):
    listing = subprocess.run(
        [_postgresql_tool("pg_restore"), "--list", str(database_file)],
        capture_output=True,
        text=True,
        check=False,
    )
    if listing.returncode:
        raise ValueError(listing.stderr.strip())


def _restore_postgresql(connection, database_file):
    # A failure raises before the media are touched, and leaves the database unchanged.
    _run_postgresql_tool(
        connection,
        "pg_restore",
        "--clean",
        "--if-exists",
        "--no-owner",
        # All or nothing: a failure leaves the database as it was.
        "--single-transaction",
        # Connect and restore rather than print SQL; an empty name makes libpq
        # take the database, like the rest of the connection, from PGDATABASE.
        "--dbname=",
        str(database_file),
    )


def _replace_media(staged, media_root):
    """Make MEDIA_ROOT hold exactly the files in `staged`; return (written, removed).

    New files are written first, each by an atomic rename, and only then are
    files the backup lacks removed, so no restored row points at a missing file.
    MEDIA_ROOT itself is kept, as it may be a mount point.
    """
    wanted = set()
    for source in _media_files(staged):
        relative = source.relative_to(staged)
        wanted.add(relative)
        target = media_root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        incoming = target.with_name(f".{target.name}.restoring")
        shutil.copyfile(source, incoming)
        incoming.replace(target)
    removed = 0
    for file in list(_media_files(media_root)):
        if file.relative_to(media_root) not in wanted:
            file.unlink()
            removed += 1
    for directory, _subdirectories, _names in os.walk(media_root, topdown=False):
        if Path(directory) != media_root and not any(Path(directory).iterdir()):
            Path(directory).rmdir()
    return len(wanted), removed
