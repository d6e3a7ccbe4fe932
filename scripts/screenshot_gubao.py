"""Screenshots of the 鼓宝 section and the urgent banner, taken from the running demo.

    xvfb-run -a -s "-screen 0 1700x1100x24" .venv/bin/python scripts/screenshot_gubao.py \\
        --lang zh_CN --tab knowledge --out /work/brief/shots/gubao/knowledge-zh.png

Runs the app as ``main.py --demo --role clerk`` does, with the user's folders under
``--data``. After the first sync it shows the 鼓宝 section on ``--tab`` (``knowledge``:
the knowledge base with the questions 鼓宝 could not answer and the test box asked
``--ask``; ``announcements``; ``rules``: a rule's dry run; ``rule-editor``: a new rule
in its editor with the dry run of it as typed) or, for ``urgent``, has the
demo's bot report a fire in one of the clerk's groups, syncs, and waits for the banner.
"""

from __future__ import annotations

import sys

import sqlalchemy as sa
from _shots import DemoApp, add_output_options, shot_parser  # puts the repo on sys.path
from PySide6.QtCore import QTimer

from server.schema import RECORD_TABLES
from server.tools.bot_simulator import DEMO_URGENT
from ui.gubao.dialogs import RuleDialog
from ui.gubao.urgent import UrgentBanner
from ui.gubao.view import GubaoView
from ui.main_window import MainWindow

TABS = {"knowledge": 0, "announcements": 1, "rules": 2, "services": 3, "rule-editor": 2}


def main(argv: list[str] | None = None) -> int:
    parser = shot_parser(__doc__ or "", role="clerk")
    parser.add_argument("--tab", default="knowledge", choices=(*TABS, "urgent"))
    parser.add_argument("--ask", default="老人满80岁有高龄补贴吗")
    add_output_options(parser, size="1600x1000", data="gulou-gubao-shots",
                       data_help="the user's folders for this run", delay=1500)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)

    def hide_banners(window: MainWindow) -> None:
        if args.tab != "urgent":
            for banner in window.findChildren(UrgentBanner):
                banner.hide()

    def synced(count: int, window: MainWindow, backend: object, server: object) -> None:
        if count > 2:
            return
        if args.tab == "urgent":
            if count == 1:
                server.bot.ask(DEMO_URGENT, own_group(  # type: ignore[attr-defined]
                    server.engine, backend.session.user_id))  # type: ignore[attr-defined]
                backend.sync_now()  # type: ignore[attr-defined]
            else:
                QTimer.singleShot(args.delay, lambda: app.shoot(hide_banners))
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
        if args.tab == "rule-editor":
            QTimer.singleShot(600, lambda: edit_a_rule(view))
        QTimer.singleShot(args.delay, lambda: app.shoot(hide_banners))

    app = DemoApp(args, synced)
    return app.run()


def edit_a_rule(view: GubaoView) -> None:
    """A new rule typed in its editor, with its dry run shown."""
    view.edit_rule(new=True)
    dialog = view.dialog
    assert isinstance(dialog, RuleDialog)
    dialog.name.setText("楼道堆物")
    dialog.keywords.setText("堆放 杂物")
    dialog.with_words.setText("楼道")
    dialog.dry_run_button.click()


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
