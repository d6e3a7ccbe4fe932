"""What the demo gives the administration section to show (issue 18): a few disabled
accounts (people who left), a cover in progress (the last social worker covers a grid of
the one before for ten days) and two WeChat groups nobody mapped yet, with messages
waiting for them: one whose name names no place (the admins'), one whose name names the
first clerk's community (proposed to it, so that clerk maps it from the inbox); and a
second version of the routine visit form (one more question), the first kept for the
visits filled with it. Written through the one write path after the bulk
seed, so the audit log has them (by the system)."""

from __future__ import annotations

import copy
import datetime as dt
import uuid

import sqlalchemy as sa

from gulou_desk.domain.group_places import community_stem
from gulou_desk.domain.templates import DEFAULT_TEMPLATES, ROUTINE_TEMPLATE_ID
from gulou_desk.records import SHANGHAI
from server.audit import Author
from server.schema import RECORD_TABLES, accounts
from server.store import RecordWriter, field_values, load

NAMESPACE = uuid.UUID("5e3c1d2a-8b7f-4c6e-9a0d-1f2e3d4c5b6a")
LEFT = (("former1", "孙立群"), ("former2", "钱晓燕"), ("former3", "周建华"))
UNMAPPED_GROUP = "wxg-demo-unmapped"
PROPOSED_GROUP = "wxg-demo-proposed"
PROPOSED_WAITING = (
    ("张师傅", "3栋的电梯这周停了两次，老人上下楼太难了"),
    ("李女士", "3栋楼道里堆了好多纸箱，物业说不归他们管"),
)
WAITING = (
    ("老陈", "7号院门口的路灯坏了好几天了，晚上出门很不方便"),
    ("王阿姨", "楼下垃圾桶满了没人清，味道很大"),
    ("小刘", "请问社区哪天可以办老年证？"),
)


def _id(text: str) -> str:
    return str(uuid.uuid5(NAMESPACE, text))


def seed_admin_demo(conn: sa.Connection, password_hash: str, now: dt.datetime) -> None:
    staff = RECORD_TABLES["staff"]
    workers = conn.execute(sa.select(staff).where(staff.c.role == "social_worker")
                           .order_by(staff.c.username)).mappings().all()
    workers = sorted(workers, key=lambda w: int(w["username"].removeprefix("worker") or 0))
    if len(workers) < 2:
        return
    records = RecordWriter(conn)
    community, street = workers[0]["community_id"], workers[0]["street_id"]
    for username, name in LEFT:
        sid = _id(f"staff/{username}")
        records.save("staff", sid, {"username": username, "display_name": name,
                                    "role": "social_worker", "community_id": community,
                                    "street_id": street, "active": False, "phone": None})
        conn.execute(sa.insert(accounts).values(staff_id=sid, username=username,
                                                password_hash=password_hash, active=False))
    _edited_resident(conn, workers[0])
    _routine_v2(conn, now)
    coverer, covered = workers[-1], workers[-2]
    grids = RECORD_TABLES["grid"]
    grid = next((g for g in conn.execute(sa.select(grids.c.id, grids.c.worker_ids)
                                         .order_by(grids.c.name))
                 if covered["id"] in (g.worker_ids or ()) and
                 coverer["id"] not in (g.worker_ids or ())), None)
    today = now.astimezone(SHANGHAI).date()
    if grid is not None:
        records.save("cover", _id("cover/demo"), {
            "staff_id": coverer["id"], "grid_id": grid.id,
            "starts_on": today - dt.timedelta(days=3), "ends_on": today + dt.timedelta(days=7),
            "note": f"{covered['display_name']}休假", "status": "active",
            "created_by_id": None, "ended_at": None})
    records.save("wechat_group", _id("group/demo"), {
        "group_id": UNMAPPED_GROUP, "name": "颐和路7号院居民群", "kind": "grid",
        "grid_id": None, "community_id": None, "first_seen_at": now - dt.timedelta(days=2),
        "waiting": len(WAITING)})
    for i, (sender, text) in enumerate(WAITING):
        records.save("inbox_message", _id(f"message/demo/{i}"), {
            "source": "wechat", "group_id": UNMAPPED_GROUP, "group_name": "颐和路7号院居民群",
            "grid_id": None, "sender_id": f"wxid-demo-{i}", "sender_name": sender,
            "text": text, "keyword": None,
            "sent_at": now - dt.timedelta(days=2, hours=-5 * i), "status": "new",
            "replies": []})
    _proposed_group(conn, now)


