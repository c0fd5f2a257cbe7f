"""The media files as a backup finds them: hard links taken before the database
is copied and again after, so that a file the copy refers to is kept even if an
editor replaces or deletes it meanwhile."""

import os
import shutil
import tempfile
from contextlib import contextmanager, suppress
from pathlib import Path

from .base import BACKUP_DIRECTORY, media_files


class MediaSnapshot:
    """Hard links to the media files, in a folder of MEDIA_ROOT (so on its file system)."""

    def __init__(self, media_root, folder):
        self.media_root = media_root
        self.folder = folder
        # Relative name -> the file to read: its link, or the file itself when it cannot be linked.
        self.files = {}
        self.skipped = 0

    def take(self):
        """Link every file not linked yet."""
        for file in media_files(self.media_root):
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
def media_snapshot(media_root):
    """A MediaSnapshot of `media_root`, taken once; its links are removed on leaving."""
    if not media_root.is_dir():
        yield MediaSnapshot(media_root, None)
        return
    parent = media_root / BACKUP_DIRECTORY
    parent.mkdir(mode=0o700, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=parent))
    try:
        snapshot = MediaSnapshot(media_root, folder)
        snapshot.take()
        yield snapshot
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        with suppress(OSError):
            parent.rmdir()
