"""The district's catalogues through push over real HTTP: only an admin edits a category's
SLA, a priority's cap or the canned replies; a new ticket's due time follows the edited
SLA; bad entries are refused naming the field."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gulou_desk.domain import sla
from gulou_desk.domain.catalogue import entry_id
from gulou_desk.records import new_id
from tests.conftest import LiveServer
from tests.world import Api, World, build_world, held, mutation


@pytest.fixture
def world(live_server: LiveServer) -> World:
    return build_world(live_server.engine)


def _entry(kind: str, code: str | None, **more: Any) -> dict[str, Any]:
    return {"kind": kind, "code": code, "sla_days": None, "text": None, "position": 0,
            "active": True, **more}


def _error(result: dict[str, Any]) -> tuple[str, str | None]:
    assert result["status"] == "rejected", result
    return result["error"]["code"], result["error"]["details"].get("field")


def _ticket(api: Api, world: World, category: str, priority: str = "normal"
            ) -> dict[str, Any]:
    tid = new_id()
    [r] = api.push(mutation("ticket", tid, "create", fields={
        "title": "楼道灯坏了", "category": category, "priority": priority,
        "grid_id": world["gridA"], "source": "phone"}))
    assert r["status"] == "applied", r
    return held(api.pull_all()[0])[("ticket", tid)]["data"]


def _due_days(ticket: dict[str, Any]) -> int:
    created = dt.datetime.fromisoformat(ticket["created_at"])
    due = dt.datetime.fromisoformat(ticket["due_at"])
    return next(n for n in range(0, 61) if sla.add_working_days(created, n) == due)


def test_an_edited_sla_sets_the_due_time_of_new_tickets(
    live_server: LiveServer, world: World
) -> None:
    admin, clerk = Api(live_server.api).login("admin"), Api(live_server.api).login("clerk1")
    assert _due_days(_ticket(clerk, world, "sanitation")) == 3  # the default
    sid = entry_id("category", "sanitation")
    [made] = admin.push(mutation("catalogue_entry", sid, "create",
                                 fields=_entry("category", "sanitation", sla_days=8)))
    assert made["status"] == "applied", made
    assert _due_days(_ticket(clerk, world, "sanitation")) == 8
    [edited] = admin.push(mutation("catalogue_entry", sid, "update",
                                   base_version=made["version"], fields={"sla_days": 6}))
    assert edited["status"] == "applied", edited
    assert _due_days(_ticket(clerk, world, "sanitation")) == 6

    # A priority's cap: high tickets within two working days, whatever the category.
    [cap] = admin.push(mutation("catalogue_entry", entry_id("priority", "high"), "create",
                                fields=_entry("priority", "high", sla_days=2)))
    assert cap["status"] == "applied", cap
    assert _due_days(_ticket(clerk, world, "sanitation", "high")) == 2
    assert _due_days(_ticket(clerk, world, "sanitation", "low")) == 6
    assert _due_days(_ticket(clerk, world, "sanitation", "urgent")) == 1  # default cap

    entries = {rid: c["data"] for (e, rid), c in held(clerk.pull_all()[0]).items()
               if e == "catalogue_entry"}
    assert entries[sid]["sla_days"] == 6


def test_an_admin_adds_a_canned_reply_everyone_receives(
    live_server: LiveServer, world: World
) -> None:
    admin = Api(live_server.api).login("admin")
    rid = new_id()
    [r] = admin.push(mutation("catalogue_entry", rid, "create", fields=_entry(
        "canned_reply", None, text="您好，已转交物业处理，请留意电话。", position=9)))
    assert r["status"] == "applied", r
    clerk = Api(live_server.api).login("clerk1")
    data = held(clerk.pull_all()[0])[("catalogue_entry", rid)]["data"]
    assert data["text"] == "您好，已转交物业处理，请留意电话。" and data["active"] is True


@pytest.mark.parametrize("who", ["worker1", "clerk1", "supervisor1"])
def test_only_an_admin_edits_the_catalogue(live_server: LiveServer, world: World,
                                           who: str) -> None:
    api = Api(live_server.api).login(who)
    sid = entry_id("category", "sanitation")
    [r] = api.push(mutation("catalogue_entry", sid, "create",
                            fields=_entry("category", "sanitation", sla_days=30)))
    assert _error(r)[0] == "forbidden"
    admin = Api(live_server.api).login("admin")
    [made] = admin.push(mutation("catalogue_entry", sid, "create",
                                 fields=_entry("category", "sanitation", sla_days=4)))
    [r] = api.push(mutation("catalogue_entry", sid, "update", base_version=made["version"],
                            fields={"sla_days": 30}))
    assert _error(r)[0] == "forbidden"
    assert _due_days(_ticket(Api(live_server.api).login("clerk1"), world, "sanitation")) == 4


@pytest.mark.parametrize(("fields", "field"), [
    (_entry("category", "sanitation", sla_days=0), "sla_days"),
    (_entry("category", "sanitation", sla_days=61), "sla_days"),
    (_entry("category", "sanitation"), "sla_days"),
    (_entry("category", "flying_saucers", sla_days=3), "name"),
    (_entry("category", "Flying Saucers", sla_days=3, name="飞碟", name_en="UFO"), "code"),
    (_entry("priority", "whenever", sla_days=3), "code"),
    (_entry("priority", "high", sla_days=-1), "sla_days"),
    (_entry("canned_reply", None, text="  "), "text"),
    (_entry("canned_reply", None, text="好" * 501), "text"),
    (_entry("category", "sanitation", sla_days=3, text="x"), "text"),
    (_entry("shelf", None), "kind"),
    ({**_entry("category", "sanitation"), "sla_days": "3"}, "sla_days"),
])
def test_bad_entries_are_refused_naming_the_field(
    live_server: LiveServer, world: World, fields: dict[str, Any], field: str
) -> None:
    admin = Api(live_server.api).login("admin")
    [r] = admin.push(mutation("catalogue_entry", new_id(), "create", fields=fields))
    assert _error(r) == ("validation", field)
