from django.core.management.base import BaseCommand

from operations.logins import prune_records


class Command(BaseCommand):
    help = (
        "Delete what django-axes keeps of logins once it is no longer needed: failed "
        "attempts past the lockout's cool-off, login records older than --days. "
        "Run it daily (cron or a timer)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=30,
            help="Keep login and logout records this many days (default 30).",
        )

    def handle(self, *args, days, verbosity, **options):
        attempts, logins = prune_records(days=days)
        if verbosity:
            self.stdout.write(
                f"Removed {attempts} failed-login record(s) past the cool-off and "
                f"{logins} login record(s) older than {days} days."
            )
