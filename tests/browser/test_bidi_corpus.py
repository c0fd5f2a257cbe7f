"""The mixed-direction corpus (tests/data/bidi_corpus.toml) as Chromium lays it out.

Every case is a block of one Hebrew article, rendered through the site's own
write path. The order a reader meets the characters in is read from their
layout boxes: each line from right to left, where characters that follow one
another in the text but stand left to right on the screen are a stretch shown
left to right ([[…]] in the corpus). A stretch that a line break cuts in two
is one stretch, as a reader sees it.
"""

import pytest

from articles.models import Article
from articles.writing import editing

from ..bidi_corpus import CORPUS, normalized, reading_units, written

pytestmark = pytest.mark.browser

WIDTHS = [390, 1280]

# For each block of the body: its non-space characters, in text order, with the
# middle of each one's box.
CHARACTER_BOXES = """blocks => blocks.map(block => {
    const characters = [];
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (let offset = 0; offset < node.data.length; offset++) {
            if (/\\s/.test(node.data[offset])) continue;
            const range = document.createRange();
            range.setStart(node, offset);
            range.setEnd(node, offset + 1);
            const box = range.getBoundingClientRect();
            characters.push({
                text: node.data[offset],
                x: box.left + box.width / 2,
                y: box.top + box.height / 2,
                height: box.height,
            });
        }
    }
    return characters;
})"""


@pytest.fixture
def corpus_article(db):
    article = Article(
        title_he="מקרי בוחן",
        body_he="\n\n".join(case["text"] for case in CORPUS),
        is_published_he=True,
    )
    return editing.save(article).obj


def lines_of(characters):
    """The characters' indexes in the text, line by line from the top, each line
    from right to left."""
    lines = []
    for index in sorted(range(len(characters)), key=lambda index: characters[index]["y"]):
        character = characters[index]
        if lines and character["y"] - lines[-1]["y"] < character["height"] / 2:
            lines[-1]["indexes"].append(index)
        else:
            lines.append({"y": character["y"], "indexes": [index]})
    return [sorted(line["indexes"], key=lambda index: -characters[index]["x"]) for line in lines]


def stretches(line):
    """A line's indexes, right to left, cut where the next character is not the
    one before it in the text: the runs of two or more are shown left to right."""
    runs = []
    for index in line:
        if runs and index == runs[-1][-1] - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs


def reading_of(characters):
    """The order a reader meets `characters` in, as normalized [(text, left to right)]."""
    runs = []
    for line in lines_of(characters):
        line_runs = stretches(line)
        first = line_runs[0]
        # A stretch that a line break cut in two: it ends one line, its rest opens the next.
        if runs and len(runs[-1]) > 1 and len(first) > 1 and min(first) == max(runs[-1]) + 1:
            runs[-1] = first + runs[-1]
            line_runs = line_runs[1:]
        runs += line_runs
    return normalized(
        ("".join(characters[index]["text"] for index in sorted(run)), len(run) > 1) for run in runs
    )


def test_the_corpus_renders_one_block_per_case(page, corpus_article):
    page.goto(corpus_article.get_absolute_url("he"))
    assert page.locator(".article-body > *").count() == len(CORPUS)


@pytest.mark.parametrize("width", WIDTHS)
def test_every_corpus_case_reads_in_the_expected_order(page, corpus_article, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(corpus_article.get_absolute_url("he"))
    blocks = page.locator(".article-body > *").evaluate_all(CHARACTER_BOXES)

    wrong = [
        f"{case['name']}\n  expected: {case['reads']}\n  shown:    {written(reading_of(boxes))}"
        for case, boxes in zip(CORPUS, blocks, strict=True)
        if reading_of(boxes) != reading_units(case["reads"])
    ]
    assert not wrong, "\n".join(wrong)


@pytest.fixture
def phone_number(db):
    article = Article(
        title_he="טלפון",
        body_he="התקשרו אלינו בכל שעה למספר +90 212 555 00 00 ונשמח לעזור.",
        is_published_he=True,
    )
    return editing.save(article).obj


def test_a_phone_number_never_breaks_across_lines(page, phone_number):
    page.goto(phone_number.get_absolute_url("he"))
    # Narrower than the number: without nowrap it would break at each space.
    page.locator(".article-body p").evaluate("paragraph => { paragraph.style.inlineSize = '4em'; }")
    number = page.locator(".article-body bdi.number")
    assert number.evaluate("element => element.getClientRects().length") == 1
