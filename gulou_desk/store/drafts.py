"""Drafts: form content kept while the user works on it (a visit form closed by mistake).

A draft is local only (never synced). ``kind`` names the form (``"visit"``),
``record_id`` the record it will become or edit, ``payload`` is JSON the form owns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from gulou_desk import records
from gulou_desk.store.changes import DRAFTS, ChangeSet
from gulou_desk.store.engine import Store
from gulou_desk.store.errors import NotFound
from gulou_desk.store.schema import Draft


@dataclass(frozen=True, slots=True)
class DraftView:
    id: str
    kind: str
    record_id: str | None
    payload: dict[str, Any]
    updated_at: dt.datetime


def _view(draft: Draft) -> DraftView:
    return DraftView(draft.id, draft.kind, draft.record_id, dict(draft.payload),
                     draft.updated_at)


def save_draft(
    store: Store,
    kind: str,
    payload: dict[str, Any],
    *,
    draft_id: str | None = None,
    record_id: str | None = None,
    now: dt.datetime | None = None,
) -> tuple[str, ChangeSet]:
    """Create or overwrite a draft; returns its id."""
    draft_id = draft_id or records.new_id()
    with store.write() as session:
        draft = session.get(Draft, draft_id)
        if draft is None:
            draft = Draft(id=draft_id, kind=kind)
            session.add(draft)
        draft.kind = kind
        draft.record_id = record_id
        draft.payload = dict(payload)
        draft.updated_at = now or records.now()
    return draft_id, ChangeSet.tables(DRAFTS)


def get_draft(session: Session, draft_id: str) -> DraftView | None:
    draft = session.get(Draft, draft_id)
    return None if draft is None else _view(draft)


def list_drafts(
    session: Session, kind: str, *, record_id: str | None = None
) -> list[DraftView]:
    """Drafts of a kind (optionally for one record), newest first."""
    query = sa.select(Draft).where(Draft.kind == kind).order_by(Draft.updated_at.desc())
    if record_id is not None:
        query = query.where(Draft.record_id == record_id)
    return [_view(d) for d in session.scalars(query)]


def discard_draft(store: Store, draft_id: str) -> ChangeSet:
    with store.write() as session:
        draft = session.get(Draft, draft_id)
        if draft is None:
            raise NotFound("draft", draft_id)
        session.delete(draft)
    return ChangeSet.tables(DRAFTS)
