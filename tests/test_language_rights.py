"""A translator limited to Hebrew changes Hebrew only: every write path refuses the
rest with a clear message and writes nothing; superusers and editors without a
limit keep their rights."""

import re

import polib
import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article, LanguageRole
from articles.text.segments import article_segments
from articles.writing import editing

from .conftest import article_form_data


def stored(article):
    return Article.objects.get(pk=article.pk)


def change_url(article):
    return f"/en/admin/articles/article/{article.pk}/change/"


def test_the_change_form_shows_other_languages_and_shared_fields_disabled(
    client_of, translator, article
):
    html = client_of(translator).get(change_url(article)).content.decode()
    turkish = re.search(r'<input[^>]*name="title_tr"[^>]*>', html).group(0)
    hebrew = re.search(r'<input[^>]*name="title_he"[^>]*>', html).group(0)
    assert "disabled" in turkish
    assert "disabled" not in hebrew
    assert "disabled" in re.search(r'<select[^>]*name="topic"[^>]*>', html).group(0)


def test_the_change_form_saves_the_translators_hebrew(client_of, translator, article):
    data = article_form_data(article, title_he="כותרת חדשה")
    response = client_of(translator).post(change_url(article), data)
    assert response.status_code == 302
    assert stored(article).title_he == "כותרת חדשה"


def test_the_change_form_refuses_a_turkish_change_and_writes_nothing(
    client_of, translator, article
):
    version = article.version
    data = article_form_data(article, title_tr="Başka", title_he="כותרת חדשה")
    response = client_of(translator).post(change_url(article), data)
    assert response.status_code == 200
    assert "you may change only the Hebrew texts, and this changes Turkish (title)" in (
        response.content.decode()
    )
    article = stored(article)
    assert (article.title_tr, article.title_he, article.version) == (
        "Işık Yolu",
        "דרך האור",
        version,
    )


def test_the_workspace_offers_only_the_translators_languages(client_of, translator, article):
    html = (
        client_of(translator)
        .get(f"/en/admin/articles/article/{article.pk}/translate/he/")
        .content.decode()
    )
    assert "/translate/en/" not in html


def test_the_workspace_refuses_a_save_in_another_language(client_of, translator, article):
    url = f"/en/admin/articles/article/{article.pk}/translate/en/"
    page = client_of(translator).get(url)
    assert page.status_code == 200
    assert "You may change only the Hebrew translation" in page.content.decode()
    data = {"version": article.version, "target-lede": "An English lede."}
    response = client_of(translator).post(url, data)
    assert response.status_code == 403
    assert "You may change only the Hebrew translation" in response.content.decode()
    assert stored(article).lede_en in ("", None)


def test_the_workspace_saves_the_translators_hebrew(client_of, translator, article):
    url = f"/en/admin/articles/article/{article.pk}/translate/he/"
    data = {"version": article.version, "target-body.4": "ציטוט."}
    assert client_of(translator).post(url, data).status_code == 302
    assert "> ציטוט." in stored(article).body_he


def import_po(client, article, language, **texts):
    po = polib.pofile(
        client.get(
            f"/en/admin/articles/article/{article.pk}/translation/{language}/export/"
        ).content.decode()
    )
    for entry in po:
        if entry.msgctxt in texts:
            entry.msgstr = texts[entry.msgctxt]
    upload = SimpleUploadedFile("article.po", str(po).encode())
    return client.post(
        f"/en/admin/articles/article/{article.pk}/translation/{language}/import/", {"file": upload}
    )


def test_a_translation_file_in_another_language_is_refused(client_of, translator, article):
    response = import_po(client_of(translator), article, "en", lede="An English lede.")
    assert response.status_code == 403
    assert "you may not change the English translation" in response.content.decode()
    assert stored(article).lede_en in ("", None)


def test_a_translation_file_in_the_translators_language_is_imported(client_of, translator, article):
    response = import_po(client_of(translator), article, "he", lede="פתיח חדש.")
    assert response.status_code == 302
    assert stored(article).lede_he == "פתיח חדש."


@pytest.fixture
def turkish_revision(article, edit, revisions):
    """The article's first revision, before its Turkish title changed."""
    edit(article, title_tr="Yeni Başlık")
    return revisions(article)[0]


def test_restoring_a_revision_that_changes_turkish_is_refused(
    client_of, translator, article, turkish_revision
):
    url = f"/en/admin/articles/article/{article.pk}/history/{turkish_revision.pk}/"
    client = client_of(translator)
    form = client.get(url).context["adminform"].form
    data = article_form_data(form.instance, version=form["version"].value())
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Nothing was saved: you may change only the Hebrew texts" in response.content.decode()
    assert stored(article).title_tr == "Yeni Başlık"


def test_restoring_the_same_revision_works_for_an_editor(
    admin_client, article, turkish_revision, restore_in_admin
):
    restore_in_admin(article, turkish_revision)
    assert stored(article).title_tr == "Işık Yolu"


def test_a_restricted_translator_cannot_add_delete_or_recover_articles(
    client_of, translator, article
):
    client = client_of(translator)
    assert client.get("/en/admin/articles/article/add/").status_code == 403
    assert client.post(f"/en/admin/articles/article/{article.pk}/delete/").status_code == 403
    assert client.get("/en/admin/articles/article/recover/").status_code == 403
    changelist = client.get("/en/admin/articles/article/")
    assert "delete_selected" not in changelist.content.decode()


def test_a_script_saving_as_the_translator_is_refused_too(translator, article):
    article.body_tr = "Başka bir metin."
    with pytest.raises(ValidationError, match="Turkish \\(body\\)"):
        editing.save(article, user=translator)
    assert stored(article).body_tr != "Başka bir metin."


def test_a_group_limits_its_members(db, article, django_user_model):
    group = Group.objects.create(name="Hebrew translators")
    LanguageRole.objects.create(group=group, role="translates", language="he")
    member = django_user_model.objects.create_user("member", is_staff=True)
    member.groups.add(group)
    article.title_en = "Another title"
    with pytest.raises(editing.LanguageRefused):
        editing.save(article, user=member)


def test_superusers_and_editors_without_a_limit_keep_their_rights(article, admin_user, editor):
    article.title_tr = "Yeni"
    editing.save(article, user=admin_user)
    article.title_en = "New"
    editing.save(article, user=editor)
    assert (stored(article).title_tr, stored(article).title_en) == ("Yeni", "New")


def test_what_a_hebrew_translation_was_made_from_may_change_but_not_others(translator, article):
    segmented = article_segments(article, "en")
    assert segmented.segments
    article.translation_sources = {**article.translation_sources, "en": {"title": "x"}}
    with pytest.raises(editing.LanguageRefused):
        editing.save(article, user=translator, translation_sources=article.translation_sources)
