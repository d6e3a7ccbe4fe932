"""Screenshots of the inbox and tickets sections with real demo data.

    xvfb-run -a -s "-screen 0 1400x900x24" python scripts/screenshot_desk.py \
        --role clerk --lang zh_CN --section inbox --out docs/screenshots/inbox-zh.png

Starts the demo's embedded server (seeded once, kept in ``--data``), signs in as the
role's demo user, syncs a fresh local store, shows the section with its first item
chosen, and saves the window. Needs a CJK font for Chinese (``fonts-noto-cjk``).
"""

from __future__ import annotations

import argparse
import sys

from _shots import add_output_options, shoot_demo, shot_parser  # puts the repo on sys.path
from PySide6.QtCore import QTimer

from gulou_desk.store.ticket_queries import Queue
from ui.inbox.view import InboxView
from ui.main_window import MainWindow
from ui.shell.context import DeskContext
from ui.tickets.notifier import DeskNotifier
from ui.tickets.view import TicketsView


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = shot_parser(__doc__, role="clerk")
    parser.add_argument("--section", default="inbox", choices=("inbox", "tickets"))
    parser.add_argument("--queue", help="tickets: the queue to show (e.g. all, overdue)")
    add_output_options(parser, size="1366x820", data="gulou-shots",
                       data_help="where the demo server keeps its database (reused)",
                       delay=2500)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)

    def notifier(ctx: DeskContext, window: MainWindow) -> DeskNotifier:
        return DeskNotifier(ctx, window=lambda: window)

    def choose(window: MainWindow) -> None:
        if args.section == "inbox":
            inbox = window.page("inbox").findChild(InboxView)
            QTimer.singleShot(args.delay // 2, lambda: inbox.step_by(1))
        if args.section == "tickets" and args.queue:
            view = window.page("tickets").findChild(TicketsView)
            QTimer.singleShot(300, lambda: view.show_queue(Queue(args.queue)))

    return shoot_demo(args, args.section, {"inbox": InboxView, "tickets": TicketsView},
                      attach=notifier, shown=choose)


if __name__ == "__main__":
    raise SystemExit(main())
