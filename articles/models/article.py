from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles import images, languages
from articles.languages import localized
from articles.text import segments
from articles.text.diffs import text_diff
from articles.text.rendering import (
    RENDERING_VERSION,
    RenderTooSlow,
    render_body,
    render_body_in_time,
)
from articles.text.search import search_fields
from articles.text.validators import validate_single_line, validate_text

from . import memory
from .content import (
    Published,
    SluggedQuerySet,
    first_text,
    picture_fields,
    translated_slug_field,
    unique_slugs,
)
from .people import Author
from .topics import Topic


class TranslationStatus(models.TextChoices):
    COMPLETE = "complete", _("complete")
    MISSING = "missing", _("missing")
    OUTDATED = "outdated", _("outdated")
    # Its texts are there, some filled in by machine translation or from the
    # memory and not yet confirmed by a person.
    NEEDS_REVIEW = "review", _("needs review")


def has_content(language):
    """The condition of ArticleQuerySet.with_content_in."""
    present = [
        TranslationStatus.COMPLETE,
        TranslationStatus.OUTDATED,
        TranslationStatus.NEEDS_REVIEW,
    ]
    return Q(**{f"{localized('translation_state', language)}__in": present})


def availability(language):
    """The condition of ArticleQuerySet.available_in, to filter or annotate with."""
    return Q(**{localized("is_published", language): True}) & has_content(language)


class ArticleQuerySet(SluggedQuerySet):
    def published(self):
        """Articles whose publishing time has come."""
        return self.filter(published_at__lte=timezone.now())

    def listed(self):
        """Articles as a list shows them: without the bodies, their HTML and search
        text, which no list shows and which make up most of a row."""
        unlisted = ("body", "body_html", "toc", *Article.SEARCH_FIELDS.values())
        return self.defer(
            *unlisted,
            *(localized(name, code) for name in unlisted for code in languages.CODES),
            "translation_sources",
        )

    def as_cards(self, language):
        """Articles as their cards show them in `language` (templatetags/cards.py):
        the columns a card reads, not every language's texts, with the author and
        topic read in the same query."""
        texts = (localized(name, language) for name in ("title", "slug", "lede"))
        pictures = ("image", "image_width", "image_height", "image_renditions")
        return self.only("published_at", "topic", "author", *pictures, *texts).with_byline()

    def next_publication(self):
        """The earliest publishing time still to come, or None."""
        upcoming = self.filter(published_at__gt=timezone.now()).order_by("published_at")
        return upcoming.values_list("published_at", flat=True).first()

    def with_content_in(self, language):
        """Articles with their title, body and slug in `language`.

        Asked of the stored translation state, which every save sets from these
        very fields and which is "missing" exactly when one is empty: lists then
        filter on a small indexed column instead of reading every text.
        """
        return self.filter(has_content(language))

    def available_in(self, language):
        """Articles whose `language` version is published and has its title and body."""
        return self.filter(availability(language))

    def needing_translation(self, language):
        """Articles whose `language` version is not complete: missing, outdated or
        waiting for review (through the language's index of those articles only)."""
        return self.filter(**{localized("needs_translation", language): True})

    def with_byline(self):
        """With each article's author and topic, read in the same query."""
        return self.select_related("author", "topic")


