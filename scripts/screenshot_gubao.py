"""Screenshots of the 鼓宝 section and the urgent banner, taken from the running demo.

    xvfb-run -a -s "-screen 0 1700x1100x24" .venv/bin/python scripts/screenshot_gubao.py \\
        --lang zh_CN --tab knowledge --out /work/brief/shots/gubao/knowledge-zh.png

Runs the app as ``main.py --demo --role clerk`` does, with the user's folders under
``--data``. After the first sync it shows the 鼓宝 section on ``--tab`` (``knowledge``:
the knowledge base with the questions 鼓宝 could not answer and the test box asked
``--ask``; ``announcements``; ``rules``: a rule's dry run) or, for ``urgent``, has the
demo's bot report a fire in one of the clerk's groups, syncs, and waits for the banner.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import keyring
import sqlalchemy as sa
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
from server.schema import RECORD_TABLES
from server.tools.bot_simulator import DEMO_URGENT
from sync.credentials import CredentialStore
from sync.events import SyncReport
from tests.keyrings import MemoryKeyring
from ui.app import AppController, default_backend_factory
from ui.backend import SyncBackend
from ui.gubao.urgent import UrgentBanner
from ui.gubao.view import GubaoView

TABS = {"knowledge": 0, "announcements": 1, "rules": 2, "services": 3}


def main(argv: list[str] | None = None) -> int:
    parser = shot_parser(__doc__ or "", role="clerk")
    parser.add_argument("--tab", default="knowledge", choices=(*TABS, "urgent"))
    parser.add_argument("--ask", default="老人满80岁有高龄补贴吗")
    add_output_options(parser, size="1600x1000", data="gulou-gubao-shots",
                       data_help="the user's folders for this run", delay=1500)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    data = Path(args.data).resolve()
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        os.environ[name] = str(data / name.lower())
    shutil.rmtree(data / "xdg_data_home" / "gulou-desk" / "stores", ignore_errors=True)
    (data / "settings.ini").unlink(missing_ok=True)
    keyring.set_keyring(MemoryKeyring())  # the session's only (the store key too)
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
        if window is None or not isinstance(backend, SyncBackend) or state["synced"] > 2:
            return
        server = demo._DEMO_SERVERS[-1] if demo._DEMO_SERVERS else None
        bot = getattr(server, "bot", None)
        if bot is not None:
            bot.stop()
        window.resize(width, height)
        if args.tab == "urgent":
            if state["synced"] == 1:
                bot.ask(DEMO_URGENT, own_group(server.engine, backend.session.user_id))
                backend.sync_now()
            else:
                QTimer.singleShot(args.delay, shoot)
            return
        window.show_section("gubao")
        view = window.page("gubao").findChild(GubaoView)
        view.tabs.setCurrentIndex(TABS[args.tab])
        if args.tab == "knowledge":
            view.knowledge.test_input.setText(args.ask)
            QTimer.singleShot(600, view.test_bot)
        if args.tab == "rules":
            QTimer.singleShot(600, lambda: (view.rules.table.selectRow(
                view.rules.table.rowCount() - 1), view.run_dry_run()))
        if args.tab == "announcements":
            QTimer.singleShot(600, lambda: view.announcements.table.selectRow(0))
        QTimer.singleShot(args.delay, shoot)

    def shoot() -> None:
        try:
            window = controller.window
            assert window is not None
            for popup in window.findChildren(QFrame, "toast"):
                popup.hide()
            if args.tab != "urgent":
                for banner in window.findChildren(UrgentBanner):
                    banner.hide()
            save_window(window, out, args.colors)
        finally:
            controller.shutdown()
            QTimer.singleShot(500, app.quit)

    controller.bridge.sync_finished.connect(first_sync)
    QTimer.singleShot(180_000, app.quit)
    shot.run(lambda: controller.start(demo=True, role=args.role))
    return 0


def own_group(engine: sa.Engine, staff_id: str) -> str:
    """A WeChat group of the clerk's community."""
    staff, grids = RECORD_TABLES["staff"], RECORD_TABLES["grid"]
    with engine.connect() as conn:
        community = conn.execute(sa.select(staff.c.community_id).where(
            staff.c.id == staff_id)).scalar()
        return str(conn.execute(sa.select(grids.c.wechat_group_id).where(
            grids.c.community_id == community, grids.c.wechat_group_id.is_not(None))
            .order_by(grids.c.id).limit(1)).scalar())


if __name__ == "__main__":
    raise SystemExit(main())
