"""Screenshots of the administration section (管理), taken from the running demo.

    xvfb-run -a -s "-screen 0 1700x1100x24" .venv/bin/python scripts/screenshot_admin.py \\
        --lang zh_CN --tab staff --size 1024x700 --out /work/brief/shots/admin-staff.png

Runs the app as ``main.py --demo --role admin`` does (``--role supervisor``: a street's
supervisor), with the user's folders under ``--data``. After the first sync it shows the
section on ``--tab`` with its first row chosen (``groups``: the first group not mapped;
``audit``: the log of the last 30 days read from the demo server; ``new-staff``: the
dialog of a new staff member over the staff list).
"""

from __future__ import annotations

import sys

from _shots import DemoApp, add_output_options, shot_parser  # puts the repo on sys.path
from PySide6.QtCore import QTimer

from ui.admin.view import AdminView
from ui.main_window import MainWindow

TABS = ("staff", "new-staff", "covers", "groups", "forms", "catalogues", "audit")


def main(argv: list[str] | None = None) -> int:
    parser = shot_parser(__doc__ or "", role="admin")
    parser.add_argument("--tab", default="staff", choices=TABS)
    add_output_options(parser, size="1600x1000", data="gulou-admin-shots",
                       data_help="the user's folders for this run", delay=1500)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)

    def synced(count: int, window: MainWindow, backend: object, server: object) -> None:
        if count > 1:
            return
        window.show_section("admin")
        view = window.page("admin").findChild(AdminView)
        assert view is not None
        names = {view.tabs.tabText(i): i for i in range(view.tabs.count())}
        page = {"staff": 0, "new-staff": 0, "covers": 1, "groups": 2,
                "forms": names.get(view.tr("Visit forms"), 3),
                "catalogues": names.get(view.tr("Catalogues"), 4),
                "audit": view.tabs.count() - 1}[args.tab]
        view.tabs.setCurrentIndex(page)
        QTimer.singleShot(600, lambda: choose(view, args.tab))
        QTimer.singleShot(args.delay, app.shoot)

    app = DemoApp(args, synced)
    return app.run()


def choose(view: AdminView, tab: str) -> None:
    """The first row of the tab's list chosen (or what the tab shows first)."""
    if tab == "staff":
        view.staff_table.selectRow(0)
    elif tab == "new-staff":
        view.open_create()
    elif tab == "covers":
        view.cover_table.selectRow(0)
    elif tab == "groups":
        view.unmapped_only.setChecked(True)
        QTimer.singleShot(400, lambda: view.group_table.selectRow(0))
    elif tab == "audit":
        view.load_audit()


if __name__ == "__main__":
    raise SystemExit(main())
