import functools

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

    def process_response(self, request, response):
        match = getattr(request, "resolver_match", None)
        if match is not None and getattr(match.func, "is_same_in_every_language", False):
            # Django would add "Vary: Accept-Language" to an address without a
            # language prefix, and no cache would then keep it.
            return response
        return super().process_response(request, response)


def same_in_every_language(view):
    """Mark `view` (robots.txt, the sitemap: addresses without a language prefix) as
    answering the same whatever language a visitor asks for. It runs in the
    default language, and its response does not vary on Accept-Language, so the
    page cache and CDNs keep one copy."""

    @functools.wraps(view)
    def in_the_default_language(request, *args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return view(request, *args, **kwargs)

    in_the_default_language.is_same_in_every_language = True
    return in_the_default_language
