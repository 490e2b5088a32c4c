"""Search that knows Arabic and Libya: an index of the documents' words in the database, queries
expanded through the gazetteer's spellings, and matches ranked.

Documents and queries are normalised as `nlp.text` normalises (alef and hamza forms, ta marbuta
and ha, alef maqsura, diacritics, tatweel, Eastern digits, case), so الزاويه finds الزاوية and
إختطاف finds اختطاف. The documents are normalised in SQL, by a translation table read off
`nlp.text.fold` itself (`fold_table`): there is one definition of the folding, and the index of
half a million documents is built in a minute instead of the Python tokenizer's many.

A word is also found under the forms `nlp.text.arabic_stems` gives it (بمصراتة under مصراتة,
للمهاجرين under المهاجرين). A query word or phrase that is a place's spelling in the gazetteer
(`nlp.places.spellings`) matches any of that place's spellings in either script: Misurata finds
Misrata and مصراتة. Several words must all match (in any order); results are ranked by BM25
over the documents, an incident by its best document.

DuckDB's own full-text extension is not used: it cannot be installed from the package index for
the DuckDB in use (the wheel there is built for an older version and refuses to load), and its
stemmers do not fold Arabic.

The index follows the documents: `catch_up` indexes those added since it last ran (documents are
never edited or deleted), and every search calls it first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING, Any

from nlp.places import spellings
from nlp.text import arabic_stems, fold

if TYPE_CHECKING:
    from storage.incidents import IncidentFilter, IncidentQueries

# Words are runs of letters, digits and underscores, on both sides (RE2 in DuckDB, `re` here).
_SPLIT_SQL = r"[^\pL\pN_]+"
_WORD = re.compile(r"[^\W]+")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
# BM25's usual constants.
_K1, _B = 1.2, 0.75
# Latin articles a spelling may start with ("Az Zawiya", "al-Zawiya"): a query without it still
# names the place, as `nlp.places` reads names.
_ARTICLES = frozenset(
    {"al", "el", "the", "an", "ar", "as", "ash", "at", "ath", "az", "ad"}
    | {"adh", "ed", "en", "er", "es", "et", "ez"}
)
# Longest place spelling looked up in a query, in words.
_LONGEST = 4


@cache
def fold_table() -> tuple[str, str]:
    """`nlp.text.fold` as the two strings of SQL's `translate(text, from, to)`: the characters
    it maps to another (first) or deletes (after those), read off `fold` for every character of
    the Basic Multilingual Plane; lower case is SQL's `lower`, applied after as `fold` does."""
    mapped: list[tuple[str, str]] = []
    deleted: list[str] = []
    for code in range(0x10000):
        if 0xD800 <= code < 0xE000:
            continue
        char = chr(code)
        lower = char.lower()
        folded = fold(char)
        if folded == lower or len(lower) != 1:
            continue
        if folded:
            mapped.append((char, folded))
        else:
            deleted.append(char)
    return "".join(c for c, _ in mapped) + "".join(deleted), "".join(f for _, f in mapped)


def normalised_sql(expression: str) -> str:
    """SQL folding `expression` as `nlp.text.fold` does; takes the two `fold_table` parameters."""
    return f"lower(translate({expression}, ?, ?))"


def words(text: str) -> list[str]:
    """The normalised words of `text`, as the index splits documents."""
    return _WORD.findall(fold(text))


# -- the index --------------------------------------------------------------------------------


