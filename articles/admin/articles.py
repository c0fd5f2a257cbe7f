import functools

from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.views.main import ChangeList
from django.db import models
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles import images, languages
from articles.languages import localized
from articles.models import Article, Concept, LanguageRole, search_index
from articles.text.segments import article_segments

from .content import ContentAdmin, TranslatedInputsAdmin
from .exchange import TermBaseFilesAdmin
from .forms import ArticleForm
from .handoff import HandoffAdmin
from .pretranslation import PretranslationAdmin
from .source_language import SourceLanguageAdmin
from .workspace import WorkspaceAdmin, progress_text

# What the change list shows of each article (title_column, languages_column).
LISTED = [
    "source_language",
    "published_at",
    "updated_at",
    *(
        localized(name, code)
        for code in languages.CODES
        for name in (
            "title",
            "is_published",
            "translation_state",
            "segments_done",
            "segments_total",
        )
    ),
]


def article_url(name, pk, *args):
    """reverse(name, args=[pk, *args]) for an article's admin page, which a change
    list asks for in every row: reversed once per language and prefix, the article
    filled in."""
    before, after = url_around_article(name, translation.get_language(), get_script_prefix(), args)
    return f"{before}/{pk}/{after}"


@functools.lru_cache(maxsize=64)
def url_around_article(name, active_language, script_prefix, args):
    return reverse(name, args=[0, *args]).split("/0/", 1)


# Django's admin's own string, translated by its catalogue (not ours: named, not
# written, so that makemessages leaves it there).
DJANGO_CHECKBOX_LABEL = "Select this object for an action - {}"


class ArticleChangeList(ChangeList):
    def get_results(self, request):
        # Rows of the columns the list shows, not the texts, which make up most of
        # a row (SQLite stores them before these). Actions ask for whole rows
        # again (get_queryset).
        self.queryset = self.queryset.only(*LISTED)
        super().get_results(request)

    def url_for_result(self, result):
        return article_url("admin:articles_article_change", result.pk)


class NeedsTranslationFilter(admin.SimpleListFilter):
    title = _("translation")
    parameter_name = "needs_translation"

    def lookups(self, request, model_admin):
        return [
            (code, _("missing or outdated in %(language)s") % {"language": name})
            for code, name in languages.CHOICES
        ]

    def queryset(self, request, queryset):
        if self.value() not in languages.CODES:
            return queryset
        return queryset.needing_translation(self.value())


