"""Backing up and restoring the whole site: the database and the uploaded media, in one file.

A backup is a .tar.gz holding the database (a copy made with SQLite's online
backup API, or a `pg_dump --format=custom` archive), every file under
MEDIA_ROOT in media/, and last manifest.json: format version, database vendor,
creation time, the migrations the database has, and the size and SHA-256 of
every other member.

A restore reads the whole backup once without writing anything (every size and
checksum, and the compressed stream to its end), checks there is room, then
unpacks it into a staging folder beside each target, checks the database's
tables against the code's migrations, and only then switches over: the
database in one transaction, then the media folder's entries by renames. From
the switch until the end a state file (.restore/state.json under MEDIA_ROOT)
says the restore is incomplete; start-up checks and /healthz report it, and
running the restore again finishes it.
"""

import errno
import fcntl
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections import defaultdict
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader

from ..page_cache import invalidate_pages

FORMAT = "cxcs-backup"
FORMAT_VERSION = 2
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
DEFAULT_DIRECTORY = settings.BASE_DIR / "backups"
# Inside MEDIA_ROOT, so that staged media are on the same file system as the
# live ones and can be switched by renames (MEDIA_ROOT may be a mount point).
RESTORE_DIRECTORY = ".restore"
# Inside MEDIA_ROOT too: the hard links of a backup in progress.
BACKUP_DIRECTORY = ".backup"
OWN_DIRECTORIES = {RESTORE_DIRECTORY, BACKUP_DIRECTORY}
CHUNK = 1024 * 1024
# Room kept free beyond what a restore writes.
SPARE_BYTES = 16 * 1024 * 1024


class BackupError(Exception):
    pass


class FileChanged(Exception):
    """A media file came out shorter than when it was opened: it was rewritten in place."""


@dataclass
class BackupInfo:
    path: Path
    created_at: datetime
    vendor: str
    database_bytes: int
    media_files: int
    media_bytes: int
    migrations: frozenset = frozenset()
    members: dict = field(default_factory=dict, repr=False)


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


# Backing up


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
    progress = progress or _ignore
    connection = connections[DEFAULT_DB_ALIAS]
    vendor = _supported_vendor(connection)
    created_at = datetime.now(UTC).replace(microsecond=0)
    if path is None or Path(path).is_dir():
        directory = Path(path or DEFAULT_DIRECTORY)
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = default_path(directory, now=created_at)
    path = Path(path)
    media_root = Path(settings.MEDIA_ROOT)
    if path.exists():
        raise BackupError(f"{path} already exists; choose another path.")
    if path.resolve().is_relative_to(media_root.resolve()):
        raise BackupError(f"{path} is inside MEDIA_ROOT; write backups elsewhere.")
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)

    # Beside the target and renamed at the end, so an interrupted backup never
    # looks like a finished one; the database copy sits beside it too, not in
    # a /tmp that may be small or another file system.
    partial = path.with_name(f".{path.name}.partial")
    database_file = path.with_name(f".{path.name}.{DATABASE_FILES[vendor]}")
    members = {}
    try:
        with _media_snapshot(media_root) as snapshot:
            _private_file(database_file).close()
            if vendor == "sqlite":
                _copy_sqlite(connection, database_file)
                migrations = _sqlite_migrations(database_file)
                method = "SQLite online backup"
            else:
                _dump_postgresql(connection, database_file)
                migrations = _postgresql_migrations(database_file)
                method = "pg_dump"
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

                for name, file in sorted(snapshot.files.items()):
                    try:
                        content = file.open("rb")
                    except FileNotFoundError:
                        # Not linked (a file system without hard links) and deleted since.
                        snapshot.skipped += 1
                        continue
                    with content:
                        _add_file(archive, f"{MEDIA}/{name}", content, members)
                media = {n: member for n, member in members.items() if n.startswith(f"{MEDIA}/")}
                media_bytes = sum(member["bytes"] for member in media.values())
                progress(f"Media: {count_media(len(media))}, {format_size(media_bytes)}.")
                if snapshot.skipped:
                    progress(
                        f"Media: {count_media(snapshot.skipped)} deleted while being backed up, "
                        "left out."
                    )

                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "created_at": created_at.isoformat(),
                    "database": {
                        "vendor": vendor,
                        "file": DATABASE_FILES[vendor],
                        "bytes": database_bytes,
                        "migrations": sorted(migrations),
                    },
                    "media": {"files": len(media), "bytes": media_bytes},
                    "members": members,
                }
                _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2).encode())
        partial.replace(path)
    except FileChanged as error:
        message = f"{error} shrank while it was backed up; run the backup again."
        raise BackupError(message) from error
    finally:
        partial.unlink(missing_ok=True)
        database_file.unlink(missing_ok=True)
    progress(f"Archive: {format_size(path.stat().st_size)}.")
    return BackupInfo(
        path, created_at, vendor, database_bytes, len(media), media_bytes, frozenset(migrations)
    )


