"""Wordings of violent acts that the trigger lexicon reads: crucifixion and beheading.

The sentences are paraphrases written for these tests, each after a pattern of the annotated
corpus's training folds (the document cited beside it), not corpus text.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.nlp.rules import rules_incidents

PUB = date(2023, 5, 10)


def rule_types(text: str, language: str) -> set[str]:
    return {t for i in rules_incidents(text, language, PUB) for t in i.types}


def killed(text: str, language: str) -> list[int | None]:
    return [i.counts.killed for i in rules_incidents(text, language, PUB)]


@pytest.mark.parametrize(
    ("text", "language", "count"),
    [
        # dv-b-015: an armed group crucified and beheaded residents of a town.
        ("أقدم مسلحون على صلب خمسة أشخاص وقطع رؤوسهم في درنة يوم 3 مايو 2023.", "ar", 5),
        ("قال شهود إن التنظيم صلبهم وفصل رؤوسهم في سرت يوم 3 مايو 2023.", "ar", None),
        # dv-d-022: the English wording of the same acts.
        ("Militants beheaded three men in Sirte on 3 May 2023.", "en", 3),
        ("The group crucified four residents in Sirte on 3 May 2023.", "en", 4),
        ("Residents found two headless bodies in Derna on 3 May 2023.", "en", 2),
    ],
)
def test_crucifixion_and_beheading_are_killings(text: str, language: str, count: int) -> None:
    assert rule_types(text, language) == {"killing"}
    if count is not None:
        assert killed(text, language) == [count]


@pytest.mark.parametrize(
    "text",
    [
        # صلب is also steel and the core of a matter: only its act forms are triggers.
        "تعد صناعة الحديد الصلب في مصراتة من أهم الصناعات.",
        "ناقش المجلس في صلب اجتماعه يوم 3 مايو 2023 أوضاع النازحين في سرت.",
    ],
)
def test_steel_and_core_are_no_crucifixion(text: str) -> None:
    assert "killing" not in rule_types(text, "ar")
