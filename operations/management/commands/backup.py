from django.core.management.base import BaseCommand, CommandError

from operations.backups import BackupError, count_media, create_backup, format_size, shown


class Command(BaseCommand):
    help = "Write the database and every uploaded media file into one .tar.gz backup."

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            help=(
                "Where to write the backup; an existing folder gets the default name inside it. "
                "Default: backups/cxcs-<UTC time>.tar.gz. An existing file is never overwritten."
            ),
        )

    def handle(self, *args, path, verbosity, **options):
        try:
            backup = create_backup(path, progress=self.stdout.write if verbosity else None)
        except BackupError as error:
            raise CommandError(error) from error
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Backup written: {shown(backup.path)} "
                    f"(database {format_size(backup.database_bytes)}, "
                    f"{count_media(backup.media_files)})."
                )
            )
