"""The bot simulator posts signed, realistic messages the real intake accepts."""

from __future__ import annotations

from server.tools.bot_simulator import BotSimulator, groups_of
from tests.conftest import WECHAT_SECRET, LiveServer
from tests.world import Api, build_world


def test_simulated_messages_reach_the_grid_inboxes(live_server: LiveServer) -> None:
    world = build_world(live_server.engine)
    groups = groups_of(live_server.engine)
    assert {g.group_id for g in groups} == {"wx-gridA", "wx-gridB", "wx-gridC", "wx-gridX"}
    bot = BotSimulator(live_server.url, WECHAT_SECRET, groups, seed=7)
    answers = [bot.post(bot.make_message()) for _ in range(12)]
    assert all(a["status"] == "routed" for a in answers)
    changes, _ = Api(live_server.api).login("admin").pull_all()
    messages = [c["data"] for c in changes if c["entity"] == "inbox_message"]
    assert len(messages) == 12
    assert all(m["text"] and m["sender_name"] and m["grid_id"] for m in messages)
    assert "{" not in "".join(m["text"] for m in messages)  # templates filled in
    assert {m["grid_id"] for m in messages} <= {world[g] for g in
                                                 ("gridA", "gridB", "gridC", "gridX")}


def test_simulated_residents_answer_the_demo_items(live_server: LiveServer) -> None:
    import collections
    import datetime as dt

    from gulou_desk.records import format_datetime, new_id, now
    from server.seed import seed
    from server.tools.bot_simulator import open_items
    from tests.world import mutation

    seed(live_server.engine, "demo")
    items = open_items(live_server.engine)
    assert {i.entity for i in items} == {"questionnaire", "consultation",
                                         "volunteer_activity"}
    bot = BotSimulator(live_server.url, WECHAT_SECRET, groups_of(live_server.engine),
                       seed=3, items=lambda: open_items(live_server.engine), reply_share=1.0)
    statuses = collections.Counter(bot.post(bot.next_message())["status"] for _ in range(40))
    assert statuses["response"] >= 10 and statuses["comment"] >= 3
    assert set(statuses) <= {"response", "comment", "signup", "refused", "routed"}
    clerk = Api(live_server.api).login("clerk1", "demo1234")
    changes, _ = clerk.pull_all(limit=5000)
    codes = {c["data"]["code"] for c in changes if c["entity"] == "questionnaire"}
    assert "问卷1" in codes
    # The server numbers new items after the demo's.
    grid = next(c for c in changes if c["entity"] == "grid"
                and c["data"]["community_id"] == clerk.user["community_id"])
    qid = new_id()
    results = clerk.push(
        mutation("questionnaire", qid, "create", fields={
            "community_id": clerk.user["community_id"], "grid_ids": [grid["id"]],
            "title": "新问卷", "questions": [{"id": "q1", "kind": "scale", "text": "?"}],
            "closes_at": format_datetime(now() + dt.timedelta(days=2))}),
        mutation("questionnaire", qid, "action", action="publish", args={}))
    assert [r["status"] for r in results] == ["applied", "applied"]
    changes, _ = clerk.pull_all(limit=5000)
    [q] = [c["data"] for c in changes if c["id"] == qid]
    import sqlalchemy as sa

    from server.schema import RECORD_TABLES

    t = RECORD_TABLES["questionnaire"]
    with live_server.engine.connect() as conn:
        seeded = [c for c in conn.execute(sa.select(t.c.code).where(t.c.id != qid)).scalars()
                  if c]
    assert q["code"] == f"问卷{max(int(c[2:]) for c in seeded) + 1}"
