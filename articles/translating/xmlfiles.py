"""XML files in and out of the hand-off: parsed without trusting them, written readable.

An uploaded file is read with lxml told to fetch nothing (no DTD, no network)
and to expand no entity; a file declaring entities of its own is refused
outright, as an entity is no part of XLIFF, TMX or TBX and the classic way to
make a parser expand a few bytes into gigabytes.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from lxml import etree

MAX_FILE_SIZE = 20 * 1024 * 1024
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_LANG = f"{{{XML_NS}}}lang"
XML_SPACE = f"{{{XML_NS}}}space"


def read_upload(upload, *, limit=MAX_FILE_SIZE):
    """The bytes of an uploaded file, refused when too large or empty."""
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s MB); a file here is at most %(limit)s MB.")
            % {"size": f"{upload.size / 1024 / 1024:.1f}", "limit": limit // 1024 // 1024},
            code="too_large",
        )
    data = upload.read()
    if not data.strip():
        raise ValidationError(_("The file is empty."), code="empty")
    return data


def parse(data, *, kind):
    """The root element of the XML document `data` (bytes), or ValidationError
    naming `kind` ("XLIFF", "TMX", "TBX") when it is not well-formed XML or
    declares entities."""
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError) as error:
        line = getattr(error, "lineno", None)
        if line:
            message = _("The file is not a valid %(kind)s file: line %(line)s cannot be read.")
        else:
            message = _("The file is not a valid %(kind)s file.")
        raise ValidationError(message % {"kind": kind, "line": line}, code="malformed") from None
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _entity in dtd.iterentities()):
        raise ValidationError(
            _("The file declares entities of its own, which %(kind)s files never need.")
            % {"kind": kind},
            code="entities",
        )
    return root


def local_name(element):
    """An element's tag without its namespace ("trans-unit")."""
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def namespace_of(element):
    tag = element.tag
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def indent(element, containers, level=0):
    """Put each child of the `containers` (local names) on a line of its own,
    two spaces deeper. Elements holding text are left as they are: white
    space added there would be part of the text."""
    if local_name(element) not in containers or len(element) == 0:
        return
    padding = "\n" + "  " * (level + 1)
    element.text = padding
    for child in element:
        indent(child, containers, level + 1)
        child.tail = padding
    element[-1].tail = "\n" + "  " * level


def serialize(root, *, doctype=None):
    """The document of `root` as UTF-8 bytes with its XML declaration."""
    return etree.tostring(
        root.getroottree(), xml_declaration=True, encoding="UTF-8", doctype=doctype
    ) + (b"\n")


def language_matches(tag, language):
    """Whether the BCP 47 `tag` a file gives ("he", "he-IL", "he_il") is `language`
    (a code of ours: "he", "zh-hans")."""
    tag = (tag or "").strip().replace("_", "-").lower()
    language = language.lower()
    return tag == language or ("-" not in language and tag.split("-")[0] == language)


def bcp47(language):
    """The BCP 47 tag of one of our language codes ("zh-hans" → "zh-Hans")."""
    parts = language.split("-")
    tags = [parts[0]]
    for part in parts[1:]:
        tags.append(part.title() if len(part) == 4 else part.upper() if len(part) == 2 else part)
    return "-".join(tags)
