"""Translator hand-off as XLIFF 1.2 or 2.0, the files CAT tools exchange.

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

Importing checks that the file is this article's, into this language, from
its source language; that every unit is one of its segments; that each
target keeps its source's codes, well nested, and is one block. Any of
these failing refuses the whole file, naming the unit, and nothing is
written. Otherwise targets marked as translated (or further) are saved
through the one write path, as a PO file's are (articles.translating.handoff).
"""

import dataclasses
import io
import zipfile

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree

from articles import languages
from articles.models import Article
from articles.text import segments
from articles.text.segments import Status, article_segments, split_body
from articles.writing import editing

from . import handoff, inline, terms, xmlfiles
from .inline import CLOSE, OPEN, STANDALONE, Code
from .xmlfiles import XML_SPACE, local_name

NAMESPACES = {
    "1.2": "urn:oasis:names:tc:xliff:document:1.2",
    "2.0": "urn:oasis:names:tc:xliff:document:2.0",
}
VERSIONS = tuple(NAMESPACES)
CONTENT_TYPE = "application/xliff+xml"
TOOL = "cxcs"


def source_language(article):
    """The language `article`'s translations are made from."""
    return languages.SOURCE


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
    if language not in languages.TARGETS:
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
            archive.writestr(
                file_name(article, language, version),
                build(article, language, version, entries=entries),
            )
    return buffer.getvalue()


# Import


@dataclasses.dataclass
class FileUnit:
    """A unit as read from a file: its id, source and target runs (codes by id and
    kind only), and the state of its target."""

    id: str
    source: list
    target: list | None
    state: str | None


@dataclasses.dataclass
class ImportResult(handoff.ImportResult):
    version: str = ""
    NOT_DONE = gettext_lazy("Not imported, not marked as translated in the file: %(fields)s.")


def apply_xliff(article, language, data, user=None):
    """Import the targets of the XLIFF file `data` (bytes) into `article`'s
    `language` segments; see the module's doc. Returns an ImportResult, or
    raises ValidationError with nothing written."""
    if language not in languages.TARGETS:
        raise ValueError(f"Not a target language: {language!r}")
    root = xmlfiles.parse(data, kind="XLIFF")
    version = check_file(root, article, language)
    units = read_units(root, version)
    # The article as it is now, not as the page showing the form loaded it.
    article = Article.objects.get(pk=article.pk)
    segmented = article_segments(article, language)
    matched = match_units(units, segmented, version)
    result = handoff.save_matched(
        article, language, segmented, matched, user=user, file_format=f"XLIFF {version}"
    )
    return ImportResult(**vars(result), version=version)


def refuse(message, code):
    raise ValidationError(message, code=code)


def check_file(root, article, language):
    """The file's XLIFF version; refused unless it is one file of this article,
    into `language`, from its source language."""
    if local_name(root) != "xliff" or xmlfiles.namespace_of(root) not in NAMESPACES.values():
        refuse(_("The file is not an XLIFF 1.2 or 2.0 file."), "not_xliff")
    version = "1.2" if xmlfiles.namespace_of(root) == NAMESPACES["1.2"] else "2.0"
    ns = NAMESPACES[version]
    files = root.findall(f"{{{ns}}}file")
    if len(files) != 1:
        refuse(
            _("The file holds %(count)s translation files; import them one at a time.")
            % {"count": len(files)},
            "several_files",
        )
    file = files[0]
    if version == "1.2":
        source, target = file.get("source-language"), file.get("target-language")
    else:
        source, target = root.get("srcLang"), root.get("trgLang")
    named = file.get("original") or ""
    prefix = "cxcs:article:"
    if not named.startswith(prefix):
        refuse(_("This file was not exported from this site: it names no article."), "not_ours")
    if named != original(article):
        refuse(
            _("This file belongs to another article (number %(file)s), not to this one (%(pk)s).")
            % {"file": named[len(prefix) :][:20], "pk": article.pk},
            "other_article",
        )
    expected_source = source_language(article)
    if not xmlfiles.language_matches(source, expected_source):
        refuse(
            _("This file was not translated from %(source)s, the source language.")
            % {"source": languages.name(expected_source)},
            "other_source",
        )
    if not xmlfiles.language_matches(target, language):
        code = next(
            (code for code in languages.CODES if xmlfiles.language_matches(target, code)), None
        )
        if code:
            message = _(
                "This file is a translation into %(file)s; this page imports %(language)s."
            ) % {"file": languages.name(code), "language": languages.name(language)}
        else:
            message = _("The file does not say it is in %(language)s.") % {
                "language": languages.name(language)
            }
        refuse(message, "other_language")
    return version


