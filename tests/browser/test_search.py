"""Search results as readers see them, in both directions, on a phone and a desk: the
words found marked in the title and the excerpt, the excerpt in the page's
direction with Latin inside Hebrew read left to right, nothing scrolling
sideways. Every run leaves its screenshots in test-artifacts/search/."""

import pytest

from .conftest import ARTIFACTS, computed_direction, has_horizontal_scroll

pytestmark = pytest.mark.browser

WIDTHS = {"phone": 360, "desk": 1280}
# An inflected Turkish word, a Hebrew one with two prefixes, a Latin name in Hebrew.
QUERIES = {"tr": "deneyimlerimiz", "he": "וללקוחות", "he-latin": "CX"}


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize(
    ("name", "language", "direction"), [("tr", "tr", "ltr"), ("he", "he", "rtl")]
)
def test_results_mark_the_words_found_in_the_pages_direction(
    page, launch, name, language, direction, width
):
    page.set_viewport_size({"width": WIDTHS[width], "height": 900})
    response = page.goto(f"/{language}/search/?q={QUERIES[name]}")
    assert response.status == 200
    folder = ARTIFACTS / "search"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / f"{name}-{width}.png", full_page=True)

    result = page.locator(".search-result").first
    assert result.locator("h2 a").get_attribute("href") == launch.get_absolute_url(language)
    marks = result.locator(".search-result-excerpt mark")
    assert marks.count() > 0
    assert marks.first.is_visible()
    assert computed_direction(page, ".search-result-excerpt") == direction
    assert not has_horizontal_scroll(page)


def test_latin_marked_inside_a_hebrew_excerpt_reads_left_to_right(page, launch):
    assert page.goto(f"/he/search/?q={QUERIES['he-latin']}").status == 200
    page.screenshot(path=ARTIFACTS / "search" / "he-latin.png", full_page=True)
    mark = page.locator(".search-result-excerpt mark", has_text="CX").first
    assert mark.evaluate("mark => getComputedStyle(mark.parentElement).direction") == "ltr"
    # The Hebrew around it stays right to left.
    assert computed_direction(page, ".search-result-excerpt") == "rtl"
