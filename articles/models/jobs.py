"""Translation jobs: an article's translation into one language, assigned to a
translator with a due date and reviewed before it goes live; and what happened
to each (articles/translating/jobs.py moves them from state to state)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles import languages

from .article import Article


class JobQuerySet(models.QuerySet):
    def open(self):
        """Jobs still to be approved."""
        return self.exclude(state=Job.State.APPROVED)

    def overdue(self, today=None):
        """Open jobs whose due date has passed."""
        return self.open().filter(due_date__lt=today or timezone.localdate())

    def due_by(self, day):
        """Open jobs due on `day` or before."""
        return self.open().filter(due_date__lte=day)

    def of(self, user):
        """Jobs `user` translates or reviews."""
        return self.filter(Q(assignee=user) | Q(reviewer=user))


class Job(models.Model):
    """An article's translation into `language`: who translates it, who reviews it,
    by when, and where it stands."""

    class State(models.TextChoices):
        TO_DO = "to_do", _("to do")
        IN_PROGRESS = "in_progress", _("in progress")
        IN_REVIEW = "in_review", _("in review")
        CHANGES_REQUESTED = "changes_requested", _("changes requested")
        APPROVED = "approved", _("approved")

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="jobs"
    )
    language = models.CharField(_("language"), max_length=7, choices=languages.CHOICES)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("translator"),
        on_delete=models.PROTECT,
        related_name="translation_jobs",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="review_jobs",
        help_text=_("Left empty, anyone who reviews the language may review it."),
    )
    due_date = models.DateField(_("due date"))
    state = models.CharField(_("state"), max_length=17, choices=State, default=State.TO_DO)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # The source and translation texts as last approved ({"source": {field:
    # text}, "target": {…}}): a review shows what changed since.
    approved_texts = models.JSONField(default=dict, editable=False)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("translation job")
        verbose_name_plural = _("translation jobs")
        ordering = ["due_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "language"], name="job_unique_language")
        ]
        indexes = [
            models.Index(fields=["assignee", "due_date"], name="job_by_assignee"),
            models.Index(fields=["reviewer", "due_date"], name="job_by_reviewer"),
            models.Index(fields=["state", "due_date"], name="job_by_state"),
        ]

    def __str__(self):
        return f"{self.article} — {languages.name(self.language)}"

    @property
    def is_open(self):
        return self.state != self.State.APPROVED

    @property
    def is_overdue(self):
        return self.is_open and self.due_date < timezone.localdate()


class JobEvent(models.Model):
    """Something that happened to a job: a change of state, an assignment, a comment
    on a segment. Kept for good: the job's history."""

    class Kind(models.TextChoices):
        CREATED = "created", _("created")
        ASSIGNED = "assigned", _("assigned")
        STARTED = "started", _("started")
        SUBMITTED = "submitted", _("submitted for review")
        COMMENTED = "commented", _("commented")
        CHANGES_REQUESTED = "changes_requested", _("changes requested")
        APPROVED = "approved", _("approved")
        REOPENED = "reopened", _("reopened by a change of the source")
        PUBLISHED_UNAPPROVED = "published_unapproved", _("published without approval")

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The segments it is about, as [key, kind] pairs ("body.3", "paragraph").
    segments = models.JSONField(default=list, blank=True)
    # A comment, a note to the translator, a reason.
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("job event")
        verbose_name_plural = _("job events")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.get_kind_display()


class TranslationOverview(Article):
    """Every article in every language, as the translation overview in the admin lists
    them: the same rows as Article."""

    class Meta:
        proxy = True
        verbose_name = _("translation overview")
        verbose_name_plural = _("translation overview")
