"""The central server in a background thread on 127.0.0.1 (demo mode and tests)."""

from __future__ import annotations

import threading
import time
from typing import Any

import sqlalchemy as sa
import uvicorn

from server.app import create_app
from server.database import make_engine, migrate
from server.settings import Settings


class EmbeddedServer:
    """Serves the real app with uvicorn on a loopback port, in a daemon thread."""

    def __init__(self, settings: Settings, engine: sa.Engine | None = None) -> None:
        self.settings = settings
        self.engine = engine or make_engine(settings.db_url)
        migrate(self.engine)
        self.app = create_app(settings, self.engine)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.port = 0
        self.bot: Any = None
        """In the demo, the bot simulator that feeds the WeChat intake (stopped with us)."""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api(self) -> str:
        return self.url + "/api/v1"

    def start(self, port: int = 0, timeout: float = 15.0) -> None:
        config = uvicorn.Config(self.app, host="127.0.0.1", port=port, log_level="warning",
                                lifespan="off", access_log=False)
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, name="gulou-server", daemon=True)
        thread.start()
        deadline = time.monotonic() + timeout
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                server.should_exit = True
                raise RuntimeError(f"the embedded server did not start on port {port}")
            time.sleep(0.01)
        self._server, self._thread = server, thread
        self.port = server.servers[0].sockets[0].getsockname()[1]

    def stop(self) -> None:
        if self.bot is not None:
            self.bot.stop()
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)
        self._server = self._thread = None

    def restart(self) -> None:
        """Start again on the same port, like a server coming back after an outage."""
        self.start(self.port)
