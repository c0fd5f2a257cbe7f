"""Translation memory at work: what the stored memory (articles.models.memory) offers
for each segment of a translation.

A unit is offered for a source identical to its own (100 %) or alike from
MIN_RATIO on (difflib's ratio of characters, as a percentage). Alike sources
are found through the index of word stems: a source sharing at least
MIN_SHARED of a segment's stems is compared; the stems asked for are the
segment's longest words first, as many as that share needs, so that the
words every text has are seldom read. Suggestions name their origin (the
article and the date), show how they differ from the current translation,
word by word, and are never a text an editor replaced in this article; one
replaced in another article is offered marked as replaced, with who and when.
"""

import math
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.db.models import Count

from articles import languages
from articles.models.memory import MemoryStem, MemoryUnit, key_of, stems
from articles.text.diffs import word_diff

MIN_RATIO = 0.75
# The share of a segment's stems a unit must have to be compared with it: under
# MIN_RATIO of the characters, for Turkish words differing in their suffixes.
MIN_SHARED = 0.5
SUGGESTIONS = 3
# Most units compared for one segment: those sharing the most stems first.
CANDIDATES = 40


@dataclass(frozen=True)
class Suggestion:
    target: str
    source: str
    percent: int
    # The article it was translated in ("" when deleted), and when it was saved.
    article: str
    saved_at: object
    article_id: int | None = None
    replaced_by: str = ""
    replaced_at: object = None
    # Word runs from the current translation to this one: (kind, text).
    diff: list = field(default_factory=list)

    @property
    def is_replaced(self):
        return self.replaced_at is not None


def ratio(source, other):
    """How alike two sources are, from 0 to 1: difflib's ratio, its cheap bounds first."""
    if source == other:
        return 1.0
    shorter, longer = sorted((len(source), len(other)))
    if not longer or 2 * shorter / (shorter + longer) < MIN_RATIO:
        return 0.0
    matcher = SequenceMatcher(None, source, other, autojunk=False)
    if matcher.real_quick_ratio() < MIN_RATIO or matcher.quick_ratio() < MIN_RATIO:
        return 0.0
    return matcher.ratio()


def probes(found):
    """The stems to ask the index for: the longest words' first, enough that any
    source sharing MIN_SHARED of them shares one of these."""
    ordered = sorted(found, key=lambda stem: (-found[stem], stem))
    needed = len(ordered) - math.ceil(MIN_SHARED * len(ordered)) + 1
    return ordered[:needed]


def alike_units(source, source_language, target_language):
    """Primary keys of units whose source shares the most stems with `source`."""
    found = stems(source, source_language)
    if not found:
        return []
    asked = probes(found)
    rows = (
        MemoryStem.objects.filter(
            source_language=source_language, target_language=target_language, stem__in=asked
        )
        .values("unit")
        .annotate(shared=Count("unit"))
        .order_by("-shared", "-unit")[:CANDIDATES]
    )
    return [row["unit"] for row in rows]


def suggestions(sources, current, source_language, target_language, *, article=None):
    """Suggestions for each of `sources` ({key: source text}), best first.

    `current` maps the same keys to the translation there now, which is left
    out and against which each suggestion's word diff is made. Units that an
    editor replaced in `article` are never offered.
    """
    exact = MemoryUnit.objects.filter(
        source_language=source_language,
        target_language=target_language,
        source_key__in={key_of(text) for text in sources.values()},
    )
    alike = {
        key: alike_units(text, source_language, target_language) for key, text in sources.items()
    }
    wanted = {pk for pks in alike.values() for pk in pks}
    units = list(exact.select_related("article", "replaced_by"))
    units += MemoryUnit.objects.filter(pk__in=wanted - {unit.pk for unit in units}).select_related(
        "article", "replaced_by"
    )
    by_pk = {unit.pk: unit for unit in units}
    by_source = {}
    for unit in units:
        by_source.setdefault(unit.source, []).append(unit)
    found = {}
    for key, source in sources.items():
        candidates = {unit.pk: unit for unit in by_source.get(source, [])}
        candidates.update({pk: by_pk[pk] for pk in alike[key] if pk in by_pk})
        found[key] = ranked(source, current.get(key, ""), candidates.values(), article)
    return found


def ranked(source, current, units, article):
    offered = []
    for unit in units:
        if not unit.target or unit.target == current:
            continue
        if article is not None and unit.article_id == article.pk and unit.is_replaced:
            continue
        likeness = ratio(source, unit.source)
        if likeness < MIN_RATIO:
            continue
        offered.append((unit, 100 if source == unit.source else min(99, int(likeness * 100))))
    # The best match first; at a match, one never replaced, then the newest.
    offered.sort(key=lambda pair: (-pair[1], pair[0].is_replaced, -pair[0].saved_at.timestamp()))
    best, targets = [], set()
    for unit, percent in offered:
        if unit.target in targets:
            continue
        targets.add(unit.target)
        best.append(suggestion(unit, percent, current))
    return best[:SUGGESTIONS]


def suggestion(unit, percent, current):
    replacer = unit.replaced_by
    return Suggestion(
        target=unit.target,
        source=unit.source,
        percent=percent,
        article=str(unit.article) if unit.article else "",
        article_id=unit.article_id,
        saved_at=unit.saved_at,
        replaced_by=(replacer.get_full_name() or replacer.get_username()) if replacer else "",
        replaced_at=unit.replaced_at,
        diff=word_diff(current, unit.target) if current else [],
    )


def for_segments(article, segmented, *, source_language=None):
    """Suggestions for the segments of `segmented` (an article's translation) to work
    on: {segment key: [Suggestion]}."""
    source_language = source_language or languages.SOURCE
    sources = {s.key: s.source for s in segmented.segments if not s.is_fixed and s.source}
    current = {s.key: s.target for s in segmented.segments}
    return suggestions(sources, current, source_language, segmented.language, article=article)


def exact_match(source, source_language, target_language, *, article=None):
    """The unit to fill an empty segment of `source` with: a 100 % match never
    replaced, the newest first; None when there is none."""
    units = MemoryUnit.objects.filter(
        source_language=source_language,
        target_language=target_language,
        source_key=key_of(source),
        replaced_at=None,
    ).select_related("article")
    return next(
        (unit for unit in units.order_by("-saved_at", "-pk") if unit.source == source), None
    )
