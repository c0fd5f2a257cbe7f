"""Translator hand-off as XLIFF 1.2 or 2.0, the files CAT tools exchange: the
format's facts and the export (the import is in xliff_import.py).

One file holds one article's segments for one target language, the units
the workspace and the PO file show: a unit per segment, its id the segment's
key ("title", "body.3"), the same in every export of the same texts. Inline
Markdown is carried as inline codes (articles/translating/inline.py): in 1.2
`<g>` around a translated phrase and `<x/>` for a code standing alone, in
2.0 `<pc>` and `<ph>` with the Markdown in `<originalData>`; none may be
copied or deleted, and a link's address is in no text a translator edits.
Each unit's state says whether it is missing, needs an update or is
translated (STATES); notes say what the segment is, its length limit and the
term base's terms for it.
"""

import dataclasses
import io
import zipfile

from django.utils import timezone, translation
from lxml import etree

from articles import languages
from articles.models import Article
from articles.text import segments
from articles.text.segments import Status, article_segments

from . import handoff, inline, terms, xmlfiles
from .inline import CLOSE, OPEN, Code
from .xmlfiles import XML_SPACE

NAMESPACES = {
    "1.2": "urn:oasis:names:tc:xliff:document:1.2",
    "2.0": "urn:oasis:names:tc:xliff:document:2.0",
}
VERSIONS = tuple(NAMESPACES)
CONTENT_TYPE = "application/xliff+xml"
TOOL = "cxcs"


def source_language(article):
    """The language `article`'s translations are made from."""
    return article.source_language


@dataclasses.dataclass(frozen=True)
class State:
    """A segment's status as each version writes it: 1.2's `<target state>`, 2.0's
    `<segment state>` and, where 2.0's four states say too little, its `subState`."""

    version_1_2: str
    version_2_0: str
    sub_state: str = ""
    # 1.2's `approved="yes"`: past its final review.
    approved: bool = False


# A segment's status (articles.text.segments.Status) in the file; a state of a
# later step is one more line: reviewed as State("signed-off", "reviewed"),
# approved as State("final", "final", approved=True).
STATES = {
    Status.MISSING: State("needs-translation", "initial"),
    Status.NEEDS_UPDATE: State("needs-review-translation", "initial", "cxcs:needs-update"),
    Status.TRANSLATED: State("translated", "translated"),
}
# A target whose state is one of these is work still to do, and not imported.
TO_DO = {
    "1.2": {
        "new",
        "needs-translation",
        "needs-adaptation",
        "needs-l10n",
        "needs-review-translation",
        "needs-review-adaptation",
        "needs-review-l10n",
    },
    "2.0": {"initial"},
}

# How each kind of code is typed: 1.2's ctype, 2.0's type and subType.
CTYPES = {
    inline.BOLD: "bold",
    inline.EMPHASIS: "italic",
    inline.LINK: "link",
    inline.HTML: "x-html",
    inline.CODE: "x-code",
    inline.IMAGE: "image",
}
STANDALONE_CTYPES = {inline.LINK: "x-link", inline.IMAGE: "image"}
TYPES_2_0 = {
    inline.BOLD: ("fmt", "xlf:b"),
    inline.EMPHASIS: ("fmt", "xlf:i"),
    inline.LINK: ("link", ""),
    inline.HTML: ("fmt", ""),
    inline.CODE: ("other", ""),
    inline.IMAGE: ("image", ""),
}


def file_name(article, language, version):
    return f"article-{article.pk}-{language}-xliff{version.replace('.', '')}.xlf"


def original(article):
    """What a file's `original` says: which article it was made from."""
    return f"cxcs:article:{article.pk}"


# Export


