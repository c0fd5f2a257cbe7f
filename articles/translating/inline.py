"""Inline Markdown in a segment as codes a translation tool protects, and back.

A segment's text is cut into runs: plain text, which is translated, and
codes, which stand for markup a translator may move but must not change:

- bold (`**…**`, `__…__`), emphasis (`*…*`, `_…_`), a link's text
  (`[…](address)`) and an inline HTML element (`<bdi dir="ltr">…</bdi>`) are
  a *pair* of codes, one opening and one closing, around text that is
  translated; the link's address is in the closing code, out of reach;
- inline code (`` `…` ``), an automatic link (`<https://…>`), an image
  (`![…](…)`) and a lone HTML tag (`<br>`) are one *standalone* code.

`split(text)` gives the runs, `join(runs)` the text again, unchanged:
`join(split(text)) == text` for any text. A code's id is its number in the
segment, from "1"; the two codes of a pair share theirs, as XLIFF's do.

A translation comes back as runs whose codes carry only an id and a kind
(from an XLIFF target, or a machine translation's tags): `rebuild(runs,
source_codes)` checks that each code of the source is there once, well
nested and none added, and puts each code's markup back from the source,
so a translation can move a link but not change where it leads.

For a machine translation service, `protect(text)` gives the text with each
pair as `<g id="1">…</g>` and each standalone code as `<x id="2"/>` (the
rest XML-escaped), and `restore(tagged, codes)` the Markdown back.

Pure functions, no database.
"""

import html
import re
from dataclasses import dataclass

OPEN = "open"
CLOSE = "close"
STANDALONE = "standalone"

BOLD = "bold"
EMPHASIS = "emphasis"
LINK = "link"
CODE = "code"
HTML = "html"
IMAGE = "image"

ESCAPABLE = set("\\`*_{}[]()#+-.!<>|~\"'&")
AUTOLINK = re.compile(r"<[A-Za-z][A-Za-z0-9+.-]*://[^<>\s]*>|<[^<> !@]+@[^@<> ]+>")
HTML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?(/?)>")
VOID_ELEMENTS = {"br", "img", "hr", "wbr"}


@dataclass(frozen=True)
class Code:
    """Markup standing in a segment: `kind` is OPEN, CLOSE or STANDALONE, `type`
    what it marks (BOLD, LINK, …), `markup` the Markdown itself."""

    id: str
    kind: str
    type: str = ""
    markup: str = ""

    @property
    def key(self):
        return (self.id, self.kind)


class CodeError(ValueError):
    """A translation's codes do not match its source's; `args[0]` says how, in English,
    and `problem`/`code_id` say it for a translated message."""

    def __init__(self, problem, code_id):
        super().__init__(f"{problem}: code {code_id}")
        self.problem = problem
        self.code_id = code_id


MISSING = "missing"
DUPLICATED = "duplicated"
UNKNOWN = "unknown"
MISNESTED = "misnested"


def split(text):
    """The runs of `text`: strings and Codes, in order."""
    scanner = _Scanner(text)
    scanner.scan(0, len(text))
    return scanner.runs()


def join(runs):
    """The text made of `runs` (the inverse of `split`)."""
    return "".join(run if isinstance(run, str) else run.markup for run in runs)


def codes_of(runs):
    """The codes among `runs`, by (id, kind)."""
    return {run.key: run for run in runs if isinstance(run, Code)}


def plain(runs):
    """The translatable text of `runs`, without the codes."""
    return "".join(run for run in runs if isinstance(run, str))


def rebuild(runs, source_codes):
    """The Markdown of a translation's `runs`, each code's markup taken from
    `source_codes` ({(id, kind): Code}, as `codes_of` gives them).

    Raises CodeError when a code of the source is missing or given twice, a
    code is not the source's, or a pair is not nested as pairs must be.
    """
    seen, stack, parts = set(), [], []
    for run in runs:
        if isinstance(run, str):
            parts.append(run)
            continue
        source = source_codes.get(run.key)
        if source is None:
            raise CodeError(UNKNOWN, run.id)
        if run.key in seen:
            raise CodeError(DUPLICATED, run.id)
        seen.add(run.key)
        if run.kind == OPEN:
            stack.append(run.id)
        elif run.kind == CLOSE:
            if not stack or stack[-1] != run.id:
                raise CodeError(MISNESTED, run.id)
            stack.pop()
        parts.append(source.markup)
    if stack:
        raise CodeError(MISNESTED, stack[-1])
    for key in source_codes:
        if key not in seen:
            raise CodeError(MISSING, key[0])
    return "".join(parts)


