"""What the screenshot scripts (``screenshot_desk.py``, ``screenshot_performance.py``,
``screenshot_views.py``, ``screenshot_gubao.py``) share, so that each says only what it
shows:

* their common options (:func:`shot_parser`, :func:`add_output_options`);
* the app as the desk runs it (:class:`ShotApp`: settings in the chosen language, the
  translators, the style, a qasync loop for the background work);
* a window signed in to the embedded demo server with a freshly synced local store
  (:func:`shoot_demo`);
* the whole app running the demo, shot after its syncs (:class:`DemoApp`);
* the window saved as a small PNG (:func:`save_window`).

The scripts import it as ``_shots`` (their own folder is on ``sys.path`` when they run);
importing it puts the repository on ``sys.path`` too, for ``ui`` and the rest.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import qasync  # noqa: E402
from PySide6.QtCore import QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from gulou_desk.store import Store, open_store  # noqa: E402
from sync.client import ApiClient  # noqa: E402
from sync.engine import SyncEngine  # noqa: E402
from sync.events import SyncReport  # noqa: E402
from ui.app import apply_style  # noqa: E402
from ui.background import Lane, Op, OpError, Progress  # noqa: E402
from ui.i18n import install_translators  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.session import Session  # noqa: E402
from ui.settings import LANGUAGE, Settings  # noqa: E402
from ui.shell.context import DeskContext  # noqa: E402
from ui.sync_bridge import SyncBridge  # noqa: E402

ROLES = ("worker", "clerk", "supervisor", "admin")
LANGUAGES = ("zh_CN", "en")

ViewClass = Callable[[DeskContext, QWidget], QWidget]
"""A section's view, made from the desk context and its parent (``InboxView`` …)."""


def shot_parser(doc: str, role: str) -> argparse.ArgumentParser:
    """The command line's first options (``--role``, ``--lang``); the script adds its own,
    then :func:`add_output_options`. ``doc``: the script's docstring (its first line is the
    description)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--role", default=role, choices=ROLES)
    parser.add_argument("--lang", default="zh_CN", choices=LANGUAGES)
    return parser


def add_output_options(parser: argparse.ArgumentParser, *, size: str, data: str,
                       data_help: str, delay: int) -> None:
    """``--out``, ``--size``, ``--data`` (by default ``data`` in the temporary folder),
    ``--delay`` and ``--colors``."""
    parser.add_argument("--out", default="screenshot.png")
    parser.add_argument("--size", default=size)
    parser.add_argument("--data", default=str(Path(tempfile.gettempdir()) / data),
                        help=data_help)
    parser.add_argument("--delay", type=int, default=delay, help="ms to wait before the shot")
    parser.add_argument("--colors", type=int, default=256,
                        help="quantize to this many colours (smaller files); 0: keep all")


def window_size(args: argparse.Namespace) -> tuple[int, int]:
    """``--size`` (``WIDTHxHEIGHT``) as numbers."""
    width, height = (int(v) for v in args.size.split("x"))
    return width, height


def demo_role(role: str) -> str:
    """The command line's role as the demo users know it (``worker``: ``social_worker``)."""
    return {"worker": "social_worker"}.get(role, role)


class ShotApp:
    """The Qt application of a screenshot, set up as the desk's own (``ui.app.main``):
    ``settings_file`` holds the settings (the language chosen), the translators are
    installed, the style applied, and a qasync loop runs the background work. As in the
    app, closing the last window does not quit: while a local store opens no window is
    shown (the demo's progress dialog has closed, the main window is not there yet); the
    script quits once the shot is saved."""

    def __init__(self, settings_file: Path, lang: str) -> None:
        self.app = QApplication([sys.argv[0]])
        self.app.setQuitOnLastWindowClosed(False)
        self.settings = Settings(QSettings(str(settings_file), QSettings.Format.IniFormat))
        self.settings.set(LANGUAGE, lang)
        self._translators = install_translators(self.app, lang)  # kept while the app runs
        apply_style(self.app)
        self.loop = qasync.QEventLoop(self.app)
        asyncio.set_event_loop(self.loop)

    def run(self, start: Callable[[], object]) -> None:
        """Call ``start`` once the loop runs; return when the app quits."""
        self.loop.call_soon(start)
        with self.loop:
            self.loop.run_forever()