def build(article, language, version, *, entries=None):
    """The XLIFF `version` file of `article`'s segments for translating into
    `language`, as bytes. `entries` is the term base (terms.load()), read when
    not given."""
    if language not in article.targets:
        raise ValueError(f"Not a target language: {language!r}")
    if version not in NAMESPACES:
        raise ValueError(f"Not an XLIFF version: {version!r}")
    entries = terms.load() if entries is None else entries
    source = source_language(article)
    units = [
        Unit.of(segment, source, language, entries)
        for segment in article_segments(article, language).segments
        if not segment.is_fixed
    ]
    with translation.override("en"):
        header = (
            f"Article {article.pk}: {article.texts_in(source).get('title') or ''}. "
            f"Translate from {languages.name(source)} into {languages.name(language)}."
        )
    writer = write_1_2 if version == "1.2" else write_2_0
    return writer(article, source, language, header, units)


@dataclasses.dataclass
class Unit:
    """A segment as a unit of the file: its runs of source and target, state and notes."""

    key: str
    source: list
    target: list
    status: str
    notes: list
    max_length: int | None = None

    @classmethod
    def of(cls, segment, source_language, language, entries):
        source = inline.split(segment.source)
        target = inline.align(inline.split(segment.target), inline.codes_of(source))
        return cls(
            key=segment.key,
            source=source,
            target=target if segment.target else [],
            status=segment.status,
            notes=unit_notes(segment, source_language, language, entries),
            max_length=max_length(segment),
        )


def max_length(segment):
    if segment.block is not None:
        return None
    return Article._meta.get_field(segment.field).max_length


def unit_notes(segment, source_language, language, entries):
    """What the translator should know of a segment, in English: what it is, its
    limits, its status and its terms."""
    with translation.override("en"):
        note = handoff.field_note(segment.field)
        if segment.block is not None:
            note = f"{segments.label(segment.key, segment.kind)} of the body. {note}"
        notes = [note]
        if segment.status == Status.NEEDS_UPDATE:
            notes.append(
                "Needs update: the source changed since this was translated. "
                f"It was translated from: {segment.worked_from}"
            )
        found = terms.terms_in(segment.source, source_language, entries)
        listed = []
        for entry, form in found:
            approved = entry.approved(language)
            if not approved:
                continue
            avoid = [variant for variant, _replacement in entry.forbidden.get(language, [])]
            listed.append(f"{form} → {approved}" + (f" (not: {', '.join(avoid)})" if avoid else ""))
        if listed:
            notes.append("Term base: " + "; ".join(listed))
    return notes


def write_1_2(article, source, language, header, units):
    ns = NAMESPACES["1.2"]

    def element(parent, tag, text=None, **attributes):
        names = {name.replace("_", "-"): value for name, value in attributes.items()}
        child = etree.SubElement(parent, f"{{{ns}}}{tag}", names)
        child.text = text
        return child

    root = etree.Element(f"{{{ns}}}xliff", version="1.2", nsmap={None: ns})
    file = element(
        root,
        "file",
        original=original(article),
        source_language=xmlfiles.bcp47(source),
        target_language=xmlfiles.bcp47(language),
        datatype="plaintext",
        date=timezone.now().replace(microsecond=0).isoformat(),
        product_name=TOOL,
    )
    file_header = element(file, "header")
    element(file_header, "tool", tool_id=TOOL, tool_name=TOOL)
    element(file_header, "note", header)
    body = element(file, "body")
    for unit in units:
        attributes = {"id": unit.key, "resname": unit.key}
        if unit.max_length:
            attributes.update(maxwidth=str(unit.max_length), size_unit="char")
        if STATES[unit.status].approved:
            attributes["approved"] = "yes"
        trans_unit = element(body, "trans-unit", **attributes)
        trans_unit.set(XML_SPACE, "preserve")
        runs_1_2(element(trans_unit, "source"), unit.source, ns)
        if unit.target:
            target = element(trans_unit, "target", state=STATES[unit.status].version_1_2)
            runs_1_2(target, unit.target, ns)
        for note in unit.notes:
            element(trans_unit, "note", note, annotates="source", **{"from": TOOL})
    xmlfiles.indent(root, {"xliff", "file", "header", "body", "trans-unit"})
    return xmlfiles.serialize(root)


