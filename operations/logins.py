"""Admin logins: an address that keeps failing is locked out, a user name is only slowed down.

django-axes locks out an address after DJANGO_LOGIN_FAILURE_LIMIT failed
logins. A user name is not locked, or anyone who knows it could lock its owner
out; once it has failed that many times within the cool-off period, from
whatever addresses, each further attempt at it waits
DJANGO_LOGIN_DELAY_SECONDS before its password is checked, so guessing slows
down and the owner still gets in.
"""

import time
from datetime import timedelta

from axes.helpers import get_cool_off
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Sum
from django.utils import timezone


def pause(seconds):
    time.sleep(seconds)


def recent_failures(username):
    """Failed logins as `username` within the cool-off period, from any address (axes' records)."""
    since = timezone.now() - get_cool_off()
    attempts = AccessAttempt.objects.filter(username=username, attempt_time__gte=since)
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class ThrottledModelBackend(ModelBackend):
    """Django's user and password check, after a pause for a user name that keeps failing."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username and recent_failures(username) >= settings.AXES_FAILURE_LIMIT:
            pause(settings.LOGIN_DELAY_SECONDS)
        return super().authenticate(request, username, password, **kwargs)


def prune_records(*, days):
    """Delete failed logins past the cool-off and login records older than `days`.

    Returns how many of each were deleted: (failed logins, login records).
    """
    now = timezone.now()
    expired = AccessAttempt.objects.filter(attempt_time__lt=now - get_cool_off())
    attempts = expired.delete()[1].get(AccessAttempt._meta.label, 0)
    older = now - timedelta(days=days)
    logins = AccessLog.objects.filter(attempt_time__lt=older).delete()[0]
    failures = AccessFailureLog.objects.filter(attempt_time__lt=older).delete()[0]
    return attempts, logins + failures
