"""The hand-off to an agency in a real browser: an XLIFF file downloaded, translated in
another tool, uploaded back, and the pages of the exchange files checked by axe."""

from pathlib import Path

import pytest
from playwright.sync_api import expect
from translate.storage import xliff2

from .conftest import AXE_OPTIONS

pytestmark = pytest.mark.browser


def handoff_path(article, admin_language):
    return f"/{admin_language}/admin/articles/article/{article.pk}/translation/he/import/"


@pytest.mark.parametrize("admin_language", ["he", "tr"])
def test_an_xliff_file_goes_to_the_agency_and_its_work_comes_back(
    admin_page, launch, admin_language, tmp_path, live_server
):
    page = admin_page
    page.goto(f"/{admin_language}/admin/articles/article/{launch.pk}/change/")
    page.locator(f'a[href="{handoff_path(launch, admin_language)}"]').click()
    with page.expect_download() as download:
        page.get_by_role("link", name="XLIFF 2.0", exact=True).click()
    assert download.value.suggested_filename == f"article-{launch.pk}-he-xliff20.xlf"
    store = xliff2.Xliff2File.parsestring(Path(download.value.path()).read_bytes())
    unit = next(unit for unit in store.units if unit.getid() == "body.2")
    unit.target = "מהי בעצם חוויית לקוח (CX)?"
    returned = tmp_path / "returned.xlf"
    returned.write_bytes(bytes(store))

    page.locator('input[type="file"]').set_input_files(returned)
    page.locator('input[type="submit"]').click()

    expect(page.locator(".messagelist .success")).to_be_visible()
    page.goto(launch.get_absolute_url("he"))
    expect(page.locator("h2").filter(has_text="מהי בעצם חוויית לקוח")).to_be_visible()


@pytest.mark.parametrize("admin_language", ["he", "tr", "en"])
@pytest.mark.parametrize("screen", ["handoff", "memory", "tmx-import", "tbx-import", "terms"])
def test_exchange_pages_have_no_accessibility_violations(
    admin_page, launch, axe, admin_language, screen
):
    paths = {
        "handoff": handoff_path(launch, admin_language),
        "memory": f"/{admin_language}/admin/articles/memoryunit/",
        "tmx-import": f"/{admin_language}/admin/articles/memoryunit/tmx/import/",
        "tbx-import": f"/{admin_language}/admin/articles/concept/tbx/import/",
        "terms": f"/{admin_language}/admin/articles/concept/",
    }
    admin_page.goto(paths[screen])
    results = axe.run(admin_page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()


def test_bulk_export_page_has_no_accessibility_violations(admin_page, launch, axe):
    page = admin_page
    page.goto("/he/admin/articles/article/")
    page.locator(f'input[name="_selected_action"][value="{launch.pk}"]').check()
    page.locator('select[name="action"]').select_option("export_xliff")
    page.locator('button[name="index"]').click()
    expect(page.locator('input[name="languages"]').first).to_be_visible()
    results = axe.run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()
    page.locator('input[name="languages"][value="he"]').check()
    with page.expect_download() as download:
        page.locator('input[name="export"]').click()
    assert download.value.suggested_filename.endswith(".zip")
