"""Staff administration through push over real HTTP: create, disable / enable, reset a
password, grids, community and temporary covers — each checked for role and scope, and
what a scope change means reaching the people concerned through the pull."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gulou_desk.records import SHANGHAI, new_id
from server.devices import record_id as device_record
from server.staff_admin import end_covers
from tests.conftest import LiveServer
from tests.world import Api, World, build_world, held, mutation

ONE_TIME = "once-only-42"


@pytest.fixture
def world(live_server: LiveServer) -> World:
    return build_world(live_server.engine)


def _today() -> dt.date:
    return dt.datetime.now(SHANGHAI).date()


def _new_staff(username: str, role: str = "social_worker",
               community: str | None = None, **more: Any) -> tuple[str, list[dict[str, Any]]]:
    sid = new_id()
    fields = {"username": username, "display_name": username.title(), "role": role,
              "community_id": community, **more}
    return sid, [mutation("staff", sid, "create", fields=fields),
                 mutation("staff", sid, "action", action="reset_password",
                          args={"password": ONE_TIME})]


def _households(api: Api) -> set[str]:
    return {rid for (entity, rid) in held(api.pull_all()[0]) if entity == "household"}


def _error(result: dict[str, Any]) -> tuple[str, str | None]:
    assert result["status"] == "rejected", result
    return result["error"]["code"], result["error"]["details"].get("field")


def test_an_admin_creates_a_worker_who_signs_in_changes_the_password_and_syncs(
    live_server: LiveServer, world: World
) -> None:
    admin = Api(live_server.api).login("admin")
    sid, create = _new_staff("xiaowang", community=world["community"], phone="13800001111")
    assert [r["status"] for r in admin.push(*create)] == ["applied", "applied"]
    [grids] = admin.push(mutation("staff", sid, "action", action="set_grids",
                                  args={"grid_ids": [world["gridC"]]}))
    assert grids["status"] == "applied"

    new = Api(live_server.api).login("xiaowang", ONE_TIME)
    assert new.user["must_change_password"] is True and new.user["id"] == sid
    refused = new.get("/sync/pull")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "password_change_required"
    same = new.post("/auth/password", json={"current_password": ONE_TIME,
                                            "new_password": ONE_TIME})
    assert same.status_code == 422
    changed = new.post("/auth/password", json={"current_password": ONE_TIME,
                                               "new_password": "my-own-pass-9"})
    assert changed.status_code == 200, changed.text
    assert _households(new) == {world["hC1"]}
    again = Api(live_server.api).login("xiaowang", "my-own-pass-9")
    assert again.user["must_change_password"] is False
    staff = held(admin.pull_all()[0])[("staff", sid)]["data"]
    assert staff["street_id"] == world["street"] and staff["phone"] == "13800001111"
    assert staff["active"] is True


@pytest.mark.parametrize(("who", "username", "role", "community", "expected"), [
    ("supervisor1", "newclerk", "clerk", "community", None),
    ("supervisor1", "newsuper", "supervisor", None, ("forbidden", "role")),
    ("supervisor1", "elsewhere", "social_worker", "community2", ("forbidden", "street_id")),
    ("clerk1", "byclerk", "social_worker", "community", ("forbidden", None)),
    ("worker1", "byworker", "social_worker", "community", ("forbidden", None)),
    ("admin", "worker1", "social_worker", "community", ("validation", "username")),
    ("admin", "Bad Name", "social_worker", "community", ("validation", "username")),
    ("admin", "nocommunity", "clerk", None, ("validation", "community_id")),
])
def test_who_may_create_whom(
    live_server: LiveServer, world: World, who: str, username: str, role: str,
    community: str | None, expected: tuple[str, str | None] | None,
) -> None:
    _, create = _new_staff(username, role, world[community] if community else None)
    [result] = Api(live_server.api).login(who).push(create[0])
    if expected is None:
        assert result["status"] == "applied"
    else:
        assert _error(result) == expected


def test_disabling_ends_sessions_revokes_devices_and_enabling_lets_in_again(
    live_server: LiveServer, world: World
) -> None:
    laptop = Api(live_server.api).login("worker1")
    supervisor = Api(live_server.api).login("supervisor1")
    [done] = supervisor.push(mutation("staff", world["worker1"], "action", action="disable",
                                      args={"reason": "离职"}))
    assert done["status"] == "applied"
    answer = laptop.get("/sync/pull")
    assert answer.status_code == 401 and answer.json()["error"]["code"] == "device_revoked"
    login = laptop.http.post(live_server.api + "/auth/login", json={
        "username": "worker1", "password": "secret-pass-1", "device_id": "x"}, timeout=10)
    assert login.status_code == 401
    admin = Api(live_server.api).login("admin")
    seen = held(admin.pull_all()[0])
    device = seen[("device", device_record(world["worker1"], laptop.device_id))]["data"]
    assert device["status"] == "revoked" and device["revoked_reason"] == "account_disabled"
    assert seen[("staff", world["worker1"])]["data"]["active"] is False
    [twice] = supervisor.push(mutation("staff", world["worker1"], "action", action="disable"))
    assert _error(twice)[0] == "invalid_transition"
    [enabled] = admin.push(mutation("staff", world["worker1"], "action", action="enable"))
    assert enabled["status"] == "applied"
    assert Api(live_server.api).login("worker1").get("/sync/pull").status_code == 200


@pytest.mark.parametrize(("who", "target", "code"), [
    ("supervisor1", "admin", "forbidden"),  # a supervisor administers workers and clerks
    ("supervisor1", "supervisor1", "forbidden"),  # nobody disables themselves
    ("admin", "admin", "forbidden"),
    ("supervisor1", "worker9", "forbidden"),  # another street's worker
    ("clerk1", "worker1", "forbidden"),
    ("worker1", "worker2", "forbidden"),
])
def test_who_may_disable_whom(
    live_server: LiveServer, world: World, who: str, target: str, code: str
) -> None:
    [result] = Api(live_server.api).login(who).push(
        mutation("staff", world[target], "action", action="disable"))
    assert _error(result)[0] == code
    assert Api(live_server.api).login(target).get("/sync/pull").status_code == 200


def test_a_password_reset_signs_out_and_gives_a_one_time_password(
    live_server: LiveServer, world: World
) -> None:
    laptop = Api(live_server.api).login("clerk1")
    supervisor = Api(live_server.api).login("supervisor1")
    [short] = supervisor.push(mutation("staff", world["clerk1"], "action",
                                       action="reset_password", args={"password": "short"}))
    assert _error(short) == ("validation", "password")
    [reset] = supervisor.push(mutation("staff", world["clerk1"], "action",
                                       action="reset_password", args={"password": ONE_TIME}))
    assert reset["status"] == "applied"
    assert laptop.get("/sync/pull").status_code == 401
    fresh = Api(live_server.api).login("clerk1", ONE_TIME)
    assert fresh.user["must_change_password"] is True
    [other] = Api(live_server.api).login("supervisor1").push(mutation(
        "staff", world["worker9"], "action", action="reset_password",
        args={"password": ONE_TIME}))
    assert _error(other)[0] == "forbidden"


def test_grids_assigned_and_taken_away_reach_the_worker_by_backfill_and_revoke(
    live_server: LiveServer, world: World
) -> None:
    worker2 = Api(live_server.api).login("worker2")
    changes, cursor = worker2.pull_all()
    assert {rid for (e, rid) in held(changes) if e == "household"} == {world["hC1"]}
    supervisor = Api(live_server.api).login("supervisor1")
    [given] = supervisor.push(mutation("staff", world["worker2"], "action", action="set_grids",
                                       args={"grid_ids": [world["gridA"], world["gridC"]]}))
    assert given["status"] == "applied"
    more, cursor = worker2.pull_all(cursor)
    assert {c["id"] for c in more if c["entity"] == "household" and c["op"] == "upsert"} == {
        world["hA1"], world["hA2"]}
    [taken] = supervisor.push(mutation("staff", world["worker2"], "action", action="set_grids",
                                       args={"grid_ids": [world["gridC"]]}))
    assert taken["status"] == "applied"
    less, _ = worker2.pull_all(cursor)
    assert {c["id"] for c in less if c["op"] == "revoke" and c["entity"] == "household"} == {
        world["hA1"], world["hA2"]}
    [outside] = supervisor.push(mutation("staff", world["worker2"], "action", action="set_grids",
                                         args={"grid_ids": [world["gridX"]]}))
    assert _error(outside) == ("forbidden", "grid_ids")
    [clerk] = supervisor.push(mutation("staff", world["clerk1"], "action", action="set_grids",
                                       args={"grid_ids": [world["gridA"]]}))
    assert _error(clerk) == ("validation", "grid_ids")


def test_a_clerk_moved_to_another_community_only_by_an_admin(
    live_server: LiveServer, world: World
) -> None:
    [refused] = Api(live_server.api).login("supervisor1").push(mutation(
        "staff", world["clerk1"], "action", action="set_community",
        args={"community_id": world["community2"]}))
    assert _error(refused) == ("forbidden", "community_id")
    clerk = Api(live_server.api).login("clerk1")
    assert world["hX1"] not in _households(clerk)
    [moved] = Api(live_server.api).login("admin").push(mutation(
        "staff", world["clerk1"], "action", action="set_community",
        args={"community_id": world["community2"]}))
    assert moved["status"] == "applied"
    assert _households(clerk) == {world["hX1"]}


def test_a_cover_gives_a_grid_for_its_days_and_ends_by_itself(
    live_server: LiveServer, world: World
) -> None:
    worker2 = Api(live_server.api).login("worker2")
    _, cursor = worker2.pull_all()
    supervisor = Api(live_server.api).login("supervisor1")
    cover = new_id()
    today = _today()
    fields = {"staff_id": world["worker2"], "grid_id": world["gridB"],
              "starts_on": today.isoformat(), "ends_on": today.isoformat(),
              "note": "worker1 休假"}
    [made] = supervisor.push(mutation("cover", cover, "create", fields={
        **fields, "status": "ended", "created_by_id": world["worker1"]}))
    assert made["status"] == "applied"
    more, cursor = worker2.pull_all(cursor)
    got = {c["id"]: c for c in more if c["op"] == "upsert"}
    assert world["hB1"] in got
    assert got[cover]["data"]["status"] == "active"  # the server's field, not the client's
    assert got[cover]["data"]["created_by_id"] == world["supervisor1"]
    # The worker may act on the covered grid's records as on their own.
    [edit] = worker2.push(mutation("household", world["hB1"], "update",
                                   base_version=got[world["hB1"]]["version"],
                                   fields={"notes": "顶岗走访"}))
    assert edit["status"] == "applied"

    tomorrow = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(0, 5),
                                   tzinfo=SHANGHAI)
    assert end_covers(live_server.engine, tomorrow) == 1
    less, _ = worker2.pull_all(cursor)
    assert {c["id"] for c in less if c["op"] == "revoke"} >= {world["hB1"]}
    ended = held(supervisor.pull_all()[0])[("cover", cover)]["data"]
    assert ended["status"] == "ended" and ended["ended_at"] is not None


@pytest.mark.parametrize(("who", "change", "expected"), [
    ("worker2", {}, ("forbidden", None)),
    ("clerk1", {}, ("forbidden", None)),
    ("supervisor1", {"grid_id": "gridX"}, ("forbidden", "grid_id")),
    ("supervisor1", {"staff_id": "clerk1"}, ("validation", "staff_id")),
    ("supervisor1", {"ends_on": -1}, ("validation", "ends_on")),
    ("supervisor1", {"starts_on": 3, "ends_on": 2}, ("validation", "ends_on")),
])
def test_who_may_give_a_cover_and_which(
    live_server: LiveServer, world: World, who: str, change: dict[str, Any],
    expected: tuple[str, str | None],
) -> None:
    today = _today()
    fields: dict[str, Any] = {"staff_id": world["worker2"], "grid_id": world["gridB"],
                              "starts_on": today.isoformat(),
                              "ends_on": (today + dt.timedelta(days=5)).isoformat()}
    for name, value in change.items():
        fields[name] = (today + dt.timedelta(days=value)).isoformat() \
            if isinstance(value, int) else world[value]
    [result] = Api(live_server.api).login(who).push(
        mutation("cover", new_id(), "create", fields=fields))
    assert _error(result) == expected


def test_a_cover_ended_early_by_the_supervisor(live_server: LiveServer, world: World) -> None:
    supervisor = Api(live_server.api).login("supervisor1")
    cover = new_id()
    today = _today()
    supervisor.push(mutation("cover", cover, "create", fields={
        "staff_id": world["worker2"], "grid_id": world["gridB"],
        "starts_on": today.isoformat(),
        "ends_on": (today + dt.timedelta(days=9)).isoformat()}))
    worker2 = Api(live_server.api).login("worker2")
    assert world["hB1"] in _households(worker2)
    [mine] = worker2.push(mutation("cover", cover, "action", action="end"))
    assert _error(mine)[0] == "forbidden"
    [ended] = supervisor.push(mutation("cover", cover, "action", action="end"))
    assert ended["status"] == "applied"
    assert world["hB1"] not in _households(worker2)