@admin.register(Article)
class ArticleAdmin(
    SourceLanguageAdmin, WorkspaceAdmin, HandoffAdmin, PretranslationAdmin, ContentAdmin
):
    form = ArticleForm
    list_display = ["title_column", "languages_column", "published_at", "updated_at"]
    list_filter = [NeedsTranslationFilter]
    readonly_fields = ["translation_column", "source_language_column", "source_language_name"]
    # The search box looks in the search index (get_search_results).
    search_fields = [localized("title", code) for code in languages.CODES]
    search_help_text = _("Words of the title, lede or body, in any language.")
    prepopulated_fields = {
        localized("slug", code): (localized("title", code),) for code in languages.CODES
    }
    fieldsets = [
        (_("Translation"), {"fields": ["source_language", "translation_column"]}),
        (None, {"fields": ["title", "slug", "lede", "body", "meta_description"]}),
        (_("Author and topic"), {"fields": ["author", "topic"]}),
        (_("Image"), {"fields": ["image", "image_alt", "image_caption", "image_credit"]}),
        (
            _("Publishing"),
            {"fields": ["is_published", "published_at", "publish_reason", "version"]},
        ),
    ]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 12})},
        # Uploads are checked by content and stored without metadata.
        models.ImageField: {"form_class": images.CheckedImageField},
    }

    def get_fieldsets(self, request, obj=None):
        """An article's source language is chosen when it is added, and changed on a
        page of its own that asks for confirmation; a reason to publish is asked
        for only while a translation job is open."""
        asks_reason = obj is not None and obj.jobs.open().exists()
        # Only an editor limited to no language may change the source.
        shown = (
            "source_language_name"
            if LanguageRole.languages_of(request.user)
            else ("source_language_column")
        )
        fieldsets = []
        for name, options in super().get_fieldsets(request, obj):
            fields = [
                shown if field == "source_language" and obj else field
                for field in options["fields"]
                if field != "publish_reason" or asks_reason
            ]
            fieldsets.append((name, {**options, "fields": fields}))
        return fieldsets

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    def action_checkbox(self, obj):
        """Django's checkbox without its widget's template, a tenth of a row's time."""
        label = format_html(gettext(DJANGO_CHECKBOX_LABEL), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            ACTION_CHECKBOX_NAME,
            str(obj.pk),
            label,
        )

    def get_search_results(self, request, queryset, search_term):
        """Articles holding the words typed in any language, drafts included: the index
        readers search, read as they read it."""
        if not search_term.strip():
            return queryset, False
        return search_index.matching(queryset, search_term), False

    @admin.display(description=_("title"))
    def title_column(self, article):
        return str(article)

    @admin.display(description=_("languages"))
    def languages_column(self, article):
        """A badge per language: its translation status, and whether it is published.

        A translation's badge counts its segments up to date and links to its
        workspace; the source's says whether it is written.
        """
        badges = []
        for code in languages.CODES:
            # As of the last save, the only time it can change.
            status = Article.TranslationStatus(
                getattr(article, localized("translation_state", code))
            )
            published = getattr(article, localized("is_published", code))
            state = f"{status.label}, {_('published') if published else _('draft')}"
            classes = f"translation-{status} {'published' if published else 'draft'}"
            if code == article.source_language:
                mark = {"complete": "✓", "missing": "✗"}.get(status, "!")
                badges.append(
                    format_html(
                        '<span class="language-badge {}" title="{}">{} {}</span>',
                        classes,
                        state,
                        code,
                        mark,
                    )
                )
                continue
            # As of the last save: the list cuts no article into segments.
            done, total = article.progress(code)
            badges.append(
                format_html(
                    '<a class="language-badge {}" href="{}" title="{}: {}">{} {}/{}</a>',
                    classes,
                    article_url("admin:articles_article_workspace", article.pk, code),
                    state,
                    progress_text(done, total),
                    code,
                    done,
                    total,
                )
            )
        return format_html_join(" ", "{}", ((badge,) for badge in badges))

    @admin.display(description=_("status per language"))
    def translation_column(self, article):
        """Each language's status; for an outdated one, what changed in the source since."""
        rows = []
        source = article.source_language
        for code, name in languages.CHOICES:
            status = article.translation_status(code)
            changes = [
                (Article._meta.get_field(field).verbose_name, lines)
                for field, lines in (
                    article.source_changes(code)
                    if status == Article.TranslationStatus.OUTDATED
                    else []
                )
            ]
            rows.append(
                render_to_string(
                    "admin/articles/translation_status.html",
                    {
                        "language": name,
                        "code": code,
                        "status": status,
                        "is_published": getattr(article, localized("is_published", code)),
                        "progress": None
                        if code == source or article.pk is None
                        else progress_text(*article_segments(article, code).progress()),
                        "workspace_url": None
                        if code == source or article.pk is None
                        else reverse("admin:articles_article_workspace", args=[article.pk, code]),
                        "changes": changes,
                        "is_source": code == source,
                        "source_language": languages.name(source),
                        "source_code": source,
                        "source_dir": languages.direction(source),
                    },
                )
            )
        # Each row comes from an autoescaped template.
        return mark_safe("".join(rows))


@admin.register(Concept)
class ConceptAdmin(TermBaseFilesAdmin, TranslatedInputsAdmin):
    """The term base: each concept's terms and forbidden variants per language."""

    list_display = [
        "concept_column",
        *(f"terms_{code}_column" for code in languages.CODES),
        "note_column",
    ]
    search_fields = [localized("terms", code) for code in languages.CODES]
    fields = ["terms", "forbidden", "note", "note_language"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3})}}

    @admin.display(description=_("concept"))
    def concept_column(self, concept):
        return str(concept)

    @admin.display(description=_("note"))
    def note_column(self, concept):
        return format_html(
            '<span lang="{}" dir="{}">{}</span>',
            concept.note_language,
            languages.direction(concept.note_language),
            concept.note,
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "note":
            # Written in any language: the browser sets its direction from its text.
            field.widget.attrs["dir"] = "auto"
        return field

    def terms_in(self, concept, code):
        return format_html(
            '<span lang="{}" dir="{}">{}</span>',
            code,
            languages.direction(code),
            ", ".join((getattr(concept, localized("terms", code)) or "").splitlines()),
        )


def terms_column(code, name):
    def column(self, concept):
        return self.terms_in(concept, code)

    return admin.display(description=name)(column)


for _code, _name in languages.CHOICES:
    setattr(ConceptAdmin, f"terms_{_code}_column", terms_column(_code, _name))
