"""The site's layout in both directions, on a phone (360 px) and a desk (1280 px):
header, content and footer share the text column's edges, the brand stands at the
start of the reading direction, nothing scrolls sideways. Every run leaves its
screenshots in test-artifacts/layout/ (CI keeps the folder)."""

import pytest

from .conftest import ARTIFACTS, TOLERANCE_PX, content_box, has_horizontal_scroll

pytestmark = pytest.mark.browser

WIDTHS = {"phone": 360, "desk": 1280}
PAGES = ["home", "article", "author", "topic", "tour"]


@pytest.fixture
def site(article, launch, edit):
    """The launch article and a smaller one on its topic, so lists hold cards."""
    edit(article, topic=launch.topic, author=launch.author)
    return launch


def address(kind, launch, language):
    if kind == "home":
        return f"/{language}/"
    if kind == "tour":
        return f"/{language}/tour/"
    owner = {"article": launch, "author": launch.author, "topic": launch.topic}[kind]
    return owner.get_absolute_url(language)


def boxes(card):
    return card.locator(".card-image").bounding_box(), card.locator(".card-text").bounding_box()


def start_edge(box, direction):
    return box["right"] if direction == "rtl" else box["left"]


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize(("language", "direction"), [("tr", "ltr"), ("he", "rtl")])
@pytest.mark.parametrize("kind", PAGES)
def test_header_content_and_footer_share_the_columns_start(
    page, site, kind, language, direction, width
):
    page.set_viewport_size({"width": WIDTHS[width], "height": 800})
    assert page.goto(address(kind, site, language)).status == 200
    folder = ARTIFACTS / "layout"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / f"{kind}-{language}-{width}.png", full_page=True)

    column = start_edge(content_box(page, "main"), direction)
    for part in (".site-bar", ".site-nav", ".site-footer-inner"):
        assert start_edge(content_box(page, part), direction) == pytest.approx(
            column, abs=TOLERANCE_PX
        ), part
    brand = page.locator(".site-brand").bounding_box()
    brand_start = brand["x"] + brand["width"] if direction == "rtl" else brand["x"]
    assert brand_start == pytest.approx(column, abs=TOLERANCE_PX)
    assert page.locator(".site-logo").evaluate("image => image.naturalWidth") > 0
    assert not has_horizontal_scroll(page)


@pytest.mark.parametrize(("language", "direction"), [("tr", "ltr"), ("he", "rtl")])
def test_cards_put_their_image_at_the_start_on_a_desk_and_above_on_a_phone(
    page, site, language, direction
):
    page.set_viewport_size({"width": WIDTHS["desk"], "height": 800})
    page.goto(site.topic.get_absolute_url(language))
    card = page.locator(".card").first
    image, text = boxes(card)
    if direction == "rtl":
        assert image["x"] > text["x"]
    else:
        assert image["x"] < text["x"]

    page.set_viewport_size({"width": WIDTHS["phone"], "height": 800})
    image, text = boxes(card)
    assert image["y"] + image["height"] <= text["y"] + TOLERANCE_PX
