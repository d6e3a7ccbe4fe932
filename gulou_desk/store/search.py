"""Finding households as you type: Chinese names, pinyin, initials, addresses, phones, IDs.

The register's search box and its filters read from here; the visit plan reads the due
dates kept in the index (:mod:`gulou_desk.store.visit_plan`). The words are made in
:mod:`gulou_desk.store.search_names`, the index is kept by
:mod:`gulou_desk.store.search_index`; this module only asks.

Ranking: the first word of the query decides the order, best first (a household
appears once, at its best):

1. the head's name is the word (``张三``, ``zhangsan``), 2. starts with it, 3. the
head's initials start with it (``zs``), 4. the given name (or its end) starts with it;
then 5–8 the same for the other residents; then 9. the address, 10. a phone, 11. an ID
number. So a household whose head matches comes before one where only a resident does,
and any name before an address.

While a first sync is under way (a bulk load, :mod:`gulou_desk.store.bulk_load`) the
index is empty until the sync's end builds it; the register still lists every household
already pulled, read straight off the households table and sorted by the head's name
(:func:`index_ready` says which; a search text or the visit filter, which need the
index, find nothing until then).

Within a rank, households come in the order they were first indexed (for a synced
store: the server's order, which is the order of addresses), so a page is read straight
off the index without sorting every match. Choosing a sort column sorts the matches by
it instead: few matches are read and sorted; many (``z`` matches 45% of a district) are
found by walking the name or address index in order until the page is full
(:data:`BROAD_MATCH`). Other words of the query must each match somewhere (``张 3栋``).
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from gulou_desk import records
from gulou_desk.domain import addresses, cadence
from gulou_desk.domain.cadence import VisitDue
from gulou_desk.records import SHANGHAI
from gulou_desk.store import bulk_load
from gulou_desk.store.schema import SEARCH_FTS
from gulou_desk.store.search_index import (
    FTS_COLUMNS,
    FTS_TABLES,
    MIN_PHONE_DIGITS,
    id_tokens,
    parse_time,
    phone_number,
    tags_of,
)
from gulou_desk.store.search_names import (
    DIGITS,
    HAN,
    name_keys,
    natural_key,
    normalize_text,
    place_pinyin,
    unit_words,
)

# --- queries --------------------------------------------------------------------------


class MatchKind(enum.StrEnum):
    """Why a household was found, best first (the ranks of the module docstring)."""

    HEAD_EXACT = "head_exact"
    HEAD_PREFIX = "head_prefix"
    HEAD_INITIALS = "head_initials"
    HEAD_PART = "head_part"
    RESIDENT_EXACT = "resident_exact"
    RESIDENT_PREFIX = "resident_prefix"
    RESIDENT_INITIALS = "resident_initials"
    RESIDENT_PART = "resident_part"
    ADDRESS = "address"
    PHONE = "phone"
    ID_NUMBER = "id_number"

    @property
    def by_resident(self) -> bool:
        return self.value.startswith("resident")


class TermKind(enum.StrEnum):
    LATIN = "latin"  # pinyin or initials
    HAN = "han"  # Chinese: a name or an estate
    NUMBER = "number"  # digits: a room, a building, a phone, an ID
    PLACE = "place"  # digits with a unit word: 3栋, 2单元, 301室


@dataclass(frozen=True, slots=True)
class _Rank:
    kind: MatchKind
    column: str
    prefix: bool
    terms: frozenset[TermKind]


_LATIN, _HANS = TermKind.LATIN, TermKind.HAN
_NUMS = frozenset({TermKind.NUMBER})
RANKS: tuple[_Rank, ...] = (
    _Rank(MatchKind.HEAD_EXACT, "head", False, frozenset({_LATIN, _HANS})),
    _Rank(MatchKind.HEAD_PREFIX, "head", True, frozenset({_LATIN, _HANS})),
    _Rank(MatchKind.HEAD_INITIALS, "head_initials", True, frozenset({_LATIN})),
    _Rank(MatchKind.HEAD_PART, "head_part", True, frozenset({_LATIN, _HANS})),
    _Rank(MatchKind.RESIDENT_EXACT, "people", False, frozenset({_LATIN, _HANS})),
    _Rank(MatchKind.RESIDENT_PREFIX, "people", True, frozenset({_LATIN, _HANS})),
    _Rank(MatchKind.RESIDENT_INITIALS, "people_initials", True, frozenset({_LATIN})),
    _Rank(MatchKind.RESIDENT_PART, "people_part", True, frozenset({_LATIN, _HANS})),
    _Rank(MatchKind.ADDRESS, "place", True,
          frozenset({_HANS, TermKind.NUMBER, TermKind.PLACE})),
    _Rank(MatchKind.PHONE, "phones", True, _NUMS),
    _Rank(MatchKind.ID_NUMBER, "ids", False, _NUMS),
)
MAX_TERMS = 8
MAX_TERM_LENGTH = 64
ID_TAIL = 4
MIN_ID_PREFIX = 15
"""An ID number is found by its last four characters, or by its first 15 or more (the
region code and birth date alone are shared by too many)."""

_TERM = re.compile(
    rf"\d+x(?![a-z])|\d+(?:栋|单元?|室)|\d+|[a-z]+|[{HAN}]+")


PHONE_GROUPS_MIN_DIGITS = 7
"""Digits typed in groups (``189 4013 8000``, ``025-8666-1111``) are one number, a phone,
when there are at least this many in all; fewer, joined by hyphens, are an address."""
_NUMBER_GROUPS = re.compile(r"(?<![0-9a-z])\d+(?:[ \-]+\d+)+(?![ \-]*[0-9a-z栋单室元])")
_ADDRESS_UNITS = {2: ("栋", "室"), 3: ("栋", "单元", "室")}
"""``12-302`` is building 12, flat 302; ``12-1-302`` building 12, unit 1, flat 302."""


def _joined_numbers(match: re.Match[str]) -> str:
    groups = DIGITS.findall(match.group())
    digits = "".join(groups)
    if len(digits) >= PHONE_GROUPS_MIN_DIGITS:
        return f" {digits} "
    units = _ADDRESS_UNITS.get(len(groups))
    if "-" in match.group() and units is not None:
        return " " + " ".join(g + u for g, u in zip(groups, units, strict=True)) + " "
    return match.group()


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    kind: TermKind


def parse_query(text: str) -> list[Term]:
    """The words of a search: ``"张 3栋2单元"`` → 张 (han), 3栋, 2单元 (place).

    Full-width characters count as ASCII; 号楼/幢/座 as 栋; letters typed with spaces
    are one word (``zhang san`` = ``zhangsan``), and so are digits typed in groups that
    make a phone number (``189 4013 8000``); ``12-1-302`` is 12栋 1单元 302室; anything
    else separates words.
    """
    normalized = _NUMBER_GROUPS.sub(_joined_numbers, unit_words(text))
    terms: list[Term] = []
    last_end = -1
    for match in _TERM.finditer(normalized):
        word = match.group()[:MAX_TERM_LENGTH]
        if word[0].isdigit():
            kind = TermKind.PLACE if word[-1] in "栋元单室" else TermKind.NUMBER
        elif word.isascii():
            kind = TermKind.LATIN
        else:
            kind = TermKind.HAN
        between = normalized[last_end:match.start()] if last_end >= 0 else ""
        if (kind is TermKind.LATIN and terms and terms[-1].kind is TermKind.LATIN
                and not between.strip(" ")):
            terms[-1] = Term(terms[-1].text + word, kind)
        else:
            terms.append(Term(word, kind))
        last_end = match.end()
    return terms[:MAX_TERMS]


def _rank_applies(rank: _Rank, term: Term) -> bool:
    if term.kind not in rank.terms:
        return False
    if rank.kind is MatchKind.PHONE:
        return len(term.text) >= MIN_PHONE_DIGITS
    if rank.kind is MatchKind.ID_NUMBER:  # the last four, or (most of) the whole number
        return len(term.text) == ID_TAIL or len(term.text) >= MIN_ID_PREFIX
    return True


def _prefix(rank: _Rank, term: Term) -> bool:
    return rank.prefix or (rank.kind is MatchKind.ID_NUMBER and len(term.text) > ID_TAIL)


def _rank_expr(rank: _Rank, term: Term) -> str:
    # A phone is indexed in trigrams (household_phones, migration 0020): the phrase of the
    # typed digits is any run of them, which is what a prefix of one of its ends was.
    prefix = _prefix(rank, term) and rank.kind is not MatchKind.PHONE
    return f'{{{rank.column}}}: "{term.text}"' + ("*" if prefix else "")


def _any_expr(term: Term) -> str:
    return " OR ".join(f"({_rank_expr(r, term)})" for r in RANKS if _rank_applies(r, term))


_TABLE_OF = {column: table for table, columns in FTS_TABLES.items() for column in columns}
"""The FTS5 table of each index column: words in ``household_fts``, phones in
``household_phones``, ID numbers in ``household_numbers``."""


@dataclass(frozen=True, slots=True)
class _DocSet:
    """What a query with a number in it (a phone, an ID: both FTS5 tables) matches: the
    docs ``fts`` matches in ``household_fts`` (the words of the query; ``None``: every
    doc), as SQL on ``d.doc`` with each of ``clauses``: the docs of its FTS5 expressions
    (one per table) united, which a doc must be in (or, ``negated``, not in). Only the
    numbers' clauses are sets: a number of four digits or more matches few households."""

    fts: str | None
    clauses: tuple[tuple[bool, tuple[tuple[str, str], ...]], ...]

    def condition(self, params: dict[str, Any], *, walk: bool = False) -> str:
        """The SQL, its expressions bound into ``params``; ``walk``: tested doc by doc as
        an index is walked, never used to look the docs up (:func:`_docs`'s ``within``)."""
        parts = []
        for negated, exprs in self.clauses:
            selects = []
            for table, expr in exprs:
                name = f"m{len(params)}"
                params[name] = expr
                selects.append(f"SELECT rowid FROM {table} WHERE {table} MATCH :{name}")
            parts.append(f"{'+' if walk else ''}d.doc {'NOT IN' if negated else 'IN'} "
                         f"({' UNION ALL '.join(selects)})")
        return " AND ".join(parts) or "1"


