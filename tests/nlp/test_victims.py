"""Numbers, vague quantities, victim groups and casualty counts."""

from __future__ import annotations

from datetime import date

import pytest

from nlp import analyse
from nlp.text import normalise, tokens
from nlp.victims import (
    casualty_counts,
    find_count_words,
    find_groups,
    find_numbers,
    group_counts,
)


def numbers(text: str, language: str) -> list[tuple[int, bool]]:
    return [(n.value, n.exact) for n in find_numbers(tokens(normalise(text)), language, text)]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("ثلاثة", "ar", [(3, True)]),
        ("وثلاثة", "ar", [(3, True)]),
        ("خمسة عشر", "ar", [(15, True)]),
        ("ثلاثة وعشرون", "ar", [(23, True)]),
        ("ثلاثة آلاف", "ar", [(3000, True)]),
        ("العشرات", "ar", [(20, False)]),
        ("مئات", "ar", [(200, False)]),
        ("٤٠", "ar", [(40, True)]),
        ("two", "en", [(2, True)]),
        ("twenty-five", "en", [(25, True)]),
        ("two hundred", "en", [(200, True)]),
        ("dozens", "en", [(24, False)]),
        ("20,000", "en", [(20000, True)]),
        ("in 2019", "en", []),
        ("5 km", "en", []),
        ("aged 17", "en", []),
        ("300 ألف برميل", "ar", []),
    ],
)
def test_numbers(text: str, language: str, expected: list[tuple[int, bool]]) -> None:
    assert numbers(text, language) == expected


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Gunmen killed 5 people", "en", {"killed": 5}),
        (
            "at least 40 migrants were killed and more than 80 injured",
            "en",
            {"killed": 40, "injured": 80},
        ),
        ("أسفر عن مقتل 3 أشخاص", "ar", {"killed": 3}),
        ("مقتل 4 مدنيين وإصابة 6 بجروح", "ar", {"killed": 4, "injured": 6}),
        ("اختطاف ستة مهاجرين", "ar", {"abducted": 6}),
        ("اعتقال عشرات المتظاهرين", "ar", {"detained": 20}),
        ("two journalists were abducted", "en", {"abducted": 2}),
    ],
)
def test_casualty_counts(text: str, language: str, expected: dict[str, int]) -> None:
    toks = tokens(normalise(text))
    found = casualty_counts(
        find_count_words(toks, language), find_numbers(toks, language, text), toks, language
    )
    assert found == expected


def test_groups_and_their_counts() -> None:
    text = "six peaceful protesters and a journalist"
    toks = tokens(normalise(text))
    groups = find_groups(toks, "en")
    counts = group_counts(groups, find_numbers(toks, "en", text), toks)
    assert counts == {"protesters": 6, "journalists": 1}


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("والمهاجرين", "migrants_refugees"),
        ("للمهاجرات", "migrants_refugees"),
        ("الصحفي", "journalists"),
        ("المحتجين", "protesters"),
        ("النشطاء", "activists"),
        ("الأطفال", "children"),
        ("نساء", "women"),
        ("التبو", "minorities"),
        ("المسعفين", "medical_workers"),
        ("عميد البلدية", "officials"),
        ("المعتقلين", "detainees"),
        ("civilians", "civilians"),
    ],
)
def test_group_names_through_clitics(text: str, group: str) -> None:
    assert group in {g.group for g in find_groups(tokens(normalise(text)), "ar")} | {
        g.group for g in find_groups(tokens(normalise(text)), "en")
    }


def test_press_statement_is_not_a_journalist() -> None:
    assert find_groups(tokens(normalise("في بيان صحفي")), "ar") == []


def test_counts_and_victims_reach_the_incident() -> None:
    text = "اختطف مسلحون ستة متظاهرين في طرابلس يوم 3 مايو 2023."
    (incident,) = analyse(text, "ar", date(2023, 5, 10)).incidents
    assert incident.counts.abducted == 6
    assert ("protesters", 6) in {(v.group, v.count) for v in incident.victims}
