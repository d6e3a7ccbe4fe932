"""A faulty middle box between the desk client and the real server, on 127.0.0.1.

It forwards every request to the server as it came, except those a test tells it to
answer itself: a ``POST /sync/push`` whose body holds a marker, answered with a server
error (a server bug on one edit) or a refusal of the whole request. It counts the pushes
and the largest request body it saw. It can also hold pulls back (:meth:`hold_pulls`):
a slow network in the middle of a first sync, for as long as the test looks. Our own
server is never changed for a test: this plays the part of what a test cannot otherwise
provoke on demand.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "content-length", "host",
               "content-encoding"}


@dataclass
class Fault:
    """Answer a push whose body contains ``marker`` with ``status`` and this error code
    (``marker=b""``: every push)."""

    marker: bytes
    status: int = 500
    code: str = "server_error"


@dataclass
class Seen:
    pushes: int = 0
    faulted: int = 0
    largest_body: int = 0
    bodies: list[int] = field(default_factory=list)


class FaultyProxy:
    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.faults: list[Fault] = []
        self.seen = Seen()
        self._pulls_passed = 0
        self.pull_paths: list[str] = []
        """The path and query of every pull request, in the order they came."""
        self._pulls_allowed: int | None = None
        self._lock = threading.Lock()
        self._pulls_moved = threading.Condition(self._lock)
        self._http = requests.Session()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True,
                                        name="faulty-proxy")

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FaultyProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.release()
        self._server.shutdown()
        self._server.server_close()
        self._http.close()

    def hold_pulls(self, after: int) -> None:
        """Let ``after`` more ``GET /sync/pull`` through, then hold the next ones until
        :meth:`release` or :meth:`let_through` (each at most a minute)."""
        with self._lock:
            self._pulls_allowed = self._pulls_passed + after
            self._pulls_moved.notify_all()

    def let_through(self, more: int) -> None:
        """Let ``more`` of the held pulls (and those after them) go, then hold again."""
        with self._lock:
            held = self._pulls_allowed if self._pulls_allowed is not None else \
                self._pulls_passed
            self._pulls_allowed = held + more
            self._pulls_moved.notify_all()

    def release(self) -> None:
        with self._lock:
            self._pulls_allowed = None
            self._pulls_moved.notify_all()

    def pulls(self) -> int:
        """How many pull requests have come so far (held ones too)."""
        with self._lock:
            return self._pulls_passed

    def held(self) -> bool:
        """Whether a pull is waiting now."""
        with self._lock:
            return self._pulls_allowed is not None and self._pulls_passed > self._pulls_allowed

    def _wait_for_pull(self, method: str, path: str) -> None:
        if method != "GET" or "/sync/pull" not in path:
            return
        with self._lock:
            self._pulls_passed += 1
            self.pull_paths.append(path)
            number = self._pulls_passed
            self._pulls_moved.wait_for(
                lambda: self._pulls_allowed is None or number <= self._pulls_allowed,
                timeout=60)

    def _fault_for(self, method: str, path: str, body: bytes) -> Fault | None:
        if method != "POST" or not path.endswith("/sync/push"):
            return None
        with self._lock:
            self.seen.pushes += 1
            self.seen.bodies.append(len(body))
            self.seen.largest_body = max(self.seen.largest_body, len(body))
            for fault in self.faults:
                if fault.marker in body:
                    self.seen.faulted += 1
                    return fault
        return None

    def _handler(self) -> Callable[..., BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def _relay(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                proxy._wait_for_pull(self.command, self.path)
                fault = proxy._fault_for(self.command, self.path, body)
                if fault is not None:
                    answer = json.dumps({"error": {"code": fault.code,
                                                   "message": "injected by the test proxy",
                                                   "details": {}}}).encode()
                    self._answer(fault.status, {"Content-Type": "application/json"}, answer)
                    return
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() not in HOP_HEADERS}
                response = proxy._http.request(self.command, proxy.upstream + self.path,
                                               headers=headers, data=body or None,
                                               timeout=30, allow_redirects=False)
                out = {k: v for k, v in response.headers.items()
                       if k.lower() not in HOP_HEADERS}
                self._answer(response.status_code, out, response.content)

            def _answer(self, status: int, headers: dict[str, str], body: bytes) -> None:
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = _relay

        return Handler
