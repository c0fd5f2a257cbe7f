import reversion
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone, translation
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin
from reversion.admin import VersionAdmin
from reversion.models import Version

from . import (
    campaign_admin,  # noqa: F401 (registers the campaign results admin)
    handoff,
    history,
    images,
)
from .languages import direction
from .models import (
    LANGUAGE_CODES,
    SOURCE_LANGUAGE,
    Article,
    EditConflict,
    TourPage,
    localized,
)
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
        always_ltr = isinstance(db_field, (models.SlugField, models.URLField))
        field.widget.attrs.update(lang=language, dir="ltr" if always_ltr else direction(language))
        return field


class HistoryAdmin(VersionAdmin):
    """Every save keeps a revision saying which languages changed; any one can be restored.

    Restoring fills the change form with the revision's values, and saving it
    is an ordinary save: checked against other editors' saves, with derived
    fields made again and a revision of its own, so what stood before can be
    restored in turn. It replaces django-reversion's revert, which writes the
    stored row back as it was, version number and all.
    """

    object_history_template = "reversion/articles/object_history.html"
    revision_form_template = "reversion/revision_form.html"

    def reversion_register(self, model, **kwargs):
        super().reversion_register(model, fields=history.versioned_fields(model), **kwargs)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and getattr(request, "restoring", None) is not None:
            history.restore(request.restoring, obj)
        return obj

    def revision_view(self, request, object_id, version_id, extra_context=None):
        version = get_object_or_404(
            Version.objects.get_for_object_reference(self.model, unquote(object_id)),
            pk=version_id,
        )
        request.restoring = version
        when = timezone.localtime(version.revision.date_created)
        context = {
            "title": _("Restore the version of %(date)s")
            % {"date": formats.date_format(when, "DATETIME_FORMAT")},
            "revert": True,
            **(extra_context or {}),
        }
        with self.create_revision(request):
            response = self.changeform_view(request, object_id, request.path, context)
        if response.status_code == 200:
            response.template_name = self.revision_form_template
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        for action in getattr(response, "context_data", {}).get("action_list", []):
            action["summary"] = history.describe(action["revision"].comment, self.model)
        return response

    def save_model(self, request, obj, form, change):
        # The stored row, not `obj`: the form has already put its values there.
        before = type(obj)._default_manager.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        form.changed_columns = history.changed_fields(before, obj) if before else []

    def construct_change_message(self, request, form, formsets, add=False):
        if add:
            return super().construct_change_message(request, form, formsets, add)
        restoring = getattr(request, "restoring", None)
        return history.change_message(
            self.model,
            form.changed_columns,
            restored_from=restoring.revision if restoring else None,
        )

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self.comment_revision(request, obj, entry)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self.comment_revision(request, obj, entry)
        return entry

    def comment_revision(self, request, obj, entry):
        """Give the revision the log entry's message, put into words only when shown."""
        if reversion.is_active():
            reversion.set_comment(entry.change_message)
            return
        # Saved outside the change form (a translation import): a revision of its own.
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(entry.change_message)
            reversion.add_to_revision(obj)


class ArticleForm(forms.ModelForm):
    """The article form, carrying the version of the article the editor started from."""

    # Not the model's field (that one is not editable), so ArticleAdmin excludes
    # the model's. Left out of a post, only the save itself is checked.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", self.instance.version)

    def clean(self):
        cleaned_data = super().clean()
        started_from = cleaned_data.get("version")
        if self.instance.pk and started_from is not None and started_from != self.instance.version:
            raise forms.ValidationError(self.conflict_message(started_from), code="conflict")
        return cleaned_data

    def conflict_message(self, started_from):
        stored = Article.objects.get(pk=self.instance.pk)
        yours = {name: value for name, value in self.cleaned_data.items() if isinstance(value, str)}
        context = history.conflict(stored, started_from, yours)
        context["time"] = formats.date_format(
            context["when"], "TIME_FORMAT" if context["is_today"] else "DATETIME_FORMAT"
        )
        context["change_url"] = reverse("admin:articles_article_change", args=[stored.pk])
        if context["revision"] is not None:
            context["revision_url"] = reverse(
                "admin:articles_article_revision", args=[stored.pk, context["revision"].pk]
            )
        # The template escapes everything it is given.
        return mark_safe(render_to_string("admin/articles/article/conflict.html", context))


