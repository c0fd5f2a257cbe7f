"""Text processing for articles: slugs, Markdown to sanitized HTML with a table of
contents, bidi isolation of Latin runs in right-to-left text, search text and reading time.

Pure functions: text in, text out, no database.
"""

import difflib
import html
import math
import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser

import markdown
import nh3
from django.utils.html import strip_tags
from django.utils.text import slugify

from .languages import is_right_to_left

# Django's slugify drops letters it cannot decompose to ASCII, so "Işık" would
# come out as "isk". This is the same map the admin's slug prefill (urlify.js,
# TURKISH_MAP) applies in the browser, so server and prefill agree.
TURKISH_TO_ASCII = str.maketrans("ıİşŞğĞçÇöÖüÜ", "iIsSgGcCoOuU")

# Languages written in a non-Latin script keep their letters in slugs and
# heading ids (Unicode slugs); the others are transliterated to ASCII.
UNICODE_SLUG_LANGUAGES = {"he"}

FIGURE_MARKER = "<p>[figure]</p>"
# The Markdown that becomes FIGURE_MARKER: a paragraph of its own holding only [figure].
FIGURE_LINE = re.compile(r"(?:\A|\n[ \t]*\n)[ \t]*\[figure\][ \t]*(?=\n[ \t]*\n|\n?[ \t]*\Z)")

