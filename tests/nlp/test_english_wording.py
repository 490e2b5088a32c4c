"""English wording of news and NGO releases that the rules read: migrants lost at sea (and the
same in Arabic), "killings", displaced people named by their status.

The sentences are paraphrases written for these tests, each after a pattern of the annotated
corpus's training folds (the document cited beside it), not corpus text.
"""

from __future__ import annotations

import pytest

from tests.nlp.rules import rule_types


@pytest.mark.parametrize(
    "text",
    [
        # dv-c-035, real-23: a boat lost at sea is no violation, however many die.
        "Twenty migrants died when their boat capsized off Zuwara on 3 May 2023.",
        "The agency recorded 45 deaths on the central Mediterranean route on 2 and 3 May.",
        "At least 30 people died in a shipwreck off Tobruk on 3 May 2023.",
    ],
)
def test_deaths_at_sea_are_no_violation(text: str) -> None:
    assert rule_types(text, "en") == set()


@pytest.mark.parametrize(
    "text",
    [
        # The same fact in Arabic, after a false alarm of the freshly annotated documents
        # (fra2-020, outside ../shared; see bench/README.md).
        "أعلنت المنظمة وفاة 20 مهاجرا وفقدان 30 آخرين إثر غرق قارب قبالة زوارة يوم 3 مايو 2023.",
        "انتشلت فرق الإنقاذ 15 جثة عقب انقلاب مركب للمهاجرين قبالة طبرق يوم 3 مايو 2023.",
    ],
)
def test_arabic_deaths_at_sea_are_no_violation(text: str) -> None:
    assert rule_types(text, "ar") == set()


def test_what_befalls_the_survivors_of_a_shipwreck_is_still_a_violation() -> None:
    text = "اختطف مسلحون عشرة من الناجين من غرق قارب قبالة زوارة يوم 3 مايو 2023."
    assert rule_types(text, "ar") == {"enforced_disappearance"}


def test_a_killing_at_sea_is_still_a_violation() -> None:
    # A shooting is no misfortune, whatever the sea crossing it interrupts.
    text = "Coast guards shot dead two migrants during the sea crossing off Zuwara on 3 May 2023."
    assert "killing" in rule_types(text, "en")


def test_killings_name_the_act() -> None:
    # The plural event noun, as releases write it ("the killings of ... in ..."): assumed wording.
    text = "Residents described the killings of three farmers in Tarhuna on 3 May 2023."
    assert rule_types(text, "en") == {"killing"}


@pytest.mark.parametrize(
    "text",
    [
        # dv-d-039's shape: a ministry's plan to rehouse squatters; nobody was evicted yet.
        "Evicted families will be assisted with short-term rent, the ministry said.",
        "The displaced families of Tawergha met the minister in Tripoli.",
    ],
)
def test_a_displacement_participle_before_people_names_them(text: str) -> None:
    assert rule_types(text, "en") == set()


@pytest.mark.parametrize(
    "text",
    [
        "Security forces evicted families from the camp in Tripoli on Monday.",
        "Families were evicted from the camp in Tripoli on Monday.",
    ],
)
def test_an_eviction_told_as_an_act_still_counts(text: str) -> None:
    assert rule_types(text, "en") == {"forced_displacement"}
