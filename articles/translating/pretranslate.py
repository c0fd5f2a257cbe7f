"""Pre-translation: a translation's missing segments filled in for a person to review,
first from the memory's 100 % matches, then by machine translation.

Each text filled in is listed in `Article.unconfirmed[language]` with its
origin (the memory: the article and date it was translated; or the machine
translation service), so its segment *needs review*: it is not counted as
translated, feeds no memory, and its language cannot be published until a
person confirms or changes it. The save goes through the write path like any
other, with a history line saying what was filled in and by what.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import languages
from articles.languages import localized
from articles.text.segments import Status, article_segments, translated_fields
from articles.writing import editing

from . import inline, machine, memory

# Segments that are one line: a line break from a service would be a new block.
ONE_LINE = {"title", "meta_description", "image_alt", "image_caption", "heading"}


@dataclass
class Pretranslated:
    """What a pre-translation did: segment keys filled from the memory and by the
    machine, those left missing, and the service's error if it failed."""

    from_memory: list = field(default_factory=list)
    from_machine: list = field(default_factory=list)
    left: list = field(default_factory=list)
    error: machine.MachineTranslationError | None = None
    service: str = ""
    saved: object = None

    @property
    def filled(self):
        return len(self.from_memory) + len(self.from_machine)


def cleaned(text, kind):
    """A service's text as the segment can hold it: one line where it must be, no
    blank line inside a block, normalized as every save stores text."""
    if kind in ONE_LINE:
        text = " ".join(text.split())
    else:
        text = re.sub(r"\n\s*\n", "\n", text)
    return editing.normalize_text(text)


def entry(segment, text, origin, detail, when):
    return {
        "field": segment.field,
        "text": text,
        "origin": origin,
        "detail": detail,
        "at": when.isoformat(),
    }


def machine_texts(segments, source, language):
    """{key: text} of `segments` translated by the configured service, and its name.

    Raises MachineTranslationError. Texts go with their inline markup as codes
    (inline.protect);
    to a service that cannot keep codes, only texts without markup go; a text
    whose codes came back broken is left for a person.
    """
    if not machine.can_translate(source, language):
        return {}, ""
    service = machine.backend()
    protected = {}
    for segment in segments:
        text, codes = inline.protect(segment.source)
        if codes and not service.supports_markup:
            continue
        protected[segment.key] = (text, codes)
    keys = list(protected)
    translated = machine.translate([protected[key][0] for key in keys], source, language)
    kinds = {segment.key: segment.kind for segment in segments}
    texts = {}
    for key, text in zip(keys, translated, strict=True):
        try:
            restored = inline.restore(text, protected[key][1])
        except ValueError:
            continue
        if restored := cleaned(restored, kinds[key]):
            texts[key] = restored
    return texts, service.name


def refuse_unless_translation(article, language):
    """Raise ValidationError unless `language` is an unpublished translation of
    `article`: machine text must not reach readers unreviewed."""
    if language == article.source_language or language not in languages.CODES:
        raise ValidationError(_("Only a translation can be pre-translated."))
    if getattr(article, localized("is_published", language)):
        raise ValidationError(
            _(
                "%(language)s is published: readers would see the machine's text. "
                "Unpublish it first, or translate it by hand."
            )
            % {"language": languages.name(language)}
        )


def pretranslate(article, language, *, user=None):
    """Fill `article`'s missing segments in `language` for review, and save.

    Raises ValidationError (nothing saved) when the language is the source or
    published: machine text must not reach readers unreviewed.
    """
    refuse_unless_translation(article, language)
    source = article.source_language
    segmented = article_segments(article, language)
    missing = [s for s in segmented.segments if s.status == Status.MISSING]
    result = Pretranslated()
    now = timezone.now()
    texts, entries = {}, []
    for segment in missing:
        unit = memory.exact_match(segment.source, source, language)
        if unit is not None:
            texts[segment.key] = cleaned(unit.target, segment.kind)
            detail = str(unit.article) if unit.article else ""
            entries.append(entry(segment, texts[segment.key], "memory", detail, unit.saved_at))
            result.from_memory.append(segment.key)
    rest = [segment for segment in missing if segment.key not in texts]
    if rest:
        try:
            translated, result.service = machine_texts(rest, source, language)
        except machine.MachineTranslationError as error:
            translated, result.error = {}, error
        for segment in rest:
            if segment.key in translated:
                texts[segment.key] = translated[segment.key]
                entries.append(entry(segment, texts[segment.key], "machine", result.service, now))
                result.from_machine.append(segment.key)
    result.left = [segment.key for segment in missing if segment.key not in texts]
    if not texts:
        return result
    fields, kept = translated_fields(segmented, texts)
    for name, text in fields.items():
        setattr(article, localized(name, language), text)
    sources = {**article.translation_sources, language: kept}
    article.translation_sources = sources
    article.unconfirmed = {
        **article.unconfirmed,
        language: [*article.unconfirmed.get(language, []), *entries],
    }
    note = {
        "pretranslated": {
            "language": language,
            "memory": len(result.from_memory),
            "machine": len(result.from_machine),
            "service": result.service,
        }
    }
    result.saved = editing.save(article, user=user, translation_sources=sources, note=note)
    return result


def confirm(article, language, keys=None):
    """Take the texts waiting for review in `language` (those of segments `keys`,
    or all) as a person's: returns the keys confirmed. The caller saves."""
    segmented = article_segments(article, language)
    chosen = [
        segment
        for segment in segmented.segments
        if segment.review is not None and (keys is None or segment.key in keys)
    ]
    confirmed = {(segment.field, segment.target) for segment in chosen}
    article.unconfirmed = {
        **article.unconfirmed,
        language: [
            entry
            for entry in article.unconfirmed_in(language)
            if (entry["field"], entry["text"]) not in confirmed
        ],
    }
    return [segment.key for segment in chosen]
