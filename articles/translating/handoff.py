"""Translator hand-off: one article's texts as a gettext PO file, and back.

A file carries one target language. Each segment (articles/segments.py: the
title, lede, meta description, image alt text and each block of the body) is
one entry, the units the translation workspace shows: msgctxt names the
segment ("title", "body.3"), msgid holds the text in the article's source
language and msgstr the translation. A segment whose source changed since it was translated is
marked fuzzy, with the source it was translated from as the previous msgid
(`#| msgid`), as gettext tools do; a missing one has an empty msgstr. The
body's block markup ("## ", "> ", "- ") and its fixed blocks stay out of the
file and are put back on import. The header names the article and both
languages, so a file is only ever imported where it belongs.
"""

import dataclasses
import html
import re

import polib
from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles import languages
from articles.languages import localized
from articles.models import Article
from articles.text import segments
from articles.text.segments import Status, article_segments, translated_fields
from articles.writing import editing

# The texts a translator translates; the slug is not one, it follows from the title.
FIELDS = Article.TRANSLATED_TEXTS
SEGMENT_KEY = re.compile(r"(title|lede|meta_description|image_alt|body\.[1-9][0-9]{0,5})")
MAX_FILE_SIZE = 2 * 1024 * 1024
CONTENT_TYPE = "text/x-gettext-translation; charset=utf-8"
ARTICLE_HEADER = "X-Cxcs-Article"
SOURCE_HEADER = "X-Cxcs-Source-Language"
MO_MAGIC = (b"\xde\x12\x04\x95", b"\x95\x04\x12\xde")


@dataclasses.dataclass
class ImportResult:
    """What importing a file did, each list naming segments by key ("title", "body.3")."""

    article: Article
    changed: list
    unchanged: list
    # Empty msgstr: the file has no translation, the article keeps its text.
    untranslated: list
    # Marked as needing review in the file: not imported.
    fuzzy: list
    # Translated from a source text that has changed since the export.
    source_changed: list
    # Each segment's kind, for naming it ("3 · paragraph").
    kinds: dict = dataclasses.field(default_factory=dict)

    NOT_DONE = gettext_lazy(
        "Not imported, marked as fuzzy (needing review) in the file: %(fields)s."
    )

    def change_message(self, language):
        """What the admin's log says of the import."""
        return _("Imported the %(language)s translation file: %(fields)s changed.") % {
            "language": languages.name(language),
            "fields": self.field_list(self.changed),
        }

    def field_list(self, keys):
        # A plain list: "and" cannot be placed right in Hebrew, where it is a prefix.
        return ", ".join(segments.label(key, self.kinds.get(key, "")) for key in keys)

    def report(self, language):
        """(level, text) pairs telling the editor what the import did."""
        source = self.article.source_language
        values = {"language": languages.name(language), "source": languages.name(source)}
        reports = []
        if self.changed:
            reports.append(
                (
                    messages.SUCCESS,
                    _("The %(language)s translation was imported: %(fields)s changed.")
                    % {**values, "fields": self.field_list(self.changed)},
                )
            )
        elif self.fuzzy or self.untranslated:
            reports.append((messages.INFO, _("No text changed.")))
        else:
            reports.append(
                (
                    messages.INFO,
                    _("Nothing changed: the article already has the file's %(language)s texts.")
                    % values,
                )
            )
        if self.source_changed:
            reports.append(
                (
                    messages.WARNING,
                    _(
                        "The %(source)s text of %(fields)s changed after the file was exported: "
                        "check the translation against the current %(source)s text."
                    )
                    % {**values, "fields": self.field_list(self.source_changed)},
                )
            )
        if self.fuzzy:
            reports.append(
                (
                    messages.WARNING,
                    str(self.NOT_DONE) % {**values, "fields": self.field_list(self.fuzzy)},
                )
            )
        if self.untranslated:
            reports.append(
                (
                    messages.INFO,
                    _("Left as they were, untranslated in the file: %(fields)s.")
                    % {**values, "fields": self.field_list(self.untranslated)},
                )
            )
        return reports


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Translation file"),
        help_text=gettext_lazy(
            "The XLIFF (.xlf) or PO (.po) file exported from this page, with its "
            "translations filled in."
        ),
        widget=forms.FileInput(
            attrs={"accept": ".xlf,.xliff,.po,application/xliff+xml,text/x-gettext-translation"}
        ),
    )

    def clean_file(self):
        """The file's bytes: XLIFF is read as XML declares it, PO as UTF-8."""
        return read_upload(self.cleaned_data["file"], decode=False)


