"""Revisions: every admin save is kept, and any revision restores every language at once."""

import json
import re

import pytest
from django.core.files.storage import default_storage
from reversion.models import Version

from articles.launch.loader import load_launch_content
from articles.models import Article, TourPage, search_index
from articles.text.segments import Status, article_segments
from articles.writing import history


def history_url(article, admin_language="en"):
    return f"/{admin_language}/admin/articles/article/{article.pk}/history/"


def history_rows(html):
    """The text of each row of the history table, without the differences it unfolds."""
    table = re.search(r'<table id="change-history">(.*?)</table>', html, re.S).group(1)
    table = re.sub(r"<details.*?</details>", "", table, flags=re.S)
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in rows]


@pytest.fixture
def two_saves(article, save_in_admin, revisions):
    """The article saved twice in the Hebrew admin: first its Hebrew, then Turkish and Hebrew.

    Restoring them through an admin in another language would show any value
    written back through modeltranslation's `title`, which means the active language's.
    """
    save_in_admin(article, "he", title_he="כותרת ראשונה", body_he="גוף ראשון.")
    save_in_admin(
        article,
        "he",
        title_tr="İkinci Başlık",
        title_he="כותרת שנייה",
        body_he="גוף שני.",
    )
    return revisions(article)[-2:]


def test_an_admin_save_keeps_a_revision_by_its_editor(
    admin_client, admin_user, article, save_in_admin, revisions
):
    save_in_admin(article, title_he="כותרת חדשה")
    version = revisions(article)[-1]
    assert version.revision.user == admin_user
    assert version.field_dict["title_he"] == "כותרת חדשה"


def test_the_revision_says_which_languages_and_fields_changed(admin_client, article, save_in_admin):
    save_in_admin(article, title_he="כותרת חדשה", body_he="גוף חדש.")
    save_in_admin(article, lede_tr="Yeni giriş.", image_alt_en="A picture")
    rows = history_rows(admin_client.get(history_url(article)).content.decode())
    assert rows[-2].endswith("Changed: Hebrew (title, body).")
    assert rows[-1].endswith("Changed: Turkish (lede); English (image alt text).")
    assert "admin" in rows[-2]


def test_the_history_is_told_in_the_readers_admin_language(admin_client, article, save_in_admin):
    save_in_admin(article, admin_language="he", title_he="כותרת חדשה")
    rows = history_rows(admin_client.get(history_url(article, "tr")).content.decode())
    assert rows[-1].endswith("Değiştirildi: İbranice (başlık).")


def test_a_revision_keeps_the_per_language_columns_not_the_originals():
    fields = history.versioned_fields(Article)
    for code in ("tr", "he", "en"):
        for name in ("title", "slug", "lede", "body", "image_alt", "is_published"):
            assert f"{name}_{code}" in fields
        assert f"search_body_{code}" not in fields
    assert {"title", "slug", "body", "search_body", "is_published"}.isdisjoint(fields)
    assert {"image", "published_at", "translation_sources", "version"} <= set(fields)


@pytest.mark.parametrize("admin_language", ["tr", "he", "en"])
def test_restoring_brings_back_every_languages_columns(
    admin_client, client, article, two_saves, admin_language, restore_in_admin
):
    first, _second = two_saves

    restore_in_admin(article, first, admin_language)

    assert (article.title_he, article.body_he) == ("כותרת ראשונה", "גוף ראשון.")
    # Turkish as the first revision had it, English untouched by either.
    assert article.title_tr == "Işık Yolu"
    assert article.title_en == "The Way of Light"
    hebrew_page = client.get(article.get_absolute_url("he")).content.decode()
    assert "<h1>כותרת ראשונה</h1>" in hebrew_page
    assert "גוף ראשון." in hebrew_page
    assert "<h1>Işık Yolu</h1>" in client.get(article.get_absolute_url("tr")).content.decode()


def test_the_restore_page_shows_the_revisions_texts_with_the_language_switch(
    admin_client, article, two_saves, revision_url
):
    first, _second = two_saves
    html = admin_client.get(revision_url(article, first, "tr")).content.decode()
    assert re.search(r'<input[^>]*name="title_he"[^>]*value="כותרת ראשונה"', html)
    assert re.search(r'<input[^>]*name="title_he"[^>]*dir="rtl"', html)
    assert 'id="language-switch"' in html
    # Only looking changes nothing.
    article.refresh_from_db()
    assert article.title_he == "כותרת שנייה"


def test_restoring_is_a_revision_that_can_be_restored_in_turn(
    admin_client, article, two_saves, restore_in_admin, revisions
):
    first, second = two_saves
    restore_in_admin(article, first)
    restoring = revisions(article)[-1]
    assert history.describe(restoring.revision.comment, Article).startswith("Restored the version")

    restore_in_admin(article, second)

    assert (article.title_tr, article.title_he) == ("İkinci Başlık", "כותרת שנייה")
    # Added, saved twice, restored twice.
    assert len(revisions(article)) == 5


def test_the_restore_says_what_it_changed(admin_client, article, two_saves, restore_in_admin):
    first, _second = two_saves
    restore_in_admin(article, first)
    rows = history_rows(admin_client.get(history_url(article)).content.decode())
    assert "Restored the version of" in rows[-1]
    assert rows[-1].endswith("Changed: Turkish (title); Hebrew (title, body).")