Match = str | _DocSet
"""An FTS5 expression on ``household_fts`` (a query of words), or a :class:`_DocSet`."""


def _is_number(term: Term) -> bool:
    """Whether ``term`` may be a phone or an ID (``household_phones``,
    ``household_numbers``)."""
    return any(_TABLE_OF[r.column] != SEARCH_FTS and _rank_applies(r, term) for r in RANKS)


def _by_table(term: Term, ranks: Iterable[_Rank]) -> tuple[tuple[str, str], ...]:
    """``ranks``' expressions for ``term``, OR-ed together per FTS5 table."""
    exprs: dict[str, list[str]] = {}
    for rank in ranks:
        if _rank_applies(rank, term):
            exprs.setdefault(_TABLE_OF[rank.column], []).append(f"({_rank_expr(rank, term)})")
    return tuple((table, " OR ".join(e)) for table, e in exprs.items())


def _needle(rank: _Rank, term: Term) -> str:
    """What the column of ``rank`` in ``search_docs``, with a space at each end, holds
    when it matches ``term`` as the FTS5 expression of :func:`_rank_expr` does. Words are
    kept as they are indexed: the word (`` text ``) or its start (`` text``). Numbers are
    kept each once: a phone's digits (indexed in trigrams) match any run of them; an ID
    number (:func:`~gulou_desk.store.search_index.fts_ids` makes its tokens) matches its
    last four (``text ``) or its start (`` text``)."""
    if rank.kind is MatchKind.PHONE:
        return term.text
    if rank.kind is MatchKind.ID_NUMBER and not _prefix(rank, term):
        return f"{term.text} "
    return f" {term.text}" if _prefix(rank, term) else f" {term.text} "


