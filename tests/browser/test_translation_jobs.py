"""The translation loop in a real browser: an editor creates a Hebrew job, the
translator (limited to Hebrew) gets the mail, translates and submits, the reviewer
asks for a change on one segment, the translator fixes it, the reviewer approves,
the Hebrew is published, and a change of one Turkish paragraph reopens the job
with exactly that segment and mails the translator. Then axe on every page of it."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article, Job
from articles.translating import jobs
from articles.writing import editing

from ..conftest import HEBREW_BODY, TURKISH_BODY
from .conftest import AXE_OPTIONS, show_language

pytestmark = pytest.mark.browser

DUE = timezone.localdate() + timedelta(days=7)


@pytest.fixture
def hebrew_draft(db, tour_page):
    """An article whose Hebrew lacks its quotation and is not published."""
    return editing.save(
        Article(
            is_published_tr=True,
            title_tr="Işık Yolu",
            lede_tr="Türkçe giriş.",
            body_tr=TURKISH_BODY,
            title_he="דרך האור",
            lede_he="פתיח בעברית.",
            body_he=HEBREW_BODY,
        )
    ).obj


def logged_in(browser, live_server, user, admin_language):
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"/{admin_language}/admin/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill("password")
    page.locator("#login-form [type=submit]").click()
    expect(page.locator("#user-tools")).to_be_visible()
    return page


def mails_to(smtp_server, user):
    return [mail for mail in smtp_server.messages if mail.recipients == [user.email]]


def segment(page, key):
    return page.locator(f'section[data-key="{key}"]')


def target(page, key):
    return page.locator(f'[id="target-{key}"]')


def test_a_hebrew_translation_goes_round_the_whole_loop(
    browser, live_server, smtp_server, hebrew_draft, editor, translator, reviewer, request
):
    pages = []
    try:
        # The editor creates the job from the overview.
        boss = logged_in(browser, live_server, editor, "tr")
        pages.append(boss)
        boss.goto("/tr/admin/articles/translationoverview/")
        boss.locator(f'input.action-select[value="{hebrew_draft.pk}"]').check()
        boss.locator('select[name="action"]').select_option("create_jobs")
        boss.locator('button[name="index"]').click()
        boss.locator('input[name="languages"][value="he"]').check()
        boss.locator('select[name="assignee"]').select_option(str(translator.pk))
        boss.locator('select[name="reviewer"]').select_option(str(reviewer.pk))
        boss.locator('input[name="due_date"]').fill(DUE.isoformat())
        boss.locator('.submit-row [type="submit"]').click()
        expect(boss.locator(".messagelist .success")).to_be_visible()
        job = Job.objects.get(article=hebrew_draft, language="he")
        expect(boss.locator(".overview-cell .overview-assignee")).to_have_text("translator")

        # The translator gets the mail on the SMTP server and finds the job in My work.
        [assigned] = mails_to(smtp_server, translator)
        assert f"/admin/articles/job/{job.pk}/change/" in assigned.get_content()
        worker = logged_in(browser, live_server, translator, "he")
        pages.append(worker)
        worker.locator("#user-tools a", has_text="העבודה שלי").click()
        row = worker.locator("#my-work tbody tr")
        expect(row).to_have_count(1)
        row.locator("a.button").click()
        expect(target(worker, "body.4")).to_be_visible()
        target(worker, "body.4").fill("ציטוט אחד.")
        worker.locator('input[name="_submit"]').click()
        expect(worker.locator(".job-facts .job-state")).to_have_class(re.compile("in_review"))
        assert mails_to(smtp_server, reviewer)

        # The reviewer asks for a change on one segment.
        checker = logged_in(browser, live_server, reviewer, "tr")
        pages.append(checker)
        checker.goto("/tr/admin/articles/job/mine/")
        checker.locator("#my-work tbody tr a.button").click()
        checker.locator('[id="comment-body.3"]').fill("Daha kısa yazın.")
        checker.locator('input[name="_changes"]').click()
        expect(checker.locator(".job-facts .job-state")).to_have_class(
            re.compile("changes_requested")
        )

        # The translator sees the comment beside its segment and fixes it.
        worker.goto(f"/he/admin/articles/article/{hebrew_draft.pk}/translate/he/")
        expect(segment(worker, "body.3").locator(".segment-comments")).to_contain_text(
            "Daha kısa yazın."
        )
        target(worker, "body.3").fill("פרק קצר.")
        worker.locator('input[name="_submit"]').click()
        expect(worker.locator(".job-facts .job-state")).to_have_class(re.compile("in_review"))

        # The reviewer approves.
        checker.goto(f"/tr/admin/articles/job/{job.pk}/review/")
        checker.locator('input[name="_approve"]').click()
        expect(checker.locator(".job-facts .job-state")).to_have_class(re.compile("approved"))

        # The editor publishes the Hebrew.
        boss.goto(f"/tr/admin/articles/article/{hebrew_draft.pk}/change/")
        show_language(boss, "he")
        boss.locator("#id_is_published_he").check()
        boss.locator('[name="_save"]').click()
        expect(boss.locator(".messagelist .success")).to_be_visible()
        hebrew_draft.refresh_from_db()
        boss.goto(hebrew_draft.get_absolute_url("he"))
        expect(boss.locator("main")).to_contain_text("פרק קצר.")

        # An editor changes one Turkish paragraph: the job reopens with that segment.
        smtp_server.messages.clear()
        boss.goto(f"/tr/admin/articles/article/{hebrew_draft.pk}/change/")
        show_language(boss, "tr")
        body = boss.locator("#id_body_tr")
        body.fill(body.input_value().replace("Birinci bölüm.", "Birinci, yeni bölüm."))
        boss.locator('[name="_save"]').click()
        expect(boss.locator(".messagelist .success")).to_be_visible()
        job.refresh_from_db()
        assert job.state == Job.State.TO_DO
        assert job.events.last().segments == [["body.3", "paragraph"]]
        [reopened] = mails_to(smtp_server, translator)
        assert "3 · פסקה" in reopened.get_content()
        worker.goto(f"/he/admin/articles/job/{job.pk}/change/")
        expect(worker.locator(".job-page")).to_contain_text("3 · פסקה")
    finally:
        from .conftest import screenshot_if_failed

        for number, page in enumerate(pages):
            screenshot_if_failed(page, request, f"-{number}")
            page.context.close()


@pytest.fixture
def job_in_review(hebrew_draft, translator, admin_user):
    """A job the admin reviews, waiting for it."""
    job = jobs.create(hebrew_draft, "he", assignee=translator, reviewer=admin_user, due_date=DUE)
    Job.objects.filter(pk=job.pk).update(state=Job.State.IN_REVIEW)
    return job


@pytest.mark.parametrize("admin_language", ["tr", "he"])
@pytest.mark.parametrize("screen", ["overview", "mine", "job", "review"])
def test_translation_pages_have_no_accessibility_violations(
    admin_page, axe, job_in_review, admin_language, screen
):
    page = admin_page
    paths = {
        "overview": "admin/articles/translationoverview/",
        "mine": "admin/articles/job/mine/",
        "job": f"admin/articles/job/{job_in_review.pk}/change/",
        "review": f"admin/articles/job/{job_in_review.pk}/review/",
    }
    assert page.goto(f"/{admin_language}/{paths[screen]}").status == 200
    results = axe.run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()
