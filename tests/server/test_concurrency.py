"""Writers that commit while a client pulls: the cursor never skips a change.

On PostgreSQL transactions really do interleave; each writer here holds its transaction
open for a while after taking its version, which is when a naive "max version seen"
cursor would skip a write that commits late.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
from typing import Any

import sqlalchemy as sa

from gulou_desk.domain.ids import make_id_number
from gulou_desk.records import new_id
from server.database import writer
from server.escalation import escalate_overdue
from server.schema import ticket_numbers
from server.store import RecordWriter, field_values, load, stored_keys
from tests.conftest import LiveServer
from tests.world import T0, Api, build_world, held, mutation

WRITERS = 6
WRITES_EACH = 25


def test_concurrent_writers_while_pulling_skip_nothing(live_server: LiveServer) -> None:
    world = build_world(live_server.engine)
    households = [world.household(f"h{i}", "gridA", room=str(100 + i)) for i in range(12)]
    api = Api(live_server.api).login("clerk1")
    changes, cursor = api.pull_all()
    pulled = list(changes)
    stop = threading.Event()
    errors: list[BaseException] = []

    def write(seed: int) -> None:
        rng = random.Random(seed)
        try:
            for n in range(WRITES_EACH):
                hid = rng.choice(households)
                with writer(live_server.engine).begin() as conn:
                    row = load(conn, "household", hid)
                    assert row is not None
                    values = field_values("household", row)
                    values["notes"] = f"writer {seed} write {n}"
                    RecordWriter(conn).save("household", hid, values, changed=["notes"])
                    time.sleep(rng.uniform(0, 0.02))  # commit late, after others began
        except BaseException as exc:  # surfaced by the assertion below
            errors.append(exc)

    def pull() -> None:
        nonlocal cursor
        while not stop.is_set():
            got, cursor = api.pull_all(cursor, limit=7)
            pulled.extend(got)
            time.sleep(0.005)

    puller = threading.Thread(target=pull)
    puller.start()
    threads = [threading.Thread(target=write, args=(s,)) for s in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stop.set()
    puller.join()
    assert not errors
    final, _ = api.pull_all(cursor)
    pulled.extend(final)
    state = held(pulled)
    with live_server.engine.connect() as conn:
        for hid in households:
            row = load(conn, "household", hid)
            assert row is not None
            got = state[("household", hid)]
            assert got["version"] == row["sync_version"]
            assert got["data"]["notes"] == row["notes"]


def test_concurrent_pushes_to_one_record_lose_no_field(live_server: LiveServer) -> None:
    """Two devices edit different fields of one household at the same moment, again and
    again: every edit survives (the push locks the row it read before writing it)."""
    world = build_world(live_server.engine)
    hid = world["hA1"]
    apis = [Api(live_server.api).login("worker1"), Api(live_server.api).login("clerk1")]
    fields = ["notes", "phone"]
    base = held(apis[0].pull_all()[0])[("household", hid)]["version"]
    last: dict[str, str] = {}
    errors: list[BaseException] = []

    def edit(i: int) -> None:
        try:
            for n in range(15):
                value = f"第{n}次备注" if fields[i] == "notes" else f"1380000{n:04d}"
                [r] = apis[i].push(mutation("household", hid, "update", base_version=base,
                                            fields={fields[i]: value}))
                assert r["status"] == "applied", r
                last[fields[i]] = value
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=edit, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with live_server.engine.connect() as conn:
        row = load(conn, "household", hid)
    assert row is not None
    assert row["notes"] == last["notes"]
    assert row["phone"] == last["phone"]


MERGE_PAIRS = 20
ROUNDS = 20


def _pushed_together(apis: list[Api], rounds: list[list[dict[str, Any]]]) -> list[
        list[dict[str, Any] | str]]:
    """Push ``rounds[n][i]`` from ``apis[i]``, the pushes of one round at the same moment
    (one thread per Api); returns each round's results, a failed request as its text."""
    together = threading.Barrier(len(apis))
    got: list[list[dict[str, Any] | str]] = [[] for _ in apis]

    def send(i: int) -> None:
        for round_ in rounds:
            together.wait()
            r = apis[i].post("/sync/push", json={"client_id": apis[i].client_id,
                                                 "mutations": [round_[i]]})
            got[i].append(r.json()["results"][0] if r.status_code == 200
                          else f"HTTP {r.status_code}: {r.text}")

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(apis))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [list(results) for results in zip(*got, strict=True)]


