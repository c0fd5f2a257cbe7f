"""Backing up and restoring the site: `manage.py backup` and `manage.py restore`.

A restore replaces whole tables, and on PostgreSQL pg_dump only sees committed
rows, so every test here commits for real (transactional database).
"""

import errno
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import tarfile
from contextlib import closing
from io import StringIO
from pathlib import Path

import pytest
import reversion
from axes.models import AccessAttempt, AccessAttemptExpiration
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.core.management.base import SystemCheckError
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from PIL import Image
from reversion.models import Version

from articles.launch.editor import HOUSE_STYLE_LEDE_HE
from articles.launch.loader import IMAGE_ALTS, LEDES
from articles.models import Article, TourPage
from operations import backups

pytestmark = pytest.mark.django_db(transaction=True)

# The launch figure and its five renditions (articles/images.py), on the article
# and on the tour page.
LAUNCH_MEDIA_FILES = 12


@pytest.fixture(autouse=True)
def working_directory(tmp_path, monkeypatch):
    """Run the commands from tmp_path, so they show paths relative to it."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def backup(*arguments, **options):
    out = StringIO()
    call_command("backup", *map(str, arguments), stdout=out, **options)
    return out.getvalue()


def restore(path, **options):
    out = StringIO()
    options.setdefault("interactive", False)
    call_command("restore", str(path), stdout=out, **options)
    return out.getvalue()


def content():
    """Every column of every article and tour page, every language's fields included."""
    return {model.__name__: rows(model) for model in (Article, TourPage)}


def rows(model):
    columns = [field.attname for field in model._meta.concrete_fields]
    return list(model.objects.order_by("pk").values(*columns))


def media(root):
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in Path(root).rglob("*")
        if path.is_file()
    }


def edit_the_site(article):
    """Changes a restore has to undo: translations, the tour page, a new article and file."""
    article.title_he = "כותרת אחרת"
    article.body_tr = "Başka bir metin."
    article.image_alt_en = "Another picture"
    article.save()
    TourPage.objects.all().delete()
    Article.objects.create(title_tr="Yeni Yazı", body_tr="Yeni.", title_he="חדש", body_he="חדש.")
    default_storage.save("articles/added-later.png", ContentFile(b"not in the backup"))


