"""A restore killed with SIGKILL half-way, in a process of its own, as an operator's may be."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest
from django.conf import settings

from .conftest import manage, site_env

EDITED_TITLE = "נערך אחרי הגיבוי"
LARGE_FILES = 40


def title_he(database):
    with closing(sqlite3.connect(database)) as connection:
        return connection.execute("SELECT title_he FROM articles_article").fetchone()[0]


def files(root):
    """The site's media files: everything but the restore's own folder."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in Path(root).rglob("*")
        if path.is_file() and not path.relative_to(root).as_posix().startswith(".restore/")
    }


@pytest.fixture
def site(tmp_path):
    """A site on SQLite with the launch content and 40 MB of media, backed up, then edited."""
    (tmp_path / "tmp").mkdir()
    env = site_env(
        DJANGO_SETTINGS_MODULE="cxcs.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        CACHE_URL="locmemcache://",
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
        # Whatever the commands put in a temporary folder stays where it can be seen.
        TMPDIR=str(tmp_path / "tmp"),
    )
    manage("migrate", "--no-input", env=env)
    manage("load_launch_content", env=env)
    large = tmp_path / "media" / "articles" / "large"
    large.mkdir(parents=True)
    for number in range(LARGE_FILES):
        (large / f"{number:02}.bin").write_bytes(os.urandom(1024 * 1024))
    manage("backup", str(tmp_path / "site.tar.gz"), env=env)
    backed_up = {"title_he": title_he(tmp_path / "db.sqlite3"), "media": files(tmp_path / "media")}

    with closing(sqlite3.connect(tmp_path / "db.sqlite3")) as connection:
        connection.execute("UPDATE articles_article SET title_he = ?", [EDITED_TITLE])
        connection.commit()
    (large / "07.bin").unlink()
    (large / "added-later.bin").write_bytes(b"not in the backup")
    return env, tmp_path, backed_up


def test_a_restore_killed_while_unpacking_changes_nothing_and_running_it_again_finishes(site):
    env, root, backed_up = site
    media, database = root / "media", root / "db.sqlite3"
    edited_media = files(media)
    staged = media / ".restore" / "media"

    restoring = subprocess.Popen(
        [sys.executable, "manage.py", "restore", "--no-input", str(root / "site.tar.gz")],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while len(list(staged.rglob("*.bin"))) < LARGE_FILES // 3:
        assert restoring.poll() is None, restoring.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.005)
    os.kill(restoring.pid, signal.SIGKILL)
    restoring.wait()
    state = json.loads((media / ".restore" / "state.json").read_text())

    assert state["phase"] == "staging"
    assert title_he(database) == EDITED_TITLE
    assert files(media) == edited_media
    assert list((root / "tmp").iterdir()) == []
    check = manage("check", env=env)
    assert "operations.W001" in check.stderr

    finished = manage("restore", "--no-input", str(root / "site.tar.gz"), env=env)

    restored = len(backed_up["media"])
    assert (
        f"Media: {restored} media files restored, 1 not in the backup removed." in finished.stdout
    )
    assert title_he(database) == backed_up["title_he"]
    assert files(media) == backed_up["media"]
    assert not (media / ".restore").exists()
    assert list(root.glob(".*.restoring")) == []
    assert list((root / "tmp").iterdir()) == []
    assert "W001" not in manage("check", env=env).stderr
