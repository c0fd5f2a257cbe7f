"""The one way content is written: the admin's forms, translator files, restoring a
revision and the launch content all save through `save`.

A save normalizes what was typed, checks it, makes what is derived from it
(slugs, rendered bodies, search text, image renditions) before taking any
lock, then writes the changed columns in one UPDATE that also checks the
version the editor started from, records old slugs and a revision, and once
the transaction commits drops the cached pages. A save that changes nothing
writes nothing.
"""

import unicodedata
from dataclasses import dataclass, field

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import images, languages
from articles.languages import localized
from articles.models import Article, Job, JobEvent, LanguageRole, SlugRedirect
from articles.text.rendering import render_body_in_time
from operations.page_cache import invalidate_pages

from . import cached_pages, history, media

# Sent in the save's transaction once content is written, with `obj`, `user` and
# `changed` (the columns written): what must follow any save, such as reopening
# the translation jobs a change of the source touches, listens to it.
saved = Signal()


class LanguageRefused(ValidationError):
    """A save changing texts in a language, or shared fields, that its user may not
    change: nothing is written."""


class EditConflict(Exception):
    """Content was saved by someone else after this copy of it was loaded."""

    def __init__(self, obj, started_from):
        super().__init__(f"{obj._meta.label} {obj.pk} changed since version {started_from}")
        self.obj = obj
        self.started_from = started_from


@dataclass
class Saved:
    """What a save wrote: the columns it changed (none when nothing changed) and the
    change message its revision and the admin's log keep."""

    obj: object
    changed: list = field(default_factory=list)
    message: list = field(default_factory=list)


def normalize_text(value):
    """`value` as it is stored: without surrounding white space (as the admin's inputs
    leave it), line breaks as "\\n" (browsers send "\\r\\n"), Unicode in NFC."""
    value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    return unicodedata.normalize("NFC", value)


def normalize_texts(obj):
    for column in obj.columns():
        if isinstance(column, (models.CharField, models.TextField)):
            value = getattr(obj, column.attname)
            if isinstance(value, str):
                setattr(obj, column.attname, normalize_text(value))


def save(
    obj,
    *,
    user=None,
    started_from=None,
    translation_sources=None,
    restored=None,
    note=None,
    publish_reason="",
):
    """Write `obj` (an Article, TourPage, Author, Topic or Brand) as edited, and return
    what changed.

    `started_from` is the version the editor's copy was loaded at (by default
    the version `obj` was loaded with); when the stored one has moved on since,
    EditConflict is raised and nothing is written. `translation_sources`
    replaces what each translation was made from (a restored revision, or a
    translator's file made from older source texts) instead of today's source
    for every translation that changed. `restored` (a reversion Revision) and
    `note` (a part of a change message, e.g. {"imported": {"language": "he"}})
    say in the history how the save came about.

    `user`, when restricted to some languages (LanguageRole), may change only
    their texts: anything else raises LanguageRefused. Publishing a language
    whose translation job is not approved needs `publish_reason` while
    settings.TRANSLATION_REVIEW_REQUIRED is on; the reason is recorded.

    Raises ValidationError, with nothing written, when a text is not allowed
    (a control character, too long), its body cannot be rendered in time, the
    user may not change it or its publishing needs a review.
    """
    # Normalise what was typed, as it is stored.
    normalize_texts(obj)
    obj.edited_by = user
    adding = obj._state.adding
    if started_from is None:
        started_from = obj.version
    edited = obj.changed_columns()
    if not adding and not edited and files_are_current(obj):
        return Saved(obj)
    # Check what was edited, and whether this user may, and publish it.
    obj.clean_fields(exclude=unchanged_fields(obj, edited))
    check_languages(obj, edited, user)
    unapproved = check_publishing(obj, edited, publish_reason)
    # Derive the columns made from the texts, and the files made from uploads:
    # slow work, done before the transaction so that no lock waits for it.
    obj.refresh_derived(render=render_body_in_time, translation_sources=translation_sources)
    obj.check_invariants()
    written_files, stale_files = store_files(obj)
    changed = obj.changed_columns()
    if not adding and not changed:
        return Saved(obj)
    described, message = describe(obj, changed, adding=adding, restored=restored, note=note)
    if unapproved:
        message.insert(0, unapproved_note(unapproved, publish_reason))
    # Write, and record it: the slugs left behind and the revision, in the same transaction.
    try:
        with transaction.atomic():
            if isinstance(obj, Article):
                cached_pages.before(obj, as_loaded=True)
            write(obj, changed, started_from, adding=adding)
            record(obj, changed, message, user=user, unapproved=unapproved, reason=publish_reason)
    except BaseException:
        images.delete_files(written_files)
        raise
    # Invalidate: once it commits, the pages that showed it go (the UPDATE sends no
    # signal to the page cache's receiver), then the files it replaced. An article
    # drops the pages showing what it changed; anything else, every page.
    if isinstance(obj, Article):
        cached_pages.after(obj)
    else:
        invalidate_pages()
    transaction.on_commit(lambda: media.delete_unless_needed(stale_files))
    obj.remember_saved()
    return Saved(obj, described, message)


