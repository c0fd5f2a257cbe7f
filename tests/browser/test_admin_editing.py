"""What an editor sees in the admin: one language switch, each input in its own direction."""

import pytest
from playwright.sync_api import expect

from articles.models import Article

from .conftest import computed_direction, show_language

pytestmark = pytest.mark.browser


def change_page_path(article):
    return f"/tr/admin/articles/article/{article.pk}/change/"


def test_editor_retitles_the_hebrew_article_after_switching_to_hebrew(admin_page, article):
    page = admin_page
    page.goto(change_page_path(article))
    hebrew_title = page.locator("#id_title_he")
    expect(hebrew_title).to_be_hidden()

    show_language(page, "he")

    expect(hebrew_title).to_be_visible()
    assert computed_direction(page, "#id_title_he") == "rtl"
    assert computed_direction(page, "#id_title_tr") == "ltr"

    hebrew_title.fill("אור חדש")
    page.locator('[name="_save"]').click()
    expect(page.locator(".messagelist .success")).to_be_visible()

    # Only the title changed, so the Hebrew slug, and the article's address, stay as they were.
    page.goto(article.get_absolute_url("he"))
    expect(page.locator("h1")).to_have_text("אור חדש")


def test_article_change_page_works_offline(admin_page, article, outside_requests):
    page = admin_page
    errors = []

    def keep_console_error(message):
        if message.type == "error":
            errors.append(message.text)

    page.on("console", keep_console_error)
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(change_page_path(article))

    expect(page.locator("#language-switch")).to_be_visible()
    assert errors == []
    assert outside_requests == []


def test_saving_the_launch_article_unchanged_from_a_browser_changes_nothing(
    admin_page, launch, revisions
):
    """A browser sends every textarea's line breaks as CRLF: that is not a change."""
    page = admin_page
    columns = [field.attname for field in Article.columns()]
    stored_before = Article.objects.values(*columns).get()
    versions_before = len(revisions(launch))
    page.goto(launch.get_absolute_url("he"))
    reader_page_before = page.content()

    page.goto(change_page_path(launch))
    page.locator('[name="_save"]').click()
    expect(page.locator(".messagelist .success")).to_be_visible()

    assert Article.objects.values(*columns).get() == stored_before
    assert len(revisions(launch)) == versions_before
    page.goto(launch.get_absolute_url("he"))
    assert page.content() == reader_page_before
