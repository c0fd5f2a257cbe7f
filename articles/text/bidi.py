"""Bidi: Latin phrases, symbols and numbers inside right-to-left text, isolated so
that they read in the order a reader of the right-to-left language expects.

Pure functions: HTML (or plain text) in, HTML out; and one for strings that
cannot hold markup (`mark_direction`). The rules, in the order they apply to
each block's inline text (a paragraph, heading, list item, caption):

1. A block with no right-to-left letter but with Latin letters ("What is CX?",
   "Guru, Inc.") is one unit, its edge punctuation included: it keeps its own
   left-to-right order inside a right-to-left page.
2. Otherwise a unit is a Latin *run*: Latin words (which may carry symbols at
   their edges or inside: "C#", "C++", ".NET", "Node.js", "Wi-Fi", "AT&T",
   "Guru™", "Salesforce®", e-mail and web addresses) joined by spaces, by ":",
   "&", "/", "–" or "—", or by an operator ("+", "=", "×", an arrow
   such as "→" or "->"), with numbers after its first word (".NET 8",
   "Windows 11"), and with a
   Latin-only parenthesis after a word ("Customer Experience (CX)"). Inline
   markup does not end a run ("ה-**Apple** Genius Bar" is one unit), and an
   inline element whose text is all Latin (a link label) is one word of it.
3. Runs separated by commas or semicolons are a *list* when every run in it is
   a name, each word having a capital letter or being a number ("Zendesk,
   Intercom, Freshdesk"): each run is its own unit and the commas stay in the
   right-to-left text, so the list reads in Hebrew order. Otherwise they are
   one *phrase* ("Customer first, always"), isolated whole with its commas.
4. A phrase of two words or more that is not a name keeps a "!" or "?" that
   follows it directly when the sentence goes on after it ("Customer first,
   always! וזה עובד"); a name, or a phrase at the end of its block, leaves it
   to the sentence ("ב-Zendesk?"). A full stop stays in the sentence, except after a
   known abbreviation ("Inc.", "Ltd.", "e.g.").
5. Digit groups that are one number read left to right and never break across
   lines: "+" and digits ("+90 212 555 00 00", "+972-3-555-1234"), three
   groups or more separated by spaces ("1 000 000"), and a number with its
   sign ("-5%", "−3", "+1.8%": a minus after a letter is a Hebrew prefix's
   hyphen, "ב-12", and after a digit a range's, "10-20"). Other numbers,
   percentages, dates and ranges are left to the Unicode bidi algorithm, which
   already shows them right.
6. Code (`<code>`, `<kbd>`, `<samp>`, `<pre>`) is left to right; what an
   editor isolated (`<bdi>`, any element with `dir`) is kept as it is.

Quotation marks, parentheses around a whole run and a Hebrew prefix ("ה-")
stay outside the isolate, so the page's direction places (and mirrors) them.
"""

import functools
import html
import re
from html.parser import HTMLParser

LATIN_LETTERS = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
LATIN_LETTER = re.compile(f"[{LATIN_LETTERS}]")
# Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan, Mandaic and their presentation forms.
RTL_LETTERS = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc"
RTL_LETTER = re.compile(f"[{RTL_LETTERS}]")
LETTER_OR_DIGIT = re.compile(r"[^\W_]")
LATIN_LETTER_OR_DIGIT = re.compile(f"[{LATIN_LETTERS}0-9]")

# In the flattened text of a block, an inline element kept whole stands as one
# character: a Latin element that joins runs, an isolated Latin one (code, an
# editor's <bdi>) that is never wrapped alone, or anything else, which ends runs.
LATIN_ELEMENT = "\ue000"
ISOLATED_LATIN = "\ue001"
OBJECT = "\ufffc"

