"""Translator hand-off: an article's texts out as a PO file, and its translation back in."""

import polib
import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article
from articles.text.segments import article_segments
from articles.translating import handoff


def export_url(article, language, admin_language="en"):
    return f"/{admin_language}/admin/articles/article/{article.pk}/translation/{language}/export/"


def import_url(article, language, admin_language="en"):
    return f"/{admin_language}/admin/articles/article/{article.pk}/translation/{language}/import/"


def exported(client, article, language):
    return polib.pofile(client.get(export_url(article, language)).content.decode())


def po_file(po, name="article.po"):
    return SimpleUploadedFile(name, str(po).encode(), content_type="text/x-gettext-translation")


def fill(po, **translations):
    """Fill in `po`'s entries by segment key, "body_2" standing for "body.2"."""
    translations = {
        key.replace("_", ".") if key.startswith("body") else key: text
        for key, text in translations.items()
    }
    for entry in po:
        if entry.msgctxt in translations:
            entry.msgstr = translations[entry.msgctxt]
    return po


def texts(article, language):
    article.refresh_from_db()
    return {name: getattr(article, f"{name}_{language}") for name in (*handoff.FIELDS, "slug")}


# Export


def test_export_is_a_po_file_named_for_the_article_and_language(admin_client, article):
    response = admin_client.get(export_url(article, "he"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/x-gettext-translation; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="article-{article.pk}-he.po"'


def test_export_header_names_the_article_and_both_languages(admin_client, article):
    metadata = exported(admin_client, article, "he").metadata
    assert metadata["X-Cxcs-Article"] == str(article.pk)
    assert metadata["Language"] == "he"
    assert metadata["X-Cxcs-Source-Language"] == "tr"
    assert metadata["Project-Id-Version"] == "cxcs"
    assert metadata["Content-Type"] == "text/plain; charset=UTF-8"


def test_export_holds_each_turkish_text_with_its_current_translation(admin_client, article):
    entries = {entry.msgctxt: entry for entry in exported(admin_client, article, "he")}
    assert (entries["title"].msgid, entries["title"].msgstr) == ("Işık Yolu", "דרך האור")
    assert (entries["lede"].msgid, entries["lede"].msgstr) == ("Türkçe giriş.", "פתיח בעברית.")
    assert (entries["body.1"].msgid, entries["body.1"].msgstr) == (
        "Giriş paragrafı.",
        "פסקת פתיחה.",
    )
    assert (entries["body.2"].msgid, entries["body.2"].msgstr) == (
        "Işık ve İçindekiler",
        "מהי חווית הלקוח (CX)?",
    )


def test_export_leaves_out_the_slug_and_texts_without_turkish(admin_client, article):
    contexts = [entry.msgctxt for entry in exported(admin_client, article, "he")]
    assert contexts == ["title", "lede", *(f"body.{number}" for number in range(1, 7))]


def test_export_lists_every_translated_text_the_article_has_in_turkish(admin_client, article):
    article.meta_description_tr = "Işık hakkında."
    article.image_alt_tr = "Bir ışık."
    article.save()
    entries = {entry.msgctxt: entry for entry in exported(admin_client, article, "en")}
    assert list(entries)[:5] == ["title", "lede", "meta_description", "image_alt", "body.1"]
    assert entries["title"].msgstr == "The Way of Light"
    assert entries["meta_description"].msgid == "Işık hakkında."
    assert entries["meta_description"].msgstr == ""


def test_export_notes_each_texts_length_limit_for_the_translator(admin_client, article):
    entries = {entry.msgctxt: entry for entry in exported(admin_client, article, "he")}
    assert "at most 200 characters" in entries["title"].comment


@pytest.mark.parametrize("language", ["tr", "de", "xx"])
def test_export_into_the_source_or_an_unknown_language_is_not_found(
    admin_client, article, language
):
    assert admin_client.get(export_url(article, language)).status_code == 404


def test_export_of_a_missing_article_is_not_found(admin_client, db):
    assert (
        admin_client.get("/en/admin/articles/article/999/translation/he/export/").status_code == 404
    )


def test_change_page_links_to_the_translation_files_of_each_target_language(admin_client, article):
    html = admin_client.get(f"/en/admin/articles/article/{article.pk}/change/").content.decode()
    for language in ("he", "en"):
        assert f'href="{import_url(article, language)}"' in html
    assert f'href="{import_url(article, "tr")}"' not in html
    assert 'class="historylink"' in html


def test_import_page_offers_the_file_and_an_upload_form(admin_client, article):
    html = admin_client.get(import_url(article, "he")).content.decode()
    assert f'href="{export_url(article, "he")}"' in html
    assert 'enctype="multipart/form-data"' in html
    assert 'type="file" name="file"' in html


# Import


def test_round_trip_changes_the_hebrew_texts_and_page(admin_client, client, article):
    po = fill(
        exported(admin_client, article, "he"),
        title="כותרת מתורגמת",
        lede="פתיח חדש.",
        body_1="פסקה חדשה.",
        body_2="כותרת משנה",
        body_3='ועוד "ציטוט" \\ קו נטוי.',
    )
    response = admin_client.post(import_url(article, "he"), {"file": po_file(po)}, follow=True)
    assert response.redirect_chain[-1][0] == f"/en/admin/articles/article/{article.pk}/change/"
    assert (
        "The Hebrew translation was imported: "
        "title, lede, 1 · paragraph, 2 · heading, 3 · paragraph changed."
    ) in response.content.decode()
    saved = texts(article, "he")
    assert saved["title"] == "כותרת מתורגמת"
    assert saved["body"].startswith('פסקה חדשה.\n\n## כותרת משנה\n\nועוד "ציטוט" \\ קו נטוי.')
    page = client.get(article.get_absolute_url("he")).content.decode()
    assert "<h1>כותרת מתורגמת</h1>" in page
    assert "כותרת משנה" in page


def test_import_leaves_turkish_and_english_alone(admin_client, article):
    turkish, english = texts(article, "tr"), texts(article, "en")
    po = fill(exported(admin_client, article, "he"), title="כותרת מתורגמת")
    admin_client.post(import_url(article, "he"), {"file": po_file(po)})
    assert texts(article, "tr") == turkish
    assert texts(article, "en") == english


def test_import_is_recorded_in_the_articles_history(admin_client, article):
    po = fill(exported(admin_client, article, "he"), title="כותרת מתורגמת")
    admin_client.post(import_url(article, "he"), {"file": po_file(po)})
    entry = LogEntry.objects.get(object_id=str(article.pk))
    assert entry.action_flag == CHANGE
    assert entry.get_change_message() == "Imported the Hebrew translation file: title changed."


def test_first_english_translation_gets_its_slug_from_the_title(admin_client, article):
    article.title_en = ""
    article.slug_en = None
    article.save()
    po = fill(
        exported(admin_client, article, "en"), title="Path of Light", body_1="The body.", lede=""
    )
    admin_client.post(import_url(article, "en"), {"file": po_file(po)})
    saved = texts(article, "en")
    assert (saved["title"], saved["slug"], saved["body"]) == (
        "Path of Light",
        "path-of-light",
        "The body.",
    )


def test_untranslated_texts_keep_what_the_article_has(admin_client, article):
    po = fill(exported(admin_client, article, "he"), title="כותרת מתורגמת", lede="")
    response = admin_client.post(import_url(article, "he"), {"file": po_file(po)}, follow=True)
    assert texts(article, "he")["lede"] == "פתיח בעברית."
    assert "Left as they were, untranslated in the file: lede, 4 · quotation." in (
        response.content.decode()
    )


def test_fuzzy_translations_are_not_imported(admin_client, article):
    po = fill(exported(admin_client, article, "he"), title="כותרת מתורגמת", lede="פתיח מעורפל.")
    next(entry for entry in po if entry.msgctxt == "lede").flags.append("fuzzy")
    response = admin_client.post(import_url(article, "he"), {"file": po_file(po)}, follow=True)
    saved = texts(article, "he")
    assert (saved["title"], saved["lede"]) == ("כותרת מתורגמת", "פתיח בעברית.")
    assert "Not imported, marked as fuzzy (needing review) in the file: lede." in (
        response.content.decode()
    )


def test_file_with_only_fuzzy_translations_changes_nothing(admin_client, article):
    po = fill(exported(admin_client, article, "he"), title="כותרת מתורגמת")
    for entry in po:
        entry.flags.append("fuzzy")
    response = admin_client.post(import_url(article, "he"), {"file": po_file(po)}, follow=True)
    html = response.content.decode()
    assert "No text changed." in html
    assert "in the file: title, lede, 1 · paragraph, 2 · heading," in html
    assert texts(article, "he")["title"] == "דרך האור"
    assert not LogEntry.objects.exists()


def test_translation_of_a_changed_source_is_imported_with_a_warning(admin_client, article):
    po = fill(exported(admin_client, article, "he"), title="כותרת מתורגמת")
    article.title_tr = "Işığın Yolu"
    article.save()
    response = admin_client.post(import_url(article, "he"), {"file": po_file(po)}, follow=True)
    assert texts(article, "he")["title"] == "כותרת מתורגמת"
    assert "The Turkish text of title changed after the file was exported" in (
        response.content.decode()
    )


def test_translation_of_a_changed_source_stays_outdated(admin_client, article):
    po = fill(exported(admin_client, article, "he"), title="כותרת מתורגמת", body_4="ציטוט.")
    article.title_tr = "Işığın Yolu"
    article.save()
    admin_client.post(import_url(article, "he"), {"file": po_file(po)})
    article.refresh_from_db()
    assert article.translation_status("he") == Article.TranslationStatus.OUTDATED
    assert [name for name, _lines in article.source_changes("he")] == ["title"]


def test_translation_of_the_current_source_is_complete(admin_client, article):
    po = fill(exported(admin_client, article, "he"), title="כותרת מתורגמת", body_4="ציטוט.")
    admin_client.post(import_url(article, "he"), {"file": po_file(po)})
    article.refresh_from_db()
    assert article.translation_status("he") == Article.TranslationStatus.COMPLETE


def test_importing_the_file_unchanged_changes_nothing(admin_client, article):
    po = fill(exported(admin_client, article, "he"), body_4="ציטוט.")
    admin_client.post(import_url(article, "he"), {"file": po_file(po)})
    LogEntry.objects.all().delete()
    po = exported(admin_client, article, "he")
    response = admin_client.post(import_url(article, "he"), {"file": po_file(po)}, follow=True)
    assert "Nothing changed" in response.content.decode()
    assert not LogEntry.objects.exists()


def test_file_saved_by_a_tool_with_a_region_and_crlf_lines_is_imported(admin_client, article):
    po = fill(exported(admin_client, article, "he"), title="כותרת מתורגמת")
    po.metadata["Language"] = "he_IL"
    data = ("\ufeff" + str(po)).replace("\n", "\r\n").encode()
    upload = SimpleUploadedFile("article.po", data)
    admin_client.post(import_url(article, "he"), {"file": upload})
    assert texts(article, "he")["title"] == "כותרת מתורגמת"


# Refusals: each leaves the article as it was and says why.


def assert_refused(admin_client, article, language, upload, message):
    before = {code: texts(article, code) for code in ("tr", "he", "en")}
    response = admin_client.post(import_url(article, language), {"file": upload})
    assert response.status_code == 200
    html = response.content.decode()
    assert "The file was not imported; the article is unchanged." in html
    assert message in html
    assert {code: texts(article, code) for code in ("tr", "he", "en")} == before
    assert not LogEntry.objects.exists()


def test_file_of_another_article_is_refused(admin_client, article, draft):
    po = fill(exported(admin_client, draft, "he"), title="כותרת אחרת")
    assert_refused(admin_client, article, "he", po_file(po), "This file belongs to another article")


def test_file_of_another_language_is_refused(admin_client, article):
    po = fill(exported(admin_client, article, "en"), title="Another Title")
    assert_refused(
        admin_client,
        article,
        "he",
        po_file(po),
        "This file is a translation into English; this page imports Hebrew.",
    )


def test_file_in_the_source_language_is_refused(admin_client, article):
    po = fill(exported(admin_client, article, "he"), title="Başka Başlık")
    po.metadata["Language"] = "tr"
    assert_refused(
        admin_client, article, "he", po_file(po), "This file is in Turkish, the source language"
    )


def test_file_not_exported_from_the_site_is_refused(admin_client, article):
    po = exported(admin_client, article, "he")
    del po.metadata["X-Cxcs-Article"]
    assert_refused(admin_client, article, "he", po_file(po), "its header names no article")


def test_file_translated_from_another_language_is_refused(admin_client, article):
    po = fill(exported(admin_client, article, "he"), title="כותרת מתורגמת")
    po.metadata["X-Cxcs-Source-Language"] = "en"
    assert_refused(
        admin_client, article, "he", po_file(po), "This file was not translated from Turkish"
    )


def test_refusal_is_explained_in_the_admins_language(admin_client, article):
    upload = SimpleUploadedFile("article.po", bytes(range(256)) * 8)
    response = admin_client.post(import_url(article, "he", admin_language="he"), {"file": upload})
    html = response.content.decode()
    assert "הקובץ לא יובא; המאמר לא השתנה." in html
    assert "הקובץ אינו טקסט בקידוד UTF-8." in html


@pytest.mark.parametrize("context", ["slug", "author", None])
def test_file_with_an_unknown_text_is_refused(admin_client, article, context):
    po = fill(exported(admin_client, article, "he"), title="כותרת מתורגמת")
    po.append(polib.POEntry(msgctxt=context, msgid="bir metin", msgstr="טקסט"))
    assert_refused(
        admin_client, article, "he", po_file(po), "The file holds texts this article does not have"
    )


def test_file_with_a_text_twice_is_refused(admin_client, article):
    po = fill(exported(admin_client, article, "he"), title="כותרת מתורגמת")
    po.append(polib.POEntry(msgctxt="title", msgid="Işık", msgstr="כותרת שנייה"))
    assert_refused(admin_client, article, "he", po_file(po), "The file holds the text")


def test_malformed_file_is_refused(admin_client, article):
    text = str(exported(admin_client, article, "he")) + '\nmsgctxt "title"\nthis is no PO line\n'
    upload = SimpleUploadedFile("article.po", text.encode())
    assert_refused(admin_client, article, "he", upload, "The file is not a valid .po file")


def test_empty_file_is_refused(admin_client, article):
    upload = SimpleUploadedFile("article.po", b"")
    assert_refused(admin_client, article, "he", upload, "The submitted file is empty.")


def test_blank_file_is_refused(admin_client, article):
    upload = SimpleUploadedFile("article.po", b"\n\n  \n")
    assert_refused(admin_client, article, "he", upload, "The file is empty.")


def test_binary_junk_is_refused(admin_client, article):
    upload = SimpleUploadedFile("article.po", bytes(range(256)) * 8)
    assert_refused(admin_client, article, "he", upload, "The file is not UTF-8 text.")


def test_file_in_another_encoding_is_refused(admin_client, article):
    po = fill(exported(admin_client, article, "he"), title="כותרת מתורגמת")
    po.metadata["Content-Type"] = "text/plain; charset=windows-1255"
    upload = SimpleUploadedFile("article.po", str(po).encode("windows-1255", errors="replace"))
    assert_refused(admin_client, article, "he", upload, "The file is not UTF-8 text.")


def test_file_declaring_another_encoding_is_refused(admin_client, article):
    po = fill(exported(admin_client, article, "he"), title="Ascii Only")
    po.metadata["Content-Type"] = "text/plain; charset=ISO-8859-8"
    upload = SimpleUploadedFile("article.po", str(po).encode("ascii", errors="replace"))
    assert_refused(
        admin_client, article, "he", upload, "The file says it is in the ISO-8859-8 encoding"
    )


def test_compiled_mo_file_is_refused(admin_client, article, tmp_path):
    po = fill(exported(admin_client, article, "he"), title="כותרת מתורגמת")
    po.save_as_mofile(tmp_path / "article.mo")
    upload = SimpleUploadedFile("article.mo", (tmp_path / "article.mo").read_bytes())
    assert_refused(admin_client, article, "he", upload, "This is a compiled .mo file")


def test_oversized_file_is_refused(admin_client, article):
    po = fill(exported(admin_client, article, "he"), title="כותרת מתורגמת")
    padding = "# padding\n" * (handoff.MAX_FILE_SIZE // 10)
    upload = SimpleUploadedFile("article.po", (str(po) + padding).encode())
    assert_refused(admin_client, article, "he", upload, "The file is too large")


def test_file_holding_only_a_header_is_refused(admin_client, article):
    po = exported(admin_client, article, "he")
    po[:] = []
    assert_refused(admin_client, article, "he", po_file(po), "The file holds no texts to import.")


def test_a_path_instead_of_a_file_is_refused(admin_client, article, settings):
    upload = SimpleUploadedFile("article.po", str(settings.BASE_DIR / "manage.py").encode())
    assert_refused(admin_client, article, "he", upload, "The file is not a translation (.po) file.")


def test_translation_too_long_for_its_field_is_refused(admin_client, article):
    po = fill(exported(admin_client, article, "he"), title="א" * 201, lede="פתיח חדש.")
    assert_refused(
        admin_client, article, "he", po_file(po), "Ensure this value has at most 200 characters"
    )


def test_title_whose_slug_another_article_has_is_refused(admin_client, article):
    Article.objects.create(title_tr="Başka", title_en="Path of Light")
    article.title_en = ""
    article.slug_en = None
    article.save()
    po = fill(exported(admin_client, article, "en"), title="Path of Light")
    assert_refused(admin_client, article, "en", po_file(po), "already exists")


def test_upload_without_a_file_is_refused(admin_client, article):
    response = admin_client.post(import_url(article, "he"), {})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


@pytest.mark.parametrize("language", ["tr", "xx"])
def test_import_into_the_source_or_an_unknown_language_is_not_found(
    admin_client, article, language
):
    assert admin_client.get(import_url(article, language)).status_code == 404


# Who may


@pytest.fixture
def reader(db):
    """A staff member who may view articles but not change them."""
    user = User.objects.create_user("reader", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_article"))
    return user


@pytest.mark.parametrize("url", [export_url, import_url])
def test_visitors_are_sent_to_log_in(client, article, url):
    response = client.get(url(article, "he"))
    assert response.status_code == 302
    assert "/en/admin/login/" in response["Location"]


def test_logged_in_non_staff_cannot_export(client, article):
    client.force_login(User.objects.create_user("visitor", password="x"))
    response = client.get(export_url(article, "he"))
    assert response.status_code == 302
    assert "/en/admin/login/" in response["Location"]


def test_visitors_cannot_import(client, admin_client, article):
    po = fill(exported(admin_client, article, "he"), title="כותרת מתורגמת")
    response = client.post(import_url(article, "he"), {"file": po_file(po)})
    assert response.status_code == 302
    assert texts(article, "he")["title"] == "דרך האור"


def test_staff_who_may_only_view_can_export_but_not_import(client, admin_client, article, reader):
    po = fill(exported(admin_client, article, "he"), title="כותרת מתורגמת")
    client.force_login(reader)
    assert client.get(export_url(article, "he")).status_code == 200
    assert client.post(import_url(article, "he"), {"file": po_file(po)}).status_code == 403
    assert texts(article, "he")["title"] == "דרך האור"


def test_staff_who_may_only_view_get_the_files_but_no_import_form(client, article, reader):
    client.force_login(reader)
    html = client.get(import_url(article, "he")).content.decode()
    assert f'href="{export_url(article, "he")}"' in html
    assert 'type="file"' not in html


# By segment: the units of the translation workspace.


def test_export_has_one_entry_per_body_block_without_its_markup(admin_client, article):
    entries = {entry.msgctxt: entry for entry in exported(admin_client, article, "he")}
    assert entries["body.4"].msgid == "Bir alıntı."
    assert entries["body.4"].msgstr == ""
    assert "Status: missing." in entries["body.4"].comment
    assert "Status: translated." in entries["body.1"].comment


def test_segment_needing_an_update_is_fuzzy_with_its_previous_source(admin_client, article, edit):
    edit(article, body_tr=article.body_tr.replace("Birinci bölüm.", "Birinci bölüm, yeni."))
    entries = {entry.msgctxt: entry for entry in exported(admin_client, article, "he")}
    assert entries["body.3"].fuzzy
    assert entries["body.3"].previous_msgid == "Birinci bölüm."
    assert entries["body.3"].msgid == "Birinci bölüm, yeni."
    assert not entries["body.1"].fuzzy


def test_round_trip_by_segment_fills_the_missing_block_in_its_place(admin_client, article):
    po = fill(exported(admin_client, article, "he"), body_4="ציטוט.")
    admin_client.post(import_url(article, "he"), {"file": po_file(po)})
    article.refresh_from_db()
    assert article.body_he == (
        "פסקת פתיחה.\n\n## מהי חווית הלקוח (CX)?\n\nפרק ראשון.\n\n> ציטוט.\n\n"
        "## חלק מהכול\n\nפרק שני."
    )
    again = {entry.msgctxt: entry for entry in exported(admin_client, article, "he")}
    assert again["body.4"].msgstr == "ציטוט." and "Status: translated." in again["body.4"].comment


def test_entry_follows_its_source_block_moved_since_the_export(admin_client, article, edit):
    po = fill(exported(admin_client, article, "he"), body_4="ציטוט.")
    edit(article, body_tr="Yeni açılış.\n\n" + article.body_tr)
    admin_client.post(import_url(article, "he"), {"file": po_file(po)})
    article.refresh_from_db()
    assert "> ציטוט." in article.body_he
    assert article.body_he.index("> ציטוט.") > article.body_he.index("פרק ראשון.")


def test_clearing_fuzzy_in_the_file_confirms_the_translation_still_correct(
    admin_client, article, edit
):
    edit(article, body_tr=article.body_tr.replace("Birinci bölüm.", "Birinci bölüm!"))
    po = exported(admin_client, article, "he")
    for entry in po:
        if entry.fuzzy:
            entry.flags.remove("fuzzy")
    admin_client.post(import_url(article, "he"), {"file": po_file(po)})
    article.refresh_from_db()
    statuses = {segment.key: segment.status for segment in article_segments(article, "he").segments}
    assert statuses["body.3"] == "translated"
