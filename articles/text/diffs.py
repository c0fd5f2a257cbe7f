"""Differences between two versions of a text, for editors: what changed in the source."""

import difflib
import re

# Words and the white space between them, each a unit of its own.
WORD = re.compile(r"\s+|\S+")


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


def word_diff(before, after):
    """Word-by-word differences from `before` to `after`, for a short text such as one
    paragraph: a list of (kind, text) runs, kind "added", "removed" or "context".

    White space is kept as units of its own, so joining the "context" and
    "added" runs gives `after` and joining "context" and "removed" gives `before`.
    """
    old, new = WORD.findall(before), WORD.findall(after)
    runs = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            runs.append(("context", "".join(old[i1:i2])))
            continue
        if i2 > i1:
            runs.append(("removed", "".join(old[i1:i2])))
        if j2 > j1:
            runs.append(("added", "".join(new[j1:j2])))
    return runs
