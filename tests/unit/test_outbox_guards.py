"""Edits the server could never take are refused before they are queued (text with NUL
or a lone surrogate, an edit over 1 MiB), and a set-aside mutation holds back only what
builds on it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from gulou_desk.domain.validation import validate_record
from gulou_desk.domain.workflows import Actor
from gulou_desk.store import outbox
from gulou_desk.store.engine import Store
from gulou_desk.store.errors import ValidationFailed
from gulou_desk.store.schema import Outbox
from gulou_desk.store.usecases import create_record, update_record
from tests.unit.conftest import GRID

HOUSEHOLD = {"grid_id": GRID, "estate": "汇林绿洲", "building": "3", "head_name": "张三",
             "status": "active"}


def _outbox(store: Store) -> list[Outbox]:
    with store.session() as s:
        return list(s.scalars(sa.select(Outbox).order_by(Outbox.seq)))


@pytest.mark.parametrize(("text", "code"), [("独居\x00老人", "nul_character"),
                                            ("半个\ud83d字", "lone_surrogate")])
def test_text_the_server_refuses_is_refused_before_it_is_queued(
    local_store: Store, worker: Actor, text: str, code: str
) -> None:
    household, _ = create_record(local_store, "household", HOUSEHOLD, actor=worker)
    before = _outbox(local_store)
    with pytest.raises(ValidationFailed) as refused:
        update_record(local_store, "household", household, {"notes": text}, actor=worker)
    assert [(p.field, p.code) for p in refused.value.problems] == [("notes", code)]
    assert [m.mutation_id for m in _outbox(local_store)] == [m.mutation_id for m in before]
    # The server runs the same check (one declaration, both sides).
    assert [p.code for p in validate_record("household", {"notes": text},
                                            partial=True)] == [code]
    # Emoji (outside the BMP) and ordinary control-free text are fine.
    update_record(local_store, "household", household, {"notes": "笑脸 😀 ok"}, actor=worker)


def test_text_deep_in_a_visits_answers_and_in_action_arguments_is_checked(
    local_store: Store, worker: Actor
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        outbox.check_sendable({"answers": {"notes": ["fine", "bad\x00"]}}, None)
    assert refused.value.problems[0].field == "answers.notes[1]"
    with pytest.raises(ValidationFailed) as refused:
        outbox.check_sendable(None, {"body": "回复\x00"})
    assert refused.value.problems[0].field == "args.body"


def test_an_edit_over_a_megabyte_is_refused_with_its_size(
    local_store: Store, worker: Actor
) -> None:
    household, _ = create_record(local_store, "household", HOUSEHOLD, actor=worker)
    with pytest.raises(ValidationFailed) as refused:
        update_record(local_store, "household", household, {"notes": "长" * 400_000},
                      actor=worker)  # 1.2 MB of UTF-8
    [problem] = refused.value.problems
    assert problem.code == "too_large" and problem.params["max"] == outbox.MAX_MUTATION_BYTES
    assert problem.params["size"] > outbox.MAX_MUTATION_BYTES
    assert len(_outbox(local_store)) == 1  # the create only
    update_record(local_store, "household", household, {"notes": "长" * 300_000},
                  actor=worker)  # 0.9 MB: fine


def test_a_held_mutation_holds_back_its_record_and_what_refers_to_its_create(
    local_store: Store, worker: Actor, clerk: Actor
) -> None:
    first, _ = create_record(local_store, "household", HOUSEHOLD, actor=worker)
    second, _ = create_record(local_store, "household", {**HOUSEHOLD, "head_name": "李四"},
                              actor=worker)
    resident, _ = create_record(local_store, "resident", {
        "household_id": first, "name": "张小", "gender": "male", "status": "active"},
        actor=worker)
    queue = _outbox(local_store)
    with local_store.write() as s:
        outbox.hold(s, queue[0].mutation_id, "server_error", "boom")
    with local_store.session() as s:
        assert [m.record_id for m in outbox.pending_outbox(s)] == [second]
        assert outbox.waiting_behind(s) == {queue[2].mutation_id: queue[0].mutation_id}
        assert outbox.held_count(s) == 1 and outbox.pending_count(s) == 3
        # ``skip`` (failed in this cycle) holds back in the same way.
        assert outbox.pending_outbox(s, skip={queue[1].mutation_id}) == []
    with local_store.write() as s:
        changed = outbox.retry(s, queue[0].mutation_id)
    assert changed.ids_of("household") == frozenset({first})
    with local_store.session() as s:
        assert [m.record_id for m in outbox.pending_outbox(s)] == [first, second, resident]
        [again] = [m for m in outbox.pending_outbox(s) if m.record_id == first]
        assert again.failures == 0 and again.held_at is None


def test_three_failures_alone_set_a_mutation_aside_a_refused_request_at_once(
    local_store: Store, worker: Actor
) -> None:
    for _ in range(2):
        create_record(local_store, "household", HOUSEHOLD, actor=worker)
    one, two = (m.mutation_id for m in _outbox(local_store))
    with local_store.write() as s:
        assert not outbox.record_failure(s, one, "server_error", "boom")
        assert not outbox.record_failure(s, one, "server_error", "boom")
        assert outbox.record_failure(s, one, "server_error", "boom")
        assert outbox.record_failure(s, two, "too_large", "413")
    held = {m.mutation_id: m for m in _outbox(local_store)}
    assert held[one].held_code == "server_error" and held[one].failures == 3
    assert held[two].held_code == "too_large" and held[two].failures == 1


def test_discarding_an_unsent_create_undoes_it_without_a_rejection(
    local_store: Store, worker: Actor
) -> None:
    from gulou_desk.store.queries import get_record, list_rejections

    household, _ = create_record(local_store, "household", HOUSEHOLD, actor=worker)
    ticket, _ = create_record(local_store, "ticket", {
        "title": "路灯坏了", "category": "municipal", "priority": "normal",
        "grid_id": GRID, "household_id": household}, actor=worker)
    with local_store.write() as s:
        create = _outbox(local_store)[1]
        outbox.discard(s, create.mutation_id)
    with local_store.session() as s:
        assert get_record(s, "ticket", ticket) is None
        assert list_rejections(s) == []
        assert [m.record_id for m in outbox.pending_outbox(s)] == [household]
