"""Mails about translation jobs, through Django's mail settings (EMAIL_URL): a job
assigned, submitted for review, reviewed (changes requested or approved),
reopened by a change of the source, and the daily digest of jobs due soon.

Each mail is written in its recipient's admin language (AdminLanguage) and
links to the job's page in the admin in that language. A mail that cannot be
sent is logged; the step that caused it stays done.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core import mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from articles import languages
from articles.models import AdminLanguage, Job, LanguageRole
from articles.text.segments import label

logger = logging.getLogger(__name__)

# The digest lists the open jobs due within this many days, and those overdue.
DIGEST_DAYS = 2


def person(user):
    return (user.get_full_name() or user.get_username()) if user else ""


def job_url(job, language):
    path = languages.reverse_in(language, "admin:articles_job_change", kwargs={"object_id": job.pk})
    return settings.SITE_URL + path


def job_facts(job, language):
    """What a mail says of a job, in the active language."""
    return {
        "job": job,
        "article": str(job.article),
        "language": languages.name(job.language),
        "state": job.get_state_display(),
        "due": formats.date_format(job.due_date, "DATE_FORMAT"),
        "is_overdue": job.is_overdue,
        "translator": person(job.assignee),
        "reviewer": person(job.reviewer),
        "url": job_url(job, language),
    }


def message(user, subject, template, context):
    """A mail to `user` in their admin language: `subject` (a lazy translation naming
    values of the context) and the template's text, each made in that language."""
    language = AdminLanguage.of(user)
    with translation.override(language):
        context = {**context(language), "name": person(user)}
        body = render_to_string(f"articles/mail/{template}.txt", context)
        return mail.EmailMessage(
            str(subject) % context, body, to=[user.email], headers={"Content-Language": language}
        )


def send(messages):
    """Send `messages` over one connection; a failure is logged, not raised."""
    messages = [message for message in messages if message.to and all(message.to)]
    if not messages:
        return 0
    try:
        with mail.get_connection() as connection:
            return connection.send_messages(messages)
    except Exception:
        logger.exception("Mail about translation jobs not sent to %s", [m.to for m in messages])
        return 0


def about_job(job, recipients, subject, template, **extra):
    """Mail `recipients` about `job`; `extra` values of the context may be functions,
    called in each recipient's language."""

    def context(language):
        made = {name: value() if callable(value) else value for name, value in extra.items()}
        return {**job_facts(job, language), **made}

    return send(message(user, subject, template, context) for user in recipients if user)


def assigned(job):
    return about_job(
        job,
        [job.assignee],
        _("Translation job: %(article)s, %(language)s, due %(due)s"),
        "job_assigned",
        by=person(job.created_by),
    )


def reviewers(job):
    """Who is told of a job submitted for review: its reviewer; without one, those who
    review its language, else whoever created it."""
    if job.reviewer_id:
        return [job.reviewer]
    found = list(LanguageRole.reviewers_of(job.language).exclude(pk=job.assignee_id))
    return found or [job.created_by]


def submitted(job):
    return about_job(
        job,
        reviewers(job),
        _("To review: %(article)s, %(language)s"),
        "job_submitted",
    )


def reviewed(job, *, reviewer, note="", comment_count=0):
    if job.state == Job.State.APPROVED:
        subject, template = _("Approved: %(article)s, %(language)s"), "job_approved"
    else:
        subject, template = (
            _("Changes requested: %(article)s, %(language)s"),
            "job_changes_requested",
        )
    return about_job(
        job,
        [job.assignee],
        subject,
        template,
        note=note,
        comment_count=comment_count,
        by=person(reviewer),
    )


def reopened(job, needing):
    return about_job(
        job,
        [job.assignee],
        _("Reopened: %(article)s, %(language)s"),
        "job_reopened",
        segments=lambda: ", ".join(label(key, kind) for key, kind in needing),
        source=lambda: languages.name(job.article.source_language),
    )


def digest(today=None):
    """Mail each person their open jobs due within DIGEST_DAYS days or overdue: those
    they translate, and those waiting for their review. Returns the mails sent."""
    today = today or timezone.localdate()
    due = Job.objects.due_by(today + timedelta(days=DIGEST_DAYS)).select_related(
        "article", "assignee", "reviewer"
    )
    working = Q(state__in=[Job.State.TO_DO, Job.State.IN_PROGRESS, Job.State.CHANGES_REQUESTED])
    per_person = {}
    for job in due.filter(working):
        per_person.setdefault(job.assignee, []).append(job)
    for job in due.filter(state=Job.State.IN_REVIEW):
        for user in reviewers(job):
            if user:
                per_person.setdefault(user, []).append(job)
    messages = []
    for user, jobs in per_person.items():

        def context(language, jobs=jobs):
            return {"jobs": [job_facts(job, language) for job in jobs], "count": len(jobs)}

        messages.append(message(user, _("Translation jobs due soon: %(count)s"), "digest", context))
    return send(messages)
