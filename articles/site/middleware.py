from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

from . import sitewide


def negotiate(request, offered):
    """The language of `offered` a visitor asks for first (their language cookie, then
    Accept-Language), else the default language if offered, else the first offered."""
    asked = [request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")]
    asked += [code for code, _quality in parse_accept_lang_header(
        request.headers.get("Accept-Language", "")
    )]  # fmt: skip
    for code in asked:
        try:
            supported = translation.get_supported_language_variant(code)
        except LookupError:
            continue
        if supported in offered:
            return supported
    return settings.LANGUAGE_CODE if settings.LANGUAGE_CODE in offered else offered[0]


class LanguageWithContentMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, but the site's root ("/") leads to a language that
    has content: an English reader lands on a language with articles until
    English has some. Other addresses (the admin's, the health check's) are
    Django's own business, and ask nothing of the database."""

    def process_request(self, request):
        super().process_request(request)
        if request.path_info != "/":
            return
        offered = sitewide.languages_with_content()
        if offered and request.LANGUAGE_CODE not in offered:
            translation.activate(negotiate(request, offered))
            request.LANGUAGE_CODE = translation.get_language()