def best_match(doc: Mapping[str, str], term: Term) -> MatchKind | None:
    """The rank at which the index entry ``doc`` (column → what ``search_docs`` keeps)
    matches ``term``."""
    for rank in RANKS:
        if _rank_applies(rank, term) and _needle(rank, term) in f" {doc.get(rank.column, '')} ":
            return rank.kind
    return None


class VisitFilter(enum.StrEnum):
    OVERDUE = "overdue"
    """Past the due date."""
    DUE = "due"
    """Should be visited now: overdue, due today, or never visited."""
    DUE_THIS_WEEK = "due_this_week"
    """Due now or within the coming week (:data:`cadence.DUE_SOON_DAYS`)."""


OPEN_TICKET_STATUSES = tuple(sorted(records.OPEN_TICKET_STATUSES))


@dataclass(frozen=True)
class SearchFilters:
    """What narrows the register besides the search text (all given must hold)."""

    grid_ids: Collection[str] | None = None
    estate: str | None = None
    building: str | None = None
    tags: Collection[str] = ()
    """The household carries every one of these tags."""
    visit: VisitFilter | None = None
    open_tickets: bool | None = None
    """True: has a ticket still open; False: has none."""
    statuses: Collection[str] | None = None
    """Household statuses (``active``, ``moved_out``); ``None``: any."""


SORT_COLUMNS: dict[str, tuple[str, bool]] = {
    "address": ("d.sort_address", False),
    "head_name": ("d.sort_name", False),
    "last_visit_at": ("d.last_visit_at", False),
    "due_date": ("d.due_date", False),
    "grid": ("(SELECT g.name FROM grids g WHERE g.id = h.grid_id)", True),
    "phone": ("h.phone", True),
    "status": ("h.status", True),
}
"""Columns the register may be sorted by (``-name`` for descending): the SQL, and whether
it reads the households table."""

SMALL_SET = 5000
"""When the grid, estate or building filters leave at most this many households, their
index entries are matched in Python instead of by FTS5: a broad word (``z``) would make
FTS5 walk most of a district's entries to find the few in one grid."""


@dataclass(frozen=True, slots=True)
class HouseholdHit:
    """One row of the register: plain values."""

    id: str
    head_name: str
    estate: str | None
    building: str | None
    unit: str | None
    room: str | None
    address: str | None
    phone: str | None
    tags: tuple[str, ...]
    grid_id: str | None
    status: str | None
    last_visit_at: dt.datetime | None
    """The latest visit known here (the household's, or a visit made on this device)."""
    due: VisitDue
    open_tickets: int
    match: MatchKind | None = None
    """Why the search found it (``None`` without search text)."""
    matched_name: str | None = None
    """The resident whose name, phone or ID matched, when it was not the head."""

    @property
    def short_address(self) -> str:
        """``颐和新村 3栋2单元301室``: the estate and the flat, as people say it."""
        return addresses.short_address(self.estate, self.building, self.unit, self.room,
                                       self.address)

    @property
    def full_address(self) -> str:
        return self.address or self.short_address


@dataclass
class _Query:
    """The filters as SQL over ``search_docs d`` (and ``households h`` when needed)."""

    where: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    households: bool = False

    def bind(self, value: Any) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def bind_all(self, values: Iterable[Any]) -> str:
        return ", ".join(self.bind(v) for v in values) or "NULL"

    def on_households(self, condition: str) -> None:
        self.where.append(condition)
        self.households = True


def _today(today: dt.date | None) -> dt.date:
    return today or records.now().astimezone(SHANGHAI).date()


def _narrowing(q: _Query, filters: SearchFilters | None) -> bool:
    """Add the grid, estate and building filters; whether there were any."""
    if filters is None:
        return False
    if filters.grid_ids is not None:
        q.on_households(f"h.grid_id IN ({q.bind_all(filters.grid_ids)})")
    if filters.estate is not None:
        q.on_households(f"h.estate = {q.bind(filters.estate)}")
    if filters.building is not None:
        q.on_households(f"h.building = {q.bind(filters.building)}")
    return bool(q.where)


