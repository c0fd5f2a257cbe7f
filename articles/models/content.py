"""What every kind of content shares: texts per language, slugs, versions, pictures."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import translator

from articles import languages
from articles.languages import localized
from articles.text.rendering import (
    render_body,
    slugify_for_language,
)


class Content(models.Model):
    """What editors write: texts per language, saved through articles/editing.py.

    Each copy remembers the values it was loaded with, so a save knows what
    changed without reading the row again, and carries the version it was
    loaded at: every write moves the version on, and a write that started
    from an older one is refused.
    """

    # The texts a translator translates, per language.
    TRANSLATED_TEXTS = ()
    # The per-language text each language's slug is made from ("title"), if any.
    SLUG_SOURCE = None
    # Uploaded files and what is made from each (images.Slot).
    IMAGES = ()
    # The per-language texts a language version needs to exist.
    REQUIRED_CONTENT = ()

    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance.loaded_values = dict(zip(field_names, values, strict=True))
        return instance

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        names = fields or [field.attname for field in self._meta.concrete_fields]
        loaded = getattr(self, "loaded_values", {})
        self.loaded_values = {**loaded, **{name: self.stored_value(name) for name in names}}

    def stored_value(self, attname):
        """The value of column `attname` as the database stores it (a file by its name)."""
        value = getattr(self, attname)
        return getattr(value, "name", value) if hasattr(value, "storage") else value

    @classmethod
    def columns(cls):
        """The fields a save writes: the per-language columns (`title_he`), not the
        originals modeltranslation keeps beside them (`title`), which stand for
        whichever language is active."""
        originals = set(translator.get_options_for_model(cls).all_fields)
        return [
            field
            for field in cls._meta.concrete_fields
            if not field.primary_key and field.name not in originals
        ]

    def changed_columns(self):
        """The columns whose value differs from what this copy was loaded with (all, if new).

        An empty text is the same whether stored as "" or NULL (modeltranslation's
        columns are nullable, a form sends "").
        """
        loaded = getattr(self, "loaded_values", None)
        if loaded is None:
            return [field.attname for field in self.columns()]
        changed = []
        for field in self.columns():
            before, now = loaded.get(field.attname), self.stored_value(field.attname)
            if isinstance(field, (models.CharField, models.TextField)):
                before, now = before or "", now or ""
            if before != now:
                changed.append(field.attname)
        return changed

    def remember_saved(self):
        """Take the values this copy holds as the stored ones, after writing them."""
        self.loaded_values = {
            field.attname: self.stored_value(field.attname) for field in self._meta.concrete_fields
        }

    def check_invariants(self):
        """Raise ValidationError when the object, its derived columns made, may not be
        written as it is, whoever writes it. Nothing by default."""

    def written(self):
        """Called once the row is written, in the write's transaction. Nothing by default."""

    def has_content_in(self, language):
        return all(getattr(self, localized(name, language)) for name in self.REQUIRED_CONTENT)

    def is_available_in(self, language):
        """Whether readers see the `language` version: by default, once it has its content."""
        return self.has_content_in(language)

    @property
    def languages(self):
        """The languages readers see this in, in the site's order."""
        return [code for code in languages.CODES if self.is_available_in(code)]

    def texts_in(self, language):
        return {
            name: getattr(self, localized(name, language)) or "" for name in self.TRANSLATED_TEXTS
        }

    def refresh_derived(self, *, render=render_body, translation_sources=None):
        """Bring the columns made from the texts up to date: the slugs by default."""
        self.fill_missing_slugs()

    def fill_missing_slugs(self):
        """Give every language that has a SLUG_SOURCE text a slug made from it.

        Returns the languages whose text yields no slug at all (say, only
        punctuation): the editor has to type one there.
        """
        unsluggable = []
        if self.SLUG_SOURCE is None:
            return unsluggable
        for code in languages.CODES:
            slug_field = localized("slug", code)
            if getattr(self, slug_field):
                continue
            text = getattr(self, localized(self.SLUG_SOURCE, code)) or ""
            slug = slugify_for_language(text, language=code)
            setattr(self, slug_field, slug or None)
            if text and not slug:
                unsluggable.append(code)
        return unsluggable

    def slugs(self):
        return {code: getattr(self, localized("slug", code)) for code in languages.CODES}

    def clean(self):
        if unsluggable := self.fill_missing_slugs():
            message = _("No slug can be made from this text; please type one.")
            raise ValidationError({localized("slug", code): message for code in unsluggable})

    def validate_constraints(self, exclude=None):
        # A slug that did not change needs no second look: one query less per
        # language on every save.
        changed = set(self.changed_columns())
        unchanged_slugs = {
            localized("slug", code)
            for code in languages.CODES
            if self.SLUG_SOURCE and localized("slug", code) not in changed
        }
        super().validate_constraints(exclude={*(exclude or ()), *unchanged_slugs})


