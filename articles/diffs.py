"""Differences between two versions of a text, for editors: what changed in the source."""

import difflib


def text_diff(before, after):
    """Line-by-line differences from `before` to `after`, with a line of context.

    A list of (kind, line) pairs, kind being "added", "removed", "context", or
    "gap" where unchanged lines are left out.
    """
    changes = []
    for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=1):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            if changes:
                changes.append(("gap", "…"))
            continue
        kind = {"+": "added", "-": "removed"}.get(line[:1], "context")
        changes.append((kind, line[1:]))
    return changes
