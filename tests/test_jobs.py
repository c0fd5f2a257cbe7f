"""Translation jobs: created, started, submitted, reviewed, approved and reopened,
each step mailed through a real SMTP server."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import AdminLanguage, Article, Job
from articles.text.segments import article_segments
from articles.translating import jobs

# Mails leave once a step commits: each test commits as the site does.
pytestmark = pytest.mark.django_db(transaction=True)

DUE = timezone.localdate() + timedelta(days=5)


@pytest.fixture
def hebrew_draft(db, article, edit):
    """The article with its Hebrew unpublished and its last paragraph untranslated."""
    edit(article, is_published_he=False, body_he=article.body_he.rsplit("\n\n", 1)[0])
    return Article.objects.get(pk=article.pk)


@pytest.fixture
def job(hebrew_draft, translator, reviewer, editor):
    return jobs.create(
        hebrew_draft, "he", assignee=translator, reviewer=reviewer, due_date=DUE, by=editor
    )


def workspace_url(article, language="he", admin_language="en"):
    return f"/{admin_language}/admin/articles/article/{article.pk}/translate/{language}/"


def workspace_post(article, language="he", **texts):
    data = {"version": article.version, "next": ""}
    for segment in article_segments(article, language).segments:
        if not segment.is_fixed:
            data[f"target-{segment.key}"] = segment.target
    data.update({f"target-{key}": text for key, text in texts.items()})
    return data


def translate_the_rest(client, article):
    article.refresh_from_db()
    missing = [s.key for s in article_segments(article, "he").segments if s.needs_work]
    texts = {key: f"תרגום {number}" for number, key in enumerate(missing)}
    return client.post(workspace_url(article), {**workspace_post(article, **texts), "_submit": "1"})


def test_an_editor_creates_a_job_in_the_admin_and_the_translator_is_mailed(
    client_of, editor, translator, reviewer, hebrew_draft, smtp_server
):
    response = client_of(editor).post(
        "/en/admin/articles/job/add/",
        {
            "article": hebrew_draft.pk,
            "language": "he",
            "assignee": translator.pk,
            "reviewer": reviewer.pk,
            "due_date": DUE.isoformat(),
        },
    )
    assert response.status_code == 302
    job = Job.objects.get()
    assert (job.state, job.created_by) == (Job.State.TO_DO, editor)
    [mail] = smtp_server.messages
    assert mail.recipients == ["translator@example.com"]
    assert "Işık Yolu" in mail["Subject"]
    body = mail.get_content()
    assert f"http://127.0.0.1:8000/tr/admin/articles/job/{job.pk}/change/" in body


def test_a_mail_is_written_in_its_recipients_admin_language(
    client, translator, hebrew_draft, reviewer, editor, smtp_server
):
    logged_in = client.post("/he/admin/login/", {"username": "translator", "password": "password"})
    assert logged_in.status_code == 302
    assert AdminLanguage.of(translator) == "he"
    job = jobs.create(hebrew_draft, "he", assignee=translator, reviewer=reviewer, due_date=DUE)
    [mail] = smtp_server.messages
    assert mail["Content-Language"] == "he"
    assert "עברית" in mail["Subject"]
    assert f"/he/admin/articles/job/{job.pk}/change/" in mail.get_content()


def test_the_reviewer_must_be_someone_other_than_the_translator(
    client_of, editor, hebrew_draft, settings
):
    both = client_of(editor)
    response = both.post(
        "/en/admin/articles/job/add/",
        {
            "article": hebrew_draft.pk,
            "language": "he",
            "assignee": editor.pk,
            "reviewer": editor.pk,
            "due_date": DUE.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "someone other than the translator" in str(response.context["adminform"].form.errors)
    assert not Job.objects.exists()


def test_a_translator_of_another_language_cannot_be_given_the_job(
    client_of, editor, hebrew_draft, translator
):
    response = client_of(editor).post(
        "/en/admin/articles/job/add/",
        {
            "article": hebrew_draft.pk,
            "language": "en",
            "assignee": translator.pk,
            "due_date": DUE.isoformat(),
        },
    )
    assert "does not translate into English" in str(response.context["adminform"].form.errors)
    assert not Job.objects.exists()


def test_no_job_is_made_for_an_articles_source_language(editor, hebrew_draft, translator):
    with pytest.raises(Exception, match="source language"):
        jobs.create(hebrew_draft, "tr", assignee=editor, due_date=DUE)


def test_saving_in_the_english_admin_makes_mails_english(client_of, job, translator):
    client_of(translator).post(workspace_url(job.article), workspace_post(job.article))
    assert AdminLanguage.of(translator) == "en"


def test_reading_an_admin_page_writes_nothing(client_of, translator, job):
    client_of(translator).get("/he/admin/articles/job/mine/")
    assert AdminLanguage.of(translator) == "tr"


def test_opening_the_workspace_starts_the_translators_job(client_of, job, translator):
    assert client_of(translator).get(workspace_url(job.article)).status_code == 200
    job.refresh_from_db()
    assert job.state == Job.State.IN_PROGRESS
    assert job.events.last().kind == "started"


def test_someone_else_opening_the_workspace_does_not_start_it(client_of, job, editor):
    client_of(editor).get(workspace_url(job.article))
    job.refresh_from_db()
    assert job.state == Job.State.TO_DO


def test_an_unfinished_translation_cannot_be_submitted(client_of, job, translator, smtp_server):
    client = client_of(translator)
    client.get(workspace_url(job.article))
    smtp_server.messages.clear()
    response = client.post(
        workspace_url(job.article), {**workspace_post(job.article), "_submit": "1"}
    )
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("Translate every segment before submitting" in m for m in messages)
    job.refresh_from_db()
    assert job.state == Job.State.IN_PROGRESS
    assert smtp_server.messages == []


def test_submitting_hands_the_job_to_review_and_mails_the_reviewer(
    client_of, job, translator, smtp_server
):
    client = client_of(translator)
    client.get(workspace_url(job.article))
    smtp_server.messages.clear()
    response = translate_the_rest(client, job.article)
    assert response.status_code == 302
    assert response["Location"] == f"/en/admin/articles/job/{job.pk}/change/"
    job.refresh_from_db()
    assert job.state == Job.State.IN_REVIEW
    [mail] = smtp_server.messages
    assert mail.recipients == ["reviewer@example.com"]
    assert f"/tr/admin/articles/job/{job.pk}/change/" in mail.get_content()


@pytest.fixture
def in_review(client_of, job, translator):
    translate_the_rest(client_of(translator), job.article)
    job.refresh_from_db()
    assert job.state == Job.State.IN_REVIEW
    return job


def review_url(job):
    return f"/en/admin/articles/job/{job.pk}/review/"


def test_the_translator_cannot_review_their_own_job(client_of, in_review, translator):
    assert client_of(translator).get(review_url(in_review)).status_code == 403


def test_a_first_review_shows_every_translated_segment(client_of, in_review, reviewer):
    html = client_of(reviewer).get(review_url(in_review)).content.decode()
    assert len(re.findall(r'<section class="segment review-segment"', html)) == 8
    assert "has not been approved before" in html


def test_requesting_changes_needs_a_comment_or_a_note(client_of, in_review, reviewer):
    response = client_of(reviewer).post(review_url(in_review), {"_changes": "1"})
    assert response.status_code == 400
    assert "Say what needs changing" in response.content.decode()
    in_review.refresh_from_db()
    assert in_review.state == Job.State.IN_REVIEW


def test_a_comment_on_a_segment_shows_beside_it_in_the_workspace_and_stays_in_the_history(
    client_of, in_review, reviewer, translator, smtp_server
):
    response = client_of(reviewer).post(
        review_url(in_review), {"_changes": "1", "comment-body.3": "Daha kısa olsun."}
    )
    assert response.status_code == 302
    in_review.refresh_from_db()
    assert in_review.state == Job.State.CHANGES_REQUESTED
    [mail] = smtp_server.messages
    assert mail.recipients == ["translator@example.com"]
    assert "One segment has a comment" in mail.get_content()
    workspace = client_of(translator).get(workspace_url(in_review.article)).content.decode()
    section = workspace.split('data-key="body.3"')[1].split("</section>")[0]
    assert "Daha kısa olsun." in section
    page = client_of(translator).get(f"/en/admin/articles/job/{in_review.pk}/change/")
    assert "Daha kısa olsun." in page.content.decode()


def approve(client, job):
    response = client.post(review_url(job), {"_approve": "1"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.state == Job.State.APPROVED


def test_approving_mails_the_translator(client_of, in_review, reviewer, smtp_server):
    smtp_server.messages.clear()
    approve(client_of(reviewer), in_review)
    [mail] = smtp_server.messages
    assert mail.recipients == ["translator@example.com"]
    assert mail["Subject"].startswith("Approved:")


def test_a_second_review_shows_only_what_changed_since_approval_word_by_word(
    client_of, in_review, reviewer, translator, edit
):
    approve(client_of(reviewer), in_review)
    article = in_review.article
    article.refresh_from_db()
    # Reopened by hand: the translator improves one paragraph and submits again.
    in_review.state = Job.State.IN_PROGRESS
    in_review.save()
    client = client_of(translator)
    response = client.post(
        workspace_url(article),
        {**workspace_post(article, **{"body.3": "פרק ראשון, מתוקן."}), "_submit": "1"},
    )
    assert response.status_code == 302
    html = client_of(reviewer).get(review_url(in_review)).content.decode()
    assert len(re.findall(r'<section class="segment review-segment"', html)) == 1
    assert "<del>ראשון.</del>" in html
    assert "<ins>ראשון, מתוקן.</ins>" in html


def test_publishing_a_language_whose_job_is_not_approved_is_refused(
    admin_client, job, save_in_admin, change_form, change_url
):
    article = job.article
    response = admin_client.post(change_url(article), change_form(article, is_published_he="on"))
    assert response.status_code == 200
    assert "not approved" in str(response.context["adminform"].form.errors["is_published_he"])
    article.refresh_from_db()
    assert not article.is_published_he


def test_an_editor_may_publish_before_approval_with_a_reason_kept_in_the_history(
    admin_client, job, save_in_admin
):
    article = job.article
    save_in_admin(article, is_published_he="on", publish_reason="Kampanya bugün başlıyor.")
    assert article.is_published_he
    assert job.events.last().text == "Kampanya bugün başlıyor."
    history = admin_client.get(f"/en/admin/articles/article/{article.pk}/history/")
    assert "without an approved review: Kampanya bugün başlıyor." in history.content.decode()


def test_an_approved_job_lets_its_language_be_published(
    client_of, in_review, reviewer, save_in_admin
):
    approve(client_of(reviewer), in_review)
    article = in_review.article
    save_in_admin(article, is_published_he="on")
    assert article.is_published_he


def test_a_source_change_reopens_the_approved_job_with_exactly_that_segment(
    client_of, in_review, reviewer, smtp_server, save_in_admin
):
    approve(client_of(reviewer), in_review)
    smtp_server.messages.clear()
    article = in_review.article
    save_in_admin(
        article, body_tr=article.body_tr.replace("Birinci bölüm.", "Birinci, yeni bölüm.")
    )
    in_review.refresh_from_db()
    assert in_review.state == Job.State.TO_DO
    reopened = in_review.events.last()
    assert (reopened.kind, reopened.segments) == ("reopened", [["body.3", "paragraph"]])
    [mail] = smtp_server.messages
    assert mail.recipients == ["translator@example.com"]
    assert "3 · paragraph" in mail.get_content()


def test_a_change_of_a_translation_alone_reopens_nothing(
    client_of, in_review, reviewer, smtp_server, edit
):
    approve(client_of(reviewer), in_review)
    smtp_server.messages.clear()
    edit(in_review.article, title_en="Another title")
    in_review.refresh_from_db()
    assert in_review.state == Job.State.APPROVED
    assert smtp_server.messages == []


def test_my_work_lists_the_translators_jobs_by_due_date(client_of, job, translator, launch, editor):
    later = jobs.create(
        launch, "he", assignee=translator, due_date=DUE + timedelta(days=3), by=editor
    )
    html = client_of(translator).get("/en/admin/articles/job/mine/").content.decode()
    assert html.index(str(job.article)) < html.index(str(later.article)[:20])
    assert "/translate/he/" in html


def test_my_work_shows_the_reviewer_what_waits_for_review(client_of, in_review, reviewer):
    html = client_of(reviewer).get("/en/admin/articles/job/mine/").content.decode()
    assert f"/admin/articles/job/{in_review.pk}/review/" in html


def test_the_daily_digest_mails_jobs_due_within_two_days_or_overdue(
    job, translator, launch, editor, smtp_server, admin_user
):
    job.due_date = timezone.localdate() - timedelta(days=1)
    job.save()
    AdminLanguage.remember(translator, "en")
    jobs.create(launch, "he", assignee=admin_user, due_date=DUE, by=editor)
    smtp_server.messages.clear()
    call_command("send_job_digest", verbosity=0)
    [mail] = smtp_server.messages
    assert mail.recipients == ["translator@example.com"]
    assert "overdue since" in mail.get_content()
    assert "Işık Yolu" in mail.get_content()


def test_a_mail_that_cannot_be_sent_is_logged_and_the_job_still_made(
    hebrew_draft, translator, settings, caplog
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    job = jobs.create(hebrew_draft, "he", assignee=translator, due_date=DUE)
    assert Job.objects.filter(pk=job.pk).exists()
    assert "not sent" in caplog.text


def test_an_overview_cells_create_link_fills_in_the_article_and_language(
    client_of, editor, hebrew_draft
):
    html = (
        client_of(editor)
        .get(f"/en/admin/articles/job/add/?article={hebrew_draft.pk}&language=he")
        .content.decode()
    )
    assert re.search(rf'<input[^>]*name="article"[^>]*value="{hebrew_draft.pk}"', html)
    assert '<option value="he" selected>' in html
