"""Grab a screenshot of the desk client's window (or its sign-in dialog) to look at it.

    python scripts/screenshot.py --role clerk --lang en --out shot.png
    python scripts/screenshot.py --state offline --pending 3 --conflicts 2 --out off.png
    python scripts/screenshot.py --login --login-error wrong_password --out login.png
    xvfb-run -a -s "-screen 0 1400x900x24" python scripts/screenshot.py ...

Works on any Qt platform (xvfb, offscreen, a real desktop). Uses throwaway settings, a
demo session and no server: the sync state is played through the bridge's listener, the
way the engine will report it. Needs a CJK font for Chinese (``fonts-noto-cjk``).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import qasync  # noqa: E402
from PySide6.QtCore import QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from gulou_desk.records import now  # noqa: E402
from sync.events import FailureReason, SyncProgress, SyncReport  # noqa: E402
from ui.app import apply_style, demo_session  # noqa: E402
from ui.i18n import install_translators  # noqa: E402
from ui.login_dialog import LoginDialog  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.settings import LANGUAGE, Settings  # noqa: E402
from ui.sync_bridge import SyncBridge  # noqa: E402


class _WrongPassword(Exception):
    code = "invalid_credentials"


def _failing_login(kind: str):  # type: ignore[no-untyped-def]
    def login(url: str, user: str, password: str) -> object:
        if kind == "unreachable":
            raise ConnectionError("connection refused")
        raise _WrongPassword("401")

    return login


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--role", default="worker",
                        choices=("worker", "clerk", "supervisor", "admin"))
    parser.add_argument("--lang", default="zh_CN", choices=("zh_CN", "en"))
    parser.add_argument("--out", default="screenshot.png")
    parser.add_argument("--section", help="section to show (default: the role's first)")
    parser.add_argument("--state", default="online",
                        choices=("online", "offline", "syncing", "problem", "unknown"))
    parser.add_argument("--pending", type=int, default=0, help="edits waiting to be sent")
    parser.add_argument("--conflicts", type=int, default=0)
    parser.add_argument("--inbox", type=int, default=0)
    parser.add_argument("--minutes-ago", type=int, default=3, help="last sync, minutes ago")
    parser.add_argument("--size", default="1280x800")
    parser.add_argument("--login", action="store_true", help="shoot the sign-in dialog")
    parser.add_argument("--login-error", choices=("wrong_password", "unreachable"))
    return parser.parse_args(argv)


def play_state(bridge: SyncBridge, args: argparse.Namespace) -> None:
    listener = bridge.listener
    if args.state == "unknown":
        return
    bridge.last_synced_at = now() - dt.timedelta(minutes=args.minutes_ago)
    if args.state == "offline":
        listener.online_changed(False)
        listener.sync_failed(FailureReason.OFFLINE, "connection refused")
        return
    listener.online_changed(True)
    if args.state == "problem":
        listener.sync_failed(FailureReason.SERVER_ERROR, "HTTP 503")
        return
    listener.sync_started()
    if args.state == "syncing":
        listener.sync_progressed(SyncProgress("pull", 1200, 5000))
        return
    listener.sync_finished(SyncReport(pushed=2, pulled=40))
    bridge.last_synced_at = now() - dt.timedelta(minutes=args.minutes_ago)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    app = QApplication([sys.argv[0]])
    tmp = tempfile.TemporaryDirectory()
    settings = Settings(QSettings(str(Path(tmp.name) / "s.ini"), QSettings.Format.IniFormat))
    settings.set(LANGUAGE, args.lang)
    translators = install_translators(app, args.lang)
    apply_style(app)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    width, height = (int(v) for v in args.size.split("x"))
    out = Path(args.out).resolve()
    target: QWidget

    if args.login:
        dialog = LoginDialog(
            _failing_login(args.login_error or "wrong_password"),
            server_url="https://e.gulou.example.cn", username="zhangsan",
        )
        dialog.show()
        target = dialog
        if args.login_error:
            dialog.password_edit.setText("secret")
            QTimer.singleShot(100, dialog.submit)
    else:
        bridge = SyncBridge()
        session = demo_session(args.role)
        window = MainWindow(settings, bridge, session, log_file=str(ROOT / "gulou-desk.log"))
        window.resize(width, height)
        if args.section:
            window.show_section(args.section)
        window.set_badge("conflicts", args.conflicts)
        window.set_badge("inbox", args.inbox)
        window.status_bar.set_pending_count(args.pending)
        window.show()
        play_state(bridge, args)
        window.status_bar.set_last_sync(bridge.last_synced_at)
        target = window

    def shoot() -> None:
        target.grab().save(str(out))
        sys.stdout.write(f"saved {out}\n")
        app.quit()

    QTimer.singleShot(1200, shoot)
    with loop:
        loop.run_forever()
    del translators
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