def _filter(q: _Query, filters: SearchFilters | None, today: dt.date) -> None:
    if filters is None:
        return
    _narrowing(q, filters)
    for tag in filters.tags:
        q.on_households(
            f"EXISTS (SELECT 1 FROM json_each(h.tags) WHERE json_each.value = {q.bind(tag)})")
    if filters.statuses is not None:
        q.on_households(f"h.status IN ({q.bind_all(filters.statuses)})")
    if filters.visit is VisitFilter.OVERDUE:
        q.where.append(f"d.due_date < {q.bind(today.isoformat())}")
    elif filters.visit is VisitFilter.DUE:
        q.where.append(f"(d.due_date IS NULL OR d.due_date <= {q.bind(today.isoformat())})")
    elif filters.visit is VisitFilter.DUE_THIS_WEEK:
        end = today + dt.timedelta(days=cadence.DUE_SOON_DAYS)
        q.where.append(f"(d.due_date IS NULL OR d.due_date <= {q.bind(end.isoformat())})")
    if filters.open_tickets is not None:
        exists = ("EXISTS (SELECT 1 FROM tickets t WHERE t.household_id = h.id AND t.status IN "
                  f"({q.bind_all(OPEN_TICKET_STATUSES)}))")
        q.on_households(exists if filters.open_tickets else f"NOT {exists}")


def _order(sort: str | Sequence[str] | None) -> tuple[str, bool]:
    """ORDER BY for the sort columns (address by default), and whether it reads
    ``households``. Raises ``ValueError`` for a column that cannot be sorted by."""
    names = [sort] if isinstance(sort, str) else list(sort or ["address"])
    clauses = []
    households = False
    for name in names:
        descending = name.startswith("-")
        column = SORT_COLUMNS.get(name.lstrip("-"))
        if column is None:
            raise ValueError(f"the register cannot be sorted by {name!r}")
        clauses.append(f"{column[0]} {'DESC' if descending else 'ASC'}")
        households |= column[1]
    return ", ".join([*clauses, "d.sort_address", "d.doc"]), households


def _source(q: _Query, *, match: bool, households: bool, index: str | None = None) -> str:
    source = (f"{SEARCH_FTS} f JOIN search_docs d ON d.doc = f.rowid" if match
              else "search_docs d" + (f" INDEXED BY {index}" if index else ""))
    if q.households or households:
        source += " JOIN households h ON h.id = d.household_id"
    return source


def _docs(session: Session, q: _Query, *, match: Match | None, order: str,
          order_households: bool = False, limit: int, offset: int,
          within: Match | None = None, index: str | None = None) -> list[int]:
    """One page of doc numbers. Only the narrow columns are read and sorted here; the
    page's rows are loaded afterwards (:func:`_load`). ``index``: the order's index, to
    walk (:func:`_order_index`); ``within``: what the docs must match, tested doc by doc
    as it is walked (:func:`_sorted`). ``order`` ``f.rowid`` is the doc's number."""
    where = list(q.where)
    params = dict(q.params)
    fts = _matching(match, where, params)
    if isinstance(match, _DocSet) and fts is None and order == "f.rowid":
        order = "d.doc"
    if isinstance(within, _DocSet):
        where.insert(0, within.condition(params, walk=True))
        within = within.fts
    if within is not None:
        # "+": the docs are not looked up from the matches, the matches are looked up
        # (once, into a set) for each doc the walk passes.
        where.insert(0, f"+d.doc IN (SELECT rowid FROM {SEARCH_FTS} WHERE {SEARCH_FTS} "
                        "MATCH :within)")
        params["within"] = within
    source = _source(q, match=fts is not None, households=order_households, index=index)
    sql = (f"SELECT d.doc FROM {source} WHERE {' AND '.join(where) or '1'} "
           f"ORDER BY {order} LIMIT :limit OFFSET :offset")
    params.update(limit=max(limit, 0), offset=max(offset, 0))
    return list(session.execute(sa.text(sql), params).scalars())


def _matching(match: Match | None, where: list[str], params: dict[str, Any]) -> str | None:
    """Put what ``match`` asks of a doc first in ``where`` (its expressions bound into
    ``params``); returns its expression on ``household_fts`` (``None``: none, the source
    needs no FTS5 join)."""
    if isinstance(match, _DocSet):
        where.insert(0, match.condition(params))
        match = match.fts
    if match is not None:
        where.insert(0, f"{SEARCH_FTS} MATCH :match")
        params["match"] = match
    return match


BROAD_MATCH = 2000
"""A search sorted by name or address whose words match more households than this walks
the sort column's index from its start and keeps the docs that match, until the page is
full: in a district, ``z`` sorted by name reads a few hundred index entries instead of
sorting 300,000 matches. Fewer matches are read and sorted, which is quicker than a walk
that would pass most of the index to find them."""
WALK_IN_PYTHON = 1500
"""A walk first tests each index entry's words in Python (:func:`best_match`, the rules
of the FTS5 expressions) without asking FTS5 at all: when the matches are dense (``z``
matches 45% of a district) it fills the page after a few hundred entries, where FTS5
would first collect every match (330,000 doc numbers for ``z``; a 4-letter prefix alone
costs 40 ms). It gives up once it has passed this many entries, or sooner when what it
found so far says it would, and the page is then made with FTS5's matches. Only
without filters, which would thin the walk out, and for the first pages."""
_PROBE = 300
"""Entries a walk in Python passes before it judges how far it would have to go."""
_ORDER_INDEXES = {"d.sort_name": "ix_search_docs_sort_name",
                  "d.sort_address": "ix_search_docs_sort_address"}


