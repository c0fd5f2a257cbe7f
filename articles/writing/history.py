"""Revisions of content (articles, the tour page, authors, topics, the brand), kept by
django-reversion: what each one keeps, and how a change is described in the history.

A revision keeps the real per-language columns (`title_he`, `body_tr`, …). The
original columns modeltranslation leaves on the model (`title`, `body`, …) are
left out: they hold whichever language was active at the last save, and
writing one back goes, through modeltranslation's descriptor, into the active
language. Derived columns (search text, image size and renditions) are left
out too: saving makes them again. Revisions are made by the write path
(editing.py), one per save that changes something.

A revision's comment is a list in the admin's LogEntry format, so it is put
into words when the history is shown, in the reader's language, not the
language of whoever saved.
"""

import json
from datetime import datetime

import reversion
from django.contrib.admin.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override
from modeltranslation.translator import translator
from reversion.models import Version

from articles import languages
from articles.text.diffs import text_diff
from articles.text.segments import label

# Saved with a revision, to find what an editor started from, but never
# restored: a restore is a new save, with a new version number.
NOT_RESTORED = ("version",)
# Kept, but not worth a mention in a revision's summary.
NOT_DESCRIBED = ("version", "translation_sources", "unconfirmed", "updated_at")
# Not kept: made again by every save. (The update time is kept all the same: recovering
# a deleted article writes the row back as the revision has it, and it may not
# be empty.)
NOT_KEPT = (
    "search_title",
    "search_lede",
    "search_body",
    "translation_state",
    "needs_translation",
    "segments_done",
    "segments_total",
    "body_html",
    "toc",
    "reading_minutes",
    "rendering_version",
    "image_width",
    "image_height",
    "image_renditions",
    "photo_width",
    "photo_height",
    "photo_renditions",
    "icon_files",
)

LAUNCH = {"launch": {}}


def register(model):
    """Keep revisions of `model`'s versioned columns."""
    reversion.register(model, fields=versioned_fields(model))


def versioned_fields(model):
    """The names of the columns a revision of `model` keeps."""
    originals = set(translator.get_options_for_model(model).all_fields)
    return [
        field.name
        for field in model._meta.concrete_fields
        if not field.primary_key
        and field.name not in originals
        and base_name(field) not in NOT_KEPT
    ]


def base_field(field):
    """The field a per-language column translates; a plain field itself."""
    return getattr(field, "translated_field", None) or field


def base_name(field):
    return base_field(field).name


def described_fields(model):
    """The versioned columns whose changes a revision's summary names, by the names
    of their columns (`author_id` for the author)."""
    return [
        model._meta.get_field(name).attname
        for name in versioned_fields(model)
        if name not in NOT_DESCRIBED
    ]


def kept(version):
    """The values `version` kept, by column (`author_id` for the author), read from
    the JSON it stored as Django's deserializer reads them.

    Not reversion's `Version.field_dict`: that builds the object, and an image
    field whose size a revision does not keep (NOT_KEPT) opens its file to
    measure it, which fails once the file is gone and costs a read when not.
    """
    [record] = json.loads(version.serialized_data)
    model = version._model
    values = {}
    for name, value in record["fields"].items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue  # a column removed since
        if field.many_to_one:
            value = None if value is None else field.target_field.to_python(value)
        else:
            value = field.to_python(value)
        values[field.attname] = value
    return values


def restore(version, obj):
    """Put the values `version` kept into `obj` (unsaved), what its translations were
    made from included."""
    for name, value in kept(version).items():
        if name not in NOT_RESTORED:
            setattr(obj, name, value)


def recovered(version):
    """A new, unsaved copy of the deleted object `version` kept, with its primary key."""
    obj = version._model(pk=version.object_id)
    restore(version, obj)
    return obj


