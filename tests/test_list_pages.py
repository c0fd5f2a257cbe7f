"""Every page of a list holds the articles it held when pages were cut by OFFSET, in
order, with the right page numbers, whichever end of the list it is read from."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from articles.site.views import ARTICLES_PER_PAGE

from .test_lists import articles  # noqa: F401 (a fixture)


def shown(html):
    return re.findall(r">Yazı (\d+)<", html)


def expected(page):
    """The titles' numbers on `page` as Django's own paginator cuts the list."""
    newest_first = Article.objects.published().available_in("tr").order_by("-published_at", "-pk")
    start = (page - 1) * ARTICLES_PER_PAGE
    return [title.split()[-1] for title in newest_first.values_list("title_tr", flat=True)][
        start : start + ARTICLES_PER_PAGE
    ]


def address(page):
    return "/tr/" if page == 1 else f"/tr/page/{page}/"


@pytest.mark.parametrize(
    ("count", "pages"),
    [
        (2 * ARTICLES_PER_PAGE, 2),
        (2 * ARTICLES_PER_PAGE + 1, 3),
        (3 * ARTICLES_PER_PAGE + 5, 4),
        (5 * ARTICLES_PER_PAGE - 1, 5),
    ],
)
def test_each_page_holds_its_articles_newest_first(client, articles, count, pages):  # noqa: F811
    articles(count)
    for page in range(1, pages + 1):
        html = client.get(address(page)).content.decode()
        assert shown(html) == expected(page), page
        assert f"Sayfa {page} / {pages}" in html


@pytest.mark.parametrize("count", [2 * ARTICLES_PER_PAGE, 2 * ARTICLES_PER_PAGE + 1])
def test_there_is_no_page_after_the_last(client, articles, count):  # noqa: F811
    articles(count)
    last = -(-count // ARTICLES_PER_PAGE)
    assert 'rel="next"' not in client.get(address(last)).content.decode()
    assert client.get(address(last + 1)).status_code == 404


def test_articles_published_at_the_same_time_keep_their_order_on_every_page(
    client,
    articles,  # noqa: F811
):
    made = articles(3 * ARTICLES_PER_PAGE + 2)
    same_time = timezone.now() - timedelta(days=2)
    Article.objects.filter(pk__in=[article.pk for article in made]).update(published_at=same_time)
    seen = []
    for page in range(1, 5):
        html = client.get(address(page)).content.decode()
        assert shown(html) == expected(page), page
        seen += shown(html)
    assert len(seen) == len(set(seen)) == len(made)


def test_last_page_leaves_out_an_article_unpublished_in_its_language(
    client,
    articles,  # noqa: F811
    edit,
):
    made = articles(2 * ARTICLES_PER_PAGE + 3)
    edit(made[-1], is_published_tr=False)
    html = client.get(address(3)).content.decode()
    assert shown(html) == expected(3)
    assert len(shown(html)) == 2


def test_an_article_published_by_the_write_path_is_counted_at_once(
    client,
    articles,  # noqa: F811
    edit,
    django_capture_on_commit_callbacks,
):
    made = articles(2 * ARTICLES_PER_PAGE + 1)
    edit(made[-1], is_published_tr=False)
    assert "Sayfa 1 / 2" in client.get("/tr/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        edit(made[-1], is_published_tr=True)
    assert "Sayfa 1 / 3" in client.get("/tr/").content.decode()
    assert shown(client.get(address(3)).content.decode()) == expected(3)


# Committed as a script's save is: inside the test's transaction, the pages
# would be dropped once for all its saves (page_cache.invalidate_pages).
@pytest.mark.django_db(transaction=True)
def test_an_article_saved_by_a_script_is_counted_at_once(client, articles):  # noqa: F811
    articles(2 * ARTICLES_PER_PAGE)
    assert "Sayfa 1 / 2" in client.get("/tr/").content.decode()
    Article(title_tr="Yazı 99", body_tr="Metin.", is_published_tr=True).save()
    assert "Sayfa 1 / 3" in client.get("/tr/").content.decode()
    assert shown(client.get(address(3)).content.decode()) == expected(3)
