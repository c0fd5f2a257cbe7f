from django.core.management.base import BaseCommand, CommandError

from operations.backups import (
    BackupError,
    count_media,
    discard_restore,
    format_size,
    restore_backup,
    shown,
)


class Command(BaseCommand):
    help = (
        "Replace the database content and the uploaded media with those of a backup. "
        "The backup is checked in full first; a bad one changes nothing. Run it again "
        "to finish a restore that was interrupted."
    )
    # The checks report an unfinished restore as an error; this command finishes it.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="A backup written by manage.py backup.")
        parser.add_argument(
            "--discard",
            action="store_true",
            help=(
                "Remove the files left by a restore that was interrupted before it changed "
                "anything, instead of restoring."
            ),
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, path, discard, verbosity, interactive, **options):
        if discard:
            return self.discard(verbosity)
        if not path:
            raise CommandError("Name the backup to restore.")
        try:
            backup = restore_backup(
                path,
                progress=self.stdout.write if verbosity else None,
                confirm=self.confirm if interactive else None,
            )
        except BackupError as error:
            raise CommandError(error) from error
        if backup is None:
            raise CommandError("Restore cancelled; nothing was changed.")
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Restored {shown(backup.path)}, made {backup.created_at:%Y-%m-%d %H:%M:%S} "
                    f"UTC (database {format_size(backup.database_bytes)}, "
                    f"{count_media(backup.media_files)})."
                )
            )

    def confirm(self, backup):
        try:
            answer = input(
                "This replaces the whole database and every media file with the backup made "
                f"{backup.created_at:%Y-%m-%d %H:%M:%S} UTC.\n"
                "Type 'yes' to continue, or 'no' to cancel: "
            )
        except EOFError:
            # No one to answer (stdin closed, as under cron): take it as a no.
            self.stdout.write("")
            return False
        return answer == "yes"

    def discard(self, verbosity):
        try:
            state = discard_restore()
        except BackupError as error:
            raise CommandError(error) from error
        if verbosity:
            self.stdout.write(
                f"Removed the files of the interrupted restore of {state['backup']}."
                if state
                else "No interrupted restore to discard."
            )
