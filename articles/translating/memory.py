"""Translation memory at work: what the stored memory (articles.models.memory) offers
for each segment of a translation.

A unit is offered for a source identical to its own (100 %) or alike from
MIN_RATIO on (`ratio`: characters in common, word by word, as a percentage). Alike sources
are found through the index of word stems: a source sharing at least
MIN_SHARED of a segment's stems is compared; the stems asked for are the
segment's rarest in the memory (its counts), as many as that share needs,
so that the words every text has are seldom read. Suggestions name their origin (the
article and the date), show how they differ from the current translation,
word by word, and are never a text an editor replaced in this article; one
replaced in another article is offered marked as replaced, with who and when.
Pairs imported from TMX files (articles/translating/tmx.py) are units too,
named by what their file says of them.
"""

import math
import os
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.db.models import Count
from reversion.models import Version

from articles import languages
from articles.languages import localized
from articles.models import Article
from articles.models import memory as stored
from articles.models.memory import MemoryStem, MemoryStemCount, MemoryUnit, digest, stems
from articles.text.diffs import word_diff
from articles.writing import history

MIN_RATIO = 0.75
# The share of a segment's stems a unit must have to be compared with it: under
# MIN_RATIO of the characters, for Turkish words differing in their suffixes.
MIN_SHARED = 0.5
SUGGESTIONS = 3
# Most units compared for one segment: those sharing the most stems first.
CANDIDATES = 40


# What a suggestion reads of a unit, its article (the title names it) and its replacer.
UNIT_COLUMNS = [
    "source",
    "target",
    "created_at",
    "changed_at",
    "imported_at",
    "origin",
    "replaced_at",
    "article_id",
    "replaced_by_id",
    *(f"article__{localized('title', code)}" for code in languages.CODES),
    "replaced_by__username",
    "replaced_by__first_name",
    "replaced_by__last_name",
]


@dataclass(frozen=True)
class Suggestion:
    target: str
    source: str
    percent: int
    # The article it was translated in ("" when deleted or imported), and when it
    # was saved; for an imported pair, what its file says of it.
    article: str
    saved_at: object
    imported: str | None = None
    article_id: int | None = None
    replaced_by: str = ""
    replaced_at: object = None
    # Word runs from the current translation to this one: (kind, text).
    diff: list = field(default_factory=list)

    @property
    def is_replaced(self):
        return self.replaced_at is not None


