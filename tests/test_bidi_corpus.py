"""The mixed-direction corpus (tests/data/bidi_corpus.toml) against the Unicode
bidi algorithm (UAX #9, as python-bidi implements it): the site's rendering
reads as each case expects, and each case says truly whether plain UAX #9,
with no markup, would already do.

The browser reads the same corpus from Chromium's layout: tests/browser/test_bidi_corpus.py.
"""

import re
from html.parser import HTMLParser

import pytest
from bidi import get_display

from articles.text.rendering import render_body

from .bidi_corpus import CORPUS, WHITESPACE, reading_units

# Left-to-right, right-to-left and first-strong isolates, and their end.
LRI, RLI, FSI, PDI = "\u2066", "\u2067", "\u2068", "\u2069"
ISOLATE_CONTROLS = re.compile(f"[{LRI}{RLI}{FSI}{PDI}]")


def screen_order(reads):
    """The characters of a right-to-left line read as `reads` says, from the left
    edge of the screen to the right, spaces left out."""
    return "".join(
        text if is_island else text[::-1] for text, is_island in reversed(reading_units(reads))
    )


class _BidiText(HTMLParser):
    """The text of an HTML fragment with its isolating elements as UAX #9 isolates."""

    def __init__(self, *, with_isolates):
        super().__init__(convert_charrefs=True)
        self.with_isolates = with_isolates
        self.text, self.open = [], []

    def handle_starttag(self, tag, attrs):
        direction = dict(attrs).get("dir")
        if tag in {"br", "img", "hr"}:
            return
        if direction == "ltr":
            control = LRI
        elif direction == "rtl":
            control = RLI
        elif direction == "auto" or tag == "bdi":
            control = FSI
        else:
            control = None
        if control and self.with_isolates:
            self.text.append(control)
        self.open.append(control)

    def handle_endtag(self, tag):
        if self.open and self.open.pop() and self.with_isolates:
            self.text.append(PDI)

    def handle_data(self, data):
        self.text.append(data)


def bidi_text(html, *, with_isolates):
    parser = _BidiText(with_isolates=with_isolates)
    parser.feed(html)
    parser.close()
    return "".join(parser.text).strip()


def shown(text):
    """`text` laid out by UAX #9 in a right-to-left paragraph, left to right, spaces left out."""
    display = get_display(text, base_dir="R")
    return WHITESPACE.sub("", ISOLATE_CONTROLS.sub("", display))


def rendered(case):
    return render_body(case["text"], language="he").html


def case_id(case):
    return case["name"]


def test_corpus_has_forty_cases_or_more():
    assert len(CORPUS) >= 40


@pytest.mark.parametrize("case", CORPUS, ids=case_id)
def test_each_case_renders_to_one_block(case):
    html = rendered(case)
    assert re.fullmatch(r"<(\w+)[^>]*>.*</\1>", html, re.S), html


@pytest.mark.parametrize("case", CORPUS, ids=case_id)
def test_rendered_case_reads_as_expected_under_uax9(case):
    text = bidi_text(rendered(case), with_isolates=True)
    assert shown(text) == screen_order(case["reads"]), rendered(case)


@pytest.mark.parametrize("case", CORPUS, ids=case_id)
def test_case_says_truly_whether_plain_uax9_suffices(case):
    plain = bidi_text(rendered(case), with_isolates=False)
    assert (shown(plain) == screen_order(case["reads"])) is case["plain_uax9"], shown(plain)


@pytest.mark.parametrize("case", [case for case in CORPUS if not case["plain_uax9"]], ids=case_id)
def test_case_that_needs_markup_says_why(case):
    assert case.get("why", "").strip()


def test_reading_units_treat_spaces_and_single_characters_alike():
    assert reading_units("ב-[[C]] [[Apple  Bar]]") == reading_units("ב- C [[AppleBar]]")


def test_screen_order_keeps_islands_left_to_right_and_the_rest_right_to_left():
    assert screen_order("אב [[Hi there]] ג") == "גHithereבא"
