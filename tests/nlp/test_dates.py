from __future__ import annotations

from datetime import date

import pytest

from nlp.dates import DateMention, find_dates
from nlp.text import normalise

PUB = date(2020, 8, 26)  # a Wednesday


def only(text: str, language: str, published: date | None = PUB) -> DateMention:
    found = find_dates(text, language, published)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "span", "first", "last", "precision"),
    [
        (
            "Gunmen opened fire on 23 August 2020 in Tripoli.",
            "23 August 2020",
            "2020-08-23",
            "2020-08-23",
            "day",
        ),
        (
            "It happened on August 23, 2020, witnesses said.",
            "August 23, 2020",
            "2020-08-23",
            "2020-08-23",
            "day",
        ),
        ("The report is dated 23/08/2020.", "23/08/2020", "2020-08-23", "2020-08-23", "day"),
        (
            "Protests on 23 and 24 August 2019 ended.",
            "23 and 24 August 2019",
            "2019-08-23",
            "2019-08-24",
            "day",
        ),
        (
            "Clashes between 1 and 3 March 2020 killed two.",
            "1 and 3 March 2020",
            "2020-03-01",
            "2020-03-03",
            "day",
        ),
        ("The camp was raided in August 2019.", "August 2019", "2019-08-01", "2019-08-31", "month"),
        ("Arrests rose in 2019 across the west.", "2019", "2019-01-01", "2019-12-31", "year"),
        (
            "Fighting resumed in late 2019 near Sirte.",
            "late 2019",
            "2019-09-01",
            "2019-12-31",
            "year",
        ),
    ],
)
def test_english_absolute(text: str, span: str, first: str, last: str, precision: str) -> None:
    found = only(text, "en")
    assert text[found.start : found.end] == span
    assert (found.first.isoformat(), found.last.isoformat()) == (first, last)
    assert found.precision == precision
    assert not found.relative


@pytest.mark.parametrize(
    ("text", "span", "first", "last", "precision"),
    [
        (
            "اختطف مسلحون الصحفي في ٢٣ أغسطس ٢٠٢٠ بطرابلس",
            "٢٣ أغسطس ٢٠٢٠",
            "2020-08-23",
            "2020-08-23",
            "day",
        ),
        ("قتل ثلاثة في 23 آب 2019 في سرت", "23 آب 2019", "2019-08-23", "2019-08-23", "day"),
        (
            "اعتقل في 6 من نوفمبر 2017 دون تهمة",
            "6 من نوفمبر 2017",
            "2017-11-06",
            "2017-11-06",
            "day",
        ),
        ("صدر البيان بتاريخ 2020/8/23 عن البعثة", "2020/8/23", "2020-08-23", "2020-08-23", "day"),
        ("وقع القصف في 12 جانفي 2019 على الحي", "12 جانفي 2019", "2019-01-12", "2019-01-12", "day"),
        ("أعدم في 5 الفاتح 2005 حسب الوثيقة", "5 الفاتح 2005", "2005-09-05", "2005-09-05", "day"),
        ("شهدت المدينة اشتباكات خلال عام 2019 كله", "عام 2019", "2019-01-01", "2019-12-31", "year"),
    ],
)
def test_arabic_absolute(text: str, span: str, first: str, last: str, precision: str) -> None:
    found = only(text, "ar")
    assert text[found.start : found.end] == span
    assert (found.first.isoformat(), found.last.isoformat()) == (first, last)
    assert found.precision == precision


@pytest.mark.parametrize(
    ("text", "language", "span", "first", "last", "precision"),
    [
        (
            "Militiamen detained him yesterday.",
            "en",
            "yesterday",
            "2020-08-25",
            "2020-08-25",
            "day",
        ),
        ("The bodies were found on Monday.", "en", "Monday", "2020-08-24", "2020-08-24", "day"),
        (
            "Police said he vanished last week.",
            "en",
            "last week",
            "2020-08-17",
            "2020-08-23",
            "week",
        ),
        ("He was seized two days ago.", "en", "two days ago", "2020-08-24", "2020-08-24", "day"),
        ("اعتقل الناشط أمس في مصراتة", "ar", "أمس", "2020-08-25", "2020-08-25", "day"),
        (
            "هاجم مسلحون المخيم الأحد الماضي",
            "ar",
            "الأحد الماضي",
            "2020-08-23",
            "2020-08-23",
            "day",
        ),
        ("فقد الاتصال به قبل يومين", "ar", "قبل يومين", "2020-08-24", "2020-08-24", "day"),
        ("اختفى منذ ثلاثة أيام", "ar", "منذ ثلاثة أيام", "2020-08-23", "2020-08-23", "day"),
        ("تكررت الاعتقالات العام الماضي", "ar", "العام الماضي", "2019-01-01", "2019-12-31", "year"),
    ],
)
def test_relative(
    text: str, language: str, span: str, first: str, last: str, precision: str
) -> None:
    found = only(text, language)
    assert text[found.start : found.end] == span
    assert (found.first.isoformat(), found.last.isoformat()) == (first, last)
    assert found.precision == precision
    assert found.relative


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Militiamen detained him yesterday.", "en"),
        ("اعتقل الناشط أمس في مصراتة", "ar"),
        ("The march took place on 23 August.", "en"),
    ],
)
def test_nothing_to_resolve_against(text: str, language: str) -> None:
    assert find_dates(text, language, None) == []


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The meeting started at 10:30 and 23 people attended.", "en"),
        ("Under Law No. 10 of 2013 the courts may detain suspects.", "en"),
        ("بموجب القانون رقم 10 لسنة 2013 يحق للنيابة", "ar"),
        ("انضم إلى كتيبة 17 فبراير في بنغازي", "ar"),
        ("اتصلوا على الرقم 0912345678 للإبلاغ", "ar"),
    ],
)
def test_not_dates(text: str, language: str) -> None:
    assert find_dates(text, language, PUB) == []


def test_accepts_normalised_text() -> None:
    text = "قتل في ٢٣ أغسطس ٢٠٢٠"
    assert find_dates(normalise(text), "ar", PUB) == find_dates(text, "ar", PUB)
