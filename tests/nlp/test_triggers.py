"""Violation triggers in both languages, and the context that decides if they report an event."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from nlp import analyse, read
from nlp.context import classify
from nlp.text import normalise, tokens
from nlp.triggers import find_hits
from tests.nlp.rules import PUB, rule_types

if TYPE_CHECKING:
    from datetime import date


def types_of(text: str, language: str, published: date | None = PUB) -> set[str]:
    return {t for i in analyse(text, language, published).incidents for t in i.types}


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Gunmen shot dead a shop owner in Benghazi on 3 May 2023.", "en", "killing"),
        ("أعدم مسلحون شابين رميا بالرصاص في بنغازي يوم 3 مايو 2023.", "ar", "killing"),
        (
            "Shelling hit homes in Tripoli on 3 May 2023, killing three civilians.",
            "en",
            "attack_on_civilians",
        ),
        (
            "سقطت قذائف على منازل المدنيين في طرابلس يوم 3 مايو 2023 ما أسفر عن مقتل ثلاثة أطفال.",
            "ar",
            "attack_on_civilians",
        ),
        (
            "Former detainees said guards tortured them with electric shocks in Misrata "
            "in May 2023.",
            "en",
            "torture",
        ),
        (
            "تعرض خمسة محتجزين للتعذيب والضرب المبرح في سجن بمصراتة يوم 3 مايو 2023.",
            "ar",
            "torture",
        ),
        (
            "Police arbitrarily detained 12 migrants without charge in Zawiya on 3 May 2023.",
            "en",
            "arbitrary_detention",
        ),
        (
            "اعتقلت قوة أمنية تعسفيا سبعة مهاجرين دون تهمة في الزاوية يوم 3 مايو 2023.",
            "ar",
            "arbitrary_detention",
        ),
        (
            "Armed men abducted a local council member in Sabha on 3 May 2023.",
            "en",
            "enforced_disappearance",
        ),
        (
            "اختطف مسلحون مجهولون عضوا في المجلس البلدي في سبها يوم 3 مايو 2023.",
            "ar",
            "enforced_disappearance",
        ),
        (
            "Two migrant women said they were raped by guards in a Tripoli centre on 3 May 2023.",
            "en",
            "sexual_violence",
        ),
        (
            "قالت مهاجرتان إن الحراس اغتصبوهما في مركز احتجاز بطرابلس يوم 3 مايو 2023.",
            "ar",
            "sexual_violence",
        ),
        (
            "Traffickers held 30 migrants for ransom in Bani Walid on 3 May 2023 and sold them.",
            "en",
            "trafficking",
        ),
        (
            "احتجز مهربون 30 مهاجرا في بني وليد يوم 3 مايو 2023 وطلبوا فدية من أسرهم.",
            "ar",
            "trafficking",
        ),
        (
            "Gunmen stormed the office of a women's rights activist in Tripoli on 3 May 2023 "
            "and abducted her.",
            "en",
            "attack_on_civil_society",
        ),
        (
            "اختطف مسلحون الصحفي المعروف من أمام منزله في طرابلس يوم 3 مايو 2023.",
            "ar",
            "attack_on_civil_society",
        ),
        (
            "Security forces fired live ammunition to disperse protesters in Tripoli "
            "on 3 May 2023.",
            "en",
            "repression_of_assembly",
        ),
        (
            "أطلقت قوات الأمن الرصاص الحي لتفريق المتظاهرين في طرابلس يوم 3 مايو 2023.",
            "ar",
            "repression_of_assembly",
        ),
        (
            "More than 200 families were forced to flee their homes in Derna on 3 May 2023.",
            "en",
            "forced_displacement",
        ),
        (
            "أجبرت مئات العائلات على مغادرة منازلها في درنة يوم 3 مايو 2023 بعد هدم المنازل.",
            "ar",
            "forced_displacement",
        ),
    ],
)
def test_every_type_in_both_languages(text: str, language: str, expected: str) -> None:
    assert expected in types_of(text, language)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # negation and denial
        ("No one was killed in Benghazi on 3 May 2023, the ministry said.", "en"),
        ("The ministry denied that its guards tortured detainees in Tripoli on 3 May 2023.", "en"),
        ("نفت وزارة الداخلية تعرض أي محتجز للتعذيب في سجن بطرابلس يوم 3 مايو 2023.", "ar"),
        ("لم يتعرض المعتقلون للتعذيب في سجن مصراتة يوم 3 مايو 2023 بحسب البيان.", "ar"),
        # calls and demands
        ("Amnesty called for an investigation into torture in Libyan prisons.", "en"),
        ("دعت المنظمة إلى التحقيق في جرائم التعذيب والاختفاء القسري في ليبيا.", "ar"),
        # hypotheticals
        ("The weapons could be used to kill civilians in Tripoli.", "en"),
        ("حذرت المنظمة من أن القصف قد يؤدي إلى مقتل مدنيين في طرابلس.", "ar"),
        # general statements
        ("Torture is widespread in Libyan detention centres.", "en"),
        ("يتعرض المهاجرون للتعذيب بشكل ممنهج في مراكز الاحتجاز الليبية.", "ar"),
        # an organisation describing its mandate
        (
            "The organisation monitors and documents killings, torture and enforced "
            "disappearances in Libya.",
            "en",
        ),
        ("تختص المنظمة في رصد وتوثيق حالات القتل والتعذيب والاختفاء القسري في ليبيا.", "ar"),
        # legal news
        ("Two executives were indicted for complicity in torture in Libya.", "en"),
        # names that contain a trigger
        ("The Committee against Torture met in Geneva to discuss Libya's report.", "en"),
        ("عقدت الشبكة الليبية لمناهضة التعذيب مؤتمرها في طرابلس.", "ar"),
    ],
)
def test_context_keeps_non_events_out(text: str, language: str) -> None:
    assert analyse(text, language, PUB).incidents == ()


def test_events_outside_libya_are_not_flagged() -> None:
    assert types_of("Police shot dead two protesters in Tunisia on 3 May 2023.", "en") == set()
    assert types_of("قتل مسلحون ثلاثة مدنيين في مصر يوم 3 مايو 2023.", "ar") == set()


def test_a_call_for_release_does_not_hide_the_abduction_it_mentions() -> None:
    text = (
        "The council demanded the release of its head, abducted by gunmen in Sirte on 3 May 2023."
    )
    assert "enforced_disappearance" in types_of(text, "en")


def test_hostilities_need_civilian_harm() -> None:
    assert types_of("Rockets hit a military base near Sirte on 3 May 2023.", "en") == set()


def test_arrest_of_suspects_is_law_enforcement() -> None:
    text = "Police arrested three suspects in a murder case in Benghazi on 3 May 2023."
    assert "arbitrary_detention" not in types_of(text, "en")


def test_air_strike_deaths_are_an_attack_not_a_killing() -> None:
    found = types_of("An air strike on a market in Tripoli on 3 May 2023 killed 4 civilians.", "en")
    assert found == {"attack_on_civilians"}


@pytest.mark.parametrize(
    "text",
    [
        # shared/eval/README.md: "Air strikes and shelling that harm civilians are
        # attack_on_civilians, not killing"; ضربة جوية is the Arabic press's "air strike".
        "استهدف الطيران مدينة درنة يوم 3 مايو 2023 بضربات جوية راح ضحيتها 15 شخصا بينهم نساء.",
        "أسفرت ضربة جوية على بلدة مرزق يوم 3 مايو 2023 عن مقتل 30 مدنيا.",
    ],
)
def test_arabic_air_strike_deaths_are_an_attack_not_a_killing(text: str) -> None:
    assert rule_types(text, "ar") == {"attack_on_civilians"}


def test_a_journalist_named_in_one_sentence_and_abducted_in_the_next() -> None:
    # README: attack_on_civil_society covers attacks aimed at journalists, whichever sentence
    # names the victim's trade.
    text = (
        "The latest case is that of a photographer for a news agency who went missing in "
        "Tripoli on 3 May 2023. He was abducted by gunmen on his way home."
    )
    assert rule_types(text, "en") == {"enforced_disappearance", "attack_on_civil_society"}


def test_captives_held_by_kidnappers_are_abducted_not_arbitrarily_detained() -> None:
    # README: abduction, kidnapping and hostage taking are enforced_disappearance; arbitrary
    # detention is arrest or detention without charge or trial.
    held = "Gunmen kidnapped two men near Benghazi on 3 May 2023 and held them for hours."
    assert rule_types(held, "en") == {"enforced_disappearance"}
    incommunicado = "Armed men abducted a man in Tripoli on 3 May 2023; he is held incommunicado."
    assert rule_types(incommunicado, "en") == {"enforced_disappearance", "arbitrary_detention"}


@pytest.mark.parametrize(
    ("word", "type_"),
    [
        ("واختطف", "enforced_disappearance"),
        ("واختطفوا", "enforced_disappearance"),
        ("للاختطاف", "enforced_disappearance"),
        ("بالتعذيب", "torture"),
        ("ومقتل", "killing"),
        ("فاغتصبوها", "sexual_violence"),
        # A noun's ة is written ت before a pronoun (dv-b-029: "أعلن وفاته").
        ("وفاته", "killing"),
        ("جثتها", "killing"),
    ],
)
def test_arabic_triggers_match_through_clitics(word: str, type_: str) -> None:
    hits = find_hits(tokens(normalise(word)), "ar")
    assert type_ in {e.type for h in hits for e in h.triggers}


def test_negation_reaches_only_nearby_and_not_across_a_comma() -> None:
    text = "no, armed men abducted him"
    toks = tokens(normalise(text))
    hits = find_hits(toks, "en")
    trigger = next(h for h in hits if h.triggers)
    assert classify(trigger, hits, toks, text, 0).hard == ""
    text = "he was not abducted"
    toks = tokens(normalise(text))
    hits = find_hits(toks, "en")
    trigger = next(h for h in hits if h.triggers)
    assert classify(trigger, hits, toks, text, 0).hard == "negated"


def test_may_the_month_is_not_may_the_modal() -> None:
    text = "In May gunmen abducted him"
    toks = tokens(normalise(text))
    hits = find_hits(toks, "en")
    trigger = next(h for h in hits if h.triggers)
    assert classify(trigger, hits, toks, text, 0).hard == ""


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Three people died in a car accident near Misrata on 3 May 2023.", "en"),
        ("لقي ثلاثة أشخاص حتفهم في حادث سير قرب مصراتة يوم 3 مايو 2023.", "ar"),
        ("Floods killed dozens of residents in Derna on 11 September 2023.", "en"),
        (
            "Five fighters were killed in clashes between rival armed groups in Tripoli on 3 May.",
            "en",
        ),
        ("Protesters stormed the parliament building in Tobruk on 3 May 2023.", "en"),
    ],
)
def test_deaths_that_are_no_violation(text: str, language: str) -> None:
    assert analyse(text, language, PUB).incidents == ()


def test_civilians_killed_in_fighting_are_an_attack_on_civilians() -> None:
    text = "Two civilians were killed in clashes between rival militias in Tripoli on 3 May 2023."
    assert rule_types(text, "en") == {"attack_on_civilians"}
    text = "قتل مدنيان في اشتباكات بين ميليشيات متنافسة في طرابلس يوم 3 مايو 2023."
    assert rule_types(text, "ar") == {"attack_on_civilians"}


@pytest.mark.parametrize(
    "text",
    [
        "",
        " \n\t ",
        "\u200f\u200e\u0640\u064b" * 50,
        "killed " * 2000,
        "اختطف " * 2000,
        "<script>alert(1)</script> abducted \x00 \ud800",
        "1" * 5000,
    ],
)
def test_hostile_input_does_not_break_analysis(text: str) -> None:
    for language in ("ar", "en"):
        result = analyse(text, language, PUB)
        for incident in result.incidents:
            for ev in incident.evidence:
                assert text[ev.start : ev.end] == ev.text


def test_a_demand_for_release_reports_the_detention() -> None:
    # The context rules keep the detention; whether a bare call is worth an incident is the
    # learned models' decision (nlp.learned), so the rules' reading is what is checked here.
    def read_types(text: str, language: str) -> set[str]:
        return {t for f in read(text, language, PUB).findings for t in f.types}

    text = (
        "Authorities must immediately release the human rights lawyer detained by the "
        "Internal Security Agency in Tripoli."
    )
    assert "arbitrary_detention" in read_types(text, "en")
    text = "طالبت منظمات حقوقية بالإفراج عن الناشط المعتقل لدى جهاز الأمن الداخلي في بنغازي."
    assert "arbitrary_detention" in read_types(text, "ar")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "أدان المجلس الرئاسي الاغتيالات والتفجيرات التي تستهدف المدنيين، مؤكدا أن الدولة "
            "ستلاحق مرتكبيها.",
            "ar",
        ),
        ("قضت محكمة في طرابلس بالإعدام على خمسة متهمين في قضية قتل عائلة عام 2014.", "ar"),
        ("ألقت الأجهزة الأمنية القبض على عصابة متهمة بخطف الأطفال في الزاوية.", "ar"),
        ("أصيب ثلاثة أشخاص في انفجار أسطوانة غاز داخل مطعم بمدينة مصراتة.", "ar"),
        ("A court in Misrata sentenced three men to death for the 2016 killing of a family.", "en"),
        ("Police arrested a gang suspected of kidnapping children for ransom in Zawiya.", "en"),
    ],
)
def test_condemnations_trials_and_accidents_are_not_incidents(text: str, language: str) -> None:
    assert analyse(text, language, PUB).incidents == ()


def test_under_torture_is_no_death_unless_someone_died() -> None:
    # "forced to confess under torture": torture, not a killing; "died under torture" is both
    # (shared/eval/README.md: death in custody is a killing).
    confession = "أجبر السجناء على الاعتراف بجرائم تحت التعذيب في سجن قرنادة يوم 3 مايو 2023."
    assert "killing" not in rule_types(confession, "ar")
    death = "توفي المواطن تحت التعذيب في سجن قرنادة يوم 3 مايو 2023."
    assert "killing" in rule_types(death, "ar")


def _soft(text: str, trigger: str, language: str) -> tuple[str, ...]:
    """Why the trigger `trigger` of a one-sentence `text` needs an anchor."""
    toks = tokens(normalise(text))
    hits = find_hits(toks, language)
    hit = next(h for h in hits if h.triggers and text[h.start : h.end] == trigger)
    return classify(hit, hits, toks, text, 0).soft


@pytest.mark.parametrize(
    ("text", "trigger", "language"),
    [
        # dv-d-012: the people detained are said to be accused, the detention is reported.
        (
            "Police raided the camp, resulting in the detention of 80 people, accused of theft.",
            "detention",
            "en",
        ),
        ("Gunmen shot dead a lawyer in Tripoli, the prosecutor said.", "shot dead", "en"),
        # dv-a-025: the death is reported, those accused of it are named after it.
        ("عثر على شاب مقتول داخل سيارته، وقيل إن المتهمين بقتله ينتمون لميليشيا.", "مقتول", "ar"),
    ],
)
def test_a_legal_word_after_the_act_in_another_clause_does_not_soften_it(
    text: str, trigger: str, language: str
) -> None:
    assert "legal" not in _soft(text, trigger, language)


@pytest.mark.parametrize(
    ("text", "trigger", "language"),
    [
        ("Two guards were accused of torturing detainees.", "torturing", "en"),
        ("The murder trial of two men opened in Misrata.", "murder", "en"),
        ("عثر على شاب مقتول داخل سيارته، وقيل إن المتهمين بقتله ينتمون لميليشيا.", "بقتله", "ar"),
        # dv-e-001: a detention pending a case is told in the case's clause.
        ("كان الدافع احتجاز شخصين على ذمة قضية تهريب.", "احتجاز", "ar"),
    ],
)
def test_a_legal_word_governs_the_act_after_it_or_just_before_it(
    text: str, trigger: str, language: str
) -> None:
    assert "legal" in _soft(text, trigger, language)


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        # dv-b-009, dv-b-003, dv-a-012: حكم is also a ruler's rule or reign.
        ("خلال حكم القذافي اعتقلت قوات الأمن ناشطا في بنغازي.", "اعتقلت"),
        ("منذ توليه الحكم اختطف مسلحون صحفيا في سرت.", "اختطف"),
    ],
)
def test_rule_or_reign_is_no_legal_word(text: str, trigger: str) -> None:
    assert "legal" not in _soft(text, trigger, "ar")


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("صدر حكم بسجن رجلين بعد إدانتهما بتعذيب محتجز.", "بتعذيب"),
        ("صدرت أحكام بالسجن على عناصر عذبوا محتجزين.", "عذبوا"),
        # dv-b-032: a court's decision named again.
        ("قال إن هذا الحكم يأتي لمسؤوليته عن القتل.", "القتل"),
    ],
)
def test_a_verdict_is_a_legal_word(text: str, trigger: str) -> None:
    assert "legal" in _soft(text, trigger, "ar")


def test_policy_words_mark_the_whole_sentence() -> None:
    text = "Armed men abducted two activists, members of parliament said."
    assert "policy" in _soft(text, "abducted", "en")


def test_a_detention_reported_before_the_charges_needs_no_stated_day() -> None:
    # dv-d-012: with no day stated, a sentence softened by "accused of" would be dropped.
    text = (
        "Militiamen raided the camp, resulting in the arbitrary detention of 80 displaced "
        "people, accused of theft."
    )
    assert "arbitrary_detention" in rule_types(text, "en")
