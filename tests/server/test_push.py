"""Push over real HTTP: applied, duplicate, conflict, rejected (stale, validation,
invalid_transition, forbidden), 413, and bad input that must never be a 500."""

from __future__ import annotations

import datetime as dt

import pytest
import requests

from gulou_desk.domain.ids import make_id_number
from gulou_desk.records import new_id
from tests.conftest import LiveServer
from tests.world import T0, Api, World, build_world, held, mutation


@pytest.fixture
def world(live_server: LiveServer) -> World:
    return build_world(live_server.engine)


def _version(api: Api, entity: str, rid: str) -> int:
    changes, _ = api.pull_all()
    return int(held(changes)[(entity, rid)]["version"])


def test_update_applies_and_reaches_others(live_server: LiveServer, world: World) -> None:
    w1 = Api(live_server.api).login("worker1")
    clerk = Api(live_server.api).login("clerk1")
    _, cursor = clerk.pull_all()
    base = _version(w1, "household", world["hA1"])
    [res] = w1.push(mutation("household", world["hA1"], "update", base_version=base,
                             fields={"phone": "13800000000", "notes": "腿脚不便"}))
    assert res["status"] == "applied"
    assert res["version"] > base
    changes, _ = clerk.pull_all(cursor)
    [c] = changes
    assert c["data"]["phone"] == "13800000000"
    assert c["data"]["notes"] == "腿脚不便"
    assert c["version"] == res["version"]


def test_same_mutation_twice_has_the_effect_of_once(live_server: LiveServer,
                                                     world: World) -> None:
    w1 = Api(live_server.api).login("worker1")
    rid = new_id()
    m = mutation("resident", rid, "create", fields={
        "household_id": world["hA1"], "name": "王小明", "gender": "male",
        "birth_date": "2001-05-04", "status": "active",
        "id_number": make_id_number("320106", __import__("datetime").date(2001, 5, 4), 3,
                                    "male"),
        "relation": "子女", "tags": []})
    [first] = w1.push(m)
    [second] = w1.push(m)
    assert first["status"] == "applied"
    assert second["status"] == "duplicate"
    assert second["version"] == first["version"]
    changes, _ = w1.pull_all()
    assert sum(1 for c in changes if c["id"] == rid) == 1


def test_concurrent_field_edit_is_a_conflict_other_fields_apply(
        live_server: LiveServer, world: World) -> None:
    w1 = Api(live_server.api).login("worker1")
    clerk = Api(live_server.api).login("clerk1")
    base = _version(w1, "household", world["hA1"])
    [a] = clerk.push(mutation("household", world["hA1"], "update", base_version=base,
                              fields={"phone": "13811111111"}))
    assert a["status"] == "applied"
    [b] = w1.push(mutation("household", world["hA1"], "update", base_version=base,
                           fields={"phone": "13822222222", "notes": "新备注"}))
    assert b["status"] == "conflict"
    [conflict] = b["conflicts"]
    changed_at = conflict.pop("changed_at")
    assert conflict == {"field": "phone", "server_value": "13811111111",
                        "client_value": "13822222222", "changed_by": world["clerk1"]}
    # Who wrote the server's value and when (its audit entry), for the conflict's card.
    assert dt.datetime.fromisoformat(changed_at).tzinfo is not None
    now = held(w1.pull_all()[0])[("household", world["hA1"])]["data"]
    assert now["phone"] == "13811111111"  # the server keeps its value
    assert now["notes"] == "新备注"  # the other field applied
    # "Use mine": a new mutation on the current version goes through.
    current = _version(w1, "household", world["hA1"])
    [c] = w1.push(mutation("household", world["hA1"], "update", base_version=current,
                           fields={"phone": "13822222222"}))
    assert c["status"] == "applied"


