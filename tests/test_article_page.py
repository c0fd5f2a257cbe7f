"""The article page, byte for byte: the launch article in Turkish and Hebrew, alone
and with a related article, as the code before the page was made faster printed it
(tests/data/golden/, written by CXCS_WRITE_GOLDEN=1 from that code). Any change to
what a reader gets shows here first; a deliberate one writes the copies again."""

import os
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.db import DatabaseError

from articles.models import Article
from articles.site import sitewide
from articles.writing import editing

GOLDEN = Path(__file__).parent / "data" / "golden"
PUBLISHED = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
UPDATED = datetime(2026, 3, 4, 16, 5, 7, tzinfo=UTC)


def at_fixed_times(*articles):
    """Fixed publishing and change times, which the page prints (written past save(),
    whose auto_now would set the time of the run)."""
    for number, article in enumerate(articles):
        Article.objects.filter(pk=article.pk).update(
            published_at=PUBLISHED.replace(hour=number), updated_at=UPDATED
        )


def assert_same_as_stored(html, name):
    stored = GOLDEN / f"{name}.html"
    if os.environ.get("CXCS_WRITE_GOLDEN"):
        stored.write_bytes(html)
    assert without_ids(html) == without_ids(stored.read_bytes())


def without_ids(html):
    """`html` with the article's id in its read-count address left out: the database
    numbers rows (PostgreSQL goes on counting across tests, SQLite starts again)."""
    return re.sub(rb"/read/\d+/", b"/read/id/", html)


@pytest.mark.parametrize("language", ["tr", "he"])
def test_launch_article_page_is_byte_for_byte_as_before(client, launch, language):
    at_fixed_times(launch)
    response = client.get(launch.get_absolute_url(language))
    assert response.status_code == 200
    assert_same_as_stored(response.content, f"launch-{language}")


@pytest.mark.parametrize("language", ["tr", "he"])
def test_launch_article_page_with_a_related_article_is_byte_for_byte_as_before(
    client, launch, article, language
):
    article.topic = launch.topic
    editing.save(article)
    at_fixed_times(launch, article)
    response = client.get(launch.get_absolute_url(language))
    assert response.status_code == 200
    assert_same_as_stored(response.content, f"launch-related-{language}")


def test_an_article_page_reads_one_row(client, launch, article, django_assert_num_queries):
    article.topic = launch.topic
    editing.save(article)
    url = launch.get_absolute_url("he")
    # The first page of a generation also reads what holds until the next
    # save: the brand, the tour page, the header's topics, bylines, the newest
    # articles related ones are chosen from.
    client.get(url)
    with django_assert_num_queries(1):
        assert client.get(url).status_code == 200


def test_a_header_made_while_the_database_was_away_is_not_kept(client, launch, monkeypatch):
    url = launch.get_absolute_url("tr")
    topic_link = f'<li><a href="{launch.topic.get_absolute_url("tr")}">'

    def away(language):
        raise DatabaseError("database is away")

    with monkeypatch.context() as patched:
        patched.setattr(sitewide, "header_topics", away)
        assert topic_link not in client.get(f"{url}?while=away").content.decode()
    assert topic_link in client.get(url).content.decode()


@pytest.mark.parametrize("language", ["tr", "he"])
def test_an_article_without_image_topic_or_author_is_byte_for_byte_as_before(
    client, article, language
):
    at_fixed_times(article)
    response = client.get(article.get_absolute_url(language))
    assert response.status_code == 200
    assert_same_as_stored(response.content, f"small-{language}")


def test_an_editors_preview_is_byte_for_byte_as_before(admin_client, launch, edit):
    edit(launch, is_published_he=False, meta_description_he="")
    at_fixed_times(launch)
    response = admin_client.get(launch.get_absolute_url("he"))
    assert response.status_code == 200
    assert_same_as_stored(response.content, "preview-he")
