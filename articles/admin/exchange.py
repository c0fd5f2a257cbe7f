"""The translation memory and the term base as files other tools exchange: TMX out of
and into the memory (its own admin page, "Translation memory"), TBX out of and
into the term base (tools on the term base's list)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles import languages
from articles.models import MemoryUnit
from articles.translating import tbx, tmx, xmlfiles

from .handoff import attachment


class ExchangeFileForm(forms.Form):
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, accept, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = accept

    def clean_file(self):
        return xmlfiles.read_upload(self.cleaned_data["file"])


class ExchangeFilesAdmin:
    """A file export and import on a model admin's list: set `exchange` ("tmx" or
    "tbx"), and `export_file()`, `import_file(data)` and `import_messages(result)`."""

    exchange = ""
    accept = ""
    change_list_template = "admin/articles/exchange_change_list.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                f"{self.exchange}/export/",
                self.admin_site.admin_view(self.exchange_export_view),
                name="{}_{}_exchange_export".format(*info),
            ),
            path(
                f"{self.exchange}/import/",
                self.admin_site.admin_view(self.exchange_import_view),
                name="{}_{}_exchange_import".format(*info),
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        info = self.opts.app_label, self.opts.model_name
        extra_context = {
            "exchange_name": self.exchange.upper(),
            "exchange_export_url": reverse("admin:{}_{}_exchange_export".format(*info)),
            "exchange_import_url": reverse("admin:{}_{}_exchange_import".format(*info)),
            "may_import": self.may_import(request),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    def exchange_export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        content, content_type, name = self.export_file()
        return attachment(content, content_type, name)

    def may_import(self, request):
        """Importing adds and changes: it needs both permissions on the model."""
        app, model = self.opts.app_label, self.opts.model_name
        return request.user.has_perms([f"{app}.add_{model}", f"{app}.change_{model}"])

    def exchange_import_view(self, request):
        if not self.may_import(request):
            raise PermissionDenied
        form = ExchangeFileForm(
            request.POST if request.method == "POST" else None,
            request.FILES if request.method == "POST" else None,
            accept=self.accept,
        )
        if request.method == "POST" and form.is_valid():
            try:
                result = self.import_file(form.cleaned_data["file"])
            except ValidationError as error:
                form.add_error("file", error)
            else:
                for level, message in self.import_messages(result):
                    messages.add_message(request, level, message)
                info = self.opts.app_label, self.opts.model_name
                return redirect("admin:{}_{}_changelist".format(*info))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "may_import": True,
            "title": _("Import a %(format)s file") % {"format": self.exchange.upper()},
            "form": form,
            "exchange_name": self.exchange.upper(),
            "help": self.import_help,
            "max_size_mb": xmlfiles.MAX_FILE_SIZE // 1024 // 1024,
        }
        return TemplateResponse(request, "admin/articles/exchange_import.html", context)


@admin.register(MemoryUnit)
class MemoryUnitAdmin(ExchangeFilesAdmin, admin.ModelAdmin):
    """The pairs imported from translation memories; TMX export holds these and the
    translations made here."""

    exchange = "tmx"
    accept = ".tmx,application/x-tmx+xml"
    import_help = _(
        "A TMX file (1.4, as CAT tools export it). Each pair from the source language "
        "into a language of the site is added to the memory, once; the workspace then "
        "offers it. The articles do not change."
    )
    list_display = ["source_column", "target_column", "target_language", "changed_at", "origin"]
    list_filter = ["target_language"]
    search_fields = ["source", "target"]
    readonly_fields = [
        "source_language",
        "target_language",
        "source",
        "target",
        "created_at",
        "changed_at",
        "origin",
        "imported_at",
    ]

    def has_add_permission(self, request):
        # Pairs come from files, never typed in one by one.
        return False

    @admin.display(description=_("source"))
    def source_column(self, unit):
        return self.in_language(unit.source, unit.source_language)

    @admin.display(description=_("translation"))
    def target_column(self, unit):
        return self.in_language(unit.target, unit.target_language)

    def in_language(self, text, code):
        return format_html(
            '<span lang="{}" dir="{}">{}</span>', code, languages.direction(code), text[:120]
        )

    def export_file(self):
        return tmx.build(), f"{tmx.CONTENT_TYPE}; charset=utf-8", tmx.file_name()

    def import_file(self, data):
        return tmx.apply_tmx(data)

    def import_messages(self, result):
        text = ngettext(
            "%(added)s pair added to the translation memory",
            "%(added)s pairs added to the translation memory",
            result.added,
        ) % {"added": result.added}
        text += "; " + ngettext(
            "%(known)s was already there",
            "%(known)s were already there",
            result.known,
        ) % {"known": result.known}
        if result.skipped:
            text += "; " + ngettext(
                "%(skipped)s left out (another language, or no source text)",
                "%(skipped)s left out (other languages, or no source text)",
                result.skipped,
            ) % {"skipped": result.skipped}
        return [(messages.SUCCESS, text + ".")]


class TermBaseFilesAdmin(ExchangeFilesAdmin):
    """TBX export and import on the term base's list."""

    exchange = "tbx"
    accept = ".tbx,application/x-tbx+xml"
    import_help = _(
        "A TBX file (TBX-Basic, as CAT tools and terminology tools export it). A "
        "concept of the file updates the concept it names or whose approved term is its "
        "own, or is added; deprecated terms become forbidden variants."
    )

    def export_file(self):
        return tbx.build(), f"{tbx.CONTENT_TYPE}; charset=utf-8", tbx.file_name()

    def import_file(self, data):
        return tbx.apply_tbx(data)

    def import_messages(self, result):
        text = _(
            "Term base imported: %(added)s added, %(changed)s changed, %(same)s as they were."
        ) % {
            "added": result.added,
            "changed": result.changed,
            "same": result.unchanged,
        }
        reports = [(messages.SUCCESS, text)]
        if result.skipped_languages:
            reports.append(
                (
                    messages.WARNING,
                    _("Left out, languages this site does not have: %(languages)s.")
                    % {"languages": ", ".join(result.skipped_languages)},
                )
            )
        return reports