def _private_file(path):
    """A new file at `path` that only its owner can read."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    return os.fdopen(descriptor, "wb")


class _MediaSnapshot:
    """Hard links to the media files, in a folder of MEDIA_ROOT (so on its file system)."""

    def __init__(self, media_root, folder):
        self.media_root = media_root
        self.folder = folder
        # Relative name -> the file to read: its link, or the file itself when it cannot be linked.
        self.files = {}
        self.skipped = 0

    def take(self):
        """Link every file not linked yet."""
        for file in _media_files(self.media_root):
            name = file.relative_to(self.media_root).as_posix()
            if name in self.files:
                continue
            link = self.folder / name
            link.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(file, link)
            except FileNotFoundError:
                # Replaced or deleted since it was listed: an editor saved meanwhile.
                self.skipped += 1
                continue
            except OSError:
                link = file
            self.files[name] = link


@contextmanager
def _media_snapshot(media_root):
    if not media_root.is_dir():
        yield _MediaSnapshot(media_root, None)
        return
    parent = media_root / BACKUP_DIRECTORY
    parent.mkdir(mode=0o700, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=parent))
    try:
        snapshot = _MediaSnapshot(media_root, folder)
        snapshot.take()
        yield snapshot
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        with suppress(OSError):
            parent.rmdir()


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


def _media_files(media_root):
    """Every file under `media_root`, leaving out the folders of backups and restores."""
    if not media_root.is_dir():
        return
    for directory, subdirectories, names in os.walk(media_root):
        if Path(directory) == media_root:
            subdirectories[:] = [name for name in subdirectories if name not in OWN_DIRECTORIES]
        for name in names:
            yield Path(directory) / name


# Reading a backup


def read_backup(path):
    """Read the whole backup at `path` without writing anything; return what it holds.

    Every member's size and SHA-256 are checked against the manifest, the
    compressed stream is read to its end (its CRC and length), and nothing
    may be missing or extra. Raises BackupError otherwise.
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No backup file at {path}.")
    found = {}
    manifest_data = None
    for name, chunks in _members(path):
        if manifest_data is not None:
            raise BackupError(f"{path} is damaged: {name!r} follows the manifest.")
        if name == MANIFEST:
            manifest_data = b"".join(chunks)
            continue
        digest, size = hashlib.sha256(), 0
        for chunk in chunks:
            digest.update(chunk)
            size += len(chunk)
        found[name] = {"bytes": size, "sha256": digest.hexdigest()}
    if manifest_data is None:
        raise BackupError(f"{path} is not a cxcs backup, or is cut short: it has no {MANIFEST}.")
    info = _parse_manifest(path, manifest_data)
    for name, expected in info.members.items():
        if name not in found:
            raise BackupError(f"{path} is damaged: {name} is missing.")
        actual = found.pop(name)
        if actual["bytes"] != expected["bytes"]:
            raise BackupError(
                f"{path} is damaged: {name} holds {actual['bytes']} bytes, "
                f"the manifest says {expected['bytes']}."
            )
        if actual["sha256"] != expected["sha256"]:
            raise BackupError(f"{path} is damaged: {name} does not match its checksum.")
    if found:
        raise BackupError(f"{path} is damaged: {sorted(found)[0]} is not in its manifest.")
    return info


