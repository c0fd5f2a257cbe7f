"""Two editors saving the same article: the second save is refused, and nothing is lost."""

import re
from html import unescape

import pytest
from django import forms
from django.test import Client
from reversion.models import Version

from articles.admin.forms import ContentForm
from articles.models import Article
from articles.writing import editing
from articles.writing.editing import EditConflict


@pytest.fixture
def other_client(db, django_user_model):
    """A second editor, logged in in a browser of her own."""
    editor = django_user_model.objects.create_superuser(
        "ayse", "ayse@example.com", "a-long-password", first_name="Ayşe", last_name="Yılmaz"
    )
    client = Client()
    client.force_login(editor)
    return client


def opened(client, article):
    """The article as the change form shows it, with the version it was opened at."""
    response = client.get(f"/en/admin/articles/article/{article.pk}/change/")
    form = response.context["adminform"].form
    article = form.instance
    article.version = form["version"].value()
    return article


def conflict_note(response):
    """What the refused editor reads above the form: the message and the details."""
    html = response.content.decode()
    note = re.search(r'<p class="errornote">.*?<div class="edit-conflict".*?</div>', html, re.S)
    return note.group(0)


def input_value(html, name):
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
    return unescape(re.search(r'value="([^"]*)"', tag).group(1))


def test_the_change_form_carries_the_version_it_was_opened_at(admin_client, article, change_url):
    html = admin_client.get(change_url(article)).content.decode()
    assert re.search(rf'<input type="hidden" name="version" value="{article.version}"', html)


def test_the_second_of_two_saves_from_the_same_version_is_refused(
    admin_client, other_client, article, change_url, change_form
):
    first, second = opened(other_client, article), opened(admin_client, article)
    other_client.post(change_url(article), change_form(first, title_he="כותרת של עיישה"))

    response = admin_client.post(change_url(article), change_form(second, title_tr="Benim"))

    assert response.status_code == 200
    note = conflict_note(response)
    assert "Someone else saved this article at" in note
    assert "(Ayşe Yılmaz) after you opened it" in note
    assert "Your changes are below and have not been saved." in note
    article.refresh_from_db()
    assert (article.title_he, article.title_tr) == ("כותרת של עיישה", "Işık Yolu")
    assert input_value(response.content.decode(), "title_tr") == "Benim"


def test_the_refused_editor_sees_what_the_other_changed(
    admin_client,
    other_client,
    article,
    save_in_admin,
    revisions,
    revision_url,
    change_url,
    change_form,
):
    save_in_admin(article)
    first, second = opened(other_client, article), opened(admin_client, article)
    other_client.post(change_url(article), change_form(first, title_he="כותרת של עיישה"))

    response = admin_client.post(change_url(article), change_form(second, title_tr="Benim"))

    note = conflict_note(response)
    assert "What they changed:" in note
    assert "title (Hebrew)" in note
    assert (
        '<span class="diff-changed">  <del>דרך האור</del><ins>כותרת של עיישה</ins></span>' in note
    )
    assert "title (Turkish)" not in note
    their_save = revisions(article)[-1]
    assert f'href="{revision_url(article, their_save)}"' in note
    assert admin_client.get(revision_url(article, their_save)).status_code == 200


def test_saving_again_without_reloading_is_refused_again(
    admin_client, other_client, article, change_url, change_form
):
    first, second = opened(other_client, article), opened(admin_client, article)
    other_client.post(change_url(article), change_form(first, title_he="כותרת של עיישה"))
    admin_client.post(change_url(article), change_form(second, title_tr="Benim"))

    response = admin_client.post(change_url(article), change_form(second, title_tr="Benim"))

    assert "Someone else saved this article" in conflict_note(response)
    article.refresh_from_db()
    assert article.title_tr == "Işık Yolu"


