"""The trends chart: incidents a week as stacked bars, drawn on the server as SVG (no script, no
chart library), the most frequent keys each with its colour and the rest as "other"."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from storage import trends

if TYPE_CHECKING:
    from storage import Store
    from storage.incidents import IncidentFilter

WEEKS = 52
SHOWN = 6  # keys with a colour of their own
WIDTH, HEIGHT, BOTTOM = 720.0, 220.0, 20.0


def chart(store: Store, where: IncidentFilter, by: str) -> dict[str, Any]:
    """Bars (x, y, width, height, key, week, n) and the legend's keys for `where` split `by`."""
    rows = trends.weekly(store, where, by, weeks=WEEKS)
    if not rows:
        return {"bars": [], "keys": [], "weeks": [], "top": 0, "total": 0}
    totals: dict[str, int] = {}
    for row in rows:
        totals[str(row["key"])] = totals.get(str(row["key"]), 0) + int(row["n"])
    keys = sorted(totals, key=lambda k: (-totals[k], k))[:SHOWN]
    last: date = max(row["week"] for row in rows)
    weeks = [last - timedelta(weeks=WEEKS - 1 - i) for i in range(WEEKS)]
    stacks: dict[date, dict[str, int]] = {w: {} for w in weeks}
    for row in rows:
        key = str(row["key"]) if str(row["key"]) in keys else "other"
        stack = stacks.setdefault(row["week"], {})
        stack[key] = stack.get(key, 0) + int(row["n"])
    order = [*keys, "other"]
    top = max(sum(s.values()) for s in stacks.values())
    step = WIDTH / WEEKS
    scale = (HEIGHT - BOTTOM) / top
    bars = []
    for i, week in enumerate(weeks):
        base = HEIGHT - BOTTOM
        for key in order:
            n = stacks[week].get(key, 0)
            if not n:
                continue
            height = n * scale
            base -= height
            bars.append(
                {
                    "x": round(i * step + 1, 1),
                    "y": round(base, 1),
                    "width": round(step - 2, 1),
                    "height": round(height, 1),
                    "key": key,
                    "colour": order.index(key),
                    "week": week,
                    "n": n,
                }
            )
    used = [k for k in order if any(b["key"] == k for b in bars)]
    return {
        "bars": bars,
        "keys": [(k, order.index(k)) for k in used],
        "weeks": weeks,
        "top": top,
        "total": sum(totals.values()),
        "labels": [(round(i * step, 1), w) for i, w in enumerate(weeks) if i % 13 == 0],
    }