def record(obj, changed, message, *, user, unapproved, reason):
    """In the write's transaction: the slugs an article leaves behind, the revision
    with its change message, the languages published unapproved, and `saved`."""
    if isinstance(obj, Article):
        record_former_slugs(obj)
    with reversion.create_revision(atomic=False):
        reversion.set_user(user)
        reversion.set_comment(history.encode(message))
        reversion.add_to_revision(obj)
    record_publishing(unapproved, user, reason)
    saved.send(sender=type(obj), obj=obj, user=user, changed=changed)


def unapproved_note(unapproved, reason):
    """The part of a change message saying which languages were published unapproved, and why."""
    return {"unapproved": {"languages": [job.language for job in unapproved], "reason": reason}}


def record_publishing(unapproved, user, reason):
    """Keep in each job's history that its language was published unapproved, and why."""
    for job in unapproved:
        JobEvent.objects.create(
            job=job, kind=JobEvent.Kind.PUBLISHED_UNAPPROVED, user=user, text=reason
        )


def check_languages(obj, edited, user):
    """Refuse a save by `user` that changes what they may not: texts in a language not
    theirs, shared fields (author, image, source language…), a new object."""
    allowed = LanguageRole.languages_of(user)
    if allowed is None:
        return
    refused = refused_changes(obj, edited, allowed)
    if refused:
        raise LanguageRefused(refusal(refused, allowed), code="language")


def refusal(refused, allowed):
    """What a translator allowed the `allowed` languages is told when a save of theirs
    changes `refused` ({language code, or "" for shared fields: [field labels]})."""
    names = dict(languages.CHOICES)
    described = [
        _("%(language)s (%(fields)s)") % {"language": names[code], "fields": ", ".join(fields)}
        if code
        else ", ".join(fields)
        for code, fields in refused.items()
    ]
    return _(
        "Nothing was saved: you may change only the %(allowed)s texts, and this "
        "changes %(refused)s."
    ) % {
        "allowed": ", ".join(str(names[code]) for code in languages.CODES if code in allowed),
        "refused": "; ".join(described),
    }


def refused_changes(obj, edited, allowed):
    """What of `edited` (column names) a user who may change the `allowed` languages may
    not change: {language code, or "" for shared fields: [field labels]}."""
    if obj._state.adding:
        return {"": [str(_("a new %(model)s") % {"model": obj._meta.verbose_name})]}
    refused = {}
    loaded = getattr(obj, "loaded_values", {})
    for name in edited:
        if name in ("version", "updated_at"):
            continue
        if name == "translation_sources":
            before, after = loaded.get(name) or {}, obj.translation_sources or {}
            for code in {*before, *after}:
                if before.get(code) != after.get(code) and code not in allowed:
                    refused.setdefault(code, []).append(str(_("what it was translated from")))
            continue
        field = obj._meta.get_field(name)
        language = getattr(field, "language", None)
        if language in allowed:
            continue
        label = str(history.base_field(field).verbose_name)
        refused.setdefault(language or "", []).append(label)
    return refused


