from django import forms
from django.contrib import admin
from django.db import models
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from articles import images, languages
from articles.languages import localized
from articles.models import Article, Concept, search_index
from articles.text.segments import article_segments

from .content import ContentAdmin, TranslatedInputsAdmin
from .forms import ArticleForm
from .handoff import HandoffAdmin
from .workspace import WorkspaceAdmin, progress_text


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
class ArticleAdmin(WorkspaceAdmin, HandoffAdmin, ContentAdmin):
    form = ArticleForm
    list_display = ["title_column", "languages_column", "published_at", "updated_at"]
    list_filter = [NeedsTranslationFilter]
    readonly_fields = ["translation_column"]
    # The search box looks in the search index (get_search_results).
    search_fields = [localized("title", code) for code in languages.CODES]
    search_help_text = _("Words of the title, lede or body, in any language.")
    prepopulated_fields = {
        localized("slug", code): (localized("title", code),) for code in languages.CODES
    }
    fieldsets = [
        (_("Translation"), {"fields": ["translation_column"]}),
        (None, {"fields": ["title", "slug", "lede", "body", "meta_description"]}),
        (_("Author and topic"), {"fields": ["author", "topic"]}),
        (_("Image"), {"fields": ["image", "image_alt", "image_caption", "image_credit"]}),
        (_("Publishing"), {"fields": ["is_published", "published_at", "version"]}),
    ]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 12})},
        # Uploads are checked by content and stored without metadata.
        models.ImageField: {"form_class": images.CheckedImageField},
    }

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
            if code == languages.SOURCE:
                mark = {"complete": "✓", "missing": "✗", "outdated": "!"}[status]
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
            done, total = article_segments(article, code).progress()
            badges.append(
                format_html(
                    '<a class="language-badge {}" href="{}" title="{}: {}">{} {}/{}</a>',
                    classes,
                    reverse("admin:articles_article_workspace", args=[article.pk, code]),
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
                        if code == languages.SOURCE or article.pk is None
                        else progress_text(*article_segments(article, code).progress()),
                        "workspace_url": None
                        if code == languages.SOURCE or article.pk is None
                        else reverse("admin:articles_article_workspace", args=[article.pk, code]),
                        "changes": changes,
                        "source_language": languages.name(languages.SOURCE),
                        "source_code": languages.SOURCE,
                        "source_dir": languages.direction(languages.SOURCE),
                    },
                )
            )
        # Each row comes from an autoescaped template.
        return mark_safe("".join(rows))


@admin.register(Concept)
class ConceptAdmin(TranslatedInputsAdmin):
    """The term base: each concept's terms and forbidden variants per language."""

    list_display = ["concept_column", *(f"terms_{code}_column" for code in languages.CODES)]
    search_fields = [localized("terms", code) for code in languages.CODES]
    fields = ["terms", "forbidden", "note"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3})}}

    @admin.display(description=_("concept"))
    def concept_column(self, concept):
        return str(concept)

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
