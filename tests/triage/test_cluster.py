from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pytest
from triage_fixtures import (
    AR_ABDUCTION,
    BENGHAZI,
    EN_ABDUCTION,
    RADAA,
    TAJOURA,
    TRIPOLI,
    ar_abduction,
    en_abduction,
    finding,
)

from incidents import cluster
from storage.incidents import IncidentFilter

if TYPE_CHECKING:
    from triage_fixtures import Desk

KILLING_EN = "A lawyer was shot dead by unknown gunmen in Benghazi on 3 March 2024."
KILLING_AR = "قتل مسلحون مجهولون محاميا بالرصاص في بنغازي يوم 3 مارس 2024."


def live(desk: Desk) -> list[dict]:
    return desk.store.incident_queue(None, limit=None)


def test_one_event_in_english_and_arabic_is_one_incident_with_both_claims(desk: Desk) -> None:
    en = desk.add("https://en.example/a", EN_ABDUCTION, [en_abduction()], source="en-news")
    ar = desk.add(
        "https://ar.example/b", AR_ABDUCTION, [ar_abduction()], language="ar", source="ar-news"
    )
    incidents = live(desk)
    assert len(incidents) == 1
    incident = incidents[0]
    assert incident["documents"] == 2
    assert incident["languages"] == ["ar", "en"]
    assert set(incident["sources"]) == {"en-news", "ar-news"}
    sources = desk.store.incident_sources(incident["id"])
    assert {s["document_id"] for s in sources} == {en, ar}
    # The sources disagree on the toll: both figures are kept, each with its document.
    from incidents.claims import claims

    abducted = next(c for c in claims(sources) if c.name == "abducted")
    assert abducted.disputed
    assert abducted.values == {"4": [en], "5": [ar]}


def test_different_places_dates_or_types_stay_apart(desk: Desk) -> None:
    desk.add("https://a.example/1", EN_ABDUCTION, [en_abduction()])
    # Same day and type, 500 km away.
    text = "Gunmen seized a journalist in Benghazi."
    desk.add(
        "https://a.example/2",
        text,
        [
            finding(
                text, text, types=["enforced_disappearance"], day="2024-05-12", location=BENGHAZI
            )
        ],
    )
    # Same place and type, a week later.
    text = "Gunmen seized a journalist in Tripoli a week later."
    desk.add(
        "https://a.example/3",
        text,
        [finding(text, text, types=["enforced_disappearance"], day="2024-05-19", location=TRIPOLI)],
    )
    # Same place and day, an unrelated type.
    text = "Families were forced out of their homes in Tripoli."
    desk.add(
        "https://a.example/4",
        text,
        [finding(text, text, types=["forced_displacement"], day="2024-05-12", location=TRIPOLI)],
    )
    assert len(live(desk)) == 4


def test_nearby_place_and_a_day_apart_still_merge(desk: Desk) -> None:
    desk.add("https://a.example/1", EN_ABDUCTION, [en_abduction()])
    text = "Radaa gunmen abducted students in Tajoura."
    other = finding(
        text,
        text,
        types=["enforced_disappearance"],
        day="2024-05-13",
        location=TAJOURA,
        perpetrators=[{"name": "Radaa force", "category": "state_security", "aliases": []}],
    )
    desk.add("https://b.example/1", text, [other])
    assert len(live(desk)) == 1
    # The queue's place filter finds it by either source's place, whichever the summary shows.
    for place in ("Tajoura", "تاجوراء", "Tripoli", "طرابلس"):
        assert desk.store.incident_count(IncidentFilter(place=place)) == 1, place


def test_a_month_joins_a_day_in_it_only_on_strong_agreement(desk: Desk) -> None:
    # Issue #17: a month-dated report may join a dated incident when place, type and the named
    # perpetrator (or the count) agree; "in May, in Tripoli" alone is every event there that month.
    desk.add("https://a.example/1", EN_ABDUCTION, [en_abduction()])
    text = "In May, armed men abducted students in Tripoli."
    month = {"types": ["enforced_disappearance"], "day": "2024-05-01", "precision": "month"}
    desk.add("https://b.example/1", text, [finding(text, text, location=TRIPOLI, **month)])
    assert len(live(desk)) == 2
    text = "In May, the Radaa force abducted students in Tripoli."
    radaa = finding(text, text, location=TRIPOLI, perpetrators=[RADAA], **month)
    desk.add("https://c.example/1", text, [radaa])
    assert len(live(desk)) == 2
    assert max(i["documents"] for i in live(desk)) == 2


