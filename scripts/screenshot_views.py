"""Screenshots of the Households and Conflicts sections, taken from the running demo.

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python scripts/screenshot_views.py \\
        --role worker --lang zh_CN --section households --out docs/screenshots/main-window-zh.png

Runs the app as ``main.py --demo --role ROLE`` does (``AppController.start(demo=True)``:
the embedded demo server seeded once, the demo user signed in, the real backend syncing),
with the user's folders under ``--data`` so that nothing touches the real ones and the
seeded demo server is reused. After the first sync it shows the section; for Conflicts it
first makes one of each kind against the demo server: a phone changed here and on the
server (a conflict) and a household deleted here that the server changed meanwhile (a
refused edit). Then it saves the window (quantized to ``--colors``, to keep PNGs small).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

import keyring
from _shots import (  # puts the repo on sys.path
    ShotApp,
    add_output_options,
    save_window,
    shot_parser,
    window_size,
)
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFrame

from gulou_launcher import demo
from sync.credentials import CredentialStore
from sync.events import SyncReport
from tests.keyrings import MemoryKeyring
from ui.app import AppController, default_backend_factory
from ui.backend import SyncBackend
from ui.background import Lane, Op
from ui.conflicts_view import ConflictsView
from ui.households import HouseholdsView


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = shot_parser(__doc__, role="worker")
    parser.add_argument("--section", default="households", choices=("households", "conflicts"))
    parser.add_argument("--search", default="", help="households: type this in the search box")
    parser.add_argument("--row", type=int, default=0, help="households: the row to open")
    add_output_options(parser, size="1366x820", data="gulou-view-shots",
                       data_help="the user's folders for this run (the demo server is kept "
                                 "there)", delay=1500)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    data = Path(args.data).resolve()
    # The user's folders are read when used (platformdirs), so setting them here, before
    # the app starts, keeps the real ones untouched.
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        os.environ[name] = str(data / name.lower())
    # A fresh local copy and layout each time (the demo server, seeded once, is kept).
    shutil.rmtree(data / "xdg_data_home" / "gulou-desk" / "stores", ignore_errors=True)
    (data / "settings.ini").unlink(missing_ok=True)

    keyring.set_keyring(MemoryKeyring())  # the session's only (the token, the store key)
    shot = ShotApp(data / "settings.ini", args.lang)
    app = shot.app
    width, height = window_size(args)
    out = Path(args.out).resolve()
    credentials = CredentialStore()
    controller = AppController(shot.settings, credentials, quit_app=app.quit,
                               demo_login=demo.demo_login(credentials),
                               backend_factory=default_backend_factory)
    state = {"synced": 0}

    def first_sync(report: SyncReport) -> None:
        state["synced"] += 1
        window, backend = controller.window, controller.backend
        if window is None or not isinstance(backend, SyncBackend):
            return
        server = demo._DEMO_SERVERS[-1] if demo._DEMO_SERVERS else None
        bot = getattr(server, "bot", None)
        if bot is not None:
            bot.stop()  # a still picture: no new requests while it is taken
        window.resize(width, height)
        if args.section == "households" and state["synced"] == 1:
            show_households(window)
        elif args.section == "conflicts" and state["synced"] == 1:
            Op(None, lambda progress: make_decisions(backend, server), lane=Lane.WRITE,
               name="make_conflicts").success(lambda _: backend.sync_now()).run()
        elif args.section == "conflicts":
            window.show_section("conflicts")
            view = window.page("conflicts").findChild(ConflictsView)
            view.loaded.connect(lambda _d: QTimer.singleShot(args.delay, shoot))

    def show_households(window: object) -> None:
        window.show_section("households")  # type: ignore[attr-defined]
        view = window.page("households").findChild(HouseholdsView)  # type: ignore[attr-defined]
        if args.search:
            view.search_edit.setText(args.search)

        def choose(total: int) -> None:
            view.model.reloaded.disconnect(choose)
            QTimer.singleShot(300, lambda: view.table.selectRow(min(args.row, total - 1)))
            QTimer.singleShot(args.delay, shoot)

        view.model.reloaded.connect(choose)
        if not view.model.loading and view.model.rowCount():
            view.model.refresh()

    def shoot() -> None:
        try:
            window = controller.window
            assert window is not None
            for popup in window.findChildren(QFrame, "toast"):
                popup.hide()  # another view's notice would cover the search box
            save_window(window, out, args.colors)
        finally:
            controller.shutdown()
            QTimer.singleShot(500, app.quit)

    controller.bridge.sync_finished.connect(first_sync)
    QTimer.singleShot(180_000, app.quit)  # never hang
    shot.run(lambda: controller.start(demo=True, role=args.role))
    return 0


def make_decisions(backend: object, server: object) -> None:
    """One conflict and one refused edit: the same phone changed here and on the server,
    and a household deleted here that the server changed meanwhile."""
    import sqlalchemy as sa

    from gulou_desk.desk import actor_of
    from gulou_desk.store import search
    from gulou_desk.store.usecases import delete_record, update_record
    from server.database import writer
    from server.schema import RECORD_TABLES
    from server.store import RecordWriter, field_values

    store = backend.store  # type: ignore[attr-defined]
    session = backend.session  # type: ignore[attr-defined]
    with store.session() as s:
        first, second = search.search_households(s, "", limit=2)[:2]
        actor = actor_of(s, session.user_id, session.role)
    update_record(store, "household", first.id, {"phone": "13951870001"}, actor=actor)
    delete_record(store, "household", second.id, actor=actor)
    table = RECORD_TABLES["household"]
    with writer(server.engine).begin() as conn:  # type: ignore[attr-defined]
        w = RecordWriter(conn)
        for hid, change in ((first.id, {"phone": "13770040002"}),
                            (second.id, {"notes": "独居，子女在外地，每周电话联系"})):
            row = conn.execute(sa.select(table).where(table.c.id == hid)).mappings().one()
            values = {**field_values("household", row), **change}
            w.save("household", hid, values, changed=list(change))


if __name__ == "__main__":
    raise SystemExit(main())
