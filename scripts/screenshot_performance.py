"""Screenshots of the Performance section with real demo data.

    xvfb-run -a -s "-screen 0 1400x900x24" python scripts/screenshot_performance.py \
        --role supervisor --lang zh_CN --view queue --out docs/screenshots/performance-queue-zh.png

Starts the demo's embedded server (seeded once, kept in ``--data``), signs in as the
role's demo user, syncs a fresh local store, shows the Performance section's view
(``queue``: the approval queue with its first record; ``record``: last month's records
with a decided one chosen; ``dashboard``; ``mine``: a social worker's own records), and
saves the window. Needs a CJK font for Chinese (``fonts-noto-cjk``).
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

from gulou_desk.domain import performance  # noqa: E402
from gulou_desk.records import now  # noqa: E402
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
    parser.add_argument("--role", default="supervisor", choices=("worker", "clerk", "supervisor"))
    parser.add_argument("--lang", default="zh_CN", choices=("zh_CN", "en"))
    parser.add_argument("--view", default="queue", choices=("queue", "record", "dashboard", "mine"))
    parser.add_argument("--out", default="screenshot.png")
    parser.add_argument("--size", default="1366x860")
    parser.add_argument("--data", default=str(Path(tempfile.gettempdir()) / "gulou-perf-shots"),
                        help="where the demo server keeps its database (reused)")
    parser.add_argument("--delay", type=int, default=6000, help="ms to wait before the shot")
    parser.add_argument("--colors", type=int, default=256,
                        help="quantize to this many colours (smaller files); 0: keep all")
    return parser.parse_args(argv)


def previous_period() -> str:
    year, month = performance.parse_period(performance.period_of(now()))
    year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return f"{year:04d}-{month:02d}"


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
        from ui.performance import PerformanceView
        from ui.tickets.context import DeskContext

        session, report = result
        bridge = SyncBridge()
        ctx = DeskContext(kept["store"], session, bridge, settings,  # type: ignore[arg-type]
                          config_dir=folder / "config")
        window = MainWindow(settings, bridge, session)
        window.register_view("performance", lambda parent: PerformanceView(ctx, parent))
        window.resize(width, height)
        window.show()
        window.show_section("performance")
        bridge.listener.online_changed(True)
        bridge.listener.sync_started()
        bridge.listener.sync_finished(report)  # type: ignore[arg-type]
        window.status_bar.set_last_sync(bridge.last_synced_at)
        kept["window"] = window
        view = window.page("performance").findChild(PerformanceView)
        if args.view == "dashboard" and view.dashboard is not None:
            view.show_tab(view.dashboard)
        elif args.view == "record" and view.records is not None:
            records = view.records
            view.show_tab(records)
            records.set_period(previous_period())

            def choose() -> None:
                decided = [r for r in records.records if len(r.history) >= 2]
                if decided:
                    records.select(decided[0].id)

            QTimer.singleShot(args.delay // 2, choose)
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
