"""The home page and the other lists: the featured article, cards, pages of them."""

import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from articles.launch.loader import draw_figure
from articles.models import Article
from articles.site.views import ARTICLES_PER_PAGE
from articles.writing import editing


@pytest.fixture
def many(db, tour_page):
    """`many(count)`: that many articles published in Turkish and Hebrew, a minute
    apart, "Yazı 1" the oldest."""

    def make(count):
        now = timezone.now().replace(microsecond=0)
        return [
            editing.save(
                Article(
                    title_tr=f"Yazı {number}",
                    body_tr="Metin.",
                    is_published_tr=True,
                    title_he=f"מאמר {number}",
                    body_he="טקסט.",
                    is_published_he=True,
                    published_at=now - timedelta(minutes=count - number),
                )
            ).obj
            for number in range(1, count + 1)
        ]

    return make


def titles(html):
    return re.findall(r'<h2 class="card-title"><a href="[^"]+">([^<]+)</a>', html)


def test_home_page_features_the_newest_article(client, many):
    many(3)
    html = client.get("/tr/").content.decode()
    featured = re.search(r'<article class="card card-featured">.*?</article>', html, re.S)
    assert "Yazı 3" in featured.group(0)
    assert titles(html) == ["Yazı 3", "Yazı 2", "Yazı 1"]


def test_featured_image_loads_first_and_the_cards_later(client, launch, many, edit):
    for older in many(2):
        edit(older, image=ContentFile(draw_figure(), name="older.png"), image_alt_tr="Daire.")
    edit(launch, published_at=timezone.now())
    html = client.get("/tr/").content.decode()
    main = re.search(r"<main.*</main>", html, re.S).group(0)
    images = re.findall(r"<img [^>]*>", main)
    assert len(images) == 1 + 2
    assert 'fetchpriority="high"' in images[0]
    assert all('loading="lazy"' in image for image in images[1:])


def test_home_page_lists_a_page_of_articles_with_a_link_to_the_next(client, many):
    many(ARTICLES_PER_PAGE + 2)
    html = client.get("/tr/").content.decode()
    assert len(titles(html)) == ARTICLES_PER_PAGE
    assert '<link rel="next" href="/tr/page/2/">' in html
    assert '<a href="/tr/page/2/" rel="next">' in html
    assert 'rel="prev"' not in html


def test_second_page_holds_the_older_articles_and_links_back(client, many):
    many(ARTICLES_PER_PAGE + 2)
    html = client.get("/tr/page/2/").content.decode()
    assert titles(html) == ["Yazı 2", "Yazı 1"]
    assert '<link rel="prev" href="/tr/">' in html
    assert "card-featured" not in html


def test_first_page_has_one_address(client, many):
    many(1)
    response = client.get("/tr/page/1/")
    assert (response.status_code, response["Location"]) == (301, "/tr/")


@pytest.mark.parametrize(
    ("address", "page"), [("/tr/?page=2", "/tr/page/2/"), ("/he/?page=1", "/he/")]
)
def test_a_page_asked_for_by_query_is_sent_to_its_own_address(client, many, address, page):
    many(ARTICLES_PER_PAGE + 2)
    response = client.get(address)
    assert (response.status_code, response["Location"]) == (301, page)


@pytest.mark.parametrize("asked", ["0", "-1", "two", "", "2"])
def test_a_page_query_that_is_no_page_answers_404(client, many, asked):
    many(1)
    assert client.get(f"/tr/?page={asked}").status_code == 404


@pytest.mark.parametrize("page", ["0", "3", "999"])
def test_a_page_beyond_the_list_answers_404(client, many, page):
    many(ARTICLES_PER_PAGE + 2)
    assert client.get(f"/tr/page/{page}/").status_code == 404


def test_empty_list_leads_to_the_languages_with_articles_and_the_tour(client, article):
    html = client.get("/en/").content.decode()
    empty = re.search(r'<div class="empty-state">.*?</div>', html, re.S).group(0)
    assert 'href="/tr/"' in empty and 'href="/he/"' in empty
    assert 'href="/en/tour/"' in empty


def test_topic_page_lists_a_page_at_a_time(client, many, topic):
    many(ARTICLES_PER_PAGE + 1)
    Article.objects.update(topic=topic)
    html = client.get("/tr/topics/iletisim-ve-isik/page/2/").content.decode()
    assert titles(html) == ["Yazı 1"]
    assert '<link rel="prev" href="/tr/topics/iletisim-ve-isik/">' in html


def test_the_list_page_names_the_page_in_its_title(client, many):
    many(ARTICLES_PER_PAGE + 1)
    html = client.get("/he/page/2/").content.decode()
    assert re.search(r"<title>[^<]*עמוד 2[^<]*</title>", html)
