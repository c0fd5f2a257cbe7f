from django.core.management.base import BaseCommand
from django.db import transaction

from articles.models import MemoryStem, MemoryStemCount, MemoryUnit
from articles.translating import memory


class Command(BaseCommand):
    help = (
        "Fill the translation memory from the articles' history, on a site whose "
        "articles were written before the memory was kept (it is left as it is when "
        "it has units, unless --rebuild)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rebuild", action="store_true", help="Empty the memory first and build it again."
        )

    def handle(self, *args, rebuild, verbosity, **options):
        with transaction.atomic():
            if rebuild:
                # Pairs imported from files have no history to build them from: they stay.
                MemoryUnit.objects.exclude(article=None).delete()
                MemoryStem.objects.all().delete()
                MemoryStemCount.objects.all().delete()
            elif MemoryUnit.objects.exclude(article=None).exists():
                if verbosity:
                    self.stdout.write("The translation memory is already kept; nothing to do.")
                return
            count = memory.build_from_history()
        if verbosity:
            self.stdout.write(f"Translation memory: {count} units.")
