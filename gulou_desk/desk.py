"""The desk of one signed-in account: its local store, who the user is, and the reads and
steps the views take.

Views never open a store session or write SQL: they ask the account's :class:`Desk`
(``ctx.desk`` in ``ui/shell``), in a background ``Op`` since every call here blocks::

    Op(self, lambda progress: desk.read(inbox_groups), name="inbox_groups")...
    Op(self, lambda progress: desk.run_action("ticket", ticket_id, "accept", {}),
       lane=Lane.WRITE, name="accept")...

A read is a query function of :mod:`gulou_desk.store` (``f(session, *args)``), run in one
read session; a step is a use case (:mod:`gulou_desk.store.usecases`) run with the
account's :class:`~gulou_desk.domain.workflows.Actor`, which the domain checks exactly as
the server will. No Qt here: the desk is tested on its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy.orm import Session

from gulou_desk import records
from gulou_desk.domain.workflows import Actor
from gulou_desk.store import drafts, outbox, participation, photos, queries, usecases
from gulou_desk.store.changes import ChangeSet
from gulou_desk.store.engine import Store

P = ParamSpec("P")
T = TypeVar("T")


def actor_of(session: Session, user_id: str, role: str) -> Actor:
    """The signed-in user as the domain rules see them: community and street from the
    local staff directory and (for a social worker) the grids the local copy says they
    hold. The one place that turns "who signed in" into an :class:`Actor`."""
    me = queries.get_record(session, "staff", user_id)
    return queries.actor_for(session, user_id=user_id, role=role,
                             community_id=me["community_id"] if me else None,
                             street_id=me["street_id"] if me else None)


class Desk:
    """One signed-in account's desk (see the module docstring). Every method blocks."""

    def __init__(self, store: Store, user_id: str, role: str, *,
                 clock: Callable[[], dt.datetime] = records.now) -> None:
        self.store = store
        self.user_id = user_id
        self.role = role
        self.clock = clock
        """The time; tests pass a fixed one."""

    def now(self) -> dt.datetime:
        return self.clock()

    # -- reads ---------------------------------------------------------------------------

    def read(self, query: Callable[Concatenate[Session, P], T], *args: P.args,
             **kwargs: P.kwargs) -> T:
        """``query(session, *args, **kwargs)`` in one read session."""
        with self.store.session() as session:
            return query(session, *args, **kwargs)

    def actor(self, session: Session | None = None) -> Actor:
        """The user as the domain sees them now (their grids may change with a sync)."""
        if session is not None:
            return actor_of(session, self.user_id, self.role)
        return self.read(actor_of, self.user_id, self.role)

    def record(self, entity: str, record_id: str) -> dict[str, Any] | None:
        """One record as the local copy has it (``None``: not, or no longer, here)."""
        return self.read(queries.get_record, entity, record_id)

    def thumbnails(self, shas: Iterable[str]) -> dict[str, bytes]:
        """The JPEG thumbnails of these photos (sha256 → bytes), made from the photos held
        on this device; a photo not downloaded yet (or unreadable) is left out."""
        found: dict[str, bytes] = {}
        for sha in shas:
            if sha in found:
                continue
            try:
                thumb = photos.thumbnail(self.store, sha)
            except (photos.PhotoError, ValueError):
                thumb = None
            if thumb is not None:
                found[sha] = thumb
        return found

    def import_photos(self, paths: Iterable[Path]
                      ) -> tuple[list[str], list[tuple[str, str, int | None]]]:
        """Pictures from disk into this device's store (checked, turned upright, resized,
        without EXIF: :func:`~gulou_desk.store.photos.import_photo`): the hashes of those
        kept, and ``(file name, error code, limit)`` of those refused."""
        kept: list[str] = []
        refused: list[tuple[str, str, int | None]] = []
        for path in paths:
            try:
                kept.append(photos.import_photo(self.store, Path(path)).sha256)
            except photos.PhotoError as exc:
                refused.append((Path(path).name, exc.code, exc.limit))
        return kept, refused

    # -- steps (use cases, each its own transaction) ---------------------------------------

    def create(self, entity: str, fields: Mapping[str, Any], *,
               record_id: str | None = None, actor: Actor | None = None,
               now: dt.datetime | None = None) -> tuple[str, ChangeSet]:
        return usecases.create_record(self.store, entity, fields,
                                      actor=actor or self.actor(), now=now or self.now(),
                                      record_id=record_id)

    def update(self, entity: str, record_id: str, fields: Mapping[str, Any], *,
               actor: Actor | None = None, now: dt.datetime | None = None) -> ChangeSet:
        return usecases.update_record(self.store, entity, record_id, fields,
                                      actor=actor or self.actor(), now=now or self.now())

    def run_action(self, entity: str, record_id: str, action: str,
                   args: Mapping[str, Any], *, actor: Actor | None = None,
                   now: dt.datetime | None = None) -> ChangeSet:
        return usecases.run_action(self.store, entity, record_id, action, dict(args),
                                   actor=actor or self.actor(), now=now or self.now())

    def record_household_answers(self, questionnaire_id: str, household_id: str,
                                 answers: Mapping[str, Any], *, channel: str
                                 ) -> tuple[str, ChangeSet]:
        """A household's answers to a questionnaire, entered by staff (on a visit, by
        phone), offline; returns the response id (one per household and questionnaire)."""
        return participation.record_household_answers(
            self.store, questionnaire_id, household_id, answers, channel=channel,
            actor=self.actor(), now=self.now())

    def retry_unsent(self, mutation_id: str) -> ChangeSet:
        """Put a set-aside edit back in the queue (the outbox view's "Retry")."""
        with self.store.write() as session:
            return outbox.retry(session, mutation_id)

    def discard_unsent(self, mutation_id: str) -> ChangeSet:
        """Give up an unsent edit: undone here, never sent (the outbox view's "Discard")."""
        with self.store.write() as session:
            return outbox.discard(session, mutation_id, now=self.now())

    def dismiss_rejection(self, rejection_id: int) -> ChangeSet:
        """The user has read why an edit was refused."""
        return usecases.dismiss_rejection(self.store, rejection_id)

    def keep_server_value(self, conflict_id: int) -> ChangeSet:
        """A conflict settled for the server's value: the user's is dropped."""
        return usecases.resolve_conflict_keep_server(self.store, conflict_id)

    def use_my_value(self, conflict_id: int) -> ChangeSet:
        """A conflict settled for the user's value: sent again on the newest version."""
        return usecases.resolve_conflict_use_mine(self.store, conflict_id,
                                                  actor=self.actor())

    # -- drafts --------------------------------------------------------------------------

    def drafts(self, kind: str, *, record_id: str | None = None) -> list[drafts.DraftView]:
        """Drafts of a kind (optionally for one record), newest first."""
        return self.read(drafts.list_drafts, kind, record_id=record_id)

    def save_draft(self, kind: str, payload: dict[str, Any], *, draft_id: str | None = None,
                   record_id: str | None = None) -> tuple[str, ChangeSet]:
        return drafts.save_draft(self.store, kind, payload, draft_id=draft_id,
                                 record_id=record_id)

    def discard_draft(self, draft_id: str) -> ChangeSet:
        return drafts.discard_draft(self.store, draft_id)
