"""智慧告警 on the server: every intake message is checked against the alert rules before
it is stored; an urgent match marks the message and files an urgent ticket (shortest
SLA) carrying its text, which the grid's worker gets at their next pull. Real HTTP,
SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest

from gulou_desk.domain import sla
from gulou_desk.domain.catalogue import entry_id
from gulou_desk.records import format_datetime, now
from tests.bot import bot_request
from tests.conftest import LiveServer
from tests.world import Api, World, build_world, held


@pytest.fixture
def world(live_server: LiveServer) -> World:
    w = build_world(live_server.engine)
    w.save("alert_rule", "fire", {
        "name": "火情", "keywords": ["着火", "火灾", "冒烟"], "with_words": [], "level": "urgent",
        "notify": ["grid_worker", "community_clerks"], "scope": "district", "active": True,
        "fired_count": 0})
    w.save("alert_rule", "leak", {
        "name": "楼上漏水", "keywords": ["漏水", "渗水"], "with_words": ["楼上", "天花板"],
        "level": "watch", "notify": ["grid_worker"], "scope": "district", "active": True,
        "fired_count": 0})
    w.save("alert_rule", "elsewhere", {
        "name": "晕倒", "keywords": ["晕倒"], "level": "urgent", "notify": ["grid_worker"],
        "scope": "community", "community_id": w["community2"], "street_id": w["street2"],
        "active": True, "fired_count": 0})
    return w


def post(server: LiveServer, text: str, *, group: str = "wx-gridA",
         message_id: str | None = None) -> dict[str, Any]:
    body = {"message_id": message_id or str(uuid.uuid4()), "group_id": group,
            "group_name": "颐和新村1群", "sender_id": "wxid_9", "sender_name": "王阿姨",
            "text": text, "sent_at": format_datetime(now())}
    r = bot_request(server.api, "POST", "/intake/wechat",
                    json.dumps(body, ensure_ascii=False).encode(), nonce=True)
    assert r.status_code == 200, r.text
    return dict(r.json())


def _held(api: Api) -> dict[tuple[str, str], dict[str, Any]]:
    changes, _ = api.pull_all()
    return {key: c["data"] for key, c in held(changes).items()}


def test_an_urgent_message_files_an_urgent_ticket_for_the_grid_worker(
        live_server: LiveServer, world: World) -> None:
    worker = Api(live_server.api).login("worker1")
    _, cursor = worker.pull_all()
    message_id = str(uuid.uuid4())
    stored = post(live_server, "3栋2单元着火了！！有烟，快来人", message_id=message_id)
    assert stored["status"] == "routed"
    # The worker's next pull brings the message and the ticket.
    changes, _ = worker.pull_all(cursor)
    got = {(c["entity"], c["id"]): c["data"] for c in changes}
    message = got[("inbox_message", stored["id"])]
    assert message["urgent"] is True and message["status"] == "converted"
    ticket = got[("ticket", message["ticket_id"])]
    assert ticket["priority"] == "urgent" and ticket["category"] == "public_safety"
    assert ticket["assignee_id"] == world["worker1"] and ticket["status"] == "assigned"
    assert "3栋2单元着火了！！有烟，快来人" in ticket["description"]
    assert ticket["title"].startswith("【紧急】火情：3栋2单元着火了")
    assert ticket["source_message_ids"] == [stored["id"]] and ticket["source"] == "wechat"
    created = dt.datetime.fromisoformat(ticket["created_at"])
    assert dt.datetime.fromisoformat(ticket["due_at"]) == sla.due_at(
        "public_safety", created, priority="urgent")
    assert sla.sla_days("public_safety", priority="urgent") == min(
        c.sla_days for c in sla.CATEGORIES)
    events = [d for (e, _), d in got.items()
              if e == "ticket_event" and d["ticket_id"] == message["ticket_id"]]
    assert [e["kind"] for e in events] == ["created"]
    # A retry of the same message files nothing more.
    assert post(live_server, "3栋2单元着火了！！有烟，快来人",
                message_id=message_id)["status"] == "duplicate"
    tickets = [k for k in _held(Api(live_server.api).login("clerk1")) if k[0] == "ticket"]
    assert len(tickets) == 2  # the world's and the alert's
    rule = _held(Api(live_server.api).login("clerk1"))[("alert_rule", world["fire"])]
    assert rule["fired_count"] == 1


def test_watch_rules_need_their_second_word_and_file_a_high_ticket(
        live_server: LiveServer, world: World) -> None:
    plain = post(live_server, "厨房水管漏水了怎么办")
    watch = post(live_server, "楼上漏水，天花板都湿了", group="wx-gridC")
    clerk = _held(Api(live_server.api).login("clerk1"))
    assert clerk[("inbox_message", plain["id"])]["urgent"] is False
    assert clerk[("inbox_message", plain["id"])]["ticket_id"] is None
    message = clerk[("inbox_message", watch["id"])]
    assert message["urgent"] is False
    ticket = clerk[("ticket", message["ticket_id"])]
    assert ticket["priority"] == "high" and ticket["assignee_id"] == world["worker2"]


def test_rules_apply_at_their_place_only(live_server: LiveServer, world: World) -> None:
    here = post(live_server, "楼下有个老人晕倒了")
    there = post(live_server, "楼下有个老人晕倒了", group="wx-gridX")
    admin = _held(Api(live_server.api).login("admin"))
    assert admin[("inbox_message", here["id"])]["urgent"] is False
    assert admin[("inbox_message", there["id"])]["urgent"] is True
    # A group that is not registered: marked urgent, no ticket (no grid to file it in).
    stray = post(live_server, "着火了", group="wx-unknown")
    assert stray["status"] == "unrouted"
    admin = _held(Api(live_server.api).login("admin"))
    assert admin[("inbox_message", stray["id"])]["urgent"] is True
    assert admin[("inbox_message", stray["id"])]["ticket_id"] is None


def test_an_alerts_ticket_is_due_by_the_catalogues_sla(
        live_server: LiveServer, world: World) -> None:
    admin = Api(live_server.api).login("admin")
    [cap] = admin.push({"mutation_id": str(uuid.uuid4()), "entity": "catalogue_entry",
                        "id": entry_id("priority", "urgent"), "op": "create", "fields": {
                            "kind": "priority", "code": "urgent", "sla_days": 3,
                            "position": 0, "active": True}})
    assert cap["status"] == "applied", cap
    stored = post(live_server, "3栋2单元着火了！！有烟，快来人")
    message = _held(admin)[("inbox_message", stored["id"])]
    ticket = _held(admin)[("ticket", message["ticket_id"])]
    created = dt.datetime.fromisoformat(ticket["created_at"])
    # public_safety is 1 working day; the urgent cap of 3 no longer shortens it below that.
    assert dt.datetime.fromisoformat(ticket["due_at"]) == sla.add_working_days(created, 1)
    [cap2] = admin.push({"mutation_id": str(uuid.uuid4()), "entity": "catalogue_entry",
                         "id": entry_id("category", "public_safety"), "op": "create",
                         "fields": {"kind": "category", "code": "public_safety",
                                    "sla_days": 5, "position": 0, "active": True}})
    assert cap2["status"] == "applied", cap2
    again = post(live_server, "5栋冒烟了，快来人")
    message = _held(admin)[("inbox_message", again["id"])]
    ticket = _held(admin)[("ticket", message["ticket_id"])]
    created = dt.datetime.fromisoformat(ticket["created_at"])
    assert dt.datetime.fromisoformat(ticket["due_at"]) == sla.add_working_days(created, 3)


def test_a_message_reads_its_groups_place_once(live_server: LiveServer, world: World) -> None:
    """The intake of one message (routing, the community, the alert rules' place) reads
    the group registry once: it read it up to three times, all in the one transaction
    that holds the message, and the alert still fires for the group's grid."""
    import sqlalchemy as sa

    reads: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "wechat_group" in statement \
                and "FROM wechat_group" in statement:
            reads.append(statement)

    sa.event.listen(live_server.engine, "before_cursor_execute", count)
    try:
        stored = post(live_server, "3栋2单元着火了！！有烟，快来人")
    finally:
        sa.event.remove(live_server.engine, "before_cursor_execute", count)
    assert stored["status"] == "routed"
    assert len(reads) == 1, "\n\n".join(reads)
    worker = Api(live_server.api).login("worker1")
    message = _held(worker)[("inbox_message", stored["id"])]
    assert message["urgent"] is True and message["status"] == "converted"
