"""The translation workspace in a real browser, as a translator of a long article uses
it: a memory that never brings back what the editor corrected, term checks that
do not cry wolf, pre-translation for review before publishing, the filter, the
sticky toolbar, undo, and the warning before leaving unsaved text."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article

from ..machine_servers import Server, configure
from .conftest import AXE_OPTIONS, show_language

pytestmark = pytest.mark.browser


def workspace_path(article, language="he", admin_language="tr"):
    return f"/{admin_language}/admin/articles/article/{article.pk}/translate/{language}/"


def segment(page, key):
    return page.locator(f'section[data-key="{key}"]')


def publish_english(page):
    """Tick English's published box in the change form and save."""
    show_language(page, "en")
    page.locator("#id_is_published_en").check()
    page.locator('[name="_save"]').click()


@pytest.fixture
def deepl(settings):
    server = Server("deepl")
    configure(settings, "deepl", server)
    yield server
    server.stop()


def test_memory_never_offers_what_the_editor_corrected_in_the_launch_article(admin_page, launch):
    page = admin_page
    page.goto(workspace_path(launch))
    expect(page.locator("#target-body\\.3")).to_have_value(re.compile("מסבירה זאת כך"))
    memory_texts = segment(page, "body.3").locator(".memory-text").all_inner_texts()
    assert not any(re.search(r"מסביר(?!ה)", text) for text in memory_texts)
    heading_texts = segment(page, "body.8").locator(".memory-text").all_inner_texts()
    assert not any(text.startswith("מהו") for text in heading_texts)
    assert not any("כולם ריבועים" in text for text in segment(page, "body.13").all_inner_texts())


@pytest.mark.parametrize("admin_language", ["he", "tr"])
def test_fixed_launch_translation_has_no_term_warning_and_a_planted_one_has_one(
    admin_page, launch, admin_language
):
    page = admin_page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(workspace_path(launch, admin_language=admin_language))
    expect(page.locator("section.segment").first).to_be_visible()
    expect(page.locator(".segment-issues li")).to_have_count(0)
    expect(page.locator(".workspace-summary")).not_to_contain_text(re.compile("[Tt]erminolo|מונח"))

    lede = page.locator("#target-lede")
    planted = lede.input_value().replace("לחוויית", "לחווית", 1)
    lede.fill(planted)
    expect(segment(page, "lede").locator(".segment-issues li")).to_have_count(1)
    # Fix rewrites the segment; the page's checks run again on the new text.
    segment(page, "lede").locator(".fix-issue").click()
    expect(segment(page, "lede").locator(".segment-issues li")).to_have_count(0)
    lede.fill(planted)
    expect(segment(page, "lede").locator(".issue-term_forbidden, .fix-issue")).to_have_count(1)
    page.locator(".workspace-toolbar [name=_save]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    expect(page.locator(".segment-issues li")).to_have_count(1)


def test_fix_and_use_are_undone_by_ctrl_z(admin_page, launch):
    page = admin_page
    page.goto(workspace_path(launch))
    lede = page.locator("#target-lede")
    lede.fill(lede.input_value().replace("לחוויית", "לחווית", 1))
    before = lede.input_value()
    segment(page, "lede").locator(".fix-issue").click()
    expect(lede).not_to_have_value(before)
    lede.press("Control+z")
    expect(lede).to_have_value(before)
    segment(page, "lede").locator(".copy-source").click()
    expect(lede).to_have_value(re.compile("^Müşteri"))
    lede.press("Control+z")
    expect(lede).to_have_value(before)


def test_pretranslated_english_waits_for_review_before_it_can_be_published(
    admin_page, launch, deepl, axe
):
    page = admin_page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(workspace_path(launch, "en"))
    missing = page.locator("section.status-missing")
    count = missing.count()
    assert count > 10
    page.locator(".workspace-pretranslate button").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    expect(page.locator("section.status-missing")).to_have_count(0)
    expect(page.locator("section.status-needs_review")).to_have_count(count)
    for text in page.locator("section.status-needs_review textarea").all():
        assert text.input_value().startswith("[EN-US] ")
    expect(page.locator("section.status-needs_review .segment-origin").first).to_contain_text(
        "DeepL"
    )
    for language in ("tr", "he"):
        page.goto(workspace_path(launch, "en", admin_language=language))
        results = axe.run(page, options=AXE_OPTIONS)
        assert results.violations_count == 0, results.generate_report()

    page.goto(f"/tr/admin/articles/article/{launch.pk}/change/")
    publish_english(page)
    expect(page.locator(".errorlist")).to_contain_text("İngilizce")
    assert not Article.objects.get(pk=launch.pk).is_published_en

    page.goto(workspace_path(launch, "en"))
    page.locator(".workspace-toolbar [name=review_all]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    expect(page.locator("section.status-needs_review")).to_have_count(0)
    page.goto(f"/tr/admin/articles/article/{launch.pk}/change/")
    publish_english(page)
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert Article.objects.get(pk=launch.pk).is_published_en


def test_leaving_with_unsaved_text_asks_first(admin_page, launch):
    page = admin_page
    page.goto(workspace_path(launch))
    page.locator("#target-title").fill("כותרת חדשה")
    asked = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", answer)
    page.locator(".breadcrumbs a").first.click()
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    expect(page.locator("#target-title")).to_have_value("כותרת חדשה")


def test_saving_leaves_without_asking(admin_page, launch):
    page = admin_page
    page.goto(workspace_path(launch))
    page.locator("#target-title").fill("כותרת חדשה")
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.accept()))
    page.locator(".workspace-toolbar [name=_save]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert asked == []


@pytest.mark.parametrize("admin_language", ["he", "tr"])
def test_long_article_shows_only_what_needs_work_and_keeps_save_in_view(
    admin_page, launch, edit, admin_language
):
    edit(launch, meta_description_he="", image_alt_he="")
    page = admin_page
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(workspace_path(launch, admin_language=admin_language))
    expect(page.locator("#target-meta_description")).to_be_focused()
    page.locator(".workspace-filter input[value=work]").check()
    expect(page.locator("section.segment:visible")).to_have_count(2)
    page.locator(".workspace-filter input[value=all]").check()
    page.mouse.wheel(0, 20_000)
    page.wait_for_timeout(200)
    save = page.locator(".workspace-toolbar [name=_save]")
    box = save.bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= 800
    summary = page.locator(".workspace-summary").bounding_box()
    # Mirrored in the Hebrew admin: the toolbar starts on the right.
    first = page.locator(".workspace-toolbar > *").first.bounding_box()
    if admin_language == "he":
        assert first["x"] + first["width"] > summary["x"] + summary["width"] / 2
    else:
        assert first["x"] < summary["x"] + summary["width"] / 2
