"""Real ``gulou-server`` processes for the scale-out tests: each a child process on a free
loopback port, with its log in a file, stopped gracefully (SIGTERM) or killed (SIGKILL)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.conftest import WECHAT_SECRET

SECRET = "t" * 8 + "scale-out-tests-shared-secret-key-0123456789"
"""One signing secret for every process of a test: a token or cursor from one works on
the others, as behind a load balancer."""


def free_port() -> int:
    """A port nobody listens on now (the OS's choice, then released for the child)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServerProcess:
    def __init__(self, db_url: str, log_dir: Path, *args: str, name: str = "server",
                 port: int | None = None) -> None:
        self.db_url = db_url
        self.port = port or free_port()
        self.log_path = log_dir / f"{name}-{self.port}.log"
        self.args = args
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> ServerProcess:
        env = {**os.environ, "GULOU_SECRET_KEY": SECRET, "GULOU_WECHAT_SECRET": WECHAT_SECRET,
               "PYTHONUNBUFFERED": "1"}
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "server.cli", "serve", "--db", self.db_url,
                 "--host", "127.0.0.1", "--port", str(self.port), *self.args],
                stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        self.wait_healthy(timeout)
        return self

    def wait_healthy(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited ({self.process.returncode}):\n"
                                   + self.log())
            try:
                if requests.get(self.url + "/api/v1/health", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError("the server did not become healthy:\n" + self.log())

    def stop(self, timeout: float = 30.0) -> int | None:
        """SIGTERM (a graceful stop: in-flight requests finish), then wait."""
        return self._signal(signal.SIGTERM, timeout)

    def kill(self) -> int | None:
        return self._signal(signal.SIGKILL, 10.0)

    def _signal(self, sig: signal.Signals, timeout: float) -> int | None:
        if self.process is None or self.process.poll() is not None:
            return None if self.process is None else self.process.returncode
        with contextlib.suppress(ProcessLookupError):  # the group: uvicorn's workers too
            os.killpg(self.process.pid, sig)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            return self.process.wait(10)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


ROOT = Path(__file__).resolve().parents[1]


class LoadBalancer:
    """HAProxy with ``deploy/haproxy.cfg`` in front of two server addresses."""

    def __init__(self, backends: list[str], log_dir: Path) -> None:
        assert len(backends) == 2
        self.port = free_port()
        self.stats = log_dir / f"haproxy-{self.port}.sock"
        self.env = {**os.environ, "GULOU_LB_BIND": f"127.0.0.1:{self.port}",
                    "GULOU_DEPLOY_DIR": str(ROOT / "deploy"), "GULOU_LB_STATS": str(self.stats)}
        self.backends = backends
        for k, address in enumerate(backends, start=1):
            self.env[f"GULOU_APP{k}"] = address
        self.log_path = log_dir / f"haproxy-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 20.0) -> LoadBalancer:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                ["haproxy", "-db", "-f", str(ROOT / "deploy" / "haproxy.cfg")],
                stdout=log, stderr=subprocess.STDOUT, env=self.env, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("haproxy exited:\n" + self.log_path.read_text())
            try:
                if requests.get(self.url + "/api/v1/health", timeout=2).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError("haproxy did not pass requests on:\n" + self.log_path.read_text())

    def command(self, text: str) -> str:
        """A command on HAProxy's admin socket (``show servers state`` …)."""
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(5)
            s.connect(str(self.stats))
            s.sendall(text.encode() + b"\n")
            chunks = []
            while chunk := s.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def server_states(self) -> dict[str, str]:
        """Backend address → ``UP`` / ``DOWN`` / ``DRAIN`` / ``MAINT``, as HAProxy sees it."""
        states = {}
        for line in self.command("show stat").splitlines():
            fields = line.split(",")
            if len(fields) > 17 and fields[0] == "gulou_servers" and fields[1].startswith("app"):
                k = int(fields[1][3:]) - 1
                if k < len(self.backends):
                    states[self.backends[k]] = fields[17]
        return states

    def wait_state(self, backend: str, state: str, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while self.server_states().get(backend) != state:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{backend} is not {state}: {self.server_states()}")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
