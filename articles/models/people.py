from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from articles import images
from articles.text.validators import validate_single_line, validate_text

from .content import (
    Named,
    picture_fields,
    translated_slug_field,
    unique_slugs,
)


class Author(Named):
    """Who wrote an article: a person, or a team, with a name and bio per language."""

    TRANSLATED_TEXTS = ("name", "bio")
    URL_NAME = "articles:author"
    UNNAMED = _("Author without a name")
    PHOTO_WIDTHS = (96, 192, 384)
    IMAGES = (images.Slot("photo", "photo_renditions", widths=PHOTO_WIDTHS),)

    name = models.CharField(
        _("name"), max_length=100, blank=True, validators=[validate_single_line]
    )
    slug = translated_slug_field()
    bio = models.TextField(
        _("bio"),
        blank=True,
        max_length=1000,
        help_text=_("A few sentences on who they are, shown on their page."),
        validators=[validate_text, MaxLengthValidator(1000)],
    )
    is_team = models.BooleanField(
        _("a team"),
        default=False,
        help_text=_("A team or the whole company rather than one person (for search engines)."),
    )
    photo, photo_width, photo_height, photo_renditions = picture_fields(
        "photo", _("photo"), upload_to="authors/"
    )

    class Meta:
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        ordering = ["pk"]
        constraints = unique_slugs("author")

    @property
    def byline_sources(self):
        """The photo's `<picture>` sources beside the byline of an article."""
        return images.picture_sources(self.photo, self.photo_renditions, "2.5rem")

    @property
    def page_sources(self):
        """The photo's `<picture>` sources on the author's page."""
        return images.picture_sources(self.photo, self.photo_renditions, "8rem")
