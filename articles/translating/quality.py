"""Quality checks of one translated segment against its source: what must carry over
whatever the language (numbers, links, inline marks), and a translation that is
the source pasted unchanged. They warn; they never stop a save.

Pure functions: texts in, issues (articles.translating.terms.Issue) out.
"""

import re
from collections import Counter

from django.utils.translation import gettext as _

from .terms import Issue

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
LINK = re.compile(r"\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)|<(https?://[^>\s]+)>")
MARKS = {
    # Pairs of the mark, each counted once the others are taken out.
    "code": re.compile(r"`[^`\n]+`"),
    "bold": re.compile(r"\*\*[^*\n]+\*\*|__[^_\n]+__"),
    "emphasis": re.compile(r"(?<![*\w])\*[^*\n]+\*(?!\*)|(?<![_\w])_[^_\n]+_(?![_\w])"),
}
# A source shorter than this many words may well stay as it is (a name, "SaaS").
UNTRANSLATED_MIN_WORDS = 3


def numbers(text):
    """The numbers in `text`, with their digits only: "1.000" and "1,000" are alike."""
    return Counter(re.sub(r"[.,]", "", number) for number in NUMBER.findall(LINK.sub(" ", text)))


def links(text):
    return Counter(inline or auto for inline, auto in LINK.findall(text))


def marks(text):
    counts = {}
    for name, pattern in MARKS.items():
        counts[name] = len(pattern.findall(text))
        text = pattern.sub(" ", text)
    return counts


def listed(counter):
    return ", ".join(sorted(counter.elements())) or "—"


def check(source, target):
    """What in `target`, the translation of `source`, does not carry the source over."""
    if not target or not source:
        return []
    issues = []
    if numbers(source) != numbers(target):
        issues.append(
            Issue(
                "numbers",
                _("The numbers differ: %(source)s in the source, %(target)s here.")
                % {"source": listed(numbers(source)), "target": listed(numbers(target))},
            )
        )
    source_links, target_links = links(source), links(target)
    if sum(source_links.values()) != sum(target_links.values()):
        issues.append(
            Issue(
                "link_count",
                _("The source has %(source)s links, the translation %(target)s.")
                % {"source": sum(source_links.values()), "target": sum(target_links.values())},
            )
        )
    elif source_links != target_links:
        issues.append(
            Issue(
                "link_targets",
                _("The links lead elsewhere than the source's: %(targets)s.")
                % {"targets": listed(source_links)},
            )
        )
    source_marks, target_marks = marks(source), marks(target)
    names = {"bold": _("bold"), "emphasis": _("emphasis"), "code": _("code")}
    for name, label in names.items():
        if source_marks[name] != target_marks[name]:
            issues.append(
                Issue(
                    f"marks_{name}",
                    _("Marked as %(mark)s: %(source)s in the source, %(target)s here.")
                    % {"mark": label, "source": source_marks[name], "target": target_marks[name]},
                )
            )
    if is_pasted(source, target):
        issues.append(Issue("untranslated", _("This is the source text, not yet translated.")))
    return issues


def is_pasted(source, target):
    """Whether `target` is `source` unchanged, for a source long enough to need translating."""
    words = re.findall(r"[^\W\d_]{2,}", source)
    if len(words) < UNTRANSLATED_MIN_WORDS:
        return False
    return " ".join(source.casefold().split()) == " ".join(target.casefold().split())
