"""Ticket categories an admin adds, renames and retires (issue 18 item 5), over real HTTP:
a new category's tickets are due by its SLA, its name reaches every desk, a retired one
is refused for new tickets and triage (naming ``category``) while old tickets keep it;
only admins edit, and bad entries are refused naming the field."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gulou_desk.domain import catalogue, sla
from gulou_desk.records import new_id
from tests.conftest import LiveServer
from tests.world import Api, World, build_world, held, mutation

LIFT = "c_lift"


@pytest.fixture
def world(live_server: LiveServer) -> World:
    return build_world(live_server.engine)


def _category(code: str = LIFT, **more: Any) -> dict[str, Any]:
    return {"kind": "category", "code": code, "name": "加装电梯",
            "name_en": "Lift installation", "sla_days": 5, "text": None, "position": 20,
            "active": True, **more}


def _add(admin: Api, **more: Any) -> dict[str, Any]:
    fields = _category(**more)
    [r] = admin.push(mutation("catalogue_entry", catalogue.entry_id("category",
                                                                   fields["code"]),
                              "create", fields=fields))
    return r


def _ticket(api: Api, world: World, category: str) -> dict[str, Any]:
    tid = new_id()
    [r] = api.push(mutation("ticket", tid, "create", fields={
        "title": "3栋想加装电梯", "category": category, "priority": "normal",
        "grid_id": world["gridA"], "source": "phone"}))
    return {"result": r, "id": tid}


def _rejected_category(result: dict[str, Any]) -> str:
    assert result["status"] == "rejected", result
    assert result["error"]["code"] == "validation"
    assert result["error"]["details"]["field"] == "category"
    return str(result["error"]["details"].get("problem"))


def _due_days(ticket: dict[str, Any]) -> int:
    created = dt.datetime.fromisoformat(ticket["created_at"])
    due = dt.datetime.fromisoformat(ticket["due_at"])
    return next(n for n in range(0, 61) if sla.add_working_days(created, n) == due)


def test_an_added_category_takes_tickets_due_by_its_sla_and_retires(
    live_server: LiveServer, world: World
) -> None:
    admin, clerk = Api(live_server.api).login("admin"), Api(live_server.api).login("clerk1")
    assert _rejected_category(_ticket(clerk, world, LIFT)["result"]) == "invalid_choice"
    added = _add(admin)
    assert added["status"] == "applied", added
    made = _ticket(clerk, world, LIFT)
    assert made["result"]["status"] == "applied", made
    changes = held(clerk.pull_all()[0])
    ticket = changes[("ticket", made["id"])]["data"]
    assert ticket["category"] == LIFT and _due_days(ticket) == 5
    entry = changes[("catalogue_entry", catalogue.entry_id("category", LIFT))]["data"]
    assert (entry["name"], entry["name_en"]) == ("加装电梯", "Lift installation")

    # From a message, through convert (the workflow's own check of the category).
    message = new_id()
    [walk_in] = clerk.push(mutation("inbox_message", message, "create", fields={
        "source": "walk_in", "text": "居民来访：3栋想加装电梯", "grid_id": world["gridA"],
        "sent_at": "2026-11-28T09:30:00+08:00"}))
    assert walk_in["status"] == "applied", walk_in
    converted_id = new_id()
    [converted] = clerk.push(mutation("inbox_message", message, "action", action="convert",
                                      args={"ticket_id": converted_id, "title": "加装电梯",
                                            "category": LIFT, "priority": "normal"}))
    assert converted["status"] == "applied", converted

    # Renamed: every desk reads the new name; the tickets keep the code.
    [renamed] = admin.push(mutation("catalogue_entry", catalogue.entry_id("category", LIFT),
                                    "update", base_version=added["version"],
                                    fields={"name": "既有住宅加装电梯"}))
    assert renamed["status"] == "applied", renamed
    # Retired: refused for new tickets and triage, old tickets keep it.
    [retired] = admin.push(mutation("catalogue_entry", catalogue.entry_id("category", LIFT),
                                    "update", base_version=renamed["version"],
                                    fields={"active": False}))
    assert retired["status"] == "applied", retired
    assert _rejected_category(_ticket(clerk, world, LIFT)["result"]) == "retired"
    [triage] = clerk.push(mutation("ticket", world["tA"], "action", action="triage",
                                   args={"category": LIFT, "priority": "normal"}))
    assert triage["status"] == "rejected" and \
        triage["error"]["details"]["field"] == "category", triage
    after = held(clerk.pull_all()[0])
    assert after[("ticket", made["id"])]["data"]["category"] == LIFT
    entry = after[("catalogue_entry", catalogue.entry_id("category", LIFT))]["data"]
    assert entry["name"] == "既有住宅加装电梯" and entry["active"] is False


@pytest.mark.parametrize("who", ["clerk1", "supervisor1", "worker1"])
def test_only_an_admin_adds_or_retires_a_category(
    live_server: LiveServer, world: World, who: str
) -> None:
    api = Api(live_server.api).login(who)
    [r] = api.push(mutation("catalogue_entry", catalogue.entry_id("category", LIFT),
                            "create", fields=_category()))
    assert r["status"] == "rejected" and r["error"]["code"] == "forbidden", r
    added = _add(Api(live_server.api).login("admin"))
    [retire] = api.push(mutation("catalogue_entry", catalogue.entry_id("category", LIFT),
                                 "update", base_version=added["version"],
                                 fields={"active": False}))
    assert retire["status"] == "rejected" and retire["error"]["code"] == "forbidden"


@pytest.mark.parametrize(("more", "field"), [
    ({"name": None}, "name"),
    ({"name_en": "  "}, "name_en"),
    ({"name": "电" * 33}, "name"),
    ({"code": "Lift!"}, "code"),
    ({"sla_days": 0}, "sla_days"),
])
def test_a_bad_new_category_is_refused_naming_the_field(
    live_server: LiveServer, world: World, more: dict[str, Any], field: str
) -> None:
    r = _add(Api(live_server.api).login("admin"), **more)
    assert r["status"] == "rejected", r
    assert (r["error"]["code"], r["error"]["details"]["field"]) == ("validation", field)


def test_a_category_entry_has_the_id_of_its_code(live_server: LiveServer,
                                                 world: World) -> None:
    admin = Api(live_server.api).login("admin")
    [r] = admin.push(mutation("catalogue_entry", new_id(), "create", fields=_category()))
    assert r["status"] == "rejected"
    assert r["error"]["details"] == {"field": "code", "problem": "id_mismatch"}


def test_the_catalogue_names_and_orders_categories() -> None:
    table = catalogue.sla_table([
        _category(), {"kind": "category", "code": "sanitation", "name": "环境整治",
                      "sla_days": 4, "active": True},
        {"kind": "category", "code": "other", "active": False, "sla_days": None}])
    with sla.using(table):
        assert sla.category(LIFT) is not None and sla.category(LIFT).zh == "加装电梯"  # type: ignore[union-attr]
        assert [c.code for c in sla.categories()][-1] == LIFT
        assert "other" not in {c.code for c in sla.categories()}
        assert sla.category("other") is not None and not sla.is_open_category("other")
        assert sla.category("sanitation").zh == "环境整治"  # type: ignore[union-attr]
        assert sla.sla_days("sanitation") == 4 and sla.sla_days(LIFT) == 5


def test_a_ticket_keeps_its_retired_category_through_triage(
    live_server: LiveServer, world: World
) -> None:
    """Retired categories are refused for new tickets only: a ticket filed before keeps
    its category when the clerk triages it without changing it (a new priority, the due
    time from the retired category's SLA); changing it to another retired one is refused."""
    admin, clerk = Api(live_server.api).login("admin"), Api(live_server.api).login("clerk1")
    added = _add(admin)
    made = _ticket(clerk, world, LIFT)
    assert made["result"]["status"] == "applied", made
    [retired] = admin.push(mutation("catalogue_entry", catalogue.entry_id("category", LIFT),
                                    "update", base_version=added["version"],
                                    fields={"active": False}))
    assert retired["status"] == "applied", retired

    [triage] = clerk.push(mutation("ticket", made["id"], "action", action="triage",
                                   args={"category": LIFT, "priority": "urgent"}))
    assert triage["status"] == "applied", triage
    ticket = held(clerk.pull_all()[0])[("ticket", made["id"])]["data"]
    assert (ticket["category"], ticket["priority"]) == (LIFT, "urgent")
    assert _due_days(ticket) == 1  # urgent: one working day

    # Another ticket may not take the retired category by triage.
    [other] = clerk.push(mutation("ticket", world["tA"], "action", action="triage",
                                  args={"category": LIFT, "priority": "normal"}))
    assert _rejected_category(other) in ("invalid", "retired")