def test_an_undated_report_joins_on_place_type_and_named_perpetrator(desk: Desk) -> None:
    desk.add("https://a.example/1", EN_ABDUCTION, [en_abduction()])
    text = "Gunmen of the Radaa force abducted students in Tripoli."
    undated = {"types": ["enforced_disappearance"], "day": None, "location": TRIPOLI}
    desk.add("https://b.example/1", text, [finding(text, text, **undated)])
    assert len(live(desk)) == 2
    text = "The Radaa force abducted students in Tripoli, families said."
    desk.add("https://c.example/1", text, [finding(text, text, perpetrators=[RADAA], **undated)])
    assert len(live(desk)) == 2
    assert max(i["documents"] for i in live(desk)) == 2


def test_a_two_day_lag_joins_only_on_strong_agreement(desk: Desk) -> None:
    # A report a day or two late, or undated and stamped with its publication date.
    desk.add("https://a.example/1", EN_ABDUCTION, [en_abduction()])
    text = "Students were abducted in Tripoli."
    late = {"types": ["enforced_disappearance"], "day": "2024-05-14", "location": TRIPOLI}
    desk.add("https://b.example/1", text, [finding(text, text, **late)])
    assert len(live(desk)) == 2
    # Two days before, with the same toll: strong agreement (and four days from the other).
    text = "Four students were abducted in Tripoli."
    early = late | {"day": "2024-05-10"}
    desk.add("https://c.example/1", text, [finding(text, text, counts={"abducted": 4}, **early)])
    assert max(i["documents"] for i in live(desk)) == 2


def test_the_next_day_in_a_neighbouring_district_is_another_event(desk: Desk) -> None:
    desk.add("https://a.example/1", EN_ABDUCTION, [en_abduction()])
    text = "Shells hit houses in Tajoura."
    other = {"types": ["enforced_disappearance"], "day": "2024-05-13", "location": TAJOURA}
    desk.add("https://b.example/1", text, [finding(text, text, **other)])
    assert len(live(desk)) == 2


def test_arabic_and_english_reports_agree_on_the_registry_name(desk: Desk) -> None:
    laaf = {"name": "Libyan Arab Armed Forces", "category": "armed_group"}
    en = "Haftar's forces detained a journalist in Benghazi in May."
    ar = "اعتقلت قوات حفتر صحفيا في بنغازي يوم 12 مايو."
    kind = {"types": ["arbitrary_detention"], "location": BENGHAZI}
    desk.add(
        "https://en.example/1",
        en,
        [
            finding(
                en,
                en,
                day="2024-05-01",
                precision="month",
                perpetrators=[laaf | {"aliases": ["Haftar"]}],
                **kind,
            )
        ],
    )
    desk.add(
        "https://ar.example/1",
        ar,
        [finding(ar, ar, day="2024-05-12", perpetrators=[laaf | {"aliases": ["حفتر"]}], **kind)],
        language="ar",
    )
    assert len(live(desk)) == 1


def test_two_incidents_of_one_document_are_never_merged(desk: Desk) -> None:
    text = "Gunmen seized a student in Tripoli on 12 May 2024. The same day others took a teacher."
    first, second = text.split(". ")
    doc = desk.add(
        "https://a.example/1",
        text,
        [
            finding(
                text, first, types=["enforced_disappearance"], day="2024-05-12", location=TRIPOLI
            ),
            finding(
                text, second, types=["enforced_disappearance"], day="2024-05-12", location=TRIPOLI
            ),
        ],
    )
    assert len(live(desk)) == 2
    # A second source about that day in Tripoli joins one of them, not both.
    desk.add("https://b.example/1", EN_ABDUCTION, [en_abduction()])
    counts = sorted(i["documents"] for i in live(desk))
    assert counts == [1, 2]
    assert cluster.attach(desk.store, doc) == []


