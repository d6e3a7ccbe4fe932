"""The bot's side of signed requests in tests: real HTTP, signed as the 鼓宝 bot signs
(:mod:`server.bot_signature`), with a nonce in the query of every request that carries no
unique body, so that requests repeated within a second are not replays."""

from __future__ import annotations

import time
import urllib.parse

import requests

from server.bot_signature import signed_headers, with_nonce
from tests.conftest import WECHAT_SECRET


def bot_request(api: str, method: str, path: str, body: bytes = b"", *,
                secret: str = WECHAT_SECRET, age: int = 0, nonce: bool | None = None,
                content_type: str = "application/json") -> requests.Response:
    """``method`` ``api + path`` signed with ``secret``, stamped ``age`` seconds ago.
    ``nonce`` (default: when the body is empty) adds a random query parameter."""
    target = urllib.parse.urlsplit(api).path + path
    if nonce if nonce is not None else not body:
        target = with_nonce(target)
    headers = signed_headers(secret, method, target, body, int(time.time()) - age)
    url = urllib.parse.urlunsplit(urllib.parse.urlsplit(api)._replace(path="", query="")) + target
    return requests.request(method, url, data=body or None, timeout=30,
                            headers={"Content-Type": content_type, **headers})
