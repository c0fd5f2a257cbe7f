"""What every content admin shares: per-language inputs, saving through the write
path, and a history to restore from."""

import json

from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from reversion.models import Version

from articles import languages
from articles.models import LanguageRole
from articles.writing import editing, history

from .forms import ContentForm


def language_switch(model, form):
    """The languages of a change form's switch (templates/admin/translated_change_form.html):
    each with its fields' names and how many of them the bound `form` found in error."""
    errors = form.errors if form.is_bound else {}
    switch = []
    for code, name in languages.CHOICES:
        fields = [
            field.name
            for field in model._meta.concrete_fields
            if field.editable and getattr(field, "language", None) == code
        ]
        error_count = sum(1 for field in fields if field in errors)
        switch.append({"code": code, "name": name, "fields": fields, "errors": error_count})
    return switch


class TranslatedInputsAdmin(TranslationAdmin):
    """Each language's inputs carry that language's `lang` and `dir`, and one switch
    at the top of the form shows one language's fields, or all of them.

    Whatever language the admin itself speaks, Hebrew is typed right to left
    and Turkish left to right. Slugs and URLs are always left to right.
    Without JavaScript every language's fields show (static/js/admin-language-switch.js).
    """

    change_form_template = "admin/translated_change_form.html"

    class Media:
        js = ["js/admin-language-switch.js"]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        switch = language_switch(self.model, context["adminform"].form)
        context["language_switch"] = switch
        context["language_switch_fields"] = json.dumps(
            {language["code"]: language["fields"] for language in switch}
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            # Django 6's default, taken now: a URL typed without a scheme is https.
            kwargs["assume_scheme"] = "https"
        language = getattr(db_field, "language", None)
        if language and isinstance(db_field, models.SlugField):
            # The admin's slug prefill reads allow_unicode from the form field:
            # transliterate where our slug policy does, keep letters where not.
            kwargs["allow_unicode"] = languages.slug_allows_unicode(language)
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and isinstance(db_field, models.URLField):
            # An address reads left to right in any admin ("/https://…" otherwise).
            field.widget.attrs["dir"] = "ltr"
        is_split = field is not None and hasattr(field.widget, "widgets")
        if isinstance(db_field, models.DateTimeField) and is_split:
            # The admin labels only the first of a date and time's two inputs.
            date, time = field.widget.widgets
            date.attrs["aria-label"] = gettext("%(field)s: date") % {"field": field.label}
            time.attrs["aria-label"] = gettext("%(field)s: time") % {"field": field.label}
        if field is None or language is None:
            return field
        always_ltr = isinstance(db_field, (models.SlugField, models.URLField))
        field.widget.attrs.update(
            lang=language, dir="ltr" if always_ltr else languages.direction(language)
        )
        return field


class ContentAdmin(TranslatedInputsAdmin):
    """Content saved through `editing.save`, with its revisions listed and restorable.

    Restoring fills the change form with a revision's values, and saving it is
    an ordinary save: checked against other editors' saves, with derived
    columns made again and a revision of its own, so what stood before can be
    restored in turn. A deleted object is recovered the same way.

    Reading a page here opens no transaction: Django's admin wraps every
    change form in one, which on SQLite takes the write lock for as long as
    the page takes, and a POST's upload is checked and resized before the
    write path takes the lock.
    """

    form = ContentForm
    exclude = ["version"]

    class Media:
        css = {"all": ["css/admin-content.css"]}

    change_form_template = "admin/content_change_form.html"
    # django-reversion's, with its link to recover deleted objects.
    change_list_template = "reversion/change_list.html"
    object_history_template = "admin/content_history.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "recover/",
                self.admin_site.admin_view(self.recover_list_view),
                name="{}_{}_recoverlist".format(*info),
            ),
            path(
                "recover/<int:version_id>/",
                self.admin_site.admin_view(self.recover_view),
                name="{}_{}_recover".format(*info),
            ),
            path(
                "<path:object_id>/history/<int:version_id>/",
                self.admin_site.admin_view(self.revision_view),
                name="{}_{}_revision".format(*info),
            ),
            *super().get_urls(),
        ]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return self._changeform_view(request, object_id, form_url, extra_context)
        except editing.EditConflict:
            # Another save got in between the form's check and this one, which
            # wrote nothing: asked again, the form's check finds it and says so.
            return self._changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            # The form checks what the write path does; what got past it (a job
            # created meanwhile) is refused by the write path, writing nothing.
            for message in error.messages:
                messages.error(request, message)
            return redirect(request.path)

    def changelist_view(self, request, extra_context=None):
        context = {"has_change_permission": self.has_change_permission(request)}
        return super().changelist_view(request, {**context, **(extra_context or {})})

    def delete_view(self, request, object_id, extra_context=None):
        if request.method == "POST":
            return super().delete_view(request, object_id, extra_context)
        return self._delete_view(request, object_id, extra_context)

    def translation_object(self, request, object_id, language, has_permission):
        """The object at `object_id`, for work on its `language` translation: 404 for a
        missing object or a language it is not translated into, 403 without
        `has_permission(request, obj)`."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None or language not in obj.targets:
            raise Http404
        if not has_permission(request, obj):
            raise PermissionDenied
        return obj

    def get_form(self, request, obj=None, change=False, **kwargs):
        """The form; for a translator limited to some languages, every other field is
        disabled (shown, never taken from a post)."""
        form = super().get_form(request, obj, change=change, **kwargs)
        allowed = LanguageRole.languages_of(request.user)
        if allowed is None:
            return form
        return type(form.__name__, (form,), {"allowed_languages": allowed, "user": request.user})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if allowed := LanguageRole.languages_of(request.user):
            names = ", ".join(
                str(languages.name(code)) for code in languages.CODES if code in allowed
            )
            context["not_yours"] = _(
                "You may change only the %(languages)s texts; the other fields are shown to read."
            ) % {"languages": names}
        return super().render_change_form(request, context, add, change, form_url, obj)

    def has_add_permission(self, request):
        # Adding or deleting touches every language: not for a translator limited to some.
        return super().has_add_permission(request) and not LanguageRole.languages_of(request.user)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not LanguageRole.languages_of(
            request.user
        )

    def restoring(self, request):
        """The version the page being answered restores (its address names it), or None."""
        kwargs = request.resolver_match.kwargs if request.resolver_match else {}
        if "version_id" not in kwargs:
            return None
        versions = Version.objects.get_for_model(self.model).select_related("revision")
        return get_object_or_404(versions, pk=kwargs["version_id"])

    def get_object(self, request, object_id, from_field=None):
        version = self.restoring(request)
        if version is not None and request.resolver_match.url_name.endswith("_recover"):
            if self.model.objects.filter(pk=version.object_id).exists():
                return None
            return history.recovered(version)
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and version is not None:
            if version.object_id != str(obj.pk):
                return None
            history.restore(version, obj)
        return obj

    def save_model(self, request, obj, form, change):
        version = self.restoring(request)
        form.saved = editing.save(
            obj,
            user=request.user,
            started_from=form.cleaned_data.get("version"),
            restored=version.revision if version else None,
            # A restored translation was made from what the revision says.
            translation_sources=getattr(obj, "translation_sources", None) if version else None,
            publish_reason=form.cleaned_data.get("publish_reason", ""),
        )

    def delete_model(self, request, obj):
        editing.delete(obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            editing.delete(obj)

    def construct_change_message(self, request, form, formsets, add=False):
        return form.saved.message

    def history_view(self, request, object_id, extra_context=None):
        versions = (
            Version.objects.get_for_object_reference(self.model, unquote(object_id))
            .select_related("revision__user")
            .order_by("pk")
        )
        values = [history.kept(version) for version in versions]
        action_list = [
            {
                "revision": version.revision,
                "summary": history.describe(version.revision.comment, self.model),
                # What this revision changed in the one before, text by text.
                "changes": (
                    history.differences(self.model, values[number - 1], values[number])
                    if number
                    else []
                ),
                "url": reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_revision",
                    args=[quote(version.object_id), version.pk],
                ),
            }
            for number, version in enumerate(versions)
        ]
        return super().history_view(
            request, object_id, {"action_list": action_list, **(extra_context or {})}
        )

    def revision_view(self, request, object_id, version_id, extra_context=None):
        version = self.restoring(request)
        when = timezone.localtime(version.revision.date_created)
        context = {
            "title": _("Restore the version of %(date)s")
            % {"date": formats.date_format(when, "DATETIME_FORMAT")},
            "revert": True,
            **(extra_context or {}),
        }
        response = self.changeform_view(request, object_id, request.path, context)
        if response.status_code == 200:
            response.template_name = "admin/content_revision_form.html"
        return response

    def recover_list_view(self, request, extra_context=None):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        deleted = Version.objects.get_deleted(self.model).select_related("revision")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Recover deleted %(name)s") % {"name": self.opts.verbose_name_plural},
            "deleted": deleted,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "reversion/recover_list.html", context)

    def recover_view(self, request, version_id, extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        version = self.restoring(request)
        context = {
            "title": _("Recover %(name)s") % {"name": version.object_repr},
            "recover": True,
            **(extra_context or {}),
        }
        response = self.changeform_view(request, version.object_id, request.path, context)
        if response.status_code == 200:
            response.template_name = "admin/content_recover_form.html"
        return response

    def response_change(self, request, obj):
        if self.restoring(request) is not None:
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", obj.pk)
        return super().response_change(request, obj)
