"""Related articles at the end of an article: its topic's first, then the newest, in
the page's language, before or after the call to action as marketing chooses."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from articles.models import Article, TourPage
from articles.site.views import RELATED_COUNT
from articles.writing import editing


@pytest.fixture
def others(article, topic, edit):
    """`article` on `topic`, and three others: the newest on no topic, an older one on
    the topic, and one in Turkish only."""
    now = timezone.now()

    def other(title_tr, title_he, minutes, **values):
        texts = {"title_tr": title_tr, "body_tr": "Metin.", "is_published_tr": True}
        if title_he:
            texts.update(title_he=title_he, body_he="טקסט.", is_published_he=True)
        published_at = now - timedelta(minutes=minutes)
        return editing.save(Article(published_at=published_at, **texts, **values)).obj

    edit(article, topic=topic)
    return {
        "newest": other("En Yeni", "הכי חדש", 1),
        "on_topic": other("Aynı Konu", "אותו נושא", 60, topic=topic),
        "turkish_only": other("Yalnız Türkçe", "", 2),
    }


def related_titles(html):
    section = re.search(r'<section class="related".*?</section>', html, re.S)
    return re.findall(r'<h3 class="card-title"><a href="[^"]+">([^<]+)</a>', section.group(0))


def test_related_articles_start_with_the_same_topic_then_the_newest(client, article, others):
    html = client.get(article.get_absolute_url("tr")).content.decode()
    assert related_titles(html) == ["Aynı Konu", "En Yeni", "Yalnız Türkçe"]


def test_an_older_article_on_the_topic_comes_before_many_newer_ones(client, article, others):
    for number in range(RELATED_COUNT + 2):
        editing.save(Article(title_tr=f"Yeni {number}", body_tr="Metin.", is_published_tr=True))
    html = client.get(article.get_absolute_url("tr")).content.decode()
    assert related_titles(html)[0] == "Aynı Konu"
    assert len(related_titles(html)) == RELATED_COUNT


def test_related_articles_are_in_the_pages_language_only(client, article, others):
    html = client.get(article.get_absolute_url("he")).content.decode()
    assert related_titles(html) == ["אותו נושא", "הכי חדש"]


def test_related_articles_never_list_the_article_itself(client, article, others):
    html = client.get(article.get_absolute_url("tr")).content.decode()
    assert article.title_tr not in related_titles(html)


def test_related_articles_come_after_the_call_to_action_by_default(client, article, others):
    html = client.get(article.get_absolute_url("tr")).content.decode()
    assert html.index('class="tour-cta"') < html.index('class="related"')


def test_marketing_can_put_related_articles_before_the_call_to_action(
    client, article, others, edit
):
    edit(TourPage.objects.get(), related_position=TourPage.RelatedPosition.BEFORE)
    html = client.get(article.get_absolute_url("tr")).content.decode()
    assert html.index('class="related"') < html.index('class="tour-cta"')


def test_an_article_alone_in_its_language_has_no_related_section(client, article):
    assert 'class="related"' not in client.get(article.get_absolute_url("he")).content.decode()


# Related articles are chosen from the newest, read once per page-cache
# generation: every kind of write below must show on the next page.


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` a write whose transaction commits, as outside the tests."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def related_in(client, article, language="tr"):
    html = client.get(article.get_absolute_url(language)).content.decode()
    return related_titles(html) if 'class="related"' in html else []


def test_an_article_saved_after_a_page_was_read_shows_among_related(
    client, article, others, committed
):
    related_in(client, article)
    with committed():
        editing.save(Article(title_tr="Şimdi", body_tr="Metin.", is_published_tr=True))
    assert related_in(client, article) == ["Aynı Konu", "Şimdi", "En Yeni"]


def test_a_deleted_article_leaves_related_articles(client, article, others, committed):
    related_in(client, article)
    with committed():
        others["newest"].delete()
    assert "En Yeni" not in related_in(client, article)


def test_an_unpublished_language_leaves_related_articles(client, article, others, committed, edit):
    related_in(client, article, "he")
    with committed():
        edit(others["on_topic"], is_published_he=False)
    assert related_in(client, article, "he") == ["הכי חדש"]


def test_a_topic_changed_by_a_script_moves_an_article_among_related(
    client, article, others, committed
):
    related_in(client, article)
    newest = others["newest"]
    newest.topic = article.topic
    with committed():
        # The ORM, not the write path: a script's or the shell's save.
        newest.save()
    assert related_in(client, article)[:2] == ["En Yeni", "Aynı Konu"]


def test_an_article_scheduled_for_later_shows_among_related_when_it_comes_out(
    client, article, others
):
    later = timezone.now() + timedelta(hours=1)
    editing.save(
        Article(title_tr="Yarın", body_tr="Metin.", is_published_tr=True, published_at=later)
    )
    assert "Yarın" not in related_in(client, article)
    after = later + timedelta(minutes=1)
    with (
        mock.patch("django.utils.timezone.now", return_value=after),
        mock.patch("operations.page_cache.now", return_value=after.timestamp()),
    ):
        assert related_in(client, article) == ["Aynı Konu", "Yarın", "En Yeni"]
