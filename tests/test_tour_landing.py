"""The tour page is a landing page, published per language with preview and history."""

import re

import pytest
from django.core.files.base import ContentFile
from django.utils import translation

from articles.launch.loader import draw_figure
from articles.models import TourPage
from articles.writing import history
from marketing.models import CampaignCount

BENEFITS_HE = "כל השיחות במקום אחד\nתשובות מוכנות לצוות\nדוחות שמראים מה עובד"


@pytest.fixture
def landing(tour_page, edit):
    return edit(
        tour_page,
        subheading_he="ראו איך הצוות שלכם עונה מהר יותר.",
        benefits_he=BENEFITS_HE,
        reassurance_he="בלי הרשמה. חמש דקות.",
        image=ContentFile(draw_figure(), name="screen.png"),
        image_alt_tr="Ürünün ekran görüntüsü.",
        image_alt_he="צילום מסך של המוצר.",
        image_alt_en="A screenshot of the product.",
    ).obj


def form_data(page, **changes):
    data = {
        "version": page.version,
        "destination_url": page.destination_url,
        "related_position": page.related_position,
    }
    for code in ("tr", "he", "en"):
        for name in TourPage.TRANSLATED_TEXTS:
            data[f"{name}_{code}"] = getattr(page, f"{name}_{code}") or ""
        if getattr(page, f"is_published_{code}"):
            data[f"is_published_{code}"] = "on"
    data.update(changes)
    return data


def test_landing_page_shows_every_part_in_its_language(client, landing):
    html = client.get("/he/tour/").content.decode()
    assert "<h1>חוו את הפלטפורמה ממקור ראשון</h1>" in html
    assert '<p class="tour-subheading">ראו איך הצוות שלכם עונה מהר יותר.</p>' in html
    benefits = re.search(r'<ul class="tour-benefits">.*?</ul>', html, re.S).group(0)
    assert re.findall(r"<li>(.*?)</li>", benefits) == BENEFITS_HE.splitlines()
    assert 'alt="צילום מסך של המוצר."' in html
    assert html.index('class="button button-large"') < html.index('class="tour-reassurance"')
    assert '<p class="tour-reassurance">בלי הרשמה. חמש דקות.</p>' in html


def test_landing_image_comes_in_renditions(client, landing):
    html = client.get("/he/tour/").content.decode()
    figure = re.search(r'<figure class="tour-figure">.*?</figure>', html, re.S).group(0)
    assert '<source type="image/webp"' in figure


def test_parts_left_empty_are_left_out(client, landing):
    html = client.get("/en/tour/").content.decode()
    assert "tour-subheading" not in html
    assert "tour-benefits" not in html
    assert "tour-reassurance" not in html


@pytest.mark.parametrize("count", [2, 6])
def test_benefits_are_three_to_five(admin_client, landing, count):
    benefits = "\n".join(f"Fayda {number}" for number in range(count))
    url = f"/en/admin/articles/tourpage/{landing.pk}/change/"
    response = admin_client.post(url, form_data(landing, benefits_tr=benefits))
    errors = response.context["adminform"].form.errors
    assert "three to five benefits" in errors["benefits_tr"][0]


def test_publishing_a_language_needs_its_headline_and_button(admin_client, landing):
    url = f"/en/admin/articles/tourpage/{landing.pk}/change/"
    data = form_data(landing, button_label_en="")
    errors = admin_client.post(url, data).context["adminform"].form.errors
    assert "is_published_en" in errors


def test_publishing_a_language_needs_the_images_alt_text(admin_client, landing):
    url = f"/en/admin/articles/tourpage/{landing.pk}/change/"
    data = form_data(landing, image_alt_tr="")
    errors = admin_client.post(url, data).context["adminform"].form.errors
    assert "image_alt_tr" in errors


def test_a_language_in_draft_is_not_shown_to_readers(client, landing, edit, article):
    edit(landing, is_published_he=False)
    assert client.get("/he/tour/").status_code == 404
    html = client.get(article.get_absolute_url("he")).content.decode()
    assert 'class="tour-cta"' not in html
    assert 'class="tour-cta"' in client.get(article.get_absolute_url("tr")).content.decode()


def test_an_editor_previews_a_language_in_draft_uncounted_and_unindexed(
    admin_client, landing, edit
):
    edit(landing, is_published_he=False)
    response = admin_client.get("/he/tour/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="preview-banner"' in html
    assert '<meta name="robots" content="noindex">' in html
    assert response["X-Robots-Tag"] == "noindex"
    assert not CampaignCount.objects.exists()


def test_landing_page_changes_are_kept_in_history(admin_client, landing, revisions):
    url = f"/en/admin/articles/tourpage/{landing.pk}/change/"
    response = admin_client.post(url, form_data(landing, subheading_he="כותרת משנה חדשה"))
    assert response.status_code == 302
    last = revisions(landing)[-1]
    assert last.field_dict["subheading_he"] == "כותרת משנה חדשה"
    with translation.override("en"):
        summary = history.describe(last.revision.comment, TourPage)
    assert summary == "Changed: Hebrew (subheading)."


def test_the_tour_admin_names_the_parts_a_language_has_not_written(admin_client, tour_page, edit):
    edit(tour_page, subheading_he="", reassurance_he="")
    html = admin_client.get(f"/en/admin/articles/tourpage/{tour_page.pk}/change/").content.decode()
    parts = re.search(r'<ul class="tour-parts">.*?</ul>', html, re.S).group(0)
    assert (
        '<strong lang="he">Hebrew</strong>: no subheading, reassurance, image or screenshot yet; '
        "the page shows without them." in parts
    )
    assert '<strong lang="en">English</strong>: no subheading, benefits, reassurance, ' in parts


def test_the_destination_address_reads_left_to_right_in_the_hebrew_admin(admin_client, tour_page):
    html = admin_client.get(f"/he/admin/articles/tourpage/{tour_page.pk}/change/").content.decode()
    destination = re.search(r'<input[^>]*name="destination_url"[^>]*>', html).group(0)
    assert 'dir="ltr"' in destination


def test_the_tour_page_says_where_its_button_leads(client, tour_page):
    html = client.get("/he/tour/").content.decode()
    assert '<p class="tour-destination">נפתח באתר <bdi dir="ltr">tour.example.com</bdi></p>' in html
