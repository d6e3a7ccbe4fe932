"""Benchmark: the reads behind the inbox and tickets views on a street-sized local copy.

    .venv/bin/python bench/ticket_queries.py [--tickets 20000] [--messages 60000]

Fills a local store the way a pull does (rows with a server version) with a street's
tickets (a supervisor holds the whole street), their timeline events and inbox messages,
then times what the views ask on every refresh: the queue counts, a queue's first page,
a ticket's detail with its step states, the inbox groups and a page of one group. Prints
milliseconds per call (median of the repeats).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from gulou_desk.domain import sla
from gulou_desk.domain.workflows import Actor
from gulou_desk.records import ENTITIES, SHANGHAI, TICKET_STATUSES
from gulou_desk.store.engine import Store, open_store
from gulou_desk.store.inbox_queries import inbox_groups, inbox_page
from gulou_desk.store.schema import RECORD_TABLES, SYNC_VERSION
from gulou_desk.store.ticket_queries import (
    Queue,
    queue_counts,
    queues_for,
    step_states,
    ticket_detail,
    ticket_page,
)

NOW = dt.datetime(2026, 11, 4, 10, 0, tzinfo=SHANGHAI)


def _full(entity: str, rid: str, version: int, values: dict[str, Any]) -> dict[str, Any]:
    row = {f.name: values.get(f.name, f.empty_value()) for f in ENTITIES[entity].fields}
    row["id"] = rid
    row[SYNC_VERSION] = version
    return row


def fill(store: Store, tickets: int, messages: int, rng: random.Random) -> tuple[
        list[str], list[str]]:
    grids = [str(uuid.uuid4()) for _ in range(180)]
    workers = [str(uuid.uuid4()) for _ in range(60)]
    ticket_ids = [str(uuid.uuid4()) for _ in range(tickets)]
    rows: dict[str, list[dict[str, Any]]] = {"grid": [], "staff": [], "ticket": [],
                                             "ticket_event": [], "inbox_message": []}
    for i, gid in enumerate(grids):
        rows["grid"].append(_full("grid", gid, 1, {
            "community_id": f"c{i % 20}", "name": f"第{i}网格",
            "worker_ids": [workers[i % len(workers)]], "wechat_group_id": f"wx-{i}"}))
    for i, sid in enumerate(workers):
        rows["staff"].append(_full("staff", sid, 1, {
            "username": f"w{i}", "display_name": f"社工{i}", "role": "social_worker",
            "community_id": f"c{i % 20}", "active": True}))
    version = 10
    for i, tid in enumerate(ticket_ids):
        status = rng.choice(TICKET_STATUSES)
        created = NOW - dt.timedelta(days=rng.uniform(0, 400))
        category = rng.choice(sla.CATEGORIES).code
        version += 1
        rows["ticket"].append(_full("ticket", tid, version, {
            "number": f"GL{i:08d}", "title": f"工单 {i}", "category": category,
            "priority": rng.choice(("low", "normal", "high", "urgent")), "status": status,
            "grid_id": rng.choice(grids), "assignee_id": rng.choice(workers),
            "created_at": created, "due_at": sla.due_at(category, created),
            "escalated": rng.random() < 0.05, "source_message_ids": [],
            "paused_at": created if status == "waiting" else None}))
        for k in range(rng.randint(2, 8)):
            version += 1
            rows["ticket_event"].append(_full("ticket_event", str(uuid.uuid4()), version, {
                "ticket_id": tid, "actor_id": rng.choice(workers),
                "kind": rng.choice(("assign", "accept", "start", "comment",
                                    "request_extension")),
                "body": "+3 等配件", "at": created + dt.timedelta(hours=k)}))
    for i in range(messages):
        version += 1
        grid = rng.randrange(len(grids))
        rows["inbox_message"].append(_full("inbox_message", str(uuid.uuid4()), version, {
            "source": "wechat", "group_id": f"wx-{grid}", "group_name": f"第{grid}网格群",
            "grid_id": grids[grid], "sender_name": "居民", "text": f"{i}栋路灯坏了",
            "keyword": "路灯", "sent_at": NOW - dt.timedelta(minutes=i),
            "status": "new" if rng.random() < 0.02 else "converted"}))
    with store.write() as session:
        for entity, batch in rows.items():
            for start in range(0, len(batch), 5000):
                session.execute(sa.insert(RECORD_TABLES[entity]), batch[start:start + 5000])
    return ticket_ids, [f"group:wx-{i}" for i in range(len(grids))]


def timed(label: str, repeats: int, call: Callable[[], object]) -> None:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    print(f"{label:<46} {statistics.median(times):8.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=20_000)
    parser.add_argument("--messages", type=int, default=60_000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "desk.sqlite")
        start = time.perf_counter()
        ticket_ids, groups = fill(store, args.tickets, args.messages, rng)
        print(f"filled {args.tickets} tickets, {args.messages} messages in "
              f"{time.perf_counter() - start:.1f} s")
        supervisor = Actor(id="sup", role="supervisor")
        clerk = Actor(id="clerk", role="clerk")
        with store.session() as s:
            timed("queue counts (supervisor, 8 queues)", args.repeats,
                  lambda: queue_counts(s, supervisor, NOW))
            timed("queue counts (clerk, 7 queues)", args.repeats,
                  lambda: queue_counts(s, clerk, NOW))
            for queue in queues_for("supervisor"):
                timed(f"first page of {queue.value}", args.repeats,
                      functools.partial(ticket_page, s, queue, supervisor, NOW, limit=200))
            timed("all, page 50 (offset 10,000)", args.repeats,
                  lambda: ticket_page(s, Queue.ALL, supervisor, NOW, offset=10_000, limit=200))
            timed("all, searched '工单 123'", args.repeats,
                  lambda: ticket_page(s, Queue.ALL, supervisor, NOW, search="工单 123"))

            def detail() -> None:
                found = ticket_detail(s, rng.choice(ticket_ids))
                assert found is not None
                step_states(found.ticket, clerk, NOW)

            timed("ticket detail + step states", args.repeats, detail)
            timed("inbox groups (180 groups)", args.repeats, lambda: inbox_groups(s))
            timed("inbox page of one group (all statuses)", args.repeats,
                  lambda: inbox_page(s, group=groups[3], status_filter="all"))
            timed("inbox page, to handle, every group", args.repeats,
                  lambda: inbox_page(s, status_filter="new"))
        store.close()


if __name__ == "__main__":
    main()
