"""Each language version is published on its own, from the article's publishing time on."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article


@pytest.fixture
def hebrew_draft(article):
    """The fixture article with its Hebrew version back in draft."""
    article.is_published_he = False
    article.save()
    return article


def test_a_language_in_draft_is_not_shown_to_readers(client, hebrew_draft):
    assert client.get(hebrew_draft.get_absolute_url("he")).status_code == 404


def test_other_languages_stay_published_when_one_is_in_draft(client, hebrew_draft):
    assert client.get(hebrew_draft.get_absolute_url("tr")).status_code == 200


def test_a_language_in_draft_is_left_out_of_its_list(client, hebrew_draft):
    assert hebrew_draft.title_he not in client.get("/he/").content.decode()


def test_switcher_leaves_out_a_language_in_draft(client, hebrew_draft):
    html = client.get(hebrew_draft.get_absolute_url("tr")).content.decode()
    assert "/he/articles/" not in html


def test_article_scheduled_for_later_is_not_shown_yet(client, article):
    article.published_at = timezone.now() + timedelta(hours=2)
    article.save()
    assert client.get(article.get_absolute_url("tr")).status_code == 404


def test_publishing_a_language_sets_the_publishing_time_when_empty(db):
    article = Article.objects.create(title_tr="Yeni", body_tr="Metin.", is_published_tr=True)
    assert article.published_at is not None
    assert article.published_at <= timezone.now()


def test_publishing_a_language_without_its_body_is_a_form_error(admin_client, article, change_form):
    response = admin_client.post(
        f"/en/admin/articles/article/{article.pk}/change/",
        change_form(article, is_published_en="on"),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "before publishing" in str(errors["is_published_en"])
    assert not Article.objects.get().is_published_en


def test_publishing_a_language_requires_alt_text_for_the_image(admin_client, launch, change_form):
    response = admin_client.post(
        f"/en/admin/articles/article/{launch.pk}/change/",
        change_form(launch, image_alt_he=""),
    )
    assert response.status_code == 200
    assert "Describe the image" in str(response.context["adminform"].form.errors["image_alt_he"])


def test_a_draft_language_may_lack_alt_text(admin_client, launch, change_form):
    response = admin_client.post(
        f"/en/admin/articles/article/{launch.pk}/change/",
        {**change_form(launch, image_alt_he=""), "is_published_he": ""},
    )
    assert response.status_code == 302
    assert not Article.objects.get().image_alt_he


def test_editor_previews_a_draft_language_at_its_public_address(admin_client, hebrew_draft):
    response = admin_client.get(hebrew_draft.get_absolute_url("he"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="preview-banner"' in html
    assert '<meta name="robots" content="noindex">' in html
    assert response["X-Robots-Tag"] == "noindex"


def test_preview_is_never_stored_by_a_cache(admin_client, client, hebrew_draft):
    response = admin_client.get(hebrew_draft.get_absolute_url("he"))
    assert "no-store" in response["Cache-Control"]
    assert client.get(hebrew_draft.get_absolute_url("he")).status_code == 404


def test_editor_previews_an_article_scheduled_for_later(admin_client, article):
    article.published_at = timezone.now() + timedelta(days=3)
    article.save()
    response = admin_client.get(article.get_absolute_url("tr"))
    assert response.status_code == 200
    assert 'class="preview-banner"' in response.content.decode()


def test_editor_previews_an_article_never_published(admin_client, db):
    article = Article.objects.create(title_he="טיוטה חדשה", body_he="טקסט.")
    response = admin_client.get(article.get_absolute_url("he"))
    assert response.status_code == 200
    assert 'class="preview-banner"' in response.content.decode()


def test_published_page_shows_no_preview_banner_to_an_editor(admin_client, article):
    html = admin_client.get(article.get_absolute_url("he")).content.decode()
    assert "preview-banner" not in html


def test_preview_needs_the_language_texts(admin_client, article):
    assert admin_client.get("/en/articles/the-way-of-light/").status_code == 404


def test_public_pages_do_not_vary_on_cookies(client, article):
    response = client.get(article.get_absolute_url("he"))
    assert "Cookie" not in response.get("Vary", "")