def test_blocking_keys_find_only_incidents_near_in_time(desk: Desk) -> None:
    for day in ("2023-01-10", "2023-06-10", "2024-05-12", "2025-02-01"):
        text = f"Gunmen seized a student in Tripoli on {day}."
        desk.add(
            f"https://a.example/{day}",
            text,
            [finding(text, text, types=["enforced_disappearance"], day=day, location=TRIPOLI)],
        )
    window = cluster.Window(date(2024, 5, 12), date(2024, 5, 12), "day")
    found = desk.store.incidents_with_keys(cluster.lookup_keys(window))
    assert len(found) == 1
    assert desk.store.incident(found[0])["date_start"] == date(2024, 5, 12)


def test_a_new_source_for_a_decided_incident_is_attached_and_shown_as_new(desk: Desk) -> None:
    desk.add("https://en.example/a", EN_ABDUCTION, [en_abduction()])
    (incident,) = live(desk)
    desk.store.set_incident_status(incident["id"], "confirmed", actor="amira", reason="checked")
    desk.add("https://ar.example/b", AR_ABDUCTION, [ar_abduction()], language="ar")
    after = desk.store.incident(incident["id"])
    assert after["status"] == "confirmed"
    assert after["documents"] == 2
    assert after["new_sources"] == 1
    actions = [a["action"] for a in desk.store.incident_audit(incident["id"])]
    assert actions == ["created", "status", "attached"]
    assert desk.store.acknowledge_new_sources(incident["id"], actor="amira") == 1
    assert desk.store.incident(incident["id"])["new_sources"] == 0


def test_reanalysis_returns_to_the_same_incident_and_keeps_the_decision(desk: Desk) -> None:
    from storage import Analysed

    doc = desk.add("https://en.example/a", EN_ABDUCTION, [en_abduction()])
    desk.add("https://ar.example/b", AR_ABDUCTION, [ar_abduction()], language="ar")
    (incident,) = live(desk)
    desk.store.set_incident_status(incident["id"], "rejected", actor="amira", reason="old news")
    newer = en_abduction() | {"confidence": 0.9}
    assert desk.store.record_analysis(doc, Analysed("test-nlp-2", "en", [newer]))
    touched = cluster.attach(desk.store, doc)
    assert touched == [incident["id"]]
    after = desk.store.incident(incident["id"])
    assert after["status"] == "rejected"
    assert after["new_sources"] == 0
    assert len(live(desk)) == 1
    sources = desk.store.incident_sources(incident["id"])
    assert sum(1 for s in sources if s["superseded_at"] is not None) == 1


def test_analyst_merge_moves_sources_and_marks_the_duplicate(desk: Desk) -> None:
    desk.add(
        "https://a.example/1",
        KILLING_EN,
        [finding(KILLING_EN, KILLING_EN, types=["killing"], day="2024-03-03", location=BENGHAZI)],
    )
    # The Arabic report names no place the NLP resolved, so clustering kept it apart.
    desk.add(
        "https://b.example/1",
        KILLING_AR,
        [finding(KILLING_AR, KILLING_AR, types=["killing"], day="2024-03-03", location=None)],
        language="ar",
    )
    first, second = sorted(i["id"] for i in live(desk))
    cluster.merge(desk.store, second, first, actor="amira", reason="same lawyer")
    merged = desk.store.incident(second)
    assert merged["status"] == "duplicate"
    assert merged["merged_into"] == first
    target = desk.store.incident(first)
    assert target["documents"] == 2
    assert target["languages"] == ["ar", "en"]
    assert [a["action"] for a in desk.store.incident_audit(second)][-1] == "merged"
    assert [a["action"] for a in desk.store.incident_audit(first)][-1] == "absorbed"


def test_the_history_says_why_a_report_joined(desk: Desk) -> None:
    desk.add("https://en.example/a", EN_ABDUCTION, [en_abduction()])
    desk.add("https://ar.example/b", AR_ABDUCTION, [ar_abduction()], language="ar")
    (incident,) = live(desk)
    reasons = [e["reason"] for e in desk.store.incident_audit(incident["id"])]
    assert reasons[-1] == (
        "same event: same day; same place; types arbitrary_detention, enforced_disappearance; "
        "same perpetrator radaa force"
    )


