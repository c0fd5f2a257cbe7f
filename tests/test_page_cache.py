"""Public pages come from the cache until an editor saves; conditional GETs get 304."""

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from articles.rendering import place_figure
from operations.page_cache import invalidate_pages


def test_article_page_is_served_from_the_cache_without_queries(client, article):
    url = article.get_absolute_url("he")
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert len(queries) == 0


def test_uncached_article_page_makes_at_most_three_queries(
    client, article, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        assert client.get(article.get_absolute_url("he")).status_code == 200


def test_saving_an_article_drops_the_cached_pages(
    client, article, django_capture_on_commit_callbacks, edit
):
    url = article.get_absolute_url("he")
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        edit(article, title_he="כותרת מעודכנת")
    assert "כותרת מעודכנת" in client.get(url).content.decode()


def test_saving_through_the_admin_updates_the_list_at_once(
    admin_client, client, article, django_capture_on_commit_callbacks, change_form
):
    client.get("/he/")
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            f"/tr/admin/articles/article/{article.pk}/change/",
            change_form(article, title_he="שם חדש"),
        )
    assert "שם חדש" in client.get("/he/").content.decode()


def test_shared_caches_may_keep_pages_as_long_as_the_page_cache(client, article, settings):
    response = client.get(article.get_absolute_url("tr"))
    assert f"s-maxage={settings.CACHE_MIDDLEWARE_SECONDS}" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]


@pytest.mark.parametrize("visit", ["first", "cached"])
def test_browsers_ask_again_each_time_so_an_editor_sees_a_save(client, article, visit):
    url = article.get_absolute_url("tr")
    if visit == "cached":
        client.get(url)
    response = client.get(url)
    assert "max-age=0" in response["Cache-Control"]
    assert "must-revalidate" in response["Cache-Control"]


def test_conditional_get_with_the_etag_answers_304(client, article):
    url = article.get_absolute_url("tr")
    etag = client.get(url)["ETag"]
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""


def test_conditional_get_with_last_modified_answers_304(client, article):
    url = article.get_absolute_url("tr")
    last_modified = client.get(url)["Last-Modified"]
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304


def test_admin_pages_are_never_cached(admin_client, article):
    response = admin_client.get("/tr/admin/articles/article/")
    assert "no-store" in response["Cache-Control"]


def test_requests_with_a_query_string_are_rendered_afresh(client, article):
    url = article.get_absolute_url("tr") + "?utm_source=newsletter"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) > 0


def test_a_page_rendered_before_a_save_is_not_kept_after_it(
    client, article, django_capture_on_commit_callbacks
):
    url = article.get_absolute_url("he")
    old_title = article.title_he

    def save_while_rendering(*args, **kwargs):
        # The editor's save lands while this request is being rendered.
        with django_capture_on_commit_callbacks(execute=True):
            Article.objects.filter(pk=article.pk).update(title_he="אחרי השמירה")
            invalidate_pages()
        return place_figure(*args, **kwargs)

    with mock.patch("articles.views.place_figure", side_effect=save_while_rendering):
        assert old_title in client.get(url).content.decode()
    assert "אחרי השמירה" in client.get(url).content.decode()
