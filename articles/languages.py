"""Facts about the site's languages that pages and the admin both need."""

from django.utils import translation


def is_right_to_left(language):
    return translation.get_language_info(language)["bidi"]


def direction(language):
    """ "rtl" or "ltr": the direction `language` is written in."""
    return "rtl" if is_right_to_left(language) else "ltr"


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
