"""Which figure an incident's count takes (issue 13, kind 6: counts taken from another clause).

Sentences are written for these tests after shapes seen in the training folds of the corpus and
the annotation guide's rule for counts ("only those the text states; use the figure the text
gives"); none is corpus text.
"""

from __future__ import annotations

from datetime import date

import pytest

from nlp.victims import (
    incident_counts,
)
from tests.nlp.rules import rules_counts, rules_incidents


def test_the_best_scored_sentence_gives_the_figure_not_the_largest() -> None:
    found = incident_counts(
        [
            (0.9, 0, {"killed": 13}, frozenset()),
            (0.6, 120, {"killed": 30, "injured": 4}, frozenset()),
            (0.9, 300, {"killed": 16}, frozenset()),
        ]
    )
    assert found == {"killed": 13, "injured": 4}


def test_a_written_figure_comes_before_a_vague_quantity() -> None:
    found = incident_counts(
        [
            (0.9, 0, {"killed": 42, "injured": 24}, frozenset({"injured"})),
            (0.6, 200, {"killed": 42, "injured": 60}, frozenset()),
        ]
    )
    assert found == {"killed": 42, "injured": 60}


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # The guide: counts are "only those the text states; use the figure the text gives".
        # Sentences written after shapes of the training folds (a shootout "killed at least 43
        # and wounded hundreds"; "scores were wounded"; "جرح العشرات").
        ("Militiamen opened fire on protesters in Tripoli on Friday, wounding hundreds.", "en"),
        ("Snipers killed 11 protesters in Bayda last night, and scores were wounded.", "en"),
        ("أدى قصف مدينة مرزق يوم الجمعة إلى مقتل 3 أطفال وجرح العشرات.", "ar"),
        # "a dozen" is as vague as "dozens" (assumed; a training-fold shape, paraphrased: "the
        # killings of more than a dozen migrants", the gold taking the 13 a later sentence writes)
        ("Shelling killed 3 children in Murzuq on Friday and wounded more than a dozen.", "en"),
    ],
)
def test_a_vague_quantity_is_no_count(text: str, language: str) -> None:
    (incident,) = rules_incidents(text, language, date(2019, 8, 6))
    assert incident.counts.injured is None


def test_a_lead_saying_dozens_takes_the_figure_a_later_sentence_writes() -> None:
    # A wire report's shape: "dozens wounded" in the lead, the official's figure further down.
    text = (
        "At least 42 people were killed and dozens wounded in an air strike on a town hall "
        "meeting in Murzuq on Sunday, officials said. "
        "The strike left 42 dead and more than 60 injured, a council official said."
    )
    (incident,) = rules_incidents(text, "en", date(2019, 8, 6))
    assert (incident.counts.killed, incident.counts.injured) == (42, 60)


def test_an_unverified_wider_figure_later_does_not_replace_the_count() -> None:
    # A release gives the confirmed toll of one attack, then wider figures from other reports.
    text = (
        "Gunmen shot dead 13 Egyptian migrants in Bani Walid on 26 April 2016, the agency said. "
        "Media reports mentioned as many as 30 people killed, but these could not be verified."
    )
    (incident,) = rules_incidents(text, "en", date(2016, 4, 29))
    assert incident.counts.killed == 13


# People named in the singular, one by one: the guide's "use the figure the text gives" read as
# the corpus's annotators read it (a named victim counts one; "a man and his wife" two).
@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("A citizen journalist, Omar Salem, has been killed in the city", "en", {"killed": 1}),
        ("MP Amal Omar was kidnapped by a militia", "en", {"abducted": 1}),
        ("a man and his wife were injured when a shell hit their home", "en", {"injured": 2}),
        ("أسفر القصف عن إصابة طفلة وأمها", "ar", {"injured": 2}),
        ("أصيب رجل وزوجته في القصف", "ar", {"injured": 2}),
        ("اختطاف نائب رئيس الجهاز في العاصمة", "ar", {"abducted": 1}),
        ("أقدم مسلحون على اغتيال الناشطة الحقوقية في المدينة", "ar", {"killed": 1}),
        ("gunmen assassinated a lawyer in the city", "en", {"killed": 1}),
        # a shell that fell killed no one
        ("أصيب مواطن إثر سقوط قذيفة بالقرب منه", "ar", {"injured": 1}),
        # a plural beside them: the text gives no figure
        ("a journalist and other activists were detained", "en", {}),
    ],
)
def test_people_named_one_by_one(text: str, language: str, expected: dict[str, int]) -> None:
    assert rules_counts(text, language) == expected


