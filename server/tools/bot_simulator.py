"""A stand-in for the 鼓宝 WeChat group bot: posts realistic, signed resident requests to
the intake endpoint, as the real bot would (demo mode, manual testing).

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
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from gulou_desk.records import SHANGHAI, format_datetime
from server import demo_names as names
from server.routes.intake import sign
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


class BotSimulator:
    def __init__(self, api_url: str, secret: str, groups: list[Group], *,
                 seed: int | None = None) -> None:
        if not groups:
            raise ValueError("no WeChat groups are registered to grids")
        self.api_url = api_url.rstrip("/")
        self.secret = secret
        self.groups = groups
        self.rng = random.Random(seed)
        self._stop = threading.Event()

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
        body = json.dumps(message, ensure_ascii=False).encode()
        stamp = str(int(time.time()))
        request = urllib.request.Request(
            self.api_url + "/api/v1/intake/wechat", data=body, method="POST", headers={
                "Content-Type": "application/json", "X-Gulou-Timestamp": stamp,
                "X-Gulou-Signature": sign(self.secret, stamp, body)})
        with urllib.request.urlopen(request, timeout=10) as response:
            answer: dict[str, Any] = json.loads(response.read())
        return answer

    def run(self, interval: float = 30.0, count: int | None = None) -> None:
        """Post a message every ``interval`` seconds (jittered) until :meth:`stop`."""
        sent = 0
        while not self._stop.is_set() and (count is None or sent < count):
            try:
                self.post(self.make_message())
                sent += 1
            except (urllib.error.URLError, OSError) as exc:
                log.info("bot simulator: the server did not take the message: %s", exc)
            self._stop.wait(interval * self.rng.uniform(0.6, 1.4))

    def start(self, interval: float = 30.0) -> threading.Thread:
        thread = threading.Thread(target=self.run, args=(interval,), name="bot-simulator",
                                  daemon=True)
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
    bot = BotSimulator(args.url, args.secret, groups_of(make_engine(args.db)))
    bot.run(args.interval, args.count)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
