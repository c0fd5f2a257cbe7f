"""The site's layout in both directions and both colour schemes, on a phone (390 px)
and a desk (1280 px): header, content and footer share the frame's start edge, the
brand stands at the start of the reading direction, nothing scrolls sideways; lists
fill the desk with cards while an article keeps its reading column; no phrase of the
header, byline, footer or call to action breaks across lines on a phone. Every run
leaves its screenshots in test-artifacts/layout/ (CI keeps the folder)."""

import pytest

from articles.launch.editor import TOUR_PAGE_REVISIONS
from articles.models import Article, TourPage
from articles.writing import editing

from .conftest import ARTIFACTS, TOLERANCE_PX, content_box, has_horizontal_scroll

pytestmark = pytest.mark.browser

WIDTHS = {"phone": 390, "desk": 1280}
SCHEMES = ["light", "dark"]
PAGES = ["home", "article", "author", "topic", "tour", "not-found"]
LANGUAGES = [("tr", "ltr"), ("he", "rtl")]

# The phrases a reader meets whole: each stands on one line, or its line breaks
# only between words of a sentence (a headline) and never inside a name, a date
# or a link.
PHRASES = [
    ".site-brand",
    ".site-nav a",
    ".site-tour",
    ".language-switcher a",
    ".byline-text > *",
    ".card-meta > *",
    ".site-footer h2",
    ".site-footer a",
    ".footer-name",
    ".tour-cta-eyebrow",
    ".tour-cta .button",
    ".tour-action .button",
]

# How many lines each element's text takes: its text's boxes, by their top edge.
LINE_COUNTS = """elements => elements.map(element => {
    const range = document.createRange();
    range.selectNodeContents(element);
    const tops = new Set();
    for (const box of range.getClientRects()) {
        if (box.width > 0 && box.height > 0) tops.add(Math.round(box.top / 4));
    }
    return {text: element.textContent.trim(), lines: tops.size};
})"""

# The words of an element's text, each with the top of its box, in text order.
WORD_TOPS = """element => {
    const words = [];
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const match of node.data.matchAll(/\\S+/g)) {
            const range = document.createRange();
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            const box = range.getBoundingClientRect();
            words.push({word: match[0], top: Math.round(box.top)});
        }
    }
    return words;
}"""


CARDS = [
    ("Destek ekibinizi ölçmek", "מדידת צוות התמיכה"),
    ("Self-servis bilgi bankası", "מאגר ידע לשירות עצמי"),
    ("Çok dilli destek ekipleri", "צוותי תמיכה רב־לשוניים"),
]


@pytest.fixture
def site(article, launch, edit):
    """The launch article and smaller ones on its topic, so lists hold a row of cards;
    the tour page's words the launch content's, as the editor wrote them."""
    edit(article, topic=launch.topic, author=launch.author)
    edit(TourPage.objects.get(), **TOUR_PAGE_REVISIONS[0].values)
    for title_tr, title_he in CARDS:
        editing.save(
            Article(
                title_tr=title_tr,
                lede_tr="Kısa bir giriş.",
                body_tr="Metin.",
                title_he=title_he,
                lede_he="פתיח קצר.",
                body_he="טקסט.",
                is_published_tr=True,
                is_published_he=True,
                topic=launch.topic,
                author=launch.author,
            )
        )
    return launch


def address(kind, launch, language):
    if kind == "home":
        return f"/{language}/"
    if kind == "tour":
        return f"/{language}/tour/"
    if kind == "not-found":
        return f"/{language}/nothing-here/"
    owner = {"article": launch, "author": launch.author, "topic": launch.topic}[kind]
    return owner.get_absolute_url(language)


def start_edge(box, direction):
    return box["right"] if direction == "rtl" else box["left"]


def open_page(page, url, *, width, scheme):
    page.set_viewport_size({"width": WIDTHS[width], "height": 800})
    page.emulate_media(color_scheme=scheme)
    response = page.goto(url)
    # Lazy pictures load once scrolled to, so that the screenshot shows them.
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    page.evaluate("window.scrollTo(0, 0)")
    return response


def last_line_words(page, selector):
    """How many words stand on the last line of the first `selector`, and on how
    many lines its words stand."""
    words = page.locator(selector).first.evaluate(WORD_TOPS)
    tops = sorted({word["top"] for word in words})
    return sum(1 for word in words if word["top"] == tops[-1]), len(tops)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize(("language", "direction"), LANGUAGES)
@pytest.mark.parametrize("kind", PAGES)
def test_header_content_and_footer_share_the_frames_start(
    page, site, kind, language, direction, width, scheme
):
    response = open_page(page, address(kind, site, language), width=width, scheme=scheme)
    assert response.status == (404 if kind == "not-found" else 200)
    folder = ARTIFACTS / "layout"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / f"{kind}-{language}-{width}-{scheme}.png", full_page=True)

    column = start_edge(content_box(page, "main"), direction)
    for part in (".site-bar", ".site-footer-inner"):
        assert start_edge(content_box(page, part), direction) == pytest.approx(
            column, abs=TOLERANCE_PX
        ), part
    brand = page.locator(".site-brand").bounding_box()
    brand_start = brand["x"] + brand["width"] if direction == "rtl" else brand["x"]
    assert brand_start == pytest.approx(column, abs=TOLERANCE_PX)
    assert not has_horizontal_scroll(page)


