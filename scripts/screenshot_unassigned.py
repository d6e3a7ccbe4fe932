"""Screenshot of a clerk's unassigned WeChat groups (未归属的群) over the inbox, taken from
the running demo (clerk1's community has a group proposed to it by its name).

    xvfb-run -a -s "-screen 0 1700x1100x24" .venv/bin/python scripts/screenshot_unassigned.py \\
        --lang en --size 1024x700 --out /work/brief/shots/unassigned-en.png
"""

from __future__ import annotations

import sys

from _shots import DemoApp, add_output_options, shot_parser  # puts the repo on sys.path
from PySide6.QtCore import QTimer

from ui.inbox.view import InboxView
from ui.main_window import MainWindow


def main(argv: list[str] | None = None) -> int:
    parser = shot_parser(__doc__ or "", role="clerk")
    add_output_options(parser, size="1024x700", data="gulou-unassigned-shots",
                       data_help="the user's folders for this run", delay=2000)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)

    def synced(count: int, window: MainWindow, backend: object, server: object) -> None:
        if count > 1:
            return
        window.show_section("inbox")
        view = window.page("inbox").findChild(InboxView)
        assert view is not None
        QTimer.singleShot(800, view.open_unassigned)
        QTimer.singleShot(args.delay, app.shoot)

    app = DemoApp(args, synced)
    return app.run()


if __name__ == "__main__":
    raise SystemExit(main())
