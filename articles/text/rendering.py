"""Editors' text made into what readers get: slugs, and Markdown to sanitized HTML
with a table of contents and, in a right-to-left language, isolated Latin runs.

Pure functions: text in, text out, no database. Rendering happens when content
is saved (articles/editing.py), never when a page is read.
"""

import html
import math
import multiprocessing
import re
from dataclasses import dataclass, field

import markdown
import nh3
from django.utils.text import slugify

from articles.languages import is_right_to_left, slug_allows_unicode

from .bidi import isolate_latin_runs

# Django's slugify drops letters it cannot decompose to ASCII, so "Işık" would
# come out as "isk". This is the same map the admin's slug prefill (urlify.js,
# TURKISH_MAP) applies in the browser, so server and prefill agree.
TURKISH_TO_ASCII = str.maketrans("ıİşŞğĞçÇöÖüÜ", "iIsSgGcCoOuU")

# Bodies are rendered when saved and stored: raise this when a change here, in
# bidi.py or in search.py changes what a body renders to or how it is found,
# and `manage.py render_articles` (run by `make run` and `make serve`) renders
# the stored ones, and their search text, again.
# 2: phrases isolated whole, code left to right, maqaf in heading ids, Hebrew
#    spelling folded in search.
# 3: ™ and ® kept with their word, signed numbers isolated, operators join runs.
RENDERING_VERSION = 3

# Where the figure stands in a rendered body: what a paragraph holding only
# `[figure]` becomes. The page puts the figure there when it is shown.
FIGURE_MARKER = "<p>[figure]</p>"

ALLOWED_TAGS = {
    "a", "bdi", "blockquote", "br", "code", "em", "figcaption", "figure", "h2", "h3", "h4",
    "hr", "img", "li", "ol", "p", "pre", "span", "strong", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    # An editor's own direction for a phrase: <bdi>, or <span dir="ltr" lang="en">.
    "bdi": {"dir", "lang"},
    "span": {"dir", "lang"},
    "img": {"src", "alt", "title", "width", "height"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
}
TAG = re.compile(r"<[^>]*>")
DIRECTIONS = {"ltr", "rtl", "auto"}
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
# Hebrew's hyphen: "בית־ספר" makes the slug "בית-ספר", not "ביתספר".
MAQAF_TO_HYPHEN = str.maketrans({"\u05be": "-"})


def _allowed_value(tag, attribute, value):
    """An attribute's value as sanitizing keeps it, or None to drop the attribute."""
    if attribute == "dir":
        return value.lower() if value.lower() in DIRECTIONS else None
    if attribute == "lang":
        return value if LANGUAGE_TAG.fullmatch(value) else None
    return value


def slugify_for_language(text, *, language):
    """Return the URL slug of `text` under the slug policy of `language`.

    Latin-script languages are transliterated (Turkish ı→i, ş→s, ğ→g, ç→c,
    ö→o, ü→u) before Django's slugify; others, Hebrew among them, keep their
    letters. The result may be "" for text with no letters or digits at all.
    """
    text = text.translate(MAQAF_TO_HYPHEN)
    if slug_allows_unicode(language):
        return slugify(text, allow_unicode=True)
    return slugify(text.translate(TURKISH_TO_ASCII))


@dataclass
class RenderedBody:
    """A body as readers get it: sanitized HTML (holding FIGURE_MARKER where the
    figure stands, if anywhere), its table of contents and reading time."""

    html: str = ""
    toc: list = field(default_factory=list)
    reading_minutes: int = 0


def _flatten_toc(tokens):
    for token in tokens:
        # Markdown gives the name HTML-escaped; the template escapes it again.
        name = html.unescape(token["name"])
        yield {"id": token["id"], "name": name, "level": token["level"]}
        yield from _flatten_toc(token["children"])


def render_body(text, *, language):
    """Render an editor's Markdown to sanitized HTML and its table of contents.

    Headings get ids made by the language's slug policy, so links to them work
    for Hebrew and Turkish text alike. A paragraph holding only `[figure]`
    stays as FIGURE_MARKER, for `place_figure`. In a right-to-left language,
    Latin phrases, symbols and numbers are isolated and code is marked left to
    right (see `bidi`).
    """
    if not text:
        return RenderedBody()
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
    body = nh3.clean(
        md.convert(text),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_allowed_value,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    if is_right_to_left(language):
        # The marker is ours, not the editor's text: only the text around it is isolated.
        body = FIGURE_MARKER.join(isolate_latin_runs(part) for part in body.split(FIGURE_MARKER))
    return RenderedBody(
        html=body,
        toc=list(_flatten_toc(md.toc_tokens)),
        reading_minutes=reading_minutes(body),
    )


def place_figure(body_html, figure_html):
    """`body_html` with `figure_html` where its FIGURE_MARKER stands, or opening it."""
    before, marker, after = body_html.partition(FIGURE_MARKER)
    if not marker:
        return figure_html + body_html
    return before + figure_html + after.replace(FIGURE_MARKER, "")


def places_figure(body_html):
    """Whether the rendered body places the figure itself; otherwise the figure
    opens the body, above the fold."""
    return FIGURE_MARKER in body_html


def html_to_text(body_html):
    """The words of a rendered body, without its markup or the figure marker."""
    return html.unescape(TAG.sub(" ", body_html.replace(FIGURE_MARKER, " ")))


def reading_minutes(body_html, *, words_per_minute=200):
    """Minutes a reader needs for the rendered, sanitized `body_html`, at least one."""
    words = len(re.findall(r"\w+", html_to_text(body_html)))
    return max(1, math.ceil(words / words_per_minute))


# Python-Markdown's inline patterns take time quadratic in nested brackets: a
# few kilobytes of "[[[…" can take minutes. A save waits this long at most.
RENDER_SECONDS = 3


class RenderTooSlow(Exception):
    """Rendering a text took longer than it was given."""


def _render_and_send(connection, text, language):
    connection.send(render_body(text, language=language))
    connection.close()


def render_body_in_time(text, *, language, seconds=None):
    """`render_body(text, language=language)`, or RenderTooSlow after `seconds`
    (RENDER_SECONDS by default).

    The render runs in a forked child process, which is killed when time is
    up: a pure-Python parser cannot be interrupted from another thread.
    """
    if not text:
        return render_body(text, language=language)
    seconds = RENDER_SECONDS if seconds is None else seconds
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_render_and_send, args=(sender, text, language), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise RenderTooSlow(f"Rendering took more than {seconds} s")
        return receiver.recv()
    except EOFError as error:
        raise RenderTooSlow("The render stopped without a result") from error
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()
