from datetime import timedelta

from axes.helpers import get_cool_off
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.management.base import BaseCommand
from django.utils import timezone


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
        now = timezone.now()
        expired = AccessAttempt.objects.filter(attempt_time__lt=now - get_cool_off())
        attempts = expired.delete()[1].get(AccessAttempt._meta.label, 0)
        older = now - timedelta(days=days)
        logins, _ = AccessLog.objects.filter(attempt_time__lt=older).delete()
        failures, _ = AccessFailureLog.objects.filter(attempt_time__lt=older).delete()
        if verbosity:
            self.stdout.write(
                f"Removed {attempts} failed-login record(s) past the cool-off and "
                f"{logins + failures} login record(s) older than {days} days."
            )