# The Arabic object of an act, one person named by an indefinite noun, is written with the
# accusative tanween as a final alef ("صحفيا", a journalist): one, as "gunmen killed a
# journalist" is. Plurals and the sound plural that a dual shares its letters with ("صحفيين")
# give no figure, and a singular after a figure is the noun it counts (Arabic cardinals take a
# singular noun after eleven: "25 شخصا", "آلاف مهاجر"), not one person. Made-up sentences.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قتل مسلحون صحفيا في المدينة", {"killed": 1}),
        ("اختطف مجهولون طبيبا من عيادته", {"abducted": 1}),
        ("اعتقلت قوات الأمن ناشطا في المدينة", {"detained": 1}),
        ("اعتقلت قوات الأمن ناشطا حقوقيا في المدينة", {"detained": 1}),
        ("قتل مسلحون مدنيا وزوجته قرب منزلهما", {"killed": 2}),
        ("اختطف مجهولون أطباء من المستشفى", {}),
        ("قتل مسلحون صحفيين في المدينة", {}),
        ("قتل مسلحون 25 شخصا في المدينة", {"killed": 25}),
        ("اعتقلت القوات 7000 مهاجرا في حملة", {}),
        ("اعتقال عشرة آلاف مهاجر في حملة", {}),
    ],
)
def test_an_arabic_indefinite_object_is_one_person(text: str, expected: dict[str, int]) -> None:
    assert rules_counts(text, "ar") == expected


# The nominative dual of any word for one person is two people ("صحفيان", "ناشطتان"), as the
# duals listed among the numbers are ("طفلان"); "صبيان" is the plural of صبي, and the
# accusative dual "صحفيين" is written as the plural is. Made-up sentences.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قتل صحفيان في المدينة", {"killed": 2}),
        ("أصيب مدنيان في القصف على الحي", {"injured": 2}),
        ("اعتقلت ناشطتان في المدينة", {"detained": 2}),
        ("اختطف الصحفيان أثناء عودتهما", {"abducted": 2}),
        ("قتل صبيان في القصف", {}),
        ("قتل مسلحون صحفيين في المدينة", {}),
    ],
)
def test_an_arabic_nominative_dual_is_two_people(text: str, expected: dict[str, int]) -> None:
    assert rules_counts(text, "ar") == expected


# The arrested who are the act's suspects are not its victims; two acts told of the same people
# count them for both (kidnapped and then executed; not "killed and wounded", a total).
@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("three men were arrested in connection with the kidnapping", "en", {}),
        ("police said one of the kidnappers had been arrested", "en", {}),
        ("ألقت الشرطة القبض على الخاطفين الثلاثة", "ar", {}),
        ("security forces arrested 3 activists in the city", "en", {"detained": 3}),
        (
            "12 Christians were kidnapped and executed near the town",
            "en",
            {"abducted": 12, "killed": 12},
        ),
        ("اختطاف وقتل 5 مدنيين", "ar", {"abducted": 5, "killed": 5}),
        # injuries are not shared: "the killing and wounding of 10" is a total
        ("أسفر الهجوم عن مقتل وإصابة 10 أشخاص", "ar", {"injured": 10}),
    ],
)
def test_suspects_and_acts_told_together(
    text: str, language: str, expected: dict[str, int]
) -> None:
    assert rules_counts(text, language) == expected


