"""Images: uploads checked by their content, stored without metadata, served in renditions."""

import io
import re
import struct
import zlib
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image, ImageCms
from PIL.PngImagePlugin import PngInfo

from articles import images
from articles.launch.loader import draw_figure
from articles.models import Article
from articles.writing import editing

FORMAT_ERROR = "Upload a JPEG, PNG or WebP image. This file is none of these"
DAMAGED_ERROR = "This image is damaged or incomplete."
TOO_LARGE_ERROR = "This image is too large. Upload one of at most 40 megapixels and 10000 pixels"
GPS_IFD = 0x8825


def image_bytes(image_format, size=(640, 360), mode="RGB", colour="#0b5cad", **options):
    buffer = io.BytesIO()
    Image.new(mode, size, colour).save(buffer, image_format, **options)
    return buffer.getvalue()


def two_colour_jpeg(size, **options):
    """A JPEG whose left half is red and right half blue."""
    image = Image.new("RGB", size, "#ff0000")
    image.paste("#0000ff", (size[0] // 2, 0, size[0], size[1]))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95, **options)
    return buffer.getvalue()


def png_declaring(width, height):
    """A few bytes of PNG whose header claims `width` × `height` pixels: a decompression bomb."""

    def chunk(kind, data):
        checksum = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + checksum

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def gps_exif():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[GPS_IFD] = {1: "N", 2: (41.0, 0.0, 51.0), 3: "E", 4: (29.0, 0.0, 11.0)}
    return exif


@pytest.fixture
def upload(admin_client, change_form, change_url):
    """`upload(article, name, content, **changes)`: post the change form with `content`
    as the image file named `name`."""

    def post(article, name, content, **changes):
        data = change_form(
            article,
            image=SimpleUploadedFile(name, content),
            image_alt_tr="Mavi bir alan.",
            image_alt_he="שטח כחול.",
            **changes,
        )
        return admin_client.post(change_url(article, "en"), data)

    return post


def stored(name):
    return Path(default_storage.path(name)).read_bytes()


def open_stored(name):
    return Image.open(io.BytesIO(stored(name)))


def media_files(media_root):
    return sorted(
        p.relative_to(media_root).as_posix() for p in media_root.rglob("*") if p.is_file()
    )


def srcset_entries(srcset):
    """(storage name, width) for each candidate of a srcset."""
    entries = []
    for candidate in srcset.split(", "):
        url, descriptor = candidate.split(" ")
        assert descriptor.endswith("w"), candidate
        entries.append((url.removeprefix(default_storage.base_url), int(descriptor[:-1])))
    return entries


def figure(client, article, language="tr"):
    html = client.get(article.get_absolute_url(language)).content.decode()
    match = re.search(r'<figure class="article-figure">.*?</figure>', html, re.S)
    return match.group(0) if match else None


def attribute(tag_html, name):
    match = re.search(rf'\s{name}="([^"]*)"', tag_html)
    return match.group(1) if match else None


# Accepted uploads


@pytest.mark.parametrize(
    ("name", "content", "stored_format", "extension"),
    [
        ("photo.jpg", image_bytes("JPEG"), "JPEG", "jpg"),
        ("drawing.png", image_bytes("PNG"), "PNG", "png"),
        ("picture.webp", image_bytes("WEBP"), "WEBP", "webp"),
        ("photo.jpeg", image_bytes("JPEG"), "JPEG", "jpg"),
    ],
)
def test_jpeg_png_and_webp_uploads_are_stored(
    admin_client, article, name, content, stored_format, extension, upload
):
    response = upload(article, name, content)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.image.name.endswith(f".{extension}")
    assert open_stored(article.image.name).format == stored_format
    assert (article.image_width, article.image_height) == (640, 360)


def test_a_png_named_jpg_is_stored_as_png(admin_client, article, upload):
    response = upload(article, "holiday.jpg", image_bytes("PNG"))

    assert response.status_code == 302
    article.refresh_from_db()
    assert re.fullmatch(r"articles/holiday[\w-]*\.png", article.image.name)
    assert open_stored(article.image.name).format == "PNG"


def test_an_upload_kept_in_a_temporary_file_is_checked_the_same(
    admin_client, article, settings, upload
):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0

    response = upload(article, "photo.jpg", image_bytes("JPEG"))

    assert response.status_code == 302
    article.refresh_from_db()
    assert open_stored(article.image.name).format == "JPEG"


def test_a_phone_photo_with_a_second_picture_is_stored_as_a_plain_jpeg(
    admin_client, article, upload
):
    # Many phones write MPO: a JPEG followed by a depth map or preview picture.
    buffer = io.BytesIO()
    first, second = Image.new("RGB", (640, 360), "#0b5cad"), Image.new("RGB", (64, 36))
    first.save(buffer, "MPO", save_all=True, append_images=[second])

    response = upload(article, "IMG_0001.JPG", buffer.getvalue())

    assert response.status_code == 302
    article.refresh_from_db()
    with open_stored(article.image.name) as image:
        assert image.format == "JPEG"
        assert image.size == (640, 360)


def test_an_image_at_the_pixel_limit_is_accepted(admin_client, article, monkeypatch, upload):
    monkeypatch.setattr(images, "MAX_PIXELS", 640 * 360)

    assert upload(article, "a.png", image_bytes("PNG")).status_code == 302


def test_the_upload_input_offers_only_the_accepted_formats(admin_client, article, change_url):
    html = admin_client.get(change_url(article, "en")).content.decode()
    tag = re.search(r'<input[^>]*name="image"[^>]*>', html).group(0)
    assert 'accept="image/jpeg,image/png,image/webp"' in tag
    assert "Location, camera details and other metadata are removed" in html


# Refused uploads: the form says why, and nothing is saved


def truncated(content):
    return content[: len(content) // 2]


def gif():
    return image_bytes("GIF")


def pdf():
    return image_bytes("PDF")


def animated_webp():
    buffer = io.BytesIO()
    frames = [Image.new("RGB", (64, 64), colour) for colour in ("red", "blue")]
    frames[0].save(buffer, "WEBP", save_all=True, append_images=frames[1:], duration=100)
    return buffer.getvalue()


def animated_png():
    buffer = io.BytesIO()
    frames = [Image.new("RGB", (64, 64), colour) for colour in ("red", "blue")]
    frames[0].save(buffer, "PNG", save_all=True, append_images=frames[1:], duration=100)
    return buffer.getvalue()


def over_the_pixel_limit():
    # A real 1-bit PNG of 6400 × 6400 = 40,960,000 pixels (each side under the
    # limit) compresses to a few kilobytes.
    buffer = io.BytesIO()
    Image.new("1", (6400, 6400)).save(buffer, "PNG")
    return buffer.getvalue()


def over_the_side_limit():
    buffer = io.BytesIO()
    Image.new("1", (10_001, 1)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "make_content", "error"),
    [
        (
            "logo.svg",
            lambda: b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>',
            FORMAT_ERROR,
        ),
        (
            "logo.png",
            lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            FORMAT_ERROR,
        ),
        ("animation.gif", gif, FORMAT_ERROR),
        ("animation.png", gif, FORMAT_ERROR),
        ("document.pdf", pdf, FORMAT_ERROR),
        (
            "page.png",
            lambda: b"<!DOCTYPE html><html><script>alert(1)</script></html>",
            FORMAT_ERROR,
        ),
        ("notes.png", lambda: "Sadece metin, görüntü değil.".encode(), FORMAT_ERROR),
        (
            "broken.png",
            lambda: truncated(image_bytes("PNG", size=(600, 400), mode="RGB")),
            DAMAGED_ERROR,
        ),
        ("broken.jpg", lambda: truncated(two_colour_jpeg((600, 400))), DAMAGED_ERROR),
        ("broken.webp", lambda: truncated(image_bytes("WEBP", size=(600, 400))), DAMAGED_ERROR),
        ("moving.webp", animated_webp, "Animated images are not accepted."),
        ("moving.png", animated_png, "Animated images are not accepted."),
        ("bomb.png", lambda: png_declaring(100_000, 100_000), TOO_LARGE_ERROR),
        # Between Pillow's warning and its error: caught as well.
        ("bomb.png", lambda: png_declaring(9_500, 9_500), TOO_LARGE_ERROR),
        ("large.png", lambda: png_declaring(8_000, 8_000), TOO_LARGE_ERROR),
        ("large.png", over_the_pixel_limit, TOO_LARGE_ERROR),
        ("strip.png", over_the_side_limit, TOO_LARGE_ERROR),
    ],
)
def test_a_file_that_is_not_an_accepted_image_is_refused_with_a_message(
    admin_client, article, media_root, name, make_content, error, upload
):
    response = upload(article, name, make_content())

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Article.objects.get(pk=article.pk).image
    assert media_files(media_root) == []


def test_an_image_over_a_lowered_pixel_limit_is_refused(admin_client, article, monkeypatch, upload):
    monkeypatch.setattr(images, "MAX_PIXELS", 640 * 360 - 1)

    response = upload(article, "a.png", image_bytes("PNG"))

    assert response.status_code == 200
    assert "This image is too large." in response.content.decode()


def test_the_refusal_is_in_the_admins_language(admin_client, article, change_form, change_url):
    data = change_form(
        article,
        image=SimpleUploadedFile("logo.svg", b"<svg></svg>"),
        image_alt_tr="Logo.",
        image_alt_he="לוגו.",
    )
    html = admin_client.post(change_url(article, "tr"), data).content.decode()

    assert "JPEG, PNG veya WebP" in html


# Metadata


@pytest.mark.parametrize(
    ("name", "image_format"), [("photo.jpg", "JPEG"), ("photo.png", "PNG"), ("photo.webp", "WEBP")]
)
def test_gps_location_and_camera_details_are_removed(
    admin_client, article, name, image_format, upload
):
    content = image_bytes(image_format, exif=gps_exif())
    with Image.open(io.BytesIO(content)) as sent:
        assert sent.getexif().get_ifd(GPS_IFD)  # the test sends what it means to

    assert upload(article, name, content).status_code == 302

    article.refresh_from_db()
    data = stored(article.image.name)
    with Image.open(io.BytesIO(data)) as image:
        assert "exif" not in image.info
        assert not image.getexif()
    assert b"Exif" not in data and b"eXIf" not in data and b"PhoneMaker" not in data


def test_a_rotated_photo_is_stored_upright(admin_client, article, upload):
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: turn 90° clockwise to view
    content = two_colour_jpeg((300, 200), exif=exif)

    assert upload(article, "phone.jpg", content).status_code == 302

    article.refresh_from_db()
    assert (article.image_width, article.image_height) == (200, 300)
    with open_stored(article.image.name) as image:
        assert image.size == (200, 300)
        # The left half (red) is now on top, the right half (blue) below.
        red, _green, blue = image.convert("RGB").getpixel((100, 40))
        assert red > 200 and blue < 60
        red, _green, blue = image.convert("RGB").getpixel((100, 260))
        assert blue > 200 and red < 60


def test_png_text_xmp_and_colour_profile_are_removed_and_colours_kept(
    admin_client, article, upload
):
    info = PngInfo()
    info.add_text("Comment", "taken at home, Kadıköy")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>exif:GPSLatitude 41,0.85N</x:xmpmeta>")
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    content = image_bytes("PNG", colour="#0b5cad", pnginfo=info, icc_profile=srgb)

    assert upload(article, "screen.png", content).status_code == 302

    article.refresh_from_db()
    data = stored(article.image.name)
    with Image.open(io.BytesIO(data)) as image:
        assert set(image.info) <= {"dpi", "gamma"}
        red, green, blue = image.convert("RGB").getpixel((10, 10))
    assert abs(red - 0x0B) <= 2 and abs(green - 0x5C) <= 2 and abs(blue - 0xAD) <= 2
    assert b"Kad" not in data and b"GPS" not in data and b"iCCP" not in data


def test_a_print_ready_cmyk_jpeg_is_stored_in_rgb(admin_client, article, upload):
    content = image_bytes("JPEG", mode="CMYK", colour=(0, 255, 255, 0))  # pure red ink

    assert upload(article, "print.jpg", content).status_code == 302

    article.refresh_from_db()
    with open_stored(article.image.name) as image:
        assert image.mode == "RGB"
        red, green, blue = image.getpixel((10, 10))
    assert red > 240 and green < 15 and blue < 15


def test_a_16_bit_grey_png_keeps_its_greys(admin_client, article, upload):
    content = image_bytes("PNG", mode="I;16", colour=32768)

    assert upload(article, "scan.png", content).status_code == 302

    article.refresh_from_db()
    with open_stored(article.image.name) as image:
        assert image.convert("L").getpixel((10, 10)) == 128


# Renditions


def test_renditions_are_made_at_each_width_in_webp_and_the_original_format(launch):
    renditions = launch.image_renditions["renditions"]

    made = {(item["format"], item["width"]) for item in renditions}
    assert made == {(kind, width) for kind in ("webp", "png") for width in (480, 800, 1200)}
    for item in renditions:
        with open_stored(item["name"]) as image:
            assert image.format == {"webp": "WEBP", "png": "PNG"}[item["format"]]
            assert image.width == item["width"]
            assert image.height == round(675 * item["width"] / 1200)
    # The original is the 1200-pixel PNG: it is not stored twice.
    assert {"width": 1200, "format": "png", "name": launch.image.name} in renditions


def test_a_small_image_is_never_upscaled(admin_client, article, media_root, upload):
    assert upload(article, "small.jpg", image_bytes("JPEG", size=(600, 300))).status_code == 302

    article.refresh_from_db()
    made = sorted(
        (item["format"], item["width"]) for item in article.image_renditions["renditions"]
    )
    assert made == [("jpg", 480), ("jpg", 600), ("webp", 480), ("webp", 600)]
    for item in article.image_renditions["renditions"]:
        with open_stored(item["name"]) as image:
            assert image.width == item["width"] <= 600
    for name in media_files(media_root):
        with open_stored(name) as image:
            assert image.width <= 600


def test_a_large_image_is_served_at_most_1200_pixels_wide(admin_client, client, article, upload):
    upload(article, "wide.jpg", image_bytes("JPEG", size=(3000, 1500)))

    article.refresh_from_db()
    html = figure(client, article)
    img = re.search(r"<img[^>]*>", html).group(0)
    assert [width for _name, width in srcset_entries(attribute(img, "srcset"))] == [480, 800, 1200]
    assert re.search(r"/1200-[0-9a-f]{12}\.jpg$", attribute(img, "src"))
    assert 'width="3000" height="1500"' in img


def test_the_page_offers_webp_and_png_srcsets_with_widths(client, launch):
    html = figure(client, launch)

    source = re.search(r'<source type="image/webp"[^>]*>', html).group(0)
    img = re.search(r"<img[^>]*>", html).group(0)
    assert html.index("<source") < html.index("<img")
    assert (
        attribute(source, "sizes") == attribute(img, "sizes") == "(min-width: 48rem) 42rem, 100vw"
    )
    for tag, kind, image_format in ((source, "webp", "WEBP"), (img, "png", "PNG")):
        entries = srcset_entries(attribute(tag, "srcset"))
        assert [width for _name, width in entries] == [480, 800, 1200]
        for name, width in entries:
            assert name.endswith(f".{kind}")
            with open_stored(name) as image:
                assert (image.format, image.width) == (image_format, width)
    assert attribute(img, "src") == launch.image.url
    assert 'width="1200" height="675"' in img
    assert attribute(img, "alt") == launch.image_alt_tr


def test_a_webp_image_needs_no_second_source(admin_client, client, article, upload):
    upload(article, "picture.webp", image_bytes("WEBP", size=(1000, 500)))

    article.refresh_from_db()
    html = figure(client, article)
    assert "<source" not in html
    img = re.search(r"<img[^>]*>", html).group(0)
    entries = srcset_entries(attribute(img, "srcset"))
    assert [width for _name, width in entries] == [480, 800, 1000]
    assert all(name.endswith(".webp") for name, _width in entries)


def test_replacing_the_image_replaces_its_renditions(
    admin_client, client, article, media_root, django_capture_on_commit_callbacks, upload
):
    upload(article, "first.jpg", image_bytes("JPEG", size=(900, 600)))
    article.refresh_from_db()
    first = [item["name"] for item in article.image_renditions["renditions"]]
    first_renditions = [name for name in first if name.startswith("renditions/")]

    with django_capture_on_commit_callbacks(execute=True):
        upload(article, "second.png", image_bytes("PNG", size=(1600, 900)))

    article.refresh_from_db()
    assert article.image.name.startswith("articles/second")
    for name in first_renditions:
        assert not default_storage.exists(name)
    second = [item["name"] for item in article.image_renditions["renditions"]]
    assert all(default_storage.exists(name) for name in second)
    html = figure(client, article)
    assert "second" in attribute(re.search(r"<img[^>]*>", html).group(0), "srcset")
    assert "first" not in html
    assert [n for n in media_files(media_root) if n.startswith("renditions/")] == sorted(
        name for name in second if name.startswith("renditions/")
    )


def test_clearing_the_image_removes_its_renditions(
    admin_client,
    client,
    article,
    media_root,
    django_capture_on_commit_callbacks,
    change_form,
    change_url,
    upload,
):
    upload(article, "first.jpg", image_bytes("JPEG", size=(900, 600)))
    article.refresh_from_db()

    data = change_form(article, **{"image-clear": "on"})
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(change_url(article, "en"), data).status_code == 302

    article.refresh_from_db()
    assert not article.image and article.image_renditions == {}
    assert not [name for name in media_files(media_root) if name.startswith("renditions/")]
    assert figure(client, article) is None


def test_a_save_that_fails_keeps_the_renditions_the_page_shows(
    launch, django_capture_on_commit_callbacks
):
    shown = [item["name"] for item in launch.image_renditions["renditions"]]

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            launch.image = ContentFile(draw_figure(), name="another.png")
            editing.save(launch)
            raise RuntimeError("the save fails after writing the article")

    assert Article.objects.get(pk=launch.pk).image_renditions["renditions"][0]["name"] == shown[0]
    assert all(default_storage.exists(name) for name in shown)


def test_a_missing_rendition_is_made_again_on_save(launch):
    name = launch.image_renditions["renditions"][0]["name"]
    default_storage.delete(name)

    editing.save(launch)

    launch.refresh_from_db()
    assert all(default_storage.exists(i["name"]) for i in launch.image_renditions["renditions"])


def test_an_unreadable_stored_image_leaves_the_page_with_the_image_alone(client, launch, caplog):
    Path(launch.image.path).write_bytes(b"not an image any more")
    launch.image_renditions = {}

    editing.save(launch)

    launch.refresh_from_db()
    assert launch.image_renditions == {}
    assert f"No renditions could be made of {launch.image.name}" in caplog.text
    html = figure(client, launch)
    img = re.search(r"<img[^>]*>", html).group(0)
    assert attribute(img, "src") == launch.image.url
    assert "srcset" not in html


def test_widths_are_never_wider_than_the_image():
    assert images.rendition_widths(300) == [300]
    assert images.rendition_widths(480) == [480]
    assert images.rendition_widths(1000) == [480, 800, 1000]
    assert images.rendition_widths(1200) == [480, 800, 1200]
    assert images.rendition_widths(5000) == [480, 800, 1200]


def test_a_file_over_the_upload_size_is_refused_before_it_is_decoded(
    admin_client, article, monkeypatch, upload
):
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", 1024)
    monkeypatch.setattr(images, "read_image", lambda upload: pytest.fail("decoded"))
    response = upload(article, "big.png", image_bytes("PNG", size=(800, 800), mode="RGB"))
    assert response.status_code == 200
    assert "This file is over" in str(response.context["adminform"].form.errors["image"])
