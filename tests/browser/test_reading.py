"""What a reader sees and clicks: direction, the table of contents, switching language, the tour."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import (
    TOLERANCE_PX,
    computed_direction,
    content_box,
    has_horizontal_scroll,
    text_box,
)

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
# Short enough that the article's first section heading starts below the fold.
SHORT_WINDOW = {"width": 800, "height": 400}


def test_hebrew_article_page_is_right_to_left(page, article):
    page.goto(article.get_absolute_url("he"))

    assert computed_direction(page, "html") == "rtl"
    assert computed_direction(page, "body") == "rtl"


def test_hebrew_title_and_contents_start_at_the_right_edge(page, article, outside_requests):
    # On a desk the contents stand beside the reading column (tests/browser/test_layout.py).
    page.set_viewport_size(PHONE)
    page.goto(article.get_absolute_url("he"))
    column = content_box(page, "main")
    contents = page.locator(".toc").bounding_box()

    assert text_box(page, "h1")["right"] == pytest.approx(column["right"], abs=TOLERANCE_PX)
    assert contents["x"] + contents["width"] == pytest.approx(column["right"], abs=TOLERANCE_PX)
    assert text_box(page, ".toc h2")["right"] == pytest.approx(
        content_box(page, ".toc")["right"], abs=TOLERANCE_PX
    )
    assert outside_requests == []


def test_turkish_article_page_is_left_to_right(page, article):
    page.goto(article.get_absolute_url("tr"))

    assert computed_direction(page, "html") == "ltr"
    assert computed_direction(page, "body") == "ltr"


def test_turkish_title_and_contents_start_at_the_left_edge(page, article, outside_requests):
    page.set_viewport_size(PHONE)
    page.goto(article.get_absolute_url("tr"))
    column = content_box(page, "main")
    contents = page.locator(".toc").bounding_box()

    assert text_box(page, "h1")["left"] == pytest.approx(column["left"], abs=TOLERANCE_PX)
    assert contents["x"] == pytest.approx(column["left"], abs=TOLERANCE_PX)
    assert text_box(page, ".toc h2")["left"] == pytest.approx(
        content_box(page, ".toc")["left"], abs=TOLERANCE_PX
    )
    assert outside_requests == []


@pytest.mark.parametrize(
    ("language", "heading_id"),
    [("he", "מהי-חווית-הלקוח-cx"), ("tr", "isik-ve-icindekiler")],
)
def test_first_contents_link_moves_to_its_heading(page, article, language, heading_id):
    page.set_viewport_size(SHORT_WINDOW)
    page.goto(article.get_absolute_url(language))
    heading = page.locator(f'.article-body h2[id="{heading_id}"]')
    expect(heading).not_to_be_in_viewport()

    page.locator(".toc a").first.click()

    expect(heading).to_be_in_viewport()
    assert page.evaluate("decodeURIComponent(location.hash.slice(1))") == heading_id


def test_language_switcher_leads_to_the_same_article_in_hebrew(page, article):
    page.goto(article.get_absolute_url("tr"))

    page.locator('.language-switcher a[lang="he"]').click()

    expect(page.locator("html")).to_have_attribute("lang", "he")
    expect(page.locator("h1")).to_have_text(article.title_he)


def test_tour_button_at_the_end_of_the_hebrew_article_leads_to_the_hebrew_tour(
    page, article, tour_page, live_server
):
    page.goto(article.get_absolute_url("he"))

    page.locator(".tour-cta .button").click()

    expect(page).to_have_url(re.compile(rf"^{re.escape(live_server.url)}/he/tour/\?utm_source="))
    expect(page.locator("h1")).to_have_text(tour_page.text_he)


@pytest.mark.parametrize("language", ["tr", "he"])
@pytest.mark.parametrize("page_name", ["list", "article", "tour"])
def test_phone_screen_has_no_horizontal_scroll(page, launch, language, page_name):
    paths = {
        "list": f"/{language}/",
        "article": launch.get_absolute_url(language),
        "tour": f"/{language}/tour/",
    }
    page.set_viewport_size(PHONE)

    response = page.goto(paths[page_name])

    assert response.ok
    assert not has_horizontal_scroll(page)


def test_a_reader_coming_back_sees_the_article_as_saved_since(page, article, edit):
    page.goto("/he/")
    page.locator(".card-title a").first.click()
    expect(page.locator("h1")).to_have_text(article.title_he)

    edit(article, title_he="כותרת אחרי השמירה")

    page.goto("/he/")
    page.locator(".card-title a").first.click()
    expect(page.locator("h1")).to_have_text("כותרת אחרי השמירה")
