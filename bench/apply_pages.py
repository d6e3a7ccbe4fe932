"""Benchmark: the client's side of a first sync and of a re-pull, without the network.

    .venv/bin/python bench/apply_pages.py --db sqlite:////path/street.sqlite \
        [--user supervisor1] [--rounds 3] [--store encrypted|plain] [--no-index] \
        [--pages /tmp/pages.pickle] [--profile out.txt]

Pulls every page of ``--user``'s scope once from the server (``gulou-server serve`` in its
own process, as ``bench/initial_sync.py`` runs it), keeps its answers, stops the
server, then replays them ``--rounds`` times into a fresh local store through the real
:class:`~sync.engine.SyncEngine` (a client that hands back the kept answers), and
each round also a full re-pull (the cursor refused, every page again into the filled
store). What is timed is the client's own work alone — applying, committing, the bulk
load's end — so the figures compare code against code, not the server's or the loopback's
load. Each phase prints wall and CPU time; ``--no-index`` leaves the search index out
(``Store.search_index`` off, the bulk load's end only makes the indexes again), to time the
apply alone.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pickle
import pstats
import secrets
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from initial_sync import ServerProcess  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from gulou_desk.store import search_index  # noqa: E402
from gulou_desk.store.engine import open_store  # noqa: E402
from sync.client import ApiClient, CursorRejected, parse_pull_answer  # noqa: E402
from sync.engine import DEFAULT_PAGE_SIZE, SyncEngine  # noqa: E402

PAGE = DEFAULT_PAGE_SIZE  # as the app asks


def fetch_pages(db: str, user: str, folder: Path) -> list[bytes]:
    """Every page of ``user``'s first pull, each as the server answered it, its cursor
    made the page's number (``replay:n``: what :class:`ReplayClient` is given back)."""
    server = ServerProcess(db, folder / "server.log")
    server.start()
    try:
        client = ApiClient(server.url)
        client.login(user, "demo1234", str(uuid.uuid4()), "bench")
        pages: list[bytes] = []
        cursor: str | None = None
        while True:
            answer = client.pull_answer(cursor, PAGE)
            page = parse_pull_answer(answer)
            pages.append(_replayed(answer, page.cursor, len(pages)))
            cursor = page.cursor
            if not page.has_more:
                return pages
    finally:
        server.stop()


def _replayed(answer: bytes, cursor: str, n: int) -> bytes:
    """``answer`` with its cursor ``replay:n`` (the server writes it first, as it is)."""
    head = b'{"cursor":"' + cursor.encode("ascii") + b'"'
    if not answer.startswith(head):
        raise SystemExit("a pull's answer does not begin with its cursor")
    return b'{"cursor":"replay:%d"' % n + answer[len(head):]


class ReplayClient(ApiClient):
    """Hands back the kept answers (the cursor is the page's number), which the engine
    parses as it parses the server's; a cursor of another run is refused as the server
    refuses it, which starts a re-pull."""

    def __init__(self, pages: list[bytes]) -> None:
        super().__init__("http://127.0.0.1:9")
        self.pages = pages
        self.refuse: str | None = None

    def pull_answer(self, cursor: str | None, limit: int = 2000, *,
                    client_id: str | None = None) -> bytes:
        if cursor is not None and cursor == self.refuse:
            raise CursorRejected("refused", "validation", status=422,
                                 details={"field": "cursor"})
        return self.pages[0 if cursor is None else int(cursor.split(":")[1]) + 1]


def _no_rebuild(session: Session, helper: search_index.EntryHelper | None = None,
                ahead: search_index.NamesAhead | None = None) -> int:
    return 0


def phase(name: str, records: int, run: Any, profile: Path | None) -> None:
    prof = cProfile.Profile() if profile is not None else None
    start, cpu = time.perf_counter(), time.process_time()
    if prof is not None:
        prof.enable()
    run()
    if prof is not None:
        prof.disable()
    wall, used = time.perf_counter() - start, time.process_time() - cpu
    print(f"  {name:16s} {records:8,} records {wall:6.2f} s = {records / wall:8,.0f} rec/s"
          f" (CPU {used:.2f} s)", flush=True)
    if prof is not None and profile is not None:
        with profile.open("w") as out:
            pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(70)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--user", default="supervisor1")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--store", choices=("encrypted", "plain"), default="encrypted")
    parser.add_argument("--no-index", action="store_true")
    parser.add_argument("--pages", type=Path, help="keep the fetched answers in this file "
                        "and take them from it next time (pickle; the server is not run)")
    parser.add_argument("--profile", type=Path, help="cProfile of the first round's "
                        "initial sync into this file (the re-pull's beside it)")
    args = parser.parse_args()
    key = secrets.token_bytes(32) if args.store == "encrypted" else None
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.pages is not None and args.pages.exists():
            pages = pickle.loads(args.pages.read_bytes())
        else:
            pages = fetch_pages(args.db, args.user, folder)
            if args.pages is not None:
                args.pages.write_bytes(pickle.dumps(pages))
        records = sum(len(parse_pull_answer(p).changes) for p in pages)
        # Each page is kept as the server's answer and parsed when pulled: its objects
        # come and go as a sync's do, and the garbage collector sees what it sees in one.
        kept = pages
        gc.collect()
        print(f"{args.user}: {records:,} records in {len(kept)} pages; store {args.store}"
              f"{', no search index' if args.no_index else ''}; code {ROOT}", flush=True)
        for n in range(args.rounds):
            store = open_store(folder / f"r{n}" / "desk.sqlite", key=key)
            store.search_index = not args.no_index
            if args.no_index:
                search_index.rebuild = _no_rebuild  # the bulk load's end: indexes only
            client = ReplayClient(kept)
            engine = SyncEngine(store, client, client_id=str(uuid.uuid4()), page_size=PAGE)
            profile = args.profile if n == 0 else None
            phase("initial sync", records, engine.run_cycle, profile)
            client.refuse = f"replay:{len(kept) - 1}"
            phase("re-pull", records, engine.run_cycle,
                  profile.with_suffix(".repull.txt") if profile is not None else None)
            store.close()


if __name__ == "__main__":
    main()
