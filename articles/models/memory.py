"""The translation memory as stored: one row per finished translation of a segment
(a source text and the translation a person saved for it), and an index of the
source's word stems for finding like sources.

The rows are written by every save of an article (`record`, called from
`Article.save()` and the write path's UPDATE alike), never when a page is
read. A segment feeds the memory once a person saved it as translated and
up to date; text filled in by machine translation or from the memory
(*needs review*) does not, until someone confirms it. A translation that a
later save of the same article replaced is kept, marked as replaced (by
whom, when): the memory never offers it for that article again, and offers
it elsewhere marked as such.
"""

import hashlib
import re
from collections import Counter

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles import languages
from articles.languages import localized
from articles.text.search import normalize_for_search
from articles.text.segments import Status, align, segment_texts

# Letters a word keeps as its stem, per language: enough to be the same word
# under Turkish suffixes ("paragrafı", "paragrafları") or English endings.
STEM_LETTERS = {"tr": 5, "az": 5, "en": 6}
# Shorter words (Hebrew "של", Turkish "ve", English "of") say nothing of a text.
STEM_MINIMUM = 3


def key_of(text):
    """The key of a text in the memory: its SHA-1, for exact look-ups by index."""
    return hashlib.sha1(text.encode()).hexdigest()


def stems(text, language):
    """The distinct stems of `text`'s words, as the memory's index holds them.

    Folded as search folds them (case, Turkish i, accents, Hebrew spelling),
    words shorter than STEM_MINIMUM left out, each cut to its language's
    STEM_LETTERS (whole words in other languages).
    """
    letters = STEM_LETTERS.get(language)
    found = {}
    for word in re.findall(r"[^\W\d_]+", normalize_for_search(text, language=language)):
        if len(word) >= STEM_MINIMUM:
            found.setdefault(word[:letters] if letters else word, len(word))
    return found


class MemoryUnit(models.Model):
    source_language = models.CharField(max_length=10)
    target_language = models.CharField(max_length=10)
    source = models.TextField()
    target = models.TextField()
    source_key = models.CharField(max_length=40)
    target_key = models.CharField(max_length=40)
    # Where it was translated; kept (empty) when that article is deleted.
    article = models.ForeignKey(
        "articles.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField(default=timezone.now)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    replaced_at = models.DateTimeField(null=True, blank=True)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("translation memory unit")
        verbose_name_plural = _("translation memory")
        indexes = [
            models.Index(
                fields=["source_language", "target_language", "source_key"], name="memory_exact"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "article",
                    "source_language",
                    "target_language",
                    "source_key",
                    "target_key",
                ],
                name="memory_unit_once_per_article",
            )
        ]

    def __str__(self):
        return f"{self.source[:40]} → {self.target[:40]}"

    @property
    def is_replaced(self):
        return self.replaced_at is not None


class MemoryStem(models.Model):
    """The index of like sources: a stem of a unit's source words (see `stems`)."""

    unit = models.ForeignKey(MemoryUnit, on_delete=models.CASCADE, related_name="stems")
    source_language = models.CharField(max_length=10)
    target_language = models.CharField(max_length=10)
    stem = models.CharField(max_length=40)

    class Meta:
        indexes = [
            models.Index(
                fields=["source_language", "target_language", "stem", "unit"], name="memory_stem"
            ),
        ]

    def __str__(self):
        return self.stem


class MemoryStemCount(models.Model):
    """How many units' sources hold a stem: the look-up asks the index for a
    segment's rarest stems first (translating/memory.py)."""

    source_language = models.CharField(max_length=10)
    target_language = models.CharField(max_length=10)
    stem = models.CharField(max_length=40)
    units = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source_language", "target_language", "stem"], name="memory_stem_count"
            )
        ]

    def __str__(self):
        return f"{self.stem}: {self.units}"


def index(units, source_language, target_language):
    """Add the stems of new `units` to the index, and to their counts."""
    postings = [
        MemoryStem(
            unit=unit,
            source_language=source_language,
            target_language=target_language,
            stem=stem,
        )
        for unit in units
        for stem in stems(unit.source, source_language)
    ]
    MemoryStem.objects.bulk_create(postings)
    added = Counter(posting.stem for posting in postings)
    pair = {"source_language": source_language, "target_language": target_language}
    MemoryStemCount.objects.bulk_create(
        [MemoryStemCount(stem=stem, **pair) for stem in added], ignore_conflicts=True
    )
    by_count = {}
    for stem, count in added.items():
        by_count.setdefault(count, []).append(stem)
    # One UPDATE per distinct increment, each adding to the count as it is then:
    # two saves at once both count.
    for count, names in by_count.items():
        MemoryStemCount.objects.filter(stem__in=names, **pair).update(units=F("units") + count)