def check_publishing(obj, edited, reason):
    """The translation jobs not yet approved of the languages this save publishes.

    With settings.TRANSLATION_REVIEW_REQUIRED on, publishing one of them needs
    a reason (ValidationError on its published box otherwise).
    """
    if not isinstance(obj, Article) or obj.pk is None:
        return []
    publishing = [
        code
        for code in languages.CODES
        if localized("is_published", code) in edited
        and getattr(obj, localized("is_published", code))
    ]
    if not publishing:
        return []
    unapproved = list(Job.objects.open().filter(article_id=obj.pk, language__in=publishing))
    if not unapproved or not settings.TRANSLATION_REVIEW_REQUIRED:
        return []
    if not reason.strip():
        raise ValidationError(
            {localized("is_published", job.language): unapproved_message(job) for job in unapproved}
        )
    return unapproved


def unapproved_message(job):
    return _(
        "The %(language)s translation is %(state)s, not approved: publish it once its "
        "review approves it, or give a reason to publish it now."
    ) % {"language": languages.name(job.language), "state": job.get_state_display()}


def describe(obj, changed, *, adding, restored, note):
    """The described fields among `changed`, and the change message of the save."""
    if adding:
        return [], history.added_message(restored_from=restored, note=note)
    described_fields = history.described_fields(type(obj))
    described = [name for name in changed if name in described_fields]
    message = history.change_message(type(obj), described, restored_from=restored, note=note)
    return described, message


def record_former_slugs(article):
    """Redirect the slugs `article` had when it was loaded, where they changed."""
    loaded = getattr(article, "loaded_values", {})
    former = {code: loaded.get(localized("slug", code)) for code in article.slugs()}
    if article.slugs() != former:
        SlugRedirect.record(article, former)


def unchanged_fields(obj, changed):
    return [field.name for field in obj._meta.concrete_fields if field.attname not in changed]


def files_are_current(obj):
    """Whether everything made from `obj`'s images is there (a rendition deleted by
    hand is made again)."""
    return all(
        images.renditions_are_current(getattr(obj, slot.field), getattr(obj, slot.record))
        for slot in obj.IMAGES
        if slot.record
    )


def store_files(obj):
    """Put new uploads in storage and make what is made from them (renditions, icons).

    Returns the files this wrote (to delete if the save fails) and the
    files they replace (to delete once it commits).
    """
    written, stale = set(), set()
    loaded = getattr(obj, "loaded_values", {})
    for slot in obj.IMAGES:
        file = type(obj)._meta.get_field(slot.field).pre_save(obj, obj._state.adding)
        if slot.record:
            recorded = getattr(obj, slot.record)
            refreshed = slot.refresh(file, recorded)
            setattr(obj, slot.record, refreshed)
            written |= images.rendition_files(refreshed) - images.rendition_files(recorded)
            stale |= images.rendition_files(recorded) - images.rendition_files(refreshed)
        before = loaded.get(slot.field) or ""
        if file.name != before:
            written.add(file.name)
            # The file replaced goes too, unless a revision can bring it back.
            stale.add(before)
    written.discard("")
    stale.discard("")
    return sorted(written), sorted(stale)


def write(obj, changed, started_from, *, adding):
    """Insert `obj`, or UPDATE its `changed` columns only if the stored version is
    `started_from`.

    The condition is checked by the database as it writes, so of two saves
    that started from the same version only the first gets through.
    """
    if adding:
        obj.save()
        return
    changed = set(changed) - {"version", "updated_at"}
    values = {
        field.attname: field.pre_save(obj, False)
        for field in obj.columns()
        if field.attname in changed
    }
    values["updated_at"] = obj.updated_at = timezone.now()
    values["version"] = started_from + 1
    written = type(obj).objects.filter(pk=obj.pk, version=started_from).update(**values)
    if not written:
        raise EditConflict(obj, started_from)
    obj.version = started_from + 1
    obj.written()


def delete(obj):
    """Delete `obj`; once that commits, cached pages that showed it are dropped (as for
    any delete: `page_cache.shown_on_pages`), and its renditions deleted (its image
    stays while a revision can restore it)."""
    with transaction.atomic():
        obj.delete()
    files = []
    for slot in obj.IMAGES:
        files.append(getattr(obj, slot.field).name)
        if slot.record:
            files.extend(images.rendition_files(getattr(obj, slot.record)))
    transaction.on_commit(lambda: media.delete_unless_needed(files))
