"""A language without a published article is invisible: no switcher, hreflang,
sitemap entry or landing on it from "/"; its pages answer 404 only when it has
nothing at all."""

import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from articles.models import Article, TourPage
from articles.writing import editing

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def switcher(html):
    found = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S)
    return found.group(0) if found else ""


def hreflangs(html):
    return set(re.findall(r'<link rel="alternate" hreflang="([^"]+)"', html))


@pytest.fixture
def english(article, edit):
    """`article` published in English too."""
    return edit(article, body_en="Light.", is_published_en=True).obj


@pytest.mark.parametrize("path", ["/tr/", "/he/", "/tr/search/", "/he/tour/"])
def test_switchers_leave_out_a_language_without_articles(client, article, path):
    html = client.get(path).content.decode()
    assert 'lang="tr"' in switcher(html) and 'lang="he"' in switcher(html)
    assert 'lang="en"' not in switcher(html)


def test_hreflang_leaves_out_a_language_without_articles(client, article):
    assert hreflangs(client.get("/tr/").content.decode()) == {"tr", "he", "x-default"}
    assert hreflangs(client.get("/tr/tour/").content.decode()) == {"tr", "he", "x-default"}


def test_footer_lists_only_languages_with_articles(client, article):
    html = client.get("/tr/").content.decode()
    footer = re.search(r'<footer class="site-footer">.*?</footer>', html, re.S).group(0)
    assert 'href="/he/"' in footer and 'href="/en/"' not in footer


def test_a_language_gets_its_place_once_it_has_an_article(client, english):
    html = client.get("/tr/").content.decode()
    assert 'lang="en"' in switcher(html)
    assert "en" in hreflangs(html)


def test_sitemap_leaves_out_a_language_without_articles(client, article):
    root = ET.fromstring(client.get("/sitemap.xml").content)
    locations = [url.find(f"{SITEMAP}loc").text for url in root.findall(f"{SITEMAP}url")]
    assert "http://testserver/tr/tour/" in locations
    assert not [location for location in locations if "/en/" in location]


@pytest.mark.parametrize(
    ("accept", "lands_on"),
    [("en-US,en;q=0.9", "/tr/"), ("en,he;q=0.8", "/he/"), ("he-IL", "/he/"), ("", "/tr/")],
)
def test_root_leads_to_a_language_with_articles(client, article, accept, lands_on):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == lands_on


def test_root_leads_an_english_reader_to_english_once_it_has_articles(client, english):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Location"] == "/en/"


def test_the_admin_keeps_the_language_the_editor_asks_for(client, article):
    response = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Location"] == "/en/admin/"


def test_list_of_a_language_with_only_the_tour_page_answers_with_no_index(client, article):
    response = client.get("/en/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<meta name="robots" content="noindex">' in html
    assert not hreflangs(html)
    assert 'rel="canonical"' not in html


def test_list_and_tour_of_a_language_with_nothing_at_all_answer_404(client, article, edit):
    edit(TourPage.objects.get(), is_published_en=False)
    assert client.get("/en/").status_code == 404
    assert client.get("/en/tour/").status_code == 404


def test_the_default_languages_home_always_answers(client, db):
    assert client.get("/tr/").status_code == 200


def test_a_language_appears_when_its_first_article_comes_out_at_its_time(client, article):
    later = timezone.now() + timedelta(hours=1)
    editing.save(
        Article(title_en="Later", body_en="Soon.", is_published_en=True, published_at=later)
    )
    assert 'lang="en"' not in switcher(client.get("/tr/").content.decode())
    after = later + timedelta(minutes=1)
    with (
        mock.patch("django.utils.timezone.now", return_value=after),
        mock.patch("operations.page_cache.now", return_value=after.timestamp()),
    ):
        assert 'lang="en"' in switcher(client.get("/tr/").content.decode())