def comparable(value):
    """`value` as the admin's form would send it back unchanged.

    The form drops a text's surrounding white space and a time's fraction of
    a second, a browser sends line breaks as CRLF, and an empty input is ""
    where the column may hold NULL: none of that is an editor's change.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    if isinstance(value, datetime):
        return value.replace(microsecond=0)
    if hasattr(value, "storage"):
        return value.name or ""
    return value


def by_language(model, names):
    """`names` of columns grouped by language, {"he": ["title", "body"], "": ["image"]},
    each with the name of the field it translates."""
    grouped = {}
    for name in names:
        field = model._meta.get_field(name)
        language = getattr(field, "language", None) or ""
        grouped.setdefault(language, []).append(base_name(field))
    return grouped


def change_message(model, names, *, restored_from=None, note=None):
    """A LogEntry change message for a save that changed the columns `names`.

    Django's own "fields" are kept, so anything reading the admin's log
    (LogEntry.get_change_message) still understands it. `note` is a part
    saying how the change came about (see `describe`).
    """
    with override(None):
        labels = [str(model._meta.get_field(name).verbose_name) for name in names]
    message = [{"changed": {"fields": labels, "languages": by_language(model, names)}}]
    if note is not None:
        message.insert(0, note)
    if restored_from is not None:
        message.insert(0, {"restored": {"date": restored_from.date_created.isoformat()}})
    return message


def added_message(*, restored_from=None, note=None):
    """The change message of a save that added an object (a recovered one, say)."""
    if restored_from is not None:
        return [{"restored": {"date": restored_from.date_created.isoformat()}}]
    return [note or {"added": {}}]


def encode(message):
    """A change message as a revision's comment: the JSON a LogEntry keeps."""
    return json.dumps(message)


def describe(comment, model):
    """A revision's comment in words, in the active language."""
    try:
        parts = json.loads(comment) if comment.startswith("[") else None
    except ValueError:
        parts = None
    if not isinstance(parts, list) or not all(isinstance(part, dict) for part in parts):
        return LogEntry(change_message=comment).get_change_message()
    sentences = []
    for part in parts:
        if "launch" in part:
            sentences.append(_("Loaded with the launch content."))
        elif "promoted" in part:
            sentences.append(
                _("Took the words of the variant that won the experiment “%(name)s”.")
                % {"name": part["promoted"]["experiment"]}
            )
        elif "imported" in part:
            sentences.append(describe_import(part["imported"]))
        elif "workspace" in part:
            sentences.append(describe_workspace(part["workspace"]))
        elif "pretranslated" in part:
            sentences.append(describe_pretranslation(part["pretranslated"]))
        elif "source" in part:
            sentences.append(
                _("Changed the source language from %(before)s to %(after)s.")
                % {
                    "before": languages.name(part["source"]["from"]),
                    "after": languages.name(part["source"]["to"]),
                }
            )
        elif "unapproved" in part:
            sentences.append(
                _("Published %(languages)s without an approved review: %(reason)s")
                % {
                    "languages": ", ".join(
                        str(languages.name(code)) for code in part["unapproved"]["languages"]
                    ),
                    "reason": part["unapproved"]["reason"],
                }
            )
        elif "added" in part:
            sentences.append(_("Added."))
        elif "restored" in part:
            when = timezone.localtime(parse_datetime(part["restored"]["date"]))
            sentences.append(
                _("Restored the version of %(date)s")
                % {"date": formats.date_format(when, "DATETIME_FORMAT")}
            )
        elif "changed" in part and "languages" in part["changed"]:
            if not part["changed"]["languages"] and len(parts) > 1:
                continue
            sentences.append(describe_languages(part["changed"]["languages"], model))
        else:
            sentences.append(LogEntry(change_message=json.dumps([part])).get_change_message())
    return "\n".join(sentences)


def describe_import(imported):
    """ "Imported the Hebrew translation file (XLIFF 2.0): changed title, 3 · paragraph."."""
    values = {"language": languages.name(imported["language"])}
    if not imported.get("changed"):
        return _("Imported the %(language)s translation file.") % values
    return _("Imported the %(language)s translation file (%(format)s): changed %(segments)s.") % {
        **values,
        "format": imported.get("format", "PO"),
        "segments": ", ".join(label(key, kind) for key, kind in imported["changed"]),
    }


def describe_workspace(work):
    """ "Translation workspace, Hebrew: changed Title, 3 · paragraph; marked as still
    correct: 5 · paragraph." for a save made in the translation workspace."""

    def listed(pairs):
        return ", ".join(label(key, kind) for key, kind in pairs)

    sentence = _("Translation workspace, %(language)s:") % {
        "language": languages.name(work["language"])
    }
    parts = []
    if work.get("changed"):
        parts.append(_("changed %(segments)s") % {"segments": listed(work["changed"])})
    if work.get("confirmed"):
        parts.append(
            _("marked as still correct: %(segments)s") % {"segments": listed(work["confirmed"])}
        )
    if work.get("reviewed"):
        parts.append(
            _("confirmed after review: %(segments)s") % {"segments": listed(work["reviewed"])}
        )
    if not parts:
        parts.append(_("dropped the translations of removed source blocks"))
    return f"{sentence} {'; '.join(parts)}."