# A place or state of being held is not an act of detaining: "trapped in detention" counts the
# people a strike hit, "died in a prison" a death.
@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("500 migrants were trapped in detention with no means of escape", "en", {}),
        ("توفي المواطن في سجن المدينة جراء التعذيب", "ar", {"killed": 1}),
        ("two journalists remain in custody", "en", {"detained": 2}),
        ("سجن 3 ناشطين", "ar", {"detained": 3}),
    ],
)
def test_being_in_prison_is_not_being_detained(
    text: str, language: str, expected: dict[str, int]
) -> None:
    assert rules_counts(text, language) == expected


def test_a_person_named_beyond_another_count_word_is_that_words() -> None:
    # the girl died, the civilians were wounded: the plural does not cancel the girl's count
    assert rules_counts("أفادت مصادر بمصرع طفلة وإصابة مدنيين إثر غارة", "ar") == {"killed": 1}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("لا تزال السلطات تحتجز 10 صحفيين", {"detained": 10}),
        ("يختطف المسلحون 3 مواطنين", {"abducted": 3}),
    ],
)
def test_arabic_present_tense_counts(text: str, expected: dict[str, int]) -> None:
    # "the authorities are still holding 10 journalists": the act told in the present
    assert rules_counts(text, "ar") == expected


# Words that count the dead beside the usual ones: a headline's present tense ("traffickers kill
# 30 migrants"), executions, and Arabic "راح ضحيتها" (which claimed the lives of); sentence shapes
# paraphrased from the training folds.
@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Traffickers kill 30 migrants in revenge attack", "en", {"killed": 30}),
        ("the report documents the execution of at least 66 prisoners", "en", {"killed": 66}),
        # members of a convoy, a family or a group are people
        (
            "militias are accused of executing at least 66 members of the convoy",
            "en",
            {"killed": 66},
        ),
        ("قصفت الطائرات المدينة بغارات راح ضحيتها ما لا يقل عن 15 شخصا", "ar", {"killed": 15}),
    ],
)
def test_more_words_for_the_dead(text: str, language: str, expected: dict[str, int]) -> None:
    assert rules_counts(text, language) == expected


# One person told by the grammar, with no group word: an English singular auxiliary, possessive
# or object pronoun, an Arabic verbal noun or verb carrying the singular pronoun. The corpus's
# annotators count a named victim as one (the guide: "use the figure the text gives"); sentence
# shapes paraphrased from the training folds.
@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "Omar Salem, a photographer, was killed during clashes south of the city",
            "en",
            {"killed": 1},
        ),
        ("he was reportedly abducted by gunmen in broad daylight", "en", {"abducted": 1}),
        ("no details have emerged about the motive of his abduction", "en", {"abducted": 1}),
        ("armed men abducted her from her home", "en", {"abducted": 1}),
        ("وانتشرت حملة تنديد بخطفه داخل البلدية", "ar", {"abducted": 1}),
        ("أطلق سراحه بعد ساعات على اختطافه من مقر إقامته", "ar", {"abducted": 1}),
        ("لقي حتفه في القصف على الحي", "ar", {"killed": 1}),
        ("عثر على جثته قرب الطريق", "ar", {"killed": 1}),
        # "he and 38 of his relatives": the others and the person the pronoun names
        ("تم اختطافه هو و38 من أقاربه", "ar", {"abducted": 39}),
        # plural pronouns and plural subjects name no figure
        ("أدانت المنظمة اختطافهم", "ar", {}),
        ("journalists were abducted in the city", "en", {}),
        # an intent, a meeting, an arrest told of one person (a step of another act) count none
        ("they threatened to kill him if he spoke to the media", "en", {}),
        ("the meeting was held in the capital", "en", {}),
        ("he was arrested after the revolution", "en", {}),
    ],
)
def test_one_person_told_by_the_grammar(text: str, language: str, expected: dict[str, int]) -> None:
    assert rules_counts(text, language) == expected


def test_a_figure_with_and_written_onto_it_is_a_number() -> None:
    # Arabic writes "and" onto the figure: "مقتل شخصين و3 جرحى" (two killed and 3 wounded)
    assert rules_counts("أسفر القصف عن مقتل شخصين و3 جرحى", "ar") == {"killed": 2, "injured": 3}


