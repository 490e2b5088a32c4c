"""Evidence sentences located in the document text, as plain segments for the template to escape.

Offsets come from the candidate's evidence; when the stored text no longer matches them (the
text was re-extracted since), the evidence text itself is looked up, and dropped if absent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Iterable


class Segment(NamedTuple):
    text: str
    evidence: bool


def spans(text: str, evidence: Iterable[Any]) -> list[tuple[int, int]]:
    """Valid, merged (start, end) spans of `evidence` inside `text`."""
    found: list[tuple[int, int]] = []
    for ev in evidence:
        if not isinstance(ev, dict):
            continue
        start, end, quoted = ev.get("start"), ev.get("end"), ev.get("text")
        if (
            isinstance(start, int)
            and isinstance(end, int)
            and 0 <= start < end <= len(text)
            and (not isinstance(quoted, str) or text[start:end] == quoted)
        ):
            found.append((start, end))
        elif isinstance(quoted, str) and quoted and (at := text.find(quoted)) >= 0:
            found.append((at, at + len(quoted)))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def segments(text: str, evidence: Iterable[Any]) -> list[Segment]:
    """`text` cut into alternating plain and evidence segments, in order, covering all of it."""
    out: list[Segment] = []
    at = 0
    for start, end in spans(text, evidence):
        if start > at:
            out.append(Segment(text[at:start], False))
        out.append(Segment(text[start:end], True))
        at = end
    if at < len(text):
        out.append(Segment(text[at:], False))
    return out
