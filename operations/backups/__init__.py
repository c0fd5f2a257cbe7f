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

create.py makes a backup, from the media snapshot of snapshot.py; verify.py
reads one and checks it; restore.py restores one, checking its database with
schema.py; sqlite.py and postgresql.py copy, read and restore each kind of
database; base.py holds what they share.
"""

from .base import (
    DATABASE_FILES,
    FORMAT_VERSION,
    BackupError,
    BackupInfo,
    count_media,
    format_size,
    shown,
)
from .create import create_backup
from .restore import Restore, discard_restore, incomplete_restore, restore_backup
from .verify import read_backup

__all__ = [
    "DATABASE_FILES",
    "FORMAT_VERSION",
    "BackupError",
    "BackupInfo",
    "Restore",
    "count_media",
    "create_backup",
    "discard_restore",
    "format_size",
    "incomplete_restore",
    "read_backup",
    "restore_backup",
    "shown",
]