def _sorted(session: Session, q: _Query, terms: Sequence[Term], match: Match, order: str,
            order_households: bool, limit: int, offset: int) -> list[int]:
    """A page of the docs that match, in ``order`` (a search sorted by a column)."""
    index = _order_index(order)
    if index is None:
        return _docs(session, q, match=match, order=order,
                     order_households=order_households, limit=limit, offset=offset)
    if not q.where and (offset + limit) * 3 <= WALK_IN_PYTHON:
        walked = _walked_in_python(session, terms, order, index, limit, offset)
        if walked is not None:
            return walked
    if _nth_match(session, match, BROAD_MATCH) is None:
        return _docs(session, q, match=match, order=order,
                     order_households=order_households, limit=limit, offset=offset)
    return _docs(session, q, match=None, within=match, index=index, order=order,
                 order_households=order_households, limit=limit, offset=offset)


def _order_index(order: str) -> str | None:
    """The index of ``order``'s first column, if it has one."""
    return _ORDER_INDEXES.get(order.split(" ", 1)[0])


def _nth_match(session: Session, match: Match, n: int) -> int | None:
    """The doc number of the ``n``-th doc (from 0) that ``match`` matches, in doc order;
    ``None`` when there are no more than ``n``."""
    if isinstance(match, _DocSet):
        params: dict[str, Any] = {"n": n}
        where: list[str] = []
        fts = _matching(match, where, params)
        doc = session.execute(sa.text(
            f"SELECT d.doc FROM {_source(_Query(), match=fts is not None, households=False)}"
            f" WHERE {' AND '.join(where)} ORDER BY d.doc LIMIT 1 OFFSET :n"), params).scalar()
        return None if doc is None else int(doc)
    doc = session.execute(sa.text(
        f"SELECT rowid FROM {SEARCH_FTS} WHERE {SEARCH_FTS} MATCH :match ORDER BY rowid "
        "LIMIT 1 OFFSET :n"), {"match": match, "n": n}).scalar()
    return None if doc is None else int(doc)


def _walked_in_python(session: Session, terms: Sequence[Term], order: str, index: str,
                      limit: int, offset: int) -> list[int] | None:
    """The page, walking ``index`` in ``order`` and testing each doc's words in Python;
    ``None`` when that would pass more than :data:`WALK_IN_PYTHON` entries."""
    want = offset + limit
    found: list[int] = []
    passed, chunk = 0, _PROBE
    columns = ", ".join(f"d.{c}" for c in FTS_COLUMNS)
    while passed < WALK_IN_PYTHON:
        chunk = min(chunk, WALK_IN_PYTHON - passed)
        rows = session.execute(sa.text(
            f"SELECT d.doc, {columns} FROM search_docs d INDEXED BY {index} "
            f"ORDER BY {order} LIMIT :n OFFSET :k"), {"n": chunk, "k": passed}).mappings()
        n = 0
        for row in map(dict, rows):
            n += 1
            if all(best_match(row, t) is not None for t in terms):
                found.append(row["doc"])
                if len(found) == want:
                    return found[offset:]
        if n < chunk:
            return found[offset:]
        passed += n
        if len(found) * WALK_IN_PYTHON < want * passed:  # too sparse to fill the page
            return None
        chunk *= 2
    return None


def _count(session: Session, q: _Query, match: Match | None, at_most: int | None = None
           ) -> int:
    """How many docs match (``at_most``: counting stops there)."""
    where = list(q.where)
    params = dict(q.params)
    if (isinstance(match, _DocSet) and not where and match.fts is None
            and len(match.clauses) == 1 and not match.clauses[0][0]):
        # A number alone: its docs in both tables, counted once each (no search_docs).
        selects = []
        for table, expr in match.clauses[0][1]:
            params[name := f"m{len(params)}"] = expr
            selects.append(f"SELECT rowid FROM {table} WHERE {table} MATCH :{name}")
        return _counted(session, f"FROM ({' UNION '.join(selects)})", params, at_most)
    if isinstance(match, _DocSet):
        fts = _matching(match, where, params)
        return _counted(session, f"FROM {_source(q, match=fts is not None, households=False)}"
                        f" WHERE {' AND '.join(where)}", params, at_most)
    if match is not None and not where:
        sql = f"FROM {SEARCH_FTS} WHERE {SEARCH_FTS} MATCH :match"
    else:
        if match is not None:
            where.insert(0, f"{SEARCH_FTS} MATCH :match")
        sql = (f"FROM {_source(q, match=match is not None, households=False)}"
               f" WHERE {' AND '.join(where) or '1'}")
    if match is not None:
        params["match"] = match
    return _counted(session, sql, params, at_most)


def _counted(session: Session, source: str, params: dict[str, Any],
             at_most: int | None) -> int:
    """``count(*)`` of ``FROM … WHERE …``; with ``at_most``, of its first rows only."""
    if at_most is None:
        sql = f"SELECT count(*) {source}"
    else:
        sql = f"SELECT count(*) FROM (SELECT 1 {source} LIMIT :at_most)"
        params = {**params, "at_most": max(at_most, 0)}
    return int(session.execute(sa.text(sql), params).scalar_one())


_HIT_COLUMNS = ("SELECT h.id, h.head_name, h.estate, h.building, h.unit, h.room, h.address, "
                "h.phone, h.tags, h.grid_id, h.status, h.visit_cadence_days, "
                "d.last_visit_at AS effective_last_visit, d.doc, "
                + ", ".join(f"d.{c}" for c in FTS_COLUMNS))