def repack(source, target, *, change_manifest=None, change_files=None, rehash=False):
    """A copy of the backup at `source`, its manifest last as `backup` writes it.

    `change_files(folder)` may change the unpacked files, `change_manifest(manifest)`
    the manifest; with `rehash` the manifest's sizes and checksums are made to
    match the files, as a backup made of them would have them.
    """
    unpacked = target.parent / f"{target.name}.unpacked"
    with tarfile.open(source) as archive:
        archive.extractall(unpacked, filter="data")
    manifest_file = unpacked / "manifest.json"
    manifest = json.loads(manifest_file.read_text())
    manifest_file.unlink()
    if change_files:
        change_files(unpacked)
    files = sorted(path for path in unpacked.rglob("*") if path.is_file())
    if rehash:
        manifest["members"] = {
            path.relative_to(unpacked).as_posix(): {
                "bytes": path.stat().st_size,
                "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            }
            for path in files
        }
        [database] = set(backups.DATABASE_FILES.values()) & set(manifest["members"])
        manifest["database"]["bytes"] = manifest["members"][database]["bytes"]
    if change_manifest:
        change_manifest(manifest)
    manifest_file.write_text(json.dumps(manifest))
    with tarfile.open(target, "w:gz") as archive:
        for path in [*files, manifest_file]:
            archive.add(path, arcname=path.relative_to(unpacked).as_posix())
    return target


@pytest.fixture
def backup_file(launch, tmp_path):
    path = tmp_path / "site.tar.gz"
    backup(path)
    return path


def test_restore_brings_back_every_translation(launch, tmp_path):
    before = content()
    [article] = before["Article"]
    assert article["lede_tr"] == LEDES["tr"] and article["lede_he"] == HOUSE_STYLE_LEDE_HE
    assert article["image_alt_en"] == IMAGE_ALTS["en"]
    assert before["TourPage"][0]["button_label_he"] == "התחילו את הסיור"
    backup(tmp_path / "site.tar.gz")
    edit_the_site(launch)
    assert content() != before

    restore(tmp_path / "site.tar.gz")

    assert content() == before


def test_restore_brings_back_the_image_bytes(launch, tmp_path):
    original = Path(launch.image.path).read_bytes()
    backup(tmp_path / "site.tar.gz")
    Path(launch.image.path).write_bytes(b"overwritten")

    restore(tmp_path / "site.tar.gz")

    assert Path(Article.objects.get().image.path).read_bytes() == original


def test_restore_brings_back_the_history(launch, tmp_path):
    with reversion.create_revision():
        launch.title_he = "כותרת בהיסטוריה"
        launch.save()
    kept = sorted(
        (version.revision.get_comment(), version.field_dict["title_he"])
        for version in Version.objects.get_for_object(launch)
    )
    backup(tmp_path / "site.tar.gz")
    Version.objects.all().delete()

    restore(tmp_path / "site.tar.gz")

    restored = Version.objects.get_for_object(Article.objects.get())
    assert sorted((v.revision.get_comment(), v.field_dict["title_he"]) for v in restored) == kept
    # As loaded, the editor's two revisions, and the change above.
    assert len(kept) == 4


def test_restore_brings_back_a_deleted_image(launch, tmp_path):
    original = Path(launch.image.path).read_bytes()
    backup(tmp_path / "site.tar.gz")
    launch.image.delete()

    restore(tmp_path / "site.tar.gz")

    assert Path(Article.objects.get().image.path).read_bytes() == original


def test_restore_removes_media_added_after_the_backup(backup_file, media_root):
    backed_up = media(media_root)
    default_storage.save("articles/added-later.png", ContentFile(b"not in the backup"))

    restore(backup_file)

    assert "articles/cx-cs-part-of-whole.png" in backed_up
    assert media(media_root) == backed_up


def test_backup_reports_each_step_and_a_summary(launch, tmp_path):
    output = backup(tmp_path / "site.tar.gz")

    lines = output.splitlines()
    assert lines[0].startswith("Database (")
    assert f"Media: {LAUNCH_MEDIA_FILES} media files, " in output
    assert re.fullmatch(
        r"Backup written: site\.tar\.gz "
        rf"\(database [\d.]+ (bytes|kB|MB), {LAUNCH_MEDIA_FILES} media files\)\.",
        lines[-1],
    )


def test_backup_holds_a_manifest_the_database_and_the_media(launch, tmp_path):
    backup(tmp_path / "site.tar.gz")

    with tarfile.open(tmp_path / "site.tar.gz") as archive:
        names = archive.getnames()
        manifest = json.load(archive.extractfile("manifest.json"))
    assert names[-1] == "manifest.json"
    assert backups.DATABASE_FILES[connection.vendor] in names
    assert "media/articles/cx-cs-part-of-whole.png" in names
    assert manifest["format_version"] == backups.FORMAT_VERSION
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["media"]["files"] == LAUNCH_MEDIA_FILES
    assert manifest["created_at"].endswith("+00:00")


def test_quiet_backup_prints_nothing(launch, tmp_path):
    assert backup(tmp_path / "site.tar.gz", verbosity=0) == ""
    assert (tmp_path / "site.tar.gz").is_file()


def test_backup_without_a_path_goes_to_backups_under_a_utc_timestamp(launch, tmp_path, monkeypatch):
    monkeypatch.setattr(backups.create, "DEFAULT_DIRECTORY", tmp_path / "backups")

    output = backup()

    [written] = (tmp_path / "backups").iterdir()
    assert re.fullmatch(r"cxcs-\d{8}T\d{6}Z\.tar\.gz", written.name)
    assert f"Backup written: backups/{written.name} (" in output


def test_backup_into_a_folder_gets_the_default_name_there(launch, tmp_path):
    backup(tmp_path)

    assert [path.name for path in tmp_path.glob("cxcs-*Z.tar.gz")]


def test_backup_into_a_new_folder_named_with_a_slash_creates_it(launch, tmp_path):
    output = backup(f"{tmp_path / 'some' / 'new' / 'folder'}/")

    [written] = (tmp_path / "some" / "new" / "folder").iterdir()
    assert re.fullmatch(r"cxcs-\d{8}T\d{6}Z\.tar\.gz", written.name)
    assert f"Backup written: some/new/folder/{written.name} (" in output


def test_backup_never_overwrites_a_file(launch, tmp_path):
    existing = tmp_path / "site.tar.gz"
    existing.write_bytes(b"keep me")

    with pytest.raises(CommandError, match="already exists"):
        backup(existing)
    assert existing.read_bytes() == b"keep me"


def test_restore_reports_each_step_and_a_summary(backup_file):
    output = restore(backup_file)

    lines = output.splitlines()
    assert lines[0].startswith("Checked: made ")
    assert "Database: restored." in lines
    assert (
        f"Media: {LAUNCH_MEDIA_FILES} media files restored, 0 not in the backup removed." in lines
    )
    assert re.fullmatch(
        r"Restored site\.tar\.gz, made [\d-]+ [\d:]+ UTC "
        rf"\(database [\d.]+ (bytes|kB|MB), {LAUNCH_MEDIA_FILES} media files\)\.",
        lines[-1],
    )


def test_quiet_restore_prints_nothing(backup_file):
    assert restore(backup_file, verbosity=0) == ""


def test_restore_asks_first_and_a_no_changes_nothing(backup_file, launch, monkeypatch):
    edit_the_site(launch)
    edited = content()
    monkeypatch.setattr("builtins.input", lambda prompt: "no")

    with pytest.raises(CommandError, match="cancelled; nothing was changed"):
        restore(backup_file, interactive=True)
    assert content() == edited


def test_restore_of_a_missing_file_changes_nothing(launch, tmp_path):
    before = content()

    with pytest.raises(CommandError, match="No backup file at"):
        restore(tmp_path / "missing.tar.gz")
    assert content() == before


def test_restore_of_a_file_that_is_not_a_backup_changes_nothing(
    backup_file, launch, tmp_path, media_root
):
    edit_the_site(launch)
    edited, edited_media = content(), media(media_root)
    random = tmp_path / "random.tar.gz"
    random.write_bytes(os.urandom(4096))

    with pytest.raises(CommandError, match="is not a cxcs backup"):
        restore(random)
    assert content() == edited
    assert media(media_root) == edited_media


def test_restore_of_an_archive_without_a_manifest_changes_nothing(backup_file, launch, tmp_path):
    edit_the_site(launch)
    edited = content()
    notes = tmp_path / "notes.txt"
    notes.write_text("not a backup")
    archive_path = tmp_path / "notes.tar.gz"
    with tarfile.open(archive_path, "w:gz") as archive:
        archive.add(notes, arcname="notes.txt")

    with pytest.raises(CommandError, match="is not a cxcs backup"):
        restore(archive_path)
    assert content() == edited


def test_restore_of_a_truncated_backup_changes_nothing(backup_file, launch, media_root):
    edit_the_site(launch)
    edited, edited_media = content(), media(media_root)
    data = backup_file.read_bytes()
    backup_file.write_bytes(data[: len(data) // 2])

    with pytest.raises(CommandError, match="is damaged"):
        restore(backup_file)
    assert content() == edited
    assert media(media_root) == edited_media


def test_restore_of_a_backup_missing_a_media_file_changes_nothing(backup_file, launch, tmp_path):
    edit_the_site(launch)
    edited = content()
    damaged = repack(
        backup_file,
        tmp_path / "damaged.tar.gz",
        change_manifest=lambda manifest: manifest["media"].update(files=LAUNCH_MEDIA_FILES + 1),
    )

    expected = f"{LAUNCH_MEDIA_FILES} media files, the manifest says {LAUNCH_MEDIA_FILES + 1}"
    with pytest.raises(CommandError, match=expected):
        restore(damaged)
    assert content() == edited


def test_restore_of_a_backup_for_another_database_vendor_changes_nothing(
    backup_file, launch, tmp_path, media_root
):
    edit_the_site(launch)
    edited, edited_media = content(), media(media_root)
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    ours, theirs = backups.DATABASE_FILES[connection.vendor], backups.DATABASE_FILES[other]
    foreign = repack(
        backup_file,
        tmp_path / "foreign.tar.gz",
        change_files=lambda folder: (folder / ours).rename(folder / theirs),
        change_manifest=lambda manifest: manifest["database"].update(vendor=other, file=theirs),
        rehash=True,
    )

    with pytest.raises(CommandError, match=f"holds a {other} database, but this site uses"):
        restore(foreign)
    assert content() == edited
    assert media(media_root) == edited_media


def test_restore_inside_a_transaction_is_refused(backup_file, launch):
    edit_the_site(launch)
    edited = content()

    with pytest.raises(CommandError, match="inside a transaction"), transaction.atomic():
        restore(backup_file)
    assert content() == edited


def test_load_launch_content_reports_each_step_and_a_summary(db):
    out = StringIO()
    call_command("load_launch_content", stdout=out)

    assert out.getvalue().splitlines() == [
        "Article: added in Turkish and Hebrew, figure articles/cx-cs-part-of-whole.png.",
        "The editor's revisions (launch-editor) saved: article, tour page.",
        "Tour page: added in Turkish, Hebrew and English.",
        "Brand: added.",
        "Term base: 6 concepts added.",
        "Launch content: launch article loaded; tour page loaded.",
    ]


def test_quiet_load_launch_content_prints_nothing(db):
    out = StringIO()
    call_command("load_launch_content", verbosity=0, stdout=out)

    assert out.getvalue() == ""
    assert Article.objects.count() == 1


# A restore never installs a damaged or foreign backup.


def test_backup_manifest_records_the_size_and_checksum_of_every_member(launch, tmp_path):
    backup(tmp_path / "site.tar.gz")

    with tarfile.open(tmp_path / "site.tar.gz") as archive:
        manifest = json.load(archive.extractfile("manifest.json"))
        contents = {
            member.name: archive.extractfile(member).read()
            for member in archive
            if member.name != "manifest.json"
        }
    assert manifest["members"] == {
        name: {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        for name, data in contents.items()
    }
    assert len(contents) == LAUNCH_MEDIA_FILES + 1


def test_restore_refuses_a_backup_whose_compressed_stream_fails_its_crc(
    backup_file, launch, media_root
):
    edit_the_site(launch)
    edited, edited_media = content(), media(media_root)
    data = bytearray(backup_file.read_bytes())
    # The gzip trailer: the CRC-32 of everything, then the length. The tar
    # inside is intact, so only reading the stream to its end notices.
    data[-8] ^= 0xFF
    backup_file.write_bytes(bytes(data))
    assert subprocess.run(["gzip", "-t", str(backup_file)], capture_output=True).returncode

    with pytest.raises(CommandError, match="is damaged .*CRC"):
        restore(backup_file)
    assert content() == edited
    assert media(media_root) == edited_media


def test_restore_refuses_a_backup_with_a_corrupted_rendition(backup_file, launch, media_root):
    edit_the_site(launch)
    edited, edited_media = content(), media(media_root)
    with gzip.open(backup_file) as stream:
        tar = bytearray(stream.read())
    with tarfile.open(fileobj=io.BytesIO(bytes(tar))) as archive:
        rendition = next(m for m in archive if m.name.endswith(".webp"))
    tar[rendition.offset_data + 100] ^= 0xFF
    # A well-formed gzip stream of a tar whose one byte changed.
    backup_file.write_bytes(gzip.compress(bytes(tar)))

    with pytest.raises(CommandError, match=f"{rendition.name} does not match its checksum"):
        restore(backup_file)
    assert content() == edited
    assert media(media_root) == edited_media


def test_restore_refuses_a_backup_whose_database_changed_by_one_byte(backup_file, launch):
    edit_the_site(launch)
    edited = content()
    with gzip.open(backup_file) as stream:
        tar = bytearray(stream.read())
    with tarfile.open(fileobj=io.BytesIO(bytes(tar))) as archive:
        database = archive.getmember(backups.DATABASE_FILES[connection.vendor])
    start, end = database.offset_data, database.offset_data + database.size
    # A letter of the Turkish lede where the database holds it as text (SQLite);
    # otherwise a byte in the middle. Its size stays what the manifest says.
    found = tar.find(LEDES["tr"][:40].encode(), start, end)
    tar[found + 1 if found != -1 else (start + end) // 2] ^= 0x01
    backup_file.write_bytes(gzip.compress(bytes(tar)))

    refused = f"{database.name} (does not match its checksum|differs)"
    with pytest.raises(CommandError, match=refused):
        restore(backup_file)
    assert content() == edited


def test_restore_refuses_a_manifest_that_misstates_the_database_size(backup_file, launch, tmp_path):
    edit_the_site(launch)
    edited = content()
    database = backups.DATABASE_FILES[connection.vendor]

    def claim_999_bytes(manifest):
        manifest["database"]["bytes"] = 999
        manifest["members"][database]["bytes"] = 999

    lying = repack(backup_file, tmp_path / "lying.tar.gz", change_manifest=claim_999_bytes)

    with pytest.raises(CommandError, match=f"{database} holds \\d+ bytes, the manifest says 999"):
        restore(lying)
    assert content() == edited


def test_restore_refuses_a_member_missing_from_the_manifest(backup_file, launch, tmp_path):
    edit_the_site(launch)
    edited = content()
    extra = repack(
        backup_file,
        tmp_path / "extra.tar.gz",
        change_files=lambda folder: (folder / "media" / "smuggled.txt").write_text("!"),
    )

    with pytest.raises(CommandError, match="media/smuggled.txt is not in its manifest"):
        restore(extra)
    assert content() == edited


def only_django_migrations(folder):
    """Replace the backup's SQLite database by one holding only django_migrations, full."""
    database_file = folder / backups.DATABASE_FILES["sqlite"]
    applied = sorted(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    database_file.unlink()
    with closing(sqlite3.connect(database_file)) as database:
        database.execute(
            "CREATE TABLE django_migrations (id integer PRIMARY KEY, app varchar, "
            "name varchar, applied datetime)"
        )
        database.executemany(
            "INSERT INTO django_migrations (app, name, applied) VALUES (?, ?, '2026-01-01')",
            applied,
        )
        database.commit()


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="builds the database file by hand, with sqlite3"
)
def test_restore_refuses_a_database_that_lacks_the_tables_of_its_migrations(
    backup_file, launch, tmp_path, media_root
):
    edit_the_site(launch)
    edited, edited_media = content(), media(media_root)
    hollow = repack(
        backup_file,
        tmp_path / "hollow.tar.gz",
        change_files=only_django_migrations,
        rehash=True,
        change_manifest=lambda manifest: manifest["database"].update(migrations=[]),
    )

    with pytest.raises(CommandError, match="records migrations whose tables it lacks"):
        restore(hollow)
    assert content() == edited
    assert media(media_root) == edited_media
    assert not (media_root / ".restore").exists()


def test_restore_refuses_a_backup_made_by_newer_code(launch, tmp_path):
    recorder = MigrationRecorder(connection)
    recorder.record_applied("articles", "9999_from_the_future")
    try:
        backup(tmp_path / "newer.tar.gz")
    finally:
        recorder.record_unapplied("articles", "9999_from_the_future")
    edit_the_site(launch)
    edited = content()

    with pytest.raises(
        CommandError, match="made by newer code: .*articles.9999_from_the_future.*nothing was"
    ):
        restore(tmp_path / "newer.tar.gz")
    assert content() == edited


@pytest.fixture
def backup_before_a_migration(launch, tmp_path):
    """A backup made before axes' last migration, which adds a table; the site then migrated."""
    call_command("migrate", "axes", "0009_add_session_hash", verbosity=0)
    try:
        backup(tmp_path / "older.tar.gz")
    finally:
        call_command("migrate", "axes", verbosity=0)
    return tmp_path / "older.tar.gz"


def test_an_older_backup_is_migrated_once_restored(backup_before_a_migration, launch):
    before = content()
    edit_the_site(launch)
    # A row in the table the backup predates, pointing at a table it replaces.
    attempt = AccessAttempt.objects.create(
        username="someone", ip_address="192.0.2.1", user_agent="", failures_since_start=1
    )
    AccessAttemptExpiration.objects.create(access_attempt=attempt, expires_at=timezone.now())

    output = restore(backup_before_a_migration)

    assert "Database: 1 migration(s) applied." in output.splitlines()
    assert content() == before
    assert ("axes", "0010_accessattemptexpiration") in MigrationRecorder(
        connection
    ).applied_migrations()
    assert AccessAttemptExpiration.objects.count() == 0


# A restore is all or nothing.


def test_restore_refuses_when_there_is_not_enough_free_space(
    backup_file, launch, media_root, monkeypatch
):
    edit_the_site(launch)
    edited, edited_media = content(), media(media_root)
    monkeypatch.setattr(
        shutil, "disk_usage", lambda path: shutil._ntuple_diskusage(10**9, 10**9, 1000)
    )

    with pytest.raises(CommandError, match="Not enough free space in .*nothing was changed"):
        restore(backup_file)
    assert content() == edited
    assert media(media_root) == edited_media


class FullDisk:
    """An `open` whose files refuse to be written to once `limit` bytes have been written."""

    def __init__(self, limit):
        self.limit = limit
        self.written = 0

    def __call__(self, *args, **kwargs):
        return FullDiskFile(self, open(*args, **kwargs))


class FullDiskFile:
    def __init__(self, disk, file):
        self.disk, self.file = disk, file

    def write(self, data):
        self.disk.written += len(data)
        if self.disk.written > self.disk.limit:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return self.file.write(data)

    def __getattr__(self, name):
        return getattr(self.file, name)

    def __enter__(self):
        return self

    def __exit__(self, *exception):
        self.file.close()


def leftovers(media_root):
    """What a restore leaves on disk besides the site: its folder and staged database."""
    found = [str(path) for path in media_root.glob(".restore*")]
    database = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite" and not connection.is_in_memory_db():
        found += [str(path) for path in Path(database).parent.glob(".*.restoring")]
    return found


def test_a_full_disk_while_unpacking_the_media_changes_nothing(
    backup_file, launch, media_root, monkeypatch, client
):
    edit_the_site(launch)
    edited, edited_media = content(), media(media_root)
    half_of_the_media = sum(len(data) for data in edited_media.values()) // 2
    monkeypatch.setattr(backups.restore, "open", FullDisk(half_of_the_media), raising=False)

    with pytest.raises(CommandError, match="The disk is full .*; nothing was changed"):
        restore(backup_file)
    assert content() == edited
    assert media(media_root) == edited_media
    assert leftovers(media_root) == []
    assert client.get("/healthz").status_code == 200


def test_a_full_disk_while_replacing_the_database_changes_nothing(
    backup_file, launch, media_root, monkeypatch
):
    edit_the_site(launch)
    edited, edited_media = content(), media(media_root)

    def full(connection, database_file):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(backups.sqlite, "restore", full)
    monkeypatch.setattr(backups.postgresql, "restore", full)

    with pytest.raises(CommandError, match="disk is full\\); nothing was changed"):
        restore(backup_file)
    assert content() == edited
    assert media(media_root) == edited_media
    assert leftovers(media_root) == []


class Killed(BaseException):
    """The process dying: nothing of the restore's own error handling runs for it."""


def die_on_the_second_rename(monkeypatch):
    renames = []
    rename = Path.rename

    def dying(path, target):
        renames.append(path)
        if len(renames) == 2:
            raise Killed
        return rename(path, target)

    monkeypatch.setattr(Path, "rename", dying)


def test_an_interrupted_restore_is_reported_until_it_is_run_again(
    backup_file, launch, media_root, monkeypatch, client
):
    before, backed_up = content(), media(media_root)
    edit_the_site(launch)
    die_on_the_second_rename(monkeypatch)

    with pytest.raises(Killed):
        restore(backup_file)
    monkeypatch.undo()

    assert backups.incomplete_restore()["phase"] == "switching"
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.content == b"restore incomplete: see manage.py check\n"
    with pytest.raises(SystemCheckError, match="(?s)did not finish.*restore .*site.tar.gz. again"):
        call_command("check")

    output = restore(backup_file)

    assert "An earlier restore of " in output
    assert content() == before
    assert media(media_root) == backed_up
    assert leftovers(media_root) == []
    assert client.get("/healthz").status_code == 200
    call_command("check")


def test_a_restore_cut_short_after_the_database_still_drops_cached_pages(
    backup_file, launch, monkeypatch, client
):
    original_title = launch.title_he
    edit_the_site(launch)
    url = Article.objects.get(pk=launch.pk).get_absolute_url("he")
    assert "כותרת אחרת" in client.get(url).content.decode()
    die_on_the_second_rename(monkeypatch)

    with pytest.raises(Killed):
        restore(backup_file)

    assert original_title in client.get(url).content.decode()


def test_restore_discard_removes_the_leftovers_of_a_restore_that_changed_nothing(
    backup_file, launch, media_root, monkeypatch
):
    edit_the_site(launch)
    edited, edited_media = content(), media(media_root)

    def killed_after_staging(self, path):
        raise Killed

    monkeypatch.setattr(backups.Restore, "check_staged_database", killed_after_staging)
    monkeypatch.setattr(backups.Restore, "roll_back", lambda self, keep_state: None)
    with pytest.raises(Killed):
        restore(backup_file)
    monkeypatch.undo()
    assert backups.incomplete_restore()["phase"] == "staging"
    assert leftovers(media_root)

    out = StringIO()
    call_command("restore", discard=True, stdout=out)

    assert out.getvalue().startswith("Removed the files of the interrupted restore of ")
    assert leftovers(media_root) == []
    assert content() == edited
    assert media(media_root) == edited_media


# Backups while the site is edited.


def test_backup_files_are_readable_by_their_owner_only(launch, tmp_path):
    (tmp_path / "folder").mkdir()
    previous = os.umask(0o022)
    try:
        backup(tmp_path / "site.tar.gz")
        backup(tmp_path / "folder")
    finally:
        os.umask(previous)

    [in_folder] = (tmp_path / "folder").iterdir()
    assert stat.S_IMODE((tmp_path / "site.tar.gz").stat().st_mode) == 0o600
    assert stat.S_IMODE(in_folder.stat().st_mode) == 0o600


def new_image():
    buffer = io.BytesIO()
    Image.new("RGB", (800, 450), "#c0ffee").save(buffer, "PNG")
    return SimpleUploadedFile("replacement.png", buffer.getvalue())


def replace_the_image_while_copying_the_database(monkeypatch, edit, *, before_the_copy):
    """Make an editor replace the launch figure just before, or just after, the database copy."""
    if connection.vendor == "sqlite":
        module, name = backups.sqlite, "copy"
    else:
        module, name = backups.postgresql, "dump"
    copy = getattr(module, name)

    def copy_while_edited(database, target):
        article = Article.objects.get()
        if before_the_copy:
            edit(article, image=new_image())
        copy(database, target)
        if not before_the_copy:
            edit(article, image=new_image())

    monkeypatch.setattr(module, name, copy_while_edited)


def files_of(article):
    names = {article.image.name}
    names |= {item["name"] for item in article.image_renditions["renditions"]}
    return names


@pytest.mark.parametrize("before_the_copy", [True, False], ids=["before", "after"])
def test_a_backup_keeps_every_file_its_database_refers_to_when_an_image_is_replaced_meanwhile(
    launch, tmp_path, media_root, monkeypatch, edit, before_the_copy
):
    replace_the_image_while_copying_the_database(monkeypatch, edit, before_the_copy=before_the_copy)
    backup(tmp_path / "site.tar.gz")
    monkeypatch.undo()
    backed_up_files = files_of(Article.objects.get()) if before_the_copy else files_of(launch)
    if not before_the_copy:
        # The renditions the copied database refers to were deleted by the save.
        assert not any(
            (media_root / name).exists() for name in backed_up_files - {launch.image.name}
        )

    restore(tmp_path / "site.tar.gz")

    restored = Article.objects.get()
    assert files_of(restored) == backed_up_files
    assert all((media_root / name).is_file() for name in files_of(restored))


def test_a_file_deleted_between_listing_and_reading_is_left_out(launch, tmp_path, monkeypatch):
    list_media = backups.snapshot.media_files
    deleted = []

    def listed_then_deleted(media_root):
        files = list(list_media(media_root))
        if not deleted:
            rendition = next(file for file in files if file.suffix == ".webp")
            rendition.unlink()
            deleted.append(rendition.relative_to(media_root).as_posix())
        return files

    monkeypatch.setattr(backups.snapshot, "media_files", listed_then_deleted)

    output = backup(tmp_path / "site.tar.gz")

    assert "Media: 1 media file deleted while being backed up, left out." in output
    with tarfile.open(tmp_path / "site.tar.gz") as archive:
        names = archive.getnames()
    assert f"media/{deleted[0]}" not in names
    assert len([name for name in names if name.startswith("media/")]) == LAUNCH_MEDIA_FILES - 1


def test_prune_media_leaves_the_files_of_an_interrupted_restore_alone(
    backup_file, launch, media_root, monkeypatch
):
    def killed_after_staging(self, path):
        raise Killed

    monkeypatch.setattr(backups.Restore, "check_staged_database", killed_after_staging)
    monkeypatch.setattr(backups.Restore, "roll_back", lambda self, keep_state: None)
    with pytest.raises(Killed):
        restore(backup_file)
    monkeypatch.undo()
    left = media(media_root / ".restore")

    call_command("prune_media", verbosity=0)

    assert media(media_root / ".restore") == left
    assert backups.incomplete_restore()["phase"] == "staging"


def test_a_backup_inside_the_media_folder_is_not_restored(backup_file, launch, media_root):
    inside = media_root / "site.tar.gz"
    shutil.copyfile(backup_file, inside)

    with pytest.raises(CommandError, match="is inside MEDIA_ROOT; move it elsewhere first"):
        restore(inside)
    assert inside.is_file()
