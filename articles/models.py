import copy

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from . import images
from .page_cache import invalidate_pages
from .rendering import normalize_for_search, search_document, slugify_for_language, text_diff

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
# Translations are made from this language, and go out of date when it changes.
SOURCE_LANGUAGE = settings.MODELTRANSLATION_DEFAULT_LANGUAGE


def localized(field_name, language):
    """The column modeltranslation keeps for `field_name` in `language`."""
    return f"{field_name}_{language}"


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Articles whose publishing time has come."""
        return self.filter(published_at__lte=timezone.now())

    def with_content_in(self, language):
        query = Q()
        for name in Article.REQUIRED_CONTENT:
            column = localized(name, language)
            query &= Q(**{f"{column}__isnull": False}) & ~Q(**{column: ""})
        return self.filter(query)

    def available_in(self, language):
        """Articles whose `language` version is published and has its title and body."""
        return self.with_content_in(language).filter(**{localized("is_published", language): True})

    def with_slug_in_any_language(self, slug):
        any_language = Q()
        for code in LANGUAGE_CODES:
            any_language |= Q(**{localized("slug", code): slug})
        return self.filter(any_language)

    def matching(self, query, language):
        """Articles whose text in `language` holds every word of `query`.

        Both sides are normalized (case, Turkish i, accents, Hebrew points), so a
        plain `contains` matches alike on SQLite and PostgreSQL.
        """
        column = localized("search_text", language)
        words = normalize_for_search(query, language=language).split()
        return self.filter(*(Q(**{f"{column}__contains": word}) for word in words))


class Article(models.Model):
    class TranslationStatus(models.TextChoices):
        COMPLETE = "complete", _("complete")
        MISSING = "missing", _("missing")
        OUTDATED = "outdated", _("outdated")

    # A language version exists when these are filled in that language; the
    # slug is derived from the title on save, so it is there whenever the title is.
    REQUIRED_CONTENT = ("title", "body", "slug")
    # The texts a translator translates; a translation is outdated when the
    # source language's changed after it was last saved.
    TRANSLATED_TEXTS = ("title", "lede", "body", "meta_description", "image_alt")

    title = models.CharField(_("title"), max_length=200, blank=True)
    # NULL, not "", marks a language without a slug, so per-language
    # uniqueness never collides on empty values.
    slug = models.SlugField(  # noqa: DJ001
        _("slug"),
        max_length=200,
        allow_unicode=True,
        null=True,
        blank=True,
        help_text=_("Filled from the title when left empty."),
    )
    lede = models.TextField(
        _("lede"), blank=True, help_text=_("One or two sentences under the title.")
    )
    body = models.TextField(
        _("body"),
        blank=True,
        help_text=_(
            "Markdown: ## for section headings, > for quotations, - for lists, "
            "[text](https://…) for links, and a line [figure] where the image stands."
        ),
    )
    meta_description = models.CharField(_("meta description"), max_length=300, blank=True)
    image = models.ImageField(
        _("image"),
        upload_to="articles/",
        width_field="image_width",
        height_field="image_height",
        blank=True,
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # The image's smaller copies for srcset and the file they were made from (images.py).
    image_renditions = models.JSONField(default=dict, editable=False)
    image_alt = models.CharField(_("image alt text"), max_length=300, blank=True)
    # Title, lede and body normalized for search; filled on every save.
    search_text = models.TextField(editable=False, blank=True)
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Readers see this language version from the publishing time on."),
    )
    published_at = models.DateTimeField(
        _("publishing time"),
        null=True,
        blank=True,
        help_text=_(
            "Readers see the article from this time on. Left empty, it is set when "
            "a first language is published."
        ),
    )
    # For each translation, the source texts as they were when it was last
    # saved: what the translator worked from, compared with the source now.
    translation_sources = models.JSONField(default=dict, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Goes up by one on every save; a save that starts from an older number is
    # refused (EditConflict), so two editors never overwrite each other unawares.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at", "-pk"]
        # Slugs are unique within a language; a NULL slug (no translation yet)
        # never collides.
        constraints = [
            models.UniqueConstraint(
                fields=[localized("slug", code)],
                name=f"article_unique_slug_{code}",
                violation_error_code="unique",
            )
            for code in LANGUAGE_CODES
        ]

    def __str__(self):
        for code in LANGUAGE_CODES:
            if title := getattr(self, localized("title", code)):
                return title
        return _("Untitled article")

    def save(self, *args, **kwargs):
        self.fill_missing_slugs()
        self.fill_search_text()
        self.refresh_image_renditions()
        if kwargs.get("update_fields"):
            derived = {localized("search_text", code) for code in LANGUAGE_CODES}
            derived.add("image_renditions")
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                *derived,
                "translation_sources",
                "version",
            }
        if self.published_at is None and self.published_languages:
            self.published_at = timezone.now()
        with transaction.atomic():
            stored = None if self._state.adding else self.stored_texts()
            self.note_translation_sources(stored)
            if not self._state.adding:
                self.claim_next_version()
            super().save(*args, **kwargs)
            slugs = {code: getattr(self, localized("slug", code)) for code in LANGUAGE_CODES}
            former_slugs = {
                code: stored.get(localized("slug", code)) if stored else None
                for code in LANGUAGE_CODES
            }
            if slugs != former_slugs:
                SlugRedirect.record(self, former_slugs)
        invalidate_pages()

    def get_absolute_url(self, language=None):
        language = language or translation.get_language()
        with translation.override(language):
            return reverse(
                "articles:detail", kwargs={"slug": getattr(self, localized("slug", language))}
            )

    def delete(self, *args, **kwargs):
        invalidate_pages()
        return super().delete(*args, **kwargs)

    def stored_texts(self):
        """Every language's slug and translated texts as stored now, before this save."""
        columns = [
            localized(name, code)
            for name in ("slug", *self.TRANSLATED_TEXTS)
            for code in LANGUAGE_CODES
        ]
        return Article.objects.filter(pk=self.pk).values(*columns).first()

    def claim_next_version(self):
        """Move the stored version on by one, if it is still the one this save started from.

        The conditional UPDATE is atomic in the database, so of two saves that
        started from the same version only the first gets through.
        """
        claimed = Article.objects.filter(pk=self.pk, version=self.version).update(
            version=self.version + 1
        )
        if not claimed:
            raise EditConflict(self)
        self.version += 1

    def fill_missing_slugs(self):
        """Give every language that has a title a slug made from it.

        Returns the languages whose title yields no slug at all (say, only
        punctuation): the editor has to type one there.
        """
        unsluggable = []
        for code in LANGUAGE_CODES:
            slug_field = localized("slug", code)
            if getattr(self, slug_field):
                continue
            title = getattr(self, localized("title", code)) or ""
            slug = slugify_for_language(title, language=code)
            setattr(self, slug_field, slug or None)
            if title and not slug:
                unsluggable.append(code)
        return unsluggable

    def fill_search_text(self):
        for code in LANGUAGE_CODES:
            text = search_document(
                title=getattr(self, localized("title", code)) or "",
                lede=getattr(self, localized("lede", code)) or "",
                body=getattr(self, localized("body", code)) or "",
                language=code,
            )
            setattr(self, localized("search_text", code), text)

    def refresh_image_renditions(self):
        # The file is put in storage first, as saving would, so its final name is known.
        image = self._meta.get_field("image").pre_save(self, self._state.adding)
        self.image_renditions = images.refresh_renditions(image, self.image_renditions)

    @property
    def image_sources(self):
        """The figure's `<picture>` sources: srcsets of its renditions and a fallback."""
        return images.picture_sources(self.image, self.image_renditions)

    def texts_in(self, language):
        return {
            name: getattr(self, localized(name, language)) or "" for name in self.TRANSLATED_TEXTS
        }

    def note_translation_sources(self, stored):
        """Remember the source texts for every translation saved with changes now.

        `stored` is the row as `stored_texts` read it, None for a new article.
        Sources given by `keep_translation_sources` are kept instead, once.
        """
        source = self.texts_in(SOURCE_LANGUAGE)
        if getattr(self, "_keeps_translation_sources", False):
            self._keeps_translation_sources = False
            return
        for code in LANGUAGE_CODES:
            if code == SOURCE_LANGUAGE or not self.has_content_in(code):
                continue
            texts = self.texts_in(code)
            if stored is None or texts != {
                name: stored[localized(name, code)] or "" for name in self.TRANSLATED_TEXTS
            }:
                self.translation_sources[code] = source

    def keep_translation_sources(self, sources):
        """Take `sources` as what the translations were made from, for the next save.

        Saving otherwise takes today's source for every translation it changes;
        a restored revision, or an imported file translated from an older
        source, knows better.
        """
        self.translation_sources = copy.deepcopy(sources)
        self._keeps_translation_sources = True

    def clean(self):
        errors = {}
        if unsluggable := self.fill_missing_slugs():
            message = _("No slug can be made from this title; please type one.")
            errors.update({localized("slug", code): message for code in unsluggable})
        for code in LANGUAGE_CODES:
            if not getattr(self, localized("is_published", code)):
                continue
            name = translation.get_language_info(code)["name_translated"]
            if not self.has_content_in(code):
                errors[localized("is_published", code)] = _(
                    "Fill in the title and body in %(language)s before publishing it."
                ) % {"language": name}
            elif self.image and not getattr(self, localized("image_alt", code)):
                errors[localized("image_alt", code)] = _(
                    "Describe the image in %(language)s before publishing it."
                ) % {"language": name}
        if errors:
            raise ValidationError(errors)

    def has_content_in(self, language):
        return all(getattr(self, localized(name, language)) for name in self.REQUIRED_CONTENT)

    def is_available_in(self, language):
        """Whether the `language` version is published and has its title and body."""
        return self.has_content_in(language) and getattr(self, localized("is_published", language))

    def is_live_in(self, language):
        """Whether readers see the `language` version now."""
        return (
            self.is_available_in(language)
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def languages(self):
        """The languages this article can be read in, in the site's order."""
        return [code for code in LANGUAGE_CODES if self.is_available_in(code)]

    @property
    def published_languages(self):
        return [code for code in LANGUAGE_CODES if getattr(self, localized("is_published", code))]

    def translation_status(self, language):
        if not self.has_content_in(language):
            return self.TranslationStatus.MISSING
        worked_from = self.translation_sources.get(language)
        if language != SOURCE_LANGUAGE and worked_from != self.texts_in(SOURCE_LANGUAGE):
            return self.TranslationStatus.OUTDATED
        return self.TranslationStatus.COMPLETE

    def source_changes(self, language):
        """What changed in the source texts since the `language` translation was last saved.

        A list of (field name, diff lines), each line a (kind, text) pair with
        kind "added", "removed" or "context".
        """
        before = self.translation_sources.get(language, {})
        now = self.texts_in(SOURCE_LANGUAGE)
        return [
            (name, text_diff(before.get(name, ""), now[name]))
            for name in self.TRANSLATED_TEXTS
            if before.get(name, "") != now[name]
        ]


class EditConflict(Exception):
    """An article was saved by someone else after this copy of it was loaded."""

    def __init__(self, article):
        super().__init__(f"Article {article.pk} changed since version {article.version}")
        self.article = article


class SlugRedirect(models.Model):
    """A slug an article had in a language: its old address redirects to the new one."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="slug_redirects", verbose_name=_("article")
    )
    language = models.CharField(_("language"), max_length=7, choices=settings.LANGUAGES)
    slug = models.SlugField(_("slug"), max_length=200, allow_unicode=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("slug redirect")
        verbose_name_plural = _("slug redirects")
        constraints = [
            models.UniqueConstraint(
                fields=["language", "slug"], name="slugredirect_unique_language_slug"
            )
        ]

    def __str__(self):
        return f"/{self.language}/{self.slug}/"

    @classmethod
    def record(cls, article, former_slugs):
        """Redirect `article`'s former slugs to it; its current slugs redirect nowhere.

        A slug an article takes (a new one, or an old one taken again) wins
        over any redirect that held it.
        """
        current = Q(pk__in=[])
        for code in LANGUAGE_CODES:
            if slug := getattr(article, localized("slug", code)):
                current |= Q(language=code, slug=slug)
        cls.objects.filter(current).delete()
        for code, former in former_slugs.items():
            if former and former != getattr(article, localized("slug", code)):
                cls.objects.update_or_create(
                    language=code, slug=former, defaults={"article": article}
                )


class TourPage(models.Model):
    """The "take a tour" call to action: one page, its texts in every language."""

    text = models.CharField(_("call-to-action text"), max_length=300, blank=True)
    button_label = models.CharField(_("button label"), max_length=60, blank=True)
    destination_url = models.URLField(
        _("button destination"),
        blank=True,
        help_text=_("Where the button takes the visitor, e.g. the interactive product tour."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("tour page")
        verbose_name_plural = _("tour page")

    def __str__(self):
        return str(_("Tour page"))

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # Every article ends with the tour's call to action.
        invalidate_pages()

    def is_available_in(self, language):
        """Whether the call to action has its text and button label in `language`."""
        return bool(
            getattr(self, localized("text", language))
            and getattr(self, localized("button_label", language))
        )

    @property
    def languages(self):
        return [code for code in LANGUAGE_CODES if self.is_available_in(code)]

    @classmethod
    def load(cls):
        """The one tour page; an empty one until an editor or the launch content fills it."""
        return cls.objects.order_by("pk").first() or cls()


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
    language = models.CharField(_("language"), max_length=7, choices=settings.LANGUAGES)
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
