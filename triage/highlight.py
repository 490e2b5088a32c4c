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
    # The evidence span's number in its document (None for plain text), for links to it.
    number: int | None = None


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
    for number, (start, end) in enumerate(spans(text, evidence)):
        if start > at:
            out.append(Segment(text[at:start], False))
        out.append(Segment(text[start:end], True, number))
        at = end
    if at < len(text):
        out.append(Segment(text[at:], False))
    return out


def cited(text: str, evidence: Iterable[Any], cues: Iterable[str]) -> int | None:
    """The number of the evidence span that states a claim: the first holding one of its `cues`
    (a place name, a number, a perpetrator's alias), else the first span; None without any."""
    found = spans(text, evidence)
    folded = [c.casefold() for c in cues if c]
    for index, (start, end) in enumerate(found):
        sentence = text[start:end].casefold()
        if any(cue in sentence for cue in folded):
            return index
    return 0 if found else None
