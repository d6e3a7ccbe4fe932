"""A stand-in for the 鼓宝 WeChat group bot: posts realistic, signed resident requests to
the intake endpoint, as the real bot would (demo mode, manual testing).

Given the open participation items (:func:`open_items`, read again before each message),
some of the residents answer them instead: a questionnaire (``问卷12 1A 2AC 3:4``, now
and then a reply the server cannot read, and now and then a resident who answers again),
a consultation (``协商7 支持 …``, an option's letter while voting) or an activity
(``报名 活动5``), from the groups the item targets.

    python -m server.tools.bot_simulator --url http://127.0.0.1:8700 --secret … \
        --db sqlite:///… [--interval 30] [--count 10]

It speaks HTTP with the standard library only: it is a separate client of the server.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import random
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from gulou_desk.domain import participation, workflows
from gulou_desk.records import SHANGHAI, format_datetime
from gulou_desk.records import now as wall_clock
from server import demo_names as names
from server.bot_signature import signed_headers
from server.demo_participation import OPINIONS, TEXT_ANSWERS
from server.schema import RECORD_TABLES

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Group:
    group_id: str
    group_name: str
    estate: str


def groups_of(engine: sa.Engine) -> list[Group]:
    """The registered WeChat groups (grids with a group id), named after their estates."""
    grids = RECORD_TABLES["grid"]
    households = RECORD_TABLES["household"]
    out = []
    with engine.connect() as conn:
        for gid, name, group in conn.execute(
                sa.select(grids.c.id, grids.c.name, grids.c.wechat_group_id)
                .where(grids.c.wechat_group_id.is_not(None))):
            estate = conn.execute(sa.select(households.c.estate)
                                  .where(households.c.grid_id == gid).limit(1)).scalar()
            out.append(Group(group, f"{estate or name}邻里群", estate or name))
    return out


@dataclass(frozen=True)
class OpenItem:
    """A published item residents may answer now, and the groups it was posted to."""

    entity: str
    code: str
    group_ids: tuple[str, ...]
    questions: list[dict[str, Any]] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    stage: str = ""


def open_items(engine: sa.Engine, now: dt.datetime | None = None) -> list[OpenItem]:
    """Published questionnaires still open, consultations taking replies, activities
    open for sign-up."""
    now = now or wall_clock()
    grids = RECORD_TABLES["grid"]
    q = RECORD_TABLES["questionnaire"]
    c = RECORD_TABLES["consultation"]
    a = RECORD_TABLES["volunteer_activity"]
    items: list[OpenItem] = []
    with engine.connect() as conn:
        group_of = {gid: group for gid, group in conn.execute(
            sa.select(grids.c.id, grids.c.wechat_group_id)) if group}

        def groups(grid_ids: Any) -> tuple[str, ...]:
            return tuple(group_of[g] for g in grid_ids or () if g in group_of)

        for row in conn.execute(sa.select(q).where(q.c.status == "published",
                                                   q.c.closes_at > now)).mappings():
            items.append(OpenItem("questionnaire", row["code"], groups(row["grid_ids"]),
                                  questions=list(row["questions"] or [])))
        for row in conn.execute(sa.select(c).where(
                c.c.stage.in_(sorted(workflows.CONSULTATION_OPEN_STAGES)),
                c.c.code.is_not(None))).mappings():
            items.append(OpenItem("consultation", row["code"], groups(row["grid_ids"]),
                                  options=list(row["options"] or []), stage=row["stage"]))
        for row in conn.execute(sa.select(a).where(a.c.status == "published",
                                                   a.c.starts_at > now)).mappings():
            items.append(OpenItem("volunteer_activity", row["code"], groups(row["grid_ids"])))
    return [i for i in items if i.group_ids and i.code]


DEMO_QUESTIONS = ("请问高龄补贴怎么申请？", "社保卡丢了怎么补办", "电瓶车在哪充电",
                  "小区东门的路什么时候修好？")
"""Questions residents ask 鼓宝 at the start of the demo (the last one it cannot
answer: it becomes an unanswered question and an inbox message)."""
DEMO_URGENT = "3栋2单元楼道里着火了，有烟！快来人"
"""The urgent message of the demo (an alert rule fires on 着火)."""
DEMO_NEWCOMER = "新来的小王"
"""The resident who joins a group at the start of the demo (and is welcomed)."""


class BotSimulator:
    def __init__(self, api_url: str, secret: str, groups: list[Group], *,
                 seed: int | None = None,
                 items: Callable[[], list[OpenItem]] | None = None,
                 reply_share: float = 0.45) -> None:
        """``items``: where the open participation items come from (read before each
        message); ``reply_share``: how many messages answer one of them, when any."""
        if not groups:
            raise ValueError("no WeChat groups are registered to grids")
        self.api_url = api_url.rstrip("/")
        self.secret = secret
        self.groups = groups
        self.rng = random.Random(seed)
        self.items = items
        self.reply_share = reply_share
        self._senders: dict[str, list[tuple[str, str]]] = {}
        self._stop = threading.Event()

    def sender(self, group_id: str) -> tuple[str, str]:
        """One of a group's regular residents (so some answer twice)."""
        pool = self._senders.get(group_id)
        if pool is None:
            rng = random.Random(f"senders/{group_id}")
            pool = [(f"wxid_{rng.getrandbits(40):010x}",
                     "".join(rng.sample(names.NICKNAME_WORDS, 2))) for _ in range(25)]
            self._senders[group_id] = pool
        return self.rng.choice(pool)

    def make_reply(self, item: OpenItem, now: dt.datetime | None = None) -> dict[str, Any]:
        """A resident's reply to ``item`` from one of its groups."""
        rng = self.rng
        group_id = rng.choice(item.group_ids)
        group = next((g for g in self.groups if g.group_id == group_id), None)
        sender_id, sender_name = self.sender(group_id)
        if item.entity == "questionnaire":
            text = self.answer_text(item) if rng.random() > 0.06 else f"{item.code} 好的"
        elif item.entity == "consultation":
            if item.stage == "voting" and item.options:
                text = f"{item.code} {participation.letter(rng.randrange(len(item.options)))}"
            else:
                stance = rng.choices(("支持", "反对", "意见"), (5, 2, 3))[0]
                reason = rng.choice(OPINIONS) if stance == "意见" or rng.random() < 0.5 \
                    else ""
                text = f"{item.code} {stance} {reason}".strip()
        else:
            text = f"报名 {item.code}"
        return {
            "message_id": f"wx-{uuid.UUID(int=rng.getrandbits(128))}",
            "group_id": group_id,
            "group_name": group.group_name if group else "",
            "sender_id": sender_id, "sender_name": sender_name, "text": text,
            "sent_at": format_datetime(now or dt.datetime.now(SHANGHAI)), "keyword": "",
        }

    def answer_text(self, item: OpenItem) -> str:
        rng = self.rng
        answers: dict[str, Any] = {}
        for q in item.questions:
            if not q.get("required") and rng.random() < 0.4:
                continue
            n = len(q.get("options") or [])
            kind = q.get("kind")
            if kind == participation.SINGLE:
                answers[q["id"]] = rng.choices(range(n), [n - i + 1 for i in range(n)])[0]
            elif kind == participation.MULTIPLE:
                answers[q["id"]] = sorted(rng.sample(range(n), rng.randint(1, min(3, n))))
            elif kind == participation.SCALE:
                answers[q["id"]] = rng.choices((1, 2, 3, 4, 5), (1, 2, 5, 9, 7))[0]
            else:
                answers[q["id"]] = rng.choice(TEXT_ANSWERS)
        return participation.reply_text(item.code, item.questions, answers)

    def next_message(self, now: dt.datetime | None = None) -> dict[str, Any]:
        """A reply to an open item (about ``reply_share`` of the time), else a request."""
        items = self.items() if self.items is not None else []
        if items and self.rng.random() < self.reply_share:
            weights = [4 if i.entity == "questionnaire" else 2 if i.entity == "consultation"
                       else 1 for i in items]
            return self.make_reply(self.rng.choices(items, weights)[0], now)
        return self.make_message(now)

    def make_message(self, now: dt.datetime | None = None) -> dict[str, Any]:
        rng = self.rng
        group = rng.choice(self.groups)
        _category, keyword, text, *_rest = rng.choice(names.REQUESTS)
        sender = "".join(rng.sample(names.NICKNAME_WORDS, 2))
        return {
            "message_id": f"wx-{uuid.UUID(int=rng.getrandbits(128))}",
            "group_id": group.group_id,
            "group_name": group.group_name,
            "sender_id": f"wxid_{rng.getrandbits(40):010x}",
            "sender_name": sender,
            "text": text.format(estate=group.estate, b=rng.randint(1, 30),
                                u=rng.randint(1, 6),
                                room=f"{rng.randint(1, 18)}0{rng.randint(1, 4)}",
                                street="", community="社区"),
            "sent_at": format_datetime(now or dt.datetime.now(SHANGHAI)),
            "keyword": keyword,
        }

    def post(self, message: dict[str, Any]) -> dict[str, Any]:
        return self._signed("/api/v1/intake/wechat", message)

    def _signed(self, endpoint: str, payload: dict[str, Any]) -> dict[str, Any]:
        body = json.dumps(payload, ensure_ascii=False).encode()
        path = urllib.parse.urlsplit(self.api_url).path + endpoint
        request = urllib.request.Request(
            self.api_url + endpoint, data=body, method="POST", headers={
                "Content-Type": "application/json",
                **signed_headers(self.secret, "POST", path, body)})
        with urllib.request.urlopen(request, timeout=10) as response:
            answer: dict[str, Any] = json.loads(response.read())
        return answer

    def ask(self, text: str, group_id: str | None = None) -> dict[str, Any]:
        """What 鼓宝 does with a resident's message: ask the server for an answer
        (``/bot/ask``, which queues it to the group); none, the message goes to the
        intake as usual. Returns the ask's answer (with ``intake``: the intake's, when
        it went there)."""
        message = self.make_message()
        group = next((g for g in self.groups if g.group_id == group_id), None) \
            if group_id else self.rng.choice(self.groups)
        if group is not None:
            message.update(group_id=group.group_id, group_name=group.group_name)
        message.update(text=text, keyword="")
        answer = self._signed("/api/v1/bot/ask", {
            "group_id": message["group_id"], "sender_id": message["sender_id"],
            "sender_name": message["sender_name"], "text": text,
            "message_id": message["message_id"]})
        if not answer.get("answered"):
            answer["intake"] = self.post(message)
        return answer

    def join(self, group_id: str | None = None, name: str | None = None) -> dict[str, Any]:
        """Someone joins a group (``/intake/wechat/joined``): the server queues the
        group's welcome message to them. Returns the server's answer."""
        group = next((g for g in self.groups if g.group_id == group_id), None) \
            if group_id else self.rng.choice(self.groups)
        rng = self.rng
        return self._signed("/api/v1/intake/wechat/joined", {
            "event_id": f"join-{uuid.UUID(int=rng.getrandbits(128))}",
            "group_id": group.group_id if group else str(group_id),
            "member_id": f"wxid_{rng.getrandbits(40):010x}",
            "member_name": name or "".join(rng.sample(names.NICKNAME_WORDS, 2))})

    def opening(self) -> None:
        """What the demo shows in its first minutes: residents ask a few questions the
        knowledge base answers, one reports a fire (an urgent alert), and a newcomer
        joins a group that has a welcome message (the first such group)."""
        for text in DEMO_QUESTIONS:
            self.ask(text)
        self.ask(DEMO_URGENT)
        for group in self.groups:
            if self.join(group.group_id, DEMO_NEWCOMER)["status"] == "welcomed":
                break

    def run(self, interval: float = 30.0, count: int | None = None,
            opening: bool = False) -> None:
        """Post a message every ``interval`` seconds (jittered) until :meth:`stop`; with
        ``opening``, :meth:`opening` first."""
        sent = 0
        if opening:
            try:
                self.opening()
            except (urllib.error.URLError, OSError) as exc:
                log.info("bot simulator: the opening did not reach the server: %s", exc)
        while not self._stop.is_set() and (count is None or sent < count):
            try:
                self.post(self.next_message())
                sent += 1
            except (urllib.error.URLError, OSError, sa.exc.SQLAlchemyError) as exc:
                log.info("bot simulator: the server did not take the message: %s", exc)
            self._stop.wait(interval * self.rng.uniform(0.6, 1.4))

    def start(self, interval: float = 30.0, opening: bool = False) -> threading.Thread:
        thread = threading.Thread(target=self.run, args=(interval, None, opening),
                                  name="bot-simulator", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self._stop.set()


def main(argv: list[str] | None = None) -> int:
    from server.database import make_engine

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--db", required=True, help="the server's database (for the groups)")
    parser.add_argument("--interval", type=float, default=30.0)
    parser.add_argument("--count", type=int)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    engine = make_engine(args.db)
    bot = BotSimulator(args.url, args.secret, groups_of(engine),
                       items=lambda: open_items(engine))
    bot.run(args.interval, args.count)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
