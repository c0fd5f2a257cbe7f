"""Translation memory: translations already made of the same or a like source segment,
in other articles or in earlier revisions of this one.

A unit of memory is a source segment and the translation made from it: for an
up-to-date segment, the source as it is; for one that needs an update, the
source it was translated from. Likeness is difflib's ratio of characters
(2 × matching characters / both lengths): a unit is offered from
MIN_RATIO on, as a percentage. The memory is read when the workspace opens,
from the most recently saved articles and revisions (ARTICLES, REVISIONS),
and from the pairs imported from TMX files (articles/translating/tmx.py):
those whose source is exactly one of the article's, and the IMPORTED most
recently changed. Bounded work whatever the number of articles or pairs.
"""

from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reversion.models import Version

from articles.languages import DEFAULT_SOURCE, localized
from articles.models import Article, MemoryUnit
from articles.models.memory import digest
from articles.text.segments import Status, segment_texts
from articles.writing import history

MIN_RATIO = 0.75
ARTICLES = 200
REVISIONS = 20
IMPORTED = 2000
SUGGESTIONS = 3


@dataclass(frozen=True)
class Unit:
    source: str
    target: str
    origin: str


@dataclass(frozen=True)
class Suggestion:
    target: str
    source: str
    origin: str
    percent: int


def units_from(source_texts, target_texts, kept, origin):
    segments, _dropped = segment_texts(source_texts, target_texts, kept)
    for segment in segments:
        if segment.status == Status.TRANSLATED:
            yield Unit(segment.source, segment.target, origin)
        elif segment.status == Status.NEEDS_UPDATE:
            yield Unit(segment.worked_from, segment.target, origin)


def texts_of(values, language):
    return {name: values.get(localized(name, language)) or "" for name in Article.TRANSLATED_TEXTS}


def load(article, language):
    """The memory for translating `article` into `language` from its source language:
    units of other articles written in the same language and of this one's
    earlier revisions, each once."""
    units = {}
    source = article.source_language
    others = (
        Article.objects.exclude(pk=article.pk)
        .filter(source_language=source)
        .with_content_in(language)
        .order_by("-updated_at")[:ARTICLES]
    )
    for other in others:
        kept = other.translation_sources.get(language)
        for unit in units_from(other.texts_in(source), other.texts_in(language), kept, str(other)):
            units.setdefault((unit.source, unit.target), unit)
    if article.pk is not None:
        versions = Version.objects.get_for_object(article).select_related("revision")
        for version in versions[:REVISIONS]:
            values = history.kept(version)
            if values.get("source_language", DEFAULT_SOURCE) != source:
                continue
            when = timezone.localtime(version.revision.date_created)
            origin = _("this article, version of %(date)s") % {
                "date": formats.date_format(when, "DATETIME_FORMAT")
            }
            kept = (values.get("translation_sources") or {}).get(language)
            for unit in units_from(
                texts_of(values, source), texts_of(values, language), kept, origin
            ):
                units.setdefault((unit.source, unit.target), unit)
    for unit in imported_units(article, language):
        units.setdefault((unit.source, unit.target), unit)
    return list(units.values())


def imported_units(article, language):
    """Units imported from translation memories for `article`'s segments: exact
    matches of its sources, and the most recently changed others."""
    source = article.source_language
    segments, _dropped = segment_texts(article.texts_in(source), {}, None)
    keys = [digest(source, segment.source) for segment in segments]
    imported = MemoryUnit.objects.filter(source_language=source, target_language=language)
    exact = imported.filter(source_key__in=keys)
    recent = imported.order_by("-changed_at", "-pk")[:IMPORTED]
    for pair in [*exact, *recent]:
        origin = _("translation memory: %(origin)s") % {"origin": pair.origin or _("imported")}
        yield Unit(pair.source, pair.target, origin)


def suggest(source, current, units, *, limit=SUGGESTIONS):
    """Translations in `units` of a source like `source`, best first, leaving out
    the `current` translation itself."""
    found = []
    for unit in units:
        if unit.target == current or not unit.target:
            continue
        shorter, longer = sorted((len(source), len(unit.source)))
        if not longer or 2 * shorter / (shorter + longer) < MIN_RATIO:
            continue
        matcher = SequenceMatcher(None, source, unit.source, autojunk=False)
        if matcher.real_quick_ratio() < MIN_RATIO or matcher.quick_ratio() < MIN_RATIO:
            continue
        ratio = 1.0 if source == unit.source else matcher.ratio()
        if ratio >= MIN_RATIO:
            found.append(Suggestion(unit.target, unit.source, unit.origin, int(ratio * 100)))
    found.sort(key=lambda suggestion: -suggestion.percent)
    targets, best = set(), []
    for suggestion in found:
        if suggestion.target not in targets:
            targets.add(suggestion.target)
            best.append(suggestion)
    return best[:limit]
