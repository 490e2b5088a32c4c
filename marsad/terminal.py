"""Printing to the terminal: scraped text made inert before Rich sees it."""

from __future__ import annotations

import re

from rich.text import Text

# C0 and C1 control characters other than tab and newline.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def inert(value: object) -> Text:
    """Scraped text for the terminal: never read as Rich markup, control characters made visible.

    Rich parses `[...]` in plain strings as markup (a stray `[/x]` in a URL raises, a
    `[link=javascript:...]` becomes a live terminal hyperlink), and an ESC character passes
    straight to the terminal; anything that came from a page or a server goes through here.
    """
    text = "" if value is None else str(value)
    return Text(_CONTROL.sub(lambda m: repr(m.group())[1:-1], text))
