"""Editors see which translations are complete, missing or outdated, and what changed."""

import pytest

from articles.models import Article


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
    assert '<span class="diff-removed">− Birinci bölüm.</span>' in html
    assert '<span class="diff-added">+ Birinci bölüm, yeniden yazıldı.</span>' in html


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
