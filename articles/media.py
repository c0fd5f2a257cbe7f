"""Uploaded files still needed, and deleting the rest.

An article's image is needed while the article shows it or a revision in its
history could restore it (a deleted article's last revision included).
Renditions are needed only while their article shows them: restoring an old
image makes them again.
"""

import json
import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from reversion.models import Version

from . import images
from .models import Article


def in_history(name):
    """Whether a revision of an article could restore the image file `name`."""
    versions = Version.objects.get_for_model(Article).filter(
        serialized_data__contains=json.dumps(name)
    )
    return any(version.field_dict.get("image") == name for version in versions)


def is_needed(name):
    return Article.objects.filter(image=name).exists() or in_history(name)


def delete_unless_needed(names):
    """Delete the files `names` that no article shows and no revision can restore."""
    for name in names:
        if name and not is_needed(name):
            default_storage.delete(name)


def needed_files():
    """Every file an article shows or a revision can restore."""
    needed = set()
    for image, renditions in Article.objects.values_list("image", "image_renditions"):
        needed.add(image)
        needed |= images.rendition_files(renditions)
    for version in Version.objects.get_for_model(Article).iterator():
        needed.add(version.field_dict.get("image") or "")
    needed.discard("")
    return needed


def stored_files():
    """Every uploaded file: hidden folders (a backup's or a restore's work) are not uploads."""
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return set()
    stored = set()
    for directory, subdirectories, names in os.walk(root):
        subdirectories[:] = [name for name in subdirectories if not name.startswith(".")]
        stored |= {(Path(directory) / name).relative_to(root).as_posix() for name in names}
    return stored


def unneeded_files():
    return sorted(stored_files() - needed_files())
