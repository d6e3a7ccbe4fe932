"""Writers that commit while a client pulls: the cursor never skips a change.

On PostgreSQL transactions really do interleave; each writer here holds its transaction
open for a while after taking its version, which is when a naive "max version seen"
cursor would skip a write that commits late.
"""

from __future__ import annotations

import random
import threading
import time

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