READ_ERRORS = (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile, OSError)


def _members(path):
    """(name, chunks) for each regular file in the archive, then the stream read to its end.

    `chunks` iterates over the member's content, until the next member is asked for.
    """
    try:
        with (
            gzip.open(path, "rb") as stream,
            tarfile.open(fileobj=stream, mode="r|") as archive,
        ):
            for member in archive:
                if not member.isfile():
                    raise BackupError(f"{_damaged(path)}: unexpected entry {member.name!r}.")
                yield member.name, _chunks(path, archive.extractfile(member))
            # tarfile stops at the end-of-archive blocks; the gzip trailer (CRC
            # and length) after them is only checked when the stream is read out.
            while stream.read(CHUNK):
                pass
    except READ_ERRORS as error:
        raise BackupError(f"{_damaged(path)} ({error or type(error).__name__}).") from error


def _chunks(path, content):
    try:
        while chunk := content.read(CHUNK):
            yield chunk
    except READ_ERRORS as error:
        raise BackupError(f"{_damaged(path)} ({error or type(error).__name__}).") from error


def _damaged(path):
    return f"{path} is not a cxcs backup or is damaged"


def _parse_manifest(path, data):
    not_a_backup = f"{path} is not a cxcs backup"
    try:
        manifest = json.loads(data.decode("utf-8"))
        if manifest["format"] != FORMAT:
            raise ValueError(f"format {manifest['format']!r}")
        version = int(manifest["format_version"])
    except (ValueError, KeyError, TypeError) as error:
        raise BackupError(f"{not_a_backup}: its {MANIFEST} is not valid ({error}).") from error
    if version > FORMAT_VERSION:
        raise BackupError(f"{path} was made by a newer cxcs (format {version}); upgrade first.")
    if version < FORMAT_VERSION:
        raise BackupError(
            f"{path} was made by an older cxcs (format {version}), without checksums to verify "
            "it by; restore it with the version that made it."
        )
    try:
        database = manifest["database"]
        members = {
            str(name): {"bytes": int(member["bytes"]), "sha256": str(member["sha256"])}
            for name, member in manifest["members"].items()
        }
        info = BackupInfo(
            Path(path),
            datetime.fromisoformat(manifest["created_at"]),
            str(database["vendor"]),
            int(database["bytes"]),
            int(manifest["media"]["files"]),
            int(manifest["media"]["bytes"]),
            frozenset(map(str, database["migrations"])),
            members,
        )
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise BackupError(f"{not_a_backup}: its {MANIFEST} is not valid ({error}).") from error

    if info.vendor not in DATABASE_FILES:
        raise BackupError(f"{path} holds a {info.vendor} database, which cxcs cannot restore.")
    for name in members:
        if not _is_member_name(name, info.vendor):
            raise BackupError(f"{not_a_backup}: unexpected entry {name!r}.")
    database_member = members.get(DATABASE_FILES[info.vendor])
    if database_member is None or database_member["bytes"] != info.database_bytes:
        raise BackupError(f"{path} is damaged: its manifest does not list its database.")
    media = [member for name, member in members.items() if name.startswith(f"{MEDIA}/")]
    if len(media) != info.media_files or sum(m["bytes"] for m in media) != info.media_bytes:
        raise BackupError(
            f"{path} is damaged: {len(media)} media files, the manifest says {info.media_files}."
        )
    return info


def _is_member_name(name, vendor):
    if name == DATABASE_FILES[vendor]:
        return True
    parts = PurePosixPath(name).parts
    return (
        len(parts) > 1
        and parts[0] == MEDIA
        and "/".join(parts) == name
        and not any(part in ("", ".", "..") for part in parts)
        and parts[1] not in OWN_DIRECTORIES
    )


# Restoring


