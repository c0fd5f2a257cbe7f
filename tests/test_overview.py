"""The translation overview: articles × languages with progress, state, translator
and due date; its filters, its actions, and its stored progress."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, Job
from articles.text import segments
from articles.translating import jobs
from articles.writing import editing

URL = "/en/admin/articles/translationoverview/"
TODAY = timezone.localdate()


@pytest.fixture
def jobs_made(article, draft, launch, translator, editor):
    """A Hebrew job overdue on `article`, an English one due later on the launch article."""
    overdue = jobs.create(
        article, "he", assignee=translator, due_date=TODAY - timedelta(days=1), by=editor
    )
    later = jobs.create(launch, "en", assignee=editor, due_date=TODAY + timedelta(days=9))
    return overdue, later


def test_each_cell_shows_progress_state_translator_and_due_date(admin_client, jobs_made):
    html = admin_client.get(URL).content.decode()
    assert "7/8" in html  # the article's Hebrew: its quotation untranslated
    assert "translator" in html
    assert "overdue: due" in html
    assert "source" in html
    assert "no job" in html


def test_the_overview_reads_stored_progress_and_cuts_no_article(
    admin_client, jobs_made, monkeypatch, django_assert_max_num_queries
):
    def refuse(*args, **kwargs):
        raise AssertionError("segments counted while the overview was read")

    monkeypatch.setattr(segments, "article_segments", refuse)
    # The session, the user, the filters' choices, two counts, the rows and their jobs.
    with django_assert_max_num_queries(20):
        assert admin_client.get(URL).status_code == 200


@pytest.mark.parametrize(
    "query, shown, hidden",
    [
        ("state=to_do", ["Işık Yolu"], ["Taslak Yazı"]),
        ("state=none", ["Taslak Yazı"], ["Işık Yolu"]),
        ("overdue=yes", ["Işık Yolu"], ["Taslak Yazı", "Terminolojinizi"]),
        ("language=en&state=to_do", ["Terminolojinizi"], ["Işık Yolu"]),
    ],
)
def test_filters_narrow_the_articles(admin_client, jobs_made, query, shown, hidden):
    html = admin_client.get(f"{URL}?{query}").content.decode()
    for title in shown:
        assert title in html
    for title in hidden:
        assert f">{title}" not in html


def test_the_translator_filter_finds_their_articles(admin_client, jobs_made, translator):
    html = admin_client.get(f"{URL}?assignee={translator.pk}").content.decode()
    assert ">Işık Yolu" in html and ">Taslak Yazı" not in html


def test_a_language_filter_shows_only_its_column(admin_client, jobs_made):
    response = admin_client.get(f"{URL}?language=he")
    assert response.context["cl"].list_display == ["action_checkbox", "title_column", "cell_he"]


def test_the_topic_filter(admin_client, jobs_made, launch):
    html = admin_client.get(f"{URL}?topic__id__exact={launch.topic_id}").content.decode()
    assert ">Işık Yolu" not in html


def test_the_overview_pages(admin_client, jobs_made, monkeypatch):
    from articles.admin.overview import TranslationOverviewAdmin

    monkeypatch.setattr(TranslationOverviewAdmin, "list_per_page", 2)
    second = admin_client.get(f"{URL}?p=2")
    assert second.status_code == 200
    assert len(second.context["cl"].result_list) == 1


def action(client, name, articles, **data):
    return client.post(
        URL,
        {"action": name, "_selected_action": [a.pk for a in articles], "apply": "1", **data},
    )


def test_jobs_are_created_in_bulk_and_each_translator_mailed(
    admin_client,
    article,
    draft,
    translator,
    reviewer,
    smtp_server,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = action(
            admin_client,
            "create_jobs",
            [article, draft],
            languages=["he", "tr"],
            assignee=translator.pk,
            reviewer=reviewer.pk,
            due_date=(TODAY + timedelta(days=7)).isoformat(),
        )
    assert response.status_code == 302
    assert sorted(Job.objects.values_list("article__title_tr", "language")) == [
        ("Işık Yolu", "he"),
        ("Taslak Yazı", "he"),
    ]
    assert len(smtp_server.messages) == 2


def test_a_bulk_creation_that_cannot_be_made_makes_none(admin_client, article, draft, translator):
    response = action(
        admin_client,
        "create_jobs",
        [article, draft],
        languages=["he", "en"],
        assignee=translator.pk,
        due_date=(TODAY + timedelta(days=7)).isoformat(),
    )
    assert response.status_code == 200
    assert "does not translate into English" in response.content.decode()
    assert not Job.objects.exists()


def test_the_action_first_asks_what_to_create(admin_client, article):
    response = admin_client.post(URL, {"action": "create_jobs", "_selected_action": [article.pk]})
    assert response.status_code == 200
    assert 'name="due_date"' in response.content.decode()


def test_jobs_are_reassigned_in_bulk(admin_client, jobs_made, reviewer, editor):
    overdue, _later = jobs_made
    response = action(
        admin_client, "assign_jobs", [overdue.article], languages=["he"], reviewer=reviewer.pk
    )
    assert response.status_code == 302
    overdue.refresh_from_db()
    assert overdue.reviewer == reviewer


def test_translation_files_are_exported_for_a_translator(admin_client, article, launch):
    response = action(
        admin_client, "export_files", [article, launch], language="he", file_format="po"
    )
    assert response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert sorted(names) == sorted([f"article-{article.pk}-he.po", f"article-{launch.pk}-he.po"])


def test_the_overview_exports_xliff_files_of_the_chosen_version(admin_client, article, launch):
    response = action(
        admin_client, "export_files", [article, launch], language="he", file_format="xliff-1.2"
    )
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == sorted(
        [f"article-{article.pk}-he-xliff12.xlf", f"article-{launch.pk}-he-xliff12.xlf"]
    )
    assert b'version="1.2"' in archive.read(f"article-{launch.pk}-he-xliff12.xlf")


def test_the_overview_export_leaves_out_the_language_an_article_is_written_in(
    admin_client, article, launch
):
    response = action(
        admin_client, "export_files", [launch], language="tr", file_format="xliff-2.0"
    )
    assert zipfile.ZipFile(io.BytesIO(response.content)).namelist() == []


def test_a_translator_without_job_permissions_sees_no_overview(client_of, translator, article):
    assert client_of(translator).get(URL).status_code == 403


def test_an_editor_sees_it_without_changing_articles_from_it(client_of, editor, article):
    response = client_of(editor).get(URL)
    assert response.status_code == 200
    assert f"/admin/articles/article/{article.pk}/change/" in response.content.decode()


@pytest.mark.parametrize("page", ["change", "history"])
def test_an_article_s_address_in_the_overview_leads_to_the_article_s_own_page(
    admin_client, launch, page
):
    response = admin_client.get(f"{URL}{launch.pk}/{page}/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == f"/en/admin/articles/article/{launch.pk}/{page}/"


def test_progress_is_stored_by_every_save(article):
    Article.objects.filter(pk=article.pk).update(segments_done_he=0)
    stored = Article.objects.get(pk=article.pk)
    stored.lede_he = "פתיח אחר."
    editing.save(stored)
    assert Article.objects.get(pk=article.pk).progress("he") == (7, 8)
