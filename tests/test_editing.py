"""The one write path: what every save of content does, whoever saves."""

import re
import time

import markdown
import polib
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Author, Brand, Topic
from articles.text import rendering
from articles.writing import editing

# What a browser sends for a textarea: line breaks as CRLF.
CRLF_BODY = "Giriş.\r\n\r\n[figure]\r\n\r\n## Bölüm\r\n\r\nMetin."
# Nested brackets: Python-Markdown's inline patterns take quadratic time on them.
SLOW_BODY = "[" * 3000 + "a" + "]" * 3000


def stored(article):
    """The article's columns as the database holds them."""
    columns = [field.attname for field in Article.columns()]
    return Article.objects.filter(pk=article.pk).values(*columns).get()


def article_table_queries(queries):
    return [q["sql"] for q in queries if '"articles_article"' in q["sql"]]


def test_one_admin_save_reads_the_article_once_and_writes_it_once(
    admin_client, article, change_form, change_url
):
    data = change_form(article, title_he="כותרת חדשה")
    with CaptureQueriesContext(connection) as queries:
        assert admin_client.post(change_url(article), data).status_code == 302
    sql = article_table_queries(queries)
    row_reads = [q for q in sql if q.startswith("SELECT") and '"title_he"' in q]
    updates = [q for q in sql if q.startswith("UPDATE")]
    assert (len(row_reads), len(updates)) == (1, 1), sql
    # The update is checked against the version the editor started from.
    assert re.search(r'WHERE .*"version" = ', updates[0])


def test_saving_an_unchanged_form_as_a_browser_sends_it_changes_nothing(
    admin_client, client, launch, change_form, change_url, revisions
):
    page_before = client.get(launch.get_absolute_url("he")).content
    stored_before = stored(launch)
    versions_before = len(revisions(launch))
    # A browser posts every textarea with CRLF line breaks.
    texts = {
        name: value.replace("\n", "\r\n")
        for name, value in change_form(launch).items()
        if isinstance(value, str)
    }

    response = admin_client.post(change_url(launch), change_form(launch, **texts))

    assert response.status_code == 302
    assert stored(launch) == stored_before
    assert len(revisions(launch)) == versions_before
    assert client.get(launch.get_absolute_url("he")).content == page_before


def test_line_breaks_from_a_browser_are_stored_as_newlines(
    admin_client, article, change_form, change_url
):
    admin_client.post(change_url(article), change_form(article, body_tr=CRLF_BODY))
    article.refresh_from_db()
    assert article.body_tr == CRLF_BODY.replace("\r\n", "\n")
    assert rendering.places_figure(article.body_html_tr)


def test_a_crlf_save_of_the_source_leaves_the_translation_complete(
    admin_client, article, change_form, change_url
):
    body = article.body_tr.replace("\n", "\r\n")
    response = admin_client.post(change_url(article), change_form(article, body_tr=body))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.translation_status("he") == Article.TranslationStatus.COMPLETE


def test_the_figure_marker_is_never_found_by_search(client, launch):
    assert b"article-card" not in client.get("/he/search/", {"q": "figure"}).content


def test_texts_are_stored_in_unicode_composed_form(article, edit):
    edit(article, title_tr="I\u0307ş")  # "İş" typed as I + combining dot above
    assert Article.objects.get().title_tr == "İş"


@pytest.mark.parametrize("character", ["\x0b", "\x1b", "\x7f", "\x85"])
def test_a_control_character_in_a_title_is_a_form_error(
    admin_client, article, change_form, change_url, character
):
    response = admin_client.post(
        change_url(article), change_form(article, title_he=f"כותרת{character}חדשה")
    )
    assert response.status_code == 200
    assert "control character" in str(response.context["adminform"].form.errors["title_he"])
    assert Article.objects.get().title_he == article.title_he


@pytest.mark.parametrize("character", ["\u202e", "\u202b", "\u2067", "\u2069"])
def test_a_direction_control_in_a_title_is_a_form_error(
    admin_client, article, change_form, change_url, character
):
    response = admin_client.post(
        change_url(article), change_form(article, title_he=f"כותרת {character}Guru חדשה")
    )
    assert response.status_code == 200
    assert "direction control" in str(response.context["adminform"].form.errors["title_he"])
    assert Article.objects.get().title_he == article.title_he


def test_a_right_to_left_mark_in_a_title_is_kept(article, edit):
    edit(article, title_he="כותרת Guru\u200f!")
    assert Article.objects.get().title_he == "כותרת Guru\u200f!"


def test_a_line_break_in_a_title_is_a_form_error(admin_client, article, change_form, change_url):
    response = admin_client.post(change_url(article), change_form(article, title_tr="Bir\niki"))
    assert "one line" in str(response.context["adminform"].form.errors["title_tr"])


def test_tabs_and_line_breaks_stay_allowed_in_a_body(article, edit):
    edit(article, body_tr="Bir\tiki.\n\nÜç.")
    assert Article.objects.get().body_tr == "Bir\tiki.\n\nÜç."


def test_a_control_character_from_any_writer_is_refused(article):
    article.lede_he = "פתיח\x1bשבור"
    with pytest.raises(ValidationError):
        editing.save(article)
    assert Article.objects.get().lede_he == "פתיח בעברית."


