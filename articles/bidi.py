"""Bidi: Latin runs inside right-to-left text, isolated so they keep their order.

Pure functions: HTML in, HTML out.
"""

import html
import re
from html.parser import HTMLParser

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