def test_same_value_is_no_conflict(live_server: LiveServer, world: World) -> None:
    w1 = Api(live_server.api).login("worker1")
    clerk = Api(live_server.api).login("clerk1")
    base = _version(w1, "household", world["hA1"])
    clerk.push(mutation("household", world["hA1"], "update", base_version=base,
                        fields={"phone": "13811111111"}))
    [b] = w1.push(mutation("household", world["hA1"], "update", base_version=base,
                           fields={"phone": "13811111111"}))
    assert b["status"] == "applied"


def test_stale_delete_is_rejected(live_server: LiveServer, world: World) -> None:
    clerk = Api(live_server.api).login("clerk1")
    base = _version(clerk, "resident", world["rhA1"])
    world.resident("rhA1", "hA1", phone="13700000000")
    [r] = clerk.push(mutation("resident", world["rhA1"], "delete", base_version=base))
    assert r["status"] == "rejected"
    assert r["error"]["code"] == "stale"
    fresh = _version(clerk, "resident", world["rhA1"])
    [ok] = clerk.push(mutation("resident", world["rhA1"], "delete", base_version=fresh))
    assert ok["status"] == "applied"


def test_bad_resident_id_is_rejected_with_the_field(live_server: LiveServer,
                                                    world: World) -> None:
    w1 = Api(live_server.api).login("worker1")
    [r] = w1.push(mutation("resident", new_id(), "create", fields={
        "household_id": world["hA1"], "name": "错号", "id_number": "110105194912310021",
        "status": "active"}))
    assert r["status"] == "rejected"
    assert r["error"]["code"] == "validation"
    assert r["error"]["details"]["field"] == "id_number"


def test_a_resident_of_a_deleted_household_is_refused_as_not_found(
        live_server: LiveServer, world: World) -> None:
    """The household was deleted while the worker was offline: the new resident is refused
    because the household is gone (not because the worker may not), with the field."""
    clerk, w1 = Api(live_server.api).login("clerk1"), Api(live_server.api).login("worker1")
    base = _version(clerk, "household", world["hA2"])
    [gone] = clerk.push(mutation("household", world["hA2"], "delete", base_version=base))
    assert gone["status"] == "applied"
    [r] = w1.push(mutation("resident", new_id(), "create", fields={
        "household_id": world["hA2"], "name": "新住户", "status": "active"}))
    assert r["status"] == "rejected"
    assert r["error"]["code"] == "not_found"
    assert r["error"]["message"] == "the household of this resident no longer exists"
    assert r["error"]["details"] == {"field": "household_id"}


def test_empty_required_field_is_rejected(live_server: LiveServer, world: World) -> None:
    w1 = Api(live_server.api).login("worker1")
    base = _version(w1, "household", world["hA1"])
    [r] = w1.push(mutation("household", world["hA1"], "update", base_version=base,
                           fields={"head_name": "  "}))
    assert r["status"] == "rejected"
    assert r["error"]["details"]["field"] == "head_name"


def test_wrong_type_and_unknown_field_are_validation(live_server: LiveServer,
                                                     world: World) -> None:
    w1 = Api(live_server.api).login("worker1")
    base = _version(w1, "household", world["hA1"])
    [a, b] = w1.push(
        mutation("household", world["hA1"], "update", base_version=base,
                 fields={"visit_cadence_days": "seven"}),
        mutation("household", world["hA1"], "update", base_version=base,
                 fields={"password": "x"}))
    assert a["status"] == b["status"] == "rejected"
    assert a["error"]["details"]["field"] == "visit_cadence_days"
    assert b["error"]["details"]["field"] == "password"


def test_out_of_scope_write_is_refused(live_server: LiveServer, world: World) -> None:
    w1 = Api(live_server.api).login("worker1")
    [edit, create, move] = w1.push(
        mutation("household", world["hC1"], "update", base_version=1,
                 fields={"phone": "13800000000"}),
        mutation("resident", new_id(), "create", fields={
            "household_id": world["hC1"], "name": "越界", "status": "active"}),
        mutation("household", world["hA1"], "update", base_version=10**9,
                 fields={"grid_id": world["gridC"]}))
    assert edit["error"]["code"] == "not_found"  # out of scope reads as missing
    assert create["error"]["code"] == "forbidden"
    assert move["error"]["code"] == "forbidden"


