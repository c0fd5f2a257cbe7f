"""Translation jobs from state to state (articles/models/jobs.py):

    to do → in progress → in review → approved
                 ↑            ↓
                 changes requested

An editor creates a job (the translator is mailed); the translator starts it
by opening the workspace and submits it for review from there (the reviewer
is mailed); the reviewer approves it or requests changes, commenting on
segments (the translator is mailed). A change of the source that leaves an
approved translation with segments to work on reopens its job (to do) and
mails the translator: `reopen_after_source_change`, which every save through
`editing.save` sets going.

Each step records a JobEvent, and mails are sent once the step is committed.
Every function raises ValidationError, changing nothing, for a step the user
may not take or the job's state does not allow.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import languages
from articles.models import Article, Job, JobEvent, LanguageRole
from articles.models import memory as stored_memory
from articles.text import segments
from articles.text.segments import article_segments

from . import notify

State = Job.State
Kind = JobEvent.Kind
# The states a translator works in, and may submit from.
WORKING = (State.TO_DO, State.IN_PROGRESS, State.CHANGES_REQUESTED)


def check_people(job):
    """Errors, by field, of a job's translator and reviewer: each must work in its
    language if limited to some, and with four eyes they are two people."""
    errors = {}
    name = languages.name(job.language)
    if job.assignee_id and not LanguageRole.may_change(job.assignee, job.language):
        errors["assignee"] = _("%(user)s does not translate into %(language)s.") % {
            "user": job.assignee,
            "language": name,
        }
    if job.reviewer_id:
        reviewer_limited = LanguageRole.languages_of(job.reviewer) is not None
        if reviewer_limited and not LanguageRole.reviews(job.reviewer, job.language):
            errors["reviewer"] = _("%(user)s does not review %(language)s.") % {
                "user": job.reviewer,
                "language": name,
            }
        elif settings.TRANSLATION_FOUR_EYES and job.reviewer_id == job.assignee_id:
            errors["reviewer"] = _("The reviewer must be someone other than the translator.")
    if job.article_id and job.language == job.article.source_language:
        errors["language"] = _("%(language)s is this article's source language.") % {
            "language": name
        }
    return errors


def record(job, kind, user, *, text="", segment_list=()):
    return JobEvent.objects.create(
        job=job, kind=kind, user=user, text=text, segments=[list(pair) for pair in segment_list]
    )


def create(article, language, *, assignee, due_date, reviewer=None, by=None):
    """A new job for `article`'s `language`, its translator mailed."""
    job = Job(
        article=article,
        language=language,
        assignee=assignee,
        reviewer=reviewer,
        due_date=due_date,
        created_by=by,
    )
    job.full_clean()
    if errors := check_people(job):
        raise ValidationError(errors)
    with transaction.atomic():
        job.save()
        record(job, Kind.CREATED, by)
    transaction.on_commit(lambda: notify.assigned(job))
    return job


def created_in_admin(job, by):
    """Record a job the admin's form just saved, and mail its translator."""
    record(job, Kind.CREATED, by)
    transaction.on_commit(lambda: notify.assigned(job))


def reassigned(job, before, by):
    """Record a job's new translator (`before` is the job as it was) and mail them."""
    if before.assignee_id != job.assignee_id:
        record(job, Kind.ASSIGNED, by, text=str(job.assignee))
        transaction.on_commit(lambda: notify.assigned(job))


def start(job, user):
    """The translator opened the workspace: a job to do is in progress."""
    if job.state == State.TO_DO and user.pk == job.assignee_id:
        job.state = State.IN_PROGRESS
        job.save(update_fields=["state", "updated_at"])
        record(job, Kind.STARTED, user)


def may_submit(job, user):
    return job.state in WORKING and (
        user.pk == job.assignee_id
        or is_editor(user)
        and LanguageRole.may_change(user, job.language)
    )


