"""Uploaded files still needed, and deleting the rest.

An uploaded file (an article's image, an author's photo, the brand's logo…)
is needed while its object shows it or a revision in its history could
restore it (a deleted object's last revision included). What is made from
one (renditions, icons) is needed only while its object shows it: restoring
an old image makes them again.
"""

import json
import os
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from reversion.models import Version

from articles import images

from . import history


def slots():
    """(model, slot) for every uploaded file of every model of this app."""
    return [
        (model, slot)
        for model in apps.get_app_config("articles").get_models()
        # A proxy (the translation overview) stores nothing of its own.
        if not model._meta.proxy
        for slot in getattr(model, "IMAGES", ())
    ]


def in_history(name):
    """Whether a revision could restore the uploaded file `name`."""
    for model, slot in slots():
        versions = Version.objects.get_for_model(model).filter(
            serialized_data__contains=json.dumps(name)
        )
        if any(history.kept(version).get(slot.field) == name for version in versions):
            return True
    return False


def is_needed(name):
    shown = any(model.objects.filter(**{slot.field: name}).exists() for model, slot in slots())
    return shown or in_history(name)


def delete_unless_needed(names):
    """Delete the files `names` that nothing shows and no revision can restore."""
    for name in names:
        if name and not is_needed(name):
            default_storage.delete(name)


def needed_files():
    """Every file something shows or a revision can restore."""
    needed = set()
    for model, slot in slots():
        columns = [slot.field, slot.record] if slot.record else [slot.field]
        for row in model.objects.values_list(*columns):
            needed.add(row[0])
            if slot.record:
                needed |= images.rendition_files(row[1])
        for version in Version.objects.get_for_model(model).iterator():
            needed.add(history.kept(version).get(slot.field) or "")
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
