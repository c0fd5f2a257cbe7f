"""A translator in the translation workspace, in a real browser: directions, helpers,
the keyboard, the public page, and a source change marking exactly one segment."""

import re

import pytest
from playwright.sync_api import expect

from articles.launch.loader import LEDES, TITLE
from articles.models import Article
from articles.writing import editing

from .conftest import AXE_OPTIONS, computed_direction, has_horizontal_scroll, show_language

pytestmark = pytest.mark.browser

HEBREW_TITLE = "הכירו את המונחים: תמיכת לקוחות מול חוויית לקוח"


@pytest.fixture
def remembered(launch):
    """Another article whose Turkish title is the launch article's, translated."""
    # The Hebrew meta description left to translate: a segment that needs work.
    launch.meta_description_he = ""
    # The Hebrew lede as received, before the editor's house style spelled it חוויית.
    launch.lede_he = LEDES["he"]
    # The Hebrew title as the translators left it, in English, before the
    # editor's sign-off translated it.
    launch.title_he = TITLE
    editing.save(launch)
    return editing.save(
        Article(
            title_tr=launch.title_tr,
            slug_tr="terimler",
            title_he=HEBREW_TITLE,
            slug_he="מונחים",
            body_tr="Kısa.",
            body_he="קצר.",
        )
    ).obj


def workspace_path(article, admin_language):
    return f"/{admin_language}/admin/articles/article/{article.pk}/translate/he/"


def segment(page, key):
    return page.locator(f'section[data-key="{key}"]')


@pytest.mark.parametrize("admin_language", ["he", "tr"])
def test_translator_fixes_terms_takes_memory_saves_by_keyboard_then_sees_a_source_change(
    admin_page, launch, remembered, axe, admin_language
):
    page = admin_page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(workspace_path(launch, admin_language))

    # Turkish left to right beside Hebrew right to left; the Hebrew admin mirrors the layout.
    assert computed_direction(page, '[data-key="lede"] .segment-source .segment-text') == "ltr"
    assert computed_direction(page, "#target-lede") == "rtl"
    source = segment(page, "lede").locator(".segment-source").bounding_box()
    target = segment(page, "lede").locator(".segment-target").bounding_box()
    if admin_language == "he":
        assert source["x"] > target["x"]
    else:
        assert source["x"] < target["x"]

    # The lede spells "experience" חווית: the check flags it and its fix corrects it.
    lede = segment(page, "lede")
    expect(lede.locator(".fix-issue")).to_have_count(1)
    lede.locator(".fix-issue").click()
    expect(page.locator("#target-lede")).to_have_value(re.compile("לחוויית לקוח"))
    expect(lede.locator(".segment-preview")).to_contain_text("לחוויית")
    expect(lede.locator(".fix-issue")).to_have_count(0)

    # The title is still the English one; the memory has it translated elsewhere.
    title = segment(page, "title")
    expect(title.locator(".memory-match").first).to_have_text("100%")
    title.locator(".take-memory").first.click()
    expect(page.locator("#target-title")).to_have_value(HEBREW_TITLE)

    # Ctrl+Enter saves and goes to the next segment needing work.
    page.locator("#target-title").press("Control+Enter")
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert page.url.endswith("?next=meta_description")
    # Waited for: the page's script moves the focus once it has loaded.
    expect(page.locator("#target-meta_description")).to_be_focused()

    page.goto(launch.get_absolute_url("he"))
    expect(page.locator("h1")).to_have_text(HEBREW_TITLE)
    expect(page.locator("main")).to_contain_text("לחוויית לקוח")

    # An editor changes one Turkish paragraph in the change form.
    page.goto(f"/{admin_language}/admin/articles/article/{launch.pk}/change/")
    show_language(page, "tr")
    body = page.locator("#id_body_tr")
    body.fill(
        body.input_value().replace(
            "Burada müşteri desteğiniz devreye girer.",
            "Burada, tam da burada, müşteri desteğiniz devreye girer.",
        )
    )
    page.locator('[name="_save"]').click()
    expect(page.locator(".messagelist .success")).to_be_visible()

    page.goto(workspace_path(launch, admin_language))
    outdated = page.locator("section.status-needs_update")
    expect(outdated).to_have_count(1)
    expect(outdated.locator(".word-diff ins")).to_contain_text("tam da burada")
    expect(outdated.locator(".segment-text").first).to_contain_text("Burada, tam da burada")

    results = axe.run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("admin_language", ["tr", "he", "en"])
