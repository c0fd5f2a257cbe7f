"""The translator hand-off in the article admin: download a PO file, import it back."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from articles import languages
from articles.models import LanguageRole
from articles.translating import handoff


class HandoffAdmin:
    """Adds a translation file's export and import, per target language, to an article admin."""

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
        response = HttpResponse(
            handoff.build_po(article, language), content_type=handoff.CONTENT_TYPE
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{handoff.file_name(article, language)}"'
        )
        return response

    def translation_import_view(self, request, object_id, language):
        article = self.translation_object(request, object_id, language, self.has_change_permission)
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
                result = handoff.apply_po(
                    article, language, form.cleaned_data["file"], request.user
                )
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
            % {"language": languages.name(language)},
            "form": form or handoff.ImportForm(),
            "language": translation.get_language_info(language),
            "source_language": translation.get_language_info(article.source_language),
            "export_url": reverse(
                "admin:articles_article_translation_export", args=[article.pk, language]
            ),
            "max_size_mb": handoff.MAX_FILE_SIZE // 1024 // 1024,
        }
        return TemplateResponse(
            request, "admin/articles/article/translation_import.html", context, status=status
        )
