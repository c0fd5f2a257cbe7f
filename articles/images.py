"""Uploaded images: checked by their content, stripped of metadata, and their renditions.

An upload is accepted when Pillow reads it as a still JPEG, PNG or WebP image
within the size limits, whatever its name says. What is stored is re-encoded
from the pixels alone: EXIF (camera, GPS location), XMP, comments and colour
profiles are gone. Colours stay right because an image with a colour profile
is first converted to sRGB, what browsers assume for an image without one.

Renditions are smaller copies for `srcset`: WebP, and the original's format for
browsers without WebP. Their names are recorded on the article with the image
they were made from, so a page lists only files that exist, and a replaced or
cleared image takes its renditions with it. A rendition's name holds a digest
of its bytes: a name never stands for two contents, so browsers and CDNs may
keep renditions for ever.

A model says which of its files are uploaded images, and what is made of
each, with `Slot`s (`Content.IMAGES`): renditions of a figure or a photo, the
icons of the site's brand, or nothing (an SVG logo).
"""

import functools
import hashlib
import io
import logging
import warnings
from dataclasses import dataclass
from pathlib import PurePosixPath

from django import forms
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps

logger = logging.getLogger(__name__)

# 40 megapixels is more than any camera phone takes (8000 × 5000), and bounds
# the memory decoding an upload may take (about 160 MB at 4 bytes a pixel).
MAX_PIXELS = 40_000_000
MAX_SIDE = 10_000
# An upload larger than this is refused before it is decoded: a 40 MP camera
# JPEG is about 15 MB; a larger file would only cost time to refuse later.
MAX_UPLOAD_BYTES = 30 * 1024 * 1024

# Pillow's format name → the extension the stored file gets. MPO is how Pillow
# reads many phone cameras' JPEGs (a photo with a depth map or preview): its
# first picture is an ordinary JPEG.
EXTENSIONS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp"}
SAVED_FORMATS = {"jpg": "JPEG", "png": "PNG", "webp": "WEBP"}
ACCEPT = "image/jpeg,image/png,image/webp"

# The figure is at most 42rem wide (672 CSS pixels): 1200 serves screens of
# about two device pixels per CSS pixel; 480 and 800 serve phones.
RENDITION_WIDTHS = (480, 800, 1200)
RENDITIONS_DIR = "renditions"
SIZES = "(min-width: 48rem) 42rem, 100vw"
# The site's icon: the favicon's sizes in one .ico, and square PNGs for phones'
# home screens (180, apple-touch-icon) and the web manifest (192, 512).
ICO_SIZES = (16, 32, 48)
ICON_WIDTHS = (180, 192, 512)


@dataclass(frozen=True)
class Slot:
    """An uploaded file of a model (`field`) and the JSON column (`record`) holding
    the record of what is made from it: renditions `widths` wide, or, with
    `icons`, the site's icons; no record, nothing is made."""

    field: str
    record: str = ""
    widths: tuple = RENDITION_WIDTHS
    icons: bool = False

    def refresh(self, file, recorded):
        """The record of what is made from `file`, made anew when needed."""
        make = make_icons if self.icons else functools.partial(make_renditions, widths=self.widths)
        return refresh_renditions(file, recorded, make=make)


