"""axe-core finds no accessibility violation on any public page, in any language or scheme.

axe-core comes bundled in the PyPI package axe-playwright-python (pinned in
requirements-dev.txt); it runs inside the page through Playwright.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser

# Everything axe checks that WCAG 2.2 AA asks for, with its best practices.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


@pytest.fixture(scope="module")
def axe():
    return Axe()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_page_has_no_accessibility_violations(page, axe, public_page, scheme):
    url, status = public_page
    page.emulate_media(color_scheme=scheme)
    assert page.goto(url).status == status

    results = axe.run(page, options=AXE_OPTIONS)

    assert results.violations_count == 0, results.generate_report()
