"""The audit log over real HTTP: every write of a record is in its history (who, when,
which device and mutation, old and new values), the history is read with the record's
scope, reading sensitive fields is itself logged, and the log takes no edits."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa

from gulou_desk.domain.ids import make_id_number
from gulou_desk.records import new_id
from server.database import writer
from server.devices import record_id as device_record
from server.schema import audit_log
from tests.conftest import LiveServer
from tests.world import Api, World, build_world, held, mutation


@pytest.fixture
def world(live_server: LiveServer) -> World:
    return build_world(live_server.engine)


def _version(api: Api, entity: str, rid: str) -> int:
    return int(held(api.pull_all()[0])[(entity, rid)]["version"])


def _history(api: Api, entity: str, rid: str) -> list[dict[str, Any]]:
    answer = api.get(f"/history/{entity}/{rid}")
    assert answer.status_code == 200, answer.text
    return list(answer.json()["entries"])


def test_the_history_of_a_resident_edited_from_two_devices(
    live_server: LiveServer, world: World
) -> None:
    resident = world["rhA1"]
    laptop = Api(live_server.api).login("worker1")
    office = Api(live_server.api).login("clerk1")
    first = mutation("resident", resident, "update", base_version=_version(
        laptop, "resident", resident), fields={"phone": "13700000001"})
    [r1] = laptop.push(first)
    assert r1["status"] == "applied"
    id_number = make_id_number("320102", dt.date(1950, 3, 7), 77, "female")
    second = mutation("resident", resident, "update", base_version=r1["version"],
                      fields={"id_number": id_number, "relation": "配偶"})
    [r2] = office.push(second)
    assert r2["status"] == "applied"

    entries = _history(laptop, "resident", resident)
    assert [e["op"] for e in entries] == ["create", "update", "update"]
    created, by_worker, by_clerk = entries
    assert created["staff_id"] is None  # written by the system (the world's seed)
    assert created["changes"]["phone"] == {"old": None, "new": "13912345678"}
    assert by_worker["staff_id"] == world["worker1"]
    assert by_worker["device_id"] == laptop.client_id
    assert by_worker["mutation_id"] == first["mutation_id"]
    assert by_worker["version"] == r1["version"]
    assert by_worker["changes"] == {"phone": {"old": "13912345678", "new": "13700000001"}}
    assert by_clerk["staff_id"] == world["clerk1"]
    assert by_clerk["device_id"] == office.client_id
    assert by_clerk["mutation_id"] == second["mutation_id"]
    assert by_clerk["fields"] == ["id_number", "relation"]
    assert by_clerk["changes"]["id_number"]["new"] == id_number
    assert by_clerk["changes"]["relation"] == {"old": "户主", "new": "配偶"}


def test_reading_sensitive_fields_is_logged_and_the_log_filters_by_person(
    live_server: LiveServer, world: World
) -> None:
    resident = world["rhA1"]
    _history(Api(live_server.api).login("clerk1"), "resident", resident)
    admin = Api(live_server.api).login("admin")
    answer = admin.get("/audit", params={"staff_id": world["clerk1"]})
    assert answer.status_code == 200, answer.text
    reads = [e for e in answer.json()["entries"] if e["op"] == "read"]
    assert len(reads) == 1
    assert reads[0]["record_id"] == resident and reads[0]["entity"] == "resident"
    assert reads[0]["fields"] == ["id_number", "phone"]
    assert all(e["staff_id"] == world["clerk1"] for e in answer.json()["entries"])
    # The household's history holds its phone: read too. A ticket's holds nothing sensitive.
    _history(admin, "ticket", world["tA"])
    mine = admin.get("/audit", params={"staff_id": world["admin"]}).json()["entries"]
    assert [e for e in mine if e["op"] == "read"] == []


@pytest.mark.parametrize(("who", "entity", "record", "status"), [
    ("worker1", "resident", "rhA1", 200),
    ("worker2", "resident", "rhA1", 404),  # another grid's resident
    ("worker9", "household", "hA1", 404),  # another street
    ("clerk1", "household", "hA1", 200),
    ("supervisor1", "resident", "rhX1", 404),
    ("admin", "resident", "rhX1", 200),
    ("worker1", "staff", "clerk1", 404),  # staff records: admins and supervisors only
    ("supervisor1", "staff", "clerk1", 200),
])
def test_history_is_read_with_the_records_scope(
    live_server: LiveServer, world: World, who: str, entity: str, record: str, status: int
) -> None:
    answer = Api(live_server.api).login(who).get(f"/history/{entity}/{world[record]}")
    assert answer.status_code == status, answer.text
    if status == 404:
        assert answer.json()["error"]["code"] == "not_found"


def test_the_audit_log_is_for_admins_and_supervisors_of_their_street(
    live_server: LiveServer, world: World
) -> None:
    assert Api(live_server.api).login("worker1").get("/audit").status_code == 403
    assert Api(live_server.api).login("clerk1").get("/audit").status_code == 403
    entries = Api(live_server.api).login("supervisor1").get(
        "/audit", params={"entity": "household", "limit": 1000}).json()["entries"]
    seen = {e["record_id"] for e in entries}
    assert world["hA1"] in seen and world["hX1"] not in seen
    bad = Api(live_server.api).login("admin").get("/audit", params={"since": "yesterday"})
    assert bad.status_code == 422 and bad.json()["error"]["details"]["field"] == "since"
    bad = Api(live_server.api).login("admin").get("/history/nothing/x")
    assert bad.status_code == 422


def test_a_record_seeded_before_the_log_has_an_empty_history_for_those_who_see_it(
    live_server: LiveServer, world: World
) -> None:
    from server.store import bulk_insert

    household = new_id()
    with writer(live_server.engine).begin() as conn:
        bulk_insert(conn, "household", [{
            "id": household, "grid_id": world["gridA"], "estate": "颐和新村",
            "head_name": "钱七", "status": "active", "tags": []}])
    mine = Api(live_server.api).login("worker1").get(f"/history/household/{household}")
    assert mine.status_code == 200 and mine.json()["entries"] == []
    other = Api(live_server.api).login("worker2").get(f"/history/household/{household}")
    assert other.status_code == 404
    never = Api(live_server.api).login("admin").get(f"/history/household/{new_id()}")
    assert never.status_code == 404


def test_an_action_is_logged_by_its_name_and_the_log_takes_no_edits(
    live_server: LiveServer, world: World
) -> None:
    laptop = Api(live_server.api).login("worker1")
    device = device_record(world["worker1"], laptop.device_id)
    admin = Api(live_server.api).login("admin")
    revoke = mutation("device", device, "action", action="revoke", args={"reason": "遗失"})
    [result] = admin.push(revoke)
    assert result["status"] == "applied"
    entries = _history(admin, "device", device)
    assert [e["op"] for e in entries] == ["sign_in", "revoke"]
    assert entries[0]["staff_id"] == world["worker1"]
    assert entries[1]["staff_id"] == world["admin"]
    assert entries[1]["mutation_id"] == revoke["mutation_id"]
    assert entries[1]["changes"]["status"] == {"old": "active", "new": "revoked"}
    for statement in (sa.update(audit_log).values(op="x"), sa.delete(audit_log)):
        with pytest.raises(sa.exc.DBAPIError), writer(live_server.engine).begin() as conn:
            conn.execute(statement)


def test_history_follows_the_records_scope_now_when_only_its_keys_moved(
    live_server: LiveServer, world: World
) -> None:
    """A household moving grid moves its residents' scope keys without a write of theirs
    (no history entry): a resident's history is read by who sees the resident now (the
    new grid's worker), not by the grid it left."""
    clerk = Api(live_server.api).login("clerk1")
    [r] = clerk.push(mutation("household", world["hA1"], "update", base_version=_version(
        clerk, "household", world["hA1"]), fields={"grid_id": world["gridC"]}))
    assert r["status"] == "applied", r
    mine = Api(live_server.api).login("worker2").get(f"/history/resident/{world['rhA1']}")
    assert mine.status_code == 200, mine.text
    assert [e["op"] for e in mine.json()["entries"]] == ["create"]
    left = Api(live_server.api).login("worker1").get(f"/history/resident/{world['rhA1']}")
    assert left.status_code == 404
