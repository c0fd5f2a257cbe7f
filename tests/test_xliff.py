"""XLIFF 1.2 and 2.0: files CAT tools accept (checked against the OASIS schemas and
read and written by translate-toolkit), and their work brought back safely."""

import io
import zipfile

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from lxml import etree
from translate.storage import xliff as toolkit_xliff
from translate.storage import xliff2 as toolkit_xliff2

from articles.models import Article
from articles.text.segments import article_segments
from articles.translating import bundles, xliff

from .schemas import validate

NS = {"1.2": {"x": xliff.NAMESPACES["1.2"]}, "2.0": {"x": xliff.NAMESPACES["2.0"]}}
TOOLKIT = {"1.2": toolkit_xliff.xlifffile, "2.0": toolkit_xliff2.Xliff2File}
VERSIONS = pytest.mark.parametrize("version", ["1.2", "2.0"])
UNIT = {"1.2": "trans-unit", "2.0": "unit"}


def xliff_url(article, language, version, admin_language="en"):
    return (
        f"/{admin_language}/admin/articles/article/{article.pk}/translation/{language}"
        f"/xliff/{version}/"
    )


def import_url(article, language):
    return f"/en/admin/articles/article/{article.pk}/translation/{language}/import/"


def exported(client, article, language, version):
    response = client.get(xliff_url(article, language, version))
    assert response.status_code == 200
    return response.content


def upload(client, article, language, data, follow=True):
    file = SimpleUploadedFile("article.xlf", data, content_type="application/xliff+xml")
    return client.post(import_url(article, language), {"file": file}, follow=follow)


def unit_element(data, version, key):
    root = etree.fromstring(data)
    return root.find(f".//x:{UNIT[version]}[@id='{key}']", NS[version])


def targets(article, language):
    article.refresh_from_db()
    return {s.key: s.target for s in article_segments(article, language).segments}


def toolkit_unit(store, key):
    return next(unit for unit in store.units if unit.getid().split("\x04")[-1] == key)


@pytest.fixture
def marked(article, edit):
    """The small article with bold, a link and inline code in a paragraph, in both languages."""
    edit(
        article,
        body_tr=article.body_tr.replace(
            "Birinci bölüm.",
            "Birinci **bölüm** için [rehbere](https://example.com/rehber) bakın, `Ctrl+Enter`.",
        ),
        body_he=article.body_he.replace(
            "פרק ראשון.",
            "ראו את [המדריך](https://example.com/rehber) לפרק ה**ראשון**, `Ctrl+Enter`.",
        ),
    )
    article.refresh_from_db()
    return article


# The files


@VERSIONS
def test_launch_articles_hebrew_file_is_valid_against_the_oasis_schema(
    admin_client, launch, version
):
    data = exported(admin_client, launch, "he", version)
    assert validate(f"xliff-{version}", data) == []


@VERSIONS
def test_file_with_inline_codes_and_every_state_is_valid(admin_client, marked, edit, version):
    edit(marked, body_tr=marked.body_tr.replace("İkinci bölüm.", "İkinci bölüm, yeni."))
    data = exported(admin_client, marked, "he", version)
    assert validate(f"xliff-{version}", data) == []


def test_export_is_an_xliff_file_named_for_the_article_language_and_version(admin_client, launch):
    response = admin_client.get(xliff_url(launch, "he", "2.0"))
    assert response["Content-Type"] == "application/xliff+xml; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="article-{launch.pk}-he-xliff20.xlf"'
    )


@pytest.mark.parametrize("version", ["1.0", "3.0", "po"])
def test_unknown_xliff_version_is_not_found(admin_client, launch, version):
    assert admin_client.get(xliff_url(launch, "he", version)).status_code == 404


def test_export_into_the_source_language_is_not_found(admin_client, launch):
    assert admin_client.get(xliff_url(launch, "tr", "2.0")).status_code == 404


def test_languages_are_bcp_47_tags_and_the_file_names_the_article(admin_client, launch):
    root = etree.fromstring(exported(admin_client, launch, "he", "1.2"))
    file = root.find("x:file", NS["1.2"])
    assert (file.get("source-language"), file.get("target-language")) == ("tr", "he")
    assert file.get("original") == f"cxcs:article:{launch.pk}"
    root = etree.fromstring(exported(admin_client, launch, "he", "2.0"))
    assert (root.get("srcLang"), root.get("trgLang")) == ("tr", "he")


