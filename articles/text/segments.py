"""An article cut into the units a translator works on, each with its status.

The segments of an article are its title, lede, meta description and image
alt text, then its body's blocks: each heading, paragraph, quotation and list
item. A `[figure]` line or a fenced code block is a fixed block: it is carried
into every translation as it stands, and never translated.

The source is the article's own language (`Article.source_language`). A
translation keeps, in `Article.translation_sources[language]`, the source
texts it was last saved against. Its body there is made of the source blocks
its target blocks were translated from, one for one and in the same order, so
the n-th block of the target was translated from the n-th block kept there.
The source as it is now is aligned with that kept copy (a diff of block
sequences), which is how each current source block finds its translation:

- unchanged: *translated*;
- edited: *needs update*, with the source's old and new text;
- new (inserted): *missing*, in its place;
- moved: found by its text, still *translated*;
- removed: its translation has no source any more and is dropped on the next save.

A target text filled in by machine translation or from the memory, which no
person has confirmed yet, is listed in `Article.unconfirmed[language]` as its
field and text: a segment holding exactly that text *needs review*, whatever
its source, until someone confirms or changes it.

Pure functions on texts, no database: `article_segments` reads an article's
fields, `translated_fields` gives the fields and sources to save.
"""

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .diffs import word_diff

# The article's fields that are one segment each, before the body's blocks.
SINGLE_FIELDS = ("title", "lede", "meta_description", "image_alt", "image_caption")
FIXED_KINDS = ("figure", "code")
# How alike an edited block must be to its old text, when blocks were added or
# removed around it, to count as the same block edited rather than another one.
EDITED_RATIO = 0.5

HEADING = re.compile(r"(#{1,6})[ \t]+(.*)")
LIST_ITEM = re.compile(r"([ \t]{0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+)(.*)")
QUOTE_LINE = re.compile(r">[ \t]?(.*)")
# Lines that open a block of their own in Markdown wherever they stand, even
# inside a paragraph (Python-Markdown finds a heading or a quotation there), or
# turn the line above into a heading or a rule: in a segment's translation they
# would add blocks to the body or change their kind.
BLOCK_OPENING_LINE = re.compile(
    r"[ \t]{0,3}(?:#{1,6}(?:[ \t]|$)|>|```|~~~|\[figure\][ \t]*$|(?:[-=*_][ \t]*)+$)"
)


# The names of the single-field segments, as the article's fields are called.
FIELD_LABELS = {
    "title": gettext_lazy("title"),
    "lede": gettext_lazy("lede"),
    "meta_description": gettext_lazy("meta description"),
    "image_alt": gettext_lazy("image alt text"),
    "image_caption": gettext_lazy("image caption"),
}

KINDS = {
    "heading": gettext_lazy("heading"),
    "paragraph": gettext_lazy("paragraph"),
    "quote": gettext_lazy("quotation"),
    "item": gettext_lazy("list item"),
    "figure": gettext_lazy("figure"),
    "code": gettext_lazy("code block"),
}


class Status:
    TRANSLATED = "translated"
    MISSING = "missing"
    NEEDS_UPDATE = "needs_update"
    NEEDS_REVIEW = "needs_review"
    FIXED = "fixed"


@dataclass(frozen=True)
class Block:
    """One block of a Markdown body: its kind, the markup opening it ("## ", "> ",
    "- ") and its text without that markup. `joined`: it follows the block before
    it on the next line, as an item of the same list does."""

    kind: str
    prefix: str = ""
    text: str = ""
    joined: bool = False

    @property
    def is_fixed(self):
        return self.kind in FIXED_KINDS

    def markdown(self):
        if self.kind == "quote":
            return "\n".join(f"> {line}".rstrip() for line in self.text.split("\n"))
        if self.kind == "item":
            indent = "\n" + " " * len(self.prefix)
            return self.prefix + indent.join(self.text.split("\n"))
        return self.prefix + self.text

    def with_text(self, text, *, joined=None):
        return Block(self.kind, self.prefix, text, self.joined if joined is None else joined)


