"""Editors see which translations are complete, missing or outdated, and what changed."""

import pytest

from articles.models import Article
from articles.text.segments import Status, article_segments


@pytest.fixture
def source_changed(article, edit):
    """The fixture article after its Turkish body changed, and nothing else."""
    body = article.body_tr.replace("Birinci bölüm.", "Birinci bölüm, yeniden yazıldı.")
    edit(article, body_tr=body)
    return article


def test_new_translation_is_complete(article):
    assert article.translation_status("he") == Article.TranslationStatus.COMPLETE


def test_language_without_its_texts_is_missing(article):
    assert article.translation_status("en") == Article.TranslationStatus.MISSING


def test_translation_is_outdated_once_the_source_changes(source_changed):
    assert source_changed.translation_status("he") == Article.TranslationStatus.OUTDATED


def test_source_language_itself_is_never_outdated(source_changed):
    assert source_changed.translation_status("tr") == Article.TranslationStatus.COMPLETE


def test_saving_the_translation_makes_it_complete_again(source_changed, edit):
    edit(source_changed, body_he=source_changed.body_he + "\n\nעודכן.")
    assert source_changed.translation_status("he") == Article.TranslationStatus.COMPLETE


def test_saving_without_touching_the_translation_keeps_it_outdated(source_changed, edit):
    edit(source_changed, lede_tr="Yeni bir giriş.")
    article = Article.objects.get()
    assert article.translation_status("he") == Article.TranslationStatus.OUTDATED


def test_change_list_marks_the_outdated_language(admin_client, source_changed):
    html = admin_client.get("/en/admin/articles/article/").content.decode()
    assert 'translation-outdated published" href=' in html
    assert 'title="outdated, published: 6 of 8 segments">he 6/8</a>' in html


def test_filter_finds_articles_missing_or_outdated_in_a_language(admin_client, source_changed):
    response = admin_client.get("/en/admin/articles/article/?needs_translation=he")
    assert list(response.context["cl"].result_list) == [source_changed]


def test_filter_leaves_out_complete_translations(admin_client, article):
    response = admin_client.get("/en/admin/articles/article/?needs_translation=he")
    assert list(response.context["cl"].result_list) == []


def test_filter_finds_missing_languages(admin_client, article):
    response = admin_client.get("/en/admin/articles/article/?needs_translation=en")
    assert list(response.context["cl"].result_list) == [article]


def test_change_form_shows_what_changed_in_the_source(admin_client, source_changed, change_url):
    html = admin_client.get(change_url(source_changed)).content.decode()
    # The words that changed are marked, the rest of the line is not.
    assert (
        '<span class="diff-changed">  Birinci <del>bölüm.</del><ins>bölüm, yeniden yazıldı.</ins>'
        "</span>" in html
    )


def test_change_form_shows_each_languages_status(admin_client, source_changed, change_url):
    html = admin_client.get(change_url(source_changed)).content.decode()
    assert 'class="translation-status translation-outdated"' in html
    assert 'class="translation-status translation-missing"' in html


def test_source_diff_escapes_the_editors_text(admin_client, article, change_url):
    article.body_tr += "\n\n<script>alert(1)</script>"
    article.save()
    html = admin_client.get(change_url(article)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" not in html


def test_updating_the_translation_in_the_admin_clears_outdated(
    admin_client, source_changed, change_form, change_url
):
    admin_client.post(
        change_url(source_changed),
        change_form(source_changed, body_he="גוף חדש.\n\n## חלק\n\nטקסט."),
    )
    assert Article.objects.get().translation_status("he") == Article.TranslationStatus.COMPLETE


def needing_update(article, language="he"):
    article.refresh_from_db()
    segmented = article_segments(article, language)
    return [segment.key for segment in segmented.segments if segment.status == Status.NEEDS_UPDATE]


def test_the_outdated_paragraph_stays_outdated_when_the_title_is_fixed_in_the_admin(
    admin_client, source_changed, change_form, change_url
):
    assert needing_update(source_changed) == ["body.3"]
    admin_client.post(
        change_url(source_changed), change_form(source_changed, title_he="דרך האור, מתוקנת")
    )
    assert needing_update(source_changed) == ["body.3"]
    assert Article.objects.get().translation_status("he") == Article.TranslationStatus.OUTDATED


def test_updating_one_paragraph_in_the_admin_brings_only_it_up_to_date(
    admin_client, source_changed, change_form, change_url, edit
):
    body = source_changed.body_tr.replace("İkinci bölüm.", "İkinci bölüm, yeniden.")
    edit(source_changed, body_tr=body)
    assert needing_update(source_changed) == ["body.3", "body.6"]
    body_he = source_changed.body_he.replace("פרק ראשון.", "פרק ראשון, מחדש.")
    admin_client.post(change_url(source_changed), change_form(source_changed, body_he=body_he))
    assert Article.objects.get().body_he == body_he
    assert needing_update(source_changed) == ["body.6"]