def align(runs, source_codes):
    """A translation's `runs` with each code numbered as the source's code it stands
    for: the same markup (a pair: both ends), first come first served. A code
    the source lacks, or marks otherwise (a link leading elsewhere), becomes
    text, its Markdown as it is, so that joining gives the translation back."""
    sources = [code for code in source_codes.values() if code.kind != CLOSE]
    closes = {code.id: code for code in source_codes.values() if code.kind == CLOSE}
    target_closes = {run.id: run for run in runs if isinstance(run, Code) and run.kind == CLOSE}
    used, renumbered, aligned = set(), {}, []
    for run in runs:
        if isinstance(run, str):
            aligned.append(run)
        elif run.kind == CLOSE:
            source_id = renumbered.get(run.id)
            closed = Code(source_id, CLOSE, run.type, run.markup) if source_id else run.markup
            aligned.append(closed)
        else:
            code = next(
                (
                    code
                    for code in sources
                    if code.id not in used
                    and (code.kind, code.type, code.markup) == (run.kind, run.type, run.markup)
                    and (
                        code.kind != OPEN or closes[code.id].markup == target_closes[run.id].markup
                    )
                ),
                None,
            )
            if code is None:
                aligned.append(run.markup)
                continue
            used.add(code.id)
            renumbered[run.id] = code.id
            aligned.append(Code(code.id, run.kind, run.type, run.markup))
    merged = []
    for run in aligned:
        if isinstance(run, str) and merged and isinstance(merged[-1], str):
            merged[-1] += run
        else:
            merged.append(run)
    return merged


def same_codes(runs, other):
    """Whether two lists of runs hold the same text and codes (by id and kind)."""

    def outline(items):
        return [item if isinstance(item, str) else item.key for item in items if item != ""]

    return outline(runs) == outline(other)


TAG = re.compile(r'<g id="([^"<>]+)">|</g>|<x id="([^"<>]+)"\s*/>')


def protect(text):
    """(`text` with its codes as XML tags, its codes by (id, kind)): see the module's doc."""
    runs = split(text)
    parts = []
    for run in runs:
        if isinstance(run, str):
            parts.append(html.escape(run, quote=False))
        elif run.kind == OPEN:
            parts.append(f'<g id="{run.id}">')
        elif run.kind == CLOSE:
            parts.append("</g>")
        else:
            parts.append(f'<x id="{run.id}"/>')
    return "".join(parts), codes_of(runs)


def restore(tagged, codes):
    """The Markdown of `tagged` (text with tags as `protect` makes them), each code's
    markup from `codes`; CodeError as `rebuild` raises it."""
    runs, opened, position = [], [], 0
    for match in TAG.finditer(tagged):
        runs.append(html.unescape(tagged[position : match.start()]))
        if match.group(1):
            opened.append(match.group(1))
            runs.append(Code(match.group(1), OPEN))
        elif match.group(2):
            runs.append(Code(match.group(2), STANDALONE))
        elif opened:
            runs.append(Code(opened.pop(), CLOSE))
        else:
            raise CodeError(MISNESTED, "?")
        position = match.end()
    runs.append(html.unescape(tagged[position:]))
    return rebuild([run for run in runs if run != ""], codes)


