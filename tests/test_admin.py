"""Editing in the admin, through the test client as a logged-in editor."""

import json
import re
from html import unescape

import pytest
from django.contrib.staticfiles import finders

from articles.models import Article, TourPage


def input_tag(html, name):
    return re.search(rf'<(input|textarea)[^>]*name="{name}"[^>]*>', html).group(0)


def test_change_list_shows_which_languages_are_complete(admin_client, article):
    html = admin_client.get("/en/admin/articles/article/").content.decode()
    assert 'translation-complete published" title="complete, published">tr ✓' in html
    # The Hebrew body lacks the Turkish quotation: one segment of eight is missing.
    assert 'title="complete, published: 7 of 8 segments">he 7/8</a>' in html
    assert 'title="missing, draft: 1 of 8 segments">en 1/8</a>' in html


def test_editing_the_hebrew_title_shows_on_the_hebrew_page(
    admin_client, client, article, change_url, change_form
):
    response = admin_client.post(
        change_url(article, "tr"), change_form(article, title_he="כותרת חדשה")
    )
    assert response.status_code == 302
    assert "<h1>כותרת חדשה</h1>" in client.get(article.get_absolute_url("he")).content.decode()


@pytest.mark.parametrize("admin_language", ["tr", "he", "en"])
def test_hebrew_inputs_are_right_to_left_whatever_the_admin_language(
    admin_client, article, admin_language, change_url
):
    html = admin_client.get(change_url(article, admin_language)).content.decode()
    for name in ("title_he", "lede_he", "body_he", "image_alt_he"):
        tag = input_tag(html, name)
        assert 'dir="rtl"' in tag and 'lang="he"' in tag, tag


@pytest.mark.parametrize("admin_language", ["tr", "he", "en"])
def test_turkish_and_english_inputs_are_left_to_right(
    admin_client, article, admin_language, change_url
):
    html = admin_client.get(change_url(article, admin_language)).content.decode()
    for code in ("tr", "en"):
        tag = input_tag(html, f"body_{code}")
        assert 'dir="ltr"' in tag and f'lang="{code}"' in tag, tag


def test_hebrew_slug_input_stays_left_to_right(admin_client, article, change_url):
    tag = input_tag(admin_client.get(change_url(article, "he")).content.decode(), "slug_he")
    assert 'dir="ltr"' in tag and 'lang="he"' in tag


def test_slug_prefill_transliterates_turkish_and_keeps_hebrew_letters(admin_client, db):
    html = admin_client.get("/tr/admin/articles/article/add/").content.decode()
    config = re.search(r'data-prepopulated-fields="([^"]*)"', html).group(1)
    fields = {field["name"]: field for field in json.loads(config.replace("&quot;", '"'))}
    assert fields["slug_tr"]["allowUnicode"] is False
    assert fields["slug_en"]["allowUnicode"] is False
    assert fields["slug_he"]["allowUnicode"] is True
    assert fields["slug_he"]["dependency_list"] == ["title_he"]


def test_empty_slugs_are_made_from_each_languages_title(admin_client, db, change_form):
    article = Article(title_tr="Işık Yolu", title_he="דרך האור")
    admin_client.post("/tr/admin/articles/article/add/", change_form(article))
    saved = Article.objects.get()
    assert (saved.slug_tr, saved.slug_he, saved.slug_en) == ("isik-yolu", "דרך-האור", None)


def test_slug_already_used_in_the_same_language_is_a_form_error(admin_client, article, change_form):
    other = Article(title_tr="Başka Yazı")
    response = admin_client.post(
        "/en/admin/articles/article/add/", change_form(other, slug_tr="isik-yolu")
    )
    assert response.status_code == 200
    assert "already exists" in str(response.context["adminform"].form.errors["slug_tr"])
    assert Article.objects.count() == 1