def test_opposite_merges_at_once_one_wins_the_other_is_told(live_server: LiveServer) -> None:
    """Two clerks merge the same two tickets into each other at the same moment ("A into
    B" and "B into A"), pair after pair: one merge is applied, the other is rejected
    because its target is merged now (never a server error or a deadlock), and the
    survivor holds the messages of both tickets."""
    world = build_world(live_server.engine)
    pairs = [(world.ticket(f"a{n}", "gridA", source_message_ids=[f"msg-a{n}"]),
              world.ticket(f"b{n}", "gridA", source_message_ids=[f"msg-b{n}"]))
             for n in range(MERGE_PAIRS)]
    apis = [Api(live_server.api).login("clerk1"), Api(live_server.api).login("supervisor1")]
    results = _pushed_together(apis, [
        [mutation("ticket", a, "action", action="merge", args={"into_id": b}),
         mutation("ticket", b, "action", action="merge", args={"into_id": a})]
        for a, b in pairs])
    with live_server.engine.connect() as conn:
        for n, ((a, b), outcome) in enumerate(zip(pairs, results, strict=True)):
            assert all(isinstance(r, dict) for r in outcome), outcome
            first, second = (r for r in outcome if isinstance(r, dict))
            assert sorted([first["status"], second["status"]]) == ["applied", "rejected"]
            lost = first if first["status"] == "rejected" else second
            assert lost["error"]["code"] == "invalid_transition", lost
            assert lost["error"]["message"] == (
                "the target ticket is no longer open: it is merged"), lost
            merged, survivor = (a, b) if first["status"] == "applied" else (b, a)
            m_row, s_row = load(conn, "ticket", merged), load(conn, "ticket", survivor)
            assert m_row is not None and s_row is not None
            assert (m_row["status"], m_row["merged_into_id"]) == ("merged", survivor)
            assert s_row["status"] == "new" and s_row["merged_into_id"] is None
            assert sorted(s_row["source_message_ids"]) == [f"msg-a{n}", f"msg-b{n}"]


def test_visits_recorded_while_the_household_is_edited(live_server: LiveServer) -> None:
    """A worker's visits reach the server while a clerk edits the same household, round
    after round: every push is applied (no server error, no deadlock), the household shows
    the clerk's last note and the last visit's time."""
    world = build_world(live_server.engine)
    hid = world["hA1"]
    apis = [Api(live_server.api).login("worker1"), Api(live_server.api).login("clerk1")]
    base = held(apis[1].pull_all()[0])[("household", hid)]["version"]
    visited = [f"2026-11-{n + 3:02d}T10:00:00+08:00" for n in range(ROUNDS)]
    results = _pushed_together(apis, [
        [mutation("visit", new_id(), "create", fields={
            "household_id": hid, "worker_id": world["worker1"],
            "template_id": world["template"], "template_version": 1,
            "visited_at": at, "answers": {"at_home": True}}),
         mutation("household", hid, "update", base_version=base,
                  fields={"notes": f"第{n}次备注"})]
        for n, at in enumerate(visited)])
    for outcome in results:
        assert [r["status"] if isinstance(r, dict) else r for r in outcome] == \
            ["applied", "applied"], outcome
    with live_server.engine.connect() as conn:
        row = load(conn, "household", hid)
    assert row is not None
    assert row["notes"] == f"第{ROUNDS - 1}次备注"
    assert row["last_visit_at"] == dt.datetime.fromisoformat(visited[-1])




ESCALATION_ROUNDS = 40