def _load(session: Session, docs: Sequence[int]) -> list[dict[str, Any]]:
    """The rows of these docs, in their order."""
    if not docs:
        return []
    rows = session.execute(sa.text(
        f"{_HIT_COLUMNS} FROM search_docs d JOIN households h ON h.id = d.household_id "
        "WHERE d.doc IN (SELECT value FROM json_each(:docs))"), {"docs": json.dumps(docs)})
    by_doc = {r["doc"]: dict(r) for r in rows.mappings()}
    return [by_doc[d] for d in docs if d in by_doc]


def _plan(terms: Sequence[Term]) -> tuple[list[tuple[_Rank, Match]], Match]:
    """What each rank of the first word matches (each excluding the ranks before it, so
    a household comes once), and what any rank matches; both with the condition the
    other words add (each must match somewhere)."""
    first, others = terms[0], terms[1:]
    applying = [rank for rank in RANKS if _rank_applies(rank, first)]
    words = " AND ".join(f"({_any_expr(t)})" for t in others if not _is_number(t))
    numbers = tuple((False, _by_table(t, RANKS)) for t in others if _is_number(t))
    ranked: list[tuple[_Rank, Match]] = []
    if _is_number(first):  # its ranks are sets (the address, phones, IDs)
        for i, rank in enumerate(applying):
            atom = _rank_expr(rank, first)
            exclude = ((True, _by_table(first, applying[:i])),) if i else ()
            if _TABLE_OF[rank.column] == SEARCH_FTS:
                ranked.append((rank, _DocSet(_with(atom, words), (*exclude, *numbers))))
            else:
                ranked.append((rank, _DocSet(words or None, (
                    (False, ((_TABLE_OF[rank.column], atom),)), *exclude, *numbers))))
        return ranked, _DocSet(words or None, ((False, _by_table(first, applying)), *numbers))
    before: list[str] = []
    for rank in applying:
        expr = _rank_expr(rank, first)
        expr = _with(f"({expr}) NOT ({' OR '.join(before)})" if before else expr, words)
        before.append(f"({_rank_expr(rank, first)})")
        ranked.append((rank, _DocSet(expr, numbers) if numbers else expr))
    any_rank = _with(" OR ".join(before), words)
    return ranked, _DocSet(any_rank, numbers) if numbers else any_rank


def _with(expr: str, rest: str) -> str:
    return f"({expr}) AND {rest}" if rest else expr


def _small_set(session: Session, filters: SearchFilters | None) -> bool:
    """Whether the grid, estate and building filters leave few enough households to match
    them in Python (:data:`SMALL_SET`)."""
    q = _Query()
    if not _narrowing(q, filters):
        return False
    n = session.execute(sa.text(
        f"SELECT count(*) FROM (SELECT 1 FROM households h WHERE {' AND '.join(q.where)} "
        f"LIMIT {SMALL_SET + 1})"), q.params).scalar_one()
    return int(n) <= SMALL_SET


def _mixed(q: _Query, terms: Sequence[Term]) -> str | None:
    """For a query that mixes words and numbers (phones, IDs: ``zhang 1234``, ``3栋 1391``):
    narrows ``q`` to the households its numbers match and to the words' rules, tested in
    SQL on the tokens ``search_docs`` keeps (:func:`best_match`'s rules), and returns the
    rank number of the first word as SQL; ``None`` for other queries. The numbers are in
    an FTS5 table of their own, so FTS5 cannot skip through the words' matches with the
    numbers' few as one expression over one table does: it would list every ``3栋``."""
    numbers = [t for t in terms if _is_number(t)]
    if not numbers or len(numbers) == len(terms):
        return None
    q.where.append(_DocSet(None, tuple((False, _by_table(t, RANKS)) for t in numbers))
                   .condition(q.params))

    def has(rank: _Rank, term: Term) -> str:
        return f"instr(' ' || d.{rank.column} || ' ', {q.bind(_needle(rank, term))}) > 0"

    first, others = terms[0], terms[1:]
    rank_number = "CASE " + " ".join(
        f"WHEN {has(rank, first)} THEN {i}" for i, rank in enumerate(RANKS)
        if _rank_applies(rank, first)) + " END"
    q.where.append(f"{rank_number} IS NOT NULL")
    for term in others:
        q.where.append("(" + " OR ".join(has(r, term) for r in RANKS if _rank_applies(r, term))
                       + ")")
    return rank_number


def _matched_in_python(session: Session, q: _Query, terms: Sequence[Term]
                       ) -> list[tuple[int, int]]:
    """(rank number, doc) of the filtered households that match ``terms``, best first,
    by the same rules as the FTS5 expressions (:func:`best_match`)."""
    rows = session.execute(sa.text(
        f"SELECT d.doc, {', '.join(f'd.{c}' for c in FTS_COLUMNS)} "
        f"FROM {_source(q, match=False, households=False)} "
        f"WHERE {' AND '.join(q.where) or '1'}"), q.params).mappings()
    order = {rank.kind: i for i, rank in enumerate(RANKS)}
    found = []
    for row in map(dict, rows):
        kind = best_match(row, terms[0])
        if kind is not None and all(best_match(row, t) is not None for t in terms[1:]):
            found.append((order[kind], row["doc"]))
    found.sort()
    return found


