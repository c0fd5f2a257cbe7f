"""Changing an article's source language, on a page of its own that asks for
confirmation: every translation is then taken as made from the new source as it
is, and the history records the change."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles import languages
from articles.models import Job, LanguageRole
from articles.writing import editing


class SourceLanguageForm(forms.Form):
    language = forms.ChoiceField(label=gettext_lazy("New source language"))
    version = forms.IntegerField(widget=forms.HiddenInput)
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, article, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article
        self.fields["language"].choices = [
            (code, name) for code, name in languages.CHOICES if code != article.source_language
        ]
        self.initial.setdefault("version", article.version)

    def clean_language(self):
        code = self.cleaned_data["language"]
        name = languages.name(code)
        if not self.article.has_content_in(code):
            raise ValidationError(
                _("The article has no title or body in %(language)s: write it there first.")
                % {"language": name}
            )
        if Job.objects.filter(article=self.article, language=code).exists():
            raise ValidationError(
                _(
                    "%(language)s has a translation job: delete it first, since a source "
                    "language is not translated."
                )
                % {"language": name}
            )
        return code


class SourceLanguageAdmin:
    """Adds the page changing an article's source language to the article admin."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/source-language/",
                self.admin_site.admin_view(self.source_language_view),
                name="{}_{}_source_language".format(*info),
            ),
            *super().get_urls(),
        ]

    @admin.display(description=gettext_lazy("source language"))
    def source_language_name(self, article):
        return languages.name(article.source_language)

    @admin.display(description=gettext_lazy("source language"))
    def source_language_column(self, article):
        name = languages.name(article.source_language)
        if article.pk is None:
            return name
        return format_html(
            '{} <a href="{}">{}</a>',
            name,
            reverse("admin:articles_article_source_language", args=[article.pk]),
            _("Change…"),
        )

    def source_language_view(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404
        # It changes every language's status: only for an editor limited to none.
        if not self.has_change_permission(request, article) or LanguageRole.languages_of(
            request.user
        ):
            raise PermissionDenied
        form = SourceLanguageForm(request.POST or None, article=article)
        confirming = False
        if request.method == "POST" and form.is_valid():
            if form.cleaned_data["confirmed"]:
                return self.change_source_language(request, article, form)
            confirming = True
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": _("Change the source language"),
            "subtitle": str(article),
            "form": form,
            "confirming": confirming,
            "current": languages.name(article.source_language),
            "new": languages.name(form.cleaned_data["language"]) if confirming else "",
            "change_url": reverse("admin:articles_article_change", args=[article.pk]),
        }
        return TemplateResponse(request, "admin/articles/article/source_language.html", context)

    def change_source_language(self, request, article, form):
        before, after = article.source_language, form.cleaned_data["language"]
        article.source_language = after
        try:
            saved = editing.save(
                article,
                user=request.user,
                started_from=form.cleaned_data["version"],
                note={"source": {"from": before, "to": after}},
            )
        except editing.EditConflict:
            messages.error(
                request,
                _("Someone saved the article after you opened this page: nothing was changed."),
            )
            return redirect("admin:articles_article_source_language", article.pk)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("admin:articles_article_source_language", article.pk)
        self.log_change(request, article, saved.message)
        messages.success(
            request,
            _("The source language is now %(language)s.") % {"language": languages.name(after)},
        )
        return redirect("admin:articles_article_change", article.pk)
