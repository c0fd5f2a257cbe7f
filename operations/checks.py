"""Start-up checks: `manage.py check`, `migrate` and `runserver` report these."""

from django.core.checks import Error, Warning, register

from .backups import incomplete_restore


@register
def restore_is_complete(app_configs, **kwargs):
    state = incomplete_restore()
    if state is None:
        return []
    backup = state.get("backup", "a backup")
    if state.get("phase") == "switching":
        return [
            Error(
                f"A restore of {backup} did not finish: the site holds part of the backup and "
                "part of what was there before.",
                hint=f"Run `manage.py restore {backup}` again; it finishes the restore.",
                id="operations.E001",
            )
        ]
    return [
        Warning(
            f"A restore of {backup} was interrupted before it changed anything; its unpacked "
            "files are still on disk.",
            hint=f"Run `manage.py restore {backup}` again, or `manage.py restore --discard` "
            "to remove them.",
            id="operations.W001",
        )
    ]