def catch_up(store: IncidentQueries) -> int:
    """Index the documents added since the index last grew; how many."""
    source, target = fold_table()
    with store.transaction() as db:
        row = db.execute(
            "SELECT (SELECT coalesce(max(document_id), -1) FROM search_documents), "
            "(SELECT coalesce(max(id), -1) FROM documents)"
        ).fetchone()
        assert row is not None
        done, last = int(row[0]), int(row[1])
        if last <= done:
            return 0
        db.execute("SET enable_progress_bar = false")
        text = normalised_sql("concat_ws(' ', d.title, d.text, d.url)")
        # Sorted by word, so the index's row groups cover narrow ranges of words and a search
        # reads only those that can hold its words.
        db.execute(
            "INSERT INTO search_postings "  # noqa: S608 - the folding is ours, values are parameters
            "SELECT term, id, count(*) FROM (SELECT d.id, unnest(string_split_regex("
            f"{text}, ?)) AS term "
            "FROM documents d WHERE d.id > ?) WHERE term <> '' GROUP BY ALL ORDER BY term",
            [source, target, _SPLIT_SQL, done],
        )
        added = db.execute(
            "INSERT INTO search_documents SELECT d.id, coalesce(sum(p.tf), 0) FROM documents d "
            "LEFT JOIN search_postings p ON p.document_id = d.id WHERE d.id > ? GROUP BY d.id",
            [done],
        ).fetchone()
        fresh = db.execute(
            "SELECT DISTINCT term FROM search_postings WHERE document_id > ? "
            "AND regexp_matches(term, '[\u0600-\u06ff]')",
            [done],
        ).fetchall()
        forms = {
            (form, term) for (term,) in fresh for form in arabic_stems(str(term)) if form != term
        }
        if forms:
            db.execute("CREATE TEMP TABLE new_forms (form VARCHAR, term VARCHAR)")
            try:
                db.executemany("INSERT INTO new_forms VALUES (?, ?)", sorted(forms))
                db.execute("INSERT OR IGNORE INTO search_forms SELECT * FROM new_forms")
            finally:
                db.execute("DROP TABLE new_forms")
        return int(added[0]) if added else 0


# -- queries ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Query:
    """What a search asks: every clause must match; a clause matches when any one of its
    alternatives does, and an alternative when all its words do."""

    clauses: tuple[tuple[tuple[str, ...], ...], ...]

    def __bool__(self) -> bool:
        return bool(self.clauses)


def _key(tokens: list[str]) -> str:
    return " ".join(tokens)


@dataclass(frozen=True, slots=True)
class _Places:
    index: dict[str, frozenset[int]]  # a spelling's words (also without its article): places
    alternatives: tuple[tuple[tuple[str, ...], ...], ...]  # each place's spellings, as words
    names: tuple[tuple[str, ...], ...]  # each place's names as incidents carry them


@cache
def _places() -> _Places:
    index: dict[str, set[int]] = {}
    alternatives: list[tuple[tuple[str, ...], ...]] = []
    names: list[tuple[str, ...]] = []
    for number, (place, spelt) in enumerate(spellings()):
        names.append(tuple(n for n in (place.name, place.name_ar) if n))
        forms: set[tuple[str, ...]] = set()
        for name in spelt:
            tokens = words(name)
            if not tokens:
                continue
            bare = tokens[1:] if len(tokens) > 1 and tokens[0] in _ARTICLES else tokens
            for variant in (tokens, bare):
                index.setdefault(_key(variant), set()).add(number)
            forms.add(tuple(bare))
        # "Misrata District" adds nothing to "Misrata": a document with the first has the second.
        kept = sorted(
            (f for f in forms if not any(set(o) < set(f) for o in forms)),
            key=lambda f: (len(f), f),
        )
        alternatives.append(tuple(kept))
    return _Places({k: frozenset(v) for k, v in index.items()}, tuple(alternatives), tuple(names))


def parse(text: str) -> Query:
    """The query `text` asks: its words, with place names (up to four words, longest first)
    expanded to every spelling of the places they name."""
    tokens = words(text)
    places_ = _places()
    clauses: list[tuple[tuple[str, ...], ...]] = []
    i = 0
    while i < len(tokens):
        for j in range(min(len(tokens), i + _LONGEST), i, -1):
            places = places_.index.get(_key(tokens[i:j]))
            if places:
                found = {tuple(tokens[i:j])}
                for place in sorted(places):
                    found.update(places_.alternatives[place])
                clauses.append(tuple(sorted(found, key=lambda f: (len(f), f))))
                i = j
                break
        else:
            clauses.append(((tokens[i],),))
            i += 1
    return Query(tuple(dict.fromkeys(clauses)))


def _query_rows(query: Query) -> tuple[list[int], list[int], list[int], list[str]]:
    clause, alt, need, form = [], [], [], []
    number = 0
    for c, alternatives in enumerate(query.clauses):
        for words_ in alternatives:
            for word in dict.fromkeys(words_):
                clause.append(c)
                alt.append(number)
                need.append(len(set(words_)))
                form.append(word)
            number += 1
    return clause, alt, need, form


