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
    """`value` with control characters dropped: for output that cannot carry them
    (XML), whatever was stored before they were refused."""
    return CONTROL.sub("", value)