def picture_fields(name, label, *, upload_to):
    """The columns of an uploaded picture called `name`: the file, its width and
    height (Django fills them in), and the record of its smaller copies for
    srcset and the file they were made from (an images.Slot's `record`)."""
    return (
        models.ImageField(
            label,
            upload_to=upload_to,
            width_field=f"{name}_width",
            height_field=f"{name}_height",
            blank=True,
        ),
        models.PositiveIntegerField(null=True, blank=True, editable=False),
        models.PositiveIntegerField(null=True, blank=True, editable=False),
        models.JSONField(default=dict, editable=False),
    )


def unique_slugs(model_name):
    """Constraints keeping `model_name`'s slugs unique within each language; a NULL
    slug (no text in that language yet) never collides."""
    return [
        models.UniqueConstraint(
            fields=[localized("slug", code)],
            name=f"{model_name}_unique_slug_{code}",
            violation_error_code="unique",
        )
        for code in languages.CODES
    ]


def translated_slug_field(help_text=None):
    # NULL, not "", marks a language without a slug, so per-language
    # uniqueness never collides on empty values.
    return models.SlugField(  # noqa: DJ001
        _("slug"),
        max_length=200,
        allow_unicode=True,
        null=True,
        blank=True,
        help_text=help_text or _("Filled from the name when left empty."),
    )


def has_text_in(names, language):
    """The condition: every text of `names` is filled in `language`."""
    query = Q()
    for name in names:
        column = localized(name, language)
        query &= Q(**{f"{column}__isnull": False}) & ~Q(**{column: ""})
    return query


class SluggedQuerySet(models.QuerySet):
    def with_slug_in_any_language(self, slug):
        any_language = Q()
        for code in languages.CODES:
            any_language |= Q(**{localized("slug", code): slug})
        return self.filter(any_language)


class NamedQuerySet(SluggedQuerySet):
    def available_in(self, language):
        """Those with their name (and so their slug) in `language`."""
        return self.filter(has_text_in(self.model.REQUIRED_CONTENT, language))


def first_text(obj, name):
    """`obj`'s text `name` in the first language that has it, or ""."""
    for code in languages.CODES:
        if text := getattr(obj, localized(name, code)):
            return text
    return ""


class Published(Content):
    """Content published language by language (`is_published`), with an image
    (`image`) that each published language describes (`image_alt`)."""

    class Meta:
        abstract = True

    def is_available_in(self, language):
        """Whether readers see the `language` version: published, with its content."""
        return self.has_content_in(language) and bool(
            getattr(self, localized("is_published", language))
        )

    def publishing_errors(self, incomplete):
        """Errors for the languages marked published that cannot be: `incomplete` (a
        message naming %(language)s) without their content, or a request for the
        image's alt text."""
        errors = {}
        for code in languages.CODES:
            if not getattr(self, localized("is_published", code)):
                continue
            name = languages.name(code)
            if not self.has_content_in(code):
                errors[localized("is_published", code)] = incomplete % {"language": name}
            elif self.image and not getattr(self, localized("image_alt", code)):
                errors[localized("image_alt", code)] = _(
                    "Describe the image in %(language)s before publishing it."
                ) % {"language": name}
        return errors


class Named(Content):
    """Content known by its name in each language, with a page of its own (URL_NAME)."""

    REQUIRED_CONTENT = ("name", "slug")
    SLUG_SOURCE = "name"
    URL_NAME = None
    # What it is called while it has no name in any language.
    UNNAMED = ""

    objects = NamedQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return first_text(self, "name") or str(self.UNNAMED)

    def get_absolute_url(self, language=None):
        return named_url(self, self.URL_NAME, language)


def named_url(obj, viewname, language):
    language = language or translation.get_language()
    slug = getattr(obj, localized("slug", language))
    return languages.reverse_in(language, viewname, kwargs={"slug": slug})
