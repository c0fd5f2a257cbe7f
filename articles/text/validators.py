"""Checks on what editors type, applied to every text whatever path it takes in."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# C0 and C1 control characters and DEL: invisible, and some (a vertical tab,
# an escape) are not allowed in XML at all, so one would break the feed.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
LINE_BREAK_OR_TAB = re.compile("[\t\n]")
# Bidirectional embeddings, overrides and isolates (LRE…RLO, LRI…PDI): one left
# open turns around the rest of its line wherever the text is shown (a card's
# byline, the page's title), and the site isolates Latin and Hebrew itself.
# The marks (LRM, RLM, ALM) only nudge a neighbouring character and stay allowed.
DIRECTION_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Code points that are no characters: surrogates (halves of a pair, never alone
# in text), U+FFFE and U+FFFF, which XML 1.0 cannot carry at all (a feed with
# one is not well-formed), and the other noncharacters (U+FDD0–U+FDEF, the last
# two of every plane), which Unicode keeps for programs' own use, never for text.
NONCHARACTER = re.compile(
    "[\ud800-\udfff\ufdd0-\ufdef"
    + "".join(
        f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0, 0x110000, 0x10000)
    )
    + "]"
)


def validate_text(value):
    """Refuse control characters and direction controls; line breaks and tabs are
    fine in a text of several lines."""
    if match := CONTROL.search(value):
        raise ValidationError(
            _(
                "Remove the invisible control character (U+%(code)04X) at position "
                "%(position)d: it cannot be shown or sent in a feed."
            ),
            code="control_character",
            params={"code": ord(match.group()), "position": match.start() + 1},
        )
    if match := NONCHARACTER.search(value):
        raise ValidationError(
            _(
                "Remove U+%(code)04X at position %(position)d: it is not a character, "
                "cannot be shown and cannot be sent in a feed."
            ),
            code="noncharacter",
            params={"code": ord(match.group()), "position": match.start() + 1},
        )
    if match := DIRECTION_CONTROL.search(value):
        raise ValidationError(
            _(
                "Remove the invisible direction control (U+%(code)04X) at position "
                "%(position)d: it can turn around the text after it. To mark a "
                "phrase's direction in a body, use <bdi>."
            ),
            code="direction_control",
            params={"code": ord(match.group()), "position": match.start() + 1},
        )


def validate_single_line(value):
    """Refuse control characters, line breaks and tabs included: the text is one line."""
    validate_text(value)
    if LINE_BREAK_OR_TAB.search(value):
        raise ValidationError(
            _("Write this on one line, without line breaks or tabs."), code="line_break"
        )


def without_control_characters(value):
    """`value` without control characters and noncharacters: for output that cannot
    carry them (XML), whatever was stored before they were refused."""
    return NONCHARACTER.sub("", CONTROL.sub("", value))
