"""Whether a backup's database fits this code: its migrations and its tables."""

from django.apps import apps
from django.db.migrations.loader import MigrationLoader

from .base import BackupError


def code_migrations():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {f"{app}.{name}" for app, name in loader.disk_migrations}


def app_labels():
    return {app_config.label for app_config in apps.get_app_configs()}


def check_migrations(path, applied):
    """Refuse a database with migrations this code lacks; return the code's it lacks itself."""
    known = code_migrations()
    labels = app_labels()
    unknown = sorted(name for name in applied - known if name.split(".")[0] in labels)
    if unknown:
        raise BackupError(
            f"{path} was made by newer code: its database has migrations this code lacks "
            f"({', '.join(unknown[:3])}{', …' if len(unknown) > 3 else ''}); restore it with "
            "the code that made it"
        )
    return known - applied


def check_tables(path, applied, tables):
    """Refuse a database that says an app is fully migrated but lacks that app's tables."""
    known = code_migrations()
    complete = {
        label
        for label in app_labels()
        if {name for name in known if name.startswith(f"{label}.")} <= applied
    }
    missing = sorted(set(model_tables(complete)) - set(tables))
    if missing:
        raise BackupError(
            f"{path} is damaged: its database records migrations whose tables it lacks "
            f"({', '.join(missing[:3])}{', …' if len(missing) > 3 else ''})"
        )


def model_tables(labels):
    """The tables of the models of the apps with `labels`."""
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.app_label in labels and meta.managed and not meta.proxy:
            yield meta.db_table
