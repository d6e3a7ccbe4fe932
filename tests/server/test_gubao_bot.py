"""``POST /bot/ask``: 鼓宝's answers from the knowledge base and the service catalogue,
scoped by the group's community and street, queued to the group; questions it could not
answer kept for the desk; the bot's signature. Real HTTP, SQLite and PostgreSQL."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from gulou_desk.records import new_id
from tests.bot import bot_request
from tests.conftest import WECHAT_SECRET, LiveServer
from tests.world import Api, World, build_world, held, mutation


@pytest.fixture
def world(live_server: LiveServer) -> World:
    w = build_world(live_server.engine)
    w.staff("clerk2", "clerk", community="community2", street="street2")
    w.save("knowledge_entry", "gaoling", {
        "question": "高龄津贴怎么申领？", "answer": "年满80周岁的户籍老人带身份证到社区登记。",
        "keywords": ["高龄津贴", "高龄补贴", "尊老金"], "scope": "district", "active": True,
        "hit_count": 0})
    w.save("service_item", "shebao", {
        "category": "政务办理", "name": "湖南路街道社保服务站", "scope": "street",
        "street_id": w["street"], "hours": "周一至周五 8:30-17:30", "phone": "025-83300000",
        "documents": ["居民身份证", "社保卡"], "active": True})
    return w


def ask(server: LiveServer, text: str, *, group: str = "wx-gridA", name: str = "老张",
        message_id: str | None = None) -> dict[str, Any]:
    body = {"group_id": group, "sender_id": "wxid_1", "sender_name": name, "text": text}
    if message_id:
        body["message_id"] = message_id
    r = bot_request(server.api, "POST", "/bot/ask",
                    json.dumps(body, ensure_ascii=False).encode(), nonce=True)
    assert r.status_code == 200, r.text
    return dict(r.json())


def outbound(server: LiveServer) -> list[dict[str, Any]]:
    r = bot_request(server.api, "GET", "/intake/wechat/outbound")
    assert r.status_code == 200, r.text
    messages = list(r.json()["messages"])
    for m in messages:
        bot_request(server.api, "POST", f"/intake/wechat/outbound/{m['id']}/ack")
    return messages


def _held(api: Api, entity: str) -> dict[str, dict[str, Any]]:
    changes, _ = api.pull_all()
    return {rid: c["data"] for (e, rid), c in held(changes).items() if e == entity}


def test_an_answer_is_queued_to_the_group_and_counted(live_server: LiveServer,
                                                      world: World) -> None:
    answer = ask(live_server, "请问我爸81了，尊老金怎么领？")
    assert answer["answered"] is True and answer["entity"] == "knowledge_entry"
    assert answer["id"] == world["gaoling"] and answer["score"] >= 0.5
    assert answer["keyword"] == "尊老金"
    [posted] = outbound(live_server)
    assert posted["group_id"] == "wx-gridA"
    assert posted["text"] == "@老张 年满80周岁的户籍老人带身份证到社区登记。"
    clerk = Api(live_server.api).login("clerk1")
    assert _held(clerk, "knowledge_entry")[world["gaoling"]]["hit_count"] == 1
    assert _held(clerk, "bot_question") == {}


def test_service_items_answer_where_and_when(live_server: LiveServer, world: World) -> None:
    answer = ask(live_server, "社保服务站在哪里，几点上班")
    assert answer["entity"] == "service_item" and answer["id"] == world["shebao"]
    assert "周一至周五 8:30-17:30" in answer["answer"]
    assert "需带材料：居民身份证、社保卡" in answer["answer"]
    # The street's service is not answered in another street's group.
    other = ask(live_server, "社保服务站在哪里，几点上班", group="wx-gridX")
    assert other["answered"] is False


def test_community_entries_answer_in_their_community_only(live_server: LiveServer,
                                                          world: World) -> None:
    clerk = Api(live_server.api).login("clerk1")
    eid = new_id()
    [r] = clerk.push(mutation("knowledge_entry", eid, "create", fields={
        "question": "颐和新村电动车在哪充电？", "answer": "东门车棚有充电桩，扫码充电。",
        "keywords": ["电动车充电", "充电桩", "电瓶车充电"]}))
    assert r["status"] == "applied", r
    assert ask(live_server, "电瓶车在哪充电", group="wx-gridB")["id"] == eid
    elsewhere = ask(live_server, "电瓶车在哪充电", group="wx-gridX")
    assert elsewhere["answered"] is False
    # A deactivated entry no longer answers.
    changes, _ = clerk.pull_all()
    base = held(changes)[("knowledge_entry", eid)]["version"]
    [r] = clerk.push(mutation("knowledge_entry", eid, "update", base_version=base,
                              fields={"active": False}))
    assert r["status"] == "applied", r
    assert ask(live_server, "电瓶车在哪充电", group="wx-gridB")["answered"] is False


def test_unanswered_questions_are_kept_for_the_community(live_server: LiveServer,
                                                         world: World) -> None:
    for _ in range(2):
        answer = ask(live_server, "小区东门什么时候修好？")
        assert answer == {"answered": False, "score": answer["score"],
                          "question_id": answer["question_id"]}
    assert outbound(live_server) == []
    clerk = Api(live_server.api).login("clerk1")
    [question] = _held(clerk, "bot_question").values()
    assert question["text"] == "小区东门什么时候修好？" and question["count"] == 2
    assert question["community_id"] == world["community"]
    assert question["grid_id"] == world["gridA"] and question["status"] == "open"
    assert _held(Api(live_server.api).login("clerk2"), "bot_question") == {}
    assert _held(Api(live_server.api).login("worker1"), "bot_question") == {}
    # The clerk answers it with a new entry in one push: the entry and the question.
    eid = new_id()
    changes, _ = clerk.pull_all()
    base = held(changes)[("bot_question", answer["question_id"])]["version"]
    results = clerk.push(
        mutation("knowledge_entry", eid, "create", fields={
            "question": "东门什么时候修好？", "answer": "东门道路施工预计12月20日完工。",
            "keywords": ["东门"]}),
        mutation("bot_question", answer["question_id"], "update", base_version=base,
                 fields={"status": "answered", "entry_id": eid}))
    assert [r["status"] for r in results] == ["applied", "applied"], results
    assert ask(live_server, "东门什么时候修好")["id"] == eid


def test_a_retry_with_the_same_message_id_is_answered_once(live_server: LiveServer,
                                                           world: World) -> None:
    message_id = str(uuid.uuid4())
    first = ask(live_server, "高龄补贴怎么申请", message_id=message_id)
    again = ask(live_server, "高龄补贴怎么申请", message_id=message_id)
    assert again == {**first, "duplicate": True}
    assert len(outbound(live_server)) == 1
    clerk = Api(live_server.api).login("clerk1")
    assert _held(clerk, "knowledge_entry")[world["gaoling"]]["hit_count"] == 1


def test_the_bot_must_sign_and_send_a_question(live_server: LiveServer, world: World) -> None:
    body = json.dumps({"group_id": "wx-gridA", "sender_id": "wxid_1",
                       "text": "高龄补贴"}).encode()
    assert bot_request(live_server.api, "POST", "/bot/ask", body,
                       secret="not-the-secret").status_code == 401
    assert bot_request(live_server.api, "POST", "/bot/ask", body, age=3600).status_code == 401
    import requests

    unsigned = requests.post(live_server.api + "/bot/ask", data=body, timeout=10)
    assert unsigned.status_code == 401
    for bad, field in (({"group_id": "wx-gridA", "sender_id": "x", "text": ""}, "text"),
                       ({"group_id": "wx-gridA", "sender_id": "x"}, "text"),
                       ({"group_id": "wx-gridA", "sender_id": "x", "text": "a\u0000"}, "text"),
                       ({"group_id": "g" * 65, "sender_id": "x", "text": "a"}, "group_id"),
                       ({"group_id": "g", "sender_id": "x", "text": "a", "admin": 1}, "admin")):
        r = bot_request(live_server.api, "POST", "/bot/ask", json.dumps(bad).encode(),
                        nonce=True)
        assert r.status_code == 422, r.text
        assert r.json()["error"]["details"]["field"] == field, r.text
    r = bot_request(live_server.api, "POST", "/bot/ask", b"{not json", nonce=True)
    assert r.status_code == 422


def test_the_simulator_opens_with_questions_and_one_urgent_message(
        live_server: LiveServer, world: World) -> None:
    from server.tools.bot_simulator import DEMO_QUESTIONS, DEMO_URGENT, BotSimulator, groups_of

    world.save("alert_rule", "fire", {
        "name": "火情", "keywords": ["着火"], "level": "urgent", "notify": ["grid_worker"],
        "scope": "district", "active": True, "fired_count": 0})
    bot = BotSimulator(live_server.url, WECHAT_SECRET, groups_of(live_server.engine), seed=3)
    bot.opening()
    clerk = Api(live_server.api).login("clerk1")
    admin_view = _held(Api(live_server.api).login("admin"), "inbox_message")
    urgent = [m for m in admin_view.values() if m["text"] == DEMO_URGENT]
    assert len(urgent) == 1 and urgent[0]["urgent"] is True
    # 高龄补贴 is answered (the world's district entry); the rest are not in this world's
    # knowledge base, so they became questions and inbox messages.
    assert _held(clerk, "knowledge_entry")[world["gaoling"]]["hit_count"] == 1
    forwarded = {m["text"] for m in admin_view.values()}
    assert DEMO_QUESTIONS[0] not in forwarded and DEMO_QUESTIONS[-1] in forwarded
    # The fire is an alert, not a question to answer later.
    questions = {q["text"] for q in _held(Api(live_server.api).login("admin"),
                                          "bot_question").values()}
    assert DEMO_QUESTIONS[-1] in questions and DEMO_URGENT not in questions
