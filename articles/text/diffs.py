"""Differences between two versions of a text, for editors: what changed in the source."""

import difflib
import re

# Words and the white space between them, each a unit of its own.
WORD = re.compile(r"\s+|\S+")


def text_diff(before, after):
    """Line-by-line differences from `before` to `after`, with a line of context, the
    changed words of each edited line marked.

    A list of (kind, runs) lines. Kind "changed" is a line edited, its runs
    word_diff's of the line before and after; "added" and "removed" a whole
    line, "context" an unchanged one, each with one run of its own kind; and
    "gap" where unchanged lines are left out.
    """
    old, new = before.splitlines(), after.splitlines()
    lines = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for group in matcher.get_grouped_opcodes(1):
        if lines:
            lines.append(("gap", [("context", "…")]))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [("context", [("context", line)]) for line in old[i1:i2]]
                continue
            # Replaced lines are compared in pairs, word by word; the rest stand whole.
            paired = min(i2 - i1, j2 - j1)
            pairs = zip(old[i1 : i1 + paired], new[j1 : j1 + paired], strict=True)
            for line_before, line_after in pairs:
                lines.append(("changed", word_diff(line_before, line_after)))
            lines += [("removed", [("removed", line)]) for line in old[i1 + paired : i2]]
            lines += [("added", [("added", line)]) for line in new[j1 + paired : j2]]
    return lines


def word_diff(before, after):
    """Word-by-word differences from `before` to `after`, for a short text such as one
    paragraph: a list of (kind, text) runs, kind "added", "removed" or "context".

    White space is kept as units of its own, so joining the "context" and
    "added" runs gives `after` and joining "context" and "removed" gives
    `before`. A lone space both sides share between two changes joins them,
    so a rewritten phrase reads as one change, not word against word.
    """
    old, new = WORD.findall(before), WORD.findall(after)
    opcodes = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    runs, removed, added = [], [], []

    def flush():
        if removed:
            runs.append(("removed", "".join(removed)))
        if added:
            runs.append(("added", "".join(added)))
        removed.clear()
        added.clear()

    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        between_changes = 0 < index < len(opcodes) - 1
        if tag == "equal" and not (between_changes and "".join(old[i1:i2]).isspace()):
            flush()
            runs.append(("context", "".join(old[i1:i2])))
        else:
            removed.extend(old[i1:i2])
            added.extend(new[j1:j2])
    flush()
    return runs
