"""What search engines and link previews read: absolute URLs, locales, JSON-LD."""

import json

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.site import sitewide

from .bidi import direction_mark

register = template.Library()

# OpenGraph names a locale by language and territory.
OPEN_GRAPH_LOCALES = {"tr": "tr_TR", "he": "he_IL", "en": "en_US"}

# What json_script escapes: "</script>" or "<!--" in an editor's title cannot end the block.
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def absolute_url(context, url):
    return context["request"].build_absolute_uri(url)


@register.filter
def open_graph_locale(language):
    return OPEN_GRAPH_LOCALES.get(language, language)


@register.simple_tag(takes_context=True)
def x_default_url(context, language_links):
    """The absolute URL of the default language's version, or "" when the page has none."""
    for link in language_links:
        if link["code"] == settings.LANGUAGE_CODE:
            return context["request"].build_absolute_uri(link["url"])
    return ""


@register.simple_tag(takes_context=True)
def article_json_ld(context, article):
    """A schema.org Article block for `article` in the page's language."""
    request, language = context["request"], context["LANGUAGE_CODE"]
    url = request.build_absolute_uri(article.get_absolute_url(language))
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": direction_mark(article.title),
        "description": direction_mark(article.meta_description or article.lede),
        "inLanguage": language,
        "url": url,
        "mainEntityOfPage": url,
        "dateModified": article.updated_at.isoformat(),
        "publisher": {
            "@type": "Organization",
            "name": sitewide.brand().name,
            "logo": {
                "@type": "ImageObject",
                "url": request.build_absolute_uri(sitewide.brand().icon_urls[512]),
            },
        },
    }
    author = article.author
    if author is not None and author.is_available_in(language):
        data["author"] = {
            "@type": "Organization" if author.is_team else "Person",
            "name": direction_mark(author.name),
            "url": request.build_absolute_uri(author.get_absolute_url(language)),
        }
    if article.topic is not None and article.topic.name:
        data["articleSection"] = direction_mark(article.topic.name)
    # A preview of an article never published yet has no publishing time.
    if article.published_at:
        data["datePublished"] = article.published_at.isoformat()
    if article.image:
        data["image"] = request.build_absolute_uri(article.image.url)
    # Escaped for a script element; JSON-LD is data, which a strict CSP allows.
    text = json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))
