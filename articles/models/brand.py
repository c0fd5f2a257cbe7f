from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from articles import images
from articles.languages import localized
from articles.text.validators import validate_single_line

from .content import Content

# The tagline shown where editors wrote none, in the page's language.
DEFAULT_TAGLINE = _("Articles on customer support and customer experience.")


class Brand(Content):
    """The site's name, tagline, logo and icon as editors set them. What they leave
    empty comes from settings: SITE_NAME, and the files in static/brand/."""

    TRANSLATED_TEXTS = ("tagline",)
    IMAGES = (images.Slot("logo"), images.Slot("icon", "icon_files", icons=True))

    name = models.CharField(
        _("site name"),
        max_length=60,
        blank=True,
        help_text=_("Left empty, the SITE_NAME setting."),
        validators=[validate_single_line],
    )
    tagline = models.CharField(
        _("tagline"),
        max_length=200,
        blank=True,
        help_text=_("One line under the name, in the footer and for search engines."),
        validators=[validate_single_line],
    )
    logo = models.FileField(
        _("logo"),
        upload_to="brand/",
        blank=True,
        help_text=_("An SVG file, shown in the header at 2.5rem high. Left empty, the default."),
    )
    icon = models.ImageField(
        _("icon"),
        upload_to="brand/",
        blank=True,
        help_text=_(
            "A square PNG of at least 512 pixels: the favicon, the home-screen icon and "
            "the web manifest's icons are made from it. Left empty, the default."
        ),
    )
    # The favicon and the PNG icons made from the icon (images.make_icons).
    icon_files = models.JSONField(default=dict, editable=False)

    class Meta:
        verbose_name = _("brand")
        verbose_name_plural = _("brand")

    def __str__(self):
        return str(_("Brand"))

    def tagline_in(self, language):
        """The tagline readers of `language` see: the editors', else the interface's."""
        return getattr(self, localized("tagline", language)) or default_tagline(language)

    @property
    def icon_urls(self):
        return images.icon_urls(self.icon, self.icon_files)

    @classmethod
    def load(cls):
        """The one brand; an empty one, all from settings, until an editor fills it."""
        return cls.objects.order_by("pk").first() or cls()


def default_tagline(language):
    with translation.override(language):
        return str(DEFAULT_TAGLINE)
