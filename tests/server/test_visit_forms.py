"""Visit forms through push over real HTTP: only an admin publishes a version; the server
numbers it and retires the earlier ones, which stay, so a visit filled with an earlier
version is still taken and still reads with its own fields; bad definitions are refused
naming the field."""

from __future__ import annotations

from typing import Any

import pytest

from gulou_desk.records import new_id
from tests.conftest import LiveServer
from tests.world import Api, World, build_world, held, mutation

AT_HOME = {"key": "at_home", "type": "yes_no", "label": {"zh": "在家", "en": "At home"},
           "required": True}
SIGNED = {"key": "signed", "type": "yes_no", "required": True,
          "label": {"zh": "居民签字", "en": "Resident signed"}}


@pytest.fixture
def world(live_server: LiveServer) -> World:
    return build_world(live_server.engine)


def _publish(api: Api, record_id: str, **fields: Any) -> dict[str, Any]:
    [result] = api.push(mutation("visit_template", record_id, "create", fields=fields))
    return result


def _error(result: dict[str, Any]) -> tuple[str, str | None]:
    assert result["status"] == "rejected", result
    return result["error"]["code"], result["error"]["details"].get("field")


def _templates(api: Api) -> dict[str, dict[str, Any]]:
    return {rid: c["data"] for (entity, rid), c in held(api.pull_all()[0]).items()
            if entity == "visit_template"}


def _visit(world: World, template: str, version: int, answers: dict[str, Any]
           ) -> dict[str, Any]:
    return mutation("visit", new_id(), "create", fields={
        "household_id": world["hA1"], "template_id": template, "template_version": version,
        "visited_at": "2026-12-01T10:00:00+08:00", "answers": answers})


def test_an_admin_publishes_a_version_that_retires_the_old_one_whose_visits_still_read(
    live_server: LiveServer, world: World
) -> None:
    worker = Api(live_server.api).login("worker1")
    old_visit = _visit(world, world["template"], 1, {"at_home": True})
    assert worker.push(old_visit)[0]["status"] == "applied"
    # Filled offline with version 1, sent after version 2 is out: still taken.
    late_visit = _visit(world, world["template"], 1, {"at_home": False})

    admin = Api(live_server.api).login("admin")
    v2 = new_id()
    result = _publish(admin, v2, name="常规走访", name_en="Routine visit",
                      form_id=world["template"], version=7, active=False,
                      published_by_id=world["worker1"], fields=[AT_HOME, SIGNED])
    assert result["status"] == "applied", result

    held_now = _templates(worker)
    new, old = held_now[v2], held_now[world["template"]]
    # The server numbers the version and stamps who published it, whatever was sent.
    assert (new["version"], new["active"], new["form_id"]) == (2, True, world["template"])
    assert new["published_by_id"] == admin.user["id"] and new["published_at"]
    assert new["name_en"] == "Routine visit"
    assert old["active"] is False and old["version"] == 1
    assert [f["key"] for f in old["fields"]] == ["at_home"]

    assert worker.push(late_visit)[0]["status"] == "applied"
    visits = {rid: c["data"] for (e, rid), c in held(worker.pull_all()[0]).items()
              if e == "visit"}
    assert visits[old_visit["id"]]["template_version"] == 1
    assert visits[late_visit["id"]]["template_id"] == world["template"]

    # A new visit with version 2 needs its new required question.
    missing = worker.push(_visit(world, v2, 2, {"at_home": True}))[0]
    assert _error(missing) == ("validation", "answers.signed")
    assert worker.push(_visit(world, v2, 2, {"at_home": True, "signed": True})
                       )[0]["status"] == "applied"

    v3 = new_id()
    assert _publish(admin, v3, name="常规走访", form_id=world["template"],
                    fields=[SIGNED])["status"] == "applied"
    held_now = _templates(admin)
    assert held_now[v3]["version"] == 3
    assert [held_now[i]["active"] for i in (world["template"], v2, v3)] == [
        False, False, True]


def test_a_new_form_is_its_own_first_version(live_server: LiveServer, world: World) -> None:
    admin = Api(live_server.api).login("admin")
    fid = new_id()
    assert _publish(admin, fid, name="防汛走访", name_en="Flood check visit",
                    fields=[AT_HOME])["status"] == "applied"
    data = _templates(admin)[fid]
    assert (data["form_id"], data["version"], data["active"]) == (fid, 1, True)
    assert _templates(admin)[world["template"]]["active"] is True  # another form


@pytest.mark.parametrize("who", ["worker1", "clerk1", "supervisor1"])
def test_only_an_admin_publishes(live_server: LiveServer, world: World, who: str) -> None:
    api = Api(live_server.api).login(who)
    result = _publish(api, new_id(), name="常规走访", form_id=world["template"],
                      fields=[AT_HOME])
    assert _error(result)[0] == "forbidden"
    assert _templates(api)[world["template"]]["active"] is True


@pytest.mark.parametrize(("fields", "field"), [
    ([{**AT_HOME, "type": "slider"}], "fields[0].type"),
    ([AT_HOME, {**SIGNED, "key": "at_home"}], "fields[1].key"),
    ([AT_HOME, {**SIGNED, "label": {"zh": "签字"}}], "fields[1].label"),
    ([{"key": "level", "type": "choice", "label": {"zh": "等级", "en": "Level"}}],
     "fields[0].options"),
    ([{**SIGNED, "show_if": {"field": "at_home", "equals": True}}, AT_HOME],
     "fields[0].show_if"),
    ([], "fields"),
    ("not a list", "fields"),
])
def test_bad_definitions_are_refused_naming_the_field(
    live_server: LiveServer, world: World, fields: Any, field: str
) -> None:
    admin = Api(live_server.api).login("admin")
    result = _publish(admin, new_id(), name="常规走访", form_id=world["template"],
                      fields=fields)
    assert _error(result) == ("validation", field)
    assert _templates(admin)[world["template"]]["active"] is True


def test_a_version_of_an_unknown_form_or_without_a_name_is_refused(
    live_server: LiveServer, world: World
) -> None:
    admin = Api(live_server.api).login("admin")
    assert _error(_publish(admin, new_id(), name="常规走访", form_id=new_id(),
                           fields=[AT_HOME])) == ("validation", "form_id")
    assert _error(_publish(admin, new_id(), name="  ", form_id=world["template"],
                           fields=[AT_HOME])) == ("validation", "name")