def restore_backup(path, *, progress=None, confirm=None):
    """Replace the database content and the media files with those of the backup at `path`.

    Nothing live is touched until the whole backup has been read and checked,
    there is room for it, it has been unpacked beside its targets and its
    database checked against the code's migrations; a backup that fails any
    of these raises BackupError with nothing changed. `progress(line)` is
    called after each step; `confirm(info)`, when given, is asked after the
    checks, and if it returns false nothing is changed and None is returned.

    A backup made before some of the code's migrations is migrated once
    restored; one made by newer code (migrations this code lacks) is refused.
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
    if path.resolve().is_relative_to(media_root.resolve()):
        # The media folder's files are replaced: the backup would go with them.
        raise BackupError(f"{path} is inside MEDIA_ROOT; move it elsewhere first.")
    if connection.in_atomic_block:
        # The restore would wait for, or be undone by, the open transaction.
        raise BackupError("Cannot restore inside a transaction; nothing was changed.")

    info = read_backup(path)
    if info.vendor != vendor:
        raise BackupError(
            f"{path} holds a {info.vendor} database, but this site uses {vendor}; "
            "nothing was changed."
        )
    try:
        missing = _check_migrations(path, info.migrations)
    except BackupError as error:
        raise BackupError(f"{error}; nothing was changed.") from error
    progress(
        f"Checked: made {info.created_at:%Y-%m-%d %H:%M:%S} UTC, {vendor} database "
        f"{format_size(info.database_bytes)}, {count_media(info.media_files)}."
    )
    if missing:
        progress(
            f"The backup's database predates {len(missing)} migration(s) of this code; "
            "they are applied once it is restored."
        )

    work = Restore(media_root, connection)
    with work.locked():
        pending = work.state()
        unfinished = bool(pending and pending.get("phase") == "switching")
        # What a failure before the switch leaves: the site as it was.
        unchanged = (
            f"the earlier restore of {pending.get('backup')} is still unfinished"
            if unfinished
            else "nothing was changed"
        )
        if unfinished:
            progress(
                f"An earlier restore of {pending.get('backup')} did not finish; "
                "this one replaces the database and the media again."
            )
        # An interrupted restore's staged files hold the room this one needs.
        work.discard_leftovers(pending)
        if pending and not unfinished:
            work.clean_up()
        work.check_free_space(info)
        if confirm is not None and not confirm(info):
            return None

        if not unfinished:
            work.write_state(path, info, "staging")
        try:
            work.stage(path, info)
            missing = work.check_staged_database(path)
            work.write_state(path, info, "switching")
            # One transaction: a failure (a full disk) leaves the database as it was.
            work.switch_database()
        except BaseException as error:
            work.roll_back(keep_state=unfinished)
            if isinstance(error, OSError) and error.errno == errno.ENOSPC:
                raise BackupError(f"The disk is full ({error}); {unchanged}.") from error
            if isinstance(error, OSError | sqlite3.Error):
                raise BackupError(f"Restoring {path} failed ({error}); {unchanged}.") from error
            if isinstance(error, BackupError):
                raise BackupError(f"{error}; {unchanged}.") from error
            raise

        # Content type ids may differ in the restored database, and cached
        # pages show the content being replaced.
        ContentType.objects.clear_cache()
        invalidate_pages()
        progress("Database: restored.")
        if missing:
            work.migrate()
            progress(f"Database: {len(missing)} migration(s) applied.")
        work.check_live_database(path)

        try:
            written, removed = work.switch_media()
        except OSError as error:
            raise BackupError(
                f"Moving the restored media in failed ({error}). The restore is incomplete: "
                "fix the cause and run the same restore again."
            ) from error
        progress(f"Media: {count_media(written)} restored, {removed} not in the backup removed.")
        work.write_state(path, info, "cleaning")
        work.clean_up()

    ContentType.objects.clear_cache()
    invalidate_pages()
    return info


def incomplete_restore(media_root=None):
    """The state of a restore that has not finished, or None: {"backup", "phase", ...}.

    "switching" means the site holds part of the backup and part of what was
    there before; "staging" and "cleaning" leave the site whole, with files
    of an interrupted restore still on disk.
    """
    return Restore(Path(media_root or settings.MEDIA_ROOT), None).state()


def discard_restore():
    """Remove what an interrupted restore left on disk, if it changed nothing live yet.

    Returns the state that was discarded, or None when there was none.
    """
    media_root = Path(settings.MEDIA_ROOT)
    work = Restore(media_root, connections[DEFAULT_DB_ALIAS])
    with work.locked():
        state = work.state()
        if state and state.get("phase") == "switching":
            raise BackupError(
                f"The restore of {state.get('backup')} had already begun replacing the site; "
                "it cannot be discarded, only finished: run that restore again."
            )
        work.discard_leftovers(state)
        work.clean_up()
    return state


class Restore:
    """The files of one restore: staging beside each target, the state file, the lock."""

    def __init__(self, media_root, connection):
        self.media_root = media_root
        self.connection = connection
        self.directory = media_root / RESTORE_DIRECTORY
        self.state_file = self.directory / "state.json"
        self.staged_media = self.directory / MEDIA
        self.old_media = self.directory / "replaced"
        self.vendor = connection.vendor if connection else None

    def state(self):
        try:
            return json.loads(self.state_file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            return {"backup": "an unknown backup", "phase": "switching"}

    @contextmanager
    def locked(self):
        """Hold MEDIA_ROOT's lock: one restore at a time (the lock ends with the process)."""
        self.media_root.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.media_root, os.O_RDONLY)
        try:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise BackupError("Another restore is running; nothing was changed.") from None
            yield
        finally:
            os.close(descriptor)

    def write_state(self, backup, info, phase):
        state = {
            "backup": str(Path(backup).resolve()),
            "backup_created_at": info.created_at.isoformat(),
            "phase": phase,
            "since": datetime.now(UTC).replace(microsecond=0).isoformat(),
            "staged_database": str(self.staged_database_path()),
        }
        self.directory.mkdir(mode=0o700, exist_ok=True)
        incoming = self.state_file.with_suffix(".incoming")
        incoming.write_text(json.dumps(state, indent=2), encoding="utf-8")
        with open(incoming, "rb") as written:
            os.fsync(written.fileno())
        incoming.replace(self.state_file)

    def staged_database_path(self):
        if self.vendor == "sqlite":
            live = self.connection.settings_dict["NAME"]
            if live and not self.connection.is_in_memory_db():
                live = Path(live)
                return live.with_name(f".{live.name}.restoring")
        return self.directory / DATABASE_FILES[self.vendor]

    def check_free_space(self, info):
        """Refuse, before anything is written, when a file system lacks room for the restore."""
        needs = defaultdict(int)
        folders = {}

        def need(folder, size):
            device = os.stat(folder).st_dev
            needs[device] += size
            folders.setdefault(device, folder)

        need(self.media_root, info.media_bytes)
        staged = self.staged_database_path()
        beside_media = staged.parent == self.directory
        need(self.media_root if beside_media else staged.parent, info.database_bytes)
        if self.vendor == "sqlite" and not beside_media:
            # The live file's write-ahead log takes every page while it is
            # replaced, and the file grows to the backup's size.
            need(staged.parent, 2 * info.database_bytes)
        for device, size in needs.items():
            free = shutil.disk_usage(folders[device]).free
            if free < size + SPARE_BYTES:
                raise BackupError(
                    f"Not enough free space in {folders[device]}: the restore needs "
                    f"{format_size(size + SPARE_BYTES)}, {format_size(free)} is free; "
                    "nothing was changed."
                )

    def discard_leftovers(self, pending):
        """Remove what an interrupted restore left in its staging places."""
        shutil.rmtree(self.staged_media, ignore_errors=True)
        shutil.rmtree(self.old_media, ignore_errors=True)
        self.staged_database_path().unlink(missing_ok=True)
        if earlier := (pending or {}).get("staged_database"):
            Path(earlier).unlink(missing_ok=True)

    def stage(self, path, info):
        """Unpack the backup beside its targets, checking each member again as it is written."""
        self.staged_media.mkdir(mode=0o700, parents=True)
        database_name = DATABASE_FILES[self.vendor]
        for name, chunks in _members(path):
            if name == MANIFEST:
                continue
            expected = info.members.get(name)
            if expected is None:
                raise BackupError(f"{path} changed while it was restored: {name} is new")
            if name == database_name:
                target = self.staged_database_path()
            else:
                target = self.staged_media / PurePosixPath(name).relative_to(MEDIA)
                target.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            with open(target, "wb") as staged:
                for chunk in chunks:
                    digest.update(chunk)
                    staged.write(chunk)
            if digest.hexdigest() != expected["sha256"]:
                raise BackupError(f"{path} changed while it was restored: {name} differs")

    def check_staged_database(self, path):
        """Refuse a database whose migrations or tables do not fit this code.

        Returns the code's migrations the database lacks (applied once it is restored).
        """
        staged = self.staged_database_path()
        try:
            if self.vendor == "sqlite":
                _check_sqlite(staged)
                applied, tables = _sqlite_migrations(staged), _sqlite_tables(staged)
            else:
                applied, tables = _postgresql_migrations(staged), _postgresql_tables(staged)
        except (sqlite3.DatabaseError, ValueError) as error:
            message = f"{path} is damaged: its database cannot be read ({error})"
            raise BackupError(message) from error
        missing = _check_migrations(path, applied)
        _check_tables(path, applied, tables)
        return missing

    def switch_database(self):
        staged = self.staged_database_path()
        connections.close_all()
        if self.vendor == "sqlite":
            _restore_sqlite(self.connection, staged)
        else:
            _restore_postgresql(self.connection, staged)

    def migrate(self):
        try:
            call_command("migrate", interactive=False, verbosity=0)
        except Exception as error:
            raise BackupError(
                f"The database was restored, but migrating it failed ({error}). The restore is "
                "incomplete: fix the cause and run the same restore again."
            ) from error

    def check_live_database(self, path):
        introspection = self.connection.introspection
        with self.connection.cursor() as cursor:
            tables = set(introspection.table_names(cursor))
        missing = sorted(set(_model_tables(_app_labels())) - tables)
        if missing:
            raise BackupError(
                f"After restoring {path} the database lacks the tables {', '.join(missing)}. "
                "The restore is incomplete: run the same restore again, or another backup."
            )

    def switch_media(self):
        """Put the staged media in place of the live ones, entry by entry.

        Returns how many files were written and how many removed.
        """
        wanted = {file.relative_to(self.staged_media) for file in _media_files(self.staged_media)}
        present = {file.relative_to(self.media_root) for file in _media_files(self.media_root)}
        self.old_media.mkdir(mode=0o700)
        for entry in sorted(self.media_root.iterdir()):
            if entry.name not in OWN_DIRECTORIES:
                entry.rename(self.old_media / entry.name)
        for entry in sorted(self.staged_media.iterdir()):
            target = self.media_root / entry.name
            if target.exists():
                # Written meanwhile (an upload during the restore): kept aside, not mixed in.
                target.rename(self.old_media / f"{entry.name}.{datetime.now(UTC):%H%M%S%f}")
            entry.rename(target)
        return len(wanted), len(present - wanted)

    def clean_up(self):
        shutil.rmtree(self.old_media, ignore_errors=True)
        shutil.rmtree(self.staged_media, ignore_errors=True)
        self.staged_database_path().unlink(missing_ok=True)
        self.state_file.unlink(missing_ok=True)
        with suppress(OSError):
            self.directory.rmdir()

    def roll_back(self, *, keep_state):
        """Remove what this restore staged; the live site was not touched."""
        shutil.rmtree(self.staged_media, ignore_errors=True)
        self.staged_database_path().unlink(missing_ok=True)
        if not keep_state:
            self.state_file.unlink(missing_ok=True)
            with suppress(OSError):
                self.directory.rmdir()


