"""Sentence splitting of hard-wrapped text: lines copied from print or PDF layouts break inside
sentences, which must not part an act from its victim, place and day; headlines, datelines and
headings stay sentences of their own.

The sentences are written for these tests after the shape of two training documents whose lines
break mid-clause (dv-e-019 and dv-e-027).
"""

from __future__ import annotations

from datetime import date

from nlp import analyse
from nlp.text import sentences

PUB = date(2024, 3, 14)


def _sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentences(text)]


# A wrapped body: lines ending on "في" and on a comma cannot end a sentence, and the document's
# habit then carries its other open lines on too.
WRAPPED = (
    "خطف مسلحون مجهولون الناشط الحقوقي سالم من منزله في\n"
    "حي الدهماني بطرابلس مساء الثلاثاء، بحسب ما أفادت\n"
    "عائلته.\n"
    "وطالبت العائلة،\n"
    "بالكشف عن مصيره.\n"
)


def test_a_line_that_cannot_end_a_sentence_does_not_split_it() -> None:
    assert _sentences(WRAPPED) == [
        "خطف مسلحون مجهولون الناشط الحقوقي سالم من منزله في\n"
        "حي الدهماني بطرابلس مساء الثلاثاء، بحسب ما أفادت\n"
        "عائلته.",
        "وطالبت العائلة،\nبالكشف عن مصيره.",
    ]


def test_a_hard_wrapped_act_keeps_its_place_and_day() -> None:
    (incident,) = analyse(WRAPPED, "ar", PUB).incidents
    assert incident.location is not None and incident.location.name_ar == "طرابلس"
    assert incident.date is not None and str(incident.date.start) == "2024-03-12"
    (ev,) = incident.evidence
    assert WRAPPED[ev.start : ev.end] == ev.text
    assert ev.text.startswith("خطف") and ev.text.endswith("عائلته.")


def test_a_wrapped_document_keeps_its_headline_and_dateline_apart() -> None:
    # dv-e-027's shape: blank lines stand between the pieces, and two-word lines opening with
    # "و" are cut out of their sentence.
    text = (
        "مسلحون يخطفون طبيبا في طرابلس\n\n"
        "الخميس 14 مارس 2024\n\n"
        "نظم أطباء المستشفى وقفة احتجاجية تنديدا باختطاف زميلهم الطبيب سالم من\n\n"
        "منزله في طرابلس منذ يومين.\n\n"
        "وطالب الأطباء\n\n"
        "بالكشف عن مصيره، ومحاسبة المتورطين في\n\n"
        "اختطافه.\n"
    )
    assert _sentences(text) == [
        "مسلحون يخطفون طبيبا في طرابلس",
        "الخميس 14 مارس 2024",
        "نظم أطباء المستشفى وقفة احتجاجية تنديدا باختطاف زميلهم الطبيب سالم من\n\n"
        "منزله في طرابلس منذ يومين.",
        "وطالب الأطباء\n\nبالكشف عن مصيره، ومحاسبة المتورطين في\n\nاختطافه.",
    ]


def test_open_lines_of_a_document_that_is_not_wrapped_end_their_sentences() -> None:
    # A headline, a heading and a paragraph left without its full stop: nothing shows a line
    # going on into the next.
    text = (
        "مقتل شاب برصاص مجهولين في سبها\n"
        "قتل مسلحون مجهولون شابا في سبها مساء الثلاثاء\n"
        "ردود فعل\n"
        "وطالب المجلس البلدي بفتح تحقيق في الحادثة.\n"
    )
    assert len(sentences(text)) == 4