@VERSIONS
def test_one_unit_per_segment_with_the_workspaces_keys(admin_client, launch, version):
    root = etree.fromstring(exported(admin_client, launch, "he", version))
    ids = [unit.get("id") for unit in root.iter(f"{{{xliff.NAMESPACES[version]}}}{UNIT[version]}")]
    expected = [s.key for s in article_segments(launch, "he").segments if not s.is_fixed]
    assert ids == expected


@VERSIONS
def test_ids_are_the_same_in_every_export(admin_client, launch, version):
    def ids():
        root = etree.fromstring(exported(admin_client, launch, "he", version))
        return [
            unit.get("id") for unit in root.iter(f"{{{xliff.NAMESPACES[version]}}}{UNIT[version]}")
        ]

    assert ids() == ids()


def test_states_in_xliff_1_2(admin_client, article, edit):
    edit(article, body_tr=article.body_tr.replace("Birinci bölüm.", "Birinci bölüm, yeni."))
    data = exported(admin_client, article, "he", "1.2")
    target = "x:target"
    assert unit_element(data, "1.2", "title").find(target, NS["1.2"]).get("state") == "translated"
    needs_update = unit_element(data, "1.2", "body.3").find(target, NS["1.2"])
    assert needs_update.get("state") == "needs-review-translation"
    assert unit_element(data, "1.2", "body.4").find(target, NS["1.2"]) is None


def test_states_in_xliff_2_0(admin_client, article, edit):
    edit(article, body_tr=article.body_tr.replace("Birinci bölüm.", "Birinci bölüm, yeni."))
    data = exported(admin_client, article, "he", "2.0")

    def segment(key):
        return unit_element(data, "2.0", key).find("x:segment", NS["2.0"])

    assert segment("title").get("state") == "translated"
    assert (segment("body.3").get("state"), segment("body.3").get("subState")) == (
        "initial",
        "cxcs:needs-update",
    )
    assert segment("body.4").get("state") == "initial"
    assert segment("body.4").find("x:target", NS["2.0"]) is None


@VERSIONS
def test_notes_give_the_segment_its_length_limit_and_its_terms(admin_client, launch, version):
    unit = unit_element(exported(admin_client, launch, "he", version), version, "title")
    notes = " ".join(note.text for note in unit.iter(f"{{{xliff.NAMESPACES[version]}}}note"))
    assert "Title (at most 200 characters)" in notes
    assert "müşteri deneyimi → חוויית לקוח" in notes
    assert "תמיכת לקוחות (not: תמיכת לקוח)" in notes


def test_xliff_1_2_gives_the_title_its_length_limit_as_attributes(admin_client, launch):
    unit = unit_element(exported(admin_client, launch, "he", "1.2"), "1.2", "title")
    assert (unit.get("maxwidth"), unit.get("size-unit")) == ("200", "char")


def test_needing_an_update_says_what_the_translation_was_made_from(admin_client, article, edit):
    edit(article, body_tr=article.body_tr.replace("Birinci bölüm.", "Birinci bölüm, yeni."))
    unit = unit_element(exported(admin_client, article, "he", "2.0"), "2.0", "body.3")
    notes = [note.text for note in unit.iter(f"{{{xliff.NAMESPACES['2.0']}}}note")]
    assert any("It was translated from: Birinci bölüm." in note for note in notes)


# Inline codes


def test_marks_are_g_and_x_codes_in_xliff_1_2(admin_client, marked):
    unit = unit_element(exported(admin_client, marked, "he", "1.2"), "1.2", "body.3")
    source = etree.tostring(unit.find("x:source", NS["1.2"]), encoding="unicode")
    assert '<g id="1" ctype="bold" clone="no">bölüm</g>' in source
    assert '<g id="2" ctype="link" clone="no">rehbere</g>' in source
    assert '<x id="3" ctype="x-code" clone="no" equiv-text="`Ctrl+Enter`"/>' in source
    assert "example.com" not in source