def test_a_unit_and_the_force_it_then_belonged_to_name_one_perpetrator(desk: Desk) -> None:
    # Two days apart needs strong agreement: the 106th Brigade was the LAAF's in 2019.
    unit = {"name": "106th Brigade (Awliya al-Dam)", "category": "armed_group", "aliases": []}
    force = {"name": "Libyan Arab Armed Forces", "category": "armed_group", "aliases": []}
    kind = {"types": ["enforced_disappearance"], "location": BENGHAZI}
    first = "Men of the 106th Brigade abducted a deputy in Benghazi."
    desk.add(
        "https://a.example/1",
        first,
        [finding(first, first, day="2019-07-17", perpetrators=[unit], **kind)],
    )
    second = "Haftar's forces abducted a deputy in Benghazi."
    desk.add(
        "https://b.example/1",
        second,
        [finding(second, second, day="2019-07-19", perpetrators=[force], **kind)],
    )
    assert len(live(desk)) == 1


def test_a_facility_and_its_town_agree(desk: Desk) -> None:
    # Coordinates from the shipped gazetteer (nlp/data/gazetteer.json, m:mitiga-prison).
    mitiga = {
        "name": "Mitiga prison",
        "name_ar": "سجن معيتيقة",
        "admin1": "Tripoli",
        "lat": 32.8925,
        "lon": 13.28,
    }
    death = {"types": ["killing"], "day": "2024-05-12", "counts": {"killed": 1}}
    first = "A detainee died under torture in Mitiga prison."
    desk.add("https://a.example/1", first, [finding(first, first, location=mitiga, **death)])
    second = "A detainee died under torture in Tripoli."
    desk.add("https://b.example/1", second, [finding(second, second, location=TRIPOLI, **death)])
    assert len(live(desk)) == 1


QALA = {"name": "Al Qala", "name_ar": "القلعة", "admin1": "Jabal al Gharbi"}
MURZUQ = {"name": "Murzuq", "name_ar": "مرزق", "admin1": "Murzuq"}
# Coordinates from the shipped gazetteer (osm:village-35, a Nafusa village; gn:2214603).
QALA |= {"lat": 32.0483, "lon": 12.561}
MURZUQ |= {"lat": 25.9155, "lon": 13.9184}
LAAF = {"name": "Libyan Arab Armed Forces", "category": "armed_group", "aliases": []}
# Assumed sentences, shaped like the press's "the X district of the town of Y".
IN_QALAA = "Haftar's forces struck a meeting in the Qalaa district of the town of Murzuq."
IN_MURZUQ = "An air strike by Haftar's forces killed 30 people in Murzuq."


def test_a_place_named_beside_the_other_in_one_sentence_agrees(desk: Desk) -> None:
    # Issue #17: one report's place is a district the gazetteer reads as a namesake 700 km away,
    # but the sentence naming it also names the town the other report gives.
    strike = {"types": ["attack_on_civilians"], "perpetrators": [LAAF]}
    desk.add(
        "https://a.example/1",
        IN_QALAA,
        [finding(IN_QALAA, IN_QALAA, day="2019-08-04", location=QALA, **strike)],
    )
    desk.add(
        "https://b.example/1",
        IN_MURZUQ,
        [finding(IN_MURZUQ, IN_MURZUQ, day="2019-08-05", location=MURZUQ, **strike)],
    )
    (incident,) = live(desk)
    reasons = [e["reason"] for e in desk.store.incident_audit(incident["id"])]
    assert "one report names Murzuq in the sentence that gives its own place" in reasons[-1]


def test_a_sentence_naming_two_places_alone_tells_no_event(desk: Desk) -> None:
    # Without the same named perpetrator or count: a sentence may name two places struck in
    # turn.
    strike = {"types": ["attack_on_civilians"], "day": "2019-08-04"}
    desk.add(
        "https://a.example/1", IN_QALAA, [finding(IN_QALAA, IN_QALAA, location=QALA, **strike)]
    )
    desk.add(
        "https://b.example/1", IN_MURZUQ, [finding(IN_MURZUQ, IN_MURZUQ, location=MURZUQ, **strike)]
    )
    assert len(live(desk)) == 2


