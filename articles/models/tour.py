from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from articles import images, languages
from articles.languages import localized
from articles.text.validators import validate_single_line, validate_text

from .content import Published, picture_fields


class TourPage(Published):
    """The tour's landing page, per language: a headline, a subheading, three to five
    benefits, an image, the button and a line of reassurance under it.

    Its headline and button are also the call to action at the end of every
    article; each language is published on its own, as an article's are.
    """

    class RelatedPosition(models.TextChoices):
        BEFORE = "before", _("before the call to action")
        AFTER = "after", _("after the call to action")

    TRANSLATED_TEXTS = (
        "text",
        "subheading",
        "benefits",
        "button_label",
        "reassurance",
        "image_alt",
    )
    REQUIRED_CONTENT = ("text", "button_label")
    IMAGES = (images.Slot("image", "image_renditions"),)
    # How many benefits a language lists, when it lists any.
    FEWEST_BENEFITS, MOST_BENEFITS = 3, 5

    text = models.CharField(
        _("headline"),
        max_length=300,
        blank=True,
        help_text=_("The page's headline, and the call to action at the end of every article."),
        validators=[validate_single_line],
    )
    subheading = models.CharField(
        _("subheading"), max_length=300, blank=True, validators=[validate_single_line]
    )
    benefits = models.TextField(
        _("benefits"),
        max_length=1000,
        blank=True,
        help_text=_("Three to five short points, one a line."),
        validators=[validate_text, MaxLengthValidator(1000)],
    )
    button_label = models.CharField(
        _("button label"), max_length=60, blank=True, validators=[validate_single_line]
    )
    reassurance = models.CharField(
        _("reassurance"),
        max_length=200,
        blank=True,
        help_text=_("A short line under the button that answers a doubt."),
        validators=[validate_single_line],
    )
    image, image_width, image_height, image_renditions = picture_fields(
        "image", _("image or screenshot"), upload_to="tour/"
    )
    image_alt = models.CharField(
        _("image alt text"), max_length=300, blank=True, validators=[validate_single_line]
    )
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Readers see this language version of the page and its call to action."),
    )
    destination_url = models.URLField(
        _("button destination"),
        blank=True,
        help_text=_("Where the button takes the visitor, e.g. the interactive product tour."),
    )
    related_position = models.CharField(
        _("related articles"),
        max_length=6,
        choices=RelatedPosition,
        default=RelatedPosition.AFTER,
        help_text=_(
            "Where an article's related articles stand: before its call to action or after it."
        ),
    )

    class Meta:
        verbose_name = _("tour page")
        verbose_name_plural = _("tour page")

    def __str__(self):
        return str(_("Tour page"))

    @property
    def benefit_list(self):
        """The benefits in the active language, one a line."""
        return benefit_lines(self.benefits)

    @property
    def image_sources(self):
        return images.picture_sources(self.image, self.image_renditions)

    @property
    def destination_host(self):
        """The host the button leads to ("www.getguru.com"), told to the reader under it."""
        return urlsplit(self.destination_url).hostname or ""

    @property
    def shows_related_first(self):
        return self.related_position == self.RelatedPosition.BEFORE

    def clean(self):
        errors = {}
        for code in languages.CODES:
            count = len(benefit_lines(getattr(self, localized("benefits", code))))
            if count and not self.FEWEST_BENEFITS <= count <= self.MOST_BENEFITS:
                errors[localized("benefits", code)] = _(
                    "List three to five benefits, one a line (there are %(count)d)."
                ) % {"count": count}
        errors.update(
            self.publishing_errors(
                _("Fill in the headline and button label in %(language)s before publishing it.")
            )
        )
        if errors:
            raise ValidationError(errors)

    @classmethod
    def load(cls):
        """The one tour page; an empty one until an editor or the launch content fills it."""
        return cls.objects.order_by("pk").first() or cls()


def benefit_lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
