"""What making, reading and restoring a backup share: the archive's layout, its
errors, what a backup holds, and the sizes and paths shown in messages."""

import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

FORMAT = "cxcs-backup"
FORMAT_VERSION = 2
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
# Inside MEDIA_ROOT, so that staged media are on the same file system as the
# live ones and can be switched by renames (MEDIA_ROOT may be a mount point).
RESTORE_DIRECTORY = ".restore"
# Inside MEDIA_ROOT too: the hard links of a backup in progress.
BACKUP_DIRECTORY = ".backup"
OWN_DIRECTORIES = {RESTORE_DIRECTORY, BACKUP_DIRECTORY}
CHUNK = 1024 * 1024


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
    migrations: frozenset = frozenset()
    members: dict = field(default_factory=dict, repr=False)


def ignore(message):
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


def supported_vendor(connection):
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def media_files(media_root):
    """Every file under `media_root`, leaving out the folders of backups and restores."""
    if not media_root.is_dir():
        return
    for directory, subdirectories, names in os.walk(media_root):
        if Path(directory) == media_root:
            subdirectories[:] = [name for name in subdirectories if name not in OWN_DIRECTORIES]
        for name in names:
            yield Path(directory) / name
