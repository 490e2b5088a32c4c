"""Article patterns that cannot stall a crawl: valid, and free of catastrophic backtracking.

Python's `re` backtracks. A repeat around something that can itself match in more than one way
(`(a+)+`, `(\\w|\\d)*`, `(x+y?)*`) tries exponentially many splits of a link that almost
matches, so one hostile link would hold a crawler for hours. Such a pattern is refused when the
registry is read; linear alternatives always exist for a URL shape (a character class instead of
an alternation, `[^/]+/` instead of a repeated group of repeats).
"""

from __future__ import annotations

import importlib
import re
from typing import Any

# The parser `re` compiles with (no public API; typeshed stubs only its deprecated alias).
sre_parse: Any = importlib.import_module("re._parser")
sre: Any = importlib.import_module("re._constants")


class PatternError(ValueError):
    """An article pattern that does not compile or could backtrack catastrophically."""


# Repeats that can match their body more than once, so may split a string many ways.
_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT}


def _items(tree: Any) -> list[tuple[Any, Any]]:
    return list(tree.data if isinstance(tree, sre_parse.SubPattern) else tree)


def _children(op: Any, av: Any) -> list[Any]:
    """The sub-patterns one node holds."""
    if op in _REPEATS or op is sre.POSSESSIVE_REPEAT:
        return [av[2]]
    if op is sre.SUBPATTERN:
        return [av[3]]
    if op is sre.BRANCH:
        return list(av[1])
    if op in (sre.ASSERT, sre.ASSERT_NOT):
        return [av[1]]
    if op is sre.ATOMIC_GROUP:
        return [av]
    if op is sre.GROUPREF_EXISTS:
        return [b for b in av[1:] if b is not None]
    return []


def _ambiguous(tree: Any) -> str | None:
    """What in `tree` can match the same text in several ways, if anything."""
    for op, av in _items(tree):
        if op in _REPEATS and av[1] > 1:
            return "a repeat"
        if op is sre.BRANCH:
            return "an alternation"
        if op in (sre.ATOMIC_GROUP, sre.POSSESSIVE_REPEAT):
            continue  # no backtracking into these
        for child in _children(op, av):
            found = _ambiguous(child)
            if found:
                return found
    return None


def _nested(tree: Any) -> str | None:
    for op, av in _items(tree):
        if op in _REPEATS and av[1] > 1:
            inner = _ambiguous(av[2])
            if inner:
                return inner
        for child in _children(op, av):
            found = _nested(child)
            if found:
                return found
    return None


def check_pattern(pattern: str) -> re.Pattern[str]:
    """The compiled pattern, or PatternError saying why it cannot be used."""
    try:
        compiled = re.compile(pattern)
        tree = sre_parse.parse(pattern)
    except re.error as exc:
        raise PatternError(f"is not a valid regex: {exc}") from exc
    inner = _nested(tree)
    if inner:
        raise PatternError(
            f"repeats a group that holds {inner}, which can backtrack catastrophically "
            "(like (a+)+): use a character class or a separator instead"
        )
    return compiled
