"""Backing up and restoring the whole site: the database and the uploaded media, in one file."""

from .restore import (
    DATABASE_FILES,
    FORMAT_VERSION,
    BackupError,
    BackupInfo,
    Restore,
    count_media,
    create_backup,
    discard_restore,
    format_size,
    incomplete_restore,
    read_backup,
    restore_backup,
    shown,
)

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