def test_a_control_character_in_a_translation_file_is_refused(admin_client, article):
    po = polib.pofile(
        admin_client.get(
            f"/en/admin/articles/article/{article.pk}/translation/he/export/"
        ).content.decode()
    )
    po.find("title", by="msgctxt").msgstr = "כותרת\x0bשבורה"
    upload = SimpleUploadedFile(
        "he.po", str(po).encode(), content_type="text/x-gettext-translation"
    )

    response = admin_client.post(
        f"/en/admin/articles/article/{article.pk}/translation/he/import/", {"file": upload}
    )

    assert response.status_code == 200
    assert "control character" in response.content.decode()
    assert Article.objects.get().title_he == article.title_he


@pytest.mark.parametrize("character", ["\uffff", "\ufffe", "\ufdd0", "\U0010ffff"])
def test_a_noncharacter_in_a_topic_name_is_a_form_error(admin_client, topic, character):
    response = admin_client.post(
        f"/en/admin/articles/topic/{topic.pk}/change/",
        {"name_tr": f"İletişim{character}", "name_he": topic.name_he, "version": topic.version},
    )
    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["name_tr"]
    assert f"U+{ord(character):04X}" in error and "not a character" in error
    assert Topic.objects.get().name_tr == topic.name_tr


@pytest.mark.parametrize("model", [Author, Brand])
def test_a_noncharacter_in_a_name_is_refused_from_any_writer(db, model):
    with pytest.raises(ValidationError, match="not a character"):
        editing.save(model(name_tr="Ad\uffff") if model is Author else model(name="Ad\ud800"))
    assert not model.objects.exists()


def test_a_noncharacter_in_a_translation_file_is_refused(admin_client, article):
    po = polib.pofile(
        admin_client.get(
            f"/en/admin/articles/article/{article.pk}/translation/he/export/"
        ).content.decode()
    )
    po.find("title", by="msgctxt").msgstr = "כותרת\uffffשבורה"
    upload = SimpleUploadedFile(
        "he.po", str(po).encode(), content_type="text/x-gettext-translation"
    )

    response = admin_client.post(
        f"/en/admin/articles/article/{article.pk}/translation/he/import/", {"file": upload}
    )

    assert response.status_code == 200
    assert "U+FFFF" in response.content.decode()
    assert Article.objects.get().title_he == article.title_he


def test_the_feed_survives_a_control_character_already_stored(client, article):
    Article.objects.filter(pk=article.pk).update(title_he="כותרת\x0bישנה")
    response = client.get("/he/feed/")
    assert response.status_code == 200
    assert "כותרת" in response.content.decode()


def test_a_body_over_the_size_limit_is_a_form_error(admin_client, article, change_form, change_url):
    body = "söz " * (Article.BODY_MAX_LENGTH // 4 + 1)
    response = admin_client.post(change_url(article), change_form(article, body_tr=body))
    assert response.status_code == 200
    assert "body_tr" in response.context["adminform"].form.errors


def test_a_body_too_slow_to_render_is_refused_in_time(
    admin_client, article, change_form, change_url, monkeypatch
):
    monkeypatch.setattr(rendering, "RENDER_SECONDS", 0.5)
    started = time.monotonic()
    response = admin_client.post(change_url(article), change_form(article, body_tr=SLOW_BODY))
    assert time.monotonic() - started < 5
    assert response.status_code == 200
    assert "takes too long" in str(response.context["adminform"].form.errors["body_tr"])
    assert Article.objects.get().body_tr == article.body_tr


def test_a_translation_file_with_a_body_too_slow_to_render_is_refused(
    admin_client, article, monkeypatch
):
    monkeypatch.setattr(rendering, "RENDER_SECONDS", 0.5)
    po = polib.pofile(
        admin_client.get(
            f"/en/admin/articles/article/{article.pk}/translation/he/export/"
        ).content.decode()
    )
    po.find("body.1", by="msgctxt").msgstr = SLOW_BODY
    upload = SimpleUploadedFile(
        "he.po", str(po).encode(), content_type="text/x-gettext-translation"
    )

    response = admin_client.post(
        f"/en/admin/articles/article/{article.pk}/translation/he/import/", {"file": upload}
    )

    assert "takes too long" in response.content.decode()
    assert Article.objects.get().body_he == article.body_he


@pytest.mark.parametrize("query", ["", "?utm_source=x", "?junk=1"])
def test_reading_an_article_never_runs_markdown(client, article, monkeypatch, query):
    def refuse(*args, **kwargs):
        raise AssertionError("Markdown ran while reading")

    monkeypatch.setattr(markdown.Markdown, "convert", refuse)
    response = client.get(article.get_absolute_url("he") + query)
    assert response.status_code == 200
    assert "פרק ראשון." in response.content.decode()


def test_the_article_page_survives_a_control_character_already_stored(client, article):
    Article.objects.filter(pk=article.pk).update(title_he="כותרת\x0bישנה", lede_he="\x1b[31m")
    response = client.get(article.get_absolute_url("he"))
    assert response.status_code == 200
    assert "\\u000b" in response.content.decode()  # escaped inside the JSON-LD
