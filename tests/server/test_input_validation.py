"""Issue 12, item 12: bad input is ``422 validation`` naming the field, never a 500.

Text with NUL characters or lone surrogates, dates far outside 1900–2200, offsets that are
no whole minutes, ids longer than their column, numbers that do not fit, NaN in JSON,
non-ASCII signatures. Inside a push each is the ``rejected`` result of its mutation (the
rest of the batch applies); anywhere else the request is ``422``. Bodies are sent as raw
JSON text, so a lone surrogate (``"\\ud800"``) reaches the server as a client could send it.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import pytest
import requests
import sqlalchemy as sa

from gulou_desk.records import ID_LENGTH, new_id
from server.schema import RECORD_TABLES
from server.store import load
from tests.bot import bot_request
from tests.conftest import LiveServer
from tests.world import PASSWORD, Api, World, build_world, held, mutation


@pytest.fixture
def world(live_server: LiveServer) -> World:
    return build_world(live_server.engine)


def _raw_push(api: Api, body: str) -> requests.Response:
    return api.http.post(api.base + "/sync/push", data=body.encode(), timeout=30,
                         headers={**api.headers(), "Content-Type": "application/json"})


def _push_text(api: Api, mutations_json: str) -> list[dict[str, Any]]:
    """Push mutations given as JSON text (escapes such as ``\\ud800`` stay as sent)."""
    r = _raw_push(api, f'{{"client_id": "{api.client_id}", "mutations": [{mutations_json}]}}')
    assert r.status_code == 200, r.text
    return list(r.json()["results"])


def _household_update(world: World, api: Api, fields_json: str) -> str:
    base = held(api.pull_all()[0])[("household", world["hA1"])]["version"]
    return (f'{{"mutation_id": "{uuid.uuid4()}", "entity": "household", '
            f'"id": "{world["hA1"]}", "op": "update", "base_version": {base}, '
            f'"fields": {fields_json}}}')


def _error(result: dict[str, Any]) -> tuple[str, str, Any]:
    assert result["status"] == "rejected", result
    e = result["error"]
    return e["code"], e["details"].get("field"), e["details"].get("problem")


@pytest.mark.parametrize(("fields_json", "field", "problem"), [
    ('{"notes": "门牌\\u0000号"}', "notes", "nul"),
    ('{"notes": "半个\\ud800字"}', "notes", "surrogate"),
    ('{"head_name": "\\udfff"}', "head_name", "surrogate"),
    ('{"tags": ["独居\\u0000老人"]}', "tags", "nul"),
    ('{"tags": [{"\\ud83d": 1}]}', "tags", "surrogate"),
    ('{"tags": [NaN]}', "tags", "not_finite"),
    ('{"visit_cadence_days": 99999999999999999999}', "visit_cadence_days", "out_of_range"),
    ('{"grid_id": "' + "g" * 65 + '"}', "grid_id", "too_long"),
    ('{"no\\u0000such": 1}', "fields", "nul"),
])
def test_bad_text_and_numbers_in_fields_reject_the_mutation(
        live_server: LiveServer, world: World, fields_json: str, field: str,
        problem: str) -> None:
    clerk = Api(live_server.api).login("clerk1")
    bad = _household_update(world, clerk, fields_json)
    good = _household_update(world, clerk, '{"room": "402"}')
    first, second = _push_text(clerk, f"{bad}, {good}")
    assert _error(first) == ("validation", field, problem)
    assert second["status"] == "applied", second  # the rest of the batch goes on
    with live_server.engine.connect() as conn:
        row = load(conn, "household", world["hA1"])
    assert row is not None and row["room"] == "402"


def _visit(world: World, visited_at: str, **more: Any) -> str:
    fields = {"household_id": world["hA1"], "worker_id": world["worker1"],
              "template_id": world["template"], "template_version": 1,
              "visited_at": visited_at, "answers": {"at_home": True}, **more}
    return json.dumps(mutation("visit", new_id(), "create", fields=fields))


@pytest.mark.parametrize(("visited_at", "problem"), [
    ("0001-01-01T00:00:00+08:00", "out_of_range"),
    ("9999-12-31T23:59:59-14:00", "out_of_range"),
    ("1899-12-31T23:59:59+08:00", "out_of_range"),
    ("2201-01-01T00:00:00+08:00", "out_of_range"),
    ("2026-11-28T09:30:00+08:00:30", "offset"),
    ("2026-11-28T09:30:00+08:00:00.5", "offset"),
    ("2026-11-28T09:30:00+25:00", "invalid_type"),
    ("2026-11-28T09:30:00", "invalid_type"),
])
def test_times_outside_1900_to_2200_or_with_odd_offsets_are_refused(
        live_server: LiveServer, world: World, visited_at: str, problem: str) -> None:
    w1 = Api(live_server.api).login("worker1")
    [r] = _push_text(w1, _visit(world, visited_at))
    assert _error(r) == ("validation", "visited_at", problem)


def test_a_date_outside_1900_to_2200_is_refused(live_server: LiveServer,
                                                world: World) -> None:
    w1 = Api(live_server.api).login("worker1")
    [r] = w1.push(mutation("resident", new_id(), "create", fields={
        "household_id": world["hA1"], "name": "古人", "birth_date": "0001-01-01",
        "status": "active"}))
    assert _error(r) == ("validation", "birth_date", "out_of_range")


def test_bad_text_in_action_arguments_rejects_the_mutation(live_server: LiveServer,
                                                           world: World) -> None:
    clerk = Api(live_server.api).login("clerk1")
    m = (f'{{"mutation_id": "{uuid.uuid4()}", "entity": "ticket", "id": "{world["tA"]}", '
         f'"op": "action", "action": "comment", "args": {{"body": "好\\u0000的"}}}}')
    s = (f'{{"mutation_id": "{uuid.uuid4()}", "entity": "ticket", "id": "{world["tA"]}", '
         f'"op": "action", "action": "comment", "args": {{"body": "\\udc00"}}}}')
    first, second = _push_text(clerk, f"{m}, {s}")
    assert _error(first) == ("validation", "body", "nul")
    assert _error(second) == ("validation", "body", "surrogate")


@pytest.mark.parametrize(("mutation_json", "field"), [
    ('{"mutation_id": "a\\u0000b", "entity": "household", "id": "x", "op": "delete"}',
     "mutations.0.mutation_id"),
    ('{"mutation_id": "\\ud800", "entity": "household", "id": "x", "op": "delete"}',
     "mutations.0.mutation_id"),
    ('{"mutation_id": "m1", "entity": "household", "id": "' + "x" * (ID_LENGTH + 1)
     + '", "op": "create", "fields": {}}', "mutations.0.id"),
    ('{"mutation_id": "m1", "entity": "house\\u0000hold", "id": "x", "op": "delete"}',
     "mutations.0.entity"),
])
def test_bad_ids_in_a_push_are_422_naming_the_field(live_server: LiveServer, world: World,
                                                    mutation_json: str, field: str) -> None:
    clerk = Api(live_server.api).login("clerk1")
    r = _raw_push(clerk, f'{{"client_id": "c", "mutations": [{mutation_json}]}}')
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == "validation"
    assert r.json()["error"]["details"]["field"] == field


def test_a_record_id_as_long_as_its_column_is_fine(live_server: LiveServer,
                                                   world: World) -> None:
    """The wire's limit is the column's: an id of exactly ``ID_LENGTH`` is stored."""
    clerk = Api(live_server.api).login("clerk1")
    rid = new_id()
    assert len(rid) == ID_LENGTH
    [r] = clerk.push(mutation("household", rid, "create", fields={
        "grid_id": world["gridA"], "estate": "新村", "head_name": "王", "status": "active"}))
    assert r["status"] == "applied", r
    households = RECORD_TABLES["household"]
    with live_server.engine.connect() as conn:
        assert conn.execute(sa.select(households.c.id).where(
            households.c.id == rid)).scalar() == rid


@pytest.mark.parametrize("rid", [
    'x","op":"delete', 'h"1', "h\\1", "not-a-uuid",
    '6f1d1c3e-3b1a-4d8e-9a55-2f4c0d7e9b1"',
])
def test_a_new_record_s_id_is_a_uuid_or_the_create_is_refused(
        live_server: LiveServer, world: World, rid: str) -> None:
    """The server writes ids into every pull answer's JSON as they are (they are UUIDs:
    the desk's new_id, derived uuid5s); an id a client chose otherwise — a quote in it
    rewrote the answers other users pulled — is refused, naming the field, and nothing is
    stored, while the other creates of the push apply."""
    clerk = Api(live_server.api).login("clerk1")
    fields = {"grid_id": world["gridA"], "estate": "新村", "head_name": "王", "status": "active"}
    good = new_id()
    bad, made = clerk.push(mutation("household", rid, "create", fields=fields),
                           mutation("household", good, "create", fields=fields))
    assert bad["status"] == "rejected" and bad["error"]["details"]["field"] == "id", bad
    assert made["status"] == "applied", made
    with live_server.engine.connect() as conn:
        assert load(conn, "household", rid) is None
    ids = {c["id"] for c in Api(live_server.api).login("worker1").pull_all()[0]}
    assert good in ids and rid not in ids


@pytest.mark.parametrize(("body", "field"), [
    ('{"username": "clerk\\u00001", "password": "x", "device_id": "d"}', "username"),
    ('{"username": "clerk1", "password": "\\ud800", "device_id": "d"}', "password"),
    ('{"username": "clerk1", "password": "x", "device_id": "d\\u0000"}', "device_id"),
    ('{"username": "clerk1", "password": "x", "device_id": "d", "device_name": "\\udfff"}',
     "device_name"),
])
def test_bad_text_in_a_login_is_422_naming_the_field(live_server: LiveServer, world: World,
                                                     body: str, field: str) -> None:
    r = requests.post(live_server.api + "/auth/login", data=body.encode(), timeout=30,
                      headers={"Content-Type": "application/json"})
    assert r.status_code == 422, r.text
    assert r.json()["error"]["details"]["field"] == field
    # The account is not locked by it either: the right password still works.
    assert Api(live_server.api).login("clerk1", PASSWORD).token


def test_a_refresh_token_with_a_nul_is_422(live_server: LiveServer, world: World) -> None:
    r = requests.post(live_server.api + "/auth/refresh", timeout=30,
                      data=b'{"refresh_token": "abc\\u0000"}',
                      headers={"Content-Type": "application/json"})
    assert r.status_code == 422, r.text
    assert r.json()["error"]["details"]["field"] == "refresh_token"


def test_a_non_ascii_bot_signature_is_422_naming_the_header(live_server: LiveServer,
                                                           world: World) -> None:
    body = json.dumps({"message_id": "m", "group_id": "wx-gridA", "sender_id": "s",
                       "text": "路灯", "sent_at": "2026-11-28T09:30:00+08:00"}).encode()
    for path, method in (("/intake/wechat", "POST"), ("/intake/wechat/outbound", "GET")):
        r = requests.request(method, live_server.api + path, timeout=30,
                             data=body if method == "POST" else None, headers={
                                 "Content-Type": "application/json",
                                 "X-Gulou-Timestamp": str(int(time.time())),
                                 "X-Gulou-Signature": "sha256=\xe9\xe9"})
        assert r.status_code == 422, (path, r.text)
        assert r.json()["error"]["details"]["field"] == "X-Gulou-Signature"


def test_an_outbound_id_that_is_no_uuid_is_not_found(live_server: LiveServer,
                                                    world: World) -> None:
    for bad in ("a%00b", "x" * 300, "%ED%A0%80"):
        r = bot_request(live_server.api, "POST", f"/intake/wechat/outbound/{bad}/ack")
        assert r.status_code == 404, (bad, r.text)
        assert r.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(("field", "value"), [
    ("text", "路灯\x00坏了"), ("sender_name", "老\ud800张"), ("group_id", "wx\x00"),
    ("sent_at", "0001-01-01T00:00:00+08:00"),
])
def test_bad_text_from_the_bot_is_422_naming_the_field(live_server: LiveServer,
                                                       world: World, field: str,
                                                       value: str) -> None:
    message = {"message_id": str(uuid.uuid4()), "group_id": "wx-gridA", "sender_id": "s",
               "text": "路灯", "sent_at": "2026-11-28T09:30:00+08:00", field: value}
    r = bot_request(live_server.api, "POST", "/intake/wechat", json.dumps(message).encode())
    assert r.status_code == 422, r.text
    assert r.json()["error"]["details"]["field"] == field
