"""Uploaded files: kept while an article shows them or a revision can restore them,
deleted once nothing needs them."""

import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from reversion.models import Version

from articles.launch.loader import draw_figure
from articles.writing import editing


def stored_files():
    root = default_storage.path("")
    return {
        os.path.relpath(os.path.join(directory, name), root).replace(os.sep, "/")
        for directory, _subdirectories, names in os.walk(root)
        for name in names
    }


def rendition_names(article):
    image = article.image.name
    return [
        item["name"] for item in article.image_renditions["renditions"] if item["name"] != image
    ]


def replace_image(article, name="replacement.png"):
    article.image = ContentFile(draw_figure(), name=name)
    return editing.save(article)


@pytest.fixture
def replaced(launch, django_capture_on_commit_callbacks):
    """The launch article after its image was replaced: the first image and its renditions."""
    first, renditions = launch.image.name, rendition_names(launch)
    with django_capture_on_commit_callbacks(execute=True):
        replace_image(launch)
    return first, renditions


def test_a_replaced_image_stays_while_a_revision_can_restore_it(replaced):
    first, _renditions = replaced
    assert default_storage.exists(first)


def test_the_renditions_of_a_replaced_image_are_deleted(replaced):
    _first, renditions = replaced
    assert renditions and not any(default_storage.exists(name) for name in renditions)


def test_a_replaced_image_no_revision_needs_is_deleted(launch, django_capture_on_commit_callbacks):
    first = launch.image.name
    Version.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        replace_image(launch)
    assert not default_storage.exists(first)
    assert default_storage.exists(launch.image.name)


def test_an_upload_from_a_save_that_failed_is_not_kept(launch, edit):
    stale = type(launch).objects.get(pk=launch.pk)
    edit(launch, title_he="שמירה של מישהו אחר")
    with pytest.raises(editing.EditConflict):
        replace_image(stale, "never-saved.png")
    assert not [name for name in stored_files() if "never-saved" in name]


def test_deleting_an_article_deletes_its_renditions_and_keeps_its_image(
    launch, django_capture_on_commit_callbacks
):
    image, renditions = launch.image.name, rendition_names(launch)
    with django_capture_on_commit_callbacks(execute=True):
        editing.delete(launch)
    # A revision can recover the article, image and all.
    assert default_storage.exists(image)
    assert not any(default_storage.exists(name) for name in renditions)


def test_prune_media_deletes_what_nothing_needs_and_nothing_else(launch, media_root):
    stray = media_root / "articles" / "left-behind.png"
    stray.write_bytes(draw_figure())
    needed = stored_files() - {"articles/left-behind.png"}

    call_command("prune_media", verbosity=0)

    assert stored_files() == needed


def test_prune_media_dry_run_deletes_nothing(launch, media_root):
    stray = media_root / "articles" / "left-behind.png"
    stray.write_bytes(draw_figure())
    call_command("prune_media", "--dry-run", verbosity=0)
    assert stray.exists()


def test_prune_media_keeps_going_when_an_image_file_is_gone(launch, media_root):
    default_storage.delete(launch.image.name)
    stray = media_root / "articles" / "left-behind.png"
    stray.write_bytes(draw_figure())
    call_command("prune_media", verbosity=0)
    assert not stray.exists()
