"""`--set KEY=VALUE`: Scrapy settings from the command line, checked before a crawl starts.

Scrapy reads a setting's value only when the component that needs it starts, inside the crawl:
a `DOWNLOAD_DELAY=abc` surfaced there as a CRITICAL log line while the command exited 0. Here
each value is read as the type of the setting's default (Marsad's, else Scrapy's), so a wrong
one is a one-line error before anything runs. Keys neither knows (an extension's own settings)
pass through as given.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

# Settings whose default is None, so their type cannot be read off it.
_TYPED_NONE: dict[str, type] = {"MARSAD_CPU_WORKERS": int, "MARSAD_SINCE": date}
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


class OverrideError(ValueError):
    """A `--set` that cannot work; the message names the key and says what it takes."""


def _default(key: str) -> Any:
    from scrapy.settings import default_settings

    from marsad import settings as marsad_settings

    for module in (marsad_settings, default_settings):
        if hasattr(module, key):
            return getattr(module, key)
    return None


def _number(key: str, text: str, whole: bool) -> int | float:
    try:
        value: int | float = int(text) if whole else float(text)
    except ValueError:
        kind = "a whole number" if whole else "a number"
        raise OverrideError(f"--set {key} takes {kind}, not {text!r}") from None
    if not math.isfinite(value) or value < 0:
        raise OverrideError(f"--set {key} takes a number of 0 or more, not {text!r}")
    return value


def _typed(key: str, text: str) -> Any:
    default = _default(key)
    kind = _TYPED_NONE.get(key) or type(default)
    if kind is bool:
        if text.strip().lower() in _TRUE:
            return True
        if text.strip().lower() in _FALSE:
            return False
        raise OverrideError(f"--set {key} takes True or False, not {text!r}")
    if kind in (int, float):
        # Delays and timeouts are read as floats whatever their default looks like.
        whole = kind is int and not key.endswith(("_DELAY", "_TIMEOUT"))
        return _number(key, text.strip(), whole)
    if kind is date:
        try:
            return date.fromisoformat(text.strip()).isoformat()
        except ValueError:
            raise OverrideError(f"--set {key} takes a date as YYYY-MM-DD, not {text!r}") from None
    return text


def parse(pairs: list[str] | None) -> dict[str, Any]:
    """`KEY=VALUE` strings as settings; a key given twice takes its last value, as on Scrapy's
    own command line."""
    overrides: dict[str, Any] = {}
    for pair in pairs or []:
        key, sep, text = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise OverrideError(f"--set takes KEY=VALUE, not {pair!r}")
        overrides[key] = _typed(key, text)
    return overrides