def test_workflow_steps_are_checked(live_server: LiveServer, world: World) -> None:
    clerk = Api(live_server.api).login("clerk1")
    w1 = Api(live_server.api).login("worker1")
    t = world["tA"]
    [accept_early] = w1.push(mutation("ticket", t, "action", action="accept", args={}))
    assert accept_early["status"] == "rejected"
    assert accept_early["error"]["code"] in ("invalid_transition", "forbidden")
    [assign] = clerk.push(mutation("ticket", t, "action", action="assign",
                                   args={"assignee_id": world["worker1"]}))
    assert assign["status"] == "applied"
    [w2_accept] = Api(live_server.api).login("worker2").push(
        mutation("ticket", t, "action", action="accept", args={}))
    assert w2_accept["status"] == "rejected"
    [accept, start] = w1.push(mutation("ticket", t, "action", action="accept", args={}),
                              mutation("ticket", t, "action", action="start", args={}))
    assert (accept["status"], start["status"]) == ("applied", "applied")
    [resolve_bad] = w1.push(mutation("ticket", t, "action", action="resolve", args={}))
    assert resolve_bad["error"]["code"] == "validation"
    [resolve] = w1.push(mutation("ticket", t, "action", action="resolve",
                                 args={"resolution": "已更换灯泡"}))
    assert resolve["status"] == "applied"
    [w1_close] = w1.push(mutation("ticket", t, "action", action="close",
                                  args={"satisfaction": "satisfied"}))
    assert w1_close["error"]["code"] == "forbidden"
    [close] = clerk.push(mutation("ticket", t, "action", action="close",
                                  args={"satisfaction": "satisfied"}))
    assert close["status"] == "applied"
    changes, _ = clerk.pull_all()
    got = held(changes)
    assert got[("ticket", t)]["data"]["status"] == "closed"
    events = [c["data"]["kind"] for c in changes if c["entity"] == "ticket_event"
              and c["data"]["ticket_id"] == t]
    assert {"assign", "accept", "start", "resolve", "close"} <= set(events)


@pytest.mark.parametrize("closed", ["resolved", "closed", "cancelled", "merged"])
def test_a_merge_into_a_ticket_that_is_no_longer_open_is_refused(
        live_server: LiveServer, world: World, closed: str) -> None:
    """A fresh complaint merged into a resolved (已办结), followed-up (已回访), cancelled
    (已撤销) or merged ticket would vanish with it: the server refuses the merge, says
    why, and both tickets stay as they were."""
    target = world.ticket("done", "gridA", status=closed, title="已处理的路灯",
                          assignee_id=world["worker1"],
                          merged_into_id=world["tA"] if closed == "merged" else None)
    fresh = world.ticket("fresh", "gridA", title="路灯又坏了")
    clerk = Api(live_server.api).login("clerk1")
    [r] = clerk.push(mutation("ticket", fresh, "action", action="merge",
                              args={"into_id": target}))
    assert r["status"] == "rejected"
    assert r["error"]["code"] == "invalid_transition"
    assert r["error"]["details"] == {"field": "into_id", "status": closed}
    assert closed in r["error"]["message"]
    got = held(clerk.pull_all()[0])
    assert got[("ticket", fresh)]["data"]["status"] == "new"
    assert got[("ticket", fresh)]["data"]["merged_into_id"] is None
    assert got[("ticket", target)]["data"]["source_message_ids"] == []


