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
import sys

from _shots import DemoApp, add_output_options, shot_parser  # puts the repo on sys.path
from PySide6.QtCore import QTimer

from ui.background import Lane, Op
from ui.conflicts_view import ConflictsView
from ui.households import HouseholdsView
from ui.main_window import MainWindow


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

    def synced(count: int, window: MainWindow, backend: object, server: object) -> None:
        if args.section == "households" and count == 1:
            show_households(window)
        elif args.section == "conflicts" and count == 1:
            Op(None, lambda progress: make_decisions(backend, server), lane=Lane.WRITE,
               name="make_conflicts").success(
                lambda _: backend.sync_now()).run()  # type: ignore[attr-defined]
        elif args.section == "conflicts":
            window.show_section("conflicts")
            view = window.page("conflicts").findChild(ConflictsView)
            view.loaded.connect(lambda _d: QTimer.singleShot(args.delay, app.shoot))

    def show_households(window: MainWindow) -> None:
        window.show_section("households")
        view = window.page("households").findChild(HouseholdsView)
        if args.search:
            view.search_edit.setText(args.search)

        def choose(total: int) -> None:
            view.model.reloaded.disconnect(choose)
            QTimer.singleShot(300, lambda: view.table.selectRow(min(args.row, total - 1)))
            QTimer.singleShot(args.delay, app.shoot)

        view.model.reloaded.connect(choose)
        if not view.model.loading and view.model.rowCount():
            view.model.refresh()

    app = DemoApp(args, synced)
    return app.run()


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
