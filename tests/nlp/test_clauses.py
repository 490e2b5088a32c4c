"""Sentences that tell a second act dated against the first are read clause by clause."""

from __future__ import annotations

import pytest

from nlp.clauses import lead_shift, split, told_apart, told_before
from nlp.dates import Shift


def _acts(text: str, *words: str) -> list[int]:
    return sorted(text.index(w) for w in words)


@pytest.mark.parametrize(
    ("text", "language", "words", "marker", "shift"),
    [
        # Shapes paraphrased from corpus reports (an abduction "two days after" a shooting at a
        # protest; killings in a prison that "came a week after" raids left a man dead; an
        # operation that "comes days after" bodies were recovered).
        (
            "An official was abducted two days after a militia fired on protesters.",
            "en",
            ("abducted", "fired"),
            "two days after",
            Shift("day", 2, -1),
        ),
        (
            "Guards shot dead six migrants a week before raids left one person dead.",
            "en",
            ("shot", "left"),
            "a week before",
            Shift("week", 1, 1),
        ),
        (
            "The killings came a week after raids in the city left one person dead.",
            "en",
            ("left",),
            "a week after",
            Shift("week", 1, -1),
        ),
        (
            "وتأتي هذه العملية بعد يومين من مقتل ثلاثة أشخاص في قصف على المدينة.",
            "ar",
            ("مقتل",),
            "بعد يومين",
            Shift("day", 2, -1),
        ),
        (
            "أدى القصف إلى مقتل مدني، وذلك بعد يوم من مقتل ثلاثة أشخاص في قصف بالدبابات.",
            "ar",
            ("القصف", "مقتل ثلاثة"),
            "وذلك بعد يوم",
            Shift("day", 1, -1),
        ),
        # Assumed wording: a month away, told in English and Arabic.
        (
            "Gunmen abducted a judge a month after militias shelled the court.",
            "en",
            ("abducted", "shelled"),
            "a month after",
            Shift("month", 1, -1),
        ),
        (
            "اختطف مسلحون قاضيا، وذلك بعد شهر من قصف المحكمة.",
            "ar",
            ("اختطف", "قصف"),
            "وذلك بعد شهر",
            Shift("month", 1, -1),
        ),
    ],
)
def test_a_second_act_dated_against_the_first_is_its_own_clause(
    text: str, language: str, words: tuple[str, ...], marker: str, shift: Shift
) -> None:
    cut = text.index(marker)
    assert split(text, 0, len(text), language, _acts(text, *words)) == [
        (0, cut),
        (cut, len(text)),
    ]
    assert lead_shift(text, cut, len(text), language) == shift


@pytest.mark.parametrize(
    ("text", "language", "words"),
    [
        # Assumed shapes: the same person's ordeal told against itself, a sentence that opens
        # with the marker, a duration with no second act.
        ("He was moved to a prison a day after he was shot in the leg.", "en", ("prison", "shot")),
        ("The detainee died three days after being tortured.", "en", ("died", "tortured")),
        ("أطلق سراح الوزير بعد ساعات على اختطافه من فندق.", "ar", ("سراح", "اختطافه")),
        (
            "Two days after gunmen stormed the hotel, a guard was killed.",
            "en",
            ("gunmen", "killed"),
        ),
        ("The detainees were released two days after the court ruled.", "en", ("detainees",)),
    ],
)
def test_a_sentence_without_a_second_act_of_its_own_stays_whole(
    text: str, language: str, words: tuple[str, ...]
) -> None:
    assert split(text, 0, len(text), language, _acts(text, *words)) == [(0, len(text))]


def test_a_clause_without_a_marker_has_no_shift() -> None:
    text = "Gunmen abducted a journalist in Tripoli."
    assert lead_shift(text, 0, len(text), "en") is None