# A figure after "including" / "بينهم" counts part of the people, once the count word or the
# figure of the whole stands before it; one that opens its own clause still counts. Shapes
# paraphrased from the training folds; shots fired count no one.
@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "At least seven civilians, including three children, died in the strikes",
            "en",
            {"killed": 7},
        ),
        ("the dead included seven children and four women", "en", {}),
        ("مقتل 15 شخصا بينهم 3 أطفال", "ar", {"killed": 15}),
        (
            "49 are among those captured, including 21 Christians kidnapped and executed",
            "en",
            {"abducted": 21, "killed": 21},
        ),
        ("He was killed with three shots, the official said", "en", {"killed": 1}),
    ],
)
def test_a_figure_of_part_of_the_people(text: str, language: str, expected: dict[str, int]) -> None:
    assert rules_counts(text, language) == expected


# Arabic hundreds and thousands joined by و to what follows, and the hundreds written as one
# word (Modern Standard Arabic cardinals).
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("أسفرت المواجهات عن سقوط أكثر من مائة وخمسين جريحا", {"injured": 150}),
        ("اعتقال ألف وخمسمائة مهاجر", {"detained": 1500}),
        ("مقتل مائتين وثلاثة أشخاص", {"killed": 203}),
        # a hundred killed and fifty wounded: the و opens the next clause
        ("مقتل مائة وإصابة خمسين", {"killed": 100, "injured": 50}),
    ],
)
def test_arabic_hundreds_and(text: str, expected: dict[str, int]) -> None:
    assert rules_counts(text, "ar") == expected


# Figures joined by "and", each with the people it counts, are together the subject of one count
# word (shapes paraphrased from the training folds); a count word between them parts them.
@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("three children and two women were reportedly killed on the highway", "en", {"killed": 5}),
        ("مقتل ثلاثة أطفال وامرأتين في القصف", "ar", {"killed": 5}),
        ("مقتل 3 أطفال و2 من النساء", "ar", {"killed": 5}),
        ("the shelling killed 3 children and wounded 2 women", "en", {"killed": 3, "injured": 2}),
        ("مقتل 3 أطفال وإصابة امرأتين", "ar", {"killed": 3, "injured": 2}),
        # a person named with "a" is not added to a figure
        ("the detention of nine protesters and a journalist", "en", {"detained": 9}),
    ],
)
def test_figures_joined_by_and(text: str, language: str, expected: dict[str, int]) -> None:
    assert rules_counts(text, language) == expected


# The people a figure counts may take more words before "and" and the next figure ("migrants
# from Sudan", "مهاجرا من الجنسية السودانية"; the shape of dv-c-006's "20 migrants from Egypt
# and two Somalis"); not a clause ("received ... and 7 were killed", "were rescued and 4 were
# abducted"), nor the part of the people that "including" / "بينهم" opens. Made-up sentences.
@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("18 migrants from Sudan and 4 from Eritrea were abducted", "en", {"abducted": 22}),
        ("gunmen abducted 18 young Sudanese migrants and 4 Eritreans", "en", {"abducted": 22}),
        ("مقتل 18 مهاجرا من الجنسية السودانية و4 من إريتريا", "ar", {"killed": 22}),
        ("مقتل 18 شخصا بينهم نساء و4 أطفال", "ar", {"killed": 18}),
        ("killed 18 people including women and 4 children", "en", {"killed": 18}),
        ("18 migrants were rescued and 4 were abducted", "en", {"abducted": 4}),
        ("8 men received life sentences and 7 were killed", "en", {"killed": 7}),
        ("gunmen killed 3 and injured 5", "en", {"killed": 3, "injured": 5}),
    ],
)
def test_figures_joined_by_and_past_a_longer_phrase(
    text: str, language: str, expected: dict[str, int]
) -> None:
    assert rules_counts(text, language) == expected