def _supported_vendor(connection):
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


# Migrations and tables


def _code_migrations():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {f"{app}.{name}" for app, name in loader.disk_migrations}


def _app_labels():
    return {app_config.label for app_config in apps.get_app_configs()}


def _check_migrations(path, applied):
    """Refuse a database with migrations this code lacks; return the code's it lacks itself."""
    known = _code_migrations()
    labels = _app_labels()
    unknown = sorted(name for name in applied - known if name.split(".")[0] in labels)
    if unknown:
        raise BackupError(
            f"{path} was made by newer code: its database has migrations this code lacks "
            f"({', '.join(unknown[:3])}{', …' if len(unknown) > 3 else ''}); restore it with "
            "the code that made it"
        )
    return known - applied


def _check_tables(path, applied, tables):
    """Refuse a database that says an app is fully migrated but lacks that app's tables."""
    known = _code_migrations()
    complete = {
        label
        for label in _app_labels()
        if {name for name in known if name.startswith(f"{label}.")} <= applied
    }
    missing = sorted(set(_model_tables(complete)) - set(tables))
    if missing:
        raise BackupError(
            f"{path} is damaged: its database records migrations whose tables it lacks "
            f"({', '.join(missing[:3])}{', …' if len(missing) > 3 else ''})"
        )