class NeedsTranslationFilter(admin.SimpleListFilter):
    title = _("translation")
    parameter_name = "needs_translation"

    def lookups(self, request, model_admin):
        return [
            (code, _("missing or outdated in %(language)s") % {"language": name})
            for code, name in settings.LANGUAGES
        ]

    def queryset(self, request, queryset):
        if self.value() not in LANGUAGE_CODES:
            return queryset
        # Outdated is a comparison of texts, not a column: decided per article.
        return queryset.filter(
            pk__in=[
                article.pk
                for article in queryset
                if article.translation_status(self.value()) != Article.TranslationStatus.COMPLETE
            ]
        )


@admin.register(Article)
class ArticleAdmin(HistoryAdmin, TranslatedInputsAdmin):
    form = ArticleForm
    exclude = ["version"]
    list_display = ["title_column", "languages_column", "published_at", "updated_at"]
    list_filter = [NeedsTranslationFilter]
    readonly_fields = ["translation_column"]
    search_fields = [localized("title", code) for code in LANGUAGE_CODES]
    prepopulated_fields = {
        localized("slug", code): (localized("title", code),) for code in LANGUAGE_CODES
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

    class Media:
        css = {"all": ["css/admin-articles.css"]}

    @admin.display(description=_("title"))
    def title_column(self, article):
        return str(article)

    @admin.display(description=_("languages"))
    def languages_column(self, article):
        """A badge per language: its translation status, and whether it is published."""
        badges = []
        for code in LANGUAGE_CODES:
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
        for code, name in settings.LANGUAGES:
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
                        "source_language": dict(settings.LANGUAGES)[SOURCE_LANGUAGE],
                        "source_code": SOURCE_LANGUAGE,
                        "source_dir": direction(SOURCE_LANGUAGE),
                    },
                )
            )
        # Each row comes from an autoescaped template.
        return mark_safe("".join(rows))

    def save_model(self, request, obj, form, change):
        if change and form.cleaned_data.get("version") is not None:
            # Claim the version the editor started from: the database refuses
            # the save if another one got in first.
            obj.version = form.cleaned_data["version"]
        super().save_model(request, obj, form, change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict:
            # Another save got in between the form's check and this one, which
            # was rolled back: asked again, the form's check finds it and says so.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/translation/<str:language>/export/",
                self.admin_site.admin_view(self.translation_export_view),
                name="{}_{}_translation_export".format(*info),
            ),
            path(
                "<path:object_id>/translation/<str:language>/import/",
                self.admin_site.admin_view(self.translation_import_view),
                name="{}_{}_translation_import".format(*info),
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        languages = [translation.get_language_info(code) for code in handoff.TARGET_LANGUAGES]
        extra_context = {"translation_languages": languages, **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra_context)

    def handoff_article(self, request, object_id, language, has_permission):
        if language not in handoff.TARGET_LANGUAGES:
            raise Http404
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404
        if not has_permission(request, article):
            raise PermissionDenied
        return article

    def translation_export_view(self, request, object_id, language):
        """The article's texts as a PO file for translating into `language`."""
        article = self.handoff_article(request, object_id, language, self.has_view_permission)
        response = HttpResponse(
            handoff.build_po(article, language), content_type=handoff.CONTENT_TYPE
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{handoff.file_name(article, language)}"'
        )
        return response

    def translation_import_view(self, request, object_id, language):
        article = self.handoff_article(request, object_id, language, self.has_change_permission)
        form = handoff.ImportForm(request.POST, request.FILES) if request.method == "POST" else None
        if form and form.is_valid():
            try:
                result = handoff.apply_po(article, language, form.cleaned_data["file"])
            except ValidationError as error:
                form.add_error("file", error)
            else:
                for level, message in result.report(language):
                    messages.add_message(request, level, message)
                if result.changed:
                    self.log_change(request, result.article, result.change_message(language))
                return redirect("admin:articles_article_change", article.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": _("Import the %(language)s translation")
            % {"language": handoff.language_name(language)},
            "form": form or handoff.ImportForm(),
            "language": translation.get_language_info(language),
            "source_language": translation.get_language_info(handoff.SOURCE_LANGUAGE),
            "export_url": reverse(
                "admin:articles_article_translation_export", args=[article.pk, language]
            ),
            "max_size_mb": handoff.MAX_FILE_SIZE // 1024 // 1024,
        }
        return TemplateResponse(request, "admin/articles/article/translation_import.html", context)


@admin.register(TourPage)
class TourPageAdmin(HistoryAdmin, TranslatedInputsAdmin):
    # Its own change list template (links to the campaign results): a tour
    # page is never deleted, so there is nothing for reversion's to recover.
    change_list_template = None
    list_display = ["__str__", "destination_url", "updated_at"]
    fields = ["text", "button_label", "destination_url"]

    def has_add_permission(self, request):
        return not TourPage.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
