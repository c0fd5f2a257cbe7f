"""axe-core finds no accessibility violation on any public page, in any language or scheme.

axe-core comes bundled in the PyPI package axe-playwright-python (pinned in
requirements-dev.txt); it runs inside the page through Playwright.
"""

import pytest

from .conftest import AXE_OPTIONS

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_page_has_no_accessibility_violations(page, axe, public_page, scheme):
    url, status = public_page
    page.emulate_media(color_scheme=scheme)
    assert page.goto(url).status == status

    results = axe.run(page, options=AXE_OPTIONS)

    assert results.violations_count == 0, results.generate_report()
