"""The demo: the central server embedded on 127.0.0.1 beside the desk client, with its
own SQLite file seeded with demo data once, and the demo users' sign-in.

``python main.py --demo`` (``./dev demo``) runs :func:`start_demo_server` first, in a
worker thread, through :func:`demo_login`. It lives here, above ``ui`` and ``server``,
because it is the one thing that needs both.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from sync.client import ApiClient
from sync.credentials import CredentialStore
from ui.app import DemoLogin
from ui.paths import user_data_dir

log = logging.getLogger(__name__)

DEMO_PORT = 8765
DEMO_USERS = {"social_worker": "worker1", "clerk": "clerk1", "supervisor": "supervisor1",
              "admin": "admin"}

DEMO_MESSAGE_INTERVAL = 30.0
"""Seconds between simulated WeChat group requests in the demo (jittered ±40 %)."""


def start_demo_server(data_dir: Path | None = None) -> Any:
    """The demo's central server on 127.0.0.1, seeded once; blocking (a worker thread).
    The server's modules are imported here, not at start: a desk that is not a demo never
    loads them."""
    from server.embedded import EmbeddedServer
    from server.seed import is_seeded, seed
    from server.settings import Settings as ServerSettings
    from server.tools.bot_simulator import BotSimulator, groups_of, open_items

    folder = (data_dir or user_data_dir()) / "demo-server"
    folder.mkdir(parents=True, exist_ok=True)
    server = EmbeddedServer(ServerSettings.from_env(
        db_url=f"sqlite:///{folder / 'server.sqlite'}", demo=True,
        secret_key=_demo_secret(folder)))
    fresh = not is_seeded(server.engine)
    if fresh:
        log.info("seeding the demo server (first run)")
        seed(server.engine, "demo")
    try:
        server.start(DEMO_PORT)  # a fixed port keeps the demo's local copy across runs
    except RuntimeError:
        log.info("port %d is taken: the demo server takes any free port", DEMO_PORT)
        server.start(0)
    log.info("demo server on %s", server.url)
    # The 鼓宝 bot's stand-in: new group requests keep arriving, so the inbox is alive,
    # and residents answer the open questionnaires, consultations and activities. On the
    # first run it opens with questions 鼓宝 answers and one urgent message.
    server.bot = BotSimulator(server.url, server.settings.wechat_secret,
                              groups_of(server.engine),
                              items=lambda: open_items(server.engine))
    server.bot.start(interval=DEMO_MESSAGE_INTERVAL, opening=fresh)
    return server


def _demo_secret(folder: Path) -> str:
    """The demo server's signing key, made once and kept beside its database, so that the
    demo's cursors and tokens stay valid from one run to the next."""
    path = folder / "secret.key"
    if not path.exists():
        import secrets

        path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


class _DemoPair:
    """The demo user's tokens, and where the demo server listens."""

    def __init__(self, pair: object, server_url: str) -> None:
        self.access_token = getattr(pair, "access_token", "")
        self.refresh_token = getattr(pair, "refresh_token", "")
        self.user = getattr(pair, "user", None)
        self.server_url = server_url


def demo_login(credentials: CredentialStore) -> DemoLogin:
    """``--demo``'s sign-in: start the demo server (once) and sign the role's demo user in
    on it; blocking (the app runs it on a worker thread)."""

    def login(role: str) -> object:
        from server.demo_data import DEMO_PASSWORD

        server = start_demo_server()
        _DEMO_SERVERS.append(server)
        pair = ApiClient(server.url).login(
            DEMO_USERS[role], DEMO_PASSWORD, credentials.device_id(), credentials.device_name()
        )
        # The idle lock checks the password offline against this (ui/idle_lock.py).
        credentials.save_unlock_verifier(server.url, DEMO_USERS[role], DEMO_PASSWORD)
        return _DemoPair(pair, server.url)

    return login


_DEMO_SERVERS: list[object] = []
"""Kept alive for the whole run (the server runs in a daemon thread)."""