def is_xml(data):
    """Whether an uploaded file is XML (XLIFF) rather than PO, which never starts with "<"."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16, as some tools save XLIFF: every other byte of "<" is zero.
        return data[2:64].replace(b"\x00", b"").lstrip().startswith(b"<")
    return data.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<")


def file_name(article, language):
    return f"article-{article.pk}-{language}.po"


def build_po(article, language):
    """The PO file of `article`'s texts for translation into `language`.

    A text with no source is left out: there is nothing to translate, and an
    empty msgid is reserved for the header.
    """
    if language not in article.targets:
        raise ValueError(f"Not a target language: {language!r}")
    source = article.source_language
    now = timezone.now().strftime("%Y-%m-%d %H:%M%z")
    po = polib.POFile()
    # Written for translators, whatever language the admin speaks: in English.
    with translation.override("en"):
        po.header = (
            f"Article {article.pk}: {getattr(article, localized('title', source))}\n"
            f"Translate each msgstr from {languages.name(source)} into "
            f"{languages.name(language)}; leave msgctxt and msgid as they are."
        )
        notes = {name: field_note(name) for name in FIELDS}
        status_notes = {
            Status.TRANSLATED: "Status: translated.",
            Status.MISSING: "Status: missing.",
            Status.NEEDS_UPDATE: (
                "Status: needs update: the source changed since it was translated "
                "(the previous source is given)."
            ),
        }
    po.metadata = {
        "Project-Id-Version": "cxcs",
        "POT-Creation-Date": now,
        "PO-Revision-Date": now,
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        ARTICLE_HEADER: str(article.pk),
        SOURCE_HEADER: source,
    }
    for segment in article_segments(article, language).segments:
        if segment.is_fixed:
            continue
        note = notes[segment.field]
        if segment.block is not None:
            with translation.override("en"):
                note = f"{segments.label(segment.key, segment.kind)} of the body. {note}"
        entry = polib.POEntry(
            msgctxt=segment.key,
            msgid=segment.source,
            msgstr=segment.target,
            comment=f"{note}\n{status_notes[segment.status]}",
        )
        if segment.status == Status.NEEDS_UPDATE:
            entry.flags.append("fuzzy")
            entry.previous_msgid = segment.worked_from
        po.append(entry)
    return str(po)


def field_note(name):
    """A note for the translator: the field's name, length limit and help text."""
    field = Article._meta.get_field(name)
    note = capfirst(field.verbose_name)
    if field.max_length and name != "body":
        note += f" (at most {field.max_length} characters)"
    note += "."
    if field.help_text:
        # Help text is HTML, as the admin shows it; a PO file's note is plain text.
        note += f" {html.unescape(strip_tags(str(field.help_text)))}"
    return note