def save_window(window: QWidget, out: Path, colors: int) -> None:
    """Save what ``window`` shows as the PNG ``out`` (with the dialogs open over it,
    centred on it as a desktop shows them), quantized to ``colors`` colours (0: all of
    them) to keep the file small."""
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QDialog

    out.parent.mkdir(parents=True, exist_ok=True)
    picture = window.grab()
    dialogs = [w for w in QApplication.topLevelWidgets()
               if isinstance(w, QDialog) and w.isVisible() and w.parentWidget() is not None
               and w.parentWidget().window() is window]
    if dialogs:
        painter = QPainter(picture)
        for dialog in dialogs:
            over = dialog.grab()
            painter.drawPixmap((picture.width() - over.width()) // 2,
                               (picture.height() - over.height()) // 2, over)
        painter.end()
    if not picture.save(str(out)):
        raise OSError(f"could not write {out}")
    if colors:
        from PIL import Image

        with Image.open(out) as image:
            small = image.convert("RGB").quantize(colors, dither=Image.Dither.NONE)
        small.save(out, optimize=True)
    sys.stdout.write(f"saved {out} ({out.stat().st_size // 1024} KB)\n")


def shoot_demo(args: argparse.Namespace, section: str, views: Mapping[str, ViewClass], *,
               attach: Callable[[DeskContext, MainWindow], object] | None = None,
               shown: Callable[[MainWindow], object] | None = None) -> int:
    """Shoot ``section`` of a window signed in to the demo, as ``args`` says.

    Starts the embedded demo server in ``--data`` (seeded the first time, then reused;
    its bot stopped: a still picture gets no new messages while it is taken), signs in as
    the role's demo user, syncs a fresh local store in a throwaway folder, opens the
    window with ``views`` (section name: view) and shows ``section``, the first sync told
    to the status bar. ``attach(ctx, window)`` runs before the window shows (what it
    returns is kept, e.g. a notifier that hears that sync); ``shown(window)`` after,
    to choose what the picture shows. ``--delay`` ms later the window is saved to
    ``--out``. Returns the exit status (1: the demo could not be signed in to).
    """
    tmp = tempfile.TemporaryDirectory()
    folder = Path(tmp.name)
    shot = ShotApp(folder / "s.ini", args.lang)
    width, height = window_size(args)
    out = Path(args.out).resolve()
    role = demo_role(args.role)
    kept: dict[str, object] = {}
    status = {"code": 0}

    def prepare(progress: Progress) -> tuple[Session, Store, SyncReport]:
        from gulou_launcher.demo import DEMO_USERS, start_demo_server
        from server.demo_data import DEMO_PASSWORD

        server = start_demo_server(Path(args.data))
        server.bot.stop()
        kept["server"] = server
        client = ApiClient(server.url)
        pair = client.login(DEMO_USERS[role], DEMO_PASSWORD, str(uuid.uuid4()), "screenshot")
        store = open_store(folder / "desk.sqlite")
        kept["store"] = store
        engine = SyncEngine(store, client, client_id=str(uuid.uuid4()))
        report = engine.run_cycle()
        user = pair.user
        session = Session(server.url, user.username, user.id, user.role, user.display_name)
        return session, store, report

    def ready(result: tuple[Session, Store, SyncReport]) -> None:
        session, store, report = result
        bridge = SyncBridge()
        ctx = DeskContext(store, session, bridge, shot.settings, config_dir=folder / "config")
        window = MainWindow(shot.settings, bridge, session)
        kept["window"] = window
        for name, view in views.items():
            window.register_view(name, lambda parent, view=view: view(ctx, parent))
        if attach is not None:
            kept["attached"] = attach(ctx, window)
        window.resize(width, height)
        window.show()
        window.show_section(section)
        bridge.listener.online_changed(True)
        bridge.listener.sync_started()
        bridge.listener.sync_finished(report)
        window.status_bar.set_last_sync(bridge.last_synced_at)
        if shown is not None:
            shown(window)
        QTimer.singleShot(args.delay, lambda: shoot(window))

    def shoot(window: MainWindow) -> None:
        try:
            save_window(window, out, args.colors)
        finally:
            shot.app.quit()

    def failed(error: OpError) -> None:
        sys.stderr.write(f"failed: {error.message}\n")
        status["code"] = 1
        shot.app.quit()

    shot.run(lambda: Op(None, prepare, lane=Lane.NETWORK, name="demo").success(ready)
             .failure(failed).run())
    server = kept.get("server")
    if server is not None:
        server.stop()  # type: ignore[attr-defined]
    tmp.cleanup()
    return status["code"]


class DemoApp:
    """The whole app as ``main.py --demo --role ROLE`` runs it (``AppController.start``
    with the embedded demo server and the real backend syncing), for the scripts that
    shoot what a running desk shows after its syncs (``screenshot_views.py``,
    ``screenshot_gubao.py``).

    The user's folders are under ``--data`` (set before the app starts, so the real ones
    stay untouched; the seeded demo server is kept there and reused), with a fresh local
    store and settings each run; the keyring is an in-memory one (the demo keeps its
    token for the session only). After each sync, ``on_sync(count, window, backend,
    server)`` is called (count from 1; the demo's bot stopped and the window sized to
    ``--size`` first): it sets up the picture and calls :meth:`shoot` when it is ready.
    """

    def __init__(self, args: argparse.Namespace,
                 on_sync: Callable[[int, MainWindow, object, object], object]) -> None:
        import os
        import shutil

        import keyring

        from tests.keyrings import MemoryKeyring

        self.args = args
        data = Path(args.data).resolve()
        for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            os.environ[name] = str(data / name.lower())
        shutil.rmtree(data / "xdg_data_home" / "gulou-desk" / "stores", ignore_errors=True)
        (data / "settings.ini").unlink(missing_ok=True)
        keyring.set_keyring(MemoryKeyring())
        self.shot = ShotApp(data / "settings.ini", args.lang)
        self.size = window_size(args)
        self.out = Path(args.out).resolve()
        self._on_sync = on_sync
        self._syncs = 0

    def run(self) -> int:
        from gulou_launcher import demo
        from sync.credentials import CredentialStore
        from ui.app import AppController, default_backend_factory

        credentials = CredentialStore()
        self.controller = AppController(
            self.shot.settings, credentials, quit_app=self.shot.app.quit,
            demo_login=demo.demo_login(credentials), backend_factory=default_backend_factory)
        self.controller.bridge.sync_finished.connect(self._synced)
        QTimer.singleShot(180_000, self.shot.app.quit)  # never hang
        self.shot.run(lambda: self.controller.start(demo=True, role=self.args.role))
        return 0

    def _synced(self, report: SyncReport) -> None:
        from gulou_launcher import demo
        from ui.backend import SyncBackend

        self._syncs += 1
        window, backend = self.controller.window, self.controller.backend
        if window is None or not isinstance(backend, SyncBackend):
            return
        server = demo._DEMO_SERVERS[-1] if demo._DEMO_SERVERS else None
        bot = getattr(server, "bot", None)
        if bot is not None:
            bot.stop()  # a still picture: no new requests while it is taken
        window.resize(*self.size)
        self._on_sync(self._syncs, window, backend, server)

    def shoot(self, hide: Callable[[MainWindow], object] | None = None) -> None:
        """Save the window (the notices of other views and an urgent alert's banner
        hidden, and what ``hide`` hides), then quit."""
        from PySide6.QtWidgets import QFrame

        try:
            window = self.controller.window
            assert window is not None
            for popup in window.findChildren(QFrame, "toast"):
                popup.hide()  # another view's notice would cover the picture
            for banner in window.findChildren(QFrame, "urgent_banner"):
                banner.hide()  # a passing alert of the demo's bot is not the section
            if hide is not None:
                hide(window)
            save_window(window, self.out, self.args.colors)
        finally:
            self.controller.shutdown()
            QTimer.singleShot(500, self.shot.app.quit)