def ratio(source, other):
    """How alike two sources are, from 0 to 1: the characters they have in common,
    twice, over both lengths.

    Characters in common are counted word by word (difflib's alignment of the
    two texts' words, spaces left out): a word kept counts whole, a word changed in
    its place counts the beginning it kept, so "paragrafı" → "paragrafları"
    keeps "paragraf". Word by word, a paragraph costs as little as a title.
    """
    if source == other:
        return 1.0
    # Spaces are left out: matched on, the commonest "word" would cost the most.
    words, others = source.split(), other.split()
    total = sum(map(len, words)) + sum(map(len, others))
    shorter, longer = sorted((sum(map(len, words)), sum(map(len, others))))
    if not longer or 2 * shorter / total < MIN_RATIO:
        return 0.0
    matched = 0
    matcher = SequenceMatcher(None, words, others, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            matched += sum(map(len, words[i1:i2]))
        elif tag == "replace":
            matched += sum(
                len(os.path.commonprefix([word, changed]))
                for word, changed in zip(words[i1:i2], others[j1:j2], strict=False)
            )
    return 2 * matched / total


def probes(found, counts):
    """The stems to ask the index for: the rarest first (`counts`: units holding
    each), enough that any source sharing MIN_SHARED of `found` shares one of
    these; a stem no unit holds is not asked for, but counts."""
    ordered = sorted(found, key=lambda stem: (counts.get(stem, 0), -found[stem], stem))
    needed = len(ordered) - math.ceil(MIN_SHARED * len(ordered)) + 1
    return [stem for stem in ordered[:needed] if counts.get(stem)]


def alike_units(found, counts, source_language, target_language):
    """Primary keys of units sharing the most of the stems `found` of a source."""
    asked = probes(found, counts)
    if not asked:
        return []
    rows = (
        MemoryStem.objects.filter(
            source_language=source_language, target_language=target_language, stem__in=asked
        )
        .values("unit")
        .annotate(shared=Count("unit"))
        .order_by("-shared", "-unit")[:CANDIDATES]
    )
    return [row["unit"] for row in rows]


def offerable(source_language, target_language, article):
    """The units that may be offered in `article`: all but those replaced in it."""
    units = MemoryUnit.objects.filter(
        source_language=source_language, target_language=target_language
    )
    if article is not None and article.pk is not None:
        units = units.exclude(article=article, replaced_at__isnull=False)
    return units


def newest_per_target(rows):
    """Of (pk, target key, saved at, replaced at) rows, the primary key of the best
    unit of each target: never replaced first, then the newest."""
    best = {}
    for pk, target_key, saved_at, replaced_at in rows:
        rank = (replaced_at is None, saved_at is not None, saved_at or 0, pk)
        if target_key not in best or rank > best[target_key][0]:
            best[target_key] = (rank, pk)
    return [pk for _rank, pk in sorted(best.values(), reverse=True)]


def suggestions(sources, current, source_language, target_language, *, article=None):
    """Suggestions for each of `sources` ({key: source text}), best first.

    `current` maps the same keys to the translation there now, which is left
    out and against which each suggestion's word diff is made. Units that an
    editor replaced in `article` are never offered. The look-ups go by index:
    one for the identical sources of all segments (a few columns a unit),
    one for the counts of their stems, one per segment for the units sharing
    the most of its rarest stems (CANDIDATES at most), and one reading the
    units chosen.
    """
    units = offerable(source_language, target_language, article)
    keys = {digest(source_language, text): key for key, text in sources.items()}
    exact = {}
    for pk, source_key, target_key, saved_at, replaced_at in units.filter(
        source_key__in=list(keys)
    ).values_list("pk", "source_key", "target_key", "changed_at", "replaced_at"):
        exact.setdefault(source_key, []).append((pk, target_key, saved_at, replaced_at))
    found = {key: stems(text, source_language) for key, text in sources.items()}
    counts = dict(
        MemoryStemCount.objects.filter(
            source_language=source_language,
            target_language=target_language,
            stem__in={stem for stems_found in found.values() for stem in stems_found},
        ).values_list("stem", "units")
    )
    chosen = {}
    for key, text in sources.items():
        pks = newest_per_target(exact.get(digest(source_language, text), []))[: SUGGESTIONS + 1]
        chosen[key] = pks + alike_units(found[key], counts, source_language, target_language)
    wanted = {pk for pks in chosen.values() for pk in pks}
    loaded = {
        unit.pk: unit
        for unit in units.filter(pk__in=wanted)
        .select_related("article", "replaced_by")
        .only(*UNIT_COLUMNS)
    }
    return {
        key: ranked(
            source,
            current.get(key, ""),
            [loaded[pk] for pk in dict.fromkeys(chosen[key]) if pk in loaded],
            article,
        )
        for key, source in sources.items()
    }


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
        imported=None if unit.article_id else unit.origin,
        replaced_by=(replacer.get_full_name() or replacer.get_username()) if replacer else "",
        replaced_at=unit.replaced_at,
        diff=word_diff(current, unit.target) if current else [],
    )


def for_segments(article, segmented):
    """Suggestions for the segments of `segmented` (an article's translation) to work
    on: {segment key: [Suggestion]}."""
    source_language = article.source_language
    sources = {s.key: s.source for s in segmented.segments if not s.is_fixed and s.source}
    current = {s.key: s.target for s in segmented.segments}
    return suggestions(sources, current, source_language, segmented.language, article=article)


def exact_match(source, source_language, target_language, *, article=None):
    """The unit to fill an empty segment of `source` with: a 100 % match never
    replaced, the newest first; None when there is none."""
    units = MemoryUnit.objects.filter(
        source_language=source_language,
        target_language=target_language,
        source_key=digest(source_language, source),
        replaced_at=None,
    ).select_related("article")
    return next(
        (unit for unit in units.order_by("-changed_at", "-pk") if unit.source == source), None
    )


def build_from_history():
    """Fill the memory from every article's revisions, oldest first, as the saves
    that made them would have (what each revision's editor replaced is marked
    as replaced by them then), and index the imported pairs not yet indexed.
    Returns the number of units."""
    for article in Article.objects.order_by("pk"):
        before = {}
        versions = (
            Version.objects.get_for_object(article).select_related("revision__user").order_by("pk")
        )
        for version in versions:
            values = history.kept(version)
            state = Article(pk=article.pk, **values)
            stored.record(
                state,
                before=before,
                user=version.revision.user,
                now=version.revision.date_created,
            )
            before = values
        stored.record(article, before=before)
    stored.index(MemoryUnit.objects.filter(article=None, stems=None))
    return MemoryUnit.objects.count()
