"""Source health: what each run of a source found, and which sources have gone quiet.

A run *yields articles* when its index listed article links and, if it tried to fetch new ones,
at least one of them gave article text. A source whose last few runs yielded none has most
likely changed its markup, moved its feed or started refusing the crawler: it is flagged, in
`marsad sources` and in the run log, rather than left to fail quietly. A site with no news is
not flagged: its index still lists the articles seen before.

A run that could not see at all is louder still: its outcome (`pipeline.runs.outcome`) says
why, and a source whose latest run was blind shows that state (`unreachable`, `selector matches
nothing`, `no articles`...) with the start of the streak, from its first run onwards.

The figures come from each run's Scrapy stats (`crawl_runs.stats`), so no extra bookkeeping is
needed during a crawl.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence

# This many runs in a row without articles flag a source.
SILENT_RUNS = 3
# The finish reasons of runs that did not see the source, and the health each gives it.
BLIND = {
    "unreachable": "unreachable",
    "index_refused": "index refused",
    "bad_index": "index unreadable",
    "selector_matches_nothing": "selector matches nothing",
    "no_matching_links": "no articles",
    "no_links": "no articles",
}


def _stat(key: str) -> str:
    # Stats keys hold slashes, so they are quoted inside the JSON path.
    return f"coalesce(try_cast(stats->>'$.\"{key}\"' AS BIGINT), 0)"


# One row per ended run of a source with the figures health needs. Built from constants only.
_RUN_FIGURES = f"""
    SELECT id, source, started_at, finished_at, status, finish_reason,
        {_stat("spider/article_links")} AS listed,
        {_stat("spider/articles_discovered")} AS discovered,
        pages_fetched AS fetched,
        {_stat("pipeline/extracted")} AS extracted,
        documents_new AS stored,
        failures AS failed
    FROM crawl_runs
    WHERE status IN ('finished', 'failed', 'empty')
"""  # noqa: S608
_YIELDED = "(listed > 0 AND NOT (discovered > 0 AND extracted = 0))"


class HealthQueries:
    """Store mixin: per-run figures of each source and the sources that have gone quiet."""

    if TYPE_CHECKING:
        # Provided by `Store`, which this mixin is part of.
        def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]: ...

        def _one(self, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None: ...

    def failed_fetches(self, source: str) -> dict[str, str]:
        """The URLs of `source` whose last fetch failed, with the reason it last failed."""
        rows = self._rows(
            "SELECT url, arg_max(reason, id) AS reason FROM failures "
            "WHERE source = ? AND stage = 'fetch' GROUP BY url",
            [source],
        )
        return {r["url"]: r["reason"] for r in rows}

    def run_figures(self, source: str, limit: int = 10) -> list[dict[str, Any]]:
        """The last `limit` ended runs of `source`, newest first, with `yielded` for each."""
        return self._rows(
            f"SELECT *, {_YIELDED} AS yielded FROM ({_RUN_FIGURES}) "  # noqa: S608
            "WHERE source = ? ORDER BY id DESC LIMIT ?",
            [source, limit],
        )

    def empty_run_streak(self, source: str) -> int:
        """How many of the source's latest ended runs in a row yielded no articles."""
        row = self._one(
            f"SELECT count(*) AS n FROM ({_RUN_FIGURES}) r WHERE source = ? AND id > "  # noqa: S608
            f"coalesce((SELECT max(id) FROM ({_RUN_FIGURES}) y WHERE source = ? AND "
            f"{_YIELDED}), -1)",
            [source, source],
        )
        return 0 if row is None else int(row["n"])

    def source_health(self) -> dict[str, dict[str, Any]]:
        """Per source that has run: its last run's figures, last success and empty-run streak."""
        rows = self._rows(
            f"""
            WITH runs AS ({_RUN_FIGURES}),
            marked AS (SELECT *, {_YIELDED} AS yielded FROM runs),
            latest AS (
                SELECT * FROM marked
                QUALIFY row_number() OVER (PARTITION BY source ORDER BY id DESC) = 1
            ),
            success AS (
                SELECT source, max(id) AS last_yield, max(finished_at) AS last_success
                FROM marked WHERE yielded GROUP BY source
            )
            SELECT latest.*, success.last_success,
                (SELECT count(*) FROM marked m WHERE m.source = latest.source
                    AND m.id > coalesce(success.last_yield, -1)) AS empty_runs
            FROM latest LEFT JOIN success USING (source)
            ORDER BY latest.source
            """  # noqa: S608
        )
        health = {}
        for row in rows:
            row["flagged"] = int(row["empty_runs"]) >= SILENT_RUNS
            row["health"], row["health_since"] = self._state(row)
            health[row["source"]] = row
        return health

    def _state(self, latest: dict[str, Any]) -> tuple[str, Any]:
        """The source's health word and when that state began (its first run in the streak)."""
        label = BLIND.get(latest["finish_reason"] or "") if latest["status"] != "finished" else None
        if label is None and not latest["flagged"]:
            return "ok", None
        runs = self._rows(
            "SELECT started_at, status, finish_reason FROM crawl_runs "
            "WHERE source = ? AND status IN ('finished', 'failed', 'empty') "
            "ORDER BY id DESC LIMIT ?",
            [latest["source"], 1000 if label else int(latest["empty_runs"])],
        )
        since = latest["started_at"]
        for run in runs:
            same = run["status"] != "finished" and BLIND.get(run["finish_reason"] or "") == label
            if label is not None and not same:
                break
            since = run["started_at"]
        return label or "no articles", since
