"""Lists that scale: the article list and search a page at a time, the sitemap split
into files when large, the feed only the latest articles."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from articles.site.feeds import FEED_LENGTH
from articles.site.sitemaps import ArticleSitemap
from articles.site.views import ARTICLES_PER_PAGE

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def articles(db):
    """`articles(n)`: n articles in Turkish and Hebrew, the first the newest."""

    def make(count):
        start = timezone.now() - timedelta(days=1)
        made = []
        for number in range(count):
            # Article.save() makes the derived columns; the write path's extra
            # work (revisions, a child process per render) is not needed here.
            article = Article(
                title_tr=f"Yazı {number}",
                body_tr=f"Metin {number} ışık.",
                title_he=f"מאמר {number}",
                body_he=f"טקסט {number}.",
                is_published_tr=True,
                is_published_he=True,
                published_at=start - timedelta(minutes=number),
            )
            article.save()
            made.append(article)
        return made

    return make


def titles(html, language="tr"):
    word = {"tr": "Yazı", "he": "מאמר"}[language]
    return [line for line in html.splitlines() if f">{word} " in line]


def test_the_list_shows_one_page_of_articles(client, articles):
    articles(ARTICLES_PER_PAGE + 5)
    html = client.get("/tr/").content.decode()
    assert len(titles(html)) == ARTICLES_PER_PAGE
    assert "Yazı 0<" in html


def test_the_second_page_holds_the_older_articles(client, articles):
    articles(ARTICLES_PER_PAGE + 5)
    html = client.get("/tr/page/2/").content.decode()
    assert len(titles(html)) == 5
    assert f"Yazı {ARTICLES_PER_PAGE}<" in html
    assert "Yazı 0<" not in html


def test_list_pages_link_to_each_other_with_rel_prev_and_next(client, articles):
    articles(2 * ARTICLES_PER_PAGE + 1)
    html = client.get("/he/page/2/").content.decode()
    assert '<link rel="prev" href="/he/">' in html
    assert '<link rel="next" href="/he/page/3/">' in html
    assert '<a href="/he/page/3/" rel="next">' in html


def test_the_first_page_has_no_previous_page(client, articles):
    articles(ARTICLES_PER_PAGE + 1)
    html = client.get("/tr/").content.decode()
    assert 'rel="prev"' not in html
    assert 'rel="next" href="/tr/page/2/"' in html


def test_a_list_of_one_page_shows_no_page_links(client, articles):
    articles(3)
    assert 'class="pagination"' not in client.get("/tr/").content.decode()


def test_page_one_redirects_to_the_list(client, articles):
    articles(1)
    response = client.get("/tr/page/1/")
    assert response.status_code == 301
    assert response["Location"] == "/tr/"


@pytest.mark.parametrize("path", ["/tr/page/3/", "/tr/page/0/"])
def test_a_page_past_the_list_is_not_found(client, articles, path):
    articles(ARTICLES_PER_PAGE + 1)
    assert client.get(path).status_code == 404


def test_a_later_page_names_itself_as_canonical_and_no_other_language(client, articles):
    articles(ARTICLES_PER_PAGE + 1)
    html = client.get("/tr/page/2/").content.decode()
    assert '<link rel="canonical" href="http://testserver/tr/page/2/">' in html
    assert 'hreflang="he" href="http://testserver/he/page/2/"' not in html
    # The switcher still leads to the other languages' lists.
    assert 'href="/he/" lang="he"' in html


def test_later_pages_are_cached_like_the_first(client, articles):
    articles(ARTICLES_PER_PAGE + 1)
    assert "public" in client.get("/tr/page/2/")["Cache-Control"]


@pytest.mark.parametrize("count", [1, 3 * ARTICLES_PER_PAGE])
def test_the_list_takes_one_query_however_many_articles(
    client, articles, django_assert_num_queries, count
):
    articles(count)
    # The first render also reads what every page shows until the next save
    # (articles/sitewide.py): the brand, the header's topics, the languages
    # with articles, the tour page, and how many articles the list holds.
    client.get("/tr/")
    with django_assert_num_queries(1):
        client.get("/tr/")


def test_search_results_come_a_page_at_a_time_with_the_query_kept(client, articles):
    articles(ARTICLES_PER_PAGE + 3)
    html = client.get("/tr/search/?q=ışık").content.decode()
    assert len(titles(html)) == ARTICLES_PER_PAGE
    assert 'href="/tr/search/?q=%C4%B1%C5%9F%C4%B1k&amp;page=2" rel="next"' in html


def test_search_counts_every_match_not_only_the_first_page(client, articles):
    articles(ARTICLES_PER_PAGE + 3)
    html = client.get("/tr/search/?q=ışık").content.decode()
    assert f"{ARTICLES_PER_PAGE + 3} makale bulundu." in html


def test_search_second_page_shows_the_rest(client, articles):
    articles(ARTICLES_PER_PAGE + 3)
    html = client.get("/tr/search/?q=ışık&page=2").content.decode()
    assert len(titles(html)) == 3


@pytest.mark.parametrize("page", ["abc", "999", "-1"])
def test_search_with_a_page_number_out_of_range_shows_a_page(client, articles, page):
    articles(3)
    assert client.get(f"/tr/search/?q=ışık&page={page}").status_code == 200


def test_the_feed_holds_only_the_latest_articles(client, articles):
    articles(FEED_LENGTH + 5)
    root = ET.fromstring(client.get("/tr/feed/").content)
    entries = [entry.find(f"{ATOM}title").text for entry in root.iter(f"{ATOM}entry")]
    assert len(entries) == FEED_LENGTH
    assert entries[0] == "Yazı 0"


def sitemap_root(client, path="/sitemap.xml"):
    response = client.get(path)
    assert response.status_code == 200
    return ET.fromstring(response.content)


def test_a_small_sitemap_is_one_file(client, articles):
    articles(3)
    assert sitemap_root(client).tag == f"{SITEMAP}urlset"


@pytest.fixture
def small_sitemap_files(monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)


def test_a_large_sitemap_is_an_index_of_files(client, articles, small_sitemap_files):
    articles(5)
    root = sitemap_root(client)
    assert root.tag == f"{SITEMAP}sitemapindex"
    files = [location.text for location in root.iter(f"{SITEMAP}loc")]
    assert "http://testserver/sitemap-articles.xml?p=3" in files


def test_the_sitemap_files_list_every_article_once_in_each_language(
    client, articles, small_sitemap_files
):
    made = articles(5)
    root = sitemap_root(client)
    listed = []
    for location in root.iter(f"{SITEMAP}loc"):
        path = location.text.removeprefix("http://testserver")
        urlset = sitemap_root(client, path)
        listed += [url.find(f"{SITEMAP}loc").text for url in urlset.iter(f"{SITEMAP}url")]
    expected = {
        f"http://testserver{article.get_absolute_url(code)}"
        for article in made
        for code in ("tr", "he")
    }
    articles_listed = [url for url in listed if "/articles/" in url]
    assert sorted(articles_listed) == sorted(expected)


def test_a_sitemap_file_past_the_last_is_not_found(client, articles, small_sitemap_files):
    articles(3)
    assert client.get("/sitemap-articles.xml?p=9").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_the_sitemap_reads_no_article_text(client, articles, django_assert_max_num_queries):
    articles(3)
    # Once per generation: the languages with articles, the tour page.
    client.get("/sitemap.xml")
    # The articles (their count, then their rows), then for the authors and
    # for the topics those with articles and their rows.
    with django_assert_max_num_queries(7) as queries:
        client.get("/sitemap.xml")
    # What each query reads: the columns before the first FROM.
    assert all("body" not in query["sql"].split(" FROM ")[0] for query in queries)