@pytest.mark.parametrize(("language", "direction"), LANGUAGES)
def test_the_footer_reaches_the_foot_of_the_window_on_a_short_page(page, site, language, direction):
    open_page(page, address("not-found", site, language), width="phone", scheme="light")
    page.set_viewport_size({"width": WIDTHS["phone"], "height": 1600})
    footer = page.locator(".site-footer").bounding_box()
    assert footer["y"] + footer["height"] == pytest.approx(1600, abs=TOLERANCE_PX)


@pytest.mark.parametrize("language", ["tr", "he"])
def test_the_home_page_fills_more_than_three_fifths_of_a_desk_with_its_cards(page, site, language):
    open_page(page, f"/{language}/", width="desk", scheme="light")
    cards = page.locator(".card").evaluate_all(
        "cards => cards.map(card => card.getBoundingClientRect())"
        ".map(box => ({left: box.left, right: box.right}))"
    )
    used = max(box["right"] for box in cards) - min(box["left"] for box in cards)
    assert used > 0.6 * WIDTHS["desk"]
    # Two cards or more side by side in the grid.
    tops = page.locator(".card-grid .card").evaluate_all(
        "cards => cards.map(card => Math.round(card.getBoundingClientRect().top))"
    )
    assert len(tops) > len(set(tops))


@pytest.mark.parametrize("language", ["tr", "he"])
def test_an_article_keeps_its_reading_column_and_puts_its_contents_beside_it(page, site, language):
    open_page(page, site.get_absolute_url(language), width="desk", scheme="light")
    body = page.locator(".article-body").bounding_box()
    contents = page.locator(".toc").bounding_box()
    assert body["width"] <= 42 * 16 + TOLERANCE_PX
    beside = (
        contents["x"] > body["x"] + body["width"]
        if language == "tr"
        else (contents["x"] + contents["width"] < body["x"])
    )
    assert beside


# Phones around 390 px: where a line ends depends on the width, so that a phrase
# breaking at one of them is found whatever the texts' lengths.
PHONE_WIDTHS = range(360, 431, 5)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("language", ["tr", "he"])
@pytest.mark.parametrize("kind", ["home", "article", "tour"])
def test_no_phrase_of_the_header_byline_footer_or_call_to_action_breaks_on_a_phone(
    page, site, kind, language, scheme
):
    open_page(page, address(kind, site, language), width="phone", scheme=scheme)
    broken = set()
    for width in PHONE_WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        broken |= {
            (width, selector, element["text"])
            for selector in PHRASES
            for element in page.locator(selector).evaluate_all(LINE_COUNTS)
            if element["lines"] > 1
        }
    assert sorted(broken) == []


def lone_last_words(page, selector, widths):
    """The widths at which the first `selector` leaves one word alone on its last line."""
    lone = []
    for width in widths:
        page.set_viewport_size({"width": width, "height": 800})
        words, lines = last_line_words(page, selector)
        if lines > 1 and words == 1:
            lone.append(width)
    return lone


@pytest.mark.parametrize("language", ["tr", "he"])
def test_the_call_to_action_headline_never_leaves_a_word_alone_on_its_last_line(
    page, site, language
):
    open_page(page, site.get_absolute_url(language), width="phone", scheme="light")
    assert lone_last_words(page, ".tour-cta-text", [*PHONE_WIDTHS, WIDTHS["desk"]]) == []
    assert " - " not in page.locator(".tour-cta-text").inner_text()


@pytest.mark.parametrize("language", ["tr", "he"])
def test_the_home_headline_never_leaves_a_word_alone_on_its_last_line(page, site, language):
    open_page(page, f"/{language}/", width="phone", scheme="light")
    assert lone_last_words(page, "h1", [*PHONE_WIDTHS, WIDTHS["desk"]]) == []


@pytest.mark.parametrize("language", ["tr", "he"])
def test_cards_stand_in_a_grid_on_a_desk_and_one_above_the_other_on_a_phone(page, site, language):
    open_page(page, site.topic.get_absolute_url(language), width="desk", scheme="light")
    first, second = page.locator(".card-grid .card").all()[:2]
    assert first.bounding_box()["y"] == pytest.approx(second.bounding_box()["y"], abs=1)
    image, text = first.locator(".card-image"), first.locator(".card-text")
    assert image.bounding_box()["y"] + image.bounding_box()["height"] <= (
        text.bounding_box()["y"] + TOLERANCE_PX
    )

    page.set_viewport_size({"width": WIDTHS["phone"], "height": 800})
    assert first.bounding_box()["y"] + first.bounding_box()["height"] <= (
        second.bounding_box()["y"] + TOLERANCE_PX
    )


@pytest.mark.parametrize("language", ["tr", "he"])
def test_pictures_are_dimmed_in_the_dark_scheme_only(page, site, language):
    filters = {}
    for scheme in SCHEMES:
        open_page(page, site.get_absolute_url(language), width="desk", scheme=scheme)
        filters[scheme] = page.locator(".article-figure img").evaluate(
            "image => getComputedStyle(image).filter"
        )
    assert filters["light"] == "none"
    assert "brightness" in filters["dark"]
