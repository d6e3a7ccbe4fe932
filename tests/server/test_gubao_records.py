"""The 鼓宝 console's records on the server: who may write knowledge entries, service
items, alert rules and announcements at which place, what the server keeps for itself
whatever a client sends, and who sees what. Real HTTP against the live server, SQLite
and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gulou_desk.records import format_datetime, new_id, now
from tests.conftest import LiveServer
from tests.world import Api, World, build_world, held, mutation


@pytest.fixture
def world(live_server: LiveServer) -> World:
    w = build_world(live_server.engine)
    w.staff("clerk2", "clerk", community="community2", street="street2")
    w.staff("supervisor2", "supervisor", street="street2")
    return w


def _ids(api: Api, entity: str) -> set[str]:
    changes, _ = api.pull_all()
    return {rid for (e, rid) in held(changes) if e == entity}


def _one(api: Api, entity: str, record_id: str) -> dict[str, Any]:
    changes, _ = api.pull_all()
    found = held(changes).get((entity, record_id))
    assert found is not None, f"{entity} {record_id} not held"
    return dict(found["data"])


def _applied(results: list[dict[str, Any]]) -> None:
    assert [r["status"] for r in results] == ["applied"] * len(results), results


def _rejected(result: dict[str, Any], code: str, field: str | None = None) -> None:
    assert result["status"] == "rejected", result
    assert result["error"]["code"] == code, result
    if field is not None:
        assert result["error"]["details"].get("field") == field, result


def _entry(**values: Any) -> dict[str, Any]:
    return {"question": "高龄津贴怎么申领？",
            "answer": "年满80周岁的户籍老人，带身份证到社区办理。",
            "keywords": ["高龄津贴", "高龄补贴", "尊老金"], **values}


def test_a_clerks_entry_is_their_communitys_and_the_server_keeps_its_own_fields(
        live_server: LiveServer, world: World) -> None:
    clerk = Api(live_server.api).login("clerk1")
    eid = new_id()
    _applied(clerk.push(mutation("knowledge_entry", eid, "create", fields=_entry(
        hit_count=99, owner_id=world["admin"], created_at=format_datetime(now())))))
    entry = _one(clerk, "knowledge_entry", eid)
    assert entry["scope"] == "community" and entry["community_id"] == world["community"]
    assert entry["street_id"] == world["street"]
    assert entry["hit_count"] == 0 and entry["owner_id"] == world["clerk1"]
    # Who sees it: the community's clerk, the street's supervisor, an admin; not the
    # other community's clerk, and not social workers (the bot answers; they need not).
    for name, sees in (("supervisor1", True), ("admin", True), ("clerk2", False),
                       ("worker1", False), ("supervisor2", False)):
        assert (eid in _ids(Api(live_server.api).login(name), "knowledge_entry")) is sees, name


def test_places_each_role_may_write(live_server: LiveServer, world: World) -> None:
    clerk = Api(live_server.api).login("clerk1")
    [r] = clerk.push(mutation("knowledge_entry", new_id(), "create",
                              fields=_entry(scope="district")))
    _rejected(r, "forbidden", "scope")
    [r] = clerk.push(mutation("knowledge_entry", new_id(), "create",
                              fields=_entry(community_id=world["community2"])))
    _rejected(r, "forbidden", "community_id")
    worker = Api(live_server.api).login("worker1")
    [r] = worker.push(mutation("knowledge_entry", new_id(), "create", fields=_entry()))
    _rejected(r, "forbidden")
    supervisor = Api(live_server.api).login("supervisor1")
    [r] = supervisor.push(mutation("knowledge_entry", new_id(), "create",
                                   fields=_entry(scope="district")))
    _rejected(r, "forbidden", "scope")
    [r] = supervisor.push(mutation("knowledge_entry", new_id(), "create",
                                   fields=_entry(scope="street", street_id=world["street2"])))
    _rejected(r, "forbidden", "scope")
    street_entry = new_id()
    _applied(supervisor.push(mutation("knowledge_entry", street_entry, "create",
                                      fields=_entry(scope="street"))))
    # A street's entry reaches the street's clerks (s: key), not another street's.
    assert street_entry in _ids(clerk, "knowledge_entry")
    assert street_entry not in _ids(Api(live_server.api).login("clerk2"), "knowledge_entry")
    # The clerk may read it but not change it; the supervisor may.
    version = _one(clerk, "knowledge_entry", street_entry)
    assert version["scope"] == "street"
    changes, _ = clerk.pull_all()
    base = held(changes)[("knowledge_entry", street_entry)]["version"]
    [r] = clerk.push(mutation("knowledge_entry", street_entry, "update", base_version=base,
                              fields={"answer": "改了"}))
    _rejected(r, "forbidden")
    _applied(supervisor.push(mutation("knowledge_entry", street_entry, "update",
                                      base_version=base, fields={"answer": "新的答复"})))
    # The place never changes by an update.
    [r] = supervisor.push(mutation("knowledge_entry", street_entry, "update",
                                   base_version=base, fields={"scope": "community"}))
    _rejected(r, "forbidden", "scope")
    admin = Api(live_server.api).login("admin")
    district = new_id()
    _applied(admin.push(mutation("knowledge_entry", district, "create",
                                 fields=_entry(scope="district", community_id=world["community"]))))
    entry = _one(admin, "knowledge_entry", district)
    assert entry["community_id"] is None and entry["street_id"] is None
    assert district in _ids(worker, "knowledge_entry")  # the district's is public


def test_bad_content_is_refused_naming_the_field(live_server: LiveServer, world: World) -> None:
    clerk = Api(live_server.api).login("clerk1")
    for fields, field in ((_entry(answer="答" * 700), "answer"),  # 2,100 bytes
                          (_entry(keywords=["", "x"]), "keywords"),
                          (_entry(keywords="高龄"), "keywords"),
                          (_entry(valid_from="2026-12-01", valid_to="2026-11-01"), "valid_to"),
                          (_entry(question=None), "question"),
                          (_entry(scope="planet"), "scope")):
        [r] = clerk.push(mutation("knowledge_entry", new_id(), "create", fields=fields))
        _rejected(r, "validation", field)
    [r] = clerk.push(mutation("service_item", new_id(), "create", fields={
        "category": "政务办理", "name": "社区党群服务中心", "online_link": "javascript:alert(1)"}))
    _rejected(r, "validation", "online_link")
    [r] = clerk.push(mutation("alert_rule", new_id(), "create", fields={
        "name": "火情", "keywords": ["着火"], "notify": ["everyone"]}))
    _rejected(r, "validation", "notify")


def test_service_items_are_edited_at_their_place(live_server: LiveServer, world: World) -> None:
    district = world.save("service_item", None, {
        "category": "政务办理", "name": "鼓楼区政务服务中心", "scope": "district", "active": True,
        "documents": []})
    clerk = Api(live_server.api).login("clerk1")
    changes, _ = clerk.pull_all()
    base = held(changes)[("service_item", district)]["version"]
    [r] = clerk.push(mutation("service_item", district, "update", base_version=base,
                              fields={"hours": "全天"}))
    _rejected(r, "forbidden")
    own = new_id()
    _applied(clerk.push(mutation("service_item", own, "create", fields={
        "category": "养老助餐", "name": "汇林绿洲社区助餐点", "hours": "每日 11:00-12:30",
        "documents": ["老年人优待证"], "steps": "到助餐点登记，刷卡就餐",
        "online_link": "https://example.org/zhucan"})))
    item = _one(clerk, "service_item", own)
    assert item["scope"] == "community" and item["community_id"] == world["community"]
    assert own not in _ids(Api(live_server.api).login("clerk2"), "service_item")


def _announcement(world: World, grids: tuple[str, ...] = ("gridA",), **values: Any
                  ) -> dict[str, Any]:
    return {"community_id": world["community"], "grid_ids": [world[g] for g in grids],
            "kind": "notice", "title": "停水通知", "text": "明天9:00-12:00停水，请提前储水。",
            "send_at": format_datetime(now() + dt.timedelta(hours=1)), **values}


def test_a_social_workers_announcement_needs_a_clerks_approval(
        live_server: LiveServer, world: World) -> None:
    worker = Api(live_server.api).login("worker1")
    aid = new_id()
    _applied(worker.push(mutation("announcement", aid, "create", fields=_announcement(
        world, status="sent", approved_by_id=world["worker1"], sent_count=5))))
    draft = _one(worker, "announcement", aid)
    assert draft["status"] == "draft" and draft["approved_by_id"] is None
    assert draft["sent_count"] == 0 and draft["created_by_id"] == world["worker1"]
    [r] = worker.push(mutation("announcement", aid, "action", action="schedule", args={}))
    _rejected(r, "forbidden")
    _applied(worker.push(mutation("announcement", aid, "action", action="submit", args={})))
    # Submitted, it is the clerk's: the worker no longer edits it.
    changes, _ = worker.pull_all()
    base = held(changes)[("announcement", aid)]["version"]
    [r] = worker.push(mutation("announcement", aid, "update", base_version=base,
                               fields={"text": "改"}))
    _rejected(r, "forbidden")
    clerk = Api(live_server.api).login("clerk1")
    _applied(clerk.push(mutation("announcement", aid, "action", action="approve", args={})))
    done = _one(clerk, "announcement", aid)
    assert done["status"] == "scheduled" and done["approved_by_id"] == world["clerk1"]
    assert [h["action"] for h in done["history"]] == ["submit", "approve"]
    # The other community's clerk does not even see it.
    clerk2 = Api(live_server.api).login("clerk2")
    [r] = clerk2.push(mutation("announcement", aid, "action", action="cancel", args={}))
    _rejected(r, "not_found")


def test_announcement_targets_and_schedule_checks(live_server: LiveServer,
                                                  world: World) -> None:
    worker = Api(live_server.api).login("worker1")
    [r] = worker.push(mutation("announcement", new_id(), "create",
                               fields=_announcement(world, ("gridC",))))
    _rejected(r, "forbidden", "grid_ids")
    [r] = worker.push(mutation("announcement", new_id(), "create",
                               fields=_announcement(world, ())))
    _rejected(r, "forbidden", "grid_ids")
    clerk = Api(live_server.api).login("clerk1")
    [r] = clerk.push(mutation("announcement", new_id(), "create",
                              fields=_announcement(world, ("gridX",))))
    _rejected(r, "validation", "grid_ids")
    [r] = clerk.push(mutation("announcement", new_id(), "create",
                              fields={**_announcement(world),
                                      "community_id": world["community2"]}))
    _rejected(r, "forbidden", "community_id")
    aid = new_id()
    _applied(clerk.push(mutation("announcement", aid, "create",
                                 fields=_announcement(world, (), send_at=None))))
    [r] = clerk.push(mutation("announcement", aid, "action", action="schedule", args={}))
    _rejected(r, "validation", "send_at")
    [r] = clerk.push(mutation("announcement", new_id(), "create",
                              fields=_announcement(world, text="通" * 700)))
    _rejected(r, "validation", "text")


def test_clients_cannot_make_bot_questions_or_urgent_messages(
        live_server: LiveServer, world: World) -> None:
    clerk = Api(live_server.api).login("clerk1")
    [r] = clerk.push(mutation("bot_question", new_id(), "create", fields={
        "text": "高龄津贴", "asked_at": format_datetime(now())}))
    _rejected(r, "forbidden")
    mid = new_id()
    _applied(clerk.push(mutation("inbox_message", mid, "create", fields={
        "source": "walk_in", "grid_id": world["gridA"], "text": "来访：楼道灯坏了",
        "sent_at": format_datetime(now()), "urgent": True})))
    assert _one(clerk, "inbox_message", mid)["urgent"] is False


def test_the_desks_edits_are_checked_at_their_place(live_server: LiveServer,
                                                    world: World) -> None:
    """What the 鼓宝 editors send: a rule turned off, an entry's period, a question
    dismissed — each by whom it may, each bad value named."""
    clerk = Api(live_server.api).login("clerk1")
    district_rule = world.save("alert_rule", None, {
        "name": "火情", "keywords": ["着火"], "level": "urgent", "scope": "district",
        "active": True, "notify": ["grid_worker"]})
    own_rule, entry = new_id(), new_id()
    _applied(clerk.push(mutation("alert_rule", own_rule, "create", fields={
        "name": "楼道堆物", "keywords": ["堆放"], "level": "watch",
        "notify": ["grid_worker"]})))
    _applied(clerk.push(mutation("knowledge_entry", entry, "create", fields=_entry())))
    changes, _ = clerk.pull_all()
    versions = {rid: item["version"] for (_e, rid), item in held(changes).items()}
    [r] = clerk.push(mutation("alert_rule", district_rule, "update",
                              base_version=versions[district_rule], fields={"active": False}))
    _rejected(r, "forbidden")
    _applied(clerk.push(mutation("alert_rule", own_rule, "update",
                                 base_version=versions[own_rule], fields={"active": False})))
    [r] = clerk.push(mutation("alert_rule", own_rule, "update",
                              base_version=versions[own_rule] + 1, fields={"keywords": []}))
    _rejected(r, "validation", "keywords")
    [r] = clerk.push(mutation("knowledge_entry", entry, "update", base_version=versions[entry],
                              fields={"valid_from": "2026-12-01", "valid_to": "2026-11-01"}))
    _rejected(r, "validation", "valid_to")
    question = world.save("bot_question", None, {
        "community_id": world["community"], "text": "东门什么时候修好", "status": "open",
        "asked_at": now(), "count": 2})
    worker = Api(live_server.api).login("worker1")
    changes, _ = worker.pull_all()
    if ("bot_question", question) in held(changes):
        base = held(changes)[("bot_question", question)]["version"]
        [r] = worker.push(mutation("bot_question", question, "update", base_version=base,
                                   fields={"status": "dismissed"}))
        _rejected(r, "forbidden")
    changes, _ = clerk.pull_all()
    base = held(changes)[("bot_question", question)]["version"]
    [r] = clerk.push(mutation("bot_question", question, "update", base_version=base,
                              fields={"status": "gone"}))
    _rejected(r, "validation", "status")
    _applied(clerk.push(mutation("bot_question", question, "update", base_version=base,
                                 fields={"status": "dismissed"})))
    assert _one(clerk, "bot_question", question)["status"] == "dismissed"


def test_social_workers_read_their_communitys_announcements_for_every_grid(
        live_server: LiveServer, world: World) -> None:
    """One for every grid of the community (its welcome message, say) reaches the workers
    of its grids, not those of another community; they change none of it."""
    clerk = Api(live_server.api).login("clerk1")
    everyone, own = new_id(), new_id()
    _applied(clerk.push(mutation("announcement", everyone, "create", fields=_announcement(
        world, (), kind="welcome", title="欢迎", text="欢迎新邻居！"))))
    _applied(clerk.push(mutation("announcement", own, "create",
                                 fields=_announcement(world, ("gridC",)))))
    _applied(clerk.push(mutation("announcement", everyone, "action", action="schedule",
                                 args={})))
    worker = Api(live_server.api).login("worker1")
    assert _ids(worker, "announcement") == {everyone}
    assert _ids(Api(live_server.api).login("worker2"), "announcement") == {everyone, own}
    assert _ids(Api(live_server.api).login("worker9"), "announcement") == set()
    assert _one(worker, "announcement", everyone)["text"] == "欢迎新邻居！"
    # Read only: a clerk's announcement for every grid is not the worker's to change or
    # cancel.
    changes, _ = worker.pull_all()
    base = held(changes)[("announcement", everyone)]["version"]
    [r] = worker.push(mutation("announcement", everyone, "update", base_version=base,
                               fields={"text": "改"}))
    _rejected(r, "forbidden")
    [r] = worker.push(mutation("announcement", everyone, "update", base_version=base,
                               fields={"grid_ids": [world["gridA"]]}))
    _rejected(r, "forbidden")
    [r] = worker.push(mutation("announcement", everyone, "action", action="cancel",
                               args={}))
    _rejected(r, "forbidden")
    assert _one(clerk, "announcement", everyone)["text"] == "欢迎新邻居！"
    # Targeted at the worker's grid later, it is theirs as before (and no longer for
    # worker2's grid).
    _applied(clerk.push(mutation("announcement", everyone, "update", base_version=base,
                                 fields={"grid_ids": [world["gridA"]]})))
    assert _ids(Api(live_server.api).login("worker2"), "announcement") == {own}
    assert _ids(worker, "announcement") == {everyone}


def test_an_announcement_for_every_grid_follows_a_workers_grids_pull_by_pull(
        live_server: LiveServer, world: World) -> None:
    """From a held cursor: a worker given a grid of the community is brought the
    community's announcement for every grid (backfilled, although its version is older
    than the cursor), loses it with the grid, and a worker of another grid is told to drop
    it once the clerk targets only one grid."""
    clerk = Api(live_server.api).login("clerk1")
    everyone = new_id()
    _applied(clerk.push(mutation("announcement", everyone, "create", fields=_announcement(
        world, (), kind="welcome", title="欢迎", text="欢迎新邻居！"))))
    _applied(clerk.push(mutation("announcement", everyone, "action", action="schedule",
                                 args={})))
    outsider, worker2 = (Api(live_server.api).login(n) for n in ("worker9", "worker2"))
    _, outsider_cursor = outsider.pull_all()
    changes, worker2_cursor = worker2.pull_all()
    assert ("announcement", everyone) in held(changes)

    grid = {"community_id": world["community"], "name": "gridC", "wechat_group_id": "wx-gridC"}
    world.save("grid", "gridC", {**grid, "worker_ids": [world["worker2"], world["worker9"]]})
    changes, outsider_cursor = outsider.pull_all(outsider_cursor)
    assert held(changes)[("announcement", everyone)]["data"]["text"] == "欢迎新邻居！"
    world.save("grid", "gridC", {**grid, "worker_ids": [world["worker2"]]})
    changes, _ = outsider.pull_all(outsider_cursor)
    assert {(c["entity"], c["id"]): c["op"] for c in changes}[
        ("announcement", everyone)] == "revoke"

    changes, _ = clerk.pull_all()
    version = held(changes)[("announcement", everyone)]["version"]
    _applied(clerk.push(mutation("announcement", everyone, "update", base_version=version,
                                 fields={"grid_ids": [world["gridA"]]})))
    changes, _ = worker2.pull_all(worker2_cursor)
    assert {(c["entity"], c["id"]): c["op"] for c in changes}[
        ("announcement", everyone)] == "revoke"


def test_a_social_worker_reads_an_announcement_for_every_grid_only_once_published(
        live_server: LiveServer, world: World) -> None:
    """A clerk's draft for every grid of the community is the clerk's work in progress:
    the workers of its grids are not brought it (the ``cg:`` key is a published
    announcement's); scheduled, it comes at their next pull; cancelled, it leaves (a
    revoke, as for any record leaving their scope). The clerk holds it throughout."""
    clerk = Api(live_server.api).login("clerk1")
    worker = Api(live_server.api).login("worker1")
    aid = new_id()
    _applied(clerk.push(mutation("announcement", aid, "create", fields=_announcement(
        world, (), kind="notice", title="停电通知", text="周六8:00-10:00全社区停电。"))))
    changes, cursor = worker.pull_all()
    assert ("announcement", aid) not in {(c["entity"], c["id"]) for c in changes}
    _applied(clerk.push(mutation("announcement", aid, "action", action="schedule", args={})))
    changes, cursor = worker.pull_all(cursor)
    assert held(changes)[("announcement", aid)]["data"]["status"] == "scheduled"
    _applied(clerk.push(mutation("announcement", aid, "action", action="cancel",
                                 args={"reason": "改期"})))
    changes, cursor = worker.pull_all(cursor)
    assert {(c["entity"], c["id"]): c["op"] for c in changes}[
        ("announcement", aid)] == "revoke"
    assert aid not in _ids(worker, "announcement")
    assert _one(clerk, "announcement", aid)["status"] == "cancelled"