@pytest.mark.parametrize("screen", ["workspace", "change", "changelist"])
def test_admin_pages_have_no_accessibility_violations(
    admin_page, launch, axe, admin_language, screen
):
    page = admin_page
    paths = {
        "workspace": workspace_path(launch, admin_language),
        "change": f"/{admin_language}/admin/articles/article/{launch.pk}/change/",
        "changelist": f"/{admin_language}/admin/articles/article/",
    }
    page.goto(paths[screen])
    if screen == "change":
        expect(page.locator("#language-switch")).to_be_visible()
    results = axe.run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("admin_language", ["tr", "he"])
def test_workspace_fits_a_phone(admin_page, launch, admin_language):
    page = admin_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(workspace_path(launch, admin_language))
    expect(page.locator("#target-title")).to_be_visible()
    assert not has_horizontal_scroll(page)


@pytest.mark.parametrize("admin_language", ["tr", "he", "en"])
def test_change_form_buttons_stay_clear_of_the_title(admin_page, launch, admin_language):
    page = admin_page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/{admin_language}/admin/articles/article/{launch.pk}/change/")
    heading = page.locator("#content h1").bounding_box()
    for box in [tool.bounding_box() for tool in page.locator(".object-tools a").all()]:
        assert (
            box["y"] >= heading["y"] + heading["height"] or box["y"] + box["height"] <= heading["y"]
        )


def test_the_change_form_opens_on_the_admins_language_and_the_switch_has_a_label(
    admin_page, launch
):
    page = admin_page
    page.goto(f"/he/admin/articles/article/{launch.pk}/change/")
    expect(page.locator("#language-switch legend")).to_have_text("שפת השדות המוצגים")
    expect(page.locator('#language-switch input[value="he"]')).to_be_checked()
    expect(page.locator("#id_title_he")).to_be_visible()
    expect(page.locator("#id_title_tr")).to_be_hidden()


def test_the_arrow_keys_change_the_language_and_the_choice_is_kept(admin_page, launch):
    page = admin_page
    page.goto(f"/tr/admin/articles/article/{launch.pk}/change/")
    page.locator('#language-switch input[value="tr"]').focus()
    page.keyboard.press("ArrowRight")
    expect(page.locator('#language-switch input[value="he"]')).to_be_checked()
    expect(page.locator("#id_body_he")).to_be_visible()
    expect(page.locator("#id_body_tr")).to_be_hidden()
    # The next form opens on the language chosen last.
    page.goto(f"/tr/admin/articles/author/{launch.author.pk}/change/")
    expect(page.locator("#id_name_he")).to_be_visible()
    expect(page.locator("#id_name_tr")).to_be_hidden()


def test_all_languages_show_every_field_read_only_ones_too(admin_page, launch):
    page = admin_page
    page.goto(f"/tr/admin/articles/article/{launch.pk}/change/")
    show_language(page, "all")
    for code in ("tr", "he", "en"):
        expect(page.locator(f"#id_title_{code}")).to_be_visible()


def test_the_form_opens_on_a_language_with_errors(admin_page, launch):
    page = admin_page
    page.goto(f"/tr/admin/articles/article/{launch.pk}/change/")
    show_language(page, "he")
    page.locator("#id_slug_he").fill("!")
    show_language(page, "tr")
    page.locator('[name="_save"]').click()
    expect(page.locator('#language-switch input[value="he"]')).to_be_checked()
    expect(page.locator("#id_slug_he")).to_be_visible()
    expect(page.locator(".language-switch-errors")).to_have_count(1)


def test_without_javascript_every_language_shows(browser, live_server, admin_user, launch):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/tr/admin/login/")
    page.locator("#id_username").fill(admin_user.username)
    page.locator("#id_password").fill("password")
    page.locator("#login-form [type=submit]").click()
    page.goto(f"/tr/admin/articles/article/{launch.pk}/change/")
    expect(page.locator("#language-switch")).to_be_hidden()
    for code in ("tr", "he", "en"):
        expect(page.locator(f"#id_title_{code}")).to_be_visible()
    context.close()