def test_restoring_keeps_what_the_translation_was_made_from(
    admin_client, article, save_in_admin, restore_in_admin, revisions
):
    def title_status():
        article.refresh_from_db()
        return article_segments(article, "he").by_key()["title"].status

    save_in_admin(article, title_tr="Yeni Başlık")
    outdated = revisions(article)[-1]
    assert title_status() == Status.NEEDS_UPDATE
    save_in_admin(article, title_he="כותרת מתורגמת")
    assert title_status() == Status.TRANSLATED

    restore_in_admin(article, outdated)

    assert title_status() == Status.NEEDS_UPDATE


def test_restoring_moves_the_version_number_on(admin_client, article, two_saves, restore_in_admin):
    first, _second = two_saves
    assert first.field_dict["version"] < article.version
    before = article.version
    restore_in_admin(article, first)
    assert article.version == before + 1


def test_launch_content_starts_the_history(db, revisions):
    load_launch_content()
    first, *_editors = revisions(Article.objects.get())
    tour_version, _editors = revisions(TourPage.objects.get())
    for version in (first, tour_version):
        comment = version.revision.comment
        assert history.describe(comment, Article) == "Loaded with the launch content."


def test_a_save_from_outside_the_change_form_gets_a_revision_by_its_editor(
    admin_user, article, edit, revisions
):
    """Any save, a translation import's say, goes through the same write path."""
    edit(article, user=admin_user, title_he="כותרת מיובאת")
    version = revisions(article)[-1]
    assert version.revision.user == admin_user
    assert version.field_dict["title_he"] == "כותרת מיובאת"
    assert history.describe(version.revision.comment, Article) == "Changed: Hebrew (title)."


def test_a_save_that_changes_nothing_leaves_no_revision(article, edit, revisions):
    before = len(revisions(article))
    edit(article, title_he=article.title_he)
    assert len(revisions(article)) == before


def test_history_change_list_and_recover_pages_load(admin_client, article, two_saves):
    changelist = admin_client.get("/he/admin/articles/article/").content.decode()
    assert "/he/admin/articles/article/recover/" in changelist
    assert admin_client.get("/he/admin/articles/article/recover/").status_code == 200
    assert admin_client.get(history_url(article, "he")).status_code == 200


def test_a_deleted_article_can_be_recovered(admin_client, article, two_saves, change_form):
    pk = article.pk
    admin_client.post(f"/en/admin/articles/article/{pk}/delete/", {"post": "yes"})
    assert not Article.objects.filter(pk=pk).exists()
    [deleted] = Version.objects.get_deleted(Article)
    recover_url = f"/en/admin/articles/article/recover/{deleted.pk}/"
    form = admin_client.get(recover_url).context["adminform"].form

    response = admin_client.post(
        recover_url, change_form(form.instance, version=form["version"].value())
    )

    assert response.status_code == 302
    recovered = Article.objects.get(pk=pk)
    assert (recovered.title_tr, recovered.title_he) == ("İkinci Başlık", "כותרת שנייה")
    assert search_index.matching(Article.objects.all(), "ikinci").get() == recovered


def test_tour_page_changes_are_kept_and_restored(admin_client, tour_page, revisions):
    url = f"/en/admin/articles/tourpage/{tour_page.pk}/change/"
    data = {
        **{
            f"{name}_{code}": getattr(tour_page, f"{name}_{code}") or ""
            for name in TourPage.TRANSLATED_TEXTS
            for code in ("tr", "he", "en")
        },
        "text_he": "טקסט חדש",
        "destination_url": tour_page.destination_url,
        "related_position": tour_page.related_position,
        **{f"is_published_{code}": "on" for code in ("tr", "he", "en")},
    }
    admin_client.post(url, {**data, "version": tour_page.version})
    admin_client.post(url, {**data, "text_he": "טקסט שלישי", "version": tour_page.version + 1})
    first = revisions(tour_page)[1]
    assert history.describe(first.revision.comment, TourPage) == "Changed: Hebrew (headline)."

    revision = f"/en/admin/articles/tourpage/{tour_page.pk}/history/{first.pk}/"
    assert admin_client.post(revision, data).status_code == 302

    tour_page.refresh_from_db()
    assert tour_page.text_he == "טקסט חדש"


def test_tour_page_change_list_keeps_its_campaign_links(admin_client, tour_page):
    html = admin_client.get("/en/admin/articles/tourpage/").content.decode()
    assert "/en/admin/marketing/campaigncount/builder/" in html


def test_the_history_of_an_article_whose_image_file_is_gone_still_shows(admin_client, launch):
    default_storage.delete(launch.image.name)
    response = admin_client.get(history_url(launch))
    assert response.status_code == 200
    assert "Terminolojinizi Bilin" in response.content.decode()


def test_a_revision_that_kept_a_column_since_removed_still_shows(admin_client, launch):
    version = Version.objects.get_for_object(launch).last()
    [record] = json.loads(version.serialized_data)
    record["fields"]["subtitle_tr"] = "Eski bir sütun"
    Version.objects.filter(pk=version.pk).update(serialized_data=json.dumps([record]))
    assert admin_client.get(history_url(launch)).status_code == 200