def split_body(body):
    """The blocks of a Markdown body, in order."""
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks = []
    index = 0
    previous_blank = True
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        if not stripped:
            index += 1
            previous_blank = True
            continue
        if stripped.startswith("```"):
            end = index + 1
            while end < len(lines) and not lines[end].strip().startswith("```"):
                end += 1
            blocks.append(Block("code", text="\n".join(lines[index : end + 1])))
            index = end + 1
        elif stripped == "[figure]":
            blocks.append(Block("figure", text="[figure]"))
            index += 1
        elif heading := HEADING.fullmatch(line):
            blocks.append(Block("heading", heading.group(1) + " ", heading.group(2).strip()))
            index += 1
        elif QUOTE_LINE.match(line):
            quoted = []
            while index < len(lines) and (match := QUOTE_LINE.match(lines[index])):
                quoted.append(match.group(1).rstrip())
                index += 1
            blocks.append(Block("quote", "> ", "\n".join(quoted).strip()))
        elif item := LIST_ITEM.fullmatch(line):
            prefix = item.group(1).lstrip()
            text = [item.group(2).strip()]
            index += 1
            while index < len(lines) and lines[index].strip():
                if LIST_ITEM.fullmatch(lines[index]):
                    break
                text.append(lines[index].strip())
                index += 1
            joined = not previous_blank and bool(blocks) and blocks[-1].kind == "item"
            blocks.append(Block("item", prefix, "\n".join(text), joined))
            previous_blank = False
            continue
        else:
            paragraph = []
            while index < len(lines) and lines[index].strip():
                paragraph.append(lines[index].strip())
                index += 1
            blocks.append(Block("paragraph", text="\n".join(paragraph)))
        previous_blank = False
    return blocks


def join_body(blocks):
    """The Markdown body made of `blocks`: blank lines between them, one line break
    between items of the same list."""
    parts = []
    for number, block in enumerate(blocks):
        if number:
            parts.append("\n" if block.joined else "\n\n")
        parts.append(block.markdown())
    return "".join(parts)


def align(old, new):
    """Which of the `old` blocks each of the `new` blocks is: {new index: old index}.

    Blocks equal in kind and text match first where the order kept them (a
    diff), then wherever they are (a moved block). Of the blocks left between
    two matches, a block is the same as an old one there edited when the two
    ranges are as long, in order, or else when its text is alike enough.
    """
    old_keys = [(block.kind, block.text) for block in old]
    new_keys = [(block.kind, block.text) for block in new]
    matcher = SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    matches = {}
    changed_ranges = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            matches.update({j1 + k: i1 + k for k in range(i2 - i1)})
        else:
            changed_ranges.append((i1, i2, j1, j2))
    unmatched_old = [i for i in range(len(old)) if i not in matches.values()]
    for j in range(len(new)):
        if j in matches:
            continue
        moved = next((i for i in unmatched_old if old_keys[i] == new_keys[j]), None)
        if moved is not None:
            matches[j] = moved
            unmatched_old.remove(moved)
    for i1, i2, j1, j2 in changed_ranges:
        olds = [i for i in range(i1, i2) if i in unmatched_old]
        news = [j for j in range(j1, j2) if j not in matches]
        if len(olds) == len(news):
            pairs = [(i, j) for i, j in zip(olds, news, strict=True) if old[i].kind == new[j].kind]
        else:
            pairs, start = [], 0
            for j in news:
                for position in range(start, len(olds)):
                    i = olds[position]
                    if old[i].kind == new[j].kind and similar(old[i].text, new[j].text):
                        pairs.append((i, j))
                        start = position + 1
                        break
        for i, j in pairs:
            matches[j] = i
            unmatched_old.remove(i)
    return matches


def similar(before, after):
    return SequenceMatcher(None, before, after, autojunk=False).ratio() >= EDITED_RATIO


def pair_by_position(kept, target):
    """Which target block was translated from each kept source block: {kept index: target block}.

    A translation saved here has its blocks one for one with the kept source;
    one edited elsewhere may not, and is then paired by the sequence of kinds.
    """
    if len(kept) == len(target):
        return dict(enumerate(target))
    matcher = SequenceMatcher(
        None, [block.kind for block in kept], [block.kind for block in target], autojunk=False
    )
    pairs = {}
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("equal", "replace"):
            for k in range(min(i2 - i1, j2 - j1)):
                pairs[i1 + k] = target[j1 + k]
    return pairs


@dataclass
class Segment:
    """One unit to translate: a field, or a block of the body."""

    key: str
    field: str
    kind: str
    source: str
    target: str = ""
    # The source text the target was translated from; None when there is no target.
    worked_from: str | None = None
    status: str = Status.MISSING
    block: Block | None = None
    # Its place among the body's blocks, from 1, for labels.
    number: int = 0
    # For a segment needing review: where its text came from (an entry of
    # Article.unconfirmed: field, text, origin, detail, at).
    review: dict | None = None
    # Filled in by the workspace: checks, terms, suggestions.
    extra: dict = field(default_factory=dict)

    @property
    def is_fixed(self):
        return self.status == Status.FIXED

    @property
    def needs_work(self):
        return self.status in (Status.MISSING, Status.NEEDS_UPDATE, Status.NEEDS_REVIEW)

    def source_diff(self):
        """Word runs from the source the target was made from to the source now."""
        if self.status != Status.NEEDS_UPDATE:
            return []
        return word_diff(self.worked_from or "", self.source)