def read_units(root, version):
    """The file's units, by id; refused when an id is repeated."""
    ns = NAMESPACES[version]
    units = {}
    name = "trans-unit" if version == "1.2" else "unit"
    for element in root.iter(f"{{{ns}}}{name}"):
        unit = read_unit_1_2(element, ns) if version == "1.2" else read_unit_2_0(element, ns)
        if unit.id in units:
            refuse(
                _("The file holds the unit “%(name)s” twice.") % {"name": unit.id[:40]},
                "duplicate",
            )
        units[unit.id] = unit
    if not units:
        refuse(_("The file holds no texts to import."), "no_entries")
    return units


def read_unit_1_2(element, ns):
    unit_id = element.get("id") or ""
    source = element.find(f"{{{ns}}}source")
    target = element.find(f"{{{ns}}}target")
    return FileUnit(
        id=unit_id,
        source=read_runs(source, unit_id) if source is not None else [],
        target=read_runs(target, unit_id) if target is not None else None,
        state=target.get("state") if target is not None else None,
    )


def read_unit_2_0(element, ns):
    """A 2.0 unit; a tool may have cut its one segment in several, which are put
    back together."""
    unit_id = element.get("id") or ""
    source, target, states, has_target = [], [], set(), False
    for part in element:
        if local_name(part) not in ("segment", "ignorable"):
            continue
        part_source = part.find(f"{{{ns}}}source")
        part_target = part.find(f"{{{ns}}}target")
        if part_source is not None:
            source += read_runs(part_source, unit_id)
        if part_target is not None:
            has_target = True
            target += read_runs(part_target, unit_id)
        elif local_name(part) == "ignorable" and part_source is not None:
            target += read_runs(part_source, unit_id)
        if local_name(part) == "segment":
            states.add(part.get("state") or "initial")
    state = "initial" if "initial" in states else (states.pop() if states else None)
    return FileUnit(unit_id, source, target if has_target else None, state)


# Inline elements: those standing for an opening or closing code, and those
# whose content is the text itself (an annotation, a segment marker).
OPENING = {"g", "pc", "bx", "bpt", "sc"}
CLOSING = {"ex", "ept", "ec"}
STANDING = {"x", "ph", "it"}
TRANSPARENT = {"mrk", "sm", "em"}


def read_runs(element, unit_id):
    """The runs of a source or target element: text, and Codes with an id and kind."""
    runs = []
    if element.text:
        runs.append(element.text)
    for child in element:
        name = local_name(child)
        if name in ("g", "pc"):
            code_id = child.get("id") or ""
            runs.append(Code(code_id, OPEN))
            runs += read_runs(child, unit_id)
            runs.append(Code(code_id, CLOSE))
        elif name in OPENING:
            runs.append(Code(child.get("rid") or child.get("id") or "", OPEN))
        elif name in CLOSING:
            runs.append(
                Code(child.get("rid") or child.get("startRef") or child.get("id") or "", CLOSE)
            )
        elif name in STANDING:
            runs.append(Code(child.get("id") or "", STANDALONE))
        elif name in TRANSPARENT:
            runs += read_runs(child, unit_id)
        elif name == "cp":
            runs.append(chr(int(child.get("hex") or "fffd", 16)))
        else:
            refuse(
                _("The unit “%(unit)s” holds an element this site does not know: <%(name)s>.")
                % {"unit": unit_id[:40], "name": name[:20]},
                "unknown_element",
            )
        if child.tail:
            runs.append(child.tail)
    return runs