def search_households(
    session: Session,
    text: str = "",
    *,
    limit: int = 50,
    offset: int = 0,
    filters: SearchFilters | None = None,
    sort: str | Sequence[str] | None = None,
    today: dt.date | None = None,
) -> list[HouseholdHit]:
    """One page of the register: households matching ``text`` and ``filters``.

    Without ``sort`` and with a search text the order is the rank (module docstring);
    with ``sort`` (column names of :data:`SORT_COLUMNS`, ``-name`` descending) all
    matches are sorted by it; without either, by address. ``today`` (Shanghai) decides
    the visit states and the visit filter. Raises ``ValueError`` for an unknown column.
    """
    today = _today(today)
    if not index_ready(session):
        return _unindexed_page(session, text, filters, sort, limit, offset, today)
    terms = parse_query(text)
    q = _Query()
    _filter(q, filters, today)
    order, order_households = _order(sort)
    limit, offset = max(limit, 0), max(offset, 0)
    if not terms:
        # Without filters, the order's index is walked (SQLite would rather sort a
        # district's 735,000 entries by name than pass 50 of them in its index).
        docs = _docs(session, q, match=None, order=order, order_households=order_households,
                     limit=limit, offset=offset,
                     index=None if q.where else _order_index(order))
        return _hits(session, _load(session, docs), None, today)
    ranked, any_match = _plan(terms)
    if not ranked:
        return []
    if _small_set(session, filters):
        found = _matched_in_python(session, q, terms)
        if sort is None:
            docs = [doc for _, doc in found[offset:offset + limit]]
        else:
            matched = q.bind(json.dumps([doc for _, doc in found]))
            q.where.append(f"d.doc IN (SELECT value FROM json_each({matched}))")
            docs = _docs(session, q, match=None, order=order,
                         order_households=order_households, limit=limit, offset=offset)
    elif (rank_number := _mixed(q, terms)) is not None:
        docs = _docs(session, q, match=None, order=f"{rank_number}, d.doc" if sort is None
                     else order, order_households=order_households, limit=limit,
                     offset=offset)
    elif sort is not None:
        docs = _sorted(session, q, terms, any_match, order,
                       order_households, limit, offset)
    else:
        docs = []
        skip = offset
        for _rank, match in ranked:
            want = limit - len(docs)
            if want <= 0:
                break
            page = _docs(session, q, match=match, order="f.rowid", limit=want, offset=skip)
            if page:
                skip = 0
                docs += page
            elif skip:
                skip = max(skip - _count(session, q, match), 0)
    return _hits(session, _load(session, docs), terms[0], today)


def count_households(
    session: Session,
    text: str = "",
    *,
    filters: SearchFilters | None = None,
    today: dt.date | None = None,
    at_most: int | None = None,
) -> int:
    """How many households :func:`search_households` would list in all; with
    ``at_most``, counting stops there (``z`` in a district matches 330,000 households:
    their exact count costs more than a page of them, "at least 1,000" very little)."""
    today = _today(today)
    if not index_ready(session):
        return _unindexed_count(session, text, filters, today, at_most)
    terms = parse_query(text)
    q = _Query()
    _filter(q, filters, today)
    if not terms:
        return _count(session, q, None, at_most)
    ranked, any_match = _plan(terms)
    if not ranked:
        return 0
    if _small_set(session, filters):
        found = len(_matched_in_python(session, q, terms))
        return found if at_most is None else min(found, at_most)
    if _mixed(q, terms) is not None:
        return _count(session, q, None, at_most)
    return _count(session, q, any_match, at_most)


def index_ready(session: Session) -> bool:
    """Whether the search index holds every household: not while a first sync's bulk
    load runs (its end builds the index, in the same transaction as it ends the load)."""
    return not bulk_load.under_way(session)


UNINDEXED_SORT: dict[str, str] = {
    "address": "h.address", "head_name": "h.head_name", "last_visit_at": "h.last_visit_at",
    "due_date": "h.last_visit_at", "grid": SORT_COLUMNS["grid"][0],
    "phone": "h.phone", "status": "h.status",
}
"""What each sort column reads while the index is being built (no sort keys yet: names
and addresses in the order of their characters)."""


def _unindexed_query(text: str, filters: SearchFilters | None, today: dt.date
                     ) -> _Query | None:
    """The filters over ``households h`` alone; ``None`` when they need the index (a
    search text, the visit filter)."""
    if parse_query(text) or (filters is not None and filters.visit is not None):
        return None
    q = _Query()
    _filter(q, filters, today)
    return q


def _unindexed_page(session: Session, text: str, filters: SearchFilters | None,
                    sort: str | Sequence[str] | None, limit: int, offset: int,
                    today: dt.date) -> list[HouseholdHit]:
    """A page of the register while the index is being built: by the head's name unless
    a column is chosen."""
    q = _unindexed_query(text, filters, today)
    if q is None:
        return []
    names = [sort] if isinstance(sort, str) else list(sort or ["head_name"])
    clauses = []
    for name in names:
        column = UNINDEXED_SORT.get(name.lstrip("-"))
        if column is None:
            raise ValueError(f"the register cannot be sorted by {name!r}")
        clauses.append(f"{column} {'DESC' if name.startswith('-') else 'ASC'}")
    q.params.update(limit=max(limit, 0), offset=max(offset, 0))
    rows = session.execute(sa.text(
        "SELECT h.id, h.head_name, h.estate, h.building, h.unit, h.room, h.address, "
        "h.phone, h.tags, h.grid_id, h.status, h.visit_cadence_days, "
        "h.last_visit_at AS effective_last_visit FROM households h "
        f"WHERE {' AND '.join(q.where) or '1'} ORDER BY {', '.join(clauses)}, h.rowid "
        "LIMIT :limit OFFSET :offset"), q.params).mappings()
    return _hits(session, [dict(r) for r in rows], None, today)


