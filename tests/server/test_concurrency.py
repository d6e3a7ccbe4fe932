"""Writers that commit while a client pulls: the cursor never skips a change.

On PostgreSQL transactions really do interleave; each writer here holds its transaction
open for a while after taking its version, which is when a naive "max version seen"
cursor would skip a write that commits late.
"""

from __future__ import annotations

import random
import threading
import time
from typing import Any

from server.database import writer
from server.store import RecordWriter, field_values, load
from tests.conftest import LiveServer
from tests.world import Api, build_world, held

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
    from tests.world import mutation

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


def test_opposite_merges_at_once_one_wins_the_other_is_told(live_server: LiveServer) -> None:
    """Two clerks merge the same two tickets into each other at the same moment ("A into
    B" and "B into A"), pair after pair: one merge is applied, the other is rejected
    because its target is merged now (never a server error or a deadlock), and the
    survivor holds the messages of both tickets."""
    from tests.world import mutation

    world = build_world(live_server.engine)
    pairs = [(world.ticket(f"a{n}", "gridA", source_message_ids=[f"msg-a{n}"]),
              world.ticket(f"b{n}", "gridA", source_message_ids=[f"msg-b{n}"]))
             for n in range(MERGE_PAIRS)]
    apis = [Api(live_server.api).login("clerk1"), Api(live_server.api).login("supervisor1")]
    together = threading.Barrier(2)
    results: list[list[dict[str, Any] | str]] = [[], []]

    def merge(i: int) -> None:
        for a, b in pairs:
            source, target = (a, b) if i == 0 else (b, a)
            m = mutation("ticket", source, "action", action="merge",
                         args={"into_id": target})
            together.wait()
            r = apis[i].post("/sync/push", json={"client_id": apis[i].client_id,
                                                 "mutations": [m]})
            results[i].append(r.json()["results"][0] if r.status_code == 200
                              else f"HTTP {r.status_code}: {r.text}")

    threads = [threading.Thread(target=merge, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with live_server.engine.connect() as conn:
        for (a, b), first, second in zip(pairs, *results, strict=True):
            outcome = [first, second]
            assert all(isinstance(r, dict) for r in outcome), outcome
            statuses = sorted(r["status"] for r in outcome if isinstance(r, dict))
            assert statuses == ["applied", "rejected"], outcome
            [lost] = [r for r in outcome if isinstance(r, dict) and r["status"] == "rejected"]
            assert lost["error"]["code"] == "invalid_transition", lost
            assert lost["error"]["message"] == "the target ticket is no longer open", lost
            merged, survivor = (a, b) if first["status"] == "applied" else (b, a)
            m_row, s_row = load(conn, "ticket", merged), load(conn, "ticket", survivor)
            assert m_row is not None and s_row is not None
            assert (m_row["status"], m_row["merged_into_id"]) == ("merged", survivor)
            assert s_row["status"] == "new" and s_row["merged_into_id"] is None
            n = pairs.index((a, b))
            assert sorted(s_row["source_message_ids"]) == [f"msg-a{n}", f"msg-b{n}"]
