"""Which figure an incident's count takes (issue 13, kind 6: counts taken from another clause).

Sentences are written for these tests after shapes seen in the training folds of the corpus and
the annotation guide's rule for counts ("only those the text states; use the figure the text
gives"); none is corpus text.
"""

from __future__ import annotations

from datetime import date

from nlp.victims import (
    incident_counts,
)
from tests.nlp.rules import rules_incidents


def test_the_best_scored_sentence_gives_the_figure_not_the_largest() -> None:
    found = incident_counts(
        [
            (0.9, 0, {"killed": 13}),
            (0.6, 120, {"killed": 30, "injured": 4}),
            (0.9, 300, {"killed": 16}),
        ]
    )
    assert found == {"killed": 13, "injured": 4}


def test_an_unverified_wider_figure_later_does_not_replace_the_count() -> None:
    # A release gives the confirmed toll of one attack, then wider figures from other reports.
    text = (
        "Gunmen shot dead 13 Egyptian migrants in Bani Walid on 26 April 2016, the agency said. "
        "Media reports mentioned as many as 30 people killed, but these could not be verified."
    )
    (incident,) = rules_incidents(text, "en", date(2016, 4, 29))
    assert incident.counts.killed == 13