class _Scanner:
    """Cuts a text into runs, one recursive pass: a pair's inner text is scanned
    for codes of its own."""

    def __init__(self, text):
        self.text = text
        self.out = []
        self.number = 0

    def runs(self):
        merged = []
        for run in self.out:
            if isinstance(run, str) and merged and isinstance(merged[-1], str):
                merged[-1] += run
            elif run != "":
                merged.append(run)
        return merged

    def next_id(self):
        self.number += 1
        return str(self.number)

    def scan(self, start, end):
        text, position = self.text, start
        plain_from = start
        while position < end:
            emitted = len(self.out)
            found = self.code_at(position, end)
            if found is None:
                position += self.skip(position, end)
                continue
            self.out.insert(emitted, text[plain_from:position])
            position = found
            plain_from = position
        self.out.append(text[plain_from:end])

    def skip(self, position, end):
        """How many characters from `position` are plain text (an escape is two)."""
        text = self.text
        if text[position] == "\\" and position + 1 < end and text[position + 1] in ESCAPABLE:
            return 2
        if text[position] == "`":
            return len(re.match(r"`+", text[position:end]).group())
        return 1

    def code_at(self, position, end):
        """Emit the code(s) starting at `position` and return where they end, or None."""
        text = self.text
        char = text[position]
        if char == "`":
            return self.code_span(position, end)
        if char == "<":
            return self.angle(position, end)
        if char == "!" and text.startswith("![", position):
            return self.image(position, end)
        if char == "[":
            return self.link(position, end)
        if char in "*_":
            return self.emphasis(position, end)
        return None

    def standalone(self, type_, start, stop):
        self.out.append(Code(self.next_id(), STANDALONE, type_, self.text[start:stop]))
        return stop

    def pair(self, type_, start, inner_start, inner_end, stop):
        code_id = self.next_id()
        self.out.append(Code(code_id, OPEN, type_, self.text[start:inner_start]))
        self.scan(inner_start, inner_end)
        self.out.append(Code(code_id, CLOSE, type_, self.text[inner_end:stop]))
        return stop

    def code_span(self, position, end):
        ticks = re.match(r"`+", self.text[position:end]).group()
        closing = re.compile(rf"(?<!`){ticks}(?!`)")
        found = closing.search(self.text, position + len(ticks), end)
        if found is None:
            return None
        return self.standalone(CODE, position, found.end())

    def angle(self, position, end):
        text = self.text
        if autolink := AUTOLINK.match(text, position, end):
            return self.standalone(LINK, position, autolink.end())
        tag = HTML_TAG.match(text, position, end)
        if tag is None:
            return None
        closing, name, self_closing = tag.group(1), tag.group(2).lower(), tag.group(3)
        if closing or self_closing or name in VOID_ELEMENTS:
            return self.standalone(HTML, position, tag.end())
        close = self.matching_close_tag(name, tag.end(), end)
        if close is None:
            return self.standalone(HTML, position, tag.end())
        return self.pair(HTML, position, tag.end(), close.start(), close.end())

    def matching_close_tag(self, name, start, end):
        depth = 0
        for tag in HTML_TAG.finditer(self.text, start, end):
            if tag.group(2).lower() != name or tag.group(3):
                continue
            if not tag.group(1):
                depth += 1
            elif depth:
                depth -= 1
            else:
                return tag
        return None

    def bracketed(self, position, end, opening, closing):
        """Where the `closing` bracket matching the `opening` one at `position` is."""
        depth, index = 0, position
        while index < end:
            char = self.text[index]
            if char == "\\":
                index += 2
                continue
            if char == "`":
                span = re.match(r"`+", self.text[index:end]).group()
                found = re.compile(rf"(?<!`){span}(?!`)").search(self.text, index + len(span), end)
                index = found.end() if found else index + len(span)
                continue
            if char == opening:
                depth += 1
            elif char == closing:
                depth -= 1
                if depth == 0:
                    return index
            index += 1
        return None

    def link_end(self, position, end):
        """Where the link or image whose "[" is at `position` ends: (its "]", its end)."""
        close_bracket = self.bracketed(position, end, "[", "]")
        if close_bracket is None or not self.text.startswith("(", close_bracket + 1):
            return None
        close_paren = self.bracketed(close_bracket + 1, end, "(", ")")
        if close_paren is None:
            return None
        return close_bracket, close_paren + 1

    def image(self, position, end):
        found = self.link_end(position + 1, end)
        if found is None:
            return None
        return self.standalone(IMAGE, position, found[1])

    def link(self, position, end):
        found = self.link_end(position, end)
        if found is None:
            return None
        close_bracket, stop = found
        return self.pair(LINK, position, position + 1, close_bracket, stop)

    def emphasis(self, position, end):
        text = self.text
        char = text[position]
        double = text.startswith(char * 2, position)
        delimiter = char * 2 if double else char
        inner_start = position + len(delimiter)
        if inner_start >= end or text[inner_start].isspace():
            return None
        if char == "_" and position > 0 and text[position - 1].isalnum():
            return None
        close = self.closing_delimiter(delimiter, inner_start, end)
        if close is None:
            return None
        type_ = BOLD if double else EMPHASIS
        return self.pair(type_, position, inner_start, close, close + len(delimiter))

    def closing_delimiter(self, delimiter, start, end):
        """Where the delimiter closing one opened just before `start` is, or None."""
        text = self.text
        index = start + 1
        while index < end:
            char = text[index]
            if char == "\\":
                index += 2
                continue
            if char == "`" or char == "[" or char == "<":
                skipped = self.skip_over(index, end)
                if skipped:
                    index = skipped
                    continue
            if char == delimiter[0]:
                run = len(re.match(rf"{re.escape(char)}*", text[index:end]).group())
                if not text[index - 1].isspace():
                    close = None
                    if len(delimiter) == 2 and run >= 2:
                        # "***" closing bold around emphasis: the bold is the last two.
                        close = index + run - 2
                    elif len(delimiter) == 1 and run == 1:
                        close = index
                    followed = index + run < end and text[index + run].isalnum()
                    if close is not None and not (char == "_" and followed):
                        return close
                index += run
                continue
            index += 1
        return None

    def skip_over(self, index, end):
        """The end of a code span, link or tag starting at `index`, or None."""
        text = self.text
        if text[index] == "`":
            ticks = re.match(r"`+", text[index:end]).group()
            found = re.compile(rf"(?<!`){ticks}(?!`)").search(text, index + len(ticks), end)
            return found.end() if found else None
        if text[index] == "[":
            found = self.link_end(index, end)
            return found[1] if found else None
        tag = AUTOLINK.match(text, index, end) or HTML_TAG.match(text, index, end)
        return tag.end() if tag else None