class Article(Published):
    TranslationStatus = TranslationStatus

    # A language version exists when these are filled in that language; the
    # slug is derived from the title on save, so it is there whenever the title is.
    REQUIRED_CONTENT = ("title", "body", "slug")
    TRANSLATED_TEXTS = ("title", "lede", "body", "meta_description", "image_alt", "image_caption")
    SLUG_SOURCE = "title"
    IMAGES = (images.Slot("image", "image_renditions"),)
    # A card's image: a third of the 72rem page from 64rem on (static/css/site.css),
    # half the screen from 40rem, its width below.
    CARD_SIZES = "(min-width: 64rem) 23rem, (min-width: 40rem) 50vw, 100vw"
    # Longest body an editor may save, in characters: a long article is a
    # tenth of it. It bounds the time a save spends rendering.
    BODY_MAX_LENGTH = 100_000
    LEDE_MAX_LENGTH = 1_000
    # Made from the texts by refresh_derived, per language.
    DERIVED_PER_LANGUAGE = (
        "slug",
        "body_html",
        "toc",
        "reading_minutes",
        "search_title",
        "search_lede",
        "search_body",
        "translation_state",
        "needs_translation",
        "segments_done",
        "segments_total",
    )
    # The fields of the search index (models/search_index.py), by what they hold.
    SEARCH_FIELDS = {"title": "search_title", "lede": "search_lede", "body": "search_body"}

    title = models.CharField(
        _("title"), max_length=200, blank=True, validators=[validate_single_line]
    )
    source_language = models.CharField(
        _("source language"),
        max_length=10,
        choices=languages.CHOICES,
        default=languages.DEFAULT_SOURCE,
        help_text=_("The language the article is written in; the others are translated from it."),
    )
    slug = translated_slug_field(_("Filled from the title when left empty."))
    lede = models.TextField(
        _("lede"),
        blank=True,
        max_length=LEDE_MAX_LENGTH,
        help_text=_("One or two sentences under the title."),
        validators=[validate_text, MaxLengthValidator(LEDE_MAX_LENGTH)],
    )
    body = models.TextField(
        _("body"),
        blank=True,
        max_length=BODY_MAX_LENGTH,
        # Escaped: the admin shows help text as HTML, and this one names tags.
        help_text=escape(
            _(
                "Markdown: ## for section headings, > for quotations, - for lists, "
                "[text](https://…) for links, and a line [figure] where the image stands. "
                "Latin words, symbols and numbers inside Hebrew are set in order by "
                "themselves; to set a phrase's direction yourself, write <bdi>…</bdi> or "
                '<span dir="ltr" lang="en">…</span> around it.'
            )
        ),
        validators=[validate_text, MaxLengthValidator(BODY_MAX_LENGTH)],
    )
    meta_description = models.CharField(
        _("meta description"), max_length=300, blank=True, validators=[validate_single_line]
    )
    image, image_width, image_height, image_renditions = picture_fields(
        "image", _("image"), upload_to="articles/"
    )
    image_alt = models.CharField(
        _("image alt text"), max_length=300, blank=True, validators=[validate_single_line]
    )
    image_caption = models.CharField(
        _("image caption"),
        max_length=300,
        blank=True,
        help_text=_("Shown under the figure; the alt text is for those who cannot see it."),
        validators=[validate_single_line],
    )
    image_credit = models.CharField(
        _("image credit"),
        max_length=200,
        blank=True,
        help_text=_("Who made the image or where it comes from, shown under it when given."),
        validators=[validate_single_line],
    )
    author = models.ForeignKey(
        Author,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
    )
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        help_text=_("What the article is about: its page lists it, related articles follow it."),
    )
    # Made from the body when it is saved, so reading a page never runs Markdown.
    body_html = models.TextField(editable=False, blank=True)
    toc = models.JSONField(default=list, editable=False)
    reading_minutes = models.PositiveSmallIntegerField(default=0, editable=False)
    # The rendering.RENDERING_VERSION the stored bodies were made with.
    rendering_version = models.PositiveSmallIntegerField(default=0, editable=False)
    # Title, lede and body as the search index reads them (text.search.index_text);
    # made on every save.
    search_title = models.TextField(editable=False, blank=True)
    search_lede = models.TextField(editable=False, blank=True)
    search_body = models.TextField(editable=False, blank=True)
    # translation_status() as of the last save, which is the only time it can
    # change: lists filter on it without comparing texts.
    translation_state = models.CharField(
        max_length=8, choices=TranslationStatus, blank=True, editable=False
    )
    # Whether that state is other than complete: the admin's "missing or
    # outdated" filter finds and counts these articles in an index of them
    # alone (Meta.indexes), which a condition on the state's values could not
    # have on SQLite.
    needs_translation = models.BooleanField(default=True, editable=False)
    # The translation's segments up to date, and its segments to translate
    # (text/segments.py), as of the last save: the translation overview shows
    # them without cutting every article into segments. The source counts
    # all its segments done once it has its content.
    segments_done = models.PositiveIntegerField(default=0, editable=False)
    segments_total = models.PositiveIntegerField(default=0, editable=False)
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
    # Per translation, the texts filled in by machine translation or from the
    # memory that no person has confirmed yet: [{"field", "text", "origin",
    # "detail", "at"}]. Such a segment needs review, is not counted as
    # translated, and its language cannot be published (check_invariants).
    unconfirmed = models.JSONField(default=dict, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at", "-pk"]
        constraints = unique_slugs("article")
        # Lists, feeds, the sitemap and the admin's "missing or outdated" filter
        # find their articles in this index, newest first, and count them,
        # without reading a row: SQLite stores the texts before the columns
        # they filter on, so reading one of those means reading every text of
        # the article. One index for every language: with one per language,
        # alike but for their last columns, SQLite may take another language's.
        indexes = [
            models.Index(
                fields=[
                    "published_at",
                    "id",
                    "updated_at",
                    *(localized("is_published", code) for code in languages.CODES),
                    *(localized("translation_state", code) for code in languages.CODES),
                ],
                name="article_listed",
            ),
            # An author's or a topic's newest articles (their pages, related
            # articles) without sorting all of theirs.
            models.Index(fields=["author", "published_at", "id"], name="article_by_author"),
            models.Index(fields=["topic", "published_at", "id"], name="article_by_topic"),
            # Each language's published articles, newest first, with what says
            # whether they are available: a list's page, its count, its pages
            # far from the start, and whether the language has an article at
            # all, read from a narrow index of those articles only. A partial
            # index on the published flag alone: its condition is then the very
            # SQL a query has (`AND "is_published_tr"`), where a condition with
            # values would not match the query's bound parameters on SQLite.
            *(
                models.Index(
                    fields=[
                        "published_at",
                        "id",
                        localized("is_published", code),
                        localized("translation_state", code),
                    ],
                    condition=Q(**{localized("is_published", code): True}),
                    name=f"article_published_{code}",
                )
                for code in languages.CODES
            ),
            # Each language's articles needing a translation, newest first: the
            # admin's filter, its count and its pages.
            *(
                models.Index(
                    fields=["published_at", "id"],
                    condition=Q(**{localized("needs_translation", code): True}),
                    name=f"article_needs_{code}",
                )
                for code in languages.CODES
            ),
        ]

    def __str__(self):
        return first_text(self, "title") or str(_("Untitled article"))

    def save(self, *args, **kwargs):
        # Whoever saves (the write path, a script, a data migration), the columns
        # made from the texts match them; what is already made is not made again.
        self.refresh_derived()
        self.check_invariants()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *self.derived_columns()}
        super().save(*args, **kwargs)
        self.written()

    def written(self):
        """What follows every write of the row (an INSERT here, the write path's
        UPDATE): the translation memory learns the finished segments."""
        memory.record(self, before=getattr(self, "loaded_values", None) or {}, user=self.edited_by)

    # Who is saving, when known (the write path sets it): the memory names them.
    edited_by = None

    def check_invariants(self):
        """Refuse a write that would publish a language with texts nobody has confirmed."""
        if errors := self.review_errors():
            raise ValidationError(errors)

    def unconfirmed_in(self, language):
        """The entries of `unconfirmed` for `language` whose text is still there."""
        texts = self.texts_in(language)
        return [
            entry
            for entry in self.unconfirmed.get(language) or []
            if segments.holds(texts, entry["field"], entry["text"])
        ]

    def review_errors(self):
        """A form error per published language that holds unconfirmed texts."""
        errors = {}
        for code in self.published_languages:
            if count := len(self.unconfirmed_in(code)):
                errors[localized("is_published", code)] = ngettext(
                    "%(language)s has %(count)s segment filled in by machine translation or "
                    "from the memory that no one has confirmed: confirm it in the "
                    "translation workspace before publishing.",
                    "%(language)s has %(count)s segments filled in by machine translation or "
                    "from the memory that no one has confirmed: confirm them in the "
                    "translation workspace before publishing.",
                    count,
                ) % {"language": languages.name(code), "count": count}
        return errors

    def get_absolute_url(self, language=None):
        language = language or translation.get_language()
        return languages.reverse_in(
            language, "articles:detail", kwargs={"slug": getattr(self, localized("slug", language))}
        )

    def refresh_derived(self, *, render=render_body, translation_sources=None):
        """Make the columns that come from the texts: slugs, what each translation was
        made from, rendered bodies, search text, translation states and the first
        publishing time.

        `translation_sources`, when given, is what each translation was made from
        (a restored revision, a translator's file); otherwise it follows the edit
        (translation_sources_after_edit). Made once for each state of the texts:
        asked again with nothing changed since, it does nothing.
        """
        if translation_sources is None and self._derived_for == self.derivation_inputs():
            return
        # First the slugs: a translation counts once it has one, which its title gives.
        self.fill_missing_slugs()
        if translation_sources is None:
            translation_sources = self.translation_sources_after_edit()
        self.translation_sources = translation_sources
        # Texts a person changed are theirs: no longer waiting for review.
        self.unconfirmed = {
            code: entries for code in languages.CODES if (entries := self.unconfirmed_in(code))
        }
        self.render_bodies(render=render)
        for code in languages.CODES:
            indexed = search_fields(
                title=getattr(self, localized("title", code)) or "",
                lede=getattr(self, localized("lede", code)) or "",
                body_html=getattr(self, localized("body_html", code)) or "",
                language=code,
            )
            for name, field in self.SEARCH_FIELDS.items():
                setattr(self, localized(field, code), indexed[name])
            state = self.translation_status(code)
            setattr(self, localized("translation_state", code), state)
            setattr(self, localized("needs_translation", code), state != TranslationStatus.COMPLETE)
            done, total = self.count_segments(code)
            setattr(self, localized("segments_done", code), done)
            setattr(self, localized("segments_total", code), total)
        if self.published_at is None and self.published_languages:
            # To the second, as the form shows it: a fraction would make the
            # next form saved unchanged look like a change.
            self.published_at = timezone.now().replace(microsecond=0)
        self._derived_for = self.derivation_inputs()

    _derived_for = None

    def derivation_inputs(self):
        """The values the derived columns are made from: every column but those."""
        derived = {*self.derived_columns(), "translation_sources"} - {"published_at"}
        return [
            self.stored_value(field.attname)
            for field in self.columns()
            if field.attname not in derived
        ]

    def render_bodies(self, *, render=render_body):
        """Make each body's HTML, table of contents and reading time.

        A body is rendered only when it differs from the one its stored HTML
        was made from, or was made by an older rendering version;
        `render(text, language=…)` does it. A render that takes too long
        (see `rendering.render_body_in_time`) is a ValidationError on its body.
        """
        loaded = getattr(self, "loaded_values", {})
        if self.rendering_version != RENDERING_VERSION:
            self._rendered_from = {}
        rendered_from = getattr(self, "_rendered_from", None)
        if rendered_from is None:
            rendered_from = {code: loaded.get(localized("body", code)) for code in languages.CODES}
        errors = {}
        for code in languages.CODES:
            body = getattr(self, localized("body", code)) or ""
            if body == (rendered_from.get(code) or "") and code in rendered_from:
                continue
            try:
                rendered = render(body, language=code)
            except RenderTooSlow:
                errors[localized("body", code)] = ValidationError(
                    _(
                        "This text takes too long to make into a page. Simplify its "
                        "markup, such as brackets inside brackets, and save again."
                    ),
                    code="too_slow",
                )
                continue
            setattr(self, localized("body_html", code), rendered.html)
            setattr(self, localized("toc", code), rendered.toc)
            setattr(self, localized("reading_minutes", code), rendered.reading_minutes)
            rendered_from[code] = body
        if errors:
            raise ValidationError(errors)
        self._rendered_from = rendered_from
        self.rendering_version = RENDERING_VERSION

    @classmethod
    def derived_columns(cls):
        columns = [
            localized(name, code) for name in cls.DERIVED_PER_LANGUAGE for code in languages.CODES
        ]
        return [*columns, "rendering_version", "published_at"]

    @property
    def image_sources(self):
        """The figure's `<picture>` sources: srcsets of its renditions and a fallback."""
        return images.picture_sources(self.image, self.image_renditions)

    @property
    def card_sources(self):
        """The image's `<picture>` sources on a card of a list (CARD_SIZES)."""
        return images.picture_sources(self.image, self.image_renditions, self.CARD_SIZES)

    @property
    def featured_sources(self):
        """The image's `<picture>` sources as the featured article of the home page."""
        return images.picture_sources(self.image, self.image_renditions, images.SIZES)

    def clean(self):
        errors = {}
        try:
            # Rendered now, in time, so a body too slow to render is a form error;
            # the save finds it rendered.
            self.render_bodies(render=render_body_in_time)
        except ValidationError as error:
            errors.update(error.error_dict)
        if unsluggable := self.fill_missing_slugs():
            message = _("No slug can be made from this title; please type one.")
            errors.update({localized("slug", code): message for code in unsluggable})
        errors.update(
            self.publishing_errors(
                _("Fill in the title and body in %(language)s before publishing it.")
            )
        )
        for field, message in self.review_errors().items():
            errors.setdefault(field, message)
        if errors:
            raise ValidationError(errors)

    def is_live_in(self, language):
        """Whether readers see the `language` version now."""
        return (
            self.is_available_in(language)
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def published_languages(self):
        return [code for code in languages.CODES if getattr(self, localized("is_published", code))]

    @property
    def targets(self):
        """The languages this article is translated into: all but its source."""
        return languages.others(self.source_language)

    def progress(self, language):
        """(segments up to date, segments to translate) in `language`, as of the last save."""
        return (
            getattr(self, localized("segments_done", language)),
            getattr(self, localized("segments_total", language)),
        )

    def count_segments(self, language):
        """(segments up to date, segments to translate) in `language` as the texts are now."""
        done, total = segments.article_segments(self, language).progress()
        if language == self.source_language:
            return (total if self.has_content_in(language) else 0), total
        return done, total

    def translation_status(self, language):
        if not self.has_content_in(language):
            return self.TranslationStatus.MISSING
        worked_from = self.translation_sources.get(language)
        source = self.source_language
        if language != source and worked_from != self.texts_in(source):
            return self.TranslationStatus.OUTDATED
        if self.unconfirmed_in(language):
            return self.TranslationStatus.NEEDS_REVIEW
        return self.TranslationStatus.COMPLETE

    def translation_sources_after_edit(self):
        """What each translation was made from, after the edit this copy holds: each
        translation whose texts changed since it was loaded was made from today's
        source texts, segment by segment where the change can be told apart
        (segments.made_from_after_edit), else as a whole.

        When the source language changed, each translation counts as made from
        the new source as it is: nothing tells what it was made from.
        """
        loaded = getattr(self, "loaded_values", None)
        sources = dict((loaded or {}).get("translation_sources", self.translation_sources))
        now = self.texts_in(self.source_language)
        if loaded is not None and loaded.get("source_language", self.source_language) != (
            self.source_language
        ):
            loaded, sources = None, {}
        for code in self.targets:
            if not self.has_content_in(code):
                continue
            if loaded is None:
                sources[code] = now
                continue
            columns = {name: localized(name, code) for name in self.TRANSLATED_TEXTS}
            before = {name: loaded.get(column) or "" for name, column in columns.items()}
            after = self.texts_in(code)
            if before == after:
                continue
            made_from = None
            if code in sources and all(column in loaded for column in columns.values()):
                made_from = segments.made_from_after_edit(now, before, after, sources[code])
            sources[code] = made_from or now
        return sources

    def source_changes(self, language):
        """What changed in the source texts since the `language` translation was last saved.

        A list of (field name, diff lines), each line a (kind, text) pair with
        kind "added", "removed" or "context".
        """
        before = self.translation_sources.get(language, {})
        now = self.texts_in(self.source_language)
        return [
            (name, text_diff(before.get(name, ""), now[name]))
            for name in self.TRANSLATED_TEXTS
            if before.get(name, "") != now[name]
        ]


def next_publication():
    """When an article next appears without a save: cached pages end then
    (registered with the page cache in ArticlesConfig.ready)."""
    return Article.objects.next_publication()