def test_one_that_begins_with_waw_is_not_joined_by_it() -> None:
    # "five members of one family were wounded": "واحدة" (one) is not "and" + a figure, so the
    # two figures are not added (which one the word takes is another matter)
    assert rules_counts("خمسة أفراد من عائلة واحدة أصيبوا", "ar").get("injured") != 6


# Arabic writes a number after a definite noun with the article too ("the six wounded"), and a
# definite number after a word of time or measure counts no one. Sentences written after the
# grammar of Arabic cardinals (an adjective agreeing with a definite noun), not corpus text.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قال المستشفى إن الجرحى الستة أصيبوا بشظايا", {"injured": 6}),
        ("نقل القتلى الثلاثة إلى مستشفى المدينة", {"killed": 3}),
        ("خلال الأيام الثلاثة الماضية قتل مدني في المدينة", {"killed": 1}),
        # الاثنين is also Monday: the article form of two is not read
        ("قتل مدني يوم الاثنين في المدينة", {"killed": 1}),
    ],
)
def test_arabic_definite_numbers(text: str, expected: dict[str, int]) -> None:
    assert rules_counts(text, "ar") == expected


# Dying of one's wounds is a death, not an injury; "the missing" a committee searches for are a
# category, not people abducted in the event; "confessed to killing him" tells an act, where
# "threatened to kill him" tells an intent. Sentence shapes paraphrased from the training folds.
@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("the boy later succumbed to his injuries in hospital", "en", {"killed": 1}),
        ("فارق الطفل الحياة متأثرا بجروحه في المستشفى", "ar", {"killed": 1}),
        (
            "the head of the committee to search for the missing said five graves were found",
            "en",
            {},
        ),
        ("a suspect had confessed to killing him, the statement said", "en", {"killed": 1}),
        ("the gunmen threatened to kill him", "en", {}),
    ],
)
def test_words_that_change_what_a_count_word_counts(
    text: str, language: str, expected: dict[str, int]
) -> None:
    assert rules_counts(text, language) == expected


# An English passive's subject may be long, its figure far from the participle: a relative
# clause or an apposition between ("Two members of X, a rights group, were abducted"). Sentence
# shapes paraphrased from the training folds.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Two members of a national human rights commission, a local NGO, were abducted in "
            "the centre of the capital.",
            {"abducted": 2},
        ),
        (
            "Six aid workers who were part of a convoy crossing the country on the way to the "
            "border were briefly kidnapped by an armed group.",
            {"abducted": 6},
        ),
        (
            "At least three women and two infants in the old quarter have been reported killed "
            "during the shelling.",
            {"killed": 5},
        ),
        # a count word between the figure and the participle keeps it its own
        (
            "Gunmen who killed two guards at the gate last year were arrested by the police.",
            {"killed": 2},
        ),
        # a singular auxiliary tells of someone else than the figure
        ("Three days after the raid on the camp, a doctor was abducted.", {"abducted": 1}),
    ],
)
def test_the_figure_of_a_passive_subject(text: str, expected: dict[str, int]) -> None:
    assert rules_counts(text, "en") == expected


# People listed one by one: a relative named by a pronoun is one person, and one more beside the
# person the pronoun names when "and" joins them; names may stand between the people listed; "and
# two of his guards" adds its figure, "and his companions" leaves the number unknown. Sentence
# shapes paraphrased from the training folds (names invented).
@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("أدان المجلس خطف الناشط وصديقه سالم علي أمس", "ar", {"abducted": 2}),
        ("جرى ذلك بعد مقتله وإصابة شقيقه بأعيرة نارية", "ar", {"killed": 1, "injured": 1}),
        (
            "واختطف المسلحون القاضي سالم علي، ووكيل النيابة محمد عمر، واثنين من أفراد الأمن",
            "ar",
            {"abducted": 4},
        ),
        ("أعرب عن قلقه إزاء اختطاف عميد البلدية سالم علي واثنين من مرافقيه", "ar", {"abducted": 3}),
        ("طالب المجلس بإطلاق سراح عميد البلدية سالم علي ومرافقيه المختطفين", "ar", {}),
        ("gunmen kidnapped the activist and his brother outside their home", "en", {"abducted": 2}),
        ("the journalist and his colleagues were detained at the checkpoint", "en", {}),
        ("a man and his wife were wounded when a shell hit their home", "en", {"injured": 2}),
    ],
)
def test_people_listed_one_by_one(text: str, language: str, expected: dict[str, int]) -> None:
    assert rules_counts(text, language) == expected


