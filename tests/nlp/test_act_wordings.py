"""Wordings of violent acts that the trigger lexicon reads: crucifixion and beheading, people
made to leave their homes, a death in prison, what an investigation revealed.

The sentences are paraphrases written for these tests, each after a pattern of the annotated
corpus's training folds (the document cited beside it), not corpus text.
"""

from __future__ import annotations

import pytest

from tests.nlp.rules import PUB, rule_types, rules_incidents


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


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # dv-a-021, dv-e-005: gunmen raid a camp of displaced families and make them leave it.
        (
            "داهم مسلحون مخيما للنازحين في طرابلس يوم 3 مايو 2023"
            " وأجبروا عشرات العائلات على مغادرة المخيم.",
            "ar",
        ),
        (
            "اقتحمت قوة مسلحة المخيم فجر يوم 3 مايو 2023 في طرابلس حيث أرغمت سكانه على الخروج منه.",
            "ar",
        ),
        (
            "Gunmen stormed the camp in Tripoli on 3 May 2023 and forced dozens of families"
            " to leave their homes.",
            "en",
        ),
    ],
)
def test_people_made_to_leave_are_displaced(text: str, language: str) -> None:
    assert "forced_displacement" in rule_types(text, language)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # Leaving is no displacement unless someone forced it.
        ("قررت العائلات على مغادرة المخيم في طرابلس يوم 3 مايو 2023 بعد تحسن الأوضاع.", "ar"),
        ("Many families chose to leave their homes in Tripoli on 3 May 2023 for the coast.", "en"),
        # Fighters driven out of a town, or a body made to speak, are not displaced people.
        ("أجبرت قوات الجيش عناصر التنظيم على الخروج من سرت يوم 3 مايو 2023.", "ar"),
        ("أجبرت الاحتجاجات الحكومة على الخروج ببيان في طرابلس يوم 3 مايو 2023.", "ar"),
    ],
)
def test_leaving_by_choice_is_no_displacement(text: str, language: str) -> None:
    assert "forced_displacement" not in rule_types(text, language)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # dv-e-015: a detained lawyer's death in prison, told with a noun.
        ("قال ذووه إن الاعتقال أدى إلى وفاته داخل السجن في طرابلس يوم 3 مايو 2023.", "ar"),
        ("A detained lawyer died in prison in Tripoli on 3 May 2023, his family said.", "en"),
    ],
)
def test_a_death_in_prison_is_a_killing(text: str, language: str) -> None:
    assert "killing" in rule_types(text, language)
