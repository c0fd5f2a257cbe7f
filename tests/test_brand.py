"""The brand: name, logo and icons from settings or the admin; favicon, touch icon and
manifest at the addresses browsers ask for; uploaded files cached as their names allow."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.launch.loader import draw_figure
from articles.models import Brand
from articles.writing import editing

LOGO = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle r="5"/></svg>'


def head(html):
    return re.search(r"<head>.*</head>", html, re.S).group(0)


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/favicon.ico", "/static/brand/favicon.ico"),
        ("/apple-touch-icon.png", "/static/brand/icon-180.png"),
    ],
)
def test_icons_browsers_ask_for_by_name_are_never_missing(client, db, path, target):
    response = client.get(path)
    assert (response.status_code, response["Location"]) == (302, target)
    assert client.get(target).status_code == 200


def test_every_page_names_its_icons_and_manifest(client, article):
    html = head(client.get("/he/").content.decode())
    assert '<link rel="icon" href="/static/brand/favicon.ico" sizes="48x48">' in html
    assert '<link rel="icon" href="/static/brand/icon.svg" type="image/svg+xml">' in html
    assert '<link rel="apple-touch-icon" href="/static/brand/icon-180.png">' in html
    assert '<link rel="manifest" href="/he/manifest.webmanifest">' in html


def test_manifest_speaks_the_pages_language_and_direction(client, db):
    response = client.get("/he/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert (manifest["lang"], manifest["dir"], manifest["start_url"]) == ("he", "rtl", "/he/")
    assert [icon["sizes"] for icon in manifest["icons"]] == ["192x192", "512x512"]


def test_header_shows_the_logo_and_the_name_from_settings(client, db, settings):
    settings.SITE_NAME = "Destek Notları"
    html = client.get("/tr/").content.decode()
    header = re.search(r'<header class="site-header">.*?</header>', html, re.S).group(0)
    assert '<img class="site-logo" src="/static/brand/logo.svg" alt=""' in header
    assert '<span class="site-name">Destek Notları</span>' in header


def brand_form(**changes):
    data = {"name": "", "tagline_tr": "", "tagline_he": "", "tagline_en": "", "version": ""}
    data.update(changes)
    return data


def test_editors_replace_the_name_logo_and_icons_in_the_admin(admin_client, client, db):
    response = admin_client.post(
        "/en/admin/articles/brand/add/",
        brand_form(
            name="Müşteri Notları",
            tagline_he="הכול על חוויית לקוח.",
            logo=SimpleUploadedFile("mark.svg", LOGO, content_type="image/svg+xml"),
            icon=SimpleUploadedFile("icon.png", draw_figure(), content_type="image/png"),
        ),
    )
    assert response.status_code == 302
    brand = Brand.objects.get()
    html = client.get("/he/").content.decode()
    assert f'src="/media/{brand.logo.name}"' in html
    assert '<span class="site-name">Müşteri Notları</span>' in html
    assert "הכול על חוויית לקוח." in html
    assert "/static/brand/icon.svg" not in html
    favicon = client.get("/favicon.ico")["Location"]
    assert re.fullmatch(r"/media/renditions/brand/icon/favicon-[0-9a-f]{12}\.ico", favicon)
    icons = json.loads(client.get("/he/manifest.webmanifest").content)["icons"]
    assert all(icon["src"].startswith("/media/renditions/brand/icon/") for icon in icons)


@pytest.mark.parametrize(
    "svg",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><image href="https://example.com/a.png"/></svg>',
        b'<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
    ],
)
def test_a_logo_that_could_run_or_fetch_anything_is_refused(admin_client, db, svg):
    response = admin_client.post(
        "/en/admin/articles/brand/add/",
        brand_form(logo=SimpleUploadedFile("logo.svg", svg, content_type="image/svg+xml")),
    )
    assert "logo" in response.context["adminform"].form.errors
    assert not Brand.objects.exists()


def test_a_logo_that_is_not_svg_is_refused(admin_client, db):
    response = admin_client.post(
        "/en/admin/articles/brand/add/",
        brand_form(logo=SimpleUploadedFile("logo.svg", draw_figure(), content_type="image/png")),
    )
    [error] = response.context["adminform"].form.errors["logo"]
    assert error.startswith("Upload an SVG image.")


def test_brand_changes_are_kept_in_history(db, revisions, edit):
    brand = editing.save(Brand(name="Bir")).obj
    edit(brand, name="İki")
    assert [version.field_dict["name"] for version in revisions(brand)] == ["Bir", "İki"]


def test_renditions_are_cached_for_a_year_and_uploads_for_an_hour(client, launch):
    rendition = launch.image_renditions["renditions"][0]["name"]
    response = client.get(f"/media/{rendition}")
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    response = client.get(launch.image.url)
    assert response["Cache-Control"] == "public, max-age=3600"


def test_an_empty_tagline_shows_the_one_readers_see_in_its_language(admin_client, db):
    html = admin_client.get("/tr/admin/articles/brand/add/").content.decode()
    tagline_he = re.search(r'<input[^>]*name="tagline_he"[^>]*>', html).group(0)
    assert 'placeholder="מאמרים על תמיכת לקוחות וחוויית לקוח."' in tagline_he
    tagline_tr = re.search(r'<input[^>]*name="tagline_tr"[^>]*>', html).group(0)
    assert 'placeholder="Müşteri desteği ve müşteri deneyimi üzerine makaleler."' in tagline_tr
    name = re.search(r'<input[^>]*name="name"[^>]*>', html).group(0)
    assert 'placeholder="cxcs"' in name


def test_a_brand_named_in_the_admin_without_a_logo_is_shown_as_its_name(client, db):
    editing.save(Brand(name="Guru"))
    html = client.get("/tr/").content.decode()
    header = re.search(r'<header class="site-header">.*?</header>', html, re.S).group(0)
    assert '<a class="site-brand site-wordmark"' in header
    assert "<img" not in header
