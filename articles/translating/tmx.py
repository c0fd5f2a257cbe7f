"""The translation memory as TMX 1.4b, the file CAT tools exchange memories in.

Export: every segment pair translated here and up to date (a translation
needing an update is not approved work), from every article and into every
target language, with the date of the article's last save, and the pairs
imported before, with their own dates. Inline Markdown is kept as TMX's
inline elements (`<bpt>`/`<ept>` around a phrase, `<ph>` alone), each
holding its markup, so a tool matches the words and keeps the codes.

Import: each `<tu>` gives a pair for each target language it has a variant
in, beside a variant in the source language; pairs are kept once
(MemoryUnit) and offered in the workspace like translations made here
(articles/translating/memory.py). Variants in other languages are counted
and left out. Nothing of the articles changes.
"""

import dataclasses
from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from articles import languages
from articles.models import Article, MemoryUnit
from articles.models import memory as stored
from articles.models.memory import digest
from articles.text.segments import Status, article_segments
from articles.writing import editing

from . import inline, xmlfiles
from .inline import CLOSE, OPEN
from .xmlfiles import XML_LANG, local_name

CONTENT_TYPE = "application/x-tmx+xml"
DOCTYPE = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
DATE_FORMAT = "%Y%m%dT%H%M%SZ"
ORIGIN = "x-cxcs-origin"
# Keys looked up and rows inserted at a time: within every database's limit of
# parameters in one statement.
LOOKUP_BATCH = 500


def file_name():
    return f"cxcs-memory-{timezone.localtime():%Y%m%d-%H%M}.tmx"


@dataclasses.dataclass(frozen=True)
class Pair:
    source_language: str
    target_language: str
    source: str
    target: str
    changed_at: datetime | None = None
    created_at: datetime | None = None
    origin: str = ""


def pairs(source_language=None):
    """The memory's pairs from `source_language` (by default the site's default source):
    the up-to-date translations of the articles written in it, then imported ones."""
    source_language = source_language or languages.DEFAULT_SOURCE
    seen = set()
    written_in = Article.objects.filter(source_language=source_language).order_by("pk")
    for article in written_in.iterator(chunk_size=200):
        for language in article.targets:
            for segment in article_segments(article, language).segments:
                if segment.status != Status.TRANSLATED or segment.is_fixed:
                    continue
                key = (language, segment.source, segment.target)
                if key in seen:
                    continue
                seen.add(key)
                yield Pair(
                    source_language,
                    language,
                    segment.source,
                    segment.target,
                    changed_at=article.updated_at,
                    origin=f"cxcs:article:{article.pk}:{segment.key}",
                )
    # Pairs imported (and those of deleted articles), never one an editor replaced;
    # the articles' own are their translations as they are, above.
    imported = MemoryUnit.objects.filter(
        source_language=source_language, article=None, replaced_at=None
    ).order_by("pk")
    for unit in imported.iterator(chunk_size=500):
        key = (unit.target_language, unit.source, unit.target)
        if key in seen:
            continue
        seen.add(key)
        yield Pair(
            unit.source_language,
            unit.target_language,
            unit.source,
            unit.target,
            changed_at=unit.changed_at,
            created_at=unit.created_at,
            origin=unit.origin,
        )


def build(pair_list=None, source_language=None):
    """The TMX file (bytes) of `pair_list`, by default the whole memory from
    `source_language` (by default the site's default source)."""
    source_language = source_language or languages.DEFAULT_SOURCE
    root = etree.Element("tmx", version="1.4")
    etree.SubElement(
        root,
        "header",
        creationtool="cxcs",
        creationtoolversion="1",
        segtype="block",
        **{"o-tmf": "cxcs", "adminlang": "en"},
        srclang=xmlfiles.bcp47(source_language),
        datatype="plaintext",
        creationdate=timezone.now().astimezone(UTC).strftime(DATE_FORMAT),
    )
    body = etree.SubElement(root, "body")
    for pair in pairs(source_language) if pair_list is None else pair_list:
        attributes = {"srclang": xmlfiles.bcp47(pair.source_language)}
        if pair.created_at:
            attributes["creationdate"] = pair.created_at.astimezone(UTC).strftime(DATE_FORMAT)
        if pair.changed_at:
            attributes["changedate"] = pair.changed_at.astimezone(UTC).strftime(DATE_FORMAT)
        unit = etree.SubElement(body, "tu", attributes)
        if pair.origin:
            etree.SubElement(unit, "prop", type=ORIGIN).text = pair.origin
        for language, text in (
            (pair.source_language, pair.source),
            (pair.target_language, pair.target),
        ):
            variant = etree.SubElement(unit, "tuv", {XML_LANG: xmlfiles.bcp47(language)})
            write_segment(etree.SubElement(variant, "seg"), text)
    xmlfiles.indent(root, {"tmx", "body", "tu", "tuv"})
    return xmlfiles.serialize(root, doctype=DOCTYPE)


