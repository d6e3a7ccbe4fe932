"""Outbound replies: long texts split at 2,048 bytes, 20 messages per minute per group,
acknowledgement. The bot's side is real HTTP against the live server; the clock of the
outbound queue is set by the test (``app.state.clock``) instead of sleeping."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
import requests

from gulou_desk.records import REPLY_MAX_LENGTH, SHANGHAI
from server.database import writer
from server.outbound import (
    MAX_MESSAGE_BYTES,
    NEAR_END_BYTES,
    PER_GROUP_PER_MINUTE,
    queue_reply,
    split_text,
)
from tests.bot import bot_request
from tests.conftest import WECHAT_SECRET, LiveServer
from tests.world import Api, World, build_world, mutation

T0 = dt.datetime(2026, 11, 30, 10, 0, tzinfo=SHANGHAI)


class Clock:
    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def __call__(self) -> dt.datetime:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += dt.timedelta(seconds=seconds)


@pytest.fixture
def world(live_server: LiveServer) -> World:
    return build_world(live_server.engine)


@pytest.fixture
def clock(live_server: LiveServer) -> Clock:
    clock = Clock(T0)
    live_server.app.state.clock = clock
    return clock


def _signed(server: LiveServer, method: str, path: str, *,
            secret: str = WECHAT_SECRET) -> requests.Response:
    return bot_request(server.api, method, path, secret=secret)


def _fetch(server: LiveServer) -> list[dict]:
    r = _signed(server, "GET", "/intake/wechat/outbound")
    assert r.status_code == 200, r.text
    return list(r.json()["messages"])


def _ack(server: LiveServer, messages: list[dict]) -> None:
    for m in messages:
        r = _signed(server, "POST", f"/intake/wechat/outbound/{m['id']}/ack")
        assert r.status_code == 200, r.text


def _incoming(server: LiveServer, group: str = "wx-gridA") -> str:
    body = json.dumps({
        "message_id": str(uuid.uuid4()), "group_id": group, "group_name": "颐和新村1群",
        "sender_id": "wxid_abc", "sender_name": "老张", "text": "小区的告示能再发一遍吗",
        "sent_at": "2026-11-30T09:30:00+08:00", "keyword": "告示"}, ensure_ascii=False
    ).encode()
    r = bot_request(server.api, "POST", "/intake/wechat", body)
    assert r.status_code == 200, r.text
    return str(r.json()["id"])


def _reply(server: LiveServer, text: str, group: str = "wx-gridA") -> None:
    message_id = _incoming(server, group)
    [r] = Api(server.api).login("clerk1").push(mutation(
        "inbox_message", message_id, "action", action="reply", args={"text": text}))
    assert r["status"] == "applied", r


def _queue(server: LiveServer, group: str, texts: list[str], at: dt.datetime) -> None:
    with writer(server.engine).begin() as conn:
        for i, text in enumerate(texts):
            queue_reply(conn, group, text, None, at + dt.timedelta(milliseconds=i))


def _notice(paragraphs: int) -> str:
    """A long notice in Chinese with sentences and paragraphs of varied length."""
    out = []
    for i in range(paragraphs):
        sentences = [f"第{i + 1}条：请各位居民于本周六上午九点前将大件垃圾放到{j + 2}号楼东侧"
                     "指定地点，电瓶车不要在楼道内充电，谢谢配合" + "！？。"[j % 3]
                     for j in range(3 + i % 4)]
        out.append("".join(sentences))
    return "\n".join(out)


# --- splitting --------------------------------------------------------------------------


def test_chinese_text_splits_at_2048_bytes_without_breaking_characters() -> None:
    # 3-byte characters with a 4-byte emoji now and then, no sentence end anywhere: the
    # cut falls inside a character in byte terms and must move back to its start.
    text = "".join("楼道灯不亮" if i % 7 else "🔦" for i in range(1500))
    parts = split_text(text)
    assert "".join(parts) == text  # nothing lost, order kept
    assert len(parts) > 1
    for part in parts:
        size = len(part.encode())
        assert size <= MAX_MESSAGE_BYTES
        assert "\ufffd" not in part
    for part in parts[:-1]:  # cut as late as a whole character allows
        assert len(part.encode()) > MAX_MESSAGE_BYTES - 4


def test_a_cut_prefers_a_sentence_or_line_end_near_the_limit() -> None:
    text = _notice(40)
    parts = split_text(text)
    assert "".join(parts) == text
    for part in parts[:-1]:
        size = len(part.encode())
        assert MAX_MESSAGE_BYTES - NEAR_END_BYTES <= size <= MAX_MESSAGE_BYTES
        assert part[-1] in "\n。！？"


def test_short_texts_are_one_message_and_the_limit_is_inclusive() -> None:
    assert split_text("好的，马上处理。") == ["好的，马上处理。"]
    exact = "a" * (MAX_MESSAGE_BYTES - 3) + "楼"
    assert len(exact.encode()) == MAX_MESSAGE_BYTES
    assert split_text(exact) == [exact]
    assert split_text(exact + "a") == [exact, "a"]


def test_a_long_notice_reaches_the_bot_as_ordered_parts(live_server: LiveServer,
                                                        world: World, clock: Clock) -> None:
    text = _notice(12)
    assert len(text.encode()) > 2 * MAX_MESSAGE_BYTES
    _queue(live_server, "wx-gridA", [text], clock())
    got = _fetch(live_server)
    assert len(got) == len(split_text(text)) >= 3
    assert {m["group_id"] for m in got} == {"wx-gridA"}
    assert "".join(m["text"] for m in got) == text
    assert all(len(m["text"].encode()) <= MAX_MESSAGE_BYTES for m in got)


# --- replies ----------------------------------------------------------------------------


def test_the_bot_posts_a_reply_mentioning_the_resident_by_their_group_name(
        live_server: LiveServer, world: World, clock: Clock) -> None:
    _reply(live_server, "您好，告示已重新张贴在1栋门口。")
    [posted] = _fetch(live_server)
    assert posted["text"] == "@老张 您好，告示已重新张贴在1栋门口。"


def test_a_reply_longer_than_the_cap_is_refused_naming_the_field(
        live_server: LiveServer, world: World, clock: Clock) -> None:
    message_id = _incoming(live_server)
    clerk = Api(live_server.api).login("clerk1")
    [r] = clerk.push(mutation("inbox_message", message_id, "action", action="reply",
                              args={"text": "好" * (REPLY_MAX_LENGTH + 1)}))
    assert r["status"] == "rejected"
    assert r["error"]["code"] == "validation"
    assert r["error"]["details"]["field"] == "text"
    assert str(REPLY_MAX_LENGTH) in r["error"]["message"]
    assert _fetch(live_server) == []  # nothing reached the group
    [ok] = clerk.push(mutation("inbox_message", message_id, "action", action="reply",
                               args={"text": "好" * REPLY_MAX_LENGTH}))
    assert ok["status"] == "applied"


# --- rate limit -------------------------------------------------------------------------


def test_at_most_20_messages_per_minute_per_group(live_server: LiveServer, world: World,
                                                  clock: Clock) -> None:
    # One notice long enough for 25 messages in group A, and two short replies in group B.
    _queue(live_server, "wx-gridA", ["。".join(["请大家注意防火安全"] * 2000)], clock())
    _reply(live_server, "收到，明天上午处理。", group="wx-gridB")
    _reply(live_server, "已联系物业。", group="wx-gridB")
    a_total = len(split_text("。".join(["请大家注意防火安全"] * 2000)))
    assert a_total > PER_GROUP_PER_MINUTE

    first = _fetch(live_server)
    a = [m for m in first if m["group_id"] == "wx-gridA"]
    b = [m for m in first if m["group_id"] == "wx-gridB"]
    assert len(a) == PER_GROUP_PER_MINUTE  # A is held back, B is not held up by A
    assert [m["text"] for m in b] == ["@老张 收到，明天上午处理。", "@老张 已联系物业。"]
    _ack(live_server, first)

    clock.advance(30)
    assert _fetch(live_server) == []
    clock.advance(29.9)
    assert _fetch(live_server) == []
    clock.advance(0.1)  # a minute after the first hand-out
    rest = _fetch(live_server)
    assert len(rest) == a_total - PER_GROUP_PER_MINUTE
    # Nothing lost, nothing twice, and the order of group A's parts kept.
    assert "".join(m["text"] for m in a + rest) == "。".join(["请大家注意防火安全"] * 2000)
    _ack(live_server, rest)

    # The window is rolling: 10 s later, A has had len(rest) in the last minute.
    clock.advance(10)
    _queue(live_server, "wx-gridA", [f"通知{i}" for i in range(30)], clock())
    more = _fetch(live_server)
    assert [m["text"] for m in more] == [f"通知{i}" for i in range(PER_GROUP_PER_MINUTE
                                                                   - len(rest))]


def test_a_message_not_acked_is_handed_out_again_after_the_minute(
        live_server: LiveServer, world: World, clock: Clock) -> None:
    _queue(live_server, "wx-gridC", ["第一条", "第二条"], clock())
    first = _fetch(live_server)
    assert [m["text"] for m in first] == ["第一条", "第二条"]
    _ack(live_server, first[1:])  # the bot posted the second only
    clock.advance(5)
    assert _fetch(live_server) == []  # not again within the minute
    clock.advance(55)
    again = _fetch(live_server)
    assert [(m["id"], m["text"]) for m in again] == [(first[0]["id"], "第一条")]
    _ack(live_server, again)
    clock.advance(120)
    assert _fetch(live_server) == []


# --- acknowledgement --------------------------------------------------------------------


def test_ack_is_signed_idempotent_and_knows_its_messages(live_server: LiveServer,
                                                         world: World, clock: Clock) -> None:
    _queue(live_server, "wx-gridA", ["您好，已安排。"], clock())
    [m] = _fetch(live_server)
    path = f"/intake/wechat/outbound/{m['id']}/ack"
    assert _signed(live_server, "POST", path, secret="wrong").status_code == 401
    assert _signed(live_server, "POST", path).status_code == 200
    assert _signed(live_server, "POST", path).status_code == 200  # twice: harmless
    missing = _signed(live_server, "POST", f"/intake/wechat/outbound/{uuid.uuid4()}/ack")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    clock.advance(3600)
    assert _fetch(live_server) == []
    assert _signed(live_server, "GET", "/intake/wechat/outbound",
                   secret="wrong").status_code == 401