def describe_pretranslation(work):
    """ "Pre-translated into English for review: 15 segments by DeepL, 1 from the memory." """
    parts = []
    if work.get("machine"):
        parts.append(
            ngettext(
                "%(count)s segment by %(service)s",
                "%(count)s segments by %(service)s",
                work["machine"],
            )
            % {"count": work["machine"], "service": work.get("service", "")}
        )
    if work.get("memory"):
        parts.append(
            ngettext(
                "%(count)s segment from the memory",
                "%(count)s segments from the memory",
                work["memory"],
            )
            % {"count": work["memory"]}
        )
    return _("Pre-translated into %(language)s for review: %(parts)s.") % {
        "language": languages.name(work["language"]),
        "parts": ", ".join(parts),
    }


def describe_languages(changed, model):
    """ "Changed: Hebrew (title, body); image." for {"he": ["title", "body"], "": ["image"]}."""
    if not changed:
        return _("No fields changed.")
    names = dict(languages.CHOICES)
    groups = []
    for code in [*names, ""]:
        if code not in changed:
            continue
        fields = ", ".join(str(model._meta.get_field(name).verbose_name) for name in changed[code])
        if code in names:
            groups.append(
                _("%(language)s (%(fields)s)") % {"language": names[code], "fields": fields}
            )
        else:
            groups.append(fields)
    return _("Changed: %(changes)s.") % {"changes": "; ".join(groups)}


def differences(model, before, after):
    """What changed from one revision's values to another's (as `kept` reads them):
    per field, its label, language and, for a text, its line-by-line diff."""
    names = dict(languages.CHOICES)
    changes = []
    for name in versioned_fields(model):
        field = model._meta.get_field(name)
        if name in NOT_DESCRIBED or field.attname not in after:
            continue
        old, new = before.get(field.attname), after[field.attname]
        if comparable(old) == comparable(new):
            continue
        language = getattr(field, "language", None)
        changes.append(
            {
                "label": str(base_field(field).verbose_name),
                "language": names.get(language, ""),
                "lang": language or "",
                "dir": languages.direction(language) if language else "ltr",
                "lines": text_diff(old or "", new or "") if isinstance(new, str) else [],
            }
        )
    return changes


def saved_since(article, started_from):
    """The versions of `article` saved after its version `started_from`, newest first,
    and the one that kept `started_from` itself (None when none did)."""
    newer = []
    for version in Version.objects.get_for_object(article).select_related("revision__user"):
        number = kept(version).get("version")
        if number is None or number <= started_from:
            return newer, version if number == started_from else None
        newer.append(version)
    return newer, None


def conflict(article, started_from, yours):
    """What an editor who opened `article` at version `started_from` needs to know
    when it was saved again since: who saved, when, and what differs.

    The differences are from the version they started from to the saved one,
    when a revision kept it; otherwise from `yours` (the columns they sent) to it.
    """
    newer, start = saved_since(article, started_from)
    # The last save made a revision unless it came from outside the admin.
    latest = newer[0] if newer and kept(newer[0])["version"] == article.version else None
    if latest is not None:
        when, user = latest.revision.date_created, latest.revision.user
    else:
        when, user = article.updated_at, None
    before = kept(start) if start is not None else yours
    names = dict(languages.CHOICES)
    changes = []
    for name in versioned_fields(type(article)):
        field = type(article)._meta.get_field(name)
        if name in NOT_DESCRIBED or name not in before:
            continue
        old, new = before[name], getattr(article, field.attname)
        if comparable(old) == comparable(new):
            continue
        language = getattr(field, "language", None)
        label = str(base_field(field).verbose_name)
        is_text = isinstance(new, str)
        changes.append(
            {
                "label": label,
                "language": names.get(language, ""),
                "lang": language or "",
                "dir": languages.direction(language) if language else "ltr",
                "lines": text_diff(old or "", new or "") if is_text else [],
            }
        )
    return {
        "when": timezone.localtime(when),
        "is_today": timezone.localdate(when) == timezone.localdate(),
        "user": (user.get_full_name() or user.get_username()) if user else "",
        "revision": latest,
        "compared_with_start": start is not None,
        "changes": changes,
    }
