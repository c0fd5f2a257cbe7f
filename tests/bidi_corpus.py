"""The mixed-direction corpus (tests/data/bidi_corpus.toml) and how its "reads"
notation is compared: for tests/test_bidi_corpus.py and tests/browser/test_bidi_corpus.py."""

import re
import tomllib
from pathlib import Path

CORPUS = tomllib.loads((Path(__file__).parent / "data" / "bidi_corpus.toml").read_text())["case"]
ISLAND = re.compile(r"\[\[(.+?)\]\](?!\])")
WHITESPACE = re.compile(r"\s+")


def normalized(units):
    """[(text, shown left to right)] with spaces left out, runs of one character
    as plain text and neighbouring plain texts joined, so that two spellings of
    one order compare equal."""
    result = []
    for text, is_island in units:
        text = WHITESPACE.sub("", text)
        is_island = is_island and len(text) > 1
        if not text:
            continue
        if result and not is_island and not result[-1][1]:
            result[-1] = (result[-1][0] + text, False)
        else:
            result.append((text, is_island))
    return result


def reading_units(reads):
    """A case's `reads`, right to left, as normalized [(text, shown left to right)]."""
    units, end = [], 0
    for match in ISLAND.finditer(reads):
        units += [(reads[end : match.start()], False), (match.group(1), True)]
        end = match.end()
    units.append((reads[end:], False))
    return normalized(units)


def written(units):
    """Normalized units in the corpus's notation, for messages."""
    return " ".join(f"[[{text}]]" if is_island else text for text, is_island in units)
