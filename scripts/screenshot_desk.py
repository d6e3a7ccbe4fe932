"""Screenshots of the inbox and tickets sections with real demo data.

    xvfb-run -a -s "-screen 0 1400x900x24" python scripts/screenshot_desk.py \
        --role clerk --lang zh_CN --section inbox --out docs/screenshots/inbox-zh.png

Starts the demo's embedded server (seeded once, kept in ``--data``), signs in as the
role's demo user, syncs a fresh local store, shows the section with its first item
chosen, and saves the window. Needs a CJK font for Chinese (``fonts-noto-cjk``).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import qasync  # noqa: E402
from PySide6.QtCore import QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from gulou_desk.store import open_store  # noqa: E402
from sync.client import ApiClient  # noqa: E402
from sync.engine import SyncEngine  # noqa: E402
from ui.app import apply_style  # noqa: E402
from ui.background import Lane, Op, Progress  # noqa: E402
from ui.i18n import install_translators  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.session import Session  # noqa: E402
from ui.settings import LANGUAGE, Settings  # noqa: E402
from ui.sync_bridge import SyncBridge  # noqa: E402


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--role", default="clerk", choices=("worker", "clerk", "supervisor"))
    parser.add_argument("--lang", default="zh_CN", choices=("zh_CN", "en"))
    parser.add_argument("--section", default="inbox", choices=("inbox", "tickets"))
    parser.add_argument("--queue", help="tickets: the queue to show (e.g. all, overdue)")
    parser.add_argument("--out", default="screenshot.png")
    parser.add_argument("--size", default="1366x820")
    parser.add_argument("--data", default=str(Path(tempfile.gettempdir()) / "gulou-shots"),
                        help="where the demo server keeps its database (reused)")
    parser.add_argument("--delay", type=int, default=2500, help="ms to wait before the shot")
    parser.add_argument("--colors", type=int, default=256,
                        help="quantize to this many colours (smaller files); 0: keep all")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    app = QApplication([sys.argv[0]])
    tmp = tempfile.TemporaryDirectory()
    folder = Path(tmp.name)
    settings = Settings(QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat))
    settings.set(LANGUAGE, args.lang)
    translators = install_translators(app, args.lang)
    apply_style(app)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    width, height = (int(v) for v in args.size.split("x"))
    out = Path(args.out).resolve()
    role = {"worker": "social_worker"}.get(args.role, args.role)
    kept: dict[str, object] = {}

    def prepare(progress: Progress) -> tuple[Session, object]:
        from server.demo_data import DEMO_PASSWORD
        from ui.backend import DEMO_USERS, start_demo_server

        server = start_demo_server(Path(args.data))
        server.bot.stop()  # a still picture: no new messages while it is taken
        kept["server"] = server
        client = ApiClient(server.url)
        pair = client.login(DEMO_USERS[role], DEMO_PASSWORD, str(uuid.uuid4()), "screenshot")
        store = open_store(folder / "desk.sqlite")
        engine = SyncEngine(store, client, client_id=str(uuid.uuid4()))
        report = engine.run_cycle()
        user = pair.user
        session = Session(server.url, user.username, user.id, user.role, user.display_name)
        kept["store"] = store
        return session, report

    def ready(result: tuple[Session, object]) -> None:
        from ui.inbox.view import InboxView
        from ui.tickets.context import DeskContext
        from ui.tickets.notifier import DeskNotifier
        from ui.tickets.view import TicketsView

        session, report = result
        bridge = SyncBridge()
        ctx = DeskContext(kept["store"], session, bridge, settings,  # type: ignore[arg-type]
                          config_dir=folder / "config")
        window = MainWindow(settings, bridge, session)
        window.register_view("inbox", lambda parent: InboxView(ctx, parent))
        window.register_view("tickets", lambda parent: TicketsView(ctx, parent))
        kept["notifier"] = DeskNotifier(ctx, window=lambda: window)
        window.resize(width, height)
        window.show()
        window.show_section(args.section)
        bridge.listener.online_changed(True)
        bridge.listener.sync_started()
        bridge.listener.sync_finished(report)  # type: ignore[arg-type]
        window.status_bar.set_last_sync(bridge.last_synced_at)
        kept["window"] = window
        if args.section == "inbox":
            inbox = window.page("inbox").findChild(InboxView)
            QTimer.singleShot(args.delay // 2, lambda: inbox.step_by(1))
        if args.section == "tickets" and args.queue:
            from gulou_desk.store.ticket_queries import Queue

            view = window.page("tickets").findChild(TicketsView)
            QTimer.singleShot(300, lambda: view.show_queue(Queue(args.queue)))
        QTimer.singleShot(args.delay, shoot)

    def shoot() -> None:
        window = kept["window"]
        window.grab().save(str(out))  # type: ignore[attr-defined]
        if args.colors:
            from PIL import Image

            with Image.open(out) as image:
                small = image.convert("RGB").quantize(args.colors, dither=Image.Dither.NONE)
            small.save(out, optimize=True)
        sys.stdout.write(f"saved {out}\n")
        app.quit()

    def failed(error: object) -> None:
        sys.stderr.write(f"failed: {getattr(error, 'message', error)}\n")
        app.quit()

    def start() -> None:
        Op(None, prepare, lane=Lane.NETWORK, name="demo").success(ready).failure(failed).run()

    loop.call_soon(start)
    with loop:
        loop.run_forever()
    server = kept.get("server")
    if server is not None:
        server.stop()  # type: ignore[attr-defined]
    del translators
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