def test_merges_while_overdue_tickets_are_escalated(live_server: LiveServer) -> None:
    """Clerks merge overdue tickets while the escalation job runs, round after round: the
    job locks every candidate in one statement, each merge its two tickets, and here the
    tickets fall due against id order. Neither waits for the other in a circle: every
    merge is applied, every ticket is escalated or merged, the job ends without an error
    (a deadlock would fail one of them)."""
    world = build_world(live_server.engine)
    clerks = [Api(live_server.api).login(name) for name in ("clerk1", "supervisor1", "admin")]
    for n in range(ESCALATION_ROUNDS):
        day = T0 + dt.timedelta(days=n)
        ids = sorted(new_id() for _ in range(2 * len(clerks)))
        for rank, tid in enumerate(ids):  # the higher the id, the earlier it is due
            world.ticket(tid, "gridA", record_id=tid,
                         due_at=day - dt.timedelta(minutes=rank + 1))
        pairs = [(ids[k], ids[-1 - k]) for k in range(len(clerks))]  # merged low into high
        outcome = _merge_while_escalating(live_server, clerks, pairs, day)
        assert isinstance(outcome.pop("job"), int), outcome
        assert outcome == dict.fromkeys((low for low, _ in pairs), "applied")
        with live_server.engine.connect() as conn:
            for tid in ids:
                row = load(conn, "ticket", tid)
                assert row is not None
                assert row["status"] == "merged" if tid in outcome else row["escalated"], row