# Relatives counted with the person they belong to: "a woman and her two children" are three
# people (the guide: "use the figure the text gives"; the sum is the kind 6 example,
# "killed 10" for a woman and her child), an Arabic dual with its pronoun ("وطفلاها", her two
# children) is two, a figure joined by "and" to one person named adds to it, and "as well as" or
# "بالإضافة إلى" joins the list as "and" does. Sentences assumed (written for these tests, after
# the shapes of the training folds; names invented).
@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Gunmen killed a woman and her two children in their home.", "en", {"killed": 3}),
        ("A woman and her two children were killed in the strike.", "en", {"killed": 3}),
        ("Three men and their two children were killed.", "en", {"killed": 5}),
        ("The shelling killed a man and two children.", "en", {"killed": 3}),
        ("Gunmen abducted a doctor and his two sons.", "en", {"abducted": 3}),
        ("A car bomb killed a man and a child, as well as the driver.", "en", {"killed": 3}),
        ("A car bomb killed a man and a child, as well as a journalist.", "en", {"killed": 3}),
        ("قتلت امرأة وطفلاها في القصف.", "ar", {"killed": 3}),
        ("قتل مسلحون رجلا وشقيقيه.", "ar", {"killed": 3}),
        ("أسفر القصف عن مقتل امرأة وإصابة طفليها.", "ar", {"killed": 1, "injured": 2}),
        ("اعتقلت القوة الصحفي وسائقه بالإضافة إلى مصور.", "ar", {"detained": 3}),
        # a figure that counts part of the whole stays the group's ("including five children")
        ("Shelling killed 12 people, including five children.", "en", {"killed": 12}),
        ("أسفر القصف عن مقتل ١٢ شخصا بينهم خمسة أطفال.", "ar", {"killed": 12}),
        # an accusative figure's noun after 11 or more is plural, whatever else it names
        ("قتل 12 رجلا في القصف.", "ar", {"killed": 12}),
    ],
)
def test_relatives_and_figures_in_a_list_of_people(
    text: str, language: str, expected: dict[str, int]
) -> None:
    assert rules_counts(text, language) == expected


# Arabic "أحد"/"إحدى" (one of) before the people it picks out is one person, as English "one of
# the activists" is; alone it is "anyone", and one of the militias is no victim (the grammar of
# the words; sentences assumed).
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("اختطف مسلحون أحد الناشطين من منزله", {"abducted": 1}),
        ("قتل أحد المتظاهرين برصاص قناص", {"killed": 1}),
        ("اختطفت إحدى الميليشيات إحدى الناشطات من منزلها", {"abducted": 1}),
        ("اختطفت مجموعة مسلحة إحدى أبرز الناشطات في المدينة", {"abducted": 1}),
        ("اغتيل أحد كبار الضباط في المدينة", {"killed": 1}),
        ("اعتقلت إحدى الميليشيات 5 ناشطين", {"detained": 5}),
        ("لم يصب أحد في الهجوم", {}),
    ],
)
def test_arabic_one_of_the_people(text: str, expected: dict[str, int]) -> None:
    assert rules_counts(text, "ar") == expected


