"""Compile the actor registry: tools/actor_registry.toml -> nlp/data/actors.json and its sources.

    python tools/build_actor_registry.py            # write both files
    python tools/build_actor_registry.py --check    # fail if they are not what the table gives

The curated table is the only input, so the build is deterministic and needs no network. It
refuses a table that would make the matcher guess: an alias two actors share (after the
matcher's own normalisation), an alias that is a common English word once lower-cased ("IS",
"FACT"), an unknown category, parent or reference, or a date range that ends before it starts.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlp.model import ACTOR_CATEGORIES  # noqa: E402  (needs ROOT on the path)
from nlp.text import normalise, tokens  # noqa: E402

TABLE = ROOT / "tools" / "actor_registry.toml"
OUTPUT = ROOT / "nlp" / "data" / "actors.json"
SOURCES = ROOT / "nlp" / "data" / "ACTORS_SOURCES.md"

# ACLED's interaction codes, and the default for each of the project's categories.
INTER = {
    1: "state forces",
    2: "rebel groups",
    3: "political militias",
    4: "identity militias",
    5: "rioters",
    6: "protesters",
    7: "civilians",
    8: "external/other forces",
}
DEFAULT_INTER = {
    "state_forces": 1,
    "coast_guard": 1,
    "armed_group": 3,
    "unidentified_armed_men": 3,
    "traffickers": 3,
    "foreign_forces": 8,
}
# Lower-cased, these acronyms and names are ordinary English words.
ENGLISH_WORDS = frozenset({"is", "it", "as", "us", "fact", "an", "at", "on", "or", "in", "no"})
_ID = re.compile(r"[a-z][a-z0-9_]*")
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
FIELDS = {"id", "name", "name_ar", "category", "inter", "generic", "en", "ar"}
FIELDS |= {"parents", "area", "sources", "note"}


class TableError(ValueError):
    pass


def _key(alias: str) -> tuple[str, ...]:
    """An alias as the matcher sees it (nlp.text.PhraseIndex)."""
    return tuple(t.text for t in tokens(normalise(alias)))


def compile_table(table: dict[str, Any]) -> dict[str, Any]:
    references: dict[str, str] = table["references"]
    specs: list[dict[str, Any]] = table["actor"]
    errors: list[str] = []
    ids = [s.get("id", "") for s in specs]
    for actor_id, n in Counter(ids).items():
        if n > 1:
            errors.append(f"{actor_id}: defined {n} times")
    known = set(ids)
    owner: dict[tuple[str, ...], str] = {}
    actors = []
    for spec in specs:
        actor_id = spec.get("id", "")
        where = actor_id or "<no id>"
        if not _ID.fullmatch(actor_id):
            errors.append(f"{where}: id must be lower case letters, digits and '_'")
        if unknown := set(spec) - FIELDS:
            errors.append(f"{where}: unknown fields {sorted(unknown)}")
        category = spec.get("category")
        if category not in ACTOR_CATEGORIES:
            errors.append(f"{where}: unknown category {category!r}")
        inter = spec.get("inter", DEFAULT_INTER.get(str(category), 0))
        if inter not in INTER:
            errors.append(f"{where}: inter must be one of {sorted(INTER)}")
        for field in ("name", "name_ar"):
            if not str(spec.get(field, "")).strip():
                errors.append(f"{where}: no {field}")
        aliases: list[str] = []
        seen: set[tuple[str, ...]] = set()
        written = [spec.get("name", ""), *spec.get("en", []), *spec.get("ar", [])]
        # The press writes the possessive with either apostrophe; the matcher keeps both.
        written += [a.replace("'", "’") for a in written if "'" in a]
        for alias in written:
            key = _key(alias)
            if not key:
                continue
            if len(key) == 1 and key[0] in ENGLISH_WORDS:
                errors.append(f"{where}: alias {alias!r} is an English word once lower-cased")
            if key in seen:
                continue
            seen.add(key)
            aliases.append(alias)
            other = owner.setdefault(key, actor_id)
            if other != actor_id:
                errors.append(f"{where}: alias {alias!r} also names {other}")
        if not any(_key(a) for a in spec.get("ar", [])):
            errors.append(f"{where}: no Arabic alias")
        parents = []
        for parent in spec.get("parents", []):
            start, end = str(parent.get("from", "")), str(parent.get("to", ""))
            if parent.get("id") not in known:
                errors.append(f"{where}: unknown parent {parent.get('id')!r}")
            if not _DATE.fullmatch(start) or (end and not _DATE.fullmatch(end)):
                errors.append(f"{where}: parent dates must be YYYY, YYYY-MM or YYYY-MM-DD")
            elif end and end < start[: len(end)]:
                errors.append(f"{where}: parent {parent.get('id')} ends before it starts")
            parents.append(
                {"id": parent.get("id"), "from": start, "to": end or None}
                | ({"note": parent["note"]} if parent.get("note") else {})
            )
        sources = list(spec.get("sources", []))
        if not sources:
            errors.append(f"{where}: no sources")
        for source in sources:
            if source.split(":", 1)[0] not in references:
                errors.append(f"{where}: unknown reference {source!r}")
        entry: dict[str, Any] = {
            "id": actor_id,
            "name": spec.get("name"),
            "name_ar": spec.get("name_ar"),
            "category": category,
            "inter": inter,
        }
        if spec.get("generic"):
            entry["generic"] = True
        entry |= {
            "aliases": aliases,
            "parents": parents,
            "area": list(spec.get("area", [])),
            "sources": sources,
        }
        if spec.get("note"):
            entry["note"] = spec["note"]
        actors.append(entry)
    if errors:
        raise TableError("\n".join(errors))
    return {
        "version": table["version"],
        "about": (
            "Actors named as perpetrators in Libyan news and NGO reporting since 2011: armed "
            "groups, state security bodies, ministry forces, coalitions and foreign forces, with "
            "Arabic and English aliases, ACLED interaction codes, affiliations over time and "
            "areas of operation. Compiled by tools/build_actor_registry.py from "
            "tools/actor_registry.toml; do not edit by hand. Generic entries (armed men, "
            "militias, security forces) say what kind of actor, not which; a named alias always "
            "wins over a generic one inside it."
        ),
        "licence": table["licence"],
        "inter_codes": {str(k): v for k, v in INTER.items()},
        "references": dict(sorted(references.items())),
        "actors": actors,
    }


def render_json(registry: dict[str, Any]) -> str:
    """One actor a line, so that a change to the table is a readable diff."""
    head = {k: v for k, v in registry.items() if k != "actors"}
    lines = json.dumps(head, ensure_ascii=False, indent=1)[:-2]
    body = ",\n".join("  " + json.dumps(a, ensure_ascii=False) for a in registry["actors"])
    return f'{lines},\n "actors": [\n{body}\n ]\n}}\n'


def render_sources(registry: dict[str, Any]) -> str:
    actors = registry["actors"]
    arabic = re.compile(r"[\u0600-\u06ff]")
    n_ar = sum(1 for a in actors for x in a["aliases"] if arabic.search(x))
    n_all = sum(len(a["aliases"]) for a in actors)
    by_category = Counter(a["category"] for a in actors)
    by_inter = Counter(a["inter"] for a in actors)
    cited = Counter(s.split(":", 1)[0] for a in actors for s in a["sources"])
    out = [
        "# The actor registry (`actors.json`): size, sources, licence",
        "",
        "Generated by `tools/build_actor_registry.py` from `tools/actor_registry.toml`; do not",
        "edit by hand.",
        "",
        f"- Edition {registry['version']}: {len(actors)} actors "
        f"({sum(1 for a in actors if a.get('generic'))} generic descriptions), "
        f"{n_all} aliases ({n_ar} Arabic, {n_all - n_ar} English or Latin script), "
        f"{sum(len(a['parents']) for a in actors)} dated affiliations.",
        "- By category: " + ", ".join(f"{c} {n}" for c, n in sorted(by_category.items())) + ".",
        "- By ACLED interaction code: "
        + ", ".join(f"{k} ({INTER[k]}) {n}" for k, n in sorted(by_inter.items()))
        + ".",
        "",
        f"Licence: {registry['licence']}",
        "",
        "## References (entries citing each)",
        "",
    ]
    for key, citation in registry["references"].items():
        out.append(f"- `{key}` ({cited.get(key, 0)}): {citation}")
    return "\n".join(out) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="fail if the outputs are stale")
    args = ap.parse_args()
    try:
        registry = compile_table(tomllib.loads(TABLE.read_text(encoding="utf-8")))
    except TableError as exc:
        print(f"{TABLE.name}:\n{exc}", file=sys.stderr)
        return 1
    outputs = {OUTPUT: render_json(registry), SOURCES: render_sources(registry)}
    if args.check:
        stale = [p for p, text in outputs.items() if p.read_text(encoding="utf-8") != text]
        for path in stale:
            print(f"{path.relative_to(ROOT)} is stale: run tools/build_actor_registry.py")
        return 1 if stale else 0
    for path, text in outputs.items():
        path.write_text(text, encoding="utf-8")
    print(f"{len(registry['actors'])} actors -> {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
