"""Bad addresses get a localized, styled 404 page: never a 500, never a debug page."""

import pytest


def test_article_not_available_in_a_language_answers_404(client, article):
    response = client.get("/en/articles/the-way-of-light/")
    assert response.status_code == 404


def test_unavailable_article_offers_the_languages_it_is_available_in(client, article):
    html = client.get("/en/articles/the-way-of-light/").content.decode()
    assert f'href="{article.get_absolute_url("tr")}"' in html
    assert f'href="{article.get_absolute_url("he")}"' in html


def test_unknown_slug_answers_a_styled_404(client, db):
    response = client.get("/tr/articles/boyle-bir-yazi-yok/")
    assert response.status_code == 404
    assert "css/site.css" in response.content.decode()


def test_draft_article_answers_404(client, draft):
    assert client.get(draft.get_absolute_url("tr")).status_code == 404


def test_404_page_is_in_the_language_of_its_prefix(client, db):
    response = client.get("/he/nothing-here/")
    assert response.status_code == 404
    assert '<html lang="he" dir="rtl">' in response.content.decode()
    assert "הדף לא נמצא" in response.content.decode()


def test_unknown_language_prefix_answers_404_in_the_default_language(client, db):
    response = client.get("/fr/")
    assert response.status_code == 404
    assert '<html lang="tr" dir="ltr">' in response.content.decode()


def test_unknown_language_prefix_answers_404_in_the_visitors_language(client, db):
    response = client.get("/fr/", HTTP_ACCEPT_LANGUAGE="he")
    assert '<html lang="he" dir="rtl">' in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/tr/articles/%00/",
        "/tr/articles/%ff%fe/",
        "/tr/articles/a%2Fb/",
        "/tr/articles/<script>/",
        "/tr/articles/" + "a" * 5000 + "/",
        "/he/articles/..%2F..%2Fetc%2Fpasswd/",
        "/tr//articles//",
        "/%D7%90/",
    ],
)
def test_malformed_paths_answer_404(client, article, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "<script>" not in response.content.decode()


def test_tour_page_without_texts_in_a_language_answers_404(client, db):
    assert client.get("/en/tour/").status_code == 404
