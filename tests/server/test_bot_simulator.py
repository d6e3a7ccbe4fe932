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
