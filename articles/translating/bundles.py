"""Many articles' translation files at once: a zip of one file per article and
language, in the format a translator's tool takes (XLIFF 2.0 or 1.2, or PO)."""

import io
import zipfile

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import handoff, terms, xliff

FORMATS = {
    "xliff-2.0": _("XLIFF 2.0 (Phrase, memoQ, Trados Studio 2017 or later, Okapi)"),
    "xliff-1.2": _("XLIFF 1.2 (Trados Studio, memoQ, OmegaT, Wordfast, older tools)"),
    "po": _("PO (Poedit, Weblate, Lokalize)"),
}


def zip_of(pairs, file_format):
    """The zip (bytes) of the `file_format` files of each (article, language) of
    `pairs`; a language an article is written in is left out."""
    entries = terms.load()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for article, language in pairs:
            if language not in article.targets:
                continue
            if file_format == "po":
                name = handoff.file_name(article, language)
                data = handoff.build_po(article, language)
            else:
                version = file_format.removeprefix("xliff-")
                name = xliff.file_name(article, language, version)
                data = xliff.build(article, language, version, entries=entries)
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_name(file_format):
    """The name a zip of `file_format` files is downloaded as."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return f"cxcs-{file_format.replace('.', '')}-{stamp}.zip"
