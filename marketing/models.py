from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from articles import languages


class CampaignCountQuerySet(models.QuerySet):
    def between(self, first_day, last_day):
        return self.filter(day__range=(first_day, last_day))

    def totals(self, *fields):
        """Visits and clicks summed per distinct value of `fields` (say "day"), ordered by them."""
        return (
            self.values(*fields)
            .annotate(
                visits=models.Sum("count", filter=Q(kind=CampaignCount.Kind.VISIT), default=0),
                clicks=models.Sum("count", filter=Q(kind=CampaignCount.Kind.CLICK), default=0),
            )
            .order_by(*fields)
        )


class CampaignCount(models.Model):
    """How many tour-page visits or tour-button clicks one day brought, per campaign.

    Counts only: nothing about a visitor (address, browser, cookie) is stored.
    """

    VALUE_MAX_LENGTH = 100

    class Kind(models.TextChoices):
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
    count = models.PositiveBigIntegerField(_("count"), default=0)

    objects = CampaignCountQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign count")
        verbose_name_plural = _("campaign results")
        ordering = ["-day", "language", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "language", "kind", "source", "medium", "campaign", "article_pk"],
                name="campaigncount_unique_key",
            )
        ]

    def __str__(self):
        return f"{self.day} {self.language} {self.kind}: {self.count}"