def test_an_undated_report_joins_on_the_same_toll_of_the_same_victims(desk: Desk) -> None:
    # Issue #17: an undated report that names no perpetrator joins on place, type, and the same
    # toll of one kind of victims. Assumed sentences, shaped like wire reports of a shooting in
    # a detention centre.
    migrants = [{"group": "migrants_refugees", "count": None}]
    shooting = {"types": ["killing"], "location": TRIPOLI, "victims": migrants}
    dated = "Guards shot dead six migrants in a Tripoli detention centre on 8 October 2021."
    desk.add(
        "https://a.example/1",
        dated,
        [finding(dated, dated, day="2021-10-08", counts={"killed": 6}, **shooting)],
    )
    undated = "At least six migrants were shot dead at a Tripoli detention centre on Friday."
    desk.add(
        "https://b.example/1",
        undated,
        [finding(undated, undated, day=None, counts={"killed": 6}, **shooting)],
        published=None,
    )
    (incident,) = live(desk)
    assert incident["documents"] == 2
    reasons = [e["reason"] for e in desk.store.incident_audit(incident["id"])]
    assert reasons[-1] == (
        "same event: one undated; same place; types killing; same victims (migrants_refugees); "
        "same count (killed 6)"
    )
    # A toll of one is every killing; six civilians are any shelling.
    one = "A migrant was shot dead in Tripoli."
    desk.add(
        "https://c.example/1",
        one,
        [finding(one, one, day=None, counts={"killed": 1}, **shooting)],
        published=None,
    )
    civilians = [{"group": "civilians", "count": None}]
    six = "Six civilians were killed in Tripoli."
    desk.add(
        "https://d.example/1",
        six,
        [
            finding(
                six,
                six,
                types=["killing"],
                day=None,
                location=TRIPOLI,
                victims=civilians,
                counts={"killed": 6},
            )
        ],
        published=None,
    )
    assert sorted(i["documents"] for i in live(desk)) == [1, 1, 2]


def _keys(desk: Desk) -> set[tuple[str, int]]:
    with desk.store.transaction() as db:
        rows = db.execute("SELECT key, incident_id FROM incident_keys").fetchall()
    return {(str(k), int(i)) for k, i in rows}


def test_rekey_files_incidents_stored_before_a_rule_under_its_keys(desk: Desk) -> None:
    # An incident stored by a version whose rules gave fewer blocking keys (here: none for the
    # kinds of perpetrator and victims) is not found by an undated report until re-filed.
    # Assumed sentences, shaped like reports of a protest dispersed with gunfire.
    protesters = [{"group": "protesters", "count": None}]
    group = [{"name": "armed groups", "category": "armed_group"}]
    acts = {"types": ["killing", "repression_of_assembly"], "location": TRIPOLI}
    dated = "Armed groups fired on protesters in Tripoli on 26 August 2020, killing one."
    desk.add(
        "https://a.example/1",
        dated,
        [finding(dated, dated, day="2020-08-26", perpetrators=group, victims=protesters, **acts)],
    )
    (incident,) = live(desk)
    filed = _keys(desk)
    assert any(k.startswith("karmed_group/protesters@") for k, _ in filed)
    with desk.store.transaction() as db:
        db.execute("DELETE FROM incident_keys WHERE key LIKE 'k%'")
    before = desk.store.incident(incident["id"])
    assert cluster.rekey(desk.store) == 1
    assert _keys(desk) == filed
    assert cluster.rekey(desk.store, batch=1) == 1  # again, a page at a time: the same keys
    assert _keys(desk) == filed
    assert desk.store.incident(incident["id"]) == before  # nothing else changed
    undated = "A protester was shot dead by an armed group dispersing a protest in Tripoli."
    desk.add(
        "https://b.example/1",
        undated,
        [finding(undated, undated, day=None, perpetrators=group, victims=protesters, **acts)],
        published=None,
    )
    (joined,) = live(desk)
    assert joined["documents"] == 2