def _model_tables(app_labels):
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.app_label in app_labels and meta.managed and not meta.proxy:
            yield meta.db_table


# SQLite


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


def _sqlite_migrations(database_file):
    with closing(sqlite3.connect(database_file)) as database:
        rows = database.execute("SELECT app, name FROM django_migrations").fetchall()
    return {f"{app}.{name}" for app, name in rows}


def _sqlite_tables(database_file):
    with closing(sqlite3.connect(database_file)) as database:
        rows = database.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {name for (name,) in rows}


def _restore_sqlite(connection, database_file):
    connection.ensure_connection()
    with closing(sqlite3.connect(database_file)) as source:
        # Page by page into the live database in one write transaction,
        # replacing all of it: a failure (a full disk) rolls it back whole.
        source.backup(connection.connection)


# PostgreSQL


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


def _read_dump(database_file, *arguments):
    listing = subprocess.run(
        [_postgresql_tool("pg_restore"), *arguments, "--file=-", str(database_file)],
        capture_output=True,
        text=True,
        check=False,
    )
    if listing.returncode:
        raise ValueError(listing.stderr.strip())
    return listing.stdout


def _postgresql_migrations(database_file):
    script = _read_dump(database_file, "--data-only", "--table=django_migrations")
    rows = re.search(
        r"^COPY \S+ \(id, app, name, applied\) FROM stdin;\n(.*?)^\\\.$", script, re.M | re.S
    )
    if not rows:
        return set()
    return {"{1}.{2}".format(*line.split("\t")) for line in rows.group(1).splitlines() if line}


