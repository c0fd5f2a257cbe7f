"""The translator hand-off in the article admin: download an article's texts as
XLIFF 1.2, XLIFF 2.0 or PO, import the translated file back, and download the
XLIFF files of several articles at once (an action of the change list)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from articles import languages
from articles.models import LanguageRole
from articles.translating import handoff, xliff, xliff_import


class HandoffAdmin:
    """Adds the translation files' export and import, per target language, to an
    article admin, and the bulk XLIFF export to its actions."""

    actions = ["export_xliff"]

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/translation/<str:language>/export/",
                self.admin_site.admin_view(self.translation_export_view),
                name="{}_{}_translation_export".format(*info),
            ),
            path(
                "<path:object_id>/translation/<str:language>/xliff/<str:version>/",
                self.admin_site.admin_view(self.xliff_export_view),
                name="{}_{}_xliff_export".format(*info),
            ),
            path(
                "<path:object_id>/translation/<str:language>/import/",
                self.admin_site.admin_view(self.translation_import_view),
                name="{}_{}_translation_import".format(*info),
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["translation_languages"] = [
            translation.get_language_info(code)
            for code in (obj.targets if obj else ())
            if LanguageRole.may_change(request.user, code)
        ]
        return super().render_change_form(request, context, add, change, form_url, obj)

    def translation_export_view(self, request, object_id, language):
        """The article's texts as a PO file for translating into `language`."""
        article = self.translation_object(request, object_id, language, self.has_view_permission)
        return attachment(
            handoff.build_po(article, language),
            handoff.CONTENT_TYPE,
            handoff.file_name(article, language),
        )

    def xliff_export_view(self, request, object_id, language, version):
        """The article's texts as an XLIFF `version` file for translating into `language`."""
        article = self.translation_object(request, object_id, language, self.has_view_permission)
        if version not in xliff.VERSIONS:
            raise Http404
        return attachment(
            xliff.build(article, language, version),
            f"{xliff.CONTENT_TYPE}; charset=utf-8",
            xliff.file_name(article, language, version),
        )

    def translation_import_view(self, request, object_id, language):
        # Anyone who may see the article may download its files; importing changes it.
        needed = (
            self.has_change_permission if request.method == "POST" else self.has_view_permission
        )
        article = self.translation_object(request, object_id, language, needed)
        form = handoff.ImportForm(request.POST, request.FILES) if request.method == "POST" else None
        status = 200
        if form and not LanguageRole.may_change(request.user, language):
            form.is_valid()
            form.add_error(
                "file",
                _("Nothing was imported: you may not change the %(language)s translation.")
                % {"language": languages.name(language)},
            )
            status = 403
        if form and form.is_valid():
            try:
                result = import_file(article, language, form.cleaned_data["file"], request.user)
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
            "title": _("Translation files: %(language)s") % {"language": languages.name(language)},
            "form": form or handoff.ImportForm(),
            "language": translation.get_language_info(language),
            "source_language": translation.get_language_info(article.source_language),
            "export_url": reverse(
                "admin:articles_article_translation_export", args=[article.pk, language]
            ),
            "xliff_urls": {
                version.replace(".", ""): reverse(
                    "admin:articles_article_xliff_export", args=[article.pk, language, version]
                )
                for version in xliff.VERSIONS
            },
            "max_size_mb": handoff.MAX_FILE_SIZE // 1024 // 1024,
            "has_change_permission": self.has_change_permission(request, article),
        }
        return TemplateResponse(
            request, "admin/articles/article/translation_import.html", context, status=status
        )

    @admin.action(description=_("Download XLIFF files for translation"), permissions=["view"])
    def export_xliff(self, request, queryset):
        """Ask which languages and XLIFF version, then answer the zip of the files."""
        form = BulkExportForm(request.POST if "export" in request.POST else None)
        if form.is_valid():
            pairs = [
                (article, language)
                for article in queryset.order_by("pk")
                for language in form.cleaned_data["languages"]
            ]
            version = form.cleaned_data["version"]
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
            return attachment(
                xliff.bundle(pairs, version),
                "application/zip",
                f"cxcs-xliff{version.replace('.', '')}-{stamp}.zip",
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Download XLIFF files for translation"),
            "form": form,
            "articles": queryset.order_by("pk"),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/articles/article/xliff_bulk_export.html", context)


class BulkExportForm(forms.Form):
    languages = forms.MultipleChoiceField(
        label=_("Target languages"),
        choices=lambda: [(code, languages.name(code)) for code in languages.CODES],
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.ChoiceField(
        label=_("XLIFF version"),
        choices=[
            ("2.0", _("XLIFF 2.0 (Phrase, memoQ, Trados Studio 2017 or later, Okapi)")),
            ("1.2", _("XLIFF 1.2 (Trados Studio, memoQ, OmegaT, Wordfast, older tools)")),
        ],
        widget=forms.RadioSelect,
        initial="2.0",
    )


def import_file(article, language, data, user):
    """Import an uploaded translation file, XLIFF or PO, whichever it is."""
    if handoff.is_xml(data):
        return xliff_import.apply_xliff(article, language, data, user)
    return handoff.apply_po(article, language, handoff.decode_po(data), user)


def attachment(content, content_type, name):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