@pytest.mark.parametrize(
    ("text", "language", "words", "conjunction"),
    [
        # Shapes paraphrased from corpus reports (a cleric shot on Friday night "while" a couple
        # were wounded this morning by a shell; a boy killed "a day earlier" "and earlier this
        # month" pupils hurt at their school).
        (
            "قتل مسلحون إماما ليلة الجمعة فيما أصيبت امرأة صباح اليوم بقذيفة سقطت على بيتها.",
            "ar",
            ("قتل", "أصيبت"),
            "فيما",
        ),
        (
            "Gunmen shot dead a teacher on Monday, while on Wednesday a shell killed two boys.",
            "en",
            ("shot", "killed"),
            "while",
        ),
        (
            "A day earlier a man was killed at a checkpoint, and earlier this month two "
            "girls were killed by a rocket.",
            "en",
            ("killed at", "killed by"),
            "and earlier",
        ),
        # Assumed shapes: two acts in towns far apart.
        (
            "A man was shot dead in Sirte, while two activists were abducted in Derna.",
            "en",
            ("shot", "abducted"),
            "while",
        ),
        ("قتل مسلحون رجلا في سرت بينما اختطف ناشطان في درنة.", "ar", ("قتل", "اختطف"), "بينما"),
    ],
)
def test_two_acts_with_times_or_places_of_their_own_are_two_clauses(
    text: str, language: str, words: tuple[str, ...], conjunction: str
) -> None:
    cut = text.index(conjunction)
    assert split(text, 0, len(text), language, _acts(text, *words)) == [
        (0, cut),
        (cut, len(text)),
    ]
    assert told_apart(text, cut, language)
    assert not told_apart(text, 0, language)


@pytest.mark.parametrize(
    ("text", "language", "words"),
    [
        # Assumed shapes: "while" between the dead and the wounded of one attack, with one time
        # for both sides, or in a city and its suburb, joins one event.
        (
            "قتل شخصان في قصف على المدينة يوم الجمعة بينما أصيب ثلاثة آخرون.",
            "ar",
            ("قتل", "أصيب"),
        ),
        (
            "Two civilians were killed on Friday while three others were wounded on Friday.",
            "en",
            ("killed", "wounded"),
        ),
        ("Gunmen shot dead a guard while others abducted a nurse.", "en", ("shot", "abducted")),
        (
            "A boy was killed on Monday while driving to a checkpoint attacked on Sunday.",
            "en",
            ("killed", "attacked"),
        ),
        (
            "Gunmen shot dead a guard on 3 May, while on the same day others abducted a nurse.",
            "en",
            ("shot", "abducted"),
        ),
        (
            "اعتقل مسلحون ناشطا في طرابلس يوم الاثنين فيما بعد أفرجوا عنه الخميس.",
            "ar",
            ("اعتقل", "أفرجوا"),
        ),
        (
            "Two men were shot dead in Tripoli while three others were wounded in Tajoura.",
            "en",
            ("shot", "wounded"),
        ),
    ],
)
def test_while_without_two_times_or_places_apart_stays_whole(
    text: str, language: str, words: tuple[str, ...]
) -> None:
    assert split(text, 0, len(text), language, _acts(text, *words)) == [(0, len(text))]


@pytest.mark.parametrize(
    ("text", "language", "words"),
    [
        # dv-b-009 (paraphrased): a spokesman says the bombing meant to spread terror in a town
        # spared until then, "after" it saw last week its first assassination.
        (
            "قال المتحدث إن التفجير يهدف إلى نشر الرعب في المدينة بعد أن شهدت الأسبوع الماضي "
            "أول حادثة اغتيال.",
            "ar",
            ("التفجير", "اغتيال"),
        ),
        (
            "The bombing was meant to spread fear in the town after militias abducted its mayor "
            "last month.",
            "en",
            ("bombing", "abducted"),
        ),
    ],
)
def test_an_act_after_after_with_a_coarse_time_of_its_own_is_told_before(
    text: str, language: str, words: tuple[str, ...]
) -> None:
    cut = _acts(text, "بعد" if language == "ar" else "after")[0]
    assert split(text, 0, len(text), language, _acts(text, *words)) == [
        (0, cut),
        (cut, len(text)),
    ]
    assert told_before(text, cut, language)
    assert not told_before(text, 0, language)
    assert not told_apart(text, cut, language)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        # Assumed shapes: a day after "after" is the cause told with its effect; "after being"
        # goes on with one person's ordeal; a time before "after" dates the first act.
        (
            "Rescuers recovered bodies after an air strike killed 40 migrants on 3 July 2019.",
            ("recovered", "killed"),
        ),
        ("A man was found dead after being abducted last month.", ("dead", "abducted")),
        (
            "Gunmen shot dead a man on Monday after militias abducted his brother last week.",
            ("shot", "abducted"),
        ),
    ],
)
def test_after_with_a_day_the_same_ordeal_or_two_times_stays_whole(
    text: str, words: tuple[str, ...]
) -> None:
    assert split(text, 0, len(text), "en", _acts(text, *words)) == [(0, len(text))]
