"""What search engines and link previews read: absolute URLs, locales, JSON-LD."""

import json

from django import template
from django.conf import settings
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime

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
def alternate_links(context):
    """The page's canonical link and its alternates, one per language and the
    default language's (x-default), for a page whose view names its languages
    (`language_links`): never an error page. What the template's loop made."""
    links = context.get("language_links")
    if not links:
        return ""
    absolute = context["request"].build_absolute_uri
    alternates = "".join(
        f'\n  <link rel="alternate" hreflang="{conditional_escape(link["code"])}" '
        f'href="{conditional_escape(absolute(link["url"]))}">\n  '
        for link in links
    )
    x_default = x_default_url(context, links)
    if x_default:
        x_default = (
            f'<link rel="alternate" hreflang="x-default" href="{conditional_escape(x_default)}">'
        )
    canonical = conditional_escape(absolute(context["request"].path))
    return mark_safe(
        f'\n  \n  <link rel="canonical" href="{canonical}">\n  {alternates}\n  {x_default}\n  '
    )


def lines(*parts):
    """Lines of the page's <head>, each indented as its template: a part that is
    empty (an element left out) leaves its indentation, as `{% if %}` would."""
    return mark_safe("".join(f"\n  {part}" for part in parts) + "\n")


@register.simple_tag(takes_context=True)
def article_meta(context, article):
    """What search engines and link previews read of `article` in the page's
    language: its description, OpenGraph and Twitter tags, and JSON-LD.

    One tag rather than some forty template nodes: it is most of the work of
    an article page's <head>.
    """
    request, language = context["request"], context["LANGUAGE_CODE"]
    description = direction_mark(article.meta_description or article.lede)
    title = direction_mark(article.title)
    alternates = "".join(
        format_html('\n  <meta property="og:locale:alternate" content="{}">\n  ', locale)
        for link in context.get("language_links") or ()
        if link["code"] != language and (locale := open_graph_locale(link["code"]))
    )
    return lines(
        '<meta name="robots" content="noindex">' if context.get("is_preview") else "",
        format_html('<meta name="description" content="{}">', description) if description else "",
        '<meta property="og:type" content="article">',
        format_html('<meta property="og:site_name" content="{}">', context["site"].brand.name),
        format_html('<meta property="og:title" content="{}">', title),
        format_html('<meta property="og:description" content="{}">', description)
        if description
        else "",
        format_html(
            '<meta property="og:url" content="{}">',
            request.build_absolute_uri(article.get_absolute_url(language)),
        ),
        format_html('<meta property="og:locale" content="{}">', open_graph_locale(language)),
        mark_safe(alternates),
        *image_meta(request, article, "og"),
        format_html(
            '<meta property="article:published_time" content="{}">',
            date_format(template_localtime(article.published_at), "c"),
        )
        if article.published_at
        else "",
        format_html(
            '<meta property="article:modified_time" content="{}">',
            date_format(template_localtime(article.updated_at), "c"),
        ),
        format_html(
            '<meta name="twitter:card" content="{}">',
            "summary_large_image" if article.image else "summary",
        ),
        format_html('<meta name="twitter:title" content="{}">', title),
        format_html('<meta name="twitter:description" content="{}">', description)
        if description
        else "",
        *image_meta(request, article, "twitter"),
        article_json_ld(context, article),
    )


def image_meta(request, article, kind):
    """The lines of `article`'s image for OpenGraph (`kind` "og") or Twitter: around
    them, the lines of the `{% if article.image %}` they stood in."""
    if not article.image:
        return ("",)
    url = request.build_absolute_uri(article.image.url)
    alt = direction_mark(article.image_alt)
    if kind == "og":
        return (
            "",
            format_html('<meta property="og:image" content="{}">', url),
            format_html('<meta property="og:image:width" content="{}">', article.image_width),
            format_html('<meta property="og:image:height" content="{}">', article.image_height),
            format_html('<meta property="og:image:alt" content="{}">', alt) if alt else "",
            "",
        )
    return (
        "",
        format_html('<meta name="twitter:image" content="{}">', url),
        format_html('<meta name="twitter:image:alt" content="{}">', alt) if alt else "",
        "",
    )


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