_WORD_CHAR = f"{LATIN_LETTERS}0-9{LATIN_ELEMENT}{ISOLATED_LATIN}"
_CORE = f"[{_WORD_CHAR}][{_WORD_CHAR}\u0300-\u036f]*"
# Marks that hold a word together with no space: "CSM'e", "e-mail", "Node.js",
# "AT&T", "CX/CS", addresses; a comma only between digits ("1,000").
_JOINER = r"(?:['’.&+/_:@#%=?~-]+|(?<=\d),(?=\d))"
WORD = re.compile(
    rf"(?:(?<![\w.#@])[.#@](?=[{LATIN_LETTERS}]))?"  # ".NET", "#hashtag", "@handle"
    rf"{_CORE}(?:{_JOINER}{_CORE})*"
    r"(?:[#+]+(?![\w#+]))?"  # "C#", "C++"
    r"[™®℠]*"  # "Guru™", "Salesforce®"
    r"/?"  # an address's last slash
)
_SPACE = "[ \t\r\n\u00a0]"
SPACE_GAP = re.compile(f"{_SPACE}+")
# What joins two Latin runs into one: a colon, an ampersand, a slash, a dash, and
# operators ("CX = CS + UX", "Zendesk → Intercom"), which plain UAX #9 keeps
# between the runs; isolated apart, the runs would swap places around them.
PHRASE_GAP = re.compile(f"{_SPACE}*(?:->|=>|<-|[:&/+–—=×→←↔⇒⇐⇔]){_SPACE}*")
LIST_GAP = re.compile(f"[,;]{_SPACE}*")
# A parenthesis holding only Latin text (and at most parentheses of its own),
# after a Latin word: "Customer Experience (CX)", "Salesforce (Service Cloud (Enterprise))".
_NOT_IN_PARENTHESIS = f"[^(){RTL_LETTERS}{OBJECT}]*"
LATIN_PARENTHESIS = re.compile(
    f"{_SPACE}*\\(({_NOT_IN_PARENTHESIS}(?:\\({_NOT_IN_PARENTHESIS}\\){_NOT_IN_PARENTHESIS})*)\\)"
)
PHRASE_END = re.compile("[!?…]+")
ABBREVIATIONS = {
    "co", "corp", "dr", "e.g", "etc", "i.e", "inc", "jr", "llc", "ltd", "mr", "mrs", "ms",
    "plc", "prof", "sr", "st", "vs",
}  # fmt: skip
NUMBER = re.compile(
    r"(?<![\w+])(?:"
    r"[-−+]\d+(?:[.,]\d+)*%"  # a signed percentage: "-5%", "+1.8%"
    r"|\+\d+(?:[ \u00a0.\-]\d+)*"  # a phone number, or a signed number: "+90 212 555 00 00"
    r"|[-−]\d+(?:[.,]\d+)*"  # a negative number: "-12", "−3" (not "ב-12", "10-20")
    r"|\d+(?:[ \u00a0]\d+){2,}"  # thousands apart: "1 000 000"
    r")(?![\w])",
)

LATIN_ISOLATE = '<bdi dir="ltr">'
NUMBER_ISOLATE = '<bdi dir="ltr" class="number">'