def write_segment(seg, text):
    """`text` into `<seg>`: its Markdown codes as `<bpt>`/`<ept>`/`<ph>` holding the markup."""
    last = None
    for run in inline.split(text):
        if isinstance(run, str):
            if last is None:
                seg.text = (seg.text or "") + run
            else:
                last.tail = (last.tail or "") + run
            continue
        if run.kind == OPEN:
            last = etree.SubElement(seg, "bpt", i=run.id)
        elif run.kind == CLOSE:
            last = etree.SubElement(seg, "ept", i=run.id)
        else:
            last = etree.SubElement(seg, "ph", x=run.id)
        last.text = run.markup


@dataclasses.dataclass
class ImportResult:
    added: int = 0
    known: int = 0
    # Variants in languages the site does not translate into, or without a source.
    skipped: int = 0


def apply_tmx(data):
    """Add the pairs of the TMX file `data` (bytes) to the memory; ValidationError when
    it is not TMX, with nothing added."""
    root = xmlfiles.parse(data, kind="TMX")
    if local_name(root) != "tmx" or root.find("body") is None:
        raise ValidationError(_("The file is not a TMX file."), code="not_tmx")
    result = ImportResult()
    found = {}
    for pair in read_pairs(root, result):
        found.setdefault(
            digest(pair.source_language, pair.target_language, pair.source, pair.target), pair
        )
    keys = list(found)
    known = set()
    for start in range(0, len(keys), LOOKUP_BATCH):
        batch = keys[start : start + LOOKUP_BATCH]
        known |= set(MemoryUnit.objects.filter(key__in=batch).values_list("key", flat=True))
    new = [pair for key, pair in found.items() if key not in known]
    for pair in new:
        pair.set_keys()
    with transaction.atomic():
        created = MemoryUnit.objects.bulk_create(new, batch_size=LOOKUP_BATCH)
        # Found by like sources too, as the pairs translated here are.
        stored.index(created)
    result.added, result.known = len(new), len(known)
    return result


def read_pairs(root, result):
    """The file's pairs from the source language into one of the site's, as unsaved
    MemoryUnits; what is left out is counted in `result.skipped`."""
    header = root.find("header")
    default_source = header.get("srclang", "") if header is not None else ""
    # The file's source language if it is one of the site's, else the default source.
    source_language = next(
        (code for code in languages.CODES if xmlfiles.language_matches(default_source, code)),
        languages.DEFAULT_SOURCE,
    )
    for unit in root.find("body").iter("tu"):
        unit_source = unit.get("srclang") or default_source
        if unit_source not in ("*all*", "") and not xmlfiles.language_matches(
            unit_source, source_language
        ):
            result.skipped += 1
            continue
        variants = [
            (variant.get(XML_LANG) or variant.get("lang") or "", variant)
            for variant in unit.iter("tuv")
        ]
        sources = [v for tag, v in variants if xmlfiles.language_matches(tag, source_language)]
        source = read_segment(sources[0]) if sources else ""
        if not source:
            result.skipped += 1
            continue
        props = [prop.text or "" for prop in unit.iter("prop") if prop.get("type") == ORIGIN]
        for tag, variant in variants:
            if xmlfiles.language_matches(tag, source_language):
                continue
            target_language = next(
                (
                    code
                    for code in languages.others(source_language)
                    if xmlfiles.language_matches(tag, code)
                ),
                None,
            )
            target = read_segment(variant)
            if target_language is None or not target:
                result.skipped += 1
                continue
            yield MemoryUnit(
                source_language=source_language,
                target_language=target_language,
                source=source,
                target=target,
                created_at=date(variant.get("creationdate") or unit.get("creationdate")),
                changed_at=date(variant.get("changedate") or unit.get("changedate")),
                origin=(props[0] if props else "")[:200],
            )


def read_segment(variant):
    """The text of a `<tuv>`'s `<seg>`, inline elements given by their content."""
    seg = variant.find("seg")
    if seg is None:
        return ""
    parts = [seg.text or ""]
    for child in seg:
        if local_name(child) in ("bpt", "ept", "ph", "it", "ut"):
            parts.append("".join(child.itertext()))
        elif local_name(child) == "hi":
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return editing.normalize_text("".join(parts))


def date(value):
    """A TMX date ("20261206T145600Z"), or None when it is absent or not one."""
    try:
        return datetime.strptime((value or "").strip(), DATE_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None