def test_after_reloading_the_second_editor_saves_both_changes(
    admin_client, other_client, article, change_url, change_form
):
    first, second = opened(other_client, article), opened(admin_client, article)
    other_client.post(change_url(article), change_form(first, title_he="כותרת של עיישה"))
    admin_client.post(change_url(article), change_form(second, title_tr="Benim"))

    reloaded = opened(admin_client, article)
    response = admin_client.post(change_url(article), change_form(reloaded, title_tr="Benim"))

    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.title_he, article.title_tr) == ("כותרת של עיישה", "Benim")


def test_a_save_from_elsewhere_also_refuses_a_form_opened_before_it(
    admin_client, article, change_url, change_form, edit
):
    """Say a translation import, which saves the article itself."""
    second = opened(admin_client, article)
    edit(Article.objects.get(pk=article.pk), body_he="גוף מיובא.")

    response = admin_client.post(change_url(article), change_form(second, title_tr="Benim"))

    note = conflict_note(response)
    assert "Someone else saved this article at" in note
    assert "What they changed:" in note
    assert "body (Hebrew)" in note
    article.refresh_from_db()
    assert (article.body_he, article.title_tr) == ("גוף מיובא.", "Işık Yolu")


def test_without_a_revision_of_where_the_form_started_the_note_compares_with_it(
    admin_client, article, change_url, change_form, edit
):
    """History kept from before the form was opened, or none: what differs is still shown."""
    second = opened(admin_client, article)
    Version.objects.all().delete()
    edit(Article.objects.get(pk=article.pk), body_he="גוף מיובא.")

    response = admin_client.post(change_url(article), change_form(second, title_tr="Benim"))

    note = conflict_note(response)
    assert "Where the saved version differs from your copy:" in note
    assert "body (Hebrew)" in note


def test_restoring_a_revision_is_refused_after_another_save(
    admin_client, other_client, article, save_in_admin, revisions, revision_url, change_form
):
    save_in_admin(article, title_he="כותרת ראשונה")
    save_in_admin(article, title_he="כותרת שנייה")
    first = revisions(article)[0]
    restore_form = admin_client.get(revision_url(article, first)).context["adminform"].form
    shown = restore_form.instance
    shown.version = restore_form["version"].value()
    save_in_admin(article, client=other_client, title_he="כותרת שלישית")

    response = admin_client.post(revision_url(article, first), change_form(shown))

    assert "Someone else saved this article" in conflict_note(response)
    article.refresh_from_db()
    assert article.title_he == "כותרת שלישית"


def test_each_save_that_changes_something_moves_the_version_on(article, edit):
    version = article.version
    edit(article, title_he="ראשונה")
    edit(article, title_he="שנייה")
    assert Article.objects.get().version == version + 2


def test_a_save_that_changes_nothing_leaves_the_version(article, edit):
    version = article.version
    edit(article, title_he=article.title_he)
    assert Article.objects.get().version == version


def test_saving_a_copy_loaded_before_another_save_is_refused(article, edit):
    mine, theirs = Article.objects.get(), Article.objects.get()
    edit(theirs, title_he="שלהם")
    mine.title_he = "שלי"

    with pytest.raises(EditConflict):
        editing.save(mine)

    assert Article.objects.get().title_he == "שלהם"


def test_a_save_that_lost_the_race_after_the_forms_check_shows_the_conflict(
    admin_client, article, monkeypatch, change_url, change_form, edit
):
    """Another save got in after the form's check, before this save reached the database."""
    second = opened(admin_client, article)
    edit(Article.objects.get(), title_he="שלהם")
    check = ContentForm.clean

    def check_that_came_too_early(form):
        monkeypatch.setattr(ContentForm, "clean", check)
        return forms.ModelForm.clean(form)

    monkeypatch.setattr(ContentForm, "clean", check_that_came_too_early)

    response = admin_client.post(change_url(article), change_form(second, title_tr="Benim"))

    assert response.status_code == 200
    assert "Someone else saved this article" in conflict_note(response)
    article.refresh_from_db()
    assert (article.title_he, article.title_tr) == ("שלהם", "Işık Yolu")
