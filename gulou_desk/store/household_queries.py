"""What the households register reads: a page of the register, its count, and one
household with its residents.

Each function takes a read session (``Desk.read`` runs it on a worker thread) and returns
plain values: the register's rows are :class:`~gulou_desk.store.search.HouseholdHit`
(the one household row type), found by :mod:`gulou_desk.store.search`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from gulou_desk.record_types import HouseholdRecord, ResidentRecord, typed
from gulou_desk.store import bulk_load, queries
from gulou_desk.store import search as store_search
from gulou_desk.store.schema import SearchDoc
from gulou_desk.store.search import HouseholdHit, SearchFilters
from gulou_desk.store.search_index import parse_time


def household_page(session: Session, search: str, order: Sequence[str] | None,
                   offset: int, limit: int,
                   filters: SearchFilters | None = None) -> list[HouseholdHit]:
    """One page of the households matching ``search`` (name, pinyin, initials, address,
    phone, ID number: :mod:`gulou_desk.store.search`), in ``order`` (field names of
    ``search.SORT_COLUMNS``, ``-name`` descending); ``None``: by address, or by how well
    they match when searching."""
    return store_search.search_households(session, search, limit=limit, offset=offset,
                                          sort=tuple(order) if order else None,
                                          filters=filters)


def count_households(session: Session, search: str,
                     filters: SearchFilters | None = None, at_most: int | None = None) -> int:
    return store_search.count_households(session, search, filters=filters, at_most=at_most)


@dataclass(frozen=True, slots=True)
class RegisterRead:
    """The count and some pages of the register, read together so that they agree."""

    total: int
    pages: dict[int, list[HouseholdHit]]
    indexed: bool
    """Whether the search index was there to read; ``False`` while a first sync brings
    the households in (they are listed by name, a search finds nothing yet)."""
    exact: bool = True
    """Whether ``total`` is the whole count; ``False``: there are more than ``total``
    (counted up to ``count_at_most``)."""


def register_pages(session: Session, search: str, order: Sequence[str] | None,
                   pages: Sequence[int], size: int, filters: SearchFilters | None = None,
                   count_at_most: int | None = None) -> RegisterRead:
    """The count and the given pages (those that exist, and always the first), read in
    one session so that they agree. With ``count_at_most`` the count stops there: the
    count of a broad search costs more than its first page, and a list that shows its
    first page has no need of it yet."""
    total = count_households(session, search, filters,
                             None if count_at_most is None else count_at_most + 1)
    exact = count_at_most is None or total <= count_at_most
    read = {}
    for page_no in pages:
        if page_no * size < total or page_no == 0:
            read[page_no] = household_page(session, search, order, page_no * size, size,
                                           filters)
    # A store no page has been written to yet is not ready either: the first sync is
    # about to fill it (the list reads again as pages come, and search waits for its end).
    indexed = store_search.index_ready(session) and not bulk_load.nothing_synced(session)
    return RegisterRead(total, read, indexed, exact)


@dataclass(frozen=True, slots=True)
class HouseholdDetails:
    """A household with its residents (head first), for the detail pane and the dialogs."""

    household: HouseholdRecord
    grid_name: str | None
    residents: tuple[ResidentRecord, ...]
    last_visit_at: dt.datetime | None = None
    """When it was last visited as the list says it (the search index's: the later of the
    household's ``last_visit_at`` and its newest visit held here), so the pane's 上次走访
    and its 走访记录 agree, a visit made offline included."""

    @property
    def id(self) -> str:
        return str(self.household["id"])

    def resident(self, resident_id: str) -> ResidentRecord | None:
        return next((r for r in self.residents if r["id"] == resident_id), None)


def household_details(session: Session, household_id: str) -> HouseholdDetails | None:
    """The household and its residents, or ``None`` when it is not (or no longer) here."""
    household = typed("household", queries.get_record(session, "household", household_id))
    if household is None:
        return None
    grid_id = household["grid_id"]
    grid = typed("grid", queries.get_record(session, "grid", grid_id)) if grid_id else None
    residents = tuple(typed("resident", r) for r in queries.residents_of(session, household_id))
    indexed = session.execute(sa.select(SearchDoc.last_visit_at).where(
        SearchDoc.household_id == household_id)).scalar_one_or_none()
    last = parse_time(indexed) if indexed is not None else household["last_visit_at"]
    return HouseholdDetails(household, grid["name"] if grid else None, residents, last)
