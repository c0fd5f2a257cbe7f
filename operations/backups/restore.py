"""Restoring a backup: read and checked whole, unpacked beside its targets, then
switched in (the database in one transaction, the media folder's entries by
renames), with a state file saying a switch has begun until it has ended."""

import errno
import fcntl
import hashlib
import json
import os
import shutil
import sqlite3
from collections import defaultdict
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections

from ..page_cache import invalidate_pages
from . import postgresql, sqlite
from .base import (
    DATABASE_FILES,
    MANIFEST,
    MEDIA,
    OWN_DIRECTORIES,
    RESTORE_DIRECTORY,
    BackupError,
    count_media,
    format_size,
    ignore,
    media_files,
    supported_vendor,
)
from .schema import app_labels, check_migrations, check_tables, model_tables
from .verify import members, read_backup

# Room kept free beyond what a restore writes.
SPARE_BYTES = 16 * 1024 * 1024


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
    progress = progress or ignore
    path = Path(path)
    connection = connections[DEFAULT_DB_ALIAS]
    media_root = Path(settings.MEDIA_ROOT)
    info = _checked_backup(path, connection, media_root, progress)

    work = Restore(media_root, connection)
    with work.locked():
        pending = work.state()
        if _is_unfinished(pending):
            progress(
                f"An earlier restore of {pending.get('backup')} did not finish; "
                "this one replaces the database and the media again."
            )
        # An interrupted restore's staged files hold the room this one needs.
        work.discard_leftovers(pending)
        if pending and not _is_unfinished(pending):
            work.clean_up()
        work.check_free_space(info)
        if confirm is not None and not confirm(info):
            return None

        missing = _switch_database(work, path, info, pending)
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


def _checked_backup(path, connection, media_root, progress):
    """What the backup at `path` holds, once it is read whole and found fit to restore here."""
    vendor = supported_vendor(connection)
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
        missing = check_migrations(path, info.migrations)
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
    return info


def _is_unfinished(pending):
    """Whether the restore `pending` (a state, or None) had begun replacing the site."""
    return bool(pending and pending.get("phase") == "switching")


def _switch_database(work, path, info, pending):
    """Unpack the backup, check its database, and put it in place of the live one.

    Returns the code's migrations the restored database lacks. A failure
    removes what was staged and leaves the site as it was.
    """
    unfinished = _is_unfinished(pending)
    unchanged = (
        f"the earlier restore of {pending.get('backup')} is still unfinished"
        if unfinished
        else "nothing was changed"
    )
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
    return missing


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
        if _is_unfinished(state):
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
        for name, chunks in members(path):
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
                sqlite.check(staged)
                applied, tables = sqlite.migrations(staged), sqlite.tables(staged)
            else:
                applied, tables = postgresql.migrations(staged), postgresql.tables(staged)
        except (sqlite3.DatabaseError, ValueError) as error:
            message = f"{path} is damaged: its database cannot be read ({error})"
            raise BackupError(message) from error
        missing = check_migrations(path, applied)
        check_tables(path, applied, tables)
        return missing

    def switch_database(self):
        staged = self.staged_database_path()
        connections.close_all()
        if self.vendor == "sqlite":
            sqlite.restore(self.connection, staged)
        else:
            postgresql.restore(self.connection, staged)

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
        missing = sorted(set(model_tables(app_labels())) - tables)
        if missing:
            raise BackupError(
                f"After restoring {path} the database lacks the tables {', '.join(missing)}. "
                "The restore is incomplete: run the same restore again, or another backup."
            )

    def switch_media(self):
        """Put the staged media in place of the live ones, entry by entry.

        Returns how many files were written and how many removed.
        """
        wanted = {file.relative_to(self.staged_media) for file in media_files(self.staged_media)}
        present = {file.relative_to(self.media_root) for file in media_files(self.media_root)}
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
