"""The term base as TBX, the file CAT tools exchange term bases in.

cxcs writes TBX-Basic in the structure of ISO 30042:2008 (`<martif
type="TBX-Basic">`), which translate-toolkit, OmegaT, memoQ, Trados
MultiTerm and Phrase read. A concept is a `<termEntry id="c<pk>">` with its
note as a `<note>`, and a `<langSet>` per language holding a `<tig>` per
term: the approved term first as `preferredTerm-admn-sts`, the other
accepted forms as `admittedTerm-admn-sts`, and each forbidden variant as
`deprecatedTerm-admn-sts`, with what replaces it, when the term base says,
in a `<note>` ("Use: …").

Importing updates the concept an entry's id names, or the one whose approved
source term is the entry's, or adds a concept; each language the entry has
replaces that language's terms and variants, languages it lacks keep theirs.
The whole file is read before anything is written, in one transaction.
"""

import dataclasses

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from articles import languages
from articles.languages import localized
from articles.models import Concept

from . import xmlfiles
from .terms import ARROW, lines
from .xmlfiles import XML_LANG, local_name

CONTENT_TYPE = "application/x-tbx+xml"
DOCTYPE = '<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">'
STATUS = "administrativeStatus"
PREFERRED = "preferredTerm-admn-sts"
ADMITTED = "admittedTerm-admn-sts"
DEPRECATED = "deprecatedTerm-admn-sts"
REPLACEMENT = "Use: "


def file_name():
    return f"cxcs-term-base-{timezone.localtime():%Y%m%d-%H%M}.tbx"


def build(concepts=None):
    """The TBX file (bytes) of `concepts`, by default the whole term base."""
    concepts = Concept.objects.order_by("pk") if concepts is None else concepts
    root = etree.Element("martif", {"type": "TBX-Basic", XML_LANG: "en"})
    header = etree.SubElement(root, "martifHeader")
    file_description = etree.SubElement(header, "fileDesc")
    etree.SubElement(
        etree.SubElement(file_description, "titleStmt"), "title"
    ).text = "cxcs term base"
    etree.SubElement(
        etree.SubElement(file_description, "sourceDesc"), "p"
    ).text = f"Exported by cxcs on {timezone.now():%Y-%m-%d}."
    encoding = etree.SubElement(header, "encodingDesc")
    etree.SubElement(encoding, "p", type="XCSURI").text = "TBXBasicXCSV02.xcs"
    body = etree.SubElement(etree.SubElement(root, "text"), "body")
    for concept in concepts:
        write_concept(body, concept)
    xmlfiles.indent(
        root,
        {"martif", "martifHeader", "fileDesc", "titleStmt", "sourceDesc", "encodingDesc",
         "text", "body", "termEntry", "langSet", "tig"},
    )  # fmt: skip
    return xmlfiles.serialize(root, doctype=DOCTYPE)


def write_concept(body, concept):
    entry = etree.SubElement(body, "termEntry", id=f"c{concept.pk}")
    if concept.note:
        etree.SubElement(entry, "note").text = concept.note
    for code in languages.CODES:
        forms = lines(getattr(concept, localized("terms", code)))
        forbidden = lines(getattr(concept, localized("forbidden", code)))
        if not forms and not forbidden:
            continue
        language_set = etree.SubElement(entry, "langSet", {XML_LANG: xmlfiles.bcp47(code)})
        for number, form in enumerate(forms):
            term(language_set, form, PREFERRED if number == 0 else ADMITTED)
        for line in forbidden:
            parts = ARROW.split(line, maxsplit=1)
            term(language_set, parts[0], DEPRECATED, parts[1] if len(parts) > 1 else "")


def term(language_set, text, status, replacement=""):
    group = etree.SubElement(language_set, "tig")
    etree.SubElement(group, "term").text = text
    etree.SubElement(group, "termNote", type=STATUS).text = status
    if replacement:
        etree.SubElement(group, "note").text = f"{REPLACEMENT}{replacement}"


