"""Inline markup kept out of machine translation's reach: a block's Markdown marks
(code, links, bold, emphasis) and HTML tags become XML codes that the services
carry over untranslated, and are put back after.

`protect("See **the [guide](https://x.example)**")` gives
`'See <g id="1">the <g id="2">guide</g></g>'` and the codes {"1": ("**", "**"),
"2": ("[", "](https://x.example)")}; `restore` turns the translation back
into Markdown. A code span is one empty element, its text never translated.
"""

import re
from xml.sax.saxutils import escape, unescape

# The inline marks, the first that matches at a place wins.
TOKEN = re.compile(
    r"(?P<code>`[^`\n]+`)"
    r"|(?P<link>\[(?P<link_text>[^\]\n]*)\](?P<link_target>\([^)\s]*(?:\s+\"[^\"]*\")?\)))"
    r"|(?P<bold>\*\*(?P<bold_text>[^*\n]+)\*\*|__(?P<bold_text2>[^_\n]+)__)"
    r"|(?P<emphasis>(?<![*\w])\*(?P<em_text>[^*\n]+)\*(?!\*)|(?<![_\w])_(?P<em_text2>[^_\n]+)_(?![_\w]))"
    r"|(?P<tag><[^>\n]+>)"
)
CODE = re.compile(r'<x id="(\d+)"\s*/>|<g id="(\d+)">|</g>')


def protect(text):
    """(`text` with its inline marks as XML codes, the codes by id)."""
    codes = {}

    def convert(text):
        pieces, position = [], 0
        for match in TOKEN.finditer(text):
            pieces.append(escape(text[position : match.start()]))
            position = match.end()
            number = str(len(codes) + 1)
            if match["code"] or match["tag"]:
                codes[number] = (match.group(), "")
                pieces.append(f'<x id="{number}"/>')
                continue
            if match["link"]:
                inner, opening, closing = match["link_text"], "[", "]" + match["link_target"]
            elif match["bold"]:
                inner = match["bold_text"] or match["bold_text2"]
                opening = closing = "**" if match["bold_text"] else "__"
            else:
                inner = match["em_text"] or match["em_text2"]
                opening = closing = "*" if match["em_text"] else "_"
            codes[number] = (opening, closing)
            pieces.append(f'<g id="{number}">{convert(inner)}</g>')
        pieces.append(escape(text[position:]))
        return "".join(pieces)

    return convert(text), codes


def restore(text, codes):
    """The translation `text` of protected text, with its codes back as markup.

    Raises ValueError when the codes came back broken (missing, unknown,
    unbalanced): the caller then leaves the segment for a person.
    """
    pieces, position, open_codes, seen = [], 0, [], set()
    for match in CODE.finditer(text):
        pieces.append(unescape(text[position : match.start()]))
        position = match.end()
        number = match.group(1) or match.group(2)
        if number is not None:
            if number not in codes or number in seen:
                raise ValueError(f"unknown or repeated code {number}")
            seen.add(number)
            opening, closing = codes[number]
            pieces.append(opening)
            if match.group(2):
                open_codes.append(closing)
        else:
            if not open_codes:
                raise ValueError("a code closed that was not open")
            pieces.append(open_codes.pop())
    pieces.append(unescape(text[position:]))
    if open_codes or seen != set(codes):
        raise ValueError("codes lost in translation")
    return "".join(pieces)
