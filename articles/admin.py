from django import forms
from django.contrib import admin
from django.db import models
from django.template.loader import render_to_string
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from . import images, languages
from .content_admin import ContentAdmin
from .forms import ArticleForm
from .handoff_admin import HandoffAdmin
from .languages import localized
from .models import Article


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
class ArticleAdmin(HandoffAdmin, ContentAdmin):
    form = ArticleForm
    list_display = ["title_column", "languages_column", "published_at", "updated_at"]
    list_filter = [NeedsTranslationFilter]
    readonly_fields = ["translation_column"]
    search_fields = [localized("title", code) for code in languages.CODES]
    prepopulated_fields = {
        localized("slug", code): (localized("title", code),) for code in languages.CODES
    }
    fieldsets = [
        (_("Translation"), {"fields": ["translation_column"]}),
        (None, {"fields": ["title", "slug", "lede", "body", "meta_description"]}),
        (_("Image"), {"fields": ["image", "image_alt"]}),
        (_("Publishing"), {"fields": ["is_published", "published_at", "version"]}),
    ]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 12})},
        # Uploads are checked by content and stored without metadata.
        models.ImageField: {"form_class": images.CheckedImageField},
    }

    @admin.display(description=_("title"))
    def title_column(self, article):
        return str(article)

    @admin.display(description=_("languages"))
    def languages_column(self, article):
        """A badge per language: its translation status, and whether it is published."""
        badges = []
        for code in languages.CODES:
            status = article.translation_status(code)
            published = getattr(article, localized("is_published", code))
            badges.append(
                (
                    status,
                    "published" if published else "draft",
                    f"{status.label}, {_('published') if published else _('draft')}",
                    code,
                    {"complete": "✓", "missing": "✗", "outdated": "!"}[status],
                )
            )
        return format_html_join(
            " ",
            '<span class="language-badge translation-{} {}" title="{}">{} {}</span>',
            badges,
        )

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
                        "changes": changes,
                        "source_language": languages.name(languages.SOURCE),
                        "source_code": languages.SOURCE,
                        "source_dir": languages.direction(languages.SOURCE),
                    },
                )
            )
        # Each row comes from an autoescaped template.
        return mark_safe("".join(rows))
