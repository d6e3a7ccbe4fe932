"""A small, hand-built world on a real server store, for tests that need exact data.

Everything is written through the server's own write path (``RecordWriter``), so
versions, scope keys and the change log are what production writes.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from dataclasses import dataclass, field
from typing import Any

import requests
import sqlalchemy as sa

from gulou_desk.domain.ids import make_id_number
from gulou_desk.passwords import hash_password
from gulou_desk.records import SHANGHAI, new_id
from server.auth import create_account
from server.database import writer
from server.store import RecordWriter

PASSWORD = "secret-pass-1"
T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)


@functools.cache
def _password_hash() -> str:
    return hash_password(PASSWORD)


@dataclass
class World:
    engine: sa.Engine
    ids: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, name: str) -> str:
        return self.ids[name]

    def save(self, entity: str, name: str | None, values: dict[str, Any],
             record_id: str | None = None) -> str:
        rid = record_id or (self.ids.get(name) if name else None) or new_id()
        with writer(self.engine).begin() as conn:
            RecordWriter(conn).save(entity, rid, values)
        if name:
            self.ids[name] = rid
        return rid

    def staff(self, name: str, role: str, *, community: str | None = None,
              street: str | None = "street") -> str:
        sid = new_id()
        with writer(self.engine).begin() as conn:
            RecordWriter(conn).save("staff", sid, {
                "username": name, "display_name": name.title(), "role": role,
                "community_id": self.ids.get(community) if community else None,
                "street_id": self.ids.get(street) if street else None, "active": True})
            create_account(conn, sid, name, PASSWORD, password_hash=_password_hash())
        self.ids[name] = sid
        return sid

    def household(self, name: str, grid: str, **values: Any) -> str:
        data = {"grid_id": self.ids[grid], "estate": "颐和新村", "building": "3",
                "unit": "2", "room": "301", "address": "南京市鼓楼区颐和新村3栋2单元301室",
                "head_name": "张三", "phone": "13812345678", "tags": [], "status": "active",
                **values}
        return self.save("household", name, data)

    def resident(self, name: str, household: str, **values: Any) -> str:
        birth = values.pop("birth_date", dt.date(1950, 3, 7))
        gender = values.pop("gender", "female")
        data = {"household_id": self.ids[household], "name": "李梅", "gender": gender,
                "birth_date": birth,
                "id_number": make_id_number("320106", birth, len(self.ids), gender),
                "phone": "13912345678", "relation": "户主", "tags": [], "status": "active",
                **values}
        return self.save("resident", name, data)

    def ticket(self, name: str, grid: str, *, record_id: str | None = None,
               **values: Any) -> str:
        data = {"number": f"GL{len(self.ids):06d}", "title": "路灯坏了", "category": "municipal",
                "priority": "normal", "status": "new", "grid_id": self.ids[grid],
                "created_at": T0, "source_message_ids": [], "escalated": False, **values}
        return self.save("ticket", name, data, record_id)


def build_world(engine: sa.Engine) -> World:
    """One street, one community, three grids; worker1 holds grids A and B, worker2 grid C;
    a clerk of the community, a supervisor of the street, an admin; two households in A,
    one in B, one in C, each with a resident; a ticket in A."""
    w = World(engine)
    w.save("street", "street", {"name": "湖南路街道"})
    w.save("community", "community", {"street_id": w["street"], "name": "汇林绿洲社区",
                                      "address": "南京市鼓楼区"})
    w.save("street", "street2", {"name": "宁海路街道"})
    w.save("community", "community2", {"street_id": w["street2"], "name": "西康路社区"})
    worker1 = w.staff("worker1", "social_worker", community="community")
    worker2 = w.staff("worker2", "social_worker", community="community")
    w.staff("clerk1", "clerk", community="community")
    w.staff("supervisor1", "supervisor", street="street")
    w.staff("admin", "admin", street=None)
    w.staff("worker9", "social_worker", community="community2", street="street2")
    for grid, workers, community in (("gridA", [worker1], "community"),
                                     ("gridB", [worker1], "community"),
                                     ("gridC", [worker2], "community"),
                                     ("gridX", [w["worker9"]], "community2")):
        w.save("grid", grid, {"community_id": w[community], "name": grid,
                              "worker_ids": workers,
                              "wechat_group_id": f"wx-{grid}"})
    w.household("hA1", "gridA", head_name="张三")
    w.household("hA2", "gridA", head_name="单丽", room="302")
    w.household("hB1", "gridB", head_name="曾国强", building="5")
    w.household("hC1", "gridC", head_name="解放", building="7")
    w.household("hX1", "gridX", head_name="王五", estate="西康小区")
    for h in ("hA1", "hA2", "hB1", "hC1", "hX1"):
        w.resident("r" + h, h)
    w.ticket("tA", "gridA")
    w.save("visit_template", "template", {
        "name": "常规走访", "version": 1, "active": True,
        "fields": [{"key": "at_home", "type": "yes_no", "label": {"zh": "在家", "en": "At home"},
                    "required": True}]})
    return w


class Api:
    """A thin HTTP helper for server tests (real requests to the live server)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.http = requests.Session()
        self.token: str | None = None
        self.refresh_token: str | None = None
        self.user: dict[str, Any] = {}
        self.client_id = str(uuid.uuid4())  # one device per Api
        self.device_id = str(uuid.uuid4())

    def login(self, username: str, password: str = PASSWORD) -> Api:
        r = self.http.post(self.base + "/auth/login", json={
            "username": username, "password": password, "device_id": self.device_id,
            "device_name": "pytest"}, timeout=10)
        assert r.status_code == 200, r.text
        body = r.json()
        self.token, self.refresh_token = body["access_token"], body["refresh_token"]
        self.user = body["user"]
        return self

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def get(self, path: str, **kw: Any) -> requests.Response:
        return self.http.get(self.base + path, headers=self.headers(), timeout=30, **kw)

    def post(self, path: str, **kw: Any) -> requests.Response:
        return self.http.post(self.base + path, headers=self.headers(), timeout=30, **kw)

    def pull_all(self, cursor: str | None = None, limit: int = 1000) -> tuple[
            list[dict[str, Any]], str]:
        changes: list[dict[str, Any]] = []
        while True:
            params: dict[str, Any] = {"limit": limit}
            if cursor:
                params["cursor"] = cursor
            r = self.get("/sync/pull", params=params)
            assert r.status_code == 200, r.text
            body = r.json()
            changes += body["changes"]
            cursor = body["cursor"]
            if not body["has_more"]:
                return changes, cursor

    def push(self, *mutations: dict[str, Any]) -> list[dict[str, Any]]:
        r = self.post("/sync/push", json={"client_id": self.client_id,
                                           "mutations": list(mutations)})
        assert r.status_code == 200, r.text
        return list(r.json()["results"])


def mutation(entity: str, record_id: str, op: str, **kw: Any) -> dict[str, Any]:
    return {"mutation_id": str(uuid.uuid4()), "entity": entity, "id": record_id, "op": op,
            **kw}


def held(changes: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """What a client holds after applying ``changes`` in order (entity, id) → change."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for c in changes:
        key = (c["entity"], c["id"])
        if c["op"] == "upsert":
            if key not in out or out[key]["version"] <= c["version"]:
                out[key] = c
        else:
            out.pop(key, None)
    return out
