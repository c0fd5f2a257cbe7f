"""Making a backup: the database and every media file written into one new .tar.gz,
each member's size and SHA-256 recorded in its manifest."""

import hashlib
import io
import json
import os
import tarfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from . import postgresql, sqlite
from .base import (
    DATABASE_FILES,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MEDIA,
    BackupError,
    BackupInfo,
    count_media,
    format_size,
    ignore,
    supported_vendor,
)
from .snapshot import media_snapshot

DEFAULT_DIRECTORY = settings.BASE_DIR / "backups"


class FileChanged(Exception):
    """A media file came out shorter than when it was opened: it was rewritten in place."""


def default_path(directory=DEFAULT_DIRECTORY, *, now=None):
    now = now or datetime.now(UTC)
    return Path(directory) / f"cxcs-{now:%Y%m%dT%H%M%SZ}.tar.gz"


def create_backup(path=None, *, progress=None):
    """Write the database and every media file into a new .tar.gz at `path`.

    Without `path` the file goes to backups/ under a UTC timestamp; a folder
    gets that name inside it. An existing file is never overwritten, the file
    is readable by its owner only (it holds password hashes and session
    keys), and a backup that fails half-way leaves nothing behind.
    `progress(line)` is called after each step.

    The site may be edited meanwhile. Every media file is hard-linked into a
    snapshot folder before the database is copied, and those added meanwhile
    after it, so the files the copied database refers to are all kept (a
    rendition replaced and deleted by a save is still read through its link);
    a file deleted before it could be linked is left out, as nothing in the
    copy refers to it.
    """
    progress = progress or ignore
    connection = connections[DEFAULT_DB_ALIAS]
    vendor = supported_vendor(connection)
    created_at = datetime.now(UTC).replace(microsecond=0)
    media_root = Path(settings.MEDIA_ROOT)
    path = _target(path, created_at, media_root)

    # Beside the target and renamed at the end, so an interrupted backup never
    # looks like a finished one; the database copy sits beside it too, not in
    # a /tmp that may be small or another file system.
    partial = path.with_name(f".{path.name}.partial")
    database_file = path.with_name(f".{path.name}.{DATABASE_FILES[vendor]}")
    members = {}
    try:
        with media_snapshot(media_root) as snapshot:
            _private_file(database_file).close()
            migrations, method = _copy_database(connection, vendor, database_file)
            # Files written while the database was copied (a new upload and its
            # renditions) may be referred to by the copy.
            snapshot.take()

            with (
                _private_file(partial) as raw,
                tarfile.open(fileobj=raw, mode="w:gz") as archive,
            ):
                with database_file.open("rb") as content:
                    _add_file(archive, DATABASE_FILES[vendor], content, members)
                database_bytes = members[DATABASE_FILES[vendor]]["bytes"]
                progress(f"Database ({method}): {format_size(database_bytes)}.")
                _add_media(archive, snapshot, members, progress)
                manifest = _manifest(created_at, vendor, migrations, members)
                _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2).encode())
        partial.replace(path)
    except FileChanged as error:
        message = f"{error} shrank while it was backed up; run the backup again."
        raise BackupError(message) from error
    finally:
        partial.unlink(missing_ok=True)
        database_file.unlink(missing_ok=True)
    progress(f"Archive: {format_size(path.stat().st_size)}.")
    media = manifest["media"]
    return BackupInfo(
        path,
        created_at,
        vendor,
        database_bytes,
        media["files"],
        media["bytes"],
        frozenset(migrations),
    )


def _target(path, created_at, media_root):
    """Where the backup goes: `path`, or a timestamped name in it or in DEFAULT_DIRECTORY.

    A `path` ending in a slash names a folder, made if it is not there yet
    (Path() would drop the slash and take its last part for a file name).
    """
    if path is None or str(path).endswith(("/", os.sep)) or Path(path).is_dir():
        directory = Path(path or DEFAULT_DIRECTORY)
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = default_path(directory, now=created_at)
    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} already exists; choose another path.")
    if path.resolve().is_relative_to(media_root.resolve()):
        raise BackupError(f"{path} is inside MEDIA_ROOT; write backups elsewhere.")
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _copy_database(connection, vendor, target):
    """Copy the live database to `target`; return its migrations and how it was copied."""
    if vendor == "sqlite":
        sqlite.copy(connection, target)
        return sqlite.migrations(target), "SQLite online backup"
    postgresql.dump(connection, target)
    return postgresql.migrations(target), "pg_dump"


def _add_media(archive, snapshot, members, progress):
    for name, file in sorted(snapshot.files.items()):
        try:
            content = file.open("rb")
        except FileNotFoundError:
            # Not linked (a file system without hard links) and deleted since.
            snapshot.skipped += 1
            continue
        with content:
            _add_file(archive, f"{MEDIA}/{name}", content, members)
    media = _media(members)
    media_bytes = sum(member["bytes"] for member in media)
    progress(f"Media: {count_media(len(media))}, {format_size(media_bytes)}.")
    if snapshot.skipped:
        progress(f"Media: {count_media(snapshot.skipped)} deleted while being backed up, left out.")


def _manifest(created_at, vendor, migrations, members):
    media = _media(members)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": created_at.isoformat(),
        "database": {
            "vendor": vendor,
            "file": DATABASE_FILES[vendor],
            "bytes": members[DATABASE_FILES[vendor]]["bytes"],
            "migrations": sorted(migrations),
        },
        "media": {"files": len(media), "bytes": sum(member["bytes"] for member in media)},
        "members": members,
    }


def _media(members):
    return [member for name, member in members.items() if name.startswith(f"{MEDIA}/")]


def _private_file(path):
    """A new file at `path` that only its owner can read."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    return os.fdopen(descriptor, "wb")


def _add_file(archive, name, content, members):
    """Add the open file `content` as `name`, recording its size and SHA-256 in `members`."""
    status = os.fstat(content.fileno())
    member = tarfile.TarInfo(name)
    member.size = status.st_size
    member.mtime = int(status.st_mtime)
    member.mode = status.st_mode & 0o777
    reader = _HashingReader(content, name)
    archive.addfile(member, reader)
    members[name] = {"bytes": status.st_size, "sha256": reader.hash.hexdigest()}


class _HashingReader:
    """A file object for tarfile that hashes what it reads."""

    def __init__(self, content, name):
        self.content = content
        self.name = name
        self.hash = hashlib.sha256()

    def read(self, size):
        data = self.content.read(size)
        if len(data) < size:
            # tarfile wrote the size it was given: a shorter file would break the archive.
            raise FileChanged(self.name)
        self.hash.update(data)
        return data


def _add_bytes(archive, name, data):
    member = tarfile.TarInfo(name)
    member.size = len(data)
    member.mtime = int(datetime.now(UTC).timestamp())
    member.mode = 0o600
    archive.addfile(member, io.BytesIO(data))