def _unindexed_count(session: Session, text: str, filters: SearchFilters | None,
                     today: dt.date, at_most: int | None) -> int:
    q = _unindexed_query(text, filters, today)
    if q is None:
        return 0
    return _counted(session, f"FROM households h WHERE {' AND '.join(q.where) or '1'}",
                    q.params, at_most)


def _open_tickets(session: Session, ids: Sequence[str]) -> dict[str, int]:
    if not ids:
        return {}
    tickets = sa.table("tickets", sa.column("household_id"), sa.column("status"))
    rows = session.execute(
        sa.select(tickets.c.household_id, sa.func.count())
        .where(tickets.c.household_id.in_(ids), tickets.c.status.in_(OPEN_TICKET_STATUSES))
        .group_by(tickets.c.household_id)
    )
    return {hid: int(n) for hid, n in rows}


def _matched_people(session: Session, rows: Sequence[Mapping[str, Any]],
                    term: Term) -> dict[str, str]:
    """Household id → the resident (not the head) whose name, phone or ID matches."""
    ids = [r["id"] for r in rows]
    if not ids:
        return {}
    residents = sa.table("residents", sa.column("household_id"), sa.column("name"),
                         sa.column("phone"), sa.column("id_number"), sa.column("id"))
    found: dict[str, str] = {}
    heads = {r["id"]: r["head_name"] for r in rows}
    for hid, name, phone, id_number in session.execute(
            sa.select(residents.c.household_id, residents.c.name, residents.c.phone,
                      residents.c.id_number)
            .where(residents.c.household_id.in_(ids)).order_by(residents.c.id)):
        if hid in found or not name or name == heads[hid]:
            continue
        keys = name_keys(name)
        doc = {"people": " ".join(keys.full), "people_initials": " ".join(keys.initials),
               "people_part": " ".join(keys.parts),
               "phones": phone_number(phone), "ids": " ".join(id_tokens(id_number)[-1:])}
        if best_match(doc, term) is not None:
            found[hid] = name
    return found


def _by_someone(kind: MatchKind) -> bool:
    """Whether a match of this kind may be a resident's other than the head."""
    return kind.by_resident or kind in (MatchKind.PHONE, MatchKind.ID_NUMBER)


def _hits(session: Session, rows: Sequence[Mapping[str, Any]], term: Term | None,
          today: dt.date) -> list[HouseholdHit]:
    ids = [r["id"] for r in rows]
    tickets = _open_tickets(session, ids)
    kinds = [best_match(r, term) if term is not None else None for r in rows]
    # Only rows found through a resident (or a phone or ID, which may be a resident's)
    # look for whom: a page of 200 heads found by name reads no residents at all.
    people = _matched_people(session, [r for r, kind in zip(rows, kinds, strict=True)
                                       if kind is not None and _by_someone(kind)],
                             term) if term is not None else {}
    hits = []
    for r, kind in zip(rows, kinds, strict=True):
        tags = tags_of(r["tags"])
        last = parse_time(r["effective_last_visit"])
        matched = people.get(r["id"]) if kind is not None and _by_someone(kind) else None
        hits.append(HouseholdHit(
            id=r["id"], head_name=r["head_name"] or "", estate=r["estate"],
            building=r["building"], unit=r["unit"], room=r["room"], address=r["address"],
            phone=r["phone"], tags=tuple(tags), grid_id=r["grid_id"], status=r["status"],
            last_visit_at=last,
            due=cadence.visit_due(last, r["visit_cadence_days"], tags, today),
            open_tickets=tickets.get(r["id"], 0), match=kind, matched_name=matched,
        ))
    return hits



# --- choices for the filter bar -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FilterChoices:
    """What the register's filters can offer, from the records held here."""

    grids: tuple[tuple[str, str], ...]
    """(id, name) of the grids that have households here, by name."""
    buildings: Mapping[str, tuple[str, ...]]
    """Estate → its buildings (natural order)."""
    tags: tuple[str, ...]
    """The care tags of :data:`records.HOUSEHOLD_TAGS`, then any other tag in use."""


def filter_choices(session: Session) -> FilterChoices:
    grids = tuple((gid, name or gid) for gid, name in session.execute(sa.text(
        "SELECT g.id, g.name FROM grids g WHERE EXISTS "
        "(SELECT 1 FROM households h WHERE h.grid_id = g.id) ORDER BY g.name, g.id")))
    buildings: dict[str, list[str]] = {}
    for estate, building in session.execute(sa.text(
            "SELECT DISTINCT estate, building FROM households WHERE estate IS NOT NULL")):
        if building is not None:
            buildings.setdefault(estate, []).append(building)
    estates = sorted(buildings, key=lambda e: (place_pinyin(normalize_text(e)), e))
    used = [t for (t,) in session.execute(sa.text(
        "SELECT DISTINCT json_each.value FROM households, json_each(households.tags)"))]
    extra = sorted(t for t in used if isinstance(t, str) and t not in records.HOUSEHOLD_TAGS)
    return FilterChoices(
        grids=grids,
        buildings={e: tuple(sorted(buildings[e], key=natural_key)) for e in estates},
        tags=(*records.HOUSEHOLD_TAGS, *extra),
    )
