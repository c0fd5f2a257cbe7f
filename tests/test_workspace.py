"""The translation workspace: an article's segments side by side, saved through the write path."""

import re

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.storage import default_storage

from articles.models import Article
from articles.text.segments import Status, article_segments


def workspace_url(article, language="he", admin_language="en"):
    return f"/{admin_language}/admin/articles/article/{article.pk}/translate/{language}/"


def posted(article, language="he", **texts):
    """The workspace's form as a browser posts it, with `texts` by key ("body_3" for "body.3")."""
    data = {"version": article.version, "next": ""}
    for segment in article_segments(article, language).segments:
        if not segment.is_fixed:
            data[f"target-{segment.key}"] = segment.target
    for key, text in texts.items():
        data[f"target-{key.replace('_', '.') if key.startswith('body') else key}"] = text
    return data


def status(article, key, language="he"):
    article.refresh_from_db()
    return article_segments(article, language).by_key()[key].status


@pytest.fixture
def reader(db):
    user = User.objects.create_user("reader", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_article"))
    return user


@pytest.mark.parametrize("admin_language", ["tr", "he", "en"])
def test_columns_carry_their_languages_direction_whatever_the_admin_language(
    admin_client, article, admin_language
):
    html = admin_client.get(workspace_url(article, admin_language=admin_language)).content.decode()
    assert '<div class="segment-text" lang="tr" dir="ltr">Işık Yolu</div>' in html
    textarea = re.search(r'<textarea id="target-title"[^>]*>', html).group(0)
    assert 'lang="he"' in textarea and 'dir="rtl"' in textarea


def test_workspace_shows_one_row_per_segment_with_its_status_and_progress(admin_client, article):
    html = admin_client.get(workspace_url(article)).content.decode()
    assert len(re.findall(r'<section class="segment ', html)) == 8
    assert '<strong class="workspace-progress">7 of 8 segments</strong>' in html
    assert 'class="segment status-missing" id="segment-body.4"' in html


def test_the_figures_caption_is_a_segment_to_translate(admin_client, article, edit):
    edit(article, image_caption_tr="Işığın yolu.")
    assert status(article, "image_caption") == Status.MISSING
    response = admin_client.post(
        workspace_url(article), posted(article, image_caption="דרכו של האור.")
    )
    assert response.status_code == 302
    assert Article.objects.get().image_caption_he == "דרכו של האור."
    assert status(article, "image_caption") == Status.TRANSLATED


def test_saving_a_segment_changes_that_text_and_names_it_in_the_history(
    admin_client, article, revisions
):
    response = admin_client.post(workspace_url(article), posted(article, body_4="ציטוט."))
    assert response.status_code == 302
    article.refresh_from_db()
    assert "> ציטוט." in article.body_he
    assert status(article, "body.4") == Status.TRANSLATED
    history = admin_client.get(f"/en/admin/articles/article/{article.pk}/history/").content
    assert "Translation workspace, Hebrew: changed 4 · quotation." in history.decode()
    assert len(revisions(article)) == 2


def test_saving_the_workspace_unchanged_changes_nothing(admin_client, article, revisions):
    response = admin_client.post(workspace_url(article), posted(article), follow=True)
    assert "Nothing changed." in response.content.decode()
    assert len(revisions(article)) == 1


def test_published_page_shows_the_saved_segment(admin_client, client, article):
    admin_client.post(workspace_url(article), posted(article, title="אור חדש"))
    assert "<h1>אור חדש</h1>" in client.get(article.get_absolute_url("he")).content.decode()


def test_changing_one_source_paragraph_shows_exactly_one_segment_needing_update(
    admin_client, article, edit
):
    edit(article, body_tr=article.body_tr.replace("Birinci bölüm.", "Birinci bölüm, yeni."))
    html = admin_client.get(workspace_url(article)).content.decode()
    assert html.count('class="segment status-needs_update"') == 1
    assert 'id="segment-body.3"' in re.search(
        r'class="segment status-needs_update"[^>]*>', html
    ).group(0)
    assert "<del>bölüm.</del><ins>bölüm, yeni.</ins>" in html


def test_marking_as_still_correct_clears_needs_update_without_retyping(admin_client, article, edit):
    edit(article, title_tr="Işık Yolu!")
    target = article.title_he
    data = {**posted(article), "confirm": "title"}
    admin_client.post(workspace_url(article), data)
    assert status(article, "title") == Status.TRANSLATED
    assert article.title_he == target
    history = admin_client.get(f"/en/admin/articles/article/{article.pk}/history/").content
    assert "marked as still correct: title." in history.decode()


def test_untouched_segment_needing_update_stays_so_when_another_is_saved(
    admin_client, article, edit
):
    edit(article, title_tr="Işık Yolu!")
    admin_client.post(workspace_url(article), posted(article, lede="פתיח חדש."))
    assert status(article, "title") == Status.NEEDS_UPDATE


def test_keyboard_save_goes_to_the_next_segment_needing_work(admin_client, article):
    data = {**posted(article, title="אור"), "next": "title"}
    response = admin_client.post(workspace_url(article), data)
    assert response["Location"].endswith("?next=body.4")
    html = admin_client.get(response["Location"]).content.decode()
    assert re.search(r'<textarea id="target-body.4"[^>]*autofocus', html)


def test_two_translators_at_once_get_the_conflict_message_and_keep_their_text(
    admin_client, article, edit
):
    data = posted(article, lede="הפתיח שלי.")
    edit(article, lede_he="פתיח של מישהו אחר.")
    response = admin_client.post(workspace_url(article), data)
    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this article at" in html
    assert "הפתיח שלי." in html
    article.refresh_from_db()
    assert article.lede_he == "פתיח של מישהו אחר."


def test_text_too_long_is_refused_with_the_reason_and_nothing_saved(admin_client, article):
    response = admin_client.post(workspace_url(article), posted(article, title="א" * 201))
    assert response.status_code == 400
    assert "at most 200 characters" in response.content.decode()
    article.refresh_from_db()
    assert article.title_he == "דרך האור"


def test_published_translation_cannot_lose_its_title(admin_client, article):
    response = admin_client.post(workspace_url(article), posted(article, title=""))
    assert response.status_code == 400
    assert "before publishing it" in response.content.decode()


def test_warnings_never_stop_a_save(admin_client, article):
    response = admin_client.post(workspace_url(article), posted(article, lede="Türkçe giriş."))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.lede_he == "Türkçe giriş."


def test_preview_renders_the_segment_as_readers_see_it(admin_client, article):
    response = admin_client.post(
        workspace_url(article) + "preview/",
        {"key": "body.2", "text": "מהי **חוויית** CX <script>x</script>"},
    )
    result = response.json()
    assert result["html"].startswith('<h2 id="')
    assert "<strong>חוויית</strong>" in result["html"]
    assert '<bdi dir="ltr">CX</bdi>' in result["html"]
    assert "<script>" not in result["html"]


def test_preview_of_an_unknown_segment_is_a_clear_error(admin_client, article):
    response = admin_client.post(workspace_url(article) + "preview/", {"key": "body.99"})
    assert response.status_code == 400
    assert response.json()["error"]


def test_preview_returns_the_checks_of_the_typed_text(admin_client, launch):
    response = admin_client.post(
        workspace_url(launch) + "preview/", {"key": "lede", "text": "מה ההבדל בחווית הלקוח?"}
    )
    fixes = [issue["fixed"] for issue in response.json()["issues"] if issue["fixed"]]
    assert fixes == ["מה ההבדל בחוויית הלקוח?"]


@pytest.mark.parametrize("language", ["tr", "xx"])
def test_workspace_of_the_source_or_an_unknown_language_is_not_found(
    admin_client, article, language
):
    assert admin_client.get(workspace_url(article, language)).status_code == 404


def test_workspace_of_a_missing_article_is_not_found(admin_client, db):
    assert admin_client.get("/en/admin/articles/article/999/translate/he/").status_code == 404


def test_visitors_are_sent_to_log_in(client, article):
    response = client.get(workspace_url(article))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_staff_who_may_only_view_see_the_workspace_without_saving(client, article, reader):
    client.force_login(reader)
    html = client.get(workspace_url(article)).content.decode()
    assert re.search(r'<textarea id="target-title"[^>]*readonly', html)
    assert 'name="_save"' not in html
    response = client.post(workspace_url(article), posted(article, title="אור"))
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title_he == "דרך האור"


def test_staff_without_view_permission_are_refused(client, article):
    user = User.objects.create_user("nobody", password="x", is_staff=True)
    client.force_login(user)
    assert client.get(workspace_url(article)).status_code == 403
    assert client.post(workspace_url(article) + "preview/", {"key": "title"}).status_code == 403


def test_change_form_and_list_link_to_each_translations_workspace(admin_client, article):
    form = admin_client.get(f"/en/admin/articles/article/{article.pk}/change/").content.decode()
    listing = admin_client.get("/en/admin/articles/article/").content.decode()
    for language in ("he", "en"):
        assert f'href="{workspace_url(article, language)}"' in form
        assert f'href="{workspace_url(article, language)}"' in listing


def test_translation_memory_suggestion_is_offered_with_its_match(admin_client, article, edit):
    Article.objects.get(pk=article.pk)
    edit(article, lede_he="")
    html = admin_client.get(workspace_url(article)).content.decode()
    assert '<span class="memory-match">100%</span>' in html
    assert 'data-text="פתיח בעברית."' in html


def test_restoring_the_version_before_a_workspace_save_brings_back_the_segments_state(
    admin_client, article, edit, revisions, restore_in_admin
):
    edit(article, title_tr="Işık Yolu!")
    before = revisions(article)[-1]
    admin_client.post(workspace_url(article), {**posted(article), "confirm": "title"})
    assert status(article, "title") == Status.TRANSLATED
    restore_in_admin(article, before)
    assert status(article, "title") == Status.NEEDS_UPDATE


def test_preview_of_a_hebrew_title_isolates_its_latin_words_and_escapes_markup(
    admin_client, article
):
    response = admin_client.post(
        workspace_url(article) + "preview/", {"key": "title", "text": "מהו CX <b>?"}
    )
    html = response.json()["html"]
    assert html.startswith('מהו <bdi dir="ltr">CX</bdi>')
    assert "<b>" not in html and "&lt;" in html


def test_the_workspace_of_an_article_whose_image_file_is_gone_still_opens(admin_client, launch):
    default_storage.delete(launch.image.name)
    assert admin_client.get(workspace_url(launch)).status_code == 200


def test_a_segment_typed_as_several_blocks_is_refused_naming_it(admin_client, article):
    response = admin_client.post(
        workspace_url(article), posted(article, body_3="פסקה.\n\n## כותרת\n\n[figure]")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "3 · paragraph" in html and "one paragraph" in html
    article.refresh_from_db()
    assert "כותרת" not in article.body_he


def test_workspace_opens_at_the_first_segment_needing_work(admin_client, article):
    html = admin_client.get(workspace_url(article)).content.decode()
    focused = re.findall(r'<textarea id="target-([^"]+)"[^>]*autofocus', html)
    assert focused == ["body.4"]


def test_memory_suggestion_names_its_article_and_when_another_editor_replaced_it(
    admin_client, article, edit
):
    editor = User.objects.create(username="dana", first_name="Dana", last_name="Kaya")
    other = edit(Article(title_tr="Başka", title_he="אחר", body_tr="Kısa.", body_he="קצר."))
    other = other.obj
    edit(other, user=editor, lede_tr="Türkçe giriş.", lede_he="גרסה ראשונה.")
    edit(other, user=editor, lede_he="גרסה שנייה.")
    html = admin_client.get(workspace_url(article)).content.decode()
    assert '<li class="memory-replaced">' in html
    assert "replaced there by Dana Kaya on" in html
    assert "<bdi>Başka</bdi>" in html


@pytest.fixture
def deepl(settings):
    from .machine_servers import Server, configure

    server = Server("deepl")
    configure(settings, "deepl", server)
    yield server
    server.stop()


def test_pretranslating_fills_missing_segments_for_review_with_their_origin(
    admin_client, article, deepl
):
    response = admin_client.post(workspace_url(article, "en") + "pretranslate/", follow=True)
    html = response.content.decode()
    assert "filled from the memory and" in html
    assert status(article, "lede", "en") == Status.NEEDS_REVIEW
    assert 'class="segment status-needs_review" id="segment-lede"' in html
    assert "Machine translation: DeepL" in html
    assert "Confirm all filled in" in html


def test_confirming_one_segment_makes_it_translated(admin_client, article, deepl):
    admin_client.post(workspace_url(article, "en") + "pretranslate/")
    article.refresh_from_db()
    response = admin_client.post(
        workspace_url(article, "en"), {**posted(article, "en"), "review": "lede"}
    )
    assert response.status_code == 302
    assert status(article, "lede", "en") == Status.TRANSLATED
    assert status(article, "body.1", "en") == Status.NEEDS_REVIEW


def test_confirming_all_makes_every_filled_segment_translated(admin_client, article, deepl):
    admin_client.post(workspace_url(article, "en") + "pretranslate/")
    article.refresh_from_db()
    admin_client.post(workspace_url(article, "en"), {**posted(article, "en"), "review_all": "1"})
    article.refresh_from_db()
    assert not [
        s for s in article_segments(article, "en").segments if s.status == Status.NEEDS_REVIEW
    ]


def test_without_a_service_the_button_says_only_the_memory_fills(admin_client, article, settings):
    settings.MACHINE_TRANSLATION = ""
    html = admin_client.get(workspace_url(article, "en")).content.decode()
    assert "Pre-translate from the memory" in html
    assert "No machine translation service is configured" in html


def test_pretranslating_needs_a_post_and_the_change_permission(client, reader, article, deepl):
    client.force_login(reader)
    assert client.post(workspace_url(article, "en") + "pretranslate/").status_code == 403
    reader.user_permissions.add(Permission.objects.get(codename="change_article"))
    reader = User.objects.get(pk=reader.pk)
    client.force_login(reader)
    assert client.get(workspace_url(article, "en") + "pretranslate/").status_code == 405


def test_published_language_is_not_pretranslated_and_says_why(admin_client, article, deepl):
    article.lede_he = ""
    article.save()
    response = admin_client.post(workspace_url(article, "he") + "pretranslate/", follow=True)
    assert "is published" in response.content.decode()
    assert status(article, "lede") == Status.MISSING


def test_change_list_pretranslates_the_articles_chosen(admin_client, article, draft, deepl):
    response = admin_client.post(
        "/en/admin/articles/article/",
        {"action": "pretranslate_en", "_selected_action": [article.pk, draft.pk]},
        follow=True,
    )
    assert "2 articles pre-translated into English." in response.content.decode()
    assert status(draft, "title", "en") == Status.NEEDS_REVIEW