class CheckedImageField(forms.FileField):
    """An image upload accepted by its content, returned re-encoded without metadata.

    Only still JPEG, PNG and WebP images of at most MAX_PIXELS pixels and MAX_SIDE
    pixels a side pass; the file is stored under its name with the extension of
    its real format.
    """

    default_error_messages = {
        "format": _(
            "Upload a JPEG, PNG or WebP image. This file is none of these, whatever its name says."
        ),
        "damaged": _(
            "This image is damaged or incomplete. Upload a JPEG, PNG or WebP image that opens."
        ),
        "animated": _("Animated images are not accepted. Upload a still JPEG, PNG or WebP image."),
        "too_large": _(
            "This image is too large. Upload one of at most %(megapixels)d megapixels "
            "and %(side)d pixels a side."
        ),
        "too_many_bytes": _("This file is over %(megabytes)d MB. Upload a smaller image."),
    }

    def __init__(self, *, help_text="", **kwargs):
        # Built per request by the admin, so the active language is the editor's.
        help_text = help_text or gettext(
            "A JPEG, PNG or WebP image of at most %(megapixels)d megapixels and %(megabytes)d "
            "MB. Location, camera details and other metadata are removed when it is stored."
        ) % {"megapixels": MAX_PIXELS // 1_000_000, "megabytes": MAX_UPLOAD_BYTES // 1024 // 1024}
        super().__init__(help_text=help_text, **kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs.setdefault("accept", ACCEPT)
        return attrs

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                self.error_messages["too_many_bytes"],
                code="too_many_bytes",
                params={"megabytes": MAX_UPLOAD_BYTES // 1024 // 1024},
            )
        try:
            image, extension = read_image(upload)
        except InvalidImage as error:
            params = {"megapixels": MAX_PIXELS // 1_000_000, "side": MAX_SIDE}
            raise forms.ValidationError(
                self.error_messages[error.code], code=error.code, params=params
            ) from error
        content = encode(image, extension)
        stem = PurePosixPath(upload.name).stem or "image"
        return SimpleUploadedFile(
            f"{stem}.{extension}", content, content_type=Image.MIME[SAVED_FORMATS[extension]]
        )


class InvalidImage(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.code = code


def read_image(upload):
    """The pixels of `upload` (loaded, upright, sRGB, without metadata) and the
    extension of its format, or InvalidImage with a code for the form's message."""
    if hasattr(upload, "temporary_file_path"):
        source = upload.temporary_file_path()
    else:
        upload.seek(0)
        source = io.BytesIO(upload.read())
    with warnings.catch_warnings():
        # Pillow warns above its own limit and raises above twice that; ours is
        # lower, but a header can declare any size, so both are caught.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(source) as image:
                extension = EXTENSIONS.get(image.format)
                if extension is None:
                    raise InvalidImage("format")
                check_size(image)
                if getattr(image, "is_animated", False) and image.format != "MPO":
                    raise InvalidImage("animated")
                # verify() checks the whole file (for PNG, every chunk's checksum)
                # but leaves the image unusable: it is opened again to decode it.
                image.verify()
            if isinstance(source, io.BytesIO):
                source.seek(0)
            with Image.open(source) as image:
                image.load()
                return clean_pixels(image), extension
        except InvalidImage:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise InvalidImage("too_large") from error
        except Image.UnidentifiedImageError as error:
            raise InvalidImage("format") from error
        except Exception as error:
            # Pillow's decoders raise many kinds of errors (OSError, SyntaxError,
            # ValueError, struct.error…) on a truncated or malformed file.
            raise InvalidImage("damaged") from error


def check_size(image):
    width, height = image.size
    if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
        raise InvalidImage("too_large")


def clean_pixels(image):
    """A new image holding only `image`'s pixels, turned upright and converted to sRGB."""
    ImageOps.exif_transpose(image, in_place=True)
    icc_profile = image.info.get("icc_profile")
    if image.mode in ("I", "I;16", "I;16B", "I;16L"):
        # 16-bit greys, scaled to 8 bits: converting them directly would clip them to white.
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    elif image.mode not in ("RGB", "RGBA", "L", "CMYK"):
        image = image.convert("RGBA" if image.has_transparency_data else "RGB")
    if icc_profile:
        image = to_srgb(image, icc_profile)
    if image.mode == "CMYK":
        image = image.convert("RGB")
    # Only the pixels are copied: no EXIF, XMP, text chunks, comments or profile.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    return clean


def to_srgb(image, icc_profile):
    try:
        return ImageCms.profileToProfile(
            image,
            ImageCms.ImageCmsProfile(io.BytesIO(icc_profile)),
            ImageCms.createProfile("sRGB"),
            outputMode="RGBA" if image.mode == "RGBA" else "RGB",
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        # A profile that cannot be read is ignored, as browsers ignore it.
        return image


def encode(image, extension, *, lossless=False, optimize=False):
    """`image` as bytes in the format of `extension`, with nothing but its pixels."""
    buffer = io.BytesIO()
    image_format = SAVED_FORMATS[extension]
    if image_format == "JPEG":
        if image.mode == "RGBA":
            image = image.convert("RGB")
        image.save(buffer, "JPEG", quality=88, optimize=True, progressive=True)
    elif image_format == "PNG":
        image.save(buffer, "PNG", optimize=optimize)
    else:
        image.save(buffer, "WEBP", quality=100 if lossless else 85, lossless=lossless)
    return buffer.getvalue()


def encode_rendition(image, kind):
    if kind == "webp":
        # A drawing of a few flat colours is smaller lossless, and stays crisp;
        # a photo, or a drawing once resampled, is smaller lossy.
        return encode(image, "webp", lossless=image.getcolors(256) is not None)
    return encode(image, kind, optimize=True)


def rendition_widths(width, widths=RENDITION_WIDTHS):
    """The widths to make for an image `width` pixels wide: never wider than it is."""
    return sorted({min(candidate, width) for candidate in widths})


def refresh_renditions(image, recorded, *, make=None):
    """The renditions record for `image` (a saved FieldFile), made anew when needed.

    `recorded` is the record kept so far. It is kept while it was made from
    this very file and all its files exist; otherwise new renditions are made
    when there is an image (the old ones are the caller's to delete once the
    new record is saved). A file that cannot be read leaves an empty record:
    the page then shows the image alone. `make(image)` makes them
    (`make_renditions` by default).
    """
    if renditions_are_current(image, recorded):
        return recorded
    if not image:
        return {}
    try:
        return (make or make_renditions)(image)
    except (OSError, ValueError, KeyError, Image.DecompressionBombError):
        logger.exception("No renditions could be made of %s", image.name)
        return {}


def renditions_are_current(image, recorded):
    """Whether `recorded` was made from `image` and all its files exist (no image, no record)."""
    if not image:
        return not recorded
    return recorded.get("source") == image.name and all(
        image.storage.exists(item["name"]) for item in recorded["renditions"]
    )


def save_rendition(storage, directory, stem, extension, content):
    """Store `content` as `directory/stem-digest.extension`: a new content, a new name."""
    digest = hashlib.sha256(content).hexdigest()[:12]
    return storage.save(f"{directory}/{stem}-{digest}.{extension}", ContentFile(content))


def make_renditions(image, widths=RENDITION_WIDTHS):
    """Write the renditions of `image` (a saved FieldFile) and return their record."""
    storage = image.storage
    extension = PurePosixPath(image.name).suffix.lower().lstrip(".")
    extension = {"jpeg": "jpg"}.get(extension, extension)
    if extension not in SAVED_FORMATS:
        # Uploaded before uploads were checked (a GIF, say): PNG keeps it whole.
        extension = "png"
    directory = f"{RENDITIONS_DIR}/{PurePosixPath(image.name).with_suffix('')}"
    renditions = []
    with image.open("rb"), Image.open(image) as stored:
        # A no-op for what the admin stored; files from elsewhere get the same treatment.
        original = clean_pixels(stored)
        is_in_its_format = EXTENSIONS.get(stored.format) == extension
    for width in rendition_widths(original.width, widths):
        height = max(1, round(original.height * width / original.width))
        resized = (
            original
            if width == original.width
            else original.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        )
        for kind in dict.fromkeys(("webp", extension)):
            if width == original.width and kind == extension and is_in_its_format:
                # The stored original is already this rendition.
                name = image.name
            else:
                content = encode_rendition(resized, kind)
                name = save_rendition(storage, directory, width, kind, content)
            renditions.append({"width": width, "format": kind, "name": name})
    return {"source": image.name, "format": extension, "renditions": renditions}


def make_icons(image):
    """Write the site's icons made from `image` (a saved FieldFile, square or not)
    and return their record: a favicon.ico and square PNGs of ICON_WIDTHS."""
    storage = image.storage
    directory = f"{RENDITIONS_DIR}/{PurePosixPath(image.name).with_suffix('')}"
    with image.open("rb"), Image.open(image) as stored:
        original = clean_pixels(stored).convert("RGBA")
    # Centred on a transparent square: an icon is never stretched.
    side = max(original.size)
    square = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    square.paste(original, ((side - original.width) // 2, (side - original.height) // 2))
    renditions = []
    for width in ICON_WIDTHS:
        icon = square.resize((width, width), Image.Resampling.LANCZOS)
        if width == 180:
            # iOS puts a transparent home-screen icon on black: give it a white ground.
            ground = Image.new("RGBA", icon.size, (255, 255, 255, 255))
            icon = Image.alpha_composite(ground, icon).convert("RGB")
        content = encode(icon, "png", optimize=True)
        name = save_rendition(storage, directory, f"icon-{width}", "png", content)
        renditions.append({"width": width, "format": "png", "name": name})
    buffer = io.BytesIO()
    square.save(buffer, "ICO", sizes=[(size, size) for size in ICO_SIZES])
    name = save_rendition(storage, directory, "favicon", "ico", buffer.getvalue())
    renditions.append({"width": max(ICO_SIZES), "format": "ico", "name": name})
    return {"source": image.name, "format": "png", "renditions": renditions}


def icon_urls(image, recorded):
    """{"ico": url, 180: url, 192: url, 512: url} of the icons `recorded` made from
    `image`; empty unless they were made from it."""
    if not image or not recorded or recorded.get("source") != image.name:
        return {}
    return {
        ("ico" if item["format"] == "ico" else item["width"]): image.storage.url(item["name"])
        for item in recorded["renditions"]
    }


def rendition_files(recorded):
    """The files of a renditions record, the original image it may reuse left out."""
    return {
        item["name"]
        for item in (recorded or {}).get("renditions", [])
        if item["name"] != recorded.get("source")
    }


def delete_files(names):
    for name in names:
        default_storage.delete(name)


@dataclass(frozen=True)
class PictureSources:
    """What `<picture>` needs: a WebP srcset (empty when the image is WebP itself),
    a srcset in the original's format, and the fallback `src`."""

    webp_srcset: str
    srcset: str
    src: str
    sizes: str = SIZES


def picture_sources(image, recorded, sizes=SIZES):
    """The `<picture>` sources of `image` from its renditions `recorded`, for an image
    shown at `sizes` (the `sizes` attribute)."""
    if not recorded or recorded.get("source") != image.name:
        return PictureSources(webp_srcset="", srcset="", src=image.url, sizes=sizes)
    by_format = {}
    for item in recorded["renditions"]:
        by_format.setdefault(item["format"], []).append(item)
    original = by_format[recorded["format"]]

    def srcset(items):
        return ", ".join(f"{image.storage.url(item['name'])} {item['width']}w" for item in items)

    return PictureSources(
        webp_srcset=srcset(by_format["webp"]) if recorded["format"] != "webp" else "",
        srcset=srcset(original),
        src=image.storage.url(original[-1]["name"]),
        sizes=sizes,
    )
