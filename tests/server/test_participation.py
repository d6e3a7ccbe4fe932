"""Resident participation on the server: questionnaires, consultations and volunteer
activities published to the groups, residents' replies through the signed intake
(valid, malformed, late, duplicate, replaced), scope, hostile fields and the per-group
rate limit of what the bot posts. Real HTTP against the live server, SQLite and
PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest

from gulou_desk.domain import participation
from gulou_desk.records import format_datetime, new_id, now
from server.outbound import PER_GROUP_PER_MINUTE
from tests.bot import bot_request
from tests.conftest import LiveServer
from tests.world import Api, World, build_world, held, mutation

QUESTIONS = [
    {"id": "q1", "kind": "single", "text": "是否赞成改造？",
     "options": ["赞成", "不赞成", "无所谓"], "required": True},
    {"id": "q2", "kind": "multiple", "text": "改造哪些方面？", "options": ["绿化", "座椅", "照明"]},
    {"id": "q3", "kind": "scale", "text": "满意度", "required": True},
    {"id": "q4", "kind": "text", "text": "其他建议"},
]


class Clock:
    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def __call__(self) -> dt.datetime:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += dt.timedelta(seconds=seconds)


@pytest.fixture
def world(live_server: LiveServer) -> World:
    w = build_world(live_server.engine)
    w.staff("clerk2", "clerk", community="community2", street="street2")
    return w


@pytest.fixture
def clock(live_server: LiveServer) -> Clock:
    clock = Clock(now())
    live_server.app.state.clock = clock
    return clock


def _post(server: LiveServer, text: str, *, group: str = "wx-gridA", sender: str = "wxid_1",
          name: str = "老张", message_id: str | None = None,
          sent_at: dt.datetime | None = None) -> dict[str, Any]:
    message = {"message_id": message_id or str(uuid.uuid4()), "group_id": group,
               "group_name": "颐和新村1群", "sender_id": sender, "sender_name": name,
               "text": text, "sent_at": format_datetime(sent_at or now()), "keyword": ""}
    body = json.dumps(message, ensure_ascii=False).encode()
    r = bot_request(server.api, "POST", "/intake/wechat", body, nonce=True)
    assert r.status_code == 200, r.text
    return dict(r.json())


def _outbound(server: LiveServer) -> list[dict[str, Any]]:
    """What the bot is handed now; each acknowledged as posted."""
    r = bot_request(server.api, "GET", "/intake/wechat/outbound")
    assert r.status_code == 200, r.text
    messages = list(r.json()["messages"])
    for m in messages:
        ack = bot_request(server.api, "POST", f"/intake/wechat/outbound/{m['id']}/ack")
        assert ack.status_code == 200, ack.text
    return messages


def _entities(changes: list[dict[str, Any]], entity: str) -> list[dict[str, Any]]:
    return [c["data"] | {"id": c["id"]} for c in held(changes).values()
            if c["entity"] == entity]


def _one(api: Api, entity: str, record_id: str) -> dict[str, Any]:
    changes, _ = api.pull_all()
    found = held(changes).get((entity, record_id))
    assert found is not None, f"{entity} {record_id} not held"
    return dict(found["data"])


def _applied(results: list[dict[str, Any]]) -> None:
    assert [r["status"] for r in results] == ["applied"] * len(results), results


def _rejected(result: dict[str, Any], code: str, field: str | None = None) -> None:
    assert result["status"] == "rejected", result
    assert result["error"]["code"] == code, result
    if field is not None:
        assert result["error"]["details"]["field"] == field, result


def _questionnaire(world: World, grids: tuple[str, ...] = ("gridA", "gridB"),
                   **values: Any) -> dict[str, Any]:
    return {"community_id": world["community"], "grid_ids": [world[g] for g in grids],
            "title": "庭院改造意见征集", "questions": QUESTIONS,
            "closes_at": format_datetime(now() + dt.timedelta(days=7)), **values}


def _publish_questionnaire(api: Api, world: World, **values: Any) -> tuple[str, str]:
    qid = new_id()
    _applied(api.push(mutation("questionnaire", qid, "create",
                               fields=_questionnaire(world, **values)),
                      mutation("questionnaire", qid, "action", action="publish", args={})))
    code = _one(api, "questionnaire", qid)["code"]
    return qid, code


# --- questionnaires ---------------------------------------------------------------------


def test_publishing_posts_to_each_target_group_with_a_code(live_server: LiveServer,
                                                           world: World) -> None:
    clerk = Api(live_server.api).login("clerk1")
    qid, code = _publish_questionnaire(clerk, world)
    assert code == "问卷1"
    q = _one(clerk, "questionnaire", qid)
    assert q["status"] == "published" and q["opens_at"] is not None
    posted = _outbound(live_server)
    assert sorted(m["group_id"] for m in posted) == ["wx-gridA", "wx-gridB"]
    assert all(m["text"] == participation.questionnaire_message(
        {**q, "closes_at": dt.datetime.fromisoformat(q["closes_at"])}) for m in posted)
    assert "问卷1 1A 2AC 3:5 4:您的意见" in posted[0]["text"]
    # A second questionnaire gets the next number.
    _, second = _publish_questionnaire(clerk, world)
    assert second == "问卷2"


def test_replies_become_responses_and_a_later_one_replaces_the_earlier(
        live_server: LiveServer, world: World) -> None:
    clerk = Api(live_server.api).login("clerk1")
    qid, code = _publish_questionnaire(clerk, world)
    _, cursor = clerk.pull_all()
    first = _post(live_server, f"{code} 1A 2AC 3:4 4:多装路灯")
    assert first["status"] == "response"
    # Full-width characters as phones type them, from another resident in grid B.
    other = _post(live_server, "问卷１　１Ｂ ３：２", group="wx-gridB", sender="wxid_2")
    assert other["status"] == "response"
    again = _post(live_server, f"@鼓宝 {code} 1C 3:5", name="张大爷")
    assert again == {"id": first["id"], "status": "response"}
    changes, _ = clerk.pull_all(cursor)
    responses = {r["sender_id"]: r for r in _entities(changes, "questionnaire_response")}
    assert set(responses) == {"wxid_1", "wxid_2"}
    mine = responses["wxid_1"]
    assert mine["id"] == participation.response_id(qid, "wechat:wxid_1")
    assert mine["answers"] == {"q1": 2, "q3": 5}
    assert mine["sender_name"] == "张大爷" and mine["channel"] == "wechat"
    assert mine["grid_id"] == world["gridA"]
    assert [h["answers"] for h in mine["history"]] == [
        {"q1": 0, "q2": [0, 2], "q3": 4, "q4": "多装路灯"}]
    assert responses["wxid_2"]["grid_id"] == world["gridB"]
    assert responses["wxid_2"]["answers"] == {"q1": 1, "q3": 2}
    # Replies are not inbox messages.
    assert not _entities(changes, "inbox_message")
    # An older reply forwarded late joins the history without replacing the current one.
    late = _post(live_server, f"{code} 1B 3:1", sent_at=now() - dt.timedelta(hours=1))
    assert late["status"] == "response"
    mine = _one(clerk, "questionnaire_response", first["id"])
    assert mine["answers"] == {"q1": 2, "q3": 5}
    assert [h["answers"]["q1"] for h in mine["history"]] == [1, 0]


def test_a_duplicate_reply_counts_once(live_server: LiveServer, world: World) -> None:
    clerk = Api(live_server.api).login("clerk1")
    _, code = _publish_questionnaire(clerk, world)
    message_id = str(uuid.uuid4())
    first = _post(live_server, f"{code} 1A 3:5", message_id=message_id)
    second = _post(live_server, f"{code} 1A 3:5", message_id=message_id)
    assert second == {"id": first["id"], "status": "duplicate"}
    response = _one(clerk, "questionnaire_response", first["id"])
    assert response["history"] == []  # the retry did not "replace" it with itself


def test_a_malformed_reply_gets_the_format_and_stays_in_the_inbox(
        live_server: LiveServer, world: World) -> None:
    clerk = Api(live_server.api).login("clerk1")
    _, code = _publish_questionnaire(clerk, world)
    _outbound(live_server)  # the publication itself
    for text, reason in ((f"{code} 1D 3:5", "第1题没有选项D"), (f"{code} 1A", "第3题必答"),
                         (f"{code} 1AB 3:5", "第1题只能选一个"), (f"{code} 好的", "看不懂")):
        answer = _post(live_server, text)
        assert answer["status"] == "routed", text
        [reply] = _outbound(live_server)
        assert reply["group_id"] == "wx-gridA"
        assert reply["text"].startswith("@老张 ")
        assert reason in reply["text"]
        assert f"{code} 1A 2AC 3:5 4:您的意见" in reply["text"]
    changes, _ = clerk.pull_all()
    assert len(_entities(changes, "inbox_message")) == 4
    assert not _entities(changes, "questionnaire_response")
    # A code the group does not know: told so, kept in the inbox.
    assert _post(live_server, "问卷99 1A")["status"] == "routed"
    [reply] = _outbound(live_server)
    assert "没有进行中的问卷99" in reply["text"]
    # A group the questionnaire does not target (grid C) is told the same.
    assert _post(live_server, f"{code} 1A 3:5", group="wx-gridC")["status"] == "routed"
    assert "没有进行中的" in _outbound(live_server)[0]["text"]


def test_answers_after_closing_are_refused_politely(live_server: LiveServer,
                                                     world: World) -> None:
    clerk = Api(live_server.api).login("clerk1")
    qid, code = _publish_questionnaire(clerk, world)
    sent_before = now()
    _applied(clerk.push(mutation("questionnaire", qid, "action", action="close", args={})))
    _outbound(live_server)
    # (sent_at has whole seconds: a reply of the closing second would still count)
    refused = _post(live_server, f"{code} 1A 3:5", sent_at=now() + dt.timedelta(seconds=2))
    assert refused == {"id": qid, "status": "refused"}
    [reply] = _outbound(live_server)
    assert "问卷已截止" in reply["text"] and reply["text"].startswith("@老张")
    # Sent before the close, forwarded after: it still counts.
    counted = _post(live_server, f"{code} 1B 3:3", sender="wxid_early", sent_at=sent_before)
    assert counted["status"] == "response"
    changes, _ = clerk.pull_all()
    assert [r["sender_id"] for r in _entities(changes, "questionnaire_response")] == [
        "wxid_early"]
    assert not _entities(changes, "inbox_message")
    # Past the closing time without a close step: refused too.
    q2, code2 = _publish_questionnaire(clerk, world)
    with live_server.engine.begin() as conn:
        from server.schema import RECORD_TABLES
        t = RECORD_TABLES["questionnaire"]
        conn.execute(t.update().where(t.c.id == q2).values(
            closes_at=now() - dt.timedelta(minutes=1)))
    assert _post(live_server, f"{code2} 1A 3:5")["status"] == "refused"


def test_a_worker_enters_a_households_answers_and_again_later(live_server: LiveServer,
                                                              world: World) -> None:
    clerk = Api(live_server.api).login("clerk1")
    qid, _ = _publish_questionnaire(clerk, world)
    worker = Api(live_server.api).login("worker1")
    rid = participation.response_id(qid, participation.household_respondent(world["hA1"]))
    visited = now() - dt.timedelta(hours=2)
    fields = {"questionnaire_id": qid, "household_id": world["hA1"], "channel": "visit",
              "answers": {"q1": 0, "q3": 4}, "received_at": format_datetime(visited)}
    _applied(worker.push(mutation("questionnaire_response", rid, "create", fields=fields)))
    response = _one(clerk, "questionnaire_response", rid)
    assert response["grid_id"] == world["gridA"]
    assert response["entered_by_id"] == world["worker1"]
    # Another device that had not seen it sends a create again: it replaces.
    _applied(worker.push(mutation("questionnaire_response", rid, "create",
                                  fields={**fields, "answers": {"q1": 1, "q3": 2}})))
    # A device that holds it replaces it with the replace step.
    _applied(worker.push(mutation("questionnaire_response", rid, "action", action="replace",
                                  args={"answers": {"q1": 2, "q3": 1}, "channel": "phone"})))
    response = _one(clerk, "questionnaire_response", rid)
    assert response["answers"] == {"q1": 2, "q3": 1} and response["channel"] == "phone"
    assert [h["answers"]["q1"] for h in response["history"]] == [0, 1]
    # Hostile or wrong: another id, wechat channel, a household outside the targets, a
    # bad answer, a missing required answer, a household outside the worker's grids.
    other_id = new_id()
    _rejected(worker.push(mutation("questionnaire_response", other_id, "create",
                                   fields=fields))[0], "validation", "id")
    _rejected(worker.push(mutation("questionnaire_response", rid, "create",
                                   fields={**fields, "channel": "wechat"}))[0],
              "forbidden", "channel")
    rid_c = participation.response_id(qid, participation.household_respondent(world["hC1"]))
    _rejected(clerk.push(mutation("questionnaire_response", rid_c, "create",
                                  fields={**fields, "household_id": world["hC1"]}))[0],
              "validation", "household_id")
    _rejected(worker.push(mutation("questionnaire_response", rid, "create",
                                   fields={**fields, "answers": {"q1": 7, "q3": 1}}))[0],
              "validation", "answers.q1")
    _rejected(worker.push(mutation("questionnaire_response", rid, "create",
                                   fields={**fields, "answers": {"q1": 0}}))[0],
              "validation", "answers.q3")
    _rejected(worker.push(mutation("questionnaire_response", rid, "action", action="replace",
                                   args={"answers": {"q1": 0, "q3": 1}, "channel": "visit",
                                         "extra": 1}))[0], "validation", "extra")
    # After closing, answers given later are refused; given before, they count.
    _applied(clerk.push(mutation("questionnaire", qid, "action", action="close", args={})))
    _rejected(worker.push(mutation("questionnaire_response", rid, "create", fields={
        **fields, "received_at": format_datetime(now() + dt.timedelta(seconds=2))}))[0],
        "invalid_transition", "questionnaire_id")
    _applied(worker.push(mutation("questionnaire_response", rid, "create", fields=fields)))


def test_hostile_fields_of_a_questionnaire(live_server: LiveServer, world: World) -> None:
    clerk = Api(live_server.api).login("clerk1")
    qid = new_id()
    # Workflow fields sent by a client are not taken: a new questionnaire is a draft.
    _applied(clerk.push(mutation("questionnaire", qid, "create", fields=_questionnaire(
        world, status="published", code="问卷99", created_by_id=world["worker1"]))))
    q = _one(clerk, "questionnaire", qid)
    assert (q["status"], q["code"], q["created_by_id"]) == ("draft", None, world["clerk1"])
    bad_questions = [{"id": "q1", "kind": "rank", "text": "?"}]
    result = clerk.push(mutation("questionnaire", new_id(), "create",
                                 fields=_questionnaire(world, questions=bad_questions)))[0]
    _rejected(result, "validation", "questions[0].kind")
    _rejected(clerk.push(mutation("questionnaire", new_id(), "create", fields=_questionnaire(
        world, grid_ids=[world["gridX"]])))[0], "validation", "grid_ids")
    _rejected(clerk.push(mutation("questionnaire", new_id(), "create", fields={
        **_questionnaire(world), "grid_ids": [{"a": 1}]}))[0], "validation", "grid_ids")
    _rejected(clerk.push(mutation("questionnaire", new_id(), "create", fields={
        **_questionnaire(world), "colour": "red"}))[0], "validation", "colour")
    # Publishing a questionnaire that closes in the past is refused, naming the field.
    _applied(clerk.push(mutation("questionnaire", qid, "update", base_version=1,
                                 fields={"closes_at": "2020-01-01T00:00:00+08:00"})))
    _rejected(clerk.push(mutation("questionnaire", qid, "action", action="publish",
                                  args={}))[0], "validation", "closes_at")
    _rejected(clerk.push(mutation("questionnaire", qid, "action", action="publish",
                                  args={"code": "问卷1"}))[0], "validation", "code")
    _rejected(clerk.push(mutation("questionnaire", qid, "action", action="close",
                                  args={}))[0], "invalid_transition")
    # Once published, the questions stay as residents saw them.
    q2, _ = _publish_questionnaire(clerk, world)
    version = _one(clerk, "questionnaire", q2)
    del version
    changes, _ = clerk.pull_all()
    base = held(changes)[("questionnaire", q2)]["version"]
    # Editing a published questionnaire's questions is a step its state no longer has:
    # refused as an invalid transition, naming the field (the title likewise).
    _rejected(clerk.push(mutation("questionnaire", q2, "update", base_version=base,
                                  fields={"questions": QUESTIONS[:1]}))[0],
              "invalid_transition", "questions")
    _rejected(clerk.push(mutation("questionnaire", q2, "update", base_version=base,
                                  fields={"title": "改了标题"}))[0],
              "invalid_transition", "title")
    _applied(clerk.push(mutation("questionnaire", q2, "update", base_version=base,
                                 fields={"closes_at": format_datetime(
                                     now() + dt.timedelta(days=9))})))
    _rejected(clerk.push(mutation("questionnaire", q2, "update", base_version=base,
                                  fields={"status": "draft"}))[0], "forbidden", "status")


def test_scope_a_clerk_sees_only_their_communitys_items(live_server: LiveServer,
                                                         world: World) -> None:
    clerk = Api(live_server.api).login("clerk1")
    qid, code = _publish_questionnaire(clerk, world, grids=("gridA", "gridB"))
    draft = new_id()
    _applied(clerk.push(mutation("questionnaire", draft, "create",
                                 fields=_questionnaire(world, grids=("gridC",)))))
    _post(live_server, f"{code} 1A 3:5")
    held_by = {}
    for user in ("clerk1", "clerk2", "worker1", "worker2", "worker9", "supervisor1", "admin"):
        changes, _ = Api(live_server.api).login(user).pull_all()
        held_by[user] = ({q["id"] for q in _entities(changes, "questionnaire")},
                         len(_entities(changes, "questionnaire_response")))
    assert held_by["clerk1"] == ({qid, draft}, 1)
    assert held_by["supervisor1"] == ({qid, draft}, 1)
    assert held_by["admin"] == ({qid, draft}, 1)
    assert held_by["worker1"] == ({qid}, 1)      # grids A and B
    assert held_by["worker2"] == ({draft}, 0)    # grid C: the draft targeting it only
    assert held_by["clerk2"] == (set(), 0)       # another community
    assert held_by["worker9"] == (set(), 0)
    # Out of scope is not found; a worker may not run items of grids not theirs.
    clerk2 = Api(live_server.api).login("clerk2")
    _rejected(clerk2.push(mutation("questionnaire", qid, "action", action="close",
                                   args={}))[0], "not_found")
    worker2 = Api(live_server.api).login("worker2")
    _rejected(worker2.push(mutation("questionnaire", new_id(), "create",
                                    fields=_questionnaire(world, grids=("gridA",))))[0],
              "forbidden")
    _rejected(clerk2.push(mutation("questionnaire", new_id(), "create",
                                   fields=_questionnaire(world)))[0], "forbidden")
    # A worker runs a questionnaire for their own grid.
    worker1 = Api(live_server.api).login("worker1")
    mine = new_id()
    _applied(worker1.push(mutation("questionnaire", mine, "create",
                                   fields=_questionnaire(world, grids=("gridB",))),
                          mutation("questionnaire", mine, "action", action="publish",
                                   args={})))


def test_publishing_respects_the_group_rate_limit(live_server: LiveServer, world: World,
                                                  clock: Clock) -> None:
    clerk = Api(live_server.api).login("clerk1")
    batch = []
    for _ in range(PER_GROUP_PER_MINUTE + 5):
        qid = new_id()
        batch += [mutation("questionnaire", qid, "create",
                           fields=_questionnaire(world, grids=("gridA",))),
                  mutation("questionnaire", qid, "action", action="publish", args={})]
    _applied(clerk.push(*batch))
    first = _outbound(live_server)
    assert len(first) == PER_GROUP_PER_MINUTE
    assert {m["group_id"] for m in first} == {"wx-gridA"}
    assert _outbound(live_server) == []  # still the same minute
    clock.advance(30)
    assert _outbound(live_server) == []
    clock.advance(31)
    rest = _outbound(live_server)
    assert len(rest) == 5
    # Oldest first: the codes come out in the order they were published.
    numbers = [int(m["text"].split("回复方式：问卷")[1].split(" ")[0]) for m in first + rest]
    assert numbers == sorted(numbers)


# --- consultations ----------------------------------------------------------------------


def _consultation(world: World, **values: Any) -> dict[str, Any]:
    return {"community_id": world["community"], "grid_ids": [world["gridA"], world["gridB"]],
            "topic": "小区停车收费标准协商", "background": "物业提出调整", **values}


def test_a_consultation_through_its_stages(live_server: LiveServer, world: World) -> None:
    clerk = Api(live_server.api).login("clerk1")
    cid = new_id()
    _applied(clerk.push(mutation("consultation", cid, "create", fields=_consultation(
        world, stage="decided", decision="x")),
        mutation("consultation", cid, "action", action="publish", args={})))
    c = _one(clerk, "consultation", cid)
    assert (c["stage"], c["decision"], c["code"]) == ("collecting", None, "协商1")
    [post] = [m for m in _outbound(live_server) if m["group_id"] == "wx-gridA"]
    assert post["text"].startswith("【民主协商·征集意见】小区停车收费标准协商")
    assert _post(live_server, "协商1 支持 早该管管了")["status"] == "comment"
    assert _post(live_server, "协商1 反对", sender="wxid_2")["status"] == "comment"
    assert _post(live_server, "协商1 可以错时停车", sender="wxid_3")["status"] == "comment"
    # Voting on options.
    changes, _ = clerk.pull_all()
    base = held(changes)[("consultation", cid)]["version"]
    _applied(clerk.push(mutation("consultation", cid, "update", base_version=base,
                                 fields={"options": ["维持现行", "按物业方案", "分时段"]}),
                        mutation("consultation", cid, "action", action="vote", args={})))
    _outbound(live_server)
    assert _post(live_server, "协商1 选B 合理")["status"] == "comment"
    assert _post(live_server, "协商1 c", sender="wxid_2")["status"] == "comment"
    assert _post(live_server, "协商1 A", sender="wxid_2")["status"] == "comment"  # changes mind
    assert _post(live_server, "协商1 支持", sender="wxid_4")["status"] == "routed"
    [help_reply] = _outbound(live_server)
    assert "请回复选项字母 A-C" in help_reply["text"]
    # Meeting votes join the online count.
    meeting = new_id()
    _applied(clerk.push(mutation("consultation_meeting", meeting, "create", fields={
        "consultation_id": cid, "held_at": format_datetime(now()), "place": "社区议事厅",
        "attendees": [{"kind": "resident", "name": "王阿姨"}, {"kind": "property", "name": "物业"}],
        "minutes": "现场表决", "votes": {"A": 3, "B": 9}})))
    _rejected(clerk.push(mutation("consultation_meeting", new_id(), "create", fields={
        "consultation_id": cid, "held_at": format_datetime(now()), "votes": {"D": 1}}))[0],
        "validation", "votes.D")
    changes, _ = clerk.pull_all()
    comments = _entities(changes, "consultation_comment")
    meetings = _entities(changes, "consultation_meeting")
    for c_ in comments:
        c_["received_at"] = dt.datetime.fromisoformat(c_["received_at"])
    tally = participation.consultation_tally(comments, meetings)
    assert (tally.choices["A"], tally.choices["B"], tally.choices["C"]) == (1, 1, 0)
    assert tally.total_choice("B") == 10 and tally.total_choice("A") == 4
    assert (tally.support, tally.oppose) == (1, 1)
    # Decide, make the work a ticket, announce (公示) with its progress, re-post.
    _applied(clerk.push(mutation("consultation", cid, "action", action="decide",
                                 args={"decision": "按物业方案执行，增设访客车位"})))
    ticket_id = new_id()
    _applied(clerk.push(mutation("consultation", cid, "action", action="create_ticket", args={
        "ticket_id": ticket_id, "title": "增设访客车位", "category": "parking",
        "priority": "normal", "grid_id": world["gridA"]})))
    _rejected(clerk.push(mutation("consultation", cid, "action", action="create_ticket", args={
        "ticket_id": new_id(), "title": "x", "category": "parking", "priority": "normal",
        "grid_id": world["gridX"]}))[0], "validation", "grid_id")
    _applied(clerk.push(mutation("consultation", cid, "action", action="announce",
                                 args={"announcement": "经协商，按物业方案执行。"})))
    announced = [m for m in _outbound(live_server) if m["group_id"] == "wx-gridA"]
    assert "【协商结果公示】" in announced[0]["text"]
    assert "增设访客车位：待派单" in announced[0]["text"]
    changes, _ = clerk.pull_all()
    ticket = held(changes)[("ticket", ticket_id)]["data"]
    assert (ticket["source"], ticket["grid_id"], ticket["status"]) == (
        "consultation", world["gridA"], "new")
    c = held(changes)[("consultation", cid)]["data"]
    assert c["ticket_ids"] == [ticket_id]
    assert [h["action"] for h in c["history"]] == [
        "publish", "vote", "decide", "create_ticket", "announce"]
    # The decision stands: later replies are refused politely.
    assert _post(live_server, "协商1 B")["status"] == "refused"
    assert "协商已结束征集" in _outbound(live_server)[0]["text"]
    _applied(clerk.push(mutation("consultation", cid, "action", action="repost", args={})))
    assert len([m for m in _outbound(live_server) if "公示" in m["text"]]) == 2


# --- volunteer activities ---------------------------------------------------------------


def test_a_meeting_keeps_attendees_of_every_kind_and_its_photos(
        live_server: LiveServer, world: World) -> None:
    from tests.server.test_blobs import jpeg, put, sha

    clerk = Api(live_server.api).login("clerk1")
    cid = new_id()
    _applied(clerk.push(mutation("consultation", cid, "create", fields=_consultation(world))))
    photo = jpeg()
    assert put(clerk, sha(photo), photo).status_code == 201
    meeting = {"consultation_id": cid, "held_at": format_datetime(now()), "place": "议事厅",
               "attendees": [
                   {"kind": "resident", "name": "张三", "household_id": world["hA1"]},
                   {"kind": "staff", "name": "社区办事员", "staff_id": world["clerk1"]},
                   {"kind": "property", "name": "物业服务中心"},
                   {"kind": "other", "name": "街道城管科"}],
               "photos": [sha(photo)], "votes": {"support": 5}}
    mid = new_id()
    _applied(clerk.push(mutation("consultation_meeting", mid, "create", fields=meeting)))
    held_meeting = _one(clerk, "consultation_meeting", mid)
    assert [a["kind"] for a in held_meeting["attendees"]] == [
        "resident", "staff", "property", "other"]
    assert held_meeting["photos"] == [sha(photo)]
    # Whoever sees the meeting sees its photos; a worker of another community does not.
    supervisor = Api(live_server.api).login("supervisor1")
    got = supervisor.get(f"/blobs/{sha(photo)}")
    assert got.status_code == 200 and got.content == photo
    assert Api(live_server.api).login("worker9").get(f"/blobs/{sha(photo)}").status_code == 404
    # Hostile attendees: a household of another community, a household for a staff
    # member, an unknown field; each refused naming the attendee.
    for attendee, field, code in (
        ({"kind": "resident", "name": "王五", "household_id": world["hX1"]},
         "attendees[0].household_id", "validation"),
        ({"kind": "staff", "name": "x", "household_id": world["hA1"]},
         "attendees[0].household_id", "validation"),
        ({"kind": "other", "name": "x", "phone": "123"}, "attendees[0].phone", "validation"),
        ({"kind": "staff", "name": "x", "staff_id": new_id()}, "attendees[0].staff_id",
         "validation"),
    ):
        _rejected(clerk.push(mutation("consultation_meeting", new_id(), "create", fields={
            **meeting, "attendees": [attendee]}))[0], code, field)
    _rejected(clerk.push(mutation("consultation_meeting", new_id(), "create", fields={
        **meeting, "photos": ["not-a-hash"]}))[0], "validation", "photos")


def test_sign_up_by_keyword(live_server: LiveServer, world: World) -> None:
    clerk = Api(live_server.api).login("clerk1")
    aid = new_id()
    starts = now() + dt.timedelta(days=3)
    _applied(clerk.push(mutation("volunteer_activity", aid, "create", fields={
        "community_id": world["community"], "grid_ids": [world["gridA"]],
        "title": "周末楼道清洁", "place": "颐和新村3栋", "starts_at": format_datetime(starts),
        "needed": 2, "signups": [{"volunteer_id": "x"}]}),
        mutation("volunteer_activity", aid, "action", action="publish", args={})))
    [post] = _outbound(live_server)
    assert "报名请回复：报名 活动1" in post["text"]
    assert _post(live_server, "报名 活动1", name="李阿姨")["status"] == "signup"
    assert "报名成功" in _outbound(live_server)[0]["text"]
    assert _post(live_server, "报名活动1")["status"] == "signup"  # again: told so
    assert "无需重复报名" in _outbound(live_server)[0]["text"]
    assert _post(live_server, "活动1 报名", sender="wxid_2")["status"] == "signup"
    assert _post(live_server, "报名 活动1", sender="wxid_3")["status"] == "refused"
    assert "名额已满" in _outbound(live_server)[-1]["text"]
    changes, _ = clerk.pull_all()
    activity = held(changes)[("volunteer_activity", aid)]["data"]
    volunteers = {v["sender_id"]: v for v in _entities(changes, "volunteer")}
    assert set(volunteers) == {"wxid_1", "wxid_2"}
    assert volunteers["wxid_1"]["name"] == "李阿姨"
    assert [s["volunteer_id"] for s in activity["signups"]] == [
        volunteers["wxid_1"]["id"], volunteers["wxid_2"]["id"]]
    # The clerk records who came and their hours.
    _applied(clerk.push(mutation("volunteer_activity", aid, "action", action="complete", args={
        "attendance": [{"volunteer_id": volunteers["wxid_1"]["id"], "hours": 2.5}]})))
    _rejected(clerk.push(mutation("volunteer_activity", aid, "action", action="withdraw",
                                  args={"volunteer_id": "x"}))[0], "invalid_transition")
    assert _post(live_server, "报名 活动1", sender="wxid_9")["status"] == "refused"
    changes, _ = clerk.pull_all()
    activity = held(changes)[("volunteer_activity", aid)]["data"]
    assert participation.volunteer_hours([activity]) == {volunteers["wxid_1"]["id"]: 2.5}


def test_scope_of_consultations_comments_activities_and_volunteers(
        live_server: LiveServer, world: World) -> None:
    """Consultations, their comments, activities and volunteers stay in their community
    (a clerk of another community holds none and cannot act on them); a social worker
    holds the items of their grids and the contributions from them."""
    clerk = Api(live_server.api).login("clerk1")
    cid, aid = new_id(), new_id()
    _applied(clerk.push(
        mutation("consultation", cid, "create", fields=_consultation(
            world, grid_ids=[world["gridA"]])),
        mutation("consultation", cid, "action", action="publish", args={}),
        mutation("volunteer_activity", aid, "create", fields={
            "community_id": world["community"], "grid_ids": [world["gridA"]],
            "title": "周末楼道清洁", "starts_at": format_datetime(now() + dt.timedelta(days=2)),
            "needed": 5}),
        mutation("volunteer_activity", aid, "action", action="publish", args={})))
    code = _one(clerk, "consultation", cid)["code"]
    assert _post(live_server, f"{code} 支持 早该管管了")["status"] == "comment"
    assert _post(live_server, f"报名 {_one(clerk, 'volunteer_activity', aid)['code']}",
                 sender="wxid_5", name="志愿者小王")["status"] == "signup"
    held_by: dict[str, tuple[int, ...]] = {}
    for user in ("clerk1", "clerk2", "worker1", "worker2", "worker9", "supervisor1"):
        changes, _ = Api(live_server.api).login(user).pull_all()
        held_by[user] = tuple(len(_entities(changes, e)) for e in (
            "consultation", "consultation_comment", "volunteer_activity", "volunteer"))
    assert held_by["clerk1"] == (1, 1, 1, 1)
    assert held_by["supervisor1"] == (1, 1, 1, 1)
    assert held_by["worker1"][:3] == (1, 1, 1)   # grid A is theirs
    assert held_by["worker2"][:3] == (0, 0, 0)   # grid C only
    assert held_by["clerk2"] == (0, 0, 0, 0)     # another community
    assert held_by["worker9"] == (0, 0, 0, 0)
    clerk2 = Api(live_server.api).login("clerk2")
    _rejected(clerk2.push(mutation("consultation", cid, "action", action="vote",
                                   args={}))[0], "not_found")
    _rejected(clerk2.push(mutation("volunteer_activity", aid, "action", action="cancel",
                                   args={"reason": "x"}))[0], "not_found")
    # A reply from a group the topic was not posted to is not counted.
    _post(live_server, f"{code} 反对", group="wx-gridC", sender="wxid_7")
    changes, _ = clerk.pull_all()
    comments = _entities(changes, "consultation_comment")
    assert [c["stance"] for c in comments] == ["support"]