def runs_1_2(parent, runs, ns):
    """Write `runs` into `parent`: text, `<g>` for a pair, `<x/>` for a code alone."""
    stack = [parent]
    last = None
    for run in runs:
        if isinstance(run, str):
            if last is None:
                stack[-1].text = (stack[-1].text or "") + run
            else:
                last.tail = (last.tail or "") + run
            continue
        if run.kind == OPEN:
            last = None
            stack.append(
                etree.SubElement(
                    stack[-1], f"{{{ns}}}g", id=run.id, ctype=CTYPES[run.type], clone="no"
                )
            )
        elif run.kind == CLOSE:
            last = stack.pop()
        else:
            ctype = STANDALONE_CTYPES.get(run.type, CTYPES[run.type])
            last = etree.SubElement(stack[-1], f"{{{ns}}}x", id=run.id, ctype=ctype, clone="no")
            last.set("equiv-text", run.markup)


def write_2_0(article, source, language, header, units):
    ns = NAMESPACES["2.0"]

    def element(parent, tag, text=None, **attributes):
        child = etree.SubElement(parent, f"{{{ns}}}{tag}", attributes)
        child.text = text
        return child

    root = etree.Element(
        f"{{{ns}}}xliff",
        version="2.0",
        srcLang=xmlfiles.bcp47(source),
        trgLang=xmlfiles.bcp47(language),
        nsmap={None: ns},
    )
    file = element(root, "file", id=f"article-{article.pk}", original=original(article))
    notes = element(file, "notes")
    element(notes, "note", header)
    for unit in units:
        unit_element = element(file, "unit", id=unit.key, name=unit.key)
        unit_element.set(XML_SPACE, "preserve")
        unit_notes_element = element(unit_element, "notes")
        for note in unit.notes:
            element(unit_notes_element, "note", note, appliesTo="source", category=TOOL)
        data = original_data(unit.source)
        if data:
            holder = element(unit_element, "originalData")
            for data_id, markup in data.items():
                element(holder, "data", markup, id=data_id)
        state = STATES[unit.status]
        attributes = {"state": state.version_2_0}
        if state.sub_state:
            attributes["subState"] = state.sub_state
        segment = element(unit_element, "segment", **attributes)
        runs_2_0(element(segment, "source"), unit.source, ns)
        if unit.target:
            runs_2_0(element(segment, "target"), unit.target, ns)
    xmlfiles.indent(root, {"xliff", "file", "notes", "unit", "originalData", "segment"})
    return xmlfiles.serialize(root)


def data_ids(code):
    """The ids of the `<data>` holding a code's markup: one for each end of a pair."""
    return f"d{code.id}" if code.kind != CLOSE else f"d{code.id}e"


def original_data(runs):
    return {data_ids(run): run.markup for run in runs if isinstance(run, Code)}


def runs_2_0(parent, runs, ns):
    """Write `runs` into `parent`: text, `<pc>` for a pair, `<ph/>` for a code alone,
    none of them to be copied or deleted."""
    stack = [parent]
    last = None
    for run in runs:
        if isinstance(run, str):
            if last is None:
                stack[-1].text = (stack[-1].text or "") + run
            else:
                last.tail = (last.tail or "") + run
            continue
        type_, sub_type = TYPES_2_0[run.type]
        attributes = {"id": run.id, "canCopy": "no", "canDelete": "no", "type": type_}
        if sub_type:
            attributes["subType"] = sub_type
        if run.kind == OPEN:
            last = None
            attributes.update(dataRefStart=f"d{run.id}", dataRefEnd=f"d{run.id}e")
            stack.append(etree.SubElement(stack[-1], f"{{{ns}}}pc", attributes))
        elif run.kind == CLOSE:
            last = stack.pop()
        else:
            attributes.update(dataRef=f"d{run.id}")
            last = etree.SubElement(stack[-1], f"{{{ns}}}ph", attributes)


def bundle(pairs, version):
    """A zip of the XLIFF `version` files of each (article, language) of `pairs`."""
    entries = terms.load()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for article, language in pairs:
            if language not in article.targets:
                continue
            archive.writestr(
                file_name(article, language, version),
                build(article, language, version, entries=entries),
            )
    return buffer.getvalue()
