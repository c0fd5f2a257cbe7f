"""The admin in the editor's own language, whatever language the content is in."""

import re

import pytest


def change_url(article, admin_language):
    return f"/{admin_language}/admin/articles/article/{article.pk}/change/"


def language_links(html):
    """The chooser's links: {language: the <a> tag and its text}."""
    nav = re.search(r'<nav class="admin-languages"[^>]*>.*?</nav>', html, re.S).group(0)
    return {lang: tag for tag, lang in re.findall(r'(<a [^>]*lang="([^"]+)"[^>]*>[^<]*</a>)', nav)}


def test_chooser_links_to_the_same_change_page_in_each_admin_language(admin_client, article):
    links = language_links(admin_client.get(change_url(article, "tr")).content.decode())
    assert f'href="{change_url(article, "he")}"' in links["he"]
    assert f'href="{change_url(article, "en")}"' in links["en"]
    assert f'href="{change_url(article, "tr")}"' in links["tr"]


def test_each_language_is_named_in_itself(admin_client, article):
    links = language_links(admin_client.get(change_url(article, "en")).content.decode())
    assert 'hreflang="he"' in links["he"] and 'dir="rtl"' in links["he"]
    assert links["he"].endswith(">עברית</a>")
    assert 'hreflang="tr"' in links["tr"] and links["tr"].endswith(">Türkçe</a>")


def test_chooser_marks_the_admins_current_language(admin_client, article):
    links = language_links(admin_client.get(change_url(article, "he")).content.decode())
    assert 'aria-current="page"' in links["he"]
    assert "hreflang" not in links["he"]
    assert 'aria-current="page"' not in links["tr"]


def test_hebrew_admin_page_reached_from_the_chooser_is_right_to_left(admin_client, article):
    links = language_links(admin_client.get(change_url(article, "tr")).content.decode())
    url = re.search(r'href="([^"]+)"', links["he"]).group(1)
    html = admin_client.get(url).content.decode()
    assert '<html lang="he" dir="rtl">' in html
    assert 'name="title_he"' in html


@pytest.mark.parametrize(("admin_language", "direction"), [("tr", "ltr"), ("en", "ltr")])
def test_turkish_and_english_admin_pages_are_left_to_right(
    admin_client, article, admin_language, direction
):
    html = admin_client.get(change_url(article, admin_language)).content.decode()
    assert f'<html lang="{admin_language}" dir="{direction}">' in html


def test_chooser_keeps_the_query_string(admin_client, article):
    html = admin_client.get("/tr/admin/articles/article/?q=I%C5%9F%C4%B1k&o=2").content.decode()
    assert (
        'href="/he/admin/articles/article/?q=I%C5%9F%C4%B1k&amp;o=2"' in language_links(html)["he"]
    )


def test_login_page_offers_the_chooser_and_keeps_where_login_leads(client, db):
    html = client.get("/tr/admin/login/?next=/tr/admin/articles/article/").content.decode()
    link = language_links(html)["he"]
    assert 'href="/he/admin/login/?next=%2Fhe%2Fadmin%2Farticles%2Farticle%2F"' in link


def test_next_outside_the_site_is_left_as_it_was(client, db):
    html = client.get("/tr/admin/login/?next=https://evil.example/").content.decode()
    link = language_links(html)["he"]
    assert 'href="/he/admin/login/?next=https%3A%2F%2Fevil.example%2F"' in link


def test_password_change_page_offers_the_chooser(admin_client):
    html = admin_client.get("/en/admin/password_change/").content.decode()
    assert 'href="/he/admin/password_change/"' in language_links(html)["he"]


def test_chooser_keeps_the_admins_own_header(admin_client, article):
    html = admin_client.get(change_url(article, "en")).content.decode()
    assert '<div id="site-name"><a href="/en/admin/">' in html
    assert 'id="logout-form"' in html
    assert 'href="/static/css/admin-language.css"' in html


def test_hebrew_inputs_stay_right_to_left_in_the_english_admin_from_the_chooser(
    admin_client, article
):
    links = language_links(admin_client.get(change_url(article, "he")).content.decode())
    url = re.search(r'href="([^"]+)"', links["en"]).group(1)
    html = admin_client.get(url).content.decode()
    assert '<html lang="en" dir="ltr">' in html
    tag = re.search(r'<input[^>]*name="title_he"[^>]*>', html).group(0)
    assert 'dir="rtl"' in tag and 'lang="he"' in tag


def catalogue_ids(language):
    from django.utils.translation import trans_real

    ids = set()
    for catalogue in trans_real.translation(language)._catalog._catalogs:
        ids |= {key if isinstance(key, str) else key[0] for key in catalogue}
    return ids - {""}


def test_every_string_turkish_translates_hebrew_translates_too():
    """Else the Hebrew admin shows it in Turkish, Django's fallback language."""
    assert sorted(catalogue_ids("tr") - catalogue_ids("he")) == []


@pytest.mark.parametrize(
    ("admin_language", "section", "list_name"),
    [
        ("tr", "Giriş güvenliği", "Başarısız erişimler"),
        ("he", "אבטחת כניסה", "גישות שנכשלו"),
        ("en", "Login security", "Access failures"),
    ],
)
def test_login_security_menu_is_in_the_admins_language(
    admin_client, db, admin_language, section, list_name
):
    html = admin_client.get(f"/{admin_language}/admin/").content.decode()
    assert section in html
    assert list_name in html


@pytest.mark.parametrize("admin_language", ["tr", "he", "en"])
def test_admin_header_names_the_site(admin_client, db, admin_language):
    html = admin_client.get(f"/{admin_language}/admin/").content.decode()
    assert '<div id="site-name"><a href="' in html
    assert "Django" not in re.search(r'<div id="site-name">.*?</div>', html, re.S).group(0)
    assert ">cxcs</a>" in html


def test_publishing_date_and_time_inputs_are_labelled(admin_client, article):
    html = admin_client.get(change_url(article, "en")).content.decode()
    assert re.search(
        r'<input[^>]*name="published_at_0"[^>]*aria-label="Publishing time: date"', html
    )
    assert re.search(
        r'<input[^>]*name="published_at_1"[^>]*aria-label="Publishing time: time"', html
    )
