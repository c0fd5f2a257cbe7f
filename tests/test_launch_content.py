"""Loading the launch content: the command `make run` calls."""

import re
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from PIL import Image

from articles.models import Article, TourPage


def load():
    out = StringIO()
    call_command("load_launch_content", stdout=out)
    return out.getvalue()


def test_launch_article_is_published_in_turkish_and_hebrew_only(db):
    load()
    assert Article.objects.published().get().languages == ["tr", "he"]


def test_english_has_the_title_only(db):
    load()
    article = Article.objects.get()
    assert article.title_en and not article.body_en


def test_body_holds_one_copy_of_the_text(launch):
    for body in (launch.body_tr, launch.body_he):
        assert body.count("[figure]") == 1
        assert body.count("\n## ") == 3


def test_quotations_are_block_quotations(client, launch):
    html = client.get(launch.get_absolute_url("tr")).content.decode()
    assert html.count("<blockquote>") == 3
    assert "<blockquote>\n<p>[Müşteri deneyimi] tek seferlik" in html


def test_table_of_contents_has_the_three_sections(client, launch):
    html = client.get(launch.get_absolute_url("he")).content.decode()
    toc = re.search(r'<nav class="toc".*?</nav>', html, re.S).group(0)
    assert toc.count("<li") == 3
    assert 'מהי חווית הלקוח (<bdi dir="ltr">CX</bdi>)?' in toc


def test_figure_is_a_real_png_image(launch):
    with Image.open(launch.image.path) as image:
        assert image.format == "PNG"
        assert image.size == (1200, 675)


def test_figure_has_alt_text_in_every_language(launch):
    assert launch.image_alt_tr and launch.image_alt_he and launch.image_alt_en


def test_tour_page_has_the_call_to_action_of_the_source(db):
    load()
    page = TourPage.objects.get()
    assert page.button_label_tr == "Tur yapın"
    assert page.button_label_he == "קח סיור"
    assert page.text_he.startswith("חוויית הפלטפורמה של Guru")
    assert page.destination_url


def test_loading_twice_adds_nothing(db):
    load()
    output = load()
    assert Article.objects.count() == 1
    assert TourPage.objects.count() == 1
    assert "none added" in output


def test_loading_again_keeps_an_editors_changes(db):
    load()
    article = Article.objects.get()
    article.title_he = "דע את המונחים"
    article.save()
    page = TourPage.objects.get()
    page.button_label_tr = "Hemen başla"
    page.save()
    load()
    assert Article.objects.get().title_he == "דע את המונחים"
    assert TourPage.objects.get().button_label_tr == "Hemen başla"


def test_local_admin_is_created_with_a_password_printed_once(db, client):
    out = StringIO()
    call_command("create_local_admin", stdout=out)
    password = re.search(r"Password: (\S+)", out.getvalue()).group(1)
    response = client.post(
        "/en/admin/login/?next=/en/admin/", {"username": "admin", "password": password}
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/admin/"


def test_local_admin_is_not_recreated(db):
    call_command("create_local_admin", stdout=StringIO())
    out = StringIO()
    call_command("create_local_admin", stdout=out)
    assert "already exists" in out.getvalue()
    assert "Password:" not in out.getvalue()
    assert get_user_model().objects.count() == 1