# Captivity by criminals is an abduction: people held by traffickers, smugglers or a gang count
# as abducted, and freeing them counts them; freeing with no such captors, or an arrest of the
# kidnappers, counts no one abducted. Arabic verbs in the feminine past (a gang, a group held)
# are count words. Sentence shapes paraphrased from the training folds.
@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "Security forces freed 95 migrants who were held captive and tortured by human "
            "traffickers in the town.",
            "en",
            {"abducted": 95},
        ),
        ("حررت السلطات اليوم 140 مهاجرا احتجزتهم عصابة تهريب في المزرعة", "ar", {"abducted": 140}),
        ("أعلنت النيابة تحرير 80 مهاجرا كانوا محتجزين لدى عصابة", "ar", {"abducted": 80}),
        ("the ministry released 12 statements on the situation", "en", {}),
        ("the authorities released 40 detainees from the prison", "en", {}),
        ("police said one of the kidnappers had been arrested", "en", {}),
        ("اعتقال الخاطفين الثلاثة", "ar", {}),
        ("وكانت السلطات قد اعتقلت الشاب في المدينة", "ar", {"detained": 1}),
    ],
)
def test_captives_of_criminals(text: str, language: str, expected: dict[str, int]) -> None:
    assert rules_counts(text, language) == expected


# An Arabic act's object is the figure right after it, whatever noun follows ("killed 22 wounded
# people"), unlike the neutral سقوط ("fifteen fell wounded"); "no one was killed" counts no one;
# "a man and a child" are two. Sentence shapes paraphrased from the training folds and the
# grammar of the Arabic verb and its object.
@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("وذكرت الوكالة أن التنظيم قتل 22 جريحا كانوا يتلقون العلاج", "ar", {"killed": 22}),
        ("أسفر القصف عن سقوط 3 قتلى و15 جريحا", "ar", {"killed": 3, "injured": 15}),
        ("أسفر القصف عن مقتل شخصين و3 جرحى", "ar", {"killed": 2, "injured": 3}),
        ("no one was killed in the attack on the checkpoint", "en", {}),
        ("nobody was kidnapped, the ministry said", "en", {}),
        ("a car bomb killed a man and a child near the market", "en", {"killed": 2}),
    ],
)
def test_what_an_act_counts(text: str, language: str, expected: dict[str, int]) -> None:
    assert rules_counts(text, language) == expected


# "to death" counts the dead, one when the victim is a singular pronoun ("beat him to death"),
# but a court's death sentence kills no one yet. Sentence shapes paraphrased from the training
# folds and court news.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("armed men came into the prison at night and beat him to death", {"killed": 1}),
        ("militiamen tortured 3 detainees to death in the camp", {"killed": 3}),
        ("guards beat them to death", {}),
        ("the court sentenced 5 men to death in absentia", {}),
    ],
)
def test_to_death(text: str, expected: dict[str, int]) -> None:
    assert rules_counts(text, "en") == expected


# People added to a list with no figure ("and a number of citizens", "وعددا من المواطنين")
# leave the count unknown; the others beside a person a verb's pronoun names make one more
# ("they abducted him and 10 others", eleven). Sentence shapes paraphrased from the training
# folds; the Arabic object pronoun after the grammar.
@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("اعتقلت السلطات الناشط وعددا من المواطنين في المدينة", "ar", {}),
        ("police arrested the activist and a number of others at the rally", "en", {}),
        ("اقتحم مسلحون المنزل واختطفوه و5 أشخاص آخرين", "ar", {"abducted": 6}),
        ("اقتحم مسلحون المنزل واختطفوه هو و5 من أقاربه", "ar", {"abducted": 6}),
    ],
)
def test_others_beside_the_people_named(text: str, language: str, expected: dict[str, int]) -> None:
    assert rules_counts(text, language) == expected


# A time adverbial between an English act and its object does not part them ("kidnapped on
# Tuesday seven aid workers"): the figure is the act's. Sentence shapes paraphrased from the
# training folds (a wire report of a kidnapping, an NGO release on an execution).
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("gunmen kidnapped on Tuesday seven aid workers near the port", {"abducted": 7}),
        ("gunmen kidnapped on Tuesday evening a five-member delegation", {"abducted": 5}),
        ("the video shows the execution last Friday of 12 blindfolded men", {"killed": 12}),
    ],
)
def test_a_time_adverbial_does_not_part_act_and_figure(text: str, expected: dict[str, int]) -> None:
    assert rules_counts(text, "en") == expected
