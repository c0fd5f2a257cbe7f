"""Pre-translation in the article admin: for one article's translation (a button in
its workspace) or for the articles chosen in the change list (an action per
language), fill the missing segments from the memory, then by machine
translation, for review (articles/translating/pretranslate.py)."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from articles import languages
from articles.translating import machine, pretranslate


def service_name():
    """The configured machine translation service's name, or ""."""
    service = machine.backend()
    return service.name if service is not None else ""


def outcome(article, language, result):
    """What a pre-translation did, in a sentence, and the message level to tell it at."""
    values = {
        "article": str(article),
        "language": languages.name(language),
        "memory": len(result.from_memory),
        "machine": len(result.from_machine),
        "service": result.service or service_name(),
        "left": len(result.left),
    }
    if result.filled:
        sentence = _(
            "%(article)s, %(language)s: %(memory)s segments filled from the memory and "
            "%(machine)s by machine translation, to review; %(left)s left to translate."
        )
        level = messages.SUCCESS
    else:
        sentence = _("%(article)s, %(language)s: nothing to fill in; %(left)s left to translate.")
        level = messages.INFO
    text = sentence % values
    if result.error is not None:
        text = f"{text} {result.error.message}"
        level = messages.WARNING
    return text, level


def pretranslate_for(request, article, language):
    """Pre-translate `article` into `language` for the person asking, and tell them
    what came of it; None when it was refused (a published language, one they
    may not change)."""
    try:
        result = pretranslate.pretranslate(article, language, user=request.user)
    except ValidationError as error:
        messages.error(
            request, f"{article}, {languages.name(language)}: {' '.join(error.messages)}"
        )
        return None
    text, level = outcome(article, language, result)
    messages.add_message(request, level, text)
    return result


class PretranslationAdmin:
    """Adds pre-translation, per target language, to the article admin."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/translate/<str:language>/pretranslate/",
                self.admin_site.admin_view(self.pretranslate_view),
                name="{}_{}_pretranslate".format(*info),
            ),
            *super().get_urls(),
        ]

    def pretranslate_view(self, request, object_id, language):
        article = self.translation_object(request, object_id, language, self.has_change_permission)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        self.pretranslate_one(request, article, language)
        return redirect(reverse("admin:articles_article_workspace", args=[article.pk, language]))

    def pretranslate_one(self, request, article, language):
        result = pretranslate_for(request, article, language)
        if result is not None and result.saved is not None and result.saved.message:
            self.log_change(request, article, result.saved.message)
        return result

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self.has_change_permission(request):
            return actions
        for code in languages.CODES:
            name = f"pretranslate_{code}"
            description = _("Pre-translate into %(language)s, for review") % {
                "language": languages.name(code)
            }
            actions[name] = (pretranslate_action(code), name, description)
        return actions


def pretranslate_action(language):
    def action(modeladmin, request, queryset):
        count = 0
        for article in queryset:
            if not modeladmin.has_change_permission(request, article):
                continue
            result = modeladmin.pretranslate_one(request, article, language)
            count += bool(result and result.filled)
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)s article pre-translated into %(language)s.",
                "%(count)s articles pre-translated into %(language)s.",
                count,
            )
            % {"count": count, "language": languages.name(language)},
        )

    return admin.action(description=gettext_lazy("Pre-translate"))(action)
