from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from articles import languages
from articles.text.validators import validate_single_line


class Experiment(models.Model):
    """Variants of a call to action shown at random, to learn which words work best.

    Each page view gets one variant, drawn by weight, and the variant travels
    in the links the page makes, so a click counts for the variant shown. No
    cookie and no identifier: the counts are all that is kept. One experiment
    runs per language at a time, so a visit is never counted for two.
    """

    class Place(models.TextChoices):
        ARTICLE = "article", _("the call to action at the end of articles")
        TOUR = "tour", _("the tour page's headline and button")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        RUNNING = "running", _("running")
        STOPPED = "stopped", _("stopped")

    name = models.CharField(_("name"), max_length=100)
    language = models.CharField(_("language"), max_length=7, choices=languages.CHOICES)
    place = models.CharField(_("place"), max_length=7, choices=Place)
    status = models.CharField(
        _("status"), max_length=7, choices=Status, default=Status.DRAFT, editable=False
    )
    minimum_views = models.PositiveIntegerField(
        _("minimum views per variant"),
        default=300,
        help_text=_("No winner is named before every variant has been seen this often."),
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True, editable=False)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True, editable=False)
    promoted = models.ForeignKey(
        "Variant",
        verbose_name=_("promoted variant"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        verbose_name = _("experiment")
        verbose_name_plural = _("experiments")
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["language"],
                condition=Q(status="running"),
                name="experiment_one_running_per_language",
                violation_error_message=_("Another experiment is running in this language."),
            )
        ]

    def __str__(self):
        return self.name

    @property
    def unattributed_code(self):
        """What counts are credited to when their link named a variant the server
        cannot vouch for (CampaignCount.variant): the experiment and "?", e.g. "12?"."""
        return f"{self.pk}?"


class Variant(models.Model):
    """One wording of the call to action in an experiment, shown to its share of views."""

    KEYS = "abcd"

    experiment = models.ForeignKey(
        Experiment, on_delete=models.CASCADE, related_name="variants", verbose_name=_("experiment")
    )
    # A short name for links and counts: a, b, c or d, the first being the control.
    key = models.CharField(_("key"), max_length=1, editable=False)
    # Shown as the tour page's own words are, so held to the same rules.
    text = models.CharField(_("text"), max_length=300, validators=[validate_single_line])
    button_label = models.CharField(
        _("button label"), max_length=60, validators=[validate_single_line]
    )
    weight = models.PositiveSmallIntegerField(
        _("share of views (%)"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        ordering = ["experiment", "key"]
        constraints = [
            models.UniqueConstraint(fields=["experiment", "key"], name="variant_unique_key")
        ]

    def __str__(self):
        return f"{self.experiment}: {self.key}"

    @property
    def is_control(self):
        return self.key == self.KEYS[0]

    @property
    def code(self):
        """How links name the variant: the experiment and the key, e.g. "12a"."""
        return f"{self.experiment_id}{self.key}"


class CampaignCountQuerySet(models.QuerySet):
    def between(self, first_day, last_day):
        return self.filter(day__range=(first_day, last_day))

    def totals(self, *fields):
        """Reads, visits and clicks summed per distinct value of `fields` (say "day"),
        ordered by them."""
        return (
            self.values(*fields)
            .annotate(
                reads=models.Sum("count", filter=Q(kind=CampaignCount.Kind.READ), default=0),
                visits=models.Sum("count", filter=Q(kind=CampaignCount.Kind.VISIT), default=0),
                clicks=models.Sum("count", filter=Q(kind=CampaignCount.Kind.CLICK), default=0),
            )
            .order_by(*fields)
        )

    def funnel(self, *fields):
        """Articles read, call-to-action clicks (arrivals on the tour page from an article)
        and tour-button clicks after such an arrival: per distinct `fields`, or in all
        (a dict) without any."""
        from_article = Q(source="article") & ~Q(article_pk=0)
        kind = CampaignCount.Kind
        steps = {
            "reads": models.Sum("count", filter=Q(kind=kind.READ), default=0),
            "cta_clicks": models.Sum("count", filter=Q(kind=kind.VISIT) & from_article, default=0),
            "tour_clicks": models.Sum("count", filter=Q(kind=kind.CLICK) & from_article, default=0),
        }
        if not fields:
            return self.aggregate(**steps)
        return self.values(*fields).annotate(**steps).order_by(*fields)


class CampaignCount(models.Model):
    """How many article reads, tour-page visits or tour-button clicks one day brought,
    per campaign, article and experiment variant.

    Counts only: nothing about a visitor (address, browser, cookie) is stored.
    """

    VALUE_MAX_LENGTH = 100

    class Kind(models.TextChoices):
        READ = "read", _("article read")
        VISIT = "visit", _("visit")
        CLICK = "click", _("click")

    day = models.DateField(_("day"))
    language = models.CharField(_("language"), max_length=7, choices=languages.CHOICES)
    kind = models.CharField(_("kind"), max_length=5, choices=Kind)
    # "" when the visitor brought no such parameter: NULL would let the unique
    # key below hold duplicates, since NULLs never compare equal.
    source = models.CharField(_("source"), max_length=VALUE_MAX_LENGTH, blank=True, default="")
    medium = models.CharField(_("medium"), max_length=VALUE_MAX_LENGTH, blank=True, default="")
    campaign = models.CharField(_("campaign"), max_length=VALUE_MAX_LENGTH, blank=True, default="")
    # The referring article's pk, 0 for none: a foreign key would need NULL for
    # "none", and the counts outlive a deleted article anyway.
    article_pk = models.PositiveBigIntegerField(_("referring article"), default=0)
    # The experiment variant shown (Variant.code, e.g. "12a"), "" for none, and
    # Experiment.unattributed_code ("12?") for one the server cannot vouch for.
    variant = models.CharField(_("variant"), max_length=12, blank=True, default="")
    count = models.PositiveBigIntegerField(_("count"), default=0)

    objects = CampaignCountQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign count")
        verbose_name_plural = _("campaign results")
        ordering = ["-day", "language", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "day",
                    "language",
                    "kind",
                    "source",
                    "medium",
                    "campaign",
                    "article_pk",
                    "variant",
                ],
                name="campaigncount_unique_key",
            )
        ]

    def __str__(self):
        return f"{self.day} {self.language} {self.kind}: {self.count}"
