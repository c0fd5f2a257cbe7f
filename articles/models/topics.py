from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.text.validators import validate_single_line

from .content import (
    Named,
    named_url,
    translated_slug_field,
    unique_slugs,
)


class Topic(Named):
    """What an article is about; each article has one, and each topic a page and a feed."""

    TRANSLATED_TEXTS = ("name", "description")
    URL_NAME = "articles:topic"
    UNNAMED = _("Topic without a name")

    name = models.CharField(_("name"), max_length=80, blank=True, validators=[validate_single_line])
    slug = translated_slug_field()
    description = models.CharField(
        _("description"),
        max_length=300,
        blank=True,
        help_text=_("One sentence under the topic's name on its page, and for search engines."),
        validators=[validate_single_line],
    )

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["pk"]
        constraints = unique_slugs("topic")

    def get_feed_url(self, language=None):
        return named_url(self, "articles:topic_feed", language)