def test_the_surviving_ticket_keeps_the_earlier_deadline_and_both_messages(
        live_server: LiveServer, world: World) -> None:
    early, late = T0 + dt.timedelta(days=1), T0 + dt.timedelta(days=5)
    m1, m2 = new_id(), new_id()
    survivor = world.ticket("survivor", "gridA", due_at=late, source_message_ids=[m1])
    merged = world.ticket("merged", "gridA", due_at=early, source_message_ids=[m2])
    clerk = Api(live_server.api).login("clerk1")
    [r] = clerk.push(mutation("ticket", merged, "action", action="merge",
                              args={"into_id": survivor}))
    assert r["status"] == "applied"
    got = held(clerk.pull_all()[0])[("ticket", survivor)]["data"]
    assert dt.datetime.fromisoformat(got["due_at"]) == early
    assert got["source_message_ids"] == [m1, m2]
    # The other way round the survivor's own, earlier deadline stays.
    keeps = world.ticket("keeps", "gridA", due_at=early)
    later = world.ticket("later", "gridA", due_at=late)
    [r] = clerk.push(mutation("ticket", later, "action", action="merge",
                              args={"into_id": keeps}))
    assert r["status"] == "applied"
    got = held(clerk.pull_all()[0])[("ticket", keeps)]["data"]
    assert dt.datetime.fromisoformat(got["due_at"]) == early


def test_a_reply_does_not_end_triage(live_server: LiveServer, world: World) -> None:
    """A clerk answers a resident at once ("收到，马上安排") and then makes the ticket:
    the reply is kept in the message's thread, and converting it still works."""
    message = world.save("inbox_message", "msg", {
        "source": "wechat", "group_id": "wx-gridA", "grid_id": world["gridA"],
        "sender_id": "wxid_lao", "sender_name": "老张", "text": "3栋路灯坏了好几天了",
        "sent_at": T0, "status": "new"})
    clerk = Api(live_server.api).login("clerk1")
    [first] = clerk.push(mutation("inbox_message", message, "action", action="reply",
                                  args={"text": "收到，马上安排"}))
    [second] = clerk.push(mutation("inbox_message", message, "action", action="reply",
                                   args={"text": "网格员下午上门"}))
    assert (first["status"], second["status"]) == ("applied", "applied")
    ticket_id = new_id()
    [convert] = clerk.push(mutation("inbox_message", message, "action", action="convert",
                                    args={"ticket_id": ticket_id, "title": "3栋路灯不亮",
                                          "category": "municipal", "priority": "normal"}))
    assert convert["status"] == "applied", convert
    got = held(clerk.pull_all()[0])
    data = got[("inbox_message", message)]["data"]
    assert (data["status"], data["ticket_id"]) == ("converted", ticket_id)
    assert [r["text"] for r in data["replies"]] == ["收到，马上安排", "网格员下午上门"]
    assert {r["by"] for r in data["replies"]} == {world["clerk1"]}
    assert data["reply_text"] == "网格员下午上门"
    assert got[("ticket", ticket_id)]["data"]["source_message_ids"] == [message]


def test_performance_worker_never_approves_own(live_server: LiveServer, world: World) -> None:
    rid = world.save("performance_record", "perf", {
        "worker_id": world["worker1"], "period": "2026-10", "figures": {}, "status": "draft"})
    w1 = Api(live_server.api).login("worker1")
    sup = Api(live_server.api).login("supervisor1")
    [submit] = w1.push(mutation("performance_record", rid, "action", action="submit", args={}))
    assert submit["status"] == "applied"
    [own] = w1.push(mutation("performance_record", rid, "action", action="approve", args={}))
    assert own["error"]["code"] == "forbidden"
    [ok] = sup.push(mutation("performance_record", rid, "action", action="approve",
                             args={"score": 92}))
    assert ok["status"] == "applied"
    record = held(sup.pull_all()[0])[("performance_record", rid)]["data"]
    assert record["status"] == "approved"
    assert record["supervisor_id"] == world["supervisor1"]
    assert [(h["action"], h["actor_id"]) for h in record["history"]] == [
        ("submit", world["worker1"]), ("approve", world["supervisor1"])]
    assert record["history"][1]["score"] == 92


