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
the DuckDB in use (the newest there, duckdb-ext-fts 1.4.4.20260205, is built for DuckDB 1.4.4,
which 2.0.1 refuses to load: checked 2026-12-06), and its stemmers do not fold Arabic.

Documents are indexed as they are stored (`index_added`, in the storing transaction), never by
a search; `catch_up` indexes what an older version stored, a chunk per transaction. Until then
a search reads the texts not yet indexed: complete, only slower. A word in more than half the
indexed documents is common: the index keeps the documents that lack it instead of those that
hold it, so a search for "the" or "في" reads a short list and gathers no half a million
documents; it weighs nothing in the ranking (BM25 gives it almost nothing anyway).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING, Any

from nlp.places import spellings
from nlp.text import arabic_stems, fold

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    import duckdb

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

# A word in more than this share of the indexed documents is common: the index lists the
# documents that lack it (`search_absent`) instead of those that hold it, so that neither list
# is ever longer than half the documents ...
_COMMON_SHARE = 0.5
# ... once the index holds this many documents (below, every list is short anyway).
_COMMON_FROM = 1_000
# Documents `catch_up` indexes in one transaction: a server's requests wait at most this long.
CHUNK = 5_000


# Words known to be common in a store this process opened, and the forms of those words (a
# query word stands for the words it is a form of). Only a hint of which of two equivalent forms
# of SQL is the fast one for a word, and which checks can be left out: the store's own lists are
# read at its opening and kept up by `_promote`, so this is all its common words or more.
_COMMON_HINT: set[str] = set()
_COMMON_FORMS_HINT: set[str] = set()


def _note_common(terms: Iterable[str]) -> None:
    for term in terms:
        _COMMON_HINT.add(term)
        _COMMON_FORMS_HINT.update(arabic_stems(term))


def remember_common(db: duckdb.DuckDBPyConnection) -> None:
    """Note the store's common words (`_COMMON_HINT`), as it opens."""
    _note_common(str(t) for (t,) in db.execute("SELECT term FROM search_common").fetchall())


def indexed_through(db: duckdb.DuckDBPyConnection) -> int:
    """The id up to which every document is indexed (documents are indexed in id order)."""
    row = db.execute("SELECT coalesce(max(document_id), -1) FROM search_documents").fetchone()
    return int(row[0]) if row else -1


def pending(store: IncidentQueries) -> int:
    """How many documents are not indexed yet (a search reads them, slowly, from their text)."""
    with store.transaction() as db:
        row = db.execute(
            "SELECT count(*) FROM documents WHERE id > ?", [indexed_through(db)]
        ).fetchone()
    return int(row[0]) if row else 0