BLOCK_ELEMENTS = {
    "address", "article", "aside", "blockquote", "caption", "dd", "details", "div", "dl",
    "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "nav", "ol", "p", "section", "summary", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
VOID_ELEMENTS = {"area", "br", "col", "embed", "hr", "img", "input", "source", "wbr"}
# Kept whole and never looked into: already isolated, or not prose.
ISOLATED_ELEMENTS = {"bdi", "bdo", "code", "kbd", "pre", "samp", "script", "style", "textarea"}
# Code reads left to right whatever the page's direction.
CODE_ELEMENTS = {"code", "kbd", "pre", "samp"}

# Right-to-left mark: a string that begins with it is taken as right to left by
# readers that guess the direction from the first strong letter. (An RLI…PDI
# isolate would not do: that guess skips what is inside an isolate.)
RLM = "\u200f"


class _Element:
    __slots__ = ("tag", "start_tag", "children", "isolated", "_whole")

    def __init__(self, tag, start_tag, isolated):
        self.tag, self.start_tag, self.isolated = tag, start_tag, isolated
        self.children = []
        self._whole = None

    @property
    def whole(self):
        """Whether the element is one character of its block's text: isolated, or all Latin."""
        if self._whole is None:
            self._whole = self.isolated or _is_latin(_text_of(self))
        return self._whole

    def copy(self, children):
        """The element with other `children`, kept whole or not as the original was:
        the positions of its block's text were counted with the original."""
        element = _Element(self.tag, self.start_tag, self.isolated)
        element.children = children
        element._whole = self.whole
        return element


class _Raw:
    """Markup copied as it is: a void element (one character of text), a comment (none)."""

    __slots__ = ("markup", "length")

    def __init__(self, markup, length):
        self.markup, self.length = markup, length


class _Isolate:
    __slots__ = ("start_tag", "children")

    def __init__(self, start_tag, children):
        self.start_tag, self.children = start_tag, children


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Element("", "", isolated=False)
        self.open = [self.root]

    def handle_starttag(self, tag, attrs):
        start_tag = self.get_starttag_text()
        if tag in VOID_ELEMENTS:
            self.open[-1].children.append(_Raw(start_tag, 1))
            return
        names = {name for name, _value in attrs}
        in_pre = any(element.tag == "pre" for element in self.open)
        if tag in CODE_ELEMENTS and "dir" not in names and not in_pre:
            start_tag = f'{start_tag[:-1].rstrip()} dir="ltr">'
        element = _Element(tag, start_tag, isolated=tag in ISOLATED_ELEMENTS or "dir" in names)
        self.open[-1].children.append(element)
        self.open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.open[-1].children.append(_Raw(self.get_starttag_text(), 1))

    def handle_endtag(self, tag):
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data):
        if self.cdata_elem:
            self.open[-1].children.append(_Raw(data, 0))
        else:
            self.open[-1].children.append(data)

    def handle_comment(self, data):
        self.open[-1].children.append(_Raw(f"<!--{data}-->", 0))

    def handle_decl(self, decl):
        self.open[-1].children.append(_Raw(f"<!{decl}>", 0))


def _text_of(node):
    if isinstance(node, str):
        return node
    if isinstance(node, _Raw):
        return ""
    return "".join(_text_of(child) for child in node.children)


def _length(node):
    if isinstance(node, str):
        return len(node)
    if isinstance(node, _Raw):
        return node.length
    if isinstance(node, _Element) and node.whole:
        return 1
    return sum(_length(child) for child in node.children)


def _is_latin(text):
    return bool(LATIN_LETTER.search(text)) and not RTL_LETTER.search(text)


def _flatten(nodes, pieces, words):
    """The text of `nodes` with each element kept whole as one character.

    `words` receives, by position, the text an element kept whole stands for.
    """
    for node in nodes:
        if isinstance(node, str):
            pieces.append(node)
        elif isinstance(node, _Raw):
            pieces.append(OBJECT * node.length)
        else:
            if node.whole:
                text = _text_of(node)
                words[sum(map(len, pieces))] = text
                if not _is_latin(text):
                    pieces.append(OBJECT)
                else:
                    pieces.append(ISOLATED_LATIN if node.isolated else LATIN_ELEMENT)
            else:
                _flatten(node.children, pieces, words)


def _word_text(text, start, end, words):
    return "".join(words.get(position, text[position]) for position in range(start, end))


def _is_name(run_words):
    return all(
        not LATIN_LETTER.search(word) or any(char.isupper() for char in word) for word in run_words
    )


def _has_latin_letter(word):
    return bool(LATIN_LETTER.search(word))


