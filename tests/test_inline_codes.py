"""Inline Markdown as codes a translation tool protects, and back: pure functions."""

import pytest

from articles.launch import loader
from articles.text.rendering import render_body
from articles.text.segments import split_body
from articles.translating import inline
from articles.translating.inline import CLOSE, OPEN, STANDALONE, Code, CodeError

SAMPLES = [
    "Plain text, no marks.",
    "Some **bold**, *emphasis*, _more_ and __strong__.",
    'See [the **guide**](https://example.com/a_(b) "Title") now.',
    "Press `Ctrl+Enter` or read <https://example.com/help>.",
    '<bdi dir="ltr">Apple Genius Bar</bdi> תמיכה',
    "2 * 3 * 4 and snake_case_name stay text.",
    "***both*** and *a **b** c*",
    "an escaped \\*star\\* and \\[bracket]",
    "![a drawing](figure.png) beside text",
    "an unclosed **bold and a lone [bracket",
    "a line<br>break",
    "[**x**](https://a.example) [y](https://b.example)",
]


def tagged(text):
    return inline.protect(text)[0]


@pytest.mark.parametrize("text", SAMPLES)
def test_joining_the_runs_gives_the_text_back_unchanged(text):
    assert inline.join(inline.split(text)) == text


def test_every_block_of_the_launch_article_comes_back_unchanged():
    for language in ("tr", "he"):
        body = (loader.LAUNCH_DIR / f"body.{language}.md").read_text()
        for block in split_body(body):
            assert inline.join(inline.split(block.text)) == block.text


def test_bold_emphasis_and_links_are_pairs_around_translatable_text():
    assert tagged("Some **bold**, *emphasis* and [a link](https://example.com).") == (
        'Some <g id="1">bold</g>, <g id="2">emphasis</g> and <g id="3">a link</g>.'
    )


def test_a_links_address_is_in_its_closing_code_not_in_the_text():
    runs = inline.split("[the guide](https://example.com/guide)")
    assert inline.plain(runs) == "the guide"
    assert runs[-1] == Code("1", CLOSE, inline.LINK, "](https://example.com/guide)")


def test_inline_code_automatic_links_and_images_are_standalone_codes():
    assert tagged("Press `Ctrl+Enter`, see <https://example.com> or ![x](y.png)") == (
        'Press <x id="1"/>, see <x id="2"/> or <x id="3"/>'
    )


def test_nested_marks_are_nested_pairs():
    assert tagged("[the **guide**](https://example.com)") == (
        '<g id="1">the <g id="2">guide</g></g>'
    )
    assert tagged("***both***") == '<g id="1"><g id="2">both</g></g>'


def test_an_html_element_around_a_phrase_is_a_pair():
    assert tagged('<bdi dir="ltr">Apple</bdi> ve') == '<g id="1">Apple</g> ve'


@pytest.mark.parametrize(
    "text", ["2 * 3 * 4", "snake_case_name", "an \\*escaped\\* star", "unclosed **bold"]
)
def test_what_markdown_does_not_mark_stays_text(text):
    assert inline.split(text) == [text]


def test_text_is_escaped_in_tags_for_a_machine_translation():
    assert tagged("a < b & **c**") == 'a &lt; b &amp; <g id="1">c</g>'


def test_each_code_stands_for_what_the_renderer_marks():
    text = "A **b** *c* [d](https://example.com) `e` <https://f.example>"
    rendered = render_body(text, language="tr").html
    types = [run.type for run in inline.split(text) if isinstance(run, Code) and run.kind != CLOSE]
    assert types == ["bold", "emphasis", "link", "code", "link"]
    for element in ("<strong>b</strong>", "<em>c</em>", 'href="https://example.com"', "<code>e"):
        assert element in rendered


# Back from a translation


def test_a_translation_that_moves_a_link_keeps_its_address():
    text = "Read [the guide](https://example.com/guide) first."
    masked, codes = inline.protect(text)
    assert masked == 'Read <g id="1">the guide</g> first.'
    assert inline.restore('<g id="1">המדריך</g> קראו קודם את', codes) == (
        "[המדריך](https://example.com/guide) קראו קודם את"
    )


def test_a_translation_cannot_change_where_a_link_leads():
    codes = inline.codes_of(inline.split("[a](https://example.com)"))
    runs = ["x", Code("1", OPEN, markup="["), "b", Code("1", CLOSE, markup="](https://evil)")]
    assert inline.rebuild(runs, codes) == "x[b](https://example.com)"


def test_a_missing_code_is_refused_and_named():
    codes = inline.protect("**a** and `b`")[1]
    with pytest.raises(CodeError) as refused:
        inline.restore('<g id="1">a</g> and', codes)
    assert (refused.value.problem, refused.value.code_id) == (inline.MISSING, "2")


def test_a_code_given_twice_is_refused():
    codes = inline.protect("`b` here")[1]
    with pytest.raises(CodeError) as refused:
        inline.restore('<x id="1"/> and <x id="1"/>', codes)
    assert refused.value.problem == inline.DUPLICATED


def test_a_code_the_source_does_not_have_is_refused():
    codes = inline.protect("plain")[1]
    with pytest.raises(CodeError) as refused:
        inline.restore('plain <x id="7"/>', codes)
    assert (refused.value.problem, refused.value.code_id) == (inline.UNKNOWN, "7")


def test_pairs_crossing_each_other_are_refused():
    codes = inline.codes_of(inline.split("**a** *b*"))
    runs = [
        Code("1", OPEN),
        "a",
        Code("2", OPEN),
        Code("1", CLOSE),
        "b",
        Code("2", CLOSE),
    ]
    with pytest.raises(CodeError) as refused:
        inline.rebuild(runs, codes)
    assert refused.value.problem == inline.MISNESTED


def test_a_pair_left_open_is_refused():
    codes = inline.codes_of(inline.split("**a**"))
    with pytest.raises(CodeError):
        inline.rebuild([Code("1", OPEN), "a"], codes)


def test_a_standalone_code_cannot_stand_for_a_pair():
    codes = inline.codes_of(inline.split("**a**"))
    with pytest.raises(CodeError):
        inline.rebuild([Code("1", STANDALONE)], codes)
