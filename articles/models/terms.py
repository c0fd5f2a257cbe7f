from django.db import models
from django.utils.translation import gettext_lazy as _

from articles import languages
from articles.languages import localized
from articles.text.validators import validate_text


class Concept(models.Model):
    """A concept of the house terminology: its terms in each language, the variants
    not to use, and a note for translators (articles/terms.py checks them)."""

    terms = models.TextField(
        _("terms"),
        blank=True,
        validators=[validate_text],
        help_text=_(
            "One a line, the approved term first; the other lines are also accepted, "
            "such as an abbreviation. After a vertical bar, the forms a term is also "
            "accepted in: “חוויה | חוויית | חוויות”."
        ),
    )
    forbidden = models.TextField(
        _("forbidden variants"),
        blank=True,
        validators=[validate_text],
        help_text=_(
            "One a line. Write “variant → term” to say what replaces it; otherwise "
            "the approved term does."
        ),
    )
    note = models.TextField(_("note"), blank=True, validators=[validate_text])
    note_language = models.CharField(
        _("language of the note"),
        max_length=10,
        choices=languages.CHOICES,
        default="en",
        help_text=_("The note is shown in this language's direction whatever the admin speaks."),
    )

    class Meta:
        verbose_name = _("term base concept")
        verbose_name_plural = _("term base")
        ordering = ["pk"]

    def __str__(self):
        for code in languages.CODES:
            if terms := getattr(self, localized("terms", code)):
                return terms.splitlines()[0]
        return str(_("Concept without terms"))
