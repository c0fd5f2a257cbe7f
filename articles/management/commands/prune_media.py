from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand

from articles.writing.media import unneeded_files


class Command(BaseCommand):
    help = (
        "Delete uploaded files that no article shows and no revision can restore "
        "(replaced images from before the history, renditions of deleted articles)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List the files without deleting them."
        )

    def handle(self, *args, dry_run, verbosity, **options):
        files = unneeded_files()
        for name in files:
            if not dry_run:
                default_storage.delete(name)
            if verbosity > 1:
                self.stdout.write(name)
        if verbosity:
            verb = "would be deleted" if dry_run else "deleted"
            self.stdout.write(f"Media files not needed: {len(files)} {verb}.")
