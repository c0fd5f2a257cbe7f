"""The translation memory as TMX and the term base as TBX: valid against their published
DTD and schema, read and written by translate-toolkit, and back without loss."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from lxml import etree
from translate.storage import tbx as toolkit_tbx
from translate.storage import tmx as toolkit_tmx

from articles.models import Concept, MemoryUnit
from articles.text.segments import Status, article_segments
from articles.translating import memory, tbx, tmx
from articles.translating.tbx import values_of

from .schemas import validate

TMX_URL = "/en/admin/articles/memoryunit/tmx/"
TBX_URL = "/en/admin/articles/concept/tbx/"


def post_file(client, url, data, name):
    return client.post(url, {"file": SimpleUploadedFile(name, data)}, follow=True)


def launch_pairs(launch, languages=("he", "en")):
    """The launch article's translated segments, as (source, translation) pairs."""
    return {
        (segment.source, segment.target)
        for language in languages
        for segment in article_segments(launch, language).segments
        if segment.status == Status.TRANSLATED
    }


def term_base():
    return [values_of(concept) for concept in Concept.objects.order_by("pk")]


# TMX


def test_memory_export_of_the_launch_content_is_valid_tmx_1_4(admin_client, launch):
    response = admin_client.get(f"{TMX_URL}export/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="cxcs-memory-')
    assert validate("tmx", response.content) == []


def test_memory_export_holds_each_translated_pair_with_languages_and_dates(admin_client, launch):
    store = toolkit_tmx.tmxfile.parsestring(admin_client.get(f"{TMX_URL}export/").content)
    pairs = {(unit.source, unit.target) for unit in store.units}
    assert pairs == launch_pairs(launch)
    root = etree.fromstring(admin_client.get(f"{TMX_URL}export/").content)
    unit = root.find("body/tu")
    assert unit.get("changedate").endswith("Z")
    languages = [variant.get("{http://www.w3.org/XML/1998/namespace}lang") for variant in unit]
    assert languages[-2:] == ["tr", "he"]


def test_a_segment_needing_an_update_is_not_in_the_memory(launch, edit):
    source = launch.title_tr
    edit(launch, title_tr=source + " (2026)")
    hebrew = {pair.source for pair in tmx.pairs() if pair.target_language == "he"}
    assert source not in hebrew and source + " (2026)" not in hebrew
    assert launch.lede_tr in hebrew


def test_memory_round_trips_the_launch_content(admin_client, launch):
    exported = admin_client.get(f"{TMX_URL}export/").content
    response = post_file(admin_client, f"{TMX_URL}import/", exported, "memory.tmx")
    added = len(launch_pairs(launch))
    assert f"{added} pairs added to the translation memory; 0 were already there." in (
        response.content.decode()
    )
    imported = {(unit.source, unit.target) for unit in MemoryUnit.objects.filter(article=None)}
    assert imported == launch_pairs(launch)
    again = post_file(admin_client, f"{TMX_URL}import/", exported, "memory.tmx")
    assert f"0 pairs added to the translation memory; {added} were already there." in (
        again.content.decode()
    )
    assert admin_client.get(f"{TMX_URL}export/").content.count(b"<tu ") == added


def test_a_memory_written_by_translate_toolkit_feeds_the_workspace(admin_client, article):
    store = toolkit_tmx.tmxfile(sourcelanguage="tr", targetlanguage="he")
    store.addtranslation("Bir alıntı.", "tr", "ציטוט מהזיכרון.", "he")
    store.addtranslation("Başka bir şey.", "tr", "Something else.", "en")
    store.addtranslation("Almanca.", "tr", "Deutsch.", "de")
    response = post_file(admin_client, f"{TMX_URL}import/", bytes(store), "agency.tmx")
    assert "2 pairs added" in response.content.decode()
    assert "1 left out" in response.content.decode()
    suggestions = memory.suggestions({"quote": "Bir alıntı."}, {}, "tr", "he")["quote"]
    assert [suggestion.target for suggestion in suggestions] == ["ציטוט מהזיכרון."]
    workspace = admin_client.get(f"/en/admin/articles/article/{article.pk}/translate/he/")
    assert "ציטוט מהזיכרון." in workspace.content.decode()


def test_inline_marks_travel_as_tmx_codes_and_come_back(admin_client, article, edit):
    edit(article, body_tr="Bir **kalın** [bağlantı](https://example.com).", body_he="")
    text = "Bir **kalın** [bağlantı](https://example.com)."
    data = tmx.build([tmx.Pair("tr", "he", text, "**מודגש** [קישור](https://example.com).")])
    assert validate("tmx", data) == []
    assert b'<bpt i="1">**</bpt>kal' in data
    tmx.apply_tmx(data)
    assert MemoryUnit.objects.get(article=None).source == text


@pytest.mark.parametrize(
    "data, message",
    [
        (b"<tmx version='1.4'><header/></tmx>", "The file is not a TMX file."),
        (b"<tmx><body><tu>", "The file is not a valid TMX file"),
        (b"", "The submitted file is empty."),
    ],
)
def test_a_file_that_is_not_tmx_is_refused(admin_client, db, data, message):
    response = post_file(admin_client, f"{TMX_URL}import/", data, "memory.tmx")
    assert message in response.content.decode()
    assert not MemoryUnit.objects.exists()


def test_staff_who_may_only_view_the_memory_can_export_but_not_import(
    client, launch, django_user_model
):
    user = django_user_model.objects.create_user("reader", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_memoryunit"))
    client.force_login(user)
    assert client.get(f"{TMX_URL}export/").status_code == 200
    data = tmx.build()
    assert post_file(client, f"{TMX_URL}import/", data, "m.tmx").status_code == 403
    assert not MemoryUnit.objects.filter(article=None).exists()


# TBX


def test_term_base_export_of_the_launch_concepts_is_valid_tbx(admin_client, launch):
    response = admin_client.get(f"{TBX_URL}export/")
    assert response.status_code == 200
    assert validate("tbx", response.content) == []


def test_forbidden_variants_are_deprecated_terms_and_notes_are_kept(admin_client, launch):
    data = admin_client.get(f"{TBX_URL}export/").content
    store = toolkit_tbx.tbxfile.parsestring(data, sourcelanguage="tr", targetlanguage="he")
    concept = Concept.objects.get(terms_tr__startswith="müşteri desteği")
    unit = next(unit for unit in store.units if unit.getid() == f"c{concept.pk}")
    hebrew = unit.get_target_terms("he")
    assert [term.text for term in hebrew if not term.deprecated] == concept.terms_he.splitlines()
    deprecated = [term.text for term in hebrew if term.deprecated]
    assert deprecated == [line.split(" → ")[0] for line in concept.forbidden_he.splitlines()]
    assert concept.note and concept.note in unit.getnotes()


def test_term_base_round_trips_the_launch_concepts_without_loss(admin_client, launch):
    before = term_base()
    data = admin_client.get(f"{TBX_URL}export/").content
    Concept.objects.all().delete()
    response = post_file(admin_client, f"{TBX_URL}import/", data, "terms.tbx")
    assert f"Term base imported: {len(before)} added, 0 changed" in response.content.decode()
    assert term_base() == before


def test_importing_the_term_base_again_changes_nothing(admin_client, launch):
    before = term_base()
    data = admin_client.get(f"{TBX_URL}export/").content
    response = post_file(admin_client, f"{TBX_URL}import/", data, "terms.tbx")
    assert f"0 added, 0 changed, {len(before)} as they were" in response.content.decode()
    assert term_base() == before


def test_a_term_changed_in_translate_toolkit_comes_back(admin_client, launch):
    data = admin_client.get(f"{TBX_URL}export/").content
    store = toolkit_tbx.tbxfile.parsestring(data, sourcelanguage="tr", targetlanguage="he")
    concept = Concept.objects.get(terms_tr__startswith="SaaS")
    unit = next(unit for unit in store.units if unit.getid() == f"c{concept.pk}")
    unit.set_target_terms([*concept.terms_he.splitlines(), "תוכנה כשירות"], lang="he")
    post_file(admin_client, f"{TBX_URL}import/", bytes(store), "terms.tbx")
    concept.refresh_from_db()
    assert concept.terms_he.splitlines()[-1] == "תוכנה כשירות"


def test_a_new_concept_from_another_tools_file_is_added(admin_client, launch):
    store = toolkit_tbx.tbxfile(sourcelanguage="tr", targetlanguage="he")
    unit = store.addsourceunit("bilet")
    unit.settarget("כרטיס", lang="he")
    post_file(admin_client, f"{TBX_URL}import/", bytes(store), "glossary.tbx")
    added = Concept.objects.get(terms_tr="bilet")
    assert added.terms_he == "כרטיס"


def test_a_file_that_is_not_tbx_is_refused(admin_client, launch):
    before = term_base()
    response = post_file(admin_client, f"{TBX_URL}import/", b"<martif/>", "terms.tbx")
    assert "The file is not a TBX file." in response.content.decode()
    assert term_base() == before


def test_term_base_list_offers_export_and_import(admin_client, launch):
    html = admin_client.get("/en/admin/articles/concept/").content.decode()
    assert f'href="{TBX_URL}export/"' in html
    assert f'href="{TBX_URL}import/"' in html


def test_staff_who_may_only_view_the_term_base_cannot_import(client, launch, django_user_model):
    user = django_user_model.objects.create_user("reader", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_concept"))
    client.force_login(user)
    html = client.get("/en/admin/articles/concept/").content.decode()
    assert f'href="{TBX_URL}import/"' not in html
    before = term_base()
    data = tbx.build()
    Concept.objects.update(note="")
    assert post_file(client, f"{TBX_URL}import/", data, "t.tbx").status_code == 403
    assert term_base() != before