@dataclass
class Segmented:
    """An article's segments in one target language, and the translations whose
    source blocks were removed (dropped when the translation is next saved)."""

    language: str
    segments: list
    dropped: list
    # The texts segmented, by field name: the source's and the target's.
    source_texts: dict = field(default_factory=dict)
    target_texts: dict = field(default_factory=dict)

    def counted(self):
        return [segment for segment in self.segments if not segment.is_fixed]

    def progress(self):
        """(segments translated and up to date, segments to translate)."""
        counted = self.counted()
        done = sum(segment.status == Status.TRANSLATED for segment in counted)
        return done, len(counted)

    def by_key(self):
        return {segment.key: segment for segment in self.segments}


def segment_texts(source_texts, target_texts, kept, *, unconfirmed=()):
    """The segments of a translation from its texts, each a dict of field name to text.

    `kept` is what the translation was last saved against (`translation_sources`
    of its language), or None when nothing is known: the target is then taken
    as made from the source as it is now. `unconfirmed` lists the texts filled
    in for review (`Article.unconfirmed[language]`).
    """
    segments = []
    for name in SINGLE_FIELDS:
        source = source_texts.get(name) or ""
        if not source:
            continue
        target = target_texts.get(name) or ""
        worked_from = (kept or {}).get(name, source) if target else None
        segments.append(Segment(name, name, name, source, target, worked_from))
    source_blocks = split_body(source_texts.get("body") or "")
    target_blocks = split_body(target_texts.get("body") or "")
    kept_blocks = split_body(kept["body"]) if kept and "body" in kept else source_blocks
    made_from = pair_by_position(kept_blocks, target_blocks)
    matches = align(kept_blocks, source_blocks)
    for number, block in enumerate(source_blocks):
        segment = Segment(f"body.{number + 1}", "body", block.kind, block.text, block=block)
        segment.number = number + 1
        if block.is_fixed:
            segment.target = block.text
        elif (kept_index := matches.get(number)) is not None and made_from.get(kept_index):
            segment.target = made_from[kept_index].text
            segment.worked_from = kept_blocks[kept_index].text
        segments.append(segment)
    reviews = {(entry["field"], entry["text"]): entry for entry in unconfirmed}
    for segment in segments:
        segment.status = status_of(segment)
        if segment.target and segment.status != Status.FIXED:
            segment.review = reviews.get((segment.field, segment.target))
            if segment.review is not None and segment.status == Status.TRANSLATED:
                segment.status = Status.NEEDS_REVIEW
    used = {matches[j] for j in matches}
    dropped = [
        made_from[i].text
        for i in sorted(made_from)
        if i not in used and not kept_blocks[i].is_fixed and made_from[i].text
    ]
    return segments, dropped


def holds(texts, field, text):
    """Whether the texts (by field name) hold `text` as field `field` or, for the
    body, as one of its blocks."""
    if field == "body":
        return any(block.text == text for block in split_body(texts.get("body") or ""))
    return (texts.get(field) or "") == text


def status_of(segment):
    if segment.block is not None and segment.block.is_fixed:
        return Status.FIXED
    if not segment.target:
        return Status.MISSING
    if segment.worked_from is not None and segment.worked_from != segment.source:
        return Status.NEEDS_UPDATE
    return Status.TRANSLATED


def article_segments(article, language):
    """`article`'s segments for its translation into `language`, from its source language."""
    source = article.texts_in(article.source_language)
    target = article.texts_in(language)
    kept = article.translation_sources.get(language)
    unconfirmed = article.unconfirmed_in(language)
    segments, dropped = segment_texts(source, target, kept, unconfirmed=unconfirmed)
    return Segmented(language, segments, dropped, source, target)


def block_problems(segmented, texts):
    """Messages naming each body segment whose new text in `texts` (by key) is not
    one block of the segment's kind, as a translation must be: the markup around
    it is the source's, and the body keeps the source's blocks."""
    problems = []
    for segment in segmented.segments:
        text = texts.get(segment.key)
        if segment.block is None or segment.is_fixed or not text or text == segment.target:
            continue
        if not is_one_block(segment.block, text):
            kind = KINDS.get(segment.kind, segment.kind)
            problems.append(
                _(
                    "“%(segment)s”: the translation of one %(kind)s is one %(kind)s, "
                    "without blank lines, headings, quotations, list items, [figure] "
                    "lines or code fences of its own."
                )
                % {"segment": label(segment.key, segment.kind), "kind": kind}
            )
    return problems