def finished(source_texts, target_texts, kept, unconfirmed):
    """The (source, target) pairs of a translation's segments that a person finished:
    translated and up to date, not waiting for review."""
    segments, _dropped = segment_texts(source_texts, target_texts, kept, unconfirmed=unconfirmed)
    return {
        (segment.source, segment.target)
        for segment in segments
        if segment.status == Status.TRANSLATED
    }


def replaced(before, after):
    """The translations of `before` (a translation's texts, kept sources and review
    state) that `after` has another text in their place: a field's by its name,
    a body block's by the block of the source it became (segments.align). A
    text emptied, or dropped with its source block, was not replaced."""
    old, _dropped = segment_texts(*before[:3], unconfirmed=before[3])
    new, _dropped = segment_texts(*after[:3], unconfirmed=after[3])
    old_blocks = [segment for segment in old if segment.block is not None]
    new_blocks = [segment for segment in new if segment.block is not None]
    pairs = [
        (segment, next((s for s in new if s.key == segment.key), None))
        for segment in old
        if segment.block is None
    ]
    matches = align([s.block for s in old_blocks], [s.block for s in new_blocks])
    pairs += [(old_blocks[i], new_blocks[j]) for j, i in matches.items()]
    return {
        previous.target
        for previous, following in pairs
        if following is not None
        and previous.target
        and following.target
        and following.target != previous.target
        and not previous.is_fixed
    }


def record(article, *, before, user=None, now=None):
    """Bring the memory up to date with `article` as just written.

    `before` is the article's column values as it was loaded (empty for a new
    one). For each translation whose texts, sources or review state changed:
    its finished segments become units (a replaced one brought back is no
    longer replaced), and the texts another text took the place of are
    marked as replaced by `user` now.
    """
    now = now or timezone.now()
    source = languages.SOURCE
    source_now = article.texts_in(source)
    source_before = {
        name: before.get(localized(name, source)) or "" for name in article.TRANSLATED_TEXTS
    }
    for code in languages.CODES:
        if code == source:
            continue
        target_now = article.texts_in(code)
        target_before = {
            name: before.get(localized(name, code)) or "" for name in article.TRANSLATED_TEXTS
        }
        kept_now = article.translation_sources.get(code)
        kept_before = (before.get("translation_sources") or {}).get(code)
        unconfirmed_now = article.unconfirmed_in(code)
        unconfirmed_before = ((before.get("unconfirmed") or {}).get(code)) or []
        state_now = (source_now, target_now, kept_now, unconfirmed_now)
        state_before = (source_before, target_before, kept_before, unconfirmed_before)
        if before and state_now == state_before:
            continue
        pairs = finished(*state_now)
        if before:
            gone = replaced(state_before, state_now)
            if gone:
                MemoryUnit.objects.filter(
                    article=article,
                    target_language=code,
                    target_key__in=[key_of(text) for text in gone],
                    replaced_at=None,
                ).update(replaced_at=now, replaced_by=user)
        add(article, source, code, pairs, user=user, now=now)


def add(article, source_language, target_language, pairs, *, user=None, now=None):
    """Units for `pairs` of (source, target) translated in `article`, each once: a
    pair already there is only brought back if it had been replaced."""
    if not pairs:
        return
    keyed = {(key_of(source), key_of(target)): (source, target) for source, target in pairs}
    existing = MemoryUnit.objects.filter(
        article=article,
        source_language=source_language,
        target_language=target_language,
        target_key__in={target_key for _source_key, target_key in keyed},
    ).values_list("source_key", "target_key", "pk", "replaced_at")
    known = {(source_key, target_key) for source_key, target_key, _pk, _replaced in existing}
    back = [
        pk
        for source_key, target_key, pk, replaced in existing
        if replaced and (source_key, target_key) in keyed
    ]
    if back:
        MemoryUnit.objects.filter(pk__in=back).update(replaced_at=None, replaced_by=None)
    new = [
        MemoryUnit(
            source_language=source_language,
            target_language=target_language,
            source=source,
            target=target,
            source_key=source_key,
            target_key=target_key,
            article=article,
            saved_at=now or timezone.now(),
            saved_by=user,
        )
        for (source_key, target_key), (source, target) in keyed.items()
        if (source_key, target_key) not in known
    ]
    # SQLite and PostgreSQL both give the new rows their keys here.
    created = MemoryUnit.objects.bulk_create(new)
    index(created, source_language, target_language)
