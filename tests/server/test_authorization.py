"""Issue 12, items 1–6: nothing a client sends reaches past its role and scope.

Each test is a hostile client over real HTTP against the real server (SQLite, and
PostgreSQL when ``GULOU_TEST_DATABASE_URL`` is set): ticket history it tries to rewrite,
a bot group it tries to post into, server-owned fields it tries to set on create, the
triage step it tries to skip, photos it tries to read through a text answer, another
user's pull cursor.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from typing import Any

import pytest
import sqlalchemy as sa
from PIL import Image

from gulou_desk.records import format_datetime, new_id, now
from server.schema import outbound_messages
from server.store import load
from tests.bot import bot_request
from tests.conftest import LiveServer
from tests.world import Api, World, build_world, held, mutation


@pytest.fixture
def world(live_server: LiveServer) -> World:
    return build_world(live_server.engine)


def _rejected(result: dict[str, Any], code: str, field: str | None = None) -> None:
    assert result["status"] == "rejected", result
    assert result["error"]["code"] == code, result
    if field is not None:
        assert result["error"]["details"].get("field") == field, result


# --- 1. ticket history is append-only --------------------------------------------------


def _event_of(engine: sa.Engine, event_id: str) -> dict[str, Any] | None:
    with engine.connect() as conn:
        return load(conn, "ticket_event", event_id)


def test_an_action_cannot_overwrite_an_existing_ticket_event(
        live_server: LiveServer, world: World) -> None:
    """worker9 (another street) names the id of an event of grid A's ticket as the
    event_id of a comment on their own ticket: refused, the event is untouched."""
    clerk = Api(live_server.api).login("clerk1")
    [made] = clerk.push(mutation("ticket", world["tA"], "action", action="comment",
                                 args={"body": "已联系物业", "event_id": new_id()}))
    assert made["status"] == "applied", made
    events = [c for c in clerk.pull_all()[0] if c["entity"] == "ticket_event"]
    [victim] = [c for c in events if c["data"]["body"] == "已联系物业"]
    before = _event_of(live_server.engine, victim["id"])

    world.ticket("tX", "gridX")
    w9 = Api(live_server.api).login("worker9")
    [r] = w9.push(mutation("ticket", world["tX"], "action", action="comment",
                           args={"body": "改写历史", "event_id": victim["id"]}))
    _rejected(r, "validation", "event_id")
    # Not even the event's own author may rewrite it: events are append-only.
    [again] = clerk.push(mutation("ticket", world["tA"], "action", action="comment",
                                  args={"body": "改写历史", "event_id": victim["id"]}))
    _rejected(again, "validation", "event_id")
    assert _event_of(live_server.engine, victim["id"]) == before


@pytest.mark.parametrize("event_id", [5, None, ["x"], {"a": 1}, "not-a-uuid", "", "x" * 200])
def test_an_event_id_that_is_no_uuid_string_is_a_validation_error(
        live_server: LiveServer, world: World, event_id: Any) -> None:
    clerk = Api(live_server.api).login("clerk1")
    args: dict[str, Any] = {"body": "评论", "event_id": event_id}
    [r] = clerk.push(mutation("ticket", world["tA"], "action", action="comment", args=args))
    if event_id is None:  # absent in effect: the server makes the id
        assert r["status"] == "applied", r
    else:
        _rejected(r, "validation", "event_id")


# --- 2. the bot posts only where the message came from -----------------------------------


def _outbound(engine: sa.Engine) -> list[tuple[str, str]]:
    with engine.connect() as conn:
        return [(r.group_id, r.text) for r in conn.execute(
            sa.select(outbound_messages.c.group_id, outbound_messages.c.text))]


def _walk_in(world: World, **fields: Any) -> dict[str, Any]:
    return {"source": "walk_in", "grid_id": world["gridA"], "sender_name": "张大爷",
            "text": "楼下垃圾没人清", "sent_at": format_datetime(now()), **fields}


def test_a_client_made_message_may_not_name_another_grids_group(
        live_server: LiveServer, world: World) -> None:
    w1 = Api(live_server.api).login("worker1")
    [r] = w1.push(mutation("inbox_message", new_id(), "create",
                           fields=_walk_in(world, group_id="wx-gridX")))
    _rejected(r, "forbidden", "group_id")
    [unknown] = w1.push(mutation("inbox_message", new_id(), "create",
                                 fields=_walk_in(world, group_id="wx-nobody")))
    _rejected(unknown, "forbidden", "group_id")
    [own] = w1.push(mutation("inbox_message", new_id(), "create",
                             fields=_walk_in(world, group_id="wx-gridA")))
    assert own["status"] == "applied", own


def test_a_reply_to_a_message_that_came_from_no_group_posts_nothing(
        live_server: LiveServer, world: World) -> None:
    """Even naming its own grid's group, a walk-in message is not a group message: a
    reply to it is recorded on the message, and the bot posts nothing anywhere."""
    w1 = Api(live_server.api).login("worker1")
    mid = new_id()
    [made] = w1.push(mutation("inbox_message", mid, "create",
                              fields=_walk_in(world, group_id="wx-gridA")))
    assert made["status"] == "applied", made
    [r] = w1.push(mutation("inbox_message", mid, "action", action="reply",
                           args={"text": "已通知保洁"}))
    assert r["status"] == "applied", r
    assert _outbound(live_server.engine) == []


def test_a_reply_to_a_group_message_goes_to_that_group_only(
        live_server: LiveServer, world: World) -> None:
    body = json.dumps({"message_id": "m-1", "group_id": "wx-gridA", "group_name": "一群",
                       "sender_id": "wxid_1", "sender_name": "老张", "text": "路灯坏了",
                       "sent_at": "2026-11-28T09:30:00+08:00"}).encode()
    posted = bot_request(live_server.api, "POST", "/intake/wechat", body)
    assert posted.status_code == 200, posted.text
    w1 = Api(live_server.api).login("worker1")
    [r] = w1.push(mutation("inbox_message", posted.json()["id"], "action", action="reply",
                           args={"text": "马上派人"}))
    assert r["status"] == "applied", r
    [(group, text)] = _outbound(live_server.engine)
    assert group == "wx-gridA" and text.endswith("马上派人")




# --- 3. server-owned fields on create are ignored ---------------------------------------


def _stored(engine: sa.Engine, entity: str, rid: str) -> dict[str, Any]:
    with engine.connect() as conn:
        row = load(conn, entity, rid)
    assert row is not None, (entity, rid)
    return row


def test_server_owned_fields_of_a_new_household_are_ignored(
        live_server: LiveServer, world: World) -> None:
    w1 = Api(live_server.api).login("worker1")
    hid = new_id()
    [r] = w1.push(mutation("household", hid, "create", fields={
        "grid_id": world["gridA"], "estate": "颐和新村", "head_name": "周七",
        "status": "active", "last_visit_at": "2026-11-01T10:00:00+08:00"}))
    assert r["status"] == "applied", r
    assert _stored(live_server.engine, "household", hid)["last_visit_at"] is None


def test_server_owned_fields_of_a_new_inbox_message_are_ignored(
        live_server: LiveServer, world: World) -> None:
    w1 = Api(live_server.api).login("worker1")
    mid = new_id()
    [r] = w1.push(mutation("inbox_message", mid, "create", fields=_walk_in(
        world, status="answered", ticket_id=world["tA"], reason="无需处理",
        reply_text="已回复")))
    assert r["status"] == "applied", r
    row = _stored(live_server.engine, "inbox_message", mid)
    assert (row["status"], row["ticket_id"], row["reason"], row["reply_text"]) == \
        ("new", None, None, None)


def test_server_owned_fields_of_a_new_ticket_are_ignored(
        live_server: LiveServer, world: World) -> None:
    clerk = Api(live_server.api).login("clerk1")
    tid = new_id()
    [r] = clerk.push(mutation("ticket", tid, "create", fields={
        "title": "井盖松动", "category": "municipal", "priority": "normal",
        "grid_id": world["gridA"], "source": "phone",
        "number": "GL000", "status": "closed", "assignee_id": world["worker2"],
        "created_by_id": world["worker2"], "created_at": "2020-01-01T00:00:00+08:00",
        "due_at": "2099-01-01T00:00:00+08:00", "source_message_ids": ["msg-x"],
        "resolution": "已修", "satisfaction": "satisfied", "merged_into_id": world["tA"],
        "escalated": True, "paused_at": "2026-11-01T10:00:00+08:00"}))
    assert r["status"] == "applied", r
    row = _stored(live_server.engine, "ticket", tid)
    assert row["status"] == "new"
    assert row["number"] != "GL000"
    assert row["assignee_id"] is None
    assert row["created_by_id"] == world["clerk1"]
    assert row["created_at"] > dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    assert row["due_at"] < dt.datetime(2090, 1, 1, tzinfo=dt.UTC)
    assert (row["source_message_ids"], row["resolution"], row["satisfaction"],
            row["merged_into_id"], row["escalated"], row["paused_at"]) == \
        ([], None, None, None, False, None)
    assert row["source"] == "phone"  # a client's own source is kept


def test_a_new_ticket_may_not_claim_to_come_from_a_group(
        live_server: LiveServer, world: World) -> None:
    clerk = Api(live_server.api).login("clerk1")
    [r] = clerk.push(mutation("ticket", new_id(), "create", fields={
        "title": "假群消息", "category": "other", "grid_id": world["gridA"],
        "source": "wechat"}))
    _rejected(r, "forbidden", "source")


def test_a_new_tickets_visit_must_be_one_the_user_can_see(
        live_server: LiveServer, world: World) -> None:
    w9 = Api(live_server.api).login("worker9")
    vid = new_id()
    [visit] = w9.push(mutation("visit", vid, "create", fields={
        "household_id": world["hX1"], "worker_id": world["worker9"],
        "template_id": world["template"], "template_version": 1,
        "visited_at": format_datetime(now()), "answers": {"at_home": True}}))
    assert visit["status"] == "applied", visit
    w1 = Api(live_server.api).login("worker1")
    [r] = w1.push(mutation("ticket", new_id(), "create", fields={
        "title": "走访发现", "category": "other", "grid_id": world["gridA"],
        "source": "visit", "visit_id": vid}))
    _rejected(r, "not_found", "visit_id")
    own = new_id()
    [mine] = w1.push(
        mutation("visit", own, "create", fields={
            "household_id": world["hA1"], "worker_id": world["worker1"],
            "template_id": world["template"], "template_version": 1,
            "visited_at": format_datetime(now()), "answers": {"at_home": True}}),
        mutation("ticket", new_id(), "create", fields={
            "title": "走访发现", "category": "other", "household_id": world["hA1"],
            "grid_id": world["gridA"], "source": "visit", "visit_id": own}))[1:]
    assert mine["status"] == "applied", mine


def test_a_tickets_household_must_be_in_scope(live_server: LiveServer, world: World) -> None:
    """On create, on update and when a message is converted: a household of another
    grid is refused as not found (the client learns nothing about it)."""
    w1 = Api(live_server.api).login("worker1")
    [created] = w1.push(mutation("ticket", new_id(), "create", fields={
        "title": "串户", "category": "other", "grid_id": world["gridA"],
        "household_id": world["hX1"]}))
    _rejected(created, "not_found", "household_id")
    clerk = Api(live_server.api).login("clerk1")
    base = held(clerk.pull_all()[0])[("ticket", world["tA"])]["version"]
    [updated] = clerk.push(mutation("ticket", world["tA"], "update", base_version=base,
                                    fields={"household_id": world["hX1"]}))
    _rejected(updated, "not_found", "household_id")
    mid = new_id()
    [msg] = clerk.push(mutation("inbox_message", mid, "create", fields=_walk_in(world)))
    assert msg["status"] == "applied", msg
    [converted] = clerk.push(mutation("inbox_message", mid, "action", action="convert", args={
        "ticket_id": new_id(), "title": "垃圾", "category": "sanitation",
        "priority": "normal", "household_id": world["hX1"]}))
    _rejected(converted, "not_found", "household_id")


# --- 4. category and priority move only through triage ----------------------------------


def test_category_and_priority_change_only_by_triage(live_server: LiveServer,
                                                     world: World) -> None:
    clerk = Api(live_server.api).login("clerk1")
    before = _stored(live_server.engine, "ticket", world["tA"])
    base = held(clerk.pull_all()[0])[("ticket", world["tA"])]["version"]
    for fields in ({"category": "public_safety"}, {"priority": "urgent"}):
        [r] = clerk.push(mutation("ticket", world["tA"], "update", base_version=base,
                                  fields=fields))
        _rejected(r, "forbidden", next(iter(fields)))
    after = _stored(live_server.engine, "ticket", world["tA"])
    assert (after["category"], after["priority"]) == (before["category"], before["priority"])
    [triaged] = clerk.push(mutation("ticket", world["tA"], "action", action="triage",
                                    args={"category": "public_safety", "priority": "urgent"}))
    assert triaged["status"] == "applied", triaged
    row = _stored(live_server.engine, "ticket", world["tA"])
    assert (row["category"], row["priority"]) == ("public_safety", "urgent")
    assert row["due_at"] is not None and row["due_at"] != before["due_at"]


def test_a_worker_cannot_triage(live_server: LiveServer, world: World) -> None:
    w1 = Api(live_server.api).login("worker1")
    [r] = w1.push(mutation("ticket", world["tA"], "action", action="triage",
                           args={"category": "policy", "priority": "low"}))
    _rejected(r, "forbidden")


def test_a_new_tickets_category_is_one_of_the_catalogue(
        live_server: LiveServer, world: World) -> None:
    clerk = Api(live_server.api).login("clerk1")
    [r] = clerk.push(mutation("ticket", new_id(), "create", fields={
        "title": "自编类别", "category": "vip_fast_lane", "grid_id": world["gridA"]}))
    _rejected(r, "validation", "category")


# --- 5. photos only through photo fields --------------------------------------------------


def _jpeg(colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def _put(api: Api, data: bytes) -> str:
    name = hashlib.sha256(data).hexdigest()
    r = api.http.put(f"{api.base}/blobs/{name}", data=data, timeout=30,
                     headers={**api.headers(), "Content-Type": "image/jpeg"})
    assert r.status_code == 201, r.text
    return name


def test_a_photo_is_not_readable_through_a_text_answer(
        live_server: LiveServer, world: World) -> None:
    """worker2 uploads a photo of grid C; worker1 learns its hash and writes it into a
    text answer of a visit in grid A. The photo stays unreadable to worker1 (GET and
    HEAD), while worker2 and the clerk, who see grid C's visit with the photo, read it."""
    w2 = Api(live_server.api).login("worker2")
    secret_photo = _put(w2, _jpeg((1, 2, 3)))
    template = world.save("visit_template", "t2", {
        "name": "带备注", "version": 1, "active": True, "fields": [
            {"key": "remark", "type": "text", "label": {"zh": "备注", "en": "Remark"}}]})
    w1 = Api(live_server.api).login("worker1")
    [r] = w1.push(mutation("visit", new_id(), "create", fields={
        "household_id": world["hA1"], "worker_id": world["worker1"],
        "template_id": template, "template_version": 1,
        "visited_at": format_datetime(now()), "answers": {"remark": secret_photo},
        "notes": secret_photo}))
    assert r["status"] == "applied", r
    for method in ("get", "head"):
        answer = getattr(w1.http, method)(f"{w1.base}/blobs/{secret_photo}",
                                          headers=w1.headers(), timeout=30)
        assert answer.status_code == 404, (method, answer.status_code)
    [v2] = w2.push(mutation("visit", new_id(), "create", fields={
        "household_id": world["hC1"], "worker_id": world["worker2"],
        "template_id": world["template"], "template_version": 1,
        "visited_at": format_datetime(now()), "answers": {"at_home": True},
        "photos": [secret_photo]}))
    assert v2["status"] == "applied", v2
    clerk = Api(live_server.api).login("clerk1")
    for api in (w2, clerk):
        assert api.get(f"/blobs/{secret_photo}").status_code == 200
        assert api.http.head(f"{api.base}/blobs/{secret_photo}", headers=api.headers(),
                             timeout=30).status_code == 200
    assert w1.get(f"/blobs/{secret_photo}").status_code == 404


def test_head_of_a_photo_needs_the_right_to_read_it(live_server: LiveServer,
                                                   world: World) -> None:
    w2 = Api(live_server.api).login("worker2")
    name = _put(w2, _jpeg((9, 9, 9)))
    assert w2.http.head(f"{w2.base}/blobs/{name}", headers=w2.headers(),
                        timeout=30).status_code == 200  # its uploader
    w1 = Api(live_server.api).login("worker1")
    assert w1.http.head(f"{w1.base}/blobs/{name}", headers=w1.headers(),
                        timeout=30).status_code == 404


# --- 6. a pull cursor is its user's ----------------------------------------------------


def test_another_users_cursor_is_refused(live_server: LiveServer, world: World) -> None:
    admin = Api(live_server.api).login("admin")
    _, cursor = admin.pull_all()
    w9 = Api(live_server.api).login("worker9")
    r = w9.get("/sync/pull", params={"cursor": cursor})
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == "validation"
    assert r.json()["error"]["details"]["field"] == "cursor"
    # Their own cursor still works.
    _, own = w9.pull_all()
    assert w9.get("/sync/pull", params={"cursor": own}).status_code == 200
