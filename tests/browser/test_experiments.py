"""A reader in a real browser meets two variants of the call to action, takes the tour
from each, and marketing finds every step counted for the variant shown."""

import csv
import io

import pytest
from playwright.sync_api import expect

from marketing import experiments
from marketing.models import Experiment, Variant

from .conftest import TIMEOUT_MS, screenshot_if_failed

pytestmark = pytest.mark.browser

# Headless Chromium says "HeadlessChrome" in its user agent, and is rightly not
# counted; a person's Chromium says "Chrome".
PERSON_USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/156.0.0.0 Safari/537.36"
)


@pytest.fixture
def experiment(article, django_capture_on_commit_callbacks):
    experiment = Experiment.objects.create(name="Sözler", language="he", place="article")
    for key, text, label in [("a", "נסו את הסיור", "לסיור"), ("b", "ראו איך זה עובד", "הראו לי")]:
        Variant.objects.create(
            experiment=experiment, key=key, text=text, button_label=label, weight=50
        )
    with django_capture_on_commit_callbacks(execute=True):
        experiments.start(experiment)
    return experiment


@pytest.fixture
def new_reader(browser, live_server, outside_requests, request):
    """`new_reader()`: a page in a browser of its own. Readers all come from this
    machine's address, and one is counted once a day: each has its own version
    of Chrome, so the site tells them apart."""
    opened = []

    def open_page():
        user_agent = PERSON_USER_AGENT.replace("Chrome/156.", f"Chrome/{156 + len(opened)}.")
        context = browser.new_context(base_url=live_server.url, user_agent=user_agent)
        context.set_default_timeout(TIMEOUT_MS)
        context.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith(live_server.url)
                else (outside_requests.append(route.request.url), route.abort())
            ),
        )
        opened.append(context.new_page())
        return opened[-1]

    yield open_page
    for page in opened:
        screenshot_if_failed(page, request, suffix="-reader")
        page.context.close()


def test_each_variant_shown_is_counted_from_article_to_tour_button(
    new_reader, page, admin_user, article, experiment
):
    taken = {}
    for _attempt in range(20):
        reader = new_reader()
        reader.goto(article.get_absolute_url("he") + "?utm_source=mail&utm_campaign=spring")
        button = reader.locator(".tour-cta a.button")
        label = button.inner_text()
        key = "a" if label == "לסיור" else "b"
        if key in taken:
            continue
        # The image that counts the read has loaded before the reader moves on.
        expect(reader.locator("img.read-count")).to_have_js_property("complete", True)
        button.click()
        expect(reader.locator("h1")).to_be_visible()
        with reader.expect_request("**/tour/go/**"):
            reader.locator(".tour a.button").click()
        taken[key] = True
        if len(taken) == 2:
            break
    assert set(taken) == {"a", "b"}

    page.goto("/en/admin/login/")
    page.locator("#id_username").fill(admin_user.username)
    page.locator("#id_password").fill("password")
    page.locator("#login-form [type=submit]").click()
    page.goto(f"/en/admin/marketing/experiment/{experiment.pk}/results/")
    rows = page.locator(".campaign-table tbody tr")
    for index in range(2):
        cells = rows.nth(index).locator("td.number")
        # Each variant: read at least once, its call to action clicked once.
        assert int(cells.nth(0).inner_text()) >= 1
        assert cells.nth(1).inner_text() == "1"

    download = page.request.get(f"/en/admin/marketing/experiment/{experiment.pk}/results.csv")
    table = list(csv.DictReader(io.StringIO(download.text().lstrip("\ufeff"))))
    assert [(row["variant"], row["clicks"]) for row in table] == [
        ("a", "1"),
        ("b", "1"),
        ("unattributed", "0"),
    ]
    funnel = page.request.get("/en/admin/marketing/campaigncount/export.csv").text()
    clicks = [row for row in csv.DictReader(io.StringIO(funnel.lstrip("\ufeff")))
              if row["clicks"] != "0"]  # fmt: skip
    assert sorted(row["variant"][-1] for row in clicks) == ["a", "b"]
    assert all(row["campaign"] == "spring" for row in clicks)
