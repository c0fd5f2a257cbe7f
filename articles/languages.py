"""The site's languages in one place: which there are, which one articles are written
in unless they say otherwise, how each is written, where its columns and pages are.

Everything here follows `settings.LANGUAGES`: adding a language there (and
the migration modeltranslation's new columns need) is all it takes.
"""

import functools

from django.conf import settings
from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse, translate_url
from django.utils import translation
from django.utils.http import urlencode
from modeltranslation.utils import build_localized_fieldname

CHOICES = settings.LANGUAGES
CODES = [code for code, _name in CHOICES]
# The language a new article is written in; each article has its own
# (Article.source_language), which its translations are made from.
DEFAULT_SOURCE = settings.MODELTRANSLATION_DEFAULT_LANGUAGE

# Languages written in the Latin script: their slugs and heading ids are
# transliterated to ASCII. Every other language keeps its letters (Unicode
# slugs), so a title in Hebrew or Arabic never comes out as an empty slug.
LATIN_SCRIPT = {"tr", "en", "az", "de", "es", "fr", "it", "nl", "pt", "pl", "ro", "sv"}

# Where a language's readers mostly live: the dates its pages show are that
# zone's calendar day. Near midnight Istanbul and Israel fall on different
# days for part of the year. A language not listed (English, read anywhere)
# shows the site's own zone, settings.TIME_ZONE, where the editors publish.
TIME_ZONES = {"tr": "Europe/Istanbul", "he": "Asia/Jerusalem"}


def localized(field_name, language):
    """The column modeltranslation keeps for `field_name` in `language` ("title_he")."""
    return build_localized_fieldname(field_name, language)


def others(language):
    """The site's languages but `language`: those translated into from it."""
    return [code for code in CODES if code != language]


def name(language):
    """`language`'s name in the active language ("Hebrew", "İbranice")."""
    return translation.get_language_info(language)["name_translated"]


def is_right_to_left(language):
    return translation.get_language_info(language)["bidi"]


def direction(language):
    """ "rtl" or "ltr": the direction `language` is written in."""
    return "rtl" if is_right_to_left(language) else "ltr"


def time_zone(language):
    """The name of the time zone `language`'s pages show dates in."""
    return TIME_ZONES.get(language, settings.TIME_ZONE)


def slug_allows_unicode(language):
    return language not in LATIN_SCRIPT


def reverse_in(language, viewname, *, kwargs=None, query=None):
    """The path of `viewname` in `language`, with the dict `query` as its query string."""
    arguments = tuple(kwargs.items()) if kwargs else ()
    # Keyed by the URL configuration and script prefix in force too: whatever
    # Django's reverse() reads besides its arguments, so the path is the same.
    path = reversed_path(
        get_resolver(get_urlconf()), get_script_prefix(), language, viewname, arguments
    )
    return f"{path}?{urlencode(query)}" if query else path


@functools.lru_cache(maxsize=4096)
def reversed_path(resolver, script_prefix, language, viewname, arguments):
    """Django's reverse() of `viewname` in `language`: some forty function calls
    that every page made a dozen times over for the same few links."""
    with translation.override(language):
        return reverse(viewname, kwargs=dict(arguments), urlconf=resolver.urlconf_name)


def translate_path(path, language):
    """`path`, a page of this site, in `language` (Django's `translate_url`); as it is
    when it is not a URL at all ("//[::1", from a query string)."""
    try:
        return translate_url(path, language)
    except ValueError:
        return path


def language_links(url_in, languages):
    """Links to one page in each of `languages`, for a language switcher.

    `url_in(code)` gives the page's URL in language `code`; each link names its
    language in that language, with the direction to show the name in.
    """
    return [
        {
            "code": code,
            "name": translation.get_language_info(code)["name_local"],
            "dir": direction(code),
            "url": url_in(code),
        }
        for code in languages
    ]
