"""What a reviewer looks at: the segments of a translation that changed since its
job was last approved, each with its word diff against the approved text.

The approved source and translation texts are kept on the job when it is
approved (`Job.approved_texts`); the segments they make are matched to today's
as the workspace matches a translation to its source (text/segments.py): the
single fields by name, the body's blocks by aligning the approved source's
blocks with today's. Before a first approval every translated segment is new.
"""

from dataclasses import dataclass, field

from articles.text import segments
from articles.text.diffs import word_diff
from articles.text.segments import article_segments, segment_texts, split_body


@dataclass
class ReviewRow:
    segment: segments.Segment
    label: str
    # The translation as approved ("" when none was), and the word runs from it to now.
    approved: str
    diff: list
    comments: list = field(default_factory=list)


def approved_targets(job, current):
    """{current segment key: its translation as last approved}, for `current`, the
    segments as they are now."""
    kept = job.approved_texts or {}
    if not kept:
        return {}
    source, target = kept.get("source", {}), kept.get("target", {})
    approved, _dropped = segment_texts(source, target, None)
    by_key = {segment.key: segment for segment in approved}
    old_blocks = split_body(source.get("body") or "")
    new_blocks = [segment.block for segment in current if segment.block is not None]
    matches = segments.align(old_blocks, new_blocks)
    found = {}
    for segment in current:
        if segment.block is None:
            if segment.key in by_key:
                found[segment.key] = by_key[segment.key].target
        elif (old := matches.get(segment.number - 1)) is not None:
            found[segment.key] = by_key[f"body.{old + 1}"].target
    return found


def changed_since_approval(article, job, comments=None):
    """The rows a reviewer of `job` sees: each segment whose translation differs from
    the approved one (every translated segment before a first approval), with
    `comments` ({segment key: [JobEvent]}) beside it."""
    current = article_segments(article, job.language).segments
    approved = approved_targets(job, current)
    rows = []
    for segment in current:
        if segment.is_fixed or not segment.target:
            continue
        before = approved.get(segment.key, "")
        if before == segment.target:
            continue
        rows.append(
            ReviewRow(
                segment=segment,
                label=segments.label(segment.key, segment.kind),
                approved=before,
                diff=word_diff(before, segment.target),
                comments=(comments or {}).get(segment.key, []),
            )
        )
    return rows