def test_an_undated_pages_day_and_month_is_stored_and_keeps_another_month_apart(
    desk: Desk,
) -> None:
    # Assumed reports: an undated page tells the Radaa force's abduction of students in Tripoli
    # "on 12 May" (`nlp.model.Incident.to_stored` adds `day_month` beside the contract's fields).
    undated = dict(en_abduction(), date=None, day_month={"month": 5, "first": 12, "last": 12})
    first = desk.add("https://u.example/may", EN_ABDUCTION + " 1", [undated], published=None)
    (stored,) = desk.store.candidates(first)
    assert (stored["yearless_month"], stored["yearless_first"], stored["yearless_last"]) == (
        5,
        12,
        12,
    )
    assert "day_month" not in stored["finding"]  # the finding stays the contract's incident
    # A dated report of the same force's abduction there in March is another event...
    march = dict(
        en_abduction(), date={"start": "2024-03-02", "end": "2024-03-02", "precision": "day"}
    )
    desk.add("https://d.example/march", EN_ABDUCTION + " 2", [march])
    assert len(live(desk)) == 2
    # ...and the report of 12 May 2024 is this one, with why in the history.
    desk.add("https://d.example/may", EN_ABDUCTION + " 3", [en_abduction()])
    joined = [i for i in live(desk) if i["documents"] == 2]
    assert len(joined) == 1
    reasons = [e["reason"] for e in desk.store.incident_audit(joined[0]["id"])]
    assert any("12 May without a year agreeing" in (r or "") for r in reasons)


def test_a_documents_candidate_that_matches_a_report_better_takes_it_before_its_sibling(
    desk: Desk,
) -> None:
    # Assumed reports, in the shape of corpus pages on air strikes in Derna: an undated page
    # tells an Egyptian strike that killed seven; a later page tells a new Egyptian strike there
    # (first) and recalls the strike that killed seven (second). Both match the undated report;
    # the recalled strike, with the same toll, matches it better and takes it.
    egypt = {"name": "Egyptian Air Force", "category": "foreign_forces"}
    derna = {"name": "Derna", "name_ar": "درنة", "admin1": "Derna", "lat": 32.767, "lon": 22.637}
    told = "Egyptian jets struck Derna, killing seven. Egyptian jets struck Derna again."
    first, second = told.split(". ")
    kind = {"types": ["attack_on_civilians"], "location": derna, "perpetrators": [egypt]}
    undated = finding(told, first, day=None, counts={"killed": 7}, **kind)
    lone = desk.add("https://u.example/strike", told, [undated], published=None)
    new = finding(told, second, day="2017-05-01", precision="month", **kind)
    recalled = finding(
        told, first, day="2015-02-01", precision="month", counts={"killed": 7}, **kind
    )
    later = desk.add("https://d.example/strikes", told + " ", [new, recalled])
    (joined,) = [i for i in live(desk) if i["documents"] == 2]
    members = desk.store.member_candidates([joined["id"]])
    assert {(m["document_id"], m["ordinal"]) for m in members} == {(lone, 0), (later, 1)}


def _documents_together(desk: Desk) -> list[tuple[int, ...]]:
    """Each live incident's documents, superseded readings included."""
    return sorted(
        tuple(sorted({s["document_id"] for s in desk.store.incident_sources(i["id"])}))
        for i in live(desk)
    )


@pytest.mark.parametrize("order", ["published", "reverse"])
def test_a_precedent_on_an_old_page_and_a_later_event_stay_apart_in_either_order(
    desk: Desk, order: str
) -> None:
    # Assumed reports, shaped like the corpus's (dv-e-013 / dv-b-029, judged different events):
    # a page of October 2019 recalls, undated, a brigade's abduction of an MP in Benghazi; a
    # page of October 2023 reports that brigade's abduction of a former minister there.
    from storage import Analysed

    brigade = [{"name": "106th Brigade (Awliya al-Dam)", "category": "armed_group"}]
    kind = {"types": ["enforced_disappearance"], "location": BENGHAZI, "perpetrators": brigade}
    old = "The brigade, which once abducted an MP in Benghazi, denies holding anyone."
    new = "Gunmen of the brigade abducted a former minister in Benghazi on 7 October 2023."
    pages = [
        ("https://a.example/2019", old, finding(old, old, day=None, **kind), date(2019, 10, 13)),
        ("https://b.example/2023", new, finding(new, new, day="2023-10-07", **kind), None),
    ]
    ids = {
        url: desk.add(url, text, [found], published=published)
        for url, text, found, published in (pages if order == "published" else pages[::-1])
    }
    apart = _documents_together(desk)
    assert len(apart) == 2
    # Clustering again, or re-analysing either page, keeps them apart.
    assert cluster.attach_pending(desk.store) == 0
    for url, _, found, _ in pages:
        assert desk.store.record_analysis(ids[url], Analysed("test-nlp-2", "en", [found]))
        cluster.attach(desk.store, ids[url])
        assert _documents_together(desk) == apart


