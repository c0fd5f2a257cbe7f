"""Text processing for articles: slugs, and Markdown to sanitized HTML with a table of contents.

Pure functions: text in, text out, no database.
"""

from dataclasses import dataclass, field

import markdown
import nh3
from django.utils.text import slugify

# Django's slugify drops letters it cannot decompose to ASCII, so "Işık" would
# come out as "isk". This is the same map the admin's slug prefill (urlify.js,
# TURKISH_MAP) applies in the browser, so server and prefill agree.
TURKISH_TO_ASCII = str.maketrans("ıİşŞğĞçÇöÖüÜ", "iIsSgGcCoOuU")

# Languages written in a non-Latin script keep their letters in slugs and
# heading ids (Unicode slugs); the others are transliterated to ASCII.
UNICODE_SLUG_LANGUAGES = {"he"}

FIGURE_MARKER = "<p>[figure]</p>"

ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "em", "figcaption", "figure", "h2", "h3", "h4",
    "hr", "img", "li", "ol", "p", "pre", "strong", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
}


def slug_allows_unicode(language):
    return language in UNICODE_SLUG_LANGUAGES


def slugify_for_language(text, *, language):
    """Return the URL slug of `text` under the slug policy of `language`.

    Turkish is transliterated (ı→i, ş→s, ğ→g, ç→c, ö→o, ü→u) before Django's
    slugify; Hebrew keeps its letters. The result may be "" for text with no
    letters or digits at all.
    """
    if slug_allows_unicode(language):
        return slugify(text, allow_unicode=True)
    return slugify(text.translate(TURKISH_TO_ASCII))


@dataclass
class RenderedBody:
    html: str
    toc: list = field(default_factory=list)


def _flatten_toc(tokens):
    for token in tokens:
        yield {"id": token["id"], "name": token["name"], "level": token["level"]}
        yield from _flatten_toc(token["children"])


def render_body(text, *, language, figure_html=""):
    """Render an editor's Markdown to sanitized HTML and its table of contents.

    Headings get ids made by the language's slug policy, so links to them work
    for Hebrew and Turkish text alike. A paragraph holding only `[figure]` is
    replaced by `figure_html`, which is trusted (built by our own template
    code); without such a paragraph the figure opens the body.
    """
    md = markdown.Markdown(
        extensions=["toc", "sane_lists"],
        extension_configs={
            "toc": {
                "slugify": lambda value, separator: (
                    slugify_for_language(value, language=language) or "section"
                ),
                "toc_depth": "2-4",
            }
        },
    )
    html = nh3.clean(
        md.convert(text),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    if FIGURE_MARKER in html:
        html = html.replace(FIGURE_MARKER, figure_html, 1).replace(FIGURE_MARKER, "")
    else:
        html = figure_html + html
    return RenderedBody(html=html, toc=list(_flatten_toc(md.toc_tokens)))
