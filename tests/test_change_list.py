"""The article change list reads each article's progress and states as stored when it
was saved, whoever saved it, and finds the translations missing or outdated from them."""

import pytest
from django.contrib import admin as django_admin
from django.contrib.admin import ModelAdmin
from django.urls import reverse

from articles.models import Article
from articles.text.segments import article_segments

CHANGE_LIST = "/en/admin/articles/article/"
OUTDATED_IN_HEBREW = "/en/admin/articles/article/?needs_translation=he"


def rewritten_source(article):
    return article.body_tr.replace("Birinci bölüm.", "Birinci bölüm, yeniden yazıldı.")


def listed(admin_client, address):
    return list(admin_client.get(address).context["cl"].result_list)


def test_source_edited_in_the_admin_puts_the_article_under_outdated(
    admin_client, article, save_in_admin
):
    assert listed(admin_client, OUTDATED_IN_HEBREW) == []
    save_in_admin(article, body_tr=rewritten_source(article))
    assert listed(admin_client, OUTDATED_IN_HEBREW) == [article]


def test_source_saved_by_a_script_puts_the_article_under_outdated(admin_client, article):
    stored = Article.objects.get(pk=article.pk)
    stored.body_tr = rewritten_source(stored)
    stored.save()
    assert listed(admin_client, OUTDATED_IN_HEBREW) == [article]


def test_translation_brought_up_to_date_by_a_script_leaves_outdated(admin_client, article, edit):
    edit(article, body_tr=rewritten_source(article))
    stored = Article.objects.get(pk=article.pk)
    stored.body_he = stored.body_he + "\n\nעודכן."
    stored.save()
    assert listed(admin_client, OUTDATED_IN_HEBREW) == []


@pytest.mark.parametrize("language", ["he", "en"])
def test_stored_progress_follows_an_edit_of_the_source(article, edit, language):
    edit(article, body_tr=rewritten_source(article))
    stored = Article.objects.get(pk=article.pk)
    assert stored.progress(language) == article_segments(stored, language).progress()


def test_stored_progress_follows_a_save_by_a_script(article):
    stored = Article.objects.get(pk=article.pk)
    stored.lede_tr = "Yepyeni bir giriş."
    stored.save()
    stored = Article.objects.get(pk=article.pk)
    assert stored.progress("he") == article_segments(stored, "he").progress()
    assert stored.progress("he")[0] < stored.progress("he")[1]


def test_change_list_shows_the_stored_progress(admin_client, article, save_in_admin):
    save_in_admin(article, body_tr=rewritten_source(article))
    done, total = Article.objects.get(pk=article.pk).progress("he")
    html = admin_client.get(CHANGE_LIST).content.decode()
    assert f"he {done}/{total}</a>" in html
    assert done < total


def test_change_list_reads_no_text_of_the_articles(admin_client, article):
    deferred = listed(admin_client, CHANGE_LIST)[0].get_deferred_fields()
    assert {"body_tr", "body_html_he", "search_body_en"} <= deferred


def test_checkbox_of_a_row_is_djangos_own(article):
    model_admin = django_admin.site._registry[Article]
    assert model_admin.action_checkbox(article) == ModelAdmin.action_checkbox(model_admin, article)


def test_rows_link_to_their_change_form_and_workspace(admin_client, article):
    html = admin_client.get(CHANGE_LIST).content.decode()
    assert f'href="{reverse("admin:articles_article_change", args=[article.pk])}"' in html
    workspace = reverse("admin:articles_article_workspace", args=[article.pk, "he"])
    assert f'href="{workspace}"' in html