def test_unknown_entity_and_action(live_server: LiveServer, world: World) -> None:
    w1 = Api(live_server.api).login("worker1")
    [a, b, c] = w1.push(
        mutation("spaceship", new_id(), "create", fields={}),
        mutation("ticket", world["tA"], "action", action="launch", args={}),
        mutation("ticket", new_id(), "action", action="accept", args={}))
    assert a["error"]["code"] == "validation"
    assert b["error"]["code"] == "validation"
    assert c["error"]["code"] == "not_found"


def test_over_500_mutations_is_413(live_server: LiveServer, world: World) -> None:
    w1 = Api(live_server.api).login("worker1")
    r = w1.post("/sync/push", json={"client_id": "c", "mutations": [
        mutation("household", world["hA1"], "update", base_version=1, fields={})
        for _ in range(501)]})
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "too_large"


@pytest.mark.parametrize("body,content_type", [
    (b"{not json", "application/json"),
    (b'{"client_id": 5, "mutations": "x"}', "application/json"),
    (b'{"client_id": "c", "mutations": [{"op": "explode"}]}', "application/json"),
    (b"\xff\xfe\x00", "application/json"),
    (b"[]", "application/json"),
])
def test_malformed_push_bodies_are_422_not_500(live_server: LiveServer, world: World,
                                                body: bytes, content_type: str) -> None:
    w1 = Api(live_server.api).login("worker1")
    r = w1.http.post(live_server.api + "/sync/push", data=body,
                     headers={**w1.headers(), "Content-Type": content_type}, timeout=10)
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "validation"


def test_oversized_body_and_unknown_route(live_server: LiveServer, world: World) -> None:
    w1 = Api(live_server.api).login("worker1")
    big = b"x" * (live_server.settings.max_body_bytes + 1)
    r = w1.http.post(live_server.api + "/sync/push", data=big,
                     headers={**w1.headers(), "Content-Type": "application/json"}, timeout=30)
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "too_large"
    r = requests.get(live_server.api + "/no/such/thing", timeout=10)
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"


def test_visit_create_updates_last_visit(live_server: LiveServer, world: World) -> None:
    w1 = Api(live_server.api).login("worker1")
    vid = new_id()
    [r] = w1.push(mutation("visit", vid, "create", fields={
        "household_id": world["hA1"], "worker_id": world["worker1"],
        "template_id": world["template"], "template_version": 1,
        "visited_at": "2026-11-20T10:00:00+08:00", "answers": {"at_home": True},
        "notes": "", "follow_up": False, "photos": []}))
    assert r["status"] == "applied", r
    hh = held(w1.pull_all()[0])[("household", world["hA1"])]["data"]
    assert hh["last_visit_at"] == "2026-11-20T10:00:00+08:00"
    [bad] = w1.push(mutation("visit", new_id(), "create", fields={
        "household_id": world["hA1"], "worker_id": world["worker1"],
        "template_id": world["template"], "template_version": 1,
        "visited_at": "2026-11-20T10:00:00+08:00", "answers": {}}))
    assert bad["status"] == "rejected"
    assert bad["error"]["code"] == "validation"
    assert "at_home" in bad["error"]["details"]["field"]


def test_two_offline_edits_of_one_field_from_one_device_are_no_conflict(
        live_server: LiveServer, world: World) -> None:
    w1 = Api(live_server.api).login("worker1")
    base = _version(w1, "household", world["hA1"])
    first = mutation("household", world["hA1"], "update", base_version=base,
                     fields={"phone": "13811111111"})
    second = mutation("household", world["hA1"], "update", base_version=base,
                      fields={"phone": "13822222222"})
    r = w1.post("/sync/push", json={"client_id": "laptop-1", "mutations": [first, second]})
    assert [x["status"] for x in r.json()["results"]] == ["applied", "applied"]
    # Another device editing from the same old base does conflict.
    other = mutation("household", world["hA1"], "update", base_version=base,
                     fields={"phone": "13833333333"})
    r = w1.post("/sync/push", json={"client_id": "laptop-2", "mutations": [other]})
    assert r.json()["results"][0]["status"] == "conflict"