def is_one_block(block, text):
    """Whether `text` in place of `block`'s text leaves it one block of its kind."""
    shown = block.with_text(text, joined=False).markdown()
    if [(found.kind, found.text) for found in split_body(shown)] != [(block.kind, text)]:
        return False
    lines = text.split("\n")
    # A quotation may hold paragraphs; its translation as many as its source.
    blank = sum(not line.strip() for line in lines)
    if blank > sum(not line.strip() for line in block.text.split("\n")):
        return False
    return not any(BLOCK_OPENING_LINE.match(line) for line in lines)


def translated_fields(segmented, texts, *, confirmed=(), made_from=None):
    """The target fields and what they were translated from, after a translator's work.

    `texts` maps segment keys to the new target texts (a key left out keeps its
    text); `confirmed` names segments marked as still correct for the source as
    it is now; `made_from` maps keys to the source text a translation was made
    from when older than today's (a translator's file). Returns
    (fields, kept): the target texts by field name, and the dict to keep as
    `translation_sources[language]`. A segment left empty is left out of the
    body, and stays missing.
    """
    made_from = made_from or {}
    fields, kept = {}, {}
    body, body_kept, emitted = [], [], []
    for position, segment in enumerate(segmented.segments):
        target = texts.get(segment.key, segment.target).strip()
        if segment.is_fixed:
            target = segment.source
        if segment.key in made_from:
            worked_from = made_from[segment.key]
        elif (
            target != segment.target
            or segment.key in confirmed
            or segment.status != Status.NEEDS_UPDATE
        ):
            worked_from = segment.source
        else:
            worked_from = segment.worked_from
        if segment.block is None:
            fields[segment.field] = target
            kept[segment.field] = worked_from if target else segment.source
            continue
        if not target:
            continue
        joined = segment.block.joined and emitted and emitted[-1] == position - 1
        body.append(segment.block.with_text(target, joined=joined))
        body_kept.append(segment.block.with_text(worked_from, joined=joined))
        emitted.append(position)
    # Texts are kept as typed where the blocks are the same, so that a translation
    # saved unchanged is unchanged, and one made from the whole source as it is
    # keeps that source, which makes it complete.
    target_body = segmented.target_texts.get("body") or ""
    fields["body"] = target_body if split_body(target_body) == body else join_body(body)
    source_body = segmented.source_texts.get("body") or ""
    kept["body"] = source_body if split_body(source_body) == body_kept else join_body(body_kept)
    for name, text in segmented.source_texts.items():
        kept.setdefault(name, text)
    return fields, kept


def made_from_after_edit(source_texts, before, after, kept):
    """What a translation edited field by field (the change form) was made from, as
    `translation_sources[language]` keeps it; None when the edit cannot be told
    segment by segment.

    `before` and `after` are the translation's texts as loaded and as saved,
    `kept` what it was made from until now. A segment whose text the editor
    changed was made from today's source; one left as it was keeps what it was
    made from, so fixing the title does not mark a paragraph that needs an
    update as up to date. When the body's blocks were added, removed or
    rearranged there is no telling which block is which, and the caller takes
    the whole translation as made from today's source.
    """
    segments, dropped = segment_texts(source_texts, before, kept)
    before_blocks = split_body(before.get("body") or "")
    after_blocks = split_body(after.get("body") or "")
    if dropped or len(before_blocks) != len(after_blocks):
        return None
    texts = {}
    # The translation's blocks stand for the segments in their order.
    remaining = iter(enumerate(before_blocks))
    for segment in segments:
        if segment.block is None:
            texts[segment.key] = after.get(segment.field) or ""
        elif segment.target:
            index = next((i for i, block in remaining if block.text == segment.target), None)
            if index is None:
                return None
            texts[segment.key] = after_blocks[index].text
    fields, made_from = translated_fields(
        Segmented("", segments, dropped, source_texts, before), texts
    )
    unchanged = all(fields.get(name, "") == (after.get(name) or "") for name in SINGLE_FIELDS)
    if not unchanged or outline(split_body(fields["body"])) != outline(after_blocks):
        return None
    return made_from


def outline(blocks):
    return [(block.kind, block.text) for block in blocks]


def label(key, kind):
    """ "title", "3 · paragraph": a segment's name on the page and in the history."""
    if key.startswith("body."):
        return _("%(number)s · %(kind)s") % {"number": key[5:], "kind": KINDS.get(kind, kind)}
    return str(FIELD_LABELS[key])