def catch_up(
    store: IncidentQueries,
    *,
    chunk: int = CHUNK,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Index the documents not indexed yet, `chunk` at a time, each chunk its own transaction
    (`progress(done, total)` after each); then sort out the common words. How many.

    Documents stored meanwhile (a crawl while the server catches up) are not indexed as they
    are stored, the index being behind: the chunks go on until none is left."""
    total = pending(store)
    done = 0
    while True:
        with store.transaction() as db:
            after = indexed_through(db)
            row = db.execute(
                "SELECT max(id) FROM (SELECT id FROM documents WHERE id > ? ORDER BY id LIMIT ?)",
                [after, chunk],
            ).fetchone()
            if row is None or row[0] is None:
                break
            before = _size(db)
            added = _index(db, after, int(row[0]))
            if _doubled(before, before + added):
                _promote(db)
        done += added
        if progress is not None:
            progress(done, max(total, done))
    with store.transaction() as db:
        # Also for an index built before common words were (migration m019), once.
        never = db.execute("SELECT count(*) = 0 FROM search_common").fetchone()
        if done or (never and never[0]):
            _promote(db)
        if done:
            _sort(db)
    return done


def index_added(db: duckdb.DuckDBPyConnection, ids: Sequence[int]) -> None:
    """Index documents `ids` just stored, in the storing transaction, when every earlier one is
    indexed; otherwise leave them to `catch_up`, which indexes in id order."""
    if not ids:
        return
    row = db.execute(
        "SELECT coalesce(max(id), -1) FROM documents WHERE id < ?", [min(ids)]
    ).fetchone()
    after = indexed_through(db)
    if row is None or int(row[0]) != after:
        return
    before = _size(db)
    added = _index(db, after, max(ids))
    if _doubled(before, before + added):
        _promote(db)
        _sort(db)


def _size(db: duckdb.DuckDBPyConnection) -> int:
    row = db.execute("SELECT count(*) FROM search_documents").fetchone()
    return int(row[0]) if row else 0


def _doubled(before: int, after: int) -> bool:
    """Whether the index grew past a power of two: common words are looked for then, so the
    cost of looking (a read of every posting) stays a small share of indexing."""
    return after >= _COMMON_FROM and before.bit_length() != after.bit_length()


def _index(db: duckdb.DuckDBPyConnection, after: int, through: int) -> int:
    """Index the documents with ids after `after` up to `through`; how many."""
    source, target = fold_table()
    db.execute("SET enable_progress_bar = false")
    text = normalised_sql("concat_ws(' ', d.title, d.text, d.url)")
    db.execute(
        "CREATE TEMP TABLE new_postings AS "  # noqa: S608 - the folding is ours, values are parameters
        "SELECT term, id AS document_id, count(*)::INTEGER AS tf FROM (SELECT d.id, "
        f"unnest(string_split_regex({text}, ?)) AS term "
        "FROM documents d WHERE d.id > ? AND d.id <= ?) WHERE term <> '' GROUP BY ALL",
        [source, target, _SPLIT_SQL, after, through],
    )
    try:
        # Sorted by word, so the index's row groups cover narrow ranges of words and a search
        # reads only those that can hold its words.
        db.execute(
            "INSERT INTO search_postings SELECT * FROM new_postings "
            "WHERE term NOT IN (SELECT term FROM search_common) ORDER BY term"
        )
        if _COMMON_HINT:  # (every common word of the store is in it)
            db.execute(
                "INSERT INTO search_absent SELECT c.term, d.id FROM search_common c, documents d "
                "WHERE d.id > ? AND d.id <= ? AND NOT EXISTS (SELECT 1 FROM new_postings p "
                "WHERE p.term = c.term AND p.document_id = d.id)",
                [after, through],
            )
        added = db.execute(
            "INSERT INTO search_documents SELECT d.id, coalesce(sum(p.tf), 0) FROM documents d "
            "LEFT JOIN new_postings p ON p.document_id = d.id WHERE d.id > ? AND d.id <= ? "
            "GROUP BY d.id",
            [after, through],
        ).fetchone()
        fresh = db.execute(
            "SELECT DISTINCT term FROM new_postings WHERE regexp_matches(term, '[\u0600-\u06ff]')"
        ).fetchall()
    finally:
        db.execute("DROP TABLE new_postings")
    forms = {(form, term) for (term,) in fresh for form in arabic_stems(str(term)) if form != term}
    if forms:
        db.execute(
            "INSERT OR IGNORE INTO search_forms SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[])",
            [[f for f, _ in sorted(forms)], [t for _, t in sorted(forms)]],
        )
    return int(added[0]) if added else 0


def _sort(db: duckdb.DuckDBPyConnection) -> None:
    """Rewrite the postings in word order. Each batch is sorted as it is added, but a search
    reads every row group whose range of words can hold its words, and batches added one after
    the other each span most words: sorted whole, a word is read from one or two row groups (a
    rare word from a million postings: 113 ms unsorted, under 3 sorted, on a loaded machine).
    Done when the index is caught up and as it doubles, so the rewriting stays a small share."""
    db.execute("SET enable_progress_bar = false")
    # The table as migration m015 makes it.
    db.execute(
        "CREATE TABLE search_postings_sorted (term VARCHAR NOT NULL, "
        "document_id BIGINT NOT NULL, tf INTEGER NOT NULL)"
    )
    db.execute(
        "INSERT INTO search_postings_sorted SELECT * FROM search_postings "
        "ORDER BY term, document_id"
    )
    db.execute("DROP TABLE search_postings")
    db.execute("ALTER TABLE search_postings_sorted RENAME TO search_postings")


def _promote(db: duckdb.DuckDBPyConnection) -> None:
    """Make the words now in more than half the indexed documents common: their postings give
    way to the list of the documents that lack them."""
    size = _size(db)
    if size < _COMMON_FROM:
        return
    rows = db.execute(
        "SELECT term FROM search_postings GROUP BY term HAVING count(*) > ? ORDER BY term",
        [size * _COMMON_SHARE],
    ).fetchall()
    _note_common(str(t) for (t,) in rows)
    for (term,) in rows:
        db.execute("INSERT INTO search_common VALUES (?)", [term])
        db.execute(
            "INSERT INTO search_absent SELECT ?, s.document_id FROM search_documents s "
            "WHERE s.document_id NOT IN (SELECT document_id FROM search_postings WHERE term = ?)",
            [term, term],
        )
        db.execute("DELETE FROM search_postings WHERE term = ?", [term])


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


def _query_rows(query: Query) -> tuple[list[int], list[str]]:
    clause, form = [], []
    for c, alternatives in enumerate(query.clauses):
        for word in dict.fromkeys(w for words_ in alternatives for w in words_):
            clause.append(c)
            form.append(word)
    return clause, form


# The query's words, one row each, with the clause each belongs to.
_HEAD = "WITH q AS (SELECT unnest(?::INTEGER[]) AS clause, unnest(?::VARCHAR[]) AS form) "
# Each query word with the indexed words it stands for: itself, and those it is a form of.
_TERMS = (
    "(SELECT q.*, q.form AS term FROM q "
    "UNION SELECT q.*, f.term FROM q JOIN search_forms f ON f.form = q.form)"
)
# The indexed words a query word stands for, as a subquery taking the word twice.
_WORD_TERMS = "(SELECT ?::VARCHAR AS term UNION SELECT term FROM search_forms WHERE form = ?)"


@dataclass(frozen=True, slots=True)
class _Documents:
    """SQL of a column `document_id`: the indexed documents that match (`present`), or those that
    do not. Each of the two is the short one for some words: "12345" is held by one document,
    "the" lacked by few."""

    sql: str
    params: list[Any]
    present: bool


# The indexed documents holding a common word that a query word is a form of (other than the
# query word itself, passed third).
_COMMON_FORMS = (
    "SELECT s.document_id FROM search_documents s, search_common c "  # noqa: S608 - fixed parts
    f"WHERE c.term IN {_WORD_TERMS} AND c.term <> ? AND s.document_id NOT IN "
    "(SELECT b.document_id FROM search_absent b WHERE b.term = c.term)"
)


def _word(word: str) -> _Documents:
    """The documents holding `word` or a word it is a form of."""
    forms = word in _COMMON_FORMS_HINT
    if word in _COMMON_HINT:
        # Those lacking it: in the list of a common word (or all, where it is not common after
        # all), less those holding a word it is a form of.
        sql = (
            "SELECT a.document_id FROM search_absent a WHERE a.term = ? "  # noqa: S608 - fixed parts
            "UNION ALL SELECT s.document_id FROM search_documents s "
            "WHERE NOT EXISTS (SELECT 1 FROM search_common WHERE term = ?) "
            f"EXCEPT SELECT p.document_id FROM search_postings p WHERE p.term IN {_WORD_TERMS}"
        )
        if forms:
            sql += f" EXCEPT {_COMMON_FORMS}"
        return _Documents(sql, [word] * (7 if forms else 4), present=False)
    sql = f"SELECT p.document_id FROM search_postings p WHERE p.term IN {_WORD_TERMS}"  # noqa: S608 - fixed parts
    if forms:
        sql = f"{sql} UNION {_COMMON_FORMS}"
    return _Documents(sql, [word] * (5 if forms else 2), present=True)


def _set(operator: str, parts: list[_Documents]) -> tuple[str, list[Any]]:
    # The parts are this module's SQL, their values parameters.
    sql = f" {operator} ".join(f"SELECT document_id FROM ({p.sql})" for p in parts)  # noqa: S608
    return f"SELECT document_id FROM ({sql})", [v for p in parts for v in p.params]  # noqa: S608


def _combine(parts: list[_Documents], *, every: bool) -> _Documents:
    """The documents matching every one of `parts` (else any one), in whichever form is short:
    matching all is within the shortest present list; lacking any, the union of lacking ones."""
    if len(parts) == 1:
        return parts[0]
    # De Morgan: "any" of parts is "every" of their complements, so one rule serves both.
    main = [p for p in parts if p.present == every]
    other = [p for p in parts if p.present != every]
    if not main:
        sql, params = _set("UNION", other)
        return _Documents(sql, params, present=not every)
    sql, params = _set("INTERSECT", main)
    if other:
        rest, more = _set("UNION", other)
        sql, params = f"SELECT document_id FROM ({sql}) EXCEPT {rest}", [*params, *more]  # noqa: S608
    return _Documents(sql, params, present=every)


def _documents(query: Query) -> _Documents:
    """The indexed documents matching `query`: every clause, any alternative, every word."""
    return _combine(
        [
            _combine(
                [_combine([_word(w) for w in dict.fromkeys(words_)], every=True) for words_ in c],
                every=False,
            )
            for c in query.clauses
        ],
        every=True,
    )


# The id up to which documents are indexed, in SQL.
_INDEXED = "(SELECT coalesce(max(document_id), -1) FROM search_documents)"


def _found(documents: _Documents, matched: str | None = None) -> tuple[str, list[Any]]:
    """SQL condition on incident `i`: one of its indexed documents matches, `matched` naming a
    table of `documents` (else their SQL is inlined). When `documents` lists those that do not
    match, an incident fails only if each of its documents is in that list or not indexed: few
    incidents to look at."""
    sql, params = (matched, []) if matched else (documents.sql, documents.params)
    if documents.present:
        return (
            "i.id IN (SELECT m.incident_id FROM incident_members m "  # noqa: S608 - built from fixed parts
            f"WHERE m.document_id IN ({sql}))"
        ), params
    return (
        "(i.documents > 0 AND i.id NOT IN (SELECT m.incident_id FROM incident_members m "  # noqa: S608 - built from fixed parts
        "WHERE m.incident_id IN (SELECT incident_id FROM incident_members "
        f"WHERE document_id IN ({sql}) OR document_id > {_INDEXED}) "
        f"GROUP BY m.incident_id HAVING bool_and(m.document_id IN ({sql}) "
        f"OR m.document_id > {_INDEXED})))"
    ), [*params, *params]


def _scores(query: Query) -> tuple[str, list[Any]]:
    """SQL of (incident_id, score) over the documents of CTE `matched`. A document scores BM25
    summed over the clauses (a clause's words counted together, its postings standing for how
    common it is; a common word has none and weighs nothing); an incident, its best document."""
    sql = f"""
        {_HEAD}, t AS ({_TERMS}),
        sizes AS (SELECT t.clause, count(*) AS n FROM t
            JOIN search_postings p ON p.term = t.term GROUP BY t.clause)
        SELECT m.incident_id, max(s.score) AS score FROM (
            SELECT h.document_id, sum(
                ln(1 + (n.docs - z.n + 0.5) / (z.n + 0.5))
                * h.tf * {_K1 + 1} / (h.tf + {_K1} * (1 - {_B} + {_B} * sd.terms / n.mean))
            ) AS score
            FROM (
                SELECT t.clause, p.document_id, sum(p.tf) AS tf
                FROM t JOIN search_postings p ON p.term = t.term
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
    return sql, list(_query_rows(query))


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
    """SQL of the incidents whose documents not indexed yet hold the query, read from their
    text: a search is complete before `catch_up` has run, only slower."""
    held, params = _holds(query, "concat_ws(' ', d.title, d.text, d.url)")
    return (
        "SELECT m.incident_id FROM documents d JOIN incident_members m ON m.document_id = d.id "  # noqa: S608 - built from fixed parts
        f"WHERE d.id > {_INDEXED} AND " + held
    ), params


def _condition(
    query: Query, documents: _Documents, matched: str | None = None
) -> tuple[str, list[Any]]:
    found, params = _found(documents, matched)
    own, own_params = own_text_sql(query)
    tail, tail_params = _unindexed_sql(query)
    return f"({found} OR i.id IN ({tail}) OR {own})", [*params, *tail_params, *own_params]


def condition(query: Query) -> tuple[str, list[Any]]:
    """SQL condition on incident `i`: its documents or its own text match `query` (any
    incident when the query has no words)."""
    if not query:
        return "TRUE", []
    return _condition(query, _documents(query))


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
    `offset` on, and how many match in all. The matching documents are gathered once, for the
    filter and the scores."""
    query = parse(where.text or "")
    if not query:
        return store.incident_ids(where, limit=limit, offset=offset), store.incident_count(where)
    rest, params = replace(where, text=None).where()
    documents = _documents(query)
    found, found_params = _condition(query, documents, "SELECT document_id FROM matched")
    if documents.present:
        scores, score_params = _scores(query)
    else:
        # Only common words: they weigh nothing, and the matches keep the queue's order.
        scores, score_params = "SELECT NULL::BIGINT AS incident_id, NULL::DOUBLE AS score", []
    page = "" if limit is None else f"LIMIT {int(limit)} OFFSET {int(offset)}"
    rows = store._rows(
        f"WITH matched AS MATERIALIZED ({documents.sql}), "  # noqa: S608 - built from fixed parts
        f"scores AS MATERIALIZED ({scores}), "
        "hits AS MATERIALIZED (SELECT i.id, i.confidence, s.score FROM incidents i "
        f"LEFT JOIN scores s ON s.incident_id = i.id WHERE {rest} AND {found}) "
        "SELECT id, (SELECT count(*) FROM hits) AS total FROM hits "
        f"ORDER BY score DESC NULLS LAST, confidence DESC, id DESC {page}",
        [*documents.params, *score_params, *params, *found_params],
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