def _three_reports() -> list[tuple[str, str, dict, date | None]]:
    # Assumed reports, shaped like the corpus's (dv-b-020, dv-b-029, dv-e-008): a page with no
    # date says, undated, that a brigade abducted an MP in Benghazi; a page of October 2023
    # tells the brigade's abduction of 18 people there; a page of July 2019 tells its abduction
    # of the MP.
    brigade = [{"name": "106th Brigade (Awliya al-Dam)", "category": "armed_group"}]
    kind = {"types": ["enforced_disappearance"], "location": BENGHAZI, "perpetrators": brigade}
    undated = "The brigade abducted the MP from her home in Benghazi."
    mass = "The brigade abducted 18 people in Benghazi on 7 October 2023."
    mp = "The brigade abducted the MP from her home in Benghazi on 17 July 2019."
    return [
        (
            "https://u.example/mp",
            undated,
            finding(undated, undated, day=None, counts={"abducted": 1}, **kind),
            None,
        ),
        (
            "https://a.example/2023",
            mass,
            finding(mass, mass, day="2023-10-07", counts={"abducted": 18}, **kind),
            date(2023, 10, 8),
        ),
        (
            "https://b.example/2019",
            mp,
            finding(mp, mp, day="2019-07-17", counts={"abducted": 1}, **kind),
            date(2019, 7, 18),
        ),
    ]


@pytest.mark.parametrize("order", [(0, 1, 2), (1, 0, 2), (2, 0, 1), (1, 2, 0), (0, 2, 1)])
def test_an_undated_report_ends_with_its_best_match_whatever_came_first(
    desk: Desk, order: tuple[int, ...]
) -> None:
    # Before the 2019 page arrives, the undated report and the 2023 page are one incident (the
    # only match then); once the 2019 page, a better match (the same toll too), arrives, the
    # undated report moves there.
    reports = _three_reports()
    ids = {}
    for k in order:
        url, text, found, published = reports[k]
        ids[url] = desk.add(url, text, [found], published=published)
    undated, mass, mp = (ids[url] for url, _, _, _ in reports)
    assert _documents_together(desk) == sorted([(mass,), tuple(sorted((undated, mp)))])
    # The move is in both histories, with why.
    moved = [
        e
        for i in live(desk)
        for e in desk.store.incident_audit(i["id"])
        if e["action"] == "detached"
    ]
    if order[-1] == 2:  # the 2019 page came last: the undated report was with the 2023 one
        assert len(moved) == 1 and f"document {undated}" in moved[0]["from_value"]
        assert "better" in moved[0]["reason"]
    else:
        assert moved == []
    # Clustering again changes nothing.
    assert cluster.attach_pending(desk.store) == 0
    assert _documents_together(desk) == sorted([(mass,), tuple(sorted((undated, mp)))])


def test_an_undated_report_stays_in_an_incident_an_analyst_has_acted_on(desk: Desk) -> None:
    reports = _three_reports()
    ids = {}
    for k in (1, 0):
        url, text, found, published = reports[k]
        ids[url] = desk.add(url, text, [found], published=published)
    (joined,) = [i["id"] for i in live(desk)]
    desk.store.set_incident_status(joined, "in_review", actor="analyst")
    url, text, found, published = reports[2]
    ids[url] = desk.add(url, text, [found], published=published)
    undated, mass, mp = (ids[url] for url, _, _, _ in reports)
    assert _documents_together(desk) == sorted([tuple(sorted((undated, mass))), (mp,)])


def test_moving_a_report_refuses_one_the_incident_does_not_hold(desk: Desk) -> None:
    reports = _three_reports()
    for url, text, found, published in reports[1:]:
        desk.add(url, text, [found], published=published)
    before = _documents_together(desk)
    (mass,), (mp,) = before
    incident_of = {
        m["document_id"]: m["incident_id"]
        for m in desk.store.member_candidates([i["id"] for i in live(desk)])
    }
    with pytest.raises(ValueError, match="supports no incident"):
        desk.store.move_document(
            mp, incident_of[mass], incident_of[mp], actor="test", reason="test", is_new=False
        )
    assert _documents_together(desk) == before
