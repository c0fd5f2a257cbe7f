"""Run only by tests/test_languages.py, with tests.settings_arabic: the site and the
admin with a fourth language that no code names."""

import re

import pytest

from articles.models import Article
from articles.writing import editing


@pytest.fixture
def arabic_article(db):
    return editing.save(
        Article(
            is_published_ar=True,
            title_ar="تجربة العملاء",
            lede_ar="ما الفرق بين دعم العملاء وتجربة العملاء؟",
            body_ar="مقدمة عن CX.\n\n## ما هي تجربة العملاء؟\n\nنص.",
        )
    ).obj


def test_the_arabic_list_is_right_to_left(client, arabic_article):
    html = client.get("/ar/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "تجربة العملاء" in html


def test_an_arabic_article_keeps_its_letters_in_its_address(client, arabic_article):
    url = arabic_article.get_absolute_url("ar")
    assert (
        url
        == "/ar/articles/%D8%AA%D8%AC%D8%B1%D8%A8%D8%A9-%D8%A7%D9%84%D8%B9%D9%85%D9%84%D8%A7%D8%A1/"
    )
    html = client.get(url).content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    # Latin inside Arabic is isolated, as inside Hebrew.
    assert '<bdi dir="ltr">CX</bdi>' in html


def test_the_arabic_version_is_offered_in_the_switcher_and_hreflang(client, arabic_article):
    html = client.get(arabic_article.get_absolute_url("ar")).content.decode()
    assert 'hreflang="ar"' in html


def test_arabic_inputs_in_the_admin_are_right_to_left(admin_client, arabic_article):
    html = admin_client.get(f"/tr/admin/articles/article/{arabic_article.pk}/change/").content
    tag = re.search(r'<input[^>]*name="title_ar"[^>]*>', html.decode()).group(0)
    assert 'dir="rtl"' in tag and 'lang="ar"' in tag


def test_the_admin_speaks_arabic_right_to_left(admin_client, db):
    html = admin_client.get("/ar/admin/").content.decode()
    assert re.search(r'<html lang="ar" dir="rtl"', html)


def test_arabic_search_finds_the_article_by_its_words(client, arabic_article):
    html = client.get("/ar/search/", {"q": "العملاء"}).content.decode()
    assert "<mark>العملاء</mark>" in html
