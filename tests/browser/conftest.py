"""Debian's Chromium, driven by Playwright's sync API, against pytest-django's live_server.

Every browser test gets a fresh context that refuses to leave the machine, and
a page that leaves a full-page screenshot in test-artifacts/ when the test fails.
"""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect, sync_playwright

# The sync API runs an asyncio event loop in the main thread, where Django's
# fixtures and assertions also run; Django would refuse their database queries
# as "called from an async context", although nothing here is asynchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
TIMEOUT_MS = 10_000
# Text edges are compared to box edges with this much room for rounding.
TOLERANCE_PX = 3

expect.set_options(timeout=TIMEOUT_MS)

phase_reports = pytest.StashKey[dict]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    # Kept on the item so that the page fixture knows, at teardown, whether the test failed.
    report = yield
    item.stash.setdefault(phase_reports, {})[report.when] = report
    return report


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must run the browser tests.")
        pytest.skip(reason)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def outside_requests():
    """URLs a page tried to fetch from another machine; each was aborted."""
    return []


@pytest.fixture
def context(browser, live_server, outside_requests):
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)

    def stay_local(route):
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            outside_requests.append(route.request.url)
            route.abort()

    context.route("**/*", stay_local)
    yield context
    context.close()


def screenshot_if_failed(page, request, suffix=""):
    """Leave a full-page screenshot in test-artifacts/ when the test's call failed."""
    call = request.node.stash.get(phase_reports, {}).get("call")
    if call is not None and call.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "-", request.node.name)
        page.screenshot(path=ARTIFACTS / f"{name}{suffix}.png", full_page=True)


@pytest.fixture
def page(context, request):
    page = context.new_page()
    yield page
    screenshot_if_failed(page, request)


def content_box(page, selector):
    """The left and right edges, in px, of the first `selector`'s box inside border and padding."""
    return page.locator(selector).first.evaluate(
        """element => {
            const box = element.getBoundingClientRect();
            const style = getComputedStyle(element);
            const inset = side =>
                parseFloat(style[`border${side}Width`]) + parseFloat(style[`padding${side}`]);
            return {left: box.left + inset("Left"), right: box.right - inset("Right")};
        }"""
    )


def text_box(page, selector):
    """The left and right edges, in px, of the text inside the first `selector`.

    A block's own box spans the column whatever the direction; its text is
    what sits at one side or the other.
    """
    return page.locator(selector).first.evaluate(
        """element => {
            const range = document.createRange();
            range.selectNodeContents(element);
            const box = range.getBoundingClientRect();
            return {left: box.left, right: box.right};
        }"""
    )


def computed_direction(page, selector):
    return page.locator(selector).first.evaluate("element => getComputedStyle(element).direction")


def has_horizontal_scroll(page):
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


# Everything axe checks that WCAG 2.2 AA asks for, with its best practices.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


@pytest.fixture(scope="session")
def axe():
    """axe-core, run in a page with `axe.run(page, options=AXE_OPTIONS)`."""
    return Axe()


def show_language(page, code):
    """Choose `code` in a change form's language switch, as an editor clicks it."""
    page.locator(f'#language-switch label:has(input[value="{code}"])').click()


@pytest.fixture
def admin_page(page, admin_user):
    """The page, logged in as pytest-django's admin_user through the admin's login form."""
    page.goto("/tr/admin/login/")
    page.locator("#id_username").fill(admin_user.username)
    page.locator("#id_password").fill("password")
    page.locator("#login-form [type=submit]").click()
    expect(page.locator("#user-tools")).to_be_visible()
    return page