def _latin_chains(text, words):
    """Chains of Latin runs in `text`: lists of (start, end, [word texts]) joined by commas."""
    matches = list(WORD.finditer(text))
    texts = [_word_text(text, match.start(), match.end(), words) for match in matches]
    chains, index = [], 0
    while index < len(matches):
        if not _has_latin_letter(texts[index]):
            index += 1
            continue
        chain = []
        start, end, run_words = matches[index].start(), matches[index].end(), [texts[index]]
        index += 1
        while True:
            parenthesis = LATIN_PARENTHESIS.match(text, end)
            if parenthesis and _has_latin_letter(parenthesis.group(1)):
                while index < len(matches) and matches[index].start() < parenthesis.end():
                    run_words.append(texts[index])
                    index += 1
                end = parenthesis.end()
                continue
            if index == len(matches):
                break
            gap = text[end : matches[index].start()]
            if SPACE_GAP.fullmatch(gap) or PHRASE_GAP.fullmatch(gap):
                run_words.append(texts[index])
                end = matches[index].end()
                index += 1
                continue
            if LIST_GAP.fullmatch(gap) and _has_latin_letter(texts[index]):
                chain.append((start, end, run_words))
                start, end, run_words = matches[index].start(), matches[index].end(), [texts[index]]
                index += 1
                continue
            break
        chain.append((start, end, run_words))
        chains.append(chain)
    return chains


def _with_end_punctuation(text, start, end, run_words, *, is_name):
    mark = PHRASE_END.match(text, end)
    # At the end of the block the mark more likely ends the sentence around the phrase.
    if mark and not is_name and len(run_words) > 1 and text[mark.end() :].strip():
        return start, mark.end()
    if text.startswith(".", end) and run_words[-1].lower() in ABBREVIATIONS:
        return start, end + 1
    return start, end


def _units(text, words):
    """(start, end, start tag) of each isolate `text` needs, in order."""
    full_text = "".join(words.get(position, char) for position, char in enumerate(text))
    if not RTL_LETTER.search(full_text):
        if not LATIN_LETTER.search(full_text):
            return _number_units(text, [])
        start = len(text) - len(text.lstrip())
        end = len(text.rstrip())
        if text[start:end] == ISOLATED_LATIN:
            return []
        return [(start, end, LATIN_ISOLATE)]
    units = []
    for chain in _latin_chains(text, words):
        is_list = len(chain) > 1 and all(_is_name(run_words) for _s, _e, run_words in chain)
        if is_list:
            spans = [(start, end, run_words, True) for start, end, run_words in chain]
        else:
            all_words = [word for _s, _e, run_words in chain for word in run_words]
            spans = [(chain[0][0], chain[-1][1], all_words, _is_name(all_words))]
        for start, end, run_words, is_name in spans:
            start, end = _with_end_punctuation(text, start, end, run_words, is_name=is_name)
            if text[start:end] != ISOLATED_LATIN:
                units.append((start, end, LATIN_ISOLATE))
    return _number_units(text, units)


def _number_units(text, units):
    taken = [(start, end) for start, end, _tag in units]
    for match in NUMBER.finditer(text):
        if not any(start < match.end() and match.start() < end for start, end in taken):
            units.append((match.start(), match.end(), NUMBER_ISOLATE))
    return sorted(units)


def _split(node, offset):
    """`node` cut in two at `offset` of its text; an element becomes two copies."""
    if isinstance(node, str):
        return node[:offset], node[offset:]
    left, right, position = [], [], 0
    for child in node.children:
        length = _length(child)
        if position + length <= offset:
            left.append(child)
        elif position >= offset:
            right.append(child)
        else:
            before, after = _split(child, offset - position)
            left.append(before)
            right.append(after)
        position += length
    return node.copy(left), node.copy(right)


