"""The translation memory as stored: one row per finished translation of a segment
(a source text and the translation a person saved for it, or a pair imported
from a TMX file), and an index of the source's word stems for finding like
sources.

The rows are written by every save of an article (`record`, called from
`Article.save()` and the write path's UPDATE alike), never when a page is
read. A segment feeds the memory once a person saved it as translated and
up to date and, where its language has a translation job, once a reviewer
approved it (`add_finished`, when the job is approved); text filled in by
machine translation or from the memory (*needs review*) does not, until
someone confirms it. A translation that a
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


def digest(*texts):
    """A fixed-length key of texts, for looking them up and keeping them once."""
    return hashlib.sha256("\x00".join(texts).encode()).hexdigest()


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
    """A segment and its translation: finished in an article here (`article`, who
    saved it and when, and who replaced it), or brought in from a translation
    memory file (TMX: no article, what the file says of it in `origin`)."""

    source_language = models.CharField(_("source language"), max_length=15)
    target_language = models.CharField(_("target language"), max_length=15)
    source = models.TextField(_("source"))
    target = models.TextField(_("translation"))
    # When the pair was made and last changed: saved here, or as a file says.
    created_at = models.DateTimeField(_("created at"), null=True, blank=True)
    changed_at = models.DateTimeField(_("changed at"), null=True, blank=True)
    origin = models.CharField(_("origin"), max_length=200, blank=True)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    # digest(source language, source) finds a segment's exact matches,
    # digest(target) the translations a save replaced; key keeps each pair
    # once (once per article for the pairs translated here).
    source_key = models.CharField(max_length=64, db_index=True, editable=False)
    target_key = models.CharField(max_length=64, editable=False, default="")
    key = models.CharField(max_length=64, unique=True, editable=False)
    # Where it was translated; kept (empty) when that article is deleted.
    article = models.ForeignKey(
        "articles.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
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
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return self.source[:80]

    def save(self, *args, **kwargs):
        self.set_keys()
        super().save(*args, **kwargs)

    def set_keys(self):
        """Set the digests a save keeps (bulk_create, which skips save(), calls it first)."""
        self.source_key = digest(self.source_language, self.source)
        self.target_key = digest(self.target)
        pair = [self.source_language, self.target_language, self.source, self.target]
        if self.article_id is not None:
            pair.append(f"article {self.article_id}")
        self.key = digest(*pair)

    @property
    def saved_at(self):
        """When it was last saved here, or changed as its file says, or imported."""
        return self.changed_at or self.created_at or self.imported_at

    @property
    def is_replaced(self):
        return self.replaced_at is not None


class MemoryStem(models.Model):
    """The index of like sources: a stem of a unit's source words (see `stems`)."""

    unit = models.ForeignKey(MemoryUnit, on_delete=models.CASCADE, related_name="stems")
    source_language = models.CharField(max_length=15)
    target_language = models.CharField(max_length=15)
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

    source_language = models.CharField(max_length=15)
    target_language = models.CharField(max_length=15)
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


def index(units):
    """Add the stems of new `units` (saved) to the index, and to their counts."""
    postings = [
        MemoryStem(
            unit=unit,
            source_language=unit.source_language,
            target_language=unit.target_language,
            stem=stem,
        )
        for unit in units
        for stem in stems(unit.source, unit.source_language)
    ]
    MemoryStem.objects.bulk_create(postings, batch_size=2000)
    added = Counter((p.source_language, p.target_language, p.stem) for p in postings)
    MemoryStemCount.objects.bulk_create(
        [
            MemoryStemCount(source_language=source, target_language=target, stem=stem)
            for source, target, stem in added
        ],
        ignore_conflicts=True,
        batch_size=2000,
    )
    by_count = {}
    for (source, target, stem), count in added.items():
        by_count.setdefault((source, target, count), []).append(stem)
    # One UPDATE per pair and increment, each adding to the count as it is
    # then: two saves at once both count.
    for (source, target, count), names in by_count.items():
        MemoryStemCount.objects.filter(
            source_language=source, target_language=target, stem__in=names
        ).update(units=F("units") + count)


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
    source = article.source_language
    source_now = article.texts_in(source)
    source_before = {
        name: before.get(localized(name, source)) or "" for name in article.TRANSLATED_TEXTS
    }
    for code in languages.others(source):
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
        pairs = finished(*state_now) if is_approved(article, code) else set()
        if before:
            gone = replaced(state_before, state_now)
            if gone:
                MemoryUnit.objects.filter(
                    article=article,
                    target_language=code,
                    target_key__in=[digest(text) for text in gone],
                    replaced_at=None,
                ).update(replaced_at=now, replaced_by=user)
        add(article, source, code, pairs, user=user, now=now)


def is_approved(article, language):
    """Whether `article`'s `language` translation may feed the memory as to review: it
    has no translation job, or its job is approved (where reviews exist, only
    what a reviewer approved)."""
    if article.pk is None:
        return True
    jobs = article.jobs.filter(language=language)
    return not jobs.exclude(state=article.jobs.model.State.APPROVED).exists()


def add_finished(article, language, *, user=None):
    """Units for the finished segments of `article`'s `language` translation as it
    is (its review approved, say)."""
    state = (
        article.texts_in(article.source_language),
        article.texts_in(language),
        article.translation_sources.get(language),
        article.unconfirmed_in(language),
    )
    add(article, article.source_language, language, finished(*state), user=user)


def add(article, source_language, target_language, pairs, *, user=None, now=None):
    """Units for `pairs` of (source, target) translated in `article`, each once: a
    pair already there is only brought back if it had been replaced."""
    if not pairs:
        return
    now = now or timezone.now()
    units = {}
    for source, target in pairs:
        unit = MemoryUnit(
            source_language=source_language,
            target_language=target_language,
            source=source,
            target=target,
            article=article,
            created_at=now,
            changed_at=now,
            saved_by=user,
        )
        unit.set_keys()
        units[unit.key] = unit
    existing = dict(
        MemoryUnit.objects.filter(key__in=list(units)).values_list("key", "replaced_at")
    )
    back = [key for key, replaced in existing.items() if replaced is not None]
    if back:
        MemoryUnit.objects.filter(key__in=back).update(
            replaced_at=None, replaced_by=None, changed_at=now
        )
    # SQLite and PostgreSQL both give the new rows their keys here.
    created = MemoryUnit.objects.bulk_create(
        [unit for key, unit in units.items() if key not in existing]
    )
    index(created)
