from django import forms
from django.contrib import admin
from django.db import models
from django.utils import translation
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from .models import LANGUAGE_CODES, Article, TourPage, localized
from .rendering import slug_allows_unicode


class TranslatedInputsAdmin(TabbedTranslationAdmin):
    """Each language's inputs carry that language's `lang` and `dir`.

    Whatever language the admin itself speaks, Hebrew is typed right to left
    and Turkish left to right. Slugs and URLs are always left to right.
    """

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            # Django 6's default, taken now: a URL typed without a scheme is https.
            kwargs["assume_scheme"] = "https"
        language = getattr(db_field, "language", None)
        if language and isinstance(db_field, models.SlugField):
            # The admin's slug prefill reads allow_unicode from the form field:
            # transliterate where our slug policy does, keep letters where not.
            kwargs["allow_unicode"] = slug_allows_unicode(language)
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is None or language is None:
            return field
        is_bidi = translation.get_language_info(language)["bidi"]
        always_ltr = isinstance(db_field, (models.SlugField, models.URLField))
        field.widget.attrs.update(lang=language, dir="rtl" if is_bidi and not always_ltr else "ltr")
        return field


@admin.register(Article)
class ArticleAdmin(TranslatedInputsAdmin):
    list_display = ["title_column", "status", "published_at", "languages_column", "updated_at"]
    list_filter = ["status"]
    search_fields = [localized("title", code) for code in LANGUAGE_CODES]
    prepopulated_fields = {
        localized("slug", code): (localized("title", code),) for code in LANGUAGE_CODES
    }
    fieldsets = [
        (None, {"fields": ["title", "slug", "lede", "body", "meta_description"]}),
        (_("Image"), {"fields": ["image", "image_alt"]}),
        (_("Publishing"), {"fields": ["status", "published_at"]}),
    ]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 12})}}

    @admin.display(description=_("title"))
    def title_column(self, article):
        return str(article)

    @admin.display(description=_("languages"))
    def languages_column(self, article):
        available = set(article.languages)
        return format_html_join(
            " ",
            '<span class="language-status language-{}" title="{}">{} {}</span>',
            (
                (
                    "complete" if code in available else "missing",
                    _("complete") if code in available else _("missing"),
                    code,
                    "✓" if code in available else "✗",
                )
                for code in LANGUAGE_CODES
            ),
        )


@admin.register(TourPage)
class TourPageAdmin(TranslatedInputsAdmin):
    list_display = ["__str__", "destination_url", "updated_at"]
    fields = ["text", "button_label", "destination_url"]

    def has_add_permission(self, request):
        return not TourPage.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
