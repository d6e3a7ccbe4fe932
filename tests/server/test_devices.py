"""Devices over real HTTP: the record a sign-in writes, who sees it, who may revoke it,
and what a revoked device hears at its next call (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from server.devices import record_id
from tests.conftest import LiveServer
from tests.world import Api, World, build_world, held, mutation


@pytest.fixture
def world(live_server: LiveServer) -> World:
    return build_world(live_server.engine)


def _devices(api: Api) -> dict[str, dict[str, object]]:
    changes, _ = api.pull_all()
    return {rid: c["data"] for (entity, rid), c in held(changes).items() if entity == "device"}


def _device_of(api: Api) -> str:
    return record_id(api.user["id"], api.device_id)


def test_a_sign_in_writes_an_active_device_seen_by_admins_and_the_streets_supervisors(
    live_server: LiveServer, world: World
) -> None:
    laptop = Api(live_server.api).login("worker1")
    device = _device_of(laptop)
    seen = _devices(Api(live_server.api).login("admin"))
    assert seen[device]["staff_id"] == world["worker1"]
    assert seen[device]["status"] == "active" and seen[device]["name"] == "pytest"
    assert seen[device]["last_seen_at"] is not None
    assert device in _devices(Api(live_server.api).login("supervisor1"))
    assert _devices(Api(live_server.api).login("clerk1")) == {}
    assert device not in _devices(Api(live_server.api).login("worker2"))
    assert _devices(laptop) == {}  # a worker's pull carries no devices


def test_a_revoked_device_is_told_so_at_its_next_call_and_its_refresh(
    live_server: LiveServer, world: World
) -> None:
    laptop = Api(live_server.api).login("worker1")
    phone_in_office = Api(live_server.api).login("worker1")  # another device, same person
    supervisor = Api(live_server.api).login("supervisor1")
    device = _device_of(laptop)
    version = held(supervisor.pull_all()[0])[("device", device)]["version"]
    [result] = supervisor.push(mutation("device", device, "action", action="revoke",
                                        base_version=version,
                                        args={"reason": "笔记本遗失"}))
    assert result["status"] == "applied"

    answer = laptop.get("/sync/pull")
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "device_revoked"
    refreshed = laptop.http.post(live_server.api + "/auth/refresh",
                                 json={"refresh_token": laptop.refresh_token}, timeout=10)
    assert refreshed.status_code == 401
    assert refreshed.json()["error"]["code"] == "device_revoked"
    assert phone_in_office.get("/sync/pull").status_code == 200  # only that device

    record = _devices(Api(live_server.api).login("admin"))[device]
    assert record["status"] == "revoked" and record["revoked_by_id"] == world["supervisor1"]
    assert record["revoked_reason"] == "笔记本遗失" and record["revoked_at"] is not None

    # Signing in again on it (after its wipe, or handed to someone) makes it active.
    again = Api(live_server.api)
    again.device_id = laptop.device_id
    again.login("worker1")
    assert again.get("/sync/pull").status_code == 200
    assert _devices(Api(live_server.api).login("admin"))[device]["status"] == "active"


@pytest.mark.parametrize(("who", "status", "code"), [
    ("worker1", "rejected", "not_found"),  # a worker does not even see devices
    ("clerk1", "rejected", "not_found"),
    ("worker9", "rejected", "not_found"),
])
def test_only_admins_and_the_streets_supervisors_may_revoke(
    live_server: LiveServer, world: World, who: str, status: str, code: str
) -> None:
    laptop = Api(live_server.api).login("worker1")
    device = _device_of(laptop)
    [result] = Api(live_server.api).login(who).push(
        mutation("device", device, "action", action="revoke", args={}))
    assert (result["status"], result["error"]["code"]) == (status, code)
    assert laptop.get("/sync/pull").status_code == 200


def test_a_supervisor_of_another_street_cannot_and_a_second_revoke_is_refused(
    live_server: LiveServer, world: World
) -> None:
    world.staff("supervisor2", "supervisor", street="street2")
    laptop = Api(live_server.api).login("worker1")
    device = _device_of(laptop)
    [other] = Api(live_server.api).login("supervisor2").push(
        mutation("device", device, "action", action="revoke", args={}))
    assert other["error"]["code"] == "not_found"
    admin = Api(live_server.api).login("admin")
    [first] = admin.push(mutation("device", device, "action", action="revoke", args={}))
    [second] = admin.push(mutation("device", device, "action", action="revoke", args={}))
    assert first["status"] == "applied"
    assert (second["status"], second["error"]["code"]) == ("rejected", "invalid_transition")
    [edit] = admin.push(mutation("device", device, "update", base_version=first["version"],
                                 fields={"status": "active"}))
    assert edit["status"] == "rejected"  # no way around the workflow
