"""Two editors in two browsers save the same article: the second is told, and keeps their text."""

import pytest
from playwright.sync_api import expect

from articles.models import Article

from .conftest import TIMEOUT_MS, screenshot_if_failed, show_language

pytestmark = pytest.mark.browser

PASSWORD = "a-long-and-unusual-password"


@pytest.fixture
def editors(db, django_user_model):
    return [
        django_user_model.objects.create_superuser(
            username, f"{username}@example.com", PASSWORD, first_name=first, last_name=last
        )
        for username, first, last in [("ayse", "Ayşe", "Yılmaz"), ("mehmet", "Mehmet", "Kaya")]
    ]


@pytest.fixture
def second_page(browser, live_server, request):
    """A page in a browser context of its own: the second editor's, with their own session."""
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    screenshot_if_failed(page, request, suffix="-second-editor")
    context.close()


def log_in(page, user):
    page.goto("/en/admin/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-form [type=submit]").click()
    expect(page.locator("#user-tools")).to_be_visible()


def retitle_in_hebrew(page, title):
    show_language(page, "he")
    page.locator("#id_title_he").fill(title)
    page.locator('[name="_save"]').click()


def test_second_editor_is_told_of_the_first_save_and_keeps_their_text(
    page, second_page, editors, article
):
    first_editor, second_editor = editors
    log_in(page, first_editor)
    log_in(second_page, second_editor)
    change_path = f"/en/admin/articles/article/{article.pk}/change/"
    page.goto(change_path)
    second_page.goto(change_path)

    retitle_in_hebrew(page, "הכותרת של עיישה")
    expect(page.locator(".messagelist .success")).to_be_visible()

    retitle_in_hebrew(second_page, "הכותרת של מהמט")

    message = second_page.locator(".errorlist.nonfield")
    expect(message).to_contain_text("Someone else saved this article at")
    expect(message).to_contain_text("(Ayşe Yılmaz) after you opened it")
    conflict = second_page.locator(".edit-conflict")
    expect(conflict).to_contain_text("Your changes are below and have not been saved.")
    expect(conflict.locator(".diff-changed ins")).to_have_text("הכותרת של עיישה")
    expect(second_page.locator("#id_title_he")).to_have_value("הכותרת של מהמט")
    assert Article.objects.get().title_he == "הכותרת של עיישה"