def submit(job, user, article):
    """Hand the translation to review; refused while a segment needs work."""
    if not may_submit(job, user):
        raise ValidationError(_("You cannot submit this job for review now."), code="state")
    done, total = article_segments(article, job.language).progress()
    if (
        done < total
        or article.translation_status(job.language) != Article.TranslationStatus.COMPLETE
    ):
        raise ValidationError(
            _(
                "Translate every segment before submitting it for review: "
                "%(done)s of %(total)s are done."
            )
            % {"done": done, "total": total},
            code="incomplete",
        )
    with transaction.atomic():
        job.state = State.IN_REVIEW
        job.save(update_fields=["state", "updated_at"])
        record(job, Kind.SUBMITTED, user)
    transaction.on_commit(lambda: notify.submitted(job))


def is_editor(user):
    """Whether `user` manages jobs: may change them and is limited to no language."""
    return user.has_perm("articles.change_job") and LanguageRole.languages_of(user) is None


def may_review(job, user):
    """Whether `user` may approve `job` or request changes: its reviewer, or without
    one, someone who reviews its language; and an editor of jobs. Never its
    translator while four eyes are required."""
    if settings.TRANSLATION_FOUR_EYES and user.pk == job.assignee_id:
        return False
    if job.reviewer_id:
        return user.pk == job.reviewer_id or is_editor(user)
    return LanguageRole.reviews(user, job.language) or is_editor(user)


def review(job, user, article, *, approve, comments, note=""):
    """Approve `job` or request changes, with `comments` ({segment key: text}) on
    segments of `article` and a `note` to the translator.

    Requesting changes needs a comment or a note, saying what to change.
    """
    if job.state != State.IN_REVIEW or not may_review(job, user):
        raise ValidationError(_("You cannot review this job now."), code="state")
    comments = {key: text.strip() for key, text in comments.items() if text.strip()}
    if not approve and not comments and not note.strip():
        raise ValidationError(
            _("Say what needs changing: comment on a segment or write a note."),
            code="no_comment",
        )
    by_key = article_segments(article, job.language).by_key()
    with transaction.atomic():
        for key, text in comments.items():
            if key in by_key:
                record(job, Kind.COMMENTED, user, text=text, segment_list=[(key, by_key[key].kind)])
        if approve:
            job.state = State.APPROVED
            job.approved_at = timezone.now()
            job.approved_texts = {
                "source": article.texts_in(article.source_language),
                "target": article.texts_in(job.language),
            }
            record(job, Kind.APPROVED, user, text=note.strip())
            # What the reviewer approved is the memory's now.
            stored_memory.add_finished(article, job.language, user=user)
        else:
            job.state = State.CHANGES_REQUESTED
            record(job, Kind.CHANGES_REQUESTED, user, text=note.strip())
        job.save()
    transaction.on_commit(
        lambda: notify.reviewed(job, reviewer=user, note=note.strip(), comment_count=len(comments))
    )


def reopen_after_source_change(sender, obj, user, changed, **kwargs):
    """Reopen the approved jobs of `obj` whose translation has segments to work on
    after this save changed its source texts, and mail their translators.

    Connected to editing.saved in ArticlesConfig.ready.
    """
    if not isinstance(obj, Article):
        return
    source_columns = {
        languages.localized(name, obj.source_language) for name in Article.TRANSLATED_TEXTS
    }
    if not source_columns & set(changed):
        return
    for job in Job.objects.filter(article_id=obj.pk, state=State.APPROVED):
        needing = [
            (segment.key, segment.kind)
            for segment in article_segments(obj, job.language).segments
            if segment.needs_work
        ]
        if not needing:
            continue
        job.state = State.TO_DO
        job.save(update_fields=["state", "updated_at"])
        record(job, Kind.REOPENED, user, segment_list=needing)
        transaction.on_commit(lambda job=job, needing=needing: notify.reopened(job, needing))


def comments_since_approval(job):
    """The reviewers' comments on `job`'s segments since it was last approved:
    {segment key: [JobEvent]}, oldest first."""
    if job is None:
        return {}
    events = job.events.filter(kind=Kind.COMMENTED).select_related("user")
    if job.approved_at is not None and job.state != State.APPROVED:
        events = events.filter(created_at__gt=job.approved_at)
    elif job.state == State.APPROVED:
        return {}
    found = {}
    for event in events:
        for key, _kind in event.segments:
            found.setdefault(key, []).append(event)
    return found


def segment_labels(pairs):
    """ "title, 3 · paragraph" for [key, kind] pairs."""
    return ", ".join(segments.label(key, kind) for key, kind in pairs)
