"""The analysis costs time linear in the text, whatever a hostile page strings together.

Timings belong in bench/nlp_scaling.py; these tests count work instead: the tokens the casualty
counters look at, the candidate fields the date filter reads, the text a "while" cut reads dates
in. Before the fix, a sentence of n numbers made the counters read about n²/2 tokens, and n
dates made the filter compare n²/2 pairs.
"""

from __future__ import annotations

from datetime import date
from typing import Any, SupportsIndex, overload

from nlp import dates
from nlp.text import Token, normalise, tokens
from nlp.victims import casualty_counts, find_count_words, find_groups, find_numbers, group_counts


class CountingTokens(list[Token]):
    """A token list that counts the tokens read from it."""

    reads = 0

    @overload
    def __getitem__(self, i: SupportsIndex) -> Token: ...
    @overload
    def __getitem__(self, i: slice) -> list[Token]: ...
    def __getitem__(self, i: SupportsIndex | slice) -> Token | list[Token]:
        found = super().__getitem__(i)
        self.reads += len(found) if isinstance(i, slice) else 1
        return found


def _sentence(phrase: str, times: int, language: str) -> tuple[str, CountingTokens]:
    text = phrase * times
    return text, CountingTokens(tokens(normalise(text)))


def test_casualty_counts_read_each_token_a_bounded_number_of_times() -> None:
    for language, phrase in (
        ("en", "killed 5 civilians and wounded 3 children, "),
        ("ar", "مقتل 5 مدنيين وإصابة 3 أطفال و"),
    ):
        text, toks = _sentence(phrase, 2000, language)
        numbers = find_numbers(toks, language, text)
        words = find_count_words(toks, language)
        toks.reads = 0
        counts = casualty_counts(words, numbers, toks, language)
        assert counts == {"killed": 5, "injured": 3}
        assert toks.reads <= 10 * (len(words) + len(numbers)), language


def test_group_counts_read_each_number_a_bounded_number_of_times() -> None:
    text, toks = _sentence("killed 5 civilians and wounded 3 children, ", 2000, "en")
    numbers = find_numbers(toks, "en", text)
    groups = find_groups(toks, "en")
    toks.reads = 0
    assert group_counts(groups, numbers, toks) == {"civilians": 5, "children": 3}
    assert toks.reads <= 10 * (len(groups) + len(numbers))


class CountingCandidate(dates._Cand):
    """A date candidate that counts how often its offsets are read."""

    reads = 0

    def __getattribute__(self, name: str) -> Any:
        if name in ("start", "end"):
            CountingCandidate.reads += 1
        return super().__getattribute__(name)


def test_overlap_filter_compares_each_date_with_its_neighbours_only() -> None:
    n = 400
    day = date(2023, 5, 3)
    cands: list[dates._Cand] = [
        CountingCandidate(10 * i, 10 * i + 8, "day", False, True, day, day) for i in range(n)
    ]
    # and one long candidate that hides the three it overlaps
    cands.append(CountingCandidate(15, 32, "day", False, True, day, day))
    CountingCandidate.reads = 0
    kept = dates._longest_first(cands)
    assert [(c.start, c.end) for c in kept[:3]] == [(0, 8), (15, 32), (40, 48)]
    assert len(kept) == n - 2
    assert CountingCandidate.reads <= 40 * n


def test_a_sentence_of_endless_while_clauses_reads_a_bounded_text(monkeypatch: Any) -> None:
    # "X was killed in A while Y was killed in A while ...": no cut holds (the same town, no
    # times), and reading both whole sides at each "while" cost n²: 109 s for 35,000 characters.
    from nlp import clauses

    read = 0
    real_find_dates = clauses.find_dates

    def counting(text: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal read
        read += len(text)
        return real_find_dates(text, *args, **kwargs)

    monkeypatch.setattr(clauses, "find_dates", counting)
    for language, phrase, act in (
        ("en", "Gunmen killed a man in Sirte while ", "killed"),
        ("ar", "قتل مسلحون رجلا في سرت فيما ", "قتل"),
    ):
        text = phrase * 2000
        acts = [i for i in range(len(text)) if text.startswith(act, i)]
        read = 0
        assert clauses.split(text, 0, len(text), language, acts) == [(0, len(text))]
        assert read <= 2 * clauses.WHILE_TRIES * clauses.WHILE_REACH, language
