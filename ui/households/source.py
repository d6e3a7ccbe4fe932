"""Where the households view reads the store: plain rows, one page at a time.

The functions take a session opened on a worker thread (inside an ``Op``) and return
frozen dataclasses, never ORM objects or live rows. They are the one place that decides
which store query answers a search, so the model does not change when the query does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from gulou_desk.store import queries
from gulou_desk.store import search as store_search


@dataclass(frozen=True, slots=True)
class HouseholdRow:
    """One line of the households table."""

    id: str
    head_name: str
    estate: str
    building: str | None
    unit: str | None
    room: str | None
    address: str | None
    phone: str | None
    tags: tuple[str, ...]
    last_visit_at: dt.datetime | None
    status: str
    matched_name: str | None = None
    """The resident (not the head) whose name, phone or ID number the search matched."""

    @property
    def short_address(self) -> str:
        """``颐和新村 3栋2单元301室``: the estate and the flat, as people say it."""
        flat = "".join(
            f"{value}{suffix}" for value, suffix in (
                (self.building, "栋"), (self.unit, "单元"), (self.room, "室")) if value
        )
        if flat:
            return f"{self.estate} {flat}"
        return self.address or self.estate

    @property
    def full_address(self) -> str:
        return self.address or self.short_address

    @classmethod
    def of_hit(cls, hit: store_search.HouseholdHit) -> HouseholdRow:
        return cls(
            id=hit.id, head_name=hit.head_name, estate=hit.estate or "",
            building=hit.building, unit=hit.unit, room=hit.room, address=hit.address,
            phone=hit.phone, tags=tuple(hit.tags), last_visit_at=hit.last_visit_at,
            status=hit.status or "active", matched_name=hit.matched_name,
        )


def household_page(session: Session, search: str, order: Sequence[str] | None,
                   offset: int, limit: int,
                   filters: store_search.SearchFilters | None = None) -> list[HouseholdRow]:
    """One page of the households matching ``search`` (name, pinyin, initials, address,
    phone, ID number: :mod:`gulou_desk.store.search`), in ``order`` (field names of
    ``search.SORT_COLUMNS``, ``-name`` descending); ``None``: by address, or by how well
    they match when searching."""
    hits = store_search.search_households(session, search, limit=limit, offset=offset,
                                          sort=tuple(order) if order else None,
                                          filters=filters)
    return [HouseholdRow.of_hit(hit) for hit in hits]


def count_households(session: Session, search: str,
                     filters: store_search.SearchFilters | None = None) -> int:
    return store_search.count_households(session, search, filters=filters)


@dataclass(frozen=True, slots=True)
class HouseholdDetails:
    """A household with its residents (head first), for the detail pane and the dialogs."""

    household: dict[str, Any]
    """Python values of every field, plus ``id`` and ``sync_version``."""
    grid_name: str | None
    residents: tuple[dict[str, Any], ...]

    @property
    def id(self) -> str:
        return str(self.household["id"])

    def resident(self, resident_id: str) -> dict[str, Any] | None:
        return next((r for r in self.residents if r["id"] == resident_id), None)


def household_details(session: Session, household_id: str) -> HouseholdDetails | None:
    """The household and its residents, or ``None`` when it is not (or no longer) here."""
    household = queries.get_record(session, "household", household_id)
    if household is None:
        return None
    grid = queries.get_record(session, "grid", household["grid_id"]) if household[
        "grid_id"] else None
    residents = tuple(queries.residents_of(session, household_id))
    return HouseholdDetails(household, grid["name"] if grid else None, residents)


