"""The brand: name, logo and icons from settings or the admin; favicon, touch icon and
manifest at the addresses browsers ask for; uploaded files cached as their names allow."""

import json
import re

import pytest
from django.conf import settings
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


SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
    ' viewBox="0 0 10 10">{}</svg>'
)
# Each fetches from another host, or runs a script, when the logo is opened.
BYPASSES = {
    "css-escaped-url": r"<style>rect {{ fill: u\72l(https://example.com/a.png) }}</style>",
    "css-escaped-import": r'<style>@\69mport "https://example.com/a.css";</style>',
    "css-image-set": "<rect style=\"fill: image-set('https://example.com/a.png' 1x)\"/>",
    "css-url-in-style-attribute": '<rect style="fill: url(https://example.com/a.png)"/>',
    "css-url-to-the-drawing": "<style>rect { fill: url(#a) }</style>",
    "escaped-url-in-fill": r'<rect fill="u\72l(https://example.com/a.svg#p)"/>',
    "remote-url-in-fill": '<rect fill="url(https://example.com/a.svg#p)"/>',
    "xhtml-img": '<h:img xmlns:h="http://www.w3.org/1999/xhtml" src="https://example.com/a.png"/>',
    "set-href": '<a><set attributeName="href" to="javascript:alert(1)"/><text>x</text></a>',
    "animate-href": '<a href="#x"><animate attributeName="href" values="javascript:alert(1)"/>'
    "<text>x</text></a>",
    "fe-image": '<filter id="f"><feImage href="https://example.com/a.png"/></filter>',
    "remote-use": '<use xlink:href="https://example.com/a.svg#p"/>',
    "stylesheet-instruction": '<?xml-stylesheet href="https://example.com/a.css"?><g/>',
    "image-of-another-svg": '<image href="data:image/svg+xml;base64,PHN2Zy8+"/>',
}


@pytest.mark.parametrize("inside", BYPASSES.values(), ids=BYPASSES.keys())
def test_a_logo_that_could_fetch_from_elsewhere_by_a_detour_is_refused(admin_client, db, inside):
    svg = SVG.format(inside).encode()
    response = admin_client.post(
        "/en/admin/articles/brand/add/",
        brand_form(logo=SimpleUploadedFile("logo.svg", svg, content_type="image/svg+xml")),
    )
    assert "logo" in response.context["adminform"].form.errors
    assert not Brand.objects.exists()


def test_a_logo_with_a_style_sheet_instruction_is_refused(admin_client, db):
    svg = b'<?xml version="1.0"?>\n<?xml-stylesheet href="https://example.com/a.css"?>' + LOGO
    response = admin_client.post(
        "/en/admin/articles/brand/add/",
        brand_form(logo=SimpleUploadedFile("logo.svg", svg, content_type="image/svg+xml")),
    )
    assert "logo" in response.context["adminform"].form.errors


def test_a_logo_without_the_svg_namespace_is_refused(admin_client, db):
    response = admin_client.post(
        "/en/admin/articles/brand/add/",
        brand_form(logo=SimpleUploadedFile("logo.svg", b"<svg><circle r='5'/></svg>")),
    )
    assert "logo" in response.context["adminform"].form.errors


def test_a_drawing_with_gradients_styles_and_text_is_accepted(admin_client, db):
    drawing = SVG.format(
        '<title>Notlar</title><defs><linearGradient id="g" x1="0" x2="1">'
        '<stop offset="0" stop-color="#0b5cad"/><stop offset="1" style="stop-color:#9cc2ea"/>'
        '</linearGradient><clipPath id="c"><rect width="10" height="10"/></clipPath></defs>'
        "<style>.mark { stroke: rgb(0, 0, 0); stroke-width: .5 }</style>"
        '<g clip-path="url(#c)" transform="translate(1, 1) rotate(5)">'
        '<rect class="mark" width="8" height="8" rx="2" fill="url(#g)"/>'
        '<use xlink:href="#g"/><text x="1" y="9" font-family="sans-serif">N</text></g>'
    ).encode()
    response = admin_client.post(
        "/en/admin/articles/brand/add/",
        brand_form(logo=SimpleUploadedFile("logo.svg", drawing, content_type="image/svg+xml")),
    )
    assert response.status_code == 302
    assert Brand.objects.get().logo.read() == drawing


def test_an_uploaded_logo_is_served_with_a_policy_that_lets_it_fetch_and_run_nothing(
    admin_client, client, db
):
    admin_client.post(
        "/en/admin/articles/brand/add/",
        brand_form(logo=SimpleUploadedFile("logo.svg", LOGO, content_type="image/svg+xml")),
    )
    response = client.get(f"/media/{Brand.objects.get().logo.name}")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert policy == settings.MEDIA_CONTENT_SECURITY_POLICY
    assert "default-src 'none'" in policy and "sandbox" in policy
    assert response["X-Content-Type-Options"] == "nosniff"


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
