"""The published schemas of the exchange formats (tests/data/schemas), loaded with
lxml, offline: `validate(kind, data)` returns the schema's complaints, none when
the file is valid."""

from functools import cache
from pathlib import Path

from lxml import etree

FOLDER = Path(__file__).parent / "data" / "schemas"
SCHEMAS = {
    "xliff-1.2": FOLDER / "xliff-1.2" / "xliff-core-1.2-strict.xsd",
    "xliff-2.0": FOLDER / "xliff-2.0" / "xliff-core-2.0.xsd",
    "tbx": FOLDER / "tbx" / "tbx-core.xsd",
}
TMX_DTD = FOLDER / "tmx-1.4b" / "tmx14.dtd"


class W3CSchemaHere(etree.Resolver):
    """The XLIFF 1.2 schema imports xml.xsd from the W3C's site: this copy instead."""

    def resolve(self, url, pubid, context):
        if url == "http://www.w3.org/2001/xml.xsd":
            return self.resolve_filename(str(FOLDER / "xliff-1.2" / "xml.xsd"), context)
        return None


@cache
def schema(kind):
    if kind == "tmx":
        return etree.DTD(str(TMX_DTD))
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(W3CSchemaHere())
    return etree.XMLSchema(etree.parse(str(SCHEMAS[kind]), parser))


def validate(kind, data):
    """The errors of `kind`'s schema ("xliff-1.2", "xliff-2.0", "tmx", "tbx") on `data`."""
    checker = schema(kind)
    valid = checker.validate(etree.fromstring(data, etree.XMLParser(no_network=True)))
    return [] if valid else [str(error) for error in checker.error_log]
