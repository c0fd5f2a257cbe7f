"""Authors, topics and the brand in the admin: content like articles, saved through
the write path with a history to restore from."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.db import models
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from articles import images, languages, svg
from articles.languages import localized
from articles.models import Author, Brand, Topic
from articles.models.brand import default_tagline

from .content import ContentAdmin


class NamedAdmin(ContentAdmin):
    """An author or topic: its name and slug per language, and the articles it has."""

    list_display = ["name_column", "languages_column", "articles_column", "updated_at"]
    search_fields = [localized("name", code) for code in languages.CODES]
    prepopulated_fields = {
        localized("slug", code): (localized("name", code),) for code in languages.CODES
    }
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 5})},
        # Uploads are checked by content and stored without metadata.
        models.ImageField: {"form_class": images.CheckedImageField},
    }

    @admin.display(description=_("name"))
    def name_column(self, obj):
        return str(obj)

    @admin.display(description=_("languages"))
    def languages_column(self, obj):
        return format_html_join(
            " ",
            '<span class="language-badge translation-{}" title="{}">{}</span>',
            [
                ("complete", name, code) if obj.is_available_in(code) else ("missing", name, code)
                for code, name in languages.CHOICES
            ],
        )

    @admin.display(description=_("articles"))
    def articles_column(self, obj):
        return obj.articles.count()


@admin.register(Author)
class AuthorAdmin(NamedAdmin):
    fieldsets = [
        (None, {"fields": ["name", "slug", "bio", "is_team"]}),
        (_("Photo"), {"fields": ["photo"]}),
        (None, {"fields": ["version"]}),
    ]


@admin.register(Topic)
class TopicAdmin(NamedAdmin):
    fields = ["name", "slug", "description", "version"]


@admin.register(Brand)
class BrandAdmin(ContentAdmin):
    """The one brand: name, tagline, logo and icon, each falling back to settings."""

    list_display = ["__str__", "name", "updated_at"]
    fields = ["name", "tagline", "logo", "icon", "version"]
    formfield_overrides = {
        models.FileField: {"form_class": svg.CheckedSvgField},
        models.ImageField: {"form_class": images.CheckedImageField},
    }

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        # An empty field shows, greyed, what readers see instead.
        language = getattr(db_field, "language", None)
        if db_field.name == "name":
            field.widget.attrs["placeholder"] = settings.SITE_NAME
        elif language and db_field.name == localized("tagline", language):
            field.widget.attrs["placeholder"] = default_tagline(language)
        return field

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not Brand.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