# The query's words, one row each: its clause, its alternative (numbered across clauses), how
# many words that alternative needs, and the word.
_HEAD = (
    "WITH q AS (SELECT unnest(?::INTEGER[]) AS clause, unnest(?::INTEGER[]) AS alt, "
    "unnest(?::INTEGER[]) AS need, unnest(?::VARCHAR[]) AS form) "
)
# Each query word with the indexed words it stands for: itself, and those it is a form of.
_TERMS = (
    "(SELECT q.*, q.form AS term FROM q "
    "UNION SELECT q.*, f.term FROM q JOIN search_forms f ON f.form = q.form)"
)


def scores_sql(query: Query) -> tuple[str, list[Any]]:
    """SQL of (incident_id, score) for the incidents whose documents match `query`, with its
    parameters. A document scores BM25 summed over the clauses (a clause's words counted
    together, its postings standing for how common it is); an incident, its best document."""
    sql = f"""
        SELECT m.incident_id, max(s.score) AS score FROM (
            SELECT h.document_id, sum(
                ln(1 + (n.docs - z.n + 0.5) / (z.n + 0.5))
                * h.tf * {_K1 + 1} / (h.tf + {_K1} * (1 - {_B} + {_B} * sd.terms / n.mean))
            ) AS score
            FROM (
                SELECT t.clause, p.document_id, sum(p.tf) AS tf
                FROM {_TERMS} t JOIN search_postings p ON p.term = t.term
                WHERE p.document_id IN (SELECT document_id FROM matched)
                GROUP BY t.clause, p.document_id
            ) h
            JOIN sizes z ON z.clause = h.clause
            JOIN search_documents sd ON sd.document_id = h.document_id,
            (SELECT count(*) AS docs, greatest(avg(terms), 1) AS mean FROM search_documents) n
            GROUP BY h.document_id
        ) s JOIN incident_members m ON m.document_id = s.document_id
        GROUP BY m.incident_id
    """  # noqa: S608
    return _HEAD + _matching(query) + sql, list(_query_rows(query))


def _holds(query: Query, text: str) -> tuple[str, list[Any]]:
    """SQL condition: the normalised `text` expression holds every clause (any one of its
    alternatives, the words in order)."""
    source, target = fold_table()
    folded = normalised_sql(text)
    clauses = []
    params: list[Any] = []
    for alternatives in query.clauses:
        either = []
        for words_ in alternatives:
            either.append(f"{folded} LIKE ?")
            params.extend([source, target, "%" + "%".join(_like(w) for w in words_) + "%"])
        clauses.append("(" + " OR ".join(either) + ")")
    return " AND ".join(clauses), params


def own_text_sql(query: Query) -> tuple[str, list[Any]]:
    """SQL condition on incident `i`: its notes hold the query. (Its place names are those its
    documents give, which the documents' own words already match.)"""
    held, params = _holds(query, "i.notes")
    return f"(i.notes IS NOT NULL AND {held})", params


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _unindexed_sql(query: Query) -> tuple[str, list[Any]]:
    """SQL of the incidents whose documents not indexed yet hold the query: a search is complete
    before `catch_up` has run, only slower."""
    held, params = _holds(query, "concat_ws(' ', d.title, d.text, d.url)")
    return (
        "SELECT m.incident_id FROM documents d JOIN incident_members m ON m.document_id = d.id "  # noqa: S608 - built from fixed parts
        "WHERE d.id > (SELECT coalesce(max(document_id), -1) FROM search_documents) AND " + held
    ), params


def _matching(query: Query) -> str:
    """CTEs after `_HEAD`: `sizes`, each clause's postings (how common it is), and `matched`,
    the ids of the documents that match `query`.

    The clause with the fewest postings is read first, and the others only within its
    documents: "Report 12345" then reads the one document with 12345 and checks it for
    "report", instead of gathering the half a million documents that have "report"."""
    within = (
        ""
        if len(query.clauses) == 1
        else "WHERE p.document_id IN (SELECT p.document_id FROM "  # noqa: S608 - fixed parts
        f"{_TERMS} t JOIN search_postings p ON p.term = t.term "
        "WHERE t.clause = (SELECT clause FROM sizes ORDER BY n, clause LIMIT 1)) "
    )
    return (
        f", sizes AS (SELECT t.clause, count(*) AS n FROM {_TERMS} t "  # noqa: S608 - built from fixed parts
        "JOIN search_postings p ON p.term = t.term GROUP BY t.clause), "
        "matched AS (SELECT document_id FROM (SELECT t.clause, t.alt, p.document_id "
        f"FROM {_TERMS} t JOIN search_postings p ON p.term = t.term {within}"
        "GROUP BY t.clause, t.alt, p.document_id HAVING count(DISTINCT t.form) = max(t.need)) "
        f"GROUP BY document_id HAVING count(DISTINCT clause) = {len(query.clauses)}) "
    )


