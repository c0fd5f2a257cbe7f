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

PAGES = {
    "list-tr": lambda article, launch: "/tr/",
    "list-he": lambda article, launch: "/he/",
    "list-en": lambda article, launch: "/en/",
    "article-tr": lambda article, launch: launch.get_absolute_url("tr"),
    "article-he": lambda article, launch: launch.get_absolute_url("he"),
    "article-small-he": lambda article, launch: article.get_absolute_url("he"),
    "tour-tr": lambda article, launch: "/tr/tour/",
    "tour-he": lambda article, launch: "/he/tour/",
    "tour-en": lambda article, launch: "/en/tour/",
    "not-found-he": lambda article, launch: "/he/nothing-here/",
    "not-available-en": lambda article, launch: "/en/articles/the-way-of-light/",
    "search-results-he": lambda article, launch: "/he/search/?q=CX",
    "search-results-tr": lambda article, launch: "/tr/search/?q=m%C3%BC%C5%9Fteri",
    "search-empty-en": lambda article, launch: "/en/search/?q=",
}


@pytest.fixture(scope="module")
def axe():
    return Axe()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_accessibility_violations(page, axe, article, launch, name, scheme):
    page.emulate_media(color_scheme=scheme)
    page.goto(PAGES[name](article, launch))

    results = axe.run(page, options=AXE_OPTIONS)

    assert results.violations_count == 0, results.generate_report()
