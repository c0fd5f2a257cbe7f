"""Bringing back an XLIFF 1.2 or 2.0 file (made by xliff.py, translated in a CAT tool).

The import checks that the file is this article's, into this language, from
its source language; that every unit is one of its segments; that each
target keeps its source's codes, well nested, and is one block. Any of
these failing refuses the whole file, naming the unit, and nothing is
written. Otherwise targets marked as translated (or further) are saved
through the one write path, as a PO file's are (handoff.save_matched). Files
as tools save them come back too: UTF-16, a region in the language tag, a
2.0 unit cut into several segments, 1.2 `<mrk>` markers, codes as
`<bx/>`/`<ex/>`, `<bpt>`/`<ept>` or `<sc/>`/`<ec/>`.
"""

import dataclasses

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles import languages
from articles.models import Article
from articles.text.segments import Status, article_segments, split_body
from articles.writing import editing

from . import handoff, inline, xmlfiles
from .inline import CLOSE, OPEN, STANDALONE, Code
from .xliff import NAMESPACES, TO_DO, original, source_language
from .xmlfiles import local_name


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
    if language not in article.targets:
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
