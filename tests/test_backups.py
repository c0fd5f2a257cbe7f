"""Backing up and restoring the site: `manage.py backup` and `manage.py restore`.

A restore replaces whole tables, and on PostgreSQL pg_dump only sees committed
rows, so every test here commits for real (transactional database).
"""

import json
import os
import re
import tarfile
from io import StringIO
from pathlib import Path

import pytest
import reversion
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from reversion.models import Version

from articles.launch import IMAGE_ALTS, LEDES, TOUR_TEXTS
from articles.models import Article, TourPage
from operations import backups

pytestmark = pytest.mark.django_db(transaction=True)

# The launch figure and its five renditions (articles/images.py).
LAUNCH_MEDIA_FILES = 6


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


def repack(source, target, change_manifest):
    """A copy of the backup at `source` whose manifest `change_manifest` has edited."""
    unpacked = target.parent / "unpacked"
    with tarfile.open(source) as archive:
        archive.extractall(unpacked, filter="data")
    manifest_file = unpacked / "manifest.json"
    manifest = json.loads(manifest_file.read_text())
    change_manifest(manifest)
    manifest_file.write_text(json.dumps(manifest))
    with tarfile.open(target, "w:gz") as archive:
        for item in sorted(unpacked.iterdir()):
            archive.add(item, arcname=item.name)
    return target


@pytest.fixture
def backup_file(launch, tmp_path):
    path = tmp_path / "site.tar.gz"
    backup(path)
    return path


def test_restore_brings_back_every_translation(launch, tmp_path):
    before = content()
    [article] = before["Article"]
    assert article["lede_tr"] == LEDES["tr"] and article["lede_he"] == LEDES["he"]
    assert article["image_alt_en"] == IMAGE_ALTS["en"]
    assert before["TourPage"][0]["button_label_he"] == TOUR_TEXTS["he"][1]
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
    assert len(kept) == 2


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
    assert names[0] == "manifest.json"
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
    monkeypatch.setattr(backups, "DEFAULT_DIRECTORY", tmp_path / "backups")

    output = backup()

    [written] = (tmp_path / "backups").iterdir()
    assert re.fullmatch(r"cxcs-\d{8}T\d{6}Z\.tar\.gz", written.name)
    assert f"Backup written: backups/{written.name} (" in output


def test_backup_into_a_folder_gets_the_default_name_there(launch, tmp_path):
    backup(tmp_path)

    assert [path.name for path in tmp_path.glob("cxcs-*Z.tar.gz")]


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
        lambda manifest: manifest["media"].update(files=LAUNCH_MEDIA_FILES + 1),
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
    foreign = repack(
        backup_file,
        tmp_path / "foreign.tar.gz",
        lambda manifest: manifest["database"].update(vendor=other),
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
        "Tour page: added in Turkish, Hebrew and English.",
        "Term base: 6 concepts added.",
        "Launch content: launch article loaded; tour page loaded.",
    ]


def test_quiet_load_launch_content_prints_nothing(db):
    out = StringIO()
    call_command("load_launch_content", verbosity=0, stdout=out)

    assert out.getvalue() == ""
    assert Article.objects.count() == 1
