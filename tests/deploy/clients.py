"""Desk clients that keep syncing while servers or the database restart: each a thread
with the real HTTP client (``sync.client.ApiClient``: retries with backoff, idempotent
pushes), pushing new households and pulling, and noting every HTTP status it got."""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from typing import Any

import requests

from sync.client import ApiClient, SyncError
from sync.wire import Mutation
from tests.world import PASSWORD


class SyncingClient(threading.Thread):
    def __init__(self, base_url: str, username: str, grid_id: str) -> None:
        super().__init__(name=f"client-{username}", daemon=True)
        self.api = ApiClient(base_url, retries=4, backoff=0.3, read_timeout=30)
        self.statuses: Counter[int] = Counter()
        self.retry_after_missing = 0
        self.errors: list[str] = []
        """Calls that failed after the client's own retries (the cycle is tried again,
        as the app's scheduler does, with the same mutations)."""
        self.created: list[str] = []
        self.username, self.grid_id = username, grid_id
        self.stop_event = threading.Event()
        self.api.http.hooks["response"].append(self._note)
        self.cursor: str | None = None
        self.seen: set[str] = set()

    def _note(self, response: requests.Response, *_: Any, **__: Any) -> None:
        self.statuses[response.status_code] += 1
        if response.status_code == 503 and "Retry-After" not in response.headers:
            self.retry_after_missing += 1

    def run(self) -> None:
        self._until_done(lambda: self.api.login(self.username, PASSWORD, str(uuid.uuid4())))
        k = 0
        while not self.stop_event.is_set():
            k += 1
            batch = [self._household(f"{self.username}-{k}-{j}") for j in range(3)]
            self._until_done(lambda batch=batch: self._push(batch))  # type: ignore[misc]
            self.created += [m.id for m in batch]
            self._until_done(self.pull_to_head)
            time.sleep(0.05)

    def _push(self, batch: list[Mutation]) -> None:
        results = self.api.push(str(uuid.uuid5(uuid.NAMESPACE_URL, self.username)), batch)
        bad = [r for r in results if r.status not in ("applied", "duplicate")]
        assert not bad, bad

    def pull_to_head(self) -> None:
        while True:
            page = self.api.pull(self.cursor, limit=1000)
            self.cursor = page.cursor
            self.seen.update(c.id for c in page.changes if c.entity == "household")
            if not page.has_more:
                return

    def _until_done(self, call: Any, limit: float = 60.0) -> None:
        deadline = time.monotonic() + limit
        while True:
            try:
                call()
                return
            except SyncError as exc:
                self.errors.append(f"{type(exc).__name__}: {exc.message}")
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)

    def _household(self, room: str) -> Mutation:
        return Mutation(mutation_id=str(uuid.uuid4()), entity="household", id=str(uuid.uuid4()),
                        op="create", fields={
                            "grid_id": self.grid_id, "estate": "颐和新村", "building": "3",
                            "unit": "2", "room": room[-16:], "address": "南京市鼓楼区颐和新村",
                            "head_name": "张三", "phone": "13812345678", "tags": [],
                            "status": "active"})

    def finish(self, timeout: float = 90.0) -> None:
        self.stop_event.set()
        self.join(timeout)
        assert not self.is_alive(), f"{self.name} did not finish"