def test_result_version_is_the_records_own(live_server: LiveServer, world: World) -> None:
    """A create or step writes other records after its own (the ticket's 'created' event);
    the result carries the version of the record the mutation is about."""
    clerk = Api(live_server.api).login("clerk1")
    tid = new_id()
    [r] = clerk.push(mutation("ticket", tid, "create", fields={
        "title": "楼道灯不亮", "category": "municipal", "priority": "normal",
        "grid_id": world["gridA"]}))
    [a] = clerk.push(mutation("ticket", tid, "action", action="assign",
                              args={"assignee_id": world["worker1"]}))
    got = held(clerk.pull_all()[0])
    assert r["status"] == a["status"] == "applied"
    assert got[("ticket", tid)]["version"] == a["version"]
    assert r["version"] < a["version"]
    events = [c for c in got.values() if c["entity"] == "ticket_event"
              and c["data"]["ticket_id"] == tid]
    assert all(e["version"] != r["version"] for e in events)


def _visit_fields(world: World, household_id: str, visited_at: str) -> dict[str, object]:
    return {"household_id": household_id, "worker_id": world["worker1"],
            "template_id": world["template"], "template_version": 1,
            "visited_at": visited_at, "answers": {"at_home": True}}


def test_a_visit_is_never_dated_before_its_household_was_registered(
        live_server: LiveServer, world: World) -> None:
    """Issue 10, item 14: the server keeps when a household was registered (a client's
    time only inside the offline window) and refuses a visit dated before that day,
    naming ``visited_at``; from that day on visits apply."""
    w1 = Api(live_server.api).login("worker1")
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    offline, claimed_past, claimed_future = new_id(), new_id(), new_id()
    two_days_ago = (now - dt.timedelta(days=2)).isoformat()
    results = w1.push(*[mutation("household", hid, "create", fields={
        "grid_id": world["gridA"], "estate": "新村", "head_name": "新户", "status": "active",
        "created_at": claimed, "last_visit_at": claimed})
        for hid, claimed in ((offline, two_days_ago),
                             (claimed_past, "2001-01-01T00:00:00+08:00"),
                             (claimed_future, "2099-01-01T00:00:00+08:00"))])
    assert [r["status"] for r in results] == ["applied"] * 3, results
    data = {hid: held(w1.pull_all()[0])[("household", hid)]["data"]
            for hid in (offline, claimed_past, claimed_future)}
    registered = {hid: dt.datetime.fromisoformat(d["created_at"]) for hid, d in data.items()}
    assert registered[offline] == dt.datetime.fromisoformat(two_days_ago)
    assert now - dt.timedelta(days=31) < registered[claimed_past] < now - dt.timedelta(days=29)
    assert now - dt.timedelta(minutes=5) < registered[claimed_future] <= \
        dt.datetime.now(dt.UTC)
    assert data[offline]["last_visit_at"] is None  # the server's field, not the client's

    day_before = (registered[offline] - dt.timedelta(days=1)).isoformat()
    [early] = w1.push(mutation("visit", new_id(), "create",
                               fields=_visit_fields(world, offline, day_before)))
    assert early["status"] == "rejected", early
    assert early["error"]["code"] == "validation"
    assert early["error"]["details"]["field"] == "visited_at"
    assert early["error"]["details"]["problem"] == "before_household"
    vid = new_id()
    [ok] = w1.push(mutation("visit", vid, "create", fields=_visit_fields(
        world, offline, registered[offline].isoformat())))
    assert ok["status"] == "applied", ok
    [moved] = w1.push(mutation("visit", vid, "update", base_version=ok["version"],
                               fields={"visited_at": day_before}))
    assert moved["status"] == "rejected", moved
    assert moved["error"]["details"]["field"] == "visited_at"
    # A household registered before the desk kept the time refuses no date.
    [old] = w1.push(mutation("visit", new_id(), "create", fields=_visit_fields(
        world, world["hA1"], "2020-05-01T10:00:00+08:00")))
    assert old["status"] == "applied", old
