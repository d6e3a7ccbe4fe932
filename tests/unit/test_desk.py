"""The account's desk (``gulou_desk.desk``): the one way views read and take steps, with
the signed-in user as the domain sees them. On a real local store; no Qt."""

from __future__ import annotations

import datetime as dt

import pytest

from gulou_desk.desk import Desk
from gulou_desk.domain.workflows import WorkflowError
from gulou_desk.records import SHANGHAI
from gulou_desk.store.engine import Store
from gulou_desk.store.outbox import pending_count
from gulou_desk.store.rows import replace_row
from gulou_desk.store.ticket_queries import ticket_detail

NOW = dt.datetime(2026, 11, 4, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def store(local_store: Store) -> Store:
    with local_store.write() as s:
        replace_row(s, "grid", "grid-1", {"community_id": "community-1", "name": "第一网格",
                                          "worker_ids": ["worker-1"]}, 1)
        replace_row(s, "grid", "grid-2", {"community_id": "community-1", "name": "第二网格",
                                          "worker_ids": ["worker-2"]}, 1)
        for sid, role in (("worker-1", "social_worker"), ("clerk-1", "clerk")):
            replace_row(s, "staff", sid, {"username": sid, "display_name": sid, "role": role,
                                          "community_id": "community-1",
                                          "street_id": "street-1", "active": True}, 1)
    return local_store


def test_the_actor_comes_from_the_local_staff_directory_and_grids(store: Store) -> None:
    worker = Desk(store, "worker-1", "social_worker").actor()
    assert (worker.community_id, worker.street_id) == ("community-1", "street-1")
    assert worker.grid_ids == {"grid-1"}
    clerk = Desk(store, "clerk-1", "clerk").actor()
    assert clerk.community_id == "community-1" and clerk.grid_ids == frozenset()
    # Someone the local copy does not list yet (before the first sync) has no place.
    stranger = Desk(store, "nobody", "clerk").actor()
    assert stranger.community_id is None and stranger.street_id is None


def test_steps_run_as_the_account_and_reach_the_outbox(store: Store) -> None:
    clerk = Desk(store, "clerk-1", "clerk", clock=lambda: NOW)
    ticket_id, changes = clerk.create("ticket", {
        "title": "路灯坏了", "category": "municipal", "priority": "normal",
        "source": "walk_in", "grid_id": "grid-1"})
    assert changes.touches_record("ticket", ticket_id) and changes.touches("outbox")
    detail = clerk.read(ticket_detail, ticket_id)
    assert detail is not None and detail.ticket["created_at"] == NOW
    changes = clerk.run_action("ticket", ticket_id, "assign", {"assignee_id": "worker-1"})
    assert changes.touches_record("ticket", ticket_id)
    assert clerk.record("ticket", ticket_id)["assignee_id"] == "worker-1"  # type: ignore[index]
    assert clerk.read(pending_count) == 2
    # The domain refuses a step that is not the account's to take, before anything is
    # written.
    other = Desk(store, "worker-1", "social_worker", clock=lambda: NOW)
    with pytest.raises(WorkflowError):
        other.run_action("ticket", ticket_id, "assign", {"assignee_id": "worker-1"})
    assert clerk.read(pending_count) == 2


def test_drafts_are_kept_found_and_discarded(store: Store) -> None:
    desk = Desk(store, "clerk-1", "clerk")
    draft_id, _ = desk.save_draft("ticket_new", {"title": "半句话"}, record_id="r-1")
    [found] = desk.drafts("ticket_new", record_id="r-1")
    assert (found.id, found.payload) == (draft_id, {"title": "半句话"})
    assert desk.drafts("ticket_new", record_id="r-2") == []
    desk.discard_draft(draft_id)
    assert desk.drafts("ticket_new") == []