def read_upload(upload, *, decode=True):
    """The text of an uploaded PO file (its bytes unless `decode`): refused when too
    large, empty, binary or not UTF-8."""
    if upload.size > MAX_FILE_SIZE:
        raise ValidationError(
            _("The file is too large (%(size)s MB); a translation file is at most %(limit)s MB.")
            % {"size": f"{upload.size / 1024 / 1024:.1f}", "limit": MAX_FILE_SIZE // 1024 // 1024},
            code="too_large",
        )
    data = upload.read()
    return decode_po(data) if decode else data


def decode_po(data):
    if not data.strip():
        raise ValidationError(_("The file is empty."), code="empty")
    if data[:4] in MO_MAGIC:
        raise ValidationError(
            _("This is a compiled .mo file: upload the .po file instead."), code="compiled"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            _("The file is not UTF-8 text. Save it as a UTF-8 .po file and upload it again."),
            code="encoding",
        ) from None
    if "\x00" in text:
        raise ValidationError(_("The file is not a translation (.po) file."), code="binary")
    return text


def parse_po(text):
    # polib takes a one-line string naming an existing file as that file's
    # path: a real PO file has several lines, so such a string never reaches it.
    if "\n" not in text.strip():
        raise ValidationError(_("The file is not a translation (.po) file."), code="malformed")
    try:
        return polib.pofile(text, encoding="utf-8")
    except (OSError, ValueError) as error:
        line = re.search(r"line (\d+)", str(error))
        if line:
            message = _("The file is not a valid .po file: line %(line)s cannot be read.") % {
                "line": line.group(1)
            }
        else:
            message = _("The file is not a valid .po file.")
        raise ValidationError(message, code="malformed") from None


def check_header(po, article, language):
    """Refuse a file made for another article, language or source language."""
    charset = re.search(r"charset=([\w-]+)", po.metadata.get("Content-Type", ""))
    if charset and charset.group(1).lower().replace("-", "") != "utf8":
        raise ValidationError(
            _("The file says it is in the %(charset)s encoding: save it as UTF-8.")
            % {"charset": charset.group(1)},
            code="encoding",
        )
    pk = po.metadata.get(ARTICLE_HEADER, "").strip()
    if not pk:
        raise ValidationError(
            _("This file was not exported from this site: its header names no article."),
            code="not_ours",
        )
    if pk != str(article.pk):
        raise ValidationError(
            _("This file belongs to another article (number %(file)s), not to this one (%(pk)s).")
            % {"file": pk[:20], "pk": article.pk},
            code="other_article",
        )
    source = article.source_language
    if po.metadata.get(SOURCE_HEADER, "").strip() != source:
        raise ValidationError(
            _("This file was not translated from %(source)s, the source language.")
            % {"source": languages.name(source)},
            code="other_source",
        )
    # Translation tools may write a region: "he_IL" is Hebrew too.
    file_language = re.split(r"[-_]", po.metadata.get("Language", "").strip())[0].lower()
    if file_language == source:
        raise ValidationError(
            _("This file is in %(source)s, the source language: only translations are imported.")
            % {"source": languages.name(source)},
            code="source_language",
        )
    if file_language != language:
        if file_language in languages.CODES:
            message = _(
                "This file is a translation into %(file)s; this page imports %(language)s."
            ) % {"file": languages.name(file_language), "language": languages.name(language)}
        else:
            message = _("The file does not say it is in %(language)s.") % {
                "language": languages.name(language)
            }
        raise ValidationError(message, code="other_language")


def file_entries(po):
    """The file's entries by segment key, and the segments marked fuzzy."""
    entries, fuzzy, unknown = {}, [], []
    for entry in po:
        if entry.obsolete:
            continue
        name = entry.msgctxt
        if not name or not SEGMENT_KEY.fullmatch(name) or entry.msgid_plural:
            unknown.append((name or entry.msgid)[:40])
        elif name in entries or name in fuzzy:
            raise ValidationError(
                _("The file holds the text “%(name)s” twice.") % {"name": name},
                code="duplicate",
            )
        elif entry.fuzzy:
            fuzzy.append(name)
        else:
            entries[name] = entry
    if unknown:
        raise ValidationError(
            _("The file holds texts this article does not have: %(unknown)s.")
            % {"unknown": ", ".join(f"“{name}”" for name in unknown[:5])},
            code="unknown_units",
        )
    if not entries and not fuzzy:
        raise ValidationError(_("The file holds no texts to import."), code="no_entries")
    return entries, fuzzy


def apply_po(article, language, text, user=None):
    """Import the translations in PO `text` into `article`'s `language` segments.

    Raises ValidationError, changing nothing, when the file is not for this
    article and language or cannot be read, or a text in it cannot be saved.
    Fuzzy and empty translations are left out. An entry is matched to the
    segment its msgctxt names, or, when the source has moved since the export,
    to the segment whose source is the entry's msgid. A translation made from
    an older source text is imported, since it is the best there is, and
    reported in `source_changed`; that segment then needs an update. When
    someone saves the article while the file is imported, ValidationError says
    so and nothing is imported.
    """
    if language not in article.targets:
        raise ValueError(f"Not a target language: {language!r}")
    po = parse_po(text)
    check_header(po, article, language)
    entries, fuzzy = file_entries(po)
    # The article as it is now, not as the page showing the form loaded it.
    article = Article.objects.get(pk=article.pk)
    segmented = article_segments(article, language)
    matched = match_entries(entries, segmented)
    if matched.missing:
        raise ValidationError(
            _("The file holds texts this article does not have: %(unknown)s.")
            % {"unknown": ", ".join(f"“{name}”" for name in matched.missing[:5])},
            code="unknown_units",
        )
    matched.fuzzy = fuzzy
    return save_matched(article, language, segmented, matched, user=user, file_format="PO")


def save_matched(article, language, segmented, matched, *, user=None, file_format):
    """Save the translations of a file (`matched` to `segmented`, the segments of
    `article`, loaded just now) through the one write path, and return the
    ImportResult. The history names the file's format and the segments changed."""
    changed = matched.changed
    if changed:
        fields, kept = translated_fields(
            segmented, matched.texts, confirmed=matched.confirmed, made_from=matched.made_from
        )
        for name, value in fields.items():
            setattr(article, localized(name, language), value)
        article.translation_sources = {**article.translation_sources, language: kept}
        validate(article, language)
        kinds = {segment.key: segment.kind for segment in segmented.segments}
        note = {
            "imported": {
                "language": language,
                "format": file_format,
                "changed": [[key, kinds[key]] for key in changed],
            }
        }
        try:
            editing.save(
                article,
                user=user,
                translation_sources=article.translation_sources,
                note=note,
            )
        except editing.EditConflict:
            raise ValidationError(
                _("Someone saved the article while the file was imported; import it again."),
                code="conflict",
            ) from None
    return ImportResult(
        article=article,
        changed=changed,
        unchanged=matched.unchanged,
        untranslated=matched.untranslated,
        fuzzy=matched.fuzzy,
        source_changed=matched.source_changed,
        kinds={segment.key: segment.kind for segment in segmented.segments},
    )


@dataclasses.dataclass
class Matched:
    """A file's entries matched to the article's segments (see match_entries)."""

    texts: dict = dataclasses.field(default_factory=dict)
    made_from: dict = dataclasses.field(default_factory=dict)
    changed: list = dataclasses.field(default_factory=list)
    unchanged: list = dataclasses.field(default_factory=list)
    untranslated: list = dataclasses.field(default_factory=list)
    source_changed: list = dataclasses.field(default_factory=list)
    confirmed: list = dataclasses.field(default_factory=list)
    missing: list = dataclasses.field(default_factory=list)
    # Not imported: marked in the file as still to be done (fuzzy, not translated).
    fuzzy: list = dataclasses.field(default_factory=list)


def match_entries(entries, segmented):
    """Match a file's `entries` ({msgctxt: entry}) to `segmented`'s segments.

    An entry goes to the segment its msgctxt names, or, when the source has
    moved since the export, to the segment whose source is its msgid. Its
    translation is taken (`texts`), with the source it was made from when
    that is older than today's (`made_from`); an unchanged translation of a
    segment needing an update confirms it; an entry for no segment is
    `missing`.
    """
    current = {segment.key: segment for segment in segmented.segments if not segment.is_fixed}
    by_source = {}
    for segment in current.values():
        by_source.setdefault(segment.source, segment.key)
    matched = Matched()
    for key, entry in entries.items():
        # Like the admin's own inputs, surrounding white space is dropped.
        translated = editing.normalize_text(entry.msgstr.strip())
        source = editing.normalize_text(entry.msgid.strip())
        if key not in current or current[key].source != source:
            key = by_source.get(source, key)
        if key not in current:
            matched.missing.append(entry.msgctxt)
            continue
        if not translated:
            matched.untranslated.append(key)
            continue
        if source != current[key].source:
            matched.source_changed.append(key)
            matched.made_from[key] = source
        matched.texts[key] = translated
        if translated != current[key].target or key in matched.made_from:
            matched.changed.append(key)
        elif current[key].status == Status.NEEDS_UPDATE:
            # No longer fuzzy in the file: the translator found it still correct.
            matched.confirmed.append(key)
            matched.changed.append(key)
        else:
            matched.unchanged.append(key)
    return matched


def validate(article, language):
    """Check the `language` texts (lengths, the slug made from a new title) before saving."""
    checked = {localized(name, language) for name in (*FIELDS, "slug")}
    exclude = [field.name for field in Article._meta.fields if field.name not in checked]
    try:
        article.full_clean(exclude=exclude, validate_unique=True)
    except ValidationError as error:
        problems = [
            f"{Article._meta.get_field(field).verbose_name}: {message}"
            if field != NON_FIELD_ERRORS
            else message
            for field, field_messages in error.message_dict.items()
            # The model checks every language; other languages' problems are not this file's.
            if field in checked or field == NON_FIELD_ERRORS
            for message in field_messages
        ]
        if not problems:
            return
        raise ValidationError(
            _("The translation was not imported: %(problems)s") % {"problems": " ".join(problems)},
            code="invalid",
        ) from None