def _postgresql_tables(database_file):
    # Lines such as "215; 1259 16386 TABLE public articles_article owner".
    tables = set()
    for line in _read_dump(database_file, "--list").splitlines():
        parts = line.split()
        if len(parts) >= 6 and not line.startswith(";") and parts[3] == "TABLE":
            tables.add(parts[5])
    return tables


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


def _restore_postgresql(connection, database_file):
    """Replace the whole database with the dump's in one transaction, or change nothing."""
    environment = _postgresql_environment(connection.settings_dict)
    check = database_file.with_name(f"{database_file.name}.check.sql")
    check.write_text(REQUIRE_COMPLETE)
    try:
        restore = subprocess.Popen(
            [_postgresql_tool("pg_restore"), "--no-owner", "--file=-", str(database_file)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        apply = subprocess.Popen(
            [
                _postgresql_tool("psql"),
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
            shutil.copyfileobj(restore.stdout, apply.stdin, CHUNK)
            restore.stdout.close()
            restore_errors = restore.stderr.read().decode(errors="replace").strip()
            if restore.wait() == 0:
                apply.stdin.write(b"\n\\set restore_complete 1\n")
            apply.stdin.close()
        except BrokenPipeError:
            pass
        apply_errors = apply.stderr.read().decode(errors="replace").strip()
        if restore.wait() != 0:
            apply.wait()
            raise BackupError(f"pg_restore failed: {restore_errors}")
        if apply.wait() != 0:
            raise BackupError(f"psql failed: {apply_errors}")
    finally:
        check.unlink(missing_ok=True)