@dataclasses.dataclass
class Entry:
    """A `<termEntry>` as read: its id, note, and per language code its terms
    (approved first) and forbidden lines ("variant → term")."""

    id: str
    note: str = ""
    terms: dict = dataclasses.field(default_factory=dict)
    forbidden: dict = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class ImportResult:
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    # Languages in the file that the site does not have.
    skipped_languages: list = dataclasses.field(default_factory=list)


def apply_tbx(data):
    """Bring the concepts of the TBX file `data` (bytes) into the term base; see the
    module's doc. ValidationError, with nothing written, when it is not TBX."""
    root = xmlfiles.parse(data, kind="TBX")
    body = root.find("text/body")
    if local_name(root) not in ("martif", "tbx") or body is None:
        raise ValidationError(_("The file is not a TBX file."), code="not_tbx")
    result = ImportResult()
    skipped = set()
    entries = [read_entry(element, skipped) for element in body.iter("termEntry", "conceptEntry")]
    result.skipped_languages = sorted(skipped)
    with transaction.atomic():
        for entry in entries:
            concept = find_concept(entry)
            adding = concept is None
            concept = concept or Concept()
            before = values_of(concept)
            if entry.note:
                concept.note = entry.note
            for code in entry.terms.keys() | entry.forbidden.keys():
                setattr(concept, localized("terms", code), "\n".join(entry.terms.get(code, [])))
                setattr(
                    concept, localized("forbidden", code), "\n".join(entry.forbidden.get(code, []))
                )
            if adding:
                concept.save()
                result.added += 1
            elif values_of(concept) != before:
                concept.save()
                result.changed += 1
            else:
                result.unchanged += 1
    return result


def values_of(concept):
    names = ["note"] + [
        localized(name, code) for code in languages.CODES for name in ("terms", "forbidden")
    ]
    return {name: getattr(concept, name) or "" for name in names}


def read_entry(element, skipped):
    entry = Entry(id=element.get("id") or "")
    notes = [
        child.text.strip()
        for child in element
        if local_name(child) in ("note", "descrip") and (child.text or "").strip()
    ]
    entry.note = "\n".join(notes)
    for language_set in element:
        if local_name(language_set) != "langSet":
            continue
        tag = language_set.get(XML_LANG) or ""
        code = next(
            (code for code in languages.CODES if xmlfiles.language_matches(tag, code)), None
        )
        if code is None:
            skipped.add(tag[:20])
            continue
        preferred, admitted, forbidden = [], [], []
        for group in language_set:
            if local_name(group) not in ("tig", "ntig", "termSec"):
                continue
            text = (
                " ".join("".join(group.find(".//term").itertext()).split())
                if group.find(".//term") is not None
                else ""
            )
            if not text:
                continue
            status = next(
                (
                    (note.text or "").strip()
                    for note in group.iter("termNote")
                    if note.get("type") == STATUS
                ),
                "",
            )
            if status.lower().startswith("deprecated") or status.lower().startswith("superseded"):
                replacement = next(
                    (
                        note.text.strip()[len(REPLACEMENT) :].strip()
                        for note in group.iter("note")
                        if (note.text or "").strip().startswith(REPLACEMENT)
                    ),
                    "",
                )
                forbidden.append(f"{text} → {replacement}" if replacement else text)
            elif status.lower().startswith("preferred") and not preferred:
                preferred.append(text)
            else:
                admitted.append(text)
        entry.terms[code] = [*preferred, *admitted]
        entry.forbidden[code] = forbidden
    return entry


def find_concept(entry):
    """The concept an entry stands for: the one its id names ("c12"), or the one whose
    approved source term is the entry's; None for a new concept."""
    if entry.id.startswith("c") and entry.id[1:].isdigit():
        found = Concept.objects.filter(pk=int(entry.id[1:])).first()
        if found is not None:
            return found
    approved = (entry.terms.get(languages.DEFAULT_SOURCE) or [""])[0]
    if not approved:
        return None
    column = localized("terms", languages.DEFAULT_SOURCE)
    for concept in Concept.objects.filter(**{f"{column}__icontains": approved}):
        if (lines(getattr(concept, column)) or [""])[0].casefold() == approved.casefold():
            return concept
    return None