def match_units(units, segmented, version):
    """The units matched to `segmented`'s segments, as handoff.Matched: a unit goes
    to the segment its id names, or, when that segment's text is not the
    unit's source, to the segment whose source text is (a block moved since
    the export)."""
    current = {segment.key: segment for segment in segmented.segments if not segment.is_fixed}
    by_text = {}
    for segment in current.values():
        by_text.setdefault(inline.plain(inline.split(segment.source)), segment.key)
    matched = handoff.Matched()
    for unit_id, unit in units.items():
        source_text = inline.plain(unit.source)
        key = unit_id
        if key not in current or inline.plain(inline.split(current[key].source)) != source_text:
            key = by_text.get(source_text, key)
        if key not in current:
            refuse(
                _("The unit “%(unit)s” is not a text of this article.") % {"unit": unit_id[:40]},
                "unknown_units",
            )
        segment = current[key]
        if not inline.join(
            [run if isinstance(run, str) else "\ufffc" for run in unit.target or []]
        ).strip():
            matched.untranslated.append(key)
            continue
        if (unit.state or "") in TO_DO[version]:
            matched.fuzzy.append(key)
            continue
        source_codes = inline.codes_of(inline.split(segment.source))
        translated = target_markdown(unit, segment, source_codes)
        translated = editing.normalize_text(translated)
        if segment.block is not None and len(split_body(translated)) > 1:
            refuse(
                _("The unit “%(unit)s” holds more than one paragraph; a text here is one block.")
                % {"unit": unit_id[:40]},
                "blocks",
            )
        if segment.block is None and "\n\n" in translated:
            refuse(
                _("The unit “%(unit)s” holds more than one paragraph; a text here is one block.")
                % {"unit": unit_id[:40]},
                "blocks",
            )
        if source_text != inline.plain(inline.split(segment.source)):
            matched.source_changed.append(key)
            matched.made_from[key] = made_from(unit, source_codes)
        matched.texts[key] = translated
        if translated != segment.target or key in matched.made_from:
            matched.changed.append(key)
        elif segment.status == Status.NEEDS_UPDATE:
            matched.confirmed.append(key)
            matched.changed.append(key)
        else:
            matched.unchanged.append(key)
    return matched


def made_from(unit, source_codes):
    """The source a unit's target was translated from, as Markdown where its codes
    are still the source's, or else as its text."""
    try:
        return editing.normalize_text(inline.rebuild(unit.source, source_codes))
    except inline.CodeError:
        return editing.normalize_text(inline.plain(unit.source))


def target_markdown(unit, segment, source_codes):
    """The Markdown of a unit's target, its codes' markup from the segment's source;
    refused, naming the unit, when its codes do not match the source's (unless
    the target is the one the article already has)."""
    try:
        return inline.rebuild(unit.target, source_codes)
    except inline.CodeError as error:
        exported = inline.align(inline.split(segment.target), source_codes)
        if segment.target and inline.same_codes(unit.target, exported):
            return segment.target
        messages = {
            inline.MISSING: _("The unit “%(unit)s” lacks the inline code %(code)s of its source."),
            inline.DUPLICATED: _("The unit “%(unit)s” holds the inline code %(code)s twice."),
            inline.UNKNOWN: _(
                "The unit “%(unit)s” holds an inline code its source does not have (%(code)s)."
            ),
            inline.MISNESTED: _(
                "The unit “%(unit)s” has its inline code %(code)s out of place: codes must "
                "nest as in the source."
            ),
        }
        raise ValidationError(
            messages[error.problem] % {"unit": unit.id[:40], "code": error.code_id[:10]},
            code="inline_codes",
        ) from None
