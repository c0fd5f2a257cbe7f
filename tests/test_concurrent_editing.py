"""Two editors saving the same article: the second save is refused, and nothing is lost."""

import re
from html import unescape

import pytest
from django import forms
from django.test import Client

from articles.admin import ArticleForm
from articles.models import Article, EditConflict
from tests.test_admin import change_url as admin_change_url
from tests.test_history import change_form_data, revision_url, revisions, save


@pytest.fixture
def other_client(db, django_user_model):
    """A second editor, logged in in a browser of her own."""
    editor = django_user_model.objects.create_superuser(
        "ayse", "ayse@example.com", "a-long-password", first_name="Ayşe", last_name="Yılmaz"
    )
    client = Client()
    client.force_login(editor)
    return client


def change_url(article):
    return admin_change_url(article, "en")


def opened(client, article):
    """The article as the change form shows it, with the version it was opened at."""
    response = client.get(change_url(article))
    form = response.context["adminform"].form
    article = form.instance
    article.version = form["version"].value()
    return article


def conflict_note(response):
    return str(response.context["adminform"].form.non_field_errors())


def input_value(html, name):
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
    return unescape(re.search(r'value="([^"]*)"', tag).group(1))


def test_the_change_form_carries_the_version_it_was_opened_at(admin_client, article):
    html = admin_client.get(change_url(article)).content.decode()
    assert re.search(rf'<input type="hidden" name="version" value="{article.version}"', html)


def test_the_second_of_two_saves_from_the_same_version_is_refused(
    admin_client, other_client, article
):
    first, second = opened(other_client, article), opened(admin_client, article)
    other_client.post(change_url(article), change_form_data(first, title_he="כותרת של עיישה"))

    response = admin_client.post(change_url(article), change_form_data(second, title_tr="Benim"))

    assert response.status_code == 200
    note = conflict_note(response)
    assert "Someone else saved this article at" in note
    assert "(Ayşe Yılmaz) after you opened it" in note
    assert "Your changes are below and have not been saved." in note
    article.refresh_from_db()
    assert (article.title_he, article.title_tr) == ("כותרת של עיישה", "Işık Yolu")
    assert input_value(response.content.decode(), "title_tr") == "Benim"


def test_the_refused_editor_sees_what_the_other_changed(admin_client, other_client, article):
    save(admin_client, article)
    first, second = opened(other_client, article), opened(admin_client, article)
    other_client.post(change_url(article), change_form_data(first, title_he="כותרת של עיישה"))

    response = admin_client.post(change_url(article), change_form_data(second, title_tr="Benim"))

    note = conflict_note(response)
    assert "What they changed:" in note
    assert "title (Hebrew)" in note
    assert '<span class="diff-removed">− דרך האור</span>' in note
    assert '<span class="diff-added">+ כותרת של עיישה</span>' in note
    assert "title (Turkish)" not in note
    their_save = revisions(article)[-1]
    assert f'href="{revision_url(article, their_save)}"' in note
    assert admin_client.get(revision_url(article, their_save)).status_code == 200


def test_saving_again_without_reloading_is_refused_again(admin_client, other_client, article):
    first, second = opened(other_client, article), opened(admin_client, article)
    other_client.post(change_url(article), change_form_data(first, title_he="כותרת של עיישה"))
    admin_client.post(change_url(article), change_form_data(second, title_tr="Benim"))

    response = admin_client.post(change_url(article), change_form_data(second, title_tr="Benim"))

    assert "Someone else saved this article" in conflict_note(response)
    article.refresh_from_db()
    assert article.title_tr == "Işık Yolu"


def test_after_reloading_the_second_editor_saves_both_changes(admin_client, other_client, article):
    first, second = opened(other_client, article), opened(admin_client, article)
    other_client.post(change_url(article), change_form_data(first, title_he="כותרת של עיישה"))
    admin_client.post(change_url(article), change_form_data(second, title_tr="Benim"))

    reloaded = opened(admin_client, article)
    response = admin_client.post(change_url(article), change_form_data(reloaded, title_tr="Benim"))

    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.title_he, article.title_tr) == ("כותרת של עיישה", "Benim")


def test_a_save_from_elsewhere_also_refuses_a_form_opened_before_it(admin_client, article):
    """Say a translation import, which saves the article itself."""
    second = opened(admin_client, article)
    imported = Article.objects.get(pk=article.pk)
    imported.body_he = "גוף מיובא."
    imported.save()

    response = admin_client.post(change_url(article), change_form_data(second, title_tr="Benim"))

    note = conflict_note(response)
    assert "Someone else saved this article at" in note
    # No revision tells what the form started from: the note compares with the editor's copy.
    assert "Where the saved article differs from your copy:" in note
    assert "body (Hebrew)" in note
    article.refresh_from_db()
    assert (article.body_he, article.title_tr) == ("גוף מיובא.", "Işık Yolu")


def test_restoring_a_revision_is_refused_after_another_save(admin_client, other_client, article):
    save(admin_client, article, title_he="כותרת ראשונה")
    save(admin_client, article, title_he="כותרת שנייה")
    first = revisions(article)[0]
    restore_form = admin_client.get(revision_url(article, first)).context["adminform"].form
    shown = restore_form.instance
    shown.version = restore_form["version"].value()
    save(other_client, article, title_he="כותרת שלישית")

    response = admin_client.post(revision_url(article, first), change_form_data(shown))

    assert "Someone else saved this article" in conflict_note(response)
    article.refresh_from_db()
    assert article.title_he == "כותרת שלישית"


def test_each_save_moves_the_version_on(article):
    version = article.version
    article.save()
    article.save()
    assert Article.objects.get().version == version + 2


def test_saving_a_copy_loaded_before_another_save_is_refused(article):
    mine, theirs = Article.objects.get(), Article.objects.get()
    theirs.title_he = "שלהם"
    theirs.save()
    mine.title_he = "שלי"

    with pytest.raises(EditConflict):
        mine.save()

    assert Article.objects.get().title_he == "שלהם"


def test_a_save_that_lost_the_race_after_the_forms_check_shows_the_conflict(
    admin_client, article, monkeypatch
):
    """Another save got in after the form's check, before this save reached the database."""
    second = opened(admin_client, article)
    theirs = Article.objects.get()
    theirs.title_he = "שלהם"
    theirs.save()
    check = ArticleForm.clean

    def check_that_came_too_early(form):
        monkeypatch.setattr(ArticleForm, "clean", check)
        return forms.ModelForm.clean(form)

    monkeypatch.setattr(ArticleForm, "clean", check_that_came_too_early)

    response = admin_client.post(change_url(article), change_form_data(second, title_tr="Benim"))

    assert response.status_code == 200
    assert "Someone else saved this article" in conflict_note(response)
    article.refresh_from_db()
    assert (article.title_he, article.title_tr) == ("שלהם", "Işık Yolu")