def test_same_slug_in_another_language_is_allowed(admin_client, article, change_form):
    other = Article(title_he="מאמר אחר")
    response = admin_client.post(
        "/en/admin/articles/article/add/", change_form(other, slug_he="isik-yolu")
    )
    assert response.status_code == 302


def test_title_that_gives_no_slug_asks_for_one(admin_client, db, change_form):
    response = admin_client.post(
        "/en/admin/articles/article/add/", change_form(Article(title_he="?!"))
    )
    assert "please type one" in str(response.context["adminform"].form.errors["slug_he"])


def test_turkish_slug_with_turkish_letters_is_a_form_error(admin_client, db, change_form):
    response = admin_client.post(
        "/en/admin/articles/article/add/",
        change_form(Article(title_tr="Işık"), slug_tr="ışık"),
    )
    assert "slug_tr" in response.context["adminform"].form.errors


def test_admin_pages_load_no_asset_from_another_host(admin_client, article, change_url):
    html = admin_client.get(change_url(article, "tr")).content.decode()
    assets = re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]+)"', html)
    assert assets
    for url in assets:
        assert url.startswith("/") and not url.startswith("//"), url
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")), url
        else:
            assert admin_client.get(url).status_code == 200, url


def language_switch(html):
    return re.search(r'<fieldset class="language-switch".*?</fieldset>', html, re.S).group(0)


def test_change_form_has_one_language_switch_and_no_tabs_per_field(
    admin_client, article, change_url
):
    html = admin_client.get(change_url(article, "tr")).content.decode()
    assert html.count('class="language-switch"') == 1
    switch = language_switch(html)
    assert re.findall(r'value="(\w+)"', switch) == ["tr", "he", "en", "all"]
    fields = json.loads(unescape(re.search(r'data-fields="([^"]+)"', switch).group(1)))
    assert {"title_he", "body_he", "image_alt_he"} <= set(fields["he"])
    assert "body_html_he" not in fields["he"]
    assert "tabbed_translation_fields" not in html and "ui-tabs" not in html


def test_the_language_switch_counts_the_errors_of_each_language(
    admin_client, article, change_url, change_form
):
    response = admin_client.post(
        change_url(article, "en"), change_form(article, title_he="", slug_he="!")
    )
    switch = language_switch(response.content.decode())
    # The bad slug, and publishing without a title.
    assert 'value="he" data-errors="2"' in switch
    assert '<span class="language-switch-errors">2 errors</span>' in switch
    assert 'value="tr" data-errors' not in switch


def test_tour_page_texts_are_edited_in_the_admin(admin_client, client, tour_page):
    response = admin_client.post(
        f"/tr/admin/articles/tourpage/{tour_page.pk}/change/",
        {
            "text_tr": "Yeni çağrı",
            "button_label_tr": "Başla",
            "text_he": tour_page.text_he,
            "button_label_he": tour_page.button_label_he,
            "text_en": "",
            "button_label_en": "",
            "is_published_tr": "on",
            "is_published_he": "on",
            "destination_url": "https://tour.example.com/new",
            "related_position": "after",
        },
    )
    assert response.status_code == 302
    assert "Yeni çağrı" in client.get("/tr/tour/").content.decode()
    click = client.get("/tr/tour/go/", HTTP_USER_AGENT="Mozilla/5.0 Firefox/140.0")
    assert click["Location"] == "https://tour.example.com/new"


def test_tour_page_destination_must_be_a_url(admin_client, tour_page):
    response = admin_client.post(
        f"/tr/admin/articles/tourpage/{tour_page.pk}/change/",
        {"text_tr": "x", "button_label_tr": "y", "destination_url": "javascript:alert(1)"},
    )
    assert "destination_url" in response.context["adminform"].form.errors
    assert TourPage.objects.get().destination_url == "https://tour.example.com/start"


def test_a_second_tour_page_cannot_be_added(admin_client, tour_page):
    assert admin_client.get("/tr/admin/articles/tourpage/add/").status_code == 403
