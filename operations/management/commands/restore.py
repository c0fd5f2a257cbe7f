from django.core.management.base import BaseCommand, CommandError

from operations.backups import BackupError, count_media, format_size, restore_backup, shown


class Command(BaseCommand):
    help = (
        "Replace the database content and the uploaded media with those of a backup. "
        "The backup is checked in full first; a bad one changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="A backup written by manage.py backup.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, path, verbosity, interactive, **options):
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