def matches_sql(query: Query) -> tuple[str, list[Any]]:
    """SQL of the ids of the documents that match `query`, unranked (a filter needs no score)."""
    sql = f"{_HEAD}{_matching(query)} SELECT document_id FROM matched"  # noqa: S608 - fixed parts
    return sql, list(_query_rows(query))


def condition(query: Query) -> tuple[str, list[Any]]:
    """SQL condition on incident `i`: its documents or its own text match `query` (any
    incident when the query has no words)."""
    if not query:
        return "TRUE", []
    found, params = matches_sql(query)
    own, own_params = own_text_sql(query)
    tail, tail_params = _unindexed_sql(query)
    return (
        "(i.id IN (SELECT m.incident_id FROM incident_members m "  # noqa: S608 - built from fixed parts
        f"WHERE m.document_id IN ({found})) OR i.id IN ({tail}) OR {own})",
        [*params, *tail_params, *own_params],
    )


def place_names(place: str) -> list[str]:
    """The names an incident carries for the places `place` is a spelling of in the gazetteer,
    in both scripts (none when it is no spelling there)."""
    places_ = _places()
    numbers = places_.index.get(_key(words(place)), frozenset())
    return sorted({name for n in numbers for name in places_.names[n]})


def place_condition(place: str) -> tuple[str, list[Any]]:
    """SQL condition on incident `i`: its place, or one its sources give, is a place `place`
    spells (in either script, with any of the gazetteer's spellings), or contains the text."""
    names = place_names(place)
    pattern = f"%{_like(place)}%"
    typed = "i.location_name ILIKE ? OR i.location_name_ar ILIKE ? OR i.place_names ILIKE ?"
    if not names:
        return f"({typed})", [pattern] * 3
    return (
        "(i.location_name IN (SELECT unnest(?::VARCHAR[])) "
        "OR i.location_name_ar IN (SELECT unnest(?::VARCHAR[])) "
        f"OR list_has_any(string_split(i.place_names, chr(10)), ?::VARCHAR[]) OR {typed})",
        [names, names, names, *[pattern] * 3],
    )


def ranked_page(
    store: IncidentQueries, where: IncidentFilter, *, limit: int | None, offset: int = 0
) -> tuple[list[int], int]:
    """The incidents matching `where`, best match of its text first (then by confidence), from
    `offset` on, and how many match in all. The index catches up first; the matches are scored
    once, for both the filter and the order."""
    query = parse(where.text or "")
    if not query:
        return store.incident_ids(where, limit=limit, offset=offset), store.incident_count(where)
    catch_up(store)
    rest, params = replace(where, text=None).where()
    scores, score_params = scores_sql(query)
    tail, tail_params = _unindexed_sql(query)
    own, own_params = own_text_sql(query)
    page = "" if limit is None else f"LIMIT {int(limit)} OFFSET {int(offset)}"
    # The few incidents that match are gathered first, then joined to the rest of the filter:
    # testing every incident against the match costs more than the match.
    rows = store._rows(
        f"WITH scores AS MATERIALIZED ({scores}), "  # noqa: S608 - built from fixed parts
        "hits AS (SELECT incident_id FROM scores "
        f"UNION SELECT incident_id FROM ({tail}) UNION SELECT i.id FROM incidents i WHERE {own}) "
        "SELECT i.id, count(*) OVER () AS total FROM incidents i "
        "JOIN hits h ON h.incident_id = i.id LEFT JOIN scores s ON s.incident_id = i.id "
        f"WHERE {rest} "
        f"ORDER BY s.score DESC NULLS LAST, i.confidence DESC, i.id DESC {page}",
        [*score_params, *tail_params, *own_params, *params],
    )
    total = int(rows[0]["total"]) if rows else store.incident_count(where)
    return [int(r["id"]) for r in rows], total


def ranked_neighbours(
    store: IncidentQueries, incident_id: int, where: IncidentFilter
) -> tuple[int | None, int | None]:
    """The incidents just before and after `incident_id` among the matches, best first."""
    ids = ranked_page(store, where, limit=None)[0]
    if incident_id not in ids:
        return None, None
    at = ids.index(incident_id)
    return (ids[at - 1] if at else None), (ids[at + 1] if at + 1 < len(ids) else None)
