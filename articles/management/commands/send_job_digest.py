from django.core.management.base import BaseCommand

from articles.translating import notify


class Command(BaseCommand):
    help = (
        "Mail each translator and reviewer their open translation jobs due within two "
        "days or overdue. Meant to run once a day (cron)."
    )

    def handle(self, *args, verbosity, **options):
        sent = notify.digest()
        if verbosity:
            self.stdout.write(f"Digests sent: {sent}.")
