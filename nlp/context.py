"""Does a trigger report an event? Its context in the sentence decides.

A violation word reports something that happened only when nothing around it says otherwise.
Two kinds of context are told apart:

- *hard*: the sentence says it did not happen or has not happened: a negation just before the
  trigger ("no one was tortured", "لم يتعرض للتعذيب"), a denial anywhere before it ("denied
  torturing", "نفى ... اختطاف"), or a hypothetical ("could be used to kill", "قد يؤدي إلى").
  The trigger is dropped.
- *soft*: the sentence talks about violations rather than reporting one: a call or demand ("calls
  to investigate torture", "دعا إلى وقف التعذيب"), a general statement ("torture is widespread",
  "بشكل ممنهج"), an organisation's mandate ("monitors and documents killings", "تختص في رصد"),
  legal news (charges, trials, verdicts, courts and prosecutors) or policy news (legislation,
  parliaments, sanctions, arms sales). The trigger counts only when the sentence also anchors it
  in a concrete event: a stated date or a count of victims.

Scope is local: negations reach three tokens back, hypotheticals six, calls eight, and none
crosses a comma, a quotation mark or a clause word ("after", "in which", "بعد", "التي"), so
"calls for the release of those abducted after armed men fired on protesters" keeps "fired".
A legal word governs the acts told after it ("accused of torturing", "المتهمين بقتله") and one
told just before it in its own clause ("the murder trial", "احتجاز شخصين على ذمة قضية"), not an
act the sentence reports before it in another clause: "raided the camp, resulting in the
detention of 80 people, accused of crimes" and "عثر على شاب مقتول داخل سيارته، قيل إن المتهمين
بقتله" report the detention and the death. Policy words still mark the whole sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nlp.text import Token
    from nlp.triggers import Hit

NEGATION_REACH = 3
HYPOTHETICAL_REACH = 6
CALL_REACH = 8
LEGAL_REACH_BACK = 8
SOFT_KINDS = ("general", "mandate", "legal", "policy")
BREAK = re.compile(r"[,;:()\[\]\"“”«»،؛—–]|\s-\s")


@dataclass(frozen=True, slots=True)
class Status:
    hard: str  # "" or why the trigger is dropped: negated | denied | hypothetical
    soft: tuple[str, ...]  # why it needs an anchor: called | general | mandate | legal


def _reaches(cue: Hit, trigger: Hit, reach: int, text: str, boundaries: list[Hit]) -> bool:
    if cue.last >= trigger.first or trigger.first - cue.last > reach:
        return False
    if BREAK.search(text, cue.end, trigger.start):
        return False
    return not any(cue.last < b.first and b.last < trigger.first for b in boundaries)


def _governs(cue: Hit, trigger: Hit, text: str, boundaries: list[Hit]) -> bool:
    """Whether a legal word is told about `trigger` (see the module docstring)."""
    if cue.first <= trigger.first:
        return True
    return _reaches(trigger, cue, LEGAL_REACH_BACK, text, boundaries)


def _month_not_modal(hit: Hit, toks: list[Token], text: str, sentence_start: int) -> bool:
    """'May' written with a capital inside a sentence is the month."""
    return (
        toks[hit.first].text == "may" and text[hit.start].isupper() and hit.start > sentence_start
    )


def classify(
    trigger: Hit, hits: list[Hit], toks: list[Token], text: str, sentence_start: int
) -> Status:
    """The status of `trigger` among the other `hits` of its sentence."""
    boundaries = [h for h in hits if h.has("boundary")]
    hard = ""
    soft: list[str] = []
    for cue in hits:
        if cue is trigger:
            continue
        if cue.has("denial") and cue.last < trigger.first:
            hard = "denied"
        elif cue.has("negation") and _reaches(cue, trigger, NEGATION_REACH, text, boundaries):
            hard = "negated"
        elif (
            cue.has("hypothetical")
            and _reaches(cue, trigger, HYPOTHETICAL_REACH, text, boundaries)
            and not _month_not_modal(cue, toks, text, sentence_start)
        ):
            hard = "hypothetical"
        if (
            cue.has("call")
            and _reaches(cue, trigger, CALL_REACH, text, boundaries)
            and not any(r.has("release") and cue.last < r.first < trigger.first for r in hits)
        ):
            # A call to release people says they are held: "demanded the release of the
            # activist detained on Monday" reports the detention.
            soft.append("called")
    for kind in SOFT_KINDS:
        if any(
            h.has(kind) and (kind != "legal" or _governs(h, trigger, text, boundaries))
            for h in hits
            if h is not trigger
        ):
            soft.append(kind)
    return Status(hard, tuple(dict.fromkeys(soft)))