def test_marks_are_pc_and_ph_codes_with_their_markdown_in_xliff_2_0(admin_client, marked):
    unit = unit_element(exported(admin_client, marked, "he", "2.0"), "2.0", "body.3")
    data = {d.get("id"): d.text for d in unit.iter(f"{{{xliff.NAMESPACES['2.0']}}}data")}
    assert data == {
        "d1": "**",
        "d1e": "**",
        "d2": "[",
        "d2e": "](https://example.com/rehber)",
        "d3": "`Ctrl+Enter`",
    }
    source = unit.find("x:segment/x:source", NS["2.0"])
    link = source.find("x:pc[@id='2']", NS["2.0"])
    assert (link.text, link.get("type"), link.get("canDelete"), link.get("canCopy")) == (
        "rehbere",
        "link",
        "no",
        "no",
    )


@VERSIONS
def test_the_translations_codes_carry_the_sources_ids(admin_client, marked, version):
    unit = unit_element(exported(admin_client, marked, "he", version), version, "body.3")
    target = unit.find(".//x:target", NS[version])
    ids = [element.get("id") for element in target.iter() if element is not target]
    assert ids == ["2", "1", "3"]


@VERSIONS
def test_a_translator_moving_the_link_in_a_cat_tool_keeps_its_address(
    admin_client, marked, version
):
    data = exported(admin_client, marked, "he", version)
    store = TOOLKIT[version].parsestring(data)
    unit = toolkit_unit(store, "body.3")
    ns = xliff.NAMESPACES[version]
    target = unit.xmlelement.find(f".//{{{ns}}}target")
    link = target.find(f"{{{ns}}}{'g' if version == '1.2' else 'pc'}[@id='2']")
    link.text = "במדריך"
    upload(admin_client, marked, "he", bytes(store))
    assert "[במדריך](https://example.com/rehber)" in targets(marked, "he")["body.3"]


# Back from a CAT tool


@VERSIONS
def test_a_target_changed_in_translate_toolkit_changes_exactly_that_segment(
    admin_client, client, launch, version
):
    before = targets(launch, "he")
    page_before = client.get(launch.get_absolute_url("he")).content.decode()
    store = TOOLKIT[version].parsestring(exported(admin_client, launch, "he", version))
    assert store.getsourcelanguage() == "tr"
    assert store.gettargetlanguage() == "he"
    toolkit_unit(store, "body.2").target = "מה זו חוויית לקוח (CX), בעצם?"
    written = bytes(store)
    assert validate(f"xliff-{version}", written) == []

    response = upload(admin_client, launch, "he", written)

    assert "The Hebrew translation was imported: 2 · heading changed." in (
        response.content.decode()
    )
    after = targets(launch, "he")
    assert after["body.2"] == "מה זו חוויית לקוח (CX), בעצם?"
    assert {k: v for k, v in after.items() if k != "body.2"} == {
        k: v for k, v in before.items() if k != "body.2"
    }
    page = client.get(launch.get_absolute_url("he")).content.decode()
    assert "בעצם?" in page
    assert "מהי חוויית הלקוח" in page_before and "מהי חוויית הלקוח" not in page


@VERSIONS
def test_the_history_names_the_format_and_the_segments_imported(
    admin_client, launch, version, revisions
):
    store = TOOLKIT[version].parsestring(exported(admin_client, launch, "he", version))
    toolkit_unit(store, "title").target = "כותרת חדשה"
    upload(admin_client, launch, "he", bytes(store))
    history = admin_client.get(f"/en/admin/articles/article/{launch.pk}/history/")
    assert (
        f"Imported the Hebrew translation file (XLIFF {version}): changed title."
        in history.content.decode()
    )


def test_the_file_as_exported_changes_nothing(admin_client, launch, revisions):
    count = len(revisions(launch))
    response = upload(admin_client, launch, "he", exported(admin_client, launch, "he", "2.0"))
    assert "Nothing changed" in response.content.decode()
    assert len(revisions(launch)) == count


@VERSIONS
def test_a_missing_segment_translated_in_the_file_is_filled_in_its_place(
    admin_client, article, version
):
    store = TOOLKIT[version].parsestring(exported(admin_client, article, "he", version))
    unit = toolkit_unit(store, "body.4")
    unit.target = "ציטוט."
    if version == "2.0":
        unit.marktranslated()
    upload(admin_client, article, "he", bytes(store))
    assert "\n\n> ציטוט.\n\n" in Article.objects.get(pk=article.pk).body_he