def _wrap(nodes, units):
    """`nodes` with each unit (start, end, start tag; sorted, apart) in an isolate.

    A unit inside one element is wrapped there; one that crosses an element's
    edge cuts that element in two, so that the isolate holds both parts' words.
    """
    result, nodes, units = [], list(nodes), list(units)
    position, index = 0, 0
    while units:
        start, end, start_tag = units[0]
        node = nodes[index]
        node_end = position + _length(node)
        if node_end <= start:
            result.append(node)
            position, index = node_end, index + 1
            continue
        inside = isinstance(node, _Element) and not node.whole
        if (
            inside
            and position <= start
            and end <= node_end
            and (start, end) != (position, node_end)
        ):
            inner = []
            while units and units[0][1] <= node_end:
                unit_start, unit_end, unit_tag = units.pop(0)
                inner.append((unit_start - position, unit_end - position, unit_tag))
            nodes[index] = node.copy(_wrap(node.children, inner))
            continue
        if position < start:
            before, nodes[index] = _split(node, start - position)
            result.append(before)
            position = start
            continue
        isolated = []
        while position < end:
            node = nodes[index]
            node_end = position + _length(node)
            if node_end > end:
                inside_part, nodes[index] = _split(node, end - position)
                isolated.append(inside_part)
                position = end
            else:
                isolated.append(node)
                position, index = node_end, index + 1
        result.append(_Isolate(start_tag, isolated))
        units.pop(0)
    return result + nodes[index:]


def _isolate_inline(nodes):
    if not nodes:
        return []
    pieces, words = [], {}
    _flatten(nodes, pieces, words)
    units = _units("".join(pieces), words)
    return _wrap(nodes, units) if units else nodes


def _isolate_block(element):
    if element.isolated:
        return
    children, inline = [], []
    for child in element.children:
        if isinstance(child, _Element) and child.tag in BLOCK_ELEMENTS:
            children += _isolate_inline(inline)
            inline = []
            _isolate_block(child)
            children.append(child)
        elif isinstance(child, _Raw) and child.markup[1:3].lower() == "hr":
            children += _isolate_inline(inline)
            inline = []
            children.append(child)
        else:
            inline.append(child)
    element.children = children + _isolate_inline(inline)


def _serialize(nodes, output):
    for node in nodes:
        if isinstance(node, str):
            output.append(html.escape(node, quote=False))
        elif isinstance(node, _Raw):
            output.append(node.markup)
        elif isinstance(node, _Isolate):
            output.append(node.start_tag)
            _serialize(node.children, output)
            output.append("</bdi>")
        else:
            output.append(node.start_tag)
            _serialize(node.children, output)
            output.append(f"</{node.tag}>")


def isolate_latin_runs(html_text):
    """`html_text`, a fragment shown in a right-to-left language, with its Latin
    phrases, symbols and phone-like numbers isolated in `<bdi dir="ltr">` and
    its code marked left to right, by the rules in this module's docstring.

    Only text is touched: tags, attributes and entities are copied, and what
    an editor isolated is left as it is.
    """
    builder = _TreeBuilder()
    builder.feed(html_text)
    builder.close()
    _isolate_block(builder.root)
    output = []
    _serialize(builder.root.children, output)
    return "".join(output)


# Titles, ledes and headings are isolated each time a page is rendered, and the
# same few come back on every page: remembered, they cost a lookup.
@functools.lru_cache(maxsize=2048)
def isolate_latin_text(text):
    """Plain `text` (a title, a lede) as escaped HTML, isolated like a block's text."""
    if not LATIN_LETTER_OR_DIGIT.search(text):
        return html.escape(text, quote=False)
    output = []
    _serialize(_isolate_inline([text]), output)
    return "".join(output)


def mark_direction(text):
    """`text`, a string of a right-to-left language shown where it cannot hold
    markup, opened with a right-to-left mark when its first letter or digit is
    not right-to-left ("Guru היא…", "2026: …"). Any other text is returned as it is.
    """
    first = LETTER_OR_DIGIT.search(text or "")
    if first is None or RTL_LETTER.match(first.group()) or text.startswith(RLM):
        return text
    return RLM + text
