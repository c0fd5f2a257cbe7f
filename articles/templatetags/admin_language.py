"""The admin's language chooser: the page being looked at, in each admin language."""

from urllib.parse import parse_qsl, urlencode, urlsplit

from django import template

from articles import languages

register = template.Library()


@register.simple_tag(takes_context=True)
def admin_language_links(context):
    """Each language with its name in itself, its direction and the page's address in it."""
    request = context.get("request")
    if request is None:
        return []
    path = request.get_full_path()
    return languages.language_links(lambda code: in_language(path, code), languages.CODES)


def in_language(url, language):
    """`url` in `language`; so is the login page's `next`, where logging in leads."""
    url = languages.translate_path(url, language)
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    if not any(key == "next" for key, _value in query):
        return url
    # translate_url only resolves and reverses a path of this site, so `next`
    # stays as safe as it was; the login view checks it anyway.
    query = [
        (key, languages.translate_path(value, language) if key == "next" else value)
        for key, value in query
    ]
    return parts._replace(query=urlencode(query)).geturl()