ALLOWED_TAGS = {
    "a", "bdi", "blockquote", "br", "code", "em", "figcaption", "figure", "h2", "h3", "h4",
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
        # Markdown gives the name HTML-escaped; the template escapes it again.
        name = html.unescape(token["name"])
        yield {"id": token["id"], "name": name, "level": token["level"]}
        yield from _flatten_toc(token["children"])


def render_body(text, *, language, figure_html=""):
    """Render an editor's Markdown to sanitized HTML and its table of contents.

    Headings get ids made by the language's slug policy, so links to them work
    for Hebrew and Turkish text alike. A paragraph holding only `[figure]` is
    replaced by `figure_html`, which is trusted (built by our own template
    code); without such a paragraph the figure opens the body. In a
    right-to-left language, runs of Latin script are isolated (see
    `isolate_latin_runs`).
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
    # The figure is ours, not the editor's text: only the text around it is isolated.
    parts = html.split(FIGURE_MARKER)
    if is_right_to_left(language):
        parts = [isolate_latin_runs(part) for part in parts]
    if len(parts) > 1:
        html = parts[0] + figure_html + "".join(parts[1:])
    else:
        html = figure_html + parts[0]
    return RenderedBody(html=html, toc=list(_flatten_toc(md.toc_tokens)))


def places_figure(text):
    """Whether the Markdown `text` places the figure itself (a `[figure]` paragraph).

    Otherwise the figure opens the body, above the fold.
    """
    return bool(FIGURE_LINE.search(text))


def markdown_to_text(text):
    """The words of an editor's Markdown, without its markup or the figure marker."""
    return html.unescape(strip_tags(markdown.markdown(FIGURE_LINE.sub("\n\n", text))))


TAG = re.compile(r"<[^>]*>")


def reading_minutes(html_text, *, words_per_minute=200):
    """Minutes a reader needs for the rendered, sanitized `html_text`, at least one."""
    # A plain pattern suffices for sanitized HTML, at a tenth of strip_tags' cost.
    words = len(re.findall(r"\w+", html.unescape(TAG.sub(" ", html_text))))
    return max(1, math.ceil(words / words_per_minute))


# Bidi: Latin words inside right-to-left text.

LATIN_LETTERS = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
LATIN_LETTER = re.compile(f"[{LATIN_LETTERS}]")
# Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan, Mandaic and their presentation forms.
RTL_LETTER = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
# A word: letters and digits, joined without spaces by the marks that hold
# Latin words together ("CSM'e", "e-mail", "Node.js", "AT&T", "CX/CS", URLs).
_ALNUM = f"[{LATIN_LETTERS}0-9][{LATIN_LETTERS}0-9\u0300-\u036f]*"
_WORD = f"{_ALNUM}(?:['’.&+/_:@#%=?~-]+{_ALNUM})*/?"
# Words separated by spaces are one run ("Apple Genius Bar"); any other mark
# (a comma, a parenthesis) ends it and stays outside the isolate.
LATIN_RUN = re.compile(f"{_WORD}(?:\\s+{_WORD})*")
LATIN_EDGES = re.compile(f"[{LATIN_LETTERS}0-9](?:.*[{LATIN_LETTERS}0-9])?", re.S)

# Elements whose text is already isolated or is not prose.
UNISOLATED_ELEMENTS = {"bdi", "code", "kbd", "pre", "samp", "script", "style"}


def _isolate(text):
    return f"<bdi>{html.escape(text, quote=False)}</bdi>"


def _isolate_text(text):
    """Escaped `text` with its Latin runs wrapped in <bdi>."""
    if not LATIN_LETTER.search(text):
        return html.escape(text, quote=False)
    if not RTL_LETTER.search(text):
        # No right-to-left letter at all (a Latin title on a Hebrew page): it is
        # one phrase, and splitting it at its punctuation would reorder it.
        parts = [LATIN_EDGES.search(text)]
    else:
        parts = [match for match in LATIN_RUN.finditer(text) if LATIN_LETTER.search(match.group())]
    pieces, end = [], 0
    for match in parts:
        pieces += [html.escape(text[end : match.start()], quote=False), _isolate(match.group())]
        end = match.end()
    pieces.append(html.escape(text[end:], quote=False))
    return "".join(pieces)


class _LatinIsolator(HTMLParser):
    """Copies HTML through, isolating Latin runs in its text and nowhere else."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.output = []
        self.text = []
        self.unisolated_depth = 0

    def flush_text(self):
        if self.text:
            text = "".join(self.text)
            if self.unisolated_depth:
                self.output.append(html.escape(text, quote=False))
            else:
                self.output.append(_isolate_text(text))
            self.text = []

    def handle_data(self, data):
        if self.cdata_elem:
            # Raw text (a script or style body) is copied as it is.
            self.output.append(data)
        else:
            self.text.append(data)

    def handle_starttag(self, tag, attrs):
        self.flush_text()
        self.output.append(self.get_starttag_text())
        if tag in UNISOLATED_ELEMENTS:
            self.unisolated_depth += 1

    def handle_startendtag(self, tag, attrs):
        self.flush_text()
        self.output.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        self.flush_text()
        if tag in UNISOLATED_ELEMENTS and self.unisolated_depth:
            self.unisolated_depth -= 1
        self.output.append(f"</{tag}>")

    def handle_comment(self, data):
        self.flush_text()
        self.output.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self.flush_text()
        self.output.append(f"<!{decl}>")

    def close(self):
        super().close()
        self.flush_text()


def isolate_latin_runs(html_text):
    """Wrap each run of Latin script in the text of `html_text` in `<bdi>`.

    Inside right-to-left text, a Latin word next to punctuation can pull the
    punctuation into its own direction, so "(CX)?" or a list of Latin words
    shows in the wrong order. Isolating the words lets the surrounding
    direction place the punctuation. Runs are Latin words separated by spaces;
    parentheses, commas and a Hebrew prefix ("ה-") stay outside. Only text is
    touched: tags, attributes, `<code>`/`<pre>` and existing `<bdi>` are
    copied unchanged, and entities stay escaped.
    """
    parser = _LatinIsolator()
    parser.feed(html_text)
    parser.close()
    return "".join(parser.output)


# Search: a normalized copy of each language's text, matched with `contains`.

# Turkish and Azerbaijani pair dotless ı with I and dotted i with İ.
DOTTED_I_LANGUAGES = {"tr", "az"}
DOTTED_I_LOWER = str.maketrans({"I": "ı", "İ": "i"})
# Readers often type Turkish without a Turkish keyboard, and Hebrew with an
# apostrophe for a geresh: "isik" finds "ışık", "צ'רדסון" finds "צ׳רדסון".
SEARCH_FOLDS = str.maketrans({"ı": "i", "'": None, "’": None, "׳": None, "״": None, '"': None})


def lower_for_language(text, *, language):
    """`text` in lower case by the rules of `language` (Turkish: I → ı, İ → i)."""
    if language in DOTTED_I_LANGUAGES:
        text = text.translate(DOTTED_I_LOWER)
    return text.lower()


def normalize_for_search(text, *, language):
    """The form of `text` that search matches on.

    Lower case by the language's rules, then without accents or cedillas,
    dotless ı read as i, without Hebrew points (niqqud), cantillation or
    apostrophes; letters and digits only, words separated by single spaces.
    Apply it to both the stored text and the query.
    """
    text = unicodedata.normalize("NFKD", lower_for_language(text, language=language))
    text = "".join(char for char in text if unicodedata.category(char) != "Mn")
    return " ".join(re.findall(r"[^\W_]+", text.translate(SEARCH_FOLDS)))


def search_document(*, title, lede, body, language):
    """The normalized text an article is found by in `language`: title, lede and body."""
    return normalize_for_search("\n".join([title, lede, markdown_to_text(body)]), language=language)


def text_diff(before, after):
    """Line-by-line differences from `before` to `after`, with a line of context.

    A list of (kind, line) pairs, kind being "added", "removed", "context", or
    "gap" where unchanged lines are left out.
    """
    changes = []
    for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=1):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            if changes:
                changes.append(("gap", "…"))
            continue
        kind = {"+": "added", "-": "removed"}.get(line[:1], "context")
        changes.append((kind, line[1:]))
    return changes