def _merge_while_escalating(live_server: LiveServer, clerks: list[Api],
                            pairs: list[tuple[str, str]], at: dt.datetime) -> dict[str, Any]:
    """Run the escalation job at ``at`` while ``clerks[k]`` merges ``pairs[k]`` (low into
    high), all at the same moment; returns the merges' statuses by ticket (a failed
    request as its text) and, as "job", what the job returned or raised."""
    together = threading.Barrier(1 + len(clerks))
    outcome: dict[str, Any] = {}
    probe = Api(live_server.api)

    def escalate() -> None:
        together.wait()
        # One request's round trip first: the job then locks its candidates about when
        # the merges, which go through HTTP, lock theirs.
        assert probe.get("/health").status_code == 200
        try:
            outcome["job"] = escalate_overdue(live_server.engine, at)
        except BaseException as exc:
            outcome["job"] = exc

    def merge(k: int, low: str, high: str) -> None:
        together.wait()
        r = clerks[k].post("/sync/push", json={"client_id": clerks[k].client_id, "mutations": [
            mutation("ticket", low, "action", action="merge", args={"into_id": high})]})
        outcome[low] = r.json()["results"][0]["status"] if r.status_code == 200 \
            else f"HTTP {r.status_code}: {r.text}"

    threads = [threading.Thread(target=escalate)] + [
        threading.Thread(target=merge, args=(k, *pair)) for k, pair in enumerate(pairs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcome


def test_household_moved_or_deleted_while_its_resident_is_edited(
        live_server: LiveServer) -> None:
    """A clerk moves a household to another grid (its residents move with it) or deletes
    it (its residents go with it) while a worker edits one of its residents, round after
    round: no server error, no deadlock. A move and the edit are both applied; the edit
    racing a delete is applied before it or finds the resident gone (not_found)."""
    world = build_world(live_server.engine)
    apis = [Api(live_server.api).login("clerk1"), Api(live_server.api).login("worker1")]
    hid, rid = world["hA1"], world["rhA1"]
    grids = [world["gridB"], world["gridA"]]
    base = held(apis[1].pull_all()[0])[("resident", rid)]["version"]
    with live_server.engine.connect() as conn:
        moves = []
        for n in range(ROUNDS):
            row = load(conn, "household", hid)
            assert row is not None
            moves.append(mutation("household", hid, "update", base_version=row["sync_version"],
                                  fields={"grid_id": grids[n % 2]}))
    results = _pushed_together(apis, [
        [move, mutation("resident", rid, "update", base_version=base,
                        fields={"phone": f"1390000{n:04d}"})]
        for n, move in enumerate(moves)])
    for outcome in results:
        assert [r["status"] if isinstance(r, dict) else r for r in outcome] == \
            ["applied", "applied"], outcome
    with live_server.engine.connect() as conn:
        resident = load(conn, "resident", rid)
        assert resident is not None and resident["phone"] == f"1390000{ROUNDS - 1:04d}"
        assert stored_keys(conn, "resident", rid) == {f"g:{grids[(ROUNDS - 1) % 2]}"}

    doomed = [world.household(f"gone{n}", "gridA") for n in range(ROUNDS)]
    residents = [world.resident(f"rgone{n}", f"gone{n}") for n in range(ROUNDS)]
    versions = held(apis[1].pull_all()[0])
    results = _pushed_together(apis, [
        [mutation("household", h, "delete", base_version=versions[("household", h)]["version"]),
         mutation("resident", r, "update", base_version=versions[("resident", r)]["version"],
                  fields={"phone": "13900000000"})]
        for h, r in zip(doomed, residents, strict=True)])
    for outcome in results:
        assert all(isinstance(r, dict) for r in outcome), outcome
        deleted, edited = (r for r in outcome if isinstance(r, dict))
        assert deleted["status"] == "applied", deleted
        assert edited["status"] == "applied" or \
            (edited["status"], edited["error"]["code"]) == ("rejected", "not_found"), edited
    with live_server.engine.connect() as conn:
        assert all(load(conn, "resident", r) is None for r in residents)



def test_residents_added_while_their_household_moves_follow_it(
        live_server: LiveServer) -> None:
    """A resident is added to a household at the moment a clerk moves the household to
    another grid, household after household: each new resident ends up in its household's
    scope (the new grid's worker receives it), never in the grid the household just left."""
    world = build_world(live_server.engine)
    apis = [Api(live_server.api).login("clerk1"), Api(live_server.api).login("supervisor1")]
    households = [world.household(f"moving{n}", "gridA") for n in range(ROUNDS)]
    versions = held(apis[0].pull_all()[0])
    born = dt.date(1960, 1, 1)
    added = [new_id() for _ in households]
    results = _pushed_together(apis, [
        [mutation("household", hid, "update",
                  base_version=versions[("household", hid)]["version"],
                  fields={"grid_id": world["gridC"]}),
         mutation("resident", rid, "create", fields={
             "household_id": hid, "name": f"住户{n}", "gender": "male",
             "birth_date": born.isoformat(), "status": "active", "relation": "子女",
             "id_number": make_id_number("320106", born, n, "male"), "tags": []})]
        for n, (hid, rid) in enumerate(zip(households, added, strict=True))])
    for outcome in results:
        assert [r["status"] if isinstance(r, dict) else r for r in outcome] == \
            ["applied", "applied"], outcome
    worker2 = held(Api(live_server.api).login("worker2").pull_all()[0])
    assert [("resident", rid) in worker2 for rid in added] == [True] * ROUNDS
    with live_server.engine.connect() as conn:
        assert [stored_keys(conn, "resident", rid) for rid in added] == \
            [{f"g:{world['gridC']}"}] * ROUNDS


def test_the_days_first_tickets_made_at_once_each_get_a_number(
        live_server: LiveServer) -> None:
    """Clerks file tickets at the same moment while the day has no ticket yet: every
    ticket is made, and the day's numbers go 0001, 0002 … with no gap and no repeat."""
    world = build_world(live_server.engine)
    apis = [Api(live_server.api).login(user)
            for user in ("clerk1", "clerk1", "supervisor1", "supervisor1")]
    for attempt in range(8):
        with live_server.engine.begin() as conn:  # the day starts again: no number yet
            conn.execute(sa.delete(ticket_numbers))
        ids = [new_id() for _ in apis]
        [outcome] = _pushed_together(apis, [[
            mutation("ticket", tid, "create", fields={
                "title": f"路灯坏了 {attempt}-{n}", "category": "municipal",
                "grid_id": world["gridA"]})
            for n, tid in enumerate(ids)]])
        assert [r["status"] if isinstance(r, dict) else r for r in outcome] == \
            ["applied"] * len(apis), outcome
        with live_server.engine.connect() as conn:
            numbers = sorted(str(load(conn, "ticket", tid)["number"])[-4:] for tid in ids)
        assert numbers == [f"{n:04d}" for n in range(1, len(apis) + 1)]


def test_residents_added_while_their_household_is_deleted_leave_no_orphan(
        live_server: LiveServer) -> None:
    """A resident is added to a household at the moment a clerk deletes the household,
    household after household: either the resident came first and went with the
    household, or it is refused because the household is gone; never a server error,
    never a resident left without its household."""
    world = build_world(live_server.engine)
    apis = [Api(live_server.api).login("clerk1"), Api(live_server.api).login("supervisor1")]
    households = [world.household(f"leaving{n}", "gridA") for n in range(ROUNDS)]
    versions = held(apis[0].pull_all()[0])
    born = dt.date(1960, 1, 1)
    added = [new_id() for _ in households]
    results = _pushed_together(apis, [
        [mutation("household", hid, "delete",
                  base_version=versions[("household", hid)]["version"]),
         mutation("resident", rid, "create", fields={
             "household_id": hid, "name": f"住户{n}", "gender": "male",
             "birth_date": born.isoformat(), "status": "active", "relation": "子女",
             "id_number": make_id_number("320106", born, n, "male"), "tags": []})]
        for n, (hid, rid) in enumerate(zip(households, added, strict=True))])
    with live_server.engine.connect() as conn:
        for hid, rid, (deleted, created) in zip(households, added, results, strict=True):
            assert isinstance(deleted, dict) and deleted["status"] == "applied", deleted
            assert isinstance(created, dict), created
            assert load(conn, "household", hid) is None
            assert load(conn, "resident", rid) is None  # never an orphan
            if created["status"] == "rejected":
                assert created["error"]["code"] == "not_found", created
                assert created["error"]["details"] == {"field": "household_id"}, created
            else:
                assert created["status"] == "applied", created


BATCH_HOUSEHOLDS = 6


def test_batches_over_the_same_rows_in_opposite_orders_all_apply(
        live_server: LiveServer) -> None:
    """A push is one transaction (a savepoint per mutation): two devices push batches
    that edit the same households in opposite orders, while a third edits them one at a
    time, round after round. The documented lock order holds (a batch that holds the
    counter waits only briefly for a row, then commits what it did and goes on): every
    mutation is applied, none fails (no deadlock, no ``internal``), no edit is lost."""
    world = build_world(live_server.engine)
    households = [world.household(f"b{i}", "gridA", room=str(200 + i))
                  for i in range(BATCH_HOUSEHOLDS)]
    apis = [Api(live_server.api).login(name) for name in ("clerk1", "supervisor1", "admin")]
    base = held(apis[0].pull_all()[0])
    versions = {h: base[("household", h)]["version"] for h in households}
    rounds = 8
    got: list[list[dict[str, Any]]] = [[] for _ in apis]
    errors: list[BaseException] = []
    together = threading.Barrier(len(apis))

    def send(i: int) -> None:
        try:
            for n in range(rounds):
                together.wait()
                if i == 2:  # one at a time, phones
                    for k, h in enumerate(households):
                        got[i] += apis[i].push(mutation(
                            "household", h, "update", base_version=versions[h],
                            fields={"phone": f"1390{n:03d}{k:04d}"}))
                    continue
                order = households if i == 0 else households[::-1]
                field = "notes" if i == 0 else "room"
                got[i] += apis[i].push(*[
                    mutation("household", h, "update", base_version=versions[h],
                             fields={field: f"{field}-{n}"}) for h in order])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(apis))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    for results in got:
        assert len(results) == rounds * BATCH_HOUSEHOLDS
        assert {r["status"] for r in results} == {"applied"}, [
            r for r in results if r["status"] != "applied"][:3]
    with live_server.engine.connect() as conn:
        for k, h in enumerate(households):
            row = load(conn, "household", h)
            assert row is not None
            assert (row["notes"], row["room"], row["phone"]) == (
                f"notes-{rounds - 1}", f"room-{rounds - 1}", f"1390{rounds - 1:03d}{k:04d}")
