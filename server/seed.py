"""Fill an empty server with the demo data of :mod:`server.demo_data`."""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass, field

import sqlalchemy as sa

from gulou_desk.domain.participation import CODE_PREFIX
from gulou_desk.passwords import hash_password
from gulou_desk.records import new_id
from gulou_desk.records import now as records_now
from server.database import writer
from server.demo_data import DEMO_PASSWORD, generate
from server.demo_photos import meeting_pictures
from server.schema import RECORD_TABLES, accounts, blobs, short_codes
from server.store import RecordWriter, bulk_insert

log = logging.getLogger(__name__)


class AlreadySeeded(RuntimeError):
    pass


@dataclass
class SeedReport:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def is_seeded(engine: sa.Engine) -> bool:
    with engine.connect() as conn:
        return conn.execute(sa.select(RECORD_TABLES["staff"].c.id).limit(1)).first() is not None


# Rows written since the last ANALYZE after which the next entity's batches get fresh
# statistics first: a child's batch looks up its parents' scope keys in ``record_key``, and
# without statistics PostgreSQL reads that lookup (500 ids) as a bitmap scan of every key of
# the parent entity: 0.8 s a chunk at district size, the seed's residents ran at 220 rows/s.
_ANALYZE_AFTER = 20_000


def _analyze(engine: sa.Engine) -> None:
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")


def seed(engine: sa.Engine, size: str = "demo", *, seed_value: int = 2018) -> SeedReport:
    """Write the generated records with versions and scope keys, and an account with the
    demo password for every staff member. Refuses a server that has staff already."""
    if is_seeded(engine):
        raise AlreadySeeded("the server has data already; seed an empty database")
    report = SeedReport()
    start = time.perf_counter()
    # One hash for everyone: Argon2 is slow on purpose, and the demo password is public.
    password_hash = hash_password(DEMO_PASSWORD)
    w = writer(engine)
    last_codes: dict[str, int] = {}
    unanalyzed = 0
    previous = ""
    for batch in generate(size, seed=seed_value):
        if batch.entity != previous and unanalyzed > _ANALYZE_AFTER:
            _analyze(engine)
            unanalyzed = 0
        previous = batch.entity
        unanalyzed += len(batch.rows)
        with w.begin() as conn:
            bulk_insert(conn, batch.entity, batch.rows)
            if batch.entity == "staff":
                conn.execute(sa.insert(accounts), [
                    {"staff_id": r["id"], "username": r["username"],
                     "password_hash": password_hash, "active": True} for r in batch.rows])
        report.counts[batch.entity] = report.counts.get(batch.entity, 0) + len(batch.rows)
        if batch.entity in CODE_PREFIX:
            numbers = [int(r["code"][len(CODE_PREFIX[batch.entity]):]) for r in batch.rows
                       if r.get("code")]
            last_codes[batch.entity] = max([last_codes.get(batch.entity, 0), *numbers])
    with w.begin() as conn:  # the pictures the demo's meetings refer to
        conn.execute(sa.insert(blobs), [
            {"sha256": sha, "content_type": "image/png", "size": len(png), "data": png,
             "created_at": records_now(), "created_by": None}
            for sha, png in meeting_pictures()])
    # The records' figures as the server computes them (the dashboard computes the same).
    from server.performance import refresh_seeded

    refresh_seeded(engine, records_now())
    schedule_welcome(engine, records_now())
    with w.begin() as conn:
        from server.demo_admin import seed_admin_demo

        seed_admin_demo(conn, password_hash, records_now())
    with w.begin() as conn:
        # The server numbers the next published item after the demo's (问卷13 …).
        for entity, last in sorted(last_codes.items()):
            conn.execute(sa.insert(short_codes).values(entity=entity, last=last))
    # Fresh statistics, or the planner guesses a few hundred rows per table and picks
    # nested loops for the first pulls.
    _analyze(engine)
    report.seconds = time.perf_counter() - start
    log.info("seeded %s in %.1f s: %s", size, report.seconds, report.counts)
    return report


def schedule_welcome(engine: sa.Engine, at: dt.datetime) -> None:
    """clerk1's community's welcome message, in force (鼓宝 greets each newcomer with it,
    ``server/welcome.py``), and a notice to its groups two minutes after the demo is
    seeded, so the first minutes of the demo show one leave (the job sends it)."""
    staff = RECORD_TABLES["staff"]
    with writer(engine).begin() as conn:
        community = conn.execute(sa.select(staff.c.community_id).where(
            staff.c.username == "clerk1")).scalar()
        if community is None:
            return
        RecordWriter(conn).save("announcement", new_id(), {
            "community_id": community, "grid_ids": [], "kind": "welcome",
            "title": "欢迎新居民", "recurrence": "none", "status": "scheduled",
            "text": "【欢迎】欢迎新邻居加入本群！有事可以直接在群里@鼓宝 提问，"
                    "比如“高龄补贴怎么办”“社保服务站在哪”。",
            "send_at": at, "sent_count": 0, "history": []})
        RecordWriter(conn).save("announcement", new_id(), {
            "community_id": community, "grid_ids": [], "kind": "notice",
            "title": "冬季用电安全提示", "recurrence": "none", "status": "scheduled",
            "text": "【提示】天冷了，请勿在楼道、电梯内给电动车充电，取暖器用后及时断电。"
                    "有安全隐患可在群里@鼓宝 反映。",
            "send_at": at + dt.timedelta(minutes=2), "sent_count": 0, "history": []})