def test_a_target_still_marked_as_needing_work_is_not_imported(admin_client, article):
    data = exported(admin_client, article, "he", "1.2")
    root = etree.fromstring(data)
    target = root.find(".//x:trans-unit[@id='title']/x:target", NS["1.2"])
    target.text = "כותרת טיוטה"
    target.set("state", "needs-review-translation")
    response = upload(admin_client, article, "he", etree.tostring(root))
    assert targets(article, "he")["title"] == "דרך האור"
    assert "Not imported, not marked as translated in the file: title." in (
        response.content.decode()
    )


def test_a_translation_file_saved_as_utf_16_is_imported(admin_client, article):
    root = etree.fromstring(exported(admin_client, article, "he", "2.0"))
    root.find(".//x:unit[@id='title']/x:segment/x:target", NS["2.0"]).text = "כותרת"
    upload(admin_client, article, "he", etree.tostring(root, encoding="UTF-16"))
    assert targets(article, "he")["title"] == "כותרת"


# Refused, nothing written


def assert_refused(client, article, language, data, message, revisions):
    article.refresh_from_db()
    version, count = article.version, len(revisions(article))
    before = targets(article, language)
    response = upload(client, article, language, data, follow=False)
    assert response.status_code == 200
    html = response.content.decode()
    assert "The file was not imported; the article is unchanged." in html
    assert message in html, html[html.find("errorlist") - 200 : html.find("errorlist") + 600]
    article.refresh_from_db()
    assert article.version == version
    assert len(revisions(article)) == count
    assert targets(article, language) == before


@VERSIONS
def test_a_target_missing_an_inline_code_is_refused_naming_the_unit(
    admin_client, marked, version, revisions
):
    root = etree.fromstring(exported(admin_client, marked, "he", version))
    ns = xliff.NAMESPACES[version]
    title = root.find(f".//x:{UNIT[version]}[@id='title']//x:target", NS[version])
    title.text = "כותרת שתשתנה"
    target = root.find(f".//x:{UNIT[version]}[@id='body.3']//x:target", NS[version])
    code = target.find(f"{{{ns}}}{'x' if version == '1.2' else 'ph'}")
    target.remove(code)
    assert_refused(
        admin_client,
        marked,
        "he",
        etree.tostring(root),
        "The unit “body.3” lacks the inline code 3 of its source.",
        revisions,
    )


def test_codes_crossing_each_other_are_refused(admin_client, marked, revisions):
    root = etree.fromstring(exported(admin_client, marked, "he", "1.2"))
    target = root.find(".//x:trans-unit[@id='body.3']/x:target", NS["1.2"])
    ns = xliff.NAMESPACES["1.2"]
    for child in list(target):
        target.remove(child)
    target.text = None
    bpt = etree.SubElement(target, f"{{{ns}}}bx", id="1")
    bpt.tail = "א"
    etree.SubElement(target, f"{{{ns}}}bx", id="2").tail = "ב"
    etree.SubElement(target, f"{{{ns}}}ex", rid="1").tail = "ג"
    etree.SubElement(target, f"{{{ns}}}ex", rid="2")
    etree.SubElement(target, f"{{{ns}}}x", id="3")
    assert_refused(
        admin_client,
        marked,
        "he",
        etree.tostring(root),
        "The unit “body.3” has its inline code",
        revisions,
    )


@VERSIONS
def test_a_unit_the_article_does_not_have_is_refused(admin_client, article, version, revisions):
    root = etree.fromstring(exported(admin_client, article, "he", version))
    unit = root.find(f".//x:{UNIT[version]}[@id='title']", NS[version])
    copy = etree.fromstring(etree.tostring(unit))
    copy.set("id", "body.99")
    for text in copy.iter(f"{{{xliff.NAMESPACES[version]}}}source"):
        text.text = "Böyle bir paragraf yok."
    unit.addnext(copy)
    assert_refused(
        admin_client,
        article,
        "he",
        etree.tostring(root),
        "The unit “body.99” is not a text of this article.",
        revisions,
    )


@VERSIONS
def test_a_file_for_another_article_is_refused(admin_client, article, launch, version, revisions):
    store = TOOLKIT[version].parsestring(exported(admin_client, launch, "he", version))
    toolkit_unit(store, "title").target = "כותרת"
    assert_refused(
        admin_client,
        article,
        "he",
        bytes(store),
        f"This file belongs to another article (number {launch.pk}), not to this one "
        f"({article.pk}).",
        revisions,
    )