def _proposed_group(conn: sa.Connection, now: dt.datetime) -> None:
    """A building's group of the first clerk's community, proposed to it by its name."""
    staff, communities = RECORD_TABLES["staff"], RECORD_TABLES["community"]
    row = conn.execute(sa.select(communities.c.id, communities.c.name, communities.c.street_id)
                       .join(staff, staff.c.community_id == communities.c.id)
                       .where(staff.c.role == "clerk").order_by(staff.c.username)
                       .limit(1)).first()
    if row is None:
        return
    name = f"{community_stem(row.name)}3栋业主群"
    records = RecordWriter(conn)
    records.save("wechat_group", _id("group/proposed"), {
        "group_id": PROPOSED_GROUP, "name": name, "kind": "grid", "grid_id": None,
        "community_id": None, "first_seen_at": now - dt.timedelta(hours=20),
        "waiting": len(PROPOSED_WAITING), "proposed_community_id": row.id,
        "proposed_street_id": row.street_id})
    for i, (sender, text) in enumerate(PROPOSED_WAITING):
        records.save("inbox_message", _id(f"message/proposed/{i}"), {
            "source": "wechat", "group_id": PROPOSED_GROUP, "group_name": name,
            "grid_id": None, "community_id": row.id, "sender_id": f"wxid-proposed-{i}",
            "sender_name": sender, "text": text, "keyword": None,
            "sent_at": now - dt.timedelta(hours=20 - 3 * i), "status": "new",
            "replies": []})


ROUTINE_V2_ID = _id("visit_template/routine/2")
SERVICE_PHONE_QUESTION = {
    "key": "knows_service_phone", "type": "yes_no", "required": False,
    "label": {"zh": "知晓社区服务电话", "en": "Knows the community service number"},
    "help": {"zh": "未知晓时当场告知并贴卡", "en": "If not, tell them and leave the card"},
}


def _routine_v2(conn: sa.Connection, now: dt.datetime) -> None:
    """The routine form's version 2 (a question on the service number after the
    interviewee), published by the system; version 1 retired, kept for its visits."""
    v1 = load(conn, "visit_template", ROUTINE_TEMPLATE_ID)
    if v1 is None or not v1["active"]:
        return
    base = next(t for t in DEFAULT_TEMPLATES if t["id"] == ROUTINE_TEMPLATE_ID)
    fields = copy.deepcopy(base["fields"])
    fields.insert(2, dict(SERVICE_PHONE_QUESTION))
    records = RecordWriter(conn)
    records.save("visit_template", ROUTINE_V2_ID, {
        "name": base["name"], "name_en": base["name_en"], "form_id": ROUTINE_TEMPLATE_ID,
        "version": 2, "fields": fields, "active": True,
        "published_at": now - dt.timedelta(days=1), "published_by_id": None})
    retired = field_values("visit_template", v1)
    retired["active"] = False
    records.save("visit_template", ROUTINE_TEMPLATE_ID, retired)


def _edited_resident(conn: sa.Connection, worker: sa.RowMapping) -> None:
    """A resident of the first social worker's first grid whose phone the worker changed
    on a visit and whose relation the community's clerk corrected: a history to show."""
    grids, households = RECORD_TABLES["grid"], RECORD_TABLES["household"]
    residents, staff = RECORD_TABLES["resident"], RECORD_TABLES["staff"]
    grid = next((g.id for g in conn.execute(sa.select(grids.c.id, grids.c.worker_ids)
                                            .order_by(grids.c.name))
                 if worker["id"] in (g.worker_ids or ())), None)
    row = conn.execute(sa.select(residents).join(
        households, households.c.id == residents.c.household_id).where(
        households.c.grid_id == grid, residents.c.status == "active")
        .order_by(residents.c.id).limit(1)).mappings().first() if grid else None
    clerk = conn.execute(sa.select(staff.c.id).where(
        staff.c.role == "clerk", staff.c.community_id == worker["community_id"])).scalar()
    if row is None:
        return
    values = field_values("resident", row)
    values["phone"] = "13951760000"
    RecordWriter(conn, Author(staff_id=worker["id"], device_id="demo-laptop")).save(
        "resident", row["id"], values)
    if clerk:
        values["relation"] = values.get("relation") or "户主"
        values["tags"] = sorted({*(values.get("tags") or []), "重点关注"})
        RecordWriter(conn, Author(staff_id=clerk, device_id="demo-office")).save(
            "resident", row["id"], values)