@VERSIONS
def test_a_file_for_another_language_is_refused(admin_client, article, version, revisions):
    data = exported(admin_client, article, "en", version)
    assert_refused(
        admin_client,
        article,
        "he",
        data,
        "This file is a translation into English; this page imports Hebrew.",
        revisions,
    )


def test_a_unit_adding_a_block_is_refused(admin_client, article, revisions):
    root = etree.fromstring(exported(admin_client, article, "he", "2.0"))
    target = root.find(".//x:unit[@id='body.1']/x:segment/x:target", NS["2.0"])
    target.text = "פסקה.\n\n## כותרת שהוספה"
    assert_refused(
        admin_client,
        article,
        "he",
        etree.tostring(root),
        "The unit “body.1” holds more than one paragraph",
        revisions,
    )


def test_a_file_declaring_entities_is_refused(admin_client, article, revisions):
    data = exported(admin_client, article, "he", "1.2").decode()
    data = data.replace(
        "<xliff ", '<!DOCTYPE xliff [<!ENTITY a "aaaaaaaaaa">]>\n<xliff ', 1
    ).replace("דרך האור", "&a;")
    assert_refused(
        admin_client, article, "he", data.encode(), "The file declares entities", revisions
    )


def test_a_file_that_is_not_xliff_is_refused(admin_client, article, revisions):
    data = b'<?xml version="1.0"?><html><body>no</body></html>'
    assert_refused(
        admin_client, article, "he", data, "The file is not an XLIFF 1.2 or 2.0 file.", revisions
    )


def test_malformed_xml_is_refused(admin_client, article, revisions):
    data = exported(admin_client, article, "he", "2.0")[:-40]
    assert_refused(
        admin_client, article, "he", data, "The file is not a valid XLIFF file", revisions
    )


def test_a_po_file_is_still_imported_on_the_same_page(admin_client, article):
    po = admin_client.get(
        f"/en/admin/articles/article/{article.pk}/translation/he/export/"
    ).content.decode()
    po = po.replace('msgstr "דרך האור"', 'msgstr "כותרת מ-PO"')
    upload(admin_client, article, "he", po.encode())
    assert targets(article, "he")["title"] == "כותרת מ-PO"


# Several at once


def test_bulk_export_asks_which_languages_and_version(admin_client, article, launch):
    response = admin_client.post(
        "/en/admin/articles/article/",
        {"action": "export_xliff", "_selected_action": [article.pk, launch.pk], "index": 0},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="languages" value="he"' in html
    assert 'name="version" value="1.2"' in html


def test_bulk_export_is_a_zip_of_one_valid_file_per_article_and_language(
    admin_client, article, launch
):
    response = admin_client.post(
        "/en/admin/articles/article/",
        {
            "action": "export_xliff",
            "_selected_action": [article.pk, launch.pk],
            "languages": ["he", "en"],
            "version": "1.2",
            "export": "Download",
        },
    )
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == sorted(
        f"article-{pk}-{language}-xliff12.xlf"
        for pk in (article.pk, launch.pk)
        for language in ("he", "en")
    )
    for name in archive.namelist():
        assert validate("xliff-1.2", archive.read(name)) == []


def test_bulk_export_without_a_language_asks_again(admin_client, article):
    response = admin_client.post(
        "/en/admin/articles/article/",
        {
            "action": "export_xliff",
            "_selected_action": [article.pk],
            "version": "2.0",
            "export": "1",
        },
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_bulk_export_function_takes_article_and_language_pairs(article, launch):
    data = bundles.zip_of([(launch, "he"), (article, "en"), (launch, "tr")], "xliff-2.0")
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert names == [f"article-{launch.pk}-he-xliff20.xlf", f"article-{article.pk}-en-xliff20.xlf"]


def test_import_is_logged_for_the_admin(admin_client, launch):
    store = TOOLKIT["2.0"].parsestring(exported(admin_client, launch, "he", "2.0"))
    toolkit_unit(store, "title").target = "כותרת חדשה"
    upload(admin_client, launch, "he", bytes(store))
    entry = LogEntry.objects.filter(object_id=str(launch.pk)).latest("pk")
    assert entry.get_change_message() == "Imported the Hebrew translation file: title changed."
